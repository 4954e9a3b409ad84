//! Lists out as spreadsheets: every record a list query matches (its
//! filters, sort and search, within the caller's scope as always), page by
//! page, so that a Ministry export of 100,000 records never holds them all:
//! CSV goes out chunk by chunk as it is written; XLSX is written by
//! `ngoaivu_sheets::write::XlsxExport` in constant-memory mode and sent when
//! the workbook is closed.
//!
//! Partners are written by name (an export re-imports into another
//! database, where ids differ), so each page's partner ids are resolved,
//! through the service, with a cache across pages.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use ngoaivu_core::{Actor, Lang, RecordType};
use ngoaivu_sheets::write::{CsvExport, ExportRow, XlsxExport};
use ngoaivu_store::{ListQuery, Record, Service, StoreError};
use serde_json::Value;

/// Records read per query.
pub const PAGE: i64 = 5000;

/// The two formats a list is exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }
}

/// The file name of an export: the type and the day (`doan-ra-doan-vao-2026-12-04.xlsx`).
pub fn file_name(rt: RecordType, lang: Lang, format: Format) -> String {
    let today = ngoaivu_store::service::today_in_vietnam();
    format!(
        "{}-{}.{}",
        ngoaivu_core::fold::slugify(rt.label(lang)),
        today,
        format.extension()
    )
}

/// Every record of a list query, page by page, each with the names of the
/// partners it references.
pub struct Pages {
    svc: Service,
    actor: Actor,
    q: ListQuery,
    done: bool,
    names: HashMap<i64, String>,
}

impl Pages {
    pub fn new(svc: Service, actor: Actor, mut q: ListQuery) -> Pages {
        q.limit = PAGE;
        q.offset = 0;
        // The total is not needed: count as little as possible.
        q.count_cap = Some(1);
        Pages {
            svc,
            actor,
            q,
            done: false,
            names: HashMap::new(),
        }
    }

    /// The next page, or `None` after the last.
    pub async fn next(&mut self) -> Result<Option<Vec<(Record, Vec<(i64, String)>)>>, StoreError> {
        if self.done {
            return Ok(None);
        }
        let page = self.svc.list(&self.actor, &self.q).await?;
        if (page.items.len() as i64) < self.q.limit {
            self.done = true;
        }
        self.q.offset += self.q.limit;
        if page.items.is_empty() {
            return Ok(None);
        }
        let mut out = Vec::with_capacity(page.items.len());
        for rec in page.items {
            let mut names = Vec::new();
            for id in referenced_partners(&rec.data) {
                if !self.names.contains_key(&id) {
                    // A partner out of reach (it cannot be: links stay in an
                    // organisation) would be written by id alone.
                    if let Ok(p) = self.svc.get(&self.actor, RecordType::Partner, id).await {
                        let name = p.data.get("name").and_then(Value::as_str).unwrap_or("");
                        self.names.insert(id, name.to_string());
                    }
                }
                if let Some(n) = self.names.get(&id) {
                    names.push((id, n.clone()));
                }
            }
            out.push((rec, names));
        }
        Ok(Some(out))
    }
}

/// The partner ids a body references (`partner_ids`, `investor_id`).
fn referenced_partners(data: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> = data
        .get("partner_ids")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default();
    if let Some(i) = data.get("investor_id").and_then(Value::as_i64) {
        ids.push(i);
    }
    ids
}

fn row<'a>(rec: &'a Record, names: &[(i64, String)], link_base: &str) -> ExportRow<'a> {
    ExportRow {
        id: rec.id,
        link: format!("{link_base}/records/{}/{}", rec.rt.path(), rec.id),
        body: &rec.data,
        partner_names: names.to_vec(),
    }
}

/// The list as an XLSX workbook (constant memory while writing).
pub async fn xlsx(
    svc: &Service,
    actor: &Actor,
    q: ListQuery,
    lang: Lang,
    link_base: &str,
) -> Result<Vec<u8>, StoreError> {
    let rt = q.rt;
    let mut pages = Pages::new(svc.clone(), actor.clone(), q);
    let mut book = XlsxExport::new(rt, lang).map_err(|e| StoreError::Other(e.to_string()))?;
    while let Some(page) = pages.next().await? {
        for (rec, names) in &page {
            book.push(&row(rec, names, link_base))
                .map_err(|e| StoreError::Other(e.to_string()))?;
        }
    }
    book.finish().map_err(|e| StoreError::Other(e.to_string()))
}

/// A `Write` whose bytes are taken out after each page.
#[derive(Clone, Default)]
struct Chunk(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Chunk {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("chunk lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Chunk {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().expect("chunk lock"))
    }
}

/// The list as CSV, in chunks (one a page) sent as they are written; an
/// error ends the stream with it. Needs a Tokio runtime.
pub fn csv_chunks(
    svc: Service,
    actor: Actor,
    q: ListQuery,
    lang: Lang,
    link_base: String,
) -> tokio::sync::mpsc::Receiver<Result<Vec<u8>, StoreError>> {
    let (tx, rx) = tokio::sync::mpsc::channel(2);
    tokio::spawn(async move {
        let rt = q.rt;
        let chunk = Chunk::default();
        let mut pages = Pages::new(svc, actor, q);
        let mut out = match CsvExport::new(rt, lang, chunk.clone()) {
            Ok(w) => w,
            Err(e) => {
                let _ = tx.send(Err(StoreError::Other(e.to_string()))).await;
                return;
            }
        };
        loop {
            match pages.next().await {
                Ok(Some(page)) => {
                    for (rec, names) in &page {
                        if let Err(e) = out.push(&row(rec, names, &link_base)) {
                            let _ = tx.send(Err(StoreError::Other(e.to_string()))).await;
                            return;
                        }
                    }
                    // The receiver gone (the client left): stop reading.
                    if tx.send(Ok(chunk.take())).await.is_err() {
                        return;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    let _ = tx.send(Err(e)).await;
                    return;
                }
            }
        }
        if let Err(e) = out.finish() {
            let _ = tx.send(Err(StoreError::Other(e.to_string()))).await;
            return;
        }
        let last = chunk.take();
        if !last.is_empty() {
            let _ = tx.send(Ok(last)).await;
        }
    });
    rx
}

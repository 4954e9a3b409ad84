//! `ngoaivu import`: a province's workbook (XLSX, XLS, ODS, CSV) into one
//! record type, with the review printed first and nothing written on any
//! error. The work is in `ngoaivu_import` (review, commit) and
//! `ngoaivu_sheets` (reading, mapping); this parses, prints and writes.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use ngoaivu_core::{Actor, Lang, RecordType};
use ngoaivu_store::Service;
use ngoaivu_transfer::import::{ImportError, MappingChoice, Review, Upload};

use crate::values::LangArg;

/// Import a workbook of records into an organisation, after a review.
///
/// The columns are mapped from the header row (found even below title
/// rows), or by a mapping saved earlier (--mapping) or written by hand
/// (--mapping-file). Each row is checked as a create would be; rows that
/// match an existing record (the same partner name and country, the same
/// trip on the same day …) update it, or change nothing. Any error, at its
/// cell, means nothing is written.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  ngoaivu import --org vinh-long --type delegations --dry-run doan-ra-2019.xlsx\n  ngoaivu import --org vinh-long --type agreements --save-mapping 'Thỏa thuận hằng năm' thoa-thuan.xlsx\n  ngoaivu import --org vinh-long --type agreements --mapping 'Thỏa thuận hằng năm' thoa-thuan-2020.xlsx"
)]
pub(crate) struct ImportArgs {
    #[command(flatten)]
    pub db: crate::DbArg,
    /// The organisation the records belong to (`vinh-long` …; see `ngoaivu org list`).
    #[arg(long)]
    pub org: String,
    /// The record type (as in the API's paths).
    #[arg(long = "type", value_name = "TYPE", value_parser = crate::values::record_type())]
    pub record_type: RecordType,
    /// Use the mapping saved under this name for the organisation and type.
    #[arg(long, conflicts_with = "mapping_file")]
    pub mapping: Option<String>,
    /// Use the mapping in this TOML file (`sheet`, `header_row`, and a `[columns]` table of header → field).
    #[arg(long, value_name = "FILE.toml")]
    pub mapping_file: Option<PathBuf>,
    /// The sheet to read (default: the one whose headers match best).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Print the review and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Save the mapping used under this name, for next year's workbook.
    #[arg(long)]
    pub save_mapping: Option<String>,
    /// Print the review as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Language of the review and errors.
    #[arg(long, value_enum, default_value_t = LangArg::Vi)]
    pub lang: LangArg,
    /// The workbook.
    pub file: PathBuf,
}

/// The organisation's own actor on the command line: an administrator of
/// `org`, so that an import writes there and nowhere else, as it would
/// for a signed-in administrator.
pub(crate) async fn org_actor(svc: &Service, slug: &str, what: &str) -> anyhow::Result<Actor> {
    let org = svc
        .org_by_slug(slug)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .with_context(|| format!("no organisation {slug:?} (see `ngoaivu org list`)"))?;
    Ok(Actor {
        user_id: 0,
        username: format!("ngoaivu {what} (command line)"),
        org_id: org.id,
        org_slug: org.slug,
        org_kind: org.kind,
        role: ngoaivu_core::Role::Admin,
        consular: false,
    })
}

pub(crate) async fn run(args: ImportArgs, file: &crate::config::FileConfig) -> anyhow::Result<()> {
    let lang = Lang::from(args.lang);
    let rt = args.record_type;
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let url = crate::config::database_url(args.db.db.clone(), file);
    let backend = crate::db::open(&url).await?;
    let svc = Service::new(backend);
    let actor = org_actor(&svc, &args.org, "import").await?;
    let started = std::time::Instant::now();
    let limits = ngoaivu_sheets::Limits::default();
    let fail = |e: ImportError| anyhow::anyhow!(e.message(lang));

    eprintln!(
        "{} {} ({} bytes) …",
        lang.pick("đang đọc", "reading"),
        args.file.display(),
        bytes.len()
    );
    let upload = Upload {
        file_name: &file_name,
        bytes: &bytes,
    };
    let wb = ngoaivu_transfer::import::read_workbook(&upload, &limits).map_err(fail)?;
    let choice = match (&args.mapping, &args.mapping_file) {
        (Some(name), _) => {
            let saved = svc
                .mappings(&actor, rt)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .into_iter()
                .find(|m| m.name == *name)
                .with_context(|| {
                    format!(
                        "no mapping named {name:?} saved for {} of {}",
                        rt.path(),
                        args.org
                    )
                })?;
            let m: ngoaivu_sheets::mapping::Mapping = serde_json::from_str(&saved.spec)
                .with_context(|| format!("the saved mapping {name:?} cannot be read"))?;
            MappingChoice::Given(m.apply(rt, &wb).map_err(|e| fail(e.into()))?)
        }
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let m = ngoaivu_sheets::mapping::SavedMapping::from_toml(&text)
                .map_err(|e| fail(e.into()))?;
            MappingChoice::Given(m.apply(rt, &wb).map_err(|e| fail(e.into()))?)
        }
        (None, None) => MappingChoice::Propose {
            sheet: args.sheet.clone(),
        },
    };
    let mapping = ngoaivu_transfer::import::mapping_for(rt, &wb, &choice).map_err(fail)?;
    let rows = ngoaivu_transfer::import::rows_of(rt, &wb, &mapping);
    eprintln!(
        "{} {} {} …",
        lang.pick("đang xem trước", "reviewing"),
        rows.len(),
        lang.pick("dòng", "rows")
    );
    drop(wb);
    let mut review = ngoaivu_transfer::import::review_rows(
        &svc,
        &actor,
        rt,
        &file_name,
        &ngoaivu_transfer::import::sha256_hex(&bytes),
        rows,
    )
    .await
    .map_err(fail)?;
    review.mapping = Some(mapping.clone());
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &review)?;
        writeln!(out)?;
    } else {
        print_review(&mut out, &review, lang)?;
    }
    drop(out);
    if review.summary.errors > 0 {
        bail!(ImportError::HasErrors(review.summary.errors).message(lang));
    }
    if args.dry_run {
        eprintln!(
            "{}",
            lang.pick(
                "--dry-run: không có gì được ghi.",
                "--dry-run: nothing was written."
            )
        );
        return Ok(());
    }
    eprintln!("{}", lang.pick("đang ghi …", "writing …"));
    let outcome = ngoaivu_transfer::import::commit(&svc, &actor, review)
        .await
        .map_err(fail)?;
    if let Some(name) = &args.save_mapping {
        let spec = serde_json::to_string(&mapping)?;
        svc.save_mapping(&actor, rt, name, &spec)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    eprintln!(
        "{}",
        match lang {
            Lang::Vi => format!(
                "đã nhập: {} bản ghi mới (trong đó {} đối tác mới), {} cập nhật, {} không đổi, trong {:.1} giây",
                outcome.created.len(),
                outcome.new_partners,
                outcome.updated,
                outcome.unchanged,
                started.elapsed().as_secs_f64()
            ),
            Lang::En => format!(
                "imported: {} new records ({} of them new partners), {} updated, {} unchanged, in {:.1} s",
                outcome.created.len(),
                outcome.new_partners,
                outcome.updated,
                outcome.unchanged,
                started.elapsed().as_secs_f64()
            ),
        }
    );
    Ok(())
}

/// The review as a table: errors first (each with its cell), then a line
/// per row, then the totals.
pub(crate) fn print_review(
    out: &mut impl Write,
    review: &Review,
    lang: Lang,
) -> std::io::Result<()> {
    let s = &review.summary;
    if let Some(m) = &review.mapping {
        writeln!(
            out,
            "{}: {} ({} {})",
            lang.pick("Trang tính", "Sheet"),
            m.sheet,
            lang.pick("dòng tiêu đề", "header row"),
            m.header_row
        )?;
        let rt = review.record_type();
        for c in &m.columns {
            let field = match c.key.as_deref() {
                Some(k) => match ngoaivu_sheets::columns::column(rt, k) {
                    Some(col) => format!("{} ({k})", col.header(lang)),
                    None => k.to_string(),
                },
                None => lang.pick("(bỏ qua)", "(ignored)").to_string(),
            };
            writeln!(out, "  {:<40} → {field}", c.header)?;
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "{:<24} {:<6} {:<11} {:>8}  {}",
        lang.pick("Trang", "Sheet"),
        lang.pick("Dòng", "Row"),
        lang.pick("Việc", "Action"),
        "Id",
        lang.pick("Bản ghi / lỗi", "Record / errors")
    )?;
    for r in review.errors_first() {
        writeln!(
            out,
            "{:<24} {:<6} {:<11} {:>8}  {}",
            truncate(&r.sheet, 24),
            r.row,
            r.action.label(lang),
            r.record_id.map(|i| i.to_string()).unwrap_or_default(),
            truncate(&r.title, 70)
        )?;
        for e in &r.errors {
            writeln!(
                out,
                "{:>52}{}: {}",
                "",
                e.cell.as_deref().unwrap_or(lang.pick("(dòng)", "(row)")),
                e.message(lang)
            )?;
        }
        for c in &r.changes {
            writeln!(out, "{:>52}{}: {} → {}", "", c.field, c.before, c.after)?;
        }
        for p in &r.new_partners {
            writeln!(
                out,
                "{:>52}{}: {p}",
                "",
                lang.pick("đối tác mới", "new partner")
            )?;
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        match lang {
            Lang::Vi => format!(
                "{} dòng: {} tạo mới, {} cập nhật, {} không đổi, {} lỗi; {} đối tác mới",
                s.rows, s.create, s.update, s.unchanged, s.errors, s.new_partners
            ),
            Lang::En => format!(
                "{} rows: {} to create, {} to update, {} unchanged, {} with errors; {} new partners",
                s.rows, s.create, s.update, s.unchanged, s.errors, s.new_partners
            ),
        }
    )?;
    Ok(())
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

//! The I/O edge of the report reader, for the command line
//! (`ngoaivu extract`): reading documents and their `NAME.meta.json` dates,
//! choosing output names, writing `NAME.facts.json`, loading folders of facts
//! and formatting the score table. This is the only module of the crate that
//! touches the file system; everything else is text in, facts out.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::score::{Scores, fold, score};
use crate::{DocDate, Extractor, Facts};

/// A command-line failure, naming the file it concerns.
#[derive(Debug)]
pub struct CliError {
    pub message: String,
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

fn err(msg: impl Into<String>) -> CliError {
    CliError {
        message: msg.into(),
    }
}

/// The suffix of facts files.
pub const FACTS_SUFFIX: &str = ".facts.json";

/// The extensions of inputs whose base name gives the output name.
const INPUT_EXTENSIONS: &[&str] = &["txt", "text", "html", "htm", "xhtml", "docx", "pdf", "doc"];

/// The base name of an input: `a/b/NAME.txt` -> `NAME`.
pub fn base_name(input: &Path) -> Result<String, CliError> {
    let file = input
        .file_name()
        .and_then(|f| f.to_str())
        .ok_or_else(|| err(format!("{}: not a file name", input.display())))?;
    Ok(match file.rsplit_once('.') {
        Some((stem, ext))
            if INPUT_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
                && !stem.is_empty() =>
        {
            stem.to_string()
        }
        _ => file.to_string(),
    })
}

/// `NAME.facts.json` for `NAME.txt`, `NAME.html` or `NAME.docx`.
pub fn output_name(input: &Path) -> Result<String, CliError> {
    Ok(format!("{}{FACTS_SUFFIX}", base_name(input)?))
}

/// `NAME.meta.json` beside the input.
pub fn meta_path(input: &Path) -> Result<PathBuf, CliError> {
    Ok(input.with_file_name(format!("{}.meta.json", base_name(input)?)))
}

/// The date in `NAME.meta.json` beside the input, if that file exists.
pub fn read_meta_date(input: &Path) -> Result<Option<DocDate>, CliError> {
    let meta = meta_path(input)?;
    if !meta.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&meta)
        .map_err(|e| err(format!("{}: cannot read: {e}", meta.display())))?;
    parse_meta(&text).map_err(|m| err(format!("{}: {m}", meta.display())))
}

/// The date of a meta document `{"date": "2022-12-20"}` (null or absent: none).
pub fn parse_meta(text: &str) -> Result<Option<DocDate>, String> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    match v.get("date") {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => {
            DocDate::parse(s).map(Some).map_err(|e| e.to_string())
        }
        Some(serde_json::Value::Number(n)) => DocDate::parse(&n.to_string())
            .map(Some)
            .map_err(|e| e.to_string()),
        Some(other) => Err(format!(
            "\"date\" must be a string like \"2022-12-20\", not {other}"
        )),
    }
}

/// Read a document (plain text, HTML, DOCX or PDF) as text.
pub fn read_document(path: &Path) -> Result<String, CliError> {
    read_document_full(path).map(|d| d.text)
}

/// Read a document with its pages and warnings.
pub fn read_document_full(path: &Path) -> Result<crate::ReadDocument, CliError> {
    let bytes = std::fs::read(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            err(format!("{}: no such file", path.display()))
        } else {
            err(format!("{}: cannot read: {e}", path.display()))
        }
    })?;
    let hint = path.file_name().and_then(|f| f.to_str());
    crate::read_document(&bytes, hint).map_err(|e| err(format!("{}: {e}", path.display())))
}

/// The date for an input: its `NAME.meta.json` when present, else `fallback`.
pub fn date_for(input: &Path, fallback: Option<DocDate>) -> Result<Option<DocDate>, CliError> {
    Ok(read_meta_date(input)?.or(fallback))
}

/// Read and extract one file.
pub fn extract_file(
    ex: &Extractor,
    input: &Path,
    fallback_date: Option<DocDate>,
) -> Result<Facts, CliError> {
    extract_file_full(ex, input, fallback_date).map(|(f, _)| f)
}

/// Read and extract one file, with the warnings met reading it.
pub fn extract_file_full(
    ex: &Extractor,
    input: &Path,
    fallback_date: Option<DocDate>,
) -> Result<(Facts, Vec<String>), CliError> {
    let date = date_for(input, fallback_date)?;
    let doc = read_document_full(input)?;
    let warnings = doc.warnings.iter().map(|w| w.en.clone()).collect();
    Ok((ex.extract_document(&doc, date), warnings))
}

/// Write `NAME.facts.json` into `out_dir` (created if needed).
pub fn write_facts(out_dir: &Path, input: &Path, facts: &Facts) -> Result<PathBuf, CliError> {
    std::fs::create_dir_all(out_dir)
        .map_err(|e| err(format!("{}: cannot create folder: {e}", out_dir.display())))?;
    let path = out_dir.join(output_name(input)?);
    let json = crate::to_json(facts);
    std::fs::write(&path, json + "\n")
        .map_err(|e| err(format!("{}: cannot write: {e}", path.display())))?;
    Ok(path)
}

/// Named facts files and the warnings met reading them.
pub type LoadedFacts = (Vec<(String, Facts)>, Vec<String>);

/// Load every `NAME.facts.json` of a folder. Unreadable files count as empty,
/// with a warning (as the official scorer does).
pub fn load_facts_dir(dir: &Path) -> Result<LoadedFacts, CliError> {
    if !dir.is_dir() {
        return Err(err(format!("{}: not a folder", dir.display())));
    }
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| err(format!("{}: cannot list: {e}", dir.display())))?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n.ends_with(FACTS_SUFFIX) && n.len() > FACTS_SUFFIX.len())
        .collect();
    names.sort();
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for file in names {
        let name = file[..file.len() - FACTS_SUFFIX.len()].to_string();
        let path = dir.join(&file);
        let facts = match std::fs::read_to_string(&path) {
            Ok(t) => match parse_facts_lenient(&t) {
                Ok((f, w)) => {
                    warnings.extend(w.into_iter().map(|m| format!("{file}: {m}")));
                    f
                }
                Err(m) => {
                    warnings.push(format!("cannot read {file}: {m}; counted as empty"));
                    Facts::default()
                }
            },
            Err(e) => {
                warnings.push(format!("cannot read {file}: {e}; counted as empty"));
                Facts::default()
            }
        };
        out.push((name, facts));
    }
    Ok((out, warnings))
}

/// Parse a facts document, skipping (with a warning) entries that do not fit the spec.
pub fn parse_facts_lenient(text: &str) -> Result<(Facts, Vec<String>), String> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let obj = v.as_object().ok_or("not a JSON object")?;
    let mut warnings = Vec::new();
    let mut facts = Facts::default();
    if let Some(s) = obj.get("subject")
        && let Ok(s) = serde_json::from_value(s.clone())
    {
        facts.subject = s;
    }
    for (key, is_obs) in [("observations", true), ("partnerships", false)] {
        let Some(items) = obj.get(key) else { continue };
        let Some(items) = items.as_array() else {
            warnings.push(format!("\"{key}\" is not a list; counted as empty"));
            continue;
        };
        let mut bad = 0;
        for it in items {
            if is_obs {
                match serde_json::from_value(it.clone()) {
                    Ok(o) => facts.observations.push(o),
                    Err(_) => bad += 1,
                }
            } else {
                match serde_json::from_value(it.clone()) {
                    Ok(p) => facts.partnerships.push(p),
                    Err(_) => bad += 1,
                }
            }
        }
        if bad > 0 {
            warnings.push(format!("{bad} {key} entries do not fit the spec; ignored"));
        }
    }
    Ok((facts, warnings))
}

/// Score a folder of predictions against a folder of gold facts.
pub fn score_dirs(gold_dir: &Path, pred_dir: &Path) -> Result<ScoreReport, CliError> {
    let (gold, mut warnings) = load_facts_dir(gold_dir)?;
    if gold.is_empty() {
        return Err(err(format!(
            "{}: no *{FACTS_SUFFIX} files",
            gold_dir.display()
        )));
    }
    let (pred, w2) = load_facts_dir(pred_dir)?;
    warnings.extend(w2);
    let scores = score(&gold, &pred);
    Ok(ScoreReport {
        gold,
        pred,
        scores,
        warnings,
    })
}

/// The inputs and result of a scoring run.
#[derive(Debug, Clone)]
pub struct ScoreReport {
    pub gold: Vec<(String, Facts)>,
    pub pred: Vec<(String, Facts)>,
    pub scores: Scores,
    pub warnings: Vec<String>,
}

fn value_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 9e15 {
        let s = format!("{}", v.abs() as i64);
        let mut out = String::new();
        for (i, ch) in s.chars().enumerate() {
            if i > 0 && (s.len() - i) % 3 == 0 {
                out.push(' ');
            }
            out.push(ch);
        }
        if v < 0.0 { format!("-{out}") } else { out }
    } else {
        format!("{v}")
    }
}

fn period_text(p: Option<&crate::Period>) -> String {
    match p {
        None => "no period".into(),
        Some(crate::Period::Year(y)) => format!("year {y}"),
        Some(crate::Period::Range { from, to }) => format!("{from}-{to}"),
        Some(crate::Period::AsOf(y)) => format!("as_of {y}"),
        Some(crate::Period::Since(y)) => format!("since {y}"),
    }
}

fn obs_text(o: &crate::Observation) -> String {
    let unit = serde_json::to_value(o.unit)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let q = serde_json::to_value(o.qualifier)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let mut s = format!(
        "{} | {} | {} | {} {unit} {q}",
        o.indicator,
        o.locality,
        period_text(Some(&o.period)),
        value_text(o.value)
    );
    if let Some(c) = o.change_pct {
        s += &format!(" | change {c}%");
    }
    s
}

fn part_text(p: &crate::Partnership) -> String {
    let kind = serde_json::to_value(p.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    format!(
        "{} | {} ({}) | {kind} | {}",
        p.locality,
        p.partner,
        p.partner_country.as_deref().unwrap_or("None"),
        period_text(p.period.as_ref())
    )
}

/// The score table, in the official scorer's layout: per file and overall,
/// with misses and false hits unless `quiet`; the last line is
/// `overall F1 observations=X partnerships=Y`.
pub fn format_scores(report: &ScoreReport, quiet: bool) -> String {
    let mut out = String::new();
    let line = |out: &mut String, label: &str, p: &crate::Prf| {
        out.push_str(&format!(
            "  {label:13} gold={:<3} predicted={:<3} matched={:<3} P={:.3} R={:.3} F1={:.3}\n",
            p.gold,
            p.predicted,
            p.matched,
            p.precision(),
            p.recall(),
            p.f1()
        ));
    };
    for w in &report.warnings {
        out.push_str(&format!("  warning: {w}\n"));
    }
    for fs in &report.scores.files {
        out.push_str(&format!("== {}\n", fs.name));
        if fs.missing_prediction {
            out.push_str("  warning: no predicted file; counted as empty\n");
        }
        line(&mut out, "observations", &fs.observations);
        line(&mut out, "partnerships", &fs.partnerships);
        if quiet {
            continue;
        }
        let gold = report
            .gold
            .iter()
            .find(|(n, _)| *n == fs.name)
            .map(|(_, f)| f);
        let pred = report
            .pred
            .iter()
            .find(|(n, _)| *n == fs.name)
            .map(|(_, f)| f);
        if let Some(g) = gold {
            for &i in &fs.missed_observations {
                let go = &g.observations[i];
                out.push_str(&format!("    miss       observation  {}\n", obs_text(go)));
                if let Some(p) = pred {
                    for &j in &fs.false_observations {
                        let po = &p.observations[j];
                        if po.indicator == go.indicator && fold(&po.locality) == fold(&go.locality)
                        {
                            out.push_str(&format!(
                                "      (predicted {}: {})\n",
                                value_text(po.value),
                                obs_text(po)
                            ));
                        }
                    }
                }
            }
        }
        if let Some(p) = pred {
            for &j in &fs.false_observations {
                out.push_str(&format!(
                    "    false hit  observation  {}\n",
                    obs_text(&p.observations[j])
                ));
            }
        }
        if let Some(g) = gold {
            for &i in &fs.missed_partnerships {
                out.push_str(&format!(
                    "    miss       partnership  {}\n",
                    part_text(&g.partnerships[i])
                ));
            }
        }
        if let Some(p) = pred {
            for &j in &fs.false_partnerships {
                out.push_str(&format!(
                    "    false hit  partnership  {}\n",
                    part_text(&p.partnerships[j])
                ));
            }
        }
    }
    for n in &report.scores.unscored {
        out.push_str(&format!(
            "== {n}\n  warning: predicted file has no gold file; not scored\n"
        ));
    }
    out.push_str("== overall\n");
    line(&mut out, "observations", &report.scores.observations);
    line(&mut out, "partnerships", &report.scores.partnerships);
    out.push_str(&format!(
        "overall F1 observations={:.3} partnerships={:.3}\n",
        report.scores.observations.f1(),
        report.scores.partnerships.f1()
    ));
    out
}

/// What `ngoaivu extract` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    pub files: Vec<PathBuf>,
    /// `--date`, as typed (validated here).
    pub date: Option<String>,
    pub out: Option<PathBuf>,
    /// `--score GOLD_DIR PRED_DIR`.
    pub score: Option<(PathBuf, PathBuf)>,
    /// `--partners FILE`: extra foreign partners (CSV).
    pub partners: Option<PathBuf>,
    /// `--quiet`: the score table without misses and false hits.
    pub quiet: bool,
    /// `--jobs N`: files read in parallel (default: the machine's cores).
    pub jobs: Option<usize>,
}

/// The files to read: each FILE as given, each folder's supported documents
/// (recursively, sorted; facts and meta files skipped).
pub fn expand_inputs(files: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<(), CliError> {
        if depth > 16 {
            return Ok(());
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| err(format!("{}: cannot list: {e}", dir.display())))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out, depth + 1)?;
                continue;
            }
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.ends_with(FACTS_SUFFIX) || name.ends_with(".meta.json") || name.starts_with('.')
            {
                continue;
            }
            let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
            if ext.is_some_and(|e| INPUT_EXTENSIONS.contains(&e.as_str())) {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for f in files {
        if f.is_dir() {
            walk(f, &mut out, 0)?;
        } else {
            out.push(f.clone());
        }
    }
    Ok(out)
}

/// What a batch run did, for its summary.
#[derive(Debug, Clone, Default)]
pub struct BatchSummary {
    pub files: usize,
    pub read: usize,
    pub bytes: u64,
    pub observations: usize,
    pub partnerships: usize,
    pub unplaced: usize,
    /// (file, why) of the files refused.
    pub refused: Vec<(String, String)>,
    pub warnings: Vec<(String, String)>,
    pub seconds: f64,
}

impl BatchSummary {
    /// The summary printed on stderr after a batch.
    pub fn text(&self) -> String {
        let mut s = format!(
            "extract: {} of {} files read ({:.1} MB) in {:.1} s: {} observations, {} partnerships, {} figures unplaced; {} refused\n",
            self.read,
            self.files,
            self.bytes as f64 / 1e6,
            self.seconds,
            self.observations,
            self.partnerships,
            self.unplaced,
            self.refused.len()
        );
        for (f, w) in &self.warnings {
            s += &format!("  warning: {f}: {w}\n");
        }
        for (f, why) in &self.refused {
            s += &format!("  refused: {f}: {why}\n");
        }
        s
    }
}

/// Run `ngoaivu extract`, writing what it prints to `stdout`.
///
/// * `--score GOLD PRED`: the score table.
/// * `--out DIR`: `NAME.facts.json` per input, one line per file written.
/// * otherwise one input prints its facts as pretty JSON; several print one
///   compact JSON document per line (JSON Lines), in the order given.
///
/// Each input's date is its `NAME.meta.json` when present, else `--date`.
/// Files that fail are named in the error; the others are still processed.
pub fn run(opts: &ExtractOptions, stdout: &mut dyn Write) -> Result<(), CliError> {
    run_with(opts, stdout, &mut std::io::sink())
}

/// As [`run`], with progress and the batch summary written to `stderr`.
/// Files (and the documents of folders given) are read in parallel on
/// `--jobs` threads; what is printed is in the order given.
pub fn run_with(
    opts: &ExtractOptions,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<(), CliError> {
    let io = |e: std::io::Error| err(format!("cannot write output: {e}"));
    if let Some((gold, pred)) = &opts.score {
        let report = score_dirs(gold, pred)?;
        stdout
            .write_all(format_scores(&report, opts.quiet).as_bytes())
            .map_err(io)?;
        return Ok(());
    }
    if opts.files.is_empty() {
        return Err(err(
            "no input files (give FILE..., or --score GOLD_DIR PRED_DIR)",
        ));
    }
    let date = match &opts.date {
        Some(d) => Some(DocDate::parse(d).map_err(|e| err(format!("--date: {e}")))?),
        None => None,
    };
    let mut ex = Extractor::new();
    if let Some(p) = &opts.partners {
        let csv = std::fs::read_to_string(p)
            .map_err(|e| err(format!("{}: cannot read: {e}", p.display())))?;
        ex = ex
            .with_partners(&csv)
            .map_err(|e| err(format!("{}: {e}", p.display())))?;
    }
    let files = expand_inputs(&opts.files)?;
    if files.is_empty() {
        return Err(err("no supported documents in the folders given"));
    }
    let started = std::time::Instant::now();
    let jobs = opts
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, 64)
        .min(files.len());
    // Read in parallel; keep the results in input order.
    type Res = Result<(Facts, Vec<String>, u64), CliError>;
    let results: Vec<std::sync::Mutex<Option<Res>>> =
        files.iter().map(|_| std::sync::Mutex::new(None)).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let step = (files.len() / 20).max(1);
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel::<bool>();
        for _ in 0..jobs {
            let tx = tx.clone();
            let (next, files, results, ex) = (&next, &files, &results, &ex);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= files.len() {
                        break;
                    }
                    let f = &files[i];
                    let size = std::fs::metadata(f).map_or(0, |m| m.len());
                    let r = extract_file_full(ex, f, date).map(|(x, w)| (x, w, size));
                    let ok = r.is_ok();
                    *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
                    let _ = tx.send(ok);
                }
            });
        }
        drop(tx);
        // Progress from this thread: stderr need not be shared.
        let (mut n, mut refused) = (0usize, 0usize);
        for ok in rx {
            n += 1;
            refused += usize::from(!ok);
            if files.len() > 1 && (n % step == 0 || n == files.len()) {
                let _ = writeln!(
                    stderr,
                    "extract: {n}/{} files ({refused} refused)",
                    files.len()
                );
            }
        }
    });
    let mut summary = BatchSummary {
        files: files.len(),
        ..Default::default()
    };
    let mut failures: Vec<String> = Vec::new();
    let many = files.len() > 1;
    for (f, slot) in files.iter().zip(results) {
        let r = slot
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .unwrap_or_else(|| Err(err(format!("{}: not read", f.display()))));
        let facts = match r {
            Ok((x, warnings, size)) => {
                summary.read += 1;
                summary.bytes += size;
                summary.observations += x.observations.len();
                summary.partnerships += x.partnerships.len();
                summary.unplaced += x.unplaced.len();
                for w in warnings {
                    summary.warnings.push((f.display().to_string(), w));
                }
                x
            }
            Err(e) => {
                let name = f.display().to_string();
                let why = e
                    .message
                    .strip_prefix(&format!("{name}: "))
                    .unwrap_or(&e.message)
                    .to_string();
                summary.refused.push((name, why));
                failures.push(e.message);
                continue;
            }
        };
        if let Some(dir) = &opts.out {
            match write_facts(dir, f, &facts) {
                Ok(path) => writeln!(
                    stdout,
                    "{} -> {} ({} observations, {} partnerships)",
                    f.display(),
                    path.display(),
                    facts.observations.len(),
                    facts.partnerships.len()
                )
                .map_err(io)?,
                Err(e) => failures.push(e.message),
            }
        } else if many {
            writeln!(
                stdout,
                "{}",
                serde_json::to_string(&facts).expect("facts serialise")
            )
            .map_err(io)?;
        } else {
            writeln!(stdout, "{}", crate::to_json(&facts)).map_err(io)?;
        }
    }
    summary.seconds = started.elapsed().as_secs_f64();
    if many || !summary.warnings.is_empty() {
        let _ = stderr.write_all(summary.text().as_bytes());
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(err(format!(
            "{} of {} files failed:\n  {}",
            failures.len(),
            files.len(),
            failures.join("\n  ")
        )))
    }
}

//! `ngoaivu report`: a province's annual or term report, or the national
//! summary, from the database to a file. The work is in `ngoaivu_report`;
//! this parses, checks and writes.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use ngoaivu_core::{Actor, Lang};
use ngoaivu_report::{Format, Kind, ReportError, Spec};
use ngoaivu_store::{Service, StoreError};

use crate::values::{FormatArg, KindArg, LangArg};

/// Make a report from the records and figures in the database.
///
/// `annual` and `term` are a province's reports to its People's Committee
/// and the Ministry; `national` is the Ministry's summary of all provinces.
/// The file's format follows --format, or else the extension of -o.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  ngoaivu report --org vinh-long --kind annual --year 2022 -o vinh-long-2022.docx\n  ngoaivu report --org dong-thap --kind term --from 2016 --to 2020 --format pdf -o dong-thap.pdf\n  ngoaivu report --kind national --year 2014 --format xlsx -o tong-ket-2014.xlsx"
)]
pub(crate) struct ReportArgs {
    #[command(flatten)]
    pub db: crate::DbArg,
    /// The reporting province (`vinh-long`, `dong-thap` …); not needed for --kind national.
    #[arg(long)]
    pub org: Option<String>,
    /// Which report.
    #[arg(long, value_enum)]
    pub kind: KindArg,
    /// The year of an annual or national report.
    #[arg(long)]
    pub year: Option<i32>,
    /// The first year of a term report.
    #[arg(long)]
    pub from: Option<i32>,
    /// The last year of a term report.
    #[arg(long)]
    pub to: Option<i32>,
    /// The file's format (default: from the extension of -o).
    #[arg(long, value_enum, ignore_case = true)]
    pub format: Option<FormatArg>,
    /// The file to write (`-` for standard output).
    #[arg(short = 'o', long)]
    pub output: PathBuf,
    /// The report's language.
    #[arg(long, value_enum, default_value_t = LangArg::Vi)]
    pub lang: LangArg,
    /// For a year before the 2025 merger: rows by the 63 units of that time, not today's 34.
    #[arg(long)]
    pub units_of_the_time: bool,
    /// The date on the document (YYYY-MM-DD; default today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Print how long each figures query (run one at a time, so each time is
    /// its own), the composing and the writing took.
    #[arg(long)]
    pub timings: bool,
}

pub(crate) async fn run(args: ReportArgs, file: &crate::config::FileConfig) -> anyhow::Result<()> {
    let kind = Kind::from(args.kind);
    let format = match args.format {
        Some(f) => Format::from(f),
        None => args
            .output
            .extension()
            .and_then(|e| Format::parse(&e.to_string_lossy()))
            .context(
                "give --format html|docx|xlsx|pdf (the output file's extension does not say)",
            )?,
    };
    let lang = Lang::from(args.lang);
    let (from, to) = match kind {
        Kind::Term => match (args.from, args.to) {
            (Some(f), Some(t)) => (f, t),
            _ => bail!("a term report needs --from and --to (e.g. --from 2016 --to 2020)"),
        },
        _ => match (args.year, args.from, args.to) {
            (Some(y), None, None) => (y, y),
            (None, ..) => bail!("an {} report needs --year", kind.code()),
            _ => bail!("--from and --to are for term reports; give --year"),
        },
    };
    let org = match (kind, &args.org) {
        (Kind::National, None) => "bo-ngoai-giao".to_owned(),
        (Kind::National, Some(o)) if o == "bo-ngoai-giao" => o.clone(),
        (Kind::National, Some(o)) => {
            bail!("--org {o:?}: the national summary is the Ministry's; leave --org out")
        }
        (_, Some(o)) => o.clone(),
        (_, None) => bail!(
            "an {} report needs --org (a province: vinh-long, dong-thap …; see `ngoaivu org list`)",
            kind.code()
        ),
    };
    let date = match &args.date {
        Some(d) => time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]"))
            .with_context(|| format!("--date {d:?}: use YYYY-MM-DD"))?,
        None => ngoaivu_store::service::today_in_vietnam(),
    };
    if args.output.as_os_str() != "-" && args.output.exists() {
        bail!(
            "{} already exists; choose a new file name",
            args.output.display()
        );
    }
    let spec = Spec {
        kind,
        org,
        from,
        to,
        lang,
        units_of_the_time: args.units_of_the_time,
        date,
    };
    let url = crate::config::database_url(args.db.db.clone(), file);
    let backend = crate::db::open(&url).await?;
    let svc = Service::new(backend);
    let started = std::time::Instant::now();
    eprintln!("building the {} report …", kind.code());
    // The command line works with the database's own rights: every organisation.
    let (doc, timings) =
        match ngoaivu_report::build_with_timings(&svc, &Actor::system(), &spec, args.timings).await
        {
            Ok(d) => d,
            Err(ReportError::Store(StoreError::NotFound)) => {
                bail!("no organisation {:?} (see `ngoaivu org list`)", spec.org)
            }
            Err(e) => bail!("{e}"),
        };
    let built = started.elapsed();
    if args.timings {
        for (label, took, rows) in &timings {
            eprintln!(
                "  query {label:<32} {:>9.1} ms {rows:>8} groups",
                took.as_secs_f64() * 1000.0
            );
        }
        let queries: f64 = timings.iter().map(|t| t.1.as_secs_f64()).sum();
        eprintln!("  figures queries total {:>22.1} ms", queries * 1000.0);
        eprintln!(
            "  figures and document {:>23.1} ms",
            built.as_secs_f64() * 1000.0
        );
    }
    eprintln!("writing {} …", format.extension());
    let render_start = std::time::Instant::now();
    let bytes = ngoaivu_report::render(&doc, format).map_err(|e| anyhow::anyhow!(e))?;
    if args.timings {
        eprintln!(
            "  writing {:<10} {:>26.1} ms",
            format.extension(),
            render_start.elapsed().as_secs_f64() * 1000.0
        );
    }
    if args.output.as_os_str() == "-" {
        std::io::stdout().write_all(&bytes)?;
    } else {
        std::fs::write(&args.output, &bytes)
            .with_context(|| format!("cannot write {}", args.output.display()))?;
        eprintln!(
            "wrote {} ({} bytes) in {:.2} s",
            args.output.display(),
            bytes.len(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

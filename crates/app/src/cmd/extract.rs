//! `ngoaivu extract`: the report reader on the command line. A thin wrapper:
//! the work is in `ngoaivu_extract` (its `cli_support` module does the file
//! reading, output naming and score table).

use std::path::PathBuf;

use anyhow::bail;
use ngoaivu_extract::cli_support::{self, ExtractOptions};

/// Read facts (figures and foreign partnerships) from narrative reports.
///
/// Inputs are plain text (.txt), HTML pages (.html, .htm), Word files
/// (.docx) or text-layer PDFs (.pdf); a FOLDER stands for the documents in
/// it (recursively). One FILE prints its facts as pretty JSON; several print
/// one compact JSON document per line (JSON Lines), in the order given. Files
/// are read in parallel (--jobs); progress and a summary (files read, facts
/// found, files refused and why) go to stderr. Each
/// file's date is taken from NAME.meta.json beside it ({"date": "2022-12-20"})
/// when present, else from --date; without either, the report's year is
/// inferred from the text.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  ngoaivu extract --date 2022-12-20 report.txt\n  ngoaivu extract --out facts/ reports/*.txt\n  ngoaivu extract --out facts/ reports/\n  ngoaivu extract --score gold/ facts/"
)]
pub(crate) struct ExtractArgs {
    /// Reports to read (.txt, .html, .htm, .docx, .pdf), or folders of them.
    #[arg(value_name = "FILE", required_unless_present = "score")]
    pub files: Vec<PathBuf>,

    /// The documents' date (YYYY-MM-DD, YYYY-MM or YYYY), used where no NAME.meta.json is beside a file.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,

    /// Write NAME.facts.json into DIR for each input NAME.txt/.html/.docx/.pdf instead of printing.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Score the NAME.facts.json files of PRED_DIR against those of GOLD_DIR and print
    /// precision, recall and F1 for observations and partnerships (as shared/tools/score-facts).
    #[arg(long, num_args = 2, value_names = ["GOLD_DIR", "PRED_DIR"], conflicts_with_all = ["files", "out", "date"])]
    pub score: Option<Vec<PathBuf>>,

    /// With --score: print only the per-file and overall lines, not the misses and false hits.
    #[arg(long, short, requires = "score")]
    pub quiet: bool,

    /// Extra foreign partners: a CSV with the columns name, aliases, country, kind, source
    /// (like crates/extract/data/foreign_partners.csv).
    #[arg(long, value_name = "CSV")]
    pub partners: Option<PathBuf>,

    /// Files read in parallel (default: the machine's cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
}

pub(crate) fn run(args: ExtractArgs) -> anyhow::Result<()> {
    let score = match args.score {
        Some(dirs) => match <[PathBuf; 2]>::try_from(dirs) {
            Ok([gold, pred]) => Some((gold, pred)),
            Err(_) => bail!("--score takes two folders: GOLD_DIR PRED_DIR"),
        },
        None => None,
    };
    let opts = ExtractOptions {
        files: args.files,
        date: args.date,
        out: args.out,
        score,
        partners: args.partners,
        quiet: args.quiet,
        jobs: args.jobs,
    };
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    cli_support::run_with(&opts, &mut lock, &mut std::io::stderr())?;
    Ok(())
}

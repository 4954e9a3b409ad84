//! `ngoaivu iati export|import`: an organisation's aid projects (ODA and
//! foreign NGO aid) as IATI 2.03 activities, and an IATI file's activities
//! in the province imported with the same review as a workbook. The work
//! is `ngoaivu_transfer::iati` (records) and `ngoaivu_iati` (the XML).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Subcommand;
use ngoaivu_store::Service;

use super::import::{org_actor, print_review};
use crate::values::LangArg;

#[derive(Subcommand, Debug)]
pub(crate) enum IatiCmd {
    /// Write the organisation's ODA and NGO aid projects as an IATI 2.03 activities file.
    #[command(
        after_help = "Example:\n  ngoaivu iati export --org dak-lak --year 2023 -o dak-lak-2023.xml"
    )]
    Export {
        #[command(flatten)]
        db: crate::DbArg,
        /// The organisation (`dak-lak` …).
        #[arg(long)]
        org: String,
        /// Only projects approved (or started) in this year.
        #[arg(long)]
        year: Option<i32>,
        /// The file to write (`-` for standard output).
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// Import an IATI file's activities located in the province as aid projects, after a review; all or nothing.
    #[command(
        after_help = "Example:\n  ngoaivu iati import --org dak-lak --dry-run activities.xml"
    )]
    Import {
        #[command(flatten)]
        db: crate::DbArg,
        /// The organisation the projects belong to.
        #[arg(long)]
        org: String,
        /// Print the review and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the review as JSON.
        #[arg(long)]
        json: bool,
        /// Language of the review.
        #[arg(long, value_enum, default_value_t = LangArg::Vi)]
        lang: LangArg,
        /// The IATI XML file.
        file: PathBuf,
    },
}

pub(crate) async fn run(cmd: IatiCmd, file: &crate::config::FileConfig) -> anyhow::Result<()> {
    match cmd {
        IatiCmd::Export {
            db,
            org,
            year,
            output,
        } => {
            if let Some(y) = year
                && !(1900..=2100).contains(&y)
            {
                bail!("--year {y}: use a year from 1900 to 2100");
            }
            if output.as_os_str() != "-" && output.exists() {
                bail!(
                    "{} already exists; choose a new file name",
                    output.display()
                );
            }
            let url = crate::config::database_url(db.db.clone(), file);
            let svc = Service::new(crate::db::open(&url).await?);
            let actor = org_actor(&svc, &org, "iati export").await?;
            let xml = ngoaivu_transfer::iati::export(&svc, &actor, year)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            if output.as_os_str() == "-" {
                std::io::stdout().write_all(xml.as_bytes())?;
            } else {
                std::fs::write(&output, &xml)
                    .with_context(|| format!("cannot write {}", output.display()))?;
                eprintln!("wrote {} ({} bytes)", output.display(), xml.len());
            }
            Ok(())
        }
        IatiCmd::Import {
            db,
            org,
            dry_run,
            json,
            lang,
            file: path,
        } => {
            let lang = ngoaivu_core::Lang::from(lang);
            let bytes =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let url = crate::config::database_url(db.db.clone(), file);
            let svc = Service::new(crate::db::open(&url).await?);
            let actor = org_actor(&svc, &org, "iati import").await?;
            let fail = |e: ngoaivu_transfer::import::ImportError| anyhow::anyhow!(e.message(lang));
            let review = ngoaivu_transfer::iati::review(&svc, &actor, &name, &bytes)
                .await
                .map_err(fail)?;
            let mut out = std::io::stdout().lock();
            if json {
                serde_json::to_writer_pretty(&mut out, &review)?;
                writeln!(out)?;
            } else {
                print_review(&mut out, &review, lang)?;
                for s in &review.skipped {
                    writeln!(
                        out,
                        "{}: {} — {}",
                        lang.pick("bỏ qua", "skipped"),
                        s.what,
                        lang.pick(&s.message, &s.message_en)
                    )?;
                }
            }
            drop(out);
            if review.summary.errors > 0 {
                bail!(
                    ngoaivu_transfer::import::ImportError::HasErrors(review.summary.errors)
                        .message(lang)
                );
            }
            if dry_run {
                eprintln!(
                    "{}",
                    lang.pick(
                        "--dry-run: không có gì được ghi.",
                        "--dry-run: nothing was written."
                    )
                );
                return Ok(());
            }
            let outcome = ngoaivu_transfer::import::commit(&svc, &actor, review)
                .await
                .map_err(fail)?;
            eprintln!(
                "{}",
                match lang {
                    ngoaivu_core::Lang::Vi => format!(
                        "đã nhập: {} dự án và đối tác mới, {} cập nhật, {} không đổi",
                        outcome.created.len(),
                        outcome.updated,
                        outcome.unchanged
                    ),
                    ngoaivu_core::Lang::En => format!(
                        "imported: {} new projects and partners, {} updated, {} unchanged",
                        outcome.created.len(),
                        outcome.updated,
                        outcome.unchanged
                    ),
                }
            );
            Ok(())
        }
    }
}

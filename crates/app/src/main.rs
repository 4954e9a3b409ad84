//! `ngoaivu`: one binary for the records core of Vietnam's provincial
//! foreign-affairs work. This file only parses the command line and calls
//! the library crates (see ARCHITECTURE.md for the map).

mod cmd {
    pub(crate) mod backup;
    pub(crate) mod docs;
    pub(crate) mod extract;
    pub(crate) mod healthcheck;
    pub(crate) mod iati;
    pub(crate) mod import;
    pub(crate) mod remind;
    pub(crate) mod report;
}
mod config;
mod db;
mod values;

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::{Args, CommandFactory, Parser, Subcommand};
use ngoaivu_core::{Actor, OrgKind, Role};
use ngoaivu_http::{AppState, HttpConfig, auth};
use ngoaivu_store::{NewOrg, NewUser, Service};

use config::FileConfig;

#[derive(Parser, Debug)]
#[command(
    name = "ngoaivu",
    version,
    about = "ngoaivu: hồ sơ công tác đối ngoại địa phương (provincial foreign-affairs records)"
)]
struct Cli {
    /// Config file (TOML). Default: ngoaivu.toml in the working directory, if present.
    #[arg(long, global = true, env = "NGOAIVU_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Debug, Clone)]
pub(crate) struct DbArg {
    /// Database: an SQLite file (`sqlite:ngoaivu.db`, the default) or a PostgreSQL URL (`postgres://user@host/db`).
    // The value may hold a password: --help names the variable, never shows it.
    #[arg(long, env = "NGOAIVU_DATABASE_URL", hide_env_values = true)]
    pub(crate) db: Option<String>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the web API and pages (migrates the database; creates a missing SQLite file only with --init or --demo).
    Serve {
        #[command(flatten)]
        db: DbArg,
        /// Address to listen on.
        #[arg(long, env = "NGOAIVU_LISTEN")]
        listen: Option<String>,
        /// On an empty database, load the demo data (the five reports, and illustrative investment-catalog projects, an NGO registration and a consular case) and create demo accounts, printing their passwords once.
        #[arg(long)]
        demo: bool,
        /// Create the SQLite database file when there is none. Without it (or
        /// --demo) a missing file stops the start: a wrong --db path or a lost
        /// file must not become an empty system.
        #[arg(long)]
        init: bool,
        /// With --demo: the shared fixtures folder whose reports (narrative/ and narrative-dev/) the reader reads and whose reviewed facts are loaded. Default: ../shared/fixtures beside the working directory or the checkout.
        #[arg(long, env = "NGOAIVU_DEMO_REPORTS", value_name = "DIR")]
        demo_reports: Option<PathBuf>,
    },
    /// The configuration.
    #[command(subcommand)]
    Config(ConfigCmd),
    /// Ask a running server whether it is ready (`/readyz`): exit 0 when it
    /// is, 1 when not (for container and supervisor health checks).
    Healthcheck {
        /// The server's address. Default: http://<listen>/readyz from the
        /// settings (NGOAIVU_LISTEN, listen), else http://127.0.0.1:8080/readyz.
        #[arg(long)]
        url: Option<String>,
    },
    /// Create or bring the database schema up to date, then exit.
    Migrate {
        #[command(flatten)]
        db: DbArg,
    },
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCmd),
    /// Organisations: provinces, the Ministry, missions abroad.
    #[command(subcommand)]
    Org(OrgCmd),
    /// Fill a database with a deterministic synthetic national dataset.
    Gen {
        #[command(flatten)]
        db: DbArg,
        /// Number of records.
        #[arg(long, default_value_t = 100_000)]
        records: u64,
        /// Seed: the same seed and size give the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Read facts (figures, foreign partnerships) from narrative reports: text, HTML, DOCX or PDF (a file, or a folder of them read in parallel).
    Extract(cmd::extract::ExtractArgs),
    /// Make a province's annual or term report, or the national summary, as HTML, DOCX, XLSX or PDF.
    Report(cmd::report::ReportArgs),
    /// Import a workbook (XLSX, XLS, ODS, CSV) of one record type, after a review; all or nothing.
    Import(cmd::import::ImportArgs),
    /// IATI 2.03 for aid projects: export an organisation's ODA and NGO aid projects, or import an IATI file's activities.
    #[command(subcommand)]
    Iati(cmd::iati::IatiCmd),
    /// Public holidays and working Saturdays, added to those of data/holidays.csv (deadlines count working days).
    #[command(subcommand)]
    Holiday(HolidayCmd),
    /// List the reminders due per user (approvals waiting, reports due and overdue, agreements expiring, delegations starting soon).
    Remind {
        #[command(flatten)]
        db: DbArg,
        /// Only list what would be sent; sends nothing. Without it the reminders are e-mailed through NGOAIVU_SMTP_URL (refused when none is configured).
        #[arg(long)]
        dry_run: bool,
        /// The day to compute for (YYYY-MM-DD); default today in Vietnam.
        #[arg(long)]
        date: Option<String>,
    },
    /// Put a backup in place of the database. SQLite: the server must be stopped; the database that was there is kept beside it (renamed *.before-restore-TIME). PostgreSQL: the database's content is replaced in one transaction (needs --replace).
    Restore {
        #[command(flatten)]
        db: DbArg,
        /// The backup file (written by `ngoaivu backup`).
        input: PathBuf,
        /// PostgreSQL: yes, replace what the database holds now.
        #[arg(long)]
        replace: bool,
    },
    /// Copy the database to a file (SQLite: a consistent copy, safe while serving; PostgreSQL: pg_dump custom format).
    Backup {
        #[command(flatten)]
        db: DbArg,
        /// The backup file to write (must not exist).
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// Print the shell completion script for SHELL to standard output
    /// (e.g. `ngoaivu completions bash > /etc/bash_completion.d/ngoaivu`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Man pages: print ngoaivu(1) to standard output, or with --dir write it
    /// and one page per subcommand (ngoaivu-serve.1, ngoaivu-user-add.1 …).
    Man {
        /// Write the pages into DIR (created if missing), e.g. /usr/local/share/man/man1.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
enum ConfigCmd {
    /// Print every setting as the server would use it and where it comes
    /// from (flag, environment, config file, default); secrets masked.
    Show,
}

#[derive(Subcommand, Debug)]
enum UserCmd {
    /// Add an account; the password is read from standard input.
    Add {
        #[command(flatten)]
        db: DbArg,
        /// Organisation slug (`vinh-long`, `bo-ngoai-giao`, `dsq-lao` …; see `ngoaivu org list`).
        #[arg(long)]
        org: String,
        /// The account's role in its organisation.
        #[arg(long, value_enum)]
        role: values::RoleArg,
        /// Grant consular work: the account reads and keeps consular cases
        /// (personal data; every read is audited).
        #[arg(long)]
        consular: bool,
        username: String,
    },
    /// List accounts.
    List {
        #[command(flatten)]
        db: DbArg,
        /// Only this organisation's.
        #[arg(long)]
        org: Option<String>,
    },
    /// Grant consular work (reading consular cases) to an account, or with
    /// --revoke withdraw it.
    Consular {
        #[command(flatten)]
        db: DbArg,
        /// Withdraw the grant instead.
        #[arg(long)]
        revoke: bool,
        username: String,
    },
    /// Disable an account and end its sessions.
    Disable {
        #[command(flatten)]
        db: DbArg,
        username: String,
    },
    /// Enable a disabled account.
    Enable {
        #[command(flatten)]
        db: DbArg,
        username: String,
    },
    /// Set the e-mail address reminders go to (an empty address removes it).
    SetEmail {
        #[command(flatten)]
        db: DbArg,
        username: String,
        email: String,
    },
    /// Set a new password (read from standard input) and end the account's sessions.
    ResetPassword {
        #[command(flatten)]
        db: DbArg,
        username: String,
    },
}

#[derive(Subcommand, Debug)]
enum HolidayCmd {
    /// Add (or rename) a day off, or with --working a weekend day worked in exchange (ngày làm bù).
    Add {
        #[command(flatten)]
        db: DbArg,
        /// The day, YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// Its name in Vietnamese (“Nghỉ bù Quốc khánh”).
        #[arg(long)]
        name: String,
        /// Its name in English; default the Vietnamese name.
        #[arg(long)]
        name_en: Option<String>,
        /// A working day (a Saturday worked in exchange for a day off), not a day off.
        #[arg(long)]
        working: bool,
    },
    /// List the calendar's days of a year: the file's and those added.
    List {
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        year: i32,
    },
}

#[derive(Subcommand, Debug)]
enum OrgCmd {
    /// List organisations.
    List {
        #[command(flatten)]
        db: DbArg,
    },
    /// Set the name of an organisation's foreign-affairs office (not every province kept a Sở Ngoại vụ after 2025).
    SetOffice {
        #[command(flatten)]
        db: DbArg,
        slug: String,
        office_name: String,
    },
    /// Add a mission abroad (embassy or consulate-general).
    AddMission {
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        /// ISO 3166-1 alpha-2 country code.
        #[arg(long)]
        country: String,
        #[arg(long)]
        city: String,
    },
}

/// Logging as configured; a filter or format that does not parse stops
/// the program with the setting's name (instead of logging otherwise).
fn init_logging(file: &FileConfig) -> anyhow::Result<()> {
    use tracing_subscriber::EnvFilter;
    let (filter, from) = match std::env::var("NGOAIVU_LOG") {
        Ok(v) => (v, "NGOAIVU_LOG (environment)"),
        Err(_) => match &file.log {
            Some(v) => (v.clone(), "log (config file)"),
            None => ("info,sqlx=warn".into(), "default"),
        },
    };
    let filter = EnvFilter::try_new(&filter).map_err(|e| {
        anyhow::anyhow!("{from}: “{filter}” is not a log filter ({e}); e.g. info,sqlx=warn")
    })?;
    let (format, from) = match std::env::var("NGOAIVU_LOG_FORMAT") {
        Ok(v) => (v, "NGOAIVU_LOG_FORMAT (environment)"),
        Err(_) => match &file.log_format {
            Some(v) => (v.clone(), "log_format (config file)"),
            None => ("text".into(), "default"),
        },
    };
    let json = match format.trim() {
        "json" => true,
        "text" | "" => false,
        other => anyhow::bail!("{from}: “{other}” is not a log format; use text or json"),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
    Ok(())
}

fn read_password(prompt: &str) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("{prompt}");
        std::io::stderr().flush().ok();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let pw = line.trim_end_matches(['\n', '\r']).to_owned();
    if pw.is_empty() {
        bail!(
            "no password on standard input (Chưa nhập mật khẩu). Example: echo 'a long passphrase' | ngoaivu user add …"
        );
    }
    if let Err((vi, en)) = auth::check_new_password(&pw) {
        bail!("{vi} ({en})");
    }
    Ok(pw)
}

/// Output piped into `head` or `less` that stops reading ends the program
/// quietly, as for any Unix tool, instead of a panic from `println!`.
fn default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first in main, before any thread exists; it only
    // restores the default action of one signal, which Rust's runtime set to
    // "ignore".
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[tokio::main]
async fn main() {
    default_sigpipe();
    let cli = Cli::parse();
    // Completions and man pages come from the command line's definition
    // alone: they neither need nor read the configuration.
    let docs = match &cli.command {
        Command::Completions { shell } => Some(cmd::docs::completions(Cli::command(), *shell)),
        Command::Man { dir } => Some(cmd::docs::man(Cli::command(), dir.as_deref())),
        _ => None,
    };
    if let Some(done) = docs {
        if let Err(e) = done {
            eprintln!("error: {e:#}");
            std::process::exit(1);
        }
        return;
    }
    let file = match FileConfig::load(cli.config.as_deref()) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(2);
        }
    };
    if let Err(e) = init_logging(&file) {
        eprintln!("error: {e:#}");
        std::process::exit(2);
    }
    match config::sqlite_durability(&file) {
        Ok(d) => db::set_sqlite_durability(d),
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(2);
        }
    }
    // The legal periods, refused before anything runs when one is wrong.
    if let Err(e) = config::workflow_settings(&file) {
        eprintln!("error: {e:#}");
        std::process::exit(2);
    }
    let config_path = cli.config.clone();
    if let Err(e) = run(cli.command, file, config_path).await {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

async fn open(db: &DbArg, file: &FileConfig) -> anyhow::Result<Arc<dyn ngoaivu_store::Backend>> {
    db::open(&config::database_url(db.db.clone(), file)).await
}

async fn org_id(backend: &dyn ngoaivu_store::Backend, slug: &str) -> anyhow::Result<i64> {
    match backend
        .org_by_slug(slug)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
    {
        Some(o) => Ok(o.id),
        None => bail!("no organisation “{slug}” (see `ngoaivu org list`)"),
    }
}

async fn run(
    command: Command,
    file: FileConfig,
    config_path: Option<PathBuf>,
) -> anyhow::Result<()> {
    let system = Actor::system();
    match command {
        Command::Serve {
            db,
            listen,
            demo,
            demo_reports,
            init,
        } => serve(db, listen, demo || init, demo, demo_reports, file).await,
        Command::Holiday(cmd) => holiday(cmd, &file).await,
        Command::Remind { db, dry_run, date } => remind(db, dry_run, date, &file).await,
        Command::Config(ConfigCmd::Show) => {
            print!("{}", config::show(&file, config_path.as_deref())?);
            Ok(())
        }
        Command::Healthcheck { url } => {
            let url = url.unwrap_or_else(|| {
                let listen = std::env::var("NGOAIVU_LISTEN")
                    .ok()
                    .or_else(|| file.listen.clone())
                    .unwrap_or_else(|| config::DEFAULT_LISTEN.into());
                // A wildcard address is reached on loopback.
                let listen = listen
                    .replace("0.0.0.0:", "127.0.0.1:")
                    .replace("[::]:", "[::1]:");
                format!("http://{listen}/readyz")
            });
            match cmd::healthcheck::probe(&url, std::time::Duration::from_secs(5)) {
                Ok((200, body)) => {
                    println!("ready: {url} {body}");
                    Ok(())
                }
                Ok((status, body)) => {
                    eprintln!("not ready: {url} answered {status} {body}");
                    std::process::exit(1)
                }
                Err(e) => {
                    eprintln!("not ready: {url}: {e}");
                    std::process::exit(1)
                }
            }
        }
        Command::Migrate { db } => {
            let backend = open(&db, &file).await?;
            println!("{}: schema up to date", backend.describe());
            Ok(())
        }
        Command::User(cmd) => match cmd {
            UserCmd::Add {
                db,
                org,
                role,
                consular,
                username,
            } => {
                let role = Role::from(role);
                if username.trim().is_empty()
                    || username.len() > 64
                    || username.chars().any(char::is_whitespace)
                {
                    bail!("a username has 1 to 64 characters and no spaces");
                }
                let backend = open(&db, &file).await?;
                let org_id = org_id(backend.as_ref(), &org).await?;
                let pw = read_password("Mật khẩu / Password: ")?;
                let hash = auth::hash_password(&pw)?;
                let user = backend
                    .add_user(
                        &system,
                        NewUser {
                            org_id,
                            username: username.clone(),
                            role,
                            password_hash: hash,
                            consular,
                        },
                    )
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                println!(
                    "added {} ({}, {})",
                    user.username,
                    user.org,
                    user.role.as_str()
                );
                Ok(())
            }
            UserCmd::List { db, org } => {
                let backend = open(&db, &file).await?;
                let filter = match org {
                    Some(s) => Some(org_id(backend.as_ref(), &s).await?),
                    None => None,
                };
                let users = backend
                    .list_users(filter)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                println!(
                    "{:<28} {:<22} {:<9} {:<8} STATE",
                    "USERNAME", "ORG", "ROLE", "CONSULAR"
                );
                for u in users {
                    println!(
                        "{:<28} {:<22} {:<9} {:<8} {}",
                        u.username,
                        u.org,
                        u.role.as_str(),
                        if u.consular { "yes" } else { "-" },
                        if u.disabled { "disabled" } else { "active" }
                    );
                }
                Ok(())
            }
            UserCmd::Consular {
                db,
                revoke,
                username,
            } => {
                let backend = open(&db, &file).await?;
                backend
                    .set_consular(&system, &username, !revoke)
                    .await
                    .map_err(|e| anyhow::anyhow!("no user “{username}”: {e}"))?;
                if revoke {
                    println!("{username}: consular work withdrawn");
                } else {
                    println!("{username}: may read consular cases (every read is audited)");
                }
                Ok(())
            }
            UserCmd::Disable { db, username } => {
                let backend = open(&db, &file).await?;
                backend
                    .set_disabled(&system, &username, true)
                    .await
                    .map_err(|e| anyhow::anyhow!("no user “{username}”: {e}"))?;
                println!("disabled {username}; its sessions are ended");
                Ok(())
            }
            UserCmd::SetEmail {
                db,
                username,
                email,
            } => {
                let email = email.trim();
                if !email.is_empty() && email.parse::<lettre::Address>().is_err() {
                    bail!("“{email}” is not an e-mail address (Địa chỉ thư điện tử không hợp lệ)");
                }
                let backend = open(&db, &file).await?;
                backend
                    .set_user_email(&system, &username, Some(email).filter(|e| !e.is_empty()))
                    .await
                    .map_err(|e| anyhow::anyhow!("no user “{username}”: {e}"))?;
                println!(
                    "{username}: {}",
                    if email.is_empty() {
                        "no e-mail address"
                    } else {
                        email
                    }
                );
                Ok(())
            }
            UserCmd::Enable { db, username } => {
                let backend = open(&db, &file).await?;
                backend
                    .set_disabled(&system, &username, false)
                    .await
                    .map_err(|e| anyhow::anyhow!("no user “{username}”: {e}"))?;
                println!("enabled {username}");
                Ok(())
            }
            UserCmd::ResetPassword { db, username } => {
                let backend = open(&db, &file).await?;
                let pw = read_password("Mật khẩu mới / New password: ")?;
                let hash = auth::hash_password(&pw)?;
                backend
                    .set_password(&system, &username, &hash)
                    .await
                    .map_err(|e| anyhow::anyhow!("no user “{username}”: {e}"))?;
                println!("password of {username} changed; its sessions are ended");
                Ok(())
            }
        },
        Command::Org(cmd) => match cmd {
            OrgCmd::List { db } => {
                let backend = open(&db, &file).await?;
                println!(
                    "{:<22} {:<9} {:<5} {:<40} OFFICE",
                    "SLUG", "KIND", "CODE", "NAME"
                );
                for o in backend
                    .list_orgs()
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?
                {
                    println!(
                        "{:<22} {:<9} {:<5} {:<40} {}",
                        o.slug,
                        o.kind.as_str(),
                        o.code.unwrap_or_default(),
                        o.name,
                        o.office_name.unwrap_or_default()
                    );
                }
                Ok(())
            }
            OrgCmd::SetOffice {
                db,
                slug,
                office_name,
            } => {
                if office_name.trim().is_empty() || office_name.chars().count() > 200 {
                    bail!("the office name has 1 to 200 characters");
                }
                let backend = open(&db, &file).await?;
                let id = org_id(backend.as_ref(), &slug).await?;
                let org = backend
                    .set_org_office(&system, id, office_name.trim())
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                println!("{}: {}", org.slug, org.office_name.unwrap_or_default());
                Ok(())
            }
            OrgCmd::AddMission {
                db,
                slug,
                name,
                country,
                city,
            } => {
                let country = country.to_ascii_uppercase();
                if ngoaivu_core::refdata::refdata().country(&country).is_none() {
                    bail!("“{country}” is not an ISO 3166-1 alpha-2 country code");
                }
                if slug != ngoaivu_core::fold::slugify(&slug) {
                    bail!("a slug is lowercase ASCII words joined by hyphens, like dsq-nhat-ban");
                }
                let backend = open(&db, &file).await?;
                let org = backend
                    .add_org(
                        &system,
                        NewOrg {
                            slug,
                            kind: OrgKind::Mission,
                            name,
                            office_name: None,
                            country: Some(country),
                            city: Some(city),
                            code: None,
                        },
                    )
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                println!("added mission {} ({})", org.slug, org.name);
                Ok(())
            }
        },
        Command::Gen { db, records, seed } => generate(db, records, seed, file).await,
        Command::Extract(args) => cmd::extract::run(args),
        Command::Report(args) => cmd::report::run(args, &file).await,
        Command::Import(args) => cmd::import::run(args, &file).await,
        Command::Iati(c) => cmd::iati::run(c, &file).await,
        Command::Backup { db, output } => {
            let url = config::database_url(db.db.clone(), &file);
            if output.exists() {
                bail!(
                    "{} already exists; choose a new file name",
                    output.display()
                );
            }
            if db::is_postgres(&url) {
                cmd::backup::postgres(&url, &output)?;
            } else {
                let path = ngoaivu_store_sqlite::path_of(&url);
                if !std::path::Path::new(path).exists() {
                    bail!("no database at {path}: nothing to back up (give the right --db)");
                }
                let backend =
                    ngoaivu_store_sqlite::SqliteBackend::open_with(&url, db::sqlite_durability())
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?;
                backend
                    .backup_to(&output.to_string_lossy())
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
            }
            println!("backup written to {}", output.display());
            Ok(())
        }
        // Run by main before the configuration is read; here for completeness.
        Command::Completions { shell } => cmd::docs::completions(Cli::command(), shell),
        Command::Man { dir } => cmd::docs::man(Cli::command(), dir.as_deref()),
        Command::Restore { db, input, replace } => {
            let url = config::database_url(db.db.clone(), &file);
            if !input.is_file() {
                bail!("{}: no such backup file", input.display());
            }
            if db::is_postgres(&url) {
                if !replace {
                    bail!(
                        "restoring replaces everything the PostgreSQL database holds now; take a backup of it first, then run again with --replace"
                    );
                }
                cmd::backup::restore_postgres(&url, &input)?;
                println!("restored {} into the PostgreSQL database", input.display());
            } else {
                let target = ngoaivu_store_sqlite::path_of(&url);
                let kept =
                    ngoaivu_store_sqlite::restore_database_file(&input.to_string_lossy(), target)
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?;
                println!("restored {} to {target}", input.display());
                if let Some(kept) = kept {
                    println!("the database that was there is kept as {kept}");
                }
            }
            println!(
                "start the server (ngoaivu serve); it brings an older backup's schema up to date"
            );
            Ok(())
        }
    }
}

async fn serve(
    db: DbArg,
    listen: Option<String>,
    may_create: bool,
    demo: bool,
    demo_reports: Option<PathBuf>,
    file: FileConfig,
) -> anyhow::Result<()> {
    let url = config::database_url(db.db.clone(), &file);
    let listen = listen
        .or_else(|| file.listen.clone())
        .unwrap_or_else(|| config::DEFAULT_LISTEN.into());
    // Settings first: a bad one stops the start before anything is opened.
    let proxy = config::proxy_config(&file)?;
    let mut http = HttpConfig {
        proxy,
        metrics: config::metrics_config(&file)?,
        ..HttpConfig::default()
    };
    if let Some(h) =
        config::number::<i64>("NGOAIVU_SESSION_HOURS", "session_hours", file.session_hours)?
    {
        http.session_ttl = time::Duration::hours(h);
    }
    if let Some(m) = config::number::<usize>(
        "NGOAIVU_ATTACHMENT_MAX_MIB",
        "attachment_max_mib",
        file.attachment_max_mib,
    )? {
        http.attachment_max_bytes = m * 1024 * 1024;
    }
    if let Some(m) = config::number::<usize>(
        "NGOAIVU_IMPORT_MAX_MIB",
        "import_max_mib",
        file.import_max_mib,
    )? {
        http.import_max_bytes = m * 1024 * 1024;
    }
    if let Some(t) = config::number::<u64>(
        "NGOAIVU_HEADER_TIMEOUT_SECS",
        "header_timeout_secs",
        file.header_timeout_secs,
    )? {
        http.header_read_timeout = std::time::Duration::from_secs(t.max(1));
    }
    if let Some(k) = config::number::<usize>(
        "NGOAIVU_BODY_LIMIT_KIB",
        "body_limit_kib",
        file.body_limit_kib,
    )? {
        http.body_limit = k * 1024;
    }
    let workflow = config::workflow_settings(&file)?;
    if !url.starts_with("postgres") {
        let path = ngoaivu_store_sqlite::path_of(&url);
        if !may_create && path != ":memory:" && !std::path::Path::new(path).exists() {
            bail!(
                "no database at {path}. Give the right --db (NGOAIVU_DATABASE_URL), restore a backup (ngoaivu restore), or create a new, empty database with `ngoaivu serve --init` (or `ngoaivu migrate`).\nKhông có cơ sở dữ liệu tại {path}: hãy chỉ đúng --db, phục hồi bản sao lưu, hoặc tạo cơ sở dữ liệu mới bằng `ngoaivu serve --init`."
            );
        }
    }
    let backend = db::open(&url).await?;
    if !db::is_postgres(&url) {
        tracing::info!(
            synchronous = ?db::sqlite_durability(),
            "SQLite: every commit synced to disk when Full (sqlite_synchronous)"
        );
    }
    let service = Service::new(backend.clone()).with_settings(workflow);
    if demo {
        load_demo(&service, demo_reports.as_deref()).await?;
    }
    // The daily digest runs inside the server, only when a server to send
    // through is configured.
    match cmd::remind::smtp(&file) {
        Some(smtp) => {
            tracing::info!("daily reminders at 07:00 (UTC+7) through the configured SMTP server");
            tokio::spawn(cmd::remind::daily(service.clone(), backend.clone(), smtp));
        }
        None => tracing::info!("no SMTP server configured: reminders are not e-mailed"),
    }
    let proxy_origin = http.proxy.public_url.as_ref().map(|u| u.origin());
    let metrics_on = http.metrics.is_some();
    if !http.proxy.trusted_proxies.is_empty() {
        tracing::info!(proxies = ?http.proxy.trusted_proxies, "forwarding headers trusted from these proxies");
    }
    let state = AppState::new(service, http)?;
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, database = %backend.describe(), "ngoaivu listening");
    println!("ngoaivu đang chạy tại / listening on http://{addr}");
    println!("Cơ sở dữ liệu / database: {}", backend.describe());
    match &proxy_origin {
        Some(o) => println!("Trang web / web: {o}/login (public_url; here http://{addr}/login)"),
        None => println!("Trang web / web: http://{addr}/login"),
    }
    if metrics_on {
        println!("Số đo / metrics (Prometheus): http://{addr}/metrics");
    }
    println!("API: http://{addr}/api/v1/openapi.json — Ctrl+C để dừng / to stop");
    // SIGTERM (systemctl stop, docker stop) and SIGINT (Ctrl+C): stop
    // accepting, let the requests in flight finish (at most GRACE), then
    // flush the database and exit 0.
    const GRACE: std::time::Duration = std::time::Duration::from_secs(20);
    let stopping = Arc::new(tokio::sync::Notify::new());
    let shutdown = {
        let stopping = stopping.clone();
        async move {
            let signal = stop_signal().await;
            tracing::info!(
                signal,
                grace_secs = GRACE.as_secs(),
                "stopping: no new connections; finishing the requests in flight"
            );
            stopping.notify_waiters();
        }
    };
    let served =
        ngoaivu_http::serve_with_listener_and(listener, state, ngoaivu_web::routes(), shutdown);
    tokio::select! {
        r = served => r?,
        () = async {
            stopping.notified().await;
            tokio::time::sleep(GRACE).await;
        } => {
            tracing::warn!(grace_secs = GRACE.as_secs(), "requests still running after the grace period: stopping anyway");
        }
    }
    backend.close().await;
    tracing::info!("stopped; the database is flushed");
    println!("ngoaivu đã dừng / stopped");
    Ok(())
}

/// The first of SIGTERM and SIGINT, by name.
async fn stop_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = tokio::signal::ctrl_c() => "SIGINT",
                _ = term.recv() => "SIGTERM",
            },
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM; Ctrl+C still stops");
                let _ = tokio::signal::ctrl_c().await;
                "SIGINT"
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "SIGINT"
    }
}

async fn holiday(cmd: HolidayCmd, file: &FileConfig) -> anyhow::Result<()> {
    use ngoaivu_core::workdays::{DayKind, Holiday};
    match cmd {
        HolidayCmd::Add {
            db,
            date,
            name,
            name_en,
            working,
        } => {
            let Some(d) = ngoaivu_core::values::parse_date(&date) else {
                bail!("“{date}” is not a date: write YYYY-MM-DD (Ngày viết theo dạng YYYY-MM-DD)");
            };
            let name = name.trim().to_owned();
            if name.is_empty() || name.chars().count() > 200 {
                bail!("a name has 1 to 200 characters (Tên ngày nghỉ từ 1 đến 200 ký tự)");
            }
            let backend = open(&db, file).await?;
            let day = Holiday {
                date: d,
                name_en: name_en.unwrap_or_else(|| name.clone()),
                name_vi: name,
                kind: if working {
                    DayKind::Working
                } else {
                    DayKind::Off
                },
            };
            Service::new(backend)
                .add_holiday(&Actor::system(), &day)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "{} {}: {}",
                if working {
                    "ngày làm bù / working day"
                } else {
                    "ngày nghỉ / day off"
                },
                ngoaivu_core::values::format_date_vi(d),
                day.name_vi
            );
            Ok(())
        }
        HolidayCmd::List { db, year } => {
            let backend = open(&db, file).await?;
            let cal = Service::new(backend)
                .calendar()
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            for h in cal.holidays().filter(|h| h.date.year() == year) {
                println!(
                    "{}  {:<8} {}",
                    ngoaivu_core::values::format_date_vi(h.date),
                    if h.kind == DayKind::Working {
                        "làm bù"
                    } else {
                        "nghỉ"
                    },
                    h.name_vi
                );
            }
            Ok(())
        }
    }
}

/// `ngoaivu remind`: each active user's reminders of the day, listed
/// (`--dry-run`) or e-mailed through the configured SMTP server.
async fn remind(
    db: DbArg,
    dry_run: bool,
    date: Option<String>,
    file: &FileConfig,
) -> anyhow::Result<()> {
    let today = match date {
        Some(d) => match ngoaivu_core::values::parse_date(&d) {
            Some(d) => d,
            None => bail!("“{d}” is not a date: write YYYY-MM-DD"),
        },
        None => ngoaivu_store::service::today_in_vietnam(),
    };
    let smtp = cmd::remind::smtp(file);
    if !dry_run && smtp.is_none() {
        bail!(
            "no SMTP server is configured (NGOAIVU_SMTP_URL); use --dry-run to list what would be sent (Chưa cấu hình máy chủ thư; dùng --dry-run để xem danh sách)"
        );
    }
    let backend = open(&db, file).await?;
    let service = Service::new(backend.clone()).with_settings(config::workflow_settings(file)?);
    cmd::remind::run(&service, &backend, today, dry_run, smtp.as_ref()).await
}

async fn load_demo(service: &Service, reports_dir: Option<&std::path::Path>) -> anyhow::Result<()> {
    if service
        .count_records()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        > 0
    {
        println!(
            "--demo: the database already has records; the demo is loaded only into an empty database (its accounts were printed then; `ngoaivu user reset-password` sets a new password)."
        );
        return Ok(());
    }
    let started = Instant::now();
    let n = ngoaivu_seed::demo::load(service, |done, total| {
        if done == total || done % 20 == 0 {
            eprintln!("demo: {done}/{total} records");
        }
    })
    .await?;
    ngoaivu_seed::demo::load_channel(service).await?;
    load_demo_workbook(service).await?;
    let reports = load_demo_reports(service, reports_dir).await?;
    let system = Actor::system();
    println!();
    println!(
        "Dữ liệu mẫu đã nạp / demo loaded: {n} records from the five reports, illustrative catalog projects, an NGO registration and a consular case, a request from Đắk Lắk answered by the embassy in Japan, two market notes, and Vĩnh Long's sample register data/demo-workbook.xlsx imported through the importer ({:.1} s).",
        started.elapsed().as_secs_f64()
    );
    if let Some(r) = reports {
        println!("{r}");
    }
    println!(
        "Tài khoản mẫu (mật khẩu chỉ in một lần) / demo accounts (passwords are shown only now):"
    );
    println!("  {:<26} {:<16} {:<9} PASSWORD", "USERNAME", "ORG", "ROLE");
    for org in ngoaivu_seed::demo::DEMO_ORGS {
        let org_id = service
            .org_by_slug(org)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .map(|o| o.id)
            .ok_or_else(|| anyhow::anyhow!("no organisation “{org}”"))?;
        for role in Role::ALL {
            let username = format!("{org}-{}", role.as_str());
            let pw = auth::random_password()?;
            let hash = auth::hash_password(&pw)?;
            match service
                .add_user(
                    &system,
                    NewUser {
                        org_id,
                        username: username.clone(),
                        role,
                        password_hash: hash,
                        // Consular cases hold personal data: the demo's
                        // approvers and administrators read them, its
                        // viewers and editors do not.
                        consular: role >= Role::Approver,
                    },
                )
                .await
            {
                Ok(_) => println!("  {:<26} {:<16} {:<9} {}", username, org, role.as_str(), pw),
                Err(e) => println!("  {username}: not created ({e})"),
            }
        }
    }
    println!();
    println!(
        "Công tác lãnh sự (đọc hồ sơ lãnh sự, bảo hộ công dân) / consular work: the -approver and -admin accounts."
    );
    println!();
    Ok(())
}

/// The shared reports, read by the reader and kept as reviewed documents
/// with their reviewed facts as records (`ngoaivu_seed::reports`). Without
/// the shared folder the demo goes on without them, saying so.
async fn load_demo_reports(
    service: &Service,
    dir: Option<&std::path::Path>,
) -> anyhow::Result<Option<String>> {
    let Some(fixtures) = ngoaivu_seed::reports::find_fixtures(dir) else {
        let msg = match dir {
            Some(d) => format!("demo: {} has no narrative/ folder; the shared reports are not loaded", d.display()),
            None => "demo: ../shared/fixtures not found (give it with --demo-reports DIR); the shared reports are not loaded".to_owned(),
        };
        tracing::warn!("{msg}");
        eprintln!("{msg}");
        return Ok(None);
    };
    let five = ngoaivu_seed::demo::report_orgs()?;
    let r = ngoaivu_seed::reports::load(service, &fixtures, &five, |done, total| {
        if done == total || done % 10 == 0 {
            eprintln!("demo: reports {done}/{total}");
        }
    })
    .await?;
    for s in &r.skipped {
        tracing::warn!(fact = %s, "demo: a reviewed fact was not loaded");
    }
    Ok(Some(format!(
        "Báo cáo mẫu / demo reports: {} texts of {} read by the reader (F1 {:.3} for figures, {:.3} for partnerships against their reviewed facts); {} documents kept as reviewed, with {} figures, {} partners and {} agreements{}.",
        r.texts,
        fixtures.display(),
        r.f1.0,
        r.f1.1,
        r.documents,
        r.observations,
        r.partners,
        r.agreements,
        if r.skipped.is_empty() {
            String::new()
        } else {
            format!(
                "; {} reviewed facts not loaded (see the log)",
                r.skipped.len()
            )
        }
    )))
}

/// The sample register (`data/demo-workbook.xlsx`, illustrative rows) of
/// Vĩnh Long's delegations and agreements, imported sheet by sheet through
/// the same review and import as any upload, so that a new user sees what
/// an import gives (and has a workbook to try one with).
const DEMO_WORKBOOK: &[u8] = include_bytes!("../../../data/demo-workbook.xlsx");

async fn load_demo_workbook(service: &Service) -> anyhow::Result<()> {
    use ngoaivu_transfer::import::{self, MappingChoice, Upload};
    let actor = cmd::import::org_actor(service, "vinh-long", "demo import").await?;
    for (sheet, rt) in [
        ("Đoàn ra", ngoaivu_core::RecordType::Delegation),
        ("Đoàn vào", ngoaivu_core::RecordType::Delegation),
        ("Thỏa thuận", ngoaivu_core::RecordType::Agreement),
    ] {
        let review = import::review(
            service,
            &actor,
            rt,
            Upload {
                file_name: "demo-workbook.xlsx",
                bytes: DEMO_WORKBOOK,
            },
            &MappingChoice::Propose {
                sheet: Some(sheet.into()),
            },
            &ngoaivu_sheets::Limits::default(),
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo workbook, sheet {sheet}: {e}"))?;
        let outcome = import::commit(service, &actor, review)
            .await
            .map_err(|e| anyhow::anyhow!("demo workbook, sheet {sheet}: {e}"))?;
        eprintln!(
            "demo: data/demo-workbook.xlsx, sheet “{sheet}”: {} records imported",
            outcome.created.len()
        );
    }
    Ok(())
}

async fn generate(db: DbArg, records: u64, seed: u64, file: FileConfig) -> anyhow::Result<()> {
    let backend = open(&db, &file).await?;
    let orgs: Vec<ngoaivu_seed::synth::GenOrg> = backend
        .list_orgs()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .into_iter()
        .filter(|o| o.kind == OrgKind::Province)
        .map(|o| ngoaivu_seed::synth::GenOrg {
            id: o.id,
            slug: o.slug,
            name: o.name,
        })
        .collect();
    eprintln!(
        "gen: {records} records for {} provinces into {} (seed {seed})",
        orgs.len(),
        backend.describe()
    );
    let mut generator = ngoaivu_seed::synth::Generator::new(seed);
    let started = Instant::now();
    let system = Actor::system();
    let per_org = records / orgs.len() as u64;
    let extra = records % orgs.len() as u64;
    let mut done: u64 = 0;
    let mut last_report = 0u64;
    const BATCH: u64 = 5_000;
    for (i, org) in orgs.iter().enumerate() {
        let mut left = per_org + u64::from((i as u64) < extra);
        while left > 0 {
            let size = left.min(BATCH);
            let batch = generator.batch(org, size as usize)?;
            backend
                .bulk_insert(&system, batch, &format!("ngoaivu gen --seed {seed}"))
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            left -= size;
            done += size;
            if done - last_report >= records / 20 || done == records {
                last_report = done;
                let rate = done as f64 / started.elapsed().as_secs_f64().max(0.001);
                eprintln!(
                    "gen: {done}/{records} ({}%), {:.0} records/s",
                    done * 100 / records.max(1),
                    rate
                );
            }
        }
    }
    eprintln!("gen: refreshing the query planner's statistics");
    backend
        .analyze()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "generated {done} records in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn verify_cli() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}

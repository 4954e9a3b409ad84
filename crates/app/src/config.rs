//! Settings: command-line flag, then environment variable, then the config
//! file (`--config FILE`, else `ngoaivu.toml` in the working directory if
//! present), then the default. Every setting is listed in README.md.

use std::path::{Path, PathBuf};

use anyhow::Context;
use ngoaivu_core::workflow::Settings;
use serde::Deserialize;

pub const DEFAULT_DB: &str = "sqlite:ngoaivu.db";
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database_url: Option<String>,
    pub listen: Option<String>,
    pub session_hours: Option<i64>,
    pub body_limit_kib: Option<usize>,
    pub attachment_max_mib: Option<usize>,
    /// Largest workbook or IATI file an import accepts.
    pub import_max_mib: Option<usize>,
    pub log: Option<String>,
    pub log_format: Option<String>,
    /// Legal periods of the workflows (`[workflow]` table); each also from
    /// the environment (`NGOAIVU_DELEGATION_REPORT_DAYS` …).
    pub workflow: Option<WorkflowFile>,
    /// The SMTP server reminders are e-mailed through (none by default).
    pub smtp_url: Option<String>,
    /// The sender of reminders.
    pub smtp_from: Option<String>,
    /// The address users type (`https://ngoaivu.example.gov.vn`), when
    /// ngoaivu is behind a reverse proxy.
    pub public_url: Option<String>,
    /// The reverse proxies whose forwarding headers count (CIDRs).
    pub trusted_proxies: Option<Vec<String>>,
}

/// The `[workflow]` table: any period left out keeps the law's default.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkflowFile {
    pub delegation_report_days: Option<u32>,
    pub ministry_answer_days: Option<u32>,
    pub agreement_report_days: Option<u32>,
    pub abtc_validity_years: Option<u32>,
    pub abtc_min_months: Option<u32>,
}

/// The workflows' legal periods: environment, then `[workflow]` in the
/// file, then the defaults of `ngoaivu_core::workflow::Settings`.
pub fn workflow_settings(file: &FileConfig) -> anyhow::Result<Settings> {
    let mut s = Settings::default();
    let f = file.workflow.as_ref();
    let pick = |env: &str, from_file: Option<u32>, default: u32| -> anyhow::Result<u32> {
        match std::env::var(env) {
            Ok(v) => v.trim().parse().with_context(|| {
                format!("{env}={v} is not a whole number of days, months or years")
            }),
            Err(_) => Ok(from_file.unwrap_or(default)),
        }
    };
    s.delegation_report_days = pick(
        "NGOAIVU_DELEGATION_REPORT_DAYS",
        f.and_then(|f| f.delegation_report_days),
        s.delegation_report_days,
    )?;
    s.ministry_answer_days = pick(
        "NGOAIVU_MINISTRY_ANSWER_DAYS",
        f.and_then(|f| f.ministry_answer_days),
        s.ministry_answer_days,
    )?;
    s.agreement_report_days = pick(
        "NGOAIVU_AGREEMENT_REPORT_DAYS",
        f.and_then(|f| f.agreement_report_days),
        s.agreement_report_days,
    )?;
    s.abtc_validity_years = pick(
        "NGOAIVU_ABTC_VALIDITY_YEARS",
        f.and_then(|f| f.abtc_validity_years),
        s.abtc_validity_years,
    )?;
    s.abtc_min_months = pick(
        "NGOAIVU_ABTC_MIN_MONTHS",
        f.and_then(|f| f.abtc_min_months),
        s.abtc_min_months,
    )?;
    Ok(s)
}

impl FileConfig {
    pub fn load(explicit: Option<&Path>) -> anyhow::Result<FileConfig> {
        let path: PathBuf = match explicit {
            Some(p) => p.to_owned(),
            None => {
                let p = PathBuf::from("ngoaivu.toml");
                if !p.exists() {
                    return Ok(FileConfig::default());
                }
                p
            }
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read the config file {}", path.display()))?;
        toml::from_str(&text)
            .with_context(|| format!("the config file {} is not valid", path.display()))
    }
}

/// The database URL from flag/env (already merged by clap), the file, or the default.
pub fn database_url(flag_or_env: Option<String>, file: &FileConfig) -> String {
    flag_or_env
        .or_else(|| file.database_url.clone())
        .unwrap_or_else(|| DEFAULT_DB.to_owned())
}

/// The proxy settings: `NGOAIVU_PUBLIC_URL` / `public_url` and
/// `NGOAIVU_TRUSTED_PROXIES` / `trusted_proxies`. A value that does not
/// parse stops the start with the setting's name and where it came from.
pub fn proxy_config(file: &FileConfig) -> anyhow::Result<ngoaivu_http::proxy::ProxyConfig> {
    use ngoaivu_http::proxy::{PublicUrl, parse_cidrs};
    let public_url = match std::env::var("NGOAIVU_PUBLIC_URL") {
        Ok(v) if !v.trim().is_empty() => Some(
            v.parse::<PublicUrl>()
                .map_err(|e| anyhow::anyhow!("NGOAIVU_PUBLIC_URL (environment): {e}"))?,
        ),
        _ => match &file.public_url {
            Some(v) => Some(
                v.parse::<PublicUrl>()
                    .map_err(|e| anyhow::anyhow!("public_url (config file): {e}"))?,
            ),
            None => None,
        },
    };
    let trusted_proxies = match std::env::var("NGOAIVU_TRUSTED_PROXIES") {
        Ok(v) => parse_cidrs(&v)
            .map_err(|e| anyhow::anyhow!("NGOAIVU_TRUSTED_PROXIES (environment): {e}"))?,
        Err(_) => match &file.trusted_proxies {
            Some(list) => parse_cidrs(&list.join(","))
                .map_err(|e| anyhow::anyhow!("trusted_proxies (config file): {e}"))?,
            None => vec![],
        },
    };
    Ok(ngoaivu_http::proxy::ProxyConfig {
        public_url,
        trusted_proxies,
    })
}

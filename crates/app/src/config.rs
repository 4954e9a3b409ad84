//! Settings: command-line flag, then environment variable, then the config
//! file (`--config FILE`, else `ngoaivu.toml` in the working directory if
//! present), then the default. Every setting is listed in README.md.

use std::path::{Path, PathBuf};

use anyhow::Context;
use ngoaivu_core::records::VnLevel;
use ngoaivu_core::workflow::{DayCount, Levels, Settings};
use serde::Deserialize;

pub(crate) const DEFAULT_DB: &str = "sqlite:ngoaivu.db";
pub(crate) const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileConfig {
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
    /// Seconds a connection has to send a request header (idle keep-alive
    /// connections are closed after as long).
    pub header_timeout_secs: Option<u64>,
    /// SQLite's `synchronous`: `full` (default) or `normal`.
    pub sqlite_synchronous: Option<String>,
    /// `/metrics` for Prometheus (off by default).
    pub metrics: Option<bool>,
    /// Networks besides loopback that may read `/metrics` (CIDRs).
    pub metrics_allow: Option<Vec<String>>,
}

/// The `[workflow]` table: any period left out keeps the law's default.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WorkflowFile {
    pub delegation_report_days: Option<u32>,
    /// `calendar` or `working`.
    pub delegation_report_counting: Option<String>,
    pub ministry_answer_days: Option<u32>,
    pub ministry_answer_counting: Option<String>,
    pub consultation_answer_days: Option<u32>,
    pub consultation_answer_counting: Option<String>,
    pub agreement_report_days: Option<u32>,
    pub agreement_report_counting: Option<String>,
    /// The Vietnamese party's levels that report to the Prime Minister:
    /// `["province"]`.
    pub agreement_report_pm_levels: Option<Vec<String>>,
    pub pm_referral_days: Option<u32>,
    pub pm_referral_counting: Option<String>,
    pub aid_appraisal_days: Option<u32>,
    pub aid_appraisal_counting: Option<String>,
    pub aid_report_days: Option<u32>,
    pub aid_report_counting: Option<String>,
    pub abtc_validity_years: Option<u32>,
    pub abtc_min_months: Option<u32>,
    pub conference_lead_days: Option<u32>,
    pub conference_lead_days_pm: Option<u32>,
    pub conference_answer_days: Option<u32>,
    pub conference_answer_counting: Option<String>,
    pub conference_report_days: Option<u32>,
    pub conference_report_counting: Option<String>,
}

/// The workflows' legal periods: environment, then `[workflow]` in the
/// file, then the defaults of `ngoaivu_core::workflow::Settings`.
pub(crate) fn workflow_settings(file: &FileConfig) -> anyhow::Result<Settings> {
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
    s.consultation_answer_days = pick(
        "NGOAIVU_CONSULTATION_ANSWER_DAYS",
        f.and_then(|f| f.consultation_answer_days),
        s.consultation_answer_days,
    )?;
    s.agreement_report_days = pick(
        "NGOAIVU_AGREEMENT_REPORT_DAYS",
        f.and_then(|f| f.agreement_report_days),
        s.agreement_report_days,
    )?;
    s.pm_referral_days = pick(
        "NGOAIVU_PM_REFERRAL_DAYS",
        f.and_then(|f| f.pm_referral_days),
        s.pm_referral_days,
    )?;
    s.aid_appraisal_days = pick(
        "NGOAIVU_AID_APPRAISAL_DAYS",
        f.and_then(|f| f.aid_appraisal_days),
        s.aid_appraisal_days,
    )?;
    s.aid_report_days = pick(
        "NGOAIVU_AID_REPORT_DAYS",
        f.and_then(|f| f.aid_report_days),
        s.aid_report_days,
    )?;
    let counting = |env: &str,
                    key: &str,
                    from_file: Option<&String>,
                    default: DayCount|
     -> anyhow::Result<DayCount> {
        let (value, source) = match std::env::var(env) {
            Ok(v) => (v, env.to_owned()),
            Err(_) => match from_file {
                Some(v) => (
                    v.clone(),
                    format!("[workflow] {key} in the configuration file"),
                ),
                None => return Ok(default),
            },
        };
        DayCount::parse(&value).with_context(|| {
            format!("{source} = {value:?}: give calendar (every day counts) or working (weekends and holidays skipped)")
        })
    };
    s.delegation_report_counting = counting(
        "NGOAIVU_DELEGATION_REPORT_COUNTING",
        "delegation_report_counting",
        f.and_then(|f| f.delegation_report_counting.as_ref()),
        s.delegation_report_counting,
    )?;
    s.ministry_answer_counting = counting(
        "NGOAIVU_MINISTRY_ANSWER_COUNTING",
        "ministry_answer_counting",
        f.and_then(|f| f.ministry_answer_counting.as_ref()),
        s.ministry_answer_counting,
    )?;
    s.consultation_answer_counting = counting(
        "NGOAIVU_CONSULTATION_ANSWER_COUNTING",
        "consultation_answer_counting",
        f.and_then(|f| f.consultation_answer_counting.as_ref()),
        s.consultation_answer_counting,
    )?;
    s.agreement_report_counting = counting(
        "NGOAIVU_AGREEMENT_REPORT_COUNTING",
        "agreement_report_counting",
        f.and_then(|f| f.agreement_report_counting.as_ref()),
        s.agreement_report_counting,
    )?;
    s.pm_referral_counting = counting(
        "NGOAIVU_PM_REFERRAL_COUNTING",
        "pm_referral_counting",
        f.and_then(|f| f.pm_referral_counting.as_ref()),
        s.pm_referral_counting,
    )?;
    s.aid_appraisal_counting = counting(
        "NGOAIVU_AID_APPRAISAL_COUNTING",
        "aid_appraisal_counting",
        f.and_then(|f| f.aid_appraisal_counting.as_ref()),
        s.aid_appraisal_counting,
    )?;
    s.aid_report_counting = counting(
        "NGOAIVU_AID_REPORT_COUNTING",
        "aid_report_counting",
        f.and_then(|f| f.aid_report_counting.as_ref()),
        s.aid_report_counting,
    )?;
    let levels = match std::env::var("NGOAIVU_AGREEMENT_REPORT_PM_LEVELS") {
        Ok(v) => Some((v, "NGOAIVU_AGREEMENT_REPORT_PM_LEVELS".to_owned())),
        Err(_) => f
            .and_then(|f| f.agreement_report_pm_levels.as_ref())
            .map(|l| {
                (
                    l.join(","),
                    "[workflow] agreement_report_pm_levels in the configuration file".to_owned(),
                )
            }),
    };
    if let Some((value, source)) = levels {
        s.agreement_report_pm_levels = Levels::parse(&value).map_err(|bad| {
            anyhow::anyhow!(
                "{source} = {value:?}: {bad:?} is not a level; give some of {}",
                VnLevel::CODES.join(", ")
            )
        })?;
    }
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
    s.conference_lead_days = pick(
        "NGOAIVU_CONFERENCE_LEAD_DAYS",
        f.and_then(|f| f.conference_lead_days),
        s.conference_lead_days,
    )?;
    s.conference_lead_days_pm = pick(
        "NGOAIVU_CONFERENCE_LEAD_DAYS_PM",
        f.and_then(|f| f.conference_lead_days_pm),
        s.conference_lead_days_pm,
    )?;
    s.conference_answer_days = pick(
        "NGOAIVU_CONFERENCE_ANSWER_DAYS",
        f.and_then(|f| f.conference_answer_days),
        s.conference_answer_days,
    )?;
    s.conference_report_days = pick(
        "NGOAIVU_CONFERENCE_REPORT_DAYS",
        f.and_then(|f| f.conference_report_days),
        s.conference_report_days,
    )?;
    s.conference_answer_counting = counting(
        "NGOAIVU_CONFERENCE_ANSWER_COUNTING",
        "conference_answer_counting",
        f.and_then(|f| f.conference_answer_counting.as_ref()),
        s.conference_answer_counting,
    )?;
    s.conference_report_counting = counting(
        "NGOAIVU_CONFERENCE_REPORT_COUNTING",
        "conference_report_counting",
        f.and_then(|f| f.conference_report_counting.as_ref()),
        s.conference_report_counting,
    )?;
    Ok(s)
}

impl FileConfig {
    pub(crate) fn load(explicit: Option<&Path>) -> anyhow::Result<FileConfig> {
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
pub(crate) fn database_url(flag_or_env: Option<String>, file: &FileConfig) -> String {
    flag_or_env
        .or_else(|| secret_file("NGOAIVU_DATABASE_URL"))
        .or_else(|| file.database_url.clone())
        .unwrap_or_else(|| DEFAULT_DB.to_owned())
}

/// A secret from the file named by `<VAR>_FILE` (Docker and systemd
/// credentials), used when `<VAR>` itself is not set: the secret stays out
/// of the environment other processes can read. Trailing line ends are
/// dropped; an unreadable file stops the program with its name.
pub(crate) fn secret_file(var: &str) -> Option<String> {
    if std::env::var_os(var).is_some() {
        return None;
    }
    let path = std::env::var(format!("{var}_FILE")).ok()?;
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s.trim_end_matches(['\n', '\r']).to_owned()),
        Err(e) => {
            eprintln!("error: {var}_FILE={path}: cannot read it ({e})");
            std::process::exit(2);
        }
    }
}

/// Secrets are shown as `***` (a URL keeps its scheme, user and host).
pub(crate) fn mask_secret(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => match rest.split_once('@') {
            Some((userinfo, host)) => {
                let user = userinfo.split(':').next().unwrap_or("");
                if userinfo.contains(':') {
                    format!("{scheme}://{user}:***@{host}")
                } else {
                    url.to_owned()
                }
            }
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// The proxy settings: `NGOAIVU_PUBLIC_URL` / `public_url` and
/// `NGOAIVU_TRUSTED_PROXIES` / `trusted_proxies`. A value that does not
/// parse stops the start with the setting's name and where it came from.
pub(crate) fn proxy_config(file: &FileConfig) -> anyhow::Result<ngoaivu_http::proxy::ProxyConfig> {
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

/// `NGOAIVU_SQLITE_SYNCHRONOUS` / `sqlite_synchronous`: `full` (the
/// default: every commit synced) or `normal`.
pub(crate) fn sqlite_durability(
    file: &FileConfig,
) -> anyhow::Result<ngoaivu_store_sqlite::Durability> {
    match std::env::var("NGOAIVU_SQLITE_SYNCHRONOUS") {
        Ok(v) => v
            .parse()
            .map_err(|e| anyhow::anyhow!("NGOAIVU_SQLITE_SYNCHRONOUS (environment): {e}")),
        Err(_) => match &file.sqlite_synchronous {
            Some(v) => v
                .parse()
                .map_err(|e| anyhow::anyhow!("sqlite_synchronous (config file): {e}")),
            None => Ok(Default::default()),
        },
    }
}

/// The metrics page: `NGOAIVU_METRICS` / `metrics` (on: `1`, `true`, `yes`,
/// `on`; off: `0`, `false`, `no`, `off`, empty) and `NGOAIVU_METRICS_ALLOW`
/// / `metrics_allow`. Anything else stops the start, naming the setting.
pub(crate) fn metrics_config(
    file: &FileConfig,
) -> anyhow::Result<Option<ngoaivu_http::metrics::MetricsConfig>> {
    let on = match std::env::var("NGOAIVU_METRICS") {
        Ok(v) => match v.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => true,
            "0" | "false" | "no" | "off" | "" => false,
            _ => anyhow::bail!("NGOAIVU_METRICS={v} (environment) is not on or off; use 1 or 0"),
        },
        Err(_) => file.metrics.unwrap_or(false),
    };
    if !on {
        return Ok(None);
    }
    use ngoaivu_http::proxy::parse_cidrs;
    let allow = match std::env::var("NGOAIVU_METRICS_ALLOW") {
        Ok(v) => parse_cidrs(&v)
            .map_err(|e| anyhow::anyhow!("NGOAIVU_METRICS_ALLOW (environment): {e}"))?,
        Err(_) => match &file.metrics_allow {
            Some(list) => parse_cidrs(&list.join(","))
                .map_err(|e| anyhow::anyhow!("metrics_allow (config file): {e}"))?,
            None => vec![],
        },
    };
    Ok(Some(ngoaivu_http::metrics::MetricsConfig { allow }))
}

/// A numeric setting: the environment variable, else the file's key, else
/// none. A value that does not parse stops the start, naming the setting
/// and where it came from (it is never silently ignored).
pub(crate) fn number<T: std::str::FromStr>(
    env: &str,
    key: &str,
    from_file: Option<T>,
) -> anyhow::Result<Option<T>> {
    match std::env::var(env) {
        Ok(v) => v.trim().parse::<T>().map(Some).map_err(|_| {
            anyhow::anyhow!("{env}={v} (environment) is not a valid number for {key}")
        }),
        Err(_) => Ok(from_file),
    }
}

/// `ngoaivu config show`: every setting as the server would use it, where
/// it comes from, secrets masked. Values that do not parse are refused as
/// `serve` would refuse them.
pub(crate) fn show(file: &FileConfig, file_path: Option<&Path>) -> anyhow::Result<String> {
    let file_name = file_path
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "ngoaivu.toml".into());
    let mut rows: Vec<(String, String, String)> = vec![];
    let mut row =
        |name: &str, env: &str, from_file: Option<String>, default: &str, secret: bool| {
            let (value, source) = if let Ok(v) = std::env::var(env) {
                (v, format!("environment {env}"))
            } else if let Some(v) = secret.then(|| secret_file(env)).flatten() {
                (v, format!("file named by {env}_FILE"))
            } else if let Some(v) = from_file {
                (v, format!("{file_name}: {name}"))
            } else {
                (default.to_owned(), "default".into())
            };
            let value = if secret { mask_secret(&value) } else { value };
            rows.push((name.to_owned(), value, source));
        };
    let n = |v: Option<usize>| v.map(|x| x.to_string());
    row(
        "database_url",
        "NGOAIVU_DATABASE_URL",
        file.database_url.clone(),
        DEFAULT_DB,
        true,
    );
    row(
        "listen",
        "NGOAIVU_LISTEN",
        file.listen.clone(),
        DEFAULT_LISTEN,
        false,
    );
    row(
        "public_url",
        "NGOAIVU_PUBLIC_URL",
        file.public_url.clone(),
        "(the request's own host)",
        false,
    );
    row(
        "trusted_proxies",
        "NGOAIVU_TRUSTED_PROXIES",
        file.trusted_proxies.as_ref().map(|l| l.join(",")),
        "(none)",
        false,
    );
    row(
        "session_hours",
        "NGOAIVU_SESSION_HOURS",
        file.session_hours.map(|h| h.to_string()),
        "12",
        false,
    );
    row(
        "body_limit_kib",
        "NGOAIVU_BODY_LIMIT_KIB",
        n(file.body_limit_kib),
        "1024",
        false,
    );
    row(
        "attachment_max_mib",
        "NGOAIVU_ATTACHMENT_MAX_MIB",
        n(file.attachment_max_mib),
        "20",
        false,
    );
    row(
        "import_max_mib",
        "NGOAIVU_IMPORT_MAX_MIB",
        n(file.import_max_mib),
        "50",
        false,
    );
    row(
        "sqlite_synchronous",
        "NGOAIVU_SQLITE_SYNCHRONOUS",
        file.sqlite_synchronous.clone(),
        "full",
        false,
    );
    row(
        "header_timeout_secs",
        "NGOAIVU_HEADER_TIMEOUT_SECS",
        file.header_timeout_secs.map(|s| s.to_string()),
        "30",
        false,
    );
    row(
        "metrics",
        "NGOAIVU_METRICS",
        file.metrics.map(|b| b.to_string()),
        "false",
        false,
    );
    row(
        "metrics_allow",
        "NGOAIVU_METRICS_ALLOW",
        file.metrics_allow.as_ref().map(|l| l.join(",")),
        "(loopback only)",
        false,
    );
    row(
        "log",
        "NGOAIVU_LOG",
        file.log.clone(),
        "info,sqlx=warn",
        false,
    );
    row(
        "log_format",
        "NGOAIVU_LOG_FORMAT",
        file.log_format.clone(),
        "text",
        false,
    );
    row(
        "smtp_url",
        "NGOAIVU_SMTP_URL",
        file.smtp_url.clone(),
        "(none: reminders are not e-mailed)",
        true,
    );
    row(
        "smtp_from",
        "NGOAIVU_SMTP_FROM",
        file.smtp_from.clone(),
        "ngoaivu <ngoaivu@localhost>",
        false,
    );
    // Checked as serve checks them.
    number::<i64>("NGOAIVU_SESSION_HOURS", "session_hours", file.session_hours)?;
    number::<usize>(
        "NGOAIVU_BODY_LIMIT_KIB",
        "body_limit_kib",
        file.body_limit_kib,
    )?;
    number::<usize>(
        "NGOAIVU_ATTACHMENT_MAX_MIB",
        "attachment_max_mib",
        file.attachment_max_mib,
    )?;
    number::<usize>(
        "NGOAIVU_IMPORT_MAX_MIB",
        "import_max_mib",
        file.import_max_mib,
    )?;
    number::<u64>(
        "NGOAIVU_HEADER_TIMEOUT_SECS",
        "header_timeout_secs",
        file.header_timeout_secs,
    )?;
    proxy_config(file)?;
    metrics_config(file)?;
    sqlite_durability(file)?;
    let w = workflow_settings(file)?;
    for (key, days, counting, env) in [
        (
            "delegation_report",
            w.delegation_report_days,
            w.delegation_report_counting,
            "DELEGATION_REPORT",
        ),
        (
            "ministry_answer",
            w.ministry_answer_days,
            w.ministry_answer_counting,
            "MINISTRY_ANSWER",
        ),
        (
            "consultation_answer",
            w.consultation_answer_days,
            w.consultation_answer_counting,
            "CONSULTATION_ANSWER",
        ),
        (
            "agreement_report",
            w.agreement_report_days,
            w.agreement_report_counting,
            "AGREEMENT_REPORT",
        ),
        (
            "conference_answer",
            w.conference_answer_days,
            w.conference_answer_counting,
            "CONFERENCE_ANSWER",
        ),
        (
            "conference_report",
            w.conference_report_days,
            w.conference_report_counting,
            "CONFERENCE_REPORT",
        ),
        (
            "pm_referral",
            w.pm_referral_days,
            w.pm_referral_counting,
            "PM_REFERRAL",
        ),
        (
            "aid_appraisal",
            w.aid_appraisal_days,
            w.aid_appraisal_counting,
            "AID_APPRAISAL",
        ),
        (
            "aid_report",
            w.aid_report_days,
            w.aid_report_counting,
            "AID_REPORT",
        ),
    ] {
        rows.push((
            format!("[workflow] {key}_days"),
            days.to_string(),
            format!("NGOAIVU_{env}_DAYS, file or default"),
        ));
        rows.push((
            format!("[workflow] {key}_counting"),
            counting.as_str().into(),
            format!("NGOAIVU_{env}_COUNTING, file or default"),
        ));
    }
    // Lead times count back from an opening: calendar days by nature.
    for (key, days, env) in [
        (
            "conference_lead_days",
            w.conference_lead_days,
            "CONFERENCE_LEAD_DAYS",
        ),
        (
            "conference_lead_days_pm",
            w.conference_lead_days_pm,
            "CONFERENCE_LEAD_DAYS_PM",
        ),
    ] {
        rows.push((
            format!("[workflow] {key}"),
            days.to_string(),
            format!("NGOAIVU_{env}, file or default"),
        ));
    }
    rows.push((
        "[workflow] agreement_report_pm_levels".into(),
        w.agreement_report_pm_levels.codes().join(","),
        "NGOAIVU_AGREEMENT_REPORT_PM_LEVELS, file or default".into(),
    ));
    let width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let vwidth = rows
        .iter()
        .map(|r| r.1.chars().count())
        .max()
        .unwrap_or(0)
        .min(60);
    Ok(rows
        .iter()
        .map(|(k, v, src)| format!("{k:<width$}  {v:<vwidth$}  ({src})\n"))
        .collect())
}

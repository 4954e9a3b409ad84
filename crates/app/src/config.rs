//! Settings: command-line flag, then environment variable, then the config
//! file (`--config FILE`, else `ngoaivu.toml` in the working directory if
//! present), then the default. Every setting is listed in README.md.

use std::path::{Path, PathBuf};

use anyhow::Context;
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
    pub log: Option<String>,
    pub log_format: Option<String>,
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

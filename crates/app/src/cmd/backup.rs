//! `ngoaivu backup` and `ngoaivu restore` of a PostgreSQL database: `pg_dump` into a temporary
//! file beside the destination, checked with `pg_restore --list`, then
//! renamed, so that an interrupted backup leaves nothing that looks whole.
//! The password goes to `pg_dump` through its environment (`PGPASSWORD`),
//! never on a command line where `ps` shows it; and `pg_dump` dies with
//! its parent.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};

/// `url` without its password, and the password.
fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_owned(), None);
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return (url.to_owned(), None);
    };
    match userinfo.split_once(':') {
        Some((user, pass)) => (
            format!("{scheme}://{user}@{host}"),
            Some(percent_decode(pass)),
        ),
        None => (url.to_owned(), None),
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A child process that receives SIGTERM when this one dies (Linux).
fn dies_with_parent(cmd: &mut Command) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: prctl is async-signal-safe; nothing else runs between
        // fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
                Ok(())
            });
        }
    }
}

pub(crate) fn postgres(url: &str, output: &Path) -> anyhow::Result<()> {
    let (url_no_pw, password) = split_password(url);
    let partial = output.with_extension(format!("partial-{}", std::process::id()));
    let _ = std::fs::remove_file(&partial);
    let mut dump = Command::new("pg_dump");
    dump.arg("--format=custom")
        .arg(format!("--file={}", partial.display()))
        .arg(&url_no_pw);
    if let Some(pw) = &password {
        dump.env("PGPASSWORD", pw);
    }
    dies_with_parent(&mut dump);
    let status = dump.status().context(
        "cannot run pg_dump (install the PostgreSQL client: apt-get install postgresql-client)",
    )?;
    if !status.success() {
        let _ = std::fs::remove_file(&partial);
        bail!("pg_dump failed ({status})");
    }
    let list = Command::new("pg_restore")
        .arg("--list")
        .arg(&partial)
        .output()
        .context("cannot run pg_restore to check the dump")?;
    let toc = String::from_utf8_lossy(&list.stdout);
    if !list.status.success()
        || !(toc.contains("_sqlx_migrations") || toc.contains("schema_migrations"))
    {
        let _ = std::fs::remove_file(&partial);
        bail!("the dump does not read back as a whole ngoaivu database (pg_restore --list)");
    }
    std::fs::rename(&partial, output)
        .with_context(|| format!("renaming the dump to {}", output.display()))?;
    Ok(())
}

/// `ngoaivu restore` into PostgreSQL: the dump is checked with
/// `pg_restore --list`, then restored in one transaction (`--clean
/// --if-exists --single-transaction --exit-on-error`): a failure leaves the
/// database as it was. The database's present content is replaced, so the
/// caller asks for `--replace` first.
pub(crate) fn restore_postgres(url: &str, input: &Path) -> anyhow::Result<()> {
    let (url_no_pw, password) = split_password(url);
    let list = Command::new("pg_restore")
        .arg("--list")
        .arg(input)
        .output()
        .context(
            "cannot run pg_restore (install the PostgreSQL client: apt-get install postgresql-client)",
        )?;
    let toc = String::from_utf8_lossy(&list.stdout);
    if !list.status.success()
        || !(toc.contains("_sqlx_migrations") || toc.contains("schema_migrations"))
    {
        bail!(
            "{} is not a backup of an ngoaivu PostgreSQL database (pg_restore --list)",
            input.display()
        );
    }
    let mut restore = Command::new("pg_restore");
    restore
        .args([
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
        ])
        .arg(format!("--dbname={url_no_pw}"))
        .arg(input);
    if let Some(pw) = &password {
        restore.env("PGPASSWORD", pw);
    }
    dies_with_parent(&mut restore);
    let status = restore.status().context("cannot run pg_restore")?;
    if !status.success() {
        bail!("pg_restore failed ({status}); the database is unchanged");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_url() {
        assert_eq!(
            split_password("postgres://ngoaivu:b%C3%AD%20m%E1%BA%ADt@db:5432/ngoaivu"),
            (
                "postgres://ngoaivu@db:5432/ngoaivu".into(),
                Some("bí mật".into())
            )
        );
        assert_eq!(
            split_password("postgres://ngoaivu@db/ngoaivu"),
            ("postgres://ngoaivu@db/ngoaivu".into(), None)
        );
    }
}

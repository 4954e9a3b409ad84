//! `ngoaivu completions SHELL` and `ngoaivu man [--dir DIR]`: the shell
//! completion scripts (`clap_complete`) and the man pages (`clap_mangen`),
//! made from the command line's own definition, so they list exactly the
//! commands, options and values the binary accepts. Neither reads the
//! configuration or opens a database: a package build can run them.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap_complete::Shell;

/// Print the completion script for `shell` to standard output.
pub(crate) fn completions(mut cmd: clap::Command, shell: Shell) -> anyhow::Result<()> {
    let name = cmd.get_name().to_owned();
    // Written whole, so that an error writing is reported, not a panic.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, name, &mut script);
    let mut out = std::io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(())
}

/// Without `dir`, print the main page (`ngoaivu.1`) to standard output;
/// with it, write the main page and one page per subcommand
/// (`ngoaivu-serve.1`, `ngoaivu-user-add.1` …) into `dir`, creating it.
pub(crate) fn man(cmd: clap::Command, dir: Option<&Path>) -> anyhow::Result<()> {
    // As clap_mangen::generate_to: no page for clap's `help` subcommand,
    // and the command built so that each subcommand knows its full name.
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    match dir {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut page)?;
            let mut out = std::io::stdout().lock();
            out.write_all(&page)?;
            out.flush()?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let mut written = Vec::new();
            write_pages(&cmd, dir, &mut written)
                .with_context(|| format!("cannot write the man pages into {}", dir.display()))?;
            eprintln!(
                "wrote {} man pages into {} ({} and one per subcommand)",
                written.len(),
                dir.display(),
                written
                    .first()
                    .and_then(|p| p.file_name())
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            );
        }
    }
    Ok(())
}

/// The page of `cmd`, then those of its subcommands, depth first.
fn write_pages(cmd: &clap::Command, dir: &Path, written: &mut Vec<PathBuf>) -> std::io::Result<()> {
    written.push(clap_mangen::Man::new(cmd.clone()).generate_to(dir)?);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub, dir, written)?;
    }
    Ok(())
}

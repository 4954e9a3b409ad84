//! The Corresponding Source the AGPL (§13) asks a network service to offer
//! its users: the committed tree this binary is built from, as
//! `git archive` makes it, served at `/source`. Built from a tree without
//! git, the archive is empty and the page says where the source is instead.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"))
        .join("../..");
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(&root)
            .output()
            .ok()
            .filter(|o| o.status.success())
    };
    // Rebuild the archive when a commit is made or checked out.
    if let Some(o) = git(&["rev-parse", "--absolute-git-dir"]) {
        let dir = String::from_utf8_lossy(&o.stdout).trim().to_owned();
        println!("cargo:rerun-if-changed={dir}/HEAD");
        println!("cargo:rerun-if-changed={dir}/logs/HEAD");
    }
    let commit = git(&["rev-parse", "HEAD"])
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let archive = git(&[
        "archive",
        "--format=tar.gz",
        &format!("--prefix=ngoaivu-{version}/"),
        "HEAD",
    ])
    .map(|o| o.stdout)
    .unwrap_or_default();
    std::fs::write(out.join("source.tar.gz"), archive).expect("write the source archive");
    println!("cargo:rustc-env=NGOAIVU_COMMIT={commit}");
}

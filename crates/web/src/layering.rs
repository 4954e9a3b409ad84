//! The crate's layers, checked on its own source: the kit (`src/kit`) never
//! uses a page (`crate::pages`), and a page area (`src/pages/X.rs` or
//! `src/pages/X/`) uses no other area (`crate::pages::Y`). With that, no
//! import cycle can run through two areas or through the kit; what two
//! pages share has to move into the kit.
//!
//! Every `crate::…`, `super::…` and `self::…` path of a file, written out or
//! in a `use` group (`use crate::{kit::x, pages::y}`), is resolved from the
//! file's own module, so `super::super::channel` from a records page counts
//! as `crate::pages::channel`. Whole-line comments are skipped (docs name
//! modules in prose).

use std::path::{Path, PathBuf};

/// The module path of a source file: `src/pages/records/detail.rs` is
/// `pages::records::detail`, a `mod.rs` its folder, `lib.rs` the root.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("a file under src/");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    match last.as_str() {
        "lib.rs" | "mod.rs" => {}
        name => parts.push(name.trim_end_matches(".rs").to_owned()),
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src/") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The paths a line of code names, as written: `crate::kit::layout`,
/// `super::detail::render_detail`; a group `crate::{a::b, c}` gives
/// `crate::a::b` and `crate::c`.
fn written_paths(line: &str) -> Vec<String> {
    let mut found = vec![];
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        let starts_word = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        let head = ["crate::", "super::", "self::"]
            .into_iter()
            .find(|h| rest.starts_with(h));
        let (Some(_), true) = (head, starts_word) else {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        // The path: words and `::`, up to a group, if any.
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        let path = rest[..len].trim_end_matches(':').to_owned();
        if rest[len..].starts_with('{') && rest[..len].ends_with("::") {
            let group = &rest[len + 1..];
            let inner = group.find('}').map_or(group, |end| &group[..end]);
            for item in inner.split(',') {
                let item = item.trim();
                let item = item.split(" as ").next().unwrap_or("").trim();
                if !item.is_empty() && item != "self" && item != "*" {
                    found.push(format!("{path}::{item}"));
                }
            }
        }
        found.push(path);
        i += len.max(1);
    }
    found
}

/// `path` as written in the module `here`, as a path from the crate root.
fn resolve(here: &[String], path: &str) -> Vec<String> {
    let mut parts = path.split("::").filter(|p| !p.is_empty());
    let mut at: Vec<String> = match parts.next() {
        Some("crate") => vec![],
        Some("self") => here.to_vec(),
        Some("super") => here[..here.len().saturating_sub(1)].to_vec(),
        _ => return vec![],
    };
    for p in parts {
        if p == "super" {
            at.pop();
        } else {
            at.push(p.to_owned());
        }
    }
    at
}

/// What the layers forbid in `source`, a file of module `here`.
fn violations(here: &[String], source: &str) -> Vec<String> {
    let mut out = vec![];
    for (n, line) in source.lines().enumerate() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        for path in written_paths(line) {
            let target = resolve(here, &path);
            if target.first().map(String::as_str) != Some("pages") {
                continue;
            }
            let refused = match here.first().map(String::as_str) {
                // The kit is below every page.
                Some("kit") => true,
                // A page area reaches only into itself.
                Some("pages") if here.len() > 1 => {
                    target.get(1).is_some_and(|area| *area != here[1])
                }
                _ => false,
            };
            if refused {
                out.push(format!(
                    "{}:{}: `{path}` ({})",
                    here.join("::"),
                    n + 1,
                    target.join("::")
                ));
            }
        }
    }
    out
}

#[test]
fn kit_uses_no_page_and_no_page_uses_another() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    rust_files(&src, &mut files);
    files.sort();
    let kit = files
        .iter()
        .filter(|f| f.starts_with(src.join("kit")))
        .count();
    let pages = files
        .iter()
        .filter(|f| f.starts_with(src.join("pages")))
        .count();
    assert!(
        kit >= 5 && pages >= 10,
        "src/kit and src/pages were not found"
    );
    let mut found = vec![];
    for file in &files {
        let source = std::fs::read_to_string(file).expect("read a source file");
        found.extend(violations(&module_of(&src, file), &source));
    }
    assert!(
        found.is_empty(),
        "the kit must not use a page, nor a page another page's area:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_sees_each_way_a_page_can_be_named() {
    let kit = ["kit".to_owned(), "layout".to_owned()];
    let detail = ["pages", "records", "detail"].map(str::to_owned);
    let channel = ["pages".to_owned(), "channel".to_owned()];
    assert_eq!(violations(&kit, "use crate::pages::channel;").len(), 1);
    assert_eq!(
        violations(&kit, "use crate::{kit::text, pages::search};").len(),
        1
    );
    assert_eq!(
        violations(&kit, "    let x = super::super::pages::tasks::f();").len(),
        1
    );
    assert_eq!(
        violations(&detail, "use super::super::channel::x;").len(),
        1
    );
    assert_eq!(
        violations(&detail, "(crate::pages::imports::list_links(u))").len(),
        1
    );
    assert_eq!(violations(&channel, "use super::reader;").len(), 1);
    // Allowed: the kit, one's own area, prose.
    assert!(violations(&detail, "use super::workflow;").is_empty());
    assert!(violations(&detail, "use crate::pages::records::edit;").is_empty());
    assert!(violations(&channel, "use crate::kit::{error, layout::{self, Page}};").is_empty());
    assert!(violations(&kit, "//! the kit never imports a page (`crate::pages`)").is_empty());
    assert!(violations(&kit, "let s = \"supercrate::pages\";").is_empty());
}

//! The binary as a user runs it: accounts from standard input, bad input,
//! organisations, backup, gen, and `serve --demo` answering over HTTP.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ngoaivu"))
}

fn run(dir: &Path, args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env_remove("NGOAIVU_DATABASE_URL")
        .env("NGOAIVU_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ngoaivu");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// A minimal HTTP/1.1 client, so the test needs no HTTP crate.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    let body = body.unwrap_or("");
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let status = resp
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = resp.split("\r\n\r\n").nth(1).unwrap_or("").to_owned();
    // Bodies may come chunked; the JSON lies between the first '{' and the last '}'.
    let json = match (body.find('{'), body.rfind('}')) {
        (Some(a), Some(b)) if b >= a => body[a..=b].to_owned(),
        _ => body,
    };
    (status, json)
}

struct Server(Child);
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn accounts_organisations_backup_and_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (code, out, err) = run(d, &["migrate"], "");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("SQLite file ngoaivu.db"), "{out}");
    assert!(
        d.join("ngoaivu.db").exists(),
        "the default database is a file in the working directory"
    );

    let (code, out, err) = run(
        d,
        &[
            "user",
            "add",
            "--org",
            "vinh-long",
            "--role",
            "editor",
            "an",
        ],
        "mot mat khau dai\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("added an (vinh-long, editor)"), "{out}");

    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["user", "add", "--org", "vinh-long", "--role", "king", "b"],
            "x\n",
            // Refused by clap, with the roles (exit code 2: closed_choices_are_clap_values).
            "[possible values: viewer, editor, approver, admin]",
        ),
        (
            &["user", "add", "--org", "atlantis", "--role", "viewer", "b"],
            "mot mat khau dai\n",
            "no organisation “atlantis”",
        ),
        (
            &["user", "add", "--org", "vinh-long", "--role", "viewer", "b"],
            "short\n",
            "ít nhất 10 ký tự",
        ),
        (
            &["user", "add", "--org", "vinh-long", "--role", "viewer", "b"],
            "",
            "no password",
        ),
        (
            &[
                "user",
                "add",
                "--org",
                "vinh-long",
                "--role",
                "viewer",
                "an",
            ],
            "mot mat khau dai\n",
            "taken",
        ),
        (&["user", "disable", "ghost"], "", "no user “ghost”"),
        (
            &[
                "org",
                "add-mission",
                "--slug",
                "dsq-x",
                "--name",
                "X",
                "--country",
                "XX",
                "--city",
                "Y",
            ],
            "",
            "not an ISO 3166-1",
        ),
        (
            &["org", "set-office", "vinh-long", ""],
            "",
            "1 to 200 characters",
        ),
    ];
    for (args, stdin, want) in cases {
        let (code, _, err) = run(d, args, stdin);
        assert_ne!(code, 0, "{args:?} should fail");
        assert!(err.contains(want), "{args:?}: {err}");
    }

    let (code, out, _) = run(d, &["user", "list"], "");
    assert_eq!(code, 0);
    assert!(
        out.contains("an") && out.contains("vinh-long") && !out.contains(" b "),
        "{out}"
    );
    let (code, out, _) = run(d, &["org", "list"], "");
    assert_eq!(code, 0);
    assert_eq!(
        out.lines().filter(|l| l.contains(" province ")).count(),
        34,
        "{out}"
    );
    assert!(out.contains("bo-ngoai-giao") && out.contains("dsq-lao"));
    let (code, out, err) = run(
        d,
        &["org", "set-office", "dak-lak", "Văn phòng UBND tỉnh"],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("dak-lak: Văn phòng UBND tỉnh"));

    let (code, _, err) = run(d, &["backup", "-o", "copy.db"], "");
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = run(d, &["user", "list", "--db", "sqlite:copy.db"], "");
    assert_eq!(code, 0);
    assert!(out.contains("an "), "the backup holds the accounts: {out}");
    let (code, _, err) = run(d, &["backup", "-o", "copy.db"], "");
    assert_ne!(code, 0);
    assert!(err.contains("already exists"), "{err}");
    // No temporary file is left beside it.
    let left: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // A backup of a database that is not there creates nothing.
    let (code, _, err) = run(
        d,
        &["backup", "--db", "sqlite:khong-co.db", "-o", "x.db"],
        "",
    );
    assert_ne!(code, 0);
    assert!(err.contains("no database at khong-co.db"), "{err}");
    assert!(!d.join("khong-co.db").exists() && !d.join("x.db").exists());

    let (code, out, err) = run(
        d,
        &[
            "gen",
            "--db",
            "sqlite:gen.db",
            "--records",
            "3400",
            "--seed",
            "7",
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("generated 3400 records"), "{out}");
    assert!(
        err.contains("gen: 3400/3400 (100%)"),
        "progress is shown: {err}"
    );
}

#[test]
fn serve_demo_prints_accounts_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(bin())
        .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env_remove("NGOAIVU_DATABASE_URL")
        .env("NGOAIVU_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let mut lines = BufReader::new(stdout).lines();
    let (mut password, mut addr, mut embassy) = (None, None, None);
    let (mut ministry, mut reports) = (None, None);
    let start = Instant::now();
    while addr.is_none() && start.elapsed() < Duration::from_secs(120) {
        let Some(Ok(line)) = lines.next() else { break };
        if line.contains("demo reports:") {
            reports = Some(line.clone());
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.first() == Some(&"bo-ngoai-giao-viewer") {
            ministry = cols.get(3).map(|s| s.to_string());
        }
        if cols.first() == Some(&"vinh-long-editor") {
            password = cols.get(3).map(|s| s.to_string());
        }
        if cols.first() == Some(&"dsq-nhat-ban-editor") {
            embassy = cols.get(3).map(|s| s.to_string());
        }
        if let Some(rest) = line.split("http://").nth(1)
            && line.contains("listening on")
        {
            addr = Some(rest.trim().to_owned());
        }
    }
    let addr = addr.expect("the server says where it listens");
    let password = password.expect("demo accounts are printed");
    let (status, _) = http(&addr, "GET", "/healthz", None, None);
    assert_eq!(status, 200);
    let (status, body) = http(
        &addr,
        "POST",
        "/api/v1/sessions",
        None,
        Some(&format!(
            r#"{{"username":"vinh-long-editor","password":"{password}"}}"#
        )),
    );
    assert_eq!(status, 201, "{body}");
    let token = body
        .split("\"token\":\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let (status, body) = http(
        &addr,
        "GET",
        "/api/v1/agreements?q=xieng+khoang",
        Some(&token),
        None,
    );
    assert_eq!(status, 200);
    // The five reports' agreement with Xiêng Khoảng, and the sample
    // register's, whose partner the importer matched by name.
    assert!(body.contains("\"total\":2"), "{body}");
    assert!(body.contains("ngoaivu demo import"), "{body}");
    let (status, body) = http(
        &addr,
        "GET",
        "/api/v1/observations?kind=trade.export&year=2022",
        Some(&token),
        None,
    );
    assert_eq!(status, 200);
    assert!(
        body.contains("\"value\":\"793000000\"") && body.contains("\"change_pct\":\"37.91\""),
        "{body}"
    );
    // Đồng Tháp's records are out of Vĩnh Long's reach.
    let (_, body) = http(
        &addr,
        "GET",
        "/api/v1/partners?q=queensland",
        Some(&token),
        None,
    );
    assert!(body.contains("\"total\":0"), "{body}");
    // The channel's demo: Đắk Lắk's request, answered by the embassy in
    // Japan, is the embassy's and not Vĩnh Long's.
    let (_, body) = http(&addr, "GET", "/api/v1/requests", Some(&token), None);
    assert!(body.contains("\"total\":0"), "{body}");
    let embassy = embassy.expect("the embassy's demo account is printed");
    let (status, body) = http(
        &addr,
        "POST",
        "/api/v1/sessions",
        None,
        Some(&format!(
            r#"{{"username":"dsq-nhat-ban-editor","password":"{embassy}"}}"#
        )),
    );
    assert_eq!(status, 201, "{body}");
    let token = body
        .split("\"token\":\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let (status, body) = http(&addr, "GET", "/api/v1/requests", Some(&token), None);
    assert_eq!(status, 200);
    assert!(
        body.contains("\"total\":1") && body.contains("\"status\":\"answered\""),
        "{body}"
    );
    let (_, body) = http(&addr, "GET", "/api/v1/market-notes", Some(&token), None);
    assert!(body.contains("\"total\":2"), "{body}");

    // The shared reports were read, and their reviewed facts loaded: the
    // Ministry sees figures beyond the five reports' 35, of many provinces.
    let reports = reports.expect("the demo says what it did with the shared reports");
    assert!(reports.contains("read by the reader (F1 "), "{reports}");
    let ministry = ministry.expect("the Ministry's demo account is printed");
    let (status, body) = http(
        &addr,
        "POST",
        "/api/v1/sessions",
        None,
        Some(&format!(
            r#"{{"username":"bo-ngoai-giao-viewer","password":"{ministry}"}}"#
        )),
    );
    assert_eq!(status, 201, "{body}");
    let token = body
        .split("\"token\":\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let (_, body) = http(
        &addr,
        "GET",
        "/api/v1/observations?limit=1",
        Some(&token),
        None,
    );
    let total: i64 = body
        .split("\"total\":")
        .nth(1)
        .and_then(|r| r.split([',', '}']).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(
        total > 35,
        "the development set's figures are loaded: {body}"
    );
    let (_, body) = http(
        &addr,
        "GET",
        "/api/v1/observations?limit=200",
        Some(&token),
        None,
    );
    assert!(
        body.contains("sha256:"),
        "figures name their document: {body}"
    );
    drop(server);

    // A second start with --demo on the same database loads nothing twice.
    let (code, out, _) = run(
        dir.path(),
        &["serve", "--demo", "--listen", "256.0.0.1:1"],
        "",
    );
    assert_ne!(code, 0);
    assert!(out.contains("already has records"), "{out}");

    // Reports from the demo's database, each format, and the refusals.
    for (args, file) in [
        (
            vec!["--org", "vinh-long", "--kind", "annual", "--year", "2022"],
            "vl.html",
        ),
        (
            vec!["--org", "vinh-long", "--kind", "annual", "--year", "2022"],
            "vl.docx",
        ),
        (
            vec![
                "--org",
                "dong-thap",
                "--kind",
                "term",
                "--from",
                "2016",
                "--to",
                "2020",
            ],
            "dt.pdf",
        ),
        (vec!["--kind", "national", "--year", "2014"], "vn.xlsx"),
    ] {
        let mut all = vec!["report", "--date", "2022-12-20", "-o", file];
        all.extend(args);
        let (code, _, err) = run(dir.path(), &all, "");
        assert_eq!(code, 0, "{all:?}: {err}");
        assert!(err.contains("wrote"), "{err}");
        let bytes = std::fs::read(dir.path().join(file)).unwrap();
        match file.rsplit('.').next().unwrap() {
            "html" => {
                let html = String::from_utf8(bytes).unwrap();
                assert!(html.contains("tổng kim ngạch xuất khẩu của tỉnh đạt 793 triệu USD, tăng 37,91% so với năm 2021"));
            }
            "pdf" => assert!(bytes.starts_with(b"%PDF-")),
            _ => assert!(bytes.starts_with(b"PK"), "{file} is a zip package"),
        }
    }
    for (args, want) in [
        (
            vec![
                "report", "--kind", "annual", "--year", "2022", "-o", "x.docx",
            ],
            "needs --org",
        ),
        (
            vec![
                "report",
                "--org",
                "vinh-long",
                "--kind",
                "yearly",
                "--year",
                "2022",
                "-o",
                "x.docx",
            ],
            // Refused by clap, with the kinds (exit code 2: closed_choices_are_clap_values).
            "[possible values: annual, term, national]",
        ),
        (
            vec![
                "report",
                "--org",
                "vinh-long",
                "--kind",
                "annual",
                "-o",
                "x.docx",
            ],
            "needs --year",
        ),
        (
            vec![
                "report",
                "--org",
                "vinh-long",
                "--kind",
                "term",
                "--from",
                "2020",
                "-o",
                "x.docx",
            ],
            "needs --from and --to",
        ),
        (
            vec![
                "report",
                "--org",
                "vinh-long",
                "--kind",
                "term",
                "--from",
                "2021",
                "--to",
                "2016",
                "-o",
                "x.pdf",
            ],
            "Năm bắt đầu phải trước hoặc bằng năm kết thúc",
        ),
        (
            vec![
                "report",
                "--org",
                "vinh-long",
                "--kind",
                "annual",
                "--year",
                "2022",
                "-o",
                "x.odt",
            ],
            "--format",
        ),
        (
            vec![
                "report", "--org", "khong-co", "--kind", "annual", "--year", "2022", "-o", "x.pdf",
            ],
            "no organisation \"khong-co\"",
        ),
        (
            vec![
                "report",
                "--org",
                "vinh-long",
                "--kind",
                "annual",
                "--year",
                "2022",
                "-o",
                "vl.html",
            ],
            "already exists",
        ),
        (
            vec![
                "report",
                "--org",
                "vinh-long",
                "--kind",
                "annual",
                "--year",
                "2022",
                "--date",
                "20/12/2022",
                "-o",
                "y.pdf",
            ],
            "YYYY-MM-DD",
        ),
    ] {
        let (code, _, err) = run(dir.path(), &args, "");
        assert_ne!(code, 0, "{args:?}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
}

/// Output cut short by the reader (`ngoaivu org list | head -1`) ends the
/// program quietly, as any Unix tool: no panic.
#[test]
fn a_closed_pipe_ends_output_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(dir.path(), &["migrate"], "");
    assert_eq!(code, 0, "{err}");
    let mut child = Command::new(bin())
        .args(["org", "list"])
        .current_dir(dir.path())
        .env_remove("NGOAIVU_DATABASE_URL")
        .env("NGOAIVU_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away before the first line is written.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
}

/// Every closed choice is a clap value: `--help` lists the values, a value
/// outside them is refused by clap, naming them, with exit code 2 (before
/// any database is opened), and the spellings accepted before still are.
#[test]
fn closed_choices_are_clap_values() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    let (code, out, err) = run(d, &["report", "--help"], "");
    assert_eq!(code, 0, "{err}");
    for value in [
        "annual", "term", "national", "html", "docx", "xlsx", "pdf", "vi", "en",
    ] {
        assert!(
            out.lines()
                .any(|l| l.trim_start().starts_with(&format!("- {value}:"))),
            "report --help lists {value}: {out}"
        );
    }
    let (code, out, _) = run(d, &["report", "-h"], "");
    assert_eq!(code, 0);
    assert!(
        out.contains("[possible values: annual, term, national]")
            && out.contains("[possible values: html, docx, xlsx, pdf]"),
        "{out}"
    );
    for (args, listed) in [
        (&["user", "add", "--help"][..], "viewer"),
        (&["import", "--help"][..], "abtc-approvals"),
        (&["iati", "import", "--help"][..], "- en:"),
        (&["completions", "--help"][..], "powershell"),
    ] {
        let (code, out, err) = run(d, args, "");
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(out.contains(listed), "{args:?}: {out}");
    }

    for (args, list) in [
        (
            &[
                "report", "--kind", "yearly", "--year", "2022", "-o", "x.pdf",
            ][..],
            "[possible values: annual, term, national]",
        ),
        (
            &["report", "--kind", "annual", "--format", "odt", "-o", "x"][..],
            "[possible values: html, docx, xlsx, pdf]",
        ),
        (
            &["report", "--kind", "annual", "--lang", "fr", "-o", "x.pdf"][..],
            "[possible values: vi, en]",
        ),
        (
            &[
                "import",
                "--org",
                "vinh-long",
                "--type",
                "delegation",
                "f.xlsx",
            ][..],
            "[possible values: partners, agreements, delegations, projects, events, abtc-approvals, overseas-contacts, observations, catalog-projects, publications, training-courses, ngo-registrations, conference-permits, consular-cases, plans]",
        ),
        (
            &[
                "import",
                "--org",
                "vinh-long",
                "--type",
                "events",
                "--lang",
                "EN",
                "f.xlsx",
            ][..],
            "[possible values: vi, en]",
        ),
        (
            &[
                "iati", "import", "--org", "dak-lak", "--lang", "de", "f.xml",
            ][..],
            "[possible values: vi, en]",
        ),
        (
            &["user", "add", "--org", "vinh-long", "--role", "Admin", "b"][..],
            "[possible values: viewer, editor, approver, admin]",
        ),
        (
            &["completions", "tcsh"][..],
            "[possible values: bash, elvish, fish, powershell, zsh]",
        ),
    ] {
        let (code, _, err) = run(d, args, "");
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("invalid value"), "{args:?}: {err}");
        assert!(err.contains(list), "{args:?}: {err}");
    }
    assert!(
        !d.join("ngoaivu.db").exists(),
        "a refused value opens no database"
    );

    // Accepted as before (these fail later, past the parser: exit code 1).
    for (args, want) in [
        // --format ignores case and takes htm, as Format::parse did.
        (
            &[
                "report", "--kind", "annual", "--format", "PDF", "--year", "2022", "-o", "x",
            ][..],
            "needs --org",
        ),
        (
            &[
                "report", "--kind", "term", "--format", "htm", "--lang", "en", "--from", "2016",
                "--to", "2020", "-o", "x",
            ][..],
            "needs --org",
        ),
        (
            &[
                "report",
                "--kind",
                "national",
                "--format",
                "Docx",
                "--year",
                "2014",
                "--org",
                "vinh-long",
                "-o",
                "x",
            ][..],
            "the national summary is the Ministry's",
        ),
        (
            &[
                "import",
                "--org",
                "vinh-long",
                "--type",
                "abtc-approvals",
                "--lang",
                "en",
                "khong-co.xlsx",
            ][..],
            "cannot read khong-co.xlsx",
        ),
        (
            &[
                "iati",
                "import",
                "--org",
                "dak-lak",
                "--lang",
                "vi",
                "khong-co.xml",
            ][..],
            "cannot read khong-co.xml",
        ),
    ] {
        let (code, _, err) = run(d, args, "");
        assert_eq!(code, 1, "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
}

/// `completions SHELL` prints a script that bash loads; `man` prints the
/// main page, and `man --dir` writes it and one page per subcommand. Neither
/// reads the configuration (a package build has none).
#[test]
fn completions_and_man_pages() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let no_config = ["--config", "khong-co.toml"];

    let (code, out, err) = run(d, &[&no_config[..], &["completions", "bash"]].concat(), "");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("_ngoaivu") && out.contains("complete"),
        "{out}"
    );
    assert!(
        out.contains("annual term national"),
        "the values are completed: {out}"
    );
    let loaded = Command::new("bash")
        .args([
            "-c",
            r#"source <("$NGOAIVU" completions bash) && complete -p ngoaivu"#,
        ])
        .env("NGOAIVU", bin())
        .current_dir(d)
        .output()
        .expect("run bash");
    assert!(
        loaded.status.success(),
        "bash loads the script: {}",
        String::from_utf8_lossy(&loaded.stderr)
    );
    assert!(String::from_utf8_lossy(&loaded.stdout).contains("_ngoaivu"));
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let (code, out, err) = run(d, &["completions", shell], "");
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(
            out.contains("ngoaivu") && out.contains("serve"),
            "{shell}: {out}"
        );
    }

    let (code, out, err) = run(d, &[&no_config[..], &["man"]].concat(), "");
    assert_eq!(code, 0, "{err}");
    let first_macro = out
        .lines()
        .find(|l| !l.starts_with(".ie") && !l.starts_with(".el"));
    assert!(
        first_macro.is_some_and(|l| l.starts_with(".TH ngoaivu 1")),
        "a roff page: {out}"
    );
    assert!(
        out.contains("completions") && out.contains("serve"),
        "{out}"
    );

    let pages = d.join("man/man1");
    let (code, _, err) = run(d, &["man", "--dir", "man/man1"], "");
    assert_eq!(code, 0, "{err}");
    for page in [
        "ngoaivu.1",
        "ngoaivu-serve.1",
        "ngoaivu-user-add.1",
        "ngoaivu-report.1",
    ] {
        let text = std::fs::read_to_string(pages.join(page)).unwrap_or_default();
        assert!(text.contains(".TH"), "{page}: {text}");
    }
    let report = std::fs::read_to_string(pages.join("ngoaivu-report.1")).unwrap();
    assert!(report.contains("national"), "{report}");
    assert!(
        !pages.join("ngoaivu-help.1").exists(),
        "no page for clap's help subcommand"
    );

    // Rendered by man-db as a reader would. This one assertion is skipped
    // when the `man` program is not installed (minimal images leave it out).
    match Command::new("man")
        .args(["-l", "-E", "UTF-8"])
        .arg(pages.join("ngoaivu.1"))
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80")
        .env("LC_ALL", "C.UTF-8")
        .output()
    {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("man is not installed: ngoaivu.1 is not rendered");
        }
        Err(e) => panic!("cannot run man: {e}"),
        Ok(shown) => {
            let text = String::from_utf8_lossy(&shown.stdout);
            let warnings = String::from_utf8_lossy(&shown.stderr);
            assert!(shown.status.success(), "man -l: {warnings}");
            assert!(warnings.trim().is_empty(), "man -l warns: {warnings}");
            assert!(text.contains("ngoaivu-serve(1)"), "{text}");
        }
    }
}

//! What an operator does around the server: `ngoaivu config show` (where
//! each setting comes from, secrets masked, `<VAR>_FILE` secrets, bad
//! values refused at start), the access log (one structured line per
//! request), and `ngoaivu restore` of a SQLite backup.

use crate::common::{add_editor, http, http_with, run, run_with, start, start_with, stop, token};

#[test]
fn config_show_names_sources_masks_secrets_and_refuses_bad_values() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("ngoaivu.toml"),
        "listen = \"0.0.0.0:9000\"\nsession_hours = 8\nsmtp_url = \"smtps://thu:mat-khau-smtp@mail.example.vn\"\n",
    )
    .unwrap();
    let (code, out, err) = run_with(
        d,
        &["config", "show"],
        "",
        &[(
            "NGOAIVU_DATABASE_URL",
            "postgres://ngoaivu:bi-mat-lam@db.local:5432/ngoaivu",
        )],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        !out.contains("bi-mat-lam") && !out.contains("mat-khau-smtp"),
        "{out}"
    );
    let line = |key: &str| {
        out.lines()
            .find(|l| l.starts_with(key))
            .unwrap_or_else(|| panic!("no {key} in {out}"))
            .to_owned()
    };
    assert!(
        line("database_url").contains("postgres://ngoaivu:***@db.local:5432/ngoaivu")
            && line("database_url").contains("environment NGOAIVU_DATABASE_URL"),
        "{out}"
    );
    assert!(
        line("listen").contains("0.0.0.0:9000") && line("listen").contains("ngoaivu.toml"),
        "{out}"
    );
    assert!(line("session_hours").contains('8'), "{out}");
    assert!(
        line("smtp_url").contains("smtps://thu:***@mail.example.vn"),
        "{out}"
    );
    assert!(line("log_format").contains("default"), "{out}");
    assert!(
        line("sqlite_synchronous").contains("full")
            && line("sqlite_synchronous").contains("default"),
        "{out}"
    );

    // Nor does --help show it.
    let (code, out, _) = run_with(
        d,
        &["serve", "--help"],
        "",
        &[(
            "NGOAIVU_DATABASE_URL",
            "postgres://ngoaivu:bi-mat-lam@db.local:5432/ngoaivu",
        )],
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("NGOAIVU_DATABASE_URL") && !out.contains("bi-mat-lam"),
        "{out}"
    );

    // The secret from a file named by NGOAIVU_DATABASE_URL_FILE.
    std::fs::write(d.join("db-url"), "postgres://u:tu-tep@h/ngoaivu\n").unwrap();
    let secret = d.join("db-url");
    let (code, out, err) = run_with(
        d,
        &["config", "show"],
        "",
        &[("NGOAIVU_DATABASE_URL_FILE", secret.to_str().unwrap())],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("postgres://u:***@h/ngoaivu")
            && out.contains("NGOAIVU_DATABASE_URL_FILE")
            && !out.contains("tu-tep"),
        "{out}"
    );
    let (code, _, err) = run_with(
        d,
        &["config", "show"],
        "",
        &[("NGOAIVU_DATABASE_URL_FILE", "/khong/co/tep")],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("NGOAIVU_DATABASE_URL_FILE") && err.contains("/khong/co/tep"),
        "{err}"
    );

    // A value that does not parse stops show and serve alike, naming it.
    for args in [
        &["config", "show"][..],
        &["serve", "--listen", "127.0.0.1:0"][..],
    ] {
        let (code, _, err) = run_with(d, args, "", &[("NGOAIVU_SESSION_HOURS", "tám")]);
        assert_ne!(code, 0, "{args:?}");
        assert!(err.contains("NGOAIVU_SESSION_HOURS=tám"), "{args:?}: {err}");
    }
    let (code, _, err) = run_with(
        d,
        &["config", "show"],
        "",
        &[("NGOAIVU_SQLITE_SYNCHRONOUS", "off")],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("NGOAIVU_SQLITE_SYNCHRONOUS") && err.contains("off"),
        "{err}"
    );
    let (code, _, err) = run_with(d, &["config", "show"], "", &[("NGOAIVU_LOG_FORMAT", "xml")]);
    assert_eq!(code, 2);
    assert!(
        err.contains("NGOAIVU_LOG_FORMAT") && err.contains("xml"),
        "{err}"
    );
    let (code, _, err) = run_with(d, &["config", "show"], "", &[("NGOAIVU_LOG", "info,[[")]);
    assert_eq!(code, 2);
    assert!(err.contains("NGOAIVU_LOG"), "{err}");

    // Legal periods: the law's counting by default, shown; a counting that
    // is neither calendar nor working is refused with its name.
    let (code, out, err) = run_with(d, &["config", "show"], "", &[]);
    assert_eq!(code, 0, "{err}");
    let line = |key: &str| {
        out.lines()
            .find(|l| l.contains(key))
            .unwrap_or_else(|| panic!("{key} in {out}"))
            .to_owned()
    };
    assert!(
        line("agreement_report_counting").contains("calendar"),
        "{out}"
    );
    assert!(
        line("ministry_answer_counting").contains("working"),
        "{out}"
    );
    let (code, out, _) = run_with(
        d,
        &["config", "show"],
        "",
        &[("NGOAIVU_AGREEMENT_REPORT_COUNTING", "working")],
    );
    assert_eq!(code, 0);
    assert!(
        out.lines().any(|l| l.contains("agreement_report_counting")
            && l.contains("working")
            && l.contains("NGOAIVU_AGREEMENT_REPORT_COUNTING")),
        "{out}"
    );
    let (code, _, err) = run_with(
        d,
        &["config", "show"],
        "",
        &[("NGOAIVU_AGREEMENT_REPORT_COUNTING", "weekdays")],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("NGOAIVU_AGREEMENT_REPORT_COUNTING") && err.contains("weekdays"),
        "{err}"
    );

    // The referral to the Prime Minister counts working days; only the
    // province's agreements report to him unless the levels are set.
    assert!(line("pm_referral_counting").contains("working"), "{out}");
    assert!(line("pm_referral_days").contains('7'), "{out}");
    // An aid appraisal takes 20 days, a periodic report is due 15 days
    // after its period, both in calendar days.
    assert!(line("aid_appraisal_days").contains("20"), "{out}");
    assert!(line("aid_appraisal_counting").contains("calendar"), "{out}");
    assert!(line("aid_report_counting").contains("calendar"), "{out}");
    assert!(
        line("agreement_report_pm_levels").contains("province"),
        "{out}"
    );
    let (code, out, err) = run_with(
        d,
        &["config", "show"],
        "",
        &[("NGOAIVU_AGREEMENT_REPORT_PM_LEVELS", "province, department")],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.lines()
            .any(|l| l.contains("agreement_report_pm_levels") && l.contains("province,department")),
        "{out}"
    );
    let (code, _, err) = run_with(
        d,
        &["config", "show"],
        "",
        &[("NGOAIVU_AGREEMENT_REPORT_PM_LEVELS", "province,district")],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("NGOAIVU_AGREEMENT_REPORT_PM_LEVELS") && err.contains("district"),
        "{err}"
    );
}

#[test]
fn every_request_leaves_one_access_line_with_route_user_and_request_id() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_editor(d);
    let log = std::fs::File::create(d.join("server.log")).unwrap();
    let (server, addr) = start_with(d, &[("NGOAIVU_LOG_FORMAT", "json")], log);
    let tok = token(&addr);
    let (status, body) = http(
        &addr,
        "POST",
        "/api/v1/partners",
        Some(&tok),
        r#"{"name":"Tỉnh Champasak","kind":"foreign_locality","country":"LA"}"#,
    )
    .unwrap();
    assert_eq!(status, 201, "{body}");
    let id: String = body
        .split("\"id\":")
        .nth(1)
        .unwrap()
        .split([',', '}'])
        .next()
        .unwrap()
        .trim_matches('"')
        .to_owned();
    let (status, _) = http(
        &addr,
        "GET",
        &format!("/api/v1/partners/{id}"),
        Some(&tok),
        "",
    )
    .unwrap();
    assert_eq!(status, 200);
    let (status, _) = http(&addr, "GET", "/api/v1/partners/999999", Some(&tok), "").unwrap();
    assert_eq!(status, 404);
    let (status, _) = http(&addr, "GET", "/wp-admin/setup.php", None, "").unwrap();
    assert_eq!(status, 404);
    assert_eq!(stop(server), Some(0));

    let text = std::fs::read_to_string(d.join("server.log")).unwrap();
    let access: Vec<serde_json::Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["target"] == "access")
        .collect();
    let find = |method: &str, route: &str, status: u64| {
        access
            .iter()
            .find(|v| {
                v["fields"]["method"] == method
                    && v["fields"]["route"] == route
                    && v["fields"]["status"] == status
            })
            .unwrap_or_else(|| panic!("no access line {method} {route} {status} in {text}"))
    };
    let created = find("POST", "/api/v1/partners", 201);
    assert_eq!(created["fields"]["user"], "vl-editor", "{created}");
    assert_eq!(created["fields"]["org"], "vinh-long", "{created}");
    assert_eq!(created["fields"]["client"], "127.0.0.1", "{created}");
    let rid = created["fields"]["request_id"].as_str().unwrap();
    assert!(rid.len() >= 8 && rid != "-", "{created}");
    assert!(
        created["fields"]["latency_ms"].as_f64().is_some(),
        "{created}"
    );
    // The route is the pattern, not the path with its id.
    let read = find("GET", "/api/v1/partners/{id}", 200);
    assert_ne!(
        read["fields"]["request_id"],
        created["fields"]["request_id"]
    );
    find("GET", "/api/v1/partners/{id}", 404);
    // The sign-in itself, before anyone is known.
    let signin = find("POST", "/api/v1/sessions", 201);
    assert_eq!(signin["fields"]["user"], "-", "{signin}");
    // Metrics are off unless asked for.
    let (status, _) = http(&addr, "GET", "/metrics", None, "").unwrap_or((0, String::new()));
    assert!(status == 404 || status == 0);
    // Nothing matched: logged too, under one route name (the path is in
    // the request's span).
    find("GET", "(no route)", 404);
    // No secret in the log.
    assert!(!text.contains(&tok) && !text.contains("mot mat khau dai"));
}

#[test]
fn restore_puts_a_backup_back_and_keeps_what_was_there() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_editor(d);
    let (server, addr) = start(d);
    let tok = token(&addr);
    let partner = |name: &str| {
        let (status, body) = http(
            &addr,
            "POST",
            "/api/v1/partners",
            Some(&tok),
            &format!(r#"{{"name":"{name}","kind":"foreign_locality","country":"LA"}}"#),
        )
        .unwrap();
        assert_eq!(status, 201, "{body}");
    };
    partner("Trước sao lưu");
    let (code, out, err) = run(d, &["backup", "-o", "sao-luu.db"], "");
    assert_eq!(code, 0, "{out}{err}");
    partner("Sau sao lưu");

    // Refused while the server has the database open.
    let (code, _, err) = run(d, &["restore", "sao-luu.db"], "");
    assert_ne!(code, 0);
    assert!(
        err.contains("in use") && err.contains("stop the server"),
        "{err}"
    );
    // Refused: not a backup; no such file.
    std::fs::write(d.join("rac.db"), "không phải cơ sở dữ liệu").unwrap();
    let (code, _, err) = run(d, &["restore", "rac.db"], "");
    assert_ne!(code, 0);
    assert!(err.contains("rac.db"), "{err}");
    let (code, _, err) = run(d, &["restore", "khong-co.db"], "");
    assert_ne!(code, 0);
    assert!(err.contains("no such backup file"), "{err}");

    assert_eq!(stop(server), Some(0));
    let (code, out, err) = run(d, &["restore", "sao-luu.db"], "");
    assert_eq!(code, 0, "{out}{err}");
    let kept = out
        .lines()
        .find_map(|l| l.strip_prefix("the database that was there is kept as "))
        .unwrap_or_else(|| panic!("{out}"))
        .to_owned();
    assert!(d.join(&kept).exists(), "{kept}");

    let (server, addr) = start(d);
    let tok = token(&addr);
    let (status, body) = http(&addr, "GET", "/api/v1/partners?q=sao", Some(&tok), "").unwrap();
    assert_eq!(status, 200);
    assert!(
        body.contains("Trước sao lưu") && !body.contains("Sau sao lưu"),
        "{body}"
    );
    stop(server);
}

#[test]
fn metrics_count_requests_sign_ins_and_the_database_for_allowed_clients_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_editor(d);
    // A setting that is neither on nor off stops the start.
    let (code, _, err) = run_with(
        d,
        &["serve", "--listen", "127.0.0.1:0"],
        "",
        &[("NGOAIVU_METRICS", "có lẽ")],
    );
    assert_ne!(code, 0);
    assert!(err.contains("NGOAIVU_METRICS"), "{err}");

    let (server, addr) = start_with(
        d,
        &[
            ("NGOAIVU_METRICS", "1"),
            ("NGOAIVU_TRUSTED_PROXIES", "127.0.0.1"),
        ],
        std::process::Stdio::null(),
    );
    let (status, _) = http(
        &addr,
        "POST",
        "/api/v1/sessions",
        None,
        r#"{"username":"vl-editor","password":"sai mat khau roi"}"#,
    )
    .unwrap();
    assert_eq!(status, 401);
    let tok = token(&addr);
    for name in ["Tỉnh Savannakhet", "Tỉnh Attapeu"] {
        let (status, body) = http(
            &addr,
            "POST",
            "/api/v1/partners",
            Some(&tok),
            &format!(r#"{{"name":"{name}","kind":"foreign_locality","country":"LA"}}"#),
        )
        .unwrap();
        assert_eq!(status, 201, "{body}");
    }
    let (status, page) = http(&addr, "GET", "/metrics", None, "").unwrap();
    assert_eq!(status, 200, "{page}");
    for line in [
        r#"ngoaivu_http_requests_total{method="POST",route="/api/v1/partners",status="201"} 2"#,
        r#"ngoaivu_http_requests_total{method="POST",route="/api/v1/sessions",status="401"} 1"#,
        r#"ngoaivu_sign_ins_total{outcome="success"} 1"#,
        r#"ngoaivu_sign_ins_total{outcome="wrong"} 1"#,
    ] {
        assert!(page.lines().any(|l| l == line), "no line {line} in\n{page}");
    }
    for start in [
        r#"ngoaivu_http_request_duration_seconds_bucket{method="POST",route="/api/v1/partners",le="0.005"}"#,
        r#"ngoaivu_http_request_duration_seconds_count{method="POST",route="/api/v1/partners"} 2"#,
        r#"ngoaivu_db_connections{pool="write",state="idle"}"#,
        r#"ngoaivu_db_connections{pool="read",state="busy"}"#,
        "ngoaivu_sqlite_wal_bytes ",
        "ngoaivu_http_requests_in_flight ",
        r#"ngoaivu_build_info{version=""#,
        "# HELP ngoaivu_http_requests_total ",
        "# TYPE ngoaivu_http_request_duration_seconds histogram",
    ] {
        assert!(
            page.lines().any(|l| l.starts_with(start)),
            "no {start} in\n{page}"
        );
    }
    // Through the public proxy, a client outside the allowed networks is refused.
    let (status, body) = http_with(
        &addr,
        "GET",
        "/metrics",
        None,
        "",
        "X-Forwarded-For: 203.0.113.9\r\n",
    )
    .unwrap();
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("metrics_allow"), "{body}");
    stop(server);

    // An allowed network.
    let (server, addr) = start_with(
        d,
        &[
            ("NGOAIVU_METRICS", "on"),
            ("NGOAIVU_TRUSTED_PROXIES", "127.0.0.1"),
            ("NGOAIVU_METRICS_ALLOW", "203.0.113.0/24"),
        ],
        std::process::Stdio::null(),
    );
    let (status, page) = http_with(
        &addr,
        "GET",
        "/metrics",
        None,
        "",
        "X-Forwarded-For: 203.0.113.9\r\n",
    )
    .unwrap();
    assert_eq!(status, 200, "{page}");
    stop(server);
}

/// Seconds until the server closes `s` (reads until end of stream), or
/// `None` when it is still open after `limit`.
fn closed_after(s: &mut std::net::TcpStream, limit: std::time::Duration) -> Option<f64> {
    use std::io::Read;
    let started = std::time::Instant::now();
    s.set_read_timeout(Some(limit)).unwrap();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return Some(started.elapsed().as_secs_f64()),
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                return Some(started.elapsed().as_secs_f64());
            }
            Err(_) => return None,
        }
    }
}

#[test]
fn connections_that_send_nothing_dawdle_or_idle_are_closed() {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_editor(d);
    let (server, addr) = start_with(
        d,
        &[("NGOAIVU_HEADER_TIMEOUT_SECS", "1")],
        std::process::Stdio::null(),
    );
    let limit = Duration::from_secs(10);

    // Connected, nothing sent.
    let mut silent = TcpStream::connect(&addr).unwrap();
    let t = closed_after(&mut silent, limit).expect("a silent connection is closed");
    assert!(t < 5.0, "{t}");

    // Half a header, then a line every 300 ms: never a whole header.
    let mut slow = TcpStream::connect(&addr).unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let started = std::time::Instant::now();
    let mut cut = false;
    while started.elapsed() < limit {
        std::thread::sleep(Duration::from_millis(300));
        if slow.write_all(b"X-Cham: 1\r\n").is_err() {
            cut = true;
            break;
        }
    }
    assert!(cut, "a header sent slowly is cut off");
    assert!(started.elapsed().as_secs_f64() < 5.0);

    // One request on a keep-alive connection, then silence.
    let mut idle = TcpStream::connect(&addr).unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    idle.set_read_timeout(Some(limit)).unwrap();
    while !String::from_utf8_lossy(&got).contains("\"status\"") {
        let n = idle.read(&mut buf).unwrap();
        assert!(n > 0, "closed before the answer");
        got.extend_from_slice(&buf[..n]);
    }
    assert!(String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200"));
    let t = closed_after(&mut idle, limit).expect("an idle keep-alive connection is closed");
    assert!(t < 5.0, "{t}");

    // A request sent at once is answered as always.
    let (status, _) = http(&addr, "GET", "/healthz", None, "").unwrap();
    assert_eq!(status, 200);
    assert_eq!(stop(server), Some(0));
}

#[test]
fn a_common_password_is_refused_for_a_new_account() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for pw in ["Password123", "qwertyuiop", "zzzzzzzzzzzz"] {
        let (code, _, err) = run(
            d,
            &[
                "user",
                "add",
                "--org",
                "vinh-long",
                "--role",
                "editor",
                "vl-yeu",
            ],
            &format!("{pw}\n"),
        );
        assert_ne!(code, 0, "{pw}");
        assert!(
            err.contains("phổ biến") || err.contains("lặp lại"),
            "{pw}: {err}"
        );
    }
    let (code, _, err) = run(
        d,
        &[
            "user",
            "add",
            "--org",
            "vinh-long",
            "--role",
            "editor",
            "vl-yeu",
        ],
        "một câu dài dễ nhớ về Vĩnh Long\n",
    );
    assert_eq!(code, 0, "{err}");
}

#[test]
fn disabling_an_account_from_the_command_line_ends_its_token_and_its_page_session_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_editor(d);
    let (server, addr) = start(d);
    let tok = token(&addr);
    let (status, _) = http(&addr, "GET", "/api/v1/me", Some(&tok), "").unwrap();
    assert_eq!(status, 200);
    // Used twice within a second, as a cache would have kept it.
    let (status, _) = http(&addr, "GET", "/api/v1/partners", Some(&tok), "").unwrap();
    assert_eq!(status, 200);
    let (code, _, err) = run(d, &["user", "disable", "vl-editor"], "");
    assert_eq!(code, 0, "{err}");
    // The very next request, with no pause: refused.
    let (status, body) = http(&addr, "GET", "/api/v1/partners", Some(&tok), "").unwrap();
    assert_eq!(status, 401, "{body}");
    let (status, _) = http(&addr, "GET", "/api/v1/me", Some(&tok), "").unwrap();
    assert_eq!(status, 401);
    assert_eq!(stop(server), Some(0));
}

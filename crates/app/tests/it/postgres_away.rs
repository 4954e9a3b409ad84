//! PostgreSQL going away under load and coming back: while it is down,
//! every request answers 503 with `Retry-After` and the cause (never a 500,
//! never a hang), `/readyz` says so and `/healthz` stays up; once it is back,
//! the pool's fresh connections serve again without restarting ngoaivu, and
//! every write that was acknowledged is there.
//!
//! The test runs a PostgreSQL cluster of its own (`scripts/pg-test-server`,
//! which keeps its port across a restart), since stopping the shared test
//! server would break the tests running beside this one.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::{bin, http, http_head, start_with, stop, token};

fn pg_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/pg-test-server")
}

fn pg(cmd: &str, dir: &Path) -> String {
    let out = Command::new(pg_script())
        .args([cmd, &dir.display().to_string()])
        .stderr(Stdio::inherit())
        .output()
        .expect("scripts/pg-test-server");
    assert!(out.status.success(), "pg-test-server {cmd} failed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap_or("")
        .to_owned()
}

/// Vĩnh Long's editor `vl-editor` (the password `token` signs in with) in
/// the database at `url`, through the command line.
fn add_editor(dir: &Path, url: &str) {
    let add = Command::new(bin())
        .args([
            "user",
            "add",
            "--db",
            url,
            "--org",
            "vinh-long",
            "--role",
            "editor",
            "vl-editor",
        ])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(b"mot mat khau dai\n")?;
            c.wait()
        })
        .unwrap();
    assert!(add.success());
}

/// Stops the cluster even when the test fails.
struct Cluster(PathBuf);
impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(pg_script())
            .args(["stop", &self.0.display().to_string()])
            .stderr(Stdio::null())
            .status();
    }
}

#[test]
fn postgres_stopped_under_load_gives_503_and_ngoaivu_recovers_when_it_returns() {
    // A server of its own (scripts/pg-test-server), but only where the
    // PostgreSQL tests run at all.
    if ngoaivu_store_tests::postgres_url().is_none() {
        return;
    }
    // Under /tmp: the postgres user must reach the cluster's directory.
    let pgdir = tempfile::Builder::new()
        .prefix("ngoaivu-pg-away")
        .tempdir_in("/tmp")
        .unwrap();
    let url = pg("start", pgdir.path());
    assert!(url.starts_with("postgres://"), "{url}");
    let cluster = Cluster(pgdir.path().to_owned());

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_editor(d, &url);
    let (server, addr) = start_with(d, &[("NGOAIVU_DATABASE_URL", url.as_str())], Stdio::null());
    let tok = token(&addr);

    // Two clients write all along; every answer is noted.
    let running = Arc::new(AtomicBool::new(true));
    let answers: Arc<Mutex<Vec<(u16, String, String)>>> = Arc::default();
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let (addr, tok, running, answers) =
                (addr.clone(), tok.clone(), running.clone(), answers.clone());
            std::thread::spawn(move || {
                let mut i = 0;
                while running.load(Ordering::Relaxed) {
                    let name = format!("Đối tác {w}-{i}");
                    let body =
                        format!(r#"{{"name":"{name}","kind":"foreign_locality","country":"KR"}}"#);
                    let (status, text) = http(&addr, "POST", "/api/v1/partners", Some(&tok), &body)
                        .unwrap_or((0, "no answer".into()));
                    answers.lock().unwrap().push((status, name, text));
                    i += 1;
                    std::thread::sleep(Duration::from_millis(20));
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));

    pg("stop", pgdir.path());
    // While it is down: 503 with Retry-After and the cause, on writes and
    // reads; /readyz 503, /healthz 200.
    let waited = Instant::now();
    let (status, headers, body) = loop {
        let got = http_head(&addr, "GET", "/api/v1/partners", Some(&tok), "", "").unwrap();
        if got.0 == 503 || waited.elapsed() > Duration::from_secs(20) {
            break got;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(status, 503, "{body}");
    assert!(
        headers.to_ascii_lowercase().contains("retry-after:"),
        "{headers}"
    );
    assert!(body.contains("\"error\":\"unavailable\""), "{body}");
    assert!(body.contains("cơ sở dữ liệu"), "the cause is named: {body}");
    let (status, body) = http(&addr, "GET", "/readyz", None, "").unwrap();
    assert_eq!(status, 503, "{body}");
    let (status, _) = http(&addr, "GET", "/healthz", None, "").unwrap();
    assert_eq!(status, 200);
    std::thread::sleep(Duration::from_secs(1));

    assert_eq!(
        pg("start", pgdir.path()),
        url,
        "the cluster came back on its port"
    );
    // Back: writes and /readyz succeed again, no restart.
    let waited = Instant::now();
    loop {
        let (status, _) = http(&addr, "GET", "/readyz", None, "").unwrap();
        if status == 200 {
            break;
        }
        assert!(
            waited.elapsed() < Duration::from_secs(30),
            "/readyz stayed {status}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    std::thread::sleep(Duration::from_millis(800));
    running.store(false, Ordering::Relaxed);
    for w in writers {
        w.join().unwrap();
    }

    let answers = answers.lock().unwrap();
    let acked: Vec<&String> = answers
        .iter()
        .filter(|a| a.0 == 201)
        .map(|a| &a.1)
        .collect();
    let refused = answers.iter().filter(|a| a.0 == 503).count();
    for (status, name, text) in answers.iter() {
        assert!(matches!(status, 201 | 503), "{name}: {status} {text}");
    }
    assert!(refused > 0, "some writes met the outage");
    let last = answers.iter().rev().take(4).filter(|a| a.0 == 201).count();
    assert!(last > 0, "writes succeed again after the return");
    let mut list = String::new();
    for offset in (0..acked.len() + 200).step_by(200) {
        let (status, page) = http(
            &addr,
            "GET",
            &format!("/api/v1/partners?limit=200&offset={offset}"),
            Some(&tok),
            "",
        )
        .unwrap();
        assert_eq!(status, 200, "{page}");
        list.push_str(&page);
    }
    for name in &acked {
        assert_eq!(
            list.matches(&format!("\"{name}\"")).count(),
            1,
            "{name} once"
        );
    }
    eprintln!(
        "{} acknowledged, {refused} refused with 503 during the outage",
        acked.len()
    );
    assert_eq!(stop(server), Some(0));
    drop(cluster);
}

/// The database turned read-only under a running server (what an operator
/// does for maintenance, or what a standby is): writes answer 503 naming
/// the cause, reads go on, and writes succeed again once it is writable,
/// without restarting ngoaivu. (A SQLite file read-only under a running
/// server cannot be caused here: root writes whatever the file's mode, and
/// a file system with the database open for writing cannot be remounted
/// read-only.)
#[test]
fn postgres_turned_read_only_gives_503_and_writes_resume_when_it_is_writable() {
    // A server of its own (scripts/pg-test-server), but only where the
    // PostgreSQL tests run at all.
    if ngoaivu_store_tests::postgres_url().is_none() {
        return;
    }
    let pgdir = tempfile::Builder::new()
        .prefix("ngoaivu-pg-ro")
        .tempdir_in("/tmp")
        .unwrap();
    let url = pg("start", pgdir.path());
    let _cluster = Cluster(pgdir.path().to_owned());
    let db = url.rsplit('/').next().unwrap().to_owned();
    // The maintenance database, so that the change is not read-only itself.
    let admin = format!("{}/postgres", url.rsplit_once('/').unwrap().0);
    let psql = |sql: &str| {
        let out = Command::new("psql")
            .args([admin.as_str(), "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql])
            .output()
            .expect("psql");
        assert!(
            out.status.success(),
            "{sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    // Sessions of the database end, so that the pool's next ones take the
    // database's setting.
    let set_read_only = |on: bool| {
        if on {
            psql(&format!(
                "ALTER DATABASE \"{db}\" SET default_transaction_read_only = on"
            ));
        } else {
            psql(&format!(
                "ALTER DATABASE \"{db}\" RESET default_transaction_read_only"
            ));
        }
        psql(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}' AND pid <> pg_backend_pid()"
        ));
    };

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_editor(d, &url);
    let (server, addr) = start_with(d, &[("NGOAIVU_DATABASE_URL", url.as_str())], Stdio::null());
    let tok = token(&addr);
    let write = |name: &str| {
        let body = format!(r#"{{"name":"{name}","kind":"foreign_locality","country":"KR"}}"#);
        http_head(&addr, "POST", "/api/v1/partners", Some(&tok), &body, "").unwrap()
    };
    assert_eq!(write("Trước khi chỉ đọc").0, 201);

    set_read_only(true);
    // Every answer is 503 (the cause named, Retry-After) or, for a write
    // on a connection that ended, 503 too: never a 500.
    let waited = Instant::now();
    let (status, headers, body) = loop {
        let got = write("Trong khi chỉ đọc");
        assert!(matches!(got.0, 503), "{got:?}");
        if got.2.contains("chỉ đọc") {
            break got;
        }
        assert!(waited.elapsed() < Duration::from_secs(20), "{got:?}");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(status, 503, "{body}");
    assert!(
        headers.to_ascii_lowercase().contains("retry-after:"),
        "{headers}"
    );
    assert!(body.contains("\"error\":\"unavailable\""), "{body}");
    let (status, list) = http(&addr, "GET", "/api/v1/partners", Some(&tok), "").unwrap();
    assert_eq!(status, 200, "reads go on: {list}");
    assert!(list.contains("Trước khi chỉ đọc"));
    assert!(
        !list.contains("Trong khi chỉ đọc"),
        "nothing written: {list}"
    );

    set_read_only(false);
    let waited = Instant::now();
    loop {
        let (status, _, body) = write("Sau khi ghi lại được");
        if status == 201 {
            break;
        }
        assert_eq!(status, 503, "{body}");
        assert!(
            waited.elapsed() < Duration::from_secs(20),
            "writes did not resume: {body}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let (_, list) = http(&addr, "GET", "/api/v1/partners", Some(&tok), "").unwrap();
    assert!(list.contains("Sau khi ghi lại được"), "{list}");
    assert_eq!(stop(server), Some(0));
}

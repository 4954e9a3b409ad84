//! The server's life as a supervisor sees it: `/healthz`, `/readyz` and
//! `ngoaivu healthcheck`; SIGTERM while clients are writing: every request
//! that reached the server (its connection was made) got an answer, and a
//! successful one; the process exits 0, the SQLite
//! write-ahead log is folded into the database file, and a restart finds
//! every acknowledged record exactly once.

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::common::{http, run, start, token};

/// `POST /api/v1/partners` on a connection of its own: `Err(None)` when the
/// connection is refused, `Err(Some(why))` when it was made but no whole
/// answer came back.
fn create(addr: &str, tok: &str, body: &str) -> Result<(u16, String), Option<String>> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).map_err(|_| None)?;
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| Some(e.to_string()))?;
    write!(
        s,
        "POST /api/v1/partners HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nAuthorization: Bearer {tok}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| Some(format!("connected, sending: {e}")))?;
    let mut resp = String::new();
    s.read_to_string(&mut resp)
        .map_err(|e| Some(format!("connected, reading: {e}")))?;
    let status = resp
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| Some(format!("connected, no answer: {resp:?}")))?;
    let body = resp.split_once("\r\n\r\n").map(|(_, b)| b.to_owned());
    Ok((status, body.unwrap_or_default()))
}

#[test]
fn sigterm_under_load_loses_nothing_and_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (code, _, err) = run(
        d,
        &[
            "user",
            "add",
            "--org",
            "vinh-long",
            "--role",
            "editor",
            "vl-editor",
        ],
        "mot mat khau dai\n",
    );
    assert_eq!(code, 0, "{err}");
    let (mut server, addr) = start(d);

    // Liveness and readiness, and the probe command.
    assert_eq!(http(&addr, "GET", "/healthz", None, "").unwrap().0, 200);
    let (status, body) = http(&addr, "GET", "/readyz", None, "").unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"status\":\"ready\""), "{body}");
    let (code, out, err) = run(
        d,
        &["healthcheck", "--url", &format!("http://{addr}/readyz")],
        "",
    );
    assert_eq!(code, 0, "{out}{err}");
    let (code, _, err) = run(
        d,
        &["healthcheck", "--url", "http://127.0.0.1:9/readyz"],
        "",
    );
    assert_eq!(code, 1, "nothing listens there: {err}");
    assert!(err.contains("not ready"), "{err}");

    // Four clients create records until the server stops.
    let tok = token(&addr);
    let stop = Arc::new(AtomicBool::new(false));
    let created = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let clients: Vec<_> = (0..4)
        .map(|c| {
            let (addr, tok, stop, created, failed) = (
                addr.clone(),
                tok.clone(),
                stop.clone(),
                created.clone(),
                failed.clone(),
            );
            std::thread::spawn(move || {
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    i += 1;
                    let body = format!(
                        r#"{{"name":"Đối tác {c}-{i}","kind":"foreign_locality","country":"LA"}}"#
                    );
                    match create(&addr, &tok, &body) {
                        Ok((201, _)) => {
                            created.fetch_add(1, Ordering::Relaxed);
                        }
                        // Refused at the door once the listener is closed: fine.
                        Err(None) => break,
                        Ok((status, body)) => {
                            failed.lock().unwrap().push(format!("{status} {body}"));
                        }
                        // Connected, then no answer: a request that reached
                        // the server, lost (reset in the listener's queue, or
                        // dropped before it was read).
                        Err(Some(why)) => {
                            failed.lock().unwrap().push(why);
                            break;
                        }
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    let pid = server.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let waited = Instant::now();
    let status = loop {
        if let Some(s) = server.try_wait().unwrap() {
            break s;
        }
        assert!(
            waited.elapsed() < Duration::from_secs(30),
            "the server did not stop within 30 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    assert_eq!(status.code(), Some(0), "SIGTERM exits 0");
    let failed = failed.lock().unwrap();
    assert!(
        failed.is_empty(),
        "requests that reached the server and failed while it stopped: {failed:?}"
    );
    let n = created.load(Ordering::Relaxed);
    assert!(n > 0, "the clients created records before the stop");

    // The write-ahead log is folded into the file on the way out.
    let wal = d.join("ngoaivu.db-wal");
    assert!(
        !wal.exists() || std::fs::metadata(&wal).unwrap().len() == 0,
        "WAL left behind"
    );

    // A restart holds every acknowledged record, once.
    let (mut again, addr) = start(d);
    let tok = token(&addr);
    let (status, body) = http(&addr, "GET", "/api/v1/partners?limit=1", Some(&tok), "").unwrap();
    assert_eq!(status, 200);
    let total: usize = body
        .split("\"total\":")
        .nth(1)
        .and_then(|r| r.split([',', '}']).next())
        .and_then(|t| t.parse().ok())
        .unwrap();
    assert_eq!(total, n, "records acknowledged {n}, found {total}");
    let _ = again.kill();
    let _ = again.wait();
}

/// A missing database is never quietly replaced by an empty one: `serve`
/// refuses to start without `--init`, and a file deleted under a running
/// server makes `/readyz` and every write answer 503 naming the cause.
#[test]
fn a_missing_database_file_is_refused_not_recreated() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (code, _, err) = run(
        d,
        &[
            "serve",
            "--db",
            "sqlite:khong-co.db",
            "--listen",
            "127.0.0.1:0",
        ],
        "",
    );
    assert_ne!(code, 0);
    assert!(
        err.contains("no database at khong-co.db") && err.contains("--init"),
        "{err}"
    );
    assert!(!d.join("khong-co.db").exists(), "nothing created");

    let (code, _, err) = run(
        d,
        &[
            "user",
            "add",
            "--org",
            "vinh-long",
            "--role",
            "editor",
            "vl-editor",
        ],
        "mot mat khau dai\n",
    );
    assert_eq!(code, 0, "{err}");
    let (mut server, addr) = start(d);
    let tok = token(&addr);
    std::fs::remove_file(d.join("ngoaivu.db")).unwrap();
    let (status, body) = http(&addr, "GET", "/readyz", None, "").unwrap();
    assert_eq!(status, 503, "{body}");
    let (status, body) = http(
        &addr,
        "POST",
        "/api/v1/partners",
        Some(&tok),
        r#"{"name":"Sau khi mất tệp","kind":"foreign_locality","country":"LA"}"#,
    )
    .unwrap();
    assert_eq!(status, 503, "{body}");
    assert!(
        body.contains("unavailable") && body.contains("ngoaivu restore"),
        "{body}"
    );
    let _ = server.kill();
    let _ = server.wait();
}

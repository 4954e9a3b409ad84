//! Crash test: several clients create records while the server is killed
//! with SIGKILL at varied moments, 20 times in a row, then restarted. Every
//! write the server acknowledged (201 with an id) must be there exactly
//! once, with its `create` audit row; a write cut off before its answer may
//! be there or not, but never twice. On SQLite and on PostgreSQL (a fresh
//! database on the server of `NGOAIVU_TEST_PG_URL`; the PostgreSQL half
//! is skipped without it, as the other database tests are, unless
//! `NGOAIVU_REQUIRE_PG=1`). Bounded: 20 cycles
//! of at most 1.5 s of load each.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::{http, run_with, start_with, token};

const CYCLES: u64 = 20;
const CLIENTS: usize = 4;

/// (acknowledged names → ids, names sent without an answer)
type Ledger = (HashMap<String, i64>, HashSet<String>);

fn crash_cycles(dir: &std::path::Path, env: &[(&str, &str)]) -> (Ledger, usize) {
    let (code, _, err) = run_with(
        dir,
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
        env,
    );
    assert_eq!(code, 0, "{err}");
    let ledger: Arc<Mutex<Ledger>> = Arc::default();
    // A small deterministic generator for the moments of the kills.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut kills = 0;
    for cycle in 0..CYCLES {
        let (mut server, addr) = start_with(dir, env, std::process::Stdio::null());
        let tok = token(&addr);
        let stop = Arc::new(AtomicBool::new(false));
        let clients: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let (addr, tok, stop, ledger) =
                    (addr.clone(), tok.clone(), stop.clone(), ledger.clone());
                std::thread::spawn(move || {
                    let mut i = 0;
                    while !stop.load(Ordering::Relaxed) {
                        i += 1;
                        let name = format!("Đối tác {cycle}-{c}-{i}");
                        let body = format!(
                            r#"{{"name":"{name}","kind":"foreign_locality","country":"LA"}}"#
                        );
                        match http(&addr, "POST", "/api/v1/partners", Some(&tok), &body) {
                            Some((201, b)) => {
                                let id: i64 = b
                                    .split("\"id\":")
                                    .nth(1)
                                    .and_then(|r| r.split([',', '}']).next())
                                    .and_then(|t| t.trim().parse().ok())
                                    .expect("an id in a 201");
                                ledger.lock().unwrap().0.insert(name, id);
                            }
                            // Killed before it answered: unknown whether written.
                            None => {
                                ledger.lock().unwrap().1.insert(name);
                                break;
                            }
                            Some((status, b)) => panic!("{status} {b}"),
                        }
                    }
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(200 + next() % 1300));
        server.kill().expect("SIGKILL");
        let _ = server.wait();
        kills += 1;
        stop.store(true, Ordering::Relaxed);
        for c in clients {
            c.join().expect("a client thread");
        }
    }
    let ledger = Arc::try_unwrap(ledger).ok().unwrap().into_inner().unwrap();
    (ledger, kills)
}

/// Every partner of the restarted server: name → ids.
fn all_partners(addr: &str, tok: &str) -> HashMap<String, Vec<i64>> {
    let mut out: HashMap<String, Vec<i64>> = HashMap::new();
    let mut offset = 0;
    loop {
        let (status, body) = http(
            addr,
            "GET",
            &format!("/api/v1/partners?limit=200&offset={offset}&sort=id"),
            Some(tok),
            "",
        )
        .unwrap();
        assert_eq!(status, 200, "{body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let items = v["items"].as_array().unwrap();
        for it in items {
            out.entry(it["name"].as_str().unwrap().to_owned())
                .or_default()
                .push(it["id"].as_i64().unwrap());
        }
        if items.len() < 200 {
            return out;
        }
        offset += 200;
    }
}

fn check_after_restart(dir: &std::path::Path, env: &[(&str, &str)], what: &str) {
    let ((acked, unknown), kills) = crash_cycles(dir, env);
    assert_eq!(kills as u64, CYCLES);
    assert!(
        acked.len() > 100,
        "{what}: only {} writes acknowledged",
        acked.len()
    );
    let (mut server, addr) = start_with(dir, env, std::process::Stdio::null());
    let tok = token(&addr);
    let found = all_partners(&addr, &tok);
    let mut lost = vec![];
    for (name, id) in &acked {
        match found.get(name) {
            Some(ids) if ids == &vec![*id] => {}
            other => lost.push(format!("{name} (id {id}): {other:?}")),
        }
    }
    assert!(
        lost.is_empty(),
        "{what}: acknowledged writes lost or doubled: {lost:?}"
    );
    let doubled: Vec<_> = found.iter().filter(|(_, ids)| ids.len() > 1).collect();
    assert!(doubled.is_empty(), "{what}: written twice: {doubled:?}");
    let strangers: Vec<_> = found
        .keys()
        .filter(|n| !acked.contains_key(*n) && !unknown.contains(*n))
        .collect();
    assert!(
        strangers.is_empty(),
        "{what}: records nobody sent: {strangers:?}"
    );
    // Each acknowledged record has its audit row.
    for id in acked.values() {
        let (status, body) = http(
            &addr,
            "GET",
            &format!("/api/v1/partners/{id}/history"),
            Some(&tok),
            "",
        )
        .unwrap();
        assert_eq!(status, 200, "{body}");
        assert!(
            body.contains("\"action\":\"create\""),
            "{what}: no create audit row for {id}: {body}"
        );
    }
    eprintln!(
        "{what}: {CYCLES} SIGKILLs, {} writes acknowledged, all there once with their audit rows; {} cut off, {} of those written",
        acked.len(),
        unknown.len(),
        unknown.iter().filter(|n| found.contains_key(*n)).count()
    );
    let _ = server.kill();
    let _ = server.wait();
}

#[test]
fn sqlite_keeps_every_acknowledged_write_across_sigkills() {
    let dir = tempfile::tempdir().unwrap();
    check_after_restart(dir.path(), &[], "SQLite");
}

#[test]
fn postgres_keeps_every_acknowledged_write_across_sigkills() {
    let Some(admin) = ngoaivu_store_tests::postgres_url() else {
        return;
    };
    let name = format!("ngoaivu_crash_{}", std::process::id());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let url = rt
        .block_on(ngoaivu_store_postgres::PgBackend::create_database(
            &admin, &name,
        ))
        .unwrap_or_else(|e| panic!("create database {name}: {e}"));
    let dir = tempfile::tempdir().unwrap();
    check_after_restart(
        dir.path(),
        &[("NGOAIVU_DATABASE_URL", url.as_str())],
        "PostgreSQL",
    );
}

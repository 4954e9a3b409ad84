//! `ngoaivu remind --dry-run` and `ngoaivu holiday` as a user runs them:
//! records made through the Service, then the binary lists per user what a
//! reminder would hold on a given day, and extends the holiday calendar.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use ngoaivu_core::values::parse_date;
use ngoaivu_core::{Actor, RecordType, Role};
use ngoaivu_store::{Backend, NewUser, Service};
use serde_json::json;

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(PathBuf::from(env!("CARGO_BIN_EXE_ngoaivu")))
        .args(args)
        .current_dir(dir)
        .env_remove("NGOAIVU_DATABASE_URL")
        .env("NGOAIVU_LOG", "warn")
        .output()
        .expect("run ngoaivu");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

async fn user(b: &Arc<dyn Backend>, org: &str, name: &str, role: Role) -> Actor {
    let o = b.org_by_slug(org).await.unwrap().unwrap();
    let u = b
        .add_user(
            &Actor::system(),
            NewUser {
                org_id: o.id,
                username: name.into(),
                role,
                consular: false,
                password_hash: "không dùng để đăng nhập".into(),
            },
        )
        .await
        .unwrap();
    Actor {
        user_id: u.id,
        username: u.username,
        org_id: o.id,
        org_slug: o.slug,
        org_kind: o.kind,
        role,
        consular: false,
    }
}

/// A minimal SMTP server on a free port: answers every command with
/// success, except a recipient containing `reject` (550), and returns the
/// messages it accepted. It serves connection after connection until none
/// has come for a second (after the first) or 20 s have passed.
fn fake_smtp_rejecting(
    reject: Option<&'static str>,
) -> (u16, std::thread::JoinHandle<Vec<String>>) {
    use std::io::{BufRead, BufReader, Write};
    use std::time::{Duration, Instant};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let mut mails = Vec::new();
        let started = Instant::now();
        let mut last: Option<Instant> = None;
        while started.elapsed() < Duration::from_secs(20)
            && last.is_none_or(|l| l.elapsed() < Duration::from_secs(1))
        {
            let Ok((stream, _)) = listener.accept() else {
                std::thread::sleep(Duration::from_millis(20));
                continue;
            };
            stream.set_nonblocking(false).unwrap();
            let mut w = stream.try_clone().unwrap();
            let mut r = BufReader::new(stream);
            let mut current = String::new();
            let mut in_data = false;
            let mut rejected = false;
            w.write_all(b"220 fake ESMTP\r\n").unwrap();
            let mut line = String::new();
            while r.read_line(&mut line).unwrap_or(0) > 0 {
                current.push_str(&line);
                if in_data {
                    if line == ".\r\n" {
                        in_data = false;
                        mails.push(std::mem::take(&mut current));
                        w.write_all(b"250 queued\r\n").unwrap();
                    }
                } else {
                    let cmd = line.to_ascii_uppercase();
                    if cmd.starts_with("EHLO") {
                        w.write_all(b"250-fake\r\n250 8BITMIME\r\n").unwrap();
                    } else if cmd.starts_with("RCPT") && reject.is_some_and(|x| line.contains(x)) {
                        rejected = true;
                        w.write_all(b"550 no such mailbox\r\n").unwrap();
                    } else if cmd.starts_with("RSET") {
                        current.clear();
                        w.write_all(b"250 ok\r\n").unwrap();
                    } else if cmd.starts_with("DATA") {
                        if rejected {
                            w.write_all(b"554 no valid recipients\r\n").unwrap();
                        } else {
                            in_data = true;
                            w.write_all(b"354 go on\r\n").unwrap();
                        }
                    } else if cmd.starts_with("QUIT") {
                        w.write_all(b"221 bye\r\n").unwrap();
                        break;
                    } else {
                        w.write_all(b"250 ok\r\n").unwrap();
                    }
                }
                line.clear();
            }
            last = Some(Instant::now());
        }
        mails
    });
    (port, handle)
}

fn fake_smtp() -> (u16, std::thread::JoinHandle<Vec<String>>) {
    fake_smtp_rejecting(None)
}

/// `ngoaivu remind --date DAY` through the SMTP server on `port`.
fn remind_via(dir: &Path, url: &str, day: &str, port: u16) -> (bool, String, String) {
    let out = Command::new(PathBuf::from(env!("CARGO_BIN_EXE_ngoaivu")))
        .args(["remind", "--db", url, "--date", day])
        .current_dir(dir)
        .env("NGOAIVU_LOG", "warn")
        .env("NGOAIVU_SMTP_URL", format!("smtp://127.0.0.1:{port}"))
        .env(
            "NGOAIVU_SMTP_FROM",
            "So Ngoai vu <ngoaivu@songoaivu.example>",
        )
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[tokio::test]
async fn remind_dry_run_lists_per_user() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("nv.db").display());
    {
        let b: Arc<dyn Backend> = Arc::new(
            ngoaivu_store_sqlite::SqliteBackend::open(&url)
                .await
                .unwrap(),
        );
        let svc = Service::new(b.clone());
        let ed = user(&b, "vinh-long", "vl-bt", Role::Editor).await;
        let ap = user(&b, "vinh-long", "vl-pd", Role::Approver).await;
        user(&b, "dong-thap", "dt-bt", Role::Editor).await;
        let on = |s: &str| parse_date(s).unwrap();
        // Returned on 02/01/2026: the report is due 15 working days later
        // (23/01/2026) and overdue on 02/02/2026.
        let trip = svc
            .create(
                &ed,
                RecordType::Delegation,
                json!({"direction": "outbound", "purpose": "Khảo sát thị trường Hàn Quốc", "countries": ["KR"],
                       "start_on": "2025-12-26", "end_on": "2026-01-02"}),
            )
            .await
            .unwrap();
        for (who, to) in [
            (&ed, "submitted"),
            (&ap, "approved"),
            (&ed, "travelling"),
            (&ed, "returned"),
        ] {
            svc.transition_on(
                who,
                RecordType::Delegation,
                trip.id,
                to,
                None,
                on("2026-01-02"),
            )
            .await
            .unwrap();
        }
        // Submitted, waiting for the approver.
        let next = svc
            .create(
                &ed,
                RecordType::Delegation,
                json!({"direction": "outbound", "purpose": "Dự hội chợ tại Nhật Bản", "countries": ["JP"],
                       "start_on": "2026-02-05", "end_on": "2026-02-10"}),
            )
            .await
            .unwrap();
        svc.transition_on(
            &ed,
            RecordType::Delegation,
            next.id,
            "submitted",
            None,
            on("2026-01-20"),
        )
        .await
        .unwrap();
        let p = svc
            .create(
                &ed,
                RecordType::Partner,
                json!({"name": "Tỉnh Gyeonggi", "kind": "foreign_locality", "country": "KR"}),
            )
            .await
            .unwrap();
        // An agreement of past years, entered as in force: an approver's.
        svc.create(
            &ap,
            RecordType::Agreement,
            json!({"title": "Biên bản ghi nhớ hợp tác với tỉnh Gyeonggi", "kind": "mou", "partner_ids": [p.id],
                   "signed_on": "2021-03-01", "valid_from": "2021-03-01", "valid_until": "2026-02-28", "status": "in_force"}),
        )
        .await
        .unwrap();
    }
    let d = dir.path();
    let (code, out, err) = run(
        d,
        &["remind", "--db", &url, "--dry-run", "--date", "2026-02-02"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("02/02/2026"), "{out}");
    let block = |name: &str| -> String {
        out.split("\n\n")
            .find(|b| b.starts_with(name))
            .unwrap_or_default()
            .to_owned()
    };
    let editor = block("vl-bt");
    assert!(
        editor.contains("[Báo cáo quá hạn]")
            && editor.contains("Khảo sát thị trường Hàn Quốc — Đã về nước · 23/01/2026"),
        "{out}"
    );
    assert!(
        editor.contains("[Thỏa thuận hết hiệu lực trong 30 ngày]"),
        "{out}"
    );
    assert!(
        editor.contains("[Đoàn khởi hành hoặc đến trong 7 ngày]")
            && editor.contains("Dự hội chợ tại Nhật Bản"),
        "{out}"
    );
    assert!(!editor.contains("[Chờ tôi xử lý]"), "{out}");
    let approver = block("vl-pd");
    assert!(
        approver.contains("[Chờ tôi xử lý]") && approver.contains("Dự hội chợ tại Nhật Bản"),
        "{out}"
    );
    // Another province's user is told nothing of Vĩnh Long's records.
    assert!(block("dt-bt").is_empty(), "{out}");
    // Without --dry-run and without an SMTP server: refused, nothing sent.
    let (code, _, err) = run(d, &["remind", "--db", &url]);
    assert_ne!(code, 0);
    assert!(
        err.contains("NGOAIVU_SMTP_URL") && err.contains("--dry-run"),
        "{err}"
    );

    // With a server: one digest per user who has an address.
    let (code, out, err) = run(
        d,
        &[
            "user",
            "set-email",
            "--db",
            &url,
            "vl-pd",
            "phe.duyet@songoaivu.example",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("phe.duyet@songoaivu.example"), "{out}");
    let (code, _, err) = run(
        d,
        &[
            "user",
            "set-email",
            "--db",
            &url,
            "vl-bt",
            "không phải địa chỉ",
        ],
    );
    assert_ne!(code, 0, "a bad address is refused");
    assert!(err.contains("e-mail"), "{err}");
    let (code, out, _) = run(
        d,
        &["remind", "--db", &url, "--dry-run", "--date", "2026-02-02"],
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("vl-pd (vinh-long, approver) <phe.duyet@songoaivu.example>"),
        "{out}"
    );
    let (port, received) = fake_smtp();
    let (ok, stdout, stderr) = remind_via(d, &url, "2026-02-02", port);
    assert!(ok, "{stdout} {stderr}");
    assert!(
        stdout.contains(
            "sent 1 digests; 1 users with reminders have no e-mail address; 0 already sent today"
        ),
        "{stdout}"
    );
    let mails = received.join().unwrap();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(
        mails[0].contains("RCPT TO:<phe.duyet@songoaivu.example>"),
        "{}",
        mails[0]
    );
    assert!(
        mails[0].contains("MAIL FROM:<ngoaivu@songoaivu.example>"),
        "{}",
        mails[0]
    );
    assert!(mails[0].contains("Subject: "), "{}", mails[0]);

    // The same day again (a restart, a second run): nothing is sent twice.
    // Nothing listens on this port: a send would fail the run.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (ok, stdout, stderr) = remind_via(d, &url, "2026-02-02", closed);
    assert!(ok, "{stdout} {stderr}");
    assert!(
        stdout.contains("sent 0 digests") && stdout.contains("1 already sent today"),
        "{stdout}"
    );

    // One refused message does not stop the others; the refused one goes
    // out on the next run, the other is not repeated.
    let (code, _, err) = run(
        d,
        &[
            "user",
            "set-email",
            "--db",
            &url,
            "vl-bt",
            "bien.tap@songoaivu.example",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (port, received) = fake_smtp_rejecting(Some("bien.tap"));
    let (ok, stdout, stderr) = remind_via(d, &url, "2026-02-03", port);
    assert!(!ok, "a refused digest makes the run fail: {stdout}");
    assert!(stdout.contains("sent 1 digests"), "{stdout}");
    assert!(
        stderr.contains("1 digests not sent") && stderr.contains("vl-bt"),
        "{stderr}"
    );
    let mails = received.join().unwrap();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(
        mails[0].contains("phe.duyet@songoaivu.example"),
        "{}",
        mails[0]
    );
    let (port, received) = fake_smtp();
    let (ok, stdout, stderr) = remind_via(d, &url, "2026-02-03", port);
    assert!(ok, "{stdout} {stderr}");
    assert!(
        stdout.contains("sent 1 digests") && stdout.contains("1 already sent today"),
        "{stdout}"
    );
    let mails = received.join().unwrap();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(
        mails[0].contains("bien.tap@songoaivu.example"),
        "{}",
        mails[0]
    );

    // The holiday calendar: the file's days, and one added.
    let (code, out, err) = run(d, &["holiday", "list", "--db", &url, "--year", "2026"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("17/02/2026") && out.contains("Tết Nguyên Đán (mùng 1)"),
        "{out}"
    );
    let (code, out, err) = run(
        d,
        &[
            "holiday",
            "add",
            "--db",
            &url,
            "--date",
            "2026-09-01",
            "--name",
            "Quốc khánh (ngày liền kề)",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("01/09/2026"), "{out}");
    let (_, out, _) = run(d, &["holiday", "list", "--db", &url, "--year", "2026"]);
    assert!(
        out.contains("01/09/2026  nghỉ     Quốc khánh (ngày liền kề)"),
        "{out}"
    );
    let (code, _, err) = run(
        d,
        &[
            "holiday",
            "add",
            "--db",
            &url,
            "--date",
            "2026-02-30",
            "--name",
            "x",
        ],
    );
    assert_ne!(code, 0);
    assert!(err.contains("YYYY-MM-DD"), "{err}");
}

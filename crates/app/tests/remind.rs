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
    }
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
        svc.create(
            &ed,
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
    // Without --dry-run nothing is sent: e-mail is not built.
    let (code, _, err) = run(d, &["remind", "--db", &url]);
    assert_ne!(code, 0);
    assert!(err.contains("--dry-run"), "{err}");

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

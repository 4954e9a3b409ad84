//! A record's workflow on its page and the inbox, through the same router
//! as `ngoaivu serve`: the state, the buttons the user may press (and only
//! those), a refused step's reason (403), the report deadline flagged
//! "quá hạn", and `/tasks` listing what waits for each role.

use crate::common::*;
use axum::http::StatusCode;
use ngoaivu_core::{RecordType, Role};
use serde_json::json;

fn step(to: &str) -> String {
    serde_urlencoded::to_string([("to", to), ("note", "Theo Tờ trình số 12/TTr-SNgV")]).unwrap()
}

#[tokio::test]
async fn an_outbound_delegation_moves_on_its_page() {
    let app = App::new().await;
    let editor = app.user("vinh-long", "vl-bien-tap", Role::Editor).await;
    app.user("vinh-long", "vl-phe-duyet", Role::Approver).await;
    app.user("vinh-long", "vl-xem", Role::Viewer).await;
    let d = app
        .service
        .create(
            &editor,
            RecordType::Delegation,
            json!({"direction": "outbound", "purpose": "Xúc tiến thương mại tại Nhật Bản", "countries": ["JP"],
                   "start_on": "2026-03-02", "end_on": "2026-03-08"}),
        )
        .await
        .unwrap();
    let page = format!("/records/delegations/{}", d.id);
    let action = format!("{page}/transitions");
    let ed = app.login("vl-bien-tap").await;
    let ap = app.login("vl-phe-duyet").await;
    let vw = app.login("vl-xem").await;

    let r = app.get(&page, &ed).await;
    assert!(r.body.contains("Trạng thái hiện tại"), "{}", r.body);
    assert!(r.body.contains("data-state=\"draft\""));
    assert!(
        r.body
            .contains("value=\"submitted\">Trình phê duyệt</button>")
    );
    assert!(!r.body.contains("value=\"approved\""));
    // A viewer sees the state, no buttons.
    let r = app.get(&page, &vw).await;
    assert!(r.body.contains("Dự thảo") && !r.body.contains("form class=\"steps\""));
    let r = app.post(&action, &vw, &step("submitted")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let r = app.post(&action, &ed, &step("submitted")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The editor may not approve: the reason is on the page.
    let r = app.post(&action, &ed, &step("approved")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("người phê duyệt"), "{}", r.body);
    let r = app.get(&page, &ed).await;
    assert!(r.body.contains("Phê duyệt (người phê duyệt)"), "{}", r.body);

    // The approver's inbox lists it; the approver sees the buttons.
    let r = app.get("/tasks", &ap).await;
    assert!(
        r.body.contains("Chờ tôi xử lý") && r.body.contains("Xúc tiến thương mại tại Nhật Bản"),
        "{}",
        r.body
    );
    // In English the page is "Tasks", and the menu marks Tasks as the page
    // (not the channel's Inbox, which once shared its title).
    let r = app.get("/tasks", &format!("{ap}; lang=en")).await;
    assert!(r.body.contains("<title>Tasks"), "{}", r.body);
    assert!(
        r.body.contains("href=\"/tasks\" aria-current=\"page\"")
            && !r.body.contains("href=\"/inbox\" aria-current=\"page\""),
        "{}",
        r.body
    );
    let r = app.get(&page, &ap).await;
    assert!(r.body.contains("value=\"approved\">Phê duyệt</button>"));
    assert!(
        r.body
            .contains("value=\"rejected\">Không phê duyệt</button>")
    );
    let r = app.post(&action, &ap, &step("approved")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    for to in ["travelling", "returned"] {
        let r = app.post(&action, &ed, &step(to)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{to}: {}", r.body);
    }
    let r = app.get(&page, &ed).await;
    assert!(
        r.body.contains("Hạn báo cáo kết quả chuyến đi"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("quá hạn"));
    let r = app.get("/tasks", &ed).await;
    assert!(r.body.contains("Báo cáo sắp đến hạn"), "{}", r.body);

    // Returned long ago: the report is overdue, on the page and in the inbox.
    app.backend
        .update_record(
            &editor,
            &editor.read_scope(),
            RecordType::Delegation,
            d.id,
            &json!({"returned_on": "2025-01-02", "report_due": "2025-01-24"}),
            &|_, v| {
                ngoaivu_core::records::prepare(
                    RecordType::Delegation,
                    v,
                    &ngoaivu_core::records::Context {
                        allowed_localities: None,
                        default_locality: None,
                        indicators: &[],
                    },
                )
            },
            None,
        )
        .await
        .unwrap();
    let r = app.get(&page, &ed).await;
    assert!(
        r.body.contains("24/01/2025") && r.body.contains("quá hạn"),
        "{}",
        r.body
    );
    let r = app.get("/tasks", &ed).await;
    assert!(r.body.contains("Báo cáo quá hạn"), "{}", r.body);

    let r = app.post(&action, &ed, &step("reported")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app.get(&page, &ed).await;
    assert!(r.body.contains("Đã báo cáo kết quả") && r.body.contains("Quy trình đã kết thúc."));
    let hist = app
        .service
        .history(&editor, RecordType::Delegation, d.id)
        .await
        .unwrap();
    assert_eq!(hist.iter().filter(|h| h.action == "transition").count(), 5);
    // English labels.
    let r = app.get(&page, &format!("{ed}; lang=en")).await;
    assert!(r.body.contains("Current state") || r.body.contains("Trạng thái hiện tại"));
}

#[tokio::test]
async fn every_consulted_bodys_answer_is_tracked_while_consulting() {
    let app = App::new().await;
    let editor = app.user("vinh-long", "vl-bt", Role::Editor).await;
    let p = app
        .service
        .create(
            &editor,
            RecordType::Partner,
            json!({"name": "Tỉnh Xiêng Khoảng", "kind": "foreign_locality", "country": "LA"}),
        )
        .await
        .unwrap();
    let a = app
        .service
        .create(
            &editor,
            RecordType::Agreement,
            json!({"title": "Thỏa thuận hợp tác giai đoạn 2026 - 2030", "kind": "agreement", "partner_ids": [p.id],
                   "inherited": true,
                   "consultations": [{"body": "Bộ Ngoại giao", "ministry": true, "asked_on": "2026-02-12"},
                                     {"body": "Sở Tư pháp", "asked_on": "2026-02-12"}]}),
        )
        .await
        .unwrap();
    app.service
        .transition(&editor, RecordType::Agreement, a.id, "consulting", None)
        .await
        .unwrap();
    let c = app.login("vl-bt").await;
    let r = app.get(&format!("/records/agreements/{}", a.id), &c).await;
    // Asked 12/02/2026: due 7 working days later, 02/03/2026 (Tết skipped); long past.
    assert!(
        r.body
            .contains("Hạn Bộ Ngoại giao trả lời ý kiến: <strong>02/03/2026</strong>")
            && r.body.contains("quá hạn"),
        "{}",
        r.body
    );
    // Every other body consulted has its answer due too (7 working days).
    assert!(
        r.body
            .contains("Hạn Sở Tư pháp trả lời ý kiến: <strong>02/03/2026</strong>"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("thỏa thuận của đơn vị hành chính đã sáp nhập"),
        "{}",
        r.body
    );
    let r = app.get("/tasks", &c).await;
    assert!(
        r.body.contains("Cơ quan được hỏi trả lời quá hạn"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn an_abtc_check_waits_for_the_months_entered_in_the_form() {
    let app = App::new().await;
    let editor = app.user("dong-thap", "dt-bt", Role::Editor).await;
    let a = app
        .service
        .create(
            &editor,
            RecordType::AbtcApproval,
            json!({"person_name": "Lê Văn Cường", "enterprise": "Công ty CP Xoài Cao Lãnh", "economies": ["JP"]}),
        )
        .await
        .unwrap();
    let c = app.login("dt-bt").await;
    let page = format!("/records/abtc-approvals/{}", a.id);
    let r = app
        .post(&format!("{page}/transitions"), &c, &step("checked"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("12 tháng"), "{}", r.body);
    let r = app.get(&format!("{page}/edit"), &c).await;
    assert!(
        r.body.contains("Số tháng hoạt động của doanh nghiệp"),
        "{}",
        r.body
    );
    let form = serde_urlencoded::to_string([
        ("person_name", "Lê Văn Cường"),
        ("enterprise", "Công ty CP Xoài Cao Lãnh"),
        ("economies", "JP"),
        ("status", "applied"),
        ("enterprise_months", "36"),
        ("applicant_months", "18"),
    ])
    .unwrap();
    let r = app.post(&format!("{page}/edit"), &c, &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app
        .post(&format!("{page}/transitions"), &c, &step("checked"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app.get(&page, &c).await;
    assert!(r.body.contains("data-state=\"checked\""), "{}", r.body);
}

#[tokio::test]
async fn abtc_cards_expiring_within_90_days_are_in_the_tasks() {
    let app = App::new().await;
    let editor = app.user("vinh-long", "vl-the", Role::Editor).await;
    // Cards issued before: entered past the decision, by an approver.
    let approver = app.user("vinh-long", "vl-duyet", Role::Approver).await;
    let today = time::OffsetDateTime::now_utc().date();
    let day = |n: i64| ngoaivu_core::values::format_date(today + time::Duration::days(n));
    for (name, expires) in [
        ("Trần Thị Sớm", day(60)),
        ("Lê Văn Muộn", day(120)),
        ("Phạm Hết", day(-3)),
    ] {
        app.service
            .create(
                &approver,
                RecordType::AbtcApproval,
                json!({"person_name": name, "enterprise": "Công ty Mê Kông", "economies": ["JP"],
                       "status": "issued", "decision_number": "88/QĐ-UBND", "card_issued_on": day(-1000), "card_expires_on": expires}),
            )
            .await
            .unwrap();
    }
    let tasks = app.service.tasks(&editor, today).await.unwrap();
    let cards: Vec<&str> = tasks
        .iter()
        .filter(|t| t.reason == ngoaivu_store::inbox::Reason::CardExpiring)
        .map(|t| t.title.as_str())
        .collect();
    assert_eq!(cards.len(), 1, "{cards:?}");
    assert!(cards[0].contains("Trần Thị Sớm"), "{cards:?}");
    let ed = app.login("vl-the").await;
    let r = app.get("/tasks", &ed).await;
    assert!(
        r.body.contains("Thẻ ABTC hết hạn trong 90 ngày") && r.body.contains("Trần Thị Sớm"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("Lê Văn Muộn"));
}

//! The office's procedures of issue 15 in `/tasks`, on each backend: a
//! conference dossier filed late is listed until it is decided, a held
//! conference owes its report, and a plan's tasks past due (or due within
//! 30 days) are listed, done ones not; another province's are its own.

use ngoaivu_core::values::format_date;
use ngoaivu_core::{RecordType, Role};
use ngoaivu_store::Service;
use ngoaivu_store::inbox::Reason;
use ngoaivu_store_tests::{actor, both};
use serde_json::json;
use time::Duration;

#[tokio::test]
async fn late_dossiers_conference_reports_and_plan_tasks_are_in_the_tasks() {
    for b in both().await {
        let svc = Service::new(b.clone());
        let kind = b.kind();
        let editor = actor(&b, "vinh-long", Role::Editor, "vl_office").await;
        let approver = actor(&b, "vinh-long", Role::Approver, "vl_office_ap").await;
        let other = actor(&b, "dong-thap", Role::Editor, "dt_office").await;
        let today = ngoaivu_store::service::today_in_vietnam();
        let day = |n: i64| format_date(today + Duration::days(n));
        let permit = |title: &str, received: i64| {
            json!({"title": title, "kind": "conference", "organiser": "Sở Ngoại vụ",
                   "start_on": day(20), "received_on": day(received)})
        };
        let late = svc
            .create(&editor, RecordType::ConferencePermit, permit("Nộp muộn", 0))
            .await
            .unwrap();
        svc.create(
            &editor,
            RecordType::ConferencePermit,
            permit("Nộp đúng hạn", -15),
        )
        .await
        .unwrap();
        svc.create(&other, RecordType::ConferencePermit, permit("Tỉnh khác", 0))
            .await
            .unwrap();
        let titles = |tasks: &[ngoaivu_store::inbox::Item], reason: Reason| -> Vec<String> {
            tasks
                .iter()
                .filter(|t| t.reason == reason)
                .map(|t| t.title.clone())
                .collect()
        };
        let tasks = svc.tasks(&editor, today).await.unwrap();
        assert_eq!(titles(&tasks, Reason::FiledLate), ["Nộp muộn"], "{kind}");

        // Decided, it is no longer a warning to act on; held, it owes its report.
        for (who, to) in [
            (&editor, "submitted"),
            (&approver, "permitted"),
            (&editor, "held"),
        ] {
            svc.transition(who, RecordType::ConferencePermit, late.id, to, None)
                .await
                .unwrap_or_else(|e| panic!("{kind}: {to}: {e}"));
        }
        let tasks = svc.tasks(&editor, today).await.unwrap();
        assert!(titles(&tasks, Reason::FiledLate).is_empty(), "{kind}");
        assert_eq!(titles(&tasks, Reason::ReportDue), ["Nộp muộn"], "{kind}");

        svc.create(
            &editor,
            RecordType::Plan,
            json!({"kind": "yearly_plan", "title": "Kế hoạch năm", "year": today.year(), "tasks": [
                {"title": "Quá hạn", "due_on": day(-3), "status": "in_progress"},
                {"title": "Sắp đến hạn", "due_on": day(10)},
                {"title": "Còn xa", "due_on": day(90)},
                {"title": "Đã xong", "due_on": day(-3), "status": "done"},
                {"title": "Bỏ", "due_on": day(-3), "status": "dropped"}
            ]}),
        )
        .await
        .unwrap();
        let tasks = svc.tasks(&editor, today).await.unwrap();
        assert_eq!(
            titles(&tasks, Reason::PlanTaskOverdue),
            ["Kế hoạch năm — Quá hạn"],
            "{kind}"
        );
        assert_eq!(
            titles(&tasks, Reason::PlanTaskDue),
            ["Kế hoạch năm — Sắp đến hạn"],
            "{kind}"
        );
        let tasks = svc.tasks(&other, today).await.unwrap();
        assert!(
            !tasks.iter().any(|t| t.title.starts_with("Kế hoạch năm")),
            "{kind}"
        );
        assert_eq!(titles(&tasks, Reason::FiledLate), ["Tỉnh khác"], "{kind}");
    }
}

/// A submitted report's files come back byte for byte, once per period, to
/// its province and the Ministry only, on each backend.
#[tokio::test]
async fn submitted_reports_are_kept_as_submitted() {
    for b in both().await {
        let svc = Service::new(b.clone());
        let kind = b.kind();
        let approver = actor(&b, "vinh-long", Role::Approver, "vl_submit").await;
        let editor = actor(&b, "vinh-long", Role::Editor, "vl_submit_ed").await;
        let other = actor(&b, "dong-thap", Role::Approver, "dt_submit").await;
        let ministry = actor(&b, "bo-ngoai-giao", Role::Viewer, "bng_submit").await;
        let report = || ngoaivu_store::NewSubmittedReport {
            org_id: approver.org_id,
            kind: "annual".into(),
            period: "2025".into(),
            title: "Báo cáo công tác đối ngoại năm 2025".into(),
            docx: vec![1, 2, 3, 0, 255],
            xlsx: vec![4, 5],
            pdf: b"%PDF-1.4".to_vec(),
        };
        let denied = svc.submit_report(&editor, report()).await;
        assert!(
            matches!(denied, Err(ngoaivu_store::StoreError::Forbidden(_))),
            "{kind}"
        );
        let denied = svc.submit_report(&other, report()).await;
        assert!(
            matches!(denied, Err(ngoaivu_store::StoreError::Forbidden(_))),
            "{kind}"
        );
        let r = svc.submit_report(&approver, report()).await.unwrap();
        assert_eq!(
            (r.period.as_str(), r.submitted_by.as_str()),
            ("2025", "vl_submit"),
            "{kind}"
        );
        let again = svc.submit_report(&approver, report()).await;
        assert!(
            matches!(again, Err(ngoaivu_store::StoreError::Conflict(ngoaivu_store::ConflictKind::AlreadySubmitted(id))) if id == r.id),
            "{kind}: {again:?}"
        );
        for (f, want) in [
            ("docx", vec![1, 2, 3, 0, 255]),
            ("xlsx", vec![4, 5]),
            ("pdf", b"%PDF-1.4".to_vec()),
        ] {
            let (_, bytes) = svc.submitted_report_file(&approver, r.id, f).await.unwrap();
            assert_eq!(bytes, want, "{kind} {f}");
        }
        assert_eq!(
            svc.submitted_reports(&ministry).await.unwrap().len(),
            1,
            "{kind}"
        );
        assert!(
            svc.submitted_reports(&other).await.unwrap().is_empty(),
            "{kind}"
        );
        assert!(
            svc.submitted_report_file(&other, r.id, "docx")
                .await
                .is_err(),
            "{kind}"
        );
        assert!(
            svc.submitted_report_file(&approver, r.id, "exe")
                .await
                .is_err(),
            "{kind}"
        );
    }
}

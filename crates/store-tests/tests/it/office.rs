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

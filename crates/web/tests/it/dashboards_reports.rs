//! Dashboards and reports on the demo data, as a user's browser gets them.

use crate::common::App;
use axum::http::StatusCode;
use ngoaivu_core::{RecordType, Role};
use serde_json::json;

async fn demo() -> App {
    let app = App::new().await;
    ngoaivu_seed::demo::load(&app.service, |_, _| {})
        .await
        .unwrap();
    app.user("vinh-long", "vl", Role::Viewer).await;
    app.user("dong-thap", "dt", Role::Viewer).await;
    app.user("bo-ngoai-giao", "bng", Role::Viewer).await;
    app
}

#[tokio::test]
async fn a_province_dashboard_shows_its_figures_only() {
    let app = demo().await;
    let vl = app.login("vl").await;
    let r = app.get("/?year=2022", &vl).await;
    assert_eq!(r.status, StatusCode::OK);
    for want in [
        "Tổng quan · Tỉnh Vĩnh Long",
        "Kim ngạch xuất khẩu",
        "793 triệu USD",
        "+37,91%",
        "(theo báo cáo)",
        "876,92 triệu USD",
        "gồm số liệu của Bến Tre, Trà Vinh",
    ] {
        assert!(r.body.contains(want), "{want} missing");
    }
    // Without a year: the latest with figures (2022 for Vĩnh Long).
    let r = app.get("/", &vl).await;
    assert!(r.body.contains("793 triệu USD"));
    // A province cannot look at another one's dashboard: the org is its own.
    let r = app.get("/?org=dong-thap&year=2019", &vl).await;
    assert!(r.body.contains("Tỉnh Vĩnh Long") && !r.body.contains("Tỉnh Đồng Tháp"));
    // Đồng Tháp's 2020 has a chart (a delegation received) with its numbers as a table.
    let dt = app.login("dt").await;
    let r = app.get("/?year=2020", &dt).await;
    assert!(
        r.body.contains("<svg") && r.body.contains("Đoàn ra, đoàn vào theo năm"),
        "no chart"
    );
    assert!(r.body.contains("Xem số liệu dạng bảng"));
    // Tiền Giang's 2019 remittances are Đồng Tháp's today.
    let r = app.get("/?year=2019", &dt).await;
    assert!(
        r.body.contains("Kiều hối") && r.body.contains("80 triệu USD"),
        "{}",
        r.body
    );
    // A bad year is ignored, not an error.
    assert_eq!(app.get("/?year=abc", &dt).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_ministry_sees_every_province_and_drills_down() {
    let app = demo().await;
    let bng = app.login("bng").await;
    let r = app.get("/?year=2022", &bng).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Tổng quan toàn quốc"));
    assert!(
        r.body.contains("href=\"/?org=vinh-long&amp;year=2022\""),
        "drill-down link"
    );
    assert!(r.body.contains("Tổng cộng"));
    assert!(
        r.body.contains("1/34 tỉnh, thành có số liệu"),
        "counted against 34"
    );
    let r = app.get("/?org=vinh-long&year=2022", &bng).await;
    assert!(r.body.contains("Tổng quan · Tỉnh Vĩnh Long") && r.body.contains("793 triệu USD"));
    assert!(r.body.contains("← Toàn quốc"));
    assert_eq!(
        app.get("/?org=khong-co", &bng).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn reports_in_the_browser_and_their_downloads() {
    let app = demo().await;
    let vl = app.login("vl").await;
    let r = app.get("/reports", &vl).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Loại báo cáo") && !r.body.contains("value=\"national\""));
    let r = app.get("/reports?kind=annual&year=2022", &vl).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Năm 2022, tổng kim ngạch xuất khẩu của tỉnh đạt 793 triệu USD, tăng 37,91% so với năm 2021."));
    for (format, media, name, magic) in [
        (
            "docx",
            "wordprocessingml",
            "bao-cao-nam-2022-vinh-long.docx",
            "PK",
        ),
        (
            "xlsx",
            "spreadsheetml",
            "bao-cao-nam-2022-vinh-long.xlsx",
            "PK",
        ),
        (
            "pdf",
            "application/pdf",
            "bao-cao-nam-2022-vinh-long.pdf",
            "%PDF-",
        ),
        (
            "html",
            "text/html",
            "bao-cao-nam-2022-vinh-long.html",
            "<!doctype html>",
        ),
    ] {
        let r = app
            .get(
                &format!("/reports/download?kind=annual&year=2022&format={format}"),
                &vl,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{format}");
        let ct = r.headers["content-type"].to_str().unwrap();
        assert!(ct.contains(media), "{format}: {ct}");
        let cd = r.headers["content-disposition"].to_str().unwrap();
        assert!(cd.contains(name), "{cd}");
        assert!(r.body.starts_with(magic), "{format}");
    }
    // A province names no other organisation: its own report, whatever it asks.
    let r = app
        .get("/reports?kind=annual&year=2019&org=dong-thap", &vl)
        .await;
    assert!(r.body.contains("Tỉnh Vĩnh Long") && !r.body.contains("Tiền Giang"));
    // Refusals, in the user's language, with what was typed kept.
    for (q, want) in [
        (
            "kind=national&year=2014",
            "Báo cáo tổng hợp toàn quốc do Bộ Ngoại giao lập.",
        ),
        (
            "kind=annual&year=abc",
            "Năm phải là số từ 1990 đến 2100, không phải «abc»",
        ),
        ("kind=annual&year=", "Nhập năm báo cáo."),
        (
            "kind=term&from=2021&to=2016",
            "Năm kết thúc phải sau hoặc bằng năm bắt đầu.",
        ),
    ] {
        let r = app.get(&format!("/reports?{q}"), &vl).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert!(r.body.contains(want), "{q}: {want}");
    }
    let r = app
        .get("/reports/download?kind=annual&year=2022&format=odt", &vl)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // The Ministry: the national summary, and a province's report by choice.
    let bng = app.login("bng").await;
    let r = app.get("/reports?kind=national&year=2014", &bng).await;
    assert!(
        r.body
            .contains("Năm 2014, các địa phương ký kết 53 thỏa thuận quốc tế cấp địa phương")
    );
    let r = app
        .get("/reports?kind=annual&year=2019&org=dong-thap", &bng)
        .await;
    assert!(r.body.contains("80 triệu USD"));
    let r = app.get("/reports?kind=annual&year=2019", &bng).await;
    assert!(r.body.contains("Chọn tỉnh, thành phố."));
    // English.
    let en = format!("{vl}; lang=en");
    let r = app.get("/reports?kind=annual&year=2022", &en).await;
    assert!(r.body.contains("<h1>Reports</h1>") && r.body.contains("Kind of report"));
    assert!(
        r.body.contains(
            "In 2022, export turnover of the province reached 793 million USD, up 37.91% on 2021."
        ),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn the_table_builder_builds_saves_and_reopens() {
    let app = demo().await;
    let dt = app.login("dt").await;
    let r = app.get("/reports/table", &dt).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("Tiền Giang") && !r.body.contains("value=\"vinh-long\""),
        "a province chooses among its own units"
    );
    // Remittances and exports of Đồng Tháp and Tiền Giang, 2018–2020.
    let q = "ind=remittances&ind=trade.export&loc=dong-thap&loc=tien-giang&from=2018&to=2020&period=year";
    let r = app.get(&format!("/reports/table?{q}"), &dt).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Kiều hối (triệu USD)"), "{}", r.body);
    assert!(r.body.contains(">80<"), "Tiền Giang's 80 million in 2019");
    assert!(
        r.body.contains(">2.000<"),
        "Tiền Giang's exports of 2 billion in 2020"
    );
    let r = app
        .get(&format!("/reports/table/download?{q}&format=xlsx"), &dt)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("bang-so-lieu-2018-2020.xlsx")
    );
    // Save, find it in the list, reopen it.
    let spec = q.replace('&', "%26").replace('=', "%3D");
    let r = app
        .post(
            "/reports/tables",
            &dt,
            &format!("name=Ki%E1%BB%81u+h%E1%BB%91i&spec={spec}"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app.get("/reports/table", &dt).await;
    assert!(r.body.contains(">Kiều hối</a>"), "{}", r.body);
    assert!(r.body.contains("href=\"/reports/table?ind=remittances&amp;ind=trade.export&amp;loc=dong-thap&amp;loc=tien-giang&amp;from=2018&amp;to=2020&amp;period=year&amp;saved="));
    // Two people open the saved table; its form names it and its version.
    let other = app.login("dt").await;
    let version_in = |body: &str| {
        let mark = "name=\"version\" value=\"";
        let at = body.find(mark).expect("a version in the form") + mark.len();
        body[at..at + body[at..].find('"').unwrap()].to_owned()
    };
    let first = app.get(&format!("/reports/table?{q}"), &dt).await;
    let second = app.get(&format!("/reports/table?{q}"), &other).await;
    assert!(first.body.contains("value=\"Kiều hối\""), "{}", first.body);
    let seen = version_in(&first.body);
    assert_eq!(version_in(&second.body), seen);
    // The first saves it again; the second, still on the version both
    // opened, is told, nothing is written, and replaces it knowingly.
    let save = |v: &str| format!("name=Ki%E1%BB%81u+h%E1%BB%91i&spec={spec}&version={v}");
    let r = app.post("/reports/tables", &dt, &save(&seen)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app.post("/reports/tables", &other, &save(&seen)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(
        r.body.contains("Bảng của bạn chưa được lưu")
            && r.body.contains("Lưu đè bằng bảng của bạn"),
        "{}",
        r.body
    );
    let now = version_in(&r.body);
    assert_ne!(now, seen);
    let r = app.post("/reports/tables", &other, &save(&now)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Opened from the list and rebuilt with other years, it is still the
    // saved table: saving it under its name replaces the version opened.
    let list = app.get("/reports/table", &dt).await;
    let at = list
        .body
        .find("&amp;saved=")
        .expect("the saved table's link")
        + "&amp;saved=".len();
    let saved = &list.body[at..at + list.body[at..].find('"').unwrap()];
    let rebuilt = q.replace("from=2018", "from=2016");
    let r = app
        .get(&format!("/reports/table?{rebuilt}&saved={saved}"), &dt)
        .await;
    assert!(
        r.body
            .contains(&format!("name=\"saved\" value=\"{saved}\"")),
        "kept while rebuilding"
    );
    assert!(r.body.contains("value=\"Kiều hối\""), "{}", r.body);
    let v = version_in(&r.body);
    let spec2 = rebuilt.replace('&', "%26").replace('=', "%3D");
    let r = app
        .post(
            "/reports/tables",
            &dt,
            &format!("name=Ki%E1%BB%81u+h%E1%BB%91i&spec={spec2}&version={v}"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        app.get("/reports/table", &dt)
            .await
            .body
            .contains("from=2016")
    );
    // A new table under a name taken is not a silent replacement either.
    let r = app
        .post(
            "/reports/tables",
            &dt,
            &format!("name=Ki%E1%BB%81u+h%E1%BB%91i&spec={spec}"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    // Another province neither sees nor may use Đồng Tháp's units.
    let vl = app.login("vl").await;
    assert!(
        !app.get("/reports/table", &vl)
            .await
            .body
            .contains("Kiều hối</a>")
    );
    let r = app.get(&format!("/reports/table?{q}"), &vl).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Không được chọn đơn vị hành chính «dong-thap»")
    );
    for (q, want) in [
        (
            "loc=vinh-long&from=2018&to=2020",
            "Chọn ít nhất một chỉ tiêu.",
        ),
        (
            "ind=khong-co&from=2018&to=2020",
            "Không có chỉ tiêu «khong-co»",
        ),
        (
            "ind=remittances&from=2020&to=2018",
            "Năm kết thúc phải sau hoặc bằng năm bắt đầu.",
        ),
        ("ind=remittances&from=1900&to=2018", "không phải «1900»"),
        ("ind=remittances&from=1990&to=2030", "tối đa 30 năm"),
    ] {
        let r = app.get(&format!("/reports/table?{q}"), &vl).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert!(r.body.contains(want), "{q}: {want}");
    }
    // An empty name saves nothing.
    let r = app
        .post(
            "/reports/tables",
            &vl,
            &format!(
                "name=&spec={}",
                "ind%3Dremittances%26from%3D2018%26to%3D2020"
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Tên bảng phải có từ 1 đến 200 ký tự."));
}

#[tokio::test]
async fn a_catalog_project_suggests_who_could_help() {
    let app = demo().await;
    let dl = app.user("dak-lak", "dl", Role::Viewer).await;
    let mut q = ngoaivu_store::ListQuery::new(ngoaivu_core::RecordType::CatalogProject);
    q.limit = 10;
    let page = app.service.list(&dl, &q).await.unwrap();
    let coffee = page
        .items
        .iter()
        .find(|r| {
            r.data["countries_of_interest"]
                .as_array()
                .is_some_and(|c| !c.is_empty())
        })
        .expect("a demo catalog project of Đắk Lắk with countries of interest");
    let c = app.login("dl").await;
    let r = app
        .get(&format!("/records/catalog-projects/{}", coffee.id), &c)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Gợi ý kết nối"), "{}", r.body);
    assert!(
        r.body.contains("cùng quốc gia:"),
        "a mission of a country of interest: {}",
        r.body
    );
    // Another province's project is not found, suggestions included.
    let vl = app.login("vl").await;
    let r = app
        .get(&format!("/records/catalog-projects/{}", coffee.id), &vl)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_navigation_marks_the_current_section() {
    let app = demo().await;
    let vl = app.login("vl").await;
    let r = app.get("/records/partners", &vl).await;
    assert!(
        r.body
            .contains(r#"href="/records/partners" aria-current="page""#),
        "{}",
        r.body
    );
    assert_eq!(r.body.matches(r#"aria-current="page""#).count(), 1);
    let r = app.get("/reports", &vl).await;
    assert!(r.body.contains(r#"href="/reports" aria-current="page""#));
    let r = app.get("/", &vl).await;
    assert!(r.body.contains(r#"href="/" aria-current="page""#));
}

#[tokio::test]
async fn drafts_and_dossiers_awaiting_a_decision_are_not_counted_as_delegations_sent() {
    use ngoaivu_core::RecordType;
    use ngoaivu_stats::figures::PeriodKey;
    use serde_json::json;
    let app = App::new().await;
    // Entered in each state directly, as records of past steps: an
    // approver's, with the decision's date.
    let ed = app.user("vinh-long", "vl-ed", Role::Approver).await;
    for (status, direction) in [
        ("draft", "outbound"),
        ("submitted", "outbound"),
        ("approved", "outbound"),
        ("returned", "outbound"),
        ("cancelled", "outbound"),
        ("confirmed", "inbound"),
    ] {
        app.service
            .create(
                &ed,
                RecordType::Delegation,
                json!({"direction": direction, "purpose": format!("Đoàn {status}"),
                       "start_on": "2025-05-04", "status": status, "decided_on": "2025-04-20"}),
            )
            .await
            .unwrap_or_else(|e| panic!("{status}: {e}"));
    }
    let figs = ngoaivu_stats::load::load(
        &app.service,
        &ed,
        &ngoaivu_stats::load::Request {
            org_id: Some(ed.org_id),
            from: 2025,
            to: 2025,
            sequential: false,
        },
    )
    .await
    .unwrap();
    let units = vec!["vinh-long".to_owned()];
    let count = |ind: &str| {
        figs.value(ind, &units, PeriodKey::Year(2025), "count")
            .derived
            .map(|d| d.to_string())
    };
    // Approved and returned: two sent; the draft, the dossier waiting for
    // the chairman and the cancelled trip are not.
    assert_eq!(count("delegations.outbound").as_deref(), Some("2"));
    assert_eq!(count("delegations.inbound").as_deref(), Some("1"));
}

/// Issue 15: a province's approver submits its annual report; the files
/// stay as submitted when a record changes afterwards (the report made
/// afresh changes), a second submission of the period is refused, and
/// only approvers of the province may submit.
#[tokio::test]
async fn a_submitted_annual_report_stays_as_submitted() {
    let app = App::new().await;
    let approver = app.user("vinh-long", "vl_nop", Role::Approver).await;
    app.user("vinh-long", "vl_xem", Role::Viewer).await;
    let cookie = app.login("vl_nop").await;
    let viewer = app.login("vl_xem").await;
    let trip = |purpose: &str| {
        json!({"direction": "outbound", "purpose": purpose, "status": "reported",
               "decided_on": "2025-03-01", "start_on": "2025-03-10", "countries": ["JP"]})
    };
    app.service
        .create(
            &approver,
            RecordType::Delegation,
            trip("Đoàn công tác Nhật Bản"),
        )
        .await
        .unwrap();
    let q = "kind=annual&year=2025&lang=vi";
    let page = app.get(&format!("/reports?{q}"), &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Nộp báo cáo"),
        "the approver sees the button"
    );
    let seen = app.get(&format!("/reports?{q}"), &viewer).await;
    assert!(!seen.body.contains("Nộp báo cáo"), "a viewer does not");
    let refused = app.post(&format!("/reports/submit?{q}"), &viewer, "").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let r = app.post(&format!("/reports/submit?{q}"), &cookie, "").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = app.get("/reports/submitted", &cookie).await;
    assert!(list.body.contains("2025"), "{}", list.body);
    let id = app.service.submitted_reports(&approver).await.unwrap()[0].id;
    let file = |f: &'static str| {
        let app = &app;
        let cookie = cookie.clone();
        async move {
            app.get(&format!("/reports/submitted/{id}/{f}"), &cookie)
                .await
        }
    };
    let (docx, xlsx, pdf) = (file("docx").await, file("xlsx").await, file("pdf").await);
    for r in [&docx, &xlsx, &pdf] {
        assert_eq!(r.status, StatusCode::OK);
        assert!(!r.body.is_empty());
    }
    let fresh_before = app
        .get(&format!("/reports/download?{q}&format=xlsx"), &cookie)
        .await;

    // A record changes: the report made afresh changes, the submitted one not.
    app.service
        .create(
            &approver,
            RecordType::Delegation,
            trip("Đoàn công tác Hàn Quốc"),
        )
        .await
        .unwrap();
    let fresh_after = app
        .get(&format!("/reports/download?{q}&format=xlsx"), &cookie)
        .await;
    assert_ne!(
        fresh_before.body, fresh_after.body,
        "the fresh report counts the new trip"
    );
    assert_eq!(file("docx").await.body, docx.body);
    assert_eq!(file("xlsx").await.body, xlsx.body);
    assert_eq!(file("pdf").await.body, pdf.body);

    // Once per period.
    let again = app.post(&format!("/reports/submit?{q}"), &cookie, "").await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(again.body.contains("đã được nộp"), "{}", again.body);
    // Another province does not see it.
    app.user("dong-thap", "dt_xem", Role::Approver).await;
    let other = app.login("dt_xem").await;
    let r = app
        .get(&format!("/reports/submitted/{id}/docx"), &other)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// Issue 15, tried with the demo: Đắk Lắk's illustrative NGO registration
/// ends two months after the demo is loaded and is in its editor's tasks;
/// Đồng Tháp's illustrative consular case is read by an account granted
/// consular work and is "not found" to the province's viewer; the reports
/// gain the consular breakdown from it.
#[tokio::test]
async fn the_demo_shows_an_ngo_registration_ending_soon_and_a_consular_case() {
    let app = demo().await;
    app.user("dak-lak", "dl_ed", Role::Editor).await;
    let ed = app.login("dl_ed").await;
    let tasks = app.get("/tasks", &ed).await;
    assert!(
        tasks
            .body
            .contains("Tổ chức phi chính phủ nước ngoài (minh họa)"),
        "{}",
        tasks.body
    );

    let mut consul_actor = app.user("dong-thap", "dt_ls", Role::Approver).await;
    app.backend
        .set_consular(&ngoaivu_core::Actor::system(), "dt_ls", true)
        .await
        .unwrap();
    consul_actor.consular = true;
    let consul = app.login("dt_ls").await;
    // The overview counts the cases without reading one.
    assert_eq!(app.get("/", &consul).await.status, StatusCode::OK);
    let list = app.get("/records/consular-cases", &consul).await;
    assert!(
        list.body
            .contains("người nước ngoài làm việc trên địa bàn tỉnh bị mất hộ chiếu"),
        "{}",
        list.body
    );
    let href = list
        .body
        .split("href=\"/records/consular-cases/")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .find(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()))
        .expect("a link to the case")
        .to_owned();
    let path = format!("/records/consular-cases/{href}");
    let page = app.get(&path, &consul).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("minh họa"), "{}", page.body);
    // Two reads, each audited once: the list, then the record.
    let id: i64 = href.parse().unwrap();
    let reads: Vec<String> = app
        .service
        .history(&consul_actor, RecordType::ConsularCase, id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "read")
        .filter_map(|e| e.after.and_then(|a| a["via"].as_str().map(str::to_owned)))
        .collect();
    assert_eq!(reads, ["list", "record"]);
    app.user("dong-thap", "dt_xem2", Role::Viewer).await;
    let viewer = app.login("dt_xem2").await;
    assert_eq!(app.get(&path, &viewer).await.status, StatusCode::NOT_FOUND);

    // The year the demo case was opened (ten days before loading).
    let year = (ngoaivu_store::service::today_in_vietnam() - time::Duration::days(10)).year();
    let report = app
        .get(
            &format!("/reports?kind=annual&year={year}&lang=vi"),
            &viewer,
        )
        .await;
    assert!(
        report
            .body
            .contains("Vụ việc lãnh sự, bảo hộ công dân theo quốc tịch"),
        "{}",
        report.body
    );
    assert!(report.body.contains("Hàn Quốc"), "{}", report.body);
}

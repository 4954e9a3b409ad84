//! The create and edit forms of the six record types beyond partners and
//! agreements, a record's attachments, and changing one's own password: end
//! to end through the same router as `ngoaivu serve`.

use crate::common::*;
use axum::http::{StatusCode, header};
use ngoaivu_core::{RecordType, Role};
use ngoaivu_http::HttpConfig;
use serde_json::json;

/// Every `<input>`, `<select>` and `<textarea>` with an id has a `<label for=id>`.
fn assert_labelled(html: &str) {
    for tag in ["<input", "<select", "<textarea"] {
        for (i, _) in html.match_indices(tag) {
            let end = html[i..].find('>').unwrap() + i;
            let el = &html[i..end];
            if el.contains("type=\"hidden\"") {
                continue;
            }
            let id = el
                .split(" id=\"")
                .nth(1)
                .map(|r| r.split('"').next().unwrap())
                .unwrap_or_else(|| panic!("field without id: {el}"));
            assert!(
                html.contains(&format!("<label for=\"{id}\""))
                    || html.contains(&format!("<label class=\"sr\" for=\"{id}\"")),
                "no label for #{id}: {el}"
            );
        }
    }
}

fn enc(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

fn id_of(location: &str) -> i64 {
    location.rsplit('/').next().unwrap().parse().unwrap()
}

/// One type's story: the empty form, a refused save that keeps what was
/// typed, a save, the list, the edit form with the stored values, an edit.
struct Story<'a> {
    rt: RecordType,
    bad: Vec<(&'a str, &'a str)>,
    /// Error ids the refused save must show, and texts it must keep.
    bad_errors: Vec<&'a str>,
    bad_kept: Vec<&'a str>,
    good: Vec<(&'a str, &'a str)>,
    /// Texts of the detail page after the save.
    saved: Vec<&'a str>,
    /// Texts of the list.
    listed: Vec<&'a str>,
    /// Texts of the edit form.
    in_edit: Vec<&'a str>,
    edit: Vec<(&'a str, &'a str)>,
    edited: Vec<&'a str>,
    gone_after_edit: Vec<&'a str>,
}

async fn run(app: &App, c: &str, s: Story<'_>) {
    let base = format!("/records/{}", s.rt.path());
    let what = s.rt.path();
    // The list offers "Thêm mới"; the form is labelled.
    let r = app.get(&base, c).await;
    assert!(
        r.body.contains(&format!("href=\"{base}/new\"")),
        "{what}: no create link"
    );
    let r = app.get(&format!("{base}/new"), c).await;
    assert_eq!(r.status, StatusCode::OK, "{what}: {}", r.body);
    assert_labelled(&r.body);

    let r = app.post(&format!("{base}/new"), c, &enc(&s.bad)).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{what}: {}",
        r.body
    );
    for e in &s.bad_errors {
        assert!(r.body.contains(e), "{what}: no {e} in {}", r.body);
    }
    for k in &s.bad_kept {
        assert!(r.body.contains(k), "{what}: {k} not kept in {}", r.body);
    }
    assert_labelled(&r.body);

    let r = app.post(&format!("{base}/new"), c, &enc(&s.good)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{what}: {}", r.body);
    let loc = App::location(&r);
    let id = id_of(&loc);
    let r = app.get(&loc, c).await;
    for x in &s.saved {
        assert!(r.body.contains(x), "{what}: {x} not on {}", r.body);
    }
    assert!(
        r.body.contains(&format!("href=\"{base}/{id}/edit\"")),
        "{what}: no edit link"
    );

    let r = app.get(&base, c).await;
    for x in &s.listed {
        assert!(r.body.contains(x), "{what}: {x} not listed in {}", r.body);
    }

    let r = app.get(&format!("{base}/{id}/edit"), c).await;
    assert_eq!(r.status, StatusCode::OK, "{what}: {}", r.body);
    for x in &s.in_edit {
        assert!(
            r.body.contains(x),
            "{what}: {x} not in the edit form {}",
            r.body
        );
    }
    assert_labelled(&r.body);

    let r = app
        .post(&format!("{base}/{id}/edit"), c, &enc(&s.edit))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{what}: {}", r.body);
    let r = app.get(&loc, c).await;
    for x in &s.edited {
        assert!(r.body.contains(x), "{what}: {x} not on {}", r.body);
    }
    for x in &s.gone_after_edit {
        assert!(!r.body.contains(x), "{what}: {x} still on {}", r.body);
    }
}

#[tokio::test]
async fn six_types_through_their_forms() {
    let app = App::new().await;
    let vl = app.user("vinh-long", "vl-forms", Role::Editor).await;
    let partner = app
        .service
        .create(
            &vl,
            RecordType::Partner,
            json!({"name": "Tỉnh Gifu", "kind": "foreign_locality", "country": "JP"}),
        )
        .await
        .unwrap();
    let pid = partner.id.to_string();
    let c = app.login("vl-forms").await;

    run(
        &app,
        &c,
        Story {
            rt: RecordType::Delegation,
            bad: vec![
                ("direction", "outbound"),
                ("purpose", "Xúc tiến đầu tư tại Nhật Bản"),
                ("status", "planned"),
                ("leader.name", "Nguyễn Văn Án"),
                ("leader.position", "Phó Chủ tịch UBND tỉnh"),
                ("member_count", "5"),
                ("countries", "JP"),
                ("countries", "KR"),
                ("partner_ids", &pid),
                ("start_on", "2024-05-10"),
                ("end_on", "2024-05-01"),
                ("budget.amount", "1.588"),
                ("budget.currency", "XYZ"),
            ],
            bad_errors: vec![
                "end_on-error",
                "Không được trước “Ngày bắt đầu”.",
                "budget-currency-error",
            ],
            bad_kept: vec![
                "value=\"Nguyễn Văn Án\"",
                "value=\"1.588\"",
                "<option value=\"KR\" selected>",
                &format!("<option value=\"{pid}\" selected>"),
            ],
            good: vec![
                ("direction", "outbound"),
                ("purpose", "Xúc tiến đầu tư tại Nhật Bản"),
                // An editor enters a delegation up to its submission; past
                // the approval is an approver's (see workflow::check_entry).
                ("status", "submitted"),
                ("leader.name", "Nguyễn Văn Án"),
                ("leader.position", "Phó Chủ tịch UBND tỉnh"),
                ("member_count", "5"),
                ("members", "Trần Thị Bích; Chuyên viên\nLê Văn Cường"),
                ("countries", "JP"),
                ("countries", "KR"),
                ("partner_ids", &pid),
                ("start_on", "2024-05-10"),
                ("end_on", "2024-05-15"),
                ("budget.amount", "1.588"),
                ("budget.currency", "USD"),
                ("funding_source", "Ngân sách tỉnh"),
            ],
            saved: vec![
                "Nguyễn Văn Án",
                "Phó Chủ tịch UBND tỉnh",
                "Trần Thị Bích",
                "Nhật Bản, Hàn Quốc",
                "10/05/2024",
                "1.588 USD",
                "Tỉnh Gifu",
                "Đã trình",
            ],
            listed: vec!["Xúc tiến đầu tư tại Nhật Bản", "Đoàn ra", "10/05/2024"],
            in_edit: vec![
                "value=\"Nguyễn Văn Án\"",
                "value=\"1.588\"",
                "Trần Thị Bích; Chuyên viên\nLê Văn Cường",
                "<option value=\"USD\" selected>",
                "<option value=\"JP\" selected>",
            ],
            edit: vec![
                ("direction", "outbound"),
                ("purpose", "Xúc tiến đầu tư tại Nhật Bản và Hàn Quốc"),
                // The status changes only through the workflow's steps.
                ("status", "submitted"),
                ("leader.name", "Nguyễn Văn Án"),
                ("member_count", "6"),
                ("countries", "KR"),
                ("start_on", "2024-05-10"),
                ("end_on", "2024-05-15"),
                ("budget.amount", "370,34"),
                ("budget.currency", "USD"),
            ],
            edited: vec![
                "Xúc tiến đầu tư tại Nhật Bản và Hàn Quốc",
                "370,34 USD",
                "Đã trình",
            ],
            gone_after_edit: vec!["Phó Chủ tịch UBND tỉnh", "Trần Thị Bích", "Ngân sách tỉnh"],
        },
    )
    .await;

    run(
        &app,
        &c,
        Story {
            rt: RecordType::Project,
            bad: vec![
                ("kind", "fdi"),
                ("name", "Nhà máy chế biến trái cây Gifu"),
                ("status", "active"),
                ("investor_id", &pid),
                ("country", "JP"),
                ("sector", "industry"),
                ("capital.amount", "-5"),
                ("capital.currency", "USD"),
                ("period_from", "2024-01-01"),
                ("period_until", "2023-01-01"),
            ],
            bad_errors: vec!["capital-amount-error", "period_until-error"],
            bad_kept: vec![
                "value=\"Nhà máy chế biến trái cây Gifu\"",
                "value=\"-5\"",
                &format!("<option value=\"{pid}\" selected>"),
            ],
            good: vec![
                ("kind", "fdi"),
                ("name", "Nhà máy chế biến trái cây Gifu"),
                ("status", "active"),
                ("investor_id", &pid),
                ("country", "JP"),
                ("sector", "industry"),
                ("capital.amount", "1.250.000"),
                ("capital.currency", "USD"),
                ("disbursed.amount", "370.340,5"),
                ("disbursed.currency", "USD"),
                ("approved_on", "2023-11-20"),
                ("location", "KCN Hòa Phú"),
            ],
            saved: vec![
                "1.250.000 USD",
                "370.340,5 USD",
                "20/11/2023",
                "KCN Hòa Phú",
                &format!("href=\"/records/partners/{pid}\""),
            ],
            listed: vec![
                "Nhà máy chế biến trái cây Gifu",
                "1.250.000 USD",
                "Dự án FDI",
            ],
            in_edit: vec![
                "value=\"1.250.000\"",
                "value=\"370.340,5\"",
                "<option value=\"industry\" selected>",
            ],
            edit: vec![
                ("kind", "fdi"),
                ("name", "Nhà máy chế biến trái cây Gifu"),
                ("status", "completed"),
                ("country", "JP"),
                ("capital.amount", "2.000.000"),
                ("capital.currency", "USD"),
            ],
            edited: vec!["2.000.000 USD", "Đã hoàn thành"],
            gone_after_edit: vec!["370.340,5", "KCN Hòa Phú"],
        },
    )
    .await;

    run(
        &app,
        &c,
        Story {
            rt: RecordType::Event,
            bad: vec![
                ("kind", "fair"),
                ("title", ""),
                ("place", "Trung tâm Hội chợ Cần Thơ"),
                ("participants", "120"),
            ],
            bad_errors: vec!["title-error", "Trường này là bắt buộc."],
            bad_kept: vec!["value=\"Trung tâm Hội chợ Cần Thơ\"", "value=\"120\""],
            good: vec![
                ("kind", "fair"),
                ("title", "Hội chợ nông sản quốc tế"),
                ("start_on", "2025-03-01"),
                ("end_on", "2025-03-03"),
                ("place", "Trung tâm Hội chợ Cần Thơ"),
                ("country", "VN"),
                ("partner_ids", &pid),
                ("participants", "1588"),
                ("locality", "ben-tre"),
            ],
            saved: vec!["Hội chợ, triển lãm", "01/03/2025", "1.588", "Bến Tre"],
            listed: vec!["Hội chợ nông sản quốc tế", "01/03/2025"],
            in_edit: vec!["value=\"1588\"", "<option value=\"ben-tre\" selected>"],
            edit: vec![
                ("kind", "fair"),
                ("title", "Hội chợ nông sản quốc tế 2025"),
                ("start_on", "2025-03-01"),
                ("participants", "2000"),
            ],
            edited: vec!["Hội chợ nông sản quốc tế 2025", "2.000"],
            gone_after_edit: vec!["03/03/2025"],
        },
    )
    .await;

    run(
        &app,
        &c,
        Story {
            rt: RecordType::AbtcApproval,
            bad: vec![
                ("person_name", "Phạm Thị Dung"),
                ("enterprise", "Công ty TNHH Mekong Fruit"),
                ("economies", "FR"),
                ("status", "applied"),
            ],
            bad_errors: vec!["economies-error", "APEC"],
            bad_kept: vec![
                "value=\"Phạm Thị Dung\"",
                "value=\"Công ty TNHH Mekong Fruit\"",
            ],
            good: vec![
                ("person_name", "Phạm Thị Dung"),
                ("enterprise", "Công ty TNHH Mekong Fruit"),
                ("position", "Giám đốc"),
                ("economies", "JP"),
                ("economies", "US"),
                ("status", "applied"),
                ("decision_number", "123/QĐ-UBND"),
                ("decision_on", "2024-07-01"),
            ],
            saved: vec![
                "Nhật Bản",
                "Hoa Kỳ",
                "123/QĐ-UBND",
                "01/07/2024",
                "Đã nộp hồ sơ",
            ],
            listed: vec!["Phạm Thị Dung", "Công ty TNHH Mekong Fruit"],
            in_edit: vec!["<option value=\"US\" selected>", "value=\"123/QĐ-UBND\""],
            edit: vec![
                ("person_name", "Phạm Thị Dung"),
                ("enterprise", "Công ty TNHH Mekong Fruit"),
                ("economies", "JP"),
                // The status changes only through the workflow's steps.
                ("status", "applied"),
            ],
            edited: vec!["Nhật Bản", "Đã nộp hồ sơ"],
            gone_after_edit: vec!["Hoa Kỳ", "123/QĐ-UBND"],
        },
    )
    .await;

    run(
        &app,
        &c,
        Story {
            rt: RecordType::OverseasContact,
            bad: vec![
                ("kind", "person"),
                ("name", "Võ Minh Đức"),
                ("country", "FR"),
                ("city", "Lyon"),
            ],
            bad_errors: vec!["consent-error", "Cần có sự đồng ý"],
            bad_kept: vec![
                "value=\"Võ Minh Đức\"",
                "value=\"Lyon\"",
                "<option value=\"FR\" selected>",
            ],
            good: vec![
                ("kind", "person"),
                ("name", "Võ Minh Đức"),
                ("country", "FR"),
                ("city", "Lyon"),
                ("field", "Khoa học"),
                ("consent", "on"),
                ("consent_on", "2024-01-02"),
            ],
            saved: vec!["Võ Minh Đức", "Pháp", "Lyon", "02/01/2024", "Có"],
            listed: vec!["Võ Minh Đức", "Lyon"],
            in_edit: vec![
                "name=\"consent\" value=\"on\" checked",
                "value=\"2024-01-02\"",
            ],
            edit: vec![
                ("kind", "association"),
                ("name", "Hội người Việt tại Lyon"),
                ("country", "FR"),
                ("city", "Lyon"),
            ],
            edited: vec!["Hội người Việt tại Lyon", "Hội, đoàn thể"],
            gone_after_edit: vec!["02/01/2024"],
        },
    )
    .await;

    run(
        &app,
        &c,
        Story {
            rt: RecordType::Observation,
            bad: vec![
                ("indicator", "trade.export"),
                ("period.kind", "range"),
                ("period.y1", "2020"),
                ("value", "793.000.000"),
                ("unit", "USD"),
                ("qualifier", "over"),
                ("source", "manual"),
            ],
            bad_errors: vec!["period-error"],
            bad_kept: vec![
                "value=\"793.000.000\"",
                "value=\"range\" checked",
                "value=\"2020\"",
                "<option value=\"over\" selected>",
            ],
            good: vec![
                ("indicator", "trade.export"),
                ("period.kind", "year"),
                ("period.y1", "2022"),
                ("value", "793.000.000"),
                ("unit", "USD"),
                ("qualifier", "over"),
                ("change_pct", "37,91"),
                ("source", "manual"),
                ("source_document", "Báo cáo 6 tháng"),
            ],
            saved: vec![
                "793.000.000 USD",
                "37,91",
                "Năm 2022",
                "Trên",
                "Kim ngạch xuất khẩu",
            ],
            listed: vec!["Kim ngạch xuất khẩu", "793.000.000 USD"],
            in_edit: vec![
                "value=\"793.000.000\"",
                "value=\"37,91\"",
                "value=\"year\" checked",
                "value=\"2022\"",
            ],
            edit: vec![
                ("indicator", "trade.export"),
                ("period.kind", "since"),
                ("period.y1", "2019"),
                ("value", "1.588,5"),
                ("unit", "USD"),
                ("qualifier", "exact"),
                ("source", "manual"),
            ],
            edited: vec!["Từ năm 2019", "1.588,5 USD"],
            gone_after_edit: vec!["Năm 2022", "37,91"],
        },
    )
    .await;
}

#[tokio::test]
async fn who_may_use_the_forms_and_english_messages() {
    let app = App::new().await;
    app.user("vinh-long", "vl-view", Role::Viewer).await;
    app.user("bo-ngoai-giao", "mofa-ed", Role::Editor).await;

    // A viewer sees no create or edit link and may not open the form.
    let v = app.login("vl-view").await;
    let r = app.get("/records/events", &v).await;
    assert!(!r.body.contains("/records/events/new"), "{}", r.body);
    assert_eq!(
        app.get("/records/events/new", &v).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post("/records/events/new", &v, "kind=fair&title=X")
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // The Ministry's forms make the Ministry's own records: no province to
    // choose (the API refuses a province's `org` from a Ministry user).
    let m = app.login("mofa-ed").await;
    let r = app.get("/records/abtc-approvals/new", &m).await;
    assert!(!r.body.contains("<label for=\"org\""), "{}", r.body);
    assert_labelled(&r.body);
    let r = app
        .post(
            "/records/events/new",
            &m,
            &enc(&[("kind", "seminar"), ("title", "Hội thảo Mekong")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app.get(&App::location(&r), &m).await;
    assert!(r.body.contains("Bộ Ngoại giao"), "{}", r.body);

    // A number the form cannot read is named plainly, by its field.
    let r = app
        .post(
            "/records/observations/new",
            &m,
            &enc(&[
                ("indicator", "trade.export"),
                ("period.kind", "year"),
                ("period.y1", "2024"),
                ("value", "mười hai"),
                ("unit", "USD"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("value-error")
            && r.body.contains("Cần một số, ví dụ 1.588 hoặc 370,34.")
            && r.body.contains("value=\"mười hai\""),
        "{}",
        r.body
    );

    // English: labels and the service's messages in English, values kept.
    let en = format!("{m}; lang=en");
    let r = app
        .post(
            "/records/delegations/new",
            &en,
            &enc(&[
                ("org", "vinh-long"),
                ("direction", "inbound"),
                ("purpose", ""),
                ("member_count", "12"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("This field is required.")
            && r.body.contains("Not saved")
            && r.body.contains("Leader")
            && r.body.contains("value=\"12\""),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn attachments_upload_download_refuse_remove() {
    let app = App::with_config(HttpConfig {
        attachment_max_bytes: 1024 * 1024,
        ..HttpConfig::default()
    })
    .await;
    let vl = app.user("vinh-long", "vl-files", Role::Editor).await;
    app.user("vinh-long", "vl-files-view", Role::Viewer).await;
    let rec = app
        .service
        .create(
            &vl,
            RecordType::Event,
            json!({"kind": "conference", "title": "Hội nghị hợp tác Mekong – Nhật Bản"}),
        )
        .await
        .unwrap();
    let c = app.login("vl-files").await;
    let base = format!("/records/events/{}", rec.id);

    // The page offers the upload form, labelled.
    let r = app.get(&base, &c).await;
    assert!(
        r.body.contains("enctype=\"multipart/form-data\"")
            && r.body.contains(&format!("action=\"{base}/attachments\"")),
        "{}",
        r.body
    );
    assert_labelled(&r.body);

    // A PDF with a Vietnamese name: attached, listed, downloaded as sent.
    let pdf = b"%PDF-1.7\n% bi\xc3\xaan b\xe1\xba\xa3n\n";
    let r = app
        .upload(
            &format!("{base}/attachments"),
            &c,
            "Biên bản hội nghị.pdf",
            pdf,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app.get(&App::location(&r), &c).await;
    assert!(
        r.body.contains("Đã đính kèm tệp.") && r.body.contains("Biên bản hội nghị.pdf"),
        "{}",
        r.body
    );
    let files = app
        .service
        .attachments(&vl, RecordType::Event, rec.id)
        .await
        .unwrap();
    assert_eq!(files.len(), 1);
    let aid = files[0].id;
    assert!(
        r.body
            .contains(&format!("href=\"{base}/attachments/{aid}\""))
    );
    let d = app.get(&format!("{base}/attachments/{aid}"), &c).await;
    assert_eq!(d.status, StatusCode::OK);
    assert_eq!(d.body.as_bytes(), pdf);
    assert_eq!(
        d.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/pdf"
    );

    // Refused: a program, a file whose content is not what its name says,
    // a file over the limit, no file at all. Each says why; nothing is written.
    let r = app
        .upload(
            &format!("{base}/attachments"),
            &c,
            "setup.exe",
            b"MZ\x90\x00",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Không đính kèm được tệp “setup.exe”")
            && r.body.contains("Không nhận loại tệp"),
        "{}",
        r.body
    );
    let r = app
        .upload(
            &format!("{base}/attachments"),
            &c,
            "bao-cao.pdf",
            b"MZ\x90\x00",
        )
        .await;
    assert!(
        r.body.contains("Nội dung tệp không phải là tệp .pdf"),
        "{}",
        r.body
    );
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(1024 * 1024 + 10, b'x');
    let r = app
        .upload(&format!("{base}/attachments"), &c, "lon.pdf", &big)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Tệp quá lớn: tối đa 1 MiB."), "{}", r.body);
    let r = app
        .upload(&format!("{base}/attachments"), &c, "", b"")
        .await;
    assert!(r.body.contains("Chưa chọn tệp"), "{}", r.body);
    let r = app
        .upload(
            &format!("{base}/attachments"),
            &format!("{c}; lang=en"),
            "lon.pdf",
            &big,
        )
        .await;
    assert!(
        r.body
            .contains("The file “lon.pdf” was not attached: The file is too large: at most 1 MiB."),
        "{}",
        r.body
    );
    assert_eq!(
        app.service
            .attachments(&vl, RecordType::Event, rec.id)
            .await
            .unwrap()
            .len(),
        1
    );

    // An upload sent from another site is refused before it is read.
    let r = app
        .send(
            axum::http::Request::post(format!("{base}/attachments"))
                .header(header::HOST, "ngoaivu.test")
                .header(header::ORIGIN, "https://evil.example")
                .header(header::COOKIE, &c)
                .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x")
                .body(axum::body::Body::from("--x--\r\n"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // A viewer sees the file but no upload or remove; an upload is refused.
    let v = app.login("vl-files-view").await;
    let r = app.get(&base, &v).await;
    assert!(r.body.contains("Biên bản hội nghị.pdf"));
    assert!(!r.body.contains("multipart/form-data") && !r.body.contains("/delete\""));
    let r = app
        .upload(&format!("{base}/attachments"), &v, "x.pdf", pdf)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Remove: a confirmation page, then the file is gone and the history says so.
    let r = app
        .get(&format!("{base}/attachments/{aid}/delete"), &c)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("Bạn có chắc muốn gỡ tệp này") && r.body.contains("Biên bản hội nghị.pdf"),
        "{}",
        r.body
    );
    let r = app
        .post(&format!("{base}/attachments/{aid}/delete"), &c, "")
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app.get(&App::location(&r), &c).await;
    assert!(
        r.body.contains("Đã gỡ tệp.")
            && r.body.contains("Chưa có tệp đính kèm.")
            && r.body.contains("Gỡ tệp đính kèm"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn change_own_password() {
    let app = App::new().await;
    app.user("vinh-long", "vl-pw", Role::Viewer).await;
    let c1 = app.login("vl-pw").await;
    let c2 = app.login("vl-pw").await;

    let r = app.get("/account", &c1).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("href=\"/account\"") && r.body.contains("Đổi mật khẩu"));
    assert_labelled(&r.body);

    let new = "một mật khẩu mới dài hơn";
    let form = |cur: &str, a: &str, b: &str| {
        enc(&[
            ("current_password", cur),
            ("new_password", a),
            ("new_password2", b),
        ])
    };
    let r = app.post("/account", &c1, &form("sai rồi", new, new)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("current_password-error")
            && r.body.contains("Mật khẩu hiện tại không đúng."),
        "{}",
        r.body
    );
    let r = app
        .post(
            "/account",
            &c1,
            &form(PASSWORD, new, "khác hẳn mật khẩu kia"),
        )
        .await;
    assert!(
        r.body.contains("new_password2-error") && r.body.contains("không khớp"),
        "{}",
        r.body
    );
    let r = app
        .post("/account", &c1, &form(PASSWORD, "ngắn", "ngắn"))
        .await;
    assert!(
        r.body.contains("new_password-error") && r.body.contains("ít nhất 10 ký tự"),
        "{}",
        r.body
    );

    // Changed: this browser gets a new session, the others end.
    let r = app.post("/account", &c1, &form(PASSWORD, new, new)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let fresh = r
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let r = app.get(&App::location(&r), &fresh).await;
    assert!(r.body.contains("Đã đổi mật khẩu"), "{}", r.body);
    assert!(app.get("/", &c1).await.status.is_redirection());
    assert!(app.get("/", &c2).await.status.is_redirection());

    // The old password no longer signs in; the new one does.
    let login = |pw: &str| enc(&[("username", "vl-pw"), ("password", pw)]);
    let r = app.post("/login", "", &login(PASSWORD)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app.post("/login", "", &login(new)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

/// Post a create form; the status and the new record's id (0 when refused).
async fn save(app: &App, c: &str, path: &str, pairs: &[(&str, &str)]) -> (StatusCode, i64) {
    let r = app
        .post(&format!("/records/{path}/new"), c, &enc(pairs))
        .await;
    let id = if r.status == StatusCode::SEE_OTHER {
        id_of(&App::location(&r))
    } else {
        0
    };
    (r.status, id)
}

/// The workflows' lists are typed one item a line: an agreement's
/// consultations, a project's disbursements, a visit's programme, an ABTC's
/// pre-clearance; the edit form gives them back the same way.
#[tokio::test]
async fn workflow_lists_one_item_a_line() {
    let app = App::new().await;
    app.user("vinh-long", "vl-rows", Role::Editor).await;
    let c = app.login("vl-rows").await;
    let partner = save(
        &app,
        &c,
        "partners",
        &[
            ("name", "Gelderland"),
            ("kind", "foreign_locality"),
            ("country", "NL"),
        ],
    )
    .await
    .1;
    let (status, agreement) = save(
        &app,
        &c,
        "agreements",
        &[
            ("title", "Thỏa thuận hợp tác với Gelderland"),
            ("kind", "agreement"),
            ("partner_ids", &partner.to_string()),
            ("status", "draft"),
            (
                "consultations",
                "Bộ Ngoại giao; 02/03/2026; ; ; x\nSở Tư pháp; 02/03/2026; 06/03/2026; Đồng ý",
            ),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let body = app
        .get(&format!("/records/agreements/{agreement}/edit"), &c)
        .await
        .body;
    assert!(
        body.contains(
            "Bộ Ngoại giao; 02/03/2026; ; ; x\nSở Tư pháp; 02/03/2026; 06/03/2026; Đồng ý"
        ),
        "{body}"
    );
    let rec = app
        .backend
        .get_record(&ngoaivu_core::Scope::All, RecordType::Agreement, agreement)
        .await
        .unwrap();
    assert_eq!(rec.data["consultations"][0]["ministry"], true);
    assert_eq!(rec.data["consultations"][1]["answered_on"], "2026-03-06");
    let (status, project) = save(
        &app,
        &c,
        "projects",
        &[
            ("kind", "ngo_aid"),
            ("name", "Nước sạch trường học"),
            ("status", "proposed"),
            // A line as the earlier disbursements form wrote it, and one
            // of counterpart funds planned.
            (
                "transactions",
                "15/03/2024; 50.000; usd\n01/09/2024; 25.000,50; VND; expenditure; planned; counterpart; vốn tỉnh",
            ),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let rec = app
        .backend
        .get_record(&ngoaivu_core::Scope::All, RecordType::Project, project)
        .await
        .unwrap();
    let tx = &rec.data["transactions"];
    assert_eq!(tx[0]["amount"]["amount"], "50000");
    assert_eq!(tx[0]["amount"]["currency"], "USD");
    assert_eq!(
        (&tx[0]["kind"], &tx[0]["stage"], &tx[0]["source"]),
        (&json!("disbursement"), &json!("actual"), &json!("foreign"))
    );
    assert_eq!(tx[1]["amount"]["amount"], "25000.5");
    assert_eq!(
        (
            &tx[1]["kind"],
            &tx[1]["stage"],
            &tx[1]["source"],
            &tx[1]["note"]
        ),
        (
            &json!("expenditure"),
            &json!("planned"),
            &json!("counterpart"),
            &json!("vốn tỉnh")
        )
    );
    // A date that is no date is refused, naming the line, and kept as typed.
    let r = app
        .post(
            "/records/delegations/new",
            &c,
            "direction=inbound&purpose=Th%E1%BB%AD&status=planned&programme=31%2F02%2F2026%3B+L%C3%A0m+vi%E1%BB%87c",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("31/02/2026; Làm việc"), "{}", r.body);
}

/// A new project's form leaves the status blank, so the record takes its
/// kind's first state: an editor's new ODA or NGO aid project is
/// "proposed" (its workflow's first state), an FDI project "active".
#[tokio::test]
async fn a_new_project_takes_its_kinds_first_state_from_the_form() {
    let app = App::new().await;
    let ed = app.user("vinh-long", "vl_proj", Role::Editor).await;
    let c = app.login("vl_proj").await;
    let form = app.get("/records/projects/new", &c).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Để trống khi thêm mới"), "{}", form.body);
    for (kind, status) in [
        ("oda", "proposed"),
        ("ngo_aid", "proposed"),
        ("fdi", "active"),
    ] {
        let r = app
            .post(
                "/records/projects/new",
                &c,
                &enc(&[
                    ("kind", kind),
                    ("name", &format!("Dự án {kind}")),
                    ("status", ""),
                ]),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{kind}: {}", r.body);
        let id = id_of(&App::location(&r));
        let rec = app.service.get(&ed, RecordType::Project, id).await.unwrap();
        assert_eq!(rec.data["status"], status, "{kind}");
    }
}

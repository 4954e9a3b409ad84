//! The reports on the demo data state the figures of the source texts, on
//! both databases: Vĩnh Long's exports in 2022, Tiền Giang's remittances
//! inside Đồng Tháp's 2019 report, the 2014 national summary.

use std::sync::Arc;

use ngoaivu_core::{Actor, Lang, OrgKind, Role};
use ngoaivu_document::{Block, Document};
use ngoaivu_report::{Kind, ReportError, Spec, build};
use ngoaivu_store::{Backend, Service, StoreError};

async fn demo() -> Vec<(Arc<dyn Backend>, Service)> {
    let mut out = vec![];
    for b in ngoaivu_store_tests::both().await {
        let svc = Service::new(b.clone());
        ngoaivu_seed::demo::load(&svc, |_, _| {}).await.unwrap();
        out.push((b, svc));
    }
    out
}

async fn viewer(b: &Arc<dyn Backend>, org: &str) -> Actor {
    let o = b.org_by_slug(org).await.unwrap().unwrap();
    Actor {
        user_id: 1,
        username: format!("{org}-viewer"),
        org_id: o.id,
        org_slug: o.slug,
        org_kind: o.kind,
        role: Role::Viewer,
        consular: false,
    }
}

fn spec(kind: Kind, org: &str, from: i32, to: i32) -> Spec {
    Spec {
        kind,
        org: org.into(),
        from,
        to,
        lang: Lang::Vi,
        units_of_the_time: false,
        date: time::macros::date!(2026 - 11 - 23),
    }
}

/// The cells of the row of `label` in the first table whose caption holds `caption`.
fn row(doc: &Document, caption: &str, label: &str) -> Vec<String> {
    for b in &doc.blocks {
        if let Block::Table(t) = b
            && t.caption.contains(caption)
        {
            for r in &t.rows {
                if r.cells[0].display(doc.lang) == label {
                    return r.cells.iter().map(|c| c.display(doc.lang)).collect();
                }
            }
        }
    }
    panic!(
        "no row {label:?} in a table {caption:?}:\n{}",
        doc.plain_text()
    )
}

#[tokio::test]
async fn vinh_long_2022_states_its_exports_and_their_growth() {
    for (b, svc) in demo().await {
        let kind = b.kind();
        let vl = viewer(&b, "vinh-long").await;
        let doc = build(&svc, &vl, &spec(Kind::Annual, "vinh-long", 2022, 2022))
            .await
            .unwrap();
        let text = doc.plain_text();
        assert!(
            text.contains("Năm 2022, tổng kim ngạch xuất khẩu của tỉnh đạt 793 triệu USD, tăng 37,91% so với năm 2021."),
            "{kind}:\n{text}"
        );
        let export = row(&doc, "Ngoại giao kinh tế", "Kim ngạch xuất khẩu");
        assert_eq!(export[1], "triệu USD", "{kind}");
        assert_eq!(export[3], "793", "{kind}");
        assert_eq!(export[5], "+37,91%", "{kind}");
        assert!(
            export[6].contains("tỷ lệ theo báo cáo"),
            "{kind}: {export:?}"
        );
        // The stock at the end of 2022: 70 projects, 876,92 million USD.
        let stock = row(&doc, "Ngoại giao kinh tế", "Vốn FDI đăng ký (lũy kế)");
        assert_eq!(stock[3], "876,92", "{kind}");
        assert!(
            text.contains("Vĩnh Long, ngày 23 tháng 11 năm 2026"),
            "{kind}"
        );
        assert!(
            text.contains("UBND TỈNH VĨNH LONG") && text.contains("SỞ NGOẠI VỤ"),
            "{kind}"
        );
        assert!(text.contains("gồm cả Bến Tre, Trà Vinh"), "{kind}");
        // The plans it carries out (the demo's Chỉ thị 15-CT/TW of 2022 and
        // the 2021–2025 integration plan, open), progress on the report's date.
        let directive = row(
            &doc,
            "Thực hiện kế hoạch, chỉ thị",
            "Chỉ thị về công tác ngoại giao kinh tế phục vụ phát triển đất nước đến năm 2030",
        );
        assert_eq!(directive[1..4], ["15-CT/TW", "2022", "0/2"], "{kind}");
        assert!(text.contains("IX. THỰC HIỆN KẾ HOẠCH, CHỈ THỊ"), "{kind}");
        assert!(
            text.contains("Đến ngày 23/11/2026, 2 kế hoạch, chỉ thị"),
            "{kind}:\n{text}"
        );
        // English: the same numbers the English way.
        let mut en = spec(Kind::Annual, "vinh-long", 2022, 2022);
        en.lang = Lang::En;
        let doc = build(&svc, &vl, &en).await.unwrap();
        assert!(
            doc.plain_text().contains("In 2022, export turnover of the province reached 793 million USD, up 37.91% on 2021."),
            "{kind}:\n{}",
            doc.plain_text()
        );
    }
}

#[tokio::test]
async fn dong_thap_2019_includes_tien_giang() {
    for (b, svc) in demo().await {
        let kind = b.kind();
        let dt = viewer(&b, "dong-thap").await;
        let doc = build(&svc, &dt, &spec(Kind::Annual, "dong-thap", 2019, 2019))
            .await
            .unwrap();
        let text = doc.plain_text();
        assert!(
            text.contains("Năm 2019, lượng kiều hối chuyển về tỉnh đạt khoảng 80 triệu USD."),
            "{kind}:\n{text}"
        );
        let r = row(&doc, "người Việt Nam ở nước ngoài", "Kiều hối");
        assert_eq!(r[3], "80", "{kind}");
        assert!(r[6].contains("gồm số liệu của Tiền Giang"), "{kind}: {r:?}");
        // By the units of the time: Tiền Giang's column holds it.
        let by_unit = row(&doc, "đơn vị hành chính của thời điểm", "Kiều hối");
        assert!(by_unit.contains(&"80".to_string()), "{kind}: {by_unit:?}");
        // Its 2016–2020 term shows the figures of the term (003 is a term report).
        let term = build(&svc, &dt, &spec(Kind::Term, "dong-thap", 2016, 2020))
            .await
            .unwrap();
        let t = term.plain_text();
        assert!(
            t.contains("131"),
            "{kind}: 131 FDI projects as of 2020\n{t}"
        );
        assert!(t.contains("Từ năm 2016"), "{kind}");
        // A term total summed from the years it has keeps the figures'
        // qualifier and names those years.
        assert!(
            t.contains("Giai đoạn 2016–2020, tổng kim ngạch xuất khẩu của tỉnh đạt hơn 2 tỷ USD (tổng của các năm có số liệu: 2020)."),
            "{kind}:\n{t}"
        );
    }
}

#[tokio::test]
async fn the_2014_national_summary() {
    for (b, svc) in demo().await {
        let kind = b.kind();
        let bng = viewer(&b, "bo-ngoai-giao").await;
        let doc = build(
            &svc,
            &bng,
            &spec(Kind::National, "bo-ngoai-giao", 2014, 2014),
        )
        .await
        .unwrap();
        let agreements = row(
            &doc,
            "Các chỉ tiêu chính",
            "Thỏa thuận quốc tế cấp địa phương mới ký",
        );
        assert_eq!(agreements[2], "53", "{kind}");
        let mous = row(
            &doc,
            "Các chỉ tiêu chính",
            "Bản ghi nhớ mới ký với doanh nghiệp và tổ chức nước ngoài",
        );
        assert_eq!(mous[2], "150", "{kind}");
        let fdi = row(
            &doc,
            "Các chỉ tiêu chính",
            "Dự án đầu tư trực tiếp nước ngoài (FDI)",
        );
        assert_eq!(fdi[2], "1.588", "{kind}");
        let cap = row(&doc, "Các chỉ tiêu chính", "Vốn FDI đăng ký");
        assert_eq!(cap[2], "20.230", "{kind}: 20,23 tỷ USD in millions");
        let oda = row(&doc, "Các chỉ tiêu chính", "Vốn ODA và vốn vay ưu đãi");
        assert_eq!(oda[2], "4.019", "{kind}");
        let text = doc.plain_text();
        assert!(
            text.contains("vốn FDI đăng ký mới của các địa phương đạt 20,23 tỷ USD"),
            "{kind}:\n{text}"
        );
        assert!(
            text.contains("hệ thống chưa có số liệu của từng tỉnh, thành cho năm 2014 (0/63)."),
            "{kind}: counted against the 63 units in force in 2014, whichever rows the table has"
        );
        // By the units of 2014: 63.
        let mut s = spec(Kind::National, "bo-ngoai-giao", 2014, 2014);
        s.units_of_the_time = true;
        let doc = build(&svc, &bng, &s).await.unwrap();
        let by_province = doc
            .blocks
            .iter()
            .find_map(|b| match b {
                Block::Table(t) if t.caption.contains("theo địa phương") => Some(t.rows.len()),
                _ => None,
            })
            .unwrap();
        assert_eq!(by_province, 63 + 1, "{kind}: 63 units and the total");
        assert!(doc.plain_text().contains("/63"), "{kind}");
    }
}

#[tokio::test]
async fn reports_stay_within_reach_and_refuse_bad_requests() {
    for (b, svc) in demo().await {
        let kind = b.kind();
        let vl = viewer(&b, "vinh-long").await;
        // Another province's report is not found; the national one is the Ministry's.
        let other = build(&svc, &vl, &spec(Kind::Annual, "dong-thap", 2019, 2019)).await;
        assert!(
            matches!(other, Err(ReportError::Store(StoreError::NotFound))),
            "{kind}"
        );
        let national = build(
            &svc,
            &vl,
            &spec(Kind::National, "bo-ngoai-giao", 2014, 2014),
        )
        .await;
        assert!(
            matches!(national, Err(ReportError::Store(StoreError::Forbidden(_)))),
            "{kind}"
        );
        for bad in [
            spec(Kind::Annual, "vinh-long", 2023, 2022),
            spec(Kind::Annual, "vinh-long", 2020, 2022),
            spec(Kind::Annual, "vinh-long", 1700, 1700),
        ] {
            assert!(
                matches!(build(&svc, &vl, &bad).await, Err(ReportError::Invalid(_))),
                "{kind}: {bad:?}"
            );
        }
        let missing = build(&svc, &vl, &spec(Kind::Annual, "khong-co", 2022, 2022)).await;
        assert!(
            matches!(missing, Err(ReportError::Store(StoreError::NotFound))),
            "{kind}"
        );
        // A mission sees no province's report.
        let mission = Actor {
            org_kind: OrgKind::Mission,
            ..viewer(&b, "dsq-lao").await
        };
        let r = build(&svc, &mission, &spec(Kind::Annual, "vinh-long", 2022, 2022)).await;
        assert!(
            matches!(r, Err(ReportError::Store(StoreError::NotFound))),
            "{kind}"
        );
    }
}

/// The foreign NGOs registered in a province at the end of the report's
/// year, after the section on aid: those in force that day, and how many
/// were issued in the year; none of another province's.
#[tokio::test]
async fn a_report_lists_the_ngos_registered_at_the_end_of_its_year() {
    for b in ngoaivu_store_tests::both().await {
        let kind = b.kind();
        let svc = Service::new(b.clone());
        let editor = ngoaivu_store_tests::actor(&b, "dak-lak", Role::Editor, "dl_ngo").await;
        let other = ngoaivu_store_tests::actor(&b, "vinh-long", Role::Editor, "vl_ngo").await;
        for (who, name, issued, until) in [
            (
                &editor,
                "Tổ chức Hỗ trợ Giáo dục",
                "2023-04-01",
                "2028-04-01",
            ),
            (&editor, "Tổ chức Nước sạch", "2018-06-01", "2023-06-01"),
            (
                &editor,
                "Tổ chức Y tế Cộng đồng",
                "2021-06-15",
                "2026-06-15",
            ),
            (&other, "Tổ chức của tỉnh khác", "2023-01-01", "2028-01-01"),
        ] {
            svc.create(
                who,
                ngoaivu_core::RecordType::NgoRegistration,
                serde_json::json!({"name": name, "kind": "project_office", "number": format!("{name}/BNG"),
                       "country": "DE", "issued_on": issued, "valid_until": until, "sectors": ["education"]}),
            )
            .await
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        }
        let doc = build(&svc, &editor, &spec(Kind::Annual, "dak-lak", 2023, 2023))
            .await
            .unwrap();
        let text = doc.plain_text();
        assert!(
            text.contains("Đến ngày 31/12/2023, 2 tổ chức phi chính phủ nước ngoài có giấy đăng ký còn hiệu lực để hoạt động trên địa bàn tỉnh, trong đó 1 tổ chức được cấp trong năm."),
            "{kind}:\n{text}"
        );
        let r = row(
            &doc,
            "Tổ chức phi chính phủ nước ngoài",
            "Tổ chức Hỗ trợ Giáo dục",
        );
        assert_eq!(
            r[1..],
            [
                "Đức",
                "Giấy đăng ký lập Văn phòng dự án",
                "Tổ chức Hỗ trợ Giáo dục/BNG",
                "01/04/2023",
                "01/04/2028",
                "Giáo dục, đào tạo"
            ],
            "{kind}"
        );
        assert!(
            !text.contains("Tổ chức Nước sạch"),
            "{kind}: ended before the end of 2023"
        );
        assert!(!text.contains("tỉnh khác"), "{kind}");
        // The aid section has no figures here, but it does not say so
        // before naming the NGOs; the seven other sections do.
        assert_eq!(
            text.matches("Chưa có số liệu về nội dung này trong năm 2023.")
                .count(),
            7,
            "{kind}:\n{text}"
        );
    }
}

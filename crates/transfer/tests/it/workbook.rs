//! A province's workbook as people keep it, through review and import.

use ngoaivu_core::RecordType;
use ngoaivu_transfer::import::{self, Action, ImportError, MappingChoice, Upload};
use rust_xlsxwriter::{Format, Formula, Workbook};

use crate::{editor, import_audits, on_both};

/// Outbound delegations of a year as an office keeps them: a merged title
/// above, the office's name, a blank row, headers named as people name
/// them (units in the header), a date typed as text and one as a date,
/// several countries in a cell, a total row with a formula at the bottom.
/// `bad_date` puts a day that does not exist in the third row.
fn delegations_workbook(bad_date: bool, budget_of_first: f64) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Đoàn ra 2019").unwrap();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    ws.merge_range(0, 0, 0, 6, "DANH SÁCH ĐOÀN RA NĂM 2019", &bold)
        .unwrap();
    ws.write_string(1, 0, "Sở Ngoại vụ tỉnh Vĩnh Long").unwrap();
    let headers = [
        "STT",
        "Tên đoàn",
        "Trưởng đoàn",
        "Thời gian đi",
        "Nước đến",
        "Số QĐ cử đoàn",
        "Kinh phí (triệu đồng)",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, *h, &bold).unwrap();
    }
    let rows: [(&str, &str, &str, &str, f64); 3] = [
        (
            "Đoàn xúc tiến thương mại tại Nhật Bản",
            "Nguyễn Văn An",
            "Nhật Bản",
            "125/QĐ-UBND",
            budget_of_first,
        ),
        (
            "Đoàn làm việc với tỉnh Xiêng Khoảng",
            "Trần Thị Bình",
            "Lào, Campuchia",
            "210/QĐ-UBND",
            120.5,
        ),
        (
            "Đoàn dự hội chợ nông sản",
            "Lê Văn Cường",
            "Hàn Quốc",
            "318/QĐ-UBND",
            300.0,
        ),
    ];
    for (i, (name, leader, countries, decision, budget)) in rows.iter().enumerate() {
        let r = 4 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        ws.write_string(r, 2, *leader).unwrap();
        match i {
            // An Excel date (serial) in the first row, text in the others.
            0 => {
                ws.write_number_with_format(r, 3, 43556.0, &date).unwrap(); // 01/04/2019
            }
            1 => {
                ws.write_string(r, 3, "15/06/2019").unwrap();
            }
            _ => {
                ws.write_string(r, 3, if bad_date { "31/02/2019" } else { "28/02/2019" })
                    .unwrap();
            }
        }
        ws.write_string(r, 4, *countries).unwrap();
        ws.write_string(r, 5, *decision).unwrap();
        ws.write_number(r, 6, *budget).unwrap();
    }
    ws.write_string(7, 1, "Tổng cộng").unwrap();
    let total = rows.iter().map(|r| r.4).sum::<f64>();
    ws.write_formula(
        7,
        6,
        Formula::new("=SUM(G5:G7)").set_result(total.to_string()),
    )
    .unwrap();
    wb.save_to_buffer().unwrap()
}

async fn review_of(
    svc: &ngoaivu_store::Service,
    actor: &ngoaivu_core::Actor,
    rt: RecordType,
    name: &str,
    bytes: &[u8],
) -> Result<import::Review, ImportError> {
    import::review(
        svc,
        actor,
        rt,
        Upload {
            file_name: name,
            bytes,
        },
        &MappingChoice::Propose { sheet: None },
        &ngoaivu_sheets::Limits::default(),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workbook_reviewed_fixed_imported_and_imported_again() {
    on_both(|svc, b| async move {
        let actor = editor(&b, "vinh-long", "vl-editor").await;
        let rt = RecordType::Delegation;

        // 1. The bad date is reported at its cell; nothing is written.
        let bad = delegations_workbook(true, 250.0);
        let review = review_of(&svc, &actor, rt, "doan-ra-2019.xlsx", &bad)
            .await
            .unwrap();
        let m = review.mapping.as_ref().unwrap();
        assert_eq!(m.sheet, "Đoàn ra 2019");
        assert_eq!(
            m.header_row, 4,
            "the header row is found below the title rows"
        );
        assert_eq!(
            review.summary.rows, 3,
            "the total row is not a record: {:?}",
            review.rows
        );
        assert_eq!(review.summary.errors, 1, "{:#?}", review.rows);
        let err_row = review
            .rows
            .iter()
            .find(|r| r.action == Action::Error)
            .unwrap();
        assert_eq!(err_row.row, 7);
        let e = &err_row.errors[0];
        assert_eq!(e.cell.as_deref(), Some("'Đoàn ra 2019'!D7"), "{e:?}");
        assert!(e.message.contains("31/02/2019"), "{}", e.message);
        let refused = import::commit(&svc, &actor, review).await;
        assert!(matches!(refused, Err(ImportError::HasErrors(1))));
        assert!(svc.own_records(&actor, rt).await.unwrap().is_empty());

        // 2. Fixed: three delegations, with their audit rows naming the file.
        let good = delegations_workbook(false, 250.0);
        let review = review_of(&svc, &actor, rt, "doan-ra-2019.xlsx", &good)
            .await
            .unwrap();
        assert_eq!(review.summary.create, 3, "{:?}", review.rows);
        let sha = review.sha256.clone();
        let outcome = import::commit(&svc, &actor, review).await.unwrap();
        assert_eq!(outcome.created.len(), 3);
        let records = svc.own_records(&actor, rt).await.unwrap();
        assert_eq!(records.len(), 3);
        let first = records
            .iter()
            .find(|r| r.data["purpose"] == "Đoàn xúc tiến thương mại tại Nhật Bản")
            .unwrap();
        assert_eq!(
            first.data["direction"], "outbound",
            "the sheet's title says đoàn ra"
        );
        assert_eq!(first.data["start_on"], "2019-04-01");
        assert_eq!(first.data["countries"], serde_json::json!(["JP"]));
        assert_eq!(first.data["leader"]["name"], "Nguyễn Văn An");
        assert_eq!(first.data["decision_number"], "125/QĐ-UBND");
        assert_eq!(first.data["budget"]["currency"], "VND");
        assert_eq!(
            first.data["budget"]["amount"]
                .as_str()
                .map(|a| a.parse::<f64>().unwrap()),
            Some(250_000_000.0),
            "millions of đồng from the header: {}",
            first.data["budget"]
        );
        let second = records
            .iter()
            .find(|r| r.data["purpose"] == "Đoàn làm việc với tỉnh Xiêng Khoảng")
            .unwrap();
        assert_eq!(second.data["countries"], serde_json::json!(["LA", "KH"]));
        let audits = import_audits(&svc, &actor, rt).await;
        assert_eq!(audits.len(), 3);
        for a in &audits {
            assert_eq!(a["import"]["sha256"], sha.as_str());
            assert_eq!(a["import"]["file"], "doan-ra-2019.xlsx");
            assert!(a["import"]["row"].as_u64().is_some(), "{a}");
        }

        // 3. The same workbook again: nothing new.
        let again = review_of(&svc, &actor, rt, "doan-ra-2019.xlsx", &good)
            .await
            .unwrap();
        assert_eq!(
            (
                again.summary.create,
                again.summary.update,
                again.summary.unchanged
            ),
            (0, 0, 3),
            "{:?}",
            again.rows
        );
        let outcome = import::commit(&svc, &actor, again).await.unwrap();
        assert!(outcome.created.is_empty());
        assert_eq!(svc.own_records(&actor, rt).await.unwrap().len(), 3);

        // 4. One cell changed: one update, with the field and both values.
        let changed = delegations_workbook(false, 275.0);
        let review = review_of(&svc, &actor, rt, "doan-ra-2019-sua.xlsx", &changed)
            .await
            .unwrap();
        assert_eq!((review.summary.create, review.summary.update), (0, 1));
        let upd = review
            .rows
            .iter()
            .find(|r| r.action == Action::Update)
            .unwrap();
        assert_eq!(upd.record_id, Some(first.id));
        assert!(
            upd.changes.iter().any(|c| c.field == "budget"),
            "{:?}",
            upd.changes
        );
        let outcome = import::commit(&svc, &actor, review).await.unwrap();
        assert_eq!(outcome.updated, 1);
        let after = svc.get(&actor, rt, first.id).await.unwrap();
        assert_eq!(
            after.data["budget"]["amount"]
                .as_str()
                .map(|a| a.parse::<f64>().unwrap()),
            Some(275_000_000.0)
        );
        let history = svc.history(&actor, rt, first.id).await.unwrap();
        assert_eq!(history.last().unwrap().action, "import");
        assert_eq!(
            history.last().unwrap().after.as_ref().unwrap()["import"]["file"],
            "doan-ra-2019-sua.xlsx"
        );
    })
    .await;
}

/// Agreements name their partners: one that exists (written without
/// diacritics, in capitals) is matched; one that does not is created in
/// the same import, with the country the row gives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partners_named_in_cells_are_matched_or_created() {
    on_both(|svc, b| async move {
        let actor = editor(&b, "son-la", "sl-editor").await;
        let existing = svc
            .create(
                &actor,
                RecordType::Partner,
                serde_json::json!({"name": "Xiêng Khoảng", "kind": "foreign_locality", "country": "LA"}),
            )
            .await
            .unwrap();
        let csv = "Tên thỏa thuận;Loại;Đối tác;Nước;Ngày ký;Hiệu lực đến\n\
                   Thỏa thuận hợp tác giai đoạn 2021-2025;Thỏa thuận;XIENG KHOANG;Lào;12/03/2021;31/12/2025\n\
                   Biên bản ghi nhớ về giáo dục;Biên bản ghi nhớ;Hủa Phăn;Lào;20/05/2022;\n";
        let review = review_of(&svc, &actor, RecordType::Agreement, "thoa-thuan.csv", csv.as_bytes())
            .await
            .unwrap();
        assert_eq!(review.summary.errors, 0, "{:?}", review.rows);
        assert_eq!(review.summary.create, 2);
        assert_eq!(review.summary.new_partners, 1);
        let row = review.rows.iter().find(|r| r.row == 3).unwrap();
        assert_eq!(row.new_partners, vec!["Hủa Phăn".to_string()]);
        let outcome = import::commit(&svc, &actor, review).await.unwrap();
        assert_eq!(outcome.created.len(), 3, "one partner and two agreements");
        let agreements = svc.own_records(&actor, RecordType::Agreement).await.unwrap();
        let first = agreements
            .iter()
            .find(|a| a.data["title"] == "Thỏa thuận hợp tác giai đoạn 2021-2025")
            .unwrap();
        assert_eq!(first.data["partner_ids"], serde_json::json!([existing.id]));
        assert_eq!(first.data["kind"], "agreement");
        assert_eq!(first.data["signed_on"], "2021-03-12");
        assert_eq!(first.data["valid_until"], "2025-12-31");
        let partners = svc.own_records(&actor, RecordType::Partner).await.unwrap();
        let new = partners.iter().find(|p| p.data["name"] == "Hủa Phăn").unwrap();
        assert_eq!(new.data["country"], "LA");
        let second = agreements
            .iter()
            .find(|a| a.data["title"] == "Biên bản ghi nhớ về giáo dục")
            .unwrap();
        assert_eq!(second.data["partner_ids"], serde_json::json!([new.id]));
        assert_eq!(second.data["kind"], "mou");
        // The agreement is found by its partner's name.
        let mut q = ngoaivu_store::ListQuery::new(RecordType::Agreement);
        q.q = Some("hua phan".into());
        let found = svc.list(&actor, &q).await.unwrap();
        assert_eq!(found.items.len(), 1);
    })
    .await;
}

/// A workbook of another province's records is written into the
/// importer's province or not at all: its locality is refused at the cell,
/// and a viewer may not import.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_provinces_workbook_never_lands_elsewhere() {
    on_both(|svc, b| async move {
        let actor = editor(&b, "vinh-long", "vl-ed").await;
        let csv = "Tên đối tác,Loại,Nước,Địa phương,Cơ quan\n\
                   Tỉnh Gyeonggi,Địa phương nước ngoài,Hàn Quốc,Hà Nội,ha-noi\n";
        let review = review_of(
            &svc,
            &actor,
            RecordType::Partner,
            "doi-tac.csv",
            csv.as_bytes(),
        )
        .await
        .unwrap();
        // A partner has no locality: the column is either unmapped or
        // refused; in neither case does the record go to Hà Nội.
        if review.summary.errors == 0 {
            import::commit(&svc, &actor, review).await.unwrap();
            let mine = svc.own_records(&actor, RecordType::Partner).await.unwrap();
            assert_eq!(mine.len(), 1);
            assert_eq!(mine[0].org_slug, "vinh-long");
        }
        let hanoi = editor(&b, "ha-noi", "hn-ed").await;
        assert!(
            svc.own_records(&hanoi, RecordType::Partner)
                .await
                .unwrap()
                .is_empty()
        );

        // A figure of another province's unit is refused at its cell.
        let csv =
            "Chỉ tiêu,Địa phương,Năm,Giá trị,Đơn vị\ntrade.export,Hà Nội,2022,793000000,USD\n";
        let review = review_of(
            &svc,
            &actor,
            RecordType::Observation,
            "so-lieu.csv",
            csv.as_bytes(),
        )
        .await
        .unwrap();
        assert_eq!(review.summary.errors, 1, "{:?}", review.rows);
        let e = &review.rows[0].errors[0];
        assert_eq!(e.cell.as_deref(), Some("CSV!B2"), "{e:?}");

        let viewer =
            ngoaivu_store_tests::actor(&b, "vinh-long", ngoaivu_core::Role::Viewer, "vl-viewer")
                .await;
        let refused = review_of(
            &svc,
            &viewer,
            RecordType::Partner,
            "doi-tac.csv",
            csv.as_bytes(),
        )
        .await;
        assert!(
            matches!(
                refused,
                Err(ImportError::Store(ngoaivu_store::StoreError::Forbidden(_)))
            ),
            "{:?}",
            refused.map(|r| r.summary)
        );
    })
    .await;
}

/// The write is all or nothing: a row whose write the database refuses
/// (its partner deleted after the review) takes the whole import back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_write_writes_nothing() {
    on_both(|svc, b| async move {
        let actor = editor(&b, "lang-son", "ls-ed").await;
        let p = svc
            .create(
                &actor,
                RecordType::Partner,
                serde_json::json!({"name": "Quảng Tây", "kind": "foreign_locality", "country": "CN"}),
            )
            .await
            .unwrap();
        let csv = "Tên thỏa thuận;Loại;Đối tác\n\
                   Thỏa thuận về cửa khẩu;Thỏa thuận;Quảng Tây\n\
                   Thỏa thuận về du lịch;Thỏa thuận;Quảng Tây\n";
        let review = review_of(&svc, &actor, RecordType::Agreement, "tt.csv", csv.as_bytes())
            .await
            .unwrap();
        assert_eq!(review.summary.create, 2, "{:?}", review.rows);
        svc.delete(&actor, RecordType::Partner, p.id).await.unwrap();
        let refused = import::commit(&svc, &actor, review).await;
        assert!(refused.is_err());
        assert!(svc.own_records(&actor, RecordType::Agreement).await.unwrap().is_empty());

        // A record changed after the review: refused whole as well.
        let p = svc
            .create(
                &actor,
                RecordType::Partner,
                serde_json::json!({"name": "Quảng Tây", "kind": "foreign_locality", "country": "CN"}),
            )
            .await
            .unwrap();
        let csv = "Tên đối tác;Loại;Nước;Ghi chú\nQuảng Tây;Địa phương nước ngoài;Trung Quốc;Kết nghĩa\nVân Nam;Địa phương nước ngoài;Trung Quốc;\n";
        let review = review_of(&svc, &actor, RecordType::Partner, "dt.csv", csv.as_bytes())
            .await
            .unwrap();
        assert_eq!((review.summary.create, review.summary.update), (1, 1), "{:?}", review.rows);
        svc.update(&actor, RecordType::Partner, p.id, &serde_json::json!({"website": "https://gxzf.gov.cn"}))
            .await
            .unwrap();
        let refused = import::commit(&svc, &actor, review).await;
        assert!(
            matches!(refused, Err(ImportError::Store(ngoaivu_store::StoreError::Conflict(ngoaivu_store::ConflictKind::ChangedSince(id)))) if id == p.id)
        );
        let partners = svc.own_records(&actor, RecordType::Partner).await.unwrap();
        assert_eq!(partners.len(), 1, "Vân Nam was not written either");
    })
    .await;
}

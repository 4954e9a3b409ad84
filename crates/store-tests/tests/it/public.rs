//! The reads that take no user, on each backend: the public investment
//! catalog shows published projects of every province and nothing else
//! (not a draft, not a withdrawn project, not a PDF, not an internal note,
//! not another record type, whatever the id), and a calendar token opens
//! its own organisation's delegations and events only, until replaced.

use ngoaivu_core::attachments::DEFAULT_MAX_BYTES;
use ngoaivu_core::{RecordType, Role};
use ngoaivu_store::{CatalogFilter, Service, StoreError};
use ngoaivu_store_tests::{actor, both};
use serde_json::{Value, json};

fn project(name: &str, sector: &str, status: &str, countries: &[&str]) -> Value {
    json!({
        "translations": {
            "vi": {"name": format!("Dự án {name}"), "summary": "Chế biến nông sản."},
            "en": {"name": format!("Project {name}"), "summary": "Agro-processing."}
        },
        "sector": sector, "status": status, "countries_of_interest": countries,
        "capital": {"amount": "25000000", "currency": "USD"}, "area_ha": "12.5",
        "notes": "Nội bộ: số điện thoại riêng của lãnh đạo 0913 000 000"
    })
}

fn filter() -> CatalogFilter {
    CatalogFilter {
        limit: 50,
        ..CatalogFilter::default()
    }
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

#[tokio::test]
async fn the_public_catalog_shows_published_projects_only() {
    for b in both().await {
        let kind = b.kind();
        let s = Service::new(b.clone());
        let vl = actor(&b, "vinh-long", Role::Editor, "vl").await;
        let dl = actor(&b, "dak-lak", Role::Editor, "dl").await;

        let coconut = s
            .create(
                &vl,
                RecordType::CatalogProject,
                project("dừa", "industry", "published", &["JP", "KR"]),
            )
            .await
            .unwrap();
        let coffee = s
            .create(
                &dl,
                RecordType::CatalogProject,
                project("cà phê", "agriculture", "published", &["DE"]),
            )
            .await
            .unwrap();
        let draft = s
            .create(
                &vl,
                RecordType::CatalogProject,
                project("dự thảo", "industry", "draft", &["JP"]),
            )
            .await
            .unwrap();
        let withdrawn = s
            .create(
                &dl,
                RecordType::CatalogProject,
                project("đã rút", "agriculture", "withdrawn", &["DE"]),
            )
            .await
            .unwrap();
        // Another record type, same province: never in the catalog.
        let partner = s
            .create(
                &vl,
                RecordType::Partner,
                json!({"name": "Gelderland", "kind": "foreign_locality", "country": "NL"}),
            )
            .await
            .unwrap();

        let page = s.public_catalog(&filter()).await.unwrap();
        let mut shown: Vec<i64> = page.items.iter().map(|p| p.id).collect();
        shown.sort();
        assert_eq!(shown, vec![coconut.id, coffee.id], "{kind}");
        assert_eq!(page.total, 2, "{kind}");
        for p in &page.items {
            assert!(p.body.notes.is_none(), "{kind}: notes are internal");
            assert_eq!(p.body.status, "published", "{kind}");
        }
        let one = |f: CatalogFilter| {
            let s = s.clone();
            async move {
                s.public_catalog(&f)
                    .await
                    .unwrap()
                    .items
                    .iter()
                    .map(|p| p.id)
                    .collect::<Vec<_>>()
            }
        };
        // Filters: province, sector, country of interest (any case); unknown ones match nothing.
        let by =
            |province: Option<&str>, sector: Option<&str>, country: Option<&str>| CatalogFilter {
                province: province.map(str::to_owned),
                sector: sector.map(str::to_owned),
                country: country.map(str::to_owned),
                ..filter()
            };
        assert_eq!(
            one(by(Some("vinh-long"), None, None)).await,
            vec![coconut.id],
            "{kind}"
        );
        assert_eq!(
            one(by(None, Some("agriculture"), None)).await,
            vec![coffee.id],
            "{kind}"
        );
        assert_eq!(
            one(by(None, None, Some("kr"))).await,
            vec![coconut.id],
            "{kind}"
        );
        assert_eq!(
            one(by(Some("dak-lak"), None, Some("JP"))).await,
            Vec::<i64>::new(),
            "{kind}"
        );
        assert!(
            one(by(Some("bo-ngoai-giao"), None, None)).await.is_empty(),
            "{kind}"
        );
        assert!(
            one(by(Some("atlantis"), None, None)).await.is_empty(),
            "{kind}"
        );

        // Guessing ids: drafts, withdrawn projects and other records are not found.
        for id in [draft.id, withdrawn.id, partner.id, 999_999] {
            assert!(
                matches!(
                    s.public_catalog_project(id).await,
                    Err(StoreError::NotFound)
                ),
                "{kind}: {id}"
            );
        }
        assert_eq!(
            s.public_catalog_project(coffee.id).await.unwrap().org.slug,
            "dak-lak",
            "{kind}"
        );

        // Pictures: PNG and JPEG of a published project only.
        let pic = s
            .attach(
                &vl,
                RecordType::CatalogProject,
                coconut.id,
                "Khu đất.png",
                PNG.to_vec(),
                DEFAULT_MAX_BYTES,
            )
            .await
            .unwrap();
        let pdf = s
            .attach(
                &vl,
                RecordType::CatalogProject,
                coconut.id,
                "Tờ trình nội bộ.pdf",
                b"%PDF-1.7 noi bo".to_vec(),
                DEFAULT_MAX_BYTES,
            )
            .await
            .unwrap();
        let draft_pic = s
            .attach(
                &vl,
                RecordType::CatalogProject,
                draft.id,
                "Dự thảo.png",
                PNG.to_vec(),
                DEFAULT_MAX_BYTES,
            )
            .await
            .unwrap();
        let partner_pic = s
            .attach(
                &vl,
                RecordType::Partner,
                partner.id,
                "Logo.png",
                PNG.to_vec(),
                DEFAULT_MAX_BYTES,
            )
            .await
            .unwrap();
        let shown = s.public_catalog_project(coconut.id).await.unwrap();
        assert_eq!(
            shown.pictures.iter().map(|p| p.id).collect::<Vec<_>>(),
            vec![pic.id],
            "{kind}: only the picture is listed"
        );
        let (meta, bytes) = s.public_catalog_picture(coconut.id, pic.id).await.unwrap();
        assert_eq!(
            (meta.content_type.as_str(), bytes.as_slice()),
            ("image/png", PNG),
            "{kind}"
        );
        for (id, aid) in [
            (coconut.id, pdf.id),
            (draft.id, draft_pic.id),
            (coconut.id, draft_pic.id),
            (partner.id, partner_pic.id),
            (coconut.id, partner_pic.id),
        ] {
            assert!(
                matches!(
                    s.public_catalog_picture(id, aid).await,
                    Err(StoreError::NotFound)
                ),
                "{kind}: picture {aid} of {id}"
            );
        }

        // Unpublishing takes a project and its pictures off at once; publishing again brings them back.
        s.update(
            &vl,
            RecordType::CatalogProject,
            coconut.id,
            &json!({"status": "withdrawn"}),
        )
        .await
        .unwrap();
        assert!(matches!(
            s.public_catalog_picture(coconut.id, pic.id).await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(one(filter()).await, vec![coffee.id], "{kind}");
        s.update(
            &vl,
            RecordType::CatalogProject,
            coconut.id,
            &json!({"status": "published"}),
        )
        .await
        .unwrap();
        assert_eq!(
            one(by(Some("vinh-long"), None, None)).await,
            vec![coconut.id],
            "{kind}"
        );
        // Publishing without an English text is refused, and writes nothing.
        let refused = s
            .update(
                &vl,
                RecordType::CatalogProject,
                draft.id,
                &json!({"status": "published", "translations": {"en": null}}),
            )
            .await;
        assert!(
            matches!(refused, Err(StoreError::Invalid(_))),
            "{kind}: {refused:?}"
        );
        assert!(matches!(
            s.public_catalog_project(draft.id).await,
            Err(StoreError::NotFound)
        ));
        // Provinces still see only their own catalog projects when signed in.
        assert!(matches!(
            s.get(&vl, RecordType::CatalogProject, coffee.id).await,
            Err(StoreError::NotFound)
        ));
    }
}

#[tokio::test]
async fn calendar_tokens_open_one_organisation_until_replaced() {
    for b in both().await {
        let kind = b.kind();
        let s = Service::new(b.clone());
        let dt = actor(&b, "dong-thap", Role::Editor, "dt").await;
        let dt_viewer = actor(&b, "dong-thap", Role::Viewer, "dtv").await;
        let vl = actor(&b, "vinh-long", Role::Admin, "vl").await;
        let mission = actor(&b, "dsq-lao", Role::Admin, "lao").await;

        let trip = s
            .create(
                &dt,
                RecordType::Delegation,
                json!({"direction": "outbound", "purpose": "Xúc tiến thương mại tại Nhật Bản", "countries": ["JP"], "start_on": "2026-03-02", "end_on": "2026-03-06"}),
            )
            .await
            .unwrap();
        let fair = s
            .create(
                &dt,
                RecordType::Event,
                json!({"kind": "fair", "title": "Hội chợ xoài Cao Lãnh", "start_on": "2026-06-01"}),
            )
            .await
            .unwrap();
        // Undated: nothing to put in a calendar.
        s.create(
            &dt,
            RecordType::Event,
            json!({"kind": "seminar", "title": "Hội thảo chưa định ngày"}),
        )
        .await
        .unwrap();
        let other = s
            .create(
                &vl,
                RecordType::Delegation,
                json!({"direction": "inbound", "purpose": "Đoàn tỉnh Xiêng Khoảng", "countries": ["LA"], "start_on": "2026-03-03"}),
            )
            .await
            .unwrap();

        assert!(s.calendar_token(&dt).await.unwrap().is_none(), "{kind}");
        for who in [&dt_viewer, &mission] {
            assert!(
                matches!(
                    s.rotate_calendar_token(who, &"v".repeat(43)).await,
                    Err(StoreError::Forbidden(_))
                ),
                "{kind}: {}",
                who.username
            );
        }
        let first = "a".repeat(43);
        let made = s.rotate_calendar_token(&dt, &first).await.unwrap();
        assert_eq!(made.created_by, "dt", "{kind}");
        s.rotate_calendar_token(&vl, &"b".repeat(43)).await.unwrap();

        let (org, recs) = s.calendar_feed(&first).await.unwrap();
        assert_eq!(org.slug, "dong-thap", "{kind}");
        let mut got: Vec<i64> = recs.iter().map(|r| r.id).collect();
        got.sort();
        assert_eq!(
            got,
            vec![trip.id, fair.id],
            "{kind}: own dated records only"
        );
        assert!(!got.contains(&other.id));
        assert!(matches!(
            s.calendar_feed("wrong").await,
            Err(StoreError::NotFound)
        ));

        // Replacing the token: the old one opens nothing; an audit row says who, never the token.
        let second = "c".repeat(43);
        s.rotate_calendar_token(&dt, &second).await.unwrap();
        assert!(
            matches!(s.calendar_feed(&first).await, Err(StoreError::NotFound)),
            "{kind}"
        );
        assert_eq!(s.calendar_feed(&second).await.unwrap().0.slug, "dong-thap");
        let history = b.calendar_token_history(dt.org_id).await.unwrap();
        assert_eq!(history.len(), 2, "{kind}");
        assert!(
            history
                .iter()
                .all(|h| h.action == "rotate" && h.username == "dt")
        );
        assert!(history[1].before.is_some(), "{kind}");
        let text = format!("{history:?}");
        assert!(
            !text.contains(&first) && !text.contains(&second),
            "{kind}: token in the audit"
        );
        // Only the hash is stored.
        assert!(b.calendar_org(&second).await.unwrap().is_none(), "{kind}");
    }
}

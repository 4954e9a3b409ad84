//! One story, run on each backend: everything the `Backend` contract
//! promises (scope in SQL, audit in the same transaction, folded search,
//! links, bulk loading, accounts and sessions).

use ngoaivu_core::{Actor, Denied, OrgKind, RecordType, Role};
use ngoaivu_store::{ConflictKind, ListQuery, NewUser, Service, SortKey, StoreError};
use ngoaivu_store_tests::{actor, both};
use serde_json::{Value, json};

fn ids(page: &ngoaivu_store::Page) -> Vec<i64> {
    page.items.iter().map(|r| r.id).collect()
}

async fn audit_count(s: &Service, who: &Actor, rt: RecordType, id: i64) -> usize {
    s.history(who, rt, id).await.map(|h| h.len()).unwrap_or(0)
}

#[tokio::test]
async fn reference_data_accounts_and_sessions() {
    for b in both().await {
        let kind = b.kind();
        let orgs = b.list_orgs().await.unwrap();
        assert_eq!(
            orgs.iter().filter(|o| o.kind == OrgKind::Province).count(),
            34,
            "{kind}"
        );
        assert_eq!(
            orgs.iter().filter(|o| o.kind == OrgKind::Ministry).count(),
            1,
            "{kind}"
        );
        assert!(
            orgs.iter()
                .any(|o| o.slug == "dsq-lao" && o.kind == OrgKind::Mission),
            "{kind}"
        );
        assert_eq!(b.list_indicators().await.unwrap().len(), 27, "{kind}");

        let a = actor(&b, "vinh-long", Role::Editor, "vl").await;
        let dup = b
            .add_user(
                &Actor::system(),
                NewUser {
                    org_id: a.org_id,
                    username: "vl".into(),
                    role: Role::Viewer,
                    password_hash: "y".into(),
                    consular: false,
                },
            )
            .await;
        assert!(
            matches!(
                dup,
                Err(StoreError::Conflict(ConflictKind::UsernameTaken(_)))
            ),
            "{kind}: {dup:?}"
        );

        let now = time::OffsetDateTime::now_utc();
        b.create_session("h1", a.user_id, now + time::Duration::hours(1))
            .await
            .unwrap();
        b.create_session("h2", a.user_id, now - time::Duration::seconds(1))
            .await
            .unwrap();
        let (who, _) = b
            .session_actor("h1", now)
            .await
            .unwrap()
            .expect("live session");
        assert_eq!(who, a, "{kind}");
        assert!(
            b.session_actor("h2", now).await.unwrap().is_none(),
            "{kind}: expired session must not answer"
        );
        assert!(b.session_actor("nope", now).await.unwrap().is_none());
        b.set_disabled(&Actor::system(), "vl", true).await.unwrap();
        assert!(
            b.session_actor("h1", now).await.unwrap().is_none(),
            "{kind}: disabling ends sessions"
        );
        b.set_disabled(&Actor::system(), "vl", false).await.unwrap();
        assert!(matches!(
            b.set_password(&Actor::system(), "ghost", "h").await,
            Err(StoreError::NotFound)
        ));

        let office = b
            .set_org_office(&Actor::system(), a.org_id, "Văn phòng UBND tỉnh")
            .await
            .unwrap();
        assert_eq!(office.office_name.as_deref(), Some("Văn phòng UBND tỉnh"));
    }
}

#[tokio::test]
async fn records_scope_audit_links_and_search() {
    for b in both().await {
        let kind = b.kind();
        let s = Service::new(b.clone());
        let vl = actor(&b, "vinh-long", Role::Editor, "vl").await;
        let vl_viewer = actor(&b, "vinh-long", Role::Viewer, "vlv").await;
        let dt = actor(&b, "dong-thap", Role::Editor, "dt").await;
        let mofa = actor(&b, "bo-ngoai-giao", Role::Viewer, "mofa").await;
        let mofa_ed = actor(&b, "bo-ngoai-giao", Role::Editor, "mofa-ed").await;
        let mission = actor(&b, "dsq-lao", Role::Admin, "dsq").await;

        let xk = s
            .create(
                &vl,
                RecordType::Partner,
                json!({"name": "Xiêng Khoảng", "kind": "foreign_locality", "country": "LA"}),
            )
            .await
            .unwrap();
        assert_eq!(xk.org_slug, "vinh-long");
        assert_eq!(
            s.get(&vl, RecordType::Partner, xk.id).await.unwrap(),
            xk,
            "{kind}: what create answers is what a read gives"
        );
        // An agreement of past years, entered as in force: an approver's.
        let vl_approver = actor(&b, "vinh-long", Role::Approver, "vl-approver").await;
        let ag = s
            .create(
                &vl_approver,
                RecordType::Agreement,
                json!({"title": "Thỏa thuận hợp tác giai đoạn 2016 - 2020", "kind": "agreement", "partner_ids": [xk.id],
                       "signed_on": "2016-05-10", "valid_from": "2016-01-01", "valid_until": "2020-12-31", "status": "in_force"}),
            )
            .await
            .unwrap();
        let dn = s.create(&dt, RecordType::Partner, json!({"name": "Đà Nẵng Partners", "kind": "enterprise", "country": "KR", "sectors": ["trade"]})).await.unwrap();

        // Scope: a province sees only its own; missing and foreign look the same.
        assert!(
            matches!(
                s.get(&dt, RecordType::Partner, xk.id).await,
                Err(StoreError::NotFound)
            ),
            "{kind}"
        );
        assert!(
            matches!(
                s.get(&dt, RecordType::Partner, 999_999).await,
                Err(StoreError::NotFound)
            ),
            "{kind}"
        );
        assert!(
            matches!(
                s.get(&vl, RecordType::Agreement, xk.id).await,
                Err(StoreError::NotFound)
            ),
            "{kind}: wrong type is not found"
        );
        assert!(
            matches!(
                s.get(&mission, RecordType::Partner, xk.id).await,
                Err(StoreError::NotFound)
            ),
            "{kind}"
        );
        assert_eq!(
            s.get(&mofa, RecordType::Partner, xk.id).await.unwrap().id,
            xk.id
        );
        assert!(matches!(
            s.update(&dt, RecordType::Partner, xk.id, &json!({"name": "x"}))
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.delete(&dt, RecordType::Partner, xk.id).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.update(
                &vl_viewer,
                RecordType::Partner,
                xk.id,
                &json!({"name": "x"})
            )
            .await,
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            s.create(
                &mission,
                RecordType::Partner,
                json!({"name": "x", "kind": "ngo", "country": "LA"})
            )
            .await,
            Err(StoreError::Forbidden(_))
        ));
        // A province may not link to another province's partner.
        let cross = s
            .create(
                &dt,
                RecordType::Agreement,
                json!({"title": "T", "kind": "mou", "partner_ids": [xk.id]}),
            )
            .await;
        assert!(
            matches!(cross, Err(StoreError::Invalid(_))),
            "{kind}: {cross:?}"
        );

        // Lists: only own records, totals count only them, filters and folded search.
        let mut q = ListQuery::new(RecordType::Partner);
        assert_eq!(ids(&s.list(&vl, &q).await.unwrap()), vec![xk.id], "{kind}");
        assert_eq!(s.list(&mofa, &q).await.unwrap().total, 2);
        assert_eq!(s.list(&mission, &q).await.unwrap().total, 0);
        for text in ["da nang", "DA NANG", "Đà Nẵng", "đà", "nang partner"] {
            q.q = Some(text.into());
            assert_eq!(
                ids(&s.list(&mofa, &q).await.unwrap()),
                vec![dn.id],
                "{kind}: {text}"
            );
            assert!(
                s.list(&vl, &q).await.unwrap().items.is_empty(),
                "{kind}: {text} leaks across provinces"
            );
        }
        q.q = None;
        q.country = Some("KR".into());
        assert_eq!(ids(&s.list(&mofa, &q).await.unwrap()), vec![dn.id]);
        q.country = None;
        q.sector = Some("trade".into());
        assert_eq!(ids(&s.list(&mofa, &q).await.unwrap()), vec![dn.id]);
        let mut aq = ListQuery::new(RecordType::Agreement);
        aq.q = Some("xieng khoang".into());
        assert_eq!(
            ids(&s.list(&vl, &aq).await.unwrap()),
            vec![ag.id],
            "{kind}: agreement found by its partner's name"
        );
        aq.q = None;
        aq.year = Some(2016);
        aq.status = Some("in_force".into());
        assert_eq!(s.list(&vl, &aq).await.unwrap().total, 1);
        aq.year = Some(2017);
        assert_eq!(s.list(&vl, &aq).await.unwrap().total, 0);

        // Renaming a partner re-indexes the agreements that name it.
        s.update(
            &vl,
            RecordType::Partner,
            xk.id,
            &json!({"name": "Xiangkhouang"}),
        )
        .await
        .unwrap();
        let mut aq = ListQuery::new(RecordType::Agreement);
        aq.q = Some("xiangkhouang".into());
        assert_eq!(ids(&s.list(&vl, &aq).await.unwrap()), vec![ag.id], "{kind}");
        // An agreement is found by its partners' country, and follows a change of it.
        let mut cq = ListQuery::new(RecordType::Agreement);
        cq.country = Some("LA".into());
        assert_eq!(ids(&s.list(&vl, &cq).await.unwrap()), vec![ag.id], "{kind}");
        s.update(&vl, RecordType::Partner, xk.id, &json!({"country": "KH"}))
            .await
            .unwrap();
        assert!(
            s.list(&vl, &cq).await.unwrap().items.is_empty(),
            "{kind}: stale partner country"
        );
        cq.country = Some("KH".into());
        assert_eq!(ids(&s.list(&vl, &cq).await.unwrap()), vec![ag.id], "{kind}");

        // Audit: one row per change, in the same transaction; a refused change writes nothing.
        assert_eq!(
            audit_count(&s, &vl, RecordType::Partner, xk.id).await,
            3,
            "{kind}"
        );
        let before = s.get(&vl, RecordType::Agreement, ag.id).await.unwrap();
        let bad = s
            .update(
                &vl,
                RecordType::Agreement,
                ag.id,
                &json!({"partner_ids": [dn.id]}),
            )
            .await;
        assert!(
            matches!(bad, Err(StoreError::Invalid(_))),
            "{kind}: {bad:?}"
        );
        let bad = s
            .update(
                &vl,
                RecordType::Agreement,
                ag.id,
                &json!({"valid_until": "2015-01-01"}),
            )
            .await;
        assert!(matches!(bad, Err(StoreError::Invalid(_))));
        assert_eq!(
            s.get(&vl, RecordType::Agreement, ag.id).await.unwrap(),
            before,
            "{kind}: refused change left a trace"
        );
        assert_eq!(
            audit_count(&s, &vl, RecordType::Agreement, ag.id).await,
            1,
            "{kind}"
        );
        let patched = s
            .update(
                &vl,
                RecordType::Agreement,
                ag.id,
                &json!({"valid_until": null, "signed_place": "Xiêng Khoảng"}),
            )
            .await
            .unwrap();
        assert!(
            patched.data.get("valid_until").is_none(),
            "{kind}: null removes a field"
        );
        assert_eq!(patched.updated_by, "vl");
        let h = s.history(&vl, RecordType::Agreement, ag.id).await.unwrap();
        assert_eq!(
            h.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
            vec!["create", "update"]
        );
        assert!(h[1].before.as_ref().unwrap().get("signed_place").is_none());
        assert_eq!(h[1].after.as_ref().unwrap()["signed_place"], "Xiêng Khoảng");

        // Links, and a partner in use cannot be deleted.
        let links = s.links(&vl, RecordType::Partner, xk.id).await.unwrap();
        assert_eq!(
            links.incoming.iter().map(|l| l.id).collect::<Vec<_>>(),
            vec![ag.id]
        );
        assert!(matches!(
            s.delete(&vl, RecordType::Partner, xk.id).await,
            Err(StoreError::Conflict(ConflictKind::InUse(_)))
        ));
        s.delete(&vl, RecordType::Agreement, ag.id).await.unwrap();
        assert!(matches!(
            s.get(&vl, RecordType::Agreement, ag.id).await,
            Err(StoreError::NotFound)
        ));
        s.delete(&vl, RecordType::Partner, xk.id).await.unwrap();
        let mut q = ListQuery::new(RecordType::Partner);
        q.q = Some("xiangkhouang".into());
        assert_eq!(
            s.list(&mofa, &q).await.unwrap().total,
            0,
            "{kind}: deleted records leave the search index"
        );

        // Former units: Đồng Tháp files Tiền Giang's figure under itself;
        // the Ministry writes no province's records.
        assert!(matches!(
            s.create(&mofa_ed, RecordType::Observation, json!({"org": "tien-giang", "indicator": "remittances", "period": {"year": 2019}, "value": "80000000", "unit": "USD"})).await,
            Err(StoreError::Forbidden(Denied::OtherOrg))
        ));
        let obs = s
            .create(&dt, RecordType::Observation, json!({"org": "tien-giang", "indicator": "remittances", "period": {"year": 2019}, "value": "80000000", "unit": "USD"}))
            .await
            .unwrap();
        assert_eq!(obs.org_slug, "dong-thap");
        assert_eq!(obs.data["locality"], "tien-giang");
        assert_eq!(
            s.get(&dt, RecordType::Observation, obs.id)
                .await
                .unwrap()
                .data["value"],
            "80000000"
        );
        // Without `org`, a Ministry user's record is the Ministry's own.
        let own = s
            .create(
                &mofa_ed,
                RecordType::Partner,
                json!({"name": "x", "kind": "ngo", "country": "LA"}),
            )
            .await
            .unwrap();
        assert_eq!(own.org_slug, "bo-ngoai-giao", "{kind}");
        assert!(
            matches!(
                s.update(
                    &mofa_ed,
                    RecordType::Observation,
                    obs.id,
                    &json!({"value": "1"})
                )
                .await,
                Err(StoreError::Forbidden(Denied::OtherOrg))
            ),
            "{kind}: the Ministry corrects no province's figure"
        );
        let _ = Value::Null;
    }
}

#[tokio::test]
async fn vietnamese_sort_and_paging() {
    for b in both().await {
        let kind = b.kind();
        let s = Service::new(b.clone());
        let vl = actor(&b, "vinh-long", Role::Editor, "vl").await;
        for name in ["Đông", "Dương", "Bình", "Ăn", "An"] {
            s.create(
                &vl,
                RecordType::Partner,
                json!({"name": name, "kind": "other", "country": "VN"}),
            )
            .await
            .unwrap();
        }
        let mut q = ListQuery::new(RecordType::Partner);
        q.sort = SortKey::Title;
        q.descending = false;
        let names: Vec<String> = s
            .list(&vl, &q)
            .await
            .unwrap()
            .items
            .iter()
            .map(|r| r.data["name"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(names, vec!["An", "Ăn", "Bình", "Dương", "Đông"], "{kind}");
        q.limit = 2;
        q.offset = 2;
        let page = s.list(&vl, &q).await.unwrap();
        assert_eq!(page.total, 5, "{kind}");
        assert_eq!(page.items.len(), 2);
        assert_eq!(page.items[0].data["name"], "Bình");
    }
}

#[tokio::test]
async fn bulk_insert_fills_links_and_writes_one_audit_row() {
    use ngoaivu_store::BulkRecord;
    for b in both().await {
        let kind = b.kind();
        let vl = b.org_by_slug("vinh-long").await.unwrap().unwrap();
        let mut g = ngoaivu_core_gen::Gen;
        let batch: Vec<BulkRecord> = g.batch(vl.id);
        let n = batch.len();
        let ids = b
            .bulk_insert(&Actor::system(), batch, "test")
            .await
            .unwrap();
        assert_eq!(ids.len(), n);
        assert_eq!(b.count_records().await.unwrap(), n as i64, "{kind}");
        let ag = b
            .get_record(&ngoaivu_core::Scope::All, RecordType::Agreement, ids[1])
            .await
            .unwrap();
        assert_eq!(
            ag.data["partner_ids"],
            json!([ids[0]]),
            "{kind}: bulk links are written into the body"
        );
        let links = b
            .links(&ngoaivu_core::Scope::All, RecordType::Partner, ids[0])
            .await
            .unwrap();
        assert_eq!(links.incoming.len(), 1, "{kind}");
        let mut q = ListQuery::new(RecordType::Agreement);
        q.q = Some("gelderland".into());
        assert_eq!(
            b.list_records(&ngoaivu_core::Scope::Org(vl.id), &q)
                .await
                .unwrap()
                .total,
            1,
            "{kind}"
        );
    }
}

/// A two-record batch: a partner and an agreement linked to it by position.
mod ngoaivu_core_gen {
    use ngoaivu_core::RecordType;
    use ngoaivu_core::records::{Context, prepare};
    use ngoaivu_core::refdata::refdata;
    use ngoaivu_store::BulkRecord;
    use serde_json::json;

    pub(crate) struct Gen;
    impl Gen {
        pub(crate) fn batch(&mut self, org_id: i64) -> Vec<BulkRecord> {
            let ind: Vec<(String, Vec<String>)> = refdata()
                .indicators
                .iter()
                .map(|i| (i.code.clone(), i.units.clone()))
                .collect();
            let ctx = Context {
                allowed_localities: Some(refdata().localities_of("vinh-long")),
                default_locality: Some("vinh-long".into()),
                indicators: &ind,
            };
            let (pd, pi) = prepare(
                RecordType::Partner,
                &json!({"name": "Gelderland", "kind": "foreign_locality", "country": "NL"}),
                &ctx,
            )
            .unwrap();
            let (mut ad, mut ai) = prepare(
                RecordType::Agreement,
                &json!({"title": "Bản ghi nhớ", "kind": "mou", "partner_ids": [1]}),
                &ctx,
            )
            .unwrap();
            ad.as_object_mut().unwrap().remove("partner_ids");
            ai.links.clear();
            let now = time::OffsetDateTime::now_utc();
            vec![
                BulkRecord {
                    rt: RecordType::Partner,
                    org_id,
                    data: pd,
                    idx: pi,
                    batch_links: vec![],
                    created_at: now,
                    source: None,
                },
                BulkRecord {
                    rt: RecordType::Agreement,
                    org_id,
                    data: ad,
                    idx: ai,
                    batch_links: vec![("partner", 0)],
                    created_at: now,
                    source: None,
                },
            ]
        }
    }
}

#[tokio::test]
async fn attachments_follow_their_record() {
    use ngoaivu_core::attachments::DEFAULT_MAX_BYTES;
    for b in both().await {
        let kind = b.kind();
        let s = Service::new(b.clone());
        let vl = actor(&b, "vinh-long", Role::Editor, "vl").await;
        let vlv = actor(&b, "vinh-long", Role::Viewer, "vlv").await;
        let dt = actor(&b, "dong-thap", Role::Editor, "dt").await;
        let p = s
            .create(
                &vl,
                RecordType::Partner,
                json!({"name": "Gelderland", "kind": "foreign_locality", "country": "NL"}),
            )
            .await
            .unwrap();
        let pdf = b"%PDF-1.7 bien ban".to_vec();
        let meta = s
            .attach(
                &vl,
                RecordType::Partner,
                p.id,
                "Biên bản ghi nhớ.pdf",
                pdf.clone(),
                DEFAULT_MAX_BYTES,
            )
            .await
            .unwrap();
        assert_eq!(
            (
                meta.filename.as_str(),
                meta.content_type.as_str(),
                meta.size
            ),
            ("Biên bản ghi nhớ.pdf", "application/pdf", pdf.len() as i64),
            "{kind}"
        );
        assert_eq!(meta.sha256.len(), 64);
        let (got, bytes) = s
            .attachment(&vl, RecordType::Partner, p.id, meta.id)
            .await
            .unwrap();
        assert_eq!((got, bytes), (meta.clone(), pdf.clone()), "{kind}");
        // Out of reach, wrong parent, wrong type, or refused content: nothing.
        assert!(
            matches!(
                s.attachment(&dt, RecordType::Partner, p.id, meta.id).await,
                Err(StoreError::NotFound)
            ),
            "{kind}"
        );
        assert!(matches!(
            s.attachments(&dt, RecordType::Partner, p.id).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.attach(
                &dt,
                RecordType::Partner,
                p.id,
                "x.pdf",
                pdf.clone(),
                DEFAULT_MAX_BYTES
            )
            .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.attach(
                &vlv,
                RecordType::Partner,
                p.id,
                "x.pdf",
                pdf.clone(),
                DEFAULT_MAX_BYTES
            )
            .await,
            Err(StoreError::Forbidden(_))
        ));
        assert!(matches!(
            s.attach(
                &vl,
                RecordType::Partner,
                p.id,
                "x.exe",
                b"MZ".to_vec(),
                DEFAULT_MAX_BYTES
            )
            .await,
            Err(StoreError::Invalid(_))
        ));
        assert!(matches!(
            s.attachment(&vl, RecordType::Agreement, p.id, meta.id)
                .await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(
            s.attachments(&vl, RecordType::Partner, p.id)
                .await
                .unwrap()
                .len(),
            1,
            "{kind}: refused uploads wrote nothing"
        );
        let actions: Vec<String> = s
            .history(&vl, RecordType::Partner, p.id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(actions, vec!["create", "attach"], "{kind}");
        s.detach(&vl, RecordType::Partner, p.id, meta.id)
            .await
            .unwrap();
        assert!(matches!(
            s.detach(&vl, RecordType::Partner, p.id, meta.id).await,
            Err(StoreError::NotFound)
        ));
        // Deleting the record takes its attachments with it.
        s.attach(
            &vl,
            RecordType::Partner,
            p.id,
            "ghi chú.txt",
            "Xin chào".as_bytes().to_vec(),
            DEFAULT_MAX_BYTES,
        )
        .await
        .unwrap();
        s.delete(&vl, RecordType::Partner, p.id).await.unwrap();
        assert!(
            matches!(
                s.attachments(&vl, RecordType::Partner, p.id).await,
                Err(StoreError::NotFound)
            ),
            "{kind}"
        );
    }
}

/// The page the database assembles as JSON is exactly the typed page: same
/// items, same order, same fields, same total, for every sort and filter.
#[tokio::test]
async fn json_pages_equal_typed_pages() {
    use ngoaivu_core::Scope;
    for b in both().await {
        let kind = b.kind();
        let s = Service::new(b.clone());
        let vl = actor(&b, "vinh-long", Role::Editor, "vl").await;
        let dt = actor(&b, "dong-thap", Role::Editor, "dt").await;
        for (i, name) in [
            "Đông Á",
            "Dương Hải",
            "Bình An",
            "Ăn Khang",
            "An Phú",
            "Xiêng Khoảng",
        ]
        .iter()
        .enumerate()
        {
            let who = if i % 2 == 0 { &vl } else { &dt };
            s.create(who, RecordType::Partner, json!({"name": name, "kind": "other", "country": "LA", "contacts": [{"name": "Bà Lan"}]})).await.unwrap();
        }
        let p = s
            .create(
                &vl,
                RecordType::Partner,
                json!({"name": "Gelderland", "kind": "foreign_locality", "country": "NL"}),
            )
            .await
            .unwrap();
        let vl_approver = actor(&b, "vinh-long", Role::Approver, "vl-approver").await;
        s.create(&vl_approver, RecordType::Agreement, json!({"title": "MOU", "kind": "mou", "partner_ids": [p.id], "signed_on": "2020-02-02", "status": "signed"})).await.unwrap();
        for scope in [Scope::All, Scope::Org(vl.org_id), Scope::Nothing] {
            for (sort, desc) in [
                (SortKey::Id, true),
                (SortKey::Title, false),
                (SortKey::Title, true),
                (SortKey::Date, true),
                (SortKey::UpdatedAt, false),
            ] {
                for (q, limit, offset) in [
                    (None, 50, 0),
                    (Some("an"), 50, 0),
                    (None, 2, 1),
                    (Some("xieng"), 1, 0),
                ] {
                    for rt in [RecordType::Partner, RecordType::Agreement] {
                        let mut lq = ListQuery::new(rt);
                        lq.sort = sort;
                        lq.descending = desc;
                        lq.q = q.map(str::to_owned);
                        lq.limit = limit;
                        lq.offset = offset;
                        let typed = b.list_records(&scope, &lq).await.unwrap();
                        let (text, total) = b.list_records_json(&scope, &lq).await.unwrap();
                        let parsed: Value = serde_json::from_str(&text).unwrap();
                        let want: Vec<Value> = typed.items.iter().map(|r| r.to_json()).collect();
                        assert_eq!(parsed, Value::Array(want), "{kind}: {scope:?} {lq:?}");
                        assert_eq!(total, typed.total, "{kind}: {scope:?} {lq:?}");
                    }
                }
            }
        }
    }
}

/// Statistics' raw material: grouped counts and exact sums, within scope,
/// the same on both databases.
#[tokio::test]
async fn aggregates_are_exact_and_scoped() {
    for b in both().await {
        let kind = b.kind();
        let s = Service::new(b.clone());
        let vl = actor(&b, "vinh-long", Role::Editor, "agg-vl").await;
        let dt = actor(&b, "dong-thap", Role::Editor, "agg-dt").await;
        let ministry = actor(&b, "bo-ngoai-giao", Role::Viewer, "agg-bng").await;
        // Amounts whose float sum drifts: 0.1 + 0.2 and large capital.
        for (who, loc, amount, cur, year, status) in [
            (&vl, "vinh-long", "0.10", "USD", 2022, "active"),
            (&vl, "ben-tre", "0.20", "USD", 2022, "active"),
            (&vl, "vinh-long", "123456789012.34", "USD", 2022, "active"),
            (&vl, "vinh-long", "5000000000", "VND", 2022, "active"),
            (&vl, "vinh-long", "7", "USD", 2021, "cancelled"),
            (&dt, "tien-giang", "1000000", "USD", 2019, "active"),
        ] {
            s.create(
                who,
                RecordType::Project,
                json!({"kind": "fdi", "name": format!("Dự án {amount}"), "country": "KR",
                       "capital": {"amount": amount, "currency": cur},
                       "approved_on": format!("{year}-03-01"), "status": status, "locality": loc}),
            )
            .await
            .unwrap();
        }
        let mut q = ngoaivu_store::AggQuery::new(RecordType::Project);
        q.statuses = vec!["active".into()];
        let rows = s.aggregate(&ministry, &q).await.unwrap();
        let usd_2022: rust_decimal::Decimal = rows
            .iter()
            .filter(|r| r.year == Some(2022) && r.unit.as_deref() == Some("USD"))
            .map(|r| r.sum.unwrap())
            .sum();
        assert_eq!(usd_2022.to_string(), "123456789012.64", "{kind}");
        let ben_tre = rows
            .iter()
            .find(|r| r.locality.as_deref() == Some("ben-tre"))
            .unwrap();
        assert_eq!(
            (ben_tre.count, ben_tre.kind.as_deref()),
            (1, Some("fdi")),
            "{kind}"
        );
        assert!(
            rows.iter().all(|r| r.year != Some(2021)),
            "the status filter applies ({kind})"
        );
        // VND is never added to USD: it is its own group.
        assert!(
            rows.iter()
                .any(|r| r.unit.as_deref() == Some("VND")
                    && r.sum.unwrap().to_string() == "5000000000"),
            "{kind}: {rows:?}"
        );
        // A province sees its own groups only, whatever it asks.
        let own = s.aggregate(&vl, &q).await.unwrap();
        assert!(own.iter().all(|r| r.org_id == vl.org_id), "{kind}");
        assert_eq!(own.iter().map(|r| r.count).sum::<i64>(), 4, "{kind}");
        q.org_id = Some(dt.org_id);
        assert!(s.aggregate(&vl, &q).await.unwrap().is_empty(), "{kind}");
        // By country and by the year validity ends.
        let mut q = ngoaivu_store::AggQuery::new(RecordType::Project);
        q.by_country = true;
        q.by_end_year = true;
        q.year_from = Some(2019);
        q.year_to = Some(2019);
        let rows = s.aggregate(&ministry, &q).await.unwrap();
        assert_eq!(rows.len(), 1, "{kind}");
        assert_eq!(rows[0].country.as_deref(), Some("KR"), "{kind}");
        assert_eq!(rows[0].end_year, None, "{kind}");
        // Observations come back whole, within scope.
        s.create(
            &dt,
            RecordType::Observation,
            json!({"indicator": "remittances", "locality": "tien-giang", "period": {"year": 2019},
                   "value": "80000000", "unit": "USD", "qualifier": "about"}),
        )
        .await
        .unwrap();
        let oq = ngoaivu_store::ObsQuery {
            source: None,
            year_from: Some(2019),
            year_to: Some(2019),
            org_id: None,
            indicators: vec!["remittances".into()],
        };
        let obs = s.observations(&ministry, &oq).await.unwrap();
        assert_eq!(obs.len(), 1, "{kind}");
        assert_eq!(obs[0].value, Some("80000000".parse().unwrap()), "{kind}");
        assert_eq!(obs[0].indicator, "remittances", "{kind}");
        assert_eq!(
            obs[0].period.as_deref().map(|p| p.replace(' ', "")),
            Some(r#"{"year":2019}"#.into()),
            "{kind}"
        );
        assert_eq!(obs[0].qualifier.as_deref(), Some("about"), "{kind}");
        assert!(s.observations(&vl, &oq).await.unwrap().is_empty(), "{kind}");
        // By source: the figure above was entered by hand; one read from a
        // report is the only one the `reader` filter finds.
        s.create(
            &dt,
            RecordType::Observation,
            json!({"indicator": "remittances", "locality": "dong-thap", "period": {"year": 2019},
                   "value": "5", "unit": "USD", "source": "reader", "source_document": "Báo cáo 2019"}),
        )
        .await
        .unwrap();
        let reader = ngoaivu_store::ObsQuery {
            source: Some("reader".into()),
            ..oq.clone()
        };
        let read = s.observations(&ministry, &reader).await.unwrap();
        assert_eq!(read.len(), 1, "{kind}");
        assert_eq!(
            read[0].source_document.as_deref(),
            Some("Báo cáo 2019"),
            "{kind}"
        );
        assert_eq!(
            s.observations(&ministry, &oq).await.unwrap().len(),
            2,
            "{kind}"
        );
    }
}

/// Saved tables of the table builder: per organisation, replaced by name
/// only in the version the saver opened, audited, never another
/// organisation's.
#[tokio::test]
async fn saved_tables_belong_to_their_organisation() {
    use ngoaivu_store::Replacing;
    for b in both().await {
        let kind = b.kind();
        let s = Service::new(b.clone());
        let vl = actor(&b, "vinh-long", Role::Viewer, "st-vl").await;
        let vl2 = actor(&b, "vinh-long", Role::Editor, "st-vl2").await;
        let dt = actor(&b, "dong-thap", Role::Viewer, "st-dt").await;
        let spec = "ind=trade.export&loc=vinh-long&from=2018&to=2022&period=year";
        let t = s
            .save_table(&vl, "  Xuất khẩu 5 năm ", spec, Replacing::Nothing)
            .await
            .unwrap();
        assert_eq!(t.name, "Xuất khẩu 5 năm", "{kind}");
        // A new table under a name taken is refused with the table there.
        let spec2 = "ind=trade.export&loc=vinh-long&from=2017&to=2022&period=year";
        match s
            .save_table(&vl2, "Xuất khẩu 5 năm", spec2, Replacing::Nothing)
            .await
        {
            Err(StoreError::StaleTable(now)) => assert_eq!(*now, t, "{kind}"),
            other => panic!("{kind}: {other:?}"),
        }
        // Two people opened version t; the first to save replaces it...
        let t2 = s
            .save_table(
                &vl2,
                "Xuất khẩu 5 năm",
                spec2,
                Replacing::Version(&t.version()),
            )
            .await
            .unwrap();
        assert_eq!(t2.id, t.id, "{kind}");
        assert_ne!(t2.version(), t.version(), "{kind}");
        // ...and the second, still holding t, is told and writes nothing.
        match s
            .save_table(
                &vl,
                "Xuất khẩu 5 năm",
                spec,
                Replacing::Version(&t.version()),
            )
            .await
        {
            Err(StoreError::StaleTable(now)) => {
                assert_eq!(now.spec, spec2, "{kind}");
                assert_eq!(now.created_by, "st-vl2", "{kind}");
            }
            other => panic!("{kind}: {other:?}"),
        }
        let list = s.tables(&vl).await.unwrap();
        assert_eq!(list.len(), 1, "{kind}");
        assert_eq!(list[0].spec, spec2, "{kind}");
        assert_eq!(list[0].version(), t2.version(), "{kind}");
        assert!(s.tables(&dt).await.unwrap().is_empty(), "{kind}");
        // Another organisation cannot delete it; a bad name writes nothing.
        assert!(
            matches!(s.delete_table(&dt, t.id).await, Err(StoreError::NotFound)),
            "{kind}"
        );
        assert!(
            matches!(
                s.save_table(&vl, "   ", spec, Replacing::Nothing).await,
                Err(StoreError::Invalid(_))
            ),
            "{kind}"
        );
        assert_eq!(s.tables(&vl).await.unwrap().len(), 1, "{kind}");
        s.delete_table(&vl, t.id).await.unwrap();
        assert!(s.tables(&vl).await.unwrap().is_empty(), "{kind}");
    }
}

/// A capped count stops at its cap; the page is the same.
#[tokio::test]
async fn capped_counts_stop_at_the_cap() {
    for b in both().await {
        let kind = b.kind();
        let s = Service::new(b.clone());
        let vl = actor(&b, "vinh-long", Role::Editor, "cap-vl").await;
        for i in 0..5 {
            s.create(
                &vl,
                RecordType::Partner,
                json!({"name": format!("Đối tác {i}"), "kind": "ngo", "country": "JP"}),
            )
            .await
            .unwrap();
        }
        let mut q = ListQuery::new(RecordType::Partner);
        q.limit = 2;
        let exact = s.list(&vl, &q).await.unwrap();
        assert_eq!(exact.total, 5, "{kind}");
        q.count_cap = Some(3);
        let capped = s.list(&vl, &q).await.unwrap();
        assert_eq!(capped.total, 3, "{kind}");
        assert_eq!(ids(&capped), ids(&exact), "{kind}");
        q.q = Some("doi tac".into());
        assert_eq!(
            s.list(&vl, &q).await.unwrap().total,
            3,
            "{kind}: with a search"
        );
        let (_, total) = s.list_json(&vl, &q).await.unwrap();
        assert_eq!(total, 3, "{kind}: the JSON path");
        q.count_cap = Some(100);
        assert_eq!(
            s.list(&vl, &q).await.unwrap().total,
            5,
            "{kind}: a cap above the total"
        );
    }
}

/// A search answers the same whichever way the backend runs it (SQLite
/// answers a search narrowed by nothing but its words and owner from the
/// full-text index alone, and joins `records` otherwise): each case is
/// checked against the records it must find, computed here, for pages,
/// totals, order, the owner filter and a province naming another.
#[tokio::test]
async fn searches_agree_with_the_records_they_must_find() {
    for b in both().await {
        let kind = b.kind();
        let s = Service::new(b.clone());
        let vl = actor(&b, "vinh-long", Role::Editor, "sa-vl").await;
        let dt = actor(&b, "dong-thap", Role::Editor, "sa-dt").await;
        let mofa = actor(&b, "bo-ngoai-giao", Role::Viewer, "sa-mofa").await;
        // (owner, id, whether "xieng khoang" must find it)
        let mut made: Vec<(String, i64, bool)> = Vec::new();
        for (who, name, found) in [
            (&vl, "Tỉnh Xiêng Khoảng", true),
            (&vl, "Hội hữu nghị Xiêng Khoảng", true),
            (&vl, "Trường Xiêng Khoảng", true),
            (&vl, "Gelderland", false),
            (&dt, "Sở Xiêng Khoảng", true),
            (&dt, "Công ty XIENG KHOANG", true),
            (&dt, "Pursat", false),
        ] {
            let r = s
                .create(
                    who,
                    RecordType::Partner,
                    json!({"name": name, "kind": "foreign_locality", "country": "LA"}),
                )
                .await
                .unwrap();
            made.push((who.org_slug.clone(), r.id, found));
        }
        let vl_org = b.org_by_slug("vinh-long").await.unwrap().unwrap().id;
        let dt_org = b.org_by_slug("dong-thap").await.unwrap().unwrap().id;
        // Newest first, as lists sort by default.
        let matching = |owner: Option<&str>| -> Vec<i64> {
            let mut v: Vec<i64> = made
                .iter()
                .filter(|(o, _, found)| *found && owner.is_none_or(|w| w == o))
                .map(|(_, id, _)| *id)
                .collect();
            v.sort_unstable_by(|a, b| b.cmp(a));
            v
        };
        struct Case<'a> {
            name: &'a str,
            who: &'a Actor,
            org: Option<i64>,
            limit: i64,
            offset: i64,
            descending: bool,
            want: Vec<i64>,
            total: i64,
        }
        let all = matching(None);
        let vl_all = matching(Some("vinh-long"));
        let dt_all = matching(Some("dong-thap"));
        let cases = [
            Case {
                name: "the Ministry, nationwide",
                who: &mofa,
                org: None,
                limit: 50,
                offset: 0,
                descending: true,
                want: all.clone(),
                total: 5,
            },
            Case {
                name: "the Ministry, one province",
                who: &mofa,
                org: Some(dt_org),
                limit: 50,
                offset: 0,
                descending: true,
                want: dt_all.clone(),
                total: 2,
            },
            Case {
                name: "a province, its own",
                who: &vl,
                org: None,
                limit: 50,
                offset: 0,
                descending: true,
                want: vl_all.clone(),
                total: 3,
            },
            Case {
                name: "a province naming itself",
                who: &vl,
                org: Some(vl_org),
                limit: 50,
                offset: 0,
                descending: true,
                want: vl_all.clone(),
                total: 3,
            },
            Case {
                name: "a province naming another",
                who: &vl,
                org: Some(dt_org),
                limit: 50,
                offset: 0,
                descending: true,
                want: vec![],
                total: 0,
            },
            Case {
                name: "a page in the middle",
                who: &mofa,
                org: None,
                limit: 2,
                offset: 1,
                descending: true,
                want: all[1..3].to_vec(),
                total: 5,
            },
            Case {
                name: "oldest first",
                who: &vl,
                org: None,
                limit: 2,
                offset: 0,
                descending: false,
                want: {
                    let mut v = vl_all.clone();
                    v.reverse();
                    v.truncate(2);
                    v
                },
                total: 3,
            },
        ];
        for c in cases {
            let mut q = ListQuery::new(RecordType::Partner);
            q.q = Some("xieng khoang".into());
            q.org_id = c.org;
            q.limit = c.limit;
            q.offset = c.offset;
            q.descending = c.descending;
            let page = s.list(c.who, &q).await.unwrap();
            assert_eq!(ids(&page), c.want, "{kind}: {}", c.name);
            assert_eq!(page.total, c.total, "{kind}: {}: total", c.name);
            let (json, total) = s.list_json(c.who, &q).await.unwrap();
            let json_ids: Vec<i64> = serde_json::from_str::<Vec<Value>>(&json)
                .unwrap()
                .iter()
                .map(|v| v["id"].as_i64().unwrap())
                .collect();
            assert_eq!(json_ids, c.want, "{kind}: {}: the JSON path", c.name);
            assert_eq!(total, c.total, "{kind}: {}: the JSON path's total", c.name);
            q.count_cap = Some(2);
            assert_eq!(
                s.list(c.who, &q).await.unwrap().total,
                // A page that is not full is its own count.
                if c.offset == 0 && (c.want.len() as i64) < c.limit {
                    c.total
                } else {
                    c.total.min(2)
                },
                "{kind}: {}: capped",
                c.name
            );
        }
        // Narrowed by more than words (the joined way): a kind no one has.
        let mut q = ListQuery::new(RecordType::Partner);
        q.q = Some("xieng khoang".into());
        q.kind = Some("ngo".into());
        assert_eq!(s.list(&mofa, &q).await.unwrap().total, 0, "{kind}");
        q.kind = Some("foreign_locality".into());
        assert_eq!(ids(&s.list(&mofa, &q).await.unwrap()), all, "{kind}");
        // A deleted record leaves the index.
        s.delete(&vl, RecordType::Partner, vl_all[0]).await.unwrap();
        q.kind = None;
        assert_eq!(
            s.list(&vl, &q).await.unwrap().total,
            2,
            "{kind}: after a delete"
        );
        assert_eq!(
            s.list(&mofa, &q).await.unwrap().total,
            4,
            "{kind}: after a delete"
        );
    }
}

/// Many creates at once (SQLite writes those that wait together in one
/// transaction): each is answered with its own record, written whole with
/// one audit row; one refused among them (a link to another province's
/// partner, found only inside the write) fails alone.
#[tokio::test]
async fn concurrent_creates_are_each_written_whole() {
    for b in both().await {
        let kind = b.kind();
        let s = Service::new(b.clone());
        let vl = actor(&b, "vinh-long", Role::Editor, "cc-vl").await;
        let dt = actor(&b, "dong-thap", Role::Editor, "cc-dt").await;
        let theirs = s
            .create(
                &vl,
                RecordType::Partner,
                json!({"name": "Gelderland", "kind": "foreign_locality", "country": "NL"}),
            )
            .await
            .unwrap();
        let ours = s
            .create(
                &dt,
                RecordType::Partner,
                json!({"name": "Pursat", "kind": "foreign_locality", "country": "KH"}),
            )
            .await
            .unwrap();
        let mut tasks = Vec::new();
        for i in 0..40 {
            let (s, dt) = (s.clone(), dt.clone());
            let body = if i == 17 {
                json!({"title": "Liên kết sai", "kind": "mou", "partner_ids": [theirs.id]})
            } else {
                json!({"title": format!("Bản ghi nhớ số {i}"), "kind": "mou", "partner_ids": [ours.id]})
            };
            tasks.push(tokio::spawn(async move {
                (i, s.create(&dt, RecordType::Agreement, body).await)
            }));
        }
        let mut ids = Vec::new();
        for t in tasks {
            let (i, result) = t.await.unwrap();
            if i == 17 {
                assert!(
                    matches!(result, Err(StoreError::Invalid(_))),
                    "{kind}: {result:?}"
                );
                continue;
            }
            let rec = result.unwrap_or_else(|e| panic!("{kind}: create {i}: {e:?}"));
            assert_eq!(
                rec.data["title"],
                json!(format!("Bản ghi nhớ số {i}")),
                "{kind}: each caller gets its own record"
            );
            assert_eq!(
                s.get(&dt, RecordType::Agreement, rec.id).await.unwrap(),
                rec,
                "{kind}"
            );
            assert_eq!(
                audit_count(&s, &dt, RecordType::Agreement, rec.id).await,
                1,
                "{kind}"
            );
            ids.push(rec.id);
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 39, "{kind}");
        let mut q = ListQuery::new(RecordType::Agreement);
        q.limit = 100;
        assert_eq!(
            s.list(&dt, &q).await.unwrap().total,
            39,
            "{kind}: nothing else written"
        );
    }
}

/// An import larger than one of PostgreSQL's write chunks: every record
/// written with its own `import` audit row naming its source, links from
/// later records to partners created earlier in the same import (in
/// another chunk) resolved, and a refused link anywhere writes nothing.
#[tokio::test]
async fn a_large_import_is_written_whole_with_an_audit_row_each() {
    use ngoaivu_store::BulkRecord;
    for b in both().await {
        let kind = b.kind();
        let s = Service::new(b.clone());
        let vl = actor(&b, "vinh-long", Role::Editor, "vl-import").await;
        let org = s.import_org(&vl).await.unwrap();
        let partners = s.validator(&vl, RecordType::Partner).await.unwrap();
        let agreements = s.validator(&vl, RecordType::Agreement).await.unwrap();
        let now = time::OffsetDateTime::now_utc();
        let n = 6_000usize;
        let file = std::sync::Arc::new(json!({"file": "x.xlsx", "sha256": "ab"}));
        let mut creates = Vec::with_capacity(n + 1);
        for i in 0..n {
            let (data, idx) = partners
                .prepare(
                    &org,
                    &json!({"name": format!("Đối tác {i}"), "kind": "other", "country": "LA"}),
                )
                .unwrap();
            creates.push(BulkRecord {
                rt: RecordType::Partner,
                org_id: org.id,
                data,
                idx,
                batch_links: vec![],
                created_at: now,
                source: Some(ngoaivu_store::ImportSource {
                    file: file.clone(),
                    sheet: "S".into(),
                    row: i + 2,
                }),
            });
        }
        // An agreement after the first chunk, naming partners of the first and the second.
        let (mut data, mut idx) = agreements
            .prepare(
                &org,
                &json!({"title": "Thỏa thuận lớn", "kind": "agreement", "partner_ids": [1]}),
            )
            .unwrap();
        data.as_object_mut().unwrap().remove("partner_ids");
        idx.links.clear();
        creates.push(BulkRecord {
            rt: RecordType::Agreement,
            org_id: org.id,
            data,
            idx,
            batch_links: vec![("partner", 3), ("partner", 5_500)],
            created_at: now,
            source: Some(ngoaivu_store::ImportSource {
                file: file.clone(),
                sheet: "T".into(),
                row: 2,
            }),
        });
        let ids = s.import_records(&vl, &org, creates, vec![]).await.unwrap();
        assert_eq!(ids.len(), n + 1, "[{kind}]");
        let agreement = s.get(&vl, RecordType::Agreement, ids[n]).await.unwrap();
        assert_eq!(
            agreement.data["partner_ids"],
            json!([ids[3], ids[5_500]]),
            "[{kind}]"
        );
        let mut q = ngoaivu_store::ListQuery::new(RecordType::Agreement);
        q.q = Some("doi tac 5500".into());
        assert_eq!(
            s.list(&vl, &q).await.unwrap().total,
            1,
            "[{kind}] found by its partner's name"
        );
        for id in [ids[0], ids[4_999], ids[5_000], ids[n - 1]] {
            let h = s.history(&vl, RecordType::Partner, id).await.unwrap();
            assert_eq!(h.len(), 1, "[{kind}]");
            assert_eq!(h[0].action, "import");
            assert_eq!(h[0].after.as_ref().unwrap()["import"]["sha256"], "ab");
        }
        // A link to a record that is not a partner of the organisation: nothing written.
        let before = s.own_records(&vl, RecordType::Partner).await.unwrap().len();
        let (data, mut idx) = partners
            .prepare(
                &org,
                &json!({"name": "Thêm", "kind": "other", "country": "LA"}),
            )
            .unwrap();
        let (adata, mut aidx) = agreements
            .prepare(
                &org,
                &json!({"title": "Sai liên kết", "kind": "agreement", "partner_ids": [ids[n]]}),
            )
            .unwrap();
        idx.links.clear();
        aidx.links = vec![("partner", ids[n])];
        let bad = vec![
            BulkRecord {
                rt: RecordType::Partner,
                org_id: org.id,
                data,
                idx,
                batch_links: vec![],
                created_at: now,
                source: Some(ngoaivu_store::ImportSource {
                    file: file.clone(),
                    sheet: "S".into(),
                    row: 1,
                }),
            },
            BulkRecord {
                rt: RecordType::Agreement,
                org_id: org.id,
                data: adata,
                idx: aidx,
                batch_links: vec![],
                created_at: now,
                source: Some(ngoaivu_store::ImportSource {
                    file: file.clone(),
                    sheet: "S".into(),
                    row: 1,
                }),
            },
        ];
        assert!(
            s.import_records(&vl, &org, bad, vec![]).await.is_err(),
            "[{kind}]"
        );
        assert_eq!(
            s.own_records(&vl, RecordType::Partner).await.unwrap().len(),
            before,
            "[{kind}]"
        );
    }
}

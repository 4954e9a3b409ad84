//! Catalog projects through the API on both backends: create a draft,
//! publishing refused without English, publish, unpublish, filter, search,
//! history, delete; another province never sees them.

use ngoaivu_core::Role;
use serde_json::json;

use crate::common::*;

async fn catalog(app: TestApp) {
    let db = app.db.name();
    let (_, dt) = app.user("dong-thap", "dt-editor", Role::Editor).await;
    let (_, vl) = app.user("vinh-long", "vl-editor", Role::Editor).await;
    let (_, bng) = app.user("bo-ngoai-giao", "bng-viewer", Role::Viewer).await;
    let dt = dt.as_str();

    let r = app
        .post(
            "/api/v1/catalog-projects",
            Some(dt),
            &json!({
                "translations": {"vi": {"name": "Nhà máy chế biến xoài Cao Lãnh", "incentives": "Miễn tiền thuê đất"},
                                 "ja": {"name": "カオラン・マンゴー加工工場"}},
                "sector": "agriculture", "countries_of_interest": ["jp", "KR"],
                "capital": {"amount": 35000000, "currency": "USD"}, "area_ha": "12.5"
            }),
        )
        .await;
    r.expect(201, "create catalog project");
    let id = r.id();
    assert_eq!(r.json["status"], "draft", "[{db}] {}", r.json);
    assert_eq!(r.json["countries_of_interest"], json!(["JP", "KR"]));
    assert_eq!(r.json["capital"]["amount"], "35000000");
    assert_eq!(r.json["locality"], "dong-thap");
    let path = format!("/api/v1/catalog-projects/{id}");

    // Suggestions: the missions in its countries of interest and the
    // province's partners sharing its sector or countries, with reasons;
    // another province does not find the project.
    app.post(
        "/api/v1/partners",
        Some(dt),
        &json!({"name": "Hiệp hội Nông nghiệp Hàn Quốc", "kind": "ngo", "country": "KR", "sectors": ["agriculture"]}),
    )
    .await
    .expect(201, "partner");
    let r = app.get(&format!("{path}/suggestions"), Some(dt)).await;
    r.expect(200, "catalog suggestions");
    let items = r.items();
    assert!(
        items.iter().any(|s| s["kind"] == "mission"
            && s["slug"] == "dsq-han-quoc"
            && s["reasons_vi"]
                .as_str()
                .unwrap_or("")
                .contains("cùng quốc gia: Hàn Quốc")),
        "[{db}] {}",
        r.json
    );
    let partner = items
        .iter()
        .find(|s| s["kind"] == "partner")
        .expect("the partner is suggested");
    assert_eq!(
        partner["score"], 5,
        "[{db}] a shared sector (2) and country (3): {partner}"
    );
    assert_eq!(items[0]["score"], 5, "[{db}] best first");
    app.get(&format!("{path}/suggestions"), Some(vl.as_str()))
        .await
        .expect(404, "another province's project");

    // Publishing needs the English text: 422 naming the field, nothing written.
    let r = app
        .patch(&path, Some(dt), &json!({"status": "published"}))
        .await;
    r.expect(422, "publish without English");
    assert_eq!(
        r.fields(),
        vec![("translations.en.name".to_owned(), "required".to_owned())],
        "[{db}]"
    );
    assert_eq!(app.get(&path, Some(dt)).await.json["status"], "draft");
    let r = app
        .patch(
            &path,
            Some(dt),
            &json!({"status": "published", "translations": {"en": {"name": "Cao Lãnh mango processing plant"}}}),
        )
        .await;
    r.expect(200, "publish");
    assert_eq!(
        r.json["translations"]["vi"]["name"],
        "Nhà máy chế biến xoài Cao Lãnh"
    );
    assert_eq!(
        r.json["translations"]["ja"]["name"],
        "カオラン・マンゴー加工工場"
    );

    let list = |pairs: Vec<(&'static str, &'static str)>| {
        let app = &app;
        async move {
            let uri = format!("/api/v1/catalog-projects?{}", query(&pairs));
            let r = app.get(&uri, Some(dt)).await;
            r.expect(200, &uri);
            r.items()
                .iter()
                .filter_map(|i| i["id"].as_i64())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        list(vec![("status", "published")]).await,
        vec![id],
        "[{db}]"
    );
    assert_eq!(list(vec![("sector", "agriculture")]).await, vec![id]);
    assert_eq!(list(vec![("country", "KR")]).await, vec![id]);
    assert_eq!(
        list(vec![("q", "xoai cao lanh")]).await,
        vec![id],
        "[{db}] folded search"
    );
    assert!(list(vec![("status", "draft")]).await.is_empty());

    // Unpublish.
    app.patch(&path, Some(dt), &json!({"status": "withdrawn"}))
        .await
        .expect(200, "withdraw");
    let r = app.get(&format!("{path}/history"), Some(dt)).await;
    r.expect(200, "history");
    assert_eq!(r.total(), 3, "[{db}] create, publish, withdraw");

    // Scope: another province answers 404; the Ministry reads.
    app.get(&path, Some(&vl))
        .await
        .expect(404, "other province");
    app.get(&path, Some(&bng)).await.expect(200, "ministry");
    app.delete(&path, Some(&vl))
        .await
        .expect(404, "other province delete");
    app.delete(&path, Some(dt)).await.expect(204, "delete");
    app.get(&path, Some(dt)).await.expect(404, "deleted");
}

#[tokio::test]
async fn catalog_projects_through_the_api() {
    on_both_backends("catalog", catalog).await;
}

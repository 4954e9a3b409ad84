//! The AGPL's offer of source to every user of the service: a footer link
//! on every page, the licence and this binary's source archive, without
//! signing in.

use crate::common::*;

#[tokio::test]
async fn the_source_is_offered_to_every_user() {
    let app = App::new().await;
    for path in ["/login", "/catalog"] {
        let r = app.get(path, "").await;
        assert!(
            r.body.contains("href=\"/source\""),
            "{path}: no source link"
        );
    }
    let page = app.get("/source", "").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("AGPL-3.0-or-later"), "{}", page.body);
    let lic = app.get("/source/LICENSE", "").await;
    assert!(lic.body.starts_with("GNU AFFERO GENERAL PUBLIC LICENSE"));
    assert!(lic.body.contains("13. Remote Network Interaction"));
    // Built from a git checkout (as the tests are), the archive is there.
    let at = page
        .body
        .find("href=\"/source/ngoaivu-")
        .expect("a download link");
    let href: String = page.body[at + 6..].split('"').next().unwrap().to_owned();
    let r = app
        .send(
            axum::http::Request::get(&href)
                .header(axum::http::header::HOST, "ngoaivu.test")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.headers.get("content-type").unwrap(), "application/gzip");
    assert_eq!(app.get("/source/etc-passwd", "").await.status, 404);
}

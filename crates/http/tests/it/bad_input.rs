//! Bad input, table-driven (SQLite): each case answers the right status,
//! error code and field codes, in Vietnamese by default and in English with
//! `Accept-Language: en`, and writes nothing: the number of records (seen
//! by the Ministry) and the history of an existing record stay the same.

use ngoaivu_core::{RecordType, Role};
use serde_json::json;

use crate::common::*;

struct Case {
    name: &'static str,
    method: &'static str,
    /// `{P}` is replaced by an existing partner's id.
    uri: &'static str,
    content_type: Option<&'static str>,
    body: Option<Vec<u8>>,
    status: u16,
    error: &'static str,
    /// The field errors, in order; `None`: not checked beyond `fields_any`.
    fields: Option<Vec<(&'static str, &'static str)>>,
    /// Field errors that must all be present, in any order.
    fields_any: Vec<(&'static str, &'static str)>,
    /// A phrase of the Vietnamese answer, and one of the English answer.
    vi: &'static str,
    en: &'static str,
}

fn case(
    name: &'static str,
    method: &'static str,
    uri: &'static str,
    body: serde_json::Value,
    status: u16,
    error: &'static str,
) -> Case {
    Case {
        name,
        method,
        uri,
        content_type: Some("application/json"),
        body: Some(body.to_string().into_bytes()),
        status,
        error,
        fields: None,
        fields_any: vec![],
        vi: "Dữ liệu không hợp lệ.",
        en: "The input is not valid.",
    }
}

impl Case {
    fn fields(mut self, f: &[(&'static str, &'static str)]) -> Self {
        self.fields = Some(f.to_vec());
        self
    }
    fn fields_any(mut self, f: &[(&'static str, &'static str)]) -> Self {
        self.fields_any = f.to_vec();
        self
    }
    fn says(mut self, vi: &'static str, en: &'static str) -> Self {
        self.vi = vi;
        self.en = en;
        self
    }
    fn raw(mut self, content_type: Option<&'static str>, body: Vec<u8>) -> Self {
        self.content_type = content_type;
        self.body = Some(body);
        self
    }
    fn no_body(mut self) -> Self {
        self.content_type = None;
        self.body = None;
        self
    }
}

fn cases() -> Vec<Case> {
    let partner = |extra: serde_json::Value| {
        let mut b = json!({"name": "Tỉnh Champasak", "kind": "foreign_locality", "country": "LA"});
        for (k, v) in extra.as_object().expect("object") {
            b[k] = v.clone();
        }
        b
    };
    let too_big = {
        let mut s =
            String::from("{\"name\": \"A\", \"kind\": \"ngo\", \"country\": \"LA\", \"notes\": \"");
        s.push_str(&"x".repeat(1024 * 1024 + 10));
        s.push_str("\"}");
        s.into_bytes()
    };
    vec![
        case("malformed JSON", "POST", "/api/v1/partners", json!(null), 400, "malformed_json")
            .raw(Some("application/json"), b"{\"name\": \"A\",".to_vec())
            .says("JSON không đúng cú pháp", "Malformed JSON"),
        case("malformed JSON in a PATCH", "PATCH", "/api/v1/partners/{P}", json!(null), 400, "malformed_json")
            .raw(Some("application/json"), b"{notes: 'x'}".to_vec())
            .says("JSON không đúng cú pháp (dòng 1", "Malformed JSON (line 1"),
        case("wrong content type", "POST", "/api/v1/partners", json!(null), 415, "unsupported_media_type")
            .raw(Some("text/plain"), partner(json!({})).to_string().into_bytes())
            .says("Cần gửi dữ liệu JSON (Content-Type: application/json).", "Send JSON (Content-Type: application/json)."),
        case("no content type", "PATCH", "/api/v1/partners/{P}", json!(null), 415, "unsupported_media_type")
            .raw(None, json!({"notes": "x"}).to_string().into_bytes())
            .says("Cần gửi dữ liệu JSON", "Send JSON"),
        case("form-encoded", "POST", "/api/v1/partners", json!(null), 415, "unsupported_media_type")
            .raw(Some("application/x-www-form-urlencoded"), b"name=A&kind=ngo&country=LA".to_vec())
            .says("Cần gửi dữ liệu JSON", "Send JSON"),
        case("wrong type", "POST", "/api/v1/partners", json!({"name": 5, "kind": "ngo", "country": "LA"}), 422, "invalid")
            .fields(&[("name", "wrong_type")])
            .says("Sai kiểu dữ liệu: cần chuỗi ký tự.", "Wrong type: expected a string."),
        case("wrong type in a PATCH", "PATCH", "/api/v1/partners/{P}", json!({"sectors": "agriculture"}), 422, "invalid")
            .fields(&[("sectors", "wrong_type")])
            .says("Sai kiểu dữ liệu: cần danh sách.", "Wrong type: expected a list."),
        case("not an object", "POST", "/api/v1/partners", json!(["Tỉnh Champasak"]), 422, "invalid").fields(&[("", "wrong_type")]),
        case("unknown field", "POST", "/api/v1/partners", partner(json!({"colour": "red"})), 422, "invalid")
            .fields(&[("colour", "unknown_field")])
            .says("Trường không có trong mẫu dữ liệu.", "Unknown field."),
        case("unknown field in a PATCH", "PATCH", "/api/v1/partners/{P}", json!({"colour": "red"}), 422, "invalid")
            .fields(&[("colour", "unknown_field")])
            .says("Trường không có trong mẫu dữ liệu.", "Unknown field."),
        case("missing required fields", "POST", "/api/v1/agreements", json!({}), 422, "invalid")
            .fields_any(&[("title", "required"), ("kind", "required"), ("partner_ids", "required")])
            .says("Trường này là bắt buộc.", "This field is required."),
        case("missing required fields of a partner", "POST", "/api/v1/partners", json!({"notes": "x"}), 422, "invalid")
            .fields_any(&[("name", "required"), ("kind", "required"), ("country", "required")])
            .says("Trường này là bắt buộc.", "This field is required."),
        case("a required field set to null by a PATCH", "PATCH", "/api/v1/partners/{P}", json!({"name": null}), 422, "invalid")
            .fields(&[("name", "required")])
            .says("Trường này là bắt buộc.", "This field is required."),
        case(
            "invalid date",
            "POST",
            "/api/v1/agreements",
            json!({"title": "T", "kind": "agreement", "partner_ids": [1], "signed_on": "2024-13-01"}),
            422,
            "invalid",
        )
        .fields(&[("signed_on", "invalid_date")])
        .says("“2024-13-01” không phải là ngày hợp lệ (định dạng YYYY-MM-DD).", "“2024-13-01” is not a valid date (YYYY-MM-DD)."),
        case(
            "dates out of order",
            "POST",
            "/api/v1/agreements",
            json!({"title": "T", "kind": "agreement", "partner_ids": [1], "valid_from": "2020-01-01", "valid_until": "2019-12-31"}),
            422,
            "invalid",
        )
        .fields(&[("valid_until", "date_order")])
        .says("Không được trước valid_from.", "Must not be before valid_from."),
        case("unknown country", "POST", "/api/v1/partners", partner(json!({"country": "XX"})), 422, "invalid")
            .fields(&[("country", "unknown_country")])
            .says("“XX” không phải là mã quốc gia ISO 3166-1 alpha-2.", "“XX” is not an ISO 3166-1 alpha-2 country code."),
        case("unknown country in a PATCH", "PATCH", "/api/v1/partners/{P}", json!({"country": "XX"}), 422, "invalid")
            .fields(&[("country", "unknown_country")])
            .says("không phải là mã quốc gia", "is not an ISO 3166-1 alpha-2 country code"),
        case(
            "negative money",
            "POST",
            "/api/v1/projects",
            json!({"kind": "fdi", "name": "P", "capital": {"amount": "-5", "currency": "USD"}}),
            422,
            "invalid",
        )
        .fields(&[("capital.amount", "negative")])
        .says("Không được là số âm.", "Must not be negative."),
        case("too long", "POST", "/api/v1/partners", partner(json!({"name": "x".repeat(301)})), 422, "invalid")
            .fields(&[("name", "too_long")])
            .says("Quá dài: tối đa 300 ký tự.", "Too long: at most 300 characters."),
        case("not too long at the limit… but an unknown kind", "POST", "/api/v1/partners", partner(json!({"name": "x".repeat(300), "kind": "alien"})), 422, "invalid")
            .fields(&[("kind", "not_allowed_value")])
            .says("Giá trị không hợp lệ; chọn một trong", "Not an allowed value; one of"),
        case("body over 1 MiB", "POST", "/api/v1/partners", json!(null), 413, "payload_too_large")
            .raw(Some("application/json"), too_big.clone())
            .says("Dữ liệu gửi lên quá lớn.", "The request body is too large."),
        case("PATCH body over 1 MiB", "PATCH", "/api/v1/partners/{P}", json!(null), 413, "payload_too_large")
            .raw(Some("application/json"), too_big)
            .says("Dữ liệu gửi lên quá lớn.", "The request body is too large."),
        case("year=abc", "GET", "/api/v1/partners?year=abc", json!(null), 400, "bad_query")
            .no_body()
            .fields(&[("year", "invalid")])
            .says("Cần số nguyên từ 1900 đến 2100.", "Expected a whole number from 1900 to 2100."),
        case("limit=1000", "GET", "/api/v1/agreements?limit=1000", json!(null), 400, "bad_query")
            .no_body()
            .fields(&[("limit", "invalid")])
            .says("Cần số nguyên từ 1 đến 200.", "Expected a whole number from 1 to 200."),
        case("sort=colour", "GET", "/api/v1/events?sort=colour", json!(null), 400, "bad_query")
            .no_body()
            .fields(&[("sort", "not_allowed_value")])
            .says("Giá trị không hợp lệ; chọn một trong: id, -id", "Not an allowed value; one of: id, -id"),
        case("unknown query parameter", "GET", "/api/v1/partners?colour=red", json!(null), 400, "bad_query")
            .no_body()
            .fields(&[])
            .says("Tham số truy vấn không hợp lệ", "Invalid query parameters"),
        case("status of another type", "GET", "/api/v1/agreements?status=issued", json!(null), 400, "bad_query")
            .no_body()
            .fields(&[("status", "not_allowed_value")]),
        case("unknown country filter", "GET", "/api/v1/partners?country=XX", json!(null), 400, "bad_query")
            .no_body()
            .fields(&[("country", "unknown_country")]),
        case("unknown org filter", "GET", "/api/v1/partners?org=khong-co", json!(null), 400, "bad_query")
            .no_body()
            .fields(&[("org", "unknown_unit")]),
        case("q over 200 characters", "GET", Box::leak(format!("/api/v1/partners?q={}", "a".repeat(201)).into_boxed_str()), json!(null), 400, "bad_query")
            .no_body()
            .fields(&[("q", "too_long")]),
        case("a filter given with no value", "GET", "/api/v1/agreements?status=", json!(null), 400, "bad_query")
            .no_body()
            .fields(&[("status", "required")]),
        case("an unknown locality filter", "GET", "/api/v1/events?locality=atlantis", json!(null), 400, "bad_query")
            .no_body()
            .fields(&[("locality", "unknown_unit")]),
        case("an empty status on requests", "GET", "/api/v1/requests?status=", json!(null), 422, "invalid")
            .no_body()
            .fields(&[("status", "required")]),
        case("a repeated sector on market notes", "GET", "/api/v1/market-notes?sector=trade&sector=trade", json!(null), 422, "invalid")
            .no_body()
            .fields(&[("sector", "invalid")])
            .says("Tham số này chỉ nhận một giá trị.", "This parameter takes one value."),
        case("a kind outside its values on market notes", "GET", "/api/v1/market-notes?kind=gossip", json!(null), 422, "invalid")
            .no_body()
            .fields(&[("kind", "not_allowed_value")]),
        case("an unknown country on market notes", "GET", "/api/v1/market-notes?country=XX", json!(null), 422, "invalid")
            .no_body()
            .fields(&[("country", "unknown_country")]),
        case("a template in no language", "GET", "/api/v1/partners/template?lang=", json!(null), 422, "invalid")
            .no_body()
            .fields(&[("lang", "not_allowed_value")]),
        case("a partner contact's position over 200 characters", "POST", "/api/v1/partners",
            json!({"name": "Tỉnh X", "kind": "foreign_locality", "country": "LA", "contacts": [{"name": "A", "position": "p".repeat(201)}]}), 422, "invalid")
            .fields(&[("contacts[0].position", "too_long")]),
        case("a login with an unknown field", "POST", "/api/v1/sessions", json!({"username": "dt-editor", "password": "x", "remember": true}), 422, "invalid")
            .fields(&[("remember", "unknown_field")])
            .says("Trường không có trong mẫu dữ liệu.", "Unknown field."),
    ]
}

/// Records of every type, as the Ministry sees them.
async fn count_all(app: &TestApp, ministry: &str) -> i64 {
    let mut n = 0;
    for rt in RecordType::ALL {
        let r = app
            .get(&format!("/api/v1/{}?limit=1", rt.path()), Some(ministry))
            .await;
        r.expect(200, "count");
        n += r.total();
    }
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_and_writes_nothing() {
    let app = TestApp::sqlite("bad_input").await;
    let (_, dt) = app.user("dong-thap", "dt-editor", Role::Editor).await;
    let (_, bng) = app.user("bo-ngoai-giao", "bng-viewer", Role::Viewer).await;
    let p = app.post("/api/v1/partners", Some(&dt), &json!({"name": "Xiêng Khoảng", "kind": "foreign_locality", "country": "LA", "sectors": ["agriculture"]})).await;
    p.expect(201, "partner");
    let pid = p.id();
    app.patch(
        &format!("/api/v1/partners/{pid}"),
        Some(&dt),
        &json!({"notes": "một lần sửa"}),
    )
    .await
    .expect(200, "patch");
    let record_before = app
        .get(&format!("/api/v1/partners/{pid}"), Some(&dt))
        .await
        .json;
    let history_uri = format!("/api/v1/partners/{pid}/history");
    let history_before = app.get(&history_uri, Some(&bng)).await;
    assert_eq!(history_before.total(), 2);
    let count_before = count_all(&app, &bng).await;
    assert_eq!(count_before, 1);

    let mut failures = Vec::new();
    let mut checks = 0;
    for c in cases() {
        let uri = c.uri.replace("{P}", &pid.to_string());
        for lang in [None, Some("en"), Some("en-GB,vi;q=0.5"), Some("vi-VN")] {
            let english = lang.is_some_and(|l| l.starts_with("en"));
            let mut headers = vec![];
            if let Some(ct) = c.content_type {
                headers.push(("content-type", ct));
            }
            if let Some(l) = lang {
                headers.push(("accept-language", l));
            }
            let r = app
                .raw(c.method, &uri, Some(&dt), &headers, c.body.clone())
                .await;
            let ctx = format!(
                "{} ({} {}, Accept-Language {lang:?})",
                c.name,
                c.method,
                if uri.len() > 80 { &uri[..80] } else { &uri }
            );
            let mut fail = |ok: bool, what: String| {
                checks += 1;
                if !ok {
                    failures.push(format!("{ctx}: {what}"));
                }
            };
            fail(
                r.status == c.status,
                format!("status {} (want {}) {}", r.status, c.status, r.json),
            );
            fail(
                r.header("content-type")
                    .is_some_and(|t| t.starts_with("application/json")),
                format!("content-type {:?}", r.header("content-type")),
            );
            fail(
                r.error() == c.error,
                format!("error {:?} (want {:?})", r.error(), c.error),
            );
            fail(
                r.json["message"].is_string() && r.json["fields"].is_array(),
                format!("not an error body: {}", r.json),
            );
            let got = r.fields();
            if let Some(want) = &c.fields {
                let want: Vec<(String, String)> = want
                    .iter()
                    .map(|(f, c)| (f.to_string(), c.to_string()))
                    .collect();
                fail(got == want, format!("fields {got:?} (want {want:?})"));
            }
            for (f, code) in &c.fields_any {
                fail(
                    got.iter().any(|(gf, gc)| gf == f && gc == code),
                    format!("fields {got:?} lack ({f}, {code})"),
                );
            }
            let text = r.all_messages();
            let phrase = if english { c.en } else { c.vi };
            fail(
                text.contains(phrase),
                format!("the message {text:?} lacks {phrase:?}"),
            );
            let other = if english { c.vi } else { c.en };
            fail(
                !text.contains(other),
                format!("the message {text:?} is in the wrong language (has {other:?})"),
            );
            // nothing written
            let count = count_all(&app, &bng).await;
            fail(
                count == count_before,
                format!("records {count_before} -> {count}"),
            );
            let h = app.get(&history_uri, Some(&bng)).await;
            fail(
                h.json == history_before.json,
                format!("the history changed: {}", h.json),
            );
        }
    }
    let record_after = app
        .get(&format!("/api/v1/partners/{pid}"), Some(&dt))
        .await
        .json;
    assert_eq!(
        record_after, record_before,
        "a refused request changed the record"
    );
    eprintln!(
        "bad_input [sqlite]: {} cases, {checks} checks, {} failures",
        cases().len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} bad-input failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Characters no file format can carry are dropped on the way in; huge
/// lists and masses of unknown fields are refused with a short answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forbidden_characters_and_unbounded_bodies() {
    let app = TestApp::sqlite("unbounded").await;
    let (_, vl) = app.user("vinh-long", "vl-unbounded", Role::Editor).await;
    let r = app
        .post(
            "/api/v1/partners",
            Some(&vl),
            &json!({"name": "Xiêng\u{fffe} Khoảng\u{202e}\u{ffff}", "kind": "foreign_locality", "country": "LA", "notes": "a\u{0}b"}),
        )
        .await;
    r.expect(201, "a partner with forbidden characters");
    assert_eq!(r.json["name"], "Xiêng Khoảng");
    assert_eq!(r.json["notes"], "ab");
    let p = r.id();
    // The same partner named twice is one link.
    let r = app
        .post(
            "/api/v1/agreements",
            Some(&vl),
            &json!({"title": "Thỏa thuận", "kind": "agreement", "partner_ids": [p, p, p]}),
        )
        .await;
    r.expect(201, "an agreement naming its partner thrice");
    assert_eq!(r.json["partner_ids"], json!([p]));
    // 100,000 ids: refused at the field, in a short answer.
    let ids: Vec<i64> = (0..100_000).collect();
    let r = app
        .post(
            "/api/v1/agreements",
            Some(&vl),
            &json!({"title": "T", "kind": "agreement", "partner_ids": ids}),
        )
        .await;
    assert!(r.status == 413 || r.status == 422, "{}", r.status);
    assert!(r.body.len() < 10_000, "{} bytes", r.body.len());
    // 80,000 unknown fields: fifty named, the rest summed up.
    let mut body = serde_json::Map::new();
    body.insert("name".into(), json!("P"));
    for i in 0..80_000 {
        body.insert(format!("x{i}"), json!(1));
    }
    let r = app
        .raw(
            "POST",
            "/api/v1/partners",
            Some(&vl),
            &[("content-type", "application/json")],
            Some(serde_json::Value::Object(body).to_string().into_bytes()),
        )
        .await;
    assert!(r.status == 413 || r.status == 422, "{}", r.status);
    assert!(r.body.len() < 20_000, "{} bytes", r.body.len());
}

//! Load `data/demo.json`: every record goes through `Service::create` as the
//! system actor, so the demo obeys the same validation and audit as any
//! client. `"@ref"` strings name earlier records of the file; `"@today+N"`
//! is a date N days from the day of loading.

use std::collections::HashMap;

use anyhow::{Context, bail};
use ngoaivu_core::{Actor, RecordType};
use ngoaivu_store::Service;
use serde_json::Value;

pub const DEMO_JSON: &str = include_str!("../../../data/demo.json");

/// The pictures demo catalog projects name in `"pictures"`: illustrations
/// drawn for the demo (`data/demo-pictures/src`), compiled in like the rest.
const DEMO_PICTURES: [(&str, &[u8]); 5] = [
    (
        "minh-hoa-coconut.jpg",
        include_bytes!("../../../data/demo-pictures/minh-hoa-coconut.jpg"),
    ),
    (
        "minh-hoa-logistics.jpg",
        include_bytes!("../../../data/demo-pictures/minh-hoa-logistics.jpg"),
    ),
    (
        "minh-hoa-mango.jpg",
        include_bytes!("../../../data/demo-pictures/minh-hoa-mango.jpg"),
    ),
    (
        "minh-hoa-dryport.jpg",
        include_bytes!("../../../data/demo-pictures/minh-hoa-dryport.jpg"),
    ),
    (
        "minh-hoa-coffee.jpg",
        include_bytes!("../../../data/demo-pictures/minh-hoa-coffee.jpg"),
    ),
];

/// The organisations that get one demo account per role (`<org>-<role>`):
/// five provinces, the Ministry, and the embassy in Japan, which answers
/// the demo's request (`load_channel`).
pub const DEMO_ORGS: [&str; 7] = [
    "vinh-long",
    "dong-thap",
    "dak-lak",
    "lang-son",
    "da-nang",
    "bo-ngoai-giao",
    "dsq-nhat-ban",
];

/// `"@today"`, `"@today+60"`, `"@today-3"`: a date relative to the day
/// the demo is loaded, for the illustrative records whose point is a
/// deadline (a registration expiring in two months stays two months away).
fn relative_date(s: &str, today: time::Date) -> Option<anyhow::Result<String>> {
    let rest = s.strip_prefix("@today")?;
    let days = match rest {
        "" => Ok(0),
        r => r
            .strip_prefix('+')
            .unwrap_or(r)
            .parse::<i64>()
            .with_context(|| format!("bad relative date {s}")),
    };
    Some(days.map(|d| ngoaivu_core::values::format_date(today + time::Duration::days(d))))
}

fn resolve_refs(
    v: &mut Value,
    ids: &HashMap<String, i64>,
    today: time::Date,
) -> anyhow::Result<()> {
    match v {
        Value::String(s) if s.starts_with("@today") => {
            let day = relative_date(s, today).context("relative date")??;
            *v = Value::String(day);
        }
        Value::String(s) if s.starts_with('@') => {
            let id = ids
                .get(&s[1..])
                .with_context(|| format!("unknown reference {s}"))?;
            *v = Value::from(*id);
        }
        Value::Array(a) => {
            for x in a {
                resolve_refs(x, ids, today)?;
            }
        }
        Value::Object(o) => {
            for (_, x) in o.iter_mut() {
                resolve_refs(x, ids, today)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// For each of the five reports (`"source"` of `data/demo.json`), the
/// organisations its records were given to and how many each holds.
pub fn report_orgs() -> anyhow::Result<HashMap<String, std::collections::BTreeMap<String, i64>>> {
    let doc: Value = serde_json::from_str(DEMO_JSON).context("data/demo.json is not valid JSON")?;
    let mut out: HashMap<String, std::collections::BTreeMap<String, i64>> = HashMap::new();
    for rec in doc["records"].as_array().into_iter().flatten() {
        if let (Some(src), Some(org)) = (rec["source"].as_str(), rec["org"].as_str())
            && src.ends_with(".txt")
        {
            *out.entry(src.to_owned())
                .or_default()
                .entry(org.to_owned())
                .or_default() += 1;
        }
    }
    Ok(out)
}

/// Load the demo records; returns how many were created.
pub async fn load(
    service: &Service,
    mut progress: impl FnMut(usize, usize),
) -> anyhow::Result<usize> {
    let doc: Value = serde_json::from_str(DEMO_JSON).context("data/demo.json is not valid JSON")?;
    let records = doc["records"]
        .as_array()
        .context("data/demo.json has no records array")?;
    let system = Actor::system();
    let today = ngoaivu_store::service::today_in_vietnam();
    let mut ids = HashMap::new();
    for (i, rec) in records.iter().enumerate() {
        let code = rec["type"].as_str().unwrap_or("");
        let Some(rt) = RecordType::from_code(code) else {
            bail!("demo record {i}: unknown type {code:?}")
        };
        let mut body = rec["body"].clone();
        resolve_refs(&mut body, &ids, today)?;
        if let Some(o) = body.as_object_mut() {
            o.insert("org".into(), rec["org"].clone());
        }
        let created = service
            .create(&system, rt, body)
            .await
            .map_err(|e| anyhow::anyhow!("demo record {i} ({code}): {e:?}"))?;
        for name in rec["pictures"].as_array().into_iter().flatten() {
            let name = name.as_str().unwrap_or("");
            let Some((_, bytes)) = DEMO_PICTURES.iter().find(|(n, _)| *n == name) else {
                bail!("demo record {i}: unknown picture {name:?}")
            };
            service
                .attach(
                    &system,
                    rt,
                    created.id,
                    name,
                    bytes.to_vec(),
                    ngoaivu_core::attachments::DEFAULT_MAX_BYTES,
                )
                .await
                .map_err(|e| anyhow::anyhow!("demo record {i}: picture {name}: {e:?}"))?;
        }
        if let Some(r) = rec["ref"].as_str() {
            ids.insert(r.to_owned(), created.id);
        }
        progress(i + 1, records.len());
    }
    Ok(records.len())
}

/// The channel's demo: Đắk Lắk asks the embassy in Japan for partners in
/// coffee processing (what the province asked of missions at the 19th
/// national foreign-affairs conference, narrative report 002), the embassy
/// answers; the embassy has published two market notes; Đắk Lắk follows
/// agriculture and Japan. Written through `Service` as the accounts that
/// will exist (`dak-lak-editor`, `dsq-nhat-ban-editor`), so it obeys the
/// same rules and audit. Dates are relative to today, so that the deadline
/// is always ahead. Returns the request's id.
pub async fn load_channel(service: &Service) -> anyhow::Result<i64> {
    use ngoaivu_core::channel::{Action, Follows, NoteDraft, RequestDraft};
    use ngoaivu_core::{OrgKind, Role};
    let actor = |slug: &str, kind: OrgKind, id: i64| Actor {
        user_id: 0,
        username: format!("{slug}-editor"),
        org_id: id,
        org_slug: slug.to_owned(),
        org_kind: kind,
        role: Role::Editor,
        consular: false,
    };
    let org = |slug: &'static str| async move {
        service
            .org_by_slug(slug)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
            .with_context(|| format!("no organisation {slug}"))
    };
    let province = org("dak-lak").await?;
    let mission = org("dsq-nhat-ban").await?;
    let province = actor(&province.slug, OrgKind::Province, province.id);
    let mission = actor(&mission.slug, OrgKind::Mission, mission.id);
    let today = time::OffsetDateTime::now_utc().date();
    let day = |offset: i64| ngoaivu_core::values::format_date(today + time::Duration::days(offset));
    let err = |e: ngoaivu_store::StoreError| anyhow::anyhow!("demo channel: {e:?}");

    service
        .publish_note(
            &mission,
            &NoteDraft {
                kind: "opportunity".into(),
                title: "Nhu cầu cà phê đặc sản và cà phê chế biến sâu tại Nhật Bản".into(),
                body: "Các nhà rang xay và chuỗi cửa hàng cà phê Nhật Bản tìm thêm nguồn cà phê đặc sản có truy xuất nguồn gốc, chủ yếu Robusta chất lượng cao và cà phê hòa tan, cà phê rang xay đóng gói.\n\nĐại sứ quán sẵn sàng giới thiệu doanh nghiệp Việt Nam tham gia các hội chợ chuyên ngành tại Tokyo và kết nối với các nhà nhập khẩu. Địa phương có nhu cầu đề nghị gửi hồ sơ doanh nghiệp và sản phẩm qua hệ thống.".into(),
                sector: "agriculture".into(),
                country: "JP".into(),
                date: day(-12),
            },
        )
        .await
        .map_err(err)?;
    service
        .publish_note(
            &mission,
            &NoteDraft {
                kind: "trade_barrier".into(),
                title: "Lưu ý quy định dư lượng thuốc bảo vệ thực vật đối với nông sản nhập khẩu vào Nhật Bản".into(),
                body: "Nhật Bản áp dụng cơ chế “danh mục khẳng định” (positive list) đối với dư lượng thuốc bảo vệ thực vật: hoạt chất chưa có mức giới hạn riêng phải không vượt quá 0,01 ppm. Lô hàng vượt ngưỡng có thể bị tăng tần suất kiểm tra.\n\nĐề nghị các địa phương phổ biến tới doanh nghiệp và hợp tác xã xuất khẩu cà phê, hồ tiêu, sầu riêng; kiểm soát chặt quy trình sử dụng thuốc trong vùng nguyên liệu.".into(),
                sector: "trade".into(),
                country: "JP".into(),
                date: day(-5),
            },
        )
        .await
        .map_err(err)?;
    let sent = service
        .send_request(
            &province,
            &RequestDraft {
                missions: vec![mission.org_slug.clone()],
                subject: "Đề nghị giới thiệu đối tác Nhật Bản trong lĩnh vực chế biến cà phê".into(),
                body: "Tỉnh Đắk Lắk là vùng cà phê lớn nhất cả nước và đang kêu gọi đầu tư vào chế biến sâu (cà phê rang xay, hòa tan, chiết xuất). Sở Ngoại vụ đề nghị Đại sứ quán giới thiệu các doanh nghiệp, hiệp hội Nhật Bản quan tâm đầu tư hoặc hợp tác chế biến cà phê tại tỉnh, và cung cấp thông tin về yêu cầu của thị trường Nhật Bản đối với cà phê chế biến.\n\nTỉnh dự kiến tổ chức đoàn xúc tiến sang Nhật Bản trong năm tới và mong được Đại sứ quán hỗ trợ kết nối.".into(),
                sector: "agriculture".into(),
                country: "JP".into(),
                deadline: Some(day(30)),
            },
        )
        .await
        .map_err(err)?;
    let id = sent.first().map(|r| r.id).context("no request sent")?;
    service
        .post_message(
            &mission,
            id,
            Action::Answer,
            "Đại sứ quán đã trao đổi với một số doanh nghiệp rang xay và nhập khẩu cà phê tại Tokyo và Osaka; ba doanh nghiệp bày tỏ quan tâm tìm hiểu hợp tác chế biến tại Đắk Lắk.\n\nĐề nghị tỉnh gửi hồ sơ giới thiệu dự án kêu gọi đầu tư (bằng tiếng Anh hoặc tiếng Nhật) và danh sách doanh nghiệp cà phê của tỉnh có nhu cầu hợp tác. Đại sứ quán sẽ phối hợp Tổng Lãnh sự quán tại Osaka sắp xếp gặp gỡ khi đoàn của tỉnh sang làm việc.",
            None,
        )
        .await
        .map_err(err)?;
    service
        .set_follows(
            &province,
            Follows {
                sectors: vec!["agriculture".into()],
                countries: vec!["JP".into()],
            },
        )
        .await
        .map_err(err)?;
    Ok(id)
}

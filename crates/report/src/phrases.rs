//! The register of Vietnamese foreign-affairs reports, per indicator: how a
//! figure is said in a sentence ("tổng kim ngạch xuất khẩu của tỉnh đạt 793
//! triệu USD"), the noun it counts and the unit a table shows it in.

use ngoaivu_core::Lang;
use ngoaivu_core::numfmt::{format_amount, format_number};
use rust_decimal::Decimal;

use ngoaivu_stats::PeriodKey;

/// How an indicator is said. `{u}` is the locality word ("tỉnh", "thành
/// phố", "các địa phương"), `{v}` the value with its unit.
pub struct Phrase {
    pub code: &'static str,
    pub vi: &'static str,
    pub en: &'static str,
    /// For a stock (`AsOf`), where it differs.
    pub vi_stock: Option<&'static str>,
    pub en_stock: Option<&'static str>,
    /// What a count counts ("thỏa thuận", "đoàn").
    pub noun_vi: &'static str,
    pub noun_en: &'static str,
}

const fn p(
    code: &'static str,
    vi: &'static str,
    en: &'static str,
    noun_vi: &'static str,
    noun_en: &'static str,
) -> Phrase {
    Phrase {
        code,
        vi,
        en,
        vi_stock: None,
        en_stock: None,
        noun_vi,
        noun_en,
    }
}

pub const PHRASES: &[Phrase] = &[
    p(
        "agreements.signed",
        "{u} ký kết {v} thỏa thuận quốc tế cấp địa phương",
        "{u} signed {v} local-level international agreements",
        "thỏa thuận",
        "agreements",
    ),
    p(
        "mous.signed",
        "{u} ký kết {v} bản ghi nhớ với doanh nghiệp, tổ chức nước ngoài",
        "{u} signed {v} memoranda with foreign enterprises and organisations",
        "bản ghi nhớ",
        "memoranda",
    ),
    p(
        "delegations.inbound",
        "{u} đón {v} đoàn khách nước ngoài",
        "{u} received {v} foreign delegations",
        "đoàn",
        "delegations",
    ),
    p(
        "delegations.outbound",
        "{u} cử {v} đoàn đi công tác nước ngoài",
        "{u} sent {v} delegations abroad",
        "đoàn",
        "delegations",
    ),
    Phrase {
        code: "fdi.projects",
        vi: "{u} thu hút {v} dự án đầu tư trực tiếp nước ngoài (FDI) mới",
        en: "{u} attracted {v} new foreign direct investment (FDI) projects",
        vi_stock: Some("trên địa bàn {u} có {v} dự án FDI còn hiệu lực"),
        en_stock: Some("{u} had {v} FDI projects in force"),
        noun_vi: "dự án",
        noun_en: "projects",
    },
    Phrase {
        code: "fdi.capital.registered",
        vi: "vốn FDI đăng ký mới của {u} đạt {v}",
        en: "newly registered FDI capital in {u} reached {v}",
        vi_stock: Some("tổng vốn FDI đăng ký lũy kế của {u} đạt {v}"),
        en_stock: Some("total registered FDI capital in {u} reached {v}"),
        noun_vi: "",
        noun_en: "",
    },
    p(
        "fdi.source_countries",
        "{u} có nhà đầu tư đến từ {v} quốc gia và vùng lãnh thổ",
        "{u} had investors from {v} countries and territories",
        "quốc gia và vùng lãnh thổ",
        "countries and territories",
    ),
    p(
        "oda.projects",
        "{u} có {v} dự án ODA",
        "{u} had {v} ODA projects",
        "dự án",
        "projects",
    ),
    p(
        "oda.capital",
        "vốn ODA và vốn vay ưu đãi của {u} đạt {v}",
        "ODA and concessional loans in {u} reached {v}",
        "",
        "",
    ),
    p(
        "oda.disbursed",
        "vốn ODA và vốn vay ưu đãi giải ngân tại {u} đạt {v}",
        "ODA and concessional loans disbursed in {u} reached {v}",
        "",
        "",
    ),
    p(
        "oda.counterpart",
        "vốn đối ứng các chương trình, dự án ODA giải ngân tại {u} đạt {v}",
        "counterpart funds disbursed for ODA in {u} reached {v}",
        "",
        "",
    ),
    p(
        "ngo_aid.programs",
        "{u} tiếp nhận {v} chương trình, dự án viện trợ phi chính phủ nước ngoài",
        "{u} received {v} foreign NGO aid programmes and projects",
        "chương trình, dự án",
        "programmes and projects",
    ),
    p(
        "ngo_aid.amount",
        "giá trị viện trợ phi chính phủ nước ngoài {u} tiếp nhận đạt {v}",
        "foreign NGO aid received by {u} reached {v}",
        "",
        "",
    ),
    p(
        "ngo_aid.mobilised",
        "{u} vận động được {v} viện trợ phi chính phủ nước ngoài",
        "{u} mobilised {v} of foreign NGO aid",
        "",
        "",
    ),
    p(
        "trade.export",
        "tổng kim ngạch xuất khẩu của {u} đạt {v}",
        "export turnover of {u} reached {v}",
        "",
        "",
    ),
    p(
        "trade.import",
        "kim ngạch nhập khẩu của {u} đạt {v}",
        "import turnover of {u} reached {v}",
        "",
        "",
    ),
    p(
        "grdp",
        "tổng sản phẩm trên địa bàn (GRDP) của {u} đạt {v}",
        "the gross regional domestic product of {u} reached {v}",
        "",
        "",
    ),
    p(
        "investors.visits",
        "{u} đón {v} lượt nhà đầu tư đến tìm hiểu, khảo sát",
        "{u} received {v} investor visits",
        "lượt",
        "visits",
    ),
    p(
        "abtc.approved",
        "{u} cho phép {v} doanh nhân sử dụng thẻ đi lại của doanh nhân APEC (ABTC)",
        "{u} approved {v} businesspeople for an APEC Business Travel Card",
        "người",
        "people",
    ),
    p(
        "overseas_vn.population",
        "số kiều bào có nguồn gốc từ {u} là {v}",
        "overseas Vietnamese originating from {u} numbered {v}",
        "người",
        "people",
    ),
    p(
        "overseas_vn.enterprises",
        "{u} có {v} doanh nghiệp do kiều bào đầu tư",
        "{u} had {v} enterprises invested in by overseas Vietnamese",
        "doanh nghiệp",
        "enterprises",
    ),
    p(
        "remittances",
        "lượng kiều hối chuyển về {u} đạt {v}",
        "remittances to {u} reached {v}",
        "",
        "",
    ),
    p(
        "bulletins.issues",
        "{u} phát hành {v} số bản tin thông tin đối ngoại",
        "{u} published {v} foreign-information bulletin issues",
        "số",
        "issues",
    ),
    p(
        "conferences.held",
        "{u} tổ chức {v} hội nghị, hội thảo quốc tế được phép",
        "{u} held {v} permitted international conferences and seminars",
        "hội nghị",
        "conferences",
    ),
    p(
        "consular.cases",
        "{u} tiếp nhận, xử lý {v} vụ việc lãnh sự, bảo hộ công dân",
        "{u} handled {v} consular and citizen-protection cases",
        "vụ việc",
        "cases",
    ),
    p(
        "training.courses",
        "{u} tổ chức {v} lớp bồi dưỡng kiến thức, nghiệp vụ đối ngoại",
        "{u} held {v} training courses in foreign affairs",
        "lớp",
        "courses",
    ),
    p(
        "training.trainees",
        "{u} bồi dưỡng kiến thức đối ngoại cho {v} lượt cán bộ",
        "{u} trained {v} staff in foreign affairs",
        "lượt người",
        "people",
    ),
];

pub fn phrase(code: &str) -> Option<&'static Phrase> {
    PHRASES.iter().find(|p| p.code == code)
}

/// How a table shows a unit of measure: money in millions (USD) or
/// billions (VND, "tỷ đồng"), as provincial reports do; counts as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableUnit {
    pub divisor: i64,
    pub decimals: u32,
}

pub fn table_unit(unit: &str) -> TableUnit {
    match unit {
        "USD" => TableUnit {
            divisor: 1_000_000,
            decimals: 2,
        },
        "VND" => TableUnit {
            divisor: 1_000_000_000,
            decimals: 2,
        },
        "percent" => TableUnit {
            divisor: 1,
            decimals: 2,
        },
        _ => TableUnit {
            divisor: 1,
            decimals: 0,
        },
    }
}

/// The label of a table's unit column.
pub fn unit_label(code: &str, unit: &str, lang: Lang) -> String {
    match (unit, lang) {
        ("USD", Lang::Vi) => "triệu USD".into(),
        ("USD", Lang::En) => "million USD".into(),
        ("VND", Lang::Vi) => "tỷ đồng".into(),
        ("VND", Lang::En) => "billion VND".into(),
        ("percent", _) => "%".into(),
        _ => {
            let p = phrase(code);
            let noun = match lang {
                Lang::Vi => p.map(|p| p.noun_vi).unwrap_or(""),
                Lang::En => p.map(|p| p.noun_en).unwrap_or(""),
            };
            if noun.is_empty() {
                match (unit, lang) {
                    ("people", Lang::Vi) => "người".into(),
                    ("people", Lang::En) => "people".into(),
                    _ => String::new(),
                }
            } else {
                noun.into()
            }
        }
    }
}

/// A value with its qualifier and unit in words: "hơn 56 tỷ đồng",
/// "khoảng 18.019 người", "53 thỏa thuận" → for sentences.
pub fn value_words(code: &str, value: Decimal, unit: &str, qualifier: &str, lang: Lang) -> String {
    let q = match (qualifier, lang) {
        ("over", Lang::Vi) => "hơn ",
        ("under", Lang::Vi) => "dưới ",
        ("about", Lang::Vi) => "khoảng ",
        ("over", Lang::En) => "over ",
        ("under", Lang::En) => "under ",
        ("about", Lang::En) => "about ",
        _ => "",
    };
    let v = match unit {
        "USD" | "VND" | "percent" => format_amount(value, unit, lang),
        "people" => {
            let n = format_number(value, 0, lang);
            // "doanh nhân" already names the people counted.
            if code == "abtc.approved" {
                n
            } else {
                format!("{n} {}", lang.pick("người", "people"))
            }
        }
        _ => format_number(value, 2, lang),
    };
    format!("{q}{v}")
}

/// "Năm 2022, tổng kim ngạch xuất khẩu của tỉnh đạt 793 triệu USD, tăng
/// 37,91% so với năm 2021." `prev_year` names the base of `change`.
#[allow(clippy::too_many_arguments)]
pub fn sentence(
    code: &str,
    period: PeriodKey,
    who: &str,
    value: Decimal,
    unit: &str,
    qualifier: &str,
    change: Option<(Decimal, i32)>,
    lang: Lang,
) -> Option<String> {
    let ph = phrase(code)?;
    let stock = matches!(period, PeriodKey::AsOf(_));
    let template = match (lang, stock) {
        (Lang::Vi, true) => ph.vi_stock.unwrap_or(ph.vi),
        (Lang::Vi, false) => ph.vi,
        (Lang::En, true) => ph.en_stock.unwrap_or(ph.en),
        (Lang::En, false) => ph.en,
    };
    let body = template
        .replace("{u}", who)
        .replace("{v}", &value_words(code, value, unit, qualifier, lang));
    let lead = capitalise(&period.label(lang));
    let lead = match (lang, period) {
        (Lang::En, PeriodKey::Year(y)) => format!("In {y}"),
        (Lang::En, _) => capitalise(&period.label(lang)),
        _ => lead,
    };
    let mut s = format!("{lead}, {body}");
    if let Some((pct, base)) = change {
        let pct_text = format_number(pct.abs(), 2, lang);
        let part = match (
            lang,
            pct.is_sign_negative() && !pct.is_zero(),
            pct.is_zero(),
        ) {
            (Lang::Vi, _, true) => format!(", bằng năm {base}"),
            (Lang::Vi, false, false) => format!(", tăng {pct_text}% so với năm {base}"),
            (Lang::Vi, true, false) => format!(", giảm {pct_text}% so với năm {base}"),
            (Lang::En, _, true) => format!(", the same as in {base}"),
            (Lang::En, false, false) => format!(", up {pct_text}% on {base}"),
            (Lang::En, true, false) => format!(", down {pct_text}% on {base}"),
        };
        s.push_str(&part);
    }
    s.push('.');
    Some(s)
}

pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn every_indicator_has_a_phrase() {
        for ind in &ngoaivu_core::refdata::refdata().indicators {
            assert!(phrase(&ind.code).is_some(), "{}", ind.code);
        }
    }

    #[test]
    fn sentences_in_the_register_of_reports() {
        let s = sentence(
            "trade.export",
            PeriodKey::Year(2022),
            "tỉnh",
            d("793000000"),
            "USD",
            "exact",
            Some((d("37.91"), 2021)),
            Lang::Vi,
        )
        .unwrap();
        assert_eq!(
            s,
            "Năm 2022, tổng kim ngạch xuất khẩu của tỉnh đạt 793 triệu USD, tăng 37,91% so với năm 2021."
        );
        let s = sentence(
            "ngo_aid.amount",
            PeriodKey::Range(2012, 2016),
            "tỉnh",
            d("56000000000"),
            "VND",
            "over",
            None,
            Lang::Vi,
        )
        .unwrap();
        assert_eq!(
            s,
            "Giai đoạn 2012–2016, giá trị viện trợ phi chính phủ nước ngoài tỉnh tiếp nhận đạt hơn 56 tỷ đồng."
        );
        let s = sentence(
            "delegations.inbound",
            PeriodKey::Year(2016),
            "tỉnh",
            d("222"),
            "count",
            "exact",
            Some((d("-4.5"), 2015)),
            Lang::En,
        )
        .unwrap();
        assert_eq!(
            s,
            "In 2016, tỉnh received 222 foreign delegations, down 4.5% on 2015."
        );
    }
}

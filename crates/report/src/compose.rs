//! From figures to a document. Pure: no database, no clock.

use std::collections::{BTreeMap, BTreeSet};

use ngoaivu_core::fold::vi_sort_key;
use ngoaivu_core::refdata::{Unit, refdata};
use ngoaivu_core::{Lang, OrgKind};
use ngoaivu_document::{
    AdminHeading, Block, Cell, Closing, Column, Document, NumFormat, Row, Table,
};
use ngoaivu_stats::figures::units_of;
use ngoaivu_stats::{Figures, PeriodKey, Value, change_pct, units_in_force};
use ngoaivu_store::{Indicator, Org};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::charts::{self, ranked_chart};
use crate::office::OfficeWork;
use crate::phrases::{capitalise, sentence, table_unit, unit_label};
use crate::{Kind, Spec};

/// One line of a section's table: an indicator, flow or stock.
#[derive(Clone, Copy)]
struct Line {
    code: &'static str,
    stock: bool,
}

const fn flow(code: &'static str) -> Line {
    Line { code, stock: false }
}
const fn stock(code: &'static str) -> Line {
    Line { code, stock: true }
}

struct Section {
    vi: &'static str,
    en: &'static str,
    lines: &'static [Line],
    /// Event kinds counted in this section.
    events: &'static [&'static str],
    /// Breakdown tables after the section's table (`Figures::tally`).
    tallies: &'static [&'static str],
    /// The foreign NGOs registered in the province follow the section's
    /// tables (the one on aid).
    ngos: bool,
}

const SECTIONS: &[Section] = &[
    Section {
        vi: "Quan hệ chính trị, hợp tác quốc tế và thỏa thuận quốc tế",
        en: "Political relations, cooperation and international agreements",
        lines: &[flow("agreements.signed"), flow("mous.signed")],
        events: &["conference", "seminar"],
        tallies: &[],
        ngos: false,
    },
    Section {
        vi: "Ngoại giao kinh tế",
        en: "Economic diplomacy",
        lines: &[
            flow("fdi.projects"),
            stock("fdi.projects"),
            flow("fdi.capital.registered"),
            stock("fdi.capital.registered"),
            flow("fdi.source_countries"),
            stock("fdi.source_countries"),
            flow("oda.projects"),
            stock("oda.projects"),
            flow("oda.capital"),
            stock("oda.capital"),
            flow("oda.disbursed"),
            flow("oda.counterpart"),
            flow("ngo_aid.programs"),
            flow("ngo_aid.amount"),
            flow("ngo_aid.mobilised"),
            flow("trade.export"),
            flow("trade.import"),
            flow("grdp"),
            flow("investors.visits"),
        ],
        events: &["trade_promotion", "investment_promotion", "fair"],
        tallies: &[],
        ngos: true,
    },
    Section {
        vi: "Đoàn ra, đoàn vào",
        en: "Delegations sent and received",
        lines: &[flow("delegations.outbound"), flow("delegations.inbound")],
        events: &[],
        tallies: &[],
        ngos: false,
    },
    Section {
        vi: "Văn hóa đối ngoại và thông tin đối ngoại",
        en: "Cultural diplomacy and foreign information",
        lines: &[flow("bulletins.issues")],
        events: &["cultural", "foreign_information"],
        tallies: &[],
        ngos: false,
    },
    Section {
        vi: "Hội nghị, hội thảo quốc tế; công tác lãnh sự, bảo hộ công dân",
        en: "International conferences; consular work and citizen protection",
        lines: &[flow("conferences.held"), flow("consular.cases")],
        events: &[],
        tallies: &[
            "conferences.by_kind",
            "consular.by_kind",
            "consular.by_nationality",
        ],
        ngos: false,
    },
    Section {
        vi: "Bồi dưỡng kiến thức, nghiệp vụ đối ngoại",
        en: "Training in foreign affairs",
        lines: &[flow("training.courses"), flow("training.trainees")],
        events: &[],
        tallies: &[],
        ngos: false,
    },
    Section {
        vi: "Công tác người Việt Nam ở nước ngoài",
        en: "Overseas Vietnamese",
        lines: &[
            stock("overseas_vn.population"),
            stock("overseas_vn.enterprises"),
            flow("remittances"),
        ],
        events: &[],
        tallies: &[],
        ngos: false,
    },
    Section {
        vi: "Công tác lãnh sự và thẻ đi lại của doanh nhân APEC (ABTC)",
        en: "Consular work and APEC Business Travel Cards",
        lines: &[flow("abtc.approved")],
        events: &[],
        tallies: &[],
        ngos: false,
    },
];

fn event_label(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "trade_promotion" => lang.pick("Sự kiện xúc tiến thương mại", "Trade promotion events"),
        "investment_promotion" => {
            lang.pick("Sự kiện xúc tiến đầu tư", "Investment promotion events")
        }
        "fair" => lang.pick("Hội chợ, triển lãm", "Fairs and exhibitions"),
        "conference" => lang.pick("Hội nghị quốc tế", "International conferences"),
        "seminar" => lang.pick("Hội thảo quốc tế", "International seminars"),
        "cultural" => lang.pick("Sự kiện văn hóa đối ngoại", "Cultural diplomacy events"),
        "foreign_information" => lang.pick(
            "Hoạt động thông tin đối ngoại",
            "Foreign-information activities",
        ),
        _ => lang.pick("Sự kiện khác", "Other events"),
    }
}

fn conference_kind_label(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "conference" => lang.pick("Hội nghị", "Conferences"),
        "seminar" => lang.pick("Hội thảo", "Seminars"),
        "roundtable" => lang.pick("Tọa đàm", "Round tables"),
        "forum" => lang.pick("Diễn đàn", "Forums"),
        _ => lang.pick("Loại khác", "Other"),
    }
}

fn consular_kind_label(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "distress" => lang.pick(
            "Công dân gặp nạn, khó khăn ở nước ngoài",
            "Citizens in distress abroad",
        ),
        "arrested" => lang.pick(
            "Công dân bị bắt, tạm giữ, tạm giam ở nước ngoài",
            "Citizens arrested or detained abroad",
        ),
        "deceased" => lang.pick("Công dân từ trần ở nước ngoài", "Citizens deceased abroad"),
        "repatriated" => lang.pick(
            "Công dân được đưa về nước, tiếp nhận trở về",
            "Citizens repatriated",
        ),
        "foreigner_incident" => lang.pick(
            "Vụ việc liên quan người nước ngoài trên địa bàn",
            "Incidents involving foreigners in the province",
        ),
        _ => lang.pick("Loại khác", "Other"),
    }
}

/// A breakdown table of a section: its title, its sheet's name in a
/// workbook, the first column's label and the columns (code, label).
struct TallySpec {
    title: &'static str,
    sheet: &'static str,
    first: &'static str,
    cols: Vec<(&'static str, &'static str)>,
}

fn tally_spec(table: &str, lang: Lang) -> TallySpec {
    let (title, sheet, first, cols) = match table {
        "conferences.by_kind" => (
            lang.pick(
                "Hội nghị, hội thảo quốc tế theo loại",
                "International conferences by kind",
            ),
            lang.pick("Hội nghị theo loại", "Conferences by kind"),
            lang.pick("Loại", "Kind"),
            vec![
                ("permitted", lang.pick("Được phép", "Permitted")),
                ("refused", lang.pick("Không cho phép", "Refused")),
                ("held", lang.pick("Đã tổ chức", "Held")),
            ],
        ),
        "consular.by_kind" => (
            lang.pick(
                "Vụ việc lãnh sự, bảo hộ công dân theo loại",
                "Consular cases by kind",
            ),
            lang.pick("Lãnh sự theo loại", "Consular by kind"),
            lang.pick("Loại vụ việc", "Kind of case"),
            vec![("count", lang.pick("Số vụ việc", "Cases"))],
        ),
        _ => (
            lang.pick(
                "Vụ việc lãnh sự, bảo hộ công dân theo quốc tịch",
                "Consular cases by nationality",
            ),
            lang.pick("Lãnh sự theo quốc tịch", "Consular by nationality"),
            lang.pick("Quốc tịch", "Nationality"),
            vec![("count", lang.pick("Số vụ việc", "Cases"))],
        ),
    };
    TallySpec {
        title,
        sheet,
        first,
        cols,
    }
}

/// The breakdown tables of a section over `from..=to`, each with its
/// caption's text (the caller numbers it): rows in the vocabulary's order
/// (kinds) or by count (countries), a total row last. A table with nothing
/// counted is left out.
fn tally_tables(cx: &Ctx, sec: &Section, from: i32, to: i32) -> Vec<Table> {
    let lang = cx.lang;
    let mut out = vec![];
    for table in sec.tallies {
        let counts = cx.figs.tally(table, &cx.units, from, to);
        if counts.is_empty() {
            continue;
        }
        let TallySpec {
            title,
            sheet,
            first,
            cols,
        } = tally_spec(table, lang);
        let mut keys: Vec<String> = vec![];
        for (row, _) in counts.keys() {
            if !keys.contains(row) {
                keys.push(row.clone());
            }
        }
        let count = |row: &str, col: &str| counts.get(&(row.to_owned(), col.to_owned())).copied();
        let label = |row: &str| -> String {
            match *table {
                "conferences.by_kind" => conference_kind_label(row, lang).to_owned(),
                "consular.by_kind" => consular_kind_label(row, lang).to_owned(),
                _ => refdata()
                    .country(row)
                    .map(|c| lang.pick(&c.name_vi, &c.name_en).to_owned())
                    .unwrap_or_else(|| row.to_owned()),
            }
        };
        match *table {
            "conferences.by_kind" => {
                let order = ngoaivu_core::records::ConferenceKind::ALL;
                keys.sort_by_key(|k| order.iter().position(|o| o.code() == k));
            }
            "consular.by_kind" => {
                let order = ngoaivu_core::records::ConsularKind::ALL;
                keys.sort_by_key(|k| order.iter().position(|o| o.code() == k));
            }
            _ => keys.sort_by(|a, b| {
                let n = |k: &str| count(k, "count").unwrap_or(0);
                n(b).cmp(&n(a))
                    .then_with(|| vi_sort_key(&label(a)).cmp(&vi_sort_key(&label(b))))
            }),
        }
        let mut rows: Vec<Row> = keys
            .iter()
            .map(|k| {
                let mut cells = vec![Cell::text(label(k))];
                cells.extend(
                    cols.iter()
                        .map(|(c, _)| Cell::int(count(k, c).unwrap_or(0))),
                );
                Row {
                    cells,
                    total: false,
                }
            })
            .collect();
        let mut total = vec![Cell::text(cx.t("Tổng cộng", "Total"))];
        total.extend(
            cols.iter().map(|(c, _)| {
                Cell::int(keys.iter().map(|k| count(k, c).unwrap_or(0)).sum::<i64>())
            }),
        );
        rows.push(Row {
            cells: total,
            total: true,
        });
        let mut columns = vec![col(first, false)];
        columns.extend(cols.iter().map(|(_, l)| col(l, true)));
        let period = if from == to {
            format!("{} {from}", cx.t("năm", "in"))
        } else {
            format!("{} {from}–{to}", cx.t("giai đoạn", "in"))
        };
        out.push(Table {
            caption: format!("{title}, {period}"),
            columns,
            rows,
            note: Some(
                cx.t(
                    "Đếm từ hồ sơ; không gồm thông tin cá nhân.",
                    "Counted from the records; no personal data.",
                )
                .into(),
            ),
            sheet: sheet.to_owned(),
        });
    }
    out
}

fn dmy(d: time::Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year())
}

fn ngo_kind_label(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "operation" => lang.pick("Giấy đăng ký hoạt động", "Operation registration"),
        "project_office" => lang.pick("Giấy đăng ký lập Văn phòng dự án", "Project office"),
        "representative_office" => lang.pick(
            "Giấy đăng ký lập Văn phòng đại diện",
            "Representative office",
        ),
        _ => lang.pick("Loại khác", "Other"),
    }
}

/// The foreign NGOs registered to work in the province at the end of the
/// period: a sentence into `blocks`, the table returned (the caller
/// numbers it). Nothing when none is registered.
fn ngo_block(cx: &Ctx, from: i32, to: i32, blocks: &mut Vec<Block>) -> Option<Table> {
    let lang = cx.lang;
    let ngos = &cx.work.ngos;
    if ngos.is_empty() {
        return None;
    }
    let within = if from == to {
        cx.t("trong năm", "in the year")
    } else {
        cx.t("trong giai đoạn", "in the term")
    };
    blocks.push(Block::Paragraph(match lang {
        Lang::Vi => format!(
            "Đến ngày 31/12/{to}, {} tổ chức phi chính phủ nước ngoài có giấy đăng ký còn hiệu lực để hoạt động trên địa bàn {}, trong đó {} tổ chức được cấp {within}.",
            ngos.len(),
            cx.who,
            cx.work.ngos_new
        ),
        Lang::En => format!(
            "On 31/12/{to}, {} foreign NGOs held a registration in force to work in {}, {} of them issued {within}.",
            ngos.len(),
            cx.who,
            cx.work.ngos_new
        ),
    }));
    let rows = ngos
        .iter()
        .map(|n| Row {
            cells: vec![
                Cell::text(n.name.clone()),
                Cell::text(
                    n.country
                        .as_deref()
                        .and_then(|c| refdata().country(c))
                        .map(|c| lang.pick(&c.name_vi, &c.name_en).to_owned())
                        .unwrap_or_default(),
                ),
                Cell::text(ngo_kind_label(&n.kind, lang)),
                Cell::text(n.number.clone()),
                Cell::text(dmy(n.issued_on)),
                Cell::text(n.valid_until.map(dmy).unwrap_or_default()),
                Cell::text(
                    n.sectors
                        .iter()
                        .map(|s| ngoaivu_core::channel::sector_label(s, lang))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ],
            total: false,
        })
        .collect();
    Some(Table {
        caption: format!(
            "{} 31/12/{to}",
            cx.t(
                "Tổ chức phi chính phủ nước ngoài có giấy đăng ký hoạt động trên địa bàn, đến ngày",
                "Foreign NGOs registered to work in the province, on"
            )
        ),
        columns: vec![
            col(cx.t("Tổ chức", "Organisation"), false),
            col(cx.t("Nước", "Country"), false),
            col(cx.t("Loại giấy đăng ký", "Registration"), false),
            col(cx.t("Số", "Number"), false),
            col(cx.t("Ngày cấp", "Issued"), false),
            col(cx.t("Có giá trị đến", "Valid until"), false),
            col(cx.t("Lĩnh vực", "Fields"), false),
        ],
        rows,
        note: None,
        sheet: cx.t("Tổ chức PCPNN", "Foreign NGOs").into(),
    })
}

/// The plans and directives the province carries out, with their
/// progress on the report's date: a heading of its own and a sentence into
/// `blocks`, the table returned (the caller numbers it). Nothing when
/// there is none.
fn plans_block(cx: &Ctx, blocks: &mut Vec<Block>) -> Option<Table> {
    let plans = &cx.work.plans;
    if plans.is_empty() {
        return None;
    }
    let lang = cx.lang;
    let title = cx.t(
        "Thực hiện kế hoạch, chỉ thị về công tác đối ngoại",
        "Carrying out foreign-affairs plans and directives",
    );
    blocks.push(Block::Heading {
        level: 1,
        text: format!("{}. {}", ROMAN[SECTIONS.len()], title.to_uppercase()),
    });
    let as_of = cx.work.as_of.map(dmy).unwrap_or_default();
    let open: usize = plans.iter().map(|p| p.total - p.done).sum();
    let overdue: usize = plans.iter().map(|p| p.overdue).sum();
    blocks.push(Block::Paragraph(match lang {
        Lang::Vi => format!(
            "Đến ngày {as_of}, {} kế hoạch, chỉ thị đang được triển khai còn {open} nhiệm vụ chưa hoàn thành, trong đó {overdue} nhiệm vụ đã quá hạn.",
            plans.len()
        ),
        Lang::En => format!(
            "On {as_of}, the {} plans and directives being carried out had {open} tasks not yet done, {overdue} of them past due.",
            plans.len()
        ),
    }));
    let rows = plans
        .iter()
        .map(|p| Row {
            cells: vec![
                Cell::text(p.title.clone()),
                Cell::text(p.reference.clone().unwrap_or_default()),
                Cell::text(p.year.to_string()),
                Cell::text(format!("{}/{}", p.done, p.total)),
                match (p.done * 100).checked_div(p.total) {
                    Some(pc) => Cell::text(format!("{pc}%")),
                    None => Cell::Empty,
                },
                Cell::int(p.overdue as i64),
            ],
            total: false,
        })
        .collect();
    Some(Table {
        caption: format!("{title}, {} {as_of}", cx.t("tiến độ đến ngày", "progress on")),
        columns: vec![
            col(cx.t("Kế hoạch, chỉ thị", "Plan or directive"), false),
            col(cx.t("Số, ký hiệu", "Reference"), false),
            col(cx.t("Năm", "Year"), false),
            col(cx.t("Nhiệm vụ hoàn thành", "Tasks done"), true),
            col(cx.t("Tỷ lệ", "Share"), true),
            col(cx.t("Quá hạn", "Past due"), true),
        ],
        rows,
        note: Some(
            cx.t(
                "Không tính nhiệm vụ đã thôi thực hiện; kế hoạch của các năm trước còn nhiệm vụ chưa hoàn thành cũng được liệt kê.",
                "Dropped tasks are not counted; plans of earlier years with tasks still open are listed too.",
            )
            .into(),
        ),
        sheet: cx.t("Kế hoạch", "Plans").into(),
    })
}

const ROMAN: [&str; 10] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];

struct Ctx<'a> {
    spec: &'a Spec,
    lang: Lang,
    figs: &'a Figures,
    names: BTreeMap<&'a str, (&'a str, &'a str)>,
    /// The units the report answers for (today's unit and the former units
    /// it absorbed), or every unit for the national report.
    units: Vec<String>,
    /// "tỉnh", "thành phố", "các địa phương".
    who: String,
    sources: BTreeSet<String>,
    /// Plans carried out and NGOs registered (a province's reports).
    work: &'a OfficeWork,
}

impl Ctx<'_> {
    fn name(&self, code: &str) -> String {
        if let Some(kind) = code.strip_prefix("events.") {
            return event_label(kind, self.lang).to_owned();
        }
        match self.names.get(code) {
            Some((vi, en)) => self.lang.pick(vi, en).to_owned(),
            None => code.to_owned(),
        }
    }

    fn line_label(&self, line: Line) -> String {
        let base = self.name(line.code);
        if line.stock {
            format!("{base} ({})", self.lang.pick("lũy kế", "cumulative"))
        } else {
            base
        }
    }

    fn value(&mut self, code: &str, units: &[String], period: PeriodKey, unit: &str) -> Value {
        let v = self.figs.value(code, units, period, unit);
        for s in &v.sources {
            self.sources.insert(s.clone());
        }
        v
    }

    fn t<'s>(&self, vi: &'s str, en: &'s str) -> &'s str {
        self.lang.pick(vi, en)
    }
}

fn period_of(line: Line, year: i32) -> PeriodKey {
    if line.stock {
        PeriodKey::AsOf(year)
    } else {
        PeriodKey::Year(year)
    }
}

/// A value as a table number in the table's unit (millions of USD …).
fn scaled(v: Decimal, unit: &str) -> Cell {
    let tu = table_unit(unit);
    let value = v / Decimal::from(tu.divisor);
    Cell::Number {
        value: value.round_dp(tu.decimals.max(if tu.divisor > 1 { 2 } else { 0 })),
        format: if tu.decimals == 0 {
            NumFormat::Integer
        } else {
            NumFormat::Decimal2
        },
    }
}

fn opt_cell(v: Option<Decimal>, unit: &str) -> Cell {
    v.map(|v| scaled(v, unit)).unwrap_or(Cell::Empty)
}

fn qualifier_note(q: &str, lang: Lang) -> Option<&'static str> {
    match q {
        "over" => Some(lang.pick("hơn", "over")),
        "under" => Some(lang.pick("dưới", "under")),
        "about" => Some(lang.pick("khoảng", "about")),
        _ => None,
    }
}

/// A unit's short name ("Tiền Giang"), or "Việt Nam" for national figures.
pub(crate) fn unit_name(slug: &str) -> String {
    if slug == "viet-nam" {
        return "Việt Nam".into();
    }
    refdata()
        .unit(slug)
        .map(|u| u.short_name.clone())
        .unwrap_or_else(|| slug.to_owned())
}

/// "ngày 05 tháng 02 năm 2023": day below 10 and months 1 and 2 take a
/// leading zero (Decree 30, Appendix I).
fn date_words(d: time::Date, lang: Lang) -> String {
    let m = u8::from(d.month());
    match lang {
        Lang::Vi => {
            let day = format!("{:02}", d.day());
            let month = if m <= 2 {
                format!("{m:02}")
            } else {
                m.to_string()
            };
            format!("ngày {day} tháng {month} năm {}", d.year())
        }
        Lang::En => format!("{} {} {}", d.day(), d.month(), d.year()),
    }
}

fn office_symbol(office: &str) -> String {
    let s: String = office
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .collect();
    if s.is_empty() { "UBND".into() } else { s }
}

fn heading(spec: &Spec, org: &Org) -> (AdminHeading, String) {
    let lang = spec.lang;
    let date = date_words(spec.date, lang);
    match org.kind {
        OrgKind::Province => {
            let unit = refdata().current_unit(&org.slug);
            let short = unit
                .map(|u| u.short_name.clone())
                .unwrap_or_else(|| org.name.clone());
            let kind_word = match unit.map(|u| u.kind.as_str()) {
                Some("city") => "THÀNH PHỐ",
                _ => "TỈNH",
            };
            let office = org
                .office_name
                .clone()
                .unwrap_or_else(|| "Sở Ngoại vụ".into());
            (
                AdminHeading {
                    parent_body: Some(format!("UBND {kind_word} {}", short.to_uppercase())),
                    issuing_body: office.to_uppercase(),
                    number: format!("Số:        /BC-{}", office_symbol(&office)),
                    place_date: format!("{short}, {date}"),
                },
                office,
            )
        }
        _ => (
            AdminHeading {
                parent_body: None,
                issuing_body: "BỘ NGOẠI GIAO".into(),
                number: "Số:        /BC-BNG".into(),
                place_date: format!("Hà Nội, {date}"),
            },
            "Bộ Ngoại giao".into(),
        ),
    }
}

/// The document for `spec` from `figs`.
pub fn compose(
    spec: &Spec,
    org: &Org,
    figs: &Figures,
    indicators: &[Indicator],
    work: &OfficeWork,
) -> Document {
    let lang = spec.lang;
    let names = indicators
        .iter()
        .map(|i| (i.code.as_str(), (i.name_vi.as_str(), i.name_en.as_str())))
        .collect();
    let (heading, office) = heading(spec, org);
    let unit = refdata().current_unit(&org.slug);
    let is_city = unit.is_some_and(|u| u.kind == "city");
    let who = match (spec.kind, lang, is_city) {
        (Kind::National, Lang::Vi, _) => "các địa phương",
        (Kind::National, Lang::En, _) => "the provinces",
        (_, Lang::Vi, true) => "thành phố",
        (_, Lang::Vi, false) => "tỉnh",
        (_, Lang::En, true) => "the city",
        (_, Lang::En, false) => "the province",
    };
    let units = match spec.kind {
        Kind::National => figs
            .units_seen
            .iter()
            .filter(|u| *u != "viet-nam")
            .cloned()
            .collect(),
        _ => units_of(&org.slug),
    };
    let mut cx = Ctx {
        spec,
        lang,
        figs,
        names,
        units,
        who: who.to_owned(),
        sources: BTreeSet::new(),
        work,
    };
    let place = unit
        .map(|u| u.name.clone())
        .unwrap_or_else(|| org.name.clone());
    let period_words = match spec.kind {
        Kind::Term => format!("{} {}–{}", cx.t("giai đoạn", "in"), spec.from, spec.to),
        _ => format!("{} {}", cx.t("năm", "in"), spec.from),
    };
    let subtitle = match spec.kind {
        Kind::National => vec![format!(
            "{} {}",
            cx.t(
                "Tổng kết công tác đối ngoại địa phương",
                "Local foreign affairs: national summary"
            ),
            period_words
        )],
        _ => vec![format!(
            "{} {period_words} {} {place}",
            cx.t("Kết quả công tác đối ngoại", "Foreign affairs results"),
            cx.t("của", "of"),
        )],
    };
    let mut blocks = vec![];
    match spec.kind {
        Kind::Annual => annual(&mut cx, &office, &place, &mut blocks),
        Kind::Term => term(&mut cx, &office, &place, &mut blocks),
        Kind::National => national(&mut cx, &mut blocks),
    }
    let closing = match spec.kind {
        Kind::National => Closing {
            recipients: vec![
                cx.t(
                    "- Thủ tướng Chính phủ (để báo cáo);",
                    "- The Prime Minister (for information);",
                )
                .into(),
                cx.t(
                    "- Các bộ, ngành liên quan;",
                    "- Ministries and agencies concerned;",
                )
                .into(),
                cx.t(
                    "- UBND các tỉnh, thành phố;",
                    "- People's Committees of the provinces;",
                )
                .into(),
                cx.t("- Lưu: VT, NG.", "- Archive.").into(),
            ],
            authority: vec![
                cx.t("KT. BỘ TRƯỞNG", "FOR THE MINISTER").into(),
                cx.t("THỨ TRƯỞNG", "DEPUTY MINISTER").into(),
            ],
            signer: None,
        },
        _ => Closing {
            recipients: vec![
                format!(
                    "- {} {};",
                    cx.t("UBND", "People's Committee of"),
                    unit.map(|u| u.name.clone()).unwrap_or_default()
                ) + cx.t(" (để báo cáo)", " (for information)"),
                cx.t(
                    "- Bộ Ngoại giao (để báo cáo);",
                    "- Ministry of Foreign Affairs (for information);",
                )
                .into(),
                cx.t("- Lưu: VT.", "- Archive.").into(),
            ],
            authority: vec![cx.t("GIÁM ĐỐC", "DIRECTOR").into()],
            signer: None,
        },
    };
    let mut footnote = match lang {
        Lang::Vi => format!(
            "Báo cáo lập bằng ngoaivu ngày {}. Số liệu báo cáo lấy từ các văn bản ghi dưới đây; số liệu \"từ hồ sơ\" là tổng hợp các hồ sơ đã nhập. Số liệu của đơn vị hành chính trước ngày 01/7/2025 được cộng vào đơn vị hiện nay đã tiếp nhận.",
            spec.date
                .format(time::macros::format_description!("[day]/[month]/[year]"))
                .unwrap_or_default()
        ),
        Lang::En => format!(
            "Made with ngoaivu on {}. Reported figures come from the documents below; figures \"from records\" add up the records entered. Figures of units before 1 July 2025 are added to the unit that absorbed them.",
            spec.date
                .format(time::macros::format_description!("[day]/[month]/[year]"))
                .unwrap_or_default()
        ),
    };
    if !cx.sources.is_empty() {
        footnote.push_str(cx.t(" Nguồn: ", " Sources: "));
        footnote.push_str(&cx.sources.iter().cloned().collect::<Vec<_>>().join("; "));
        footnote.push('.');
    }
    Document {
        lang,
        heading,
        title: cx.t("BÁO CÁO", "REPORT").into(),
        subtitle,
        blocks,
        closing,
        footnote: Some(footnote),
    }
}

/// The units of measure a line has figures in, USD before VND.
fn measures(cx: &Ctx, code: &str) -> Vec<String> {
    let mut m: Vec<String> = cx.figs.units_of_measure(code).into_iter().collect();
    m.sort_by_key(|u| match u.as_str() {
        "count" | "people" => 0,
        "USD" => 1,
        "VND" => 2,
        _ => 3,
    });
    m
}

fn change_of(cur: &Value, prev: &Value) -> Option<(Decimal, bool)> {
    match (cur.best(), prev.best()) {
        (Some(c), Some(p)) => change_pct(c, p).map(|x| (x, true)),
        _ => cur.change_pct.map(|x| (x, false)),
    }
}

fn annual(cx: &mut Ctx, office: &str, place: &str, blocks: &mut Vec<Block>) {
    let lang = cx.lang;
    let y = cx.spec.from;
    let units = cx.units.clone();
    let absorbed: Vec<String> = units.iter().skip(1).cloned().collect();
    let intro = match lang {
        Lang::Vi => format!(
            "{office} báo cáo kết quả công tác đối ngoại năm {y} của {place}{} như sau:",
            if absorbed.is_empty() {
                String::new()
            } else {
                format!(
                    " (số liệu các năm trước ngày 01/7/2025 gồm cả {})",
                    absorbed
                        .iter()
                        .map(|u| unit_name(u))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        ),
        Lang::En => format!(
            "{office} reports on the foreign affairs of {place} in {y}{}:",
            if absorbed.is_empty() {
                String::new()
            } else {
                format!(
                    " (figures before 1 July 2025 include {})",
                    absorbed
                        .iter()
                        .map(|u| unit_name(u))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        ),
    };
    blocks.push(Block::Paragraph(intro));
    let mut table_no = 0;
    for (si, sec) in SECTIONS.iter().enumerate() {
        blocks.push(Block::Heading {
            level: 1,
            text: format!("{}. {}", ROMAN[si], cx.t(sec.vi, sec.en).to_uppercase()),
        });
        let mut rows = vec![];
        let mut sentences = vec![];
        for line in sec.lines {
            for unit in measures(cx, line.code) {
                let cur = cx.value(line.code, &units, period_of(*line, y), &unit);
                let prev = cx.value(line.code, &units, period_of(*line, y - 1), &unit);
                if cur.is_empty() && prev.is_empty() {
                    continue;
                }
                let change = change_of(&cur, &prev);
                let mut notes: Vec<String> = vec![];
                if let Some(q) = qualifier_note(&cur.qualifier, lang)
                    && cur.reported.is_some()
                {
                    notes.push(format!("{} {}", cx.t("báo cáo ghi", "reported as"), q));
                }
                if cur.differs() {
                    notes.push(
                        cx.t(
                            "báo cáo và hồ sơ chênh lệch",
                            "reported and recorded differ",
                        )
                        .into(),
                    );
                }
                if let Some((_, false)) = change {
                    notes.push(cx.t("tỷ lệ theo báo cáo", "rate as reported").into());
                }
                if let (Some((computed, true)), Some(stated)) = (change, cur.change_pct)
                    && (computed - stated).abs() > Decimal::new(1, 2)
                {
                    notes.push(format!(
                        "{} {}%",
                        cx.t("báo cáo ghi", "reported"),
                        ngoaivu_core::numfmt::format_number(stated, 2, lang)
                    ));
                }
                let parts: Vec<&String> =
                    cur.reported_by.iter().filter(|u| **u != units[0]).collect();
                if !parts.is_empty() {
                    notes.push(format!(
                        "{} {}",
                        cx.t("gồm số liệu của", "includes"),
                        parts
                            .iter()
                            .map(|u| unit_name(u))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                rows.push(Row {
                    cells: vec![
                        Cell::text(cx.line_label(*line)),
                        Cell::text(unit_label(line.code, &unit, lang)),
                        opt_cell(prev.best(), &unit),
                        opt_cell(cur.reported, &unit),
                        opt_cell(cur.derived, &unit),
                        Cell::change(change.map(|c| c.0)),
                        Cell::text(notes.join("; ")),
                    ],
                    total: false,
                });
                if let Some(v) = cur.best() {
                    let who = cx.who.clone();
                    let q = if cur.reported.is_some() {
                        cur.qualifier.clone()
                    } else {
                        "exact".into()
                    };
                    if let Some(s) = sentence(
                        line.code,
                        period_of(*line, y),
                        &who,
                        v,
                        &unit,
                        &q,
                        change.map(|c| (c.0, y - 1)),
                        lang,
                    ) {
                        sentences.push(s);
                    }
                }
            }
        }
        for kind in sec.events {
            let code = format!("events.{kind}");
            let cur = cx.value(&code, &units, PeriodKey::Year(y), "count");
            let prev = cx.value(&code, &units, PeriodKey::Year(y - 1), "count");
            if cur.is_empty() && prev.is_empty() {
                continue;
            }
            rows.push(Row {
                cells: vec![
                    Cell::text(event_label(kind, lang)),
                    Cell::text(cx.t("sự kiện", "events")),
                    opt_cell(prev.best(), "count"),
                    Cell::Empty,
                    opt_cell(cur.derived, "count"),
                    Cell::change(change_of(&cur, &prev).map(|c| c.0)),
                    Cell::text(""),
                ],
                total: false,
            });
        }
        // A section whose only content is what follows its table (the
        // NGOs registered) does not first say it has nothing.
        let more = sec.ngos && !cx.work.ngos.is_empty();
        if rows.is_empty() {
            if !more {
                blocks.push(Block::Paragraph(format!(
                    "{} {y}.",
                    cx.t(
                        "Chưa có số liệu về nội dung này trong năm",
                        "No figures on this in"
                    )
                )));
            }
        } else {
            for s in sentences {
                blocks.push(Block::Paragraph(s));
            }
            table_no += 1;
            blocks.push(Block::Table(Table {
                caption: format!(
                    "{} {table_no}. {}",
                    cx.t("Bảng", "Table"),
                    cx.t(sec.vi, sec.en)
                ),
                columns: vec![
                    col(cx.t("Chỉ tiêu", "Indicator"), false),
                    col(cx.t("Đơn vị", "Unit"), false),
                    col(format!("{} {}", cx.t("Năm", ""), y - 1).trim(), true),
                    col(&format!("{y} {}", cx.t("(báo cáo)", "(reported)")), true),
                    col(
                        &format!("{y} {}", cx.t("(từ hồ sơ)", "(from records)")),
                        true,
                    ),
                    col(&format!("{} {}", cx.t("So với", "Change on"), y - 1), true),
                    col(cx.t("Ghi chú", "Notes"), false),
                ],
                rows,
                note: None,
                sheet: sheet_for(cx.t(sec.vi, sec.en)),
            }));
        }
        let mut extra = tally_tables(cx, sec, y, y);
        if sec.ngos {
            extra.extend(ngo_block(cx, y, y, blocks));
        }
        for mut t in extra {
            table_no += 1;
            t.caption = format!("{} {table_no}. {}", cx.t("Bảng", "Table"), t.caption);
            blocks.push(Block::Table(t));
        }
        section_charts(cx, si, &units, y - 4, y, blocks);
    }
    if let Some(mut t) = plans_block(cx, blocks) {
        table_no += 1;
        t.caption = format!("{} {table_no}. {}", cx.t("Bảng", "Table"), t.caption);
        blocks.push(Block::Table(t));
    }
    breakdown_by_former_units(cx, y, blocks);
    cumulative(cx, y, y, blocks);
}

fn col(label: &str, numeric: bool) -> Column {
    Column {
        label: label.to_owned(),
        numeric,
    }
}

fn sheet_for(s: &str) -> String {
    s.chars().take(31).collect()
}

/// Charts of a section over `from..=to`, when there is something to draw.
fn section_charts(
    cx: &mut Ctx,
    section: usize,
    units: &[String],
    from: i32,
    to: i32,
    blocks: &mut Vec<Block>,
) {
    let (figs, lang) = (cx.figs, cx.lang);
    let charts = match section {
        0 => vec![charts::agreements_by_country(figs, units, from, to, lang)],
        1 => vec![
            charts::fdi_by_country(figs, units, from, to, lang),
            charts::exports_by_year(figs, units, from, to, lang),
        ],
        2 => vec![charts::delegations_by_year(figs, units, from, to, lang)],
        _ => vec![],
    };
    blocks.extend(charts.into_iter().flatten().map(Block::Chart));
}

/// Before the merger, the figures of each unit of that time, when the
/// report's unit absorbed others and they have figures.
fn breakdown_by_former_units(cx: &mut Ctx, y: i32, blocks: &mut Vec<Block>) {
    if cx.units.len() < 2 || (y >= 2025 && !cx.spec.units_of_the_time) {
        return;
    }
    let lang = cx.lang;
    let units = cx.units.clone();
    let mut rows = vec![];
    for sec in SECTIONS {
        for line in sec.lines {
            for unit in measures(cx, line.code) {
                let vals: Vec<Value> = units
                    .iter()
                    .map(|u| {
                        cx.value(
                            line.code,
                            std::slice::from_ref(u),
                            period_of(*line, y),
                            &unit,
                        )
                    })
                    .collect();
                if vals.iter().all(Value::is_empty) {
                    continue;
                }
                let mut cells = vec![
                    Cell::text(cx.line_label(*line)),
                    Cell::text(unit_label(line.code, &unit, lang)),
                ];
                cells.extend(vals.iter().map(|v| opt_cell(v.best(), &unit)));
                rows.push(Row {
                    cells,
                    total: false,
                });
            }
        }
    }
    // Only worth a table when a former unit other than the one of today's
    // name has figures of its own.
    if rows.is_empty()
        || !rows
            .iter()
            .any(|r| r.cells[3..].iter().any(|c| *c != Cell::Empty))
    {
        return;
    }
    let mut columns = vec![
        col(cx.t("Chỉ tiêu", "Indicator"), false),
        col(cx.t("Đơn vị", "Unit"), false),
    ];
    columns.extend(units.iter().map(|u| col(&unit_name(u), true)));
    blocks.push(Block::Heading {
        level: 2,
        text: format!(
            "{} {y}",
            cx.t(
                "Số liệu theo đơn vị hành chính trước sáp nhập, năm",
                "Figures by the units before the 2025 merger,"
            )
        ),
    });
    blocks.push(Block::Table(Table {
        caption: format!(
            "{} {y}",
            cx.t("Số liệu theo đơn vị hành chính của thời điểm báo cáo, năm", "Figures by the units of the time,")
        ),
        columns,
        rows,
        note: Some(
            cx.t(
                "Theo Nghị quyết 202/2025/QH15, từ ngày 01/7/2025 các đơn vị trên hợp nhất thành đơn vị hiện nay.",
                "Under Resolution 202/2025/QH15, these units merged into today's unit on 1 July 2025.",
            )
            .into(),
        ),
        sheet: cx.t("Theo đơn vị cũ", "By former units").into(),
    }));
}

/// Reported figures of longer periods ending in the report's years
/// ("từ năm 2016", "giai đoạn 2012–2016", "đến năm 2020").
fn cumulative(cx: &mut Ctx, from: i32, to: i32, blocks: &mut Vec<Block>) {
    let lang = cx.lang;
    let units = cx.units.clone();
    let mut items = vec![];
    for y in from..=to {
        for (k, r) in cx.figs.reported_other_periods(&units, y) {
            if k.indicator.starts_with("events.") {
                continue;
            }
            // Stocks at the report's years are in the sections' tables.
            if matches!(k.period, PeriodKey::AsOf(_))
                && SECTIONS
                    .iter()
                    .any(|s| s.lines.iter().any(|l| l.stock && l.code == k.indicator))
            {
                continue;
            }
            // "Since" figures appear once, in the last year.
            if matches!(k.period, PeriodKey::Since(_)) && y != to {
                continue;
            }
            items.push((k.clone(), r.clone()));
        }
    }
    if items.is_empty() {
        return;
    }
    items.sort_by(|a, b| (a.0.period, &a.0.indicator).cmp(&(b.0.period, &b.0.indicator)));
    items.dedup_by(|a, b| a.0 == b.0);
    let mut rows = vec![];
    for (k, r) in &items {
        if let Some(s) = &r.source_document {
            cx.sources.insert(s.clone());
        }
        rows.push(Row {
            cells: vec![
                Cell::text(cx.name(&k.indicator)),
                Cell::text(capitalise(&k.period.label(lang))),
                Cell::text(unit_name(&k.locality)),
                Cell::text(unit_label(&k.indicator, &k.unit, lang)),
                scaled(r.value, &k.unit),
                Cell::text(qualifier_note(&r.qualifier, lang).unwrap_or("")),
            ],
            total: false,
        });
    }
    blocks.push(Block::Heading {
        level: 1,
        text: format!(
            "{}. {}",
            ROMAN[SECTIONS.len()],
            cx.t(
                "SỐ LIỆU LŨY KẾ VÀ THEO GIAI ĐOẠN",
                "CUMULATIVE AND MULTI-YEAR FIGURES"
            )
        ),
    });
    blocks.push(Block::Table(Table {
        caption: cx
            .t(
                "Số liệu lũy kế và theo giai đoạn đã báo cáo",
                "Cumulative and multi-year figures as reported",
            )
            .into(),
        columns: vec![
            col(cx.t("Chỉ tiêu", "Indicator"), false),
            col(cx.t("Kỳ", "Period"), false),
            col(cx.t("Đơn vị hành chính", "Unit"), false),
            col(cx.t("Đơn vị tính", "Measure"), false),
            col(cx.t("Giá trị", "Value"), true),
            col(cx.t("Ghi chú", "Notes"), false),
        ],
        rows,
        note: None,
        sheet: cx.t("Lũy kế", "Cumulative").into(),
    }));
}

fn term(cx: &mut Ctx, office: &str, place: &str, blocks: &mut Vec<Block>) {
    let lang = cx.lang;
    let (from, to) = (cx.spec.from, cx.spec.to);
    let units = cx.units.clone();
    blocks.push(Block::Paragraph(match lang {
        Lang::Vi => format!(
            "{office} báo cáo kết quả công tác đối ngoại giai đoạn {from}–{to} của {place} như sau:"
        ),
        Lang::En => format!("{office} reports on the foreign affairs of {place} in {from}–{to}:"),
    }));
    let years: Vec<i32> = (from..=to).collect();
    for (si, sec) in SECTIONS.iter().enumerate() {
        blocks.push(Block::Heading {
            level: 1,
            text: format!("{}. {}", ROMAN[si], cx.t(sec.vi, sec.en).to_uppercase()),
        });
        let mut rows = vec![];
        let mut sentences = vec![];
        for line in sec.lines {
            for unit in measures(cx, line.code) {
                let vals: Vec<Value> = years
                    .iter()
                    .map(|y| cx.value(line.code, &units, period_of(*line, *y), &unit))
                    .collect();
                // The years a sum of years rests on, when it is one and
                // some years have no figure: the sentence says so.
                let mut summed_years: Option<Vec<i32>> = None;
                let whole = if line.stock {
                    vals.last().cloned().unwrap_or_default()
                } else {
                    let mut v = cx.value(line.code, &units, PeriodKey::Range(from, to), &unit);
                    if v.reported.is_none() && v.derived.is_none() && cx.figs.is_summable(line.code)
                    {
                        let sum: Option<Decimal> =
                            vals.iter().filter_map(Value::best).reduce(|a, b| a + b);
                        v.derived = sum;
                        let with: Vec<i32> = years
                            .iter()
                            .zip(&vals)
                            .filter(|(_, v)| v.best().is_some())
                            .map(|(y, _)| *y)
                            .collect();
                        // A sum of reported figures keeps their qualifier
                        // ("hơn 2 tỷ USD"): one shared, or else "about".
                        let quals: Vec<&str> = vals
                            .iter()
                            .filter(|v| v.reported.is_some())
                            .map(|v| v.qualifier.as_str())
                            .filter(|q| *q != "exact")
                            .collect();
                        if let Some(first) = quals.first() {
                            v.reported = v.derived.take();
                            v.qualifier = if quals.iter().all(|q| q == first) {
                                (*first).to_owned()
                            } else {
                                "about".into()
                            };
                        }
                        if with.len() < years.len() {
                            summed_years = Some(with);
                        }
                    }
                    v
                };
                if vals.iter().all(Value::is_empty) && whole.is_empty() {
                    continue;
                }
                let mut cells = vec![
                    Cell::text(cx.line_label(*line)),
                    Cell::text(unit_label(line.code, &unit, lang)),
                ];
                cells.extend(vals.iter().map(|v| opt_cell(v.best(), &unit)));
                cells.push(opt_cell(whole.best(), &unit));
                rows.push(Row {
                    cells,
                    total: false,
                });
                if let Some(v) = whole.best() {
                    let period = if line.stock {
                        PeriodKey::AsOf(to)
                    } else {
                        PeriodKey::Range(from, to)
                    };
                    let q = if whole.reported.is_some() {
                        whole.qualifier.clone()
                    } else {
                        "exact".into()
                    };
                    let who = cx.who.clone();
                    if let Some(mut s) = sentence(line.code, period, &who, v, &unit, &q, None, lang)
                    {
                        if let Some(with) = &summed_years {
                            let list = with
                                .iter()
                                .map(|y| y.to_string())
                                .collect::<Vec<_>>()
                                .join(", ");
                            s.pop();
                            s.push_str(&match lang {
                                Lang::Vi => format!(" (tổng của các năm có số liệu: {list})."),
                                Lang::En => {
                                    format!(" (the sum of the years with figures: {list}).")
                                }
                            });
                        }
                        sentences.push(s);
                    }
                }
            }
        }
        for kind in sec.events {
            let code = format!("events.{kind}");
            let vals: Vec<Value> = years
                .iter()
                .map(|y| cx.value(&code, &units, PeriodKey::Year(*y), "count"))
                .collect();
            if vals.iter().all(Value::is_empty) {
                continue;
            }
            let mut cells = vec![
                Cell::text(event_label(kind, lang)),
                Cell::text(cx.t("sự kiện", "events")),
            ];
            cells.extend(vals.iter().map(|v| opt_cell(v.best(), "count")));
            cells.push(opt_cell(
                vals.iter().filter_map(Value::best).reduce(|a, b| a + b),
                "count",
            ));
            rows.push(Row {
                cells,
                total: false,
            });
        }
        let more = sec.ngos && !cx.work.ngos.is_empty();
        if rows.is_empty() {
            if !more {
                blocks.push(Block::Paragraph(
                    cx.t(
                        "Chưa có số liệu về nội dung này trong giai đoạn.",
                        "No figures on this in the term.",
                    )
                    .into(),
                ));
            }
        } else {
            for s in sentences {
                blocks.push(Block::Paragraph(s));
            }
            let mut columns = vec![
                col(cx.t("Chỉ tiêu", "Indicator"), false),
                col(cx.t("Đơn vị", "Unit"), false),
            ];
            columns.extend(years.iter().map(|y| col(&y.to_string(), true)));
            columns.push(col(cx.t("Cả giai đoạn", "Whole term"), true));
            blocks.push(Block::Table(Table {
                caption: format!("{} {}. {}", cx.t("Bảng", "Table"), si + 1, cx.t(sec.vi, sec.en)),
                columns,
                rows,
                note: Some(
                    cx.t(
                        "Cả giai đoạn: số liệu báo cáo cho cả giai đoạn nếu có, nếu không là tổng các năm; chỉ tiêu lũy kế lấy năm cuối.",
                        "Whole term: the figure reported for the term if any, otherwise the sum of the years; cumulative lines take the last year.",
                    )
                    .into(),
                ),
                sheet: sheet_for(cx.t(sec.vi, sec.en)),
            }));
        }
        let mut extra = tally_tables(cx, sec, from, to);
        if sec.ngos {
            extra.extend(ngo_block(cx, from, to, blocks));
        }
        for (k, mut t) in extra.into_iter().enumerate() {
            t.caption = format!(
                "{} {}.{}. {}",
                cx.t("Bảng", "Table"),
                si + 1,
                k + 1,
                t.caption
            );
            blocks.push(Block::Table(t));
        }
        section_charts(cx, si, &units, from, to, blocks);
    }
    if let Some(mut t) = plans_block(cx, blocks) {
        t.caption = format!(
            "{} {}. {}",
            cx.t("Bảng", "Table"),
            SECTIONS.len() + 1,
            t.caption
        );
        blocks.push(Block::Table(t));
    }
    cumulative(cx, from, to, blocks);
}

/// The lines of the national tables.
const NATIONAL_LINES: &[(&str, &str)] = &[
    ("agreements.signed", "count"),
    ("mous.signed", "count"),
    ("delegations.outbound", "count"),
    ("delegations.inbound", "count"),
    ("fdi.projects", "count"),
    ("fdi.capital.registered", "USD"),
    ("fdi.source_countries", "count"),
    ("oda.projects", "count"),
    ("oda.capital", "USD"),
    ("oda.capital", "VND"),
    ("oda.disbursed", "USD"),
    ("ngo_aid.programs", "count"),
    ("ngo_aid.amount", "USD"),
    ("ngo_aid.amount", "VND"),
    ("ngo_aid.mobilised", "USD"),
    ("trade.export", "USD"),
    ("trade.import", "USD"),
    ("abtc.approved", "people"),
    ("remittances", "USD"),
];

/// The units rows of a national table are: today's 34, or for a year
/// before the merger and when asked, the 63 of that time.
fn national_units(cx: &Ctx, y: i32) -> (Vec<&'static Unit>, bool) {
    let rd = refdata();
    let of_the_time = cx.spec.units_of_the_time && y < 2025;
    let units: Vec<&Unit> = if of_the_time {
        rd.legacy_units().collect()
    } else {
        rd.current_units().collect()
    };
    (units, of_the_time)
}

fn national(cx: &mut Ctx, blocks: &mut Vec<Block>) {
    let lang = cx.lang;
    let y = cx.spec.from;
    let (table_units, of_the_time) = national_units(cx, y);
    let members = |u: &Unit| -> Vec<String> {
        if of_the_time {
            vec![u.slug.clone()]
        } else {
            units_of(&u.slug)
        }
    };
    // Counts of localities are by the units in force that year (63 before
    // the merger, 34 after), whichever units the table's rows use.
    let denominator = units_in_force(y);
    let rd = refdata();
    let count_units: Vec<&Unit> = if y < 2025 {
        rd.legacy_units().collect()
    } else {
        rd.current_units().collect()
    };
    let all: Vec<String> = cx.units.clone();
    let nation = vec!["viet-nam".to_string()];

    blocks.push(Block::Paragraph(match lang {
        Lang::Vi => format!(
            "Bộ Ngoại giao tổng hợp kết quả công tác đối ngoại địa phương năm {y} từ báo cáo và hồ sơ của các tỉnh, thành phố{} như sau:",
            if of_the_time {
                format!(" (theo {} đơn vị hành chính cấp tỉnh của năm {y})", units_in_force(y))
            } else {
                " (theo 34 đơn vị hành chính cấp tỉnh hiện nay)".into()
            }
        ),
        Lang::En => format!(
            "The Ministry of Foreign Affairs sums up the local foreign affairs of {y} from the provinces' reports and records{}:",
            if of_the_time {
                format!(" (by the {} provincial units of {y})", units_in_force(y))
            } else {
                " (by today's 34 provincial units)".into()
            }
        ),
    }));
    blocks.push(Block::Heading {
        level: 1,
        text: format!(
            "I. {}",
            cx.t("CÁC CHỈ TIÊU CHÍNH TOÀN QUỐC", "KEY FIGURES NATIONWIDE")
        ),
    });
    let mut rows = vec![];
    let mut sentences = vec![];
    let mut any_province_figure = false;
    for (code, unit) in NATIONAL_LINES {
        let reported = cx.value(code, &nation, PeriodKey::Year(y), unit);
        let provinces = cx.value(code, &all, PeriodKey::Year(y), unit);
        let prev_rep = cx.value(code, &nation, PeriodKey::Year(y - 1), unit);
        let prev_prov = cx.value(code, &all, PeriodKey::Year(y - 1), unit);
        // How many units of that year have a figure.
        let with: usize = count_units
            .iter()
            .filter(|u| {
                cx.figs
                    .value(
                        code,
                        std::slice::from_ref(&u.slug),
                        PeriodKey::Year(y),
                        unit,
                    )
                    .best()
                    .is_some_and(|v| !v.is_zero())
            })
            .count();
        if reported.is_empty() && provinces.is_empty() {
            continue;
        }
        let national_value = reported.reported.or(provinces.best());
        let prev_value = prev_rep.reported.or(prev_prov.best());
        let change = match (national_value, prev_value) {
            (Some(c), Some(p)) => change_pct(c, p),
            _ => reported.change_pct,
        };
        let mut notes = vec![];
        if let (Some(r), Some(p)) = (reported.reported, provinces.best())
            && r != p
        {
            notes.push(
                cx.t(
                    "tổng các địa phương khác số cả nước đã báo cáo",
                    "the provinces' sum differs from the national figure",
                )
                .to_owned(),
            );
        }
        rows.push(Row {
            cells: vec![
                Cell::text(cx.name(code)),
                Cell::text(unit_label(code, unit, lang)),
                opt_cell(reported.reported, unit),
                if cx.figs.is_summable(code) {
                    opt_cell(provinces.best(), unit)
                } else {
                    Cell::Empty
                },
                Cell::text(format!("{with}/{denominator}")),
                Cell::change(change),
                Cell::text(notes.join("; ")),
            ],
            total: false,
        });
        if let Some(v) = national_value {
            let who = cx.who.clone();
            let q = if reported.reported.is_some() {
                reported.qualifier.clone()
            } else {
                "exact".into()
            };
            if let Some(mut s) = sentence(
                code,
                PeriodKey::Year(y),
                &who,
                v,
                unit,
                &q,
                change.map(|c| (c, y - 1)),
                lang,
            ) {
                if with > 0 {
                    s.pop();
                    s.push_str(&format!(
                        " ({}: {with}/{denominator}).",
                        cx.t("số tỉnh, thành có số liệu", "provinces with figures")
                    ));
                }
                any_province_figure |= with > 0;
                sentences.push(s);
            }
        }
    }
    if !sentences.is_empty() && !any_province_figure {
        // Said once, rather than "0/63" after every sentence.
        sentences.push(match lang {
            Lang::Vi => format!(
                "Các số liệu trên là số liệu tổng hợp toàn quốc đã báo cáo; hệ thống chưa có số liệu của từng tỉnh, thành cho năm {y} (0/{denominator})."
            ),
            Lang::En => format!(
                "The figures above are the national totals as reported; there are no figures of single provinces for {y} yet (0/{denominator})."
            ),
        });
    }
    for s in sentences {
        blocks.push(Block::Paragraph(s));
    }
    blocks.push(Block::Table(Table {
        caption: format!("{} 1. {} {y}", cx.t("Bảng", "Table"), cx.t("Các chỉ tiêu chính toàn quốc năm", "Key figures nationwide,")),
        columns: vec![
            col(cx.t("Chỉ tiêu", "Indicator"), false),
            col(cx.t("Đơn vị", "Unit"), false),
            col(cx.t("Cả nước (báo cáo)", "Nationwide (reported)"), true),
            col(cx.t("Tổng các địa phương", "Sum of provinces"), true),
            col(cx.t("Số địa phương có số liệu", "Provinces with figures"), true),
            col(&format!("{} {}", cx.t("So với", "Change on"), y - 1), true),
            col(cx.t("Ghi chú", "Notes"), false),
        ],
        rows,
        note: Some(
            cx.t(
                "Cả nước: số liệu Bộ Ngoại giao đã báo cáo; tổng các địa phương: cộng số liệu báo cáo hoặc hồ sơ của từng địa phương (chỉ với chỉ tiêu cộng được).",
                "Nationwide: the figure the Ministry reported; sum of provinces: each province's reported or recorded figure added up (only for indicators that may be summed).",
            )
            .into(),
        ),
        sheet: cx.t("Toàn quốc", "Nationwide").into(),
    }));

    // By province.
    blocks.push(Block::Heading {
        level: 1,
        text: format!(
            "II. {}",
            cx.t("SỐ LIỆU THEO ĐỊA PHƯƠNG", "FIGURES BY PROVINCE")
        ),
    });
    let cols: &[(&str, &str, &str, &str)] = &[
        ("agreements.signed", "count", "Thỏa thuận", "Agreements"),
        ("mous.signed", "count", "Bản ghi nhớ", "Memoranda"),
        ("delegations.outbound", "count", "Đoàn ra", "Sent"),
        ("delegations.inbound", "count", "Đoàn vào", "Received"),
        ("fdi.projects", "count", "Dự án FDI", "FDI projects"),
        (
            "fdi.capital.registered",
            "USD",
            "Vốn FDI (triệu USD)",
            "FDI (million USD)",
        ),
        (
            "ngo_aid.amount",
            "USD",
            "Viện trợ PCP (triệu USD)",
            "NGO aid (million USD)",
        ),
    ];
    let mut sorted = table_units.clone();
    sorted.sort_by_key(|u| vi_sort_key(&u.short_name));
    let mut rows = vec![];
    let mut totals: Vec<Option<Decimal>> = vec![None; cols.len()];
    let mut ranking: Vec<(String, f64)> = vec![];
    for u in &sorted {
        let m = members(u);
        let mut cells = vec![Cell::text(u.short_name.clone())];
        for (i, (code, unit, _, _)) in cols.iter().enumerate() {
            let v = cx.value(code, &m, PeriodKey::Year(y), unit).best();
            if let Some(v) = v {
                totals[i] = Some(totals[i].unwrap_or_default() + v);
            }
            if *code == "fdi.capital.registered" {
                ranking.push((
                    u.short_name.clone(),
                    v.and_then(|v| v.to_f64()).unwrap_or(0.0) / 1e6,
                ));
            }
            cells.push(opt_cell(v, unit));
        }
        rows.push(Row {
            cells,
            total: false,
        });
    }
    let mut total_cells = vec![Cell::text(cx.t("Tổng cộng", "Total"))];
    total_cells.extend(
        cols.iter()
            .zip(&totals)
            .map(|((_, unit, _, _), t)| opt_cell(*t, unit)),
    );
    rows.push(Row {
        cells: total_cells,
        total: true,
    });
    let mut columns = vec![col(cx.t("Tỉnh, thành phố", "Province"), false)];
    columns.extend(
        cols.iter()
            .map(|(_, _, vi, en)| col(lang.pick(vi, en), true)),
    );
    blocks.push(Block::Table(Table {
        caption: format!(
            "{} 2. {} {y}",
            cx.t("Bảng", "Table"),
            cx.t("Số liệu theo địa phương năm", "Figures by province,")
        ),
        columns,
        rows,
        note: Some(
            cx.t(
                "Mỗi ô là số liệu địa phương báo cáo, nếu không có thì tổng hợp từ hồ sơ.",
                "Each cell is the province's reported figure, or else what its records add up to.",
            )
            .into(),
        ),
        sheet: cx.t("Theo địa phương", "By province").into(),
    }));
    if let Some(chart) = ranked_chart(
        ranking,
        format!(
            "{} {y}",
            cx.t(
                "Xếp hạng địa phương theo vốn FDI đăng ký năm",
                "Provinces ranked by FDI registered capital,"
            )
        ),
        cx.t("triệu USD", "million USD"),
        2,
        cx.t("Xếp hạng FDI", "FDI ranking"),
        cx.t("Vốn FDI đăng ký", "FDI registered capital"),
    ) {
        blocks.push(Block::Chart(chart));
    }
    let mut deleg: Vec<(String, f64)> = sorted
        .iter()
        .map(|u| {
            let m = members(u);
            let n: Decimal = ["delegations.outbound", "delegations.inbound"]
                .iter()
                .filter_map(|c| cx.figs.value(c, &m, PeriodKey::Year(y), "count").best())
                .sum();
            (u.short_name.clone(), n.to_f64().unwrap_or(0.0))
        })
        .collect();
    deleg.retain(|(_, v)| *v > 0.0);
    if let Some(chart) = ranked_chart(
        deleg,
        format!(
            "{} {y}",
            cx.t(
                "Xếp hạng địa phương theo số đoàn ra, đoàn vào năm",
                "Provinces ranked by delegations,"
            )
        ),
        cx.t("đoàn", "delegations"),
        0,
        cx.t("Xếp hạng đoàn", "Delegation ranking"),
        cx.t("Đoàn ra và đoàn vào", "Delegations"),
    ) {
        blocks.push(Block::Chart(chart));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_decree_30_writes_them() {
        let d = time::macros::date!(2023 - 02 - 05);
        assert_eq!(date_words(d, Lang::Vi), "ngày 05 tháng 02 năm 2023");
        let d = time::macros::date!(2022 - 12 - 20);
        assert_eq!(date_words(d, Lang::Vi), "ngày 20 tháng 12 năm 2022");
        assert_eq!(office_symbol("Sở Ngoại vụ"), "SNV");
    }
}

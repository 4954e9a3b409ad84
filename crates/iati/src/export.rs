//! IATI 2.03 export. Element order follows the `iati-activity` sequence of
//! `iati-activities-schema.xsd`: identifier, reporting-org, title,
//! description, participating-org, activity-status, activity-date,
//! recipient-country, location, sector, budget, transaction.

use ngoaivu_core::records::{
    FundSource, Project, ProjectKind, RecordType, TransactionKind, TransactionStage,
};
use ngoaivu_core::refdata::{CodeSet, Unit, refdata};
use ngoaivu_core::values::{Money, SECTORS};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::mapping::*;
use crate::xml::Writer;
use crate::{ExportProject, NV_NS, ORG_REF_PREFIX, Publisher};

/// The publisher's IATI organisation ref in ngoaivu's own, unregistered
/// scheme: `VN-NGOAIVU-<org slug>` (see the crate documentation for what a
/// real publisher must register instead).
pub fn org_ref(publisher: &Publisher) -> String {
    format!("{ORG_REF_PREFIX}-{}", publisher.org_slug)
}

/// The document for `projects`, with the publisher's ref in ngoaivu's
/// scheme ([`org_ref`]).
pub fn export(
    publisher: &Publisher,
    projects: &[ExportProject],
    generated: OffsetDateTime,
) -> String {
    export_with_ref(publisher, &org_ref(publisher), projects, generated)
}

/// The same, with a registered organisation identifier (`VN-COA-…`,
/// `XI-IATI-…`) as the reporting org's ref and the identifiers' prefix.
pub fn export_with_ref(
    publisher: &Publisher,
    reporting_ref: &str,
    projects: &[ExportProject],
    generated: OffsetDateTime,
) -> String {
    let mut w = Writer::new();
    let generated = datetime(generated);
    w.open(
        "iati-activities",
        &[
            ("version", "2.03"),
            ("generated-datetime", &generated),
            ("xmlns:nv", NV_NS),
        ],
    );
    for p in projects {
        // A body stored before the transactions holds `disbursements`.
        let mut body = p.body.clone();
        if let Some(o) = body.as_object_mut() {
            RecordType::Project.upgrade(o);
        }
        let project: Project = match serde_json::from_value(body) {
            Ok(project) => project,
            Err(e) => {
                w.comment(&format!(
                    "project {} left out: its body does not read as a project ({e})",
                    p.id
                ));
                continue;
            }
        };
        if project.kind != "oda" && project.kind != "ngo_aid" {
            // FDI is investment, not aid: IATI has no place for it.
            continue;
        }
        activity(&mut w, publisher, reporting_ref, p, &project);
    }
    w.close("iati-activities");
    w.out
}

fn datetime(t: OffsetDateTime) -> String {
    t.replace_nanosecond(0)
        .unwrap_or(t)
        .format(&Rfc3339)
        .unwrap_or_default()
}

fn amount(m: &Money) -> String {
    // `normalize` drops trailing zeros; Decimal's Display never uses an
    // exponent, so this is always a valid xsd:decimal.
    m.amount.0.normalize().to_string()
}

/// The unit a project is located in: its locality, else the publisher's.
fn unit_of<'a>(project: &Project, publisher: &Publisher) -> Option<&'a Unit> {
    let r = refdata();
    project
        .locality
        .as_deref()
        .and_then(|s| r.unit(s))
        .or_else(|| r.unit(&publisher.unit_code))
}

/// The `location/@ref` of a unit: its Statistics Office code with the code
/// set, because seven codes name different units before and after 2025.
pub(crate) fn unit_ref(u: &Unit) -> String {
    match u.code_set {
        CodeSet::Y2025 => format!("VN-GSO-2025-{}", u.code),
        CodeSet::Legacy => format!("VN-GSO-LEGACY-{}", u.code),
    }
}

fn unit_name_en(u: &Unit) -> String {
    match u.kind.as_str() {
        "city" => format!("{} City", u.short_name),
        _ => format!("{} Province", u.short_name),
    }
}

/// "Tỉnh Đắk Lắk" → "tỉnh Đắk Lắk", as it reads after "Ủy ban nhân dân".
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn activity(
    w: &mut Writer,
    publisher: &Publisher,
    reporting_ref: &str,
    p: &ExportProject,
    project: &Project,
) {
    let identifier = format!("{reporting_ref}-{}", p.id);
    let updated = datetime(p.updated_at);
    let unit = unit_of(project, publisher);
    let updated_date = ngoaivu_core::values::format_date(p.updated_at.date());

    // The dates: IATI needs at least one activity-date. Without a period the
    // approval date stands in as the planned start, else the record's last
    // update; `nv:start-substitute` says so, so that our importer does not
    // read it back as a start date.
    let mut dates: Vec<(&str, String)> = Vec::new();
    if let Some(from) = &project.period_from {
        dates.push((if started(project.status) { "2" } else { "1" }, from.iso()));
    }
    if let Some(until) = &project.period_until {
        dates.push((if ended(project.status) { "4" } else { "3" }, until.iso()));
    }
    let substitute = if dates.is_empty() {
        dates.push((
            "1",
            project
                .approved_on
                .map_or_else(|| updated_date.clone(), |d| d.iso()),
        ));
        true
    } else {
        false
    };

    let default_currency = project
        .capital
        .as_ref()
        .or(project.transactions.first().map(|t| &t.amount))
        .or(project.disbursed.as_ref())
        .map(|m| m.currency.clone());
    let disbursed_amount = project.disbursed.as_ref().map(amount);

    let mut attrs: Vec<(&str, &str)> =
        vec![("last-updated-datetime", &updated), ("xml:lang", "vi")];
    if let Some(c) = &default_currency {
        attrs.push(("default-currency", c));
    }
    attrs.push(("nv:kind", project.kind.code()));
    attrs.push(("nv:status", project.status.code()));
    if let Some(c) = &project.country {
        attrs.push(("nv:country", c));
    }
    let approved_on = project.approved_on.map(|d| d.iso());
    if let Some(a) = &approved_on {
        attrs.push(("nv:approved-on", a));
    }
    if let (Some(a), Some(m)) = (&disbursed_amount, &project.disbursed) {
        attrs.push(("nv:disbursed", a));
        attrs.push(("nv:disbursed-currency", &m.currency));
    }
    if substitute {
        attrs.push(("nv:start-substitute", "true"));
    }
    w.open("iati-activity", &attrs);

    w.leaf("iati-identifier", &[], &identifier);

    w.open(
        "reporting-org",
        &[("ref", reporting_ref), ("type", ORG_TYPE_LOCAL_GOVERNMENT)],
    );
    w.leaf("narrative", &[("xml:lang", "vi")], &publisher.org_name_vi);
    w.leaf("narrative", &[("xml:lang", "en")], &publisher.org_name_en);
    w.close("reporting-org");

    // ngoaivu keeps a project's name in Vietnamese only; the English
    // narrative repeats it (a proper name reads the same in an English list)
    // rather than leave English readers without a title.
    w.open("title", &[]);
    w.leaf("narrative", &[("xml:lang", "vi")], &project.name);
    w.leaf("narrative", &[("xml:lang", "en")], &project.name);
    w.close("title");

    // The project has no description field; the schema requires one, so it
    // is composed from the facts the body holds.
    let (desc_vi, desc_en) = description(project, p, unit, publisher);
    w.open("description", &[("type", "1")]);
    w.leaf("narrative", &[("xml:lang", "vi")], &desc_vi);
    w.leaf("narrative", &[("xml:lang", "en")], &desc_en);
    w.close("description");

    if let Some(donor) = p
        .donor_name
        .as_deref()
        .filter(|d| !crate::xml::clean(d).is_empty())
    {
        let org_type = if project.kind == "ngo_aid" {
            Some(ORG_TYPE_INTERNATIONAL_NGO)
        } else if p.donor_country.is_some() {
            Some(ORG_TYPE_GOVERNMENT)
        } else {
            None
        };
        let mut a = vec![("role", ROLE_FUNDING)];
        if let Some(t) = org_type {
            a.push(("type", t));
        }
        w.open("participating-org", &a);
        // A name is a name: no language.
        w.leaf("narrative", &[], donor);
        w.close("participating-org");
    }
    let (committee_vi, committee_en) = match unit {
        Some(u) => {
            let current = refdata().successor(&u.slug).unwrap_or(u);
            (
                format!("Ủy ban nhân dân {}", lower_first(&current.name)),
                format!("People's Committee of {}", unit_name_en(current)),
            )
        }
        None => (
            format!("Ủy ban nhân dân {}", lower_first(&publisher.unit_name)),
            format!("People's Committee of {}", publisher.unit_name),
        ),
    };
    w.open(
        "participating-org",
        &[
            ("role", ROLE_ACCOUNTABLE),
            ("type", ORG_TYPE_LOCAL_GOVERNMENT),
        ],
    );
    w.leaf("narrative", &[("xml:lang", "vi")], &committee_vi);
    w.leaf("narrative", &[("xml:lang", "en")], &committee_en);
    w.close("participating-org");

    w.empty(
        "activity-status",
        &[("code", status_to_iati(project.status))],
    );
    for (t, d) in &dates {
        w.empty("activity-date", &[("type", t), ("iso-date", d)]);
    }
    w.empty(
        "recipient-country",
        &[("code", "VN"), ("percentage", "100")],
    );

    if let Some(u) = unit {
        let r = unit_ref(u);
        w.open("location", &[("ref", &r)]);
        w.empty("location-reach", &[("code", "1")]);
        w.open("name", &[]);
        w.leaf("narrative", &[("xml:lang", "vi")], &u.name);
        w.leaf("narrative", &[("xml:lang", "en")], &unit_name_en(u));
        w.close("name");
        if let Some(place) = project
            .location
            .as_deref()
            .filter(|l| !crate::xml::clean(l).is_empty())
        {
            w.open("description", &[]);
            w.leaf("narrative", &[("xml:lang", "vi")], place);
            w.close("description");
        }
        w.empty("location-class", &[("code", "1")]);
        w.close("location");
    }

    if let Some(dac) = project.sector.as_deref().and_then(sector_to_dac) {
        w.empty(
            "sector",
            &[("vocabulary", "1"), ("code", dac), ("percentage", "100")],
        );
    }

    if let (Some(capital), Some(from), Some(until)) = (
        &project.capital,
        &project.period_from,
        &project.period_until,
    ) {
        // One budget for the whole period: ngoaivu records the committed
        // total, not a yearly split. IATI's rules (not the schema) ask for
        // budget periods of at most a year; splitting the total evenly
        // would invent figures, so a longer project's budget breaks that
        // rule knowingly and the commitment below carries the same total.
        let value = amount(capital);
        let (from, until) = (from.iso(), until.iso());
        w.open("budget", &[("type", "1"), ("status", "2")]);
        w.empty("period-start", &[("iso-date", &from)]);
        w.empty("period-end", &[("iso-date", &until)]);
        w.leaf(
            "value",
            &[("currency", &capital.currency), ("value-date", &from)],
            &value,
        );
        w.close("budget");
    }

    if let Some(capital) = &project.capital {
        // The committed capital is an outgoing commitment (type 2) of the
        // funder, dated when it was approved; without an approval date, the
        // start, else the record's last update (nv:approved-on is what reads back).
        let on = project
            .approved_on
            .or(project.period_from)
            .map_or_else(|| updated_date.clone(), |d| d.iso());
        transaction(w, "2", &on, capital);
    }
    // The donor's money that moved: actual disbursements (type 3) and
    // expenditures (4) of foreign funds. Planned money and counterpart
    // funds are not the donor's transactions; further commitments are in
    // the capital above.
    for t in &project.transactions {
        let code = match t.kind {
            TransactionKind::Disbursement => "3",
            TransactionKind::Expenditure => "4",
            TransactionKind::Commitment => continue,
        };
        if t.stage == TransactionStage::Actual && t.source == FundSource::Foreign {
            transaction(w, code, &t.on.iso(), &t.amount);
        }
    }
    w.close("iati-activity");
}

fn transaction(w: &mut Writer, kind: &str, on: &str, money: &Money) {
    let value = amount(money);
    w.open("transaction", &[]);
    w.empty("transaction-type", &[("code", kind)]);
    w.empty("transaction-date", &[("iso-date", on)]);
    w.leaf(
        "value",
        &[("currency", &money.currency), ("value-date", on)],
        &value,
    );
    w.close("transaction");
}

fn description(
    project: &Project,
    p: &ExportProject,
    unit: Option<&Unit>,
    publisher: &Publisher,
) -> (String, String) {
    // The title already carries the name; the description says what kind
    // of aid it is, who funds it, its sector and where.
    let (mut vi, mut en) = match project.kind {
        ProjectKind::NgoAid => (
            "Khoản viện trợ phi chính phủ nước ngoài.".to_owned(),
            "Foreign non-governmental aid.".to_owned(),
        ),
        ProjectKind::Oda => ("Dự án ODA.".to_owned(), "ODA project.".to_owned()),
        // Not exported (investment is not aid), named for completeness.
        ProjectKind::Fdi => (
            "Dự án đầu tư trực tiếp nước ngoài.".to_owned(),
            "Foreign direct investment project.".to_owned(),
        ),
    };
    if let Some(d) = &p.donor_name {
        vi.push_str(&format!(" Nhà tài trợ: {}.", d.trim()));
        en.push_str(&format!(" Donor: {}.", d.trim()));
    }
    if let Some((_, s_vi, s_en)) = project
        .sector
        .as_deref()
        .and_then(|s| SECTORS.iter().find(|(c, ..)| *c == s))
    {
        vi.push_str(&format!(" Lĩnh vực: {}.", s_vi.to_lowercase()));
        en.push_str(&format!(" Sector: {}.", s_en.to_lowercase()));
    }
    match unit {
        Some(u) => {
            vi.push_str(&format!(" Địa bàn: {}.", u.name));
            en.push_str(&format!(" Location: {}.", unit_name_en(u)));
        }
        None => {
            vi.push_str(&format!(" Địa bàn: {}.", publisher.unit_name));
            en.push_str(&format!(" Location: {}.", publisher.unit_name));
        }
    }
    (vi, en)
}

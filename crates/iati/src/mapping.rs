//! How ngoaivu's vocabulary maps onto IATI's codelists. Each table here is
//! also written out in `data/iati/README.md`; keep the two in step.

use ngoaivu_core::records::ProjectStatus;

/// ngoaivu sector code → OECD DAC CRS 5-digit purpose code (IATI
/// `SectorVocabulary` 1). One DAC code per ngoaivu sector and no DAC code
/// twice, so the table reads back one-to-one on import; a DAC code not in
/// the table (for example 15250, mine clearance) is not guessed back into a
/// ngoaivu sector. Where the ngoaivu sector is broad, the DAC code is the
/// sector's "policy and administrative management" or general development
/// code: what a province can state without knowing the project's detail.
pub const SECTOR_DAC: [(&str, &str); 20] = [
    ("agriculture", "31120"),    // Agricultural development
    ("aquaculture", "31320"),    // Fishery development
    ("industry", "32120"),       // Industrial development
    ("energy", "23110"),         // Energy policy and administrative management
    ("infrastructure", "21010"), // Transport policy and administrative management
    ("trade", "33110"),          // Trade policy and administrative management
    ("investment", "25010"),     // Business policy and administration
    ("tourism", "33210"),        // Tourism policy and administrative management
    ("education", "11110"),      // Education policy and administrative management
    ("health", "12110"),         // Health policy and administrative management
    ("culture", "16061"),        // Culture and recreation
    ("environment", "41010"),    // Environmental policy and administrative management
    ("water", "14010"),          // Water sector policy and administrative management
    ("technology", "43082"),     // Research/scientific institutions
    ("finance", "24010"),        // Financial policy and administrative management
    ("labour", "16020"),         // Employment creation
    ("social", "16010"),         // Social Protection
    ("governance", "15110"),     // Public sector policy and administrative management
    ("security", "15210"),       // Security system management and reform
    ("other", "99810"),          // Sectors not specified
];

pub fn sector_to_dac(sector: &str) -> Option<&'static str> {
    SECTOR_DAC
        .iter()
        .find(|(s, _)| *s == sector)
        .map(|(_, d)| *d)
}

pub fn dac_to_sector(dac: &str) -> Option<&'static str> {
    SECTOR_DAC.iter().find(|(_, d)| *d == dac).map(|(s, _)| *s)
}

/// ngoaivu project status → IATI `ActivityStatus`. The three stages before
/// work starts (proposed, appraisal, approved) are all "1
/// Pipeline/identification" in IATI; the exact ngoaivu status travels in the
/// `nv:status` extension attribute so our own files read back exactly.
/// `completed` is "4 Closed" (ngoaivu closes a project when it is
/// finished; it has no finalisation stage).
pub fn status_to_iati(status: ProjectStatus) -> &'static str {
    match status {
        ProjectStatus::Proposed | ProjectStatus::Appraisal | ProjectStatus::Approved => "1",
        ProjectStatus::Active => "2",
        ProjectStatus::Completed => "4",
        ProjectStatus::Cancelled => "5",
        ProjectStatus::Suspended => "6",
    }
}

/// IATI `ActivityStatus` → ngoaivu status. "1" is `proposed`, or
/// `approved` when the activity carries a commitment (an approval).
/// "3 Finalisation" (work done, accounts open) is `completed`.
pub fn status_from_iati(code: &str, has_commitment: bool) -> Option<&'static str> {
    Some(match code {
        "1" if has_commitment => "approved",
        "1" => "proposed",
        "2" => "active",
        "3" | "4" => "completed",
        "5" => "cancelled",
        "6" => "suspended",
        _ => return None,
    })
}

/// Whether the project's work has started, so that its start date is an
/// actual (type 2) rather than a planned (type 1) one.
pub fn started(status: ProjectStatus) -> bool {
    matches!(
        status,
        ProjectStatus::Active | ProjectStatus::Completed | ProjectStatus::Suspended
    )
}

/// Whether the project's end date is an actual one (type 4).
pub fn ended(status: ProjectStatus) -> bool {
    status == ProjectStatus::Completed
}

/// `OrganisationType` of a provincial body (the reporting department and
/// the provincial People's Committee): "11 Local Government", "any local
/// (sub national) government organisation in either donor or recipient
/// country".
pub const ORG_TYPE_LOCAL_GOVERNMENT: &str = "11";
/// `OrganisationType` written for a foreign NGO donor ("21 International
/// NGO"; ngoaivu's foreign NGOs are by definition international).
pub const ORG_TYPE_INTERNATIONAL_NGO: &str = "21";
/// `OrganisationType` written for an ODA donor with a country (a donor
/// government or its agency: JICA, KOICA…). An ODA donor without a country
/// (a multilateral bank, a UN body) gets no type rather than a guess.
pub const ORG_TYPE_GOVERNMENT: &str = "10";
/// NGO types: a funder of one of these makes an imported activity `ngo_aid`.
pub const NGO_TYPES: [&str; 4] = ["21", "22", "23", "24"];
/// Private-sector types: an activity funded only by these is investment,
/// not aid, and is skipped on import.
pub const PRIVATE_TYPES: [&str; 4] = ["70", "71", "72", "73"];

/// `OrganisationRole` of the donor: "1 Funding".
pub const ROLE_FUNDING: &str = "1";
/// `OrganisationRole` of the province: "2 Accountable", "an organisation
/// responsible for oversight of the activity and its outcomes". Under
/// Vietnamese rules (Nghị định 114/2021/NĐ-CP for ODA, Nghị định
/// 80/2020/NĐ-CP for foreign NGO aid) the provincial People's Committee is
/// the governing body (cơ quan chủ quản) that approves and oversees the
/// project. It is not "4 Implementing" (a department, a district or the NGO
/// itself carries the work out, and ngoaivu does not record which) nor "3
/// Extending" (managing the budget on the funder's behalf).
pub const ROLE_ACCOUNTABLE: &str = "2";

/// Codes written as fixed values, with their list, for the codelist test.
pub const FIXED_CODES: &[(&str, &str)] = &[
    ("ActivityDateType", "1"),
    ("ActivityDateType", "2"),
    ("ActivityDateType", "3"),
    ("ActivityDateType", "4"),
    ("BudgetType", "1"),
    ("BudgetStatus", "2"),
    ("Country", "VN"),
    ("DescriptionType", "1"),
    ("GeographicLocationClass", "1"),
    ("GeographicLocationReach", "1"),
    ("Language", "vi"),
    ("Language", "en"),
    ("OrganisationRole", ROLE_FUNDING),
    ("OrganisationRole", ROLE_ACCOUNTABLE),
    ("OrganisationType", ORG_TYPE_LOCAL_GOVERNMENT),
    ("OrganisationType", ORG_TYPE_INTERNATIONAL_NGO),
    ("OrganisationType", ORG_TYPE_GOVERNMENT),
    ("SectorVocabulary", "1"),
    ("TransactionType", "2"),
    ("TransactionType", "3"),
];

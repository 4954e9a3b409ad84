//! The channel between provinces and Vietnam's missions abroad: requests
//! (đề nghị) a province sends to a mission, their thread and status, the
//! market notes missions publish, and the matching that suggests missions,
//! partners and notes for a request. Pure rules, no I/O: the store applies
//! them inside its transactions.
//!
//! The channel is not a record type. Its scope rule differs from the
//! records' one (own organisation, or everything for the Ministry): a
//! request is seen by the province that sent it, the one mission it is
//! addressed to, and the Ministry; nobody else. Market notes are read by
//! every signed-in organisation (they are meant to be spread) and written
//! only by the mission that publishes them.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

use crate::codes::{CountryCode, SectorCode};
use crate::error::{Invalid, Problem};
use crate::refdata::refdata;
use crate::values::Date;
use crate::values::{SECTORS, check_one_of, check_required_text, parse_date};
use crate::{Actor, Lang, OrgKind};

/// The schema of a closed list of codes, written inline where it is used
/// (as the document always wrote the channel's).
fn codes_schema<'a>(codes: impl IntoIterator<Item = &'a str>) -> Schema {
    let codes: Vec<&str> = codes.into_iter().collect();
    json_schema!({"type": "string", "enum": codes})
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Sent, or answered back by the province: the mission has the turn.
    Open,
    /// The mission answered; the province may follow up or let it close.
    Answered,
    /// The mission asked the province something: the province has the turn.
    AskedBack,
    /// Done. Nothing more may be written.
    Closed,
}

impl JsonSchema for RequestStatus {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RequestStatus".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        codes_schema(RequestStatus::ALL.map(RequestStatus::as_str))
    }
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 4] = [
        RequestStatus::Open,
        RequestStatus::Answered,
        RequestStatus::AskedBack,
        RequestStatus::Closed,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Open => "open",
            RequestStatus::Answered => "answered",
            RequestStatus::AskedBack => "asked_back",
            RequestStatus::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<RequestStatus> {
        RequestStatus::ALL.into_iter().find(|v| v.as_str() == s)
    }
    /// The status of a request from the Ministry to a province (asking
    /// it to correct a record): whose turn it is, named for that case.
    pub fn label_from_ministry(self, lang: Lang) -> &'static str {
        match self {
            RequestStatus::Open => lang.pick("Chờ địa phương", "Awaiting the province"),
            RequestStatus::AskedBack => {
                lang.pick("Chờ Bộ Ngoại giao bổ sung", "Awaiting the Ministry")
            }
            _ => self.label(lang),
        }
    }
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            RequestStatus::Open => lang.pick("Chờ cơ quan đại diện", "Awaiting the mission"),
            RequestStatus::Answered => lang.pick("Đã trả lời", "Answered"),
            RequestStatus::AskedBack => {
                lang.pick("Chờ địa phương bổ sung", "Awaiting the province")
            }
            RequestStatus::Closed => lang.pick("Đã đóng", "Closed"),
        }
    }
}

/// What a message in a request's thread does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The province writes more (an answer to a question, a follow-up).
    Reply,
    /// The mission answers.
    Answer,
    /// The mission asks the province for more information.
    AskBack,
    /// The mission (or the sending province) closes the request.
    Close,
}

impl JsonSchema for Action {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ChannelAction".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        codes_schema(Action::ALL.map(Action::as_str))
    }
}

impl Action {
    pub const ALL: [Action; 4] = [
        Action::Reply,
        Action::Answer,
        Action::AskBack,
        Action::Close,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Reply => "reply",
            Action::Answer => "answer",
            Action::AskBack => "ask_back",
            Action::Close => "close",
        }
    }
    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|v| v.as_str() == s)
    }
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Action::Reply => lang.pick("Bổ sung", "Reply"),
            Action::Answer => lang.pick("Trả lời", "Answer"),
            Action::AskBack => lang.pick("Đề nghị bổ sung thông tin", "Ask back"),
            Action::Close => lang.pick("Đóng đề nghị", "Close"),
        }
    }
}

/// How a caller stands to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// The organisation that sent it: a province (to a mission), or the
    /// Ministry (to a province, asking it to correct one of its records).
    Sender,
    /// The organisation it is addressed to, which answers: a mission, or
    /// the province the Ministry wrote to.
    Addressee,
    /// The Ministry: reads every request, writes in none.
    Ministry,
    /// Anyone else: the request does not exist for them.
    Outsider,
}

impl Party {
    pub fn of(actor: &Actor, from_org: i64, to_org: i64) -> Party {
        if actor.org_id == from_org {
            Party::Sender
        } else if actor.org_id == to_org {
            Party::Addressee
        } else if actor.org_kind == OrgKind::Ministry {
            Party::Ministry
        } else {
            Party::Outsider
        }
    }
    /// As [`Party::of`], by the organisations' slugs (what a read row holds).
    pub fn by_slug(actor: &Actor, from_slug: &str, to_slug: &str) -> Party {
        if actor.org_slug == from_slug {
            Party::Sender
        } else if actor.org_slug == to_slug {
            Party::Addressee
        } else if actor.org_kind == OrgKind::Ministry {
            Party::Ministry
        } else {
            Party::Outsider
        }
    }
}

/// Which requests a caller reaches; the backends turn it into SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The Ministry: every request.
    All,
    /// A province or a mission: the requests it sent or that are addressed
    /// to it (a mission's are all addressed to it; a province's, sent to
    /// missions, or from the Ministry about its records).
    Org(i64),
}

impl Reach {
    pub fn of(actor: &Actor) -> Reach {
        match actor.org_kind {
            OrgKind::Ministry => Reach::All,
            OrgKind::Province | OrgKind::Mission => Reach::Org(actor.org_id),
        }
    }
    pub fn allows(self, from_org: i64, to_org: i64) -> bool {
        match self {
            Reach::All => true,
            Reach::Org(id) => id == from_org || id == to_org,
        }
    }
}

/// Why the channel refused a change. Each is answered with 403 and its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A viewer account.
    ReadOnlyRole,
    /// Only provinces send requests.
    OnlyProvincesSend,
    /// A province's request goes to missions, not to provinces or the Ministry.
    NotAMission,
    /// The Ministry's request goes to a province (about its records).
    NotAProvince,
    /// The request is closed.
    Closed,
    /// Answering and asking back are the mission's.
    OnlyMissionAnswers,
    /// Replying is the sending province's.
    OnlySenderReplies,
    /// The Ministry follows every request but writes in none.
    MinistryObserves,
    /// Only missions publish market notes.
    OnlyMissionsPublish,
    /// Only provinces follow sectors and countries.
    OnlyProvincesFollow,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::ReadOnlyRole => "read_only_role",
            Refusal::OnlyProvincesSend => "only_provinces_send",
            Refusal::NotAMission => "not_a_mission",
            Refusal::NotAProvince => "not_a_province",
            Refusal::Closed => "request_closed",
            Refusal::OnlyMissionAnswers => "only_mission_answers",
            Refusal::OnlySenderReplies => "only_sender_replies",
            Refusal::MinistryObserves => "ministry_observes",
            Refusal::OnlyMissionsPublish => "only_missions_publish",
            Refusal::OnlyProvincesFollow => "only_provinces_follow",
        }
    }
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            Refusal::ReadOnlyRole => lang.pick(
                "Tài khoản chỉ có quyền xem, không được gửi hay trả lời đề nghị.",
                "This account may only read, not send or answer requests.",
            ),
            Refusal::OnlyProvincesSend => lang.pick(
                "Chỉ địa phương gửi đề nghị tới cơ quan đại diện, và Bộ Ngoại giao gửi đề nghị tới địa phương.",
                "Only provinces send requests (to missions), and the Ministry (to provinces).",
            ),
            Refusal::NotAProvince => lang.pick(
                "Đề nghị của Bộ Ngoại giao gửi tới địa phương (đề nghị chỉnh sửa hồ sơ của địa phương).",
                "The Ministry's requests go to provinces (asking them to correct their records).",
            ),
            Refusal::NotAMission => lang.pick(
                "Đề nghị chỉ gửi tới cơ quan đại diện Việt Nam ở nước ngoài.",
                "Requests go to Vietnam's missions abroad only.",
            ),
            Refusal::Closed => lang.pick(
                "Đề nghị đã đóng, không thể ghi thêm.",
                "The request is closed; nothing more can be written.",
            ),
            Refusal::OnlyMissionAnswers => lang.pick(
                "Chỉ cơ quan đại diện nhận đề nghị mới được trả lời hoặc đề nghị bổ sung.",
                "Only the addressed mission answers or asks back.",
            ),
            Refusal::OnlySenderReplies => lang.pick(
                "Chỉ địa phương gửi đề nghị mới được bổ sung.",
                "Only the sending province replies.",
            ),
            Refusal::MinistryObserves => lang.pick(
                "Bộ Ngoại giao theo dõi đề nghị nhưng không trả lời thay các bên.",
                "The Ministry follows requests but does not write in them.",
            ),
            Refusal::OnlyMissionsPublish => lang.pick(
                "Chỉ cơ quan đại diện đăng bản tin thị trường.",
                "Only missions publish market notes.",
            ),
            Refusal::OnlyProvincesFollow => lang.pick(
                "Chỉ địa phương đăng ký theo dõi ngành và quốc gia.",
                "Only provinces follow sectors and countries.",
            ),
        }
    }
}

/// May this caller send requests at all? Provinces write to missions;
/// the Ministry writes to provinces, asking one to correct its records
/// (which the Ministry reads but does not write).
pub fn may_send(actor: &Actor) -> Result<(), Refusal> {
    if actor.org_kind == OrgKind::Mission {
        return Err(Refusal::OnlyProvincesSend);
    }
    if !actor.role.can_write() {
        return Err(Refusal::ReadOnlyRole);
    }
    Ok(())
}

/// May a request of `sender`'s go to an organisation of kind `to`?
pub fn may_address(sender: OrgKind, to: OrgKind) -> Result<(), Refusal> {
    match (sender, to) {
        (OrgKind::Province, OrgKind::Mission) | (OrgKind::Ministry, OrgKind::Province) => Ok(()),
        (OrgKind::Ministry, _) => Err(Refusal::NotAProvince),
        _ => Err(Refusal::NotAMission),
    }
}

/// May this caller publish market notes?
pub fn may_publish(actor: &Actor) -> Result<(), Refusal> {
    if actor.org_kind != OrgKind::Mission {
        return Err(Refusal::OnlyMissionsPublish);
    }
    if !actor.role.can_write() {
        return Err(Refusal::ReadOnlyRole);
    }
    Ok(())
}

/// May this caller change its organisation's follows?
pub fn may_follow(actor: &Actor) -> Result<(), Refusal> {
    if actor.org_kind != OrgKind::Province {
        return Err(Refusal::OnlyProvincesFollow);
    }
    if !actor.role.can_write() {
        return Err(Refusal::ReadOnlyRole);
    }
    Ok(())
}

/// The status after `party` does `action` on a request in `status`, or why
/// it may not. `can_write` is the caller's role allowing changes. Outsiders
/// never get here: the request is not found for them.
pub fn transition(
    status: RequestStatus,
    party: Party,
    can_write: bool,
    action: Action,
) -> Result<RequestStatus, Refusal> {
    if party == Party::Ministry {
        return Err(Refusal::MinistryObserves);
    }
    if !can_write {
        return Err(Refusal::ReadOnlyRole);
    }
    if status == RequestStatus::Closed {
        return Err(Refusal::Closed);
    }
    match (party, action) {
        (Party::Addressee, Action::Answer) => Ok(RequestStatus::Answered),
        (Party::Addressee, Action::AskBack) => Ok(RequestStatus::AskedBack),
        (Party::Addressee | Party::Sender, Action::Close) => Ok(RequestStatus::Closed),
        // A follow-up puts the turn back with the mission.
        (Party::Sender, Action::Reply) => Ok(RequestStatus::Open),
        (Party::Sender, Action::Answer | Action::AskBack) => Err(Refusal::OnlyMissionAnswers),
        (Party::Addressee, Action::Reply) => Err(Refusal::OnlySenderReplies),
        (Party::Outsider | Party::Ministry, _) => Err(Refusal::MinistryObserves),
    }
}

/// May `party` add a file to a request in `status`? The same parties as
/// writing a message: the sender and the mission, while it is not closed.
pub fn may_attach(status: RequestStatus, party: Party, can_write: bool) -> Result<(), Refusal> {
    match party {
        Party::Ministry | Party::Outsider => Err(Refusal::MinistryObserves),
        _ if !can_write => Err(Refusal::ReadOnlyRole),
        _ if status == RequestStatus::Closed => Err(Refusal::Closed),
        _ => Ok(()),
    }
}

/// The actions `party` may take now (what a page offers as buttons).
pub fn available_actions(status: RequestStatus, party: Party, can_write: bool) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|a| transition(status, party, can_write, *a).is_ok())
        .collect()
}

/// The kinds of market note.
pub const NOTE_KINDS: [(&str, &str, &str); 4] = [
    ("trade_barrier", "Rào cản thương mại", "Trade barrier"),
    ("early_warning", "Cảnh báo sớm", "Early warning"),
    ("opportunity", "Cơ hội hợp tác", "Opportunity"),
    ("market_info", "Thông tin thị trường", "Market information"),
];

/// A kind of market note (`NOTE_KINDS`), for fields that derive their schema.
pub struct NoteKind;

impl JsonSchema for NoteKind {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "NoteKind".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        codes_schema(NOTE_KINDS.iter().map(|(c, ..)| *c))
    }
}

pub fn note_kind_label(code: &str, lang: Lang) -> &str {
    NOTE_KINDS
        .iter()
        .find(|(c, ..)| *c == code)
        .map(|(_, vi, en)| lang.pick(vi, en))
        .unwrap_or(code)
}

pub fn sector_label(code: &str, lang: Lang) -> &str {
    SECTORS
        .iter()
        .find(|(c, ..)| *c == code)
        .map(|(_, vi, en)| lang.pick(vi, en))
        .unwrap_or(code)
}

pub fn country_label(code: &str, lang: Lang) -> String {
    refdata()
        .country(code)
        .map(|c| lang.pick(&c.name_vi, &c.name_en).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

const SUBJECT_MAX: usize = 300;
/// The most missions one sending addresses.
pub const MISSIONS_MAX: usize = 20;
/// The most entries a follows list may carry.
pub const FOLLOWS_MAX_SECTORS: usize = 50;
pub const FOLLOWS_MAX_COUNTRIES: usize = 300;
const TEXT_MAX: usize = 20_000;

fn check_sector(field: &str, value: &str, errs: &mut Invalid) {
    if value.is_empty() {
        errs.push(field, Problem::Required);
    } else {
        let codes: Vec<&str> = SECTORS.iter().map(|(c, ..)| *c).collect();
        check_one_of(field, value, &codes, errs);
    }
}

fn check_country(field: &str, value: &str, errs: &mut Invalid) {
    if value.is_empty() {
        errs.push(field, Problem::Required);
    } else if refdata().country(value).is_none() {
        errs.push(
            field,
            Problem::UnknownCountry {
                value: value.to_owned(),
            },
        );
    }
}

/// A request as a province writes it, before it is sent.
#[derive(Debug, Clone, PartialEq, Eq, JsonSchema)]
#[schemars(rename = "NewRequest", deny_unknown_fields)]
pub struct RequestDraft {
    /// Slugs of missions (organisations of kind mission); one request is made per mission.
    #[schemars(length(min = 1, max = MISSIONS_MAX))]
    pub missions: Vec<String>,
    #[schemars(length(min = 1, max = SUBJECT_MAX), regex(pattern = r"\S"))]
    pub subject: String,
    #[schemars(length(min = 1, max = TEXT_MAX), regex(pattern = r"\S"))]
    pub body: String,
    #[schemars(with = "SectorCode")]
    pub sector: String,
    #[schemars(with = "CountryCode")]
    pub country: String,
    /// The date an answer is wanted by; not already past.
    #[schemars(with = "Option<Date>")]
    pub deadline: Option<String>,
}

impl RequestDraft {
    /// Field checks that need no database (the missions' existence is the
    /// store's to check). `today` refuses a deadline already past.
    pub fn check(&self, today: time::Date) -> Result<(), Invalid> {
        let mut errs = Invalid::default();
        if self.missions.is_empty() {
            errs.push("missions", Problem::Required);
        } else if self.missions.len() > MISSIONS_MAX {
            errs.push("missions", Problem::TooMany { max: MISSIONS_MAX });
        }
        check_required_text("subject", &self.subject, SUBJECT_MAX, &mut errs);
        check_required_text("body", &self.body, TEXT_MAX, &mut errs);
        check_sector("sector", &self.sector, &mut errs);
        check_country("country", &self.country, &mut errs);
        if let Some(d) = &self.deadline {
            match parse_date(d) {
                None => errs.push("deadline", Problem::InvalidDate { value: d.clone() }),
                Some(d) if d < today => errs.push(
                    "deadline",
                    Problem::Invalid {
                        vi: "Hạn trả lời đã qua.".into(),
                        en: "The deadline has passed.".into(),
                    },
                ),
                Some(_) => {}
            }
        }
        errs.into_result()
    }
}

/// A message's text: required unless the message only closes the request.
pub fn check_message(action: Action, body: &str) -> Result<(), Invalid> {
    let mut errs = Invalid::default();
    if action == Action::Close {
        crate::values::check_len("body", body, TEXT_MAX, &mut errs);
    } else {
        check_required_text("body", body, TEXT_MAX, &mut errs);
    }
    errs.into_result()
}

/// A market note as a mission writes it.
#[derive(Debug, Clone, PartialEq, Eq, JsonSchema)]
#[schemars(rename = "NewMarketNote", deny_unknown_fields)]
pub struct NoteDraft {
    #[schemars(with = "NoteKind")]
    pub kind: String,
    #[schemars(length(min = 1, max = SUBJECT_MAX), regex(pattern = r"\S"))]
    pub title: String,
    #[schemars(length(min = 1, max = TEXT_MAX), regex(pattern = r"\S"))]
    pub body: String,
    #[schemars(with = "SectorCode")]
    pub sector: String,
    #[schemars(with = "CountryCode")]
    pub country: String,
    /// The date of the information.
    #[schemars(with = "Date")]
    pub date: String,
}

// The API reads a message's body field by field (to name each problem in
// its own words); this type gives the body its schema.
/// A message in a request's thread, as written.
#[derive(Debug, Clone, PartialEq, Eq, JsonSchema)]
#[schemars(rename = "NewMessage", deny_unknown_fields)]
pub struct MessageDraft {
    /// reply: the sending province; answer, ask_back: the mission; close: either.
    pub action: Action,
    /// Required except for close.
    #[schemars(length(max = TEXT_MAX))]
    pub body: Option<String>,
}

impl NoteDraft {
    pub fn check(&self) -> Result<(), Invalid> {
        let mut errs = Invalid::default();
        let kinds: Vec<&str> = NOTE_KINDS.iter().map(|(c, ..)| *c).collect();
        if self.kind.is_empty() {
            errs.push("kind", Problem::Required);
        } else {
            check_one_of("kind", &self.kind, &kinds, &mut errs);
        }
        check_required_text("title", &self.title, SUBJECT_MAX, &mut errs);
        check_required_text("body", &self.body, TEXT_MAX, &mut errs);
        check_sector("sector", &self.sector, &mut errs);
        check_country("country", &self.country, &mut errs);
        if self.date.is_empty() {
            errs.push("date", Problem::Required);
        } else if parse_date(&self.date).is_none() {
            errs.push(
                "date",
                Problem::InvalidDate {
                    value: self.date.clone(),
                },
            );
        }
        errs.into_result()
    }
}

/// The sectors and countries a province follows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Follows {
    #[schemars(with = "Vec<SectorCode>", length(max = FOLLOWS_MAX_SECTORS))]
    pub sectors: Vec<String>,
    #[schemars(with = "Vec<CountryCode>", length(max = FOLLOWS_MAX_COUNTRIES))]
    pub countries: Vec<String>,
}

// Read field by field into `Follows`, as `MessageDraft` is; this type
// gives the body of a change of follows its schema.
/// What to follow; a list left out is emptied.
#[derive(Debug, Clone, Default, PartialEq, Eq, JsonSchema)]
#[schemars(rename = "NewFollows", deny_unknown_fields)]
pub struct FollowsDraft {
    #[schemars(with = "Option<Vec<SectorCode>>", length(max = FOLLOWS_MAX_SECTORS))]
    pub sectors: Option<Vec<String>>,
    #[schemars(with = "Option<Vec<CountryCode>>", length(max = FOLLOWS_MAX_COUNTRIES))]
    pub countries: Option<Vec<String>>,
}

impl Follows {
    /// Checked, deduplicated and sorted.
    pub fn normalised(mut self) -> Result<Follows, Invalid> {
        let mut errs = Invalid::default();
        // Lists are bounded as sent (repeats are dropped below).
        if self.sectors.len() > FOLLOWS_MAX_SECTORS {
            errs.push(
                "sectors",
                Problem::TooMany {
                    max: FOLLOWS_MAX_SECTORS,
                },
            );
        }
        if self.countries.len() > FOLLOWS_MAX_COUNTRIES {
            errs.push(
                "countries",
                Problem::TooMany {
                    max: FOLLOWS_MAX_COUNTRIES,
                },
            );
        }
        for (i, s) in self.sectors.iter().enumerate() {
            check_sector(&format!("sectors[{i}]"), s, &mut errs);
        }
        for (i, c) in self.countries.iter().enumerate() {
            check_country(&format!("countries[{i}]"), c, &mut errs);
        }
        errs.into_result()?;
        self.sectors.sort();
        self.sectors.dedup();
        self.countries.sort();
        self.countries.dedup();
        Ok(self)
    }
    pub fn is_empty(&self) -> bool {
        self.sectors.is_empty() && self.countries.is_empty()
    }
}

// ------------------------------------------------------------- matching

/// Why a suggestion was made.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    Sector(String),
    Country(String),
}

impl Reason {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Reason::Sector(code) => format!(
                "{}: {}",
                lang.pick("cùng ngành", "same sector"),
                lower_first(sector_label(code, lang))
            ),
            Reason::Country(code) => format!(
                "{}: {}",
                lang.pick("cùng quốc gia", "same country"),
                country_label(code, lang)
            ),
        }
    }
}

fn lower_first(s: &str) -> String {
    let mut cs = s.chars();
    match cs.next() {
        Some(c) => c.to_lowercase().chain(cs).collect(),
        None => String::new(),
    }
}

/// What a request (or a project) looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Want {
    pub sectors: Vec<String>,
    pub countries: Vec<String>,
}

/// What a candidate (mission, partner, note) is about.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Offer {
    pub sectors: Vec<String>,
    pub countries: Vec<String>,
}

/// A candidate's score and the reasons behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub score: u32,
    pub reasons: Vec<Reason>,
}

impl Match {
    /// "cùng ngành: nông nghiệp; cùng quốc gia: Nhật Bản".
    pub fn explain(&self, lang: Lang) -> String {
        self.reasons
            .iter()
            .map(|r| r.text(lang))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Points for a shared country: weighs more than a sector, because a
/// mission's help, a partner or a market note is only useful in its country.
pub const COUNTRY_POINTS: u32 = 3;
/// Points for each shared sector.
pub const SECTOR_POINTS: u32 = 2;

/// How well `offer` fits `want`, or `None` when they share nothing.
pub fn score(want: &Want, offer: &Offer) -> Option<Match> {
    let mut reasons = Vec::new();
    let mut score = 0;
    for s in &want.sectors {
        if offer.sectors.contains(s) {
            score += SECTOR_POINTS;
            reasons.push(Reason::Sector(s.clone()));
        }
    }
    for c in &want.countries {
        if offer.countries.contains(c) {
            score += COUNTRY_POINTS;
            reasons.push(Reason::Country(c.clone()));
        }
    }
    (score > 0).then_some(Match { score, reasons })
}

/// Score every candidate and keep those that match, best first; ties keep
/// the candidates' given order (callers pass the newest first).
pub fn rank<T>(want: &Want, candidates: Vec<(T, Offer)>) -> Vec<(T, Match)> {
    let mut out: Vec<(T, Match)> = candidates
        .into_iter()
        .filter_map(|(t, o)| score(want, &o).map(|m| (t, m)))
        .collect();
    // A stable sort keeps the given order among equal scores.
    out.sort_by_key(|m| std::cmp::Reverse(m.1.score));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;

    fn actor(kind: OrgKind, org: i64, role: Role) -> Actor {
        Actor {
            user_id: 1,
            username: "u".into(),
            org_id: org,
            org_slug: "x".into(),
            org_kind: kind,
            role,
            consular: false,
        }
    }

    #[test]
    fn every_transition_of_every_party() {
        use Action::*;
        use RequestStatus::*;
        for status in RequestStatus::ALL {
            for action in Action::ALL {
                let mission = transition(status, Party::Addressee, true, action);
                let sender = transition(status, Party::Sender, true, action);
                if status == Closed {
                    assert_eq!(mission, Err(Refusal::Closed));
                    assert_eq!(sender, Err(Refusal::Closed));
                    continue;
                }
                let want_mission = match action {
                    Answer => Ok(Answered),
                    AskBack => Ok(AskedBack),
                    Close => Ok(Closed),
                    Reply => Err(Refusal::OnlySenderReplies),
                };
                let want_sender = match action {
                    Reply => Ok(Open),
                    Close => Ok(Closed),
                    Answer | AskBack => Err(Refusal::OnlyMissionAnswers),
                };
                assert_eq!(mission, want_mission, "{status:?} {action:?}");
                assert_eq!(sender, want_sender, "{status:?} {action:?}");
                assert_eq!(
                    transition(status, Party::Ministry, true, action),
                    Err(Refusal::MinistryObserves)
                );
                assert_eq!(
                    transition(status, Party::Addressee, false, action),
                    Err(Refusal::ReadOnlyRole)
                );
            }
        }
    }

    #[test]
    fn parties_and_reach() {
        let p = actor(OrgKind::Province, 5, Role::Editor);
        let m = actor(OrgKind::Mission, 9, Role::Editor);
        let other_m = actor(OrgKind::Mission, 10, Role::Editor);
        let b = actor(OrgKind::Ministry, 1, Role::Viewer);
        assert_eq!(Party::of(&p, 5, 9), Party::Sender);
        assert_eq!(Party::of(&m, 5, 9), Party::Addressee);
        assert_eq!(Party::of(&other_m, 5, 9), Party::Outsider);
        assert_eq!(
            Party::of(&actor(OrgKind::Province, 6, Role::Admin), 5, 9),
            Party::Outsider
        );
        assert_eq!(Party::of(&b, 5, 9), Party::Ministry);
        assert!(Reach::of(&p).allows(5, 9));
        assert!(!Reach::of(&p).allows(6, 9));
        assert!(Reach::of(&m).allows(5, 9));
        assert!(!Reach::of(&other_m).allows(5, 9));
        assert!(Reach::of(&b).allows(7, 8));
        assert_eq!(may_send(&m), Err(Refusal::OnlyProvincesSend));
        assert_eq!(
            may_send(&actor(OrgKind::Province, 5, Role::Viewer)),
            Err(Refusal::ReadOnlyRole)
        );
        assert_eq!(may_publish(&p), Err(Refusal::OnlyMissionsPublish));
        assert!(may_publish(&m).is_ok());
        assert_eq!(may_follow(&m), Err(Refusal::OnlyProvincesFollow));
    }

    #[test]
    fn matching_ranks_with_reasons() {
        let want = Want {
            sectors: vec!["agriculture".into()],
            countries: vec!["JP".into()],
        };
        let both = Offer {
            sectors: vec!["agriculture".into(), "trade".into()],
            countries: vec!["JP".into()],
        };
        let country = Offer {
            sectors: vec![],
            countries: vec!["JP".into()],
        };
        let sector = Offer {
            sectors: vec!["agriculture".into()],
            countries: vec!["KR".into()],
        };
        let none = Offer {
            sectors: vec!["tourism".into()],
            countries: vec!["KR".into()],
        };
        let ranked = rank(
            &want,
            vec![
                ("sector", sector),
                ("none", none),
                ("country", country),
                ("both", both),
            ],
        );
        let names: Vec<_> = ranked.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["both", "country", "sector"]);
        assert_eq!(
            ranked[0].1.explain(Lang::Vi),
            "cùng ngành: nông nghiệp; cùng quốc gia: Nhật Bản"
        );
        assert_eq!(
            ranked[0].1.explain(Lang::En),
            "same sector: agriculture; same country: Japan"
        );
        assert_eq!(ranked[0].1.score, SECTOR_POINTS + COUNTRY_POINTS);
    }

    #[test]
    fn drafts_are_checked() {
        let today = parse_date("2026-01-10").unwrap();
        let ok = RequestDraft {
            missions: vec!["dsq-nhat-ban".into()],
            subject: "Tìm đối tác chế biến cà phê".into(),
            body: "Đề nghị giới thiệu".into(),
            sector: "agriculture".into(),
            country: "JP".into(),
            deadline: Some("2026-02-01".into()),
        };
        assert!(ok.check(today).is_ok());
        let bad = RequestDraft {
            missions: vec![],
            subject: " ".into(),
            body: String::new(),
            sector: "coffee".into(),
            country: "XX".into(),
            deadline: Some("2026-01-09".into()),
        };
        let errs = bad.check(today).unwrap_err();
        let fields: Vec<_> = errs.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "missions", "subject", "body", "sector", "country", "deadline"
            ]
        );
        assert!(check_message(Action::Close, "").is_ok());
        assert!(check_message(Action::Answer, "  ").is_err());
        let f = Follows {
            sectors: vec!["trade".into(), "agriculture".into(), "trade".into()],
            countries: vec!["JP".into()],
        }
        .normalised()
        .unwrap();
        assert_eq!(f.sectors, ["agriculture", "trade"]);
    }
}

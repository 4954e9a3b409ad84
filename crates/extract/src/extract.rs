//! The reader: figures (observations) and, through [`crate::partners`],
//! partnerships from a normalised text.

use crate::csv::CsvError;
use crate::date::DocDate;
use crate::gazetteer::{Gazetteer, Mention, Place};
use crate::numbers::{self, Convention, Decimal};
use crate::periods::{Marker, MarkerKind, Scanner};
use crate::segment::{self, Sentence};
use crate::text::{self, Normalized, Word, find_word, has_word, rfind_word};
use crate::types::*;

/// The report reader. Build once ([`Extractor::new`]) and reuse: building
/// indexes the names it knows.
#[derive(Debug, Clone)]
pub struct Extractor {
    pub(crate) gaz: Gazetteer,
}

impl Default for Extractor {
    fn default() -> Self {
        Extractor::new()
    }
}

impl Extractor {
    /// A reader with the built-in names (provinces, countries, regions and
    /// `data/foreign_partners.csv`).
    pub fn new() -> Extractor {
        Extractor {
            gaz: Gazetteer::builtin(),
        }
    }

    /// A reader whose partner vocabulary is `partners_csv` only (the
    /// built-in one left out), e.g. to check what the patterns find alone.
    pub fn with_partner_vocabulary(partners_csv: &str) -> Result<Extractor, CsvError> {
        Ok(Extractor {
            gaz: Gazetteer::with_partner_vocabulary(partners_csv)?,
        })
    }

    /// Add foreign partners (CSV text with the columns `name, aliases,
    /// country, kind, source`, like `data/foreign_partners.csv`).
    pub fn with_partners(mut self, csv: &str) -> Result<Extractor, CsvError> {
        self.gaz.add_partners(csv)?;
        Ok(self)
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gaz
    }

    /// Read the facts of a document read by [`crate::read_document`]: as
    /// [`Extractor::extract`] on its text, with each fact's page (PDF).
    pub fn extract_document(&self, doc: &crate::ReadDocument, date: Option<DocDate>) -> Facts {
        let mut facts = self.extract(&doc.text, date);
        if !doc.page_starts.is_empty() {
            for o in &mut facts.observations {
                o.page = doc.page_of(o.span[0]);
            }
            for p in &mut facts.partnerships {
                p.page = doc.page_of(p.span[0]);
            }
            for u in &mut facts.unplaced {
                u.page = doc.page_of(u.span[0]);
            }
        }
        facts
    }

    /// Read the facts of `text`. `date` is the document's date when known;
    /// spans are byte offsets into `text`.
    pub fn extract(&self, text: &str, date: Option<DocDate>) -> Facts {
        let normd = Normalized::new(text);
        let norm = normd.text.as_str();
        let canon = text::canon(norm);
        let doc = Doc::new(self, norm, &canon, date);
        let mut facts = doc.run();
        for o in &mut facts.observations {
            o.span = normd.map_span(o.span[0], o.span[1]);
        }
        for p in &mut facts.partnerships {
            p.span = normd.map_span(p.span[0], p.span[1]);
        }
        for u in &mut facts.unplaced {
            u.span = normd.map_span(u.span[0], u.span[1]);
        }
        facts
    }
}

/// Where a figure's locality comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Loc {
    Province(u16),
    National,
    Region,
    Subject,
}

/// A locality cue in a sentence.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LocCue {
    pub pos: usize,
    pub loc: Loc,
}

/// One sentence, analysed.
pub(crate) struct SentCtx<'a> {
    pub sent: Sentence,
    pub norm: &'a str,
    pub canon: &'a str,
    pub words: Vec<Word>,
    pub cw: Vec<&'a str>,
    pub mentions: Vec<Mention>,
    pub markers: Vec<Marker>,
    /// National wording ("cả nước", "toàn quốc", "các địa phương"): word
    /// index and key.
    pub national: Vec<(usize, &'static str)>,
    pub loc_cues: Vec<LocCue>,
}

impl<'a> SentCtx<'a> {
    pub(crate) fn w(&self, i: usize) -> &'a str {
        self.cw.get(i).copied().unwrap_or("")
    }
    /// Index of the first word starting at or after `pos`.
    pub(crate) fn word_at(&self, pos: usize) -> usize {
        self.words.partition_point(|w| w.start < pos)
    }
    /// Text between word i-1 and word i.
    pub(crate) fn gap(&self, i: usize) -> &'a str {
        if i == 0 || i >= self.words.len() {
            return "";
        }
        &self.norm[self.words[i - 1].end..self.words[i].start]
    }
    /// Canonical text of `[a, b)` clipped to the sentence and to character boundaries.
    pub(crate) fn c(&self, a: usize, b: usize) -> &'a str {
        let mut a = a.max(self.sent.start).min(self.sent.end);
        let mut b = b.min(self.sent.end).max(a);
        while !self.canon.is_char_boundary(a) {
            a += 1;
        }
        while b > a && !self.canon.is_char_boundary(b) {
            b -= 1;
        }
        &self.canon[a..b.max(a)]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumKind {
    Money(Unit),
    Count,
    Percent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    Weak,
    Linked,
    Strong,
}

#[derive(Debug, Clone)]
struct Fig {
    sent: usize,
    span_start: usize,
    num_start: usize,
    /// End of the number, scale and unit (money) or head noun (count).
    end: usize,
    value: f64,
    kind: NumKind,
    indicator: Option<Indicator>,
    unit: Unit,
    strength: Strength,
    qualifier: Qualifier,
    change: Option<f64>,
    period: Option<Period>,
    /// The chosen marker bore a year of its own in the figure's clause.
    own_year: bool,
    loc: Loc,
    drop: bool,
    /// The figure's clause starts with "trong đó".
    part_of_previous: bool,
    /// Stated as a projection ("dự kiến", "sẽ đạt"): kept only for the report's year.
    projection: bool,
    /// A stock (counted at a date), not a flow.
    stock: bool,
    /// In the document's title (its first paragraph).
    title: bool,
    /// Its measure comes from the figure before it (an elliptical list or "Riêng X").
    inherited: bool,
    /// One of the values a "lần lượt" list hands out, in order.
    listed: bool,
    /// The year a "lần lượt" list of years gives it.
    forced_period: Option<i32>,
    /// Why it was left out (a code of `Unplaced::reason`).
    reason: Option<&'static str>,
    /// Where its period came from.
    period_from: PeriodFrom,
    /// Start of the words that classified it (its label).
    label_start: usize,
    /// The sentence names a venue ("tại Hà Nội") that was not taken as owner.
    venue_seen: bool,
}

/// Where a figure's period came from, for its confidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum PeriodFrom {
    /// A time expression in its own clause.
    #[default]
    Clause,
    /// Earlier in its sentence.
    Sentence,
    /// Carried from an earlier sentence.
    Carried,
    /// No time expression: the report's year.
    Default,
}

/// The discourse: what carries from sentence to sentence.
#[derive(Debug, Clone, Copy, Default)]
struct Context {
    period: Option<MarkerKind>,
    year: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Fdi,
    Oda,
    Ngo,
}

const FDI_KEYS: &[&str] = &[
    "fdi",
    "đầu tư trực tiếp nước ngoài",
    "đầu tư nước ngoài",
    "vốn nước ngoài",
    "đầu tư của nước ngoài",
    "nhà đầu tư nước ngoài",
    "quốc gia và vùng lãnh thổ",
    "nước và vùng lãnh thổ",
];
const ODA_KEYS: &[&str] = &[
    "oda",
    "vốn vay ưu đãi",
    "vay ưu đãi",
    "hỗ trợ phát triển chính thức",
];
const NGO_KEYS: &[&str] = &["phi chính phủ", "pcpnn", "ngo", "ingo", "viện trợ"];

/// The rightmost whole-word occurrence of any key in `hay`: (end, key length).
fn last_key(hay: &str, keys: &[&str]) -> Option<(usize, usize)> {
    keys.iter()
        .filter_map(|k| rfind_word(hay, k).map(|p| (p + k.len(), k.len())))
        .max()
}

fn first_key(hay: &str, keys: &[&str]) -> Option<usize> {
    keys.iter().filter_map(|k| find_word(hay, k, 0)).min()
}

/// The nearest family keyword: Some((family, end)) by the rightmost end.
fn family_in(hay: &str, nearest_last: bool) -> Option<Family> {
    let pick = |keys: &[&str]| -> Option<usize> {
        if nearest_last {
            last_key(hay, keys).map(|(e, _)| e)
        } else {
            first_key(hay, keys).map(|p| usize::MAX - p)
        }
    };
    let mut best: Option<(usize, Family)> = None;
    // ODA before NGO: "viện trợ ODA" is ODA.
    for (keys, fam) in [
        (ODA_KEYS, Family::Oda),
        (FDI_KEYS, Family::Fdi),
        (NGO_KEYS, Family::Ngo),
    ] {
        if let Some(p) = pick(keys)
            && best.is_none_or(|(b, _)| p > b)
        {
            best = Some((p, fam));
        }
    }
    let fam = best.map(|(_, f)| f)?;
    // "viện trợ" counts as NGO only when no ODA word stands nearby.
    if fam == Family::Ngo
        && has_any(hay, ODA_KEYS)
        && !has_any(hay, &["phi chính phủ", "pcpnn", "ngo"])
    {
        return Some(Family::Oda);
    }
    Some(fam)
}

fn has_any(hay: &str, keys: &[&str]) -> bool {
    keys.iter().any(|k| has_word(hay, k))
}

fn money_of(ind: Option<Indicator>) -> Option<Indicator> {
    match ind? {
        Indicator::FdiProjects | Indicator::FdiSourceCountries => {
            Some(Indicator::FdiCapitalRegistered)
        }
        Indicator::OdaProjects => Some(Indicator::OdaCapital),
        Indicator::NgoAidPrograms => Some(Indicator::NgoAidAmount),
        _ => None,
    }
}

fn is_stock_indicator(ind: Indicator) -> bool {
    matches!(
        ind,
        Indicator::OverseasVnPopulation | Indicator::OverseasVnEnterprises
    )
}

/// Words before a figure that make it a plan or a target.
const PLAN_WORDS: &[&str] = &[
    "phấn đấu",
    "mục tiêu",
    "chỉ tiêu",
    "kế hoạch năm",
    "kế hoạch đề ra",
];
/// Words before a figure that make it a projection.
const PROJECTION_WORDS: &[&str] = &["dự kiến", "dự báo", "dự tính", "dự đoán", "sẽ", "có thể"];
/// Words of its label that make a figure an estimate.
const ESTIMATE_WORDS: &[&str] = &["ước tính", "ước đạt", "theo ước"];
/// Words shortly before a figure that make it an average.
const AVERAGE_WORDS: &[&str] = &["trung bình", "bình quân"];

const QUALIFIER_FILLERS: &[&str] = &[
    "đạt", "được", "là", "có", "lên", "tới", "đến", "con", "số", "tổng", "cộng", "mức", "tính",
    "vào", "khoảng",
];

pub(crate) struct Doc<'a> {
    ex: &'a Extractor,
    norm: &'a str,
    canon: &'a str,
    date: Option<DocDate>,
    sents: Vec<Sentence>,
    /// The aid or investment family each sentence names last, worked out
    /// when first asked for: a sentence is asked for by up to three that
    /// follow it in its paragraph.
    families: Vec<std::cell::OnceCell<Option<Family>>>,
    conv: Convention,
    report_year: i32,
}

impl<'a> Doc<'a> {
    fn new(ex: &'a Extractor, norm: &'a str, canon: &'a str, date: Option<DocDate>) -> Doc<'a> {
        let sents = segment::sentences(norm);
        let conv = detect_convention(norm);
        let mut d = Doc {
            ex,
            norm,
            canon,
            date,
            families: vec![std::cell::OnceCell::new(); sents.len()],
            sents,
            conv,
            report_year: date.map_or(0, |d| d.year),
        };
        if date.is_none() {
            d.report_year = d.infer_year();
        }
        d
    }

    fn ctx(&self, idx: usize, report_year: i32) -> SentCtx<'a> {
        let s = self.sents[idx];
        let words = text::words(self.norm, s.start, s.end);
        let cw: Vec<&str> = words.iter().map(|w| &self.canon[w.start..w.end]).collect();
        let mentions = self.ex.gaz.mentions(self.norm, self.canon, &words);
        let markers = Scanner::new(self.norm, &words, &cw).scan(report_year);
        let mut c = SentCtx {
            sent: s,
            norm: self.norm,
            canon: self.canon,
            words,
            cw,
            mentions,
            markers,
            national: Vec::new(),
            loc_cues: Vec::new(),
        };
        c.national = national_words(&c);
        c.loc_cues = self.loc_cues(&c);
        c
    }

    /// The year the text is about when no date is given: the latest year it
    /// cites as past or present (not a plan's horizon, not page furniture).
    fn infer_year(&self) -> i32 {
        let mut best: Option<i32> = None;
        for (i, s) in self.sents.iter().enumerate() {
            if s.furniture || text::find_digit(self.norm.as_bytes(), s.start, s.end).is_none() {
                continue;
            }
            let c = self.ctx(i, 0);
            for m in &c.markers {
                let (MarkerKind::Year(y)
                | MarkerKind::Event(y)
                | MarkerKind::Since(y)
                | MarkerKind::CutOff(y, _)) = m.kind
                else {
                    continue;
                };
                if y > 0 {
                    best = Some(best.map_or(y, |b: i32| b.max(y)));
                }
            }
            // A month cited as past ("trong tháng 6/2020").
            for k in 0..c.cw.len().saturating_sub(2) {
                if c.w(k) == "tháng"
                    && c.gap(k + 2) == "/"
                    && let Ok(y) = c.w(k + 2).parse::<i32>()
                    && (1900..=2100).contains(&y)
                {
                    best = Some(best.map_or(y, |b: i32| b.max(y)));
                }
            }
            // "Hội nghị Ngoại vụ toàn quốc lần thứ 19" dates the text.
            for k in 0..c.cw.len() {
                if c.w(k) == "ngoại" && c.w(k + 1) == "vụ" {
                    for j in k..(k + 6).min(c.cw.len()) {
                        if c.w(j) == "thứ"
                            && let Some(y) = c
                                .w(j + 1)
                                .parse()
                                .ok()
                                .and_then(crate::periods::conference_year)
                        {
                            best = Some(best.map_or(y, |b: i32| b.max(y)));
                        }
                    }
                }
            }
        }
        best.unwrap_or(2000)
    }

    /// Locality cues of a sentence: provinces and regions (not those compared
    /// against: "so với các tỉnh ở ĐBSCL"), and national wording.
    fn loc_cues(&self, c: &SentCtx<'a>) -> Vec<LocCue> {
        let mut out = Vec::new();
        for m in &c.mentions {
            let loc = match m.place {
                // A venue ("họp tại Hà Nội", "dự tại điểm cầu Quảng Ngãi") is
                // never a figure's owner (spec: "Owner, not venue").
                Place::Province(_) if is_venue(c, m.word) => continue,
                Place::Province(p) => Loc::Province(p),
                Place::Region => Loc::Region,
                Place::Country(ci) if self.ex.gaz.country_code(ci) == "VN" => {
                    // "Việt Nam" as the actor: "Việt Nam đã thu hút", "đầu tư vào Việt Nam".
                    let next = c.w(m.word + m.n_words);
                    let prev = if m.word > 0 { c.w(m.word - 1) } else { "" };
                    // The nation as recipient is national too: "viện trợ cho Việt
                    // Nam", "kiều hối đổ về Việt Nam".
                    let actor = matches!(
                        next,
                        "đã" | "đạt"
                            | "thu"
                            | "có"
                            | "ký"
                            | "xuất"
                            | "nhập"
                            | "tiếp"
                            | "đón"
                            | "nhận"
                    ) || matches!(prev, "của" | "vào" | "cho" | "về");
                    let before2 = if m.word > 1 { c.w(m.word - 2) } else { "" };
                    if actor
                        && !matches!(prev, "người")
                        && !matches!(before2, "diện" | "quan" | "người")
                    {
                        Loc::National
                    } else {
                        continue;
                    }
                }
                _ => continue,
            };
            if compared(c, m.word) {
                continue;
            }
            out.push(LocCue { pos: m.start, loc });
        }
        // National wording.
        for &(wi, key) in &c.national {
            let abs = c.words[wi].start;
            let after = wi + if key == "các địa phương" { 3 } else { 2 };
            let next = c.w(after);
            let prev = if wi > 0 { c.w(wi - 1) } else { "" };
            let ok = match key {
                "các địa phương" => {
                    matches!(
                        next,
                        "đã" | "đạt" | "thu" | "ký" | "có" | "tiếp" | "đón" | "cấp" | "tổ"
                    ) || matches!(prev, "tại" | "của")
                }
                "toàn quốc" => !(wi.saturating_sub(6)..wi).any(|k| c.w(k) == "nghị"),
                _ => true,
            } && !ranking_frame(c, wi);
            if ok && !compared(c, wi) {
                out.push(LocCue {
                    pos: abs,
                    loc: Loc::National,
                });
            }
        }
        out.sort_by_key(|l| l.pos);
        out
    }

    fn run(&self) -> Facts {
        let mut figs: Vec<Fig> = Vec::new();
        let mut ctx = Context::default();
        let mut last_para = usize::MAX;
        // Subject scores: provinces by index, national separately.
        let mut prov_score: Vec<f64> = vec![0.0; self.ex.gaz.provinces.len()];
        let mut prov_first: Vec<usize> = vec![usize::MAX; self.ex.gaz.provinces.len()];
        let mut national_score = 0.0f64;
        let mut partner_found: Vec<crate::partners::Found> = Vec::new();
        let mut first_text_para: Option<usize> = None;
        let mut doc_topic: Option<Family> = None;
        let term = self.doc_term();

        for idx in 0..self.sents.len() {
            let s = self.sents[idx];
            if s.furniture {
                continue;
            }
            if s.resets_context || (s.para != last_para && is_heading_para(self.norm, s)) {
                ctx = Context::default();
            }
            last_para = s.para;
            let c = self.ctx(idx, self.report_year);
            let title = first_text_para.is_none_or(|p| p == s.para);
            if first_text_para.is_none() {
                first_text_para = Some(s.para);
            }
            if title && doc_topic.is_none() {
                doc_topic = self.sentence_family(idx);
            }
            // Subject evidence: mentions.
            for m in &c.mentions {
                if let Place::Province(p) = m.place {
                    let w = if title { 3.0 } else { 1.0 };
                    prov_score[p as usize] += w;
                    prov_first[p as usize] = prov_first[p as usize].min(m.start);
                }
            }
            let sc = c.c(s.start, s.end);
            national_score += 0.5 * c.national.len() as f64;

            let start_fig = figs.len();
            if text::find_digit(sc.as_bytes(), 0, sc.len()).is_some()
                || c.cw.iter().any(|w| numbers::is_number_word(w))
            {
                // The paragraph's topic, else the headline's: a report titled
                // on foreign investment counts its bare "dự án" as FDI. Worked
                // out only when a figure falls back on it (most name their own).
                let topic = std::cell::OnceCell::new();
                let topic = || *topic.get_or_init(|| self.topic_before(idx).or(doc_topic));
                self.figures(idx, &c, &mut ctx, &topic, term, &mut figs);
            }
            for f in &mut figs[start_fig..] {
                f.title = title;
            }
            for f in &figs[start_fig..] {
                if f.drop || f.indicator.is_none() {
                    continue;
                }
                match f.loc {
                    Loc::Province(p) => prov_score[p as usize] += 3.0,
                    Loc::National => national_score += 3.0,
                    _ => {}
                }
            }
            // Carry the period context.
            if let Some(m) = c.markers.iter().rev().find(|m| carries(m.kind)) {
                ctx.period = Some(m.kind);
            }
            if let Some(y) = c.markers.iter().rev().find_map(|m| {
                if let MarkerKind::Year(y) = m.kind {
                    Some(y)
                } else {
                    None
                }
            }) {
                ctx.year = Some(y);
            }
            // A memorandum with a firm may name no foreign place at all.
            let firm_memo = (sc.contains("tập đoàn") || sc.contains("công ty"))
                && has_any(sc, &["ghi nhớ", "thỏa thuận", "ký kết"]);
            if firm_memo
                || c.mentions.iter().any(|m| match m.place {
                    Place::Country(ci) => self.ex.gaz.country_code(ci) != "VN",
                    Place::Partner(_) => true,
                    _ => false,
                })
            {
                crate::partners::find(self, &c, &mut partner_found);
            }
        }

        // Subject.
        let mut best: Option<(f64, usize, usize)> = None; // score, -first, idx
        for (i, &sc) in prov_score.iter().enumerate() {
            if sc <= 0.0 {
                continue;
            }
            let better = match best {
                None => true,
                Some((bs, bf, _)) => sc > bs || (sc == bs && prov_first[i] < bf),
            };
            if better {
                best = Some((sc, prov_first[i], i));
            }
        }
        let subject = match best {
            Some((sc, _, i)) if sc >= national_score => Subject {
                name: self.ex.gaz.province_name(i as u16, self.date),
                level: Level::Province,
            },
            _ => Subject::default(),
        };

        let (observations, unplaced) = self.finish_figures(figs, &subject);
        let partnerships = crate::partners::finish(self, partner_found, &subject);
        Facts {
            subject,
            observations,
            partnerships,
            unplaced,
        }
    }

    /// The normalised text of `[a, b)` (clipped to character boundaries).
    pub(crate) fn source(&self, a: usize, b: usize) -> &'a str {
        let mut a = a.min(self.norm.len());
        let mut b = b.min(self.norm.len()).max(a);
        while !self.norm.is_char_boundary(a) {
            a -= 1;
        }
        while !self.norm.is_char_boundary(b) {
            b += 1;
        }
        &self.norm[a..b]
    }

    pub(crate) fn gaz(&self) -> &Gazetteer {
        &self.ex.gaz
    }

    pub(crate) fn locality_name(&self, loc: Loc, subject: &Subject) -> Option<String> {
        match loc {
            Loc::Province(p) => Some(self.ex.gaz.province_name(p, self.date)),
            Loc::National => Some(NATIONAL.to_string()),
            Loc::Subject => Some(subject.name.clone()),
            Loc::Region => None,
        }
    }

    /// The party-congress term the document reviews ("Nhiệm kỳ ... (2015-2020)").
    fn doc_term(&self) -> Option<(i32, i32)> {
        let mut from = 0;
        let key = "nhiệm kỳ";
        while let Some(p) = find_word(self.canon, key, from) {
            from = p + key.len();
            let window_end = (p + 160).min(self.canon.len());
            let mut we = window_end;
            while !self.canon.is_char_boundary(we) {
                we -= 1;
            }
            let win = &self.norm[p..we];
            let ws = text::words(win, 0, win.len());
            let cw: Vec<&str> = ws.iter().map(|w| &win[w.start..w.end]).collect();
            for k in 0..cw.len().saturating_sub(1) {
                let y1: Option<i32> = cw[k].parse().ok().filter(|y| (1900..=2100).contains(y));
                let y2: Option<i32> = cw[k + 1].parse().ok().filter(|y| (1900..=2100).contains(y));
                if let (Some(a), Some(b)) = (y1, y2) {
                    let gap = &win[ws[k].end..ws[k + 1].start];
                    if gap.trim() == "-" && b > a && b - a <= 10 {
                        return Some((a, b));
                    }
                }
            }
        }
        None
    }

    /// The family keyword nearest the end of sentence `j`.
    fn sentence_family(&self, j: usize) -> Option<Family> {
        *self.families[j].get_or_init(|| {
            let s = self.sents[j];
            family_in(&self.canon[s.start..s.end], true)
        })
    }

    /// The aid or investment family the preceding sentences of the paragraph talk about.
    fn topic_before(&self, idx: usize) -> Option<Family> {
        let para = self.sents[idx].para;
        for j in (idx.saturating_sub(3)..idx).rev() {
            let s = self.sents[j];
            if s.para != para {
                break;
            }
            if let Some(f) = self.sentence_family(j) {
                return Some(f);
            }
        }
        None
    }

    // ------------------------------------------------------------ figures

    fn figures(
        &self,
        idx: usize,
        c: &SentCtx<'a>,
        ctx: &mut Context,
        topic: &dyn Fn() -> Option<Family>,
        term: Option<(i32, i32)>,
        figs: &mut Vec<Fig>,
    ) {
        let s = c.sent;
        let nums = self.numbers(c);
        if nums.is_empty() {
            return;
        }
        let first_new = figs.len();
        // The words each figure looks for in the clause before it, found
        // once in the sentence up to its last number.
        let upto = nums.iter().map(|n| n.start).max().unwrap_or(s.start);
        let words_before = |keys| text::Occurrences::new(self.canon, s.start, upto, keys);
        let (plans, projections) = (words_before(PLAN_WORDS), words_before(PROJECTION_WORDS));
        let (estimates, averages) = (words_before(ESTIMATE_WORDS), words_before(AVERAGE_WORDS));
        // Pass 1: units, qualifiers, classification.
        for (k, n) in nums.iter().enumerate() {
            let mut f = Fig {
                sent: idx,
                span_start: n.start,
                num_start: n.start,
                end: n.end,
                value: 0.0,
                kind: n.kind,
                indicator: None,
                unit: Unit::Count,
                strength: Strength::Strong,
                qualifier: Qualifier::Exact,
                change: None,
                period: None,
                own_year: false,
                loc: Loc::Subject,
                drop: false,
                part_of_previous: false,
                projection: false,
                stock: false,
                title: false,
                inherited: false,
                listed: false,
                forced_period: None,
                reason: None,
                period_from: PeriodFrom::Clause,
                label_start: n.start,
                venue_seen: false,
            };
            f.value = n.value.scaled(n.scale);
            // A range "khoảng 6,5 - 6,6 tỷ USD" is recorded once, at its first
            // number, as `about` (spec, Clarifications: Qualifiers).
            let mut range_start = None;
            {
                let before = &self.norm[s.start..n.start];
                let t = before.trim_end();
                if let Some(t) = t.strip_suffix('-') {
                    let t = t.trim_end();
                    let digits_start = t
                        .char_indices()
                        .rev()
                        .find(|&(_, ch)| !(ch.is_ascii_digit() || ch == '.' || ch == ','))
                        .map_or(0, |(p, ch)| p + ch.len_utf8());
                    let tok = &t[digits_start..];
                    if !tok.is_empty()
                        && tok.as_bytes()[0].is_ascii_digit()
                        && let Some(v) =
                            numbers::parse_digits(&numbers::digit_token(tok), self.conv)
                    {
                        let first = v.scaled(n.scale);
                        if first > 0.0 && first < f.value {
                            f.value = first;
                            range_start = Some(s.start + digits_start);
                        }
                    }
                }
            }
            if n.value.mantissa <= 0 && n.kind != NumKind::Percent {
                f.drop = true;
                f.reason.get_or_insert("left_out");
            }
            let wi = c.word_at(range_start.unwrap_or(n.start));
            let (q, q_start) = qualifier(c, wi);
            f.qualifier = q;
            if let Some(rs) = range_start {
                f.span_start = rs;
                f.qualifier = Qualifier::About;
            }
            if let Some(qs) = q_start {
                f.span_start = qs;
            }
            if trailing_over(c, n.after_word) {
                f.qualifier = Qualifier::Over;
            }
            // Deltas: "tăng 5 dự án so với năm trước".
            if delta_before(c, wi) && n.kind != NumKind::Percent {
                f.drop = true;
                f.reason.get_or_insert("change");
            }
            // Label: from the previous number (or clause start) to this number.
            let prev_end = if k > 0 { nums[k - 1].end } else { s.start };
            let clause_start = clause_start(c, n.start);
            let label_start = prev_end.max(clause_start);
            let label = c.c(label_start, n.start);
            f.label_start = label_start;
            f.venue_seen = c.mentions.iter().any(|m| {
                matches!(m.place, Place::Province(_)) && m.start < n.start && is_venue(c, m.word)
            });
            f.part_of_previous = label_starts_with_part(c.c(clause_start.max(s.start), n.start));
            match n.kind {
                NumKind::Percent => {
                    f.unit = Unit::Percent;
                }
                NumKind::Money(u) => {
                    f.unit = u;
                    let prev_count = figs[first_new..]
                        .iter()
                        .rev()
                        .find(|p| p.kind == NumKind::Count && p.num_start >= clause_start);
                    let prev_money = if k > 0 {
                        matches!(nums[k - 1].kind, NumKind::Money(_))
                    } else {
                        false
                    };
                    let (ind, st) = classify_money(
                        c,
                        label,
                        label_start,
                        n.start,
                        prev_count.map(|p| p.indicator),
                        prev_money,
                        topic,
                        figs[..first_new]
                            .iter()
                            .rev()
                            .find(|p| {
                                matches!(p.kind, NumKind::Money(_))
                                    && !p.drop
                                    && p.indicator.is_some()
                            })
                            .and_then(|p| p.indicator),
                    );
                    f.indicator = ind;
                    f.strength = st;
                    // The head noun right after the amount names what it is
                    // ("691 triệu USD vốn đầu tư nước ngoài", "224 triệu đô la Mỹ
                    // viện trợ", "12 tỷ USD kiều hối"); it beats the words before.
                    if let Some(ind) = money_head_after(c.c(n.end, (n.end + 60).min(s.end))) {
                        f.indicator = ind;
                        f.strength = Strength::Strong;
                    }
                }
                NumKind::Count => {
                    let (ind, unit, st, end) = self.classify_count(c, n, label_start, topic);
                    f.indicator = ind;
                    f.unit = unit;
                    f.strength = st;
                    if let Some(e) = end {
                        f.end = e;
                    }
                }
            }
            // Plans and targets are not results.
            let clause = c.c(clause_start, n.start);
            if plans.any_in(clause) {
                f.drop = true;
                f.reason.get_or_insert("plan");
            } else if projections.any_in(clause) {
                // A projection is kept only for the report's own year (checked
                // with the period) and as `about`; a forecast the text says was
                // missed ("từng dự đoán … nhưng không đạt") is left out (spec,
                // Clarifications: Qualifiers).
                let sentence = c.c(s.start, s.end);
                if has_any(sentence, &["không đạt", "chưa đạt", "từng"]) {
                    f.drop = true;
                    f.reason.get_or_insert("plan");
                } else {
                    f.projection = true;
                    if f.qualifier == Qualifier::Exact {
                        f.qualifier = Qualifier::About;
                    }
                }
            }
            // An estimate ("theo ước tính", "ước tính") is `about` when no
            // nearer word says otherwise.
            if f.qualifier == Qualifier::Exact && estimates.any_in(label) {
                f.qualifier = Qualifier::About;
            }
            // Averages over years are not a year's figure nor a period's total
            // (spec, Clarifications: "Not figures of an indicator").
            if n.kind != NumKind::Percent && averages.any_in(tail(clause, 100)) {
                f.drop = true;
                f.reason.get_or_insert("average");
            }
            // Locality: the nearest cue before the number.
            f.loc = c
                .loc_cues
                .iter()
                .rev()
                .find(|l| l.pos < n.start)
                .map_or(Loc::Subject, |l| l.loc);
            // A shared threshold for a list ("các địa phương có vốn trên 1 tỷ
            // USD gồm A, B, C") gives no figure to any of them (spec,
            // Clarifications: Owner, not venue).
            if f.loc == Loc::Subject || f.loc == Loc::National {
                let after = c.c(f.end, comma_clause_end(c, f.end).max(f.end));
                let t = after.trim_start();
                let listed_after = c
                    .mentions
                    .iter()
                    .filter(|m| m.start >= f.end && matches!(m.place, Place::Province(_)))
                    .count();
                if (t.starts_with("gồm") || t.starts_with("bao gồm") || t.starts_with("là các"))
                    && listed_after >= 2
                {
                    f.drop = true;
                    f.reason.get_or_insert("threshold");
                }
            }
            // The overseas community named with no province is the nation's.
            if f.indicator == Some(Indicator::OverseasVnPopulation)
                && f.loc == Loc::Subject
                && has_any(
                    c.c(clause_start, n.start),
                    &["người việt nam ở nước ngoài", "cộng đồng người việt"],
                )
            {
                f.loc = Loc::National;
            }
            figs.push(f);
        }
        self.distribute(c, first_new, figs);
        // Pass 2: changes (percentages stated with a figure).
        let new_range = first_new..figs.len();
        for k in new_range.clone() {
            if figs[k].kind != NumKind::Percent {
                continue;
            }
            let n = &nums[k - first_new];
            let Some(change) = change_of(c, n) else {
                continue;
            };
            let clause = clause_start(c, n.start);
            let target = (first_new..k)
                .rev()
                .find(|&j| figs[j].kind != NumKind::Percent && figs[j].num_start >= clause)
                .filter(|&j| figs[j].change.is_none())
                .or_else(|| {
                    (k + 1..figs.len()).find(|&j| {
                        figs[j].kind != NumKind::Percent
                            && clause_start(c, figs[j].num_start) == clause
                    })
                });
            if let Some(j) = target
                && figs[j].change.is_none()
            {
                figs[j].change = Some(change);
            }
        }
        // Pass 3: periods.
        for k in new_range {
            if figs[k].kind == NumKind::Percent || figs[k].indicator.is_none() {
                continue;
            }
            let stock = {
                let np = c.c(figs[k].num_start, (figs[k].end + 80).min(s.end));
                let before = c.c(clause_start(c, figs[k].num_start), figs[k].num_start);
                let ind = figs[k].indicator.unwrap();
                is_stock_indicator(ind)
                    || has_any(
                        np,
                        &[
                            "còn hiệu lực",
                            "còn hoạt động",
                            "đang hoạt động",
                            "lũy kế",
                            "luỹ kế",
                        ],
                    )
                    // "Lũy kế đến tháng 7/2018, … có 4.300 dự án": accumulated.
                    || has_any(before, &["lũy kế", "luỹ kế"])
                    // The capital of a stock of projects is a stock too
                    // ("38 dự án còn hiệu lực, với tổng vốn đăng ký …").
                    || (figs[k].strength == Strength::Linked
                        && (first_new..k)
                            .rev()
                            .find(|&j| figs[j].kind == NumKind::Count && figs[j].indicator.is_some())
                            .is_some_and(|j| figs[j].stock))
            };
            figs[k].stock = stock;
            let (period, own, from) = match figs[k].forced_period {
                Some(y) => (
                    Some(if stock {
                        Period::AsOf(y)
                    } else {
                        Period::Year(y)
                    }),
                    true,
                    PeriodFrom::Clause,
                ),
                None => self.period_for(c, &figs[k], ctx, term, stock),
            };
            figs[k].period_from = from;
            figs[k].period = period;
            figs[k].own_year = own;
            if period.is_none() {
                figs[k].drop = true;
                figs[k].reason.get_or_insert("part_of_year");
            }
            // A projection counts only for the report's own year.
            if figs[k].projection
                && !matches!(period, Some(Period::Year(y)) if y == self.report_year)
            {
                figs[k].drop = true;
                figs[k].reason.get_or_insert("plan");
            }
        }
    }

    /// Elliptical figures and lists.
    ///
    /// * "lần lượt (là)", "tương ứng": the values after it go to the units or
    ///   years listed before it, in order ("A, B và C với vốn lần lượt là x,
    ///   y và z"; "năm 2013 và 2012 tương ứng lần lượt là x và y") — spec,
    ///   Clarifications: "Lần lượt là" assigns values to the units listed.
    /// * A value in such a list, or in a sentence opening "Riêng X", that
    ///   names no measure of its own is the measure of the figure before it
    ///   (the same unit): Vietnamese leaves the repeated noun out.
    fn distribute(&self, c: &SentCtx<'a>, first_new: usize, figs: &mut [Fig]) {
        let s = c.sent;
        let sc = c.c(s.start, s.end);
        let prev_same_unit = |figs: &[Fig], upto: usize, unit: Unit| -> Option<Indicator> {
            figs[..upto]
                .iter()
                .rev()
                .find(|p| {
                    p.unit == unit && !p.drop && p.indicator.is_some() && p.kind != NumKind::Percent
                })
                .and_then(|p| p.indicator)
        };
        // "Riêng X nhận trên 9,5 tỷ USD": the previous figure's measure.
        let t = sc.trim_start_matches(|ch: char| !ch.is_alphanumeric());
        if t.starts_with("riêng ") {
            for k in first_new..figs.len() {
                if figs[k].indicator.is_none()
                    && !figs[k].drop
                    && matches!(figs[k].kind, NumKind::Money(_))
                    && let Some(ind) = prev_same_unit(figs, first_new, figs[k].unit)
                {
                    figs[k].indicator = Some(ind);
                    figs[k].strength = Strength::Weak;
                    figs[k].inherited = true;
                }
            }
        }
        // "con số này là 18,9 tỷ USD", "cao hơn so với mức 17,2 tỷ USD": the
        // figure referred back to, or compared with, is of the same measure.
        for k in first_new..figs.len() {
            if figs[k].indicator.is_some()
                || figs[k].drop
                || !matches!(figs[k].kind, NumKind::Money(_))
            {
                continue;
            }
            let before = tail(
                c.c(clause_start(c, figs[k].num_start), figs[k].num_start),
                60,
            );
            let near = tail(before, 24);
            if (has_any(before, &["con số này", "con số đó", "mức này"])
                || has_any(near, &["so với mức", "so với"]))
                && let Some(ind) = prev_same_unit(figs, k, figs[k].unit)
            {
                figs[k].indicator = Some(ind);
                figs[k].strength = Strength::Weak;
                figs[k].inherited = true;
            }
        }
        // The last "lần lượt" / "tương ứng" with at least two values after it.
        if !(sc.contains("lần lượt") || sc.contains("tương ứng")) {
            return;
        }
        let mut anchor = None;
        for key in ["lần lượt", "tương ứng"] {
            let mut from = 0;
            while let Some(p) = find_word(sc, key, from) {
                let abs = s.start + p;
                from = p + key.len();
                let n_after = figs[first_new..]
                    .iter()
                    .filter(|f| f.num_start > abs && f.kind != NumKind::Percent)
                    .count();
                if n_after >= 2 && anchor.is_none_or(|a| abs > a) {
                    anchor = Some(abs);
                }
            }
        }
        let Some(anchor) = anchor else { return };
        let cs = clause_start(c, anchor);
        let targets: Vec<usize> = (first_new..figs.len())
            .filter(|&j| {
                figs[j].num_start > anchor
                    && figs[j].kind != NumKind::Percent
                    && clause_start(c, figs[j].num_start) == cs
            })
            .collect();
        if targets.len() < 2 {
            return;
        }
        // Figures of the list without a measure of their own take the first
        // one's, or the one before the list.
        let first_ind = targets.iter().find_map(|&j| figs[j].indicator);
        for &j in &targets {
            if figs[j].indicator.is_none() && !figs[j].drop {
                let ind = first_ind.or_else(|| prev_same_unit(figs, j, figs[j].unit));
                if ind.is_some() {
                    figs[j].indicator = ind;
                    figs[j].strength = Strength::Weak;
                    figs[j].inherited = true;
                }
            }
        }
        // The units listed before the anchor in its clause.
        let provinces: Vec<Loc> = c
            .loc_cues
            .iter()
            .filter(|l| l.pos >= cs && l.pos < anchor && matches!(l.loc, Loc::Province(_)))
            .map(|l| l.loc)
            .collect();
        if provinces.len() == targets.len() {
            for (&j, &loc) in targets.iter().zip(&provinces) {
                figs[j].loc = loc;
                figs[j].listed = true;
            }
            return;
        }
        // Or the years listed ("năm 2013 và 2012 tương ứng lần lượt là …").
        let mut years = Vec::new();
        for (wi, w) in c.words.iter().enumerate() {
            if w.start >= cs && w.end <= anchor {
                let t = c.w(wi);
                if t.len() == 4
                    && let Ok(y) = t.parse::<i32>()
                    && (1900..=self.report_year.max(1900)).contains(&y)
                {
                    years.push(y);
                }
            }
        }
        if years.len() == targets.len() {
            for (&j, &y) in targets.iter().zip(&years) {
                figs[j].forced_period = Some(y);
                figs[j].listed = true;
            }
        }
    }

    /// Decide a figure's period. Returns the period and whether it came from
    /// a year-bearing marker in the figure's own clause.
    fn period_for(
        &self,
        c: &SentCtx<'a>,
        f: &Fig,
        ctx: &Context,
        term: Option<(i32, i32)>,
        stock: bool,
    ) -> (Option<Period>, bool, PeriodFrom) {
        let pos = f.num_start;
        let comma_start = comma_clause_start(c, pos);
        let comma_end = comma_clause_end(c, f.end);
        let usable = |m: &&Marker| {
            !(matches!(m.kind, MarkerKind::Event(_))
                || (m.kind == MarkerKind::Term && term.is_none()))
        };
        let before_same = c
            .markers
            .iter()
            .filter(usable)
            .rfind(|m| m.end <= pos && m.start >= comma_start);
        let after_same = c
            .markers
            .iter()
            .filter(usable)
            .find(|m| m.start >= f.end && m.end <= comma_end);
        let before_sent = c.markers.iter().filter(usable).rfind(|m| m.end <= pos);
        let (kind, own) = if let Some(m) = before_same.or(after_same) {
            (Some(m.kind), true)
        } else if let Some(m) = before_sent {
            // A time expression of the figure's own ';'-clause is its own too
            // ("…; trong năm nay, con số này là 18,9 tỷ USD").
            (Some(m.kind), m.start >= clause_start(c, pos))
        } else {
            (ctx.period, false)
        };
        let from = if before_same.or(after_same).is_some() {
            PeriodFrom::Clause
        } else if before_sent.is_some() {
            PeriodFrom::Sentence
        } else if ctx.period.is_some() {
            PeriodFrom::Carried
        } else {
            PeriodFrom::Default
        };
        let ry = self.report_year;
        let ctx_year = c
            .markers
            .iter()
            .filter(|m| m.end <= pos)
            .rev()
            .find_map(|m| match m.kind {
                MarkerKind::Year(y) => Some(y),
                _ => None,
            });
        let ctx_year = ctx_year.or(ctx.year).unwrap_or(ry);
        let period = match kind {
            None => Some(if stock {
                Period::AsOf(ry)
            } else {
                Period::Year(ry)
            }),
            Some(k) => match k {
                MarkerKind::Year(y) => Some(if stock {
                    Period::AsOf(y)
                } else {
                    Period::Year(y)
                }),
                // A period still running at the report's date: accumulated since its start.
                MarkerKind::Range(a, b) if b > ry && a <= ry => Some(Period::Since(a)),
                MarkerKind::Range(a, b) => Some(Period::Range { from: a, to: b }),
                MarkerKind::Since(y) => Some(Period::Since(y)),
                MarkerKind::AsOf(y) => Some(Period::AsOf(y.unwrap_or(ry))),
                MarkerKind::ReportYear => Some(if stock {
                    Period::AsOf(ry)
                } else {
                    Period::Year(ry)
                }),
                MarkerKind::CtxYear => Some(if stock {
                    Period::AsOf(ctx_year)
                } else {
                    Period::Year(ctx_year)
                }),
                MarkerKind::PartYear | MarkerKind::Target => None,
                MarkerKind::Term => term.map(|(a, b)| Period::Range { from: a, to: b }),
                MarkerKind::Event(y) => Some(Period::Year(y)),
                MarkerKind::CutOff(y, _) if stock => Some(Period::AsOf(y)),
                // A flow counted to the year's end is the year's result; to an
                // earlier date, a part of the year (left out).
                MarkerKind::CutOff(y, 12) => Some(Period::Year(y)),
                MarkerKind::CutOff(..) => None,
            },
        };
        let own_year = own
            && matches!(
                kind,
                Some(
                    MarkerKind::Year(_)
                        | MarkerKind::Range(..)
                        | MarkerKind::Since(_)
                        | MarkerKind::AsOf(Some(_))
                        | MarkerKind::CutOff(..)
                        | MarkerKind::ReportYear
                )
            );
        // Yearly flows (trade, GRDP, remittances, bulletins) are never stocks:
        // "đến nay" for them is the year so far.
        let annual = matches!(
            f.indicator,
            Some(
                Indicator::TradeExport
                    | Indicator::TradeImport
                    | Indicator::Grdp
                    | Indicator::Remittances
                    | Indicator::BulletinsIssues
            )
        );
        let period = match period {
            Some(Period::AsOf(y)) if annual => Some(Period::Year(y)),
            p => p,
        };
        // A period that ends after the report's year is a plan.
        let period = period.filter(|p| match p {
            Period::Since(y) => *y <= ry,
            p => p.last_year() <= ry,
        });
        (period, own_year, from)
    }

    fn finish_figures(
        &self,
        mut figs: Vec<Fig>,
        subject: &Subject,
    ) -> (Vec<Observation>, Vec<Unplaced>) {
        // Within a sentence: one figure per indicator and locality (the whole, not
        // its parts; not a restatement), unless a later one has a year of its own.
        let n = figs.len();
        for i in 0..n {
            if figs[i].drop || figs[i].indicator.is_none() || figs[i].kind == NumKind::Percent {
                continue;
            }
            for j in i + 1..n {
                if figs[j].sent != figs[i].sent {
                    break;
                }
                if figs[j].drop
                    || figs[j].indicator != figs[i].indicator
                    || figs[j].loc != figs[i].loc
                {
                    continue;
                }
                if figs[j].own_year && figs[j].period != figs[i].period {
                    continue;
                }
                // Values handed out by "lần lượt" belong to different units or years.
                if figs[j].listed && figs[i].listed {
                    continue;
                }
                // "… đã thực hiện 16 dự án, đồng thời vận động thêm 18 dự án mới":
                // an additive connective joins two sets, not a whole and its part.
                let between = self.canon.get(figs[i].end..figs[j].num_start).unwrap_or("");
                if has_any(between, &["đồng thời", "bên cạnh đó", "ngoài ra"]) {
                    continue;
                }
                if figs[i].strength == Strength::Weak && figs[j].strength > Strength::Weak {
                    figs[i].drop = true;
                    figs[i].reason.get_or_insert("part_of_whole");
                    break;
                }
                figs[j].drop = true;
                figs[j].reason.get_or_insert("part_of_whole");
            }
        }
        // A ';'-clause opening "trong đó / trong số đó" gives parts of a whole
        // stated before it in the sentence, whatever sub-type names them ("tổng
        // vốn ODA … đạt 4,3 tỷ USD; trong số đó … 202 triệu USD viện trợ không
        // hoàn lại"): the whole, not its parts.
        for j in 0..n {
            if !figs[j].part_of_previous || figs[j].drop {
                continue;
            }
            let whole = figs[..j]
                .iter()
                .rev()
                .take_while(|f| f.sent == figs[j].sent)
                .any(|f| {
                    !f.drop
                        && !f.part_of_previous
                        && f.unit == figs[j].unit
                        && f.indicator.is_some()
                        && f.strength >= Strength::Linked
                        && f.indicator != figs[j].indicator
                });
            if whole {
                figs[j].drop = true;
                figs[j].reason.get_or_insert("part_of_whole");
            }
        }
        // A sentence opening "Trong đó" gives parts of the previous sentence's figures.
        for j in 0..n {
            if !figs[j].part_of_previous || figs[j].drop {
                continue;
            }
            let prev_sent_has = figs[..j]
                .iter()
                .rev()
                .take_while(|f| f.sent + 1 >= figs[j].sent)
                .any(|f| f.sent + 1 == figs[j].sent && !f.drop && f.indicator == figs[j].indicator);
            if prev_sent_has {
                figs[j].drop = true;
                figs[j].reason.get_or_insert("part_of_whole");
            }
        }
        // A figure restated in the headline is recorded once, at its statement
        // in the body (spec, Clarifications: "Once"); the headline may round it.
        for j in 0..n {
            if !figs[j].title || figs[j].drop || figs[j].indicator.is_none() {
                continue;
            }
            // A body figure left out (an average, a part of a year) takes its
            // headline with it; a headline naming no place is the body's figure.
            let restated = figs.iter().any(|b| {
                !b.title
                    && b.indicator == figs[j].indicator
                    && (b.loc == figs[j].loc || figs[j].loc == Loc::Subject)
                    && b.unit == figs[j].unit
                    && (b.value - figs[j].value).abs() <= 0.01 * b.value.abs().max(1.0)
            });
            if restated {
                figs[j].drop = true;
                figs[j].reason.get_or_insert("restatement");
            }
        }
        let mut out: Vec<Observation> = Vec::new();
        let mut unplaced: Vec<Unplaced> = Vec::new();
        for f in figs {
            if f.kind == NumKind::Percent {
                continue;
            }
            let locality = self.locality_name(f.loc, subject);
            let reason = if f.drop {
                Some(f.reason.unwrap_or("left_out"))
            } else if f.indicator.is_none() {
                Some("no_indicator")
            } else if f.period.is_none() {
                Some(f.reason.unwrap_or("part_of_year"))
            } else if locality.is_none() {
                Some("no_locality")
            } else {
                None
            };
            if let Some(reason) = reason {
                // A bare count with no indicator is a number of anything
                // ("40 năm", "11 cá nhân"): not worth a reviewer's time.
                let worth = matches!(f.kind, NumKind::Money(_)) || f.indicator.is_some();
                if worth && f.value > 0.0 {
                    unplaced.push(Unplaced {
                        value: f.value,
                        unit: f.unit,
                        indicator: f.indicator,
                        reason: reason.to_string(),
                        why: reason_why(reason),
                        span: [f.span_start, f.end],
                        page: None,
                    });
                }
                continue;
            }
            let (Some(ind), Some(period), Some(locality)) = (f.indicator, f.period, locality)
            else {
                continue;
            };
            let (confidence, why) = self.confidence(&f, subject);
            let o = Observation {
                indicator: ind,
                locality,
                period,
                value: f.value,
                unit: f.unit,
                qualifier: f.qualifier,
                change_pct: f.change,
                span: [f.span_start, f.end],
                confidence,
                why,
                page: None,
            };
            // The same figure stated again elsewhere is recorded once.
            if out.iter().any(|p| {
                p.indicator == o.indicator
                    && p.locality == o.locality
                    && p.period == o.period
                    && p.unit == o.unit
                    && p.value == o.value
            }) {
                continue;
            }
            out.push(o);
        }
        (out, unplaced)
    }

    /// How sure the reader is of a figure, and the words and doubts behind it.
    fn confidence(&self, f: &Fig, subject: &Subject) -> (f64, Why) {
        let mut conf: f64 = 0.95;
        let mut vi: Vec<&str> = Vec::new();
        let mut en: Vec<&str> = Vec::new();
        let mut doubt = |d: f64, v: &'static str, e: &'static str| {
            conf -= d;
            vi.push(v);
            en.push(e);
        };
        match f.strength {
            Strength::Weak if f.inherited => doubt(
                0.2,
                "chỉ tiêu lấy từ số liệu trước (câu tỉnh lược)",
                "indicator taken from the figure before (elliptical)",
            ),
            Strength::Weak => doubt(
                0.25,
                "chỉ tiêu suy ra từ chủ đề đoạn/bài",
                "indicator inferred from the paragraph's or article's topic",
            ),
            Strength::Linked => doubt(
                0.05,
                "chỉ tiêu theo số đếm đứng trước",
                "indicator from the count it qualifies",
            ),
            Strength::Strong => {}
        }
        if f.loc == Loc::Subject {
            if subject.level == Level::National {
                doubt(
                    0.1,
                    "câu không nêu địa phương; coi là số liệu cả nước",
                    "no place in the sentence; taken as national",
                );
            } else {
                doubt(
                    0.08,
                    "câu không nêu địa phương; lấy chủ thể của bài",
                    "no place in the sentence; the article's subject",
                );
            }
        }
        if f.venue_seen {
            doubt(
                0.1,
                "địa danh ở đây là nơi họp, không phải chủ thể số liệu?",
                "the place named here is a venue, not the figure's owner?",
            );
        }
        if f.listed {
            doubt(
                0.05,
                "giá trị chia theo thứ tự \"lần lượt\"",
                "value handed out in order by \"lần lượt\"",
            );
        }
        match f.period_from {
            PeriodFrom::Clause => {}
            PeriodFrom::Sentence => doubt(
                0.05,
                "kỳ lấy từ đầu câu",
                "period from earlier in the sentence",
            ),
            PeriodFrom::Carried => doubt(
                0.1,
                "kỳ lấy từ câu trước",
                "period carried from an earlier sentence",
            ),
            PeriodFrom::Default => doubt(
                0.15,
                "không nêu năm; lấy năm của văn bản",
                "no year stated; the report's year",
            ),
        }
        if f.projection {
            doubt(0.1, "số dự kiến/ước tính", "a projection or estimate");
        }
        let conf = (conf.clamp(0.05, 0.99) * 100.0).round() / 100.0;
        let words = clip(self.source(f.label_start.min(f.end), f.end).trim(), 160);
        let words =
            words.trim_start_matches(|ch: char| ch == ',' || ch == ';' || ch.is_whitespace());
        let (vi, en) = if vi.is_empty() {
            (
                format!("«{words}» — chỉ tiêu, địa phương và kỳ nêu rõ"),
                format!("«{words}» — indicator, place and period stated"),
            )
        } else {
            (
                format!("«{words}» — {}", vi.join("; ")),
                format!("«{words}» — {}", en.join("; ")),
            )
        };
        (conf, Why { vi, en })
    }

    /// Numbers in a sentence, with scale and unit.
    fn numbers(&self, c: &SentCtx<'a>) -> Vec<Num> {
        let s = c.sent;
        let b = self.norm.as_bytes();
        let mut out = Vec::new();
        let mut i = s.start;
        while let Some(d) = text::find_digit(b, i, s.end) {
            i = d;
            let start = i;
            let mut j = i;
            loop {
                while j < s.end && b[j].is_ascii_digit() {
                    j += 1;
                }
                if j + 1 < s.end && (b[j] == b'.' || b[j] == b',') && b[j + 1].is_ascii_digit() {
                    j += 1;
                    continue;
                }
                break;
            }
            i = j;
            if let Some(n) = self.digit_number(c, start, j) {
                out.push(n);
            }
        }
        // Numbers in words, before a counted noun ("bốn dự án").
        let mut k = 0;
        while k < c.cw.len() {
            let w = c.w(k);
            if numbers::is_number_word(w) && (k == 0 || !numbers::is_number_word(c.w(k - 1))) {
                let ws = &c.cw[k..(k + 6).min(c.cw.len())];
                if let Some((v, used)) = numbers::parse_number_words(ws) {
                    let after = k + used;
                    if v > 0
                        && after < c.cw.len()
                        && counted_noun(c, after)
                        && !c.gap(after).contains([',', ';', '.'])
                    {
                        let start = c.words[k].start;
                        let end = c.words[after - 1].end;
                        if !out.iter().any(|n: &Num| n.start <= start && n.end > start) {
                            out.push(Num {
                                start,
                                end,
                                value: Decimal::int(v),
                                scale: 0,
                                kind: NumKind::Count,
                                after_word: after,
                            });
                        }
                    }
                    k = after;
                    continue;
                }
            }
            k += 1;
        }
        out.sort_by_key(|n| n.start);
        out
    }

    fn digit_number(&self, c: &SentCtx<'a>, start: usize, end: usize) -> Option<Num> {
        let norm = self.norm;
        let s = c.sent;
        let prev = norm[s.start..start].chars().next_back();
        let next = norm[end..s.end].chars().next();
        // Attached to letters or part of codes, dates, times, fractions.
        if prev.is_some_and(|ch| text::is_word_char(ch) || ch == '/' || ch == '#') {
            return None;
        }
        if matches!(prev, Some('-' | '+' | '.' | ',')) {
            let before = norm[s.start..start - 1].chars().next_back();
            if before.is_some_and(text::is_word_char) {
                return None;
            }
        }
        if let Some(nx) = next {
            if text::is_word_char(nx) {
                return None;
            }
            let after = norm[end + nx.len_utf8()..s.end].chars().next();
            if nx == '/'
                && after.is_some_and(|a| a.is_alphanumeric())
                && !norm[end..].starts_with("/năm")
            {
                return None;
            }
            if (nx == '-' || nx == ':') && after.is_some_and(|a| a.is_alphanumeric()) {
                return None;
            }
        }
        let wi = c.word_at(start);
        let prev_w = if wi > 0 { c.w(wi - 1) } else { "" };
        let prev2 = if wi > 1 { c.w(wi - 2) } else { "" };
        if matches!(
            prev_w,
            "thứ"
                | "điều"
                | "khoản"
                | "khóa"
                | "khoá"
                | "top"
                | "tốp"
                | "hạng"
                | "mục"
                | "chương"
                | "năm"
                | "tháng"
                | "ngày"
                | "quý"
                | "đợt"
                | "lần"
                | "phiên"
                | "kỳ"
                | "số"
        ) {
            // "tổng số 50 dự án" is a figure; "Chỉ thị số 15" is not.
            let figure_so =
                prev_w == "số" && matches!(prev2, "tổng" | "có" | "với" | "được" | "đạt" | "là");
            if !figure_so {
                return None;
            }
        }
        let tok = numbers::digit_token(&norm[start..end]);
        let value = numbers::parse_digits(&tok, self.conv)?;
        // Scale words and unit.
        let mut k = c.word_at(end);
        let mut scale = 0u32;
        let mut last_end = end;
        // "%" directly after.
        let rest = &norm[end..s.end];
        let rest_trim = rest.trim_start();
        if rest_trim.starts_with('%') {
            let pct_end = end + (rest.len() - rest_trim.len()) + 1;
            return Some(Num {
                start,
                end: pct_end,
                value,
                scale: 0,
                kind: NumKind::Percent,
                after_word: c.word_at(pct_end),
            });
        }
        while k < c.cw.len() {
            if !c.gap(k).trim().is_empty() && k != c.word_at(end) {
                break;
            }
            if k == c.word_at(end) && !norm[end..c.words[k].start].trim().is_empty() {
                break;
            }
            match numbers::scale_of(c.w(k)) {
                Some(e) => {
                    scale += e;
                    last_end = c.words[k].end;
                    k += 1;
                }
                None => break,
            }
        }
        let mut value = value;
        // "2 tỷ 500 triệu đồng": a smaller amount after the first scale word.
        if scale > 0 && k + 1 < c.cw.len() && norm[last_end..c.words[k].start].trim().is_empty() {
            let w2 = c.w(k);
            if !w2.is_empty()
                && w2.len() <= 3
                && w2.bytes().all(|b| b.is_ascii_digit())
                && c.gap(k + 1).trim().is_empty()
                && let Some(s2) = numbers::scale_of(c.w(k + 1))
            {
                let v2: i128 = w2.parse().unwrap_or(0);
                if s2 < scale && scale - s2 >= value.decimals {
                    let m = value.mantissa * 10i128.pow(scale - s2 - value.decimals) + v2;
                    value = Decimal {
                        mantissa: m,
                        decimals: 0,
                    };
                    scale = s2;
                    last_end = c.words[k + 1].end;
                    k += 2;
                }
            }
        }
        let gap_ok =
            |k: usize| k < c.cw.len() && norm[last_end..c.words[k].start].trim().is_empty();
        let w = c.w(k);
        if gap_ok(k) {
            if w == "phần" && c.w(k + 1) == "trăm" {
                return Some(Num {
                    start,
                    end: c.words[k + 1].end,
                    value,
                    scale: 0,
                    kind: NumKind::Percent,
                    after_word: k + 2,
                });
            }
            let money = match w {
                "usd" => Some((Unit::Usd, k)),
                "us" if norm[c.words[k].end..].starts_with('$') => Some((Unit::Usd, k)),
                "đô" | "đôla" => {
                    let mut e = k;
                    if c.w(k + 1) == "la" {
                        e = k + 1;
                    }
                    if c.w(e + 1) == "mỹ" {
                        e += 1;
                    }
                    Some((Unit::Usd, e))
                }
                "đồng" | "vnđ" | "vnd" | "đ" => Some((Unit::Vnd, k)),
                "euro" | "eur" | "yên" | "tệ" | "bảng" | "won" | "bạt" | "kíp" | "riel" => {
                    return None;
                }
                _ => None,
            };
            if let Some((u, e)) = money {
                let mut end_b = c.words[e].end;
                if w == "us" {
                    end_b += 1;
                }
                return Some(Num {
                    start,
                    end: end_b,
                    value,
                    scale,
                    kind: NumKind::Money(u),
                    after_word: e + 1,
                });
            }
        }
        if scale > 0 && !gap_ok(k) {
            // "1.840 tỷ," with no currency: not a figure we can read.
            return None;
        }
        if !gap_ok(k) {
            return None;
        }
        Some(Num {
            start,
            end: last_end,
            value,
            scale,
            kind: NumKind::Count,
            after_word: k,
        })
    }

    /// Classify a counted figure. Returns indicator, unit, strength and the end of its noun.
    fn classify_count(
        &self,
        c: &SentCtx<'a>,
        n: &Num,
        label_start: usize,
        topic: &dyn Fn() -> Option<Family>,
    ) -> (Option<Indicator>, Unit, Strength, Option<usize>) {
        let s = c.sent;
        let k = n.after_word;
        if k >= c.cw.len() {
            return (None, Unit::Count, Strength::Strong, None);
        }
        let np_start = c.words[k].start;
        let np_end = np_limit(c, np_start);
        let np = c.c(np_start, np_end);
        let pre = c.c(label_start.min(n.start), n.start);
        let pre_sent = c.c(s.start, n.start);
        let sentence = c.c(s.start, s.end);
        let head = |ws: &[&str]| ws.iter().enumerate().all(|(d, w)| c.w(k + d) == *w);
        let head_end = |len: usize| Some(c.words[(k + len - 1).min(c.words.len() - 1)].end);
        let none = (None, Unit::Count, Strength::Strong, None);

        // Bulletin issues: "bản tin đối ngoại (12 kỳ/năm)", "12 số bản tin".
        if head(&["kỳ"]) || head(&["số"]) || head(&["ấn", "phẩm"]) {
            let before = tail(pre_sent, 80);
            if has_word(before, "bản tin") || has_word(&np[..np.len().min(60)], "bản tin") {
                return (
                    Some(Indicator::BulletinsIssues),
                    Unit::Count,
                    Strength::Strong,
                    head_end(1),
                );
            }
            return none;
        }
        // APEC business travel cards.
        if (has_word(sentence, "abtc") || has_word(sentence, "thẻ đi lại của doanh nhân apec"))
            && (head(&["doanh", "nhân"])
                || head(&["người"])
                || head(&["trường", "hợp"])
                || head(&["thẻ"])
                || head(&["lượt"])
                || head(&["cá", "nhân"]))
        {
            let len = if head(&["người"]) || head(&["thẻ"]) || head(&["lượt"]) {
                1
            } else {
                2
            };
            return (
                Some(Indicator::AbtcApproved),
                Unit::People,
                Strength::Strong,
                head_end(len),
            );
        }
        // Overseas Vietnamese.
        let np80 = clip(np, 100);
        if head(&["kiều", "bào"]) || head(&["việt", "kiều"]) {
            return (
                Some(Indicator::OverseasVnPopulation),
                Unit::People,
                Strength::Strong,
                head_end(2),
            );
        }
        if head(&["người"]) && !head(&["người", "nước"]) {
            // "… người đang học tập, làm việc ở nước ngoài"; or a clause whose
            // subject is the overseas community ("cộng đồng người Việt Nam ở
            // nước ngoài nay đã vượt 6 triệu người").
            let overseas = has_any(np80, &["kiều bào", "việt kiều"])
                || (has_word(np80, "nước ngoài")
                    && has_any(
                        np80,
                        &[
                            "việt nam",
                            "định cư",
                            "gốc",
                            "sinh sống",
                            "quê",
                            "học tập",
                            "làm việc",
                            "công tác",
                        ],
                    ))
                || (!has_word(np80, "nước ngoài")
                    && has_any(
                        tail(pre_sent, 120),
                        &[
                            "người việt nam ở nước ngoài",
                            "kiều bào",
                            "cộng đồng người việt",
                            "người việt nam định cư",
                        ],
                    )
                    && !has_any(tail(pre_sent, 120), &["lao động", "đi làm việc"]));
            if overseas {
                let len = if head(&["người", "việt", "nam"]) {
                    3
                } else {
                    1
                };
                return (
                    Some(Indicator::OverseasVnPopulation),
                    Unit::People,
                    Strength::Strong,
                    head_end(len),
                );
            }
            return none;
        }
        if head(&["doanh", "nghiệp"]) {
            if has_any(
                np80,
                &[
                    "người việt nam ở nước ngoài",
                    "kiều bào",
                    "việt kiều",
                    "người việt nam định cư",
                    "vnonn",
                    "nvnonn",
                    "nvonn",
                ],
            ) {
                return (
                    Some(Indicator::OverseasVnEnterprises),
                    Unit::Count,
                    Strength::Strong,
                    head_end(2),
                );
            }
            return none;
        }
        // Investor visits.
        if head(&["lượt", "nhà", "đầu", "tư"])
            || head(&["lượt", "doanh", "nghiệp"])
            || head(&["lượt", "nhà", "đầu"])
        {
            return (
                Some(Indicator::InvestorsVisits),
                Unit::Count,
                Strength::Strong,
                head_end(if head(&["lượt", "nhà", "đầu", "tư"]) {
                    4
                } else {
                    3
                }),
            );
        }
        if head(&["nhà", "đầu", "tư"])
            && has_any(tail(pre, 40), &["tiếp", "đón", "tiếp đón", "làm việc với"])
        {
            return (
                Some(Indicator::InvestorsVisits),
                Unit::Count,
                Strength::Strong,
                head_end(3),
            );
        }
        // Delegations.
        let deleg = if head(&["lượt", "đoàn"]) {
            Some(2)
        } else if head(&["đoàn"]) {
            Some(1)
        } else {
            None
        };
        if let Some(len) = deleg {
            let next = c.w(k + len);
            if matches!(next, "thể" | "viên" | "kết" | "thanh" | "luật") {
                return none;
            }
            let next2 = c.w(k + len + 1);
            let dir = if next == "ra"
                || (next == "đi" && !matches!(next2, "lại"))
                || (next == "công"
                    && has_any(clip(np, 60), &["đi", "ra nước ngoài", "sang"])
                    && !has_any(clip(np, 60), &["đến", "vào"]))
            {
                Some(Indicator::DelegationsOutbound)
            } else if matches!(next, "vào" | "khách")
                || (next == "nước" && next2 == "ngoài")
                || (next == "quốc" && next2 == "tế")
            {
                Some(Indicator::DelegationsInbound)
            } else {
                let before = tail(pre, 50);
                // "Đoàn vào: 52 đoàn", "số đoàn ra là 25".
                let named = rfind_word(before, "đoàn vào")
                    .map(|p| (p, true))
                    .max(rfind_word(before, "đoàn ra").map(|p| (p, false)));
                if let Some((_, inbound)) = named {
                    Some(if inbound {
                        Indicator::DelegationsInbound
                    } else {
                        Indicator::DelegationsOutbound
                    })
                } else if has_any(
                    before,
                    &[
                        "đón",
                        "tiếp",
                        "tiếp đón",
                        "tiếp nhận",
                        "thu hút",
                        "đón tiếp",
                    ],
                ) {
                    Some(Indicator::DelegationsInbound)
                } else if has_any(before, &["cử"])
                    || (has_word(before, "tổ chức")
                        && has_any(
                            clip(np, 60),
                            &["đi", "ra nước ngoài", "sang", "tại nước ngoài"],
                        ))
                {
                    Some(Indicator::DelegationsOutbound)
                } else if has_any(
                    clip(np, 60),
                    &[
                        "đến thăm",
                        "đến làm việc",
                        "nước ngoài đến",
                        "sang thăm",
                        "vào thăm",
                    ],
                ) {
                    Some(Indicator::DelegationsInbound)
                } else if has_any(
                    clip(np, 60),
                    &[
                        "ra nước ngoài",
                        "đi nước ngoài",
                        "đi công tác",
                        "tại nước ngoài",
                    ],
                ) {
                    Some(Indicator::DelegationsOutbound)
                } else {
                    None
                }
            };
            let len = if matches!(next, "ra" | "vào" | "khách") {
                len + 1
            } else {
                len
            };
            return (dir, Unit::Count, Strength::Strong, head_end(len));
        }
        // FDI source countries.
        if head(&["quốc", "gia"]) || head(&["nước"]) || head(&["vùng", "lãnh", "thổ"]) {
            let clause = c.c(clause_start(c, n.start), np_end);
            let investment = has_any(clause, &["đầu tư", "fdi", "dự án", "vốn"]);
            let trade = has_any(
                clause,
                &[
                    "xuất khẩu",
                    "nhập khẩu",
                    "thị trường",
                    "quan hệ ngoại giao",
                    "quan hệ",
                    "du lịch",
                    "khách",
                ],
            );
            if investment && !trade {
                let len = if head(&["quốc", "gia", "và", "vùng", "lãnh", "thổ"]) {
                    6
                } else if head(&["nước", "và", "vùng", "lãnh", "thổ"]) {
                    5
                } else if head(&["nước"]) {
                    1
                } else {
                    2
                };
                return (
                    Some(Indicator::FdiSourceCountries),
                    Unit::Count,
                    Strength::Strong,
                    head_end(len),
                );
            }
            return none;
        }
        // Agreements and memoranda.
        let agreement_head = head(&["thỏa", "thuận"])
            || head(&["văn", "bản", "thỏa", "thuận"])
            || head(&["văn", "kiện"])
            || head(&["văn", "bản", "hợp", "tác"])
            || head(&["văn", "bản", "ký", "kết"])
            || head(&["điều", "ước"]);
        let mou_head = head(&["bản", "ghi", "nhớ"])
            || head(&["biên", "bản", "ghi", "nhớ"])
            || head(&["mou"])
            || head(&["ghi", "nhớ"])
            || head(&["biên", "bản", "hợp", "tác"]);
        if agreement_head || mou_head {
            let signed = has_word(tail(pre_sent, 120), "ký") || has_word(clip(np, 80), "ký");
            if !signed {
                return none;
            }
            let np40 = clip(np, 60);
            let both =
                has_word(np40, "thỏa thuận") && has_any(np40, &["bản ghi nhớ", "ghi nhớ", "mou"]);
            let ind = if agreement_head || both {
                Indicator::AgreementsSigned
            } else {
                Indicator::MousSigned
            };
            let len = if head(&["thỏa", "thuận"])
                || head(&["văn", "kiện"])
                || head(&["ghi", "nhớ"])
                || head(&["điều", "ước"])
            {
                2
            } else if head(&["mou"]) {
                1
            } else if head(&["bản", "ghi", "nhớ"]) {
                3
            } else {
                4
            };
            return (Some(ind), Unit::Count, Strength::Strong, head_end(len));
        }
        // Projects and programmes: FDI, ODA or NGO aid.
        let proj_len = if head(&["chương", "trình"]) || head(&["dự", "án"]) {
            Some(2)
        } else if head(&["khoản", "viện", "trợ"]) {
            Some(3)
        } else if head(&["khoản"]) && has_word(clip(np, 40), "viện trợ") {
            Some(1)
        } else if head(&["gói", "viện", "trợ"]) {
            Some(3)
        } else {
            None
        };
        if let Some(len) = proj_len {
            let np_fam = clip(np, 90);
            if has_any(np_fam, &["kêu gọi", "mời gọi", "trong nước", "ddi"])
                || has_any(tail(pre, 40), &["kêu gọi", "mời gọi", "danh mục"])
                // Licences adjusted or capital increases are changes, not projects.
                || has_any(tail(pre, 30), &["điều chỉnh", "tăng vốn"])
            {
                return none;
            }
            let is_aid_item = head(&["khoản"]) || head(&["gói", "viện", "trợ"]);
            let (fam, strength) = if let Some(f) = family_in(np_fam, false) {
                (Some(f), Strength::Strong)
            } else if let Some(f) = family_in(pre_sent, true) {
                (Some(f), Strength::Strong)
            } else if is_aid_item {
                (Some(Family::Ngo), Strength::Strong)
            } else {
                (topic(), Strength::Weak)
            };
            let ind = fam.map(|f| match f {
                Family::Fdi => Indicator::FdiProjects,
                Family::Oda => Indicator::OdaProjects,
                Family::Ngo => Indicator::NgoAidPrograms,
            });
            // A programme counts only as aid: "chương trình" alone is not an FDI project.
            let ind = if head(&["chương", "trình"])
                && ind == Some(Indicator::FdiProjects)
                && !has_word(clip(np, 30), "dự án")
            {
                None
            } else {
                ind
            };
            return (ind, Unit::Count, strength, head_end(len));
        }
        none
    }
}

/// National wording in a sentence ("cả nước", "toàn quốc", "các địa phương"): word index and key.
fn national_words(c: &SentCtx<'_>) -> Vec<(usize, &'static str)> {
    let mut out = Vec::new();
    for k in 1..c.cw.len() {
        let (a, b) = (c.w(k - 1), c.w(k));
        let key = match (a, b) {
            ("cả", "nước") => "cả nước",
            ("toàn", "quốc") => "toàn quốc",
            ("địa", "phương") if k >= 2 && c.w(k - 2) == "các" => "các địa phương",
            _ => continue,
        };
        let start = if key == "các địa phương" {
            k - 2
        } else {
            k - 1
        };
        out.push((start, key));
    }
    out
}

fn is_heading_para(norm: &str, s: Sentence) -> bool {
    let _ = norm;
    s.resets_context
}

/// Whether a marker kind carries to later sentences.
fn carries(k: MarkerKind) -> bool {
    matches!(
        k,
        MarkerKind::Year(_)
            | MarkerKind::Range(..)
            | MarkerKind::Since(_)
            | MarkerKind::AsOf(_)
            | MarkerKind::CutOff(..)
            | MarkerKind::PartYear
    )
}

/// A place named as where something happens, not who owns a figure: "tại"
/// or "ở" before it, through a type word or "điểm cầu" ("họp tại Hà Nội",
/// "ở TP.HCM", "tại điểm cầu Quảng Ngãi"). Not a place money flows to
/// ("về", "vào") or an investment is made in ("đầu tư tại").
fn is_venue(c: &SentCtx<'_>, word: usize) -> bool {
    let mut k = word;
    let mut steps = 0;
    while k > 0 && steps < 3 {
        k -= 1;
        steps += 1;
        match c.w(k) {
            "tỉnh" | "thành" | "phố" | "tp" | "thủ" | "đô" | "cầu" | "điểm" => {
                continue;
            }
            "tại" | "ở" => {
                // "dự án đầu tư tại X", "doanh nghiệp ở X": the figure's own place.
                let before = c.c(c.words[k.saturating_sub(4)].start, c.words[k].start);
                return !has_any(before, &["đầu tư", "dự án", "doanh nghiệp", "hoạt động"]);
            }
            _ => return false,
        }
    }
    false
}

/// National wording that only frames a ranking or a share ("dẫn đầu cả
/// nước", "đứng thứ 4 cả nước", "lớn nhất cả nước", "của cả nước" after a
/// share): the domain compared against, not the figure's owner.
fn ranking_frame(c: &SentCtx<'_>, word: usize) -> bool {
    let lo = word.saturating_sub(4);
    for k in (lo..word).rev() {
        if c.gap(k + 1)
            .bytes()
            .any(|b| matches!(b, b',' | b';' | b'(' | b')' | b':' | b'.'))
        {
            return false;
        }
        let prev = if k > 0 { c.w(k - 1) } else { "" };
        let rank = match c.w(k) {
            "nhất" | "thứ" | "top" | "nhì" | "chiếm" => true,
            "đầu" => matches!(prev, "dẫn" | "đứng"),
            "nhóm" => true,
            _ => false,
        };
        if rank {
            return true;
        }
    }
    // "… chiếm 57% tổng kiều hối cả nước".
    let before = c.c(c.words[word.saturating_sub(6)].start, c.words[word].start);
    has_word(before, "chiếm") || before.contains('%')
}

/// A name preceded by a comparison ("so với các tỉnh ở ĐBSCL").
fn compared(c: &SentCtx<'_>, word: usize) -> bool {
    let lo = word.saturating_sub(6);
    for k in (lo..word).rev() {
        if c.gap(k + 1)
            .bytes()
            .any(|b| matches!(b, b',' | b';' | b'(' | b')' | b':'))
        {
            return false;
        }
        if c.w(k) == "so" && matches!(c.w(k + 1), "với" | "sánh") {
            return true;
        }
    }
    false
}

#[derive(Debug, Clone, Copy)]
struct Num {
    start: usize,
    end: usize,
    value: Decimal,
    scale: u32,
    kind: NumKind,
    /// Index of the first word after the number and its unit/scale.
    after_word: usize,
}

/// Document-wide decimal convention.
fn detect_convention(norm: &str) -> Convention {
    let b = norm.as_bytes();
    let mut score = 0i32;
    let mut i = 0;
    // From one digit to the next, eight bytes at a time.
    while let Some(d) = text::find_digit(b, i, b.len()) {
        i = d;
        if i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.' || b[i - 1] == b',') {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i;
        loop {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j + 1 < b.len() && (b[j] == b'.' || b[j] == b',') && b[j + 1].is_ascii_digit() {
                j += 1;
                continue;
            }
            break;
        }
        let tok = numbers::digit_token(&norm[start..j]);
        if !tok.seps.is_empty() {
            let rest = norm[j..].trim_start();
            let rest_l: String = rest.chars().take(8).collect::<String>().to_lowercase();
            let scale = ["nghìn", "ngàn", "triệu", "tỷ", "tỉ", "million", "billion"]
                .iter()
                .any(|w| rest_l.starts_with(w));
            score += numbers::convention_evidence(&tok, scale);
        }
        i = j.max(i + 1);
    }
    if score > 0 {
        Convention::English
    } else {
        Convention::Vietnamese
    }
}

/// Start of the ';'-clause containing `pos` (or the sentence start).
fn clause_start(c: &SentCtx<'_>, pos: usize) -> usize {
    let s = &c.norm[c.sent.start..pos];
    s.rfind(';').map_or(c.sent.start, |p| c.sent.start + p + 1)
}

/// Start of the comma-clause containing `pos`.
fn comma_clause_start(c: &SentCtx<'_>, pos: usize) -> usize {
    let s = &c.norm[c.sent.start..pos];
    s.rfind([',', ';', ':', '(', ')'])
        .map_or(c.sent.start, |p| c.sent.start + p + 1)
}

/// End of the comma-clause containing `pos`.
fn comma_clause_end(c: &SentCtx<'_>, pos: usize) -> usize {
    let s = &c.norm[pos.min(c.sent.end)..c.sent.end];
    s.find([',', ';', ':', '('])
        .map_or(c.sent.end, |p| pos + p + 1)
}

/// The noun phrase after a number: up to ';', '.', '(' or 120 bytes.
fn np_limit(c: &SentCtx<'_>, start: usize) -> usize {
    let s = &c.norm[start..c.sent.end];
    let mut end = s.find([';', '(', ':']).map_or(c.sent.end, |p| start + p);
    if let Some(p) = s.find(". ") {
        end = end.min(start + p);
    }
    let mut lim = (start + 160).min(end);
    while !c.norm.is_char_boundary(lim) {
        lim -= 1;
    }
    lim
}

pub(crate) fn clip(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut e = n;
    while !s.is_char_boundary(e) {
        e -= 1;
    }
    &s[..e]
}

pub(crate) fn tail(s: &str, n: usize) -> &str {
    if s.len() <= n {
        return s;
    }
    let mut b = s.len() - n;
    while !s.is_char_boundary(b) {
        b += 1;
    }
    &s[b..]
}

fn label_starts_with_part(clause: &str) -> bool {
    let t = clause.trim_start_matches(|ch: char| !ch.is_alphanumeric());
    t.starts_with("trong đó") || t.starts_with("trong số đó")
}

/// Whether word `k` is a noun that can follow a number in words.
fn counted_noun(c: &SentCtx<'_>, k: usize) -> bool {
    let w = c.w(k);
    let n = c.w(k + 1);
    matches!(
        (w, n),
        ("dự", "án")
            | ("đoàn" | "khoản" | "lượt" | "kỳ", _)
            | ("thỏa", "thuận")
            | ("bản", "ghi")
            | ("biên" | "văn" | "số", "bản")
            | ("chương", "trình")
            | ("doanh", "nghiệp" | "nhân")
            | ("quốc", "gia")
            | ("kiều", "bào")
    )
}

/// The qualifier before the number at word `wi`: the word nearest the number counts.
fn qualifier(c: &SentCtx<'_>, wi: usize) -> (Qualifier, Option<usize>) {
    let mut k = wi;
    let mut steps = 0;
    while k > 0 && steps < 4 {
        let g = c.gap(k);
        if g.bytes()
            .any(|b| matches!(b, b',' | b';' | b'.' | b'(' | b')' | b':'))
        {
            break;
        }
        k -= 1;
        steps += 1;
        let w = c.w(k);
        let prev = if k > 0 { c.w(k - 1) } else { "" };
        let q = match w {
            // "vượt 6 triệu người": exceeds, as "trên".
            "trên" | "hơn" | "vượt" => Some(Qualifier::Over),
            "dưới" => Some(Qualifier::Under),
            "khoảng" | "gần" | "ước" | "chừng" | "tầm" | "độ" => {
                Some(Qualifier::About)
            }
            "xỉ" if prev == "xấp" => Some(Qualifier::About),
            "tính" if prev == "ước" => Some(Qualifier::About),
            "nhất" if prev == "ít" => Some(Qualifier::Over),
            "thiểu" if prev == "tối" => Some(Qualifier::Over),
            "quá" if prev == "không" => Some(Qualifier::Under),
            "đến" | "tới" if prev == "chưa" => Some(Qualifier::Under),
            _ => None,
        };
        if let Some(q) = q {
            // "trên địa bàn" is not "over"; only directly before the number (through fillers).
            let start = if matches!(w, "xỉ" | "tính" | "nhất" | "thiểu" | "quá")
                || (matches!(w, "đến" | "tới") && prev == "chưa")
            {
                c.words[k - 1].start
            } else {
                c.words[k].start
            };
            return (q, Some(start));
        }
        if !QUALIFIER_FILLERS.contains(&w) {
            break;
        }
    }
    (Qualifier::Exact, None)
}

/// "100 người trở lên".
fn trailing_over(c: &SentCtx<'_>, after: usize) -> bool {
    (after..(after + 4).min(c.cw.len())).any(|k| c.w(k) == "trở" && c.w(k + 1) == "lên")
}

/// A number that is a change, not a level: "tăng 5 dự án".
fn delta_before(c: &SentCtx<'_>, wi: usize) -> bool {
    let mut k = wi;
    let mut steps = 0;
    while k > 0 && steps < 3 {
        if c.gap(k)
            .bytes()
            .any(|b| matches!(b, b',' | b';' | b'.' | b'(' | b')'))
        {
            return false;
        }
        k -= 1;
        steps += 1;
        match c.w(k) {
            "tăng" | "giảm" => return true,
            "thêm" if k > 0 && matches!(c.w(k - 1), "tăng") => return true,
            "trên" | "hơn" | "khoảng" | "gần" | "thêm" => continue,
            _ => return false,
        }
    }
    false
}

/// The change a percentage states: "tăng 37,91%" 37.91, "giảm 5%" -5,
/// "bằng 101% so với cùng kỳ" 1.0. None for a share or a plan rate.
fn change_of(c: &SentCtx<'_>, n: &Num) -> Option<f64> {
    let v = n.value.scaled(0);
    let wi = c.word_at(n.start);
    let mut k = wi;
    let mut steps = 0;
    while k > 0 && steps < 5 {
        if c.gap(k)
            .bytes()
            .any(|b| matches!(b, b',' | b';' | b'.' | b'(' | b')' | b':'))
        {
            return None;
        }
        k -= 1;
        steps += 1;
        match c.w(k) {
            "tăng" | "trưởng" => return Some(v),
            "giảm" => return Some(-v),
            // "cao hơn 9% so với năm 2013", "thấp hơn 3%".
            "cao" if c.w(k + 1) == "hơn" => return Some(v),
            "thấp" if c.w(k + 1) == "hơn" => return Some(-v),
            "bằng" | "đạt" => {
                let after = c.c(n.end, (n.end + 40).min(c.sent.end));
                if has_any(clip(after, 30), &["so với", "so", "cùng kỳ"])
                    && !has_word(clip(after, 30), "kế hoạch")
                {
                    return Some(((v - 100.0) * 1e6).round() / 1e6);
                }
                return None;
            }
            "khoảng" | "gần" | "trên" | "hơn" | "xấp" | "xỉ" | "lên" | "được" | "thêm" | "ước"
            | "là" | "mức" => continue,
            _ => return None,
        }
    }
    None
}

/// The explanation of an `Unplaced::reason` code.
fn reason_why(code: &str) -> Why {
    let (vi, en) = match code {
        "no_indicator" => ("không rõ là chỉ tiêu nào", "no indicator of the vocabulary"),
        "no_locality" => (
            "thuộc một vùng, không phải một tỉnh",
            "belongs to a region, not a province",
        ),
        "part_of_year" => (
            "số liệu một phần năm (tháng, quý) hoặc không xác định kỳ",
            "part of a year (months, a quarter) or no period",
        ),
        "plan" => (
            "kế hoạch, mục tiêu hoặc dự báo",
            "a plan, target or forecast",
        ),
        "part_of_whole" => (
            "một phần của tổng đã ghi, hoặc nhắc lại",
            "a part of a whole already recorded, or a restatement",
        ),
        "restatement" => (
            "nhắc lại số liệu ở tiêu đề",
            "a headline restating the body",
        ),
        "average" => ("số bình quân nhiều năm", "an average over years"),
        "threshold" => (
            "ngưỡng chung cho một danh sách",
            "a threshold shared by a list",
        ),
        "change" => ("mức tăng/giảm, không phải số liệu", "a change, not a level"),
        _ => (
            "bị loại theo quy tắc của đặc tả",
            "left out by a rule of the spec",
        ),
    };
    Why {
        vi: vi.to_string(),
        en: en.to_string(),
    }
}

/// The indicator named by the noun right after an amount and its unit, if
/// any: `Some(None)` is a noun of no indicator ("vốn đầu tư trong nước").
fn money_head_after(after: &str) -> Option<Option<Indicator>> {
    let t = after.trim_start();
    let t = t.strip_prefix("vốn ").map_or(t, |r| r.trim_start());
    const HEADS: &[(&str, Option<Indicator>)] = &[
        ("đầu tư trong nước", None),
        (
            "đầu tư trực tiếp nước ngoài",
            Some(Indicator::FdiCapitalRegistered),
        ),
        ("đầu tư nước ngoài", Some(Indicator::FdiCapitalRegistered)),
        ("fdi", Some(Indicator::FdiCapitalRegistered)),
        ("kiều hối", Some(Indicator::Remittances)),
        ("oda", Some(Indicator::OdaCapital)),
        ("vay ưu đãi", Some(Indicator::OdaCapital)),
        ("viện trợ", Some(Indicator::NgoAidAmount)),
        ("hàng xuất khẩu", Some(Indicator::TradeExport)),
        ("hàng nhập khẩu", Some(Indicator::TradeImport)),
    ];
    HEADS.iter().find_map(|(k, ind)| {
        let rest = t.strip_prefix(k)?;
        let boundary = rest.chars().next().is_none_or(|ch| !ch.is_alphanumeric());
        // "viện trợ ODA" is ODA, not NGO aid.
        if *k == "viện trợ" && has_any(clip(rest, 20), &["oda"]) {
            return Some(Some(Indicator::OdaCapital));
        }
        boundary.then_some(*ind)
    })
}

/// Classify a money figure from its label.
#[allow(clippy::too_many_arguments)]
fn classify_money(
    c: &SentCtx<'_>,
    label: &str,
    label_start: usize,
    num_start: usize,
    prev_count: Option<Option<Indicator>>,
    prev_money: bool,
    topic: &dyn Fn() -> Option<Family>,
    prev_doc_money: Option<Indicator>,
) -> (Option<Indicator>, Strength) {
    let _ = num_start;
    // A restatement in another currency: "80 triệu USD, tương đương 1.840 tỷ"
    // (not "tương ứng lần lượt là", which hands values to a list).
    if has_any(label, &["tương đương", "quy đổi"])
        || (has_word(label, "tương ứng") && !has_word(label, "lần lượt") && prev_money)
        || (prev_money && label.trim().starts_with('('))
    {
        return (None, Strength::Strong);
    }
    // Linked to the counted figure it qualifies: "39 dự án ... với tổng số vốn đăng ký".
    let link = has_any(
        label,
        &[
            "với tổng",
            "tổng vốn",
            "tổng số vốn",
            "tổng số tiền",
            "tổng trị giá",
            "trị giá",
            "tổng kinh phí",
            "kinh phí",
            "với số vốn",
            "với vốn",
            "tổng giá trị",
            "số tiền",
        ],
    );
    if link && let Some(ind) = prev_count {
        return (money_of(ind), Strength::Linked);
    }
    const KEYS: &[(&str, Option<Indicator>)] = &[
        ("xuất nhập khẩu", None),
        ("xuất, nhập khẩu", None),
        ("xuất khẩu", Some(Indicator::TradeExport)),
        ("nhập khẩu", Some(Indicator::TradeImport)),
        ("grdp", Some(Indicator::Grdp)),
        ("tổng sản phẩm trên địa bàn", Some(Indicator::Grdp)),
        ("tổng sản phẩm", Some(Indicator::Grdp)),
        ("đầu người", None),
        ("bình quân", None),
        ("kiều hối", Some(Indicator::Remittances)),
        ("oda", Some(Indicator::OdaCapital)),
        ("vốn vay ưu đãi", Some(Indicator::OdaCapital)),
        ("vay ưu đãi", Some(Indicator::OdaCapital)),
        ("hỗ trợ phát triển chính thức", Some(Indicator::OdaCapital)),
        ("phi chính phủ", Some(Indicator::NgoAidAmount)),
        ("pcpnn", Some(Indicator::NgoAidAmount)),
        ("ngo", Some(Indicator::NgoAidAmount)),
        ("viện trợ", Some(Indicator::NgoAidAmount)),
        ("fdi", Some(Indicator::FdiCapitalRegistered)),
        (
            "đầu tư trực tiếp nước ngoài",
            Some(Indicator::FdiCapitalRegistered),
        ),
        ("đầu tư nước ngoài", Some(Indicator::FdiCapitalRegistered)),
        ("vốn nước ngoài", Some(Indicator::FdiCapitalRegistered)),
        ("đối ứng", None),
        ("ngân sách", None),
        ("trong nước", None),
        ("ddi", None),
        ("doanh thu", None),
        ("lợi nhuận", None),
        ("toàn xã hội", None),
        ("thu nhập", None),
    ];
    let mut best: Option<(usize, usize, Option<Indicator>)> = None;
    for (k, ind) in KEYS {
        if let Some(p) = rfind_word(label, k) {
            let end = p + k.len();
            let better = match best {
                None => true,
                Some((be, bl, _)) => end > be || (end == be && k.len() > bl),
            };
            if better {
                best = Some((end, k.len(), *ind));
            }
        }
    }
    if let Some((end, _, ind)) = best {
        let mut ind = ind;
        // "viện trợ" with ODA nearby is ODA.
        if ind == Some(Indicator::NgoAidAmount)
            && has_any(label, &["oda", "vay ưu đãi"])
            && !has_any(label, &["phi chính phủ", "pcpnn"])
        {
            ind = Some(Indicator::OdaCapital);
        }
        // FDI disbursed or implemented is not registered capital.
        if ind == Some(Indicator::FdiCapitalRegistered)
            && has_any(&label[end..], &["giải ngân", "thực hiện"])
        {
            ind = None;
        }
        return (ind, Strength::Strong);
    }
    // "vốn đăng ký" names FDI only where the sentence is about foreign investment.
    if has_any(
        label,
        &[
            "vốn đăng ký",
            "vốn đầu tư đăng ký",
            "vốn đầu tư",
            "vốn cấp mới",
        ],
    ) {
        let sent_before = c.c(c.sent.start, label_start);
        if family_in(sent_before, true) == Some(Family::Fdi) {
            return (Some(Indicator::FdiCapitalRegistered), Strength::Linked);
        }
        // …or where the paragraph, or the figure read just before, is about
        // foreign investment ("Đứng thứ hai là X với tổng vốn đầu tư đăng ký …"
        // after a sentence on FDI).
        if topic() == Some(Family::Fdi) || prev_doc_money == Some(Indicator::FdiCapitalRegistered) {
            return (Some(Indicator::FdiCapitalRegistered), Strength::Weak);
        }
    }
    // Otherwise, the money of the counted figure before it in the clause.
    if let Some(ind) = prev_count
        && let Some(m) = money_of(ind)
    {
        return (Some(m), Strength::Weak);
    }
    (None, Strength::Weak)
}

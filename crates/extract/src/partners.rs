//! Partnerships with foreign localities and organisations.
//!
//! A partner is read only after a relation word in the same sentence
//! ("ký kết thỏa thuận", "kết nghĩa", "thiết lập quan hệ", "hợp tác với").
//! Candidates are (a) names after a locality type word ("tỉnh X", "bang X",
//! "các tỉnh X, Y, Z (Campuchia)"), (b) organisations named with a capitalised
//! type word ("Trường Đại học X - Úc"), (c) bare names followed by a country
//! ("Xiêng Khoảng - Lào", "Gelderland - Hà Lan"), (d) names of the partner
//! vocabulary. A locality needs a foreign country (from the text or the
//! vocabulary); an organisation needs one too unless the vocabulary knows it.

use crate::extract::{Doc, Loc, SentCtx};
use crate::gazetteer::{Mention, PartnerType, Place};
use crate::periods::MarkerKind;
use crate::text::{find_word, has_word};
use crate::types::{Partnership, PartnershipKind, Period, Subject};

#[derive(Debug, Clone)]
pub(crate) struct Found {
    name: String,
    country: Option<String>,
    kind: PartnershipKind,
    loc: Loc,
    period: Option<Period>,
    span: (usize, usize),
}

#[derive(Debug, Clone, Copy)]
struct Cue {
    start: usize,
    end: usize,
    rank: u8,
}

const CUES: &[(&str, u8)] = &[
    ("kết nghĩa", 3),
    ("thỏa thuận", 2),
    ("bản ghi nhớ", 2),
    ("ghi nhớ", 2),
    ("mou", 2),
    ("ký kết", 2),
    ("ký", 2),
    ("biên bản hợp tác", 2),
    ("văn bản hợp tác", 2),
    ("thiết lập quan hệ", 1),
    ("quan hệ hợp tác", 1),
    ("hợp tác", 1),
    ("quan hệ hữu nghị", 1),
    ("quan hệ ngoại giao", 1),
    ("quan hệ đối ngoại", 1),
    ("kết nối hợp tác", 1),
    // "dự án … do Quỹ X (Pháp) tài trợ": a donor funding a project works with
    // the province (spec fixtures: a relation named without a signed document).
    ("tài trợ", 1),
];

const INTENT: &[&str] = &[
    "sẽ",
    "dự kiến",
    "đề nghị",
    "mong muốn",
    "tiến tới",
    "nghiên cứu",
    "đề xuất",
    "kiến nghị",
    "hướng tới",
    "có thể",
    "chuẩn bị",
    "xem xét",
    "tìm kiếm",
    "tiềm năng",
    "khả năng",
];

const BLOCKERS: &[&str] = &[
    // Licences handed to investors are decisions, not cooperation (spec,
    // Clarifications: an investment licence handed over is not a partnership).
    "chủ trương đầu tư",
    "chứng nhận đầu tư",
    "chứng nhận đăng ký đầu tư",
    "giấy phép đầu tư",
    "tiếp đoàn",
    "đón đoàn",
    "đến thăm",
    "làm việc với",
    "tham dự",
    "tham gia",
    "hội chợ",
    "triển lãm",
    "tiếp và làm việc",
];

/// Locality type words (canonical), longest first.
const TYPE_WORDS: &[&[&str]] = &[
    &["tỉnh", "bang"],
    &["thành", "phố"],
    &["thủ", "đô"],
    &["thị", "xã"],
    &["đô", "thị"],
    &["tỉnh"],
    &["bang"],
    &["quận"],
    &["huyện"],
    &["xã"],
    &["vùng"],
    &["châu"],
    &["hạt"],
];

/// Capitalised words that start an organisation's name.
const ORG_HEADS: &[&[&str]] = &[
    &["trường"],
    &["đại", "học"],
    &["học", "viện"],
    &["tập", "đoàn"],
    &["công", "ty"],
    &["bộ"],
    &["liên", "đoàn"],
    &["hiệp", "hội"],
    &["hội"],
    &["tổ", "chức"],
    &["quỹ"],
    &["viện"],
    &["bệnh", "viện"],
    &["ngân", "hàng"],
    &["phòng", "thương", "mại"],
    &["cơ", "quan"],
    &["liên", "minh"],
    &["trung", "tâm"],
    &["đại", "sứ", "quán"],
    &["tổng", "lãnh", "sự", "quán"],
    &["lãnh", "sự", "quán"],
    &["văn", "phòng"],
    &["ủy", "ban"],
    &["uỷ", "ban"],
    &["tổng", "cục"],
    &["cục"],
    &["chính", "phủ"],
];

const NAME_STOP: &[&str] = &[
    "về", "để", "nhằm", "trong", "tại", "với", "cho", "từ", "đã", "sẽ", "đang", "được", "là",
    "theo", "trên", "vào", "giai", "năm", "nhiệm", "thời", "từ", "đến", "qua", "ký", "kết", "này",
    "đó", "các", "những", "giữa",
];

fn matches_at(c: &SentCtx<'_>, k: usize, ws: &[&str]) -> bool {
    ws.iter().enumerate().all(|(d, w)| c.w(k + d) == *w)
        && (1..ws.len()).all(|d| c.gap(k + d).trim().is_empty())
}

fn type_word_at(c: &SentCtx<'_>, k: usize) -> Option<usize> {
    TYPE_WORDS
        .iter()
        .find(|t| matches_at(c, k, t))
        .map(|t| t.len())
}

fn org_head_at(c: &SentCtx<'_>, k: usize) -> Option<usize> {
    if !c.words.get(k)?.cap {
        return None;
    }
    ORG_HEADS
        .iter()
        .find(|t| matches_at(c, k, t))
        .map(|t| t.len())
}

/// The mention starting at word k, if any.
fn mention_at(ms: &[Mention], k: usize) -> Option<&Mention> {
    ms.iter().find(|m| m.word == k)
}

fn is_foreign_country(doc: &Doc<'_>, m: &Mention) -> Option<String> {
    match m.place {
        Place::Country(ci) => {
            let code = doc.gaz().country_code(ci);
            (code != "VN").then(|| code.to_string())
        }
        _ => None,
    }
}

/// A capitalised name starting at word k: words that start with a capital,
/// joined by single spaces or hyphens. Returns the index after the last word.
fn cap_name(c: &SentCtx<'_>, k: usize) -> Option<usize> {
    if k >= c.words.len() || !c.words[k].cap {
        return None;
    }
    let mut e = k + 1;
    while e < c.words.len() && c.words[e].cap {
        let g = c.gap(e);
        if !(g == " " || g == "-") {
            break;
        }
        e += 1;
    }
    Some(e)
}

/// What follows a name: a country, and where the item ends.
struct After {
    country: Option<String>,
    /// The parenthesis after the name names a Vietnamese province (the local side).
    vietnamese_side: Option<u16>,
    end_word: usize,
    end_byte: usize,
}

fn after_name(doc: &Doc<'_>, c: &SentCtx<'_>, e: usize, name_end_byte: usize) -> After {
    let mut out = After {
        country: None,
        vietnamese_side: None,
        end_word: e,
        end_byte: name_end_byte,
    };
    if e >= c.words.len() {
        return out;
    }
    let g = c.gap(e);
    let gt = g.trim();
    if gt == "-" || gt == "–" {
        if let Some(m) = mention_at(&c.mentions, e)
            && let Some(cc) = is_foreign_country(doc, m)
        {
            out.country = Some(cc);
            out.end_word = m.word + m.n_words;
            out.end_byte = m.end;
        }
        return out;
    }
    if gt.starts_with('(') {
        // The parenthesis: up to ")".
        let open = c.words[e - 1].end + g.find('(').unwrap();
        let close = c.norm[open..c.sent.end].find(')').map(|p| open + p);
        if let Some(close) = close {
            let inner: Vec<&Mention> = c
                .mentions
                .iter()
                .filter(|m| m.start > open && m.end <= close)
                .collect();
            if let Some(m) = inner
                .iter()
                .rev()
                .find(|m| matches!(m.place, Place::Country(_)))
            {
                out.country = is_foreign_country(doc, m);
            }
            if let Some(m) = inner.iter().find(|m| matches!(m.place, Place::Province(_)))
                && let Place::Province(p) = m.place
            {
                out.vietnamese_side = Some(p);
            }
            out.end_word = c.word_at(close + 1);
            out.end_byte = close + 1;
        }
        return out;
    }
    if gt == "," || matches!(c.w(e), "của" | "thuộc") {
        let k = if gt == "," { e } else { e + 1 };
        if let Some(m) = mention_at(&c.mentions, k)
            && let Some(cc) = is_foreign_country(doc, m)
        {
            let after = m.word + m.n_words;
            let next_gap = c.gap(after);
            let ends = after >= c.words.len()
                || next_gap.contains([',', ';', '.', ')'])
                || c.w(after) == "và";
            if ends || gt != "," {
                out.country = Some(cc);
                out.end_word = after;
                out.end_byte = m.end;
            }
        }
    }
    out
}

struct Item {
    name: (usize, usize),
    span: (usize, usize),
    country: Option<String>,
    is_locality: bool,
    in_vocab: bool,
}

pub(crate) fn find(doc: &Doc<'_>, c: &SentCtx<'_>, out: &mut Vec<Found>) {
    let s = c.sent;
    let sc = c.c(s.start, s.end);
    // Relation cues.
    let mut cues: Vec<Cue> = Vec::new();
    for (key, rank) in CUES {
        let mut from = 0;
        while let Some(p) = find_word(sc, key, from) {
            from = p + key.len();
            let abs = s.start + p;
            let before = crate::extract::tail(&sc[..p], 40);
            if INTENT.iter().any(|w| has_word(before, w)) {
                continue;
            }
            // "nhà tài trợ" (donors) names no relation.
            if *key == "tài trợ" && before.trim_end().ends_with("nhà") {
                continue;
            }
            cues.push(Cue {
                start: abs,
                end: abs + key.len(),
                rank: *rank,
            });
        }
    }
    if cues.is_empty() {
        return;
    }
    cues.sort_by_key(|q| q.start);
    // Items may stand before their cue only as the second party of a pair
    // ("tỉnh Quảng Trị và tỉnh Savannakhet (Lào) đã ký kết ..."): scan from the start.
    let first_cue = s.start;
    let mut items: Vec<Item> = Vec::new();
    let mut consumed: Vec<(usize, usize)> = Vec::new();
    let is_consumed = |consumed: &Vec<(usize, usize)>, pos: usize| {
        consumed.iter().any(|&(a, b)| pos >= a && pos < b)
    };
    let n = c.words.len();
    let mut k = c.word_at(first_cue);
    while k < n {
        let wpos = c.words[k].start;
        if is_consumed(&consumed, wpos) {
            k += 1;
            continue;
        }
        // (a) Type word + names.
        if let Some(tl) = type_word_at(c, k) {
            let plural = k > 0 && c.w(k - 1) == "các";
            let item_start =
                if k > 0 && matches!(c.w(k - 1), "quyền") && k > 1 && c.w(k - 2) == "chính" {
                    c.words[k - 2].start
                } else {
                    c.words[k].start
                };
            let mut j = k + tl;
            // Descriptors: "xã biên giới Ia Rvê", "tỉnh bạn Xiêng Khoảng".
            let mut skipped = 0;
            while j < n && !c.words[j].cap && skipped < 2 && c.gap(j).trim().is_empty() {
                j += 1;
                skipped += 1;
            }
            let mut list: Vec<(usize, usize, usize, usize)> = Vec::new(); // name start/end bytes, word end, item start byte
            let mut after: Option<After> = None;
            let mut cur = j;
            let mut first = true;
            loop {
                if cur >= n {
                    break;
                }
                if type_word_at(c, cur).is_some() || org_head_at(c, cur).is_some() {
                    break;
                }
                if let Some(m) = mention_at(&c.mentions, cur)
                    && matches!(
                        m.place,
                        Place::Country(_) | Place::Province(_) | Place::Region
                    )
                    && !first
                {
                    break;
                }
                let Some(mut e) = cap_name(c, cur) else { break };
                // A trailing country inside the run: "tỉnh Gyeonggi Hàn Quốc".
                let mut trailing_country = None;
                for m in c.mentions.iter().filter(|m| m.word > cur && m.word < e) {
                    if let Some(cc) = is_foreign_country(doc, m)
                        && m.word + m.n_words == e
                    {
                        trailing_country = Some(cc);
                        e = m.word;
                        break;
                    }
                }
                let nb = (c.words[cur].start, c.words[e - 1].end);
                let a = after_name(doc, c, e, nb.1);
                let st = if first { item_start } else { nb.0 };
                list.push((nb.0, nb.1, a.end_word, st));
                let mut a = a;
                if a.country.is_none() {
                    a.country = trailing_country;
                }
                let has_country = a.country.is_some() || a.vietnamese_side.is_some();
                let end_word = a.end_word;
                let vn = a.vietnamese_side;
                after = Some(a);
                first = false;
                // Continue a list: ", Y" or " và Y" (all under the same type word).
                let next = end_word;
                if has_country && !plural {
                    // "tỉnh X - Lào, tỉnh Y - Campuchia": each item names its own country.
                    if vn.is_some() {
                        break;
                    }
                }
                if next < n
                    && (c.gap(next).trim() == ","
                        || (c.w(next) == "và" && c.gap(next).trim().is_empty()))
                {
                    let cand = if c.w(next) == "và" { next + 1 } else { next };
                    if cand < n
                        && c.words[cand].cap
                        && type_word_at(c, cand).is_none()
                        && org_head_at(c, cand).is_none()
                        && !mention_at(&c.mentions, cand).is_some_and(|m| {
                            matches!(
                                m.place,
                                Place::Country(_) | Place::Province(_) | Place::Region
                            )
                        })
                        && (plural || !has_country)
                    {
                        cur = cand;
                        continue;
                    }
                }
                break;
            }
            if let Some(a) = after {
                let list_country = a.country.clone();
                let vn_side = a.vietnamese_side.is_some();
                let last_end = a.end_byte;
                let count = list.len();
                for (idx, (ns, ne, _ew, st)) in list.into_iter().enumerate() {
                    let country = if idx + 1 == count {
                        list_country.clone()
                    } else {
                        None
                    };
                    let span_end = if idx + 1 == count { last_end } else { ne };
                    if !vn_side {
                        items.push(Item {
                            name: (ns, ne),
                            span: (st, span_end),
                            country,
                            is_locality: true,
                            in_vocab: false,
                        });
                    }
                }
                // The list's country applies to all its names without one.
                if !vn_side {
                    let cnt = items.len();
                    if let Some(cc) = list_country {
                        for it in &mut items[cnt - count..] {
                            if it.country.is_none() {
                                it.country = Some(cc.clone());
                            }
                        }
                    }
                }
                consumed.push((c.words[k].start, last_end));
                k = c.word_at(last_end).max(k + 1);
                continue;
            }
            k += tl;
            continue;
        }
        // (b) Organisations.
        if let Some(hl) = org_head_at(c, k) {
            let mut e = k + hl;
            let mut words_in = 0;
            while e < n && words_in < 12 {
                let g = c.gap(e);
                // "… Energy PTE. Ltd": a company-form abbreviation continues.
                let abbrev = g == ". " && c.words[e].cap && e > 0 && {
                    let prev = &c.norm[c.words[e - 1].start..c.words[e - 1].end];
                    prev.len() <= 4 && prev.chars().all(|ch| ch.is_ascii_uppercase())
                        || matches!(prev, "Co" | "Corp" | "Inc" | "Pte" | "Ltd")
                };
                if g != " " && !abbrev {
                    break;
                }
                let w = c.w(e);
                if !c.words[e].cap
                    && (NAME_STOP.contains(&w)
                        || (w == "và" && !c.words.get(e + 1).is_some_and(|x| x.cap)))
                {
                    break;
                }
                e += 1;
                words_in += 1;
            }
            if e == k + hl {
                k += hl;
                continue;
            }
            let name = (c.words[k].start, c.words[e - 1].end);
            // A country at the end of the name is part of it: "Liên đoàn ... Ấn Độ".
            let mut country = None;
            for m in c
                .mentions
                .iter()
                .filter(|m| m.word >= k + hl && m.word + m.n_words == e)
            {
                country = is_foreign_country(doc, m);
            }
            let a = after_name(doc, c, e, name.1);
            if a.country.is_some() {
                country = a.country.clone();
            }
            let domestic = c.mentions.iter().any(|m| {
                m.start >= name.0 && m.end <= name.1 && (matches!(m.place, Place::Province(_)) || matches!(m.place, Place::Country(ci) if doc.gaz().country_code(ci) == "VN"))
            });
            if !domestic && a.vietnamese_side.is_none() {
                let vocab = c.mentions.iter().find(|m| {
                    m.start == name.0 && m.end == name.1 && matches!(m.place, Place::Partner(_))
                });
                if let Some(Mention {
                    place: Place::Partner(pi),
                    ..
                }) = vocab
                    && country.is_none()
                {
                    country = doc.gaz().partners[*pi as usize].country.clone();
                }
                items.push(Item {
                    name,
                    span: (name.0, a.end_byte),
                    country,
                    is_locality: false,
                    in_vocab: vocab.is_some(),
                });
            }
            consumed.push((name.0, a.end_byte));
            k = a.end_word.max(k + 1);
            continue;
        }
        k += 1;
    }
    // (c) Bare names before a country: "Xiêng Khoảng - Lào", "Jeollabuk (Hàn Quốc)".
    for m in &c.mentions {
        if m.start < first_cue || is_consumed(&consumed, m.start) {
            continue;
        }
        let Some(cc) = is_foreign_country(doc, m) else {
            continue;
        };
        if m.word == 0 {
            continue;
        }
        let g = c.gap(m.word);
        let gt = g.trim();
        if !(gt == "-" || gt == "(") {
            continue;
        }
        // Walk back over the capitalised name.
        let e = m.word;
        let mut st = e;
        while st > 0 && c.words[st - 1].cap && (st == e || matches!(c.gap(st), " " | "-")) {
            st -= 1;
            if st < e - 1 && !matches!(c.gap(st + 1), " " | "-") {
                st += 1;
                break;
            }
        }
        if st == e {
            continue;
        }
        // Not a Vietnamese province, country or region itself.
        let name = (c.words[st].start, c.words[e - 1].end);
        if name.0 < first_cue || is_consumed(&consumed, name.0) {
            continue;
        }
        let covered = c.mentions.iter().any(|x| {
            x.start <= name.0
                && x.end >= name.1
                && matches!(
                    x.place,
                    Place::Province(_) | Place::Country(_) | Place::Region | Place::Other
                )
        });
        // Only the last part of "Vĩnh Long - Gelderland": trim a province at the start.
        if covered {
            continue;
        }
        let starts_with_province = c.mentions.iter().any(|x| {
            x.start == name.0 && matches!(x.place, Place::Province(_) | Place::Country(_))
        });
        if starts_with_province {
            continue;
        }
        let end = if gt == "(" {
            c.norm[m.end..s.end]
                .find(')')
                .map_or(m.end, |p| m.end + p + 1)
        } else {
            m.end
        };
        let is_org = org_head_at(c, st).is_some();
        items.push(Item {
            name,
            span: (name.0, end),
            country: Some(cc),
            is_locality: !is_org,
            in_vocab: false,
        });
        consumed.push((name.0, end));
    }
    // (d) Known partners named anywhere after a cue.
    for m in &c.mentions {
        if m.start < first_cue || is_consumed(&consumed, m.start) {
            continue;
        }
        if let Place::Partner(pi) = m.place {
            let p = &doc.gaz().partners[pi as usize];
            items.push(Item {
                name: (m.start, m.end),
                span: (m.start, m.end),
                country: p.country.clone(),
                is_locality: p.kind == PartnerType::Locality,
                in_vocab: true,
            });
            consumed.push((m.start, m.end));
        }
    }
    items.sort_by_key(|i| i.span.0);

    for (idx, it) in items.iter().enumerate() {
        let name = &c.norm[it.name.0..it.name.1];
        // Vocabulary fills in a country the text leaves out.
        let mut country = it.country.clone();
        let mut in_vocab = it.in_vocab;
        if country.is_none()
            && let Some(m) = c
                .mentions
                .iter()
                .find(|m| m.start == it.name.0 && m.end == it.name.1)
            && let Place::Partner(pi) = m.place
        {
            country = doc.gaz().partners[pi as usize].country.clone();
            in_vocab = true;
        }
        // The same name given its country elsewhere in the sentence ("thành
        // phố Le Havre (Pháp) …, Thị trưởng thành phố Le Havre, đã ký …").
        if country.is_none() {
            country = items
                .iter()
                .filter(|o| o.country.is_some())
                .find(|o| name_key(&c.norm[o.name.0..o.name.1]) == name_key(name))
                .and_then(|o| o.country.clone());
        }
        // A district or city of a foreign partner named in the sentence is in
        // that partner's country ("Lào Cai và Vân Nam đã hình thành 6 cặp quan
        // hệ: thành phố Lào Cai với huyện Hà Khẩu; …").
        let wi0 = c.word_at(it.span.0);
        let we0 = c.word_at(it.span.1);
        let second_of_pair = wi0 > 0
            && matches!(c.w(wi0 - 1), "với" | "và")
            // "… và huyện A với huyện X": A is the first of the next pair.
            && c.w(we0) != "với";
        if country.is_none() && it.is_locality && second_of_pair {
            country = c.mentions.iter().find_map(|m| match m.place {
                Place::Partner(pi) if m.end <= it.span.0 => {
                    let p = &doc.gaz().partners[pi as usize];
                    (p.kind == PartnerType::Locality)
                        .then(|| p.country.clone())
                        .flatten()
                }
                _ => None,
            });
        }
        // A foreign company named in Latin letters without Vietnamese marks
        // ("Tập đoàn Jiayuan International", "Công ty Delta Offshore Energy
        // PTE. Ltd") is a partner even when no country is given; one named
        // in Vietnamese ("Công ty cổ phần Viễn thông …") is domestic.
        let foreign_firm = !it.is_locality && foreign_firm_name(name);
        if country.is_none() && (it.is_locality || !in_vocab) && !foreign_firm {
            continue;
        }
        // A name inside a route ("hành lang kinh tế Côn Minh - Lào Cai - Hà
        // Nội", "tuyến cao tốc …") names a place on the way, not a partner.
        let before_item = crate::extract::tail(c.c(s.start, it.span.0), 40);
        if ["hành lang", "tuyến", "cao tốc", "đường sắt", "tuyến đường"]
            .iter()
            .any(|k| has_word(before_item, k))
        {
            continue;
        }
        // Not a Vietnamese place, a country or a region.
        if c.mentions.iter().any(|m| {
            m.start == it.name.0
                && m.end == it.name.1
                && matches!(
                    m.place,
                    Place::Province(_) | Place::Country(_) | Place::Region | Place::Other
                )
        }) {
            continue;
        }
        // The governing cue: the last cue before the item, with those close before it.
        let rank = if let Some(last) = cues.iter().rev().find(|q| q.end <= it.span.0) {
            let between = c.c(last.end, it.span.0);
            if BLOCKERS.iter().any(|b| has_word(between, b)) {
                continue;
            }
            let before_rank = cues
                .iter()
                .filter(|q| q.end <= last.end && q.start + 80 >= last.start)
                .map(|q| q.rank)
                .max()
                .unwrap_or(1);
            // A party named before the signing in its clause signs too:
            // "…, Thị trưởng thành phố X, đã ký Bản ghi nhớ …".
            before_rank.max(signed_after(c, &cues, it.span.1))
        } else {
            // A cue after the item: "A và tỉnh X (Lào) đã ký kết ...".
            let Some(next) = cues.iter().find(|q| q.start >= it.span.1) else {
                continue;
            };
            let between = c.c(it.span.1, next.start);
            let wi = c.word_at(it.span.0);
            // The second party of a pair ("A và tỉnh X đã ký"), the first one
            // ("tỉnh X và tỉnh A đã tổ chức lễ ký"), or the agent of a
            // passive ("do Quỹ X tài trợ").
            let we = c.word_at(it.span.1);
            let joined = (wi.saturating_sub(2)..wi).any(|k| matches!(c.w(k), "và" | "với" | "giữa"))
                || (c.w(we) == "và" && c.words.get(we).is_some_and(|w| w.start >= it.span.1))
                || (wi > 0 && c.w(wi - 1) == "do")
                // A signatory's title: "Thị trưởng thành phố X đã ký Bản ghi nhớ".
                || ((wi.saturating_sub(3)..wi)
                    .any(|k| matches!(c.w(k), "trưởng" | "tịch" | "đốc" | "diện" | "đạo"))
                    && signed_after(c, &cues, it.span.1) == 2);
            let before = crate::extract::tail(c.c(s.start, it.span.0), 40);
            let purpose = INTENT
                .iter()
                .chain(&["để", "nhằm"])
                .any(|w| has_word(between, w));
            if !joined
                || between.len() > 60
                || between.contains(';')
                || purpose
                || BLOCKERS
                    .iter()
                    .any(|b| has_word(between, b) || has_word(before, b))
            {
                continue;
            }
            cues.iter()
                .filter(|q| q.start >= next.start && q.start <= next.end + 40)
                .map(|q| q.rank)
                .max()
                .unwrap_or(1)
        };
        let kind = match rank {
            3 if it.is_locality => PartnershipKind::Twinning,
            3 => PartnershipKind::Cooperation,
            2 => PartnershipKind::Agreement,
            _ => PartnershipKind::Cooperation,
        };
        // Period: a range or a date after the item, before the next item or clause end.
        let next_start = items.get(idx + 1).map_or(s.end, |n| n.span.0);
        let clause_end = c.norm[it.span.1.min(s.end)..s.end]
            .find(';')
            .map_or(s.end, |p| it.span.1 + p);
        let lim = next_start.min(clause_end);
        let period = c
            .markers
            .iter()
            .filter(|m| m.start >= it.span.1 && m.end <= lim.max(it.span.1))
            .find_map(|m| match m.kind {
                MarkerKind::Range(a, b) => Some(Period::Range { from: a, to: b }),
                MarkerKind::Event(y) | MarkerKind::Year(y) | MarkerKind::Since(y) => {
                    Some(Period::Since(y))
                }
                _ => None,
            });
        // The Vietnamese side: the nearest province named before the item.
        let loc = c
            .loc_cues
            .iter()
            .rev()
            .find(|l| l.pos < it.span.0 && matches!(l.loc, Loc::Province(_)))
            .map_or(Loc::Subject, |l| l.loc);
        out.push(Found {
            name: name.to_string(),
            country,
            kind,
            loc,
            period,
            span: it.span,
        });
    }
}

/// The rank of a signing ("ký", "ký kết" with a document) after a party, in
/// its ';'-clause and close to it: 2, else 0.
fn signed_after(c: &SentCtx<'_>, cues: &[Cue], item_end: usize) -> u8 {
    let Some(sign) = cues
        .iter()
        .find(|q| q.start >= item_end && matches!(c.c(q.start, q.end), "ký" | "ký kết"))
    else {
        return 0;
    };
    let between = c.c(item_end, sign.start);
    if between.len() > 120
        || between.contains(';')
        || INTENT.iter().any(|w| has_word(between, w))
        || BLOCKERS.iter().any(|b| has_word(between, b))
    {
        return 0;
    }
    // The signing must name a document right after it.
    let after = crate::extract::clip(c.c(sign.end, (sign.end + 40).min(c.sent.end)), 40);
    if [
        "thỏa thuận",
        "bản ghi nhớ",
        "biên bản",
        "ghi nhớ",
        "văn bản",
        "mou",
        "hiệp định",
    ]
    .iter()
    .any(|k| has_word(after, k))
    {
        2
    } else {
        0
    }
}

/// A company or group named in Latin letters with no Vietnamese marks.
fn foreign_firm_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    let rest = ["tập đoàn ", "công ty ", "tổng công ty "]
        .iter()
        .find_map(|h| lower.strip_prefix(h));
    let Some(rest) = rest else { return false };
    let rest = rest
        .strip_prefix("tnhh ")
        .or_else(|| rest.strip_prefix("cổ phần "))
        .unwrap_or(rest);
    !rest.trim().is_empty() && rest.is_ascii() && rest.split_whitespace().any(|w| w.len() >= 3)
}

/// How sure the reader is of a partnership, and the words behind it.
fn partner_confidence(doc: &Doc<'_>, f: &Found) -> (f64, crate::types::Why) {
    let mut conf: f64 = 0.9;
    let mut vi = Vec::new();
    let mut en = Vec::new();
    if f.loc == Loc::Subject {
        conf -= 0.1;
        vi.push("phía Việt Nam là chủ thể của bài");
        en.push("the Vietnamese side is the article's subject");
    }
    if f.country.is_none() {
        conf -= 0.15;
        vi.push("không rõ quốc gia của đối tác");
        en.push("the partner's country is not known");
    }
    if f.kind == PartnershipKind::Cooperation {
        conf -= 0.1;
        vi.push("quan hệ hợp tác không nêu văn bản ký kết");
        en.push("a cooperation with no signed document named");
    }
    let words = doc.source(f.span.0, f.span.1);
    let words = crate::extract::clip(words.trim(), 120);
    let tail_vi = if vi.is_empty() {
        "nêu rõ".to_string()
    } else {
        vi.join("; ")
    };
    let tail_en = if en.is_empty() {
        "stated".to_string()
    } else {
        en.join("; ")
    };
    (
        (conf.clamp(0.05, 0.99) * 100.0).round() / 100.0,
        crate::types::Why {
            vi: format!("«{words}» — {tail_vi}"),
            en: format!("«{words}» — {tail_en}"),
        },
    )
}

fn name_key(s: &str) -> String {
    crate::score::fold(s)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

pub(crate) fn finish(doc: &Doc<'_>, found: Vec<Found>, subject: &Subject) -> Vec<Partnership> {
    let mut out: Vec<Partnership> = Vec::new();
    let mut seen: Vec<(String, String)> = Vec::new();
    // One relation per province and partner, of the strongest kind the text
    // gives it: the memorandum signed and the cooperation it opens are one
    // relation (a twinning, then an agreement, then a cooperation).
    let strength = |k: PartnershipKind| match k {
        PartnershipKind::Twinning => 3,
        PartnershipKind::Agreement => 2,
        PartnershipKind::Cooperation => 1,
    };
    for f in found {
        let Some(locality) = doc.locality_name(f.loc, subject) else {
            continue;
        };
        // Partnerships are the provinces' own: the nation's donors and
        // partners are not recorded.
        if locality == crate::types::NATIONAL {
            continue;
        }
        let key = (crate::score::fold(&locality), name_key(&f.name));
        if let Some(i) = seen.iter().position(|k| *k == key) {
            if strength(f.kind) > strength(out[i].kind) {
                out[i].kind = f.kind;
                out[i].span = [f.span.0, f.span.1];
                let (confidence, why) = partner_confidence(doc, &f);
                out[i].confidence = confidence;
                out[i].why = why;
                if f.period.is_some() {
                    out[i].period = f.period;
                }
            } else if out[i].period.is_none() {
                out[i].period = f.period;
            }
            continue;
        }
        seen.push(key);
        let (confidence, why) = partner_confidence(doc, &f);
        out.push(Partnership {
            locality,
            partner: f.name,
            partner_country: f.country,
            kind: f.kind,
            period: f.period,
            span: [f.span.0, f.span.1],
            confidence,
            why,
            page: None,
        });
    }
    out
}

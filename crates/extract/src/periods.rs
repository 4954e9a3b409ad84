//! Time expressions in a sentence: the markers that decide a figure's period.

use crate::text::Word;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MarkerKind {
    /// "năm 2016", "trong năm 2016".
    Year(i32),
    /// "giai đoạn 2012 - 2016", "từ năm 2012 đến năm 2016", "(2015-2020)".
    Range(i32, i32),
    /// "từ năm 2016 đến nay", "kể từ năm 2016", "từ sau Hội nghị Ngoại vụ lần thứ 18".
    Since(i32),
    /// "đến nay", "hiện nay", "hiện có", "lũy kế" (None: the report's year), "tính đến năm 2019".
    AsOf(Option<i32>),
    /// "hàng năm", "mỗi năm", "12 kỳ/năm", "năm nay", "từ đầu năm đến nay": the report's year.
    ReportYear,
    /// "trong năm", "năm qua": the year the text is talking about.
    CtxYear,
    /// "6 tháng đầu năm", "quý I", "trong tháng 6": part of a year.
    PartYear,
    /// A date or month an event happened ("vào tháng 12/2017", "ngày 10/8/2022").
    Event(i32),
    /// A future horizon ("đến năm 2030").
    Target,
    /// "nhiệm kỳ qua", "trong nhiệm kỳ": the document's term, when it names one.
    Term,
    /// A cut-off at a day or month ("tính đến ngày 20/10/2023", "đến hết năm
    /// 2023"): year and month (12 for a year's end). A stock counted then is
    /// `as_of` that year; a flow counted to the year's end is that year's
    /// result, and one counted to an earlier month is part of the year (spec:
    /// "a statistics office's year-end cut-off presented as the year's result
    /// count as the year"; "đến ngày 20/10" is a part of a year).
    CutOff(i32, u32),
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Marker {
    pub start: usize,
    pub end: usize,
    pub kind: MarkerKind,
}

/// The years of the national foreign-affairs conference (Hội nghị Ngoại vụ
/// toàn quốc) by its number, for "từ sau Hội nghị Ngoại vụ lần thứ 18".
/// Source: shared/design/domain.md §6 (17th 2013, 18th 2016, 20th 2021, 21st
/// 2023) and the 19th held on 12 August 2018.
pub(crate) fn conference_year(n: u32) -> Option<i32> {
    Some(match n {
        17 => 2013,
        18 => 2016,
        19 => 2018,
        20 => 2021,
        21 => 2023,
        _ => return None,
    })
}

const EVENT_HEADS: &[&[&str]] = &[
    &["hội", "nghị"],
    &["hội", "thảo"],
    &["diễn", "đàn"],
    &["lễ", "hội"],
    &["hội", "chợ"],
    &["festival"],
    &["tuần", "lễ"],
    &["ngày", "hội"],
    &["đề", "án"],
    &["kế", "hoạch"],
    &["chiến", "lược"],
    &["chương", "trình"],
    &["quy", "hoạch"],
    &["đại", "hội"],
    &["nghị", "quyết"],
    &["chỉ", "thị"],
    &["giải"],
    &["cuộc", "thi"],
    &["lễ"],
    &["luật"],
    &["nghị", "định"],
];

/// The time expressions of one sentence: its words (`words`, offsets into
/// `norm`) and their canonical text (`cw`, as the sentence's context has them).
pub(crate) struct Scanner<'s, 'a> {
    pub norm: &'a str,
    pub words: &'s [Word],
    pub cw: &'s [&'a str],
}

impl<'s, 'a> Scanner<'s, 'a> {
    pub(crate) fn new(norm: &'a str, words: &'s [Word], cw: &'s [&'a str]) -> Scanner<'s, 'a> {
        Scanner { norm, words, cw }
    }

    fn w(&self, i: usize) -> &'a str {
        self.cw.get(i).copied().unwrap_or("")
    }

    /// The text between word i-1 and word i.
    pub(crate) fn gap(&self, i: usize) -> &'a str {
        if i == 0 || i >= self.words.len() {
            return "";
        }
        &self.norm[self.words[i - 1].end..self.words[i].start]
    }

    fn year(&self, i: usize) -> Option<i32> {
        let w = self.w(i);
        if w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()) {
            let y: i32 = w.parse().ok()?;
            if (1900..=2100).contains(&y) {
                // Not the tail of a bigger number ("1.2016").
                let g = self.gap(i);
                if i > 0 && (g == "." || g == ",") {
                    return None;
                }
                if i + 1 < self.words.len()
                    && matches!(self.gap(i + 1), "." | ",")
                    && self.w(i + 1).bytes().all(|b| b.is_ascii_digit())
                {
                    return None;
                }
                return Some(y);
            }
        }
        None
    }

    fn small_int(&self, i: usize) -> Option<u32> {
        let w = self.w(i);
        if !w.is_empty() && w.len() <= 2 && w.bytes().all(|b| b.is_ascii_digit()) {
            w.parse().ok()
        } else {
            None
        }
    }

    fn is_numberish(&self, i: usize) -> bool {
        let w = self.w(i);
        (!w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()))
            || crate::numbers::is_number_word(w)
    }

    /// Word i is preceded by a comparison ("so với năm 2021", "cùng kỳ năm trước").
    fn comparison(&self, i: usize) -> bool {
        let lo = i.saturating_sub(3);
        (lo..i).any(|k| {
            self.w(k) == "so"
                || (self.w(k) == "cùng" && self.w(k + 1) == "kỳ")
                || self.w(k) == "hơn"
        })
    }

    /// Word i is inside the name of an event or a document ("Hội nghị Xúc tiến
    /// đầu tư tỉnh Tiền Giang năm 2018", "Kế hoạch ... giai đoạn 2021 - 2025").
    fn in_event_name(&self, i: usize) -> bool {
        let lo = i.saturating_sub(12);
        let mut k = i;
        while k > lo {
            if self
                .gap(k)
                .bytes()
                .any(|b| matches!(b, b',' | b';' | b':' | b'(' | b')' | b'.' | b'"'))
            {
                return false;
            }
            k -= 1;
            if !self.words[k].cap {
                continue;
            }
            for head in EVENT_HEADS {
                if head.iter().enumerate().all(|(d, h)| self.w(k + d) == *h) {
                    return true;
                }
            }
        }
        false
    }

    /// A range "Y1 - Y2", "Y1-Y2", "Y1 đến (năm) Y2" starting at word i.
    fn range_at(&self, i: usize) -> Option<(i32, i32, usize)> {
        let y1 = self.year(i)?;
        let j = i + 1;
        let g = self.gap(j);
        let (y2, last) = if g.trim() == "-" || g.trim() == "/" {
            (self.year(j)?, j)
        } else if matches!(self.w(j), "đến" | "tới") && g.trim().is_empty() {
            if self.w(j + 1) == "năm" {
                (self.year(j + 2)?, j + 2)
            } else {
                (self.year(j + 1)?, j + 1)
            }
        } else {
            return None;
        };
        if y2 > y1 && y2 - y1 <= 30 {
            Some((y1, y2, last))
        } else {
            None
        }
    }

    /// The year named right after a part of a year ("quý 2 năm nay", "9
    /// tháng năm 2019", "quý I/2024"): the last word of the part's marker.
    fn part_year_tail(&self, last: usize) -> usize {
        if self.gap(last + 1).trim() == "/" && self.year(last + 1).is_some() {
            return last + 1;
        }
        if self.w(last + 1) == "năm"
            && (matches!(self.w(last + 2), "nay" | "ngoái" | "trước")
                || self.year(last + 2).is_some())
        {
            return last + 2;
        }
        last
    }

    pub(crate) fn scan(&self, report_year: i32) -> Vec<Marker> {
        let mut out = Vec::new();
        let n = self.cw.len();
        let mut i = 0;
        let push = |out: &mut Vec<Marker>, a: usize, b: usize, kind: MarkerKind| {
            out.push(Marker {
                start: self.words[a].start,
                end: self.words[b.min(n - 1)].end,
                kind,
            });
        };
        while i < n {
            let w = self.w(i);
            // Dates d/m/yyyy.
            if self.small_int(i).is_some()
                && self.gap(i + 1) == "/"
                && self.small_int(i + 1).is_some()
                && self.gap(i + 2) == "/"
                && let Some(y) = self.year(i + 2)
            {
                push(&mut out, i, i + 2, MarkerKind::Event(y));
                i += 3;
                continue;
            }
            match w {
                "giai" | "thời" | "nhiệm"
                    if matches!(
                        (w, self.w(i + 1)),
                        ("giai", "đoạn") | ("thời" | "nhiệm", "kỳ")
                    ) =>
                {
                    let mut j = i + 2;
                    if matches!(self.w(j), "từ" | "năm") {
                        j += 1;
                    }
                    if self.w(j) == "năm" {
                        j += 1;
                    }
                    if let Some((a, b, last)) = self.range_at(j) {
                        if !self.in_event_name(i) && !self.comparison(i) {
                            push(&mut out, i, last, MarkerKind::Range(a, b));
                        }
                        i = last + 1;
                        continue;
                    }
                    if w == "nhiệm"
                        && (matches!(self.w(i + 2), "qua" | "này" | "vừa")
                            || self.w(i.wrapping_sub(1)) == "trong")
                    {
                        push(&mut out, i, i + 1, MarkerKind::Term);
                        i += 2;
                        continue;
                    }
                }
                "kể" if self.w(i + 1) == "từ" => {
                    i += 1;
                    continue;
                }
                "từ" => {
                    let mut j = i + 1;
                    if self.w(j) == "sau" {
                        // "từ sau Hội nghị Ngoại vụ toàn quốc lần thứ 18"
                        let lim = (j + 10).min(n);
                        let mut found = None;
                        let mut saw_ngoai_vu = false;
                        for k in j..lim {
                            if self.w(k) == "ngoại" && self.w(k + 1) == "vụ" {
                                saw_ngoai_vu = true;
                            }
                            if self.w(k) == "lần" && self.w(k + 1) == "thứ" {
                                if let Some(num) = self.small_int(k + 2) {
                                    found = Some((num, k + 2));
                                }
                                break;
                            }
                        }
                        if let (true, Some((num, last))) = (saw_ngoai_vu, found)
                            && let Some(y) = conference_year(num)
                        {
                            push(&mut out, i, last, MarkerKind::Since(y));
                            i = last + 1;
                            continue;
                        }
                        j += 1;
                    }
                    // "từ đầu nhiệm kỳ 2020 - 2025 đến nay", "từ đầu giai đoạn 2021-2025".
                    if self.w(j) == "đầu"
                        && matches!(
                            (self.w(j + 1), self.w(j + 2)),
                            ("nhiệm", "kỳ") | ("giai", "đoạn")
                        )
                        && let Some((a, _, last)) = self.range_at(j + 3)
                    {
                        let mut end = last;
                        if matches!(self.w(last + 1), "đến" | "tới")
                            && matches!(self.w(last + 2), "nay" | "hiện")
                        {
                            end = last + 2;
                        }
                        push(&mut out, i, end, MarkerKind::Since(a));
                        i = end + 1;
                        continue;
                    }
                    if self.w(j) == "đầu" && self.w(j + 1) == "năm" {
                        let mut k = j + 2;
                        let y = self.year(k);
                        if y.is_some() {
                            k += 1;
                        }
                        if matches!(self.w(k), "đến" | "tới")
                            && matches!(self.w(k + 1), "nay" | "hiện")
                        {
                            let kind = match y {
                                Some(y) => MarkerKind::Year(y),
                                None => MarkerKind::ReportYear,
                            };
                            push(&mut out, i, k + 1, kind);
                            i = k + 2;
                            continue;
                        }
                    }
                    if self.w(j) == "tháng"
                        && self.small_int(j + 1).is_some()
                        && self.gap(j + 2) == "/"
                    {
                        j += 2;
                    } else if self.w(j) == "năm" {
                        j += 1;
                    }
                    if let Some((a, b, last)) = self.range_at(j) {
                        push(&mut out, i, last, MarkerKind::Range(a, b));
                        i = last + 1;
                        continue;
                    }
                    if let Some(y) = self.year(j) {
                        let mut last = j;
                        if matches!(self.w(j + 1), "đến" | "tới")
                            && matches!(self.w(j + 2), "nay" | "hiện" | "năm")
                        {
                            last = j + 2;
                            if (self.w(j + 2) == "hiện" && matches!(self.w(j + 3), "nay" | "tại"))
                                || (self.w(j + 2) == "năm" && self.w(j + 3) == "nay")
                            {
                                last = j + 3;
                            }
                        }
                        push(&mut out, i, last, MarkerKind::Since(y));
                        i = last + 1;
                        continue;
                    }
                }
                "tính" | "đến" | "tới" => {
                    let mut j = i;
                    if w == "tính" {
                        if !matches!(self.w(i + 1), "đến" | "tới") {
                            i += 1;
                            continue;
                        }
                        j = i + 1;
                    }
                    let k = j + 1;
                    // "từ trước tới nay" ("ever"): a comparison, not a period.
                    if w != "tính" && i > 0 && self.w(i - 1) == "trước" {
                        i += 1;
                        continue;
                    }
                    match self.w(k) {
                        "nay" => {
                            push(&mut out, i, k, MarkerKind::AsOf(None));
                            i = k + 1;
                            continue;
                        }
                        "hiện" if matches!(self.w(k + 1), "nay" | "tại") => {
                            push(&mut out, i, k + 1, MarkerKind::AsOf(None));
                            i = k + 2;
                            continue;
                        }
                        "thời" if self.w(k + 1) == "điểm" => {
                            let last = if matches!(self.w(k + 2), "này" | "hiện") {
                                k + 2
                            } else {
                                k + 1
                            };
                            push(&mut out, i, last, MarkerKind::AsOf(None));
                            i = last + 1;
                            continue;
                        }
                        _ => {}
                    }
                    // "(tính) đến [hết|cuối] [ngày d/m/]Y", "[tháng m/]Y", "[năm] Y"
                    let mut k = k;
                    let year_end = matches!(self.w(k), "hết" | "cuối");
                    if year_end {
                        k += 1;
                    }
                    let day = self.w(k) == "ngày";
                    if day {
                        k += 1;
                    }
                    if self.w(k) == "tháng" {
                        k += 1;
                    }
                    let mut y = None;
                    let mut month: Option<u32> = None;
                    let mut last = k;
                    if self.small_int(k).is_some() && self.gap(k + 1) == "/" {
                        if self.small_int(k + 1).is_some() && self.gap(k + 2) == "/" {
                            y = self.year(k + 2);
                            month = self.small_int(k + 1);
                            last = k + 2;
                        } else if let Some(yy) = self.year(k + 1) {
                            y = Some(yy);
                            month = self.small_int(k);
                            last = k + 1;
                        } else if day && self.small_int(k + 1).is_some() {
                            // "đến ngày 15/12": a day of the report's year.
                            y = Some(report_year);
                            month = self.small_int(k + 1);
                            last = k + 1;
                        }
                    } else if self.w(k) == "năm" {
                        y = self.year(k + 1);
                        last = k + 1;
                        if year_end {
                            month = Some(12);
                        }
                    } else if w == "tính" {
                        y = self.year(k);
                    }
                    if let Some(y) = y {
                        if self.comparison(i) {
                            i = last + 1;
                            continue;
                        }
                        let kind = if y > report_year {
                            MarkerKind::Target
                        } else if let Some(m) = month.filter(|m| (1..=12).contains(m)) {
                            MarkerKind::CutOff(y, m)
                        } else {
                            MarkerKind::AsOf(Some(y))
                        };
                        push(&mut out, i, last, kind);
                        i = last + 1;
                        continue;
                    }
                }
                "hiện" => {
                    let prev = if i > 0 { self.w(i - 1) } else { "" };
                    if !matches!(
                        prev,
                        "thực" | "thể" | "phát" | "xuất" | "biểu" | "tái" | "hiển" | "trình"
                    ) {
                        let next = self.w(i + 1);
                        if matches!(next, "nay" | "tại") {
                            push(&mut out, i, i + 1, MarkerKind::AsOf(None));
                            i += 2;
                            continue;
                        }
                        // "Hiện có", and "Hiện cả nước có", "Hiện toàn tỉnh có":
                        // "hiện" opening a clause is "now".
                        let opens = i == 0 || self.gap(i).contains(',');
                        if matches!(next, "có" | "đang" | "còn" | "đã" | "vẫn")
                            || self.is_numberish(i + 1)
                            || (opens && matches!(next, "cả" | "toàn" | "trên" | "tỉnh" | "thành"))
                        {
                            push(&mut out, i, i, MarkerKind::AsOf(None));
                            i += 1;
                            continue;
                        }
                    }
                }
                // "(cộng đồng …) nay đã vượt 6 triệu người": "nay" before a verb is "now".
                "nay"
                    if i > 0
                        && !matches!(
                            self.w(i - 1),
                            "năm" | "đến" | "tới" | "hiện" | "hôm" | "ngày" | "bây"
                        )
                        && matches!(self.w(i + 1), "đã" | "có" | "đạt" | "lên") =>
                {
                    push(&mut out, i, i, MarkerKind::AsOf(None));
                    i += 1;
                    continue;
                }
                "lũy" | "luỹ" if self.w(i + 1) == "kế" => {
                    push(&mut out, i, i + 1, MarkerKind::AsOf(None));
                    i += 2;
                    continue;
                }
                "quý" => {
                    let next = self.w(i + 1);
                    if matches!(
                        next,
                        "i" | "ii"
                            | "iii"
                            | "iv"
                            | "1"
                            | "2"
                            | "3"
                            | "4"
                            | "đầu"
                            | "cuối"
                            | "một"
                            | "hai"
                            | "ba"
                            | "bốn"
                    ) {
                        // "quý 2 năm nay", "quý I/2024": the year named is the
                        // year the part belongs to, not a whole-year period.
                        let last = self.part_year_tail(i + 1);
                        push(&mut out, i, last, MarkerKind::PartYear);
                        i = last + 1;
                        continue;
                    }
                }
                "nửa" if matches!(self.w(i + 1), "đầu" | "cuối") && self.w(i + 2) == "năm" =>
                {
                    push(&mut out, i, i + 2, MarkerKind::PartYear);
                    i += 3;
                    continue;
                }
                "tháng" => {
                    let prev = if i > 0 { self.w(i - 1) } else { "" };
                    if i > 0 && self.is_numberish(i - 1) && !self.gap(i).contains('/') {
                        // "6 tháng đầu năm", "9 tháng".
                        let last = if matches!(self.w(i + 1), "đầu" | "cuối")
                            && self.w(i + 2) == "năm"
                        {
                            if self.year(i + 3).is_some() {
                                i + 3
                            } else {
                                i + 2
                            }
                        } else {
                            self.part_year_tail(i)
                        };
                        push(&mut out, i - 1, last, MarkerKind::PartYear);
                        i = last + 1;
                        continue;
                    }
                    if let Some(m) = self.small_int(i + 1)
                        && (1..=12).contains(&m)
                    {
                        let (y, last) = if self.gap(i + 2) == "/" {
                            (self.year(i + 2), i + 2)
                        } else if self.w(i + 2) == "năm" {
                            (self.year(i + 3), i + 3)
                        } else {
                            (None, i + 1)
                        };
                        if prev == "trong" {
                            push(&mut out, i - 1, last, MarkerKind::PartYear);
                        } else if let Some(y) = y {
                            push(&mut out, i, last, MarkerKind::Event(y));
                        }
                        i = last + 1;
                        continue;
                    }
                    if prev == "trong" && !self.is_numberish(i + 1) {
                        push(&mut out, i - 1, i, MarkerKind::PartYear);
                        i += 1;
                        continue;
                    }
                }
                "năm" => {
                    let prev = if i > 0 { self.w(i - 1) } else { "" };
                    let gap_before = self.gap(i);
                    if let Some(y) = self.year(i + 1) {
                        if self.comparison(i) {
                            i += 2;
                            continue;
                        }
                        if let Some((a, b, last)) = self.range_at(i + 1) {
                            if !self.in_event_name(i) {
                                push(&mut out, i, last, MarkerKind::Range(a, b));
                            }
                            i = last + 1;
                            continue;
                        }
                        if self.in_event_name(i) {
                            i += 2;
                            continue;
                        }
                        let pp = if i > 1 { self.w(i - 2) } else { "" };
                        let kind = if matches!(prev, "vào")
                            || (matches!(prev, "đầu" | "cuối" | "giữa") && pp == "vào")
                        {
                            MarkerKind::Event(y)
                        } else if y > report_year && matches!(prev, "đến" | "tới" | "nhìn" | "tầm")
                        {
                            MarkerKind::Target
                        } else {
                            MarkerKind::Year(y)
                        };
                        let start = if matches!(prev, "trong" | "cả") {
                            i - 1
                        } else {
                            i
                        };
                        push(&mut out, start, i + 1, kind);
                        i += 2;
                        continue;
                    }
                    let next = self.w(i + 1);
                    if gap_before.trim() == "/" || matches!(prev, "hàng" | "hằng" | "mỗi") {
                        let start = if gap_before.trim() == "/" { i } else { i - 1 };
                        push(&mut out, start, i, MarkerKind::ReportYear);
                        i += 1;
                        continue;
                    }
                    if next == "nay" {
                        push(&mut out, i, i + 1, MarkerKind::ReportYear);
                        i += 2;
                        continue;
                    }
                    if i > 0 && self.is_numberish(i - 1) {
                        // "(trong) 3 năm qua", "5 năm gần đây", "12 năm trở lại
                        // đây": a window counted back from the report's year,
                        // accumulated since its first year (spec: "Trong N năm
                        // qua" is {"since": Y-N+1}).
                        let back = match (next, self.w(i + 2), self.w(i + 3)) {
                            ("qua", _, _) | ("gần", "đây", _) => {
                                Some(i + 1 + (next == "gần") as usize)
                            }
                            ("vừa", "qua", _) => Some(i + 2),
                            ("trở", "lại", "đây") => Some(i + 3),
                            _ => None,
                        };
                        let n_years = self.small_int(i - 1).or_else(|| {
                            crate::numbers::parse_number_words(&[self.w(i - 1)])
                                .map(|(v, _)| v as u32)
                        });
                        if let (Some(last), Some(n_years)) = (back, n_years)
                            && (2..=30).contains(&n_years)
                            && report_year > 0
                        {
                            let start = if i >= 2 && matches!(self.w(i - 2), "trong" | "suốt") {
                                i - 2
                            } else {
                                i - 1
                            };
                            push(
                                &mut out,
                                start,
                                last,
                                MarkerKind::Since(report_year - n_years as i32 + 1),
                            );
                            i = last + 1;
                            continue;
                        }
                        // "5 năm": several years, not a year.
                        i += 1;
                        continue;
                    }
                    if matches!(next, "trước" | "ngoái") {
                        if !self.comparison(i) {
                            let kind = MarkerKind::Year(report_year - 1);
                            push(&mut out, i, i + 1, kind);
                        }
                        i += 2;
                        continue;
                    }
                    if matches!(next, "qua") || (next == "vừa" && self.w(i + 2) == "qua") {
                        push(&mut out, i, i + 1, MarkerKind::CtxYear);
                        i += 2;
                        continue;
                    }
                    if matches!(prev, "trong" | "cả") && next != "là" {
                        push(&mut out, i - 1, i, MarkerKind::CtxYear);
                        i += 1;
                        continue;
                    }
                }
                _ => {
                    // A bare range "(2015-2020)", "2016 - 2020".
                    if let Some((a, b, last)) = self.range_at(i) {
                        if !self.in_event_name(i) && !self.comparison(i) {
                            push(&mut out, i, last, MarkerKind::Range(a, b));
                        }
                        i = last + 1;
                        continue;
                    }
                }
            }
            i += 1;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{canon, words};

    fn kinds(s: &str, ry: i32) -> Vec<MarkerKind> {
        let c = canon(s);
        let ws = words(s, 0, s.len());
        let cw: Vec<&str> = ws.iter().map(|w| &c[w.start..w.end]).collect();
        Scanner::new(s, &ws, &cw)
            .scan(ry)
            .into_iter()
            .map(|m| m.kind)
            .collect()
    }

    #[test]
    fn forms() {
        use MarkerKind::*;
        assert_eq!(
            kinds("Giai đoạn 2012 - 2016, tỉnh", 2017),
            vec![Range(2012, 2016)]
        );
        assert_eq!(kinds("từ năm 2016 đến nay, UBND", 2020), vec![Since(2016)]);
        assert_eq!(kinds("Đến nay, trên địa bàn", 2017), vec![AsOf(None)]);
        assert_eq!(kinds("toàn tỉnh hiện có 131 dự án", 2020), vec![AsOf(None)]);
        assert_eq!(kinds("tăng 37,91% so với năm 2021", 2022), vec![]);
        assert_eq!(kinds("Trong năm đã tiếp đón", 2022), vec![CtxYear]);
        assert_eq!(kinds("bản tin (12 kỳ/năm)", 2020), vec![ReportYear]);
        assert_eq!(kinds("6 tháng đầu năm 2022, tỉnh", 2022), vec![PartYear]);
        assert_eq!(kinds("quý I, tỉnh", 2022), vec![PartYear]);
        assert_eq!(kinds("vào tháng 12/2017, quan hệ", 2018), vec![Event(2017)]);
        assert_eq!(
            kinds("từ sau Hội nghị Ngoại vụ toàn quốc lần thứ 18 là", 2018),
            vec![Since(2016)]
        );
        assert_eq!(
            kinds("Nhiệm kỳ Đại hội Đảng bộ tỉnh lần thứ X (2015-2020)", 2020),
            vec![Range(2015, 2020)]
        );
        assert_eq!(kinds("nhiệm kỳ 2015-2020", 2020), vec![Range(2015, 2020)]);
        assert_eq!(
            kinds("Hội nghị Xúc tiến đầu tư tỉnh Tiền Giang năm 2018;", 2020),
            vec![]
        );
        assert_eq!(kinds("đến năm 2030", 2022), vec![Target]);
        assert_eq!(kinds("từ đầu năm đến nay", 2022), vec![ReportYear]);
        assert_eq!(
            kinds("tính đến ngày 31/12/2021", 2022),
            vec![CutOff(2021, 12)]
        );
        assert_eq!(kinds("thực hiện 5 dự án", 2022), vec![]);
        assert_eq!(kinds("hàng năm đều trên", 2020), vec![ReportYear]);
        assert_eq!(kinds("so năm trước", 2022), vec![]);
    }

    #[test]
    fn windows_counted_back() {
        use MarkerKind::*;
        // "Trong N năm qua" is accumulated since Y-N+1 (Y the report's year).
        assert_eq!(
            kinds("Trong 3 năm qua, các tỉnh đã ký", 2023),
            vec![Since(2021)]
        );
        assert_eq!(
            kinds("trong 5 năm gần đây tỉnh đã", 2020),
            vec![Since(2016)]
        );
        assert_eq!(
            kinds("trong 10 năm trở lại đây thành phố", 2019),
            vec![Since(2010)]
        );
        assert_eq!(kinds("hai năm vừa qua tỉnh đón", 2018), vec![Since(2017)]);
        // A bare duration is not a period.
        assert_eq!(kinds("kỷ niệm 40 năm thành lập", 2015), vec![]);
    }

    #[test]
    fn parts_of_a_year_take_their_year() {
        use MarkerKind::*;
        // The year after a part of a year is that part's year, not a whole year.
        assert_eq!(kinds("trong quý 2 năm nay đạt", 2025), vec![PartYear]);
        assert_eq!(kinds("quý III/2024 tỉnh thu hút", 2024), vec![PartYear]);
        assert_eq!(kinds("9 tháng năm 2019 đạt", 2019), vec![PartYear]);
    }

    #[test]
    fn cut_offs() {
        use MarkerKind::*;
        assert_eq!(
            kinds("Đến ngày 20/10/2023, tỉnh đã cấp", 2023),
            vec![CutOff(2023, 10)]
        );
        assert_eq!(
            kinds("tính đến ngày 15/12, thành phố", 2019),
            vec![CutOff(2019, 12)]
        );
        assert_eq!(
            kinds("lũy kế đến hết năm 2022 có", 2023),
            vec![AsOf(None), CutOff(2022, 12)]
        );
        assert_eq!(
            kinds("tính đến tháng 6/2021 có", 2021),
            vec![CutOff(2021, 6)]
        );
    }
}

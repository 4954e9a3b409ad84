//! Scoring extracted facts against gold facts, exactly as
//! `shared/tools/score-facts` does (spec "Scoring"): one-to-one maximum
//! matching per file, micro-averaged precision, recall and F1.
//!
//! Observation match: indicator, locality (case and diacritics folded),
//! period, unit and qualifier equal; value within 0.5% of the gold value;
//! change_pct within 0.01 when the gold has one. Partnership match: locality
//! (folded), partner (folded, spaces and hyphens dropped) and kind equal.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::types::{Facts, Observation, Partnership};

pub const VALUE_TOLERANCE: f64 = 0.005;
pub const CHANGE_TOLERANCE: f64 = 0.01;

/// Counts and rates for one part (observations or partnerships).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Prf {
    pub matched: usize,
    pub predicted: usize,
    pub gold: usize,
}

impl Prf {
    pub fn precision(&self) -> f64 {
        if self.predicted > 0 {
            self.matched as f64 / self.predicted as f64
        } else if self.gold == 0 {
            1.0
        } else {
            0.0
        }
    }
    pub fn recall(&self) -> f64 {
        if self.gold > 0 {
            self.matched as f64 / self.gold as f64
        } else if self.predicted == 0 {
            1.0
        } else {
            0.0
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    }
    fn add(&mut self, o: Prf) {
        self.matched += o.matched;
        self.predicted += o.predicted;
        self.gold += o.gold;
    }
}

/// The score of one file: which gold facts were missed and which predicted facts were false.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FileScore {
    pub name: String,
    pub observations: Prf,
    pub partnerships: Prf,
    /// Indexes into the gold lists of facts with no match.
    pub missed_observations: Vec<usize>,
    pub missed_partnerships: Vec<usize>,
    /// Indexes into the predicted lists of facts with no match.
    pub false_observations: Vec<usize>,
    pub false_partnerships: Vec<usize>,
    /// No predicted file was given for this gold file.
    pub missing_prediction: bool,
}

/// Scores over all files.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scores {
    pub files: Vec<FileScore>,
    pub observations: Prf,
    pub partnerships: Prf,
    /// Predicted files with no gold file (reported, not scored).
    pub unscored: Vec<String>,
}

/// Score predicted facts against gold facts, pairing files by name. Every
/// gold file is scored; a gold file with no prediction counts as empty.
pub fn score(gold: &[(String, Facts)], pred: &[(String, Facts)]) -> Scores {
    let mut gold_sorted: Vec<&(String, Facts)> = gold.iter().collect();
    gold_sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let empty = Facts::default();
    let mut out = Scores::default();
    for (name, g) in gold_sorted {
        let p = pred.iter().find(|(n, _)| n == name).map(|(_, f)| f);
        let fs = score_file(name, g, p.unwrap_or(&empty), p.is_none());
        out.observations.add(fs.observations);
        out.partnerships.add(fs.partnerships);
        out.files.push(fs);
    }
    let mut unscored: Vec<String> = pred
        .iter()
        .filter(|(n, _)| !gold.iter().any(|(g, _)| g == n))
        .map(|(n, _)| n.clone())
        .collect();
    unscored.sort();
    out.unscored = unscored;
    out
}

/// Score one file.
pub fn score_file(name: &str, gold: &Facts, pred: &Facts, missing_prediction: bool) -> FileScore {
    let om = max_matching(
        &gold.observations,
        &pred.observations,
        obs_match,
        Some(obs_closeness),
    );
    let pm = max_matching(&gold.partnerships, &pred.partnerships, part_match, None);
    let matched_o: Vec<usize> = om.iter().filter_map(|x| *x).collect();
    let matched_p: Vec<usize> = pm.iter().filter_map(|x| *x).collect();
    FileScore {
        name: name.to_string(),
        observations: Prf {
            matched: matched_o.len(),
            predicted: pred.observations.len(),
            gold: gold.observations.len(),
        },
        partnerships: Prf {
            matched: matched_p.len(),
            predicted: pred.partnerships.len(),
            gold: gold.partnerships.len(),
        },
        missed_observations: (0..gold.observations.len())
            .filter(|i| om[*i].is_none())
            .collect(),
        missed_partnerships: (0..gold.partnerships.len())
            .filter(|i| pm[*i].is_none())
            .collect(),
        false_observations: (0..pred.observations.len())
            .filter(|j| !matched_o.contains(j))
            .collect(),
        false_partnerships: (0..pred.partnerships.len())
            .filter(|j| !matched_p.contains(j))
            .collect(),
        missing_prediction,
    }
}

/// NFC, whitespace collapsed, dashes (with the spaces around them) as "-".
pub fn norm(s: &str) -> String {
    let s: String = s.nfc().collect();
    let collapsed = s.split_whitespace().collect::<Vec<_>>().join(" ");
    canon_dashes(&collapsed)
}

fn is_dash(c: char) -> bool {
    c == '-' || ('\u{2010}'..='\u{2015}').contains(&c) || c == '\u{2212}'
}

fn canon_dashes(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() || is_dash(chars[i]) {
            // A run of whitespace containing a dash becomes "-".
            let mut j = i;
            let mut dash = false;
            while j < chars.len() && (chars[j].is_whitespace() || is_dash(chars[j])) {
                if is_dash(chars[j]) {
                    // Only the whitespace directly around one dash run belongs to it.
                    dash = true;
                }
                j += 1;
            }
            if dash {
                // Split the run: "a - - b" -> "a--b"? Python's regex replaces each
                // `\s*dash\s*` separately; emulate that.
                let run: String = chars[i..j].iter().collect();
                out.push_str(&replace_dash_runs(&run));
            } else {
                out.extend(&chars[i..j]);
            }
            i = j;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// `re.sub(r'\s*[-\u2010-\u2015\u2212]\s*', '-', run)` for a run of spaces and dashes.
fn replace_dash_runs(run: &str) -> String {
    let chars: Vec<char> = run.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        // Greedy \s* then a dash then \s*.
        let mut j = i;
        while j < chars.len() && chars[j].is_whitespace() {
            j += 1;
        }
        if j < chars.len() && is_dash(chars[j]) {
            j += 1;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            out.push('-');
            i = j;
        } else {
            out.extend(&chars[i..j]);
            i = j;
        }
    }
    out
}

/// Diacritics and case folded: "Xiêng Khoảng" -> "xieng khoang".
pub fn fold(s: &str) -> String {
    let mut t = String::with_capacity(s.len());
    for c in s.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'đ' => t.push('d'),
            'Đ' => t.push('D'),
            c => t.push(c),
        }
    }
    let lower: String = t.chars().flat_map(|c| c.to_lowercase()).collect();
    canon_dashes(&lower.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A partner's name for comparison: folded, with spaces and hyphens dropped.
pub fn name_key(s: &str) -> String {
    fold(s)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

fn obs_match(g: &Observation, p: &Observation) -> bool {
    if g.indicator != p.indicator
        || fold(&g.locality) != fold(&p.locality)
        || g.period != p.period
        || g.unit != p.unit
        || g.qualifier != p.qualifier
    {
        return false;
    }
    if !g.value.is_finite()
        || !p.value.is_finite()
        || (p.value - g.value).abs() > VALUE_TOLERANCE * g.value.abs()
    {
        return false;
    }
    if let Some(gc) = g.change_pct {
        match p.change_pct {
            Some(pc)
                if gc.is_finite()
                    && pc.is_finite()
                    && (pc - gc).abs() <= CHANGE_TOLERANCE + 1e-9 => {}
            _ => return false,
        }
    }
    true
}

fn obs_closeness(g: &Observation, p: &Observation) -> f64 {
    (p.value - g.value).abs()
}

fn part_match(g: &Partnership, p: &Partnership) -> bool {
    fold(&g.locality) == fold(&p.locality)
        && name_key(&g.partner) == name_key(&p.partner)
        && g.kind == p.kind
}

/// One-to-one maximum matching by augmenting paths, candidates tried in
/// order of closeness (as the official scorer). Returns gold -> pred.
fn max_matching<T>(
    gold: &[T],
    pred: &[T],
    m: fn(&T, &T) -> bool,
    closeness: Option<fn(&T, &T) -> f64>,
) -> Vec<Option<usize>> {
    let cands: Vec<Vec<usize>> = gold
        .iter()
        .map(|g| {
            let mut js: Vec<usize> = (0..pred.len()).filter(|&j| m(g, &pred[j])).collect();
            if let Some(cl) = closeness {
                js.sort_by(|&a, &b| {
                    cl(g, &pred[a])
                        .partial_cmp(&cl(g, &pred[b]))
                        .unwrap_or(std::cmp::Ordering::Equal)
                });
            }
            js
        })
        .collect();
    let mut owner: Vec<Option<usize>> = vec![None; pred.len()];
    fn augment(
        i: usize,
        cands: &[Vec<usize>],
        owner: &mut [Option<usize>],
        seen: &mut [bool],
    ) -> bool {
        for &j in &cands[i] {
            if seen[j] {
                continue;
            }
            seen[j] = true;
            if owner[j].is_none() || augment(owner[j].unwrap(), cands, owner, seen) {
                owner[j] = Some(i);
                return true;
            }
        }
        false
    }
    for i in 0..gold.len() {
        let mut seen = vec![false; pred.len()];
        augment(i, &cands, &mut owner, &mut seen);
    }
    let mut out = vec![None; gold.len()];
    for (j, o) in owner.iter().enumerate() {
        if let Some(i) = o {
            out[*i] = Some(j);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold("Xiêng  Khoảng"), "xieng khoang");
        assert_eq!(fold("Đắk Lắk"), "dak lak");
        assert_eq!(name_key("Siem Reap"), name_key("SiemReap"));
        assert_eq!(norm("Bà Rịa – Vũng Tàu"), "Bà Rịa-Vũng Tàu");
    }
}

//! Names the reader recognises: Vietnam's provincial units (old and new),
//! regions, countries, and known foreign partners; and a matcher that finds
//! them in text word by word (case of capitals respected, tone placement and
//! case otherwise folded).

use std::collections::HashMap;

use crate::csv::{self, CsvError};
use crate::date::DocDate;
use crate::text::{self, Word, canon};

pub(crate) const PROVINCES_CSV: &str = include_str!("../data/provinces.csv");
pub(crate) const COUNTRIES_CSV: &str = include_str!("../data/countries.csv");
pub(crate) const PLACE_ALIASES_CSV: &str = include_str!("../data/place_aliases.csv");
/// The built-in vocabulary of foreign localities and organisations.
pub const FOREIGN_PARTNERS_CSV: &str = include_str!("../data/foreign_partners.csv");

/// What a matched name refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Index into [`Gazetteer::provinces`].
    Province(u16),
    /// A region of Vietnam (ĐBSCL, Tây Nguyên ...): not a province.
    Region,
    /// Index into [`Gazetteer::countries`].
    Country(u16),
    /// Index into [`Gazetteer::partners`].
    Partner(u32),
    /// A name that must not be read as anything else (oceans, rivers).
    Other,
}

#[derive(Debug, Clone)]
pub struct Province {
    /// Short name before the 2025 reorganisation ("Tiền Giang").
    pub legacy: String,
    pub code: String,
    /// Short name of the 2025 unit that absorbed it ("Đồng Tháp").
    pub successor: String,
}

#[derive(Debug, Clone)]
pub struct Country {
    pub code: String,
    pub name: String,
}

/// Whether a known partner is a locality or an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartnerType {
    Locality,
    Organisation,
}

#[derive(Debug, Clone)]
pub struct PartnerEntry {
    pub name: String,
    pub country: Option<String>,
    pub kind: PartnerType,
}

#[derive(Debug, Clone)]
struct Entry {
    words: Vec<String>,
    caps: Vec<bool>,
    place: Place,
    /// Lower is preferred among equally long matches.
    rank: u8,
}

/// A hash of a word, the key of the name index, eight bytes at a time.
/// Every word of every sentence is looked up there, where hashing and
/// comparing `String` keys with SipHash (the standard map's hasher,
/// resistant to flooding by chosen keys) cost the matcher most of its time.
/// The keys come from the built-in vocabulary and the operator's partner
/// lists, not from the documents; two words with one hash share a list,
/// and [`NameIndex::match_at`] compares every word anyway.
fn word_key(w: &str) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = (w.len() as u64).wrapping_mul(K);
    for chunk in w.as_bytes().chunks(8) {
        let mut x = [0u8; 8];
        x[..chunk.len()].copy_from_slice(chunk);
        h = (h ^ u64::from_le_bytes(x)).wrapping_mul(K);
        h ^= h >> 29;
    }
    h
}

/// The map's hasher for keys that are already hashes ([`word_key`]).
#[derive(Debug, Clone, Copy, Default)]
struct KeyIsHash(u64);

impl std::hash::Hasher for KeyIsHash {
    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed here; fold anything else in all the same.
        for &b in bytes {
            self.0 = (self.0.rotate_left(8)) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// The entries whose names start with one word, longest first.
#[derive(Debug, Clone, Default)]
struct Starting {
    all: Vec<usize>,
    /// Those whose first word needs no capital: the ones a word written in
    /// small letters can start ("tỉnh" starts some eighty names, all of
    /// them "Tỉnh …").
    small: Vec<usize>,
}

/// A matcher over word sequences.
#[derive(Debug, Clone, Default)]
struct NameIndex {
    /// Entries by the [`word_key`] of their first word.
    by_first: HashMap<u64, Starting, std::hash::BuildHasherDefault<KeyIsHash>>,
    entries: Vec<Entry>,
}

impl NameIndex {
    fn add(&mut self, name: &str, place: Place, rank: u8) {
        let name = crate::text::Normalized::new(name).text;
        let ws = text::words(&name, 0, name.len());
        if ws.is_empty() {
            return;
        }
        let c = canon(&name);
        let words: Vec<String> = ws.iter().map(|w| c[w.start..w.end].to_string()).collect();
        let caps: Vec<bool> = ws.iter().map(|w| w.cap).collect();
        if self
            .entries
            .iter()
            .any(|e| e.words == words && e.place == place)
        {
            return;
        }
        let idx = self.entries.len();
        self.entries.push(Entry {
            words: words.clone(),
            caps,
            place,
            rank,
        });
        let starting = self.by_first.entry(word_key(&words[0])).or_default();
        starting.all.push(idx);
        let entries = &self.entries;
        starting.all.sort_by(|&a, &b| {
            entries[b]
                .words
                .len()
                .cmp(&entries[a].words.len())
                .then(entries[a].rank.cmp(&entries[b].rank))
        });
        starting.small = starting
            .all
            .iter()
            .copied()
            .filter(|&e| !entries[e].caps[0])
            .collect();
    }

    fn match_at(&self, norm: &str, canon: &str, ws: &[Word], i: usize) -> Option<(Place, usize)> {
        let starting = self
            .by_first
            .get(&word_key(&canon[ws[i].start..ws[i].end]))?;
        let list = if ws[i].cap {
            &starting.all
        } else {
            &starting.small
        };
        'entries: for &e in list {
            let entry = &self.entries[e];
            let n = entry.words.len();
            if i + n > ws.len() {
                continue;
            }
            for k in 0..n {
                let w = ws[i + k];
                if entry.caps[k] && !w.cap {
                    continue 'entries;
                }
                if &canon[w.start..w.end] != entry.words[k].as_str() {
                    continue 'entries;
                }
                if k > 0 {
                    let gap = &norm[ws[i + k - 1].end..w.start];
                    if gap.len() > 3
                        || !gap.bytes().all(|b| b == b' ' || b == b'-' || b == b'.')
                        || gap.is_empty()
                    {
                        continue 'entries;
                    }
                }
            }
            return Some((entry.place, n));
        }
        None
    }
}

/// All the names the reader knows.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    pub provinces: Vec<Province>,
    pub countries: Vec<Country>,
    pub partners: Vec<PartnerEntry>,
    index: NameIndex,
    /// 2025 code -> 2025 short name.
    new_names: HashMap<String, String>,
}

/// A name found in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub place: Place,
    pub start: usize,
    pub end: usize,
    /// Index of the first word and number of words in the word list searched.
    pub word: usize,
    pub n_words: usize,
}

impl Gazetteer {
    pub fn builtin() -> Gazetteer {
        Gazetteer::with_partner_vocabulary(FOREIGN_PARTNERS_CSV)
            .expect("embedded foreign_partners.csv is valid")
    }

    /// The built-in places and countries with the given partner vocabulary
    /// instead of `data/foreign_partners.csv`.
    pub fn with_partner_vocabulary(partners_csv: &str) -> Result<Gazetteer, CsvError> {
        let mut g = Gazetteer {
            provinces: Vec::new(),
            countries: Vec::new(),
            partners: Vec::new(),
            index: NameIndex::default(),
            new_names: HashMap::new(),
        };
        g.load_provinces().expect("embedded provinces.csv is valid");
        g.load_countries().expect("embedded countries.csv is valid");
        g.load_place_aliases()
            .expect("embedded place_aliases.csv is valid");
        g.add_partners(partners_csv)?;
        Ok(g)
    }

    fn load_provinces(&mut self) -> Result<(), CsvError> {
        let rows = csv::parse_with_header(
            PROVINCES_CSV,
            &["code_set", "code", "name", "short_name", "successor_code"],
        )?;
        for r in &rows {
            if csv::get(r, "code_set") == "2025" {
                self.new_names.insert(
                    csv::get(r, "code").to_string(),
                    csv::get(r, "short_name").to_string(),
                );
            }
        }
        for r in &rows {
            if csv::get(r, "code_set") != "legacy" {
                continue;
            }
            let idx = self.provinces.len() as u16;
            let short = csv::get(r, "short_name").to_string();
            let succ_code = csv::get(r, "successor_code");
            let successor = self
                .new_names
                .get(succ_code)
                .cloned()
                .unwrap_or_else(|| short.clone());
            self.provinces.push(Province {
                legacy: short.clone(),
                code: csv::get(r, "code").to_string(),
                successor,
            });
            self.index.add(&short, Place::Province(idx), 0);
            self.index.add(csv::get(r, "name"), Place::Province(idx), 0);
            if short.contains(" - ") {
                self.index
                    .add(&short.replace(" - ", "-"), Place::Province(idx), 0);
            }
        }
        // 2025 names that are not legacy names (Huế) refer to the legacy unit with the same code.
        for r in &rows {
            if csv::get(r, "code_set") != "2025" {
                continue;
            }
            let short = csv::get(r, "short_name");
            if self.provinces.iter().any(|p| p.legacy == short) {
                continue;
            }
            if let Some(i) = self
                .provinces
                .iter()
                .position(|p| p.code == csv::get(r, "code"))
            {
                self.index.add(short, Place::Province(i as u16), 1);
                self.index
                    .add(csv::get(r, "name"), Place::Province(i as u16), 1);
            }
        }
        Ok(())
    }

    fn load_countries(&mut self) -> Result<(), CsvError> {
        let rows = csv::parse_with_header(
            COUNTRIES_CSV,
            &["alpha2", "name_vi", "aliases_vi", "name_en", "aliases_en"],
        )?;
        for r in &rows {
            let idx = self.countries.len() as u16;
            self.countries.push(Country {
                code: csv::get(r, "alpha2").to_string(),
                name: csv::get(r, "name_vi").to_string(),
            });
            let mut names = vec![
                csv::get(r, "name_vi").to_string(),
                csv::get(r, "name_en").to_string(),
            ];
            for k in ["aliases_vi", "aliases_en"] {
                names.extend(csv::get(r, k).split(';').map(|s| s.trim().to_string()));
            }
            for n in names {
                if !n.is_empty() {
                    self.index.add(&n, Place::Country(idx), 2);
                }
            }
        }
        Ok(())
    }

    fn load_place_aliases(&mut self) -> Result<(), CsvError> {
        let rows = csv::parse_with_header(PLACE_ALIASES_CSV, &["alias", "refers_to", "kind"])?;
        for r in &rows {
            let alias = csv::get(r, "alias");
            let place = match csv::get(r, "kind") {
                "province" => match self
                    .provinces
                    .iter()
                    .position(|p| p.legacy == csv::get(r, "refers_to"))
                {
                    Some(i) => Place::Province(i as u16),
                    None => continue,
                },
                "region" => Place::Region,
                _ => Place::Other,
            };
            self.index.add(alias, place, 1);
        }
        Ok(())
    }

    /// Add foreign partners from CSV text with the columns
    /// `name, aliases, country, kind, source` (aliases `;`-separated, country
    /// an ISO alpha-2 code or empty, kind `locality` or `organisation`).
    pub fn add_partners(&mut self, csv_text: &str) -> Result<usize, CsvError> {
        let rows = csv::parse_with_header(csv_text, &["name", "aliases", "country", "kind"])?;
        let mut n = 0;
        for (i, r) in rows.iter().enumerate() {
            let name = csv::get(r, "name");
            if name.is_empty() {
                continue;
            }
            let kind = match csv::get(r, "kind").to_lowercase().as_str() {
                "locality" | "" => PartnerType::Locality,
                "organisation" | "organization" | "org" => PartnerType::Organisation,
                other => {
                    return Err(CsvError {
                        line: i + 2,
                        message: format!("kind must be locality or organisation, not \"{other}\""),
                    });
                }
            };
            let country = csv::get(r, "country").trim().to_uppercase();
            let country = if country.is_empty() {
                None
            } else if self.countries.iter().any(|c| c.code == country) {
                Some(country)
            } else {
                return Err(CsvError {
                    line: i + 2,
                    message: format!("unknown country code \"{country}\""),
                });
            };
            let idx = self.partners.len() as u32;
            self.partners.push(PartnerEntry {
                name: name.to_string(),
                country,
                kind,
            });
            self.index.add(name, Place::Partner(idx), 3);
            for a in csv::get(r, "aliases").split(';') {
                let a = a.trim();
                if !a.is_empty() {
                    self.index.add(a, Place::Partner(idx), 3);
                }
            }
            n += 1;
        }
        Ok(n)
    }

    /// All names in `ws` (words of `norm`), longest match first, left to right.
    pub fn mentions(&self, norm: &str, canon: &str, ws: &[Word]) -> Vec<Mention> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < ws.len() {
            if let Some((place, n)) = self.index.match_at(norm, canon, ws, i) {
                out.push(Mention {
                    place,
                    start: ws[i].start,
                    end: ws[i + n - 1].end,
                    word: i,
                    n_words: n,
                });
                i += n;
            } else {
                i += 1;
            }
        }
        out
    }

    /// The name of a province as the report's time calls it.
    pub fn province_name(&self, idx: u16, date: Option<DocDate>) -> String {
        let p = &self.provinces[idx as usize];
        match date {
            Some(d) if (d.year, d.month.unwrap_or(1)) >= (2025, 7) => p.successor.clone(),
            Some(d) if d.year >= 2025 && p.code == "46" => self
                .new_names
                .get("46")
                .cloned()
                .unwrap_or_else(|| p.legacy.clone()),
            _ => p.legacy.clone(),
        }
    }

    pub fn country_code(&self, idx: u16) -> &str {
        &self.countries[idx as usize].code
    }
}

//! Form helpers every page's forms use: the posted pairs of a form and
//! the choices of the selects that several forms offer.

use ngoaivu_core::Lang;
use ngoaivu_core::fold::vi_sort_key;
use ngoaivu_core::refdata::refdata;

/// `application/x-www-form-urlencoded` pairs, repeated keys kept.
pub(crate) fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body).unwrap_or_default()
}

pub(crate) fn form_value<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}
pub(crate) fn country_options(lang: Lang) -> Vec<(String, String)> {
    let mut cs: Vec<(String, String)> = refdata()
        .countries
        .iter()
        .map(|c| {
            (
                c.alpha2.clone(),
                lang.pick(&c.name_vi, &c.name_en).to_owned(),
            )
        })
        .collect();
    match lang {
        Lang::Vi => cs.sort_by_key(|(_, n)| vi_sort_key(n)),
        Lang::En => cs.sort_by(|a, b| a.1.cmp(&b.1)),
    }
    cs
}

pub(crate) fn sector_options(lang: Lang) -> Vec<(String, String)> {
    ngoaivu_core::values::SECTORS
        .iter()
        .map(|(c, vi, en)| ((*c).into(), lang.pick(vi, en).into()))
        .collect()
}

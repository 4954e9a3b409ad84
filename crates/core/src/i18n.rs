//! The two languages of the interface. Vietnamese is the default; English is
//! chosen by `Accept-Language: en` (API) or the language switch (web).

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// Pick from an `Accept-Language` header: English only when the first
    /// language the client names is English; Vietnamese otherwise.
    pub fn from_accept_language(header: Option<&str>) -> Lang {
        let Some(h) = header else { return Lang::Vi };
        for part in h.split(',') {
            let tag = part
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if tag.is_empty() || tag == "*" {
                continue;
            }
            if tag == "en" || tag.starts_with("en-") {
                return Lang::En;
            }
            if tag == "vi" || tag.starts_with("vi-") {
                return Lang::Vi;
            }
        }
        Lang::Vi
    }

    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

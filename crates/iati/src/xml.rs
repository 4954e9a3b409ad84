//! Writing XML by hand: escaping, and dropping the characters XML 1.0 cannot
//! carry at all (C0 controls other than tab, line feed and carriage return;
//! U+FFFE, U+FFFF). A record's text can hold them (pasted from a word
//! processor), and one such character makes the whole file unreadable to
//! every XML parser, so they are removed rather than escaped: XML 1.0 has no
//! escape for them.

/// Whether XML 1.0 allows the character (`Char` production). Rust `char`s
/// are never surrogates, so the rest of the production holds by type.
pub(crate) fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// Text content: `<`, `&`, `>` escaped (`>` for `]]>`), forbidden characters dropped.
pub(crate) fn text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            '>' => out.push_str("&gt;"),
            // A bare CR would be read back as LF; keep it exact.
            '\r' => out.push_str("&#13;"),
            c if allowed(c) => out.push(c),
            _ => {}
        }
    }
}

/// An attribute value in double quotes: also `"` and the whitespace that
/// attribute normalisation would otherwise turn into spaces.
pub(crate) fn attr(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if allowed(c) => out.push(c),
            _ => {}
        }
    }
}

/// A small indenting writer: elements are opened with their attributes,
/// text goes inline.
pub(crate) struct Writer {
    pub out: String,
    depth: usize,
}

impl Writer {
    pub(crate) fn new() -> Writer {
        Writer {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            depth: 0,
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn start_tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            attr(&mut self.out, v);
            self.out.push('"');
        }
    }

    pub(crate) fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start_tag(name, attrs);
        self.out.push_str(">\n");
        self.depth += 1;
    }

    pub(crate) fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.indent();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    pub(crate) fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start_tag(name, attrs);
        self.out.push_str("/>\n");
    }

    pub(crate) fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], content: &str) {
        self.start_tag(name, attrs);
        self.out.push('>');
        text(&mut self.out, content);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// A comment; `--` may not occur in one, nor end it with `-`.
    pub(crate) fn comment(&mut self, s: &str) {
        self.indent();
        self.out.push_str("<!-- ");
        let mut prev = ' ';
        for c in s.chars().filter(|c| allowed(*c)) {
            if c == '-' && prev == '-' {
                continue;
            }
            self.out.push(c);
            prev = c;
        }
        self.out.push_str(" -->\n");
    }
}

/// Text as it will be read back: forbidden characters removed, trimmed.
pub(crate) fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| allowed(*c))
        .collect::<String>()
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_strips() {
        let mut s = String::new();
        text(&mut s, "a<b>&c\u{1}\u{FFFE}\u{FFFF}đ\t]]>");
        assert_eq!(s, "a&lt;b&gt;&amp;cđ\t]]&gt;");
        let mut s = String::new();
        attr(&mut s, "\"x\"\n\u{0}");
        assert_eq!(s, "&quot;x&quot;&#10;");
    }
}

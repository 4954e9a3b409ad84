//! iCalendar (RFC 5545) output for the calendar feed of an organisation:
//! all-day events, written byte-exactly as the RFC asks (CRLF line ends,
//! lines folded at 75 octets without splitting a UTF-8 character, TEXT
//! values escaped). Pure: the caller gathers the records.

use time::{Date, OffsetDateTime};

/// One all-day entry of the calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct CalEvent {
    /// Stable across edits, unique per record (`delegation-42@dong-thap.ngoaivu`).
    pub uid: String,
    pub summary: String,
    pub description: Option<String>,
    pub location: Option<String>,
    pub start: Date,
    /// The last day, inclusive (as the records keep it); written as the
    /// exclusive `DTEND` the RFC asks for all-day events.
    pub last_day: Date,
    /// When the record was last changed: `DTSTAMP` and `LAST-MODIFIED`.
    pub changed_at: OffsetDateTime,
    /// A cancelled trip stays in calendars, marked `STATUS:CANCELLED`.
    pub cancelled: bool,
}

/// The whole calendar as text.
pub fn calendar(name: &str, events: &[CalEvent]) -> String {
    let mut out = String::new();
    let mut line = |l: &str| out.push_str(&fold(l));
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//ngoaivu//Lich doi ngoai//VI");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!("X-WR-CALNAME:{}", escape_text(name)));
    line("X-WR-TIMEZONE:Asia/Ho_Chi_Minh");
    for e in events {
        let end = e.last_day.max(e.start).next_day().unwrap_or(e.start);
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", escape_text(&e.uid)));
        line(&format!("DTSTAMP:{}", utc_stamp(e.changed_at)));
        line(&format!("LAST-MODIFIED:{}", utc_stamp(e.changed_at)));
        line(&format!("DTSTART;VALUE=DATE:{}", ical_date(e.start)));
        line(&format!("DTEND;VALUE=DATE:{}", ical_date(end)));
        line(&format!("SUMMARY;LANGUAGE=vi:{}", escape_text(&e.summary)));
        if let Some(d) = &e.description {
            line(&format!("DESCRIPTION;LANGUAGE=vi:{}", escape_text(d)));
        }
        if let Some(l) = &e.location {
            line(&format!("LOCATION;LANGUAGE=vi:{}", escape_text(l)));
        }
        if e.cancelled {
            line("STATUS:CANCELLED");
        }
        line("TRANSP:TRANSPARENT");
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

/// `YYYYMMDD`, the DATE value.
pub fn ical_date(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day())
}

/// `YYYYMMDDTHHMMSSZ` in UTC, the DATE-TIME form for stamps.
pub fn utc_stamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{}T{:02}{:02}{:02}Z",
        ical_date(t.date()),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Escape a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and
/// newlines; a carriage return is dropped (a CRLF is one newline).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded (RFC 5545 §3.1): no line longer than 75
/// octets, each continuation starts with a space, and a multi-byte
/// character is never cut. Ends with CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut used = 0;
    for c in line.chars() {
        // The first line holds 75 octets; a continuation's leading space counts.
        if used + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

/// Undo [`fold`] and split into content lines (for tests and readers).
pub fn unfold(text: &str) -> Vec<String> {
    text.replace("\r\n ", "")
        .replace("\r\n\t", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Undo [`escape_text`].
pub fn unescape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn folds_at_75_octets_without_cutting_characters() {
        let long = format!("SUMMARY:{}", "Đoàn công tác tỉnh Đồng Tháp ".repeat(6));
        let folded = fold(&long);
        assert!(folded.ends_with("\r\n"));
        for l in folded.trim_end_matches("\r\n").split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        assert_eq!(unfold(&folded), vec![long]);
    }

    #[test]
    fn escapes_text_values() {
        let s = "Hà Nội, Việt Nam; a\\b\r\nline 2";
        assert_eq!(escape_text(s), "Hà Nội\\, Việt Nam\\; a\\\\b\\nline 2");
        assert_eq!(unescape_text(&escape_text(s)), s.replace('\r', ""));
    }

    #[test]
    fn all_day_events_end_the_day_after() {
        let e = CalEvent {
            uid: "delegation-1@dong-thap.ngoaivu".into(),
            summary: "Đoàn ra: Nhật Bản".into(),
            description: None,
            location: None,
            start: date!(2024 - 12 - 30),
            last_day: date!(2024 - 12 - 31),
            changed_at: datetime!(2024-05-01 08:30:00 +7),
            cancelled: false,
        };
        let text = calendar("Sở Ngoại vụ", &[e]);
        let lines = unfold(&text);
        assert!(lines.contains(&"DTSTART;VALUE=DATE:20241230".to_owned()));
        assert!(lines.contains(&"DTEND;VALUE=DATE:20250101".to_owned()));
        assert!(lines.contains(&"DTSTAMP:20240501T013000Z".to_owned()));
        assert!(
            !text.replace("\r\n", "").contains('\n'),
            "bare LF in output"
        );
    }
}

//! A small RFC 4180 CSV reader for the embedded data files (quoted fields,
//! doubled quotes, CR LF). Returns rows of fields.

/// A CSV file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for CsvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CSV line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for CsvError {}

pub(crate) fn parse(text: &str) -> Result<Vec<Vec<String>>, CsvError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut line = 1usize;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => {
                in_quotes = true;
                any = true;
            }
            ',' => {
                row.push(std::mem::take(&mut field));
                any = true;
            }
            '\r' => {}
            '\n' => {
                if any || !field.is_empty() {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                any = false;
                line += 1;
            }
            c => {
                field.push(c);
                any = true;
            }
        }
    }
    if in_quotes {
        return Err(CsvError {
            line,
            message: "unterminated quoted field".into(),
        });
    }
    if any || !field.is_empty() {
        row.push(field);
        rows.push(row);
    }
    Ok(rows)
}

/// Rows as maps from header name to value; the header row is required.
pub(crate) fn parse_with_header(
    text: &str,
    required: &[&str],
) -> Result<Vec<Vec<(String, String)>>, CsvError> {
    let rows = parse(text)?;
    let Some((header, body)) = rows.split_first() else {
        return Err(CsvError {
            line: 1,
            message: "empty file (a header row is required)".into(),
        });
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    for r in required {
        if !header.iter().any(|h| h == r) {
            return Err(CsvError {
                line: 1,
                message: format!("missing column \"{r}\" (have: {})", header.join(", ")),
            });
        }
    }
    Ok(body
        .iter()
        .map(|row| {
            header
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    (
                        h.clone(),
                        row.get(i).map(|v| v.trim().to_string()).unwrap_or_default(),
                    )
                })
                .collect()
        })
        .collect())
}

pub(crate) fn get<'a>(row: &'a [(String, String)], key: &str) -> &'a str {
    row.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    #[test]
    fn quoted() {
        let r = super::parse("a,b\n\"x, y\",\"say \"\"hi\"\"\"\r\n").unwrap();
        assert_eq!(r, vec![vec!["a", "b"], vec!["x, y", "say \"hi\""]]);
    }
}

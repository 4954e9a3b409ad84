//! Checking a JSON body against the JSON Schema its Rust type derives.
//!
//! A record body's type declares its shape once: field types, lengths
//! (`#[schemars(length(…))]`), non-blank texts (`regex(pattern = r"\S")`),
//! closed vocabularies (`vocab!`), dates, list sizes. The OpenAPI document
//! shows that schema to clients; this module holds the server to the same
//! schema, so the two cannot disagree. It walks the body and the schema
//! together and reports *every* problem with the path where it is
//! (`contacts[2].name`, `translations.vi.name`), before serde reads the
//! body (serde stops at the first). The checks that need more than one
//! field or the caller's context (dates in order, the caller's units, the
//! indicator's units) stay with each type's `check`.
//!
//! Coded values checked against reference data (`codes`) are recognised by
//! their schema's name: a country is looked up case-insensitively and
//! reported as `unknown_country`, an APEC economy as `not_apec`; a unit
//! slug is left to the record's context (`unit_outside_org`).

use serde_json::{Map, Value};

use crate::error::{Invalid, Problem};
use crate::refdata::refdata;
use crate::values::{Date, SECTORS};

/// A type's schema with the definitions its `$ref`s point at.
pub struct Shape {
    root: Value,
    defs: Map<String, Value>,
}

impl Shape {
    /// The shape of `T`, as the OpenAPI document states it.
    pub fn of<T: schemars::JsonSchema>() -> Shape {
        let mut g = schemars::generate::SchemaSettings::openapi3().into_generator();
        let root = T::json_schema(&mut g).to_value();
        let defs = g
            .definitions()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Shape { root, defs }
    }

    pub fn schema(&self) -> &Value {
        &self.root
    }

    /// The names of the top-level fields.
    pub fn fields(&self) -> Vec<String> {
        self.root
            .get("properties")
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The top-level fields that must be present.
    pub fn required(&self) -> Vec<String> {
        self.root
            .get("required")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every problem of `value` against the schema, each at its path.
    pub fn check(&self, value: &Value, errs: &mut Invalid) {
        self.walk(&self.root, value, "", errs);
    }

    fn walk(&self, schema: &Value, value: &Value, path: &str, errs: &mut Invalid) {
        if value.is_null() {
            return;
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let name = reference.rsplit('/').next().unwrap_or(reference);
            if !self.check_reference_code(name, value, path, errs)
                && let Some(def) = self.defs.get(name)
            {
                self.walk(def, value, path, errs);
            }
            return;
        }
        for part in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.walk(part, value, path, errs);
        }
        // `Option<Struct>` is `anyOf: [{$ref}, {type: null}]`: the one branch
        // that is not null is the shape. Real alternatives are left to serde.
        if let Some(branches) = schema
            .get("anyOf")
            .or_else(|| schema.get("oneOf"))
            .and_then(Value::as_array)
        {
            let not_null: Vec<&Value> = branches
                .iter()
                .filter(|b| b.get("type").and_then(Value::as_str) != Some("null"))
                .collect();
            if let [only] = not_null.as_slice() {
                self.walk(only, value, path, errs);
            }
            return;
        }
        let types = types_of(schema);
        if !types.is_empty() && !types.iter().any(|t| is_of_type(value, t)) {
            errs.push(
                path,
                Problem::WrongType {
                    expected: expected_name(&types),
                },
            );
            return;
        }
        match value {
            Value::Object(obj) => self.walk_object(schema, obj, path, errs),
            Value::Array(items) => self.walk_array(schema, items, path, errs),
            Value::String(text) => walk_string(schema, text, path, errs),
            Value::Number(n) => {
                let minimum = schema.get("minimum").and_then(Value::as_f64);
                if let (Some(min), Some(x)) = (minimum, n.as_f64())
                    && x < min
                    && min == 0.0
                {
                    errs.push(path, Problem::Negative);
                }
            }
            Value::Bool(_) | Value::Null => {}
        }
    }

    fn walk_object(
        &self,
        schema: &Value,
        obj: &Map<String, Value>,
        path: &str,
        errs: &mut Invalid,
    ) {
        let props = schema.get("properties").and_then(Value::as_object);
        let additional = schema.get("additionalProperties");
        for (key, child) in obj {
            let at = join(path, key);
            match props.and_then(|p| p.get(key)) {
                Some(field) => self.walk(field, child, &at, errs),
                None => match additional {
                    Some(Value::Bool(false)) => errs.push(at, Problem::UnknownField),
                    Some(more @ Value::Object(_)) => self.walk(more, child, &at, errs),
                    _ => {}
                },
            }
        }
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if obj.get(name).is_none_or(Value::is_null) {
                errs.push(join(path, name), Problem::Required);
            }
        }
    }

    fn walk_array(&self, schema: &Value, items: &[Value], path: &str, errs: &mut Invalid) {
        let max = schema.get("maxItems").and_then(Value::as_u64);
        if let Some(max) = max
            && items.len() as u64 > max
        {
            errs.push(
                path,
                Problem::TooMany {
                    max: usize::try_from(max).unwrap_or(usize::MAX),
                },
            );
            return;
        }
        if schema.get("minItems").and_then(Value::as_u64).unwrap_or(0) > 0 && items.is_empty() {
            errs.push(path, Problem::Required);
        }
        if let Some(item) = schema.get("items") {
            for (i, v) in items.iter().enumerate() {
                self.walk(item, v, &format!("{path}[{i}]"), errs);
            }
        }
    }

    /// Values checked against reference data rather than a listed enum.
    /// Returns whether `name` is one of them.
    fn check_reference_code(
        &self,
        name: &str,
        value: &Value,
        path: &str,
        errs: &mut Invalid,
    ) -> bool {
        let Some(text) = value.as_str() else {
            return false;
        };
        match name {
            "CountryCode" => {
                if refdata().country(&text.to_ascii_uppercase()).is_none() {
                    errs.push(
                        path,
                        Problem::UnknownCountry {
                            value: text.to_owned(),
                        },
                    );
                }
            }
            "ApecEconomy" => {
                let code = text.to_ascii_uppercase();
                if !refdata().is_apec(&code) {
                    errs.push(path, Problem::NotApec { value: code });
                }
            }
            "SectorCode" => {
                if !SECTORS.iter().any(|(code, ..)| *code == text) {
                    errs.push(path, crate::values::not_a_sector());
                }
            }
            // Whether a unit may be named depends on who names it.
            "UnitSlug" => {}
            _ => return false,
        }
        true
    }
}

fn walk_string(schema: &Value, text: &str, path: &str, errs: &mut Invalid) {
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.iter().any(|a| a.as_str() == Some(text)) {
            errs.push(
                path,
                Problem::OneOf {
                    allowed: allowed
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(", "),
                },
            );
        }
        return;
    }
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0);
    let must_show = schema.get("pattern").and_then(Value::as_str) == Some(r"\S");
    if (min > 0 || must_show) && text.trim().is_empty() {
        errs.push(path, Problem::Required);
        return;
    }
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64)
        && text.chars().count() as u64 > max
    {
        errs.push(
            path,
            Problem::TooLong {
                max: usize::try_from(max).unwrap_or(usize::MAX),
            },
        );
    }
    if schema.get("format").and_then(Value::as_str) == Some("date") && Date::parse(text).is_none() {
        errs.push(
            path,
            Problem::InvalidDate {
                value: text.to_owned(),
            },
        );
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn types_of(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    }
}

fn is_of_type(value: &Value, ty: &str) -> bool {
    match ty {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "null" => value.is_null(),
        _ => true,
    }
}

/// The name a `wrong_type` error gives what was expected.
fn expected_name(types: &[&str]) -> &'static str {
    let not_null: Vec<&str> = types.iter().copied().filter(|t| *t != "null").collect();
    match not_null.as_slice() {
        ["string", "number"] | ["number", "string"] => "decimal",
        ["object", ..] => "object",
        ["array", ..] => "array",
        ["string", ..] => "string",
        ["boolean", ..] => "boolean",
        ["integer", ..] => "integer",
        ["number", ..] => "number",
        _ => "value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use schemars::JsonSchema;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        #[schemars(length(min = 1, max = 5), regex(pattern = r"\S"))]
        name: String,
        on: Option<Date>,
    }

    #[derive(Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        #[schemars(length(max = 2))]
        items: Vec<Inner>,
        count: Option<u32>,
        #[schemars(with = "crate::codes::CountryCode")]
        country: String,
        #[schemars(extend("enum" = ["a", "b"]))]
        letter: String,
        one: Option<Inner>,
    }

    fn problems(v: Value) -> Vec<(String, &'static str)> {
        let mut errs = Invalid::default();
        Shape::of::<Outer>().check(&v, &mut errs);
        errs.0.iter().map(|e| (e.field.clone(), e.code())).collect()
    }

    #[test]
    fn every_problem_at_its_path() {
        // (body, the problems it must be reported with)
        let table = [
            (
                json!({"items": [{"name": " "}, {"name": "toolong", "on": "2024-02-30"}], "country": "la", "letter": "a"}),
                vec![
                    ("items[0].name", "required"),
                    ("items[1].name", "too_long"),
                    ("items[1].on", "invalid_date"),
                ],
            ),
            (
                json!({"items": [], "count": -1, "country": "XX", "letter": "c", "one": {"nam": 1}}),
                vec![
                    ("count", "negative"),
                    ("country", "unknown_country"),
                    ("letter", "not_allowed_value"),
                    ("one.nam", "unknown_field"),
                    ("one.name", "required"),
                ],
            ),
            (
                json!({"items": [{"name": "a"}, {"name": "b"}, {"name": "c"}], "country": 5, "letter": "b"}),
                vec![("country", "wrong_type"), ("items", "too_many")],
            ),
            (
                json!({"items": {"name": "a"}, "country": "VN", "letter": "b", "count": 1.5}),
                vec![("count", "wrong_type"), ("items", "wrong_type")],
            ),
        ];
        for (body, want) in table {
            let want: Vec<(String, &str)> =
                want.into_iter().map(|(f, c)| (f.to_owned(), c)).collect();
            assert_eq!(problems(body.clone()), want, "{body}");
        }
    }

    #[test]
    fn a_valid_body_has_no_problem() {
        assert!(problems(json!({"items": [{"name": "Huế", "on": "2024-02-29"}], "country": "vn", "letter": "a", "one": {"name": "x"}})).is_empty());
    }
}

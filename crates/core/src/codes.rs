//! JSON Schemas of the coded values the validators check against reference
//! data: a country (ISO 3166-1 alpha-2), a sector code, a provincial unit.
//! Fields use them through `#[schemars(with = "…")]`, so that the OpenAPI
//! document lists exactly the values `check_country`, `check_sectors` and
//! `check_locality` accept (read from the same tables), and a client or a
//! fuzzer generating from the schema sends values the server takes.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::refdata::refdata;

/// A country, ISO 3166-1 alpha-2 (upper case; lower case is accepted and
/// stored upper case).
pub struct CountryCode;

impl JsonSchema for CountryCode {
    fn schema_name() -> Cow<'static, str> {
        "CountryCode".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let codes: Vec<&str> = refdata()
            .countries
            .iter()
            .map(|c| c.alpha2.as_str())
            .collect();
        json_schema!({"type": "string", "enum": codes, "description": "ISO 3166-1 alpha-2"})
    }
}

/// A sector (`values::SECTORS`).
pub struct SectorCode;

impl JsonSchema for SectorCode {
    fn schema_name() -> Cow<'static, str> {
        "SectorCode".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let codes: Vec<&str> = crate::values::SECTORS.iter().map(|(c, ..)| *c).collect();
        json_schema!({"type": "string", "enum": codes})
    }
}

/// A provincial unit's slug, current (34) or former (63), or `viet-nam`
/// for national figures. A province's users may name only their own
/// units (a rule of the caller, not of the value: 422 `unit_outside_org`).
pub struct UnitSlug;

impl JsonSchema for UnitSlug {
    fn schema_name() -> Cow<'static, str> {
        "UnitSlug".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let mut slugs: Vec<&str> = refdata().units.iter().map(|u| u.slug.as_str()).collect();
        slugs.push(crate::records::NATIONAL);
        json_schema!({"type": "string", "enum": slugs,
            "description": "A provincial unit (current or former) or viet-nam; a province's users: one of their own"})
    }
}

/// An APEC economy (ISO 3166-1 alpha-2), for ABTC approvals.
pub struct ApecEconomy;

impl JsonSchema for ApecEconomy {
    fn schema_name() -> Cow<'static, str> {
        "ApecEconomy".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let codes: Vec<&str> = refdata().apec.iter().map(String::as_str).collect();
        json_schema!({"type": "string", "enum": codes, "description": "An APEC economy, ISO 3166-1 alpha-2"})
    }
}

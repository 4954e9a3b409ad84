//! The OpenAPI 3.0 document of `/api/v1`, built from the same record-type
//! table as the router and from the JSON Schemas of the record bodies in
//! `ngoaivu-core` (so a new field appears here without a second edit). A
//! snapshot test (`tests/openapi.rs`) keeps the served document honest, and
//! the isolation test calls every path it lists.

use ngoaivu_core::RecordType;
use schemars::JsonSchema;
use serde_json::{Map, Value, json};

fn schema_defs() -> Map<String, Value> {
    use ngoaivu_core::records::*;
    let mut g = schemars::generate::SchemaSettings::openapi3().into_generator();
    Partner::json_schema(&mut g);
    let _ = g.subschema_for::<Partner>();
    let _ = g.subschema_for::<Agreement>();
    let _ = g.subschema_for::<Delegation>();
    let _ = g.subschema_for::<Project>();
    let _ = g.subschema_for::<Event>();
    let _ = g.subschema_for::<AbtcApproval>();
    let _ = g.subschema_for::<OverseasContact>();
    let _ = g.subschema_for::<Observation>();
    let _ = g.subschema_for::<CatalogProject>();
    g.take_definitions(true).into_iter().collect()
}

fn schema_name(rt: RecordType) -> &'static str {
    match rt {
        RecordType::Partner => "Partner",
        RecordType::Agreement => "Agreement",
        RecordType::Delegation => "Delegation",
        RecordType::Project => "Project",
        RecordType::Event => "Event",
        RecordType::AbtcApproval => "AbtcApproval",
        RecordType::OverseasContact => "OverseasContact",
        RecordType::Observation => "Observation",
        RecordType::CatalogProject => "CatalogProject",
    }
}

fn error_responses(codes: &[&str]) -> Map<String, Value> {
    let mut m = Map::new();
    for code in codes {
        let desc = match *code {
            "400" => "Malformed JSON or query parameters",
            "401" => "Not signed in",
            "403" => "Signed in, but this role or organisation may not do this",
            "404" => "Missing, or outside the caller's organisation (never told apart)",
            "409" => "Conflict (referenced by other records, or taken)",
            "413" => "Body over the size limit",
            "415" => "Not JSON",
            "422" => "Fields failed validation; `fields` names each",
            "429" => "Too many failed sign-ins",
            _ => "Error",
        };
        m.insert((*code).into(), json!({"description": desc, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}));
    }
    m
}

fn op(
    summary: &str,
    tag: &str,
    params: Vec<Value>,
    body: Option<Value>,
    ok: (&str, Value),
    errors: &[&str],
    auth: bool,
) -> Value {
    let mut responses = error_responses(errors);
    responses.insert(ok.0.into(), ok.1);
    let mut o = json!({"summary": summary, "tags": [tag], "responses": responses});
    if !params.is_empty() {
        o["parameters"] = Value::Array(params);
    }
    if let Some(b) = body {
        o["requestBody"] =
            json!({"required": true, "content": {"application/json": {"schema": b}}});
    }
    if !auth {
        o["security"] = json!([]);
    }
    o
}

fn q(name: &str, desc: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": desc, "schema": schema})
}

fn id_param() -> Value {
    json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64", "minimum": 1}})
}

fn json_ok(desc: &str, schema: Value) -> Value {
    json!({"description": desc, "content": {"application/json": {"schema": schema}}})
}

pub fn document() -> Value {
    let mut schemas = schema_defs();
    schemas.insert(
        "Error".into(),
        json!({
            "type": "object", "required": ["error", "message", "fields"],
            "properties": {
                "error": {"type": "string", "description": "A stable code, usable as a translation key"},
                "message": {"type": "string", "description": "In Vietnamese, or English for Accept-Language: en"},
                "fields": {"type": "array", "items": {"type": "object", "required": ["field", "code", "message"], "properties": {
                    "field": {"type": "string"}, "code": {"type": "string"}, "message": {"type": "string"}}}}
            }
        }),
    );
    schemas.insert(
        "RecordMeta".into(),
        json!({
            "type": "object", "required": ["id", "org", "created_at", "created_by", "updated_at", "updated_by"],
            "properties": {
                "id": {"type": "integer", "format": "int64"},
                "org": {"type": "string", "description": "Slug of the owning organisation (a current provincial unit or bo-ngoai-giao)"},
                "created_at": {"type": "string", "format": "date-time"}, "created_by": {"type": "string"},
                "updated_at": {"type": "string", "format": "date-time"}, "updated_by": {"type": "string"}
            }
        }),
    );
    schemas.insert(
        "Attachment".into(),
        json!({
            "type": "object", "required": ["id", "record_id", "filename", "content_type", "size", "sha256", "created_at", "created_by"],
            "properties": {
                "id": {"type": "integer", "format": "int64"}, "record_id": {"type": "integer", "format": "int64"},
                "filename": {"type": "string"}, "content_type": {"type": "string"}, "size": {"type": "integer"},
                "sha256": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"}, "created_by": {"type": "string"}
            }
        }),
    );
    schemas.insert(
        "CreateOrg".into(),
        json!({"type": "object", "properties": {"org": {"type": "string", "description": "Ministry users: the organisation the record belongs to (a current unit's slug, or a former unit's, which files it under its successor and tags it with the former unit). Province users may omit it."}}}),
    );
    let mut paths = Map::new();
    paths.insert(
        "/healthz".into(),
        json!({"get": op("Liveness: answers when the database does", "system", vec![], None, ("200", json_ok("Up", json!({"type": "object"}))), &["503"], false)}),
    );
    paths.insert(
        "/api/v1/openapi.json".into(),
        json!({"get": op("This document", "system", vec![], None, ("200", json_ok("OpenAPI document", json!({"type": "object"}))), &[], false)}),
    );
    paths.insert(
        "/api/v1/sessions".into(),
        json!({"post": op(
            "Sign in: a bearer token for the Authorization header", "sessions", vec![],
            Some(json!({"type": "object", "required": ["username", "password"], "additionalProperties": false,
                "properties": {"username": {"type": "string"}, "password": {"type": "string", "format": "password"}}})),
            ("201", json_ok("Signed in", json!({"type": "object", "required": ["token", "expires_at", "user"], "properties": {
                "token": {"type": "string"}, "expires_at": {"type": "string", "format": "date-time"}, "user": {"type": "object"}}}))),
            &["400", "401", "415", "422", "429"], false)}),
    );
    paths.insert(
        "/api/v1/sessions/current".into(),
        json!({"delete": op("Sign out: end this token's session", "sessions", vec![], None, ("204", json!({"description": "Signed out"})), &["401"], true)}),
    );
    paths.insert(
        "/api/v1/me".into(),
        json!({"get": op("The signed-in user and their organisation", "sessions", vec![], None, ("200", json_ok("Me", json!({"type": "object"}))), &["401"], true)}),
    );
    let list_of = |item: Value| json!({"type": "object", "required": ["items", "total"], "properties": {"items": {"type": "array", "items": item}, "total": {"type": "integer"}}});
    paths.insert(
        "/api/v1/orgs".into(),
        json!({"get": op("Organisations: provinces, the Ministry, missions abroad", "reference", vec![], None, ("200", json_ok("Organisations", list_of(json!({"type": "object"})))), &["401"], true)}),
    );
    paths.insert(
        "/api/v1/orgs/{slug}".into(),
        json!({"patch": op(
            "Set the name of an organisation's foreign-affairs office (its admins, or the Ministry's)", "reference",
            vec![json!({"name": "slug", "in": "path", "required": true, "schema": {"type": "string"}})],
            Some(json!({"type": "object", "required": ["office_name"], "additionalProperties": false, "properties": {"office_name": {"type": "string", "maxLength": 200}}})),
            ("200", json_ok("Updated", json!({"type": "object"}))), &["400", "401", "403", "404", "422"], true)}),
    );
    paths.insert(
        "/api/v1/indicators".into(),
        json!({
            "get": op("The indicator vocabulary of reported figures", "reference", vec![], None, ("200", json_ok("Indicators", list_of(json!({"type": "object"})))), &["401"], true),
            "post": op("Add an indicator (Ministry admins)", "reference", vec![],
                Some(json!({"type": "object", "required": ["code", "name_vi", "name_en", "units"], "additionalProperties": false, "properties": {
                    "code": {"type": "string", "pattern": "^[a-z0-9._]{1,60}$"}, "name_vi": {"type": "string"}, "name_en": {"type": "string"},
                    "units": {"type": "array", "items": {"type": "string", "enum": ["USD", "VND", "count", "percent", "people"]}}, "summable": {"type": "boolean"}}})),
                ("201", json_ok("Added", json!({"type": "object"}))), &["400", "401", "403", "409", "415", "422"], true)
        }),
    );
    paths.insert(
        "/api/v1/countries".into(),
        json!({"get": op("ISO 3166-1 countries with Vietnamese and English names", "reference", vec![], None, ("200", json_ok("Countries", list_of(json!({"type": "object"})))), &["401"], true)}),
    );
    paths.insert(
        "/api/v1/units".into(),
        json!({"get": op("Vietnam's provincial units, current (34) and former (63), with successors", "reference", vec![], None, ("200", json_ok("Units", list_of(json!({"type": "object"})))), &["401"], true)}),
    );
    for rt in RecordType::ALL {
        let name = schema_name(rt);
        let body_ref = json!({"$ref": format!("#/components/schemas/{name}")});
        let record = json!({"allOf": [body_ref, {"$ref": "#/components/schemas/RecordMeta"}]});
        let tag = rt.path();
        let mut statuses = rt.statuses().iter().map(|s| json!(s)).collect::<Vec<_>>();
        if statuses.is_empty() {
            statuses.push(json!(""));
        }
        let kinds: Vec<Value> = rt.kinds().into_iter().map(|k| json!(k)).collect();
        let params = vec![
            q(
                "q",
                "Search words; case and diacritics ignored (`da nang` finds `Đà Nẵng`)",
                json!({"type": "string", "maxLength": 200}),
            ),
            q(
                "year",
                "The year of the record's main date (or of a figure's period)",
                json!({"type": "integer"}),
            ),
            q(
                "status",
                "Status",
                json!({"type": "string", "enum": statuses}),
            ),
            q(
                "country",
                "ISO 3166-1 alpha-2 country of the record or its partners",
                json!({"type": "string"}),
            ),
            q(
                "kind",
                "Kind (direction for delegations, indicator for figures)",
                json!({"type": "string", "enum": kinds}),
            ),
            q("sector", "Sector code", json!({"type": "string"})),
            q(
                "locality",
                "Provincial unit of the record's time (slug), or viet-nam",
                json!({"type": "string"}),
            ),
            q(
                "org",
                "Owning organisation (slug); the Ministry's filter",
                json!({"type": "string"}),
            ),
            q(
                "sort",
                "Sort key, `-` for descending",
                json!({"type": "string", "enum": ["id", "-id", "title", "-title", "date", "-date", "year", "-year", "updated_at", "-updated_at"]}),
            ),
            q(
                "limit",
                "Page size",
                json!({"type": "integer", "minimum": 1, "maximum": 200, "default": 50}),
            ),
            q(
                "offset",
                "Items to skip",
                json!({"type": "integer", "minimum": 0, "default": 0}),
            ),
        ];
        let create_body = json!({"allOf": [body_ref, {"$ref": "#/components/schemas/CreateOrg"}]});
        paths.insert(
            format!("/api/v1/{}", rt.path()),
            json!({
                "get": op(&format!("List {} (filter, sort, page)", rt.label(ngoaivu_core::Lang::En).to_lowercase()), tag, params, None,
                    ("200", json_ok("A page", list_of(record.clone()))), &["400", "401"], true),
                "post": op(&format!("Create one of {}", rt.label(ngoaivu_core::Lang::En).to_lowercase()), tag, vec![], Some(create_body),
                    ("201", json_ok("Created", record.clone())), &["400", "401", "403", "413", "415", "422"], true)
            }),
        );
        paths.insert(
            format!("/api/v1/{}/{{id}}", rt.path()),
            json!({
                "get": op("Get one", tag, vec![id_param()], None, ("200", json_ok("The record", record.clone())), &["401", "404"], true),
                "patch": op("Change fields (JSON merge patch; null removes a field)", tag, vec![id_param()], Some(json!({"type": "object"})),
                    ("200", json_ok("Changed", record.clone())), &["400", "401", "403", "404", "413", "415", "422"], true),
                "delete": op("Delete", tag, vec![id_param()], None, ("204", json!({"description": "Deleted"})), &["401", "403", "404", "409"], true)
            }),
        );
        paths.insert(
            format!("/api/v1/{}/{{id}}/history", rt.path()),
            json!({"get": op("Change history (audit rows: who, when, before, after)", tag, vec![id_param()], None,
                ("200", json_ok("History", list_of(json!({"type": "object"})))), &["401", "404"], true)}),
        );
        if ngoaivu_core::workflow::has_workflow(rt) {
            let step = json!({"type": "object", "required": ["to"], "additionalProperties": false, "properties": {
                "to": {"type": "string", "description": "The state to move to; one the machine allows from the current state"},
                "note": {"type": "string", "maxLength": 2000, "description": "Why (kept in the audit row)"}
            }});
            paths.insert(
                format!("/api/v1/{}/{{id}}/transitions", rt.path()),
                json!({"post": op("Take one step of the record's workflow (a user of the owning organisation with the step's role; dated fields such as submitted_on, returned_on, report_due are set; the audit row 'transition' keeps from, to and note). 403 names the reason when refused", tag, vec![id_param()], Some(step),
                    ("200", json_ok("Moved", record.clone())), &["400", "401", "403", "404", "413", "415", "422"], true)}),
            );
        }
        let att_param = json!({"name": "attachment", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64", "minimum": 1}});
        let meta = json!({"$ref": "#/components/schemas/Attachment"});
        let mut upload = op(
            "Attach a file (PDF, Word, Excel, OpenDocument, PNG, JPEG, text): the body is the file; its type is checked from the content",
            tag,
            vec![
                id_param(),
                json!({"name": "filename", "in": "query", "required": true, "schema": {"type": "string", "maxLength": 200}}),
            ],
            None,
            ("201", json_ok("Attached", meta.clone())),
            &["400", "401", "403", "404", "413", "422"],
            true,
        );
        upload["requestBody"] = json!({"required": true, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}});
        paths.insert(
            format!("/api/v1/{}/{{id}}/attachments", rt.path()),
            json!({
                "get": op("The record's attachments", tag, vec![id_param()], None, ("200", json_ok("Attachments", list_of(meta.clone()))), &["401", "404"], true),
                "post": upload
            }),
        );
        paths.insert(
            format!("/api/v1/{}/{{id}}/attachments/{{attachment}}", rt.path()),
            json!({
                "get": op("Download an attachment", tag, vec![id_param(), att_param.clone()], None,
                    ("200", json!({"description": "The file", "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}})), &["401", "404"], true),
                "delete": op("Remove an attachment", tag, vec![id_param(), att_param], None, ("204", json!({"description": "Removed"})), &["401", "403", "404"], true)
            }),
        );
        paths.insert(
            format!("/api/v1/{}/{{id}}/links", rt.path()),
            json!({"get": op("Linked records: what this one points at and what points at it", tag, vec![id_param()], None,
                ("200", json_ok("Links", json!({"type": "object"}))), &["401", "404"], true)}),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "ngoaivu API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Records of provincial foreign-affairs work (công tác đối ngoại địa phương). A province's users see only its records; the Ministry's see all. Errors are JSON {error, message, fields}, in Vietnamese or, with Accept-Language: en, English."
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "POST /api/v1/sessions gives the token"}},
            "schemas": schemas
        },
        "paths": paths
    })
}

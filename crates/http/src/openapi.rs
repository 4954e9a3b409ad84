//! The OpenAPI 3.0 document of `/api/v1`, built from the same record-type
//! table as the router and from the JSON Schemas of the record bodies in
//! `ngoaivu-core` (so a new field appears here without a second edit). A
//! snapshot test (`tests/it/openapi.rs`) keeps the served document honest, and
//! the isolation test calls every path it lists.

use ngoaivu_core::RecordType;
use serde_json::{Map, Value, json};

/// The media type of XLSX files.
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn schema_defs() -> Map<String, Value> {
    let mut g = schemars::generate::SchemaSettings::openapi3().into_generator();
    RecordType::define_schemas(&mut g);
    let mut defs: Map<String, Value> = g.take_definitions(true).into_iter().collect();
    for def in defs.values_mut() {
        optional_is_nullable(def);
    }
    defs
}

/// The API reads `null` as "not given" for every field a body does not
/// require (a list empty, a text absent): say so, field by field.
fn optional_is_nullable(def: &mut Value) {
    let required: Vec<String> = def["required"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let Some(props) = def.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    for (name, prop) in props.iter_mut() {
        if required.contains(name) {
            continue;
        }
        if prop.get("$ref").is_some() {
            *prop = json!({"allOf": [prop.clone()], "nullable": true});
        } else if let Some(o) = prop.as_object_mut() {
            o.insert("nullable".into(), json!(true));
            // OpenAPI 3.0.3: a nullable enum lists null among its values.
            if let Some(Value::Array(values)) = o.get_mut("enum")
                && !values.contains(&Value::Null)
            {
                values.push(Value::Null);
            }
        }
    }
}

/// The record as the API returns it: its body's fields and the server's
/// own (`RecordMeta`: id, org, created and updated), in one object that
/// admits nothing else. (An `allOf` of the body, which forbids unknown
/// fields, and the meta would forbid the meta's fields.)
fn record_schema(body: &Value, meta: &Value) -> Value {
    let mut r = body.clone();
    let props = r["properties"]
        .as_object_mut()
        .expect("a record body has properties");
    for (k, v) in meta["properties"].as_object().expect("meta properties") {
        props.insert(k.clone(), v.clone());
    }
    let mut required: Vec<Value> = r["required"].as_array().cloned().unwrap_or_default();
    required.extend(meta["required"].as_array().cloned().unwrap_or_default());
    r["required"] = Value::Array(required);
    r["additionalProperties"] = json!(false);
    r
}

/// A JSON merge patch of a record: any of its fields, none required. The
/// body's properties are taken as they are: those it does not require are
/// already nullable (`optional_is_nullable`), which is what a patch's
/// `null` (remove the field) needs.
fn patch_schema(body: &Value) -> Value {
    json!({"type": "object", "additionalProperties": false, "properties": body["properties"].clone(),
        "description": "A JSON merge patch: the fields to change; null removes an optional field"})
}

/// An attachment as downloaded: served with the type its content was
/// recognised as when attached.
fn attachment_download() -> Value {
    let content: Map<String, Value> = ngoaivu_core::attachments::accepted_content_types()
        .into_iter()
        .map(|t| {
            (
                t.to_owned(),
                json!({"schema": {"type": "string", "format": "binary"}}),
            )
        })
        .collect();
    json!({"description": "The file, with the content type recognised when it was attached", "content": content})
}

/// A file name ending in an accepted extension (either case).
fn attachment_name_pattern() -> String {
    let exts: Vec<String> = ngoaivu_core::attachments::accepted_extensions()
        .split(", ")
        .map(|e| {
            e.chars()
                .map(|c| format!("[{}{}]", c.to_ascii_lowercase(), c.to_ascii_uppercase()))
                .collect()
        })
        .collect();
    format!("^.*[^./\\\\]\\.({})$", exts.join("|"))
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
            "412" => {
                "If-Match names an older version: someone else changed the record first. `current` is the record as it is now, `current_etag` (and the ETag header) its version"
            }
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
    if body.is_some() && !responses.contains_key("415") {
        // A JSON body sent without `Content-Type: application/json`.
        responses.extend(error_responses(&["415"]));
    }
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

fn if_match_param() -> Value {
    json!({"name": "If-Match", "in": "header", "required": false,
        "description": "The ETag of the version this change is to (from a read or the last change); `*` or absent: any version",
        "schema": {"type": "string"}})
}

fn if_none_match_param() -> Value {
    json!({"name": "If-None-Match", "in": "header", "required": false,
        "description": "The ETag of a version already held: 304 when the record is still that version",
        "schema": {"type": "string"}})
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
        "ImportReview".into(),
        json!({
            "type": "object", "required": ["type", "file_name", "sha256", "sheets", "summary", "rows"],
            "properties": {
                "type": {"type": "string"}, "file_name": {"type": "string"}, "sha256": {"type": "string"},
                "mapping": {"type": "object", "description": "The sheet, header row and columns ({index, header, key}) used"},
                "sheets": {"type": "array", "items": {"type": "string"}},
                "summary": {"type": "object", "properties": {"rows": {"type": "integer"}, "create": {"type": "integer"}, "update": {"type": "integer"},
                    "unchanged": {"type": "integer"}, "errors": {"type": "integer"}, "new_partners": {"type": "integer"}}},
                "rows": {"type": "array", "items": {"type": "object", "required": ["sheet", "row", "action", "title"], "properties": {
                    "sheet": {"type": "string"}, "row": {"type": "integer"},
                    "action": {"type": "string", "enum": ["create", "update", "unchanged", "error"]},
                    "title": {"type": "string"}, "record_id": {"type": "integer"},
                    "changes": {"type": "array", "items": {"type": "object"}},
                    "new_partners": {"type": "array", "items": {"type": "string"}},
                    "errors": {"type": "array", "items": {"type": "object", "properties": {
                        "cell": {"type": "string", "description": "As Excel names it: Sheet1!D14"}, "column": {"type": "string"},
                        "message": {"type": "string"}, "message_en": {"type": "string"}}}}}}},
                "skipped": {"type": "array", "items": {"type": "object"}}
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
        json!({"get": op("Liveness: the process answers (the database is not consulted)", "system", vec![], None, ("200", json_ok("Up", json!({"type": "object"}))), &[], false)}),
    );
    paths.insert(
        "/readyz".into(),
        json!({"get": op("Readiness: the database answers and its schema is this binary's (503 with the reason otherwise)", "system", vec![], None, ("200", json_ok("Ready", json!({"type": "object"}))), &["503"], false)}),
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
        let name = rt.schema_name();
        let name = name.as_str();
        let body_ref = json!({"$ref": format!("#/components/schemas/{name}")});
        let record_schema = record_schema(&schemas[name], &schemas["RecordMeta"]);
        let patch = patch_schema(&schemas[name]);
        schemas.insert(format!("{name}Record"), record_schema);
        schemas.insert(format!("{name}Patch"), patch);
        let record = json!({"$ref": format!("#/components/schemas/{name}Record")});
        let patch_ref = json!({"$ref": format!("#/components/schemas/{name}Patch")});
        let tag = rt.path();
        let statuses = rt.statuses().iter().map(|s| json!(s)).collect::<Vec<_>>();
        let kinds: Vec<Value> = rt.kinds().into_iter().map(|k| json!(k)).collect();
        let mut params = vec![
            q(
                "q",
                "Search words; case and diacritics ignored (`da nang` finds `Đà Nẵng`)",
                json!({"type": "string", "maxLength": 200}),
            ),
            q(
                "year",
                "The year of the record's main date (or of a figure's period)",
                json!({"type": "integer", "minimum": 1900, "maximum": 2100}),
            ),
            q(
                "country",
                "ISO 3166-1 alpha-2 country of the record or its partners",
                json!({"$ref": "#/components/schemas/CountryCode"}),
            ),
            q(
                "sector",
                "Sector code",
                json!({"$ref": "#/components/schemas/SectorCode"}),
            ),
            q(
                "locality",
                "Provincial unit of the record's time (slug), or viet-nam",
                json!({"$ref": "#/components/schemas/UnitSlug"}),
            ),
            q(
                "org",
                "Owning organisation (slug); the Ministry's filter. An organisation that does not exist: 400",
                json!({"type": "string", "pattern": "^[a-z0-9-]+$"}),
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
                json!({"type": "integer", "minimum": 0, "maximum": 10_000_000, "default": 0}),
            ),
            q(
                "format",
                "Export the whole list (its filters, search and sort; not a page) as a file: `csv` (UTF-8 with BOM, streamed) or `xlsx` (real numbers and dates). `Accept: text/csv` or the XLSX type does the same. Headers in Vietnamese, English with Accept-Language: en",
                json!({"type": "string", "enum": ["csv", "xlsx"]}),
            ),
        ];
        // Filters on a closed list only where the type has one.
        if !statuses.is_empty() {
            params.push(q(
                "status",
                "Status",
                json!({"type": "string", "enum": statuses}),
            ));
        }
        if !kinds.is_empty() {
            params.push(q(
                "kind",
                "Kind (direction for delegations, indicator for figures)",
                json!({"type": "string", "enum": kinds}),
            ));
        }
        let create_body = json!({"allOf": [body_ref, {"$ref": "#/components/schemas/CreateOrg"}]});
        let mut list = op(
            &format!(
                "List {} (filter, sort, page), or export the list (format)",
                rt.label(ngoaivu_core::Lang::En).to_lowercase()
            ),
            tag,
            params,
            None,
            ("200", json_ok("A page", list_of(record.clone()))),
            &["400", "401", "422"],
            true,
        );
        list["responses"]["200"]["content"]["text/csv"] = json!({"schema": {"type": "string"}});
        list["responses"]["200"]["content"][XLSX] =
            json!({"schema": {"type": "string", "format": "binary"}});
        paths.insert(
            format!("/api/v1/{}", rt.path()),
            json!({
                "get": list,
                "post": op(&format!("Create one of {}", rt.label(ngoaivu_core::Lang::En).to_lowercase()), tag, vec![], Some(create_body),
                    ("201", json_ok("Created", record.clone())), &["400", "401", "403", "413", "415", "422"], true)
            }),
        );
        let versioned = |desc: &str| {
            let mut r = json_ok(desc, record.clone());
            r["headers"] = json!({"ETag": {"description": "The record's version: send it back in If-Match with a change", "schema": {"type": "string"}}});
            r
        };
        let mut get_one = op(
            "Get one (its version in ETag; If-None-Match with it: 304)",
            tag,
            vec![id_param(), if_none_match_param()],
            None,
            ("200", versioned("The record")),
            &["401", "404"],
            true,
        );
        get_one["responses"]["304"] =
            json!({"description": "Not changed since the version in If-None-Match"});
        paths.insert(
            format!("/api/v1/{}/{{id}}", rt.path()),
            json!({
                "get": get_one,
                "patch": op("Change fields (JSON merge patch; null removes a field). With If-Match: only if the record is still that version", tag, vec![id_param(), if_match_param()], Some(patch_ref.clone()),
                    ("200", versioned("Changed")), &["400", "401", "403", "404", "412", "413", "415", "422"], true),
                "delete": op("Delete. With If-Match: only if the record is still that version", tag, vec![id_param(), if_match_param()], None, ("204", json!({"description": "Deleted"})), &["400", "401", "403", "404", "409", "412"], true)
            }),
        );
        let file_ok = |desc: &str, ctype: &str| json!({"description": desc, "content": {ctype: {"schema": {"type": "string", "format": "binary"}}}});
        paths.insert(
            format!("/api/v1/{}/template", rt.path()),
            json!({"get": op("The XLSX template for importing this type: Vietnamese (or English) headers, lists of allowed values, an example row; filled in, it imports with no mapping step", tag,
                vec![q("lang", "vi (default from Accept-Language) or en", json!({"type": "string", "enum": ["vi", "en"]}))], None,
                ("200", file_ok("The template", XLSX)), &["400", "401", "422"], true)}),
        );
        let review = json!({"$ref": "#/components/schemas/ImportReview"});
        let mut import = op(
            "Import a workbook (XLSX, XLS, ODS or CSV) into the caller's organisation: the body is the file. With dry_run=true, the review only (what each row will create or change, every error at its cell); otherwise written all or nothing, each record with an audit row naming the file's SHA-256 and the row. A review with errors answers 422 and writes nothing",
            tag,
            vec![
                json!({"name": "filename", "in": "query", "required": true, "schema": {"type": "string", "maxLength": 200}}),
                q(
                    "dry_run",
                    "Review only; write nothing",
                    json!({"type": "boolean"}),
                ),
                q(
                    "mapping",
                    "Use the column mapping saved under this name",
                    json!({"type": "string"}),
                ),
                q(
                    "sheet",
                    "The sheet to read (default: the one whose headers match best)",
                    json!({"type": "string"}),
                ),
                q(
                    "save_mapping",
                    "Save the mapping used under this name",
                    json!({"type": "string", "maxLength": 100}),
                ),
            ],
            None,
            (
                "201",
                json_ok(
                    "Imported: the review and the outcome",
                    json!({"type": "object", "required": ["review", "outcome"], "properties": {"review": review.clone(), "outcome": {"type": "object"}}}),
                ),
            ),
            &["400", "401", "403", "413", "422"],
            true,
        );
        import["responses"]["200"] = json_ok(
            "The review of a dry run",
            json!({"type": "object", "required": ["review"], "properties": {"review": review.clone()}}),
        );
        import["requestBody"] = json!({"required": true, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}});
        paths.insert(
            format!("/api/v1/{}/imports", rt.path()),
            json!({"post": import}),
        );
        paths.insert(
            format!("/api/v1/{}/import-mappings", rt.path()),
            json!({
                "get": op("The organisation's saved column mappings for this type", tag, vec![], None,
                    ("200", json_ok("Mappings", list_of(json!({"type": "object"})))), &["401"], true),
                "post": op("Save a column mapping by name (the same name replaces it)", tag, vec![],
                    Some(json!({"type": "object", "required": ["name", "mapping"], "additionalProperties": false, "properties": {
                        "name": {"type": "string", "minLength": 1, "maxLength": 100},
                        "mapping": {"type": "object", "description": "sheet, header_row and columns ({index, header, key})"}}})),
                    ("201", json_ok("Saved", json!({"type": "object"}))), &["400", "401", "403", "415", "422"], true)
            }),
        );
        if rt == RecordType::Project {
            let mut iati_in = op(
                "Import an IATI 2.03 activities file: activities located in the caller's province become aid projects (transactions as disbursements), with the same review and all-or-nothing rule as workbooks; dry_run=true reviews only",
                tag,
                vec![
                    q(
                        "filename",
                        "The file's name (for the audit)",
                        json!({"type": "string", "maxLength": 200}),
                    ),
                    q(
                        "dry_run",
                        "Review only; write nothing",
                        json!({"type": "boolean"}),
                    ),
                ],
                None,
                (
                    "201",
                    json_ok(
                        "Imported",
                        json!({"type": "object", "required": ["review", "outcome"], "properties": {"review": review.clone(), "outcome": {"type": "object"}}}),
                    ),
                ),
                &["400", "401", "403", "413", "422"],
                true,
            );
            iati_in["responses"]["200"] = json_ok(
                "The review of a dry run",
                json!({"type": "object", "required": ["review"], "properties": {"review": review.clone()}}),
            );
            iati_in["requestBody"] = json!({"required": true, "content": {"application/xml": {"schema": {"type": "string"}}}});
            paths.insert(
                "/api/v1/projects/iati".into(),
                json!({
                    "get": op("The organisation's ODA and foreign NGO aid projects as an IATI 2.03 activities file", tag,
                        vec![q("year", "Only projects approved (or started) in this year", json!({"type": "integer", "minimum": 1900, "maximum": 2100}))], None,
                        ("200", json!({"description": "IATI XML", "content": {"application/xml": {"schema": {"type": "string"}}}})), &["400", "401", "422"], true),
                    "post": iati_in
                }),
            );
        }
        paths.insert(
            format!("/api/v1/{}/{{id}}/history", rt.path()),
            json!({"get": op("Change history (audit rows: who, when, before, after)", tag, vec![id_param()], None,
                ("200", json_ok("History", list_of(json!({"type": "object"})))), &["401", "404"], true)}),
        );
        if ngoaivu_core::workflow::has_workflow(rt) {
            let step = json!({"type": "object", "required": ["to"], "additionalProperties": false, "properties": {
                "to": {"type": "string", "enum": rt.statuses(), "description": "The state to move to; one the machine allows from the current state"},
                "note": {"type": "string", "maxLength": 2000, "description": "Why (kept in the audit row)"}
            }});
            paths.insert(
                format!("/api/v1/{}/{{id}}/transitions", rt.path()),
                json!({"post": op("Take one step of the record's workflow (a user of the owning organisation with the step's role; dated fields such as submitted_on, returned_on, report_due are set; the audit row 'transition' keeps from, to and note). 403 names the reason when refused. With If-Match: only if the record is still that version", tag, vec![id_param(), if_match_param()], Some(step),
                    ("200", versioned("Moved")), &["400", "401", "403", "404", "412", "413", "415", "422"], true)}),
            );
        }
        let att_param = json!({"name": "attachment", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64", "minimum": 1}});
        let meta = json!({"$ref": "#/components/schemas/Attachment"});
        let mut upload = op(
            "Attach a file (PDF, Word, Excel, OpenDocument, PNG, JPEG, text): the body is the file; its type is checked from the content",
            tag,
            vec![
                id_param(),
                json!({"name": "filename", "in": "query", "required": true, "description": format!("The file's name; its extension one of: {}", ngoaivu_core::attachments::accepted_extensions()),
                    "schema": {"type": "string", "maxLength": 200, "pattern": attachment_name_pattern()}}),
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
                    ("200", attachment_download()), &["401", "404"], true),
                "delete": op("Remove an attachment", tag, vec![id_param(), att_param], None, ("204", json!({"description": "Removed"})), &["401", "403", "404"], true)
            }),
        );
        paths.insert(
            format!("/api/v1/{}/{{id}}/links", rt.path()),
            json!({"get": op("Linked records: what this one points at and what points at it", tag, vec![id_param()], None,
                ("200", json_ok("Links", json!({"type": "object"}))), &["401", "404"], true)}),
        );
    }
    channel_paths(&mut paths, &mut schemas);
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

/// The province–mission channel: requests, their threads, market notes,
/// follows and the inbox (`channel_api.rs`).
fn channel_paths(paths: &mut Map<String, Value>, schemas: &mut Map<String, Value>) {
    use ngoaivu_core::channel::NOTE_KINDS;
    use ngoaivu_core::values::SECTORS;
    let sectors: Vec<&str> = SECTORS.iter().map(|(c, ..)| *c).collect();
    let kinds: Vec<&str> = NOTE_KINDS.iter().map(|(c, ..)| *c).collect();
    let statuses = ["open", "answered", "asked_back", "closed"];
    let actions = ["reply", "answer", "ask_back", "close"];
    let list_of = |item: Value| json!({"type": "object", "required": ["items", "total"], "properties": {"items": {"type": "array", "items": item}, "total": {"type": "integer"}}});
    let org_ref = json!({"type": "object", "required": ["slug", "name"], "properties": {"slug": {"type": "string"}, "name": {"type": "string"}}});
    let ts = json!({"type": "string", "format": "date-time"});
    let date = json!({"type": "string", "format": "date"});
    schemas.insert("ChannelRequest".into(), json!({
        "type": "object",
        "description": "A province's request to one mission. Seen by the sending province, the addressed mission and the Ministry only.",
        "required": ["id", "batch", "from", "to", "subject", "body", "sector", "country", "status", "created_at", "created_by", "last_at", "last_by", "unread"],
        "properties": {
            "id": {"type": "integer", "format": "int64"},
            "batch": {"type": "integer", "format": "int64", "description": "The first request sent together with this one"},
            "from": org_ref, "to": org_ref, "subject": {"type": "string"}, "body": {"type": "string"},
            "sector": {"type": "string", "enum": sectors}, "country": {"type": "string", "description": "ISO 3166-1 alpha-2"},
            "deadline": date, "status": {"type": "string", "enum": statuses},
            "created_at": ts, "created_by": {"type": "string"}, "last_at": ts,
            "last_by": {"type": "string", "description": "Slug of the organisation that wrote last"},
            "unread": {"type": "boolean", "description": "The other side wrote since this user last opened it"}
        }
    }));
    schemas.insert("ChannelMessage".into(), json!({
        "type": "object", "required": ["id", "request_id", "org", "action", "body", "status", "created_at", "created_by"],
        "properties": {
            "id": {"type": "integer", "format": "int64"}, "request_id": {"type": "integer", "format": "int64"},
            "org": org_ref, "action": {"type": "string", "enum": actions}, "body": {"type": "string"},
            "status": {"type": "string", "enum": statuses, "description": "The request's status after this message"},
            "created_at": ts, "created_by": {"type": "string"}
        }
    }));
    schemas.insert("MarketNote".into(), json!({
        "type": "object", "required": ["id", "org", "kind", "title", "body", "sector", "country", "date", "created_at", "created_by", "unread"],
        "properties": {
            "id": {"type": "integer", "format": "int64"}, "org": org_ref, "kind": {"type": "string", "enum": kinds},
            "title": {"type": "string"}, "body": {"type": "string"}, "sector": {"type": "string", "enum": sectors},
            "country": {"type": "string"}, "date": date, "created_at": ts, "created_by": {"type": "string"},
            "unread": {"type": "boolean"}
        }
    }));
    let country = json!({"$ref": "#/components/schemas/CountryCode"});
    let text =
        |max: usize| json!({"type": "string", "minLength": 1, "maxLength": max, "pattern": "\\S"});
    schemas.insert("Follows".into(), json!({
        "type": "object", "required": ["sectors", "countries"],
        "properties": {"sectors": {"type": "array", "items": {"type": "string", "enum": sectors}}, "countries": {"type": "array", "items": country}}
    }));
    let new_follows = json!({
        "type": "object", "additionalProperties": false,
        "description": "What to follow; a list left out is emptied",
        "properties": {"sectors": {"type": "array", "nullable": true, "maxItems": ngoaivu_core::channel::FOLLOWS_MAX_SECTORS, "items": {"type": "string", "enum": sectors}},
            "countries": {"type": "array", "nullable": true, "maxItems": ngoaivu_core::channel::FOLLOWS_MAX_COUNTRIES, "items": country}}
    });
    let req = json!({"$ref": "#/components/schemas/ChannelRequest"});
    let msg = json!({"$ref": "#/components/schemas/ChannelMessage"});
    let note = json!({"$ref": "#/components/schemas/MarketNote"});
    let follows = json!({"$ref": "#/components/schemas/Follows"});
    let meta = json!({"$ref": "#/components/schemas/Attachment"});
    let new_request = json!({
        "type": "object", "additionalProperties": false, "required": ["missions", "subject", "body", "sector", "country"],
        "properties": {
            "missions": {"type": "array", "minItems": 1, "maxItems": 20, "items": {"type": "string"}, "description": "Slugs of missions (organisations of kind mission); one request is made per mission"},
            "subject": text(300), "body": text(20_000),
            "sector": {"type": "string", "enum": sectors}, "country": country, "deadline": date
        }
    });
    let new_message = json!({
        "type": "object", "additionalProperties": false, "required": ["action"],
        "properties": {"action": {"type": "string", "enum": actions, "description": "reply: the sending province; answer, ask_back: the mission; close: either"}, "body": {"type": "string", "description": "Required except for close"}}
    });
    let new_note = json!({
        "type": "object", "additionalProperties": false, "required": ["kind", "title", "body", "sector", "country", "date"],
        "properties": {"kind": {"type": "string", "enum": kinds}, "title": text(300), "body": text(20_000),
            "sector": {"type": "string", "enum": sectors}, "country": country, "date": date}
    });
    let tag = "channel";
    let mut thread = req.clone();
    thread = json!({"allOf": [thread, {"type": "object", "properties": {
        "messages": {"type": "array", "items": msg.clone()},
        "attachments": {"type": "array", "items": meta.clone()},
        "actions": {"type": "array", "items": {"type": "string", "enum": actions}, "description": "What the caller may do now"}}}]});
    paths.insert("/api/v1/requests".into(), json!({
        "get": op("Requests within reach: a province's own, those addressed to a mission, all for the Ministry; latest activity first", tag,
            vec![q("status", "Only this status", json!({"type": "string", "enum": statuses})), q("unread", "Only those with news for the caller", json!({"type": "boolean"}))],
            None, ("200", json_ok("Requests", list_of(req.clone()))), &["400", "401", "422"], true),
        "post": op("Send a request: a province's writers to one or more missions; the Ministry's writers to a province, asking it to correct one of its records (the Ministry writes no province's records). `missions` names the addressees", tag, vec![], Some(new_request),
            ("201", json_ok("One request per mission", list_of(req.clone()))), &["400", "401", "403", "413", "415", "422"], true)
    }));
    let mut get_thread = op(
        "A request's thread (marks it read for the caller); its version in ETag, which every message changes (If-None-Match with it: 304)",
        tag,
        vec![id_param(), if_none_match_param()],
        None,
        ("200", {
            let mut r = json_ok("The thread", thread);
            r["headers"] = json!({"ETag": {"description": "The request's version: send it back in If-Match with a message", "schema": {"type": "string"}}});
            r
        }),
        &["401", "404"],
        true,
    );
    get_thread["responses"]["304"] =
        json!({"description": "Nobody wrote in the thread since the version in If-None-Match"});
    paths.insert("/api/v1/requests/{id}".into(), json!({ "get": get_thread }));
    paths.insert("/api/v1/requests/{id}/messages".into(), json!({
        "post": op("Write in the thread; the status moves (open → answered/asked_back → closed). A move not allowed is 403 with the reason. With If-Match: only if nobody wrote in the thread since that version (412 with the request as it is now in `current`)", tag,
            vec![id_param(), if_match_param()], Some(new_message), ("201", json_ok("The message", msg)), &["400", "401", "403", "404", "412", "413", "415", "422"], true)
    }));
    paths.insert("/api/v1/requests/{id}/history".into(), json!({
        "get": op("Audit rows of the request", tag, vec![id_param()], None, ("200", json_ok("History", list_of(json!({"type": "object"})))), &["401", "404"], true)
    }));
    paths.insert("/api/v1/requests/{id}/suggestions".into(), json!({
        "get": op("Missions, the sender's partners and market notes sharing the request's sector or country, best first, with reasons", tag,
            vec![id_param()], None, ("200", json_ok("Suggestions", list_of(json!({"type": "object", "properties": {
                "kind": {"type": "string", "enum": ["mission", "partner", "note"]}, "id": {"type": "integer"}, "slug": {"type": "string"},
                "title": {"type": "string"}, "score": {"type": "integer"}, "reasons_vi": {"type": "string"}, "reasons_en": {"type": "string"}}})))),
            &["401", "404"], true)
    }));
    paths.insert("/api/v1/catalog-projects/{id}/suggestions".into(), json!({
        "get": op("Missions, the province's partners and market notes sharing an investment-catalog project's sector or countries of interest, best first, with reasons", tag,
            vec![id_param()], None, ("200", json_ok("Suggestions", list_of(json!({"type": "object", "properties": {
                "kind": {"type": "string", "enum": ["mission", "partner", "note"]}, "id": {"type": "integer"}, "slug": {"type": "string"},
                "title": {"type": "string"}, "score": {"type": "integer"}, "reasons_vi": {"type": "string"}, "reasons_en": {"type": "string"}}})))),
            &["401", "404"], true)
    }));
    paths.insert("/api/v1/market-notes".into(), json!({
        "get": op("Market notes from missions (every signed-in user reads them), newest first", tag,
            vec![q("sector", "Sector code", json!({"type": "string", "enum": sectors})), q("country", "ISO 3166-1 alpha-2", country.clone()),
                 q("kind", "Kind of note", json!({"type": "string", "enum": kinds})), q("org", "Publishing mission's slug; one that does not exist: 422", json!({"type": "string", "pattern": "^[a-z0-9-]+$"}))],
            None, ("200", json_ok("Notes", list_of(note.clone()))), &["400", "401", "422"], true),
        "post": op("Publish a market note (missions' writers)", tag, vec![], Some(new_note), ("201", json_ok("Published", note.clone())),
            &["400", "401", "403", "413", "415", "422"], true)
    }));
    paths.insert("/api/v1/market-notes/{id}".into(), json!({
        "get": op("A market note with its files (marks it read)", tag, vec![id_param()], None, ("200", json_ok("The note", note.clone())), &["401", "404"], true)
    }));
    let att_param = json!({"name": "attachment", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64", "minimum": 1}});
    for (base, what) in [
        (
            "/api/v1/requests",
            "request (its two parties, while not closed)",
        ),
        ("/api/v1/market-notes", "note (its mission)"),
    ] {
        let mut upload = op(
            &format!("Attach a file to a {what}; the body is the file"),
            tag,
            vec![
                id_param(),
                json!({"name": "filename", "in": "query", "required": true, "description": format!("The file's name; its extension one of: {}", ngoaivu_core::attachments::accepted_extensions()),
                    "schema": {"type": "string", "maxLength": 200, "pattern": attachment_name_pattern()}}),
            ],
            None,
            ("201", json_ok("Attached", meta.clone())),
            &["400", "401", "403", "404", "413", "422"],
            true,
        );
        upload["requestBody"] = json!({"required": true, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}});
        paths.insert(format!("{base}/{{id}}/attachments"), json!({
            "get": op("Files", tag, vec![id_param()], None, ("200", json_ok("Files", list_of(meta.clone()))), &["401", "404"], true),
            "post": upload
        }));
        paths.insert(
            format!("{base}/{{id}}/attachments/{{attachment}}"),
            json!({
                "get": op("Download a file", tag, vec![id_param(), att_param.clone()], None,
                    ("200", attachment_download()), &["401", "404"], true)
            }),
        );
    }
    paths.insert("/api/v1/follows".into(), json!({
        "get": op("The sectors and countries the caller's province follows", tag, vec![], None, ("200", json_ok("Follows", follows.clone())), &["401"], true),
        "put": op("Replace the province's follows (provinces' writers)", tag, vec![], Some(new_follows), ("200", json_ok("Follows", follows.clone())),
            &["400", "401", "403", "413", "415", "422"], true)
    }));
    paths.insert("/api/v1/inbox".into(), json!({
        "get": op("What is new for the caller: requests with unread messages, unread notes matching the province's follows", tag, vec![], None,
            ("200", json_ok("Inbox", json!({"type": "object", "required": ["requests", "notes", "follows"], "properties": {
                "requests": {"type": "array", "items": req}, "notes": {"type": "array", "items": note}, "follows": follows}}))), &["401"], true)
    }));
}

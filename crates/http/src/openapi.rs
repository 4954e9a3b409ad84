//! The OpenAPI 3.0 document of `/api/v1`: its components, from the JSON
//! Schemas the record bodies and the channel's types derive (so a new field
//! appears here without a second edit), and its paths, which `routes`
//! registers with the routes themselves. A snapshot test
//! (`tests/it/openapi.rs`) keeps the served document honest, and the
//! isolation test calls every path it lists.

use ngoaivu_core::RecordType;
use serde_json::{Map, Value, json};

/// The media type of XLSX files.
pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn schema_defs() -> Map<String, Value> {
    let mut g = schemars::generate::SchemaSettings::openapi3().into_generator();
    RecordType::define_schemas(&mut g);
    channel_schemas(&mut g);
    let mut defs: Map<String, Value> = g.take_definitions(true).into_iter().collect();
    for def in defs.values_mut() {
        optional_is_nullable(def);
    }
    defs
}

/// The province–mission channel's bodies and answers (`channel_api.rs`).
fn channel_schemas(g: &mut schemars::SchemaGenerator) {
    use ngoaivu_core::channel::{FollowsDraft, MessageDraft, NoteDraft, RequestDraft};
    use ngoaivu_store::{ChannelMessage, ChannelRequest, Inbox, MarketNote};
    g.subschema_for::<RequestDraft>();
    g.subschema_for::<MessageDraft>();
    g.subschema_for::<NoteDraft>();
    g.subschema_for::<FollowsDraft>();
    g.subschema_for::<ChannelRequest>();
    g.subschema_for::<ChannelMessage>();
    g.subschema_for::<MarketNote>();
    g.subschema_for::<Inbox>();
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
pub(crate) fn attachment_download() -> Value {
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
pub(crate) fn attachment_name_pattern() -> String {
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

pub(crate) fn error_responses(codes: &[&str]) -> Map<String, Value> {
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

pub(crate) fn op(
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

pub(crate) fn q(name: &str, desc: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": desc, "schema": schema})
}

pub(crate) fn id_param() -> Value {
    json!({"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64", "minimum": 1}})
}

pub(crate) fn if_match_param() -> Value {
    json!({"name": "If-Match", "in": "header", "required": false,
        "description": "The ETag of the version this change is to (from a read or the last change); `*` or absent: any version",
        "schema": {"type": "string"}})
}

pub(crate) fn if_none_match_param() -> Value {
    json!({"name": "If-None-Match", "in": "header", "required": false,
        "description": "The ETag of a version already held: 304 when the record is still that version",
        "schema": {"type": "string"}})
}

pub(crate) fn json_ok(desc: &str, schema: Value) -> Value {
    json!({"description": desc, "content": {"application/json": {"schema": schema}}})
}

/// A list answer: a page of `item`s and how many there are.
pub(crate) fn list_of(item: Value) -> Value {
    json!({"type": "object", "required": ["items", "total"], "properties": {"items": {"type": "array", "items": item}, "total": {"type": "integer"}}})
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
    for rt in RecordType::ALL {
        let name = rt.schema_name();
        let name = name.as_str();
        let record = record_schema(&schemas[name], &schemas["RecordMeta"]);
        let patch = patch_schema(&schemas[name]);
        schemas.insert(format!("{name}Record"), record);
        schemas.insert(format!("{name}Patch"), patch);
    }
    let paths = crate::routes::api_routes(0, 0).into_parts().1;
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

//! The routes of every record type (`/api/v1/{type}…`), registered in one
//! loop over `RecordType::ALL`, and the IATI exchange of aid projects.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use ngoaivu_core::{Lang, RecordType};
use serde_json::{Value, json};

use super::{ApiRoutes, Endpoint};
use crate::api::{self, JsonBody};
use crate::auth::Authed;
use crate::openapi::{
    XLSX, attachment_download, attachment_name_pattern, id_param, if_match_param,
    if_none_match_param, json_ok, list_of, op, q,
};
use crate::{AppState, proxy, transfer_api as tr};

type BodyBytes = Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>;

fn schema_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

pub(super) fn routes(
    mut routes: ApiRoutes,
    attachment_limit: usize,
    import_limit: usize,
) -> ApiRoutes {
    routes = routes.add(
        "/api/v1/projects/iati",
        Endpoint::new()
            .get(tr::iati_export, iati_export_op())
            .post(
                |State(st): State<AppState>,
                 who: Authed,
                 raw: RawQuery,
                 headers: HeaderMap,
                 body: BodyBytes| { tr::iati_import(st, who, raw, headers, body) },
                iati_import_op(),
            )
            .body_limit(import_limit + 1024),
    );
    for rt in RecordType::ALL {
        let base = format!("/api/v1/{}", rt.path());
        let tag = rt.path();
        let name = rt.schema_name();
        let record = schema_ref(&format!("{name}Record"));
        let versioned = |desc: &str| {
            let mut r = json_ok(desc, record.clone());
            r["headers"] = json!({"ETag": {"description": "The record's version: send it back in If-Match with a change", "schema": {"type": "string"}}});
            r
        };
        let label = rt.label(Lang::En).to_lowercase();
        routes = routes
            .add(
                &format!("{base}/template"),
                Endpoint::new().get(
                    move |who: Authed, raw: RawQuery, headers: HeaderMap| {
                        tr::template(who, rt, raw, headers)
                    },
                    op("The XLSX template for importing this type: Vietnamese (or English) headers, lists of allowed values, an example row; filled in, it imports with no mapping step", tag,
                        vec![q("lang", "vi (default from Accept-Language) or en", json!({"type": "string", "enum": ["vi", "en"]}))], None,
                        ("200", json!({"description": "The template", "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}})), &["400", "401", "422"], true),
                ),
            )
            .add(
                &format!("{base}/imports"),
                Endpoint::new()
                    .post(
                        move |State(st): State<AppState>,
                              who: Authed,
                              raw: RawQuery,
                              headers: HeaderMap,
                              body: BodyBytes| {
                            tr::import(st, who, rt, raw, headers, body)
                        },
                        import_op(tag),
                    )
                    // A workbook may be far larger than a JSON body.
                    .body_limit(import_limit + 1024),
            )
            .add(
                &format!("{base}/import-mappings"),
                Endpoint::new()
                    .get(
                        move |State(st): State<AppState>, who: Authed| tr::list_mappings(st, who, rt),
                        op("The organisation's saved column mappings for this type", tag, vec![], None,
                            ("200", json_ok("Mappings", list_of(json!({"type": "object"})))), &["401"], true),
                    )
                    .post(
                        move |State(st): State<AppState>, who: Authed, body: JsonBody| {
                            tr::save_mapping(st, who, rt, body)
                        },
                        op("Save a column mapping by name (the same name replaces it)", tag, vec![],
                            Some(json!({"type": "object", "required": ["name", "mapping"], "additionalProperties": false, "properties": {
                                "name": {"type": "string", "minLength": 1, "maxLength": 100},
                                "mapping": {"type": "object", "description": "sheet, header_row and columns ({index, header, key})"}}})),
                            ("201", json_ok("Saved", json!({"type": "object"}))), &["400", "401", "403", "415", "422"], true),
                    ),
            )
            .add(
                &base,
                Endpoint::new()
                    .get(
                        move |State(st): State<AppState>,
                              who: Authed,
                              raw: RawQuery,
                              src: proxy::RequestSource,
                              headers: HeaderMap| {
                            api::list_records(st, who, rt, raw, headers, src)
                        },
                        list_op(rt, &record),
                    )
                    .post(
                        move |State(st): State<AppState>, who: Authed, body: JsonBody| {
                            api::create_record(st, who, rt, body)
                        },
                        op(&format!("Create one of {label}"), tag, vec![],
                            Some(json!({"allOf": [schema_ref(&name), schema_ref("CreateOrg")]})),
                            ("201", json_ok("Created", record.clone())), &["400", "401", "403", "413", "415", "422"], true),
                    ),
            )
            .add(
                &format!("{base}/{{id}}"),
                Endpoint::new()
                    .get(
                        move |State(st): State<AppState>,
                              who: Authed,
                              Path(id): Path<String>,
                              headers: HeaderMap| {
                            api::get_record(st, who, rt, id, headers)
                        },
                        {
                            let mut get_one = op(
                                "Get one (its version in ETag; If-None-Match with it: 304)",
                                tag,
                                vec![id_param(), if_none_match_param()],
                                None,
                                ("200", versioned("The record")),
                                &["401", "404"],
                                true,
                            );
                            get_one["responses"]["304"] = json!({"description": "Not changed since the version in If-None-Match"});
                            get_one
                        },
                    )
                    .patch(
                        move |State(st): State<AppState>,
                              who: Authed,
                              Path(id): Path<String>,
                              headers: HeaderMap,
                              body: JsonBody| {
                            api::patch_record(st, who, rt, id, headers, body)
                        },
                        op("Change fields (JSON merge patch; null removes a field). With If-Match: only if the record is still that version", tag, vec![id_param(), if_match_param()], Some(schema_ref(&format!("{name}Patch"))),
                            ("200", versioned("Changed")), &["400", "401", "403", "404", "412", "413", "415", "422"], true),
                    )
                    .delete(
                        move |State(st): State<AppState>,
                              who: Authed,
                              Path(id): Path<String>,
                              headers: HeaderMap| {
                            api::delete_record(st, who, rt, id, headers)
                        },
                        op("Delete. With If-Match: only if the record is still that version", tag, vec![id_param(), if_match_param()], None, ("204", json!({"description": "Deleted"})), &["400", "401", "403", "404", "409", "412"], true),
                    ),
            )
            .add(
                &format!("{base}/{{id}}/history"),
                Endpoint::new().get(
                    move |State(st): State<AppState>, who: Authed, Path(id): Path<String>| {
                        api::record_history(st, who, rt, id)
                    },
                    op("Change history (audit rows: who, when, before, after)", tag, vec![id_param()], None,
                        ("200", json_ok("History", list_of(json!({"type": "object"})))), &["401", "404"], true),
                ),
            )
            .add(
                &format!("{base}/{{id}}/links"),
                Endpoint::new().get(
                    move |State(st): State<AppState>, who: Authed, Path(id): Path<String>| {
                        api::record_links(st, who, rt, id)
                    },
                    op("Linked records: what this one points at and what points at it", tag, vec![id_param()], None,
                        ("200", json_ok("Links", json!({"type": "object"}))), &["401", "404"], true),
                ),
            )
            .add(
                &format!("{base}/{{id}}/attachments"),
                Endpoint::new()
                    .get(
                        move |State(st): State<AppState>, who: Authed, Path(id): Path<String>| {
                            api::list_attachments(st, who, rt, id)
                        },
                        op("The record's attachments", tag, vec![id_param()], None, ("200", json_ok("Attachments", list_of(schema_ref("Attachment")))), &["401", "404"], true),
                    )
                    .post(
                        move |State(st): State<AppState>,
                              who: Authed,
                              Path(id): Path<String>,
                              raw: RawQuery,
                              body: BodyBytes| {
                            api::upload_attachment(st, who, rt, id, raw, body)
                        },
                        upload_op(tag),
                    )
                    // Uploads may be larger than JSON bodies (the attachment limit, plus slack for the check to speak).
                    .body_limit(attachment_limit + 1024),
            )
            .add(
                &format!("{base}/{{id}}/attachments/{{attachment}}"),
                Endpoint::new()
                    .get(
                        move |State(st): State<AppState>,
                              who: Authed,
                              Path((id, a)): Path<(String, String)>| {
                            api::download_attachment(st, who, rt, id, a)
                        },
                        op("Download an attachment", tag, vec![id_param(), attachment_param()], None,
                            ("200", attachment_download()), &["401", "404"], true),
                    )
                    .delete(
                        move |State(st): State<AppState>,
                              who: Authed,
                              Path((id, a)): Path<(String, String)>| {
                            api::delete_attachment(st, who, rt, id, a)
                        },
                        op("Remove an attachment", tag, vec![id_param(), attachment_param()], None, ("204", json!({"description": "Removed"})), &["401", "403", "404"], true),
                    ),
            );
        if ngoaivu_core::workflow::has_workflow(rt) {
            let step = json!({"type": "object", "required": ["to"], "additionalProperties": false, "properties": {
                "to": {"type": "string", "enum": rt.statuses(), "description": "The state to move to; one the machine allows from the current state"},
                "note": {"type": "string", "maxLength": 2000, "description": "Why (kept in the audit row)"},
                "decision_number": {"type": "string", "maxLength": 100, "description": "The number of the decision the step records (\"125/QĐ-UBND\"); an act on an agreement (permission, refusal, referral, amendment, extension, suspension, termination) keeps it with its date and the note in `actions`"}
            }});
            routes = routes.add(
                &format!("{base}/{{id}}/transitions"),
                Endpoint::new().post(
                    move |State(st): State<AppState>,
                          who: Authed,
                          Path(id): Path<String>,
                          headers: HeaderMap,
                          body: JsonBody| {
                        api::transition_record(st, who, rt, id, headers, body)
                    },
                    op("Take one step of the record's workflow (a user of the owning organisation with the step's role; dated fields such as submitted_on, returned_on, report_due are set, an agreement's acts appended to its actions; the audit row 'transition' keeps from, to, note and decision_number). 403 names the reason when refused. With If-Match: only if the record is still that version", tag, vec![id_param(), if_match_param()], Some(step),
                        ("200", versioned("Moved")), &["400", "401", "403", "404", "412", "413", "415", "422"], true),
                ),
            );
        }
    }
    routes
}

pub(super) fn attachment_param() -> Value {
    json!({"name": "attachment", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64", "minimum": 1}})
}

/// The query parameters of a list: search, filters, sort, page, export;
/// `status` and `kind` only where the type has a closed list of them.
fn list_op(rt: RecordType, record: &Value) -> Value {
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
            schema_ref("CountryCode"),
        ),
        q("sector", "Sector code", schema_ref("SectorCode")),
        q(
            "locality",
            "Provincial unit of the record's time (slug), or viet-nam",
            schema_ref("UnitSlug"),
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
    let mut list = op(
        &format!(
            "List {} (filter, sort, page), or export the list (format)",
            rt.label(Lang::En).to_lowercase()
        ),
        rt.path(),
        params,
        None,
        ("200", json_ok("A page", list_of(record.clone()))),
        &["400", "401", "422"],
        true,
    );
    list["responses"]["200"]["content"]["text/csv"] = json!({"schema": {"type": "string"}});
    list["responses"]["200"]["content"][XLSX] =
        json!({"schema": {"type": "string", "format": "binary"}});
    list
}

/// An import answers 200 with the review of a dry run, 201 when written.
fn with_review(mut import: Value, body_type: &str, body_schema: Value) -> Value {
    import["responses"]["200"] = json_ok(
        "The review of a dry run",
        json!({"type": "object", "required": ["review"], "properties": {"review": schema_ref("ImportReview")}}),
    );
    import["requestBody"] =
        json!({"required": true, "content": {body_type: {"schema": body_schema}}});
    import
}

fn imported(desc: &str) -> Value {
    json_ok(
        desc,
        json!({"type": "object", "required": ["review", "outcome"], "properties": {"review": schema_ref("ImportReview"), "outcome": {"type": "object"}}}),
    )
}

fn import_op(tag: &str) -> Value {
    let import = op(
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
        ("201", imported("Imported: the review and the outcome")),
        &["400", "401", "403", "413", "422"],
        true,
    );
    with_review(
        import,
        "application/octet-stream",
        json!({"type": "string", "format": "binary"}),
    )
}

fn iati_export_op() -> Value {
    op(
        "The organisation's ODA and foreign NGO aid projects as an IATI 2.03 activities file",
        RecordType::Project.path(),
        vec![q(
            "year",
            "Only projects approved (or started) in this year",
            json!({"type": "integer", "minimum": 1900, "maximum": 2100}),
        )],
        None,
        (
            "200",
            json!({"description": "IATI XML", "content": {"application/xml": {"schema": {"type": "string"}}}}),
        ),
        &["400", "401", "422"],
        true,
    )
}

fn iati_import_op() -> Value {
    let import = op(
        "Import an IATI 2.03 activities file: activities located in the caller's province become aid projects (transactions as disbursements), with the same review and all-or-nothing rule as workbooks; dry_run=true reviews only",
        RecordType::Project.path(),
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
        ("201", imported("Imported")),
        &["400", "401", "403", "413", "422"],
        true,
    );
    with_review(import, "application/xml", json!({"type": "string"}))
}

fn upload_op(tag: &str) -> Value {
    let mut upload = op(
        "Attach a file (PDF, Word, Excel, OpenDocument, PNG, JPEG, text): the body is the file; its type is checked from the content",
        tag,
        vec![id_param(), filename_param()],
        None,
        ("201", json_ok("Attached", schema_ref("Attachment"))),
        &["400", "401", "403", "404", "413", "422"],
        true,
    );
    upload["requestBody"] = json!({"required": true, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}});
    upload
}

/// The name of an uploaded file, in the query: its extension one the
/// server accepts.
pub(super) fn filename_param() -> Value {
    json!({"name": "filename", "in": "query", "required": true, "description": format!("The file's name; its extension one of: {}", ngoaivu_core::attachments::accepted_extensions()),
        "schema": {"type": "string", "maxLength": 200, "pattern": attachment_name_pattern()}})
}

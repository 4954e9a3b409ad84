//! The province–mission channel's routes (`channel_api.rs`): requests,
//! their threads, market notes, follows and the inbox.

use axum::extract::{Path, RawQuery, State};
use ngoaivu_core::channel::{Action, NoteKind, RequestStatus};
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{Value, json};

use super::records::{attachment_param, filename_param};
use super::{ApiRoutes, Endpoint};
use crate::AppState;
use crate::auth::Authed;
use crate::channel_api as ch;
use crate::openapi::{
    attachment_download, id_param, if_match_param, if_none_match_param, json_ok, list_of, op, q,
};

const TAG: &str = "channel";

fn schema_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// The schema of a type that is written inline (a closed list of codes).
fn inline<T: JsonSchema>() -> Value {
    SchemaGenerator::new(SchemaSettings::openapi3())
        .subschema_for::<T>()
        .to_value()
}

fn thread() -> Value {
    json!({"allOf": [schema_ref("ChannelRequest"), {"type": "object", "properties": {
        "messages": {"type": "array", "items": schema_ref("ChannelMessage")},
        "attachments": {"type": "array", "items": schema_ref("Attachment")},
        "actions": {"type": "array", "items": inline::<Action>(), "description": "What the caller may do now"}}}]})
}

fn suggestions(summary: &str) -> Value {
    op(
        summary,
        TAG,
        vec![id_param()],
        None,
        (
            "200",
            json_ok(
                "Suggestions",
                list_of(json!({"type": "object", "properties": {
                "kind": {"type": "string", "enum": ["mission", "partner", "note"]}, "id": {"type": "integer"}, "slug": {"type": "string"},
                "title": {"type": "string"}, "score": {"type": "integer"}, "reasons_vi": {"type": "string"}, "reasons_en": {"type": "string"}}})),
            ),
        ),
        &["401", "404"],
        true,
    )
}

fn get_thread_op() -> Value {
    let mut get_thread = op(
        "A request's thread (marks it read for the caller); its version in ETag, which every message changes (If-None-Match with it: 304)",
        TAG,
        vec![id_param(), if_none_match_param()],
        None,
        ("200", {
            let mut r = json_ok("The thread", thread());
            r["headers"] = json!({"ETag": {"description": "The request's version: send it back in If-Match with a message", "schema": {"type": "string"}}});
            r
        }),
        &["401", "404"],
        true,
    );
    get_thread["responses"]["304"] =
        json!({"description": "Nobody wrote in the thread since the version in If-None-Match"});
    get_thread
}

fn upload_op(what: &str) -> Value {
    let mut upload = op(
        &format!("Attach a file to a {what}; the body is the file"),
        TAG,
        vec![id_param(), filename_param()],
        None,
        ("201", json_ok("Attached", schema_ref("Attachment"))),
        &["400", "401", "403", "404", "413", "422"],
        true,
    );
    upload["requestBody"] = json!({"required": true, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}});
    upload
}

pub(super) fn routes(mut routes: ApiRoutes, attachment_limit: usize) -> ApiRoutes {
    let req = schema_ref("ChannelRequest");
    let note = schema_ref("MarketNote");
    let follows = schema_ref("Follows");
    routes = routes
        .add(
            "/api/v1/requests",
            Endpoint::new()
                .get(
                    ch::list_requests,
                    op("Requests within reach: a province's own, those addressed to a mission, all for the Ministry; latest activity first", TAG,
                        vec![q("status", "Only this status", inline::<RequestStatus>()), q("unread", "Only those with news for the caller", json!({"type": "boolean"}))],
                        None, ("200", json_ok("Requests", list_of(req.clone()))), &["400", "401", "422"], true),
                )
                .post(
                    ch::create_request,
                    op("Send a request: a province's writers to one or more missions; the Ministry's writers to a province, asking it to correct one of its records (the Ministry writes no province's records). `missions` names the addressees", TAG, vec![], Some(schema_ref("NewRequest")),
                        ("201", json_ok("One request per mission", list_of(req.clone()))), &["400", "401", "403", "413", "415", "422"], true),
                ),
        )
        .add(
            "/api/v1/requests/{id}",
            Endpoint::new().get(ch::get_request, get_thread_op()),
        )
        .add(
            "/api/v1/requests/{id}/messages",
            Endpoint::new().post(
                ch::post_message,
                op("Write in the thread; the status moves (open → answered/asked_back → closed). A move not allowed is 403 with the reason. With If-Match: only if nobody wrote in the thread since that version (412 with the request as it is now in `current`)", TAG,
                    vec![id_param(), if_match_param()], Some(schema_ref("NewMessage")), ("201", json_ok("The message", schema_ref("ChannelMessage"))), &["400", "401", "403", "404", "412", "413", "415", "422"], true),
            ),
        )
        .add(
            "/api/v1/requests/{id}/history",
            Endpoint::new().get(
                ch::request_history,
                op("Audit rows of the request", TAG, vec![id_param()], None, ("200", json_ok("History", list_of(json!({"type": "object"})))), &["401", "404"], true),
            ),
        )
        .add(
            "/api/v1/requests/{id}/suggestions",
            Endpoint::new().get(
                ch::request_suggestions,
                suggestions("Missions, the sender's partners and market notes sharing the request's sector or country, best first, with reasons"),
            ),
        )
        .add(
            "/api/v1/catalog-projects/{id}/suggestions",
            Endpoint::new().get(
                ch::catalog_suggestions,
                suggestions("Missions, the province's partners and market notes sharing an investment-catalog project's sector or countries of interest, best first, with reasons"),
            ),
        )
        .add(
            "/api/v1/market-notes",
            Endpoint::new()
                .get(
                    ch::list_notes,
                    op("Market notes from missions (every signed-in user reads them), newest first", TAG,
                        vec![q("sector", "Sector code", schema_ref("SectorCode")), q("country", "ISO 3166-1 alpha-2", schema_ref("CountryCode")),
                             q("kind", "Kind of note", inline::<NoteKind>()), q("org", "Publishing mission's slug; one that does not exist: 422", json!({"type": "string", "pattern": "^[a-z0-9-]+$"}))],
                        None, ("200", json_ok("Notes", list_of(note.clone()))), &["400", "401", "422"], true),
                )
                .post(
                    ch::create_note,
                    op("Publish a market note (missions' writers)", TAG, vec![], Some(schema_ref("NewMarketNote")), ("201", json_ok("Published", note.clone())),
                        &["400", "401", "403", "413", "415", "422"], true),
                ),
        )
        .add(
            "/api/v1/market-notes/{id}",
            Endpoint::new().get(
                ch::get_note,
                op("A market note with its files (marks it read)", TAG, vec![id_param()], None, ("200", json_ok("The note", note.clone())), &["401", "404"], true),
            ),
        )
        .add(
            "/api/v1/follows",
            Endpoint::new()
                .get(
                    ch::get_follows,
                    op("The sectors and countries the caller's province follows", TAG, vec![], None, ("200", json_ok("Follows", follows.clone())), &["401"], true),
                )
                .put(
                    ch::put_follows,
                    op("Replace the province's follows (provinces' writers)", TAG, vec![], Some(schema_ref("NewFollows")), ("200", json_ok("Follows", follows.clone())),
                        &["400", "401", "403", "413", "415", "422"], true),
                ),
        )
        .add(
            "/api/v1/inbox",
            Endpoint::new().get(
                ch::inbox,
                op("What is new for the caller: requests with unread messages, unread notes matching the province's follows", TAG, vec![], None,
                    ("200", json_ok("Inbox", schema_ref("Inbox"))), &["401"], true),
            ),
        );
    for (base, kind, what) in [
        (
            "/api/v1/requests",
            "request",
            "request (its two parties, while not closed)",
        ),
        ("/api/v1/market-notes", "note", "note (its mission)"),
    ] {
        routes = routes
            .add(
                &format!("{base}/{{id}}/attachments"),
                Endpoint::new()
                    .get(
                        move |State(st): State<AppState>, who: Authed, Path(id): Path<String>| {
                            ch::list_attachments(st, who, kind, id)
                        },
                        op(
                            "Files",
                            TAG,
                            vec![id_param()],
                            None,
                            ("200", json_ok("Files", list_of(schema_ref("Attachment")))),
                            &["401", "404"],
                            true,
                        ),
                    )
                    .post(
                        move |State(st): State<AppState>,
                              who: Authed,
                              Path(id): Path<String>,
                              raw: RawQuery,
                              body: Result<
                            axum::body::Bytes,
                            axum::extract::rejection::BytesRejection,
                        >| {
                            ch::upload_attachment(st, who, kind, id, raw, body)
                        },
                        upload_op(what),
                    )
                    .body_limit(attachment_limit + 1024),
            )
            .add(
                &format!("{base}/{{id}}/attachments/{{attachment}}"),
                Endpoint::new().get(
                    move |State(st): State<AppState>,
                          who: Authed,
                          Path((id, a)): Path<(String, String)>| {
                        ch::download_attachment(st, who, kind, id, a)
                    },
                    op(
                        "Download a file",
                        TAG,
                        vec![id_param(), attachment_param()],
                        None,
                        ("200", attachment_download()),
                        &["401", "404"],
                        true,
                    ),
                ),
            );
    }
    routes
}

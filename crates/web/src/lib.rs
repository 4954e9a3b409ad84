//! The web application of ngoaivu: pages rendered on the server (maud,
//! checked at compile time, escaped by default), Vietnamese first with an
//! English switch, over the same store service as the API (so the same
//! isolation). No JavaScript; every asset is compiled in.
//!
//! - `kit`: what every page needs (the signed-in user, the page frame,
//!   errors, forms, labels) and what two pages share.
//! - `pages`: one module per area; pages use the kit, never each other.
//! - `routes()` below: every URL and the page that answers it.
#![forbid(unsafe_code)]

mod kit;
#[cfg(test)]
mod layering;
mod pages;

/// Labels in both languages and value formatting; the reminder command
/// (`ngoaivu remind`) words its mail with them.
pub use kit::text;

use axum::Router;
use axum::routing::{get, post};
use ngoaivu_http::AppState;

use pages::records::{attachments, detail, edit, list, workflow};
use pages::{
    account, calendar, catalog, channel, dashboard, imports, language, reader, reports, search,
    sign_in, source, tables, tasks,
};

/// The web pages, to mount with `ngoaivu_http::router_with(state, routes())`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard::home))
        .route("/reports", get(reports::reports_page))
        .route("/reports/download", get(reports::download))
        .route("/reports/submit", post(reports::submit))
        .route("/reports/submitted", get(reports::submitted_page))
        .route(
            "/reports/submitted/{id}/{format}",
            get(reports::submitted_file),
        )
        .route("/reports/table", get(tables::builder))
        .route("/reports/table/download", get(tables::download))
        .route("/reports/tables", post(tables::save))
        .route("/reports/tables/{id}/delete", post(tables::delete))
        .route(
            "/login",
            get(sign_in::login_form).post(sign_in::login_submit),
        )
        .route("/logout", post(sign_in::logout))
        .route("/lang", post(language::set_lang))
        .route("/search", get(search::search_page))
        .route("/tasks", get(tasks::tasks_page))
        .route("/static/app.css", get(kit::stylesheet::serve))
        .route(
            "/reader",
            get(reader::reader_home)
                .post(reader::reader_submit)
                // A batch of reports (PDFs of several megabytes each).
                .layer(axum::extract::DefaultBodyLimit::max(
                    reader::UPLOAD_MAX_BYTES + 64 * 1024,
                )),
        )
        .route("/reader/documents/{id}", get(reader::document_page))
        .route("/reader/documents/{id}/save", post(reader::document_save))
        .route(
            "/reader/documents/{id}/dismiss",
            post(reader::document_dismiss),
        )
        .route("/reader/sources/{hash}", get(reader::source_page))
        .route("/records/{type}", get(list::list_page))
        .route("/records/{type}/export.xlsx", get(imports::export_xlsx))
        .route("/records/{type}/export.csv", get(imports::export_csv))
        .route("/records/{type}/template.xlsx", get(imports::template))
        .route("/records/{type}/iati.xml", get(imports::iati))
        .route(
            "/records/{type}/import",
            // The upload handler applies the import limit itself, so that
            // a file too large gets a page, not a bare 413.
            get(imports::import_form)
                .post(imports::import_upload)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route(
            "/records/{type}/import/review",
            post(imports::import_confirm),
        )
        .route(
            "/records/{type}/new",
            get(edit::new_form).post(edit::new_submit),
        )
        .route("/records/{type}/{id}", get(detail::detail_page))
        .route(
            "/records/{type}/{id}/edit",
            get(edit::edit_form).post(edit::edit_submit),
        )
        .route("/records/{type}/{id}/transitions", post(workflow::submit))
        .route(
            "/records/{type}/{id}/corrections",
            post(detail::ask_correction),
        )
        .route(
            "/records/{type}/{id}/delete",
            get(edit::delete_confirm).post(edit::delete_submit),
        )
        .route(
            "/records/{type}/{id}/attachments",
            // The upload handler applies the configured attachment limit
            // itself, so that a file too large gets a page, not a bare 413.
            post(attachments::upload).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route(
            "/records/{type}/{id}/attachments/{aid}",
            get(attachments::download),
        )
        .route(
            "/records/{type}/{id}/attachments/{aid}/delete",
            get(attachments::remove_confirm).post(attachments::remove_submit),
        )
        .route("/inbox", get(channel::inbox_page))
        .route("/requests", get(channel::requests_page))
        .route(
            "/requests/new",
            get(channel::request_new_form).post(channel::request_new_submit),
        )
        .route("/requests/{id}", get(channel::request_page))
        .route("/requests/{id}/messages", post(channel::request_message))
        .route(
            "/requests/{id}/attachments",
            post(channel::request_upload).layer(axum::extract::DefaultBodyLimit::max(
                ngoaivu_core::attachments::DEFAULT_MAX_BYTES + 64 * 1024,
            )),
        )
        .route(
            "/requests/{id}/attachments/{aid}",
            get(channel::request_download),
        )
        .route("/market-notes", get(channel::notes_page))
        .route(
            "/market-notes/new",
            get(channel::note_new_form).post(channel::note_new_submit),
        )
        .route("/market-notes/{id}", get(channel::note_page))
        .route(
            "/market-notes/{id}/attachments",
            post(channel::note_upload).layer(axum::extract::DefaultBodyLimit::max(
                ngoaivu_core::attachments::DEFAULT_MAX_BYTES + 64 * 1024,
            )),
        )
        .route(
            "/market-notes/{id}/attachments/{aid}",
            get(channel::note_download),
        )
        .route(
            "/follows",
            get(channel::follows_form).post(channel::follows_submit),
        )
        .route(
            "/account",
            get(account::account_form).post(account::account_submit),
        )
        .route("/account/calendar", post(account::rotate))
        .route("/calendar/{file}", get(calendar::feed))
        // Public: published catalog projects only (see `Service::public_catalog`).
        .route("/catalog", get(catalog::list))
        .route("/catalog/feed.json", get(catalog::feed))
        .route("/catalog/{id}", get(catalog::detail))
        .route("/catalog/{id}/pictures/{picture}", get(catalog::picture))
        // Public: the licence and this binary's source (AGPL §13).
        .route("/source", get(source::page))
        .route("/source/{file}", get(source::file))
        .layer(axum::middleware::from_fn(kit::session::csrf))
}

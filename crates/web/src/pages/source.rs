//! `/source`: what the AGPL (§13) asks of a network service, offered to
//! every user, signed in or not: the licence, and the Corresponding Source
//! of this very binary (the committed tree it was built from, made by
//! `build.rs`), downloadable here.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::html;

use crate::kit::layout;
use crate::kit::session::WebLang;
use crate::kit::text::t;

const ARCHIVE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/source.tar.gz"));
const LICENSE: &str = include_str!("../../../../LICENSE");
const VERSION: &str = env!("CARGO_PKG_VERSION");
const COMMIT: &str = env!("NGOAIVU_COMMIT");

fn archive_name() -> String {
    format!("ngoaivu-{VERSION}.tar.gz")
}

pub(crate) async fn page(WebLang(lang): WebLang) -> Response {
    let title = t(lang, "Mã nguồn", "Source code");
    let body = html! {
        h1 { (title) }
        p {
            (t(lang, "ngoaivu là phần mềm tự do, phát hành theo Giấy phép Công cộng GNU Affero phiên bản 3 hoặc mới hơn (AGPL-3.0-or-later). Mọi người dùng có quyền nhận mã nguồn của đúng phiên bản đang chạy tại đây, sửa đổi và chia sẻ lại theo cùng giấy phép.",
                "ngoaivu is free software under the GNU Affero General Public License, version 3 or later (AGPL-3.0-or-later). Every user may receive the source of the very version running here, change it and share it under the same licence."))
        }
        dl.fields {
            dt { (t(lang, "Phiên bản", "Version")) } dd { (VERSION) }
            @if !COMMIT.is_empty() { dt { "Commit" } dd { code { (COMMIT) } } }
        }
        @if ARCHIVE.is_empty() {
            div.alert.warning role="note" { (t(lang, "Bản chạy này được dựng từ cây mã không có git nên không kèm tệp mã nguồn; hãy liên hệ quản trị viên để nhận mã nguồn.", "This build was made from a tree without git and carries no source archive; ask the administrator for the source.")) }
        } @else {
            p { a.button.primary href={ "/source/" (archive_name()) } { (t(lang, "Tải mã nguồn", "Download the source")) " (" (archive_name()) ", " (ARCHIVE.len() / 1024) " KB)" } }
        }
        p { a href="/source/LICENSE" { (t(lang, "Toàn văn giấy phép (tiếng Anh)", "The licence's full text")) } }
    };
    (StatusCode::OK, layout::public_page(lang, title, body)).into_response()
}

pub(crate) async fn file(Path(name): Path<String>) -> Response {
    if name == "LICENSE" {
        let mut r = LICENSE.into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        return r;
    }
    if name != archive_name() || ARCHIVE.is_empty() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut r = ARCHIVE.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/gzip"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", archive_name())) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

//! Error policy: handlers return `ApiError`, which carries its message in
//! both languages; the `render_errors` middleware writes the JSON body
//! `{"error": CODE, "message": TEXT, "fields": [...]}` in the language the
//! request asked for (`Accept-Language: en`, else Vietnamese). Store errors
//! map here and nowhere else.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ngoaivu_core::{Invalid, Lang};
use ngoaivu_store::StoreError;
use serde_json::json;

#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub vi: String,
    pub en: String,
    pub fields: Option<Invalid>,
    pub retry_after: Option<u64>,
    /// A 412's record as it is now (`current` in the body) and its tag
    /// (the `ETag` header), for the writer to compare and merge.
    pub current: Option<Box<(serde_json::Value, String)>>,
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        code: &'static str,
        vi: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        ApiError {
            status,
            code,
            vi: vi.into(),
            en: en.into(),
            fields: None,
            retry_after: None,
            current: None,
        }
    }
    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "Không tìm thấy.",
            "Not found.",
        )
    }
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Cần đăng nhập: thiếu hoặc sai mã phiên (Authorization: Bearer …), hoặc phiên đã hết hạn.",
            "Sign-in required: the session token (Authorization: Bearer …) is missing, wrong or expired.",
        )
    }
    pub fn invalid(inv: Invalid) -> Self {
        ApiError {
            fields: Some(inv),
            ..Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "Dữ liệu không hợp lệ.",
                "The input is not valid.",
            )
        }
    }
    pub fn bad_request(code: &'static str, vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, vi, en)
    }
    pub fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Lỗi hệ thống; xin thử lại. Nếu lỗi lặp lại, báo cho quản trị viên kèm mã yêu cầu (x-request-id).",
            "Internal error; please try again. If it persists, tell the administrator the request id (x-request-id).",
        )
    }

    pub fn body(&self, lang: Lang) -> serde_json::Value {
        let fields: Vec<serde_json::Value> = self
            .fields
            .iter()
            .flat_map(|inv| inv.0.iter())
            .map(|f| json!({"field": f.field, "code": f.code(), "message": f.message(lang)}))
            .collect();
        let message = match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        };
        let mut body = json!({"error": self.code, "message": message, "fields": fields});
        if let Some(c) = &self.current {
            body["current"] = c.0.clone();
            body["current_etag"] = json!(c.1);
        }
        body
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // The body is written by `render_errors`, which knows the language;
        // Vietnamese is the fallback if that layer is absent.
        let mut resp = (self.status, axum::Json(self.body(Lang::Vi))).into_response();
        if let Some(secs) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        if let Some(c) = &self.current
            && let Ok(v) = HeaderValue::from_str(&c.1)
        {
            resp.headers_mut().insert(header::ETAG, v);
        }
        resp.extensions_mut().insert(self);
        resp
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::not_found(),
            StoreError::Invalid(inv) => ApiError::invalid(inv),
            StoreError::Forbidden(d) => ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                d.message(Lang::Vi),
                d.message(Lang::En),
            ),
            StoreError::Conflict(c) => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                c.message(Lang::Vi),
                c.message(Lang::En),
            ),
            StoreError::Unavailable(u) => {
                tracing::error!(cause = %u.message(Lang::En), "the database cannot serve the request");
                let status = if u == ngoaivu_store::Unavailable::DiskFull {
                    StatusCode::INSUFFICIENT_STORAGE
                } else {
                    StatusCode::SERVICE_UNAVAILABLE
                };
                ApiError {
                    retry_after: Some(30),
                    ..ApiError::new(
                        status,
                        "unavailable",
                        u.message(Lang::Vi),
                        u.message(Lang::En),
                    )
                }
            }
            StoreError::Stale(now) => {
                let etag = now.etag();
                ApiError {
                    current: Some(Box::new((now.into_json(), etag))),
                    ..ApiError::new(
                        StatusCode::PRECONDITION_FAILED,
                        "changed_since_read",
                        "Bản ghi đã được người khác sửa sau khi bạn mở nó; thay đổi của bạn chưa được lưu. Bản hiện tại ở trường \"current\": hãy đối chiếu, rồi gửi lại với If-Match bằng ETag mới.",
                        "Someone else changed this record after you read it; your change was not saved. The record as it is now is in \"current\": compare, then send again with If-Match set to the new ETag.",
                    )
                }
            }
            StoreError::StaleTable(now) => ApiError::new(
                StatusCode::CONFLICT,
                "changed_since_read",
                format!(
                    "Bảng «{}» đã được {} lưu sau khi bạn mở; bảng của bạn chưa được lưu.",
                    now.name, now.created_by
                ),
                format!(
                    "The table “{}” was saved by {} after you opened it; yours was not saved.",
                    now.name, now.created_by
                ),
            ),
            StoreError::StaleRequest(now) => {
                let etag = now.etag();
                ApiError {
                    current: Some(Box::new((
                        serde_json::to_value(&*now).unwrap_or_default(),
                        etag,
                    ))),
                    ..ApiError::new(
                        StatusCode::PRECONDITION_FAILED,
                        "changed_since_read",
                        "Đã có người viết vào đề nghị sau khi bạn mở nó; tin của bạn chưa được gửi. Đề nghị hiện tại ở trường \"current\": hãy đọc lại, rồi gửi với If-Match bằng ETag mới.",
                        "Someone wrote in the request after you read it; your message was not sent. The request as it is now is in \"current\": read it again, then send with If-Match set to the new ETag.",
                    )
                }
            }
            StoreError::Other(msg) => ApiError::internal(msg),
            e @ StoreError::Database(_) => ApiError::internal(e.to_string()),
        }
    }
}

/// Re-render error bodies in the language the request asked for.
pub async fn render_errors(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let lang = Lang::from_accept_language(
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let mut resp = next.run(req).await;
    if let Some(err) = resp.extensions_mut().remove::<ApiError>() {
        if lang != Lang::Vi {
            let headers = resp.headers().clone();
            let mut fresh = (err.status, axum::Json(err.body(lang))).into_response();
            for (k, v) in &headers {
                if k != header::CONTENT_LENGTH {
                    fresh.headers_mut().insert(k.clone(), v.clone());
                }
            }
            return fresh;
        }
    } else if resp.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "Dữ liệu gửi lên quá lớn.",
            "The request body is too large.",
        )
        .body_response(lang);
    }
    resp
}

impl ApiError {
    fn body_response(self, lang: Lang) -> Response {
        (self.status, axum::Json(self.body(lang))).into_response()
    }
}

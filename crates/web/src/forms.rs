//! Create, edit and delete forms (partners and agreements).

use axum::extract::{Path, State};
use axum::response::Response;
use ngoaivu_http::AppState;

use crate::layout;
use crate::session::WebUser;

pub async fn new_partner(State(_st): State<AppState>, u: WebUser) -> Response { layout::not_found(u.lang, Some(&u)) }
pub async fn create_partner(State(_st): State<AppState>, u: WebUser) -> Response { layout::not_found(u.lang, Some(&u)) }
pub async fn new_agreement(State(_st): State<AppState>, u: WebUser) -> Response { layout::not_found(u.lang, Some(&u)) }
pub async fn create_agreement(State(_st): State<AppState>, u: WebUser) -> Response { layout::not_found(u.lang, Some(&u)) }
pub async fn edit_form(State(_st): State<AppState>, u: WebUser, Path((_t, _i)): Path<(String, String)>) -> Response { layout::not_found(u.lang, Some(&u)) }
pub async fn edit_submit(State(_st): State<AppState>, u: WebUser, Path((_t, _i)): Path<(String, String)>) -> Response { layout::not_found(u.lang, Some(&u)) }
pub async fn delete_confirm(State(_st): State<AppState>, u: WebUser, Path((_t, _i)): Path<(String, String)>) -> Response { layout::not_found(u.lang, Some(&u)) }
pub async fn delete_submit(State(_st): State<AppState>, u: WebUser, Path((_t, _i)): Path<(String, String)>) -> Response { layout::not_found(u.lang, Some(&u)) }

//! The kit: what every page needs, and what two pages share. Pages import
//! the kit; the kit never imports a page (`crate::pages`), so that a page
//! can change without touching another (the `layering` test checks it).
//!
//! - `session`: the signed-in user (`WebUser`), the language (`WebLang`),
//!   cookies, the CSRF check.
//! - `layout`: the page frame (signed-in and public); `stylesheet`: the CSS.
//! - `error`: error pages and `PageError`, for `?` in handlers.
//! - `forms`: posted form pairs, the choices shared by several forms.
//! - `query`: a page's query string and a record list's query.
//! - `records`: names of organisations and indicators, records' titles.
//! - `text`: labels in both languages and value formatting.
//! - `upload`: a file uploaded in a form; `suggestions`: the channel's
//!   suggestions table.

pub(crate) mod error;
pub(crate) mod forms;
pub(crate) mod layout;
pub(crate) mod query;
pub(crate) mod records;
pub(crate) mod session;
pub(crate) mod stylesheet;
pub(crate) mod suggestions;
pub mod text;
pub(crate) mod upload;

//! The pages, one module per area. A page uses the kit (`crate::kit`) and
//! never another area (`crate::pages::…`): what two areas share belongs in
//! the kit (the `layering` test checks it).
//!
//! - `sign_in`: `/login`, `/logout`; `language`: the language switch.
//! - `dashboard`: `/`, a province's and the Ministry's overview.
//! - `tasks`: `/tasks`, what is due for the user.
//! - `records`: lists, a record's page, its forms, attachments, workflow.
//! - `imports`: a list's exports, the XLSX template, IATI, the import page.
//! - `search`: search across every record type.
//! - `reports`: `/reports`; `tables`: the table builder.
//! - `reader`: the report reader: paste or upload (a batch queues), review
//!   the least certain first, place unplaced figures, save in one
//!   transaction.
//! - `channel`: requests between provinces and missions, market notes,
//!   follows, the inbox.
//! - `account`: the user's own password; the organisation's calendar
//!   address.
//! - `calendar`: the iCalendar feed of an organisation, behind a secret token.
//! - `catalog`: the public investment catalog (no sign-in) and its JSON feed.
//! - `source`: the licence and this binary's source archive (AGPL §13).

pub(crate) mod account;
pub(crate) mod calendar;
pub(crate) mod catalog;
pub(crate) mod channel;
pub(crate) mod dashboard;
pub(crate) mod imports;
pub(crate) mod language;
pub(crate) mod reader;
pub(crate) mod records;
pub(crate) mod reports;
pub(crate) mod search;
pub(crate) mod sign_in;
pub(crate) mod source;
pub(crate) mod tables;
pub(crate) mod tasks;

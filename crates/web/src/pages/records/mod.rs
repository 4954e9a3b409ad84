//! The records' pages: a type's list (`list`), a record's page (`detail`),
//! its create, edit and delete forms (`edit`), its attachments
//! (`attachments`) and its workflow section and steps (`workflow`). One
//! area: the detail page shows the workflow section, and a refused upload
//! shows the detail page again with the reason (so `attachments` uses
//! `detail`, which uses `workflow`; nothing points back).

pub(crate) mod attachments;
pub(crate) mod detail;
pub(crate) mod edit;
pub(crate) mod list;
pub(crate) mod workflow;

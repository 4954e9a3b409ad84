//! Integration tests of the JSON API, in-process (no socket): the router is
//! called with `tower::ServiceExt::oneshot`, on SQLite and on PostgreSQL.
//!
//! PostgreSQL: the tests read an admin URL from `NGOAIVU_TEST_PG_URL` and
//! create a database of their own; without it the PostgreSQL half of each
//! test is skipped with a message, or fails under `NGOAIVU_REQUIRE_PG=1`
//! (`scripts/test` starts a throwaway server and sets both).
//! `UPDATE_SNAPSHOTS=1` rewrites `tests/openapi.snapshot.json`.

mod common;

mod bad_input;
mod catalog;
mod channel;
mod isolation;
mod office;
mod openapi;
mod records;
mod transfer;
mod versions;
mod workflow;

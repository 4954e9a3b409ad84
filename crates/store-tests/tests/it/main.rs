//! The integration tests of `ngoaivu-store-tests`, in one binary: one link
//! instead of one a file (each of these was a test binary of its own, and
//! linking them was much of the test command's build). A module a subject.

mod agreements;
mod aid;
mod channel;
mod conformance;
mod digests;
mod figures;
mod ngo;
mod office;
mod public;
mod reader_docs;
mod schemas;
mod workflow;

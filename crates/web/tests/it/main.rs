//! The integration tests of `ngoaivu-web`, in one binary: one link
//! instead of one a file (each of these was a test binary of its own, and
//! linking them was much of the test command's build). A module a subject.

mod catalog;
mod channel;
mod common;
mod dashboards_reports;
mod forms;
mod imports;
mod pages;
mod proxy;
mod reader;
mod source;
mod workflow;

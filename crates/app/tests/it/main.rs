//! The integration tests of `ngoaivu-app`, in one binary: one link
//! instead of one a file (each of these was a test binary of its own, and
//! linking them was much of the test command's build). A module a subject.

mod cli;
mod common;
mod crash;
mod filesystem_faults;
mod lifecycle;
mod operations;
mod postgres_away;
mod remind;

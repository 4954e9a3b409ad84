//! The integration tests of `ngoaivu-extract`, in one binary: one link
//! instead of one a file (each of these was a test binary of its own, and
//! linking them was much of the test command's build). A module a subject.

mod bad_input;
mod cli;
mod fixtures;
mod general_rules;
mod patterns;
mod pdf_input;
mod robustness;
mod texts;

//! The integration tests of `ngoaivu-iati`, in one binary: one link
//! instead of one a file (each of these was a test binary of its own, and
//! linking them was much of the test command's build). A module a subject.

mod common;
mod export;
mod import;
mod refusals;
mod roundtrip;

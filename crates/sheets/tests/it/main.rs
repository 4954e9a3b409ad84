//! The integration tests of `ngoaivu-sheets`, in one binary: one link
//! instead of one a file (each of these was a test binary of its own, and
//! linking them was much of the test command's build). A module a subject.

mod files;
mod no_panic;
mod roundtrip;

//! Integration tests of the `schemas` crate against the published fixtures:
//! the OB 3.0 spec and implementation-guide examples and the 1EdTech
//! validator's test credentials (`tests/fixtures`, provenance in
//! `../shared/spec/SOURCES.md`), plus the extra rules on crafted documents.

#![allow(clippy::unwrap_used)] // tests: a panic is a failing test

mod fixtures;
mod jws;
mod roundtrip;
mod rules;
mod verdicts;

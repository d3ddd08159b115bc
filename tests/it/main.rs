//! Cross-service tests: our command lines against a peer implementation, and
//! the 1EdTech validator's fixtures.

#![allow(clippy::unwrap_used)] // tests: a panic is a failing test

mod backup_restore;
mod first_start;
mod hostile;
mod interop;
mod issuer_flow;
mod legacy_issuer;
mod module_cycles;
mod peers;
mod validator_fixtures;

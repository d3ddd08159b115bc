//! The Open Badges 3.0 data model: Rust types for the credentials, the bundled
//! JSON-LD contexts, and JSON Schema validation.
//!
//! - [`model`]: `OpenBadgeCredential`, `Profile`, `Achievement`, `IdentityObject`...
//!   (re-exported at the crate root).
//! - [`validate`]: the bundled 1EdTech JSON Schemas plus the rules a schema
//!   cannot express ([`validate_credential`], [`validate_profile`], [`normalise`]).
//! - [`contexts`]: the JSON-LD contexts compiled in, looked up by URL.
//!
//! Specification: <https://www.imsglobal.org/spec/ob/v3p0/>.

#![cfg_attr(test, allow(clippy::unwrap_used))] // tests: a panic is a failing test

pub mod contexts;
pub mod model;
pub mod validate;

pub use model::*;
pub use validate::{
    normalise, validate_credential, validate_credential_tolerant, validate_profile, DocumentKind,
    Finding, SchemaError, Tolerance, Tolerated,
};

//! [`VerifyOptions`]: what a verification depends on besides the
//! credential. Its own module because both pipelines take it, the OB 3.0
//! one in [`crate::pipeline`] and the OB 2.0 one in [`crate::ob2`], and the
//! first calls the second (docs/ARCHITECTURE.md, invariant 10).

use chrono::{DateTime, Utc};
use keys::Resolver;

/// What a verification depends on besides the credential.
#[derive(Clone, Copy)]
pub struct VerifyOptions<'a> {
    /// The instant the validity window is judged at.
    pub now: DateTime<Utc>,
    /// Where DID documents, profiles, keys and status lists come from.
    pub resolver: &'a dyn Resolver,
    /// An e-mail address, name or other identity the holder claims, to match
    /// against the subject's identifiers. Never stored nor logged.
    pub recipient: Option<&'a str>,
}

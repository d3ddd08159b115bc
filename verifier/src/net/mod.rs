//! The verifier's one way onto the network: a blocking HTTP(S) client that
//! refuses to be turned against the operator's own network, and a
//! [`keys::resolver::Resolver`] on top of it.
//!
//! Everything the verifier fetches (did:web documents, issuer profiles,
//! JWKS, status lists, hosted credentials, badge images) is named by the
//! credential under test, that is by whoever made it. So every fetch:
//!
//! - uses `https`, or `http` only when [`NetConfig::allow_http`] is set;
//! - connects only to addresses [`address::classify`] calls public, unless
//!   [`NetConfig::allow_private`] is set; the addresses checked are the ones
//!   connected to, resolved once (no DNS rebinding);
//! - follows at most [`NetConfig::max_redirects`] redirects, itself, checking
//!   each target like the first;
//! - reads at most [`NetConfig::max_body_bytes`] and gives up after short
//!   timeouts;
//! - goes through a small cache honouring `Cache-Control` (bounded in
//!   entries and bytes; `no-cache` documents revalidated with their `ETag`),
//!   so that a burst of verifications of one issuer fetches its documents
//!   once.
//!
//! JSON-LD contexts are never fetched: they are bundled in `schemas`.

pub mod address;
mod cache;
mod client;
mod flight;
mod names;
mod resolver;
mod types;

pub use cache::CachePolicy;
pub use client::{HttpClient, ACCEPT_JSON};
pub use resolver::{AtHand, NetworkResolver};
pub use types::{Fetch, FetchedResponse, NetConfig, NetError};

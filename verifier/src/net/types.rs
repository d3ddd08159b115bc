//! What the network layer's modules share: its configuration, its error,
//! a response read in full and the [`Fetch`] trait. Kept apart from
//! `mod.rs` so that the children import it and `mod.rs` only declares and
//! re-exports them (no import cycle: docs/ARCHITECTURE.md, invariant 10).

use std::time::Duration;

/// Where responses come from: the network through the cache
/// ([`HttpClient`](super::HttpClient),
/// [`NetworkResolver`](super::NetworkResolver)), or the cache alone
/// ([`AtHand`](super::AtHand)).
pub trait Fetch {
    /// What `url` answers to a GET with this `Accept` header.
    fn fetch(&self, url: &str, accept: &str) -> Result<std::sync::Arc<FetchedResponse>, NetError>;
}

/// A response read in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedResponse {
    /// The URL finally answered, after redirects.
    pub url: String,
    /// The HTTP status (never a redirect).
    pub status: u16,
    /// The `Content-Type` header, when present and readable.
    pub content_type: Option<String>,
    /// The body, at most [`NetConfig::max_body_bytes`] long.
    pub body: Vec<u8>,
}

impl FetchedResponse {
    /// The media type without parameters, lower-cased (`application/json`).
    pub fn media_type(&self) -> Option<String> {
        let value = self.content_type.as_deref()?;
        let media = value.split(';').next().unwrap_or_default().trim();
        Some(media.to_ascii_lowercase())
    }
}

/// How the client may reach the network. [`Default`] is the safe setting for
/// a public deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetConfig {
    /// Allow private, loopback, link-local, unique-local and CGNAT targets
    /// (tests and local setups). Cloud metadata endpoints stay refused.
    pub allow_private: bool,
    /// Allow plain `http` URLs (tests and local setups).
    pub allow_http: bool,
    /// Addresses allowed even when `allow_private` is off: a lab issuer on
    /// the local network, without opening the whole network.
    pub allowed_addresses: Vec<std::net::IpAddr>,
    /// Largest response body read, in bytes.
    pub max_body_bytes: u64,
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed for a whole fetch, redirects included.
    pub total_timeout: Duration,
    /// Most redirects followed.
    pub max_redirects: u32,
    /// Most responses kept in the cache.
    pub cache_entries: usize,
    /// Most bytes of responses kept in the cache (bodies, URLs, headers
    /// kept): with [`NetConfig::max_body_bytes`] at 1 MiB, 1000 entries alone
    /// would allow a gibibyte.
    pub cache_bytes: usize,
    /// How long a response without `Cache-Control: max-age` stays cached.
    pub default_ttl: Duration,
    /// Longest time any response stays cached, whatever its `max-age`.
    pub max_ttl: Duration,
}

impl Default for NetConfig {
    fn default() -> Self {
        NetConfig {
            allow_private: false,
            allow_http: false,
            allowed_addresses: Vec::new(),
            max_body_bytes: 1024 * 1024,
            connect_timeout: Duration::from_secs(3),
            total_timeout: Duration::from_secs(10),
            max_redirects: 3,
            cache_entries: 1000,
            cache_bytes: 16 * 1024 * 1024,
            default_ttl: Duration::from_secs(60),
            max_ttl: Duration::from_secs(24 * 60 * 60),
        }
    }
}

/// Why a fetch failed.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum NetError {
    /// The URL does not parse or has no host.
    #[error("invalid URL: {0}")]
    InvalidUrl(String),
    /// The URL's scheme is neither `http` nor `https`.
    #[error("the scheme '{0}' is not allowed: only https (and http when allowed) are fetched")]
    Scheme(String),
    /// The URL is plain `http` and the configuration does not allow it.
    #[error("plain http is not allowed: {0}")]
    PlainHttp(String),
    /// The URL carries a user name or password.
    #[error("URLs with credentials are not fetched")]
    Credentials,
    /// Every address the host resolves to is refused.
    #[error("the host '{host}' resolves only to refused addresses ({address})")]
    ForbiddenAddress {
        /// The host name of the URL.
        host: String,
        /// The first refused address, with its class.
        address: String,
    },
    /// The host name does not resolve.
    #[error("the host '{0}' cannot be resolved")]
    HostNotFound(String),
    /// The response is larger than [`NetConfig::max_body_bytes`].
    #[error("the response is larger than {0} bytes")]
    TooLarge(u64),
    /// More than [`NetConfig::max_redirects`] redirects.
    #[error("more than {0} redirects")]
    TooManyRedirects(u32),
    /// A redirect without a usable `Location`.
    #[error("a redirect has no valid Location header")]
    BadRedirect,
    /// The fetch took longer than allowed.
    #[error("the server did not answer in time")]
    Timeout,
    /// The connection or the TLS handshake failed.
    #[error("connection failed: {0}")]
    Connection(String),
    /// The server answered with a status other than 200.
    #[error("the server answered HTTP {0}")]
    Status(u16),
    /// The response is not what was asked for (not JSON, not a JWS).
    #[error("unexpected response: {0}")]
    Content(String),
    /// Only cached responses were allowed ([`AtHand`](super::AtHand)) and
    /// this one is not cached.
    #[error("{0} is not cached and the network was not to be used")]
    NotCached(String),
}

//! The guarded blocking HTTP client, on `ureq` with rustls.
//!
//! The address check lives in the name resolver that `ureq` connects
//! through ([`GuardedResolver`]): the host is resolved once, refused
//! addresses are dropped, and the connector receives only what remains, so
//! a DNS answer cannot change between check and use. Proxies are disabled
//! (a proxy would resolve the target itself) and redirects are followed here,
//! one request at a time, so that each hop passes the same checks.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;

use ureq::http::header::{CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE, ETAG, LOCATION};
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};
use url::Url;

use super::address::{classify, AddressClass};
use super::cache::{CachePolicy, ResponseCache};
use super::flight::Flights;
use super::names::{self, NameCache};
use super::types::{Fetch, FetchedResponse, NetConfig, NetError};

/// The `Accept` header for JSON documents: DID documents, profiles, status
/// lists, credentials.
pub const ACCEPT_JSON: &str = "application/ld+json, application/json";

/// The most idle connections kept open for reuse, all hosts together; each
/// holds two 128 KiB buffers.
const MAX_IDLE_CONNECTIONS: usize = 32;

/// The most idle connections kept open to one host. An issuer asked at every
/// verification (its status lists are `no-cache`) is asked by as many
/// verifications at once as there are requests in flight: with `ureq`'s
/// default of 3, most revalidations opened a connection and closed it after.
const MAX_IDLE_CONNECTIONS_PER_HOST: usize = 16;

/// The HTTP client every fetch of the verifier goes through. Cheap to share
/// behind an `Arc`; safe to use from many threads.
pub struct HttpClient {
    agent: ureq::Agent,
    config: NetConfig,
    cache: ResponseCache,
    /// Fetches under way, shared by the callers asking for the same document.
    flights: Flights<Result<Arc<FetchedResponse>, NetError>>,
}

/// The headers of a response that say how it may be cached.
struct Caching {
    cache_control: Option<String>,
    etag: Option<String>,
}

/// The cache key of a fetch: the same URL asked with another `Accept` may
/// answer another representation.
fn cache_key(url: &str, accept: &str) -> String {
    format!("{accept}\n{url}")
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("config", &self.config)
            .finish()
    }
}

impl HttpClient {
    /// A client with these limits and an empty cache.
    pub fn new(config: NetConfig) -> Self {
        let agent_config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .proxy(None)
            .https_only(!config.allow_http)
            .timeout_connect(Some(config.connect_timeout))
            .timeout_global(Some(config.total_timeout))
            .user_agent(concat!("openbadges-verifier/", env!("CARGO_PKG_VERSION")))
            .max_idle_connections(MAX_IDLE_CONNECTIONS)
            .max_idle_connections_per_host(MAX_IDLE_CONNECTIONS_PER_HOST)
            .build();
        let resolver = GuardedResolver {
            allow_private: config.allow_private,
            allowed: config.allowed_addresses.clone(),
            names: NameCache::default(),
        };
        HttpClient {
            agent: ureq::Agent::with_parts(agent_config, DefaultConnector::new(), resolver),
            cache: ResponseCache::new(config.cache_entries, config.cache_bytes),
            flights: Flights::default(),
            config,
        }
    }

    /// The limits this client applies.
    pub fn config(&self) -> &NetConfig {
        &self.config
    }

    /// Fetches `url` with this `Accept` header, from the cache when a fresh
    /// copy is there; a stale copy with an `ETag` is revalidated
    /// (`If-None-Match`) and reused on `304 Not Modified`. Any other final
    /// status is returned (callers decide what a 404 or a 410 means); only
    /// 200 responses are cached. Callers asking for the same document at the
    /// same time share one fetch started after they asked (`Flights`).
    pub fn get(&self, url: &str, accept: &str) -> Result<Arc<FetchedResponse>, NetError> {
        let key = cache_key(url, accept);
        if let Some(hit) = self.cache.get(&key) {
            return Ok(hit);
        }
        self.flights
            .run(&key, || self.fetch_into_cache(url, accept, key.clone()))
    }

    /// The network half of [`HttpClient::get`]: revalidates or fetches, then
    /// keeps what may be kept.
    fn fetch_into_cache(
        &self,
        url: &str,
        accept: &str,
        key: String,
    ) -> Result<Arc<FetchedResponse>, NetError> {
        // A fetch shared while this caller waited may have left a fresh copy.
        if let Some(hit) = self.cache.get(&key) {
            return Ok(hit);
        }
        let stored = self.cache.validator(&key);
        let (mut response, mut caching) =
            self.fetch(url, accept, stored.as_ref().map(|(etag, _)| etag.as_str()))?;
        let policy = |caching: &Caching| {
            CachePolicy::from_header(
                caching.cache_control.as_deref(),
                self.config.default_ttl,
                self.config.max_ttl,
            )
        };
        if let (304, Some((_, stored))) = (response.status, &stored) {
            // Only the very document that gave the ETag: a redirect may now
            // lead elsewhere, where the same ETag means something else.
            if response.url == stored.url {
                match (caching.cache_control.is_some(), policy(&caching)) {
                    (_, CachePolicy::NoStore) => {
                        self.cache.remove(&key);
                    }
                    (true, keep) => self.cache.revalidated(&key, Some(keep.fresh_for())),
                    (false, _) => self.cache.revalidated(&key, None),
                }
                return Ok(Arc::clone(stored));
            }
            (response, caching) = self.fetch(url, accept, None)?;
        }
        let policy = policy(&caching);
        let response = Arc::new(response);
        if response.status == 200 && policy != CachePolicy::NoStore {
            let ttl = policy.fresh_for();
            self.cache
                .insert(key, Arc::clone(&response), ttl, caching.etag);
        } else {
            // Whatever was stored is outdated now.
            let _ = self.cache.remove(&key);
        }
        Ok(response)
    }

    /// Forgets the cached response to what [`HttpClient::get`] would fetch;
    /// `true` when there was one.
    pub fn forget(&self, url: &str, accept: &str) -> bool {
        self.cache.remove(&cache_key(url, accept))
    }

    /// Whether a response to what [`HttpClient::get`] would fetch is kept,
    /// fresh or waiting for revalidation.
    pub fn holds(&self, url: &str, accept: &str) -> bool {
        self.cache.contains(&cache_key(url, accept))
    }

    /// The fresh cached response to what [`HttpClient::get`] would fetch, if
    /// there is one; never the network.
    pub fn cached(&self, url: &str, accept: &str) -> Option<Arc<FetchedResponse>> {
        self.cache.get(&cache_key(url, accept))
    }

    /// Fetches without the cache, following redirects under the same rules,
    /// asking `If-None-Match: etag` when given. Returns the response and its
    /// caching headers.
    fn fetch(
        &self,
        url: &str,
        accept: &str,
        etag: Option<&str>,
    ) -> Result<(FetchedResponse, Caching), NetError> {
        let deadline = Instant::now() + self.config.total_timeout;
        let mut current = self.check_url(url)?;
        let mut redirects = 0;
        loop {
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(NetError::Timeout);
            }
            let mut request = self.agent.get(current.as_str()).header("Accept", accept);
            if let Some(etag) = etag {
                request = request.header("If-None-Match", etag);
            }
            let mut response = request
                .config()
                .timeout_global(Some(remaining))
                .build()
                .call()
                .map_err(|e| map_error(e, &current))?;
            let status = response.status().as_u16();
            let header = |name| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v: &ureq::http::HeaderValue| v.to_str().ok())
                    .map(str::to_owned)
            };
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                if redirects >= self.config.max_redirects {
                    return Err(NetError::TooManyRedirects(self.config.max_redirects));
                }
                redirects += 1;
                let location = header(LOCATION).ok_or(NetError::BadRedirect)?;
                let next = current.join(&location).map_err(|_| NetError::BadRedirect)?;
                current = self.check_url(next.as_str())?;
                continue;
            }
            let content_type = header(CONTENT_TYPE);
            let caching = Caching {
                cache_control: header(CACHE_CONTROL),
                etag: header(ETAG),
            };
            let limit = self.config.max_body_bytes;
            let declared = header(CONTENT_LENGTH).and_then(|v| v.parse::<u64>().ok());
            if declared.is_some_and(|length| length > limit) {
                return Err(NetError::TooLarge(limit));
            }
            let body = response
                .body_mut()
                .with_config()
                .limit(limit)
                .read_to_vec()
                .map_err(|e| map_error(e, &current))?;
            let response = FetchedResponse {
                url: current.into(),
                status,
                content_type,
                body,
            };
            return Ok((response, caching));
        }
    }

    /// Parses `url` and applies the scheme and credential rules; the address
    /// rules apply when connecting.
    fn check_url(&self, url: &str) -> Result<Url, NetError> {
        let mut parsed = Url::parse(url).map_err(|e| NetError::InvalidUrl(e.to_string()))?;
        match parsed.scheme() {
            "https" => {}
            "http" if self.config.allow_http => {}
            "http" => return Err(NetError::PlainHttp(url.to_owned())),
            other => return Err(NetError::Scheme(other.to_owned())),
        }
        if parsed.host().is_none() {
            return Err(NetError::InvalidUrl(format!("{url} has no host")));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(NetError::Credentials);
        }
        // The fragment is the client's business, never sent.
        parsed.set_fragment(None);
        Ok(parsed)
    }
}

/// Maps a `ureq` error to ours, naming the URL's host where it helps.
fn map_error(error: ureq::Error, url: &Url) -> NetError {
    let host = || url.host_str().unwrap_or_default().to_owned();
    match error {
        ureq::Error::Other(inner) => match inner.downcast::<Refused>() {
            Ok(refused) => NetError::ForbiddenAddress {
                host: refused.host,
                address: format!("{} is {:?}", refused.address, refused.class),
            },
            Err(other) => NetError::Connection(other.to_string()),
        },
        ureq::Error::HostNotFound => NetError::HostNotFound(host()),
        ureq::Error::Timeout(_) => NetError::Timeout,
        ureq::Error::BodyExceedsLimit(limit) => NetError::TooLarge(limit),
        ureq::Error::RequireHttpsOnly(_) => NetError::PlainHttp(url.to_string()),
        ureq::Error::BadUri(reason) => NetError::InvalidUrl(reason),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => NetError::Timeout,
        other => NetError::Connection(other.to_string()),
    }
}

/// Why the resolver refused a host: its first refused address.
#[derive(Debug)]
struct Refused {
    host: String,
    address: IpAddr,
    class: AddressClass,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} resolves to {} ({:?})",
            self.host, self.address, self.class
        )
    }
}

impl std::error::Error for Refused {}

/// Resolves with the system resolver, then keeps only allowed addresses: the
/// connector connects to nothing else. An IP host is not resolved, and a
/// host name's answer is reused for a short while ([`super::names`]).
#[derive(Debug)]
struct GuardedResolver {
    allow_private: bool,
    allowed: Vec<IpAddr>,
    names: NameCache,
}

impl GuardedResolver {
    /// Every address `uri`'s host stands for, allowed or not.
    fn addresses(
        &self,
        uri: &Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        if let Some(address) = names::literal_address(uri) {
            let mut addresses = self.empty();
            addresses.push(address);
            return Ok(addresses);
        }
        let (Some(host), Some(port)) = (uri.host(), names::port(uri)) else {
            return DefaultResolver::default().resolve(uri, config, timeout);
        };
        let now = Instant::now();
        if let Some(addresses) = self.names.get(host, port, now) {
            return Ok(addresses);
        }
        let addresses = DefaultResolver::default().resolve(uri, config, timeout)?;
        self.names.insert(host, port, addresses.clone(), now);
        Ok(addresses)
    }

    fn permits(&self, ip: IpAddr) -> Result<(), AddressClass> {
        let class = classify(ip);
        if class.allowed(self.allow_private)
            || (self.allowed.contains(&ip) && class != AddressClass::CloudMetadata)
        {
            Ok(())
        } else {
            Err(class)
        }
    }
}

impl Resolver for GuardedResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let resolved = self.addresses(uri, config, timeout)?;
        let mut kept = self.empty();
        let mut refused = None;
        for &address in resolved.iter() {
            match self.permits(address.ip()) {
                Ok(()) => kept.push(address),
                Err(class) => {
                    refused.get_or_insert((address.ip(), class));
                }
            }
        }
        match (kept.is_empty(), refused) {
            (true, Some((address, class))) => Err(ureq::Error::Other(Box::new(Refused {
                host: uri.host().unwrap_or_default().to_owned(),
                address,
                class,
            }))),
            (true, None) => Err(ureq::Error::HostNotFound),
            (false, _) => Ok(kept),
        }
    }
}

impl Fetch for HttpClient {
    fn fetch(&self, url: &str, accept: &str) -> Result<std::sync::Arc<FetchedResponse>, NetError> {
        self.get(url, accept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(config: NetConfig) -> HttpClient {
        HttpClient::new(config)
    }

    #[test]
    fn url_rules() {
        let strict = client(NetConfig::default());
        assert!(
            matches!(strict.check_url("ftp://example.org/x"), Err(NetError::Scheme(s)) if s == "ftp")
        );
        assert!(matches!(
            strict.check_url("file:///etc/passwd"),
            Err(NetError::Scheme(_))
        ));
        assert!(matches!(
            strict.check_url("http://example.org/"),
            Err(NetError::PlainHttp(_))
        ));
        assert!(matches!(
            strict.check_url("https://u:p@example.org/"),
            Err(NetError::Credentials)
        ));
        assert!(matches!(
            strict.check_url("not a url"),
            Err(NetError::InvalidUrl(_))
        ));
        let url = strict
            .check_url("https://example.org/a#key-1")
            .expect("valid");
        assert_eq!(url.as_str(), "https://example.org/a");
        let lax = client(NetConfig {
            allow_http: true,
            ..NetConfig::default()
        });
        assert!(lax.check_url("http://example.org/").is_ok());
    }

    #[test]
    fn guard_permits_by_class_and_exceptions() {
        let loopback: IpAddr = "127.0.0.1".parse().expect("ip");
        let metadata: IpAddr = "169.254.169.254".parse().expect("ip");
        let strict = GuardedResolver {
            allow_private: false,
            allowed: vec![loopback, metadata],
            names: NameCache::default(),
        };
        assert!(strict.permits(loopback).is_ok(), "listed exception");
        assert_eq!(
            strict.permits("127.0.0.2".parse().expect("ip")),
            Err(AddressClass::Loopback)
        );
        assert_eq!(strict.permits(metadata), Err(AddressClass::CloudMetadata));
        assert!(strict.permits("8.8.8.8".parse().expect("ip")).is_ok());
    }

    #[test]
    fn media_type_drops_parameters() {
        let response = FetchedResponse {
            url: String::new(),
            status: 200,
            content_type: Some("Application/JSON; charset=utf-8".into()),
            body: Vec::new(),
        };
        assert_eq!(response.media_type().as_deref(), Some("application/json"));
    }
}

//! [`NetworkResolver`]: the [`Resolver`] the verifier service and CLI use,
//! pinned documents and did:key / did:jwk first, then the network.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};

use base64::Engine as _;
use keys::did;
use keys::resolver::{OfflineResolver, ResolveError, Resolver};
use serde_json::Value;

use super::client::{HttpClient, ACCEPT_JSON};
use super::types::{Fetch, FetchedResponse, NetError};
use crate::ob2::{HostedAnswer, HostedFetch};

/// Resolves DIDs and URLs to JSON documents: first through an
/// [`OfflineResolver`] (pinned documents from `--resolver-map`, generated
/// did:key and did:jwk documents), then over HTTP(S) through the guarded
/// [`HttpClient`]: did:web by its `did.json` URL, `http(s)` URLs as they are.
///
/// A fetched body that is not JSON but a compact JWS (a VC-JWT credential or
/// a JWT status list) is returned as a JSON string. As a [`HostedFetch`], it
/// also reports a `410 Gone` (a revoked hosted Open Badges 2.0 assertion).
#[derive(Debug, Clone)]
pub struct NetworkResolver {
    offline: OfflineResolver,
    client: Arc<HttpClient>,
    parsed: Arc<Parsed>,
}

/// The most parsed documents kept.
const MAX_PARSED: usize = 256;

/// Documents parsed from the client's responses, kept by response: a
/// response kept in the client's cache, fresh or revalidated (`304`), is
/// the same `Arc` each time, and its JSON need not be parsed again (a status
/// list is tens of kilobytes). A new response is parsed anew. The `Weak`
/// keeps the response's allocation, so its address cannot be reused for
/// another while the entry exists.
#[derive(Debug, Default)]
struct Parsed {
    documents: Mutex<HashMap<usize, (Weak<FetchedResponse>, Value)>>,
}

impl Parsed {
    /// The document in `response`, parsed once per response.
    fn document(&self, id: &str, response: &Arc<FetchedResponse>) -> Result<Value, ResolveError> {
        let key = Arc::as_ptr(response) as usize;
        let this = Arc::downgrade(response);
        if let Some((kept, value)) = self.lock().get(&key) {
            if kept.ptr_eq(&this) {
                return Ok(value.clone());
            }
        }
        let value = document(id, response)?;
        let mut documents = self.lock();
        if documents.len() >= MAX_PARSED {
            documents.retain(|_, (kept, _)| kept.strong_count() > 0);
            if documents.len() >= MAX_PARSED {
                documents.clear();
            }
        }
        documents.insert(key, (this, value.clone()));
        Ok(value)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<usize, (Weak<FetchedResponse>, Value)>> {
        // Every update is one map operation: a panicking holder leaves it whole.
        self.documents
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl NetworkResolver {
    /// A resolver consulting `offline` first, then fetching with `client`.
    pub fn new(offline: OfflineResolver, client: Arc<HttpClient>) -> Self {
        NetworkResolver {
            offline,
            client,
            parsed: Arc::default(),
        }
    }

    /// The HTTP client, for fetches that are not documents (badge images,
    /// hosted Open Badges 2.0 assertions whose 410 status matters).
    pub fn client(&self) -> &Arc<HttpClient> {
        &self.client
    }

    /// This resolver without the network: what it knows offline and what
    /// its client has fresh in cache, nothing more.
    pub fn at_hand(&self) -> AtHand<'_> {
        AtHand {
            resolver: self,
            missed: AtomicBool::new(false),
        }
    }

    /// Whether `id` resolves without the network: pinned, generated, or
    /// fresh in the cache (or refused before any fetch).
    pub fn is_at_hand(&self, id: &str) -> bool {
        let view = self.at_hand();
        let _ = view.resolve(id);
        !view.missed()
    }

    /// [`Resolver::resolve`], fetching through `fetch`.
    fn resolve_through(&self, fetch: &dyn Fetch, id: &str) -> Result<Value, ResolveError> {
        match self.offline.resolve(id) {
            Err(ResolveError::NotFound(_)) => {}
            known => return known,
        }
        let base = did::without_fragment(id);
        if base.starts_with("did:web:") {
            let url = self.did_web_url(base)?;
            return self.fetch_document(fetch, base, url.as_str());
        }
        if base.starts_with("https://") || base.starts_with("http://") {
            return self.fetch_document(fetch, base, base);
        }
        Err(ResolveError::InvalidIdentifier {
            id: base.to_owned(),
            reason: "only did:key, did:jwk, did:web and http(s) URLs are resolved".to_owned(),
        })
    }

    /// Where the `did.json` of a did:web is fetched: over https, as the DID
    /// method requires, except for a loopback host when this resolver may
    /// reach private addresses over plain http (`verifier serve
    /// --allow-private` beside a local issuer on `http://127.0.0.1:8080`),
    /// where the same path is asked over http.
    fn did_web_url(&self, did: &str) -> Result<url::Url, ResolveError> {
        let mut url = did::did_web_url(did).map_err(|error| ResolveError::InvalidIdentifier {
            id: did.to_owned(),
            reason: error.to_string(),
        })?;
        let config = self.client.config();
        if config.allow_private && config.allow_http && is_loopback_host(&url) {
            // Only the scheme changes: host, port and path stay the DID's.
            let _ = url.set_scheme("http");
        }
        Ok(url)
    }

    /// Where the document of `id` is fetched from, when it is fetched at all
    /// (not pinned, not generated).
    fn source_url(&self, id: &str) -> Option<String> {
        let base = did::without_fragment(id);
        if !matches!(self.offline.resolve(base), Err(ResolveError::NotFound(_))) {
            return None;
        }
        if base.starts_with("did:web:") {
            return self.did_web_url(base).ok().map(String::from);
        }
        (base.starts_with("https://") || base.starts_with("http://")).then(|| base.to_owned())
    }

    /// Fetches the JSON document (or compact JWS) at `url` for `id`.
    fn fetch_document(
        &self,
        fetch: &dyn Fetch,
        id: &str,
        url: &str,
    ) -> Result<Value, ResolveError> {
        let response = fetch
            .fetch(url, ACCEPT_JSON)
            .map_err(|error| unavailable(id, &error))?;
        match response.status {
            200 => self.parsed.document(id, &response),
            404 | 410 => Err(ResolveError::NotFound(id.to_owned())),
            status => Err(unavailable(id, &NetError::Status(status))),
        }
    }

    /// [`HostedFetch::fetch_hosted`], fetching through `fetch`.
    fn fetch_hosted_through(
        &self,
        fetch: &dyn Fetch,
        url: &str,
    ) -> Result<HostedAnswer, ResolveError> {
        match self.offline.resolve(url) {
            Err(ResolveError::NotFound(_)) => {}
            known => return known.map(HostedAnswer::Document),
        }
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return self.resolve_through(fetch, url).map(HostedAnswer::Document);
        }
        let response = fetch
            .fetch(url, ACCEPT_JSON)
            .map_err(|error| unavailable(url, &error))?;
        match response.status {
            200 => document(url, &response).map(HostedAnswer::Document),
            410 => Ok(HostedAnswer::Gone {
                body: serde_json::from_slice::<Value>(&response.body)
                    .ok()
                    .filter(Value::is_object),
            }),
            404 => Err(ResolveError::NotFound(url.to_owned())),
            status => Err(unavailable(url, &NetError::Status(status))),
        }
    }
}

impl Resolver for NetworkResolver {
    fn resolve(&self, id: &str) -> Result<Value, ResolveError> {
        self.resolve_through(self.client.as_ref(), id)
    }

    /// Forgets the cached document of `id` (its `did.json` for a did:web).
    fn refresh(&self, id: &str) -> bool {
        self.source_url(id)
            .is_some_and(|url| self.client.forget(&url, ACCEPT_JSON))
    }
}

impl HostedFetch for NetworkResolver {
    /// As [`Resolver::resolve`] (pinned documents first), except that a
    /// `410 Gone` answer is [`HostedAnswer::Gone`]: a revoked hosted
    /// Open Badges 2.0 assertion.
    fn fetch_hosted(&self, url: &str) -> Result<HostedAnswer, ResolveError> {
        self.fetch_hosted_through(self.client.as_ref(), url)
    }
}

impl Fetch for NetworkResolver {
    fn fetch(&self, url: &str, accept: &str) -> Result<Arc<FetchedResponse>, NetError> {
        self.client.get(url, accept)
    }
}

/// A [`NetworkResolver`] that never waits on the network: pinned and
/// generated documents and fresh cached responses only. A fetch it cannot
/// answer fails and is remembered ([`AtHand::missed`]), so that the caller
/// can throw the result away and do the work again with the network.
///
/// The verifier service verifies with it on the request's own thread, and
/// goes to the blocking pool only when something must be fetched.
#[derive(Debug)]
pub struct AtHand<'a> {
    resolver: &'a NetworkResolver,
    missed: AtomicBool,
}

impl AtHand<'_> {
    /// Whether some fetch needed the network (its answer was an error).
    pub fn missed(&self) -> bool {
        self.missed.load(Ordering::Relaxed)
    }
}

impl Fetch for AtHand<'_> {
    fn fetch(&self, url: &str, accept: &str) -> Result<Arc<FetchedResponse>, NetError> {
        self.resolver.client.cached(url, accept).ok_or_else(|| {
            self.missed.store(true, Ordering::Relaxed);
            NetError::NotCached(url.to_owned())
        })
    }
}

impl Resolver for AtHand<'_> {
    fn resolve(&self, id: &str) -> Result<Value, ResolveError> {
        self.resolver.resolve_through(self, id)
    }

    /// Asking the source again needs the network: when a copy is kept, the
    /// view records a miss (so that the work is done again with the network,
    /// where [`NetworkResolver::refresh`] drops it) and answers `false`.
    fn refresh(&self, id: &str) -> bool {
        let kept = self
            .resolver
            .source_url(id)
            .is_some_and(|url| self.resolver.client.holds(&url, ACCEPT_JSON));
        if kept {
            self.missed.store(true, Ordering::Relaxed);
        }
        false
    }
}

impl HostedFetch for AtHand<'_> {
    fn fetch_hosted(&self, url: &str) -> Result<HostedAnswer, ResolveError> {
        self.resolver.fetch_hosted_through(self, url)
    }
}

/// Whether the URL's host is a loopback address or `localhost`.
fn is_loopback_host(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => {
            name.eq_ignore_ascii_case("localhost")
                || name.to_ascii_lowercase().ends_with(".localhost")
        }
        None => false,
    }
}

/// A fetch failure as a [`ResolveError`].
fn unavailable(id: &str, error: &NetError) -> ResolveError {
    ResolveError::Unavailable {
        id: id.to_owned(),
        reason: error.to_string(),
    }
}

/// The body as a JSON value, or as a JSON string when it is a compact JWS.
fn document(id: &str, response: &FetchedResponse) -> Result<Value, ResolveError> {
    if let Ok(value) = serde_json::from_slice::<Value>(&response.body) {
        return Ok(value);
    }
    let text = std::str::from_utf8(&response.body)
        .map(str::trim)
        .unwrap_or_default();
    if is_compact_jws(text) {
        return Ok(Value::String(text.to_owned()));
    }
    let media = response
        .media_type()
        .unwrap_or_else(|| "no content type".to_owned());
    Err(ResolveError::InvalidDocument {
        id: id.to_owned(),
        reason: format!("the response ({media}) is neither JSON nor a compact JWS"),
    })
}

/// Whether `text` has the shape of a compact JWS: three base64url segments,
/// the first two non-empty and the header a JSON object.
fn is_compact_jws(text: &str) -> bool {
    let segments: Vec<&str> = text.split('.').collect();
    let base64url = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if segments.len() != 3 || segments[..2].iter().any(|s| s.is_empty()) {
        return false;
    }
    if !segments.iter().all(|s| base64url(s)) {
        return false;
    }
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(segments[0])
        .ok()
        .and_then(|header| serde_json::from_slice::<Value>(&header).ok())
        .is_some_and(|header| header.is_object())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(content_type: &str, body: &str) -> FetchedResponse {
        FetchedResponse {
            url: "https://example.org/c".into(),
            status: 200,
            content_type: Some(content_type.into()),
            body: body.as_bytes().to_vec(),
        }
    }

    const JWS: &str = "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJ4In0.c2ln";

    #[test]
    fn json_and_jws_bodies() {
        let json = document("x", &response("application/json", r#"{"a":1}"#)).expect("json");
        assert_eq!(json["a"], 1);
        let jws = document("x", &response("application/jwt", &format!("{JWS}\n"))).expect("jws");
        assert_eq!(jws, Value::String(JWS.into()));
        assert!(matches!(
            document("x", &response("text/html", "<html>")),
            Err(ResolveError::InvalidDocument { .. })
        ));
    }

    fn resolver(allow: bool) -> NetworkResolver {
        let config = super::super::NetConfig {
            allow_private: allow,
            allow_http: allow,
            ..Default::default()
        };
        NetworkResolver::new(OfflineResolver::new(), Arc::new(HttpClient::new(config)))
    }

    #[test]
    fn did_web_is_https_except_on_loopback_when_private_addresses_are_allowed() {
        let url =
            |resolver: &NetworkResolver, did: &str| resolver.did_web_url(did).map(String::from);
        let local = "did:web:127.0.0.1%3A8080:orgs:demo";
        assert_eq!(
            url(&resolver(true), local).unwrap(),
            "http://127.0.0.1:8080/orgs/demo/did.json"
        );
        assert_eq!(
            url(&resolver(true), "did:web:localhost%3A9000").unwrap(),
            "http://localhost:9000/.well-known/did.json"
        );
        assert_eq!(
            url(&resolver(false), local).unwrap(),
            "https://127.0.0.1:8080/orgs/demo/did.json",
            "a public deployment never downgrades"
        );
        for public in [
            "did:web:badges.example.org:orgs:demo",
            "did:web:10.0.0.8:orgs:demo",
        ] {
            assert!(
                url(&resolver(true), public)
                    .unwrap()
                    .starts_with("https://"),
                "{public}: only loopback is asked over http"
            );
        }
    }

    #[test]
    fn a_response_is_parsed_once_and_a_new_one_again() {
        let parsed = Parsed::default();
        let first = Arc::new(response("application/json", r#"{"a":1}"#));
        assert_eq!(parsed.document("x", &first).unwrap()["a"], 1);
        assert_eq!(parsed.lock().len(), 1);
        assert_eq!(parsed.document("x", &first).unwrap()["a"], 1);
        assert_eq!(
            parsed.lock().len(),
            1,
            "the same response is not parsed again"
        );
        let second = Arc::new(response("application/json", r#"{"a":2}"#));
        assert_eq!(parsed.document("x", &second).unwrap()["a"], 2);
        drop(first);
        let third = Arc::new(response("application/json", r#"{"a":3}"#));
        assert_eq!(parsed.document("x", &third).unwrap()["a"], 3);
        for _ in 0..MAX_PARSED {
            let other = Arc::new(response("application/json", r#"{"b":0}"#));
            parsed.document("x", &other).unwrap();
        }
        assert!(parsed.lock().len() <= MAX_PARSED);
        assert_eq!(parsed.document("x", &second).unwrap()["a"], 2);
    }

    #[test]
    fn compact_jws_shape() {
        assert!(is_compact_jws(JWS));
        assert!(is_compact_jws("eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJ4In0."));
        assert!(!is_compact_jws("a.b"));
        assert!(!is_compact_jws("eyJhbGciOiJFZERTQSJ9..c2ln"));
        assert!(
            !is_compact_jws("bm90IGpzb24.eyJpc3MiOiJ4In0.c2ln"),
            "header not JSON"
        );
        assert!(!is_compact_jws("eyJhbGciOiJFZERTQSJ9.eyJ pc3M.c2ln"));
    }

    /// A resolver with one pinned profile and the default (safe) network.
    fn pinned_profile() -> NetworkResolver {
        let client = Arc::new(HttpClient::new(crate::net::NetConfig::default()));
        let mut offline = OfflineResolver::new();
        offline.insert(
            "https://issuer.example/profile",
            serde_json::json!({"id": "p"}),
        );
        NetworkResolver::new(offline, client)
    }

    #[test]
    fn offline_first_then_refuses_unknown_schemes() {
        let resolver = pinned_profile();
        assert_eq!(
            resolver
                .resolve("https://issuer.example/profile")
                .expect("pinned")["id"],
            "p"
        );
        assert!(matches!(
            resolver.resolve("urn:uuid:1234"),
            Err(ResolveError::InvalidIdentifier { .. })
        ));
        assert!(matches!(
            resolver.resolve("did:example:123"),
            Err(ResolveError::InvalidIdentifier { .. })
        ));
        assert!(matches!(
            resolver.resolve("did:key:zNotAKey"),
            Err(ResolveError::InvalidIdentifier { .. })
        ));
    }

    #[test]
    fn at_hand_answers_what_is_known_and_remembers_what_is_not() {
        let resolver = pinned_profile();
        let at_hand = resolver.at_hand();
        assert_eq!(
            at_hand
                .resolve("https://issuer.example/profile")
                .expect("pinned")["id"],
            "p"
        );
        assert!(!at_hand.missed(), "a pinned document is at hand");
        assert!(matches!(
            at_hand.resolve("did:example:123"),
            Err(ResolveError::InvalidIdentifier { .. })
        ));
        assert!(!at_hand.missed(), "a refused identifier needs no fetch");
        assert!(matches!(
            at_hand.resolve("did:web:issuer.example"),
            Err(ResolveError::Unavailable { .. })
        ));
        assert!(
            at_hand.missed(),
            "an uncached did:web document needs a fetch"
        );
        let other = resolver.at_hand();
        assert!(other.fetch_hosted("https://issuer.example/c/1").is_err());
        assert!(other.missed());
        assert!(resolver.is_at_hand("https://issuer.example/profile"));
        assert!(
            resolver.is_at_hand("did:example:123"),
            "refused, not fetched"
        );
        assert!(!resolver.is_at_hand("https://issuer.example/status/1"));
    }
}

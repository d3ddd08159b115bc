//! How Open Badges 2.0 documents are found: hosted assertions through a
//! [`HostedFetch`] (which tells a `410 Gone` apart from a missing document),
//! BadgeClasses, issuer Profiles, keys and revocation lists through the
//! [`Resolver`], whether they are given as URLs or embedded.

use keys::resolver::{ResolveError, Resolver};
use serde_json::Value;

use crate::view::{is_http, node_id};

/// What a hosted assertion's URL answered.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum HostedAnswer {
    /// The document served (`200`): a JSON object, or a compact JWS as a
    /// JSON string.
    Document(Value),
    /// `410 Gone`: the issuer revoked the assertion (OB 2.0 §Verification,
    /// hosted). The body, when it is a JSON object (it may hold the assertion
    /// and its `revocationReason`).
    Gone {
        /// The response body, when it is a JSON object.
        body: Option<Value>,
    },
}

/// Fetches hosted Open Badges 2.0 assertions. Unlike [`Resolver::resolve`],
/// which cannot tell `404` from `410`, an implementation reports a
/// `410 Gone` answer as [`HostedAnswer::Gone`]: for a hosted assertion it
/// means "revoked" (`verifier::net::NetworkResolver` implements it).
pub trait HostedFetch {
    /// What `url` answers.
    fn fetch_hosted(&self, url: &str) -> Result<HostedAnswer, ResolveError>;
}

/// A [`HostedFetch`] on any [`Resolver`]: documents only, so a `410 Gone`
/// reads as an unavailable assertion (never as a current one), and an
/// assertion is known revoked only by its `"revoked": true`.
#[derive(Clone, Copy)]
pub struct ResolverOnly<'a>(pub &'a dyn Resolver);

impl HostedFetch for ResolverOnly<'_> {
    fn fetch_hosted(&self, url: &str) -> Result<HostedAnswer, ResolveError> {
        self.0.resolve(url).map(HostedAnswer::Document)
    }
}

/// A document fetched from `url`: a JSON object whose `id`, when it has
/// one, is `url` itself (a document cannot speak for another address).
pub(super) fn fetch_object(
    resolver: &dyn Resolver,
    url: &str,
    what: &str,
) -> Result<Value, String> {
    let document = resolver
        .resolve(url)
        .map_err(|e| format!("the {what} cannot be read: {e}"))?;
    if !document.is_object() {
        return Err(format!("the {what} at {url} is not a JSON object"));
    }
    match document.get("id").and_then(Value::as_str) {
        Some(id) if id != url => Err(format!("the {what} fetched from {url} names itself {id}")),
        _ => Ok(document),
    }
}

/// The host (and port, when not the scheme's default) of a URL, lowercased.
pub(super) fn host_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

/// A BadgeClass or an issuer Profile, and where it was read.
#[derive(Debug, Clone)]
pub(super) struct Described {
    /// The document.
    pub(super) document: Value,
    /// The URL it was fetched from; `None` when embedded.
    pub(super) url: Option<String>,
    /// Its declared `id`, when it differs from the URL it was fetched from.
    pub(super) renamed: Option<String>,
}

/// A BadgeClass or issuer Profile fetched from `url`. Unlike
/// [`fetch_object`], its declared `id` may differ from `url` when it is on
/// the same host (`http` for `https`, a moved path) or is not an http(s)
/// URL at all (`urn:uuid`), as Badgr, edubadges and 1EdTech's validator
/// accept (with a warning, `renamed`); an http(s) `id` on another host is
/// refused: that server cannot speak for another.
fn fetch_described(resolver: &dyn Resolver, url: &str, what: &str) -> Result<Described, String> {
    let document = resolver
        .resolve(url)
        .map_err(|e| format!("the {what} cannot be read: {e}"))?;
    if !document.is_object() {
        return Err(format!("the {what} at {url} is not a JSON object"));
    }
    let renamed = match document.get("id").and_then(Value::as_str) {
        Some(id) if id != url => {
            if is_http(id) && host_of(id) != host_of(url) {
                return Err(format!(
                    "the {what} fetched from {url} names itself {id}, on another host"
                ));
            }
            Some(id.to_owned())
        }
        _ => None,
    };
    Ok(Described {
        document,
        url: Some(url.to_owned()),
        renamed,
    })
}

/// A BadgeClass or issuer Profile given as a URL (fetched, see
/// [`fetch_described`]) or embedded (taken as given, unless `authoritative`
/// asks for the copy its `id` serves).
pub(super) fn described(
    value: Option<&Value>,
    resolver: &dyn Resolver,
    what: &str,
    authoritative: bool,
) -> Result<Described, String> {
    match value {
        None | Some(Value::Null) => Err(format!("no {what} is given")),
        Some(Value::String(url)) => fetch_described(resolver, url, what),
        Some(embedded @ Value::Object(_)) if !authoritative => Ok(Described {
            document: embedded.clone(),
            url: None,
            renamed: None,
        }),
        Some(embedded @ Value::Object(_)) => match node_id(Some(embedded)) {
            Some(id) if is_http(id) => fetch_described(resolver, id, what),
            _ => Err(format!("the {what} has no http(s) id to read it from")),
        },
        Some(_) => Err(format!("the {what} is neither a URL nor an object")),
    }
}

/// A node given as a URL (fetched) or embedded (taken as given, unless
/// `authoritative` asks for the copy its `id` serves).
pub(super) fn node(
    value: Option<&Value>,
    resolver: &dyn Resolver,
    what: &str,
    authoritative: bool,
) -> Result<Value, String> {
    match value {
        None | Some(Value::Null) => Err(format!("no {what} is given")),
        Some(Value::String(url)) => fetch_object(resolver, url, what),
        Some(embedded @ Value::Object(_)) if !authoritative => Ok(embedded.clone()),
        Some(embedded @ Value::Object(_)) => match node_id(Some(embedded)) {
            Some(id) if is_http(id) => fetch_object(resolver, id, what),
            _ => Err(format!("the {what} has no http(s) id to read it from")),
        },
        Some(_) => Err(format!("the {what} is neither a URL nor an object")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keys::OfflineResolver;
    use serde_json::json;

    #[test]
    fn nodes_are_fetched_embedded_or_refused() {
        let mut resolver = OfflineResolver::new();
        resolver.insert("https://a.example/i", json!({"id": "https://a.example/i"}));
        resolver.insert(
            "https://a.example/liar",
            json!({"id": "https://b.example/i"}),
        );
        let url = json!("https://a.example/i");
        assert!(node(Some(&url), &resolver, "Profile", false).is_ok());
        let liar = json!("https://a.example/liar");
        assert!(node(Some(&liar), &resolver, "Profile", false).is_err());
        let embedded = json!({"id": "https://a.example/i", "name": "x"});
        assert_eq!(
            node(Some(&embedded), &resolver, "Profile", false).unwrap()["name"],
            "x"
        );
        let fetched = node(Some(&embedded), &resolver, "Profile", true).unwrap();
        assert!(fetched.get("name").is_none(), "the served copy wins");
        assert!(node(None, &resolver, "Profile", false).is_err());
        assert!(node(Some(&json!(3)), &resolver, "Profile", false).is_err());
    }

    #[test]
    fn a_described_node_may_name_itself_on_the_same_host_only() {
        let mut resolver = OfflineResolver::new();
        let moved = "http://a.example/old";
        resolver.insert(moved, json!({"id": "https://a.example/i"}));
        let uuid = "https://a.example/uuid";
        resolver.insert(
            uuid,
            json!({"id": "urn:uuid:2d391246-6e0d-4dab-906c-b29770bd7aa6"}),
        );
        let liar = "https://a.example/liar";
        resolver.insert(liar, json!({"id": "https://b.example/i"}));
        let read = |url: &str| described(Some(&json!(url)), &resolver, "Profile", false);
        let found = read(moved).unwrap();
        assert_eq!(found.renamed.as_deref(), Some("https://a.example/i"));
        assert_eq!(found.url.as_deref(), Some(moved));
        assert!(read(uuid).unwrap().renamed.is_some());
        assert!(read(liar).unwrap_err().contains("another host"));
        let embedded = json!({"id": "urn:uuid:1", "name": "x"});
        let found = described(Some(&embedded), &resolver, "Profile", false).unwrap();
        assert!(found.url.is_none() && found.renamed.is_none());
    }
}

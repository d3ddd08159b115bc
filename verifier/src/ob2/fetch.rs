//! How Open Badges 2.0 documents are found: hosted assertions through a
//! [`HostedFetch`] (which tells a `410 Gone` apart from a missing document),
//! BadgeClasses, issuer Profiles, keys and revocation lists through the
//! [`Resolver`], whether they are given as URLs or embedded.

use keys::resolver::{ResolveError, Resolver};
use serde_json::Value;

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

/// Whether `text` is an http(s) URL.
pub(super) fn is_http(text: &str) -> bool {
    url::Url::parse(text).is_ok_and(|url| matches!(url.scheme(), "http" | "https"))
}

/// The id of a node given as an IRI or as an object with an `id`.
pub(super) fn node_id(value: Option<&Value>) -> Option<&str> {
    match value? {
        Value::String(id) => Some(id),
        Value::Object(object) => object.get("id").and_then(Value::as_str),
        _ => None,
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
}

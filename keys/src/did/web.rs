//! did:web (<https://w3c-ccg.github.io/did-method-web/>): the mapping between a DID
//! and the https URL of its `did.json`, and generation of an issuer's document.
//!
//! `did:web:example.com` <-> `https://example.com/.well-known/did.json`;
//! `did:web:example.com:orgs:abc` <-> `https://example.com/orgs/abc/did.json`;
//! a port is percent-encoded: `did:web:localhost%3A8443`.

use percent_encoding::percent_decode_str;
use serde_json::Value;
use url::Url;

use super::{
    without_fragment, DidDocument, DidError, VerificationMethod, DID_CONTEXT, JWK_CONTEXT,
    MULTIKEY_CONTEXT,
};
use crate::keypair::PublicKey;

/// Characters that would change the URL's structure if they reached it unencoded.
const FORBIDDEN: &[char] = &['/', '?', '#', '@', '\\', ' '];

/// The https URL of the `did.json` of a did:web (a fragment, if any, is ignored).
pub fn did_web_url(did: &str) -> Result<Url, DidError> {
    let invalid = |reason: &str| DidError::InvalidDidWeb {
        input: did.into(),
        reason: reason.into(),
    };
    let specific = without_fragment(did)
        .strip_prefix("did:web:")
        .ok_or_else(|| DidError::WrongMethod {
            did: did.into(),
            method: "web",
        })?;
    let mut parts = specific.split(':');
    let host = percent_decode_str(parts.next().unwrap_or(""))
        .decode_utf8()
        .map_err(|_| invalid("the host is not UTF-8"))?;
    if host.is_empty() || host.contains(FORBIDDEN) {
        return Err(invalid("the host is empty or contains a URL delimiter"));
    }
    let segments: Vec<&str> = parts.collect();
    for segment in &segments {
        let decoded = percent_decode_str(segment).decode_utf8_lossy();
        if segment.is_empty() || segment.contains(FORBIDDEN) || decoded == "." || decoded == ".." {
            return Err(invalid(
                "a path segment is empty, a dot segment or holds a delimiter",
            ));
        }
    }
    let path = if segments.is_empty() {
        ".well-known".to_owned()
    } else {
        segments.join("/")
    };
    let url = Url::parse(&format!("https://{host}/{path}/did.json"))
        .map_err(|e| invalid(&e.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() || url.host_str().is_none() {
        return Err(invalid("the host is not a plain host[:port]"));
    }
    Ok(url)
}

/// The did:web for an https URL: either the URL of a `did.json` (as returned by
/// [`did_web_url`]) or the base URL the DID stands for (`https://example.com/orgs/abc`).
pub fn did_web_from_url(url: &str) -> Result<String, DidError> {
    let invalid = |reason: &str| DidError::InvalidDidWeb {
        input: url.into(),
        reason: reason.into(),
    };
    let parsed = Url::parse(url).map_err(|e| invalid(&e.to_string()))?;
    if parsed.scheme() != "https" {
        return Err(invalid("did:web URLs are https"));
    }
    if !parsed.username().is_empty()
        || parsed.password().is_some()
        || parsed.query().is_some()
        || parsed.fragment().is_some()
    {
        return Err(invalid(
            "user info, query and fragment have no did:web form",
        ));
    }
    let host = parsed.host_str().ok_or_else(|| invalid("no host"))?;
    let mut did = format!("did:web:{host}");
    if let Some(port) = parsed.port() {
        did.push_str(&format!("%3A{port}"));
    }
    let path = parsed.path();
    let path = path
        .strip_suffix("/.well-known/did.json")
        .or_else(|| path.strip_suffix("/did.json"))
        .unwrap_or(path)
        .trim_end_matches('/');
    for segment in path.split('/').skip(1) {
        if segment.is_empty() {
            return Err(invalid("empty path segment"));
        }
        did.push(':');
        did.push_str(&segment.replace(':', "%3A"));
    }
    Ok(did)
}

/// A did:web DID document listing `keys` (fragment, key) under `verificationMethod`
/// and `assertionMethod`, each controlled by the DID: Ed25519 keys as Multikey, RSA
/// and P-256 keys as JsonWebKey.
pub fn did_web_document(did: &str, keys: &[(&str, &PublicKey)]) -> Result<Value, DidError> {
    did_web_url(did)?;
    let did = without_fragment(did);
    let methods = keys
        .iter()
        .map(|(fragment, key)| {
            let id = format!("{did}#{}", fragment.trim_start_matches('#'));
            VerificationMethod::of_key(&id, did, key)
        })
        .collect();
    Ok(DidDocument::new(&[DID_CONTEXT, MULTIKEY_CONTEXT, JWK_CONTEXT], did, methods).to_value())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_smuggled_hosts_and_segments() {
        for did in [
            "did:web:",
            "did:web:evil.com%2F@good.com",
            "did:web:example.com:..",
            "did:web:example.com::a",
            "did:web:user%40example.com",
        ] {
            assert!(
                matches!(did_web_url(did), Err(DidError::InvalidDidWeb { .. })),
                "{did}"
            );
        }
        assert!(matches!(
            did_web_url("did:key:z6Mk"),
            Err(DidError::WrongMethod { .. })
        ));
        assert!(did_web_from_url("http://example.com/did.json").is_err());
    }
}

//! The JSON-LD contexts this project knows, bundled into the binary.
//!
//! Verification must never depend on the network for a context: a context
//! fetched at verification time could be changed by whoever serves it and would
//! silently change what a signature covers. Each context is therefore compiled
//! in and looked up by its URL identity; an unknown URL is refused.
//! Provenance of every file: `../shared/spec/SOURCES.md`, and
//! `schemas/data/contexts/README.md` for those added since.

/// One bundled JSON-LD context: the URL it is known by and its JSON text.
#[derive(Debug, Clone, Copy)]
pub struct BundledContext {
    /// The URL identity of the context, as it appears in `@context`.
    pub url: &'static str,
    /// The context document, byte for byte as published.
    pub document: &'static str,
}

macro_rules! bundled {
    ($url:expr, $file:expr) => {
        BundledContext {
            url: $url,
            document: include_str!(concat!("../data/contexts/", $file)),
        }
    };
}

/// Every context the offline loader serves.
pub const BUNDLED_CONTEXTS: &[BundledContext] = &[
    bundled!(
        "https://www.w3.org/ns/credentials/v2",
        "w3c-credentials-v2.jsonld"
    ),
    bundled!(
        "https://www.w3.org/2018/credentials/v1",
        "w3c-credentials-v1.jsonld"
    ),
    bundled!(
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "ob-v3p0-context-3.0.3.json"
    ),
    bundled!(
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
        "ob-v3p0-context-3.0.2.json"
    ),
    bundled!(
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
        "ob-v3p0-context-3.0.1.json"
    ),
    bundled!(
        "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
        "ob-v3p0-context-unversioned.json"
    ),
    bundled!(
        "https://purl.imsglobal.org/spec/ob/v3p0/context/ob_v3p0.jsonld",
        "ob-v3p0-context-unversioned.json"
    ),
    bundled!(
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
        "ob-v3p0-extensions.json"
    ),
    bundled!(
        "https://w3id.org/openbadges/v2",
        "ob-v2p0-context.w3id.json"
    ),
    bundled!(
        "https://openbadgespec.org/v2/context.json",
        "ob-v2p0-context.openbadgespec-org.json"
    ),
    bundled!(
        "https://www.w3.org/ns/credentials/examples/v2",
        "w3c-credentials-examples-v2.jsonld"
    ),
    bundled!(
        "https://www.w3.org/2018/credentials/examples/v1",
        "w3c-credentials-examples-v1.jsonld"
    ),
    bundled!(
        "https://www.w3.org/ns/credentials/undefined-terms/v2",
        "w3c-credentials-undefined-terms-v2.jsonld"
    ),
    bundled!(
        "https://www.w3.org/ns/credentials/status/v1",
        "w3c-credentials-status-v1.jsonld"
    ),
    bundled!(
        "https://w3id.org/security/data-integrity/v2",
        "w3id-security-data-integrity-v2.jsonld"
    ),
    bundled!(
        "https://w3id.org/security/data-integrity/v1",
        "w3id-security-data-integrity-v1.jsonld"
    ),
    bundled!(
        "https://w3id.org/security/multikey/v1",
        "w3id-security-multikey-v1.jsonld"
    ),
    bundled!(
        "https://w3id.org/security/jwk/v1",
        "w3id-security-jwk-v1.jsonld"
    ),
    bundled!(
        "https://w3id.org/security/suites/ed25519-2020/v1",
        "w3id-security-suites-ed25519-2020-v1.jsonld"
    ),
    bundled!("https://www.w3.org/ns/did/v1", "w3c-did-v1.jsonld"),
    // Legacy Ed25519Signature2018 proofs: their proof options are canonicalised with
    // security v2, which imports v1 (keys::di, Ed25519Signature2018).
    bundled!("https://w3id.org/security/v1", "w3id-security-v1.jsonld"),
    bundled!("https://w3id.org/security/v2", "w3id-security-v2.jsonld"),
    bundled!(
        "https://w3id.org/security/suites/ed25519-2018/v1",
        "w3id-security-suites-ed25519-2018-v1.jsonld"
    ),
    // Imported by credentials/examples/v1 (Digital Bazaar's Ed25519Signature2018 vector).
    bundled!("https://www.w3.org/ns/odrl.jsonld", "w3-ns-odrl.jsonld"),
    // The W3C vc-di-ecdsa test vectors (ecdsa-rdfc-2019, ecdsa-sd-2023).
    bundled!(
        "https://w3id.org/citizenship/v4rc1",
        "w3id-citizenship-v4rc1.jsonld"
    ),
];

/// The document of a bundled context, or `None` when the URL is not one we know.
///
/// The match is exact on the URL identity; a trailing `#fragment` is ignored, as
/// JSON-LD processors do when dereferencing.
pub fn bundled_context(url: &str) -> Option<&'static BundledContext> {
    let url = url.split('#').next().unwrap_or(url);
    BUNDLED_CONTEXTS.iter().find(|context| context.url == url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_context_is_json_with_a_context() {
        for context in BUNDLED_CONTEXTS {
            let value: serde_json::Value = serde_json::from_str(context.document)
                .unwrap_or_else(|e| panic!("{} is not JSON: {e}", context.url));
            assert!(
                value.get("@context").is_some(),
                "{} has no @context",
                context.url
            );
        }
    }

    #[test]
    fn unknown_context_is_refused() {
        assert!(bundled_context("https://example.com/evil-context.json").is_none());
        assert!(bundled_context("https://www.w3.org/ns/credentials/v2").is_some());
    }
}

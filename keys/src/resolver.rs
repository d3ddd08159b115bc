//! How verification finds documents: DID documents, key documents, JWKS, issuer
//! profiles and status lists, by DID or URL. All verification I/O goes through the
//! [`Resolver`] trait (STYLE invariant 5), so tests and offline use inject documents.
//!
//! [`OfflineResolver`] resolves did:key and did:jwk by generating their documents, and
//! everything else from a pinned map (`{ "url or did": document }`), typically a JSON
//! file. The networked resolver lives in the verifier service and wraps this trait.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::did::{self, DidError};

/// Resolves an identifier (DID, DID URL or URL) to its JSON document.
///
/// Object-safe and synchronous so that a blocking HTTP client can implement it.
/// A fragment in `id` is ignored: the whole document is returned and the caller picks
/// the fragment out of it.
pub trait Resolver: Send + Sync {
    /// The document identified by `id`.
    fn resolve(&self, id: &str) -> Result<Value, ResolveError>;

    /// Drops a kept copy of the document of `id`, so that the next
    /// [`Resolver::resolve`] asks its source again. `true` when there was one:
    /// asking again may then give something new (a key added by a rotation
    /// since the copy was kept). Resolvers that keep nothing answer `false`.
    fn refresh(&self, id: &str) -> bool {
        let _ = id;
        false
    }
}

/// Why a document could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    /// Nothing is known under this identifier (offline: not pinned; online: 404).
    #[error("no document found for {0:?}")]
    NotFound(String),
    /// The identifier is malformed or of an unsupported scheme or DID method.
    #[error("cannot resolve {id:?}: {reason}")]
    InvalidIdentifier {
        /// The identifier.
        id: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The document exists but could not be fetched (network, timeout, size limit).
    #[error("{id:?} is unavailable: {reason}")]
    Unavailable {
        /// The identifier.
        id: String,
        /// The cause.
        reason: String,
    },
    /// The fetched content is not a JSON document.
    #[error("{id:?} is not a valid document: {reason}")]
    InvalidDocument {
        /// The identifier.
        id: String,
        /// The cause.
        reason: String,
    },
}

/// Errors loading a pinned-document map file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PinnedMapError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The map file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not JSON.
    #[error("{path} is not JSON: {source}")]
    Json {
        /// The map file.
        path: PathBuf,
        /// The parse error.
        source: serde_json::Error,
    },
    /// The JSON is not an object mapping identifiers to documents.
    #[error("{0} must hold a JSON object {{ \"url or did\": document }}")]
    NotAnObject(PathBuf),
}

/// A resolver without network: generated did:key / did:jwk documents, plus pinned
/// documents keyed by URL or DID. A did:web is found under its DID or under the URL
/// of its `did.json`, whichever the map uses.
#[derive(Debug, Clone, Default)]
pub struct OfflineResolver {
    pinned: Map<String, Value>,
}

impl OfflineResolver {
    /// A resolver with no pinned documents (did:key and did:jwk still resolve).
    pub fn new() -> Self {
        Self::default()
    }

    /// A resolver over pinned documents keyed by URL or DID.
    pub fn from_map(pinned: Map<String, Value>) -> Self {
        Self { pinned }
    }

    /// A resolver over the pinned documents of a JSON file
    /// `{ "url or did": document, ... }`.
    pub fn from_map_file(path: &Path) -> Result<Self, PinnedMapError> {
        let text = std::fs::read_to_string(path).map_err(|source| PinnedMapError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let value: Value = serde_json::from_str(&text).map_err(|source| PinnedMapError::Json {
            path: path.to_path_buf(),
            source,
        })?;
        match value {
            Value::Object(pinned) => Ok(Self::from_map(pinned)),
            _ => Err(PinnedMapError::NotAnObject(path.to_path_buf())),
        }
    }

    /// Pins `document` under `id` (a URL or DID), replacing any previous one.
    pub fn insert(&mut self, id: impl Into<String>, document: Value) {
        self.pinned.insert(id.into(), document);
    }

    /// The pinned document of `id`, trying the other did:web spelling too.
    fn pinned(&self, id: &str) -> Option<&Value> {
        if let Some(document) = self.pinned.get(id) {
            return Some(document);
        }
        let alias = if id.starts_with("did:web:") {
            did::did_web_url(id).ok().map(String::from)
        } else if id.starts_with("https://") && id.ends_with("/did.json") {
            did::did_web_from_url(id).ok()
        } else {
            None
        };
        alias.and_then(|alias| self.pinned.get(&alias))
    }
}

impl Resolver for OfflineResolver {
    fn resolve(&self, id: &str) -> Result<Value, ResolveError> {
        let base = did::without_fragment(id);
        if let Some(document) = self.pinned(base) {
            return Ok(document.clone());
        }
        let generated = if base.starts_with("did:key:") {
            did::did_key_document(base)
        } else if base.starts_with("did:jwk:") {
            did::did_jwk_document(base)
        } else {
            return Err(ResolveError::NotFound(base.to_owned()));
        };
        generated.map_err(|error: DidError| ResolveError::InvalidIdentifier {
            id: base.to_owned(),
            reason: error.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn did_web_is_found_under_either_spelling() {
        let document = json!({"id": "did:web:example.com:orgs:abc"});
        let mut by_url = OfflineResolver::new();
        by_url.insert("https://example.com/orgs/abc/did.json", document.clone());
        assert_eq!(
            by_url.resolve("did:web:example.com:orgs:abc#key-1"),
            Ok(document.clone())
        );
        let mut by_did = OfflineResolver::new();
        by_did.insert("did:web:example.com:orgs:abc", document.clone());
        assert_eq!(
            by_did.resolve("https://example.com/orgs/abc/did.json"),
            Ok(document)
        );
        assert_eq!(
            by_did.resolve("did:web:other.example"),
            Err(ResolveError::NotFound("did:web:other.example".into()))
        );
    }

    #[test]
    fn malformed_did_key_is_an_invalid_identifier() {
        assert!(matches!(
            OfflineResolver::new().resolve("did:key:zNotAKey"),
            Err(ResolveError::InvalidIdentifier { .. })
        ));
    }
}

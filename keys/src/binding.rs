//! Key binding: tying a proof's key to the credential's issuer.
//!
//! A valid signature by a key the issuer does not control is not a verified
//! credential. The rules:
//!
//! - **did:key / did:jwk issuers** are self-certifying: the verification method must be
//!   a fragment of that same DID, and the key is decoded from the DID itself.
//! - **Every other issuer** (did:web, https Profile URLs, other DIDs) must publish the
//!   key: the issuer's document (DID document or Profile, resolved from the issuer id)
//!   must list the method under `assertionMethod` (by reference or embedded), and the
//!   method's `controller` must be the issuer. A method listed by reference but defined
//!   elsewhere is read from its own document (the method URL without fragment).
//!   The 1EdTech fixtures use `https://example.edu/issuers/565049#z6Mk...`, an issuer
//!   URL that cannot be resolved: that is [`BindingError::Unresolvable`]
//!   (`issuer.key_unresolvable`), distinct from a resolved document that does not list
//!   the key, [`BindingError::NotBound`] (`issuer.key_not_bound`).
//!
//! VC-JWT ([`resolve_jwt_key`]): a `kid` that is a DID URL follows the rules above. An
//! https `kid` is dereferenced without its fragment: a JWKS (the key whose `kid` is the
//! full `kid` or its fragment) or a lone JWK is accepted only from the issuer's own
//! origin (the https issuer's, or the did:web's `did.json` host), since an OB 3.0
//! Profile has no property naming its JWKS; any other document is read as a controller
//! document under the rules above. A header `jwk` alone must be the did:key / did:jwk
//! issuer's key, or the key of a method in the issuer's `assertionMethod`.

use serde_json::Value;
use url::Url;

use crate::did::{self, DidError, ASSERTION_METHOD};
use crate::jwk::{Jwk, JwkError, Jwks};
use crate::keypair::PublicKey;
use crate::resolver::{ResolveError, Resolver};

/// Why a key could not be tied to the issuer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BindingError {
    /// The issuer id or key reference is malformed or of an unsupported form.
    #[error("invalid identifier {id:?}: {reason}")]
    InvalidIdentifier {
        /// The identifier.
        id: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A JWT header with neither `kid` nor `jwk` (OB 3.0 §8.2.3 requires one).
    #[error("the JOSE header has neither kid nor jwk")]
    NoKeyReference,
    /// The resolved document does not contain the verification method.
    #[error("verification method {method:?} not found")]
    MethodNotFound {
        /// The method id.
        method: String,
    },
    /// The key is not controlled by the issuer: not listed under its assertionMethod,
    /// another controller, another DID, or another origin.
    #[error("key {method:?} is not bound to issuer {issuer:?}: {reason}")]
    NotBound {
        /// The method id or key reference.
        method: String,
        /// The issuer id.
        issuer: String,
        /// Which rule failed.
        reason: String,
    },
    /// A document needed to tie the key to the issuer could not be resolved.
    #[error("cannot resolve {id:?} to bind the key: {source}")]
    Unresolvable {
        /// The identifier that failed.
        id: String,
        /// Why.
        source: ResolveError,
    },
    /// The method holds a key of a type we do not verify with.
    #[error("verification method {method:?} has an unsupported key type: {reason}")]
    UnsupportedKeyType {
        /// The method id.
        method: String,
        /// Details.
        reason: String,
    },
    /// The method's key material is malformed.
    #[error("verification method {method:?} has an invalid key: {reason}")]
    InvalidKey {
        /// The method id.
        method: String,
        /// Details.
        reason: String,
    },
}

impl BindingError {
    /// A stable code for reports: `issuer.key_not_bound`, `issuer.key_unresolvable`, ...
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidIdentifier { .. } => "issuer.key_reference_invalid",
            Self::NoKeyReference => "issuer.key_reference_missing",
            Self::MethodNotFound { .. } => "issuer.key_not_found",
            Self::NotBound { .. } => "issuer.key_not_bound",
            Self::Unresolvable { .. } => "issuer.key_unresolvable",
            Self::UnsupportedKeyType { .. } => "issuer.key_unsupported",
            Self::InvalidKey { .. } => "issuer.key_invalid",
        }
    }
}

/// The public key of `verification_method` (absolute, or `#fragment` relative to the
/// issuer), provided the issuer controls it (rules in the module documentation).
pub fn resolve_verification_key(
    resolver: &dyn Resolver,
    issuer_id: &str,
    verification_method: &str,
) -> Result<PublicKey, BindingError> {
    let issuer = did::without_fragment(issuer_id);
    let method = did::absolute_id(issuer, verification_method);
    if is_self_certifying(issuer) {
        if did::without_fragment(&method) != issuer {
            return Err(not_bound(
                &method,
                issuer,
                "a did:key or did:jwk issuer signs only with its own DID's key",
            ));
        }
        let document = self_certifying_document(issuer)?;
        let found = did::find_verification_method(&document, &method).ok_or_else(|| {
            BindingError::MethodNotFound {
                method: method.clone(),
            }
        })?;
        return method_key(&method, found);
    }
    if !is_publishing_identifier(issuer) {
        return Err(not_bound(
            &method,
            issuer,
            "the issuer's id is neither a DID nor a URL, so it publishes no keys and no key \
             can be tied to it",
        ));
    }
    let document = resolve(resolver, issuer)?;
    bind_in_issuer_document(resolver, issuer, &document, &method)
}

/// Whether an identifier can publish keys: a DID or an http(s) URL (a
/// `urn:uuid:` issuer cannot).
fn is_publishing_identifier(id: &str) -> bool {
    id.starts_with("did:") || id.starts_with("https://") || id.starts_with("http://")
}

/// The key that verifies a VC-JWT of `issuer_id`, from its header `kid` and/or `jwk`
/// (read with `jwt::decode_unverified`), provided the issuer controls it. When both
/// are present they must agree.
pub fn resolve_jwt_key(
    resolver: &dyn Resolver,
    issuer_id: &str,
    kid: Option<&str>,
    jwk: Option<&Jwk>,
) -> Result<PublicKey, BindingError> {
    let issuer = did::without_fragment(issuer_id);
    let Some(kid) = kid else {
        let jwk = jwk.ok_or(BindingError::NoKeyReference)?;
        return bind_embedded_jwk(resolver, issuer, jwk);
    };
    let key = if kid.starts_with("https://") {
        resolve_https_kid(resolver, issuer, kid)?
    } else if kid.starts_with("did:") || kid.starts_with('#') {
        resolve_verification_key(resolver, issuer, kid)?
    } else {
        return Err(BindingError::InvalidIdentifier {
            id: kid.into(),
            reason: "a kid must be a DID URL or an https URL".into(),
        });
    };
    if let Some(jwk) = jwk {
        if jwk_key(kid, jwk)? != key {
            return Err(not_bound(
                kid,
                issuer,
                "the header jwk differs from the key its kid refers to",
            ));
        }
    }
    Ok(key)
}

/// Checks that `method` is listed under the issuer document's assertionMethod with the
/// issuer as controller, and returns its key.
fn bind_in_issuer_document(
    resolver: &dyn Resolver,
    issuer: &str,
    document: &Value,
    method: &str,
) -> Result<PublicKey, BindingError> {
    let document_id = document.get("id").and_then(Value::as_str).unwrap_or(issuer);
    if document_id != issuer {
        return Err(not_bound(
            method,
            issuer,
            &format!("the issuer's document has id {document_id:?}"),
        ));
    }
    if !did::is_listed_under(document, ASSERTION_METHOD, method) {
        return Err(not_bound(
            method,
            issuer,
            "not listed under the issuer's assertionMethod",
        ));
    }
    let elsewhere;
    let found = match did::find_verification_method(document, method) {
        Some(found) => found,
        None => {
            elsewhere = resolve(resolver, did::without_fragment(method))?;
            did::find_verification_method(&elsewhere, method).ok_or_else(|| {
                BindingError::MethodNotFound {
                    method: method.into(),
                }
            })?
        }
    };
    let controller = found.get("controller").and_then(Value::as_str);
    if controller != Some(issuer) {
        return Err(not_bound(
            method,
            issuer,
            &format!("its controller is {controller:?}"),
        ));
    }
    method_key(method, found)
}

/// An https `kid`: a JWKS or JWK from the issuer's origin, or a controller document.
fn resolve_https_kid(
    resolver: &dyn Resolver,
    issuer: &str,
    kid: &str,
) -> Result<PublicKey, BindingError> {
    let location = did::without_fragment(kid);
    let document = resolve(resolver, location)?;
    let jwk = if document.get("keys").is_some() {
        let jwks = Jwks::from_value(&document).map_err(|e| jwk_error(kid, e))?;
        let fragment = kid.split_once('#').map(|(_, fragment)| fragment);
        jwks.find(kid)
            .or_else(|| fragment.and_then(|fragment| jwks.find(fragment)))
            .cloned()
            .ok_or_else(|| BindingError::MethodNotFound { method: kid.into() })?
    } else if document.get("kty").is_some() {
        Jwk::from_value(&document).map_err(|e| jwk_error(kid, e))?
    } else if location == issuer {
        return bind_in_issuer_document(resolver, issuer, &document, kid);
    } else {
        return resolve_verification_key(resolver, issuer, kid);
    };
    if !same_origin(kid, issuer) {
        return Err(not_bound(
            kid,
            issuer,
            "a JWKS or JWK kid must be served from the issuer's origin",
        ));
    }
    jwk_key(kid, &jwk)
}

/// A header `jwk` without `kid`: it must be a key the issuer publishes.
fn bind_embedded_jwk(
    resolver: &dyn Resolver,
    issuer: &str,
    jwk: &Jwk,
) -> Result<PublicKey, BindingError> {
    let key = jwk_key("jwk", jwk)?;
    let document = if is_self_certifying(issuer) {
        self_certifying_document(issuer)?
    } else {
        resolve(resolver, issuer)?
    };
    let listed: &[Value] = match document.get(ASSERTION_METHOD) {
        Some(Value::Array(entries)) => entries,
        Some(single) => std::slice::from_ref(single),
        None => &[],
    };
    let published = listed
        .iter()
        .filter_map(|entry| match entry {
            Value::String(reference) => Some(reference.as_str()),
            Value::Object(method) => method.get("id").and_then(Value::as_str),
            _ => None,
        })
        .filter_map(|method| did::find_verification_method(&document, method))
        .filter(|method| method.get("controller").and_then(Value::as_str) == Some(issuer))
        .filter_map(|method| did::method_public_key(method).ok())
        .any(|candidate| candidate == key);
    if published {
        Ok(key)
    } else {
        Err(not_bound(
            "jwk",
            issuer,
            "the header jwk is not among the issuer's assertionMethod keys",
        ))
    }
}

fn is_self_certifying(issuer: &str) -> bool {
    issuer.starts_with("did:key:") || issuer.starts_with("did:jwk:")
}

fn self_certifying_document(issuer: &str) -> Result<Value, BindingError> {
    let document = if issuer.starts_with("did:key:") {
        did::did_key_document(issuer)
    } else {
        did::did_jwk_document(issuer)
    };
    document.map_err(|e| BindingError::InvalidIdentifier {
        id: issuer.into(),
        reason: e.to_string(),
    })
}

fn resolve(resolver: &dyn Resolver, id: &str) -> Result<Value, BindingError> {
    resolver
        .resolve(id)
        .map_err(|source| BindingError::Unresolvable {
            id: id.into(),
            source,
        })
}

fn method_key(method: &str, found: &Value) -> Result<PublicKey, BindingError> {
    did::method_public_key(found).map_err(|error| match error {
        DidError::UnsupportedMultikey(_)
        | DidError::UnsupportedVerificationMethod { .. }
        | DidError::Jwk(JwkError::Unsupported(_)) => BindingError::UnsupportedKeyType {
            method: method.into(),
            reason: error.to_string(),
        },
        other => BindingError::InvalidKey {
            method: method.into(),
            reason: other.to_string(),
        },
    })
}

fn jwk_key(method: &str, jwk: &Jwk) -> Result<PublicKey, BindingError> {
    jwk.to_public_key().map_err(|e| jwk_error(method, e))
}

fn jwk_error(method: &str, error: JwkError) -> BindingError {
    match error {
        JwkError::Unsupported(_) => BindingError::UnsupportedKeyType {
            method: method.into(),
            reason: error.to_string(),
        },
        other => BindingError::InvalidKey {
            method: method.into(),
            reason: other.to_string(),
        },
    }
}

fn not_bound(method: &str, issuer: &str, reason: &str) -> BindingError {
    BindingError::NotBound {
        method: method.into(),
        issuer: issuer.into(),
        reason: reason.into(),
    }
}

/// Whether the https `url` is served from the issuer's origin (an https issuer's, or
/// the host of a did:web issuer's `did.json`).
fn same_origin(url: &str, issuer: &str) -> bool {
    let issuer_url = if issuer.starts_with("did:web:") {
        did::did_web_url(issuer).ok()
    } else if issuer.starts_with("https://") {
        Url::parse(issuer).ok()
    } else {
        None
    };
    match (Url::parse(url), issuer_url) {
        (Ok(url), Some(issuer_url)) => url.origin() == issuer_url.origin(),
        _ => false,
    }
}

//! What the service fetches itself, always through the guarded
//! [`HttpClient`]: hosted credentials (whose `410 Gone` answer carries a
//! revocation reason), and achievement images for baking and certificates.
//!
//! Blocking: called from inside `web::block`.

use std::net::IpAddr;

use base64::Engine as _;
use image::DynamicImage;
use serde_json::Value;
use url::{Host, Url};

use super::problem::ServiceError;
use crate::input::InputContent;
use crate::net::address::classify;
use crate::net::{Fetch, HttpClient, NetError, ACCEPT_JSON};
use crate::reason;

/// The `Accept` header of achievement image fetches.
const ACCEPT_IMAGE: &str = "image/png, image/jpeg";

/// A credential fetched from its URL.
#[derive(Debug)]
pub(crate) struct Hosted {
    /// The credential as served: its JSON or its compact JWS.
    pub(crate) text: String,
    /// Set when the issuer answered `410 Gone` for a revoked credential,
    /// with the reason it gave, if any.
    pub(crate) revoked: Option<Option<String>>,
}

/// Checks a URL a visitor gave before anything is fetched. Literal private
/// addresses and `localhost` are named as such here, since the client would
/// otherwise refuse them as plain http first; host names resolving to
/// private addresses are refused by the client when it connects.
pub(crate) fn check_url(text: &str, allow_private: bool) -> Result<Url, ServiceError> {
    let url = Url::parse(text.trim())
        .map_err(|e| ServiceError::InvalidUrl(format!("invalid URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ServiceError::InvalidUrl(
            "only http(s) URLs are read".to_owned(),
        ));
    }
    let literal = match url.host() {
        Some(Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        Some(Host::Domain(name)) => {
            let name = name.to_ascii_lowercase();
            (name == "localhost" || name.ends_with(".localhost"))
                .then_some(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST))
        }
        None => return Err(ServiceError::InvalidUrl("the URL has no host".to_owned())),
    };
    if let Some(ip) = literal {
        let class = classify(ip);
        if !class.allowed(allow_private) {
            let class = format!("{class:?}").to_lowercase();
            return Err(ServiceError::PrivateAddress(format!(
                "the URL leads to a {class} address, which this verifier does not open"
            )));
        }
    }
    Ok(url)
}

/// A fetch failure as a [`ServiceError`].
fn fetch_error(error: NetError) -> ServiceError {
    match error {
        NetError::InvalidUrl(_) | NetError::Scheme(_) | NetError::Credentials => {
            ServiceError::InvalidUrl(error.to_string())
        }
        NetError::ForbiddenAddress { .. } => ServiceError::PrivateAddress(error.to_string()),
        NetError::PlainHttp(_) => ServiceError::UrlRefused(error.to_string()),
        other => ServiceError::UrlUnreadable(other.to_string()),
    }
}

/// Fetches a hosted credential. A `200` gives the credential; a `410` whose
/// body is `{"error": "revoked", "revocationReason": "...", "credential":
/// {...}}` for this very credential gives it too, marked revoked, and so
/// does a `410` whose body is the hosted Open Badges 2.0 assertion itself.
pub(crate) fn hosted_credential(client: &HttpClient, url: &Url) -> Result<Hosted, ServiceError> {
    let response = client.get(url.as_str(), ACCEPT_JSON).map_err(fetch_error)?;
    let text = || String::from_utf8_lossy(&response.body).trim().to_owned();
    match response.status {
        200 => Ok(Hosted {
            text: text(),
            revoked: None,
        }),
        410 => {
            let body: Value = serde_json::from_slice(&response.body).map_err(|_| gone())?;
            // Only the credential this URL names: a 410 elsewhere must not
            // attach a reason to someone else's badge.
            let names_this_url = |document: &Value| {
                let id = document.get("id").and_then(Value::as_str);
                id == Some(url.as_str()) || id == Some(response.url.as_str())
            };
            if body.get("error").and_then(Value::as_str) != Some("revoked") {
                // A revoked hosted Open Badges 2.0 assertion may be served
                // with its 410; the pipeline fetches it again and says so.
                let text = body.to_string();
                let ob2 = crate::input::detect(text.as_bytes())
                    .is_ok_and(|d| matches!(d.content, InputContent::OpenBadges2(_)));
                if ob2 && names_this_url(&body) {
                    return Ok(Hosted {
                        revoked: Some(reason(&body)),
                        text,
                    });
                }
                return Err(gone());
            }
            let credential = match body.get("credential") {
                Some(Value::String(token)) => {
                    let token = token.trim();
                    // Read unverified only to compare its id; the pipeline
                    // verifies it next.
                    match keys::decode_unverified(token) {
                        Ok(jwt) if names_this_url(&jwt.credential) => token.to_owned(),
                        _ => return Err(gone()),
                    }
                }
                Some(document @ Value::Object(_)) if names_this_url(document) => {
                    document.to_string()
                }
                _ => return Err(gone()),
            };
            Ok(Hosted {
                text: credential,
                revoked: Some(reason(&body)),
            })
        }
        status => Err(ServiceError::UrlUnreadable(format!(
            "the server answered HTTP {status}"
        ))),
    }
}

fn gone() -> ServiceError {
    ServiceError::UrlUnreadable(
        "the server answered HTTP 410 without the revoked credential".into(),
    )
}

/// The `revocationReason` of a 410 body, cleaned by [`reason::reason`].
fn reason(body: &Value) -> Option<String> {
    reason::reason(body.get("revocationReason"))
}

/// The reason the issuer gives for revoking the credential at `id`, asked
/// once: its answer is read only when it is a `410` with a JSON body saying
/// `"error": "revoked"`. Any failure means "no reason known".
pub(crate) fn revocation_reason(fetch: &dyn Fetch, id: &str) -> Option<String> {
    let response = fetch.fetch(id, ACCEPT_JSON).ok()?;
    if response.status != 410 {
        return None;
    }
    let body: Value = serde_json::from_slice(&response.body).ok()?;
    if body.get("error").and_then(Value::as_str) != Some("revoked") {
        return None;
    }
    reason(&body)
}

/// The achievement's image, fetched (https, or http where allowed) or read
/// from a `data:` URI, decoded under the rendering limits and shrunk for
/// drawing at most `side` pixels wide (`render::decode_badge_image`). `None` when there
/// is none or it cannot be used: the generated design is drawn instead.
pub(crate) fn achievement_image(
    client: &HttpClient,
    reference: &str,
    side: u32,
) -> Option<DynamicImage> {
    let bytes = if let Some(data) = reference.strip_prefix("data:") {
        let (meta, payload) = data.split_once(',')?;
        if !meta.ends_with(";base64") {
            return None;
        }
        base64::engine::general_purpose::STANDARD
            .decode(payload.trim())
            .ok()?
    } else if reference.starts_with("https://") || reference.starts_with("http://") {
        let response = client.get(reference, ACCEPT_IMAGE).ok()?;
        if response.status != 200 {
            return None;
        }
        response.body.clone()
    } else {
        return None;
    };
    crate::render::decode_badge_image(&bytes, side).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_literal_addresses_are_named() {
        for url in [
            "http://127.0.0.1:8080/c/1",
            "https://10.0.0.1/c",
            "http://[::1]/c",
            "http://localhost/c",
        ] {
            assert!(
                matches!(check_url(url, false), Err(ServiceError::PrivateAddress(_))),
                "{url}"
            );
            assert!(check_url(url, true).is_ok(), "{url}");
        }
        assert!(check_url("https://issuer.example.fr/c/1", false).is_ok());
        assert!(matches!(
            check_url("ftp://issuer.example.fr/c", false),
            Err(ServiceError::InvalidUrl(_))
        ));
        assert!(matches!(
            check_url("not a url", false),
            Err(ServiceError::InvalidUrl(_))
        ));
    }

    #[test]
    fn reasons_are_bounded_and_clean() {
        let long = "x".repeat(900);
        let body = serde_json::json!({"error": "revoked", "revocationReason": long});
        assert_eq!(
            reason(&body).unwrap().chars().count(),
            reason::MAX_REASON_CHARS
        );
        let body = serde_json::json!({"revocationReason": "Erreur\u{7}\n de saisie "});
        assert_eq!(reason(&body).unwrap(), "Erreur de saisie");
        assert_eq!(reason(&serde_json::json!({"revocationReason": 3})), None);
    }
}

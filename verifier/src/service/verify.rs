//! The service's use case: from what a visitor gave (bytes or a URL) to a
//! [`Verification`]: the pipeline's report, plus what only the service
//! knows: the revocation reason the issuer gives, the credential's text for
//! baking, and the URL it came from.
//!
//! Verification may fetch keys and status lists with a blocking client, so
//! [`verify`] runs inside `web::block`, off the async executor. Most
//! verifications need no fetch (did:key, pinned documents, documents cached
//! from an earlier request): [`verify_at_hand`] does those on the request's
//! own thread, which spares two thread hand-offs per request, and says when
//! the network is needed.

use actix_web::http::header::ContentType;
use actix_web::{web, HttpResponse};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::Utc;
use serde::Serialize;
use serde_json::Value;

use super::fetch::{self, Hosted};
use super::problem::ServiceError;
use super::AppState;
use crate::input::{self, CredentialInput, DetectedInput, InputContent, Ob2Input};
use crate::net::Fetch;
use crate::ob2::HostedFetch;
use crate::pipeline::{self, VerifyOptions};
use crate::reason::MAX_REASON_CHARS;
use crate::report::{Outcome, Report};

/// The largest input [`verify_at_hand`] takes, in bytes. Verifying a
/// credential of a few kilobytes takes a fraction of a millisecond; a larger
/// one (many endorsements, or JSON-LD outside the fast canonicalisation
/// path) may take milliseconds, which would hold up the other requests of
/// the thread.
pub(crate) const AT_HAND_MAX_BYTES: usize = 16 * 1024;

/// What a visitor asked to verify.
#[derive(Debug, Clone)]
pub(crate) enum Input {
    /// A file, a pasted text or a raw body: JSON, JWS, PNG, SVG or a URL.
    Bytes(Vec<u8>),
    /// The URL of a hosted credential.
    Url(String),
    /// Bytes already read by [`input::detect`] on the request's thread
    /// ([`AtHand::Network`]): not parsed a second time.
    Detected(DetectedInput),
}

/// What [`verify_at_hand`] did.
#[derive(Debug)]
pub(crate) enum AtHand {
    /// The verification, done without the network (boxed: a report is
    /// large and the other variant small).
    Done(Box<Result<Verification, ServiceError>>),
    /// It needs the network or the general canonicalisation path: to be done
    /// by [`verify`] on the blocking pool, with the input as already read
    /// when it is given.
    Network(Option<DetectedInput>),
}

/// A verification and what the service adds to the report.
#[derive(Debug)]
pub(crate) struct Verification {
    /// The pipeline's report.
    pub(crate) report: Report,
    /// The reason the issuer gives for revoking the credential.
    pub(crate) revocation_reason: Option<String>,
    /// The credential as text (its JSON or compact JWS), to bake it or to
    /// check it again for another holder.
    pub(crate) credential_text: Option<String>,
    /// The URL the credential was fetched from.
    pub(crate) url: Option<String>,
}

impl Verification {
    /// The verdict on an input that holds no badge.
    fn not_a_badge(bytes: &[u8], error: &input::InputError) -> Self {
        Verification {
            report: pipeline::not_a_badge(bytes, error),
            revocation_reason: None,
            credential_text: None,
            url: None,
        }
    }

    /// The URL to ask for the reason of a revocation the report found and
    /// no one gave a reason for: the credential's http(s) id, when it is
    /// authentic (a forged id would send us anywhere).
    pub(crate) fn reason_to_ask(&self) -> Option<String> {
        let revoked = self.report.find("status.revoked").is_some();
        (revoked && self.report.authentic && self.revocation_reason.is_none())
            .then(|| self.http_id().map(str::to_owned))
            .flatten()
    }

    /// The credential's own id, when it is an http(s) URL.
    pub(crate) fn http_id(&self) -> Option<&str> {
        let id = self.report.credential.id.as_deref()?;
        (id.starts_with("https://") || id.starts_with("http://")).then_some(id)
    }

    /// The report as the JSON of `verifier verify --json`, plus
    /// `revocationReason` when the credential is revoked and a reason is
    /// known: the `200` answer to `Accept: application/json`.
    pub(crate) fn json_response(&self) -> Result<HttpResponse, ServiceError> {
        let revoked = self.report.find("status.revoked").is_some();
        let json = ReportJson {
            report: &self.report,
            revocation_reason: self.revocation_reason.as_deref().filter(|_| revoked),
        };
        let body = serde_json::to_vec(&json).map_err(|error| {
            ServiceError::Internal(format!("the report cannot be written: {error}"))
        })?;
        Ok(HttpResponse::Ok()
            .content_type(ContentType::json())
            .body(body))
    }
}

/// The JSON answer: the report's own members, then the reason.
#[derive(Serialize)]
struct ReportJson<'a> {
    #[serde(flatten)]
    report: &'a Report,
    #[serde(rename = "revocationReason", skip_serializing_if = "Option::is_none")]
    revocation_reason: Option<&'a str>,
}

/// The prefix of the pipeline's `status.revoked` message when the status
/// list itself gives a reason (1EdTech Revocation List).
const LIST_REASON_PREFIX: &str = "the issuer revoked this credential: ";

/// Verifies `input`, matching `holder` against the recipient when given.
/// `keep_text` keeps the credential's text in the [`Verification`] (pages
/// and baking need it; a JSON answer does not).
pub(crate) fn verify(
    state: &AppState,
    input: Input,
    holder: Option<&str>,
    keep_text: bool,
) -> Result<Verification, ServiceError> {
    let options = VerifyOptions {
        now: Utc::now(),
        resolver: state.resolver.as_ref(),
        recipient: holder,
    };
    let detected = match input {
        Input::Url(url) => return verify_url(state, &url, &options, keep_text),
        Input::Detected(detected) => detected,
        Input::Bytes(bytes) => match input::detect(&bytes) {
            Ok(detected) => detected,
            Err(error) if error.is_not_a_badge() => {
                return Ok(Verification::not_a_badge(&bytes, &error))
            }
            Err(error) => return Err(error.into()),
        },
    };
    if let InputContent::Url(url) = &detected.content {
        return verify_url(state, url, &options, keep_text);
    }
    verify_detected(
        detected,
        &options,
        None,
        state.resolver.as_ref(),
        keep_text,
        true,
    )
}

/// Verifies `bytes` without waiting on the network or on the general
/// canonicalisation path: [`AtHand::Network`] when the input is a URL or an
/// image, is larger than [`AT_HAND_MAX_BYTES`], needs a document that is
/// neither pinned, generated nor fresh in the cache, or needs the general
/// path. The caller then runs [`verify`] on the blocking pool.
pub(crate) fn verify_at_hand(
    state: &AppState,
    bytes: &[u8],
    holder: Option<&str>,
    keep_text: bool,
) -> AtHand {
    if bytes.len() > AT_HAND_MAX_BYTES {
        return AtHand::Network(None);
    }
    let detected = match input::detect(bytes) {
        Ok(detected) => detected,
        Err(error) if error.is_not_a_badge() => {
            return AtHand::Done(Box::new(Ok(Verification::not_a_badge(bytes, &error))))
        }
        Err(error) => return AtHand::Done(Box::new(Err(error.into()))),
    };
    // Images take longer to read; URLs are fetched.
    if !matches!(detected.source, input::Source::Json | input::Source::Jwt) {
        return AtHand::Network(Some(detected));
    }
    // A status list asked again at every use (our issuer's are `no-cache`)
    // would make the attempt miss at its last check, after all the work:
    // such a credential goes to the blocking pool at once, as read.
    if status_lists(&detected.content)
        .iter()
        .any(|url| !state.resolver.is_at_hand(url))
    {
        return AtHand::Network(Some(detected));
    }
    let at_hand = state.resolver.at_hand();
    let options = VerifyOptions {
        now: Utc::now(),
        resolver: &at_hand,
        recipient: holder,
    };
    // The general canonicalisation path (JSON-LD outside the direct path's subset,
    // blank nodes that need RDFC-1.0's N-degree step) may take milliseconds even
    // bounded: such a credential is verified again on the blocking pool. The
    // revocation reason, when one must be asked, is asked by the caller on the
    // blocking pool: the verification itself is not done twice.
    let (verification, general_path_needed) = keys::di::direct_path_only(|| {
        verify_detected(detected, &options, None, &at_hand, keep_text, false)
    });
    if at_hand.missed() || general_path_needed {
        return AtHand::Network(None);
    }
    AtHand::Done(Box::new(verification))
}

/// The status lists an unverified credential names. A JWT's payload is
/// parsed only when it mentions a status.
fn status_lists(content: &InputContent) -> Vec<String> {
    let owned = |document: &Value| {
        pipeline::status_list_urls(document)
            .into_iter()
            .map(str::to_owned)
            .collect()
    };
    match content {
        InputContent::Credential(CredentialInput::Json(document)) => owned(document),
        InputContent::Credential(CredentialInput::Jwt(token)) => {
            let mentions_status = token
                .split('.')
                .nth(1)
                .and_then(|payload| URL_SAFE_NO_PAD.decode(payload).ok())
                .is_some_and(|payload| {
                    payload
                        .windows(b"credentialStatus".len())
                        .any(|w| w == b"credentialStatus")
                });
            if !mentions_status {
                return Vec::new();
            }
            keys::decode_unverified(token)
                .map(|jwt| owned(&jwt.credential))
                .unwrap_or_default()
        }
        _ => Vec::new(),
    }
}

/// Fetches and verifies a hosted credential.
fn verify_url(
    state: &AppState,
    url: &str,
    options: &VerifyOptions<'_>,
    keep_text: bool,
) -> Result<Verification, ServiceError> {
    let url = fetch::check_url(url, state.config.allow_private)?;
    let hosted = fetch::hosted_credential(state.resolver.client(), &url)?;
    let detected = input::detect(hosted.text.as_bytes()).map_err(|e| match e {
        crate::input::InputError::Empty => {
            ServiceError::UrlUnreadable("the server answered an empty document".into())
        }
        other => ServiceError::from(other),
    })?;
    if matches!(detected.content, InputContent::Url(_)) {
        return Err(ServiceError::NotABadge(
            "the URL leads to another URL, not to a credential".into(),
        ));
    }
    let mut verification = verify_detected(
        detected,
        options,
        Some(&hosted),
        state.resolver.as_ref(),
        keep_text,
        true,
    )?;
    verification.url = Some(url.into());
    Ok(verification)
}

/// Verifies a classified input and gathers the revocation reason, fetching
/// through `sources` (the network, or the cache alone); the credential's id
/// is asked for the reason only with `ask_reason`
/// ([`Verification::reason_to_ask`] otherwise).
fn verify_detected(
    detected: DetectedInput,
    options: &VerifyOptions<'_>,
    hosted: Option<&Hosted>,
    sources: &(impl HostedFetch + Fetch),
    keep_text: bool,
    ask_reason: bool,
) -> Result<Verification, ServiceError> {
    let credential_text = match &detected.content {
        _ if !keep_text => None,
        InputContent::Credential(CredentialInput::Json(document))
        | InputContent::OpenBadges2(Ob2Input::Json(document)) => Some(document.to_string()),
        InputContent::Credential(CredentialInput::Jwt(token))
        | InputContent::OpenBadges2(Ob2Input::Jws(token)) => Some(token.clone()),
        _ => None,
    };
    // The network resolver tells a revoked hosted OB 2.0 assertion (410).
    let mut report = pipeline::verify_detected_with(detected, options, sources)?;
    let mut revocation_reason = None;
    if let Some(Some(reason)) = hosted.and_then(|h| h.revoked.as_ref()) {
        revocation_reason = Some(reason.clone());
    }
    if hosted.is_some_and(|h| h.revoked.is_some()) && report.find("status.revoked").is_none() {
        // The issuer's own server says so; a revocation can only lower trust.
        report.push(
            "status",
            "status.revoked",
            Outcome::Failed,
            "the issuer's server answers that this credential was revoked (HTTP 410)",
        );
        report = report.conclude();
    }
    if revocation_reason.is_none() {
        revocation_reason = report
            .find("status.revoked")
            .and_then(|c| c.message.strip_prefix(LIST_REASON_PREFIX))
            .map(|r| r.chars().take(MAX_REASON_CHARS).collect());
    }
    let mut verification = Verification {
        report,
        revocation_reason,
        credential_text,
        url: None,
    };
    // Asked once, and not again when the hosted URL already answered 410.
    let already_asked = hosted.is_some_and(|h| h.revoked.is_some());
    if let Some(id) = verification
        .reason_to_ask()
        .filter(|_| ask_reason && !already_asked)
    {
        verification.revocation_reason = fetch::revocation_reason(sources, &id);
    }
    Ok(verification)
}

/// Asks the issuer for the reason of a revocation found without one.
pub(crate) fn ask_reason(state: &AppState, verification: &mut Verification) {
    if let Some(id) = verification.reason_to_ask() {
        verification.revocation_reason = fetch::revocation_reason(state.resolver.as_ref(), &id);
    }
}

/// Runs blocking work (verification fetches with a blocking client and
/// canonicalisation is CPU-bound) on the blocking thread pool.
pub(crate) async fn run_blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ServiceError> + Send + 'static,
) -> Result<T, ServiceError> {
    web::block(work)
        .await
        .map_err(|e| ServiceError::Internal(format!("blocking task failed: {e}")))?
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn jwt(payload: &Value) -> String {
        let part = |value: &Value| URL_SAFE_NO_PAD.encode(value.to_string());
        format!(
            "{}.{}.c2ln",
            part(&json!({"alg": "EdDSA", "typ": "JWT"})),
            part(payload)
        )
    }

    /// A credential the direct canonicalisation path declines: blank nodes in a
    /// ring (all alike to RDFC-1.0), a did:key issuer and a well-formed proof.
    fn ring_credential(nodes: usize) -> Value {
        let did = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
        let ring: Vec<Value> = (0..nodes)
            .map(|i| json!({"@id": format!("_:{i}"), "p": {"@id": format!("_:{}", (i + 1) % nodes)}}))
            .collect();
        json!({
            "@context": ["https://www.w3.org/ns/credentials/v2", {"p": "https://example.org/p"}],
            "type": ["VerifiableCredential"],
            "issuer": did,
            "credentialSubject": {"id": "did:example:holder", "p": ring},
            "proof": {
                "type": "DataIntegrityProof",
                "cryptosuite": "eddsa-rdfc-2022",
                "created": "2026-01-01T00:00:00Z",
                "verificationMethod": format!("{did}#{}", &did["did:key:".len()..]),
                "proofPurpose": "assertionMethod",
                "proofValue": format!("z{}", "1".repeat(64)),
            }
        })
    }

    #[test]
    fn the_request_thread_leaves_the_general_canonicalisation_path_to_the_blocking_pool() {
        let state = AppState::new(super::super::Config::new(
            "127.0.0.1:0".parse().expect("address"),
        ));
        let ring = ring_credential(100).to_string();
        assert!(matches!(
            verify_at_hand(&state, ring.as_bytes(), None, false),
            AtHand::Network(None)
        ));
        let verification = verify(&state, Input::Bytes(ring.into_bytes()), None, false)
            .expect("verified on the pool");
        assert!(verification.report.find("proof.too_complex").is_some());
    }

    #[test]
    fn status_lists_are_read_from_json_and_jwt_credentials() {
        let credential = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"],
            "issuer": "https://issuer.example/orgs/a",
            "credentialSubject": {"id": "did:example:1"},
            "credentialStatus": [
                {"type": "BitstringStatusListEntry", "statusPurpose": "revocation",
                    "statusListIndex": "3", "statusListCredential": "https://issuer.example/status/1"},
                {"id": "https://issuer.example/revocations", "type": "1EdTechRevocationList"}
            ]
        });
        let expected = [
            "https://issuer.example/status/1",
            "https://issuer.example/revocations",
        ];
        let json = InputContent::Credential(CredentialInput::Json(credential.clone()));
        assert_eq!(status_lists(&json), expected);
        let token = InputContent::Credential(CredentialInput::Jwt(jwt(&credential)));
        assert_eq!(status_lists(&token), expected);
        let mut without = credential;
        without.as_object_mut().unwrap().remove("credentialStatus");
        let token = InputContent::Credential(CredentialInput::Jwt(jwt(&without)));
        assert!(status_lists(&token).is_empty());
        let json = InputContent::Credential(CredentialInput::Json(without));
        assert!(status_lists(&json).is_empty());
    }
}

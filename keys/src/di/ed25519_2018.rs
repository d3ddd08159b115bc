//! The legacy `Ed25519Signature2018` proof type
//! (<https://w3c-ccg.github.io/lds-ed25519-2018/>): verification.
//!
//! The proof holds a detached JWS (RFC 7515 appendix F, RFC 7797 unencoded payload):
//! `BASE64URL(header) || ".." || BASE64URL(signature)`, where the header is exactly
//! `{"alg": "EdDSA", "b64": false, "crit": ["b64"]}`. The signature is Ed25519 over
//! `ASCII(BASE64URL(header)) || "." || verifyData`, with
//! `verifyData = SHA-256(canonical proof options) || SHA-256(canonical document)`:
//! URDNA2015 (the same algorithm as RDFC-1.0) canonical N-Quads of the proof without
//! `jws` (nor `signatureValue`, `proofValue`) and of the document without `proof`.
//!
//! The proof options are canonicalised with the security v2 context, as
//! jsonld-signatures did when the suite was current; later versions give them the
//! document's `@context` (credentials v1 or the ed25519-2018 suite context), whose
//! terms expand to the same IRIs, so both give the same bytes (checked against
//! Digital Bazaar's published signature in `keys/tests/it/di_suites.rs`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ed25519_dalek::{Signature, VerifyingKey};
use serde_json::{Map, Value};

use super::hashing::{canonical_forms, ConfigContext};
use super::{DataIntegrityError, InvalidProofReason, ProofVerdict};

/// The proof members that hold a signature and are left out of the proof options
/// (jsonld-signatures removes all three).
const SIGNATURE_MEMBERS: [&str; 3] = ["jws", "signatureValue", "proofValue"];

/// Verifies an `Ed25519Signature2018` proof with an Ed25519 key.
pub(super) fn verify(
    secured: &Map<String, Value>,
    proof: &Map<String, Value>,
    key: &VerifyingKey,
) -> Result<ProofVerdict, DataIntegrityError> {
    let jws = proof
        .get("jws")
        .and_then(Value::as_str)
        .ok_or_else(|| DataIntegrityError::MalformedProof("no string `jws`".to_owned()))?;
    let (encoded_header, signature) = parse_detached_jws(jws)?;
    let forms = match canonical_forms(
        secured,
        proof,
        ConfigContext::SecurityV2,
        &SIGNATURE_MEMBERS,
    )? {
        Ok(forms) => forms,
        Err(reason) => return Ok(ProofVerdict::Invalid { reason }),
    };
    let mut signing_input = Vec::with_capacity(encoded_header.len() + 65);
    signing_input.extend_from_slice(encoded_header.as_bytes());
    signing_input.push(b'.');
    signing_input.extend_from_slice(&forms.hash_data());
    Ok(match key.verify_strict(&signing_input, &signature) {
        Ok(()) => ProofVerdict::Valid,
        Err(_) => ProofVerdict::Invalid {
            reason: InvalidProofReason::SignatureMismatch,
        },
    })
}

/// The encoded header and the signature of a detached JWS whose header is exactly the
/// suite's (jws-linked-data-signature refuses any other member or value).
fn parse_detached_jws(jws: &str) -> Result<(&str, Signature), DataIntegrityError> {
    let malformed = |reason: &str| DataIntegrityError::MalformedProof(format!("jws: {reason}"));
    let mut parts = jws.split('.');
    let (Some(header), Some(""), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed(
            "not a detached JWS (header..signature, empty payload)",
        ));
    };
    let header_json = URL_SAFE_NO_PAD
        .decode(header)
        .map_err(|e| malformed(&format!("header: {e}")))?;
    let header_value: Value =
        serde_json::from_slice(&header_json).map_err(|e| malformed(&format!("header: {e}")))?;
    let expected = serde_json::json!({"alg": "EdDSA", "b64": false, "crit": ["b64"]});
    if header_value != expected {
        return Err(malformed(&format!(
            "header {header_value} is not {{\"alg\":\"EdDSA\",\"b64\":false,\"crit\":[\"b64\"]}}"
        )));
    }
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|e| malformed(&format!("signature: {e}")))?;
    let signature = <[u8; 64]>::try_from(signature.as_slice()).map_err(|_| {
        malformed(&format!(
            "signature of {} bytes, an Ed25519 signature has 64",
            signature.len()
        ))
    })?;
    Ok((header, Signature::from_bytes(&signature)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header jsonld-signatures writes, and the one spruceid/ssi writes (other
    /// member order): both are the suite's header.
    const HEADERS: [&str; 2] = [
        "eyJhbGciOiJFZERTQSIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19",
        "eyJhbGciOiJFZERTQSIsImNyaXQiOlsiYjY0Il0sImI2NCI6ZmFsc2V9",
    ];

    fn signature() -> String {
        URL_SAFE_NO_PAD.encode([1u8; 64])
    }

    #[test]
    fn the_suite_header_in_any_member_order_is_read() {
        for header in HEADERS {
            let jws = format!("{header}..{}", signature());
            let (encoded, parsed) = parse_detached_jws(&jws).expect("detached JWS");
            assert_eq!(encoded, header);
            assert_eq!(parsed.to_bytes(), [1u8; 64]);
        }
    }

    #[test]
    fn other_headers_and_shapes_are_refused() {
        let encode = |json: &str| URL_SAFE_NO_PAD.encode(json);
        let refused = [
            format!("{}..{}", encode(r#"{"alg":"EdDSA"}"#), signature()),
            format!(
                "{}..{}",
                encode(r#"{"alg":"ES256","b64":false,"crit":["b64"]}"#),
                signature()
            ),
            format!(
                "{}..{}",
                encode(r#"{"alg":"EdDSA","b64":false,"crit":["b64"],"kid":"x"}"#),
                signature()
            ),
            format!("{}.cGF5bG9hZA.{}", HEADERS[0], signature()),
            format!("{}..{}", HEADERS[0], URL_SAFE_NO_PAD.encode([1u8; 63])),
            format!("{}..{}.x", HEADERS[0], signature()),
            "not a jws".to_owned(),
        ];
        for jws in refused {
            assert!(
                matches!(
                    parse_detached_jws(&jws),
                    Err(DataIntegrityError::MalformedProof(_))
                ),
                "{jws}"
            );
        }
    }
}

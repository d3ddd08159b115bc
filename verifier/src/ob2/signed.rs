//! Signed verification (OB 2.0 §Verification, `SignedBadge`): a compact JWS
//! whose payload is the assertion, signed with RS256 by a
//! `CryptographicKey` the issuer lists.
//!
//! The header is never trusted to choose the algorithm: only `RS256` is
//! accepted, so `none` and HMAC with the public key as secret are refused.
//! The key is the document `verification.creator` names (or, without a
//! creator, one the issuer Profile lists); it must name the issuer as
//! `owner`, and the Profile, fetched from its `id` rather than taken from the
//! badge, must list it in `publicKey`. Revocation comes from the Profile's
//! `revocationList`; a list that cannot be read is `status.unavailable`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::{Algorithm, DecodingKey};
use keys::Resolver;
use serde_json::{Map, Value};

use super::fetch::{fetch_object, node};
use super::graph::{push_revoked, Graph};
use crate::reason::reason;
use crate::report::{Outcome, Report};
use crate::view::node_id;

/// The only signature algorithm accepted.
const ALGORITHM: &str = "RS256";

/// At most this many keys of the issuer are tried when the assertion names
/// no creator.
const MAX_KEYS: usize = 8;

/// A signed assertion read without its signature checked (named
/// `unverified` on purpose: nothing in it is believed yet).
#[derive(Debug, Clone)]
pub(super) struct UnverifiedJws {
    header: Map<String, Value>,
    /// The assertion, as the payload says.
    pub(super) payload: Value,
    signing_input: String,
    signature: String,
}

/// Reads a compact JWS: three base64url parts, header and payload JSON
/// objects. Nothing is checked but the shape.
pub(super) fn decode_unverified(token: &str) -> Result<UnverifiedJws, String> {
    let token = token.trim();
    let parts: Vec<&str> = token.split('.').collect();
    let [header, payload, signature] = parts[..] else {
        return Err("a compact JWS has three parts".into());
    };
    let object = |part: &str, name: &str| -> Result<Map<String, Value>, String> {
        let bytes = URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|e| format!("the {name} is not base64url: {e}"))?;
        serde_json::from_slice(&bytes).map_err(|e| format!("the {name} is not a JSON object: {e}"))
    };
    let header_map = object(header, "header")?;
    let payload_map = object(payload, "payload")?;
    // An empty signature is read (it goes with `alg: none`, refused next).
    if URL_SAFE_NO_PAD.decode(signature).is_err() {
        return Err("the signature is not base64url".into());
    }
    Ok(UnverifiedJws {
        header: header_map,
        payload: Value::Object(payload_map),
        signing_input: format!("{header}.{payload}"),
        signature: signature.to_owned(),
    })
}

/// A key the assertion may be signed with.
struct Key {
    /// Where it was read from.
    id: String,
    /// Its document.
    document: Value,
}

/// Checks a signed assertion; returns its (verified when the proof checks
/// passed) payload, BadgeClass and issuer Profile.
pub(super) fn check(jws: &UnverifiedJws, resolver: &dyn Resolver, report: &mut Report) -> Graph {
    if !check_header(&jws.header, report) {
        return Graph::alone(jws.payload.clone());
    }
    let graph = Graph::resolve(jws.payload.clone(), resolver, true, report);
    match candidate_keys(&graph, resolver) {
        Ok(keys) => check_signature(jws, &keys, &graph, report),
        Err((code, why)) => report.push("issuer", code, Outcome::Failed, why),
    }
    check_status(&graph, resolver, report);
    graph
}

/// Only `RS256`, and no critical extension; `false` (reported) otherwise.
fn check_header(header: &Map<String, Value>, report: &mut Report) -> bool {
    match header.get("alg") {
        Some(Value::String(alg)) if alg == ALGORITHM => {}
        other => {
            let alg = other.map_or_else(|| "no algorithm".to_owned(), Value::to_string);
            report.push(
                "proof",
                "proof.algorithm_refused",
                Outcome::Failed,
                format!("{alg} is refused: Open Badges 2.0 signatures are {ALGORITHM}"),
            );
            return false;
        }
    }
    if header.contains_key("crit") {
        report.push(
            "proof",
            "proof.header_not_allowed",
            Outcome::Failed,
            "the JWS header has critical extensions this verifier does not know",
        );
        return false;
    }
    true
}

/// The signature against each candidate key, then the binding of the one
/// that verifies.
fn check_signature(jws: &UnverifiedJws, keys: &[Key], graph: &Graph, report: &mut Report) {
    let mut readable = false;
    let mut unreadable = None;
    for key in keys {
        match verify_with(jws, key) {
            Ok(true) => {
                report.push(
                    "proof",
                    "proof.signature_valid",
                    Outcome::Passed,
                    format!("the {ALGORITHM} signature verifies with {}", key.id),
                );
                check_binding(key, graph.issuer.as_ref(), report);
                return;
            }
            Ok(false) => readable = true,
            Err(why) => unreadable = Some(why),
        }
    }
    match unreadable.filter(|_| !readable) {
        Some(why) => report.push("issuer", "issuer.key_invalid", Outcome::Failed, why),
        None => report.push(
            "proof",
            "proof.signature_invalid",
            Outcome::Failed,
            "the signature does not match the assertion with the issuer's key",
        ),
    }
}

/// Whether the signature verifies with `key`; `Err` when the key is
/// unreadable.
fn verify_with(jws: &UnverifiedJws, key: &Key) -> Result<bool, String> {
    let pem = key
        .document
        .get("publicKeyPem")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("the key {} has no publicKeyPem", key.id))?;
    let decoding = DecodingKey::from_rsa_pem(pem.as_bytes())
        .map_err(|e| format!("the key {} is not an RSA public key: {e}", key.id))?;
    Ok(jsonwebtoken::crypto::verify(
        &jws.signature,
        jws.signing_input.as_bytes(),
        &decoding,
        Algorithm::RS256,
    )
    .unwrap_or(false))
}

/// The keys to try: the creator, else those the issuer Profile lists.
fn candidate_keys(
    graph: &Graph,
    resolver: &dyn Resolver,
) -> Result<Vec<Key>, (&'static str, String)> {
    let verification = graph.assertion.get("verification");
    let creator = node_id(verification.and_then(|v| v.get("creator")));
    let ids: Vec<&str> = match (creator, &graph.issuer) {
        (Some(creator), _) => vec![creator],
        (None, Some(issuer)) => listed_keys(issuer).into_iter().take(MAX_KEYS).collect(),
        (None, None) => Vec::new(),
    };
    if ids.is_empty() {
        return Err((
            "issuer.key_reference_missing",
            "the assertion names no creator key and the issuer lists none".into(),
        ));
    }
    let mut keys = Vec::new();
    let mut last_error = String::new();
    for id in ids {
        match fetch_object(resolver, id, "CryptographicKey") {
            Ok(document) => keys.push(Key {
                id: id.to_owned(),
                document,
            }),
            Err(why) => last_error = why,
        }
    }
    if keys.is_empty() {
        return Err(("issuer.key_unresolvable", last_error));
    }
    Ok(keys)
}

/// The ids of the keys a Profile lists in `publicKey` (IRIs or objects).
fn listed_keys(issuer: &Value) -> Vec<&str> {
    match issuer.get("publicKey") {
        Some(Value::Array(items)) => items.iter().filter_map(|i| node_id(Some(i))).collect(),
        single => node_id(single).into_iter().collect(),
    }
}

/// The key must name the issuer as owner, and the issuer must list it.
fn check_binding(key: &Key, issuer: Option<&Value>, report: &mut Report) {
    // Without a readable Profile, `ob2.issuer_unavailable` is already reported.
    let Some(issuer) = issuer else { return };
    let issuer_id = node_id(Some(issuer)).unwrap_or_default();
    let owner = node_id(key.document.get("owner"));
    let failure = if owner != Some(issuer_id) {
        Some(format!(
            "the key {} belongs to {}, not to the issuer {issuer_id}",
            key.id,
            owner.unwrap_or("nobody")
        ))
    } else if !listed_keys(issuer).contains(&key.id.as_str()) {
        Some(format!(
            "the issuer {issuer_id} does not list the key {} in its publicKey",
            key.id
        ))
    } else {
        None
    };
    match failure {
        None => report.push(
            "issuer",
            "issuer.key_bound",
            Outcome::Passed,
            format!("the key {} is the issuer's ({issuer_id})", key.id),
        ),
        Some(why) => report.push("issuer", "issuer.key_not_bound", Outcome::Failed, why),
    }
}

/// Reads the issuer's revocation list, if it publishes one.
fn check_status(graph: &Graph, resolver: &dyn Resolver, report: &mut Report) {
    let verdict = match &graph.issuer {
        None => Err("the issuer Profile cannot be read, so neither can its revocation list".into()),
        Some(issuer) => match issuer.get("revocationList") {
            None | Some(Value::Null) => {
                report.push(
                    "status",
                    "status.none",
                    Outcome::Skipped,
                    "the issuer publishes no revocation list: the assertion cannot be revoked",
                );
                return;
            }
            list => node(list, resolver, "RevocationList", false)
                .and_then(|list| revocation(&graph.assertion, &list)),
        },
    };
    match verdict {
        Ok(None) => report.push(
            "status",
            "status.not_revoked",
            Outcome::Passed,
            "the issuer's revocation list does not list this assertion",
        ),
        Ok(Some(why)) => push_revoked(report, "its revocation list names it", why),
        Err(why) => report.push(
            "status",
            "status.unavailable",
            Outcome::Failed,
            format!("whether the assertion is revoked cannot be established: {why}"),
        ),
    }
}

/// `Ok(Some(reason))` when the list revokes the assertion, `Ok(None)` when
/// it does not, `Err` when the list cannot say.
fn revocation(assertion: &Value, list: &Value) -> Result<Option<Option<String>>, String> {
    let id = assertion
        .get("id")
        .and_then(Value::as_str)
        .ok_or("the assertion has no id to look up")?;
    let Some(Value::Array(entries)) = list.get("revokedAssertions") else {
        return Err("the revocation list has no revokedAssertions".into());
    };
    let entry = entries
        .iter()
        .find(|entry| node_id(Some(entry)) == Some(id));
    Ok(entry.map(|entry| reason(entry.get("revocationReason"))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn revocation_entries_are_ids_or_objects() {
        let list = json!({"revokedAssertions": [
            "urn:uuid:1",
            {"id": "urn:uuid:2", "revocationReason": "Erreur"},
        ]});
        let of = |id: &str| revocation(&json!({"id": id}), &list);
        assert_eq!(of("urn:uuid:1"), Ok(Some(None)));
        assert_eq!(of("urn:uuid:2"), Ok(Some(Some("Erreur".into()))));
        assert_eq!(of("urn:uuid:3"), Ok(None));
        assert!(revocation(&json!({"id": "x"}), &json!({})).is_err());
        assert!(revocation(&json!({}), &list).is_err());
    }

    #[test]
    fn malformed_tokens_are_refused() {
        assert!(decode_unverified("a.b").is_err());
        assert!(decode_unverified("e30.e30.!!").is_err());
        assert!(decode_unverified("e30.e30.").is_ok(), "read, then refused");
        assert!(decode_unverified("e30.bm90IGpzb24.c2ln").is_err());
        let jws = decode_unverified("e30.e30.c2ln").unwrap();
        assert_eq!(jws.signing_input, "e30.e30");
    }
}

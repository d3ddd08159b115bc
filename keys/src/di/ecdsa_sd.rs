//! `ecdsa-sd-2023` (W3C vc-di-ecdsa §3.4-3.5,
//! <https://www.w3.org/TR/vc-di-ecdsa/#ecdsa-sd-2023>): verification of a derived
//! proof, the one a holder presents after choosing what to disclose.
//!
//! The issuer's base proof signs, with its P-256 key, `proofHash || publicKey ||
//! mandatoryHash`: the hash of the canonical proof configuration, a proof-scoped
//! ephemeral P-256 key, and the hash of the statements that must always be disclosed.
//! Every other statement (N-Quad) is signed on its own with the ephemeral key. The
//! derived proof carries the base signature, the ephemeral key, the signatures of the
//! disclosed optional statements, the label map that turns the verifier's canonical
//! blank node labels back into the HMAC-derived ones the issuer signed, and the
//! positions of the mandatory statements.
//!
//! A base proof (header `0xd9 0x5d 0x00`) is for the holder only: the spec verifies
//! derived proofs alone, and a base proof is reported as such
//! ([`DataIntegrityError::SdBaseProof`]), never as valid or invalid.
//!
//! Only P-256 is supported (base and ephemeral keys), as for `ecdsa-rdfc-2019`.

use std::collections::{BTreeMap, HashMap, HashSet};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use ciborium::Value as Cbor;
use p256::ecdsa::VerifyingKey;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::ecdsa::{verdict, verifies};
use super::hashing::{canonical_forms, ConfigContext};
use super::proof::proof_value;
use super::{DataIntegrityError, InvalidProofReason, ProofVerdict};
use crate::ec::P256_MULTICODEC;
use crate::keypair::PublicKey;

/// CBOR tag 0x5d00 and base proof marker: the proof value of a base proof.
const BASE_PROOF_HEADER: [u8; 3] = [0xd9, 0x5d, 0x00];
/// CBOR tag 0x5d01 and derived proof marker: the proof value of a derived proof.
const DERIVED_PROOF_HEADER: [u8; 3] = [0xd9, 0x5d, 0x01];

/// The components of a derived proof value (vc-di-ecdsa §3.5.7,
/// parseDerivedProofValue).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerivedProofValue {
    /// The issuer's signature of `proofHash || publicKey || mandatoryHash`.
    pub base_signature: [u8; 64],
    /// The proof-scoped (ephemeral) key, as Multikey bytes (`0x80 0x24` + 33 bytes).
    pub public_key: Vec<u8>,
    /// The signatures of the disclosed non-mandatory statements, in their order.
    pub signatures: Vec<[u8; 64]>,
    /// Canonical blank node label (`c14n0`) to the label the issuer signed (`u...`).
    pub label_map: BTreeMap<String, String>,
    /// The positions of the mandatory statements among the disclosed ones.
    pub mandatory_indexes: Vec<usize>,
}

impl DerivedProofValue {
    /// Parses a `proofValue`: multibase base64url (`u...`), the derived proof header,
    /// then a CBOR array of the five components (no CBOR tags).
    pub fn parse(proof_value: &str) -> Result<Self, DataIntegrityError> {
        let encoded = proof_value
            .strip_prefix('u')
            .ok_or_else(|| malformed("proofValue is not multibase base64url ('u')"))?;
        let bytes = URL_SAFE_NO_PAD
            .decode(encoded)
            .map_err(|e| malformed(&format!("proofValue: {e}")))?;
        if bytes.starts_with(&BASE_PROOF_HEADER) {
            return Err(DataIntegrityError::SdBaseProof);
        }
        let mut cbor = bytes
            .strip_prefix(&DERIVED_PROOF_HEADER)
            .ok_or_else(|| malformed("proofValue has no ecdsa-sd-2023 derived proof header"))?;
        let value: Cbor = ciborium::de::from_reader(&mut cbor)
            .map_err(|e| malformed(&format!("proofValue CBOR: {e}")))?;
        if !cbor.is_empty() {
            return Err(malformed("proofValue has bytes after its CBOR array"));
        }
        let Cbor::Array(components) = value else {
            return Err(malformed("proofValue is not a CBOR array"));
        };
        let [base_signature, public_key, signatures, label_map, mandatory_indexes] =
            <[Cbor; 5]>::try_from(components)
                .map_err(|_| malformed("proofValue is not an array of five components"))?;
        Ok(Self {
            base_signature: signature(&base_signature)?,
            public_key: multikey(&public_key)?,
            signatures: array(&signatures, "signatures")?
                .iter()
                .map(signature)
                .collect::<Result<_, _>>()?,
            label_map: decompress_label_map(&label_map)?,
            mandatory_indexes: array(&mandatory_indexes, "mandatoryIndexes")?
                .iter()
                .map(|index| index_of(index, "a mandatory index"))
                .collect::<Result<_, _>>()?,
        })
    }
}

/// Whether `proof` is an `ecdsa-sd-2023` base proof (its `proofValue` starts with the
/// base proof header): a proof for the holder, which no verifier can check
/// ([`DataIntegrityError::SdBaseProof`]). Cheap: only the first bytes are decoded.
pub fn is_ecdsa_sd_base_proof(proof: &Value) -> bool {
    let is_sd = proof.get("cryptosuite").and_then(Value::as_str) == Some(super::ECDSA_SD_2023);
    let prefix = proof
        .get("proofValue")
        .and_then(Value::as_str)
        .and_then(|value| value.strip_prefix('u'))
        .and_then(|encoded| encoded.get(..4))
        .and_then(|first| URL_SAFE_NO_PAD.decode(first).ok());
    is_sd && prefix.is_some_and(|bytes| bytes.starts_with(&BASE_PROOF_HEADER))
}

/// What a derived proof is checked against (vc-di-ecdsa §3.5.8, createVerifyData).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdVerifyData {
    /// SHA-256 of the canonical proof configuration.
    pub proof_hash: [u8; 32],
    /// The parsed proof value.
    pub derived: DerivedProofValue,
    /// The disclosed document's canonical N-Quads with the issuer's blank node labels,
    /// sorted: what the issuer signed, statement by statement.
    pub nquads: Vec<String>,
    /// The statements at the mandatory indexes, hashed together.
    pub mandatory_hash: [u8; 32],
    /// The other statements, each with its own signature.
    pub non_mandatory: Vec<String>,
}

/// The verify data of an `ecdsa-sd-2023` derived proof over `secured` (createVerifyData).
///
/// `Ok(Err(reason))` is a verdict: a term is undefined, the proof's context is not a
/// prefix of the document's, or the document has a blank node or fewer statements
/// than the derived proof covers (it was altered).
pub fn ecdsa_sd_verify_data(
    secured: &Value,
    proof: &Value,
) -> Result<Result<SdVerifyData, InvalidProofReason>, DataIntegrityError> {
    let secured = secured
        .as_object()
        .ok_or(DataIntegrityError::NotAnObject("secured document"))?;
    let proof = proof
        .as_object()
        .ok_or(DataIntegrityError::NotAnObject("proof"))?;
    verify_data(secured, proof)
}

fn verify_data(
    secured: &Map<String, Value>,
    proof: &Map<String, Value>,
) -> Result<Result<SdVerifyData, InvalidProofReason>, DataIntegrityError> {
    let derived = DerivedProofValue::parse(proof_value(proof)?)?;
    let forms = match canonical_forms(
        secured,
        proof,
        ConfigContext::DataIntegrity,
        &["proofValue"],
    )? {
        Ok(forms) => forms,
        Err(reason) => return Ok(Err(reason)),
    };
    let labels: HashMap<&str, &str> = derived
        .label_map
        .iter()
        .map(|(canonical, issued)| (canonical.as_str(), issued.as_str()))
        .collect();
    let mut nquads = Vec::new();
    for line in forms.document.split_inclusive('\n') {
        match relabel(line, &labels) {
            Some(relabelled) => nquads.push(relabelled),
            None => {
                return Ok(Err(altered(
                    "a blank node the derived proof does not label",
                )))
            }
        }
    }
    // Sorted by code point. Digital Bazaar's implementation sorts by UTF-16 code unit
    // (a FIXME of theirs), which differs only between characters above U+FFFF and
    // U+E000..U+FFFF at the same position of two statements.
    nquads.sort_unstable();
    let mandatory: HashSet<usize> = derived.mandatory_indexes.iter().copied().collect();
    if mandatory.iter().any(|index| *index >= nquads.len()) {
        return Ok(Err(altered("a mandatory statement is missing")));
    }
    let mut mandatory_hasher = Sha256::new();
    let mut non_mandatory = Vec::new();
    for (index, nquad) in nquads.iter().enumerate() {
        if mandatory.contains(&index) {
            mandatory_hasher.update(nquad.as_bytes());
        } else {
            non_mandatory.push(nquad.clone());
        }
    }
    Ok(Ok(SdVerifyData {
        proof_hash: Sha256::digest(forms.proof_config.as_bytes()).into(),
        derived,
        nquads,
        mandatory_hash: mandatory_hasher.finalize().into(),
        non_mandatory,
    }))
}

/// Verifies an `ecdsa-sd-2023` derived proof with the issuer's P-256 key.
pub(super) fn verify_derived(
    secured: &Map<String, Value>,
    proof: &Map<String, Value>,
    issuer_key: &VerifyingKey,
) -> Result<ProofVerdict, DataIntegrityError> {
    let data = match verify_data(secured, proof)? {
        Ok(data) => data,
        Err(reason) => return Ok(ProofVerdict::Invalid { reason }),
    };
    let derived = &data.derived;
    if derived.signatures.len() != data.non_mandatory.len() {
        return Ok(ProofVerdict::Invalid {
            reason: altered(&format!(
                "{} signatures for {} optional statements",
                derived.signatures.len(),
                data.non_mandatory.len()
            )),
        });
    }
    let ephemeral = PublicKey::from_p256_sec1(&derived.public_key[P256_MULTICODEC.len()..])
        .ok()
        .and_then(|key| key.p256_verifying_key())
        .ok_or_else(|| malformed("the proof-scoped key is not a P-256 point"))?;
    let mut sign_data = Vec::with_capacity(32 + derived.public_key.len() + 32);
    sign_data.extend_from_slice(&data.proof_hash);
    sign_data.extend_from_slice(&derived.public_key);
    sign_data.extend_from_slice(&data.mandatory_hash);
    // Every signature is checked: the verdict does not depend on which one fails first.
    let base_holds = verifies(issuer_key, &sign_data, &derived.base_signature);
    let statements_hold = derived
        .signatures
        .iter()
        .zip(&data.non_mandatory)
        .fold(true, |all, (signature, nquad)| {
            verifies(&ephemeral, nquad.as_bytes(), signature) & all
        });
    Ok(verdict(base_holds && statements_hold))
}

/// A canonical N-Quad with each blank node label (`_:c14n0`, outside IRIs and
/// literals) replaced by its label in `labels`; `None` when one is not in the map.
fn relabel(line: &str, labels: &HashMap<&str, &str>) -> Option<String> {
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len() + 64);
    let mut start = 0;
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            // Canonical N-Quads escape `>` inside an IRI, and `"` and `\` inside a
            // literal, so these delimiters cannot occur unescaped within them.
            b'<' => index += line[index..].find('>')? + 1,
            b'"' => {
                index += 1;
                while *bytes.get(index)? != b'"' {
                    index += if bytes[index] == b'\\' { 2 } else { 1 };
                }
                index += 1;
            }
            b'_' if bytes.get(index + 1) == Some(&b':') => {
                let label_start = index + 2;
                let label_end = line[label_start..]
                    .find([' ', '\n'])
                    .map_or(line.len(), |end| label_start + end);
                out.push_str(&line[start..label_start]);
                out.push_str(labels.get(&line[label_start..label_end])?);
                start = label_end;
                index = label_end;
            }
            _ => index += 1,
        }
    }
    out.push_str(&line[start..]);
    Some(out)
}

/// The label map with its keys as `c14nN` and its values as `u` + base64url.
fn decompress_label_map(value: &Cbor) -> Result<BTreeMap<String, String>, DataIntegrityError> {
    let Cbor::Map(entries) = value else {
        return Err(malformed("the label map is not a CBOR map"));
    };
    entries
        .iter()
        .map(|(key, value)| {
            let key = index_of(key, "a label map key")?;
            let Cbor::Bytes(label) = value else {
                return Err(malformed("a label map value is not a byte string"));
            };
            if label.len() != 32 {
                return Err(malformed("a label map value is not 32 bytes"));
            }
            Ok((
                format!("c14n{key}"),
                format!("u{}", URL_SAFE_NO_PAD.encode(label)),
            ))
        })
        .collect()
}

fn signature(value: &Cbor) -> Result<[u8; 64], DataIntegrityError> {
    match value {
        Cbor::Bytes(bytes) => <[u8; 64]>::try_from(bytes.as_slice())
            .map_err(|_| malformed("a signature is not 64 bytes (P-256)")),
        _ => Err(malformed("a signature is not a byte string")),
    }
}

fn multikey(value: &Cbor) -> Result<Vec<u8>, DataIntegrityError> {
    match value {
        Cbor::Bytes(bytes) if bytes.len() == 35 && bytes.starts_with(&P256_MULTICODEC) => {
            Ok(bytes.clone())
        }
        _ => Err(malformed(
            "the proof-scoped key is not a compressed P-256 Multikey",
        )),
    }
}

fn array<'a>(value: &'a Cbor, what: &str) -> Result<&'a [Cbor], DataIntegrityError> {
    match value {
        Cbor::Array(items) => Ok(items),
        _ => Err(malformed(&format!("{what} is not a CBOR array"))),
    }
}

fn index_of(value: &Cbor, what: &str) -> Result<usize, DataIntegrityError> {
    match value {
        Cbor::Integer(integer) => u64::try_from(*integer)
            .ok()
            .and_then(|index| usize::try_from(index).ok())
            .ok_or_else(|| malformed(&format!("{what} is negative or too large"))),
        _ => Err(malformed(&format!("{what} is not an integer"))),
    }
}

fn malformed(reason: &str) -> DataIntegrityError {
    DataIntegrityError::MalformedProof(reason.to_owned())
}

fn altered(detail: &str) -> InvalidProofReason {
    InvalidProofReason::DisclosureMismatch(detail.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> HashMap<&'static str, &'static str> {
        HashMap::from([("c14n0", "uAAA"), ("c14n1", "uBBB")])
    }

    #[test]
    fn labels_are_replaced_outside_iris_and_literals_only() {
        let line = "_:c14n0 <http://a/_:c14n1> \"x \\\"_:c14n1\\\" y\"^^<http://t> _:c14n1 .\n";
        assert_eq!(
            relabel(line, &labels()).as_deref(),
            Some("_:uAAA <http://a/_:c14n1> \"x \\\"_:c14n1\\\" y\"^^<http://t> _:uBBB .\n")
        );
        assert_eq!(
            relabel("<s> <p> \"o\"@en _:c14n0 .\n", &labels()).as_deref(),
            Some("<s> <p> \"o\"@en _:uAAA .\n")
        );
        assert_eq!(relabel("_:c14n7 <p> <o> .\n", &labels()), None);
        assert_eq!(relabel("<s> <p> \"unterminated\n", &labels()), None);
    }

    #[test]
    fn base_proofs_are_told_apart_from_derived_ones() {
        let proof = |value: &[u8]| {
            serde_json::json!({
                "cryptosuite": "ecdsa-sd-2023",
                "proofValue": format!("u{}", URL_SAFE_NO_PAD.encode(value)),
            })
        };
        assert!(is_ecdsa_sd_base_proof(&proof(&[0xd9, 0x5d, 0x00, 0x85])));
        assert!(!is_ecdsa_sd_base_proof(&proof(&[0xd9, 0x5d, 0x01, 0x85])));
        assert!(!is_ecdsa_sd_base_proof(
            &serde_json::json!({"proofValue": "u2V0AhV"})
        ));
    }

    #[test]
    fn proof_values_of_the_wrong_shape_are_malformed() {
        let encode = |bytes: &[u8]| format!("u{}", URL_SAFE_NO_PAD.encode(bytes));
        let mut base = BASE_PROOF_HEADER.to_vec();
        base.push(0x80);
        assert!(matches!(
            DerivedProofValue::parse(&encode(&base)),
            Err(DataIntegrityError::SdBaseProof)
        ));
        let mut empty_array = DERIVED_PROOF_HEADER.to_vec();
        empty_array.push(0x80);
        let mut trailing = empty_array.clone();
        trailing.push(0x00);
        for bad in [
            "zabc".to_owned(),
            "u!!".to_owned(),
            encode(&[0xd9, 0x5d, 0x02, 0x80]),
            encode(&empty_array),
            encode(&trailing),
            encode(&DERIVED_PROOF_HEADER),
        ] {
            assert!(
                matches!(
                    DerivedProofValue::parse(&bad),
                    Err(DataIntegrityError::MalformedProof(_))
                ),
                "{bad}"
            );
        }
    }
}

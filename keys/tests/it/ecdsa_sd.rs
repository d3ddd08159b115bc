//! `ecdsa-sd-2023`: the W3C vc-di-ecdsa derived-proof vectors reproduced value by
//! value (parsed proof value, relabelled canonical N-Quads, proof and mandatory
//! hashes), their signatures verified, the 1EdTech validator's derived Open Badge,
//! base proofs refused as unverifiable, and negatives.

use keys::di::{
    canonicalize, ecdsa_sd_verify_data, proofs, verify_proof_with, DataIntegrityError,
    DerivedProofValue, InvalidProofReason, ProofVerdict,
};
use keys::did::decode_did_key_public;
use keys::PublicKey;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::support::{fixture, vector, vector_text, verdict, MISMATCH};

const SD: &str = "w3c-vc-di-ecdsa/TestVectors/ecdsa-sd-2023";

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .expect("array")
        .iter()
        .map(|item| item.as_str().expect("string").to_owned())
        .collect()
}

fn hex_of(value: &Value) -> Vec<u8> {
    hex::decode(value.as_str().expect("hex")).expect("hex")
}

fn issuer_key(secured: &Value) -> PublicKey {
    let method = secured["proof"]["verificationMethod"]
        .as_str()
        .expect("method");
    decode_did_key_public(method).expect("P-256 did:key")
}

/// Every intermediate value of the verification side of one vector directory.
fn check_derived_vector(name: &str) {
    let file = |file: &str| vector(&format!("{SD}/{name}/{file}"));
    let secured = file("derivedRevealDocument.json");
    let proof = &secured["proof"];

    let expected = file("verifyDerivedProofValue.json");
    let parsed = DerivedProofValue::parse(proof["proofValue"].as_str().expect("proofValue"))
        .expect("derived proof value");
    assert_eq!(
        parsed.base_signature.to_vec(),
        hex_of(&expected["baseSignature"])
    );
    assert_eq!(
        format!("z{}", bs58::encode(&parsed.public_key).into_string()),
        expected["publicKey"].as_str().expect("publicKey")
    );
    let signatures: Vec<Vec<u8>> = expected["signatures"]
        .as_array()
        .expect("signatures")
        .iter()
        .map(hex_of)
        .collect();
    assert_eq!(
        parsed
            .signatures
            .iter()
            .map(|s| s.to_vec())
            .collect::<Vec<_>>(),
        signatures
    );
    let label_map: Vec<(String, String)> = parsed.label_map.clone().into_iter().collect();
    let expected_labels: Vec<(String, String)> = expected["labelMap"]
        .as_array()
        .expect("labelMap")
        .iter()
        .map(|pair| {
            (
                pair[0].as_str().expect("k").into(),
                pair[1].as_str().expect("v").into(),
            )
        })
        .collect();
    assert_eq!(label_map, expected_labels);
    assert_eq!(
        serde_json::to_value(&parsed.mandatory_indexes).expect("json"),
        expected["mandatoryIndexes"]
    );

    let data = ecdsa_sd_verify_data(&secured, proof)
        .expect("runs")
        .expect("not altered");
    assert_eq!(data.derived, parsed);
    assert_eq!(data.nquads, strings(&file("verifyNQuads.json")), "{name}");
    let expected = file("verifyCreateVerifyData.json");
    assert_eq!(data.proof_hash.to_vec(), hex_of(&expected["proofHash"]));
    assert_eq!(
        data.mandatory_hash.to_vec(),
        hex_of(&expected["mandatoryHash"])
    );
    assert_eq!(data.non_mandatory, strings(&expected["nonMandatory"]));

    // The proof configuration is the base proof's (same options, same context).
    let config_text = vector_text(&format!("{SD}/{name}/addProofConfigCanon.txt"));
    let config = canonicalize(&file("addProofConfig.json")).expect("config");
    assert_eq!(config, config_text.trim_end_matches('\n').to_owned() + "\n");
    assert_eq!(
        data.proof_hash.to_vec(),
        Sha256::digest(config.as_bytes()).to_vec()
    );

    assert_eq!(
        verify_proof_with(&secured, proof, &issuer_key(&secured)).expect("runs"),
        ProofVerdict::Valid,
        "{name}"
    );
}

#[test]
fn w3c_ecdsa_sd_2023_derived_vectors_are_reproduced_and_verify() {
    check_derived_vector("prc");
    check_derived_vector("employ");
}

#[test]
fn base_proofs_are_not_verifiable_by_a_verifier() {
    for name in ["prc", "employ"] {
        let base = vector(&format!("{SD}/{name}/addSignedSDBase.json"));
        let result = verify_proof_with(&base, &base["proof"], &issuer_key(&base));
        assert!(
            matches!(result, Err(DataIntegrityError::SdBaseProof)),
            "{name}: {result:?}"
        );
    }
}

/// The 1EdTech validator's own derived Open Badge (`inspector-vc` test resources,
/// expected valid there). Its key is the fragment of the issuer's https URL.
#[test]
fn one_edtech_derived_open_badge_verifies() {
    let secured = fixture("fixtures/1edtech-validator/ob30/sd__derivedcredential.json");
    let proof = proofs(&secured)[0];
    let method = proof["verificationMethod"].as_str().expect("method");
    let (_, multibase) = method.split_once('#').expect("fragment");
    let key = keys::did::decode_multikey(multibase).expect("P-256 multikey");
    assert_eq!(
        verify_proof_with(&secured, proof, &key).expect("runs"),
        ProofVerdict::Valid
    );
}

fn prc() -> (Value, PublicKey) {
    let secured = vector(&format!("{SD}/prc/derivedRevealDocument.json"));
    let key = issuer_key(&secured);
    (secured, key)
}

#[test]
fn a_changed_disclosed_or_mandatory_statement_is_invalid() {
    let (secured, key) = prc();
    let mut changed = secured.clone();
    changed["credentialSubject"]["birthCountry"] = json!("Utopia");
    assert_eq!(verdict(&changed, &key).expect("runs"), MISMATCH);
    let mut changed = secured.clone();
    changed["issuer"]["image"] = json!("data:image/png;base64,AAAA");
    assert_eq!(verdict(&changed, &key).expect("runs"), MISMATCH);
    let mut changed = secured;
    changed["proof"]["created"] = json!("2023-08-15T23:36:39Z");
    assert_eq!(verdict(&changed, &key).expect("runs"), MISMATCH);
}

#[test]
fn a_removed_or_added_statement_is_invalid() {
    let (secured, key) = prc();
    let mut removed = secured.clone();
    removed
        .as_object_mut()
        .expect("object")
        .remove("validUntil");
    assert!(matches!(
        verdict(&removed, &key).expect("runs"),
        ProofVerdict::Invalid {
            reason: InvalidProofReason::DisclosureMismatch(_)
        }
    ));
    let mut added = secured.clone();
    added["credentialSubject"]["givenName"] = json!("JANE");
    assert!(matches!(
        verdict(&added, &key).expect("runs"),
        ProofVerdict::Invalid {
            reason: InvalidProofReason::DisclosureMismatch(_)
        }
    ));
    // A new blank node has no label in the derived proof.
    let mut added = secured;
    added["credentialSubject"]["permanentResidentCard"] =
        json!({"type": ["PermanentResidentCard"], "lprCategory": "C09"});
    assert!(matches!(
        verdict(&added, &key).expect("runs"),
        ProofVerdict::Invalid {
            reason: InvalidProofReason::DisclosureMismatch(_)
        }
    ));
}

#[test]
fn another_key_or_curve_is_invalid() {
    let (secured, _) = prc();
    // The proof-scoped key of the vectors is a valid P-256 key, but not the issuer's.
    let material = vector(&format!("{SD}/SDKeyMaterial.json"));
    let other = keys::did::decode_multikey(
        material["proofKeyPair"]["publicKeyMultibase"]
            .as_str()
            .expect("multibase"),
    )
    .expect("P-256");
    assert_eq!(verdict(&secured, &other).expect("runs"), MISMATCH);
    let ed25519 =
        PublicKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[1; 32]).verifying_key());
    assert_eq!(
        verdict(&secured, &ed25519).expect("runs"),
        ProofVerdict::Invalid {
            reason: InvalidProofReason::KeyTypeMismatch {
                suite: "ecdsa-sd-2023",
                key: "Ed25519"
            }
        }
    );
}

#[test]
fn a_damaged_proof_value_is_malformed() {
    let (mut secured, key) = prc();
    let proof_value = secured["proof"]["proofValue"]
        .as_str()
        .expect("proofValue")
        .to_owned();
    secured["proof"]["proofValue"] = json!(&proof_value[..proof_value.len() - 8]);
    assert!(matches!(
        verdict(&secured, &key),
        Err(DataIntegrityError::MalformedProof(_))
    ));
}

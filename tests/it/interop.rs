//! Interoperability with Digital Bazaar's JavaScript stack: what `issuer sign`
//! produces, the peer verifies; what the peer signs, `verifier verify`
//! accepts; tampered copies are refused on both sides.

use std::path::Path;

use cross_tests::{describe, fixture, peer, run, stdout};
use serde_json::Value;

/// The Ed25519 seed of the Open Badges implementation guide's test vector.
const PEER_SEED: &str = "6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4";

struct Key {
    file: String,
    jwk_file: String,
}

fn keygen(dir: &Path, alg: &str) -> Key {
    let out = dir.join(alg);
    let output = run(
        "issuer",
        &["keygen", "--out", out.to_str().unwrap(), "--alg", alg],
    );
    assert!(output.status.success(), "keygen: {}", describe(&output));
    let printed: Value = serde_json::from_str(&stdout(&output)).expect("keygen prints JSON");
    assert!(printed["did"].as_str().unwrap().starts_with("did:"));
    let jwk_file = dir.join(format!("{alg}.jwk"));
    std::fs::write(&jwk_file, printed["publicKeyJwk"].to_string()).unwrap();
    Key {
        file: printed["privateKeyFile"].as_str().unwrap().to_string(),
        jwk_file: jwk_file.to_str().unwrap().to_string(),
    }
}

fn sign(key: &Key, format: &str) -> String {
    let unsigned = fixture("ours/unsigned-demarches.json");
    let output = run(
        "issuer",
        &[
            "sign",
            "--key",
            &key.file,
            "--format",
            format,
            unsigned.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "sign: {}", describe(&output));
    stdout(&output)
}

/// Changes the achievement's name: the kind of edit a forger would make.
fn tamper(signed: &str) -> String {
    assert!(signed.contains("Faire ses démarches administratives en ligne"));
    signed.replacen(
        "Faire ses démarches administratives en ligne",
        "Diplôme d'ingénieur",
        1,
    )
}

fn verify(path: &Path) -> (i32, Value) {
    let output = run(
        "verifier",
        &[
            "verify",
            "--json",
            "--now",
            "2026-06-01T00:00:00Z",
            path.to_str().unwrap(),
        ],
    );
    let report = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|e| panic!("verify --json prints JSON ({e}): {}", describe(&output)));
    (output.status.code().unwrap_or(-1), report)
}

fn failed_codes(report: &Value) -> Vec<String> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["outcome"] == "failed")
        .map(|c| c["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn peer_verifies_our_data_integrity_credentials_and_refuses_tampered_ones() {
    let dir = tempfile::tempdir().unwrap();
    let key = keygen(dir.path(), "ed25519");
    let signed = sign(&key, "di");
    let good = dir.path().join("signed.json");
    std::fs::write(&good, &signed).unwrap();
    let output = peer(&["verify-di", good.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "peer refused ours: {}",
        describe(&output)
    );

    let bad = dir.path().join("tampered.json");
    std::fs::write(&bad, tamper(&signed)).unwrap();
    let output = peer(&["verify-di", bad.to_str().unwrap()]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "peer accepted a tampered credential"
    );
}

#[test]
fn peer_verifies_our_vc_jwts_in_both_algorithms_and_refuses_tampered_ones() {
    let dir = tempfile::tempdir().unwrap();
    for alg in ["rs256", "ed25519"] {
        let key = keygen(dir.path(), alg);
        let token = sign(&key, "jwt");
        let token = token.trim();
        assert_eq!(token.split('.').count(), 3, "a compact JWS");
        let good = dir.path().join(format!("{alg}.jwt"));
        std::fs::write(&good, token).unwrap();
        let output = peer(&["verify-jwt", good.to_str().unwrap(), &key.jwk_file]);
        assert!(
            output.status.success(),
            "peer refused our {alg} JWT: {}",
            describe(&output)
        );

        // Flip one character of the payload segment.
        let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
        let flipped = if parts[1].ends_with('A') { 'B' } else { 'A' };
        parts[1].pop();
        parts[1].push(flipped);
        let bad = dir.path().join(format!("{alg}-tampered.jwt"));
        std::fs::write(&bad, parts.join(".")).unwrap();
        let output = peer(&["verify-jwt", bad.to_str().unwrap(), &key.jwk_file]);
        assert_eq!(
            output.status.code(),
            Some(1),
            "peer accepted a tampered {alg} JWT"
        );
    }
}

#[test]
fn we_verify_peer_data_integrity_credentials_and_refuse_tampered_ones() {
    let dir = tempfile::tempdir().unwrap();
    let unsigned = fixture("ours/unsigned-demarches.json");
    let output = peer(&["sign-di", unsigned.to_str().unwrap(), PEER_SEED]);
    assert!(output.status.success(), "peer signs: {}", describe(&output));
    let signed = stdout(&output);
    let good = dir.path().join("peer-signed.json");
    std::fs::write(&good, &signed).unwrap();
    let (code, report) = verify(&good);
    assert_eq!(code, 0, "we refused the peer's credential: {report:#}");
    assert_eq!(report["verified"], true);

    let bad = dir.path().join("peer-tampered.json");
    std::fs::write(&bad, tamper(&signed)).unwrap();
    let (code, report) = verify(&bad);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["verified"], false);
    assert!(failed_codes(&report).contains(&"proof.signature_invalid".to_string()));
}

#[test]
fn we_verify_peer_vc_jwts_and_refuse_tampered_ones() {
    let dir = tempfile::tempdir().unwrap();
    let unsigned = fixture("ours/unsigned-demarches.json");
    let output = peer(&["sign-jwt", unsigned.to_str().unwrap(), PEER_SEED]);
    assert!(output.status.success(), "peer signs: {}", describe(&output));
    let token = stdout(&output).trim().to_string();
    let good = dir.path().join("peer.jwt");
    std::fs::write(&good, &token).unwrap();
    let (code, report) = verify(&good);
    assert_eq!(code, 0, "we refused the peer's JWT: {report:#}");

    let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
    let flipped = if parts[2].starts_with('A') { 'B' } else { 'A' };
    parts[2].replace_range(0..1, &flipped.to_string());
    let bad = dir.path().join("peer-tampered.jwt");
    std::fs::write(&bad, parts.join(".")).unwrap();
    let (code, report) = verify(&bad);
    assert_eq!(code, 1, "{report:#}");
    assert!(failed_codes(&report).contains(&"proof.signature_invalid".to_string()));
}

/// A badge image as the verifier service renders it (badge design and QR
/// code), baked with our Data Integrity credential: what `verifier unbake`
/// takes out of it, the peer verifies.
#[test]
fn the_peer_verifies_the_credential_baked_into_a_rendered_badge() {
    let dir = tempfile::tempdir().unwrap();
    let key = keygen(dir.path(), "ed25519");
    let credential = dir.path().join("signed.json");
    std::fs::write(&credential, sign(&key, "di")).unwrap();
    let rendered = verifier::render::render_badge_png(
        None,
        "Faire ses démarches administratives en ligne",
        "Espace numérique",
        "https://verifier.example.fr/verify?url=https%3A%2F%2Fissuer.example.fr%2Fcredentials%2Fx",
        600,
    )
    .expect("renders");
    let image = dir.path().join("rendered.png");
    std::fs::write(&image, rendered).unwrap();
    let baked = dir.path().join("baked.png");
    let output = run(
        "verifier",
        &[
            "bake",
            "--credential",
            credential.to_str().unwrap(),
            "--image",
            image.to_str().unwrap(),
            "--out",
            baked.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "bake: {}", describe(&output));
    let (code, report) = verify(&baked);
    assert_eq!(code, 0, "{report}");
    let output = run("verifier", &["unbake", baked.to_str().unwrap()]);
    assert!(output.status.success(), "unbake: {}", describe(&output));
    let extracted = dir.path().join("extracted.json");
    std::fs::write(&extracted, stdout(&output)).unwrap();
    let output = peer(&["verify-di", extracted.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "peer refused the baked credential: {}",
        describe(&output)
    );
}

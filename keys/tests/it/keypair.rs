//! Key generation, PKCS#8 PEM round trips and private key files (mode 0600).

use keys::keypair::KeyError;
use keys::{KeyAlgorithm, SigningKey};

use crate::support::rsa_key;

fn round_trip(key: &SigningKey) {
    let directory = tempfile::tempdir().expect("tempdir");
    let path = directory.path().join("issuer.pem");
    key.save(&path).expect("save");
    let loaded = SigningKey::load(&path).expect("load");
    assert_eq!(loaded.algorithm(), key.algorithm());
    assert_eq!(loaded.public_jwk(), key.public_jwk());
    assert_eq!(
        *loaded.to_pkcs8_pem().expect("pem"),
        *key.to_pkcs8_pem().expect("pem")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(directory.path()).expect("dir").count(), 1);
}

#[test]
fn ed25519_generate_save_load() {
    let key = SigningKey::generate(KeyAlgorithm::Ed25519).expect("generate");
    let pem = key.to_pkcs8_pem().expect("pem");
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"), "{}", *pem);
    round_trip(&key);
}

#[test]
fn rsa_generate_save_load() {
    let key = rsa_key();
    assert_eq!(key.algorithm(), KeyAlgorithm::Rs256);
    let jwk = serde_json::to_value(key.public_jwk()).expect("jwk");
    assert_eq!(jwk["kty"], "RSA");
    assert_eq!(jwk["e"], "AQAB");
    // A 2048-bit modulus is 256 bytes: 342 base64url characters.
    assert_eq!(jwk["n"].as_str().map(str::len), Some(342));
    round_trip(key);
}

#[cfg(unix)]
#[test]
fn save_replaces_a_world_readable_file_with_a_private_one() {
    use std::os::unix::fs::PermissionsExt;
    let directory = tempfile::tempdir().expect("tempdir");
    let path = directory.path().join("issuer.pem");
    std::fs::write(&path, "old").expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let key = SigningKey::generate(KeyAlgorithm::Ed25519).expect("generate");
    key.save(&path).expect("save");
    let mode = std::fs::metadata(&path)
        .expect("metadata")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    assert_eq!(
        SigningKey::load(&path).expect("load").public_jwk(),
        key.public_jwk()
    );
}

#[test]
fn load_errors_are_specific() {
    let directory = tempfile::tempdir().expect("tempdir");
    let missing = directory.path().join("missing.pem");
    assert!(matches!(
        SigningKey::load(&missing),
        Err(KeyError::Io { .. })
    ));
    let garbage = directory.path().join("garbage.pem");
    std::fs::write(
        &garbage,
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    )
    .expect("write");
    assert!(matches!(
        SigningKey::load(&garbage),
        Err(KeyError::InvalidPem(_))
    ));
}

#[test]
fn debug_output_names_the_algorithm_only() {
    let debug = format!("{:?}", rsa_key());
    assert!(debug.contains("Rs256"), "{debug}");
    let pem = rsa_key().to_pkcs8_pem().expect("pem");
    let second_line = pem.lines().nth(1).expect("body");
    assert!(!debug.contains(second_line), "{debug}");
}

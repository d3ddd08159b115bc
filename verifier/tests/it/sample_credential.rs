//! The sample Open Badges 3.0 credential, hand-written and unsigned
//! (detection and baking do not look at proofs), shared by the verifier's
//! tests (`samples`) and its `bake` and `render` benches, which include this
//! file with `#[path]`.

use serde_json::{json, Value};

/// A small Open Badges 3.0 credential (unsigned: detection and baking do not
/// look at proofs).
pub const JSON_CREDENTIAL: &str = r#"{
  "@context": [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
  ],
  "id": "urn:uuid:0193f1c2-7a8b-7c9d-8e0f-123456789abc",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "issuer": {"id": "https://issuer.example.fr/profiles/1", "type": ["Profile"], "name": "Réseau Inclusion"},
  "validFrom": "2025-01-15T10:00:00Z",
  "name": "Premiers pas numériques ]]> <svg> & co",
  "credentialSubject": {
    "type": ["AchievementSubject"],
    "achievement": {
      "id": "https://issuer.example.fr/achievements/7",
      "type": ["Achievement"],
      "name": "Envoyer un courriel",
      "criteria": {"narrative": "A envoyé un courriel avec une pièce jointe."}
    }
  }
}"#;

/// [`JSON_CREDENTIAL`] grown to the size of a signed credential (about
/// 3 kB): a long achievement description and a proof-shaped filler.
pub fn realistic_size() -> String {
    let mut credential: Value =
        serde_json::from_str(JSON_CREDENTIAL).expect("the sample credential is JSON");
    credential["credentialSubject"]["achievement"]["description"] = json!("x".repeat(2000));
    credential["proof"] = json!({
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "proofValue": "z".repeat(88)
    });
    credential.to_string()
}

//! VC-JWT sign and verify (RS256, EdDSA, ES256), the 1EdTech JWS fixtures, and the
//! negatives: tampering, wrong key, `alg: none`, HMAC key confusion, alg/key mismatch,
//! private header jwk, unknown header parameters, claim mismatches.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use keys::jwt::{JwtAlgorithm, JwtError, JwtWarning, PayloadStyle, MAX_TOKEN_BYTES};
use keys::{decode_unverified, sign_vc_jwt, verify_vc_jwt, PublicKey, SigningKey, UnverifiedJwt};
use ring::signature::{EcdsaKeyPair, KeyPair as _, ECDSA_P256_SHA256_FIXED_SIGNING};
use serde_json::{json, Value};

use crate::support::{
    complete_credential, ed25519_key, encode_json, fixture, other_rsa_key, rsa_key, sign_raw_eddsa,
};

const KID: &str = "did:web:example.org#key-1";

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000, 0).expect("date")
}

fn ed25519() -> SigningKey {
    SigningKey::Ed25519(ed25519_key(42))
}

/// The parts of a compact JWS, header and payload decoded.
fn split(token: &str) -> (Value, Value, String) {
    let parts: Vec<&str> = token.split('.').collect();
    let decode = |part: &str| -> Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("b64")).expect("json")
    };
    (decode(parts[0]), decode(parts[1]), parts[2].to_owned())
}

/// A compact JWS over header and payload given as raw bytes (duplicate keys, invalid
/// UTF-8...), EdDSA-signed so that only the decoding can refuse it.
fn sign_raw_bytes(header: &[u8], payload: &[u8], key: &ed25519_dalek::SigningKey) -> String {
    use ed25519_dalek::Signer as _;
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let signature = key.sign(input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
}

/// A payload as our signer makes it, for tokens built by hand.
fn payload_of(credential: &Value) -> Value {
    let mut payload = credential.clone();
    payload["iss"] = json!("https://1edtech.edu/issuers/565049");
    payload["jti"] = json!("http://1edtech.edu/credentials/3732");
    payload["sub"] = json!("did:example:ebfeb1f712ebc6f1c276e12ec21");
    payload["nbf"] = json!(1_262_304_000);
    payload["exp"] = json!(1_893_456_000);
    payload
}

#[test]
fn eddsa_sign_and_verify() {
    let key = ed25519();
    let credential = complete_credential();
    let token = sign_vc_jwt(&credential, &key, KID, now()).expect("sign");
    let (header, payload, _) = split(&token);
    assert_eq!(header, json!({"alg": "EdDSA", "typ": "JWT", "kid": KID}));
    assert_eq!(payload["iss"], "https://1edtech.edu/issuers/565049");
    assert_eq!(payload["jti"], "http://1edtech.edu/credentials/3732");
    assert_eq!(payload["sub"], "did:example:ebfeb1f712ebc6f1c276e12ec21");
    assert_eq!(payload["nbf"], 1_262_304_000); // 2010-01-01T00:00:00Z
    assert_eq!(payload["exp"], 1_893_456_000); // 2030-01-01T00:00:00Z
    assert_eq!(payload["iat"], 1_700_000_000);

    let verified = verify_vc_jwt(&token, &key.public_key()).expect("verify");
    assert_eq!(
        verified.credential.to_value().expect("credential"),
        credential
    );
    assert_eq!(verified.style, PayloadStyle::Credential);
    assert_eq!(verified.header.alg, JwtAlgorithm::EdDsa);
    assert_eq!(verified.header.kid.as_deref(), Some(KID));
    assert!(verified.warnings.is_empty(), "{:?}", verified.warnings);
    assert_eq!(
        verified.claims.expires_at().map(|d| d.to_rfc3339()),
        Some("2030-01-01T00:00:00+00:00".into())
    );
}

#[test]
fn rs256_sign_and_verify() {
    let credential = complete_credential();
    let token = sign_vc_jwt(&credential, rsa_key(), KID, now()).expect("sign");
    assert_eq!(split(&token).0["alg"], "RS256");
    let verified = verify_vc_jwt(&token, &rsa_key().public_key()).expect("verify");
    assert_eq!(
        verified.credential.to_value().expect("credential"),
        credential
    );
    // jsonwebtoken, independently, accepts the token with the same key.
    let jwk = serde_json::to_value(rsa_key().public_jwk()).expect("jwk");
    let decoding = jsonwebtoken::DecodingKey::from_rsa_components(
        jwk["n"].as_str().expect("n"),
        jwk["e"].as_str().expect("e"),
    )
    .expect("key");
    let mut validation = jsonwebtoken::Validation::new(Algorithm::RS256);
    validation.validate_exp = false;
    validation.required_spec_claims.clear();
    jsonwebtoken::decode::<Value>(&token, &decoding, &validation).expect("jsonwebtoken");
}

#[test]
fn es256_verify() {
    let rng = ring::rand::SystemRandom::new();
    let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).expect("p256");
    let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng)
        .expect("pair");
    let point = pair.public_key().as_ref();
    assert_eq!(point.len(), 65);
    let key = PublicKey::EcP256 {
        x: URL_SAFE_NO_PAD.encode(&point[1..33]),
        y: URL_SAFE_NO_PAD.encode(&point[33..]),
    };
    let mut header = Header::new(Algorithm::ES256);
    header.kid = Some(KID.into());
    let payload = payload_of(&complete_credential());
    let token = jsonwebtoken::encode(&header, &payload, &EncodingKey::from_ec_der(pkcs8.as_ref()))
        .expect("encode");
    let verified = verify_vc_jwt(&token, &key).expect("verify");
    assert_eq!(verified.header.alg, JwtAlgorithm::Es256);
    // The same token against an Ed25519 key is an alg/key mismatch, not a bad signature.
    assert_eq!(
        verify_vc_jwt(&token, &ed25519().public_key()).err(),
        Some(JwtError::KeyAlgorithmMismatch {
            alg: "ES256",
            key: "Ed25519"
        })
    );
}

#[test]
fn vc_claim_style_is_read() {
    let key = ed25519_key(42);
    let credential = json!({
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "id": "urn:uuid:1", "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": "did:example:issuer", "issuanceDate": "2010-01-01T00:00:00.5Z",
        "expirationDate": "2031-01-01T00:00:00Z",
        "credentialSubject": [{"id": "did:example:subject"}],
    });
    let payload = json!({"vc": credential, "iss": "did:example:issuer", "jti": "urn:uuid:1",
        "sub": "did:example:subject", "nbf": 1_262_304_000, "exp": 1_924_992_000.0});
    let token = sign_raw_eddsa(&json!({"alg": "EdDSA", "typ": "JWT"}), &payload, &key);
    let verified = verify_vc_jwt(&token, &PublicKey::Ed25519(key.verifying_key())).expect("verify");
    assert_eq!(verified.style, PayloadStyle::VcClaim);
    assert_eq!(
        verified.credential.to_value().expect("credential"),
        credential
    );
}

#[test]
fn tampered_payload_and_wrong_key_fail() {
    let key = ed25519();
    let token = sign_vc_jwt(&complete_credential(), &key, KID, now()).expect("sign");
    let (header, mut payload, signature) = split(&token);
    payload["name"] = json!("Forged Degree");
    let tampered = format!(
        "{}.{}.{signature}",
        encode_json(&header),
        encode_json(&payload)
    );
    assert_eq!(
        verify_vc_jwt(&tampered, &key.public_key()).err(),
        Some(JwtError::InvalidSignature)
    );
    let other = PublicKey::Ed25519(ed25519_key(43).verifying_key());
    assert_eq!(
        verify_vc_jwt(&token, &other).err(),
        Some(JwtError::InvalidSignature)
    );

    let rsa_token = sign_vc_jwt(&complete_credential(), rsa_key(), KID, now()).expect("sign");
    assert_eq!(
        verify_vc_jwt(&rsa_token, &other_rsa_key().public_key()).err(),
        Some(JwtError::InvalidSignature)
    );
    let truncated = &rsa_token[..rsa_token.len() - 4];
    assert!(verify_vc_jwt(truncated, &rsa_key().public_key()).is_err());
}

#[test]
fn alg_none_is_refused() {
    let payload = payload_of(&complete_credential());
    for alg in ["none", "None", "NONE"] {
        let token = format!(
            "{}.{}.",
            encode_json(&json!({"alg": alg})),
            encode_json(&payload)
        );
        assert_eq!(
            decode_unverified(&token).err(),
            Some(JwtError::AlgorithmNone),
            "{alg}"
        );
    }
}

#[test]
fn hmac_with_the_rsa_public_key_is_refused() {
    // The classic key confusion: sign HS256 with the verifier's RSA public key as the
    // HMAC secret, hoping it will "verify" with the key it resolved.
    use rsa::pkcs8::{EncodePublicKey, LineEnding};
    let SigningKey::Rsa(private) = rsa_key() else {
        panic!("rsa")
    };
    let public_pem = private
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .expect("pem");
    let payload = payload_of(&complete_credential());
    for alg in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
        let token = jsonwebtoken::encode(
            &Header::new(alg),
            &payload,
            &EncodingKey::from_secret(public_pem.as_bytes()),
        )
        .expect("encode");
        assert!(
            matches!(
                verify_vc_jwt(&token, &rsa_key().public_key()),
                Err(JwtError::SymmetricAlgorithm(_))
            ),
            "{alg:?}"
        );
    }
}

#[test]
fn alg_and_key_type_must_match() {
    let eddsa = sign_vc_jwt(&complete_credential(), &ed25519(), KID, now()).expect("sign");
    assert_eq!(
        verify_vc_jwt(&eddsa, &rsa_key().public_key()).err(),
        Some(JwtError::KeyAlgorithmMismatch {
            alg: "EdDSA",
            key: "RSA"
        })
    );
    let rs256 = sign_vc_jwt(&complete_credential(), rsa_key(), KID, now()).expect("sign");
    assert_eq!(
        verify_vc_jwt(&rs256, &ed25519().public_key()).err(),
        Some(JwtError::KeyAlgorithmMismatch {
            alg: "RS256",
            key: "Ed25519"
        })
    );
    for alg in ["RS512", "PS256", "ES384", "ES256K", "Ed25519"] {
        let token = format!("{}.e30.AA", encode_json(&json!({"alg": alg})));
        assert_eq!(
            decode_unverified(&token).err(),
            Some(JwtError::UnsupportedAlgorithm(alg.into()))
        );
    }
}

#[test]
fn header_jwk_with_private_material_is_refused() {
    let key = ed25519_key(42);
    let mut jwk =
        serde_json::to_value(PublicKey::Ed25519(key.verifying_key()).to_jwk()).expect("jwk");
    jwk["d"] = json!(URL_SAFE_NO_PAD.encode(key.to_bytes()));
    let token = sign_raw_eddsa(
        &json!({"alg": "EdDSA", "jwk": jwk}),
        &payload_of(&complete_credential()),
        &key,
    );
    assert_eq!(
        decode_unverified(&token).err(),
        Some(JwtError::PrivateKeyInHeader("d".into()))
    );
}

#[test]
fn header_parameters_outside_the_spec_are_refused() {
    let key = ed25519_key(42);
    let payload = payload_of(&complete_credential());
    for (name, value) in [
        ("crit", json!(["b64"])),
        ("b64", json!(false)),
        ("cty", json!("JWT")),
        ("x5u", json!("https://evil.example/cert")),
        ("jku", json!("https://evil.example/jwks")),
    ] {
        let mut header = json!({"alg": "EdDSA", "kid": KID});
        header[name] = value;
        let token = sign_raw_eddsa(&header, &payload, &key);
        assert_eq!(
            decode_unverified(&token).err(),
            Some(JwtError::HeaderParameterNotAllowed(name.into())),
            "{name}"
        );
    }
    let token = sign_raw_eddsa(
        &json!({"alg": "EdDSA", "typ": "vc+ld+json"}),
        &payload,
        &key,
    );
    assert_eq!(
        decode_unverified(&token).err(),
        Some(JwtError::InvalidType("vc+ld+json".into()))
    );
    let token = sign_raw_eddsa(&json!({"typ": "JWT"}), &payload, &key);
    assert_eq!(
        decode_unverified(&token).err(),
        Some(JwtError::MissingAlgorithm)
    );
}

#[test]
fn claims_must_match_the_credential() {
    let key = ed25519_key(42);
    let public = PublicKey::Ed25519(key.verifying_key());
    let good = payload_of(&complete_credential());
    let header = json!({"alg": "EdDSA", "typ": "JWT", "kid": KID});
    let token = sign_raw_eddsa(&header, &good, &key);
    let verified = verify_vc_jwt(&token, &public).expect("the hand-built payload is valid");
    assert!(verified.warnings.is_empty());
    for (claim, value) in [
        ("iss", json!("https://evil.example/issuer")),
        ("jti", json!("urn:uuid:other")),
        ("sub", json!("did:example:someone-else")),
        ("nbf", json!(1_262_304_001)),
        ("exp", json!(1_993_456_000)),
    ] {
        let mut payload = good.clone();
        payload[claim] = value;
        let token = sign_raw_eddsa(&header, &payload, &key);
        assert!(
            matches!(verify_vc_jwt(&token, &public), Err(JwtError::ClaimMismatch { claim: c, .. }) if c == claim),
            "{claim}"
        );
    }
    for claim in ["iss", "jti"] {
        let mut payload = good.clone();
        payload.as_object_mut().expect("object").remove(claim);
        let token = sign_raw_eddsa(&header, &payload, &key);
        assert_eq!(
            verify_vc_jwt(&token, &public).err(),
            Some(JwtError::MissingClaim(claim))
        );
    }
    let mut payload = good.clone();
    payload.as_object_mut().expect("object").remove("sub");
    payload.as_object_mut().expect("object").remove("exp");
    let token = sign_raw_eddsa(&header, &payload, &key);
    let verified = verify_vc_jwt(&token, &public).expect("verify");
    assert_eq!(
        verified.warnings,
        vec![JwtWarning::MissingSubject, JwtWarning::MissingExpiration]
    );
    // No nbf: the credential's validFrom still bounds the validity, so the
    // token verifies with a warning; with no validFrom either, it is refused.
    let mut payload = good.clone();
    payload.as_object_mut().expect("object").remove("nbf");
    let token = sign_raw_eddsa(&header, &payload, &key);
    let verified = verify_vc_jwt(&token, &public).expect("verify");
    assert_eq!(verified.warnings, vec![JwtWarning::MissingNotBefore]);
    assert_eq!(verified.claims.not_before(), None);
    payload.as_object_mut().expect("object").remove("validFrom");
    let token = sign_raw_eddsa(&header, &payload, &key);
    assert_eq!(
        verify_vc_jwt(&token, &public).err(),
        Some(JwtError::MissingClaim("nbf"))
    );
    let mut payload = good;
    payload["nbf"] = json!("2010-01-01");
    let token = sign_raw_eddsa(&header, &payload, &key);
    assert!(matches!(
        verify_vc_jwt(&token, &public),
        Err(JwtError::InvalidClaim { claim: "nbf", .. })
    ));
}

#[test]
fn expired_credentials_still_verify_here() {
    // Time validity is the pipeline's verdict against its injected `now`.
    let mut credential = complete_credential();
    credential["validUntil"] = json!("2011-01-01T00:00:00Z");
    let token = sign_vc_jwt(&credential, &ed25519(), KID, now()).expect("sign");
    let verified = verify_vc_jwt(&token, &ed25519().public_key()).expect("verify");
    assert!(verified.claims.expires_at().expect("exp") < now());
}

#[test]
fn signing_refuses_incomplete_credentials() {
    let mut credential = complete_credential();
    credential.as_object_mut().expect("object").remove("id");
    assert!(matches!(
        sign_vc_jwt(&credential, &ed25519(), KID, now()),
        Err(JwtError::InvalidCredential(_))
    ));
    let mut credential = complete_credential();
    credential["iss"] = json!("x");
    assert!(matches!(
        sign_vc_jwt(&credential, &ed25519(), KID, now()),
        Err(JwtError::InvalidCredential(_))
    ));
    assert!(matches!(
        sign_vc_jwt(&json!([]), &ed25519(), KID, now()),
        Err(JwtError::InvalidCredential(_))
    ));
}

#[test]
fn malformed_tokens_are_specific_errors() {
    for token in [
        "",
        "a.b",
        "a.b.c.d",
        "!!.e30.AA",
        "e30.!!.AA",
        "W10.e30.AA",
        "e30.e30.!!",
    ] {
        assert!(
            matches!(
                decode_unverified(token),
                Err(JwtError::Malformed(_)) | Err(JwtError::MissingAlgorithm)
            ),
            "{token}"
        );
    }
}

/// The 1EdTech validator's VC-JWT fixtures: all RS256 with the public key in the
/// header `jwk` (no `kid`), so they verify against that embedded key only; their
/// issuers (`https://1edtech.edu/issuers/565049`, `https://example.edu/issuers/565049`)
/// cannot be resolved, so binding reports `issuer.key_unresolvable`. The last fixture
/// (`simple.jwt`) has neither `kid` nor `jwk`: no key can be found for it.
#[test]
fn jws_fixtures_decode_and_verify_with_their_header_jwk() {
    let fixtures = fixture("fixtures/1edtech-validator/ob30/jws-fixtures.json");
    let fixtures = fixtures["fixtures"].as_array().expect("fixtures");
    assert_eq!(fixtures.len(), 5);
    let resolver = keys::OfflineResolver::new();
    for entry in fixtures {
        let token = entry["compactJws"].as_str().expect("jws");
        let path = entry["upstream_path"].as_str().expect("path");
        let unverified = decode_unverified(token).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(unverified.header.alg, JwtAlgorithm::Rs256, "{path}");
        let expected_style = if entry["style"].as_str().is_some_and(|s| s.contains("1.1")) {
            PayloadStyle::VcClaim
        } else {
            PayloadStyle::Credential
        };
        assert_eq!(unverified.style, expected_style, "{path}");
        let issuer = unverified.claims.iss.clone().expect("iss");
        let binding = keys::resolve_jwt_key(
            &resolver,
            &issuer,
            unverified.header.kid.as_deref(),
            unverified.header.jwk.as_ref(),
        );
        let Some(jwk) = unverified.header.jwk.clone() else {
            assert!(path.ends_with("simple.jwt"), "{path}");
            assert_eq!(
                binding.err().map(|e| e.code()),
                Some("issuer.key_reference_missing")
            );
            continue;
        };
        assert_eq!(
            binding.err().map(|e| e.code()),
            Some("issuer.key_unresolvable"),
            "{path}"
        );
        let verified = unverified
            .verify(&jwk.to_public_key().expect("key"))
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(
            verified.warnings,
            vec![JwtWarning::MissingSubject],
            "{path}"
        );
        assert_eq!(
            verified.claims.aud,
            Some(json!("did:example:ebfeb1f712ebc6f1c276e12ec21"))
        );
    }
}

#[test]
fn decoding_keeps_the_credential_as_its_signed_json() {
    let key = ed25519();
    let credential = complete_credential();
    let token = sign_vc_jwt(&credential, &key, KID, now()).expect("sign");
    let lazy = UnverifiedJwt::decode(&token).expect("decode");
    assert_eq!(lazy.issuer_id(), Some("https://1edtech.edu/issuers/565049"));
    let value = lazy.credential.to_value().expect("credential");
    assert_eq!(value, credential);
    // The registered claims are gone and the issuer's member order is kept.
    let names = |value: &Value| -> Vec<String> {
        value.as_object().expect("object").keys().cloned().collect()
    };
    assert_eq!(names(&value), names(&credential));
    // decode_unverified builds the Value at once; verifying moves it along.
    let unverified = decode_unverified(&token).expect("decode");
    assert_eq!(unverified.credential, credential);
    assert_eq!(unverified.claims, lazy.claims);
    let verified = unverified.verify(&key.public_key()).expect("verify");
    assert_eq!(verified.credential, credential);
}

/// A minimal VC-DM 2.0 payload, as text, so that members can be repeated.
const MINIMAL_PAYLOAD: &str = r#"{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:1","type":["VerifiableCredential"],"name":"Badge","issuer":{"id":"did:example:issuer","name":"Issuer"},"validFrom":"2010-01-01T00:00:00Z","credentialSubject":{"id":"did:example:subject"},"iss":"did:example:issuer","jti":"urn:uuid:1","sub":"did:example:subject","nbf":1262304000}"#;

const EDDSA_HEADER: &[u8] = br#"{"alg":"EdDSA","typ":"JWT"}"#;

#[test]
fn duplicate_members_that_a_check_reads_are_refused() {
    let key = ed25519_key(42);
    let public = PublicKey::Ed25519(key.verifying_key());
    let token = sign_raw_bytes(EDDSA_HEADER, MINIMAL_PAYLOAD.as_bytes(), &key);
    let verified = verify_vc_jwt(&token, &public).expect("the minimal payload is valid");
    assert_eq!(verified.claims.iss.as_deref(), Some("did:example:issuer"));

    let header_cases: [&[u8]; 3] = [
        br#"{"alg":"HS256","alg":"EdDSA"}"#,
        br#"{"alg":"EdDSA","kid":"a","kid":"b"}"#,
        br#"{"alg":"EdDSA","typ":"JWT","\u0074yp":"JWT"}"#,
    ];
    for header in header_cases {
        let token = sign_raw_bytes(header, MINIMAL_PAYLOAD.as_bytes(), &key);
        assert!(
            matches!(decode_unverified(&token), Err(JwtError::Malformed(m)) if m.contains("duplicate")),
            "{}",
            String::from_utf8_lossy(header)
        );
    }
    let repeat = |member: &str| MINIMAL_PAYLOAD.replacen('{', &format!("{{{member},"), 1);
    let payload_cases = [
        repeat(r#""iss":"did:example:evil""#),
        repeat(r#""\u0069ss":"did:example:evil""#),
        repeat(r#""nbf":0"#),
        repeat(r#""id":"urn:uuid:2""#),
        repeat(r#""issuer":"did:example:evil""#),
        repeat(r#""credentialSubject":{"id":"did:example:evil"}"#),
        repeat(r#""validFrom":"2020-01-01T00:00:00Z""#),
        MINIMAL_PAYLOAD.replace(
            r#""issuer":{"id":"did:example:issuer""#,
            r#""issuer":{"id":"did:example:evil","id":"did:example:issuer""#,
        ),
        MINIMAL_PAYLOAD.replace(
            r#""credentialSubject":{"id":"did:example:subject"}"#,
            r#""credentialSubject":[{"id":"did:example:evil","id":"did:example:subject"}]"#,
        ),
        format!(r#"{{"vc":{{}},"vc":{MINIMAL_PAYLOAD}}}"#),
    ];
    for payload in payload_cases {
        assert_ne!(payload, MINIMAL_PAYLOAD);
        let token = sign_raw_bytes(EDDSA_HEADER, payload.as_bytes(), &key);
        assert!(
            matches!(verify_vc_jwt(&token, &public), Err(JwtError::Malformed(m)) if m.contains("duplicate")),
            "{payload}"
        );
    }
}

#[test]
fn duplicate_members_no_check_reads_keep_the_last_one() {
    // RFC 7519 §4 allows a parser that keeps the lexically last duplicate.
    let key = ed25519_key(42);
    let payload = MINIMAL_PAYLOAD.replacen('{', r#"{"name":"First","#, 1);
    let token = sign_raw_bytes(EDDSA_HEADER, payload.as_bytes(), &key);
    let verified = verify_vc_jwt(&token, &PublicKey::Ed25519(key.verifying_key())).expect("verify");
    let credential = verified.credential.to_value().expect("credential");
    assert_eq!(credential["name"], "Badge");
}

#[test]
fn invalid_utf8_and_oversized_tokens_are_refused() {
    let key = ed25519_key(42);
    let mut payload = MINIMAL_PAYLOAD.as_bytes().to_vec();
    payload.splice(1..1, *b"\"x\":\"\xff\",");
    let token = sign_raw_bytes(EDDSA_HEADER, &payload, &key);
    assert!(
        matches!(decode_unverified(&token), Err(JwtError::Malformed(m)) if m.contains("UTF-8")),
        "payload"
    );
    let token = sign_raw_bytes(
        b"{\"alg\":\"EdDSA\",\"kid\":\"\xff\"}",
        MINIMAL_PAYLOAD.as_bytes(),
        &key,
    );
    assert!(
        matches!(decode_unverified(&token), Err(JwtError::Malformed(_))),
        "header"
    );

    let oversized = format!("e30.{}.AA", "A".repeat(MAX_TOKEN_BYTES));
    let too_large = Some(JwtError::TooLarge {
        size: oversized.len(),
        limit: MAX_TOKEN_BYTES,
    });
    assert_eq!(decode_unverified(&oversized).err(), too_large);
    assert_eq!(
        verify_vc_jwt(&oversized, &ed25519().public_key()).err(),
        too_large
    );
}

#[test]
fn deeply_nested_payloads_fail_without_panicking() {
    let key = ed25519_key(42);
    let public = PublicKey::Ed25519(key.verifying_key());
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    for member in ["x", "iss", "issuer", "credentialSubject", "vc"] {
        let payload = MINIMAL_PAYLOAD.replacen('{', &format!(r#"{{"{member}":{deep},"#), 1);
        let token = sign_raw_bytes(EDDSA_HEADER, payload.as_bytes(), &key);
        // Whatever the verdict, it is an error value, not a stack overflow.
        assert!(decode_unverified(&token).is_err(), "{member}");
        let _ = verify_vc_jwt(&token, &public);
    }
}

#[test]
fn claims_and_vc_of_the_wrong_type_are_refused() {
    let key = ed25519_key(42);
    let public = PublicKey::Ed25519(key.verifying_key());
    let good: Value = serde_json::from_str(MINIMAL_PAYLOAD).expect("json");
    let cases = [
        ("iss", json!(null), "not a string"),
        ("jti", json!(["urn:uuid:1"]), "not a string"),
        ("nbf", json!(null), "not a number"),
        ("nbf", json!(18_446_744_073_709_551_615_u64), "out of range"),
        ("exp", json!(1e300), "out of range"),
        ("iat", json!({"seconds": 1}), "not a number"),
    ];
    for (claim, value, reason) in cases {
        let mut payload = good.clone();
        payload[claim] = value;
        let token = sign_raw_eddsa(&json!({"alg": "EdDSA"}), &payload, &key);
        assert!(
            matches!(
                verify_vc_jwt(&token, &public),
                Err(JwtError::InvalidClaim { claim: c, reason: r }) if c == claim && r == reason
            ),
            "{claim}"
        );
    }
    for vc in [json!(null), json!("credential"), json!([{}])] {
        let mut payload = good.clone();
        payload["vc"] = vc;
        let token = sign_raw_eddsa(&json!({"alg": "EdDSA"}), &payload, &key);
        assert_eq!(
            decode_unverified(&token).err(),
            Some(JwtError::InvalidCredential(
                "the vc claim is not an object".into()
            ))
        );
    }
    // A credential date of the wrong type is judged after the signature.
    let mut payload = good;
    payload["validFrom"] = json!(1_262_304_000);
    let token = sign_raw_eddsa(&json!({"alg": "EdDSA"}), &payload, &key);
    let unverified = UnverifiedJwt::decode(&token).expect("decodes");
    assert_eq!(
        unverified
            .verify(&PublicKey::Ed25519(ed25519_key(43).verifying_key()))
            .err(),
        Some(JwtError::InvalidSignature)
    );
    assert_eq!(
        verify_vc_jwt(&token, &public).err(),
        Some(JwtError::InvalidCredential(
            "validFrom is not a string".into()
        ))
    );
}

//! did:key (OB implementation-guide vector), did:jwk, did:web URL mapping and
//! documents, and reading keys out of DID documents.

use keys::did::{self, DidError};
use keys::{PublicKey, SigningKey};
use serde_json::json;

use crate::support::{ed25519_key, fixture, rsa_key};

#[test]
fn did_key_of_the_impl_guide_vector() {
    let vector = fixture("test-vectors/ob3-impl-guide/ob3-eddsa-rdfc-2022-test-vector.json");
    let public_hex = vector["keyPair"]["publicKeyHex"].as_str().expect("hex");
    let bytes: [u8; 32] = hex::decode(public_hex)
        .expect("hex")
        .try_into()
        .expect("32 bytes");
    assert!(public_hex.starts_with("4bdeafde"));
    let key = ed25519_dalek::VerifyingKey::from_bytes(&bytes).expect("key");
    let expected = "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi";
    assert_eq!(did::did_key(&key), expected);
    assert_eq!(
        did::ed25519_multibase(&key),
        vector["keyPair"]["publicKeyMultibase"]
    );
    assert_eq!(did::decode_did_key(expected), Ok(key));

    let document = did::did_key_document(expected).expect("document");
    let method_id = format!("{expected}#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi");
    assert_eq!(document["id"], expected);
    let method = &document["verificationMethod"][0];
    assert_eq!(method["id"], method_id.as_str());
    assert_eq!(method["type"], "Multikey");
    assert_eq!(method["controller"], expected);
    assert_eq!(
        method["publicKeyMultibase"],
        "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    );
    assert_eq!(document["assertionMethod"], json!([method_id]));
    assert_eq!(document["authentication"], json!([method_id]));
}

#[test]
fn did_key_decoding_refuses_other_methods_and_bad_keys() {
    assert!(matches!(
        did::decode_did_key("did:web:example.com"),
        Err(DidError::WrongMethod { .. })
    ));
    assert!(matches!(
        did::decode_did_key("did:key:6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"),
        Err(DidError::InvalidMultibase(_))
    ));
    // A did:key of a P-256 key (multicodec 0x1200) is recognised and refused as such.
    assert!(matches!(
        did::decode_did_key("did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169"),
        Err(DidError::UnsupportedMultikey(_))
    ));
}

#[test]
fn did_jwk_round_trip_for_rsa() {
    let jwk = rsa_key().public_jwk();
    let did = did::did_jwk(&jwk);
    assert!(did.starts_with("did:jwk:eyJrdHkiOiJSU0Ei"), "{did}");
    assert_eq!(did::decode_did_jwk(&did), Ok(jwk));
    let document = did::did_jwk_document(&did).expect("document");
    let method = did::find_verification_method(&document, "#0").expect("#0");
    assert_eq!(method["type"], "JsonWebKey");
    assert_eq!(
        did::method_public_key(method).expect("key"),
        rsa_key().public_key()
    );
}

#[test]
fn did_jwk_with_private_material_is_refused() {
    let private = json!({"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", "d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"});
    let did = format!("did:jwk:{}", crate::support::encode_json(&private));
    assert!(matches!(
        did::decode_did_jwk(&did),
        Err(DidError::Jwk(keys::jwk::JwkError::PrivateMaterial(_)))
    ));
}

#[test]
fn did_web_url_mapping() {
    let table = [
        (
            "did:web:example.com",
            "https://example.com/.well-known/did.json",
        ),
        (
            "did:web:example.com:orgs:abc",
            "https://example.com/orgs/abc/did.json",
        ),
        (
            "did:web:localhost%3A8443",
            "https://localhost:8443/.well-known/did.json",
        ),
        (
            "did:web:example.com%3A3000:user:alice",
            "https://example.com:3000/user/alice/did.json",
        ),
        (
            "did:web:w3c-ccg.github.io:user:alice",
            "https://w3c-ccg.github.io/user/alice/did.json",
        ),
    ];
    for (did_web, url) in table {
        assert_eq!(did::did_web_url(did_web).expect(did_web).as_str(), url);
        assert_eq!(did::did_web_from_url(url).expect(url), did_web);
    }
    // A fragment is ignored; the base URL the DID stands for maps too.
    assert_eq!(
        did::did_web_url("did:web:example.com#key-1")
            .expect("url")
            .as_str(),
        "https://example.com/.well-known/did.json"
    );
    assert_eq!(
        did::did_web_from_url("https://example.com/orgs/abc").expect("base"),
        "did:web:example.com:orgs:abc"
    );
    assert_eq!(
        did::did_web_from_url("https://example.com/").expect("root"),
        "did:web:example.com"
    );
}

#[test]
fn did_web_document_lists_both_key_types() {
    let issuer = "did:web:badges.example.org:orgs:abc";
    let ed25519 = PublicKey::Ed25519(ed25519_key(1).verifying_key());
    let rsa = rsa_key().public_key();
    let document = did::did_web_document(issuer, &[("key-ed25519", &ed25519), ("key-rsa", &rsa)])
        .expect("document");
    assert_eq!(document["id"], issuer);
    assert_eq!(
        document["assertionMethod"],
        json!([format!("{issuer}#key-ed25519"), format!("{issuer}#key-rsa")])
    );
    for (fragment, key, method_type) in [
        ("#key-ed25519", &ed25519, "Multikey"),
        ("#key-rsa", &rsa, "JsonWebKey"),
    ] {
        let method = did::find_verification_method(&document, fragment).expect(fragment);
        assert_eq!(method["type"], method_type);
        assert_eq!(method["controller"], issuer);
        assert!(did::is_listed_under(
            &document,
            did::ASSERTION_METHOD,
            fragment
        ));
        assert_eq!(&did::method_public_key(method).expect("key"), key);
    }
    assert!(method_has_no_private_member(&document));
    assert!(did::did_web_document("did:web:", &[]).is_err());
}

fn method_has_no_private_member(document: &serde_json::Value) -> bool {
    document["verificationMethod"]
        .as_array()
        .expect("methods")
        .iter()
        .filter_map(|method| method.get("publicKeyJwk"))
        .all(|jwk| keys::jwk::private_member(jwk).is_none())
}

#[test]
fn legacy_verification_methods_are_read() {
    let key = ed25519_key(3).verifying_key();
    let document = json!({
        "id": "https://example.edu/issuers/1",
        "verificationMethod": [
            {"id": "#2020", "type": "Ed25519VerificationKey2020",
             "controller": "https://example.edu/issuers/1",
             "publicKeyMultibase": did::ed25519_multibase(&key)},
            {"id": "https://example.edu/issuers/1#2018", "type": "Ed25519VerificationKey2018",
             "controller": "https://example.edu/issuers/1",
             "publicKeyBase58": bs58::encode(key.as_bytes()).into_string()},
        ],
    });
    for id in ["#2020", "https://example.edu/issuers/1#2018"] {
        let method = did::find_verification_method(&document, id).expect(id);
        assert_eq!(did::method_public_key(method), Ok(PublicKey::Ed25519(key)));
    }
}

#[test]
fn signing_key_public_jwk_matches_did_jwk_key() {
    let key = SigningKey::Ed25519(ed25519_key(4));
    let did = did::did_jwk(&key.public_jwk());
    let jwk = did::decode_did_jwk(&did).expect("jwk");
    assert_eq!(jwk.to_public_key(), Ok(key.public_key()));
}

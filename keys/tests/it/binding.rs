//! Key binding: a key verifies a credential only if its issuer controls it.

use keys::binding::BindingError;
use keys::did;
use keys::{resolve_jwt_key, resolve_verification_key, OfflineResolver, PublicKey};
use serde_json::{json, Value};

use crate::support::{ed25519_key, rsa_key};

const WEB_ISSUER: &str = "did:web:badges.example.org:orgs:abc";
const WEB_DOCUMENT_URL: &str = "https://badges.example.org/orgs/abc/did.json";
const HTTPS_ISSUER: &str = "https://example.edu/issuers/565049";

fn ed25519_public(seed: u8) -> PublicKey {
    PublicKey::Ed25519(ed25519_key(seed).verifying_key())
}

/// did:web issuer (pinned by its did.json URL) with an Ed25519 and an RSA key.
fn web_resolver() -> OfflineResolver {
    let ed25519 = ed25519_public(1);
    let rsa = rsa_key().public_key();
    let document = did::did_web_document(WEB_ISSUER, &[("key-1", &ed25519), ("key-rsa", &rsa)])
        .expect("document");
    let mut resolver = OfflineResolver::new();
    resolver.insert(WEB_DOCUMENT_URL, document);
    resolver
}

fn code(result: Result<PublicKey, BindingError>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(error) => error.code(),
    }
}

#[test]
fn did_key_issuer_binds_only_its_own_key() {
    let resolver = OfflineResolver::new();
    let key = ed25519_key(1).verifying_key();
    let issuer = did::did_key(&key);
    let method = did::did_key_verification_method(&key);
    assert_eq!(
        resolve_verification_key(&resolver, &issuer, &method),
        Ok(PublicKey::Ed25519(key))
    );
    let other = did::did_key_verification_method(&ed25519_key(2).verifying_key());
    assert_eq!(
        code(resolve_verification_key(&resolver, &issuer, &other)),
        "issuer.key_not_bound"
    );
    let wrong_fragment = format!("{issuer}#key-1");
    assert_eq!(
        code(resolve_verification_key(
            &resolver,
            &issuer,
            &wrong_fragment
        )),
        "issuer.key_not_found"
    );
    // A did:key method presented for a did:web issuer is not that issuer's key.
    assert_eq!(
        code(resolve_verification_key(
            &web_resolver(),
            WEB_ISSUER,
            &method
        )),
        "issuer.key_not_bound"
    );
}

#[test]
fn did_web_issuer_keys_listed_under_assertion_method() {
    let resolver = web_resolver();
    for (method, expected) in [
        (format!("{WEB_ISSUER}#key-1"), ed25519_public(1)),
        ("#key-rsa".to_owned(), rsa_key().public_key()),
    ] {
        assert_eq!(
            resolve_verification_key(&resolver, WEB_ISSUER, &method),
            Ok(expected)
        );
    }
    assert_eq!(
        code(resolve_verification_key(&resolver, WEB_ISSUER, "#key-2")),
        "issuer.key_not_bound"
    );
    assert_eq!(
        code(resolve_verification_key(
            &resolver,
            "did:web:unknown.example",
            "did:web:unknown.example#k"
        )),
        "issuer.key_unresolvable"
    );
}

fn web_document_with(method: Value, listed: bool) -> OfflineResolver {
    let id = method["id"].clone();
    let mut document = json!({"id": WEB_ISSUER, "verificationMethod": [method]});
    if listed {
        document["assertionMethod"] = json!([id]);
    } else {
        document["authentication"] = json!([id]);
    }
    let mut resolver = OfflineResolver::new();
    resolver.insert(WEB_ISSUER, document);
    resolver
}

#[test]
fn did_web_negative_cases() {
    let good = json!({"id": format!("{WEB_ISSUER}#k"), "type": "Multikey", "controller": WEB_ISSUER,
        "publicKeyMultibase": did::ed25519_multibase(&ed25519_key(1).verifying_key())});
    let method = format!("{WEB_ISSUER}#k");
    let resolver = web_document_with(good.clone(), true);
    assert_eq!(
        code(resolve_verification_key(&resolver, WEB_ISSUER, &method)),
        "ok"
    );
    // Listed for authentication only: not an issuing key.
    let resolver = web_document_with(good.clone(), false);
    assert_eq!(
        code(resolve_verification_key(&resolver, WEB_ISSUER, &method)),
        "issuer.key_not_bound"
    );
    // Controlled by someone else.
    let mut foreign = good.clone();
    foreign["controller"] = json!("did:web:evil.example");
    let resolver = web_document_with(foreign, true);
    assert_eq!(
        code(resolve_verification_key(&resolver, WEB_ISSUER, &method)),
        "issuer.key_not_bound"
    );
    // A key type we do not verify with.
    let mut secp = good.clone();
    secp["publicKeyMultibase"] = json!("zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme");
    let resolver = web_document_with(secp, true);
    assert_eq!(
        code(resolve_verification_key(&resolver, WEB_ISSUER, &method)),
        "issuer.key_unsupported"
    );
    // Malformed key bytes.
    let mut broken = good;
    broken["publicKeyMultibase"] = json!("z6Mk");
    let resolver = web_document_with(broken, true);
    assert_eq!(
        code(resolve_verification_key(&resolver, WEB_ISSUER, &method)),
        "issuer.key_invalid"
    );
}

#[test]
fn https_issuer_profile_lists_its_key() {
    let key = ed25519_key(7).verifying_key();
    let multibase = did::ed25519_multibase(&key);
    let method = format!("{HTTPS_ISSUER}#{multibase}");
    // The 1EdTech fixtures' shape: the profile URL is not resolvable.
    let offline = OfflineResolver::new();
    let unresolvable = resolve_verification_key(&offline, HTTPS_ISSUER, &method);
    assert_eq!(code(unresolvable), "issuer.key_unresolvable");

    let mut resolver = OfflineResolver::new();
    resolver.insert(
        HTTPS_ISSUER,
        json!({
            "id": HTTPS_ISSUER, "type": ["Profile"], "name": "Example University",
            "assertionMethod": [{"id": method, "type": "Multikey", "controller": HTTPS_ISSUER,
                                 "publicKeyMultibase": multibase}],
        }),
    );
    assert_eq!(
        resolve_verification_key(&resolver, HTTPS_ISSUER, &method),
        Ok(PublicKey::Ed25519(key))
    );

    // A profile that does not publish the key: resolvable, but not bound.
    let mut bare = OfflineResolver::new();
    bare.insert(
        HTTPS_ISSUER,
        json!({"id": HTTPS_ISSUER, "type": ["Profile"]}),
    );
    assert_eq!(
        code(resolve_verification_key(&bare, HTTPS_ISSUER, &method)),
        "issuer.key_not_bound"
    );
}

#[test]
fn https_issuer_key_defined_in_a_separate_key_document() {
    let key = ed25519_key(8).verifying_key();
    let method = "https://example.edu/keys/1";
    let mut resolver = OfflineResolver::new();
    resolver.insert(
        HTTPS_ISSUER,
        json!({"id": HTTPS_ISSUER, "assertionMethod": [method]}),
    );
    resolver.insert(
        method,
        json!({"id": method, "type": "Multikey", "controller": HTTPS_ISSUER,
        "publicKeyMultibase": did::ed25519_multibase(&key)}),
    );
    assert_eq!(
        resolve_verification_key(&resolver, HTTPS_ISSUER, method),
        Ok(PublicKey::Ed25519(key))
    );
}

#[test]
fn jwt_kid_in_the_issuers_jwks() {
    let jwks_url = "https://example.edu/keys";
    let kid = "https://example.edu/keys#key-1";
    let mut jwk = serde_json::to_value(rsa_key().public_jwk()).expect("jwk");
    jwk["kid"] = json!("key-1");
    let jwks = json!({"keys": [jwk]});
    let mut resolver = OfflineResolver::new();
    resolver.insert(jwks_url, jwks.clone());
    assert_eq!(
        resolve_jwt_key(&resolver, HTTPS_ISSUER, Some(kid), None),
        Ok(rsa_key().public_key())
    );
    assert_eq!(
        code(resolve_jwt_key(
            &resolver,
            HTTPS_ISSUER,
            Some("https://example.edu/keys#key-2"),
            None
        )),
        "issuer.key_not_found"
    );
    // The same JWKS served from another origin is not the issuer's.
    resolver.insert("https://evil.example/keys", jwks);
    assert_eq!(
        code(resolve_jwt_key(
            &resolver,
            HTTPS_ISSUER,
            Some("https://evil.example/keys#key-1"),
            None
        )),
        "issuer.key_not_bound"
    );
    // kid and jwk must agree.
    let other = ed25519_public(9).to_jwk();
    assert_eq!(
        code(resolve_jwt_key(
            &resolver,
            HTTPS_ISSUER,
            Some(kid),
            Some(&other)
        )),
        "issuer.key_not_bound"
    );
    assert_eq!(
        code(resolve_jwt_key(
            &resolver,
            HTTPS_ISSUER,
            Some("key-1"),
            None
        )),
        "issuer.key_reference_invalid"
    );
}

#[test]
fn jwt_kid_as_did_url_and_embedded_jwk() {
    let resolver = web_resolver();
    let kid = format!("{WEB_ISSUER}#key-rsa");
    assert_eq!(
        resolve_jwt_key(&resolver, WEB_ISSUER, Some(&kid), None),
        Ok(rsa_key().public_key())
    );
    // A header jwk alone: accepted when it is a key the issuer publishes.
    let published = rsa_key().public_jwk();
    assert_eq!(
        resolve_jwt_key(&resolver, WEB_ISSUER, None, Some(&published)),
        Ok(rsa_key().public_key())
    );
    let stranger = ed25519_public(9).to_jwk();
    assert_eq!(
        code(resolve_jwt_key(
            &resolver,
            WEB_ISSUER,
            None,
            Some(&stranger)
        )),
        "issuer.key_not_bound"
    );
    // did:jwk issuer with its own key; did:key issuer with another key.
    let did_jwk = did::did_jwk(&published);
    assert_eq!(
        resolve_jwt_key(&resolver, &did_jwk, None, Some(&published)),
        Ok(rsa_key().public_key())
    );
    let did_key = did::did_key(&ed25519_key(1).verifying_key());
    assert_eq!(
        code(resolve_jwt_key(&resolver, &did_key, None, Some(&stranger))),
        "issuer.key_not_bound"
    );
    assert_eq!(
        code(resolve_jwt_key(&resolver, &did_key, None, None)),
        "issuer.key_reference_missing"
    );
}

#[test]
fn pinned_map_file_is_loaded() {
    let directory = tempfile::tempdir().expect("tempdir");
    let path = directory.path().join("pinned.json");
    let document = json!({"id": HTTPS_ISSUER, "type": ["Profile"]});
    std::fs::write(&path, json!({ HTTPS_ISSUER: document }).to_string()).expect("write");
    let resolver = OfflineResolver::from_map_file(&path).expect("load");
    assert_eq!(
        keys::Resolver::resolve(&resolver, HTTPS_ISSUER),
        Ok(document)
    );
    std::fs::write(&path, "[]").expect("write");
    assert!(OfflineResolver::from_map_file(&path).is_err());
    assert!(OfflineResolver::from_map_file(&directory.path().join("missing.json")).is_err());
}

//! VC-JWT throughput on a ~3.9 KB and a ~16 KB OB 3.0 credential:
//!
//! - `raw_ed25519_verify_strict` / `raw_ed25519_verify`: ed25519-dalek alone over the
//!   same signing input (we use `verify_strict`, which also refuses weak keys);
//! - `vc_jwt_eddsa_verify`: the whole `verify_vc_jwt`: base64, the typed read of header,
//!   claims and credential ids and dates, alg/key check, signature, claim checks; the
//!   verified credential is kept as its JSON text;
//! - `vc_jwt_eddsa_verify_to_value`: the same, then `CredentialJson::to_value`: what a
//!   caller that wants the credential as a `serde_json::Value` pays;
//! - `vc_jwt_eddsa_verify_step`: `UnverifiedJwt::verify` on an already decoded token
//!   (the pipeline decodes first to find the issuer and kid);
//! - `decode`: `UnverifiedJwt::decode` (no `Value`); `decode_unverified`: the same plus
//!   the credential `Value`;
//! - `vc_jwt_rs256_verify`: the whole `verify_vc_jwt` with RS256;
//! - signing with both algorithms.
//!
//! `cargo bench -p keys --bench jwt -- --warm-up-time 1 --measurement-time 3`.

// criterion_group! generates an undocumented `pub fn benches`.
#![allow(missing_docs)]

use std::path::PathBuf;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::DateTime;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use ed25519_dalek::Verifier as _;
use keys::{
    decode_unverified, sign_vc_jwt, verify_vc_jwt, KeyAlgorithm, SigningKey, UnverifiedJwt,
};
use serde_json::Value;

fn complete() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/fixtures/1edtech-validator/ob30/complete.json");
    let text = std::fs::read_to_string(&path).expect("fixture readable");
    let mut credential: Value = serde_json::from_str(&text).expect("fixture is JSON");
    credential.as_object_mut().expect("object").remove("proof");
    credential
}

/// complete.json without its proof, endorsements, achievement creator, result
/// descriptions and results: a realistic single-badge credential of ~3.5 KB.
fn trimmed() -> Value {
    let mut credential = complete();
    let remove = |value: &mut Value, key: &str| {
        value.as_object_mut().expect("object").remove(key);
    };
    remove(&mut credential, "endorsement");
    remove(&mut credential["issuer"], "endorsement");
    let subject = &mut credential["credentialSubject"];
    remove(subject, "result");
    let achievement = &mut subject["achievement"];
    for key in ["creator", "endorsement", "resultDescription", "alignment"] {
        remove(achievement, key);
    }
    credential
}

fn bench_jwt(c: &mut Criterion) {
    let now = DateTime::from_timestamp(1_700_000_000, 0).expect("date");
    let ed25519 = SigningKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(&[42; 32]));
    let SigningKey::Ed25519(raw_signing) = &ed25519 else {
        unreachable!("built as Ed25519 just above")
    };
    let raw_verifying = raw_signing.verifying_key();
    let rsa = SigningKey::generate(KeyAlgorithm::Rs256).expect("rsa");
    let (ed25519_public, rsa_public) = (ed25519.public_key(), rsa.public_key());
    let kid = "did:web:example.org#key-1";

    for (name, credential) in [("trimmed", trimmed()), ("complete", complete())] {
        let size = credential.to_string().len();
        let eddsa_token = sign_vc_jwt(&credential, &ed25519, kid, now).expect("sign");
        let rs256_token = sign_vc_jwt(&credential, &rsa, kid, now).expect("sign");
        let (input, signature) = eddsa_token.rsplit_once('.').expect("jws");
        let signature =
            ed25519_dalek::Signature::from_slice(&URL_SAFE_NO_PAD.decode(signature).expect("b64"))
                .expect("signature");
        let _ = verify_vc_jwt(&eddsa_token, &ed25519_public).expect("eddsa verifies");
        let _ = verify_vc_jwt(&rs256_token, &rsa_public).expect("rs256 verifies");

        let mut group = c.benchmark_group(format!("jwt/{name}-{size}B"));
        group.throughput(Throughput::Bytes(eddsa_token.len() as u64));
        group.bench_function("raw_ed25519_verify_strict", |b| {
            b.iter(|| raw_verifying.verify_strict(input.as_bytes(), &signature))
        });
        group.bench_function("raw_ed25519_verify", |b| {
            b.iter(|| raw_verifying.verify(input.as_bytes(), &signature))
        });
        group.bench_function("vc_jwt_eddsa_verify", |b| {
            b.iter(|| verify_vc_jwt(&eddsa_token, &ed25519_public))
        });
        group.bench_function("vc_jwt_eddsa_verify_to_value", |b| {
            b.iter(|| {
                verify_vc_jwt(&eddsa_token, &ed25519_public)
                    .and_then(|verified| verified.credential.to_value())
            })
        });
        let unverified = UnverifiedJwt::decode(&eddsa_token).expect("decode");
        group.bench_function("vc_jwt_eddsa_verify_step", |b| {
            b.iter_batched(
                || unverified.clone(),
                |unverified| unverified.verify(&ed25519_public),
                BatchSize::SmallInput,
            )
        });
        group.bench_function("decode", |b| b.iter(|| UnverifiedJwt::decode(&eddsa_token)));
        group.bench_function("decode_unverified", |b| {
            b.iter(|| decode_unverified(&eddsa_token))
        });
        group.bench_function("vc_jwt_rs256_verify", |b| {
            b.iter(|| verify_vc_jwt(&rs256_token, &rsa_public))
        });
        group.bench_function("vc_jwt_eddsa_sign", |b| {
            b.iter(|| sign_vc_jwt(&credential, &ed25519, kid, now))
        });
        group.bench_function("vc_jwt_rs256_sign", |b| {
            b.iter(|| sign_vc_jwt(&credential, &rsa, kid, now))
        });
        group.finish();
    }
}

criterion_group!(benches, bench_jwt);
criterion_main!(benches);

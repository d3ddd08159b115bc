//! Data Integrity throughput: eddsa-rdfc-2022 sign and verify, canonicalisation alone,
//! and raw Ed25519 over 64 bytes (the part that is not canonicalisation), on four
//! credentials from 875 B to 15.8 KB, among them `trimmed-3k`, the ~3 KB credential of
//! the engine's 10,000 verifications/s target, and `ours`, a credential as the issuer
//! awards it. Each group says which canonicalisation path the credential takes; where
//! it is the direct one, the general path is measured too.
//!
//! `cargo bench -p keys --bench di -- --warm-up-time 1 --measurement-time 3`;
//! results are recorded in docs/CANONICALISATION.md and docs/BENCHMARKS.md.

// criterion_group! generates an undocumented `pub fn benches`.
#![allow(missing_docs)]

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ed25519_dalek::{Signer, SigningKey};
use keys::di::{
    canonicalize, canonicalize_direct, canonicalize_general_path, sign_eddsa_rdfc_2022,
    verify_proof, ProofOptions,
};
use serde_json::Value;

fn fixture(relative: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(relative);
    let text = std::fs::read_to_string(&path).expect("fixture readable");
    serde_json::from_str(&text).expect("fixture is JSON")
}

fn without_proof(mut document: Value) -> Value {
    document.as_object_mut().expect("object").remove("proof");
    document
}

/// `complete.json` cut down to a realistic single-badge credential of ~3.1 KB compact
/// (the size of the engine's target): without its proof, endorsements, result,
/// achievement creator, alignments and result descriptions (as the `trimmed` credential
/// of the `jwt` bench), nor evidence and the issuer's postal address.
fn trimmed_3k(ob30: &str) -> Value {
    let mut credential = without_proof(fixture(&format!("{ob30}/complete.json")));
    let remove = |value: &mut Value, key: &str| {
        value.as_object_mut().expect("object").remove(key);
    };
    remove(&mut credential, "endorsement");
    remove(&mut credential, "evidence");
    remove(&mut credential["issuer"], "endorsement");
    remove(&mut credential["issuer"], "address");
    let subject = &mut credential["credentialSubject"];
    remove(subject, "result");
    let achievement = &mut subject["achievement"];
    for key in ["creator", "endorsement", "resultDescription", "alignment"] {
        remove(achievement, key);
    }
    credential
}

/// The credentials measured, smallest first, with their JSON size.
fn credentials() -> Vec<(&'static str, Value)> {
    let ob30 = "fixtures/1edtech-validator/ob30";
    vec![
        (
            "ob3-vector",
            fixture("test-vectors/ob3-impl-guide/ob3-eddsa-rdfc-2022-test-vector.json")
                ["unsignedCredential"]
                .clone(),
        ),
        (
            "status-blank-nodes",
            without_proof(fixture(&format!(
                "{ob30}/bit-string-list__credential-status-revoked-blank-nodes.json"
            ))),
        ),
        ("trimmed-3k", trimmed_3k(ob30)),
        ("ours", fixture("ours/unsigned-demarches.json")),
        (
            "complete",
            without_proof(fixture(&format!("{ob30}/complete.json"))),
        ),
    ]
}

fn data_integrity(c: &mut Criterion) {
    let key = SigningKey::from_bytes(&[7; 32]);
    let public = key.verifying_key();
    let options = ProofOptions::new(
        "did:key:z6Mk#z6Mk",
        "2024-01-01T00:00:00Z".parse().expect("date"),
    );
    for (name, unsigned) in credentials() {
        let size = serde_json::to_vec(&unsigned).expect("serialises").len();
        // Which path canonicalises it (docs/CANONICALISATION.md).
        let path = if canonicalize_direct(&unsigned).is_some() {
            "direct"
        } else {
            "general"
        };
        let mut group = c.benchmark_group(format!("{name} ({size} bytes, {path} path)"));
        group.throughput(Throughput::Elements(1));
        group.bench_function("canonicalize", |b| {
            b.iter(|| canonicalize(&unsigned).expect("canonicalises"))
        });
        if path == "direct" {
            group.bench_function("canonicalize (general path)", |b| {
                b.iter(|| canonicalize_general_path(&unsigned).expect("canonicalises"))
            });
        }
        group.bench_function("sign eddsa-rdfc-2022", |b| {
            b.iter(|| sign_eddsa_rdfc_2022(&unsigned, &key, options.clone()).expect("signs"))
        });
        let secured = sign_eddsa_rdfc_2022(&unsigned, &key, options.clone()).expect("signs");
        group.bench_function("verify eddsa-rdfc-2022", |b| {
            b.iter(|| {
                let verdict = verify_proof(&secured, &secured["proof"], &public).expect("runs");
                assert!(verdict.is_valid());
            })
        });
        group.finish();
    }

    let message = [42u8; 64];
    let signature = key.sign(&message);
    let mut group = c.benchmark_group("ed25519 (64 bytes)");
    group.throughput(Throughput::Elements(1));
    group.bench_function("sign", |b| b.iter(|| key.sign(&message)));
    group.bench_function("verify_strict", |b| {
        b.iter(|| public.verify_strict(&message, &signature).expect("valid"))
    });
    group.finish();
}

criterion_group!(benches, data_integrity);
criterion_main!(benches);

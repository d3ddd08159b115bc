//! The whole verification pipeline in process, on one core:
//! `verifier::pipeline::verify_bytes` (input detection, JSON Schema validation,
//! proof and did:key binding, validity window) with an `OfflineResolver`, on a
//! did:key-signed Data Integrity (eddsa-rdfc-2022) credential and on a VC-JWT
//! (EdDSA) of the same credential.
//!
//! This is the single-core rate the HTTP load test (`verifier/benches/http_load.sh`)
//! compares `verifier serve` with. That script passes the files it signed with
//! `issuer sign` through `VERIFIER_BENCH_DI` and `VERIFIER_BENCH_JWT`; without them
//! the bench signs `tests/fixtures/ours/unsigned-demarches.json` itself.
//!
//! `cargo bench -p verifier --bench pipeline -- --warm-up-time 1 --measurement-time 3`;
//! results are recorded in docs/BENCHMARKS.md.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;
use std::path::PathBuf;

use chrono::Utc;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use keys::di::{sign_eddsa_rdfc_2022, ProofOptions};
use keys::did::{did_key, did_key_verification_method};
use keys::{KeyAlgorithm, OfflineResolver, SigningKey};
use serde_json::Value;
use verifier::pipeline::{verify_bytes, VerifyOptions};

/// The two inputs: from the files named by the environment, or signed here.
fn inputs() -> [(&'static str, Vec<u8>); 2] {
    if let (Ok(di), Ok(jwt)) = (
        std::env::var("VERIFIER_BENCH_DI"),
        std::env::var("VERIFIER_BENCH_JWT"),
    ) {
        let read = |path: &str| std::fs::read(path).expect("input file readable");
        return [("data-integrity", read(&di)), ("vc-jwt", read(&jwt))];
    }
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/ours/unsigned-demarches.json");
    let text = std::fs::read_to_string(path).expect("fixture readable");
    let mut credential: Value = serde_json::from_str(&text).expect("fixture is JSON");
    let key = SigningKey::generate(KeyAlgorithm::Ed25519).expect("key");
    let SigningKey::Ed25519(ed25519) = &key else {
        unreachable!("generated as Ed25519 just above")
    };
    let public = ed25519.verifying_key();
    let (did, method) = (did_key(&public), did_key_verification_method(&public));
    credential["issuer"]["id"] = did.into();
    let now = Utc::now();
    let signed =
        sign_eddsa_rdfc_2022(&credential, ed25519, ProofOptions::new(&method, now)).expect("signs");
    let token = keys::sign_vc_jwt(&credential, &key, &method, now).expect("signs");
    [
        (
            "data-integrity",
            serde_json::to_vec_pretty(&signed).expect("serialises"),
        ),
        ("vc-jwt", token.into_bytes()),
    ]
}

fn bench(c: &mut Criterion) {
    let resolver = OfflineResolver::new();
    let options = VerifyOptions {
        now: Utc::now(),
        resolver: &resolver,
        recipient: None,
    };
    let mut group = c.benchmark_group("verify_bytes");
    group.throughput(Throughput::Elements(1));
    for (name, bytes) in inputs() {
        let report = verify_bytes(&bytes, &options).expect("runs");
        assert!(
            report.verified,
            "{name} does not verify: {}",
            serde_json::to_string(&report).unwrap_or_default()
        );
        println!("{name}: {} bytes", bytes.len());
        group.bench_function(format!("{name} ({} bytes)", bytes.len()), |b| {
            b.iter(|| verify_bytes(black_box(&bytes), &options).expect("runs"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

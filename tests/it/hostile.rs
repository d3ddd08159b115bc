//! Hostile input through the whole verification pipeline: truncated and
//! mutated copies of validly signed credentials in every format (Data
//! Integrity JSON, VC-JWT, baked PNG, baked SVG) must each end as a report
//! or an input error, never a panic; and a mutated credential is never
//! reported as verified unless its bytes still mean the same credential.
//! The command line gets a sample too: only exit codes 0, 1 and 2 occur.

use chrono::{TimeZone, Utc};
use cross_tests::{fixture, run};
use keys::di::{sign_eddsa_rdfc_2022, ProofOptions};
use keys::did::{did_key, did_key_verification_method};
use keys::{KeyAlgorithm, OfflineResolver, SigningKey};
use serde_json::Value;
use verifier::bake::{bake_png, bake_svg};
use verifier::pipeline::{verify_bytes, VerifyOptions};

/// Mutations per seed.
const ROUNDS: usize = 150;

/// xorshift64*: deterministic, so that a failure replays.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }
}

struct Seeds {
    json: String,
    jwt: String,
    png: Vec<u8>,
    svg: String,
}

fn seeds() -> Seeds {
    let key = SigningKey::generate(KeyAlgorithm::Ed25519).unwrap();
    let SigningKey::Ed25519(ed25519) = &key else {
        unreachable!("generated an Ed25519 key")
    };
    let public = ed25519.verifying_key();
    let mut credential: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("ours/unsigned-demarches.json")).unwrap(),
    )
    .unwrap();
    credential["issuer"]["id"] = did_key(&public).into();
    let created = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let method = did_key_verification_method(&public);
    let signed =
        sign_eddsa_rdfc_2022(&credential, ed25519, ProofOptions::new(&method, created)).unwrap();
    let json = serde_json::to_string(&signed).unwrap();
    let jwt = keys::sign_vc_jwt(&credential, &key, &method, created).unwrap();
    let mut image = Vec::new();
    image::DynamicImage::new_rgba8(32, 32)
        .write_to(
            &mut std::io::Cursor::new(&mut image),
            image::ImageFormat::Png,
        )
        .unwrap();
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>"#;
    Seeds {
        png: bake_png(&image, &json).unwrap(),
        svg: bake_svg(svg, &jwt).unwrap(),
        json,
        jwt,
    }
}

fn mutate(input: &[u8], random: &mut Random) -> Vec<u8> {
    const TOKENS: &[&[u8]] = &[
        b"\0",
        b"{",
        b"}",
        b"[",
        b"\"",
        b".",
        b"<!DOCTYPE x [<!ENTITY a \"b\">]>",
        b"&a;",
        b"\xff",
        b"null",
        b"1e999",
        b"]]>",
    ];
    let mut bytes = input.to_vec();
    match random.below(5) {
        // Truncation, anywhere.
        0 => bytes.truncate(random.below(bytes.len())),
        _ => {
            for _ in 0..=random.below(3) {
                let at = random.below(bytes.len() + 1);
                match random.below(4) {
                    0 if at < bytes.len() => bytes[at] ^= 1 << random.below(8),
                    1 => {
                        let end = (at + random.below(24)).min(bytes.len());
                        bytes.drain(at..end);
                    }
                    2 => {
                        let token = TOKENS[random.below(TOKENS.len())];
                        bytes.splice(at..at, token.iter().copied());
                    }
                    _ if at < bytes.len() => bytes[at] = random.next() as u8,
                    _ => {}
                }
            }
        }
    }
    bytes
}

/// Structural mutations of the JSON credential: a value replaced by another
/// type, a member removed, deep nesting added.
fn mutate_json(json: &str, random: &mut Random) -> Vec<u8> {
    let mut value: Value = serde_json::from_str(json).unwrap();
    let replacements = [
        Value::Null,
        Value::from(42),
        Value::from("x"),
        Value::Array(vec![]),
        serde_json::json!({}),
        serde_json::from_str::<Value>(&format!("{}1{}", "[".repeat(80), "]".repeat(80))).unwrap(),
    ];
    // Walk down a random path (read-only), then edit at its end.
    let mut pointer = String::new();
    let mut node = &value;
    for _ in 0..random.below(5) {
        let step = match node {
            Value::Object(map) if !map.is_empty() => map
                .iter()
                .nth(random.below(map.len()))
                .map(|(key, next)| (key.replace('~', "~0").replace('/', "~1"), next)),
            Value::Array(items) if !items.is_empty() => {
                let index = random.below(items.len());
                Some((index.to_string(), &items[index]))
            }
            _ => None,
        };
        let Some((segment, next)) = step else { break };
        pointer.push('/');
        pointer.push_str(&segment);
        node = next;
    }
    let node = value.pointer_mut(&pointer).unwrap();
    if random.below(3) == 0 {
        if let Value::Object(map) = node {
            if let Some(key) = map.keys().next().cloned() {
                map.remove(&key);
            }
        }
    } else {
        *node = replacements[random.below(replacements.len())].clone();
    }
    serde_json::to_vec(&value).unwrap()
}

#[test]
fn mutated_signed_credentials_of_every_format_never_panic_the_pipeline() {
    let seeds = seeds();
    let resolver = OfflineResolver::new();
    let options = VerifyOptions {
        now: Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap(),
        resolver: &resolver,
        recipient: Some("participant@example.fr"),
    };
    // Each seed verifies as given: the mutants start from valid inputs.
    let inputs: [&[u8]; 4] = [
        seeds.json.as_bytes(),
        seeds.jwt.as_bytes(),
        &seeds.png,
        seeds.svg.as_bytes(),
    ];
    for seed in inputs {
        let report = verify_bytes(
            seed,
            &VerifyOptions {
                recipient: None,
                ..options
            },
        )
        .unwrap();
        assert!(report.verified, "{:#?}", report.checks);
    }
    let mut random = Random(0x05EE_D0B3);
    let (mut reports, mut not_a_badge, mut verified) = (0, 0, 0);
    for seed in inputs {
        for round in 0..ROUNDS {
            let mutant = if round % 3 == 0 && seed == seeds.json.as_bytes() {
                mutate_json(&seeds.json, &mut random)
            } else {
                mutate(seed, &mut random)
            };
            match verify_bytes(&mutant, &options) {
                Ok(report) => {
                    reports += 1;
                    verified += usize::from(report.verified);
                    assert!(!report.checks.is_empty());
                    // A mutant that no longer holds a credential is a verdict
                    // too ("not a badge"), not a failure to run.
                    not_a_badge +=
                        usize::from(report.checks.iter().any(|c| c.code == "input.not_a_badge"));
                    serde_json::to_string(&report).unwrap();
                }
                Err(error) => {
                    // Only unreadable or oversized input may fail to run.
                    assert!(!error.to_string().is_empty());
                }
            }
        }
    }
    assert!(
        reports > 50 && not_a_badge > 50,
        "{reports} reports, {not_a_badge} of them not a badge"
    );
    // A mutant passes only when the mutation did not change what was signed
    // (whitespace, an unsigned PNG chunk byte, ...): rare.
    assert!(
        verified < reports / 4,
        "{verified} of {reports} mutants verified"
    );
}

#[test]
fn the_command_line_answers_hostile_files_with_exit_1_or_2_and_a_reason() {
    let seeds = seeds();
    let dir = tempfile::tempdir().unwrap();
    let mut random = Random(0xC11);
    let mut cases: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"{".to_vec(),
        seeds.png[..seeds.png.len() / 2].to_vec(),
        format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
        br#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg>&x;</svg>"#.to_vec(),
        b"eyJhbGciOiJub25lIn0.eyJ9.".to_vec(),
    ];
    for _ in 0..12 {
        cases.push(mutate(&seeds.png, &mut random));
        cases.push(mutate(seeds.jwt.as_bytes(), &mut random));
    }
    for (index, case) in cases.iter().enumerate() {
        let path = dir.path().join(format!("case-{index}"));
        std::fs::write(&path, case).unwrap();
        let output = run(
            "verifier",
            &[
                "verify",
                "--now",
                "2026-06-01T00:00:00Z",
                path.to_str().unwrap(),
            ],
        );
        let code = output.status.code();
        assert!(
            matches!(code, Some(1) | Some(2)),
            "case {index}: exit {code:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        if code == Some(2) {
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                stderr.starts_with("verifier: ") && stderr.len() > 12,
                "{stderr}"
            );
        }
    }
}

//! The direct canonicalisation path against the general one (`json-ld` + `rdf-canon`):
//! whenever the direct path answers, its bytes must be the general path's, on every
//! bundled fixture, on the proof configurations they sign, and on thousands of
//! seeded random mutations of them. The direct path may decline (`None`); it must
//! never answer differently.

use std::path::{Path, PathBuf};

use keys::di::{canonicalize_direct, canonicalize_general_path};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::{json, Map, Value};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn json_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures dir")
        .map(|entry| entry.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            json_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "json") {
            found.push(path);
        }
    }
}

/// Every JSON-LD document of the fixtures: each credential without its proofs, each
/// proof configuration (proof without `proofValue`, with the document's `@context`),
/// and every embedded object that has its own `@context` (e.g. endorsements).
fn corpus() -> Vec<(String, Value)> {
    let mut files = Vec::new();
    json_files(&fixtures_dir(), &mut files);
    let mut documents = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read fixture");
        let Ok(value) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        let name = path
            .strip_prefix(fixtures_dir())
            .expect("under fixtures")
            .display()
            .to_string();
        collect_documents(&name, &value, &mut documents);
    }
    documents
}

fn collect_documents(name: &str, value: &Value, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            if let Some(context) = map.get("@context") {
                let mut unsecured = map.clone();
                let proofs = unsecured.remove("proof");
                out.push((name.to_owned(), Value::Object(unsecured)));
                let proofs = match proofs {
                    Some(Value::Array(items)) => items,
                    Some(single) => vec![single],
                    None => Vec::new(),
                };
                for (index, proof) in proofs.iter().enumerate() {
                    if let Value::Object(proof) = proof {
                        let mut config = Map::new();
                        config.insert("@context".into(), context.clone());
                        for (key, value) in proof {
                            if key != "proofValue" && key != "@context" {
                                config.insert(key.clone(), value.clone());
                            }
                        }
                        out.push((format!("{name} proof {index}"), Value::Object(config)));
                    }
                }
            }
            for (key, nested) in map {
                if key != "@context" {
                    collect_documents(&format!("{name}/{key}"), nested, out);
                }
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                collect_documents(&format!("{name}[{index}]"), item, out);
            }
        }
        _ => {}
    }
}

/// Compares both paths on one document: `Some(true)` when the direct path answered
/// (and agreed), `Some(false)` when it declined. Panics on a disagreement.
fn compare(name: &str, document: &Value) -> bool {
    let Some(direct) = canonicalize_direct(document) else {
        return false;
    };
    match canonicalize_general_path(document) {
        Ok(general) => assert_eq!(
            direct,
            general,
            "{name}: the paths disagree on\n{}",
            serde_json::to_string_pretty(document).expect("json")
        ),
        Err(error) => panic!(
            "{name}: the direct path answered where the general path fails ({error}) on\n{}",
            serde_json::to_string_pretty(document).expect("json")
        ),
    }
    true
}

#[test]
fn both_paths_agree_on_every_fixture_and_proof_configuration() {
    let corpus = corpus();
    assert!(corpus.len() > 60, "only {} documents found", corpus.len());
    let direct = corpus
        .iter()
        .filter(|(name, document)| compare(name, document))
        .count();
    // The direct path must carry the common case, not decline it.
    assert!(
        direct * 10 >= corpus.len() * 7,
        "the direct path answered only {direct} of {} documents",
        corpus.len()
    );
}

#[test]
fn the_direct_path_carries_the_credentials_we_issue_and_the_validator_fixtures() {
    let corpus = corpus();
    for name in [
        "ours/unsigned-demarches.json",
        "fixtures/1edtech-validator/ob30/simple.json",
        // Not complete.json itself: it has an `@list` and two identical blank nodes,
        // which the general path handles; but its embedded endorsements.
        "fixtures/1edtech-validator/ob30/complete.json/",
        "fixtures/1edtech-validator/ob30/bit-string-list__credential-status-revoked-blank-nodes.json",
        "examples/ob3-spec/endorsementcredential.json",
    ] {
        let documents: Vec<_> = corpus
            .iter()
            .filter(|(document_name, _)| document_name.starts_with(name))
            .collect();
        assert!(!documents.is_empty(), "{name} not found");
        for (document_name, document) in documents {
            // Documents the general path refuses (undefined terms) are declined too.
            if canonicalize_general_path(document).is_ok() {
                assert!(
                    compare(document_name, document),
                    "the direct path declined {document_name}"
                );
            }
        }
    }
}

#[test]
fn the_direct_path_reproduces_the_published_vectors() {
    for (file, options) in [
        (
            "test-vectors/ob3-impl-guide/ob3-eddsa-rdfc-2022-test-vector.json",
            "proofOptions",
        ),
        (
            "test-vectors/w3c-vc-di-eddsa/eddsa-rdfc-2022-test-vector.json",
            "proofConfig",
        ),
    ] {
        let text = std::fs::read_to_string(fixtures_dir().join(file)).expect("vector");
        let vector: Value = serde_json::from_str(&text).expect("json");
        let document = &vector["unsignedCredential"];
        assert_eq!(
            canonicalize_direct(document).as_deref(),
            vector["canonicalDocumentNQuads"].as_str(),
            "{file}: document"
        );
        let mut config = vector[options].clone();
        if config.get("@context").is_none() {
            config["@context"] = document["@context"].clone();
        }
        assert_eq!(
            canonicalize_direct(&config).as_deref(),
            vector["canonicalProofConfigNQuads"].as_str(),
            "{file}: proof configuration"
        );
    }
}

/// Strings, values, keys and types that exercise the edges of the subset.
const STRINGS: &[&str] = &[
    "",
    "urn:uuid:6f1c1a0e-3b8e-4f7a-9d2c-0e5b7a1c9d3f",
    "did:example:abc",
    "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    "relative/path",
    "_:b0",
    "_:b1",
    "ex:foo",
    "xsd:string",
    "https://example.com/a b",
    "https://example.com/é",
    "https://example.com/#a#b",
    "http://[::1]/x",
    "http://example.com:abc/",
    "https://user@example.com:8443/x?q=1#f",
    "https://user@ex@ample.com/",
    "http://exa mple.com/",
    "urn:",
    "x:",
    "http://",
    "http://:80/",
    "http://a:80:90/",
    "http://example.com/?q#f?g/h",
    "_:b 0",
    "_:",
    "_:b.",
    "https://example.com/%zz",
    "https://example.com/%41",
    "mailto:someone@example.fr",
    "Line\nbreak\t\"quoted\" \\ \u{1}\u{7f}\r\u{8}\u{c}",
    "Démarches « en ligne » 🎉",
    "OpenBadgeCredential",
    "Achievement",
    "Profile",
    "assertionMethod",
    "@id",
    "@vocab",
    "2024-01-01T00:00:00Z",
    "sha256$abc",
    ":colon",
    "a:b:c",
];

const KEYS: &[&str] = &[
    "name",
    "description",
    "id",
    "type",
    "@id",
    "@type",
    "@context",
    "@graph",
    "@value",
    "@list",
    "unknownTerm",
    "https://example.com/prop",
    "ex:prop",
    "_:p",
    "achievement",
    "proof",
    "credentialSubject",
    "issuer",
    "image",
    "allowedValue",
    "creditsAvailable",
    "creditsEarned",
    "latitude",
    "validFrom",
    "statusListIndex",
    "proofPurpose",
    "identifier",
    "endorsement",
    "jsonSchema",
];

const TYPES: &[&str] = &[
    "Profile",
    "Achievement",
    "AchievementSubject",
    "Image",
    "IdentityObject",
    "Result",
    "ResultDescription",
    "Evidence",
    "Criteria",
    "Alignment",
    "DataIntegrityProof",
    "EndorsementCredential",
    "EndorsementSubject",
    "BitstringStatusListEntry",
    "BitstringStatusList",
    "VerifiableCredential",
    "VerifiablePresentation",
    "JsonSchema",
    "OpenBadgeCredential",
    "AchievementCredential",
    "https://example.com/SomeType",
    "Unknown",
];

const CONTEXTS: &[&str] = &[
    "https://www.w3.org/ns/credentials/v2",
    "https://www.w3.org/2018/credentials/v1",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    "https://www.w3.org/ns/credentials/examples/v2",
    "https://www.w3.org/ns/credentials/undefined-terms/v2",
    "https://w3id.org/security/data-integrity/v2",
    "https://w3id.org/security/suites/ed25519-2020/v1",
];

fn random_value(rng: &mut StdRng) -> Value {
    match rng.gen_range(0..14) {
        0..=4 => Value::String((*STRINGS.choose(rng).expect("strings")).to_owned()),
        5 => json!(rng.gen_range(-5..100)),
        6 => [
            json!(1.5),
            json!(1e21),
            json!(9_007_199_254_740_993_u64),
            json!(1.0),
            json!(48.8566),
            json!(-2.5e-7),
            json!(0.1),
            json!(123_456_789.123_456_78),
        ]
        .choose(rng)
        .expect("numbers")
        .clone(),
        7 => json!(rng.gen_bool(0.5)),
        8 => Value::Null,
        9 => json!({}),
        10 => json!([]),
        11 => json!({"@value": "x"}),
        12 => json!({"id": *STRINGS.choose(rng).expect("strings")}),
        _ => json!({"type": *TYPES.choose(rng).expect("types"), "name": "n"}),
    }
}

/// A path to a random value inside the document (never the top-level `@context`).
fn random_path(rng: &mut StdRng, document: &Value) -> Vec<PathStep> {
    let mut path = Vec::new();
    let mut here = document;
    loop {
        let steps: Vec<PathStep> = match here {
            Value::Object(map) => map
                .keys()
                .filter(|key| !(path.is_empty() && *key == "@context"))
                .map(|key| PathStep::Key(key.clone()))
                .collect(),
            Value::Array(items) => (0..items.len()).map(PathStep::Index).collect(),
            _ => Vec::new(),
        };
        if steps.is_empty() || (!path.is_empty() && rng.gen_bool(0.3)) {
            return path;
        }
        let step = steps.choose(rng).expect("steps").clone();
        here = step.get(here);
        path.push(step);
    }
}

#[derive(Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

impl PathStep {
    fn get<'a>(&self, value: &'a Value) -> &'a Value {
        match self {
            Self::Key(key) => &value[key.as_str()],
            Self::Index(index) => &value[*index],
        }
    }
}

fn at_mut<'a>(document: &'a mut Value, path: &[PathStep]) -> &'a mut Value {
    path.iter().fold(document, |here, step| match step {
        PathStep::Key(key) => &mut here[key.as_str()],
        PathStep::Index(index) => &mut here[*index],
    })
}

fn mutate(rng: &mut StdRng, document: &mut Value) {
    let path = random_path(rng, document);
    match rng.gen_range(0..9) {
        // Replace a value.
        0..=2 => *at_mut(document, &path) = random_value(rng),
        // Remove an entry of the enclosing object or array.
        3 => {
            if let Some((last, parent)) = path.split_last() {
                match (at_mut(document, parent), last) {
                    (Value::Object(map), PathStep::Key(key)) => {
                        map.shift_remove(key);
                    }
                    (Value::Array(items), PathStep::Index(index)) => {
                        items.remove(*index);
                    }
                    _ => {}
                }
            }
        }
        // Add an entry to an object.
        4 => {
            let value = random_value(rng);
            let key = *KEYS.choose(rng).expect("keys");
            if let Value::Object(map) = at_mut(document, &path) {
                map.insert(key.to_owned(), value);
            } else if let Value::Object(map) = document {
                map.insert(key.to_owned(), value);
            }
        }
        // Change or add a type.
        5 => {
            let new_type = *TYPES.choose(rng).expect("types");
            let target = at_mut(document, &path);
            if let Value::Object(map) = target {
                match map.get_mut("type") {
                    Some(Value::Array(types)) if rng.gen_bool(0.5) => types.push(new_type.into()),
                    _ => {
                        map.insert("type".into(), new_type.into());
                    }
                }
            } else {
                *target = new_type.into();
            }
        }
        // Duplicate an array item, or wrap a value in an array.
        6 => {
            let target = at_mut(document, &path);
            match target {
                Value::Array(items) if !items.is_empty() => {
                    let item = items[0].clone();
                    items.push(item);
                }
                other => *other = Value::Array(vec![other.clone()]),
            }
        }
        // Copy a subtree elsewhere (two nodes with the same shape).
        7 => {
            let source = at_mut(document, &path).clone();
            let other = random_path(rng, document);
            if let Value::Object(map) = at_mut(document, &other) {
                map.insert((*KEYS.choose(rng).expect("keys")).to_owned(), source);
            }
        }
        // Change the top-level @context.
        _ => {
            let Some(Value::Array(contexts)) = document.get_mut("@context") else {
                return;
            };
            match rng.gen_range(0..4) {
                0 if !contexts.is_empty() => {
                    let index = rng.gen_range(0..contexts.len());
                    contexts.remove(index);
                }
                1 => contexts.reverse(),
                2 => contexts.push(json!({"ex": "https://example.com/ns#"})),
                _ => contexts.push((*CONTEXTS.choose(rng).expect("contexts")).into()),
            }
        }
    }
}

#[test]
fn both_paths_agree_on_seeded_mutations_of_the_fixtures() {
    let corpus = corpus();
    // DIRECT_PATH_SEED and DIRECT_PATH_MUTATIONS widen the search by hand.
    let seed = std::env::var("DIRECT_PATH_SEED")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(0x0b3_d1ec7);
    let mut rng = StdRng::seed_from_u64(seed);
    let rounds: usize = std::env::var("DIRECT_PATH_MUTATIONS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(4000);
    let mut answered = 0;
    for round in 0..rounds {
        let (name, base) = corpus.choose(&mut rng).expect("corpus");
        let mut document = base.clone();
        for _ in 0..rng.gen_range(1..=3) {
            mutate(&mut rng, &mut document);
        }
        if compare(&format!("{name} (mutation {round})"), &document) {
            answered += 1;
        }
    }
    // Many mutations leave the subset; enough of them must stay in it to test it.
    eprintln!("the direct path answered {answered} of {rounds} mutated documents");
    assert!(
        answered * 4 >= rounds,
        "the direct path answered only {answered} of {rounds} mutated documents"
    );
}

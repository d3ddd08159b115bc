//! JSON-LD contexts a document may bring: inline contexts bounded in size, `@context`
//! arrays bounded in length, the cache of processed contexts bounded in bytes.

use keys::di::{
    canonicalize, context_cache_bytes, DataIntegrityError, CONTEXT_CACHE_BYTES,
    MAX_CONTEXT_ENTRIES, MAX_INLINE_CONTEXT_BYTES,
};
use serde_json::{json, Map, Value};

const VC2: &str = "https://www.w3.org/ns/credentials/v2";
const OB3: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

/// An inline context defining `terms` terms whose names start with `prefix`.
fn inline_context(prefix: &str, terms: usize) -> Value {
    let definitions: Map<String, Value> = (0..terms)
        .map(|i| {
            (
                format!("{prefix}{i}"),
                json!(format!("https://example.org/vocab/{prefix}/{i}")),
            )
        })
        .collect();
    Value::Object(definitions)
}

fn document(context: Value) -> Value {
    json!({
        "@context": context,
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": {"id": "did:example:holder"}
    })
}

fn too_large(result: Result<String, DataIntegrityError>) -> bool {
    matches!(result, Err(DataIntegrityError::ContextTooLarge(_)))
}

#[test]
fn an_inline_context_over_the_limit_is_refused_before_it_is_processed() {
    // 1.8 MB: 64 of these kept 0.85 GB resident in the context cache.
    let huge = inline_context("t", 40_000);
    assert!(huge.to_string().len() > 1_500_000);
    assert!(too_large(canonicalize(&document(json!([VC2, huge])))));
    // Just under the limit is processed as before.
    let small = inline_context("s", 100);
    assert!(small.to_string().len() < MAX_INLINE_CONTEXT_BYTES);
    assert!(canonicalize(&document(json!([VC2, small]))).is_ok());
}

#[test]
fn inline_contexts_in_nodes_count_towards_the_same_limit() {
    let part = inline_context("n", 150);
    let pieces = MAX_INLINE_CONTEXT_BYTES / part.to_string().len() + 1;
    let nodes: Vec<Value> = (0..pieces)
        .map(|i| json!({"@context": part, "id": format!("https://example.org/node/{i}")}))
        .collect();
    let mut document = document(json!([VC2]));
    document["credentialSubject"]["evidence"] = Value::Array(nodes);
    assert!(too_large(canonicalize(&document)));
}

#[test]
fn a_context_array_longer_than_the_limit_is_refused() {
    let mut urls = vec![json!(VC2)];
    urls.extend(std::iter::repeat_n(json!(OB3), MAX_CONTEXT_ENTRIES));
    assert!(too_large(canonicalize(&document(Value::Array(
        urls.clone()
    )))));
    urls.truncate(MAX_CONTEXT_ENTRIES);
    assert!(canonicalize(&document(Value::Array(urls))).is_ok());
}

#[test]
fn the_context_cache_stays_within_its_byte_budget() {
    // Distinct contexts of the largest inline size, with the bundled contexts: each
    // is estimated at about 8 x 39 KB, so 64 of them would be 20 MB.
    let terms = 300;
    assert!(inline_context("c0x", terms).to_string().len() < MAX_INLINE_CONTEXT_BYTES);
    for round in 0..64 {
        let context = json!([VC2, OB3, inline_context(&format!("c{round}x"), terms)]);
        canonicalize(&document(context)).expect("canonicalises");
        assert!(
            context_cache_bytes() <= CONTEXT_CACHE_BYTES,
            "round {round}"
        );
    }
    assert!(
        context_cache_bytes() > CONTEXT_CACHE_BYTES / 2,
        "the cache is used"
    );
}

/// `{"p": {"name": "level 1", "p": {... "name": "level n"}}}`: each node distinct.
fn nested(levels: usize) -> Value {
    let mut deep = json!({"name": "bottom"});
    for level in 0..levels {
        deep = json!({"name": format!("level {level}"), "p": deep});
    }
    json!({"@context": [VC2, {"p": "https://example.org/p"}], "p": deep})
}

#[test]
fn deep_documents_take_the_general_path_on_any_thread_up_to_the_nesting_limit() {
    // The json-ld crate's expansion used about 140 KB of stack per level in a debug
    // build: 14 levels overflowed a 2 MiB thread and aborted the process. It now
    // runs on a thread of its own, so a caller with half that stack is enough.
    let outcome = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(|| {
            let within = canonicalize(&nested(keys::di::MAX_NESTING - 3));
            let beyond = canonicalize(&nested(200));
            (within.map(|nquads| nquads.lines().count()), beyond)
        })
        .expect("spawns")
        .join()
        .expect("no overflow");
    assert!(
        matches!(outcome.0, Ok(lines) if lines > 100),
        "{:?}",
        outcome.0
    );
    assert!(
        matches!(
            outcome.1,
            Err(DataIntegrityError::TooComplex(
                keys::di::ComplexityLimit::Nesting
            ))
        ),
        "{:?}",
        outcome.1
    );
}

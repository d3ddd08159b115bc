//! The committed document against the types it describes.

use super::*;
use crate::awards::{MAX_IDEMPOTENCY_KEY, MAX_NAME, MAX_NARRATIVE, MAX_REASON};

/// Where the committed document lives.
const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");

fn committed() -> Value {
    serde_json::from_str(DOCUMENT).unwrap()
}

/// The names of the component schemas that differ between two documents.
fn differing(left: &Value, right: &Value) -> Vec<String> {
    let (left, right) = (
        &left["components"]["schemas"],
        &right["components"]["schemas"],
    );
    let mut names: Vec<String> = left.as_object().unwrap().keys().cloned().collect();
    names.extend(right.as_object().unwrap().keys().cloned());
    names.sort();
    names.dedup();
    names.retain(|name| left.get(name) != right.get(name));
    names
}

/// The document's component schemas are those the Rust types generate:
/// a field added, renamed or retyped fails here until the document follows.
#[test]
fn the_committed_schemas_are_derived_from_the_types() {
    let committed = committed();
    let expected = regenerated(&committed);
    if std::env::var_os("ISSUER_WRITE_OPENAPI").is_some() {
        let text = serde_json::to_string_pretty(&expected).unwrap();
        std::fs::write(PATH, text + "\n").unwrap();
        return;
    }
    assert!(
        differing(&committed, &expected).is_empty(),
        "issuer/openapi.json differs from the types in {:?}; \
         rewrite it with `ISSUER_WRITE_OPENAPI=1 cargo test -p issuer --lib openapi`",
        differing(&committed, &expected),
    );
}

/// Every `$ref` of `value`, wherever it is.
fn references<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                found.push(target);
            }
            map.values().for_each(|v| references(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, found)),
        _ => {}
    }
}

#[test]
fn every_reference_names_a_component() {
    let document = committed();
    let mut found = Vec::new();
    references(&document, &mut found);
    assert!(found.len() > 20, "{found:?}");
    for target in found {
        let pointer = target.strip_prefix('#').unwrap();
        assert!(document.pointer(pointer).is_some(), "{target} missing");
    }
}

/// The JSON bodies of `operation`, asked for and answered.
fn json_bodies(operation: &Value) -> Vec<&Value> {
    let request = operation.pointer("/requestBody/content/application~1json/schema");
    let answers = operation["responses"]
        .as_object()
        .into_iter()
        .flat_map(|r| r.values())
        .filter_map(|r| r.pointer("/content/application~1json/schema"));
    request.into_iter().chain(answers).collect()
}

/// A path never describes a JSON body inline: it names a component, so
/// that the body's shape comes from a type.
#[test]
fn json_bodies_name_a_component() {
    let document = committed();
    let operations = document["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values());
    let mut checked = 0;
    for schema in operations.flat_map(json_bodies) {
        let named = schema.get("$ref").or_else(|| schema.pointer("/items/$ref"));
        assert!(named.is_some(), "inline body schema: {schema}");
        checked += 1;
    }
    assert!(checked > 20, "{checked}");
}

/// The limits the document states are those the checks apply.
#[test]
fn stated_limits_are_the_checked_ones() {
    let schemas = schemas();
    let limit = |schema: &str, field: &str, keyword: &str| {
        schemas[schema]["properties"][field][keyword]
            .as_u64()
            .unwrap()
    };
    let usize_of = |n: usize| u64::try_from(n).unwrap();
    assert_eq!(
        limit("AwardInput", "recipient_name", "maxLength"),
        usize_of(MAX_NAME)
    );
    assert_eq!(
        limit("AwardInput", "narrative", "maxLength"),
        usize_of(MAX_NARRATIVE)
    );
    assert_eq!(
        limit("AwardInput", "idempotency_key", "maxLength"),
        usize_of(MAX_IDEMPOTENCY_KEY)
    );
    assert_eq!(
        limit("RevokeInput", "reason", "maxLength"),
        usize_of(MAX_REASON)
    );
    assert_eq!(
        limit("NewWorkshop", "sessions", "maximum"),
        u64::try_from(crate::workshops::MAX_SESSIONS).unwrap()
    );
}

/// The descriptions come from `///` comments, which API readers see: no
/// rustdoc link to one of our Rust items may leak into them.
#[test]
fn no_rustdoc_link_in_the_descriptions() {
    let leaks: Vec<&str> = DOCUMENT
        .lines()
        .filter(|line| line.contains("[`"))
        .map(str::trim)
        .collect();
    assert!(
        leaks.is_empty(),
        "rustdoc links in openapi.json: {leaks:#?}"
    );
}

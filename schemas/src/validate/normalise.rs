//! Reshapes a document to the cardinalities a JSON Schema declares.
//!
//! JSON-LD compaction writes a one-element array as a bare value, and the
//! bundled 1EdTech schemas (the canonical ones, not the compaction-tolerant
//! variants, which were never published in a repository) reject that: a valid
//! credential with `"type": "Profile"` or a single `proof` object fails them.
//! The walk below follows the schema alongside the document and, on a copy:
//! - wraps a bare value in an array where the schema says `"type": "array"`;
//! - unwraps a one-element array of a string where the schema says
//!   `"type": "string"` (`Image.type`, `Proof.type`...), the reverse compaction.
//!
//! Both are the same JSON-LD data, so nothing a signature covers changes meaning.
//! Only local `$ref`s (`#/$defs/...`) are followed, which is all the bundled
//! schemas use.

use std::borrow::Cow;

use serde_json::{Map, Value};

/// Deepest document nesting walked; deeper parts are left as they are. serde_json
/// refuses to parse documents nested deeper than 128 anyway.
const MAX_DEPTH: usize = 256;
/// Longest chain of `$ref` to `$ref` followed before giving up.
const MAX_REF_CHAIN: usize = 16;

/// `doc` reshaped to the cardinalities of `schema`: borrowed as it is when
/// it already has them (nearly every credential a verifier sees), a copy
/// otherwise.
pub(crate) fn normalise_with<'d>(schema: &Value, doc: &'d Value) -> Cow<'d, Value> {
    match walk(schema, schema, doc, 0) {
        Some(reshaped) => Cow::Owned(reshaped),
        None => Cow::Borrowed(doc),
    }
}

/// `value` reshaped under `schema`, or `None` when nothing in it changes: a
/// value is copied only on the way to a change.
fn walk(root: &Value, schema: &Value, value: &Value, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    let schema = resolve(root, schema);
    let mut current = Cow::Borrowed(value);
    if let Some(branches) = schema.get("allOf").and_then(Value::as_array) {
        for branch in branches {
            if let Some(reshaped) = walk(root, branch, &current, depth + 1) {
                current = Cow::Owned(reshaped);
            }
        }
    }
    for keyword in ["oneOf", "anyOf"] {
        let branches = schema.get(keyword).and_then(Value::as_array);
        if let Some(branch) = branches.and_then(|b| b.iter().find(|b| accepts(root, b, &current))) {
            if let Some(reshaped) = walk(root, branch, &current, depth + 1) {
                current = Cow::Owned(reshaped);
            }
        }
    }
    reshape(schema, &mut current);
    let changed_children = match &*current {
        Value::Object(map) => walk_properties(root, schema, map, depth),
        Value::Array(items) => walk_items(root, schema, items, depth),
        _ => Vec::new(),
    };
    if !changed_children.is_empty() {
        let mut owned = current.into_owned();
        for (key, reshaped) in changed_children {
            match (&mut owned, key) {
                (Value::Object(map), Key::Name(name)) => {
                    map.insert(name, reshaped);
                }
                (Value::Array(items), Key::Index(index)) => items[index] = reshaped,
                _ => {}
            }
        }
        current = Cow::Owned(owned);
    }
    match current {
        Cow::Owned(reshaped) => Some(reshaped),
        Cow::Borrowed(_) => None,
    }
}

/// Where a reshaped child goes back in its parent.
enum Key {
    Name(String),
    Index(usize),
}

fn walk_properties(
    root: &Value,
    schema: &Value,
    map: &Map<String, Value>,
    depth: usize,
) -> Vec<(Key, Value)> {
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|(name, property)| {
            let property_schema = properties.get(name)?;
            let reshaped = walk(root, property_schema, property, depth + 1)?;
            Some((Key::Name(name.clone()), reshaped))
        })
        .collect()
}

fn walk_items(root: &Value, schema: &Value, items: &[Value], depth: usize) -> Vec<(Key, Value)> {
    let item_schema = |index: usize| match schema.get("items") {
        Some(Value::Array(positional)) => positional
            .get(index)
            .or_else(|| schema.get("additionalItems")),
        Some(single @ Value::Object(_)) => Some(single),
        _ => None,
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            let reshaped = walk(root, item_schema(index)?, item, depth + 1)?;
            Some((Key::Index(index), reshaped))
        })
        .collect()
}

/// Wraps or unwraps `value` to match the schema's declared `type`, copying
/// it only when it changes.
fn reshape(schema: &Value, value: &mut Cow<'_, Value>) {
    match schema.get("type").and_then(Value::as_str) {
        Some("array") if !value.is_array() => {
            let single = std::mem::take(value).into_owned();
            *value = Cow::Owned(Value::Array(vec![single]));
        }
        Some("string") => {
            if let Value::Array(items) = &**value {
                if let [only @ Value::String(_)] = items.as_slice() {
                    *value = Cow::Owned(only.clone());
                }
            }
        }
        _ => {}
    }
}

/// Whether a `oneOf`/`anyOf` branch is the one meant for this JSON value kind
/// (a `ProfileRef` is a URI string or a `Profile` object).
pub(crate) fn accepts(root: &Value, branch: &Value, value: &Value) -> bool {
    match resolve(root, branch).get("type").and_then(Value::as_str) {
        Some("object") => value.is_object(),
        Some("string") => value.is_string(),
        Some("array") => true,
        _ => false,
    }
}

/// Follows local `$ref`s (`#/$defs/Name`) to the schema they name.
pub(crate) fn resolve<'s>(root: &'s Value, mut schema: &'s Value) -> &'s Value {
    for _ in 0..MAX_REF_CHAIN {
        let target = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|reference| reference.strip_prefix('#'))
            .and_then(|pointer| root.pointer(pointer));
        match target {
            Some(target) => schema = target,
            None => break,
        }
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Value {
        json!({
            "properties": {
                "type": {"allOf": [{"type": "array"}, {"type": "array"}]},
                "proof": {"type": "array", "items": {"$ref": "#/$defs/Proof"}},
                "issuer": {"$ref": "#/$defs/ProfileRef"},
                "@context": {"type": "array", "items": [{"enum": ["a"]}], "additionalItems": {"type": "string"}}
            },
            "$defs": {
                "Proof": {"type": "object", "properties": {"type": {"type": "string"}}},
                "ProfileRef": {"oneOf": [{"type": "string"}, {"$ref": "#/$defs/Profile"}]},
                "Profile": {"type": "object", "properties": {"type": {"type": "array"}}}
            }
        })
    }

    #[test]
    fn wraps_and_unwraps_where_the_schema_says() {
        let doc = json!({
            "@context": "a",
            "type": "X",
            "proof": {"type": ["DataIntegrityProof"]},
            "issuer": {"type": "Profile"},
            "other": {"type": "kept"}
        });
        let normalised = normalise_with(&schema(), &doc).into_owned();
        assert_eq!(
            normalised,
            json!({
                "@context": ["a"],
                "type": ["X"],
                "proof": [{"type": "DataIntegrityProof"}],
                "issuer": {"type": ["Profile"]},
                "other": {"type": "kept"}
            })
        );
        assert!(
            matches!(normalise_with(&schema(), &normalised), Cow::Borrowed(_)),
            "a document already in shape is not copied"
        );
    }

    #[test]
    fn string_issuer_is_left_alone() {
        let doc = json!({"issuer": "https://example.com/issuer"});
        assert!(matches!(normalise_with(&schema(), &doc), Cow::Borrowed(same) if *same == doc));
    }
}

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

use serde_json::Value;

/// Deepest document nesting walked; deeper parts are left as they are. serde_json
/// refuses to parse documents nested deeper than 128 anyway.
const MAX_DEPTH: usize = 256;
/// Longest chain of `$ref` to `$ref` followed before giving up.
const MAX_REF_CHAIN: usize = 16;

/// A copy of `doc` reshaped to the cardinalities of `schema`.
pub(crate) fn normalise_with(schema: &Value, doc: &Value) -> Value {
    let mut copy = doc.clone();
    walk(schema, schema, &mut copy, 0);
    copy
}

fn walk(root: &Value, schema: &Value, value: &mut Value, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let schema = resolve(root, schema);
    if let Some(branches) = schema.get("allOf").and_then(Value::as_array) {
        for branch in branches {
            walk(root, branch, value, depth + 1);
        }
    }
    for keyword in ["oneOf", "anyOf"] {
        let branches = schema.get(keyword).and_then(Value::as_array);
        if let Some(branch) = branches.and_then(|b| b.iter().find(|b| accepts(root, b, value))) {
            walk(root, branch, value, depth + 1);
        }
    }
    reshape(schema, value);
    match value {
        Value::Object(map) => {
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                for (name, property) in map.iter_mut() {
                    if let Some(property_schema) = properties.get(name) {
                        walk(root, property_schema, property, depth + 1);
                    }
                }
            }
        }
        Value::Array(items) => walk_items(root, schema, items, depth),
        _ => {}
    }
}

fn walk_items(root: &Value, schema: &Value, items: &mut [Value], depth: usize) {
    match schema.get("items") {
        Some(Value::Array(positional)) => {
            let rest = schema.get("additionalItems");
            for (index, item) in items.iter_mut().enumerate() {
                if let Some(item_schema) = positional.get(index).or(rest) {
                    walk(root, item_schema, item, depth + 1);
                }
            }
        }
        Some(item_schema @ Value::Object(_)) => {
            for item in items {
                walk(root, item_schema, item, depth + 1);
            }
        }
        _ => {}
    }
}

/// Wraps or unwraps `value` to match the schema's declared `type`.
fn reshape(schema: &Value, value: &mut Value) {
    match schema.get("type").and_then(Value::as_str) {
        Some("array") if !value.is_array() => *value = Value::Array(vec![value.take()]),
        Some("string") => {
            if let Value::Array(items) = value {
                if items.len() == 1 && items[0].is_string() {
                    *value = items.remove(0);
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
        let normalised = normalise_with(&schema(), &doc);
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
        assert_eq!(normalise_with(&schema(), &normalised), normalised);
    }

    #[test]
    fn string_issuer_is_left_alone() {
        let doc = json!({"issuer": "https://example.com/issuer"});
        assert_eq!(normalise_with(&schema(), &doc), doc);
    }
}

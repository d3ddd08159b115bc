//! Deviations from the schema that a verifier may tolerate: shapes the
//! credentials of the ecosystem carry (1EdTech's own validator and the
//! Digital Credentials Consortium's verifier accept them) and that leave the
//! credential's authenticity, dates and status untouched.
//!
//! [`find`] walks the document beside its schema, as the normaliser does,
//! and records each deviation with its JSON Pointer; [`repair`] then rewrites
//! the validated copy so that the schema no longer reports them. The
//! original document, the one the signature covers, is never changed.
//!
//! Which deviations, and why, is the verification policy
//! (`docs/VERIFICATION-POLICY.md`). Everything else the schema reports still
//! fails.

use serde_json::{json, Map, Value};

use super::normalise::{accepts, resolve};

/// Deepest document nesting walked; deeper parts are left to the schema.
const MAX_DEPTH: usize = 256;

/// The `$ref` of the Open Badges `Image` class.
const IMAGE_REF: &str = "#/$defs/Image";

/// A kind of tolerated deviation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Tolerance {
    /// An `AchievementSubject` with neither `id` nor `identifier`: the
    /// credential does not say who it was awarded to (OB 3.0 §B.1.2: "Either
    /// id or at least one identifier MUST be supplied").
    SubjectUnidentified,
    /// An `Image` given as its URL alone, which the `Image` class itself
    /// describes ("can typically be represented as just the id string of the
    /// image") but the JSON Schema refuses.
    ImageAsUrl,
    /// An `achievementType` outside the vocabulary and without the `ext:`
    /// prefix the extensible enumeration asks for.
    AchievementTypeUnlisted,
}

/// One tolerated deviation, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tolerated {
    /// What deviates.
    pub tolerance: Tolerance,
    /// JSON Pointer to the deviating value (or to the subject lacking an id).
    pub path: String,
}

/// One step of a JSON Pointer, borrowed from the document.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn pointer(steps: &[Step<'_>]) -> String {
    let mut out = String::new();
    for step in steps {
        out.push('/');
        match step {
            Step::Key(key) => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Step::Index(index) => out.push_str(&index.to_string()),
        }
    }
    out
}

/// The schema-level deviations of `doc` (images given as URLs, unlisted
/// achievement types), found by walking it beside `schema`.
pub(crate) fn find(schema: &Value, doc: &Value) -> Vec<Tolerated> {
    let mut found = Vec::new();
    let mut steps = Vec::new();
    walk(schema, schema, doc, &mut steps, &mut found, 0);
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found.dedup();
    found
}

fn walk<'a>(
    root: &Value,
    schema: &Value,
    value: &'a Value,
    steps: &mut Vec<Step<'a>>,
    found: &mut Vec<Tolerated>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    if schema.get("$ref").and_then(Value::as_str) == Some(IMAGE_REF) && value.is_string() {
        found.push(Tolerated {
            tolerance: Tolerance::ImageAsUrl,
            path: pointer(steps),
        });
        return;
    }
    let schema = resolve(root, schema);
    if let Some(branches) = schema.get("allOf").and_then(Value::as_array) {
        for branch in branches {
            walk(root, branch, value, steps, found, depth + 1);
        }
    }
    for keyword in ["oneOf", "anyOf"] {
        let branches = schema.get(keyword).and_then(Value::as_array);
        if let Some(branch) = branches.and_then(|b| b.iter().find(|b| accepts(root, b, value))) {
            if resolve(root, branch).get("type").and_then(Value::as_str) == Some("object") {
                walk(root, branch, value, steps, found, depth + 1);
            }
        }
    }
    match value {
        Value::Object(map) => walk_properties(root, schema, map, steps, found, depth),
        Value::Array(items) => {
            if let Some(item_schema @ Value::Object(_)) = schema.get("items") {
                for (index, item) in items.iter().enumerate() {
                    steps.push(Step::Index(index));
                    walk(root, item_schema, item, steps, found, depth + 1);
                    steps.pop();
                }
            }
        }
        _ => {}
    }
}

fn walk_properties<'a>(
    root: &Value,
    schema: &Value,
    map: &'a Map<String, Value>,
    steps: &mut Vec<Step<'a>>,
    found: &mut Vec<Tolerated>,
    depth: usize,
) {
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (name, property) in map {
        let Some(property_schema) = properties.get(name) else {
            continue;
        };
        steps.push(Step::Key(name));
        if name == "achievementType" && unlisted(root, property_schema, property) {
            found.push(Tolerated {
                tolerance: Tolerance::AchievementTypeUnlisted,
                path: pointer(steps),
            });
        } else {
            walk(root, property_schema, property, steps, found, depth + 1);
        }
        steps.pop();
    }
}

/// Whether `value` is a string outside an extensible enumeration: neither
/// one of its values nor an `ext:` extension.
fn unlisted(root: &Value, schema: &Value, value: &Value) -> bool {
    let Some(text) = value.as_str() else {
        return false;
    };
    let schema = resolve(root, schema);
    let listed = schema
        .get("oneOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|branch| branch.get("enum").and_then(Value::as_array))
        .flatten()
        .any(|allowed| allowed.as_str() == Some(text));
    !listed && !is_extension(text)
}

/// The vocabulary's extension pattern, `(ext:)[a-z|A-Z|0-9|.|-|_]+`, which
/// JSON Schema matches anywhere in the string.
fn is_extension(text: &str) -> bool {
    text.match_indices("ext:").any(|(at, _)| {
        text[at + 4..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || "|.-_".contains(c))
    })
}

/// Rewrites, in the copy to be validated, each value [`find`] reported, so
/// that the schema does not report it again: an image URL becomes the
/// `Image` object it stands for, an unlisted achievement type a listed one.
pub(crate) fn repair(copy: &mut Value, tolerated: &[Tolerated]) {
    for deviation in tolerated {
        let Some(value) = copy.pointer_mut(&deviation.path) else {
            continue;
        };
        match deviation.tolerance {
            Tolerance::ImageAsUrl => {
                if let Value::String(url) = value {
                    *value = json!({"id": url.clone(), "type": "Image"});
                }
            }
            Tolerance::AchievementTypeUnlisted => *value = json!("Achievement"),
            Tolerance::SubjectUnidentified => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Value {
        json!({
            "properties": {
                "issuer": {"$ref": "#/$defs/ProfileRef"},
                "image": {"$ref": "#/$defs/Image"},
                "achievement": {"$ref": "#/$defs/Achievement"}
            },
            "$defs": {
                "Image": {"type": "object"},
                "ProfileRef": {"oneOf": [{"type": "string"}, {"$ref": "#/$defs/Profile"}]},
                "Profile": {"type": "object", "properties": {"image": {"$ref": "#/$defs/Image"}}},
                "Achievement": {"type": "object", "properties": {
                    "achievementType": {"oneOf": [
                        {"type": "string", "enum": ["Achievement", "Badge", "Course"]},
                        {"type": "string", "pattern": "(ext:)[a-z|A-Z|0-9|.|-|_]+"}
                    ]}
                }}
            }
        })
    }

    #[test]
    fn images_as_urls_and_unlisted_types_are_found_and_repaired() {
        let doc = json!({
            "issuer": {"image": "https://example.org/logo.png"},
            "image": {"id": "https://example.org/badge.png", "type": "Image"},
            "achievement": {"achievementType": "Program"}
        });
        let found = find(&schema(), &doc);
        assert_eq!(
            found,
            [
                Tolerated {
                    tolerance: Tolerance::AchievementTypeUnlisted,
                    path: "/achievement/achievementType".into()
                },
                Tolerated {
                    tolerance: Tolerance::ImageAsUrl,
                    path: "/issuer/image".into()
                },
            ]
        );
        let mut copy = doc.clone();
        repair(&mut copy, &found);
        assert_eq!(
            copy["issuer"]["image"],
            json!({"id": "https://example.org/logo.png", "type": "Image"})
        );
        assert_eq!(copy["achievement"]["achievementType"], "Achievement");
        assert!(find(&schema(), &copy).is_empty());
    }

    #[test]
    fn listed_and_extension_types_and_string_issuers_pass() {
        for kind in ["Badge", "ext:Program", "my ext:Thing"] {
            let doc = json!({"achievement": {"achievementType": kind}});
            assert!(find(&schema(), &doc).is_empty(), "{kind}");
        }
        let doc = json!({"issuer": "https://example.org/issuer", "achievement": {"achievementType": "ext:"}});
        assert_eq!(find(&schema(), &doc).len(), 1);
    }

    #[test]
    fn pointers_are_escaped() {
        assert_eq!(pointer(&[Step::Key("a/b~c"), Step::Index(2)]), "/a~1b~0c/2");
    }
}

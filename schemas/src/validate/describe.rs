//! Turns JSON Schema errors into findings a person can act on.
//!
//! The validator's own messages quote the whole offending value, which for an
//! issuer profile is a screenful of JSON, and say "None of [..] are valid" for
//! a missing type. Three rewrites:
//! - `contains` (the `type` lists): "must include \"Evidence\" (found [..])";
//! - `oneOf`/`anyOf` on an object (an `issuer` that is neither a URI nor a
//!   valid `Profile`): the object is validated against the branch meant for
//!   objects and the nested findings are reported instead, with full paths;
//! - `oneOf` on a string (an extensible enumeration such as `identityType`):
//!   the allowed values and the extension pattern;
//! - anything else: the message with a long quoted value abbreviated.

use jsonschema::error::ValidationErrorKind;
use jsonschema::ValidationError;
use serde_json::Value;

use super::normalise::{accepts, resolve};
use super::schemas::{CompiledSchema, Definition};
use super::Finding;

/// How many `oneOf` levels are explained before falling back to one finding.
const MAX_NESTING: usize = 16;
/// Quoted values longer than this are abbreviated in messages.
const MAX_QUOTE: usize = 80;

/// Appends findings for `errors`, raised by validating against `document`
/// (the bundled schema or one of its definitions). `prefix` is the JSON
/// Pointer of the validated value within the whole document.
pub(crate) fn describe<'a>(
    schema: &CompiledSchema,
    document: &Value,
    errors: impl Iterator<Item = ValidationError<'a>>,
    prefix: &str,
    nesting: usize,
    out: &mut Vec<Finding>,
) {
    for error in errors {
        let path = format!("{prefix}{}", error.instance_path);
        match error.kind {
            ValidationErrorKind::OneOfNotValid | ValidationErrorKind::AnyOf
                if error.instance.is_object() && nesting < MAX_NESTING =>
            {
                let branch = object_branch(
                    schema,
                    document,
                    error.schema_path.as_str(),
                    &error.instance,
                );
                let before = out.len();
                if let Some(definition) = branch {
                    let nested = definition.validator.iter_errors(&error.instance);
                    describe(
                        schema,
                        &definition.document,
                        nested,
                        &path,
                        nesting + 1,
                        out,
                    );
                }
                if out.len() == before {
                    out.push(Finding::new(
                        path,
                        "the object matches none of the allowed forms",
                    ));
                }
            }
            ValidationErrorKind::OneOfNotValid => {
                let message = one_of_message(document, error.schema_path.as_str(), &error.instance)
                    .unwrap_or_else(|| abbreviated(&error));
                out.push(Finding::new(path, message));
            }
            ValidationErrorKind::Contains => {
                let message =
                    contains_message(document, error.schema_path.as_str(), &error.instance);
                out.push(Finding::new(path, message));
            }
            _ => out.push(Finding::new(path, abbreviated(&error))),
        }
    }
}

/// The definition a `oneOf`/`anyOf` offers for objects, if it is a `$ref`.
fn object_branch<'s>(
    schema: &'s CompiledSchema,
    document: &Value,
    schema_path: &str,
    instance: &Value,
) -> Option<&'s Definition> {
    let branches = schema_at(document, schema_path)?.as_array()?;
    let branch = branches.iter().find(|b| accepts(document, b, instance))?;
    let name = branch.get("$ref")?.as_str()?.strip_prefix("#/$defs/")?;
    schema.definition(name)
}

/// "must include "Evidence" (found [..])" from the `contains` schema's `enum`.
fn contains_message(document: &Value, schema_path: &str, instance: &Value) -> String {
    let expected = schema_at(document, schema_path)
        .and_then(|contains| contains.get("enum"))
        .and_then(Value::as_array)
        .map(|options| {
            options
                .iter()
                .map(Value::to_string)
                .collect::<Vec<_>>()
                .join(" or ")
        });
    match expected {
        Some(expected) => format!("must include {expected} (found {})", quote(instance)),
        None => format!("no item of {} is allowed here", quote(instance)),
    }
}

/// For a value refused by every branch of an extensible enumeration
/// (`achievementType`, `identityType`...): the allowed values and pattern.
fn one_of_message(document: &Value, schema_path: &str, instance: &Value) -> Option<String> {
    let branches = schema_at(document, schema_path)?.as_array()?;
    let mut allowed = Vec::new();
    let mut patterns = Vec::new();
    for branch in branches.iter().map(|b| resolve(document, b)) {
        if let Some(options) = branch.get("enum").and_then(Value::as_array) {
            allowed.extend(options.iter().map(Value::to_string));
        }
        if let Some(pattern) = branch.get("pattern").and_then(Value::as_str) {
            patterns.push(pattern);
        }
    }
    if allowed.is_empty() {
        return None;
    }
    let mut message = format!(
        "{} is not an allowed value: expected one of {}",
        quote(instance),
        allowed.join(", ")
    );
    if !patterns.is_empty() {
        message.push_str(&format!(", or a value matching {}", patterns.join(" or ")));
    }
    Some(message)
}

/// The schema node at a validator's schema path, following `$ref` segments.
fn schema_at<'s>(document: &'s Value, schema_path: &str) -> Option<&'s Value> {
    let mut node = document;
    for segment in schema_path.split('/').skip(1) {
        node = if segment == "$ref" {
            resolve(document, node)
        } else {
            let segment = segment.replace("~1", "/").replace("~0", "~");
            match node {
                Value::Object(map) => map.get(&segment)?,
                Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
                _ => return None,
            }
        };
    }
    Some(node)
}

/// The validator's message with a long quoted value abbreviated.
fn abbreviated(error: &ValidationError<'_>) -> String {
    let message = error.to_string();
    let quoted = error.instance.to_string();
    if quoted.len() > MAX_QUOTE && message.contains(&quoted) {
        message.replacen(&quoted, &quote(&error.instance), 1)
    } else {
        message
    }
}

/// A value for a message: itself when short, else what kind of value it is.
fn quote(value: &Value) -> String {
    let text = value.to_string();
    if text.len() <= MAX_QUOTE {
        return text;
    }
    match value {
        Value::Object(_) => "the object".to_owned(),
        Value::Array(items) => format!("an array of {} items", items.len()),
        _ => format!("{}...", text.chars().take(MAX_QUOTE).collect::<String>()),
    }
}

//! Rules the JSON Schemas cannot express, and the VC 1.1 -> 2.0 mapping applied
//! to the copy that is checked against the (VC 2.0-shaped) schemas.

use serde_json::{Map, Value};

use super::Finding;
use crate::contexts::bundled_context;
use crate::model::{VC_V1_CONTEXT, VC_V2_CONTEXT};

/// The URL prefix shared by every OB 3.0 context (`context.json`,
/// `context-3.0.x.json`, `context/ob_v3p0.jsonld`).
const OB_V3_CONTEXT_PREFIX: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context";

/// Deepest nesting the VC 1.1 mapping descends into.
const MAX_DEPTH: usize = 256;

/// Checks `@context` of a credential: present; first the VC context (2.0, or
/// 1.1 for the older shape); an OB 3.0 context somewhere; and every URL one
/// of the bundled contexts, since a context fetched at verification time
/// could change what a signature covers.
pub(crate) fn credential_context(doc: &Map<String, Value>, findings: &mut Vec<Finding>) {
    let Some(entries) = context_entries(doc, findings) else {
        return;
    };
    if !matches!(entries.first(), Some(Value::String(url)) if url == VC_V2_CONTEXT || url == VC_V1_CONTEXT)
    {
        findings.push(Finding::new(
            "/@context/0",
            format!("the first context must be {VC_V2_CONTEXT} (or {VC_V1_CONTEXT} for a VC 1.1 credential)"),
        ));
    }
    let has_ob_context = entries.iter().any(|entry| {
        entry.as_str().is_some_and(|url| {
            url.starts_with(OB_V3_CONTEXT_PREFIX) && bundled_context(url).is_some()
        })
    });
    if !has_ob_context {
        findings.push(Finding::new(
            "/@context",
            format!(
                "an Open Badges 3.0 context is missing (expected {})",
                crate::model::OB_V3_CONTEXT
            ),
        ));
    }
    bundled_only(&entries, findings);
}

/// Checks `@context` of a profile when it has one: every URL must be bundled.
pub(crate) fn profile_context(doc: &Map<String, Value>, findings: &mut Vec<Finding>) {
    if doc.contains_key("@context") {
        if let Some(entries) = context_entries(doc, findings) {
            bundled_only(&entries, findings);
        }
    }
}

/// The `@context` entries as an array, or a finding when absent or malformed.
fn context_entries(doc: &Map<String, Value>, findings: &mut Vec<Finding>) -> Option<Vec<Value>> {
    match doc.get("@context") {
        None => findings.push(Finding::new(
            "/@context",
            "the @context property is missing",
        )),
        Some(Value::Array(entries)) => return Some(entries.clone()),
        Some(entry @ (Value::String(_) | Value::Object(_))) => return Some(vec![entry.clone()]),
        Some(_) => findings.push(Finding::new(
            "/@context",
            "@context must be a URL, an object or an array of them",
        )),
    }
    None
}

fn bundled_only(entries: &[Value], findings: &mut Vec<Finding>) {
    for (index, entry) in entries.iter().enumerate() {
        let path = format!("/@context/{index}");
        let url = match entry {
            Value::String(url) => Some(url.as_str()),
            Value::Object(inline) => inline.get("@import").and_then(Value::as_str),
            _ => None,
        };
        match (entry, url) {
            (_, Some(url)) => {
                if bundled_context(url).is_none() {
                    findings.push(Finding::new(
                        path,
                        format!("unknown context {url}: only the bundled contexts are accepted"),
                    ));
                }
            }
            (Value::Object(_), None) => {}
            _ => findings.push(Finding::new(path, "a context must be a URL or an object")),
        }
    }
}

/// OB 3.0: an `AchievementSubject` must have an `id` or at least one
/// `identifier`. Returns the JSON Pointers of the subjects that have neither.
pub(crate) fn unidentified_subjects(doc: &Map<String, Value>) -> Vec<String> {
    let subjects: Vec<(String, &Value)> = match doc.get("credentialSubject") {
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, subject)| (format!("/credentialSubject/{i}"), subject))
            .collect(),
        Some(subject) => vec![("/credentialSubject".to_owned(), subject)],
        None => return Vec::new(),
    };
    let mut unidentified = Vec::new();
    for (path, subject) in subjects {
        let has_id = subject.get("id").is_some_and(Value::is_string);
        let has_identifier = match subject.get("identifier") {
            Some(Value::Array(items)) => !items.is_empty(),
            Some(Value::Object(_)) => true,
            _ => false,
        };
        if !has_id && !has_identifier {
            unidentified.push(path);
        }
    }
    unidentified
}

/// The finding for a subject without `id` nor `identifier`.
pub(crate) const UNIDENTIFIED_SUBJECT: &str =
    "the credential subject has neither an id nor an identifier";

/// Whether the document is in the VC 1.1 shape (first context is the 1.1 one).
pub(crate) fn is_vc_v1(doc: &Value) -> bool {
    let first = match doc.get("@context") {
        Some(Value::Array(entries)) => entries.first(),
        other => other,
    };
    first.and_then(Value::as_str) == Some(VC_V1_CONTEXT)
}

/// Maps every VC 1.1 credential in `value` (the document and embedded
/// endorsements) to the 2.0 shape the schemas are written for: `issuanceDate`
/// becomes `validFrom`, `expirationDate` becomes `validUntil`, and the first
/// context becomes the 2.0 one. Applied only to the copy that is validated.
pub(crate) fn map_vc_v1_to_v2(value: &mut Value, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(map) => {
            if is_vc_v1_map(map) {
                rename(map, "issuanceDate", "validFrom");
                rename(map, "expirationDate", "validUntil");
                if let Some(Value::Array(entries)) = map.get_mut("@context") {
                    if let Some(first) = entries.first_mut() {
                        *first = Value::String(VC_V2_CONTEXT.to_owned());
                    }
                }
            }
            for child in map.values_mut() {
                map_vc_v1_to_v2(child, depth + 1);
            }
        }
        Value::Array(items) => {
            for item in items {
                map_vc_v1_to_v2(item, depth + 1);
            }
        }
        _ => {}
    }
}

/// Whether [`map_vc_v1_to_v2`] would change anything in `value`: whether it
/// or a credential embedded in it is VC 1.1.
pub(crate) fn holds_vc_v1(value: &Value, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match value {
        Value::Object(map) => {
            is_vc_v1_map(map) || map.values().any(|child| holds_vc_v1(child, depth + 1))
        }
        Value::Array(items) => items.iter().any(|item| holds_vc_v1(item, depth + 1)),
        _ => false,
    }
}

fn is_vc_v1_map(map: &Map<String, Value>) -> bool {
    matches!(map.get("@context"), Some(Value::Array(entries))
        if entries.first().and_then(Value::as_str) == Some(VC_V1_CONTEXT))
}

fn rename(map: &mut Map<String, Value>, from: &str, to: &str) {
    if !map.contains_key(to) {
        if let Some(value) = map.remove(from) {
            map.insert(to.to_owned(), value);
        }
    }
}

/// Rewrites a schema finding about the mapped copy in the words of the VC 1.1
/// document the user gave.
pub(crate) fn in_vc_v1_terms(text: &str) -> String {
    text.replace("validFrom", "issuanceDate")
        .replace("validUntil", "expirationDate")
}

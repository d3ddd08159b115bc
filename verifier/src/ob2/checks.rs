//! The checks an Open Badges 2.0 assertion gets whatever its verification:
//! its required properties, its dates against `now`, its recipient.

use chrono::{DateTime, Utc};
use schemas::IdentityObject;
use serde_json::{Map, Value};

use super::dates::parse_date;
use crate::report::{Outcome, Report};

/// The Open Badges 2.0 context.
const OB2_CONTEXT: &str = "https://w3id.org/openbadges/v2";

/// Whether the assertion's `@context` is the Open Badges 2.0 context (alone,
/// or in an array) and its `type` is `Assertion`: OB 2.0 requires both, and
/// 1EdTech's validator fails an assertion without them.
fn context_and_type(assertion: &Value) -> Vec<&'static str> {
    let names = |value: Option<&Value>, wanted: &dyn Fn(&str) -> bool| match value {
        Some(Value::String(text)) => wanted(text),
        Some(Value::Array(items)) => items.iter().any(|item| item.as_str().is_some_and(wanted)),
        _ => false,
    };
    let mut wrong = Vec::new();
    if !names(assertion.get("@context"), &|c| {
        c.trim_end_matches('/') == OB2_CONTEXT
    }) {
        wrong.push("the Open Badges 2.0 @context");
    }
    if !names(assertion.get("type"), &|t| t == "Assertion") {
        wrong.push("the type Assertion");
    }
    wrong
}

/// The properties OB 2.0 requires of an Assertion, its `@context` and its
/// `type`.
pub(super) fn shape(assertion: &Value, report: &mut Report) {
    let string = |value: Option<&Value>| value.is_some_and(Value::is_string);
    let recipient = assertion.get("recipient");
    let requirements = [
        ("id", string(assertion.get("id"))),
        (
            "recipient.identity",
            string(recipient.and_then(|r| r.get("identity"))),
        ),
        (
            "recipient.type",
            string(recipient.and_then(|r| r.get("type"))),
        ),
        (
            "badge",
            assertion
                .get("badge")
                .is_some_and(|b| b.is_string() || b.is_object()),
        ),
        (
            "issuedOn",
            assertion
                .get("issuedOn")
                .is_some_and(|d| d.is_string() || d.is_number()),
        ),
    ];
    let missing: Vec<&str> = requirements
        .iter()
        .filter(|(_, present)| !present)
        .map(|(name, _)| *name)
        .collect();
    let wrong = context_and_type(assertion);
    if missing.is_empty() && wrong.is_empty() {
        report.push(
            "schema",
            "ob2.schema_valid",
            Outcome::Passed,
            "the assertion has the properties Open Badges 2.0 requires",
        );
        return;
    }
    let mut problems = Vec::new();
    if !missing.is_empty() {
        problems.push(format!("lacks {}", missing.join(", ")));
    }
    if !wrong.is_empty() {
        problems.push(format!("does not have {}", wrong.join(" nor ")));
    }
    report.push(
        "schema",
        "ob2.schema_invalid",
        Outcome::Failed,
        format!("the assertion {}", problems.join(" and ")),
    );
}

/// `issuedOn` and `expires` against `now`.
pub(super) fn validity(assertion: &Value, now: DateTime<Utc>, report: &mut Report) {
    let read = |name: &str| assertion.get(name).map(parse_date).transpose();
    let (issued, expires) = match (read("issuedOn"), read("expires")) {
        (Ok(issued), Ok(expires)) => (issued, expires),
        (Err(why), _) | (_, Err(why)) => {
            report.push("validity", "validity.invalid_date", Outcome::Failed, why);
            return;
        }
    };
    if let Some(issued) = issued.filter(|issued| now < *issued) {
        report.push(
            "validity",
            "validity.not_yet_valid",
            Outcome::Failed,
            format!(
                "the assertion is issued in the future, on {}",
                issued.to_rfc3339()
            ),
        );
    } else if let Some(expires) = expires.filter(|expires| now > *expires) {
        report.push(
            "validity",
            "validity.expired",
            Outcome::Failed,
            format!("the assertion expired on {}", expires.to_rfc3339()),
        );
    } else {
        report.push(
            "validity",
            "validity.current",
            Outcome::Passed,
            match expires {
                Some(expires) => format!("valid until {}", expires.to_rfc3339()),
                None => "valid, with no end date".to_string(),
            },
        );
    }
}

/// The recipient's `identity`, hashed (`sha256$`, `md5$`, with `salt`) or
/// plain, matched as OB 3.0 identity objects are.
pub(super) fn recipient(assertion: &Value, candidate: &str, report: &mut Report) {
    let recipient = assertion.get("recipient");
    let identity = recipient
        .and_then(|r| r.get("identity"))
        .and_then(Value::as_str);
    let Some(identity) = identity else {
        report.push(
            "recipient",
            "recipient.unidentified",
            Outcome::Failed,
            "the assertion does not identify its recipient, so no one can be matched",
        );
        return;
    };
    let text = |name: &str| {
        recipient
            .and_then(|r| r.get(name))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let object = IdentityObject {
        identity_object_type: "IdentityObject".to_owned(),
        hashed: recipient.and_then(|r| r.get("hashed")) == Some(&Value::Bool(true)),
        identity_hash: identity.to_owned(),
        identity_type: text("type").unwrap_or_else(|| "email".to_owned()),
        salt: text("salt"),
        extra: Map::new(),
    };
    if object.matches(candidate.trim()) {
        report.push(
            "recipient",
            "recipient.match",
            Outcome::Passed,
            "the assertion was awarded to this person",
        );
    } else {
        report.push(
            "recipient",
            "recipient.mismatch",
            Outcome::Failed,
            "the assertion was not awarded to this identity",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn recipients_hashed_with_salt_or_plain() {
        let hashed = json!({"recipient": {"type": "email", "hashed": true, "salt": "deadsea",
            "identity": "sha256$ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8e43f6a1d29891942"}});
        // MD5 of "nobody@example.org", no salt.
        let md5 = json!({"recipient": {"type": "email", "hashed": true,
            "identity": "md5$556f4ac7e166daeedb1b8968e228480b"}});
        let plain = json!({"recipient": {"type": "email", "hashed": false,
            "identity": "Nobody@Example.org"}});
        for assertion in [hashed, md5, plain] {
            let mut report = Report::new(None);
            recipient(&assertion, " NOBODY@example.org", &mut report);
            recipient(&assertion, "somebody@example.org", &mut report);
            let codes: Vec<&str> = report.checks.iter().map(|c| c.code).collect();
            assert_eq!(
                codes,
                ["recipient.match", "recipient.mismatch"],
                "{assertion}"
            );
        }
    }
}

//! What a credential says, read once after the checks: the typed view the
//! pages and the baked images are made from ([`crate::report::Report::view`]).
//!
//! The checks read the credential as arbitrary JSON, since they must judge
//! anything; this view is read from the same JSON once they are done, so
//! that nothing downstream pokes into a `serde_json::Value`. It reads an
//! Open Badges 3.0 credential, or an Open Badges 2.0 assertion whose `badge`
//! embeds the BadgeClass and its issuer Profile (as [`crate::ob2`] leaves
//! it). Values are kept as the credential writes them, texts trimmed: what
//! is safe to link to or show is the pages' decision.

use serde_json::Value;

/// The issuer's id: `issuer` as a string, or `issuer.id`.
pub fn issuer_id(credential: &Value) -> Option<&str> {
    node_id(credential.get("issuer"))
}

/// The id of a node given as an IRI or as an object with an `id`, as written.
pub(crate) fn node_id(value: Option<&Value>) -> Option<&str> {
    match value? {
        Value::String(id) => Some(id),
        Value::Object(object) => object.get("id").and_then(Value::as_str),
        _ => None,
    }
}

/// Whether `text` is an http(s) URL.
pub(crate) fn is_http(text: &str) -> bool {
    url::Url::parse(text).is_ok_and(|url| matches!(url.scheme(), "http" | "https"))
}

/// The most alignments read: a page lists a few competences, not thousands.
const MAX_ALIGNMENTS: usize = 50;

/// A competence the badge is aligned with, as written
/// (<https://www.imsglobal.org/spec/ob/v3p0/#alignment>).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Alignment {
    /// `targetName`.
    pub target_name: String,
    /// `targetFramework`, e.g. "DigComp 2.2".
    pub target_framework: Option<String>,
    /// `targetCode`, e.g. "1.1".
    pub target_code: Option<String>,
    /// `targetUrl`, any scheme.
    pub target_url: Option<String>,
}

/// The facts of a credential a reader is shown. Texts are trimmed and never
/// empty; URLs are as written, of any scheme.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CredentialView {
    /// The achievement's (or BadgeClass's) name, else the credential's.
    pub name: Option<String>,
    /// What the badge recognises.
    pub description: Option<String>,
    /// What it took to earn it (the criteria's `narrative`).
    pub criteria: Option<String>,
    /// The criteria's `id`, or (Open Badges 2.0) the criteria's URL itself.
    pub criteria_reference: Option<String>,
    /// The achievement's image (its URL or `data:` URI), else the credential's.
    pub image_reference: Option<String>,
    /// Competences, at most 50.
    pub alignments: Vec<Alignment>,
    /// The issuer's id.
    pub issuer_id: Option<String>,
    /// The issuer's name, when the credential embeds its profile.
    pub issuer_name: Option<String>,
    /// The issuer's website.
    pub issuer_url: Option<String>,
    /// The holder's name, when an Open Badges 3.0 credential shows it in clear.
    pub holder: Option<String>,
    /// Start of validity as written (`validFrom`, `issuanceDate`; OB 2.0 `issuedOn`).
    pub issued_on: Option<String>,
    /// End of validity as written (`validUntil`, `expirationDate`; OB 2.0 `expires`).
    pub valid_until: Option<String>,
}

/// A text member, trimmed, when not empty.
pub(crate) fn text(value: Option<&Value>) -> Option<String> {
    value
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// A URL or an object with an `id`, as `image` and `criteria` may be.
fn reference(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Object(o) => text(o.get("id")),
        _ => None,
    }
}

/// The first subject.
fn subject(document: &Value) -> Option<&Value> {
    match document.get("credentialSubject")? {
        Value::Array(items) => items.first(),
        other => Some(other),
    }
}

/// The holder's name in clear: a plain (unhashed) `name` identifier, or
/// the subject's `name`.
pub(crate) fn holder_name(subject: &Value) -> Option<String> {
    let identifiers = match subject.get("identifier") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(single @ Value::Object(_)) => vec![single],
        _ => Vec::new(),
    };
    identifiers
        .into_iter()
        .find(|i| {
            i.get("hashed") == Some(&Value::Bool(false))
                && i.get("identityType").and_then(Value::as_str) == Some("name")
        })
        .and_then(|i| text(i.get("identityHash")))
        .or_else(|| text(subject.get("name")))
}

fn alignments(achievement: Option<&Value>) -> Vec<Alignment> {
    let Some(Value::Array(alignments)) = achievement.and_then(|a| a.get("alignment")) else {
        return Vec::new();
    };
    alignments
        .iter()
        .take(MAX_ALIGNMENTS)
        .filter_map(|a| {
            Some(Alignment {
                target_name: text(a.get("targetName"))?,
                target_framework: text(a.get("targetFramework")),
                target_code: text(a.get("targetCode")),
                target_url: a
                    .get("targetUrl")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            })
        })
        .collect()
}

/// Where the facts are in a document: an OB 3.0 credential, or an OB 2.0
/// assertion with its `badge` embedded.
struct Shape<'a> {
    achievement: Option<&'a Value>,
    issuer: Option<&'a Value>,
    issuer_id: Option<&'a str>,
    holder: Option<String>,
    issued_on: [&'static str; 2],
    valid_until: [&'static str; 2],
}

impl<'a> Shape<'a> {
    fn of(document: &'a Value) -> Self {
        if let Some(badge) = document.get("badge").filter(|b| b.is_object()) {
            let issuer = badge.get("issuer");
            return Shape {
                achievement: Some(badge),
                issuer,
                issuer_id: match issuer {
                    Some(Value::String(id)) => Some(id.as_str()),
                    other => other.and_then(|i| i.get("id")).and_then(Value::as_str),
                },
                // An OB 2.0 recipient is an e-mail address or an id, never a name.
                holder: None,
                issued_on: ["issuedOn", "issuedOn"],
                valid_until: ["expires", "expires"],
            };
        }
        let subject = subject(document);
        Shape {
            achievement: subject.and_then(|s| s.get("achievement")),
            issuer: document.get("issuer"),
            issuer_id: issuer_id(document),
            holder: subject.and_then(holder_name),
            issued_on: ["validFrom", "issuanceDate"],
            valid_until: ["validUntil", "expirationDate"],
        }
    }
}

impl CredentialView {
    /// Reads the view of `document`, a credential or an expanded assertion.
    pub fn read(document: &Value) -> CredentialView {
        let shape = Shape::of(document);
        let achievement = shape.achievement;
        let issuer = shape.issuer;
        let criteria = achievement.and_then(|a| a.get("criteria"));
        // The first member present, whatever its type: a non-string date is no date.
        let date = |names: [&str; 2]| {
            let value = names.iter().find_map(|n| document.get(*n))?.as_str()?;
            Some(value.to_owned())
        };
        CredentialView {
            name: text(achievement.and_then(|a| a.get("name")))
                .or_else(|| text(document.get("name"))),
            description: text(achievement.and_then(|a| a.get("description"))),
            criteria: text(criteria.and_then(|c| c.get("narrative"))),
            criteria_reference: reference(criteria),
            image_reference: reference(achievement.and_then(|a| a.get("image")))
                .or_else(|| reference(document.get("image"))),
            alignments: alignments(achievement),
            issuer_id: shape.issuer_id.map(str::to_owned),
            issuer_name: text(issuer.and_then(|i| i.get("name"))),
            issuer_url: issuer
                .and_then(|i| i.get("url"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            holder: shape.holder,
            issued_on: date(shape.issued_on),
            valid_until: date(shape.valid_until),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_a_credential_as_written() {
        let document = json!({
            "issuer": {"id": "did:web:x", "name": " Maison ", "url": "javascript:alert(1)"},
            "validFrom": "2026-11-22T10:00:00Z",
            "validUntil": 42,
            "credentialSubject": [{
                "name": "Marie",
                "achievement": {"name": "", "image": " https://x.fr/i.png ",
                    "alignment": [{"targetName": "1.1"}, {"targetUrl": "https://x.fr"}]}
            }],
            "name": "Démarches"
        });
        let view = CredentialView::read(&document);
        assert_eq!(view.name.as_deref(), Some("Démarches"));
        assert_eq!(view.issuer_name.as_deref(), Some("Maison"));
        assert_eq!(view.issuer_id.as_deref(), Some("did:web:x"));
        assert_eq!(view.issuer_url.as_deref(), Some("javascript:alert(1)"));
        assert_eq!(view.image_reference.as_deref(), Some("https://x.fr/i.png"));
        assert_eq!(view.holder.as_deref(), Some("Marie"));
        assert_eq!(view.issued_on.as_deref(), Some("2026-11-22T10:00:00Z"));
        assert_eq!(view.valid_until, None, "a number is not a date");
        assert_eq!(view.alignments.len(), 1, "an alignment needs a name");
    }

    #[test]
    fn alignments_are_bounded() {
        let many: Vec<Value> = (0..80)
            .map(|i| json!({"targetName": i.to_string()}))
            .collect();
        let document = json!({"credentialSubject": {"achievement": {"alignment": many}}});
        assert_eq!(
            CredentialView::read(&document).alignments.len(),
            MAX_ALIGNMENTS
        );
    }
}

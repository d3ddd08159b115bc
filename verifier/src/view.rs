//! What a credential says, read once after the checks: the typed view the
//! pages and the baked images are made from ([`crate::report::Report::view`]).
//!
//! The checks read the credential as arbitrary JSON, since they must judge
//! anything; this view is read from the same JSON once they are done, so
//! that nothing downstream pokes into a `serde_json::Value`. It reads an
//! Open Badges 3.0 credential, or an Open Badges 2.0 assertion whose `badge`
//! embeds the BadgeClass and its issuer Profile (as [`crate::ob2`] leaves
//! it). For the pages, values are kept as the credential writes them, texts
//! trimmed: what is safe to link to or show is the pages' decision.
//!
//! The JSON report's summary ([`crate::report::Summary`]) is made from this
//! view too, from the members as written ([`AsWritten`]): its rules differ
//! from the pages' and both outputs are published, so each keeps its own
//! (the summary's `From<&CredentialView>` lists the differences).

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

/// The specification a document was verified under: where its facts are,
/// and how the JSON report states them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generation {
    /// An Open Badges 3.0 credential (a VC 1.1 one too), verified by
    /// [`crate::pipeline`].
    OpenBadges3,
    /// An Open Badges 2.0 (or 1.0) assertion, verified by [`crate::ob2`]
    /// and expanded with its BadgeClass and issuer Profile.
    OpenBadges2,
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
/// empty; URLs are as written, of any scheme. [`AsWritten`] keeps what the
/// JSON report states apart.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// The members the JSON report's summary is made from.
    pub as_written: AsWritten,
}

/// The members the JSON report's summary is made from, as written (not
/// trimmed, empty kept), where the rules of [`Generation`] put them, as for
/// the pages: both read the same members of any document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AsWritten {
    /// The rules the document was verified under.
    pub generation: Generation,
    /// The document's `id`.
    pub id: Option<String>,
    /// The issuer's id: `issuer` (OB 2.0: the BadgeClass's) as an IRI, or its `id`.
    pub issuer_id: Option<String>,
    /// The issuer's `name`.
    pub issuer_name: Option<String>,
    /// The issuer's `url`, as an IRI or an object's `id`.
    pub issuer_url: Option<String>,
    /// The achievement's (or BadgeClass's) `name`.
    pub achievement_name: Option<String>,
    /// The achievement's (or BadgeClass's) `description`.
    pub description: Option<String>,
    /// The criteria's `narrative`.
    pub criteria: Option<String>,
    /// The criteria as an IRI, or their `id`.
    pub criteria_id: Option<String>,
    /// The achievement's (or BadgeClass's) `image`, as an IRI or its `id`.
    pub achievement_image: Option<String>,
    /// The document's own `image`, as an IRI or its `id`.
    pub image: Option<String>,
    /// The first start of validity present (`validFrom`, `issuanceDate`;
    /// OB 2.0 `issuedOn`).
    pub valid_from: Option<DateAsWritten>,
    /// The first end of validity present (`validUntil`, `expirationDate`;
    /// OB 2.0 `expires`).
    pub valid_until: Option<DateAsWritten>,
}

/// A date member as written, whatever its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateAsWritten {
    /// A string, untrimmed.
    Text(String),
    /// A number (Unix seconds in Open Badges 1.x), as JSON writes it.
    Number(String),
    /// Anything else (`null`, an object...): no date.
    Other,
}

impl DateAsWritten {
    fn of(value: &Value) -> Self {
        match value {
            Value::String(text) => DateAsWritten::Text(text.clone()),
            Value::Number(number) => DateAsWritten::Number(number.to_string()),
            _ => DateAsWritten::Other,
        }
    }
}

/// A text trimmed, when not empty: how the pages show every text, and the
/// JSON report an Open Badges 2.0 assertion's.
pub(crate) fn trimmed(text: &str) -> Option<String> {
    Some(text.trim())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// A text member, trimmed, when not empty.
fn text(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).and_then(trimmed)
}

/// A text member exactly as written: untrimmed, empty kept.
fn as_written(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::to_owned)
}

/// A node's id as written: an IRI, or an object's `id`.
fn node_id_as_written(value: Option<&Value>) -> Option<String> {
    node_id(value).map(str::to_owned)
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
    document: &'a Value,
    achievement: Option<&'a Value>,
    issuer: Option<&'a Value>,
    issuer_id: Option<&'a str>,
    /// The subject whose holder may be named (Open Badges 3.0 only: an
    /// OB 2.0 recipient is an e-mail address or an id, never a name).
    subject: Option<&'a Value>,
    issued_on: [&'static str; 2],
    valid_until: [&'static str; 2],
}

impl<'a> Shape<'a> {
    /// Where the rules of `generation` put the facts.
    fn of(document: &'a Value, generation: Generation) -> Self {
        match generation {
            Generation::OpenBadges3 => Shape::open_badges_3(document),
            Generation::OpenBadges2 => Shape::open_badges_2(document),
        }
    }

    /// An Open Badges 2.0 assertion: the facts are in its `badge` object.
    fn open_badges_2(document: &'a Value) -> Self {
        let badge = document.get("badge").filter(|b| b.is_object());
        let issuer = badge.and_then(|b| b.get("issuer"));
        Shape {
            document,
            achievement: badge,
            issuer,
            issuer_id: node_id(issuer),
            subject: None,
            issued_on: ["issuedOn", "issuedOn"],
            valid_until: ["expires", "expires"],
        }
    }

    /// An Open Badges 3.0 credential: the facts are in its first subject's
    /// achievement.
    fn open_badges_3(document: &'a Value) -> Self {
        let subject = subject(document);
        Shape {
            document,
            achievement: subject.and_then(|s| s.get("achievement")),
            issuer: document.get("issuer"),
            issuer_id: issuer_id(document),
            subject,
            issued_on: ["validFrom", "issuanceDate"],
            valid_until: ["validUntil", "expirationDate"],
        }
    }

    /// A member of the achievement (or BadgeClass).
    fn achievement(&self, name: &str) -> Option<&'a Value> {
        self.achievement.and_then(|a| a.get(name))
    }

    /// A member of the issuer's profile.
    fn issuer(&self, name: &str) -> Option<&'a Value> {
        self.issuer.and_then(|i| i.get(name))
    }

    /// The first date member present, whatever its type.
    fn date(&self, names: [&str; 2]) -> Option<&'a Value> {
        names.iter().find_map(|n| self.document.get(*n))
    }
}

impl CredentialView {
    /// Reads the view of `document`, a credential or an expanded assertion
    /// verified under `generation`.
    pub fn read(document: &Value, generation: Generation) -> CredentialView {
        let shape = Shape::of(document, generation);
        let criteria = shape.achievement("criteria");
        // A non-string date is no date.
        let date = |names| shape.date(names)?.as_str().map(str::to_owned);
        CredentialView {
            name: text(shape.achievement("name")).or_else(|| text(document.get("name"))),
            description: text(shape.achievement("description")),
            criteria: text(criteria.and_then(|c| c.get("narrative"))),
            criteria_reference: reference(criteria),
            image_reference: reference(shape.achievement("image"))
                .or_else(|| reference(document.get("image"))),
            alignments: alignments(shape.achievement),
            issuer_id: shape.issuer_id.map(str::to_owned),
            issuer_name: text(shape.issuer("name")),
            issuer_url: shape
                .issuer("url")
                .and_then(Value::as_str)
                .map(str::to_owned),
            holder: shape.subject.and_then(holder_name),
            issued_on: date(shape.issued_on),
            valid_until: date(shape.valid_until),
            as_written: AsWritten::read(&shape, generation),
        }
    }
}

impl AsWritten {
    /// Reads the members of the document where the rules of `generation`
    /// put them (`shape`).
    fn read(shape: &Shape<'_>, generation: Generation) -> AsWritten {
        let document = shape.document;
        let criteria = shape.achievement("criteria");
        AsWritten {
            generation,
            id: as_written(document.get("id")),
            issuer_id: shape.issuer_id.map(str::to_owned),
            issuer_name: as_written(shape.issuer("name")),
            issuer_url: node_id_as_written(shape.issuer("url")),
            achievement_name: as_written(shape.achievement("name")),
            description: as_written(shape.achievement("description")),
            criteria: as_written(criteria.and_then(|c| c.get("narrative"))),
            criteria_id: node_id_as_written(criteria),
            achievement_image: node_id_as_written(shape.achievement("image")),
            image: node_id_as_written(document.get("image")),
            valid_from: shape.date(shape.issued_on).map(DateAsWritten::of),
            valid_until: shape.date(shape.valid_until).map(DateAsWritten::of),
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
        let view = CredentialView::read(&document, Generation::OpenBadges3);
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
            CredentialView::read(&document, Generation::OpenBadges3)
                .alignments
                .len(),
            MAX_ALIGNMENTS
        );
    }

    #[test]
    fn members_as_written_follow_the_rules_the_document_was_verified_under() {
        let document = json!({
            "id": " urn:x ",
            "validFrom": "2026-01-01T00:00:00Z",
            "issuedOn": 1_451_606_400,
            "badge": {"name": "Pas un badge 2.0"},
            "credentialSubject": {"achievement": {"name": " Démarches "}}
        });
        let view = CredentialView::read(&document, Generation::OpenBadges3);
        assert_eq!(
            view.name.as_deref(),
            Some("Démarches"),
            "an Open Badges 3.0 credential's pages show its achievement, whatever other members it has"
        );
        let written = &view.as_written;
        assert_eq!(written.id.as_deref(), Some(" urn:x "));
        assert_eq!(written.achievement_name.as_deref(), Some(" Démarches "));
        assert_eq!(
            written.valid_from,
            Some(DateAsWritten::Text("2026-01-01T00:00:00Z".into()))
        );
        let view = CredentialView::read(&document, Generation::OpenBadges2);
        assert_eq!(view.name.as_deref(), Some("Pas un badge 2.0"));
        let written = view.as_written;
        assert_eq!(
            written.achievement_name.as_deref(),
            Some("Pas un badge 2.0")
        );
        assert_eq!(
            written.valid_from,
            Some(DateAsWritten::Number("1451606400".into()))
        );
    }
}

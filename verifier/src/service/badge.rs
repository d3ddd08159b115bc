//! What a verified credential says, for people: the badge, its issuer, its
//! holder, its dates in words, made from the report's
//! [`CredentialView`].
//!
//! Everything here comes from the credential, that is from whoever made it:
//! texts are escaped by the templates, and only `http(s)` links (and `data:`
//! images) are ever put in an `href` or `src`, so a `javascript:` URL in a
//! credential stays text.

use chrono::{DateTime, Utc};

use super::trust::TrustRegistry;
use crate::i18n::{self, Lang};
use crate::view::{Alignment, CredentialView};

/// A competence the badge is aligned with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Competence {
    /// The competence's name.
    pub(crate) name: String,
    /// The framework and code, e.g. "DigComp 2.2 · 1.1".
    pub(crate) framework: Option<String>,
    /// Where the competence is described.
    pub(crate) url: Option<String>,
}

/// The facts of a credential, ready for a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadgeFacts {
    /// The badge's name.
    pub(crate) name: String,
    /// Its image, when it is an https URL or a `data:` image.
    pub(crate) image: Option<String>,
    /// The image's reference as the credential gives it (any scheme), for
    /// server-side fetching.
    pub(crate) image_reference: Option<String>,
    /// The text alternative of the image.
    pub(crate) image_alt: String,
    /// What the badge recognises.
    pub(crate) description: Option<String>,
    /// What it took to earn it.
    pub(crate) criteria: Option<String>,
    /// Where the criteria are published.
    pub(crate) criteria_url: Option<String>,
    /// Competences (alignments).
    pub(crate) competences: Vec<Competence>,
    /// The issuer's name (from the credential, or the registry, or its id).
    pub(crate) issuer_name: String,
    /// The issuer's website.
    pub(crate) issuer_url: Option<String>,
    /// The holder's name, when the credential shows it in clear.
    pub(crate) holder: Option<String>,
    /// Issued on, in words.
    pub(crate) issued_on: Option<String>,
    /// Valid until, in words.
    pub(crate) valid_until: Option<String>,
}

/// An http(s) URL, or nothing: never a `javascript:` or other scheme.
pub(crate) fn http_url(value: Option<&str>) -> Option<String> {
    let value = value?.trim();
    let url = url::Url::parse(value).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

/// The largest `data:` image a page shows inline, in bytes: pages stay
/// under 100 KB.
const MAX_INLINE_IMAGE_BYTES: usize = 40 * 1024;

/// An image the page may show: https (the CSP allows it) or a small raster
/// or SVG `data:` image (shown through `<img>`, so an SVG's scripts never
/// run).
fn showable_image(reference: &str) -> Option<String> {
    if reference.len() > MAX_INLINE_IMAGE_BYTES {
        return None;
    }
    let lower = reference.to_ascii_lowercase();
    let data = ["png", "jpeg", "gif", "webp", "svg+xml"]
        .iter()
        .any(|kind| lower.starts_with(&format!("data:image/{kind};base64,")));
    (data || lower.starts_with("https://")).then(|| reference.to_owned())
}

/// An RFC 3339 date-time in words ("22 novembre 2026"); the text as given
/// when it is not one.
pub(crate) fn long_date(value: &str, lang: Lang) -> String {
    DateTime::parse_from_rfc3339(value.trim())
        .map(|d| ::i18n::long_date(d.with_timezone(&Utc), lang))
        .unwrap_or_else(|_| value.to_owned())
}

fn competence(alignment: &Alignment) -> Competence {
    let parts: Vec<&str> = [&alignment.target_framework, &alignment.target_code]
        .into_iter()
        .filter_map(Option::as_deref)
        .collect();
    Competence {
        name: alignment.target_name.clone(),
        framework: (!parts.is_empty()).then(|| parts.join(" · ")),
        url: http_url(alignment.target_url.as_deref()),
    }
}

impl BadgeFacts {
    /// The facts of `view` for a page in `lang`: only safe links and images
    /// kept, dates in words, the issuer named from the registry when the
    /// credential does not name it.
    pub(crate) fn new(
        view: &CredentialView,
        registry: Option<&TrustRegistry>,
        lang: Lang,
    ) -> BadgeFacts {
        let name = view.name.clone().unwrap_or_else(|| "Badge".to_owned());
        let id = view.issuer_id.as_deref();
        let issuer_name = view
            .issuer_name
            .clone()
            .or_else(|| Some(registry?.find(id?)?.name.clone()))
            .or_else(|| id.map(str::to_owned))
            .unwrap_or_default();
        let date = |value: &Option<String>| value.as_deref().map(|v| long_date(v, lang));
        BadgeFacts {
            image: view.image_reference.as_deref().and_then(showable_image),
            image_alt: i18n::message_with(
                lang,
                "badge-alt",
                &[("name", &name), ("issuer", &issuer_name)],
            ),
            image_reference: view.image_reference.clone(),
            description: view.description.clone(),
            criteria: view.criteria.clone(),
            criteria_url: http_url(view.criteria_reference.as_deref()),
            competences: view.alignments.iter().map(competence).collect(),
            issuer_url: http_url(view.issuer_url.as_deref()),
            holder: view.holder.clone(),
            issued_on: date(&view.issued_on),
            valid_until: date(&view.valid_until),
            name,
            issuer_name,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::Generation;
    use serde_json::json;

    #[test]
    fn reads_facts_and_keeps_only_safe_links() {
        let document = json!({
            "issuer": {"id": "did:web:x", "name": "Maison", "url": "javascript:alert(1)"},
            "validFrom": "2026-11-22T10:00:00Z",
            "credentialSubject": {
                "identifier": [{"type": "IdentityObject", "hashed": false,
                    "identityType": "name", "identityHash": "Marie Dupont"}],
                "achievement": {
                    "name": "Démarches", "image": {"id": "http://insecure.example/i.png"},
                    "criteria": {"id": "https://x.fr/c", "narrative": "Trois séances"},
                    "alignment": [{"targetName": "1.1 Naviguer", "targetFramework": "DigComp 2.2",
                        "targetCode": "1.1", "targetUrl": "https://jrc.example/1.1"}]
                }
            }
        });
        let facts = BadgeFacts::new(
            &CredentialView::read(&document, Generation::OpenBadges3),
            None,
            Lang::Fr,
        );
        assert_eq!(facts.name, "Démarches");
        assert_eq!(facts.issuer_name, "Maison");
        assert_eq!(facts.issuer_url, None);
        assert_eq!(facts.image, None, "plain http is not shown");
        assert_eq!(
            facts.image_reference.as_deref(),
            Some("http://insecure.example/i.png")
        );
        assert_eq!(facts.holder.as_deref(), Some("Marie Dupont"));
        assert_eq!(facts.issued_on.as_deref(), Some("22 novembre 2026"));
        assert_eq!(facts.valid_until, None);
        assert_eq!(facts.criteria_url.as_deref(), Some("https://x.fr/c"));
        assert_eq!(
            facts.competences[0].framework.as_deref(),
            Some("DigComp 2.2 · 1.1")
        );
    }

    #[test]
    fn reads_an_open_badges_2_assertion() {
        let assertion = json!({
            "issuedOn": "2016-12-31T23:59:59Z",
            "expires": "2030-01-01T00:00:00Z",
            "recipient": {"type": "email", "hashed": false, "identity": "a@example.org"},
            "badge": {
                "name": "Robotique", "description": "Des robots",
                "image": "https://example.org/robot.png",
                "criteria": "https://example.org/criteria",
                "alignment": [{"targetName": "Programmer", "targetUrl": "https://x.example/p"}],
                "issuer": {"id": "https://example.org/i", "name": "Club",
                    "url": "https://example.org"}
            }
        });
        let facts = BadgeFacts::new(
            &CredentialView::read(&assertion, Generation::OpenBadges2),
            None,
            Lang::Fr,
        );
        assert_eq!(facts.name, "Robotique");
        assert_eq!(facts.description.as_deref(), Some("Des robots"));
        assert_eq!(facts.issuer_name, "Club");
        assert_eq!(facts.issuer_url.as_deref(), Some("https://example.org/"));
        assert_eq!(
            facts.image.as_deref(),
            Some("https://example.org/robot.png")
        );
        assert_eq!(
            facts.criteria_url.as_deref(),
            Some("https://example.org/criteria")
        );
        assert_eq!(facts.competences[0].name, "Programmer");
        assert_eq!(facts.holder, None);
        assert_eq!(facts.issued_on.as_deref(), Some("31 décembre 2016"));
        assert_eq!(facts.valid_until.as_deref(), Some("1er janvier 2030"));
    }

    #[test]
    fn hashed_identities_are_not_names() {
        let subject = json!({"identifier": {"hashed": true, "identityType": "name",
            "identityHash": "sha256$00"}});
        assert_eq!(crate::view::holder_name(&subject), None);
        assert_eq!(showable_image("data:text/html;base64,AAAA"), None);
        assert!(showable_image("data:image/png;base64,AAAA").is_some());
    }
}

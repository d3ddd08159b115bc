//! The verification report: every check the pipeline ran, with a stable code,
//! its outcome and a message.
//!
//! The codes are a contract: the command line (`--json`), the verifier
//! service and the web pages all key their explanations on them, so a code is
//! never renamed once published. A check's `check` names the family (`schema`,
//! `proof`, `issuer`, `status`, `validity`, `recipient`, `endorsement`); its
//! `code` names the result (`proof.signature_invalid`, `validity.expired`).
//! Open Badges 2.0 assertions ([`crate::ob2`]) report in the same families,
//! with the same codes where they mean the same and `ob2.*` codes otherwise.

use serde::Serialize;

use crate::view::{is_http, trimmed, AsWritten, CredentialView, DateAsWritten, Generation};

/// What a single check concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The check ran and the credential satisfies it.
    Passed,
    /// The check ran and the credential fails it: the credential is not verified.
    Failed,
    /// Something worth telling that does not make the credential invalid.
    Warning,
    /// The check did not apply or could not be reached for a stated reason.
    Skipped,
}

/// One check of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// The family of the check: `input`, `schema`, `proof`, `issuer`, `status`,
    /// `validity`, `recipient` or `endorsement`.
    pub check: &'static str,
    /// The stable code of the result, e.g. `status.revoked`.
    pub code: &'static str,
    /// What the check concluded.
    pub outcome: Outcome,
    /// A plain-English explanation for logs and machines; the web pages use
    /// `code` to pick translated text.
    pub message: String,
    /// The one name or value the check is about, when the pages show it in
    /// their sentence (the signer of a status list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// Where the credential was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputFormat {
    /// A JSON credential with an embedded Data Integrity proof (or none).
    Json,
    /// A compact VC-JWT.
    Jwt,
    /// A baked PNG image.
    Png,
    /// A baked SVG image.
    Svg,
}

/// What a reader wants to know about the credential at a glance, taken from
/// its content (made from the [`CredentialView`], see its `From`). Only
/// meaningful when [`Report::authentic`] is true.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The credential's `id`, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The issuer's id (DID or URL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer_id: Option<String>,
    /// The issuer's name, when the credential embeds its profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer_name: Option<String>,
    /// The issuer's website (Open Badges 2.0 Profiles).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer_url: Option<String>,
    /// The achievement's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub achievement_name: Option<String>,
    /// What the badge recognises (Open Badges 2.0 BadgeClasses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What it took to earn it: the criteria's text, else their URL (Open
    /// Badges 2.0 BadgeClasses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criteria: Option<String>,
    /// The badge's image, when it is an http(s) URL (Open Badges 2.0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Start of validity (`validFrom` or `issuanceDate`; OB 2.0 `issuedOn`),
    /// as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    /// End of validity (`validUntil` or `expirationDate`; OB 2.0 `expires`),
    /// as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
}

impl From<&CredentialView> for Summary {
    /// The summary of what the view read, by the report's rules.
    ///
    /// These have been the report's rules since it was published, and they
    /// differ from the pages' ([`CredentialView`]'s other members) on
    /// purpose: both outputs are published and pinned by tests
    /// (`verifier/tests/it/summaries.rs`), so one set of rules would change
    /// one of them. The report
    ///
    /// - reads the same members as the pages, where the rules the document
    ///   was verified under put them ([`AsWritten`]), but
    /// - states an Open Badges 3.0 credential's texts exactly as written
    ///   (untrimmed, empty kept: a machine reading the report sees what was
    ///   signed), an Open Badges 2.0 assertion's trimmed (`view::trimmed`, as
    ///   the pages show every text);
    /// - names the achievement only (the pages fall back to the credential's
    ///   name), and states no description, criteria, image or website of an
    ///   Open Badges 3.0 credential;
    /// - gives http(s) links only, as written (the pages take any scheme,
    ///   trimmed, and decide what is safe to show), the BadgeClass's image
    ///   else the assertion's;
    /// - states an Open Badges 2.0 date given as Unix seconds, which the
    ///   pages do not read.
    fn from(view: &CredentialView) -> Self {
        let written = &view.as_written;
        match written.generation {
            Generation::OpenBadges3 => open_badges_3(written),
            Generation::OpenBadges2 => open_badges_2(written),
        }
    }
}

/// An Open Badges 3.0 credential's summary: its texts as written.
fn open_badges_3(written: &AsWritten) -> Summary {
    let date = |date: &Option<DateAsWritten>| match date {
        Some(DateAsWritten::Text(text)) => Some(text.clone()),
        _ => None,
    };
    Summary {
        id: written.id.clone(),
        issuer_id: written.issuer_id.clone(),
        issuer_name: written.issuer_name.clone(),
        achievement_name: written.achievement_name.clone(),
        valid_from: date(&written.valid_from),
        valid_until: date(&written.valid_until),
        ..Summary::default()
    }
}

/// An Open Badges 2.0 assertion's summary: its texts trimmed, its links
/// http(s) only.
fn open_badges_2(written: &AsWritten) -> Summary {
    let text = |text: &Option<String>| text.as_deref().and_then(trimmed);
    let http = |link: &Option<String>| link.clone().filter(|link| is_http(link));
    let date = |date: &Option<DateAsWritten>| match date {
        Some(DateAsWritten::Text(text)) => Some(text.trim().to_owned()),
        Some(DateAsWritten::Number(number)) => Some(number.clone()),
        Some(DateAsWritten::Other) | None => None,
    };
    Summary {
        id: text(&written.id),
        issuer_id: written.issuer_id.clone(),
        issuer_name: text(&written.issuer_name),
        issuer_url: http(&written.issuer_url),
        achievement_name: text(&written.achievement_name),
        description: text(&written.description),
        criteria: text(&written.criteria).or_else(|| http(&written.criteria_id)),
        image: http(&written.achievement_image).or_else(|| http(&written.image)),
        valid_from: date(&written.valid_from),
        valid_until: date(&written.valid_until),
    }
}

/// The result of verifying one credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// True when no check failed: authentic, current, not revoked, and the
    /// recipient matches when one was asked for.
    pub verified: bool,
    /// True when the proof is valid and made with a key the issuer controls,
    /// whatever the dates and the status say. Lets a reader tell "expired but
    /// genuine" from "tampered".
    pub authentic: bool,
    /// Where the credential was found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<InputFormat>,
    /// The credential at a glance.
    pub credential: Summary,
    /// Every check, in the order the specification gives.
    pub checks: Vec<Check>,
    /// What the pages show of the credential, read once the checks are
    /// done (unverified when `authentic` is false). Not part of the JSON
    /// report.
    #[serde(skip)]
    pub view: Option<CredentialView>,
}

impl Report {
    /// A report with no checks yet.
    pub fn new(format: Option<InputFormat>) -> Self {
        Report {
            verified: false,
            authentic: false,
            format,
            credential: Summary::default(),
            checks: Vec::new(),
            view: None,
        }
    }

    /// Records a check.
    pub fn push(
        &mut self,
        check: &'static str,
        code: &'static str,
        outcome: Outcome,
        message: impl Into<String>,
    ) {
        self.checks.push(Check {
            check,
            code,
            outcome,
            message: message.into(),
            detail: None,
        });
    }

    /// Records a check with the name or value it is about.
    pub fn push_detailed(
        &mut self,
        check: &'static str,
        code: &'static str,
        outcome: Outcome,
        message: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.push(check, code, outcome, message);
        if let Some(last) = self.checks.last_mut() {
            last.detail = Some(detail.into());
        }
    }

    /// Records what the credential says, read once the checks are done:
    /// the report's summary and the pages' view.
    pub(crate) fn describe(&mut self, view: CredentialView) {
        self.credential = Summary::from(&view);
        self.view = Some(view);
    }

    /// Whether any check failed.
    pub fn has_failure(&self) -> bool {
        self.checks.iter().any(|c| c.outcome == Outcome::Failed)
    }

    /// The first check with this code, if any.
    pub fn find(&self, code: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.code == code)
    }

    /// Whether a family has at least one passed check and no failed one
    /// (warnings and skips do not count against it).
    pub(crate) fn family_passed(&self, family: &str) -> bool {
        let mut checks = self.checks.iter().filter(|c| c.check == family);
        let mut passed = false;
        checks.all(|c| {
            passed |= c.outcome == Outcome::Passed;
            c.outcome != Outcome::Failed
        }) && passed
    }

    /// Sets `verified` and `authentic` from the checks. Called once, at the end.
    pub(crate) fn conclude(mut self) -> Self {
        self.authentic = self.family_passed("proof") && self.family_passed("issuer");
        self.verified = self.authentic && !self.has_failure();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expired_but_authentic_is_not_verified_but_authentic() {
        let mut report = Report::new(Some(InputFormat::Json));
        report.push("proof", "proof.signature_valid", Outcome::Passed, "ok");
        report.push("issuer", "issuer.key_bound", Outcome::Passed, "ok");
        report.push("validity", "validity.expired", Outcome::Failed, "expired");
        let report = report.conclude();
        assert!(report.authentic);
        assert!(!report.verified);
    }

    #[test]
    fn no_proof_check_means_not_authentic() {
        let mut report = Report::new(None);
        report.push("schema", "schema.valid", Outcome::Passed, "ok");
        let report = report.conclude();
        assert!(!report.authentic);
        assert!(!report.verified);
    }

    #[test]
    fn serialises_with_top_level_verified_and_checks() {
        let mut report = Report::new(Some(InputFormat::Png));
        report.push(
            "status",
            "status.unavailable",
            Outcome::Failed,
            "unreachable",
        );
        let json = serde_json::to_value(report.conclude()).expect("serialises");
        assert_eq!(json["verified"], false);
        assert_eq!(json["checks"][0]["code"], "status.unavailable");
        assert_eq!(json["checks"][0]["outcome"], "failed");
        assert_eq!(json["format"], "png");
    }

    #[test]
    fn summary_of_an_expanded_assertion() {
        let assertion = serde_json::json!({
            "id": "https://example.org/a/1",
            "issuedOn": "2016-12-31T23:59:59Z",
            "image": "https://example.org/a/1.png",
            "badge": {
                "name": "Robotique", "description": "Des robots",
                "criteria": {"narrative": "Construire un robot"},
                "image": {"id": "javascript:alert(1)"},
                "issuer": {"id": "https://example.org/i", "name": "Club", "url": "https://example.org"}
            }
        });
        let summary = Summary::from(&CredentialView::read(&assertion, Generation::OpenBadges2));
        assert_eq!(summary.achievement_name.as_deref(), Some("Robotique"));
        assert_eq!(summary.issuer_name.as_deref(), Some("Club"));
        assert_eq!(summary.issuer_id.as_deref(), Some("https://example.org/i"));
        assert_eq!(summary.criteria.as_deref(), Some("Construire un robot"));
        assert_eq!(
            summary.image.as_deref(),
            Some("https://example.org/a/1.png"),
            "only http(s) images"
        );
        assert_eq!(summary.valid_until, None);
    }

    #[test]
    fn a_credential_is_stated_as_written_and_shown_trimmed() {
        let document = serde_json::json!({
            "id": " urn:x ",
            "issuer": {"id": "did:web:x", "name": " Maison "},
            "name": "Démarches",
            "credentialSubject": {"achievement": {"name": ""}}
        });
        let view = CredentialView::read(&document, Generation::OpenBadges3);
        assert_eq!(view.issuer_name.as_deref(), Some("Maison"));
        assert_eq!(view.name.as_deref(), Some("Démarches"));
        let summary = Summary::from(&view);
        assert_eq!(summary.id.as_deref(), Some(" urn:x "));
        assert_eq!(summary.issuer_name.as_deref(), Some(" Maison "));
        assert_eq!(summary.achievement_name.as_deref(), Some(""));
    }
}

//! What the Open Badges 2.0 checks share: the assertion with its BadgeClass
//! and issuer Profile ([`Graph`]) and the revocation message. Kept apart
//! from `mod.rs` so that the children import it and `mod.rs` imports no
//! child that imports it back (docs/ARCHITECTURE.md, invariant 10).

use keys::Resolver;
use serde_json::Value;

use super::fetch;
use crate::report::{Outcome, Report};

/// The start of a `status.revoked` message that carries the issuer's
/// reason: the wording of the OB 3.0 pipeline, which the service reads the
/// reason back from.
const REVOKED_WITH_REASON: &str = "the issuer revoked this credential: ";

/// An assertion with its BadgeClass and issuer Profile, as far as they
/// could be read.
#[derive(Debug, Clone)]
pub(super) struct Graph {
    /// The assertion: the issuer's copy (hosted) or the JWS payload (signed).
    pub(super) assertion: Value,
    /// The BadgeClass.
    pub(super) badge: Option<Value>,
    /// The issuer Profile.
    pub(super) issuer: Option<Value>,
    /// The URL the issuer Profile was fetched from, when it was: the origin
    /// that vouches for it, whatever `id` it declares.
    pub(super) issuer_url: Option<String>,
}

impl Graph {
    /// An assertion whose BadgeClass and issuer were not read.
    pub(super) fn alone(assertion: Value) -> Self {
        Graph {
            assertion,
            badge: None,
            issuer: None,
            issuer_url: None,
        }
    }

    /// Reads the BadgeClass and the issuer Profile of `assertion`,
    /// reporting what cannot be read. `authoritative_issuer` reads the
    /// Profile from its `id` even when the badge embeds a copy.
    pub(super) fn resolve(
        assertion: Value,
        resolver: &dyn Resolver,
        authoritative_issuer: bool,
        report: &mut Report,
    ) -> Self {
        let badge = match fetch::described(assertion.get("badge"), resolver, "BadgeClass", false) {
            Ok(badge) => badge,
            Err(why) => {
                report.push("issuer", "ob2.badge_unavailable", Outcome::Failed, why);
                return Graph::alone(assertion);
            }
        };
        note_renamed(&badge, "BadgeClass", report);
        let issuer = fetch::described(
            badge.document.get("issuer"),
            resolver,
            "issuer Profile",
            authoritative_issuer,
        );
        let issuer = match issuer {
            Ok(issuer) => {
                note_renamed(&issuer, "issuer Profile", report);
                Some(issuer)
            }
            Err(why) => {
                report.push("issuer", "ob2.issuer_unavailable", Outcome::Failed, why);
                None
            }
        };
        let issuer_url = issuer.as_ref().and_then(|issuer| issuer.url.clone());
        Graph {
            assertion,
            badge: Some(badge.document),
            issuer: issuer.map(|issuer| issuer.document),
            issuer_url,
        }
    }

    /// The assertion with its BadgeClass embedded, and the issuer Profile in
    /// the BadgeClass: what the pages read.
    pub(super) fn expanded(&self) -> Value {
        let mut assertion = self.assertion.clone();
        if let (Value::Object(map), Some(badge)) = (&mut assertion, &self.badge) {
            let mut badge = badge.clone();
            if let (Value::Object(badge), Some(issuer)) = (&mut badge, &self.issuer) {
                badge.insert("issuer".into(), issuer.clone());
            }
            map.insert("badge".into(), badge);
        }
        assertion
    }
}

/// Warns that a fetched BadgeClass or Profile names itself otherwise than
/// the URL it was read from (same host, or a non-http id).
fn note_renamed(described: &fetch::Described, what: &str, report: &mut Report) {
    if let (Some(url), Some(id)) = (&described.url, &described.renamed) {
        report.push(
            "issuer",
            "ob2.id_differs",
            Outcome::Warning,
            format!("the {what} fetched from {url} names itself {id}"),
        );
    }
}

/// Records a revocation, with the issuer's reason when it gave one.
pub(super) fn push_revoked(report: &mut Report, how: &str, reason: Option<String>) {
    let message = match reason {
        Some(reason) => format!("{REVOKED_WITH_REASON}{reason}"),
        None => format!("the issuer revoked this credential ({how})"),
    };
    report.push("status", "status.revoked", Outcome::Failed, message);
}

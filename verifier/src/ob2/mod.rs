//! Open Badges 2.0 verification, so that badges from Badgr, Open Badge
//! Factory or Moodle are checked too, under the rules of their own
//! specification (OB 2.0 §Verification,
//! <https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html#Verification>):
//!
//! - **hosted** assertions (`hosted.rs`): the issuer vouches for the assertion
//!   by serving it at its `id`, on its own origin; the copy given is fetched
//!   again and compared, never trusted;
//! - **signed** assertions (`signed.rs`): a compact JWS, RS256 only, with a
//!   key the issuer lists; revocation through the issuer's revocation list.
//!
//! Then `issuedOn` and `expires` against `now`, and the recipient. The checks
//! use the families and, where they mean the same, the codes of the
//! Open Badges 3.0 pipeline (`proof.signature_valid`, `issuer.key_bound`,
//! `status.revoked`...), plus `ob2.*` codes for what only OB 2.0 has. An
//! `input.open_badges_2` warning says which rules were applied; it fails
//! only for an assertion without a verification object (Open Badges 1.x).
//!
//! All I/O goes through the [`keys::Resolver`] and a [`HostedFetch`]; `now`
//! comes from [`VerifyOptions`].

mod checks;
mod dates;
mod fetch;
mod graph;
mod hosted;
mod signed;
mod v1;

use serde_json::Value;

pub use fetch::{HostedAnswer, HostedFetch, ResolverOnly};

use graph::{push_revoked, Graph};

use crate::input::Ob2Input;
use crate::options::VerifyOptions;
use crate::reason::reason;
use crate::report::{InputFormat, Outcome, Report};
use crate::view::{CredentialView, Generation};

/// How an assertion is verified (`verification.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Hosted,
    Signed,
}

/// The assertion as read: its JSON, or its JWS.
enum Given {
    Json(Value),
    Jws(signed::UnverifiedJws),
}

impl Given {
    fn assertion(&self) -> &Value {
        match self {
            Given::Json(assertion) => assertion,
            Given::Jws(jws) => &jws.payload,
        }
    }
}

/// Verifies an Open Badges 2.0 assertion. Hosted assertions (and URLs) are
/// fetched through `fetch`; everything else through `options.resolver`.
pub fn verify(
    input: Ob2Input,
    format: Option<InputFormat>,
    options: &VerifyOptions<'_>,
    fetch: &dyn HostedFetch,
) -> Report {
    let mut report = Report::new(format);
    let Some(given) = read(input, fetch, &mut report) else {
        return report.conclude();
    };
    let kind = match verification_kind(given.assertion()) {
        Ok(kind) => kind,
        Err(why) => {
            if let Given::Json(assertion) = &given {
                if let Some(verify) = v1::verify_member(assertion) {
                    return verify_v1(assertion, verify, options, fetch, report);
                }
            }
            report.push("input", "input.open_badges_2", Outcome::Failed, why);
            return finish(report, Graph::alone(given.assertion().clone()), options);
        }
    };
    note_open_badges_2(&mut report, Some(kind));
    checks::shape(given.assertion(), &mut report);
    let graph = match (kind, &given) {
        (Kind::Hosted, given) => hosted::check(given.assertion(), options, fetch, &mut report),
        (Kind::Signed, Given::Jws(jws)) => signed::check(jws, options.resolver, &mut report),
        (Kind::Signed, Given::Json(assertion)) => {
            report.push(
                "proof",
                "proof.missing",
                Outcome::Failed,
                "a signed assertion is verified from its compact JWS; its JSON alone carries \
                 no signature",
            );
            Graph::alone(assertion.clone())
        }
    };
    finish(report, graph, options)
}

/// Verifies an Open Badges 1.0 assertion (`verify` instead of
/// `verification`): hosted ones as Badgr and edubadges do, see [`v1`].
fn verify_v1(
    assertion: &Value,
    verify: v1::Verify<'_>,
    options: &VerifyOptions<'_>,
    fetch: &dyn HostedFetch,
    mut report: Report,
) -> Report {
    v1::note(&mut report);
    match verify {
        v1::Verify::Hosted(url) => {
            let graph = v1::check(assertion, url, options, fetch, &mut report);
            finish(report, graph, options)
        }
        v1::Verify::Other(why) => {
            report.push(
                "schema",
                "ob2.schema_invalid",
                Outcome::Failed,
                format!("the Open Badges 1.0 assertion cannot be verified: {why}"),
            );
            finish(report, Graph::alone(assertion.clone()), options)
        }
    }
}

/// The checks that follow the proof, the summary and the document.
fn finish(mut report: Report, graph: Graph, options: &VerifyOptions<'_>) -> Report {
    checks::validity(&graph.assertion, options.now, &mut report);
    if let Some(candidate) = options.recipient {
        checks::recipient(&graph.assertion, candidate, &mut report);
    }
    let document = graph.expanded();
    report.describe(CredentialView::read(&document, Generation::OpenBadges2));
    report.conclude()
}

/// Says that the Open Badges 2.0 rules apply.
fn note_open_badges_2(report: &mut Report, kind: Option<Kind>) {
    let kind = match kind {
        Some(Kind::Hosted) => "hosted ",
        Some(Kind::Signed) => "signed ",
        None => "",
    };
    report.push(
        "input",
        "input.open_badges_2",
        Outcome::Warning,
        format!("an Open Badges 2.0 {kind}assertion, verified under the Open Badges 2.0 rules"),
    );
}

/// The assertion from what was given; `None` when there is none to verify
/// (the report says why).
fn read(input: Ob2Input, fetch: &dyn HostedFetch, report: &mut Report) -> Option<Given> {
    let jws = |token: &str, report: &mut Report| match signed::decode_unverified(token) {
        Ok(jws) => Some(Given::Jws(jws)),
        Err(why) => {
            note_open_badges_2(report, None);
            report.push("proof", "proof.malformed", Outcome::Failed, why);
            None
        }
    };
    let url = match input {
        Ob2Input::Json(assertion) => return Some(Given::Json(assertion)),
        Ob2Input::Jws(token) => return jws(&token, report),
        Ob2Input::Url(url) => url,
    };
    match fetch.fetch_hosted(&url) {
        Ok(HostedAnswer::Document(Value::String(token))) => jws(&token, report),
        Ok(HostedAnswer::Document(assertion @ Value::Object(_))) => Some(Given::Json(assertion)),
        // Verified as any copy: its id is fetched again, and answers 410.
        Ok(HostedAnswer::Gone {
            body: Some(assertion),
        }) if assertion.get("id").and_then(Value::as_str) == Some(url.as_str()) => {
            Some(Given::Json(assertion))
        }
        Ok(HostedAnswer::Gone { body }) => {
            note_open_badges_2(report, Some(Kind::Hosted));
            let why = body
                .as_ref()
                .and_then(|b| reason(b.get("revocationReason")));
            push_revoked(report, "its URL answers 410 Gone", why);
            None
        }
        Ok(HostedAnswer::Document(_)) => {
            note_open_badges_2(report, None);
            report.push(
                "proof",
                "ob2.hosted_unavailable",
                Outcome::Failed,
                format!("{url} does not serve an assertion"),
            );
            None
        }
        Err(e) => {
            note_open_badges_2(report, None);
            report.push(
                "proof",
                "ob2.hosted_unavailable",
                Outcome::Failed,
                format!("the assertion cannot be fetched from {url}: {e}"),
            );
            None
        }
    }
}

/// The assertion's `verification.type`.
fn verification_kind(assertion: &Value) -> Result<Kind, String> {
    let Some(verification) = assertion.get("verification").filter(|v| v.is_object()) else {
        return Err(
            "the assertion has no verification object (an Open Badges 1.x assertion?): \
                    it cannot be verified"
                .into(),
        );
    };
    let kind = verification
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("");
    match kind.to_ascii_lowercase().as_str() {
        "hosted" | "hostedbadge" => Ok(Kind::Hosted),
        "signed" | "signedbadge" => Ok(Kind::Signed),
        _ => Err(format!(
            "the verification type {kind:?} is neither hosted nor signed"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn verification_types() {
        let of = |kind: &str| verification_kind(&json!({"verification": {"type": kind}}));
        assert_eq!(of("hosted"), Ok(Kind::Hosted));
        assert_eq!(of("HostedBadge"), Ok(Kind::Hosted));
        assert_eq!(of("SignedBadge"), Ok(Kind::Signed));
        assert!(of("magic").is_err());
        assert!(verification_kind(&json!({"verify": {"type": "hosted"}})).is_err());
    }
}

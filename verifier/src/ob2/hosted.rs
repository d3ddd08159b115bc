//! Hosted verification (OB 2.0 §Verification, `HostedBadge`): the issuer
//! vouches for an assertion by serving it at its `id`, on its own origin.
//!
//! The copy given (pasted, baked, uploaded) is never trusted: the `id` is
//! fetched again and the two must be the same document. `410 Gone` or
//! `"revoked": true` there means revoked (after a `410`, the copy given is
//! authentic only if the answer's body is that very copy). The `id` must be allowed by the
//! issuer Profile's verification policy: by default, the host of the
//! Profile's own `id`; else its `verification.allowedOrigins` and
//! `verification.startsWith`. The policy is read from the Profile only: an
//! assertion cannot widen the origins that vouch for it.

use serde_json::Value;

use super::fetch::{host_of, HostedAnswer, HostedFetch};
use super::graph::{push_revoked, Graph};
use crate::options::VerifyOptions;
use crate::reason::reason;
use crate::report::{Outcome, Report};
use crate::view::{is_http, node_id};

/// Checks a hosted assertion; returns what the issuer's server serves (or
/// the given copy when nothing could be fetched), with its BadgeClass and
/// issuer Profile.
pub(super) fn check(
    given: &Value,
    options: &VerifyOptions<'_>,
    fetch: &dyn HostedFetch,
    report: &mut Report,
) -> Graph {
    let Some(id) = given
        .get("id")
        .and_then(Value::as_str)
        .filter(|id| is_http(id))
    else {
        report.push(
            "proof",
            "ob2.hosted_unavailable",
            Outcome::Failed,
            "a hosted assertion's id must be the http(s) URL it is served at",
        );
        return Graph::alone(given.clone());
    };
    let (graph, gone) = check_at(given, id, options, fetch, report, &|served| served);
    if let Some(gone) = gone {
        check_status(&graph.assertion, gone, ListSays::NotListed, report);
    }
    graph
}

/// What an issuer's revocation list says of a hosted assertion (Open
/// Badges 1.0 issuers publish one for their hosted badges too).
pub(super) enum ListSays {
    /// No list, or the assertion is not on it.
    NotListed,
    /// Revoked, with the reason the list gives.
    Revoked(Option<String>),
    /// The issuer names a list that cannot be read: the status is unknown.
    Unreadable(String),
}

/// Checks an assertion hosted at `id`: the copy given must be what `id`
/// serves, and `id` must be allowed by the issuer's origin policy. The
/// served copy is read through `prepare` (an Open Badges 1.0 assertion is
/// read in 2.0 terms) before its BadgeClass and issuer are resolved. Returns
/// the graph and, when the server answered, whether it answered `410 Gone`
/// (with the reason it gave): the caller judges the status with
/// [`check_status`]. `None` when the assertion could not be read again
/// (already reported).
pub(super) fn check_at(
    given: &Value,
    id: &str,
    options: &VerifyOptions<'_>,
    fetch: &dyn HostedFetch,
    report: &mut Report,
    prepare: &dyn Fn(Value) -> Value,
) -> (Graph, Option<Option<Option<String>>>) {
    let unverified = || (Graph::alone(prepare(given.clone())), None);
    let (served, gone) = match fetch.fetch_hosted(id) {
        Ok(HostedAnswer::Document(served @ Value::Object(_))) => (served, None),
        Ok(HostedAnswer::Document(_)) => {
            unavailable(report, id, "it does not serve a JSON assertion");
            return unverified();
        }
        Ok(HostedAnswer::Gone { body }) => {
            let why = body
                .as_ref()
                .and_then(|b| reason(b.get("revocationReason")));
            // Revoked either way; authentic only when the 410 still serves
            // this very copy (a stub says nothing about the copy given).
            match body.filter(|served| served == given) {
                Some(served) => (served, Some(why)),
                None => {
                    push_revoked(report, "its URL answers 410 Gone", why);
                    return unverified();
                }
            }
        }
        Err(e) => {
            unavailable(report, id, &e.to_string());
            return unverified();
        }
    };
    if served == *given {
        report.push(
            "proof",
            "ob2.hosted_fetched",
            Outcome::Passed,
            format!("the issuer's server serves this very assertion at {id}"),
        );
    } else {
        report.push(
            "proof",
            "ob2.hosted_mismatch",
            Outcome::Failed,
            format!("the copy given differs from the assertion its issuer serves at {id}"),
        );
    }
    let graph = Graph::resolve(prepare(served), options.resolver, false, report);
    if let Some(issuer) = &graph.issuer {
        check_origin(id, issuer, graph.issuer_url.as_deref(), report);
    }
    (graph, Some(gone))
}

fn unavailable(report: &mut Report, id: &str, why: &str) {
    report.push(
        "proof",
        "ob2.hosted_unavailable",
        Outcome::Failed,
        format!("the assertion cannot be fetched again from {id}: {why}"),
    );
}

/// Revoked when the server answered 410 Gone, marks the assertion
/// `"revoked": true`, or the issuer's revocation list names it; unknown
/// when that list cannot be read.
pub(super) fn check_status(
    served: &Value,
    gone: Option<Option<String>>,
    list: ListSays,
    report: &mut Report,
) {
    if let Some(why) = gone {
        push_revoked(report, "its URL answers 410 Gone", why);
    } else if served.get("revoked") == Some(&Value::Bool(true)) {
        let why = reason(served.get("revocationReason"));
        push_revoked(report, "the assertion is marked revoked", why);
    } else if let ListSays::Revoked(why) = list {
        push_revoked(report, "the issuer's revocation list names it", why);
    } else if let ListSays::Unreadable(why) = list {
        report.push(
            "status",
            "status.unavailable",
            Outcome::Failed,
            format!("whether the assertion is revoked cannot be established: {why}"),
        );
    } else {
        report.push(
            "status",
            "status.not_revoked",
            Outcome::Passed,
            "the issuer's server serves the assertion and does not mark it revoked",
        );
    }
}

/// Strings given as one string or an array of strings.
fn strings(value: Option<&Value>) -> Vec<&str> {
    match value {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Whether the issuer's verification policy allows an assertion at `id`.
/// By default the Profile's origin vouches: the URL it was fetched from
/// (`issuer_url`) when it was, else its own `id`.
fn origin_allowed(id: &str, issuer: &Value, issuer_url: Option<&str>) -> Result<String, String> {
    let issuer_id = issuer_url
        .or_else(|| node_id(Some(issuer)))
        .ok_or("the issuer Profile has no id")?;
    let policy = issuer.get("verification");
    let mut allowed: Vec<String> = strings(policy.and_then(|p| p.get("allowedOrigins")))
        .into_iter()
        .map(|origin| origin.trim().to_ascii_lowercase())
        .collect();
    if allowed.is_empty() {
        allowed.extend(host_of(issuer_id));
    }
    let host = host_of(id).ok_or("the assertion id has no host")?;
    if !allowed.contains(&host) {
        return Err(format!(
            "the assertion is served from {host}, not from the issuer's {}",
            allowed.join(", ")
        ));
    }
    let prefixes = strings(policy.and_then(|p| p.get("startsWith")));
    if !prefixes.is_empty() && !prefixes.iter().any(|prefix| id.starts_with(prefix)) {
        return Err(format!(
            "the assertion id does not start with the issuer's {}",
            prefixes.join(", ")
        ));
    }
    Ok(host)
}

pub(super) fn check_origin(
    id: &str,
    issuer: &Value,
    issuer_url: Option<&str>,
    report: &mut Report,
) {
    match origin_allowed(id, issuer, issuer_url) {
        Ok(host) => report.push(
            "issuer",
            "ob2.origin_match",
            Outcome::Passed,
            format!("the assertion is hosted by its issuer ({host})"),
        ),
        Err(why) => report.push("issuer", "ob2.origin_mismatch", Outcome::Failed, why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn origin_policy() {
        let issuer = json!({"id": "https://Example.org/issuer"});
        assert!(origin_allowed("https://example.org/a/1", &issuer, None).is_ok());
        assert!(origin_allowed("http://example.org/a/1", &issuer, None).is_ok());
        assert!(origin_allowed("https://evil.example/a/1", &issuer, None).is_err());
        assert!(origin_allowed("https://example.org:8443/a/1", &issuer, None).is_err());
        let policy = json!({"id": "https://example.org/issuer", "verification": {
            "allowedOrigins": ["badges.example.net"], "startsWith": "https://badges.example.net/a/"}});
        assert!(origin_allowed("https://badges.example.net/a/1", &policy, None).is_ok());
        assert!(origin_allowed("https://badges.example.net/b/1", &policy, None).is_err());
        assert!(origin_allowed("https://example.org/a/1", &policy, None).is_err());
        // A Profile naming itself urn:uuid: the URL it came from vouches.
        let uuid = json!({"id": "urn:uuid:2d391246-6e0d-4dab-906c-b29770bd7aa6"});
        assert!(origin_allowed("https://example.org/a/1", &uuid, None).is_err());
        let fetched = Some("https://example.org/issuer.json");
        assert!(origin_allowed("https://example.org/a/1", &uuid, fetched).is_ok());
        assert!(origin_allowed("https://evil.example/a/1", &uuid, fetched).is_err());
    }
}

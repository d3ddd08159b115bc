//! Open Badges 1.0 hosted assertions, still found in old backpacks (Mozilla
//! Backpack exports, early Credly and Badgr badges), read as Badgr and
//! edubadges read them: 1EdTech's openbadges-validator-core, on which both
//! build, upgrades a 1.0 node to 2.0 (`upgrade_1_0_node`) and then verifies
//! it under the 2.0 rules.
//!
//! A 1.0 assertion has no `@context`, `type` nor `id`; it says where it is
//! hosted in `verify.url` (`verify.type` is `hosted`). So, as the upgrade
//! does: its `id` is `verify.url`, its type `Assertion`, its verification
//! `hosted`; its BadgeClass and issuer organisation (no `id` either) are
//! known by the URLs they are fetched from. Then the 2.0 hosted rules apply
//! unchanged: the copy given must be the one `verify.url` serves, and
//! `verify.url` must be on the issuer's origin (the URL its organisation is
//! fetched from). The issuer's `revocationList`, a JSON object mapping the
//! `uid` of each revoked assertion to the reason, is read when it names one;
//! a `410 Gone` at `verify.url` means revoked too.
//!
//! Signed 1.0 assertions (`verify.type` `signed`, a PEM key at `verify.url`)
//! are not read: they fail with `ob2.schema_invalid`, saying so.
//! Specification: <https://github.com/mozilla/openbadges-specification/blob/master/Assertion/latest.md>
//! (1.0), <https://github.com/1EdTech/openbadges-validator-core> (the upgrade).

use serde_json::{json, Value};

use super::fetch::HostedFetch;
use super::graph::Graph;
use super::hosted::{self, ListSays};
use crate::options::VerifyOptions;
use crate::reason::reason;
use crate::report::{Outcome, Report};
use crate::view::{is_http, node_id};

/// The Open Badges 2.0 context, which the upgraded assertion takes.
const OB2_CONTEXT: &str = "https://w3id.org/openbadges/v2";

/// How an Open Badges 1.0 assertion says it is verified.
pub(super) enum Verify<'a> {
    /// `verify.type` `hosted`, at this URL.
    Hosted(&'a str),
    /// Anything else (a signed 1.0 assertion, a malformed `verify`).
    Other(String),
}

/// The `verify` object of an Open Badges 1.0 (or 1.1) assertion, if it has
/// one instead of the 2.0 `verification`.
pub(super) fn verify_member(assertion: &Value) -> Option<Verify<'_>> {
    let verify = assertion.get("verify").filter(|v| v.is_object())?;
    let kind = verify.get("type").and_then(Value::as_str).unwrap_or("");
    let url = verify.get("url").and_then(Value::as_str);
    Some(match (kind.to_ascii_lowercase().as_str(), url) {
        ("hosted", Some(url)) if is_http(url) => Verify::Hosted(url),
        ("hosted", _) => Verify::Other("its verify.url is not an http(s) URL".into()),
        ("signed", _) => Verify::Other(
            "it is a signed Open Badges 1.0 assertion, which this verifier does not read".into(),
        ),
        _ => Verify::Other(format!(
            "its verify.type {kind:?} is neither hosted nor signed"
        )),
    })
}

/// The assertion in Open Badges 2.0 terms, as openbadges-validator-core's
/// `upgrade_1_0_node` reads it: `id` from `verify.url` (unless it has one),
/// type `Assertion`, a hosted verification. The other members are kept as
/// they are (1.0 recipient, badge, dates and evidence have the 2.0 shape).
pub(super) fn upgrade(assertion: Value, url: &str) -> Value {
    let mut upgraded = assertion;
    if let Value::Object(map) = &mut upgraded {
        map.entry("id").or_insert_with(|| json!(url));
        map.insert("@context".into(), json!(OB2_CONTEXT));
        map.insert("type".into(), json!("Assertion"));
        map.insert("verification".into(), json!({"type": "hosted"}));
    }
    upgraded
}

/// Checks a hosted Open Badges 1.0 assertion (see the module documentation).
pub(super) fn check(
    given: &Value,
    url: &str,
    options: &VerifyOptions<'_>,
    fetch: &dyn HostedFetch,
    report: &mut Report,
) -> Graph {
    let prepare = |assertion: Value| upgrade(assertion, url);
    super::checks::shape(&prepare(given.clone()), report);
    let (graph, gone) = hosted::check_at(given, url, options, fetch, report, &prepare);
    if let Some(gone) = gone {
        let list = revocation_list(&graph, options);
        hosted::check_status(&graph.assertion, gone, list, report);
    }
    graph
}

/// What the issuer's 1.0 revocation list says of the assertion's `uid`.
fn revocation_list(graph: &Graph, options: &VerifyOptions<'_>) -> ListSays {
    let Some(list_url) = graph
        .issuer
        .as_ref()
        .and_then(|issuer| node_id(issuer.get("revocationList")))
    else {
        return ListSays::NotListed;
    };
    let list = match options.resolver.resolve(list_url) {
        Ok(Value::Object(list)) => list,
        Ok(_) => return ListSays::Unreadable(format!("{list_url} is not a JSON object")),
        Err(e) => {
            return ListSays::Unreadable(format!(
                "the issuer's revocation list cannot be read: {e}"
            ))
        }
    };
    let uid = match graph.assertion.get("uid") {
        Some(Value::String(uid)) => uid.clone(),
        Some(Value::Number(uid)) => uid.to_string(),
        _ => return ListSays::NotListed,
    };
    match list.get(&uid) {
        Some(why) => ListSays::Revoked(reason(Some(why))),
        None => ListSays::NotListed,
    }
}

/// Says that the assertion is read as Open Badges 1.0.
pub(super) fn note(report: &mut Report) {
    report.push(
        "input",
        "input.open_badges_1",
        Outcome::Warning,
        "an Open Badges 1.0 hosted assertion, read in Open Badges 2.0 terms (as Badgr and \
         edubadges do) and verified under the Open Badges 2.0 hosted rules",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hosted_assertion_takes_its_id_from_verify_url() {
        let assertion =
            json!({"uid": "1", "verify": {"type": "hosted", "url": "https://a.example/1"}});
        let Some(Verify::Hosted(url)) = verify_member(&assertion) else {
            panic!("hosted");
        };
        let upgraded = upgrade(assertion.clone(), url);
        assert_eq!(upgraded["id"], "https://a.example/1");
        assert_eq!(upgraded["type"], "Assertion");
        assert_eq!(upgraded["@context"], OB2_CONTEXT);
        assert_eq!(upgraded["verification"]["type"], "hosted");
        assert_eq!(upgraded["uid"], "1");
        for other in [
            json!({"verify": {"type": "signed", "url": "https://a.example/key.pem"}}),
            json!({"verify": {"type": "hosted", "url": "ftp://a.example/1"}}),
            json!({"verify": {"type": "magic"}}),
        ] {
            assert!(matches!(verify_member(&other), Some(Verify::Other(_))));
        }
        assert!(verify_member(&json!({"verification": {"type": "hosted"}})).is_none());
    }
}

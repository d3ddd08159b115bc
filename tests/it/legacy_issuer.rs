//! Nothing issued before the did:web identity breaks.
//!
//! `tests/fixtures/legacy-issuer` holds the data of an issuer of the previous
//! version (its README says how it was made): three badges whose issuer is the
//! organisation's http Profile, and a status list signed under it. Today's
//! `issuer serve` starts on a copy of that data, at the same address (the
//! badges name it), migrates it, and then:
//!
//! - the old badges, as their holders keep them, still verify in our verifier
//!   (key bound to the Profile, status list read);
//! - after both keys are rotated, they still do, and a new badge names the DID
//!   and is signed with the new key;
//! - an old badge revoked after the upgrade shows as revoked, the others not.

use std::path::Path;

use cross_tests::{demo_login, fixture, http_post, IssuerApi, Served};
use serde_json::{json, Value};

/// The address the fixture's badges were issued under.
const ADDRESS: &str = "127.77.0.1:47613";

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// Our verifier service's JSON report on `body`.
fn verify(verifier: &Served, body: &[u8]) -> Value {
    let (status, report) = http_post(
        &format!("{}/verify", verifier.base),
        &[("accept", "application/json")],
        body,
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&report));
    serde_json::from_slice(&report).unwrap()
}

fn check<'a>(report: &'a Value, code: &str) -> Option<&'a str> {
    report["checks"]
        .as_array()?
        .iter()
        .find(|c| c["code"] == code)?["outcome"]
        .as_str()
}

fn assert_verified(report: &Value, what: &str) {
    assert_eq!(report["verified"], true, "{what}: {report:#}");
    assert_eq!(check(report, "issuer.key_bound"), Some("passed"), "{what}");
    assert_eq!(
        check(report, "status.not_revoked"),
        Some("passed"),
        "{what}"
    );
}

#[test]
fn badges_issued_under_the_profile_keep_verifying_after_the_upgrade_and_a_rotation() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&fixture("legacy-issuer"), &data);
    let base = format!("http://{ADDRESS}");
    let issuer = Served::start(
        "issuer",
        &base,
        &["serve", "--bind", ADDRESS],
        &[
            ("ISSUER_DATA_DIR", data.to_str().unwrap()),
            ("ISSUER_PUBLIC_URL", &base),
        ],
        &dir.path().join("issuer.log"),
    );
    let verifier_bind = format!("127.0.0.1:{}", cross_tests::free_port());
    let verifier = Served::start(
        "verifier",
        &format!("http://{verifier_bind}"),
        &["serve", "--allow-private", "--bind", &verifier_bind],
        &[],
        &dir.path().join("verifier.log"),
    );
    let held = |name: &str| std::fs::read(fixture("legacy-issuer").join(name)).unwrap();
    let old = [
        held("credential-di.json"),
        held("credential.jwt"),
        held("credential-di-revoked-later.json"),
    ];
    let profile = format!("{base}/orgs/demo");
    for badge in &old {
        let report = verify(&verifier, badge);
        assert_verified(&report, "an old badge after the upgrade");
        assert_eq!(report["credential"]["issuer_id"], profile, "{report:#}");
    }

    let (email, password) = demo_login(&data);
    let api = IssuerApi::login(&base, &email, &password);
    for algorithm in ["Ed25519", "RS256"] {
        let (status, body) = api.post(
            "/api/v1/orgs/demo/keys/rotate",
            &json!({"algorithm": algorithm}),
        );
        assert_eq!(status, 201, "{body}");
    }
    for badge in &old {
        assert_verified(&verify(&verifier, badge), "an old badge after a rotation");
    }

    let (_, badges) = api.get("/api/v1/orgs/demo/achievements");
    let (status, new) = api.post(
        "/api/v1/orgs/demo/awards",
        &json!({"achievement_id": badges[0]["id"], "recipient_name": "Inès Garcia"}),
    );
    assert_eq!(status, 201, "{new}");
    let did = "did:web:127.77.0.1%3A47613:orgs:demo";
    assert_eq!(new["credential"]["issuer"]["id"], did);
    let old_list = serde_json::from_slice::<Value>(&old[0]).unwrap()["credentialStatus"]
        ["statusListCredential"]
        .clone();
    assert_ne!(
        new["credential"]["credentialStatus"]["statusListCredential"], old_list,
        "badges under the DID take a list signed under the DID"
    );
    let report = verify(&verifier, new["credential"].to_string().as_bytes());
    assert_verified(&report, "a new badge");

    let (_, awards) = api.get("/api/v1/orgs/demo/awards");
    let revoked_later = serde_json::from_slice::<Value>(&old[2]).unwrap();
    let award = awards
        .as_array()
        .or_else(|| awards["awards"].as_array())
        .expect("a list of awards")
        .iter()
        .find(|a| a["credential_url"] == revoked_later["id"])
        .expect("the award of the third badge")
        .clone();
    let (status, body) = api.post(
        &format!(
            "/api/v1/orgs/demo/awards/{}/revoke",
            award["id"].as_str().unwrap()
        ),
        &json!({"reason": "Décerné par erreur"}),
    );
    assert_eq!(status, 200, "{body}");
    let report = verify(&verifier, &old[2]);
    assert_eq!(report["verified"], false, "{report:#}");
    assert_eq!(
        check(&report, "status.revoked"),
        Some("failed"),
        "{report:#}"
    );
    for badge in &old[..2] {
        assert_verified(&verify(&verifier, badge), "the other old badges");
    }
    drop(issuer);
}

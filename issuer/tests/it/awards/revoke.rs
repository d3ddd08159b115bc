//! Revocation: the status list bit set, the public credential answering
//! `410 Gone`, the audit log; status list indices drawn at random.

use actix_web::http::Method;
use serde_json::json;

use super::{
    award, bit, csv_post, decode_list, fixture, local_path, published, raw, verify_di, Fixture,
};
use crate::db_test;
use crate::support::{Auth, TestApp};

async fn revocation(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let kept = award(&app, "org-a", &fx, json!({})).await;
    let revoked = award(&app, "org-a", &fx, json!({"recipient_name": "Paul"})).await;
    let entry = &revoked["credential"]["credentialStatus"];
    let list_url = entry["statusListCredential"].as_str().unwrap().to_owned();
    assert_eq!(
        kept["credential"]["credentialStatus"]["statusListCredential"], list_url,
        "one list per organisation"
    );
    let index: u64 = entry["statusListIndex"].as_str().unwrap().parse().unwrap();
    let kept_index: u64 = kept["credential"]["credentialStatus"]["statusListIndex"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();

    let list_path = local_path(&app, &list_url).to_owned();
    let before = app.get(&list_path, &Auth::None).await;
    assert_eq!(before.status, 200);
    assert_eq!(before.header("cache-control").unwrap(), "public, no-cache");
    let etag = before.header("etag").unwrap();
    assert!(!bit(&decode_list(&before.json()), index));
    let not_modified = raw(
        &app,
        Method::GET,
        &list_path,
        &Auth::None,
        &[("if-none-match", etag.as_str())],
        Vec::new(),
    )
    .await;
    assert_eq!(not_modified.status, 304);
    assert_eq!(not_modified.header("etag").unwrap(), etag);
    assert_eq!(
        not_modified.header("cache-control").unwrap(),
        "public, no-cache"
    );

    let revoke_path = format!(
        "/api/v1/orgs/org-a/awards/{}/revoke",
        revoked["id"].as_str().unwrap()
    );
    for body in [
        json!({"reason": "  "}),
        json!({"reason": "x".repeat(501)}),
        json!({}),
    ] {
        let resp = app.post(&revoke_path, &fx.token, body).await;
        assert_eq!(resp.status, 400, "{}", resp.text());
    }
    let resp = app
        .post(
            &revoke_path,
            &fx.token,
            json!({"reason": "Décerné par erreur"}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.json()["revoked"], true);
    assert_eq!(
        app.post(&revoke_path, &fx.token, json!({"reason": "again"}))
            .await
            .error_code(),
        "already_revoked"
    );

    // The very next revalidation, with the ETag of the list before the
    // revocation, gets the new list (not a 304).
    let revalidated = raw(
        &app,
        Method::GET,
        &list_path,
        &Auth::None,
        &[("if-none-match", etag.as_str())],
        Vec::new(),
    )
    .await;
    assert_eq!(revalidated.status, 200);
    assert!(bit(&decode_list(&revalidated.json()), index));
    assert_ne!(revalidated.header("etag").unwrap(), etag);
    let after = app.get(&list_path, &Auth::None).await;
    assert_ne!(after.header("etag").unwrap(), etag);
    let list = after.json();
    assert_eq!(
        list["type"],
        json!(["VerifiableCredential", "BitstringStatusListCredential"])
    );
    assert_eq!(
        list["issuer"],
        issuer::orgs::did(&app.state.base(), &"org-a".into()),
        "the list is signed under the identity its credentials name"
    );
    let bits = decode_list(&list);
    assert_eq!(bits.len() * 8, 131_072);
    assert!(bit(&bits, index));
    assert!(!bit(&bits, kept_index));
    assert_eq!(bits.iter().map(|b| b.count_ones()).sum::<u32>(), 1);
    verify_di(&published(&app, "org-a").await, &list);

    let path = local_path(&app, revoked["credential_url"].as_str().unwrap()).to_owned();
    let gone = raw(
        &app,
        Method::GET,
        &path,
        &Auth::None,
        &[("accept", "application/json")],
        Vec::new(),
    )
    .await;
    assert_eq!(gone.status, 410);
    let gone = gone.json();
    assert_eq!(gone["error"], "revoked");
    assert_eq!(gone["revocationReason"], "Décerné par erreur");
    assert_eq!(gone["credential"], revoked["credential"]);
    assert_eq!(
        app.get(&format!("{path}.json"), &Auth::None).await.status,
        200,
        "the document as issued stays readable"
    );
    let audit = app_audit(&app, &fx).await;
    assert!(audit.contains(&"award.revoke".to_owned()));
    assert_eq!(audit.iter().filter(|a| *a == "award.create").count(), 2);
}
db_test!(revoke_sets_status_bit_and_answers_gone, revocation);

async fn app_audit(app: &TestApp, fx: &Fixture) -> Vec<String> {
    // The facilitator is not an admin: read the audit log as the CLI would.
    let _ = fx;
    app.state
        .db
        .run_blocking(|conn| {
            let org = issuer::orgs::by_slug(conn, "org-a")?;
            Ok::<_, issuer::error::ApiError>(issuer::audit::list(conn, &org.id, 100)?)
        })
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

async fn random_indices(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let file: String = std::iter::once("name\n".to_owned())
        .chain((0..50).map(|i| format!("Participant {i}\n")))
        .collect();
    let resp = csv_post(&app, &fx, "dry_run=false", &file, None).await;
    assert_eq!(resp.json()["awarded"], 50, "{}", resp.text());
    // In creation (file) order.
    let mut indices: Vec<i64> = Vec::new();
    for id in resp.json()["award_ids"].as_array().unwrap() {
        let award = app
            .get(
                &format!("/api/v1/orgs/org-a/awards/{}", id.as_str().unwrap()),
                &fx.token,
            )
            .await
            .json();
        let index = award["credential"]["credentialStatus"]["statusListIndex"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        indices.push(index);
    }
    let mut sorted = indices.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), 50, "no index reused");
    assert_ne!(indices, sorted, "not in increasing order");
    let consecutive = sorted.windows(2).filter(|w| w[1] - w[0] == 1).count();
    assert!(consecutive < 5, "not sequential: {sorted:?}");
    assert!(
        sorted[49] - sorted[0] > 131_072 / 4,
        "spread over the list: {sorted:?}"
    );
}
db_test!(status_indices_are_random, random_indices);

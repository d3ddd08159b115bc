//! Organisations cannot reach each other's awards: every route answers 404.

use actix_web::http::Method;
use serde_json::json;

use super::{award, csv_post, fixture, local_path, raw};
use crate::db_test;
use crate::support::{Auth, TestApp};

async fn isolation(app: TestApp) {
    let a = fixture(&app, "org-a").await;
    let b = fixture(&app, "org-b").await;
    let award_a = award(&app, "org-a", &a, json!({})).await;
    let id = award_a["id"].as_str().unwrap();
    for (method, path, body) in [
        (Method::GET, "/api/v1/orgs/org-a/awards".to_owned(), None),
        (
            Method::POST,
            "/api/v1/orgs/org-a/awards".to_owned(),
            Some(json!({"achievement_id": a.achievement_id, "recipient_name": "X"})),
        ),
        (Method::GET, format!("/api/v1/orgs/org-a/awards/{id}"), None),
        (
            Method::POST,
            format!("/api/v1/orgs/org-a/awards/{id}/revoke"),
            Some(json!({"reason": "x"})),
        ),
        (
            Method::GET,
            format!("/api/v1/orgs/org-a/awards/{id}/claim-qr.png"),
            None,
        ),
        // Org B's own routes with org A's ids.
        (Method::GET, format!("/api/v1/orgs/org-b/awards/{id}"), None),
        (
            Method::POST,
            format!("/api/v1/orgs/org-b/awards/{id}/revoke"),
            Some(json!({"reason": "x"})),
        ),
        (
            Method::GET,
            format!("/api/v1/orgs/org-b/awards/{id}/claim-qr.png"),
            None,
        ),
        (
            Method::POST,
            "/api/v1/orgs/org-b/awards".to_owned(),
            Some(json!({"achievement_id": a.achievement_id, "recipient_name": "X"})),
        ),
    ] {
        let resp = app.request(method.clone(), &path, &b.token, body).await;
        assert_eq!(resp.status, 404, "{method} {path}: {}", resp.text());
    }
    let csv = csv_post(&app, &b, "dry_run=false", "name\nX\n", None).await;
    assert_eq!(csv.status, 404, "org B posting to org A: {}", csv.text());
    let resp = raw(
        &app,
        Method::POST,
        &format!(
            "/api/v1/orgs/org-b/awards/csv?achievement_id={}&dry_run=true",
            a.achievement_id
        ),
        &b.token,
        &[],
        b"name\nX\n".to_vec(),
    )
    .await;
    assert_eq!(resp.status, 404, "org A's achievement via org B");
    // A status list is only served under its own organisation.
    let list_url = award_a["credential"]["credentialStatus"]["statusListCredential"]
        .as_str()
        .unwrap();
    let other = local_path(&app, list_url).replace("/orgs/org-a/", "/orgs/org-b/");
    assert_eq!(app.get(&other, &Auth::None).await.status, 404);
    // Without authentication: 401.
    assert_eq!(
        app.get("/api/v1/orgs/org-a/awards", &Auth::None)
            .await
            .status,
        401
    );
    let after = app.get("/api/v1/orgs/org-a/awards", &a.token).await.json();
    assert_eq!(after.as_array().unwrap().len(), 1);
    assert_eq!(after[0]["revoked"], false);
}
db_test!(cross_organisation_access_is_404, isolation);

//! Error bodies of the public credential documents (`/credentials/{token}`
//! and its `.json` and `.jwt` forms) and of status lists: 404 for unknown
//! ones, 410 with the reason once revoked or erased.

use actix_web::http::Method;
use serde_json::json;

use super::{org_path, raw};
use crate::awards::{fixture, local_path};
use crate::db_test;
use crate::support::{Auth, TestApp};

const JSON: [(&str, &str); 1] = [("accept", "application/json")];

async fn credential_errors(app: TestApp) {
    let fx = fixture(&app, super::SLUG).await;
    let awarded = app
        .post(
            &org_path("/awards"),
            &fx.token,
            json!({"achievement_id": fx.achievement_id, "recipient_name": "Awa Diallo"}),
        )
        .await
        .json();
    let page = local_path(&app, awarded["credential_url"].as_str().unwrap()).to_owned();
    assert_error!(
        "jwt_of_data_integrity_credential",
        &app.get(&format!("{page}.jwt"), &Auth::None).await,
    );
    let id = awarded["id"].as_str().unwrap();
    let reason = json!({"reason": "Délivré par erreur"});
    let revoke = org_path(&format!("/awards/{id}/revoke"));
    assert_eq!(app.post(&revoke, &fx.token, reason).await.status, 200);
    assert_error!(
        "negotiated_revoked",
        &raw(&app, Method::GET, &page, &Auth::None, &JSON, "").await,
    );
    let erase = org_path(&format!("/awards/{id}/erase"));
    let erased = app.post(&erase, &fx.token, json!({})).await;
    assert_eq!(erased.status, 200, "{}", erased.text());
    assert_error!(
        "json_erased",
        &app.get(&format!("{page}.json"), &Auth::None).await,
    );
    assert_error!(
        "negotiated_erased",
        &raw(&app, Method::GET, &page, &Auth::None, &JSON, "").await,
    );
    for (name, path) in [
        ("credential_not_found", "/credentials/unknown"),
        ("credential_json_not_found", "/credentials/unknown.json"),
        ("credential_jwt_not_found", "/credentials/unknown.jwt"),
        ("status_list_not_found", "/orgs/org-a/status/unknown"),
    ] {
        assert_error!(
            name,
            &raw(&app, Method::GET, path, &Auth::None, &JSON, "").await,
        );
    }
}
db_test!(credentials, credential_errors);

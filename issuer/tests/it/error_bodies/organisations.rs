//! Error bodies of `/api/v1/orgs/{slug}` (profile, keys, members, audit)
//! and of the organisation's public documents.

use actix_web::http::Method;
use issuer::users::Role;
use serde_json::json;

use super::{org_path, SLUG};
use crate::db_test;
use crate::support::{Auth, TestApp};

async fn organisation_errors(app: TestApp) {
    app.create_org(SLUG);
    app.create_org("org-b");
    app.create_user("admin@org-a.fr", SLUG, Role::Admin);
    app.create_user("fac@org-a.fr", SLUG, Role::Facilitator);
    let admin = app.login("admin@org-a.fr").await;
    let admin = app.token(&admin).await;
    let facilitator = app.login("fac@org-a.fr").await;
    let facilitator = app.token(&facilitator).await;
    let patch = |auth: &Auth, body| {
        let auth = auth.clone();
        let app = &app;
        async move {
            app.request(Method::PATCH, &org_path(""), &auth, Some(body))
                .await
        }
    };
    assert_error!(
        "update_forbidden",
        &patch(&facilitator, json!({"name": "Mine"})).await,
    );
    for (name, body) in [
        ("update_invalid_name", json!({"name": ""})),
        ("update_invalid_url", json!({"url": "ftp://example.fr"})),
        ("update_invalid_email", json!({"email": "nobody"})),
        (
            "update_invalid_description",
            json!({"description": "x".repeat(5001)}),
        ),
        ("update_control_character", json!({"name": "Org\u{1b}A"})),
        ("update_invalid_json", json!({"colour": "red"})),
    ] {
        assert_error!(name, &patch(&admin, body).await);
    }
    assert_error!(
        "show_other_organisation",
        &app.get("/api/v1/orgs/org-b", &admin).await,
    );
    assert_error!(
        "show_unknown_organisation",
        &app.get("/api/v1/orgs/nowhere", &admin).await,
    );
    assert_error!(
        "rotate_invalid_json",
        &app.post(
            &org_path("/keys/rotate"),
            &admin,
            json!({"algorithm": "DSA"})
        )
        .await,
    );
    assert_error!(
        "members_unknown_user",
        &app.post(
            &org_path("/members"),
            &admin,
            json!({"email": "nobody@org-a.fr", "role": "facilitator"}),
        )
        .await,
    );
    assert_error!(
        "audit_forbidden",
        &app.get(&org_path("/audit"), &facilitator).await,
    );
}
db_test!(organisations, organisation_errors);

async fn public_document_errors(app: TestApp) {
    for (name, path) in [
        ("profile_not_found", "/orgs/nowhere"),
        ("did_document_not_found", "/orgs/nowhere/did.json"),
        ("jwks_not_found", "/orgs/nowhere/jwks.json"),
    ] {
        assert_error!(name, &app.get(path, &Auth::None).await);
    }
}
db_test!(public_documents, public_document_errors);

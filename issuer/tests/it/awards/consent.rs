//! Name consent: the participant's choice re-signs the credential.

use issuer::awards::{self, IssueContext};
use serde_json::json;

use super::{award, fixture, published, verify_di};
use crate::db_test;
use crate::support::TestApp;

async fn name_consent(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let view = award(&app, "org-a", &fx, json!({})).await;
    let award_row = app
        .state
        .db
        .run_blocking(|conn| {
            awards::by_public_token(
                conn,
                view["credential_url"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap(),
            )
        })
        .unwrap();
    let updated = app
        .state
        .db
        .run_blocking(|conn| {
            let ctx = IssueContext::new(app.state.base(), &app.state.master_key);
            awards::set_name_consent(conn, &ctx, &award_row, true)
        })
        .unwrap();
    let credential = updated.credential_json().unwrap();
    assert_eq!(
        awards::credential::plain_name(&updated.stored_credential().unwrap()),
        Some("Marie-Hélène Dupont")
    );
    assert_eq!(credential["id"], view["credential"]["id"]);
    assert_eq!(
        credential["credentialStatus"],
        view["credential"]["credentialStatus"]
    );
    schemas::validate_credential(&credential).unwrap();
    verify_di(&published(&app, "org-a").await, &credential);
    let withdrawn = app
        .state
        .db
        .run_blocking(|conn| {
            let ctx = IssueContext::new(app.state.base(), &app.state.master_key);
            awards::set_name_consent(conn, &ctx, &updated, false)
        })
        .unwrap();
    assert_eq!(
        awards::credential::plain_name(&withdrawn.stored_credential().unwrap()),
        None
    );
}
db_test!(name_consent_re_signs, name_consent);

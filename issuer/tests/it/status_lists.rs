//! Status list bits kept on the list row: revoking and erasing set them, and
//! a list without stored bits (created before the column existed) has them
//! rebuilt from its awards, whether it is revoked into or published first.

use diesel::prelude::*;
use issuer::db::schema::status_lists;
use issuer::error::ApiError;
use serde_json::{json, Value};

use crate::awards::{bit, decode_list, fixture, local_path, Fixture};
use crate::db_test;
use crate::support::{Auth, TestApp};

async fn award(app: &TestApp, fx: &Fixture, name: &str) -> Value {
    let resp = app
        .post(
            "/api/v1/orgs/org-a/awards",
            &fx.token,
            json!({"achievement_id": fx.achievement_id, "recipient_name": name}),
        )
        .await;
    assert_eq!(resp.status, 201, "{}", resp.text());
    resp.json()
}

fn index(award: &Value) -> u64 {
    award["credential"]["credentialStatus"]["statusListIndex"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// Forgets every list's stored bits, as before the column existed.
fn forget_bits(app: &TestApp) {
    app.state
        .db
        .run_blocking(|conn| {
            Ok::<_, ApiError>(
                diesel::update(status_lists::table)
                    .set(status_lists::revoked_bits.eq(None::<Vec<u8>>))
                    .execute(conn)?,
            )
        })
        .unwrap();
}

async fn set_bits(app: &TestApp, list_url: &str) -> Vec<u64> {
    let list = app.get(local_path(app, list_url), &Auth::None).await;
    assert_eq!(list.status, 200, "{}", list.text());
    let bits = decode_list(&list.json());
    (0..131_072).filter(|i| bit(&bits, *i)).collect()
}

async fn kept_bits(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let awards = [
        award(&app, &fx, "Ana").await,
        award(&app, &fx, "Bo").await,
        award(&app, &fx, "Cy").await,
        award(&app, &fx, "Di").await,
    ];
    let list_url = awards[0]["credential"]["credentialStatus"]["statusListCredential"]
        .as_str()
        .unwrap()
        .to_owned();
    let revoke = |award: &Value| {
        let path = format!(
            "/api/v1/orgs/org-a/awards/{}/revoke",
            award["id"].as_str().unwrap()
        );
        let app = &app;
        let token = fx.token.clone();
        async move {
            let resp = app.post(&path, &token, json!({"reason": "erreur"})).await;
            assert_eq!(resp.status, 200, "{}", resp.text());
        }
    };
    revoke(&awards[0]).await;
    assert_eq!(set_bits(&app, &list_url).await, [index(&awards[0])]);

    // No stored bits: the next revocation rebuilds them from the awards.
    forget_bits(&app);
    revoke(&awards[1]).await;
    let mut expected = vec![index(&awards[0]), index(&awards[1])];
    expected.sort_unstable();
    assert_eq!(set_bits(&app, &list_url).await, expected);

    // Erasing revokes too.
    let erased = app
        .post(
            &format!(
                "/api/v1/orgs/org-a/awards/{}/erase",
                awards[2]["id"].as_str().unwrap()
            ),
            &fx.token,
            json!({}),
        )
        .await;
    assert_eq!(erased.status, 200, "{}", erased.text());
    expected.push(index(&awards[2]));
    expected.sort_unstable();
    assert_eq!(set_bits(&app, &list_url).await, expected);

    // No stored bits: publishing rebuilds them (and keeps them).
    forget_bits(&app);
    assert_eq!(set_bits(&app, &list_url).await, expected);
    let stored: Vec<Option<Vec<u8>>> = app
        .state
        .db
        .run_blocking(|conn| {
            Ok::<_, ApiError>(
                status_lists::table
                    .select(status_lists::revoked_bits)
                    .load(conn)?,
            )
        })
        .unwrap();
    assert!(stored
        .iter()
        .all(|b| b.as_ref().is_some_and(|b| b.len() == 16_384)));
    assert!(!set_bits(&app, &list_url).await.contains(&index(&awards[3])));
}
db_test!(status_bits_are_kept_and_rebuilt, kept_bits);

//! Concurrent writes over HTTP: awards, repeats of one idempotency key,
//! revocations, CSV imports and workshop awards fired at once all succeed
//! (no "database is locked" on SQLite), every award holds its own status list
//! index, and a repeated key or file awards nobody twice.

use std::collections::HashSet;

use diesel::prelude::*;
use futures_util::future::join_all;
use issuer::db::schema::awards as awards_table;
use serde_json::{json, Value};

use crate::awards::{bit, csv_post, decode_list, fixture, local_path};
use crate::db_test;
use crate::support::{Auth, TestApp};

/// Requests in flight at once: more than the test pool's 4 connections.
const CONCURRENT: usize = 24;

/// Every stored award's (list, index), checked distinct; their number.
fn distinct_indices(app: &TestApp) -> usize {
    let pairs: Vec<(String, i32)> = app
        .state
        .db
        .run_blocking(|conn| {
            Ok::<_, issuer::error::ApiError>(
                awards_table::table
                    .select((awards_table::status_list_id, awards_table::status_index))
                    .load(conn)?,
            )
        })
        .unwrap();
    let distinct: HashSet<&(String, i32)> = pairs.iter().collect();
    assert_eq!(distinct.len(), pairs.len(), "an index used twice");
    pairs.len()
}

async fn concurrent_writes(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let path = "/api/v1/orgs/org-a/awards";
    let body = |i: usize| {
        json!({
            "achievement_id": fx.achievement_id,
            "recipient_name": format!("Participant {i}"),
            "recipient_email": format!("p{i}@example.fr"),
        })
    };
    let created = join_all((0..CONCURRENT).map(|i| app.post(path, &fx.token, body(i)))).await;
    for resp in &created {
        assert_eq!(resp.status, 201, "{}", resp.text());
    }
    let awards: Vec<Value> = created.iter().map(|r| r.json()).collect();
    let entries: HashSet<(String, String)> = awards
        .iter()
        .map(|a| {
            let status = &a["credential"]["credentialStatus"];
            (
                status["statusListCredential"].as_str().unwrap().to_owned(),
                status["statusListIndex"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(entries.len(), CONCURRENT, "distinct status entries");
    assert_eq!(distinct_indices(&app), CONCURRENT);

    // One idempotency key sent eight times at once: one award.
    let mut same = body(CONCURRENT);
    same["idempotency_key"] = "atelier-7".into();
    let repeats = join_all((0..8).map(|_| app.post(path, &fx.token, same.clone()))).await;
    let statuses: Vec<u16> = repeats.iter().map(|r| r.status.as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        7,
        "{statuses:?}"
    );
    let ids: HashSet<String> = repeats.iter().map(|r| r.json()["id"].to_string()).collect();
    assert_eq!(ids.len(), 1);

    // Every award revoked at once: every bit set.
    let revoke_paths: Vec<String> = awards
        .iter()
        .map(|a| format!("{path}/{}/revoke", a["id"].as_str().unwrap()))
        .collect();
    let reason = json!({"reason": "Décerné par erreur"});
    let revoked = join_all(
        revoke_paths
            .iter()
            .map(|p| app.post(p, &fx.token, reason.clone())),
    )
    .await;
    for resp in &revoked {
        assert_eq!(resp.status, 200, "{}", resp.text());
    }
    let list_url = awards[0]["credential"]["credentialStatus"]["statusListCredential"]
        .as_str()
        .unwrap();
    let list = app.get(local_path(&app, list_url), &Auth::None).await;
    let bits = decode_list(&list.json());
    for (_, index) in &entries {
        assert!(bit(&bits, index.parse().unwrap()), "bit {index} set");
    }
    assert_eq!(bits.iter().map(|b| b.count_ones()).sum::<u32>(), 24);

    // The same file twice at once, and another file: each participant once.
    let file = |from: usize| -> String {
        std::iter::once("name,email\n".to_owned())
            .chain((from..from + 30).map(|i| format!("Personne {i},personne{i}@example.fr\n")))
            .collect()
    };
    let (a, b) = (file(0), file(100));
    let imports = join_all([
        csv_post(&app, &fx, "dry_run=false", &a, None),
        csv_post(&app, &fx, "dry_run=false", &a, None),
        csv_post(&app, &fx, "dry_run=false", &b, None),
    ])
    .await;
    let counts: Vec<(u64, u64)> = imports
        .iter()
        .map(|r| {
            assert_eq!(r.status, 200, "{}", r.text());
            let r = r.json();
            (
                r["awarded"].as_u64().unwrap(),
                r["skipped"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(counts[0].0 + counts[1].0, 30, "{counts:?}");
    assert_eq!(counts[0].1 + counts[1].1, 30, "{counts:?}");
    assert_eq!(counts[2], (30, 0));
    assert_eq!(distinct_indices(&app), CONCURRENT + 1 + 60);
}
db_test!(concurrent_awards_revocations_and_imports, concurrent_writes);

async fn concurrent_workshop_awards(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let created = app
        .post(
            "/api/v1/orgs/org-a/workshops",
            &fx.token,
            json!({"title": "Atelier", "achievement_id": fx.achievement_id, "sessions": 1}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let workshop = created.json();
    let id = workshop["workshop"]["id"].as_str().unwrap().to_owned();
    let session = workshop["sessions"][0]["id"].as_str().unwrap().to_owned();
    let mut present = Vec::new();
    for i in 0..6 {
        let resp = app
            .post(
                &format!("/api/v1/orgs/org-a/workshops/{id}/participants"),
                &fx.token,
                json!({"name": format!("Participant {i}")}),
            )
            .await;
        assert_eq!(resp.status, 201, "{}", resp.text());
        present.push(json!({"participant_id": resp.json()["id"], "session_id": session}));
    }
    let resp = app
        .request(
            actix_web::http::Method::PUT,
            &format!("/api/v1/orgs/org-a/workshops/{id}/attendance"),
            &fx.token,
            Some(json!({"present": present})),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    let award_path = format!("/api/v1/orgs/org-a/workshops/{id}/award");
    let clicks = join_all((0..4).map(|_| app.post(&award_path, &fx.token, json!({})))).await;
    let mut awarded = HashSet::new();
    for resp in &clicks {
        assert_eq!(resp.status, 200, "{}", resp.text());
        for entry in resp.json()["awarded"].as_array().unwrap() {
            awarded.insert(entry.to_string());
        }
    }
    assert_eq!(awarded.len(), 6, "each participant once: {awarded:?}");
    assert_eq!(distinct_indices(&app), 6);
}
db_test!(
    concurrent_workshop_awards_award_each_once,
    concurrent_workshop_awards
);

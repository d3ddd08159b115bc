//! A CSV import that clashes with a concurrent award and draws again, made
//! to happen every time: the organisation's open status list has exactly as
//! many free indices as the file has rows, and a single award takes one of
//! them while the file's credentials are being signed. The row that lost
//! its index must not be handed an index another row of the same batch
//! holds (before the fix it was, the batch clashed with itself five times
//! and the import answered "award insert kept clashing").

use std::collections::HashSet;

use diesel::prelude::*;
use issuer::audit::CLI_ACTOR;
use issuer::awards::csv::{self, Batch};
use issuer::awards::{self, AwardError, AwardRequest, CredentialFormat, IssueContext};
use issuer::db::schema::{awards as awards_table, status_lists};
use issuer::error::ApiError;
use issuer::ids::AchievementId;
use issuer::status_list::{StatusList, ISSUER_DID, REVOCATION};
use serde_json::json;

use crate::awards::fixture;
use crate::db_test;
use crate::support::TestApp;

/// Entries of the small list the test opens.
const SIZE: i32 = 8;
/// Rows of the file: the free entries left after the first awards.
const ROWS: usize = 4;

fn request(achievement_id: &str, name: &str) -> AwardRequest {
    AwardRequest {
        achievement_id: achievement_id.to_owned(),
        recipient_name: name.to_owned(),
        recipient_email: None,
        name_consent: false,
        narrative: None,
        evidence_url: None,
        format: CredentialFormat::Di,
        idempotency_key: None,
        recipient_language: Default::default(),
    }
}

async fn a_clashing_import_draws_apart_from_its_own_rows(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let org = app
        .state
        .db
        .run_blocking(|conn| issuer::orgs::by_slug(conn, "org-a"))
        .unwrap();
    // The organisation's only open list, of eight entries.
    let list = StatusList {
        id: "small-list".to_owned(),
        org_id: org.id.clone(),
        purpose: REVOCATION.to_owned(),
        size: SIZE,
        allocated: 0,
        created_at: 0,
        updated_at: 0,
        signed_credential: None,
        signed_digest: None,
        issuer_form: ISSUER_DID.to_owned(),
    };
    app.state
        .db
        .run_blocking(|conn| {
            Ok::<_, ApiError>(
                diesel::insert_into(status_lists::table)
                    .values(&list)
                    .execute(conn)?,
            )
        })
        .unwrap();
    for i in 0..(SIZE as usize - ROWS) {
        let resp = app
            .post(
                "/api/v1/orgs/org-a/awards",
                &fx.token,
                json!({"achievement_id": fx.achievement_id, "recipient_name": format!("Before {i}")}),
            )
            .await;
        assert_eq!(resp.status, 201, "{}", resp.text());
    }

    let file = (0..ROWS).fold("name\n".to_owned(), |f, i| f + &format!("Row {i}\n"));
    let rows = csv::parse(file.as_bytes()).unwrap();
    let batch = Batch {
        achievement_id: &AchievementId::from(fx.achievement_id.as_str()),
        format: CredentialFormat::Di,
        file_key: None,
        duplicates: csv::Duplicates::Skip,
    };
    let mut raced = false;
    // Called while the file's credentials are signed, after their indices
    // were drawn: a single award takes one of them (the only free ones).
    let mut progress = |_: usize| {
        if raced {
            return;
        }
        raced = true;
        app.state
            .db
            .run_blocking(|conn| {
                let ctx = IssueContext::new(app.state.base(), &app.state.master_key);
                awards::award(
                    conn,
                    &ctx,
                    &org,
                    request(&fx.achievement_id, "Concurrent"),
                    CLI_ACTOR,
                )
            })
            .unwrap();
    };
    let outcome = app
        .state
        .db
        .run_blocking(|conn| {
            let ctx = IssueContext::new(app.state.base(), &app.state.master_key);
            csv::commit(conn, &ctx, &org, &batch, &rows, CLI_ACTOR, &mut progress)
        })
        .unwrap_or_else(|e: AwardError| panic!("the import failed: {e:?}"));
    assert!(raced, "the concurrent award ran");
    assert_eq!(outcome.awarded, ROWS);

    let placed: Vec<(String, String, i32)> = app
        .state
        .db
        .run_blocking(|conn| {
            Ok::<_, ApiError>(
                awards_table::table
                    .select((
                        awards_table::recipient_name,
                        awards_table::status_list_id,
                        awards_table::status_index,
                    ))
                    .load(conn)?,
            )
        })
        .unwrap();
    let distinct: HashSet<(&str, i32)> = placed.iter().map(|(_, l, i)| (l.as_str(), *i)).collect();
    assert_eq!(
        distinct.len(),
        placed.len(),
        "an index used twice: {placed:?}"
    );
    assert_eq!(placed.len(), SIZE as usize + 1);
    let in_small = placed.iter().filter(|(_, l, _)| l == "small-list").count();
    assert_eq!(in_small, SIZE as usize, "{placed:?}");
    let moved: Vec<&str> = placed
        .iter()
        .filter(|(_, l, _)| l != "small-list")
        .map(|(n, _, _)| n.as_str())
        .collect();
    assert_eq!(moved.len(), 1);
    assert!(moved[0].starts_with("Row "), "{moved:?}");
}
db_test!(
    clash_in_a_full_list,
    a_clashing_import_draws_apart_from_its_own_rows
);

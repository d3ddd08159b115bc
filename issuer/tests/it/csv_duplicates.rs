//! CSV imports flag duplicates against every other award path before
//! awarding: someone who already holds the badge (single award, workshop,
//! an earlier import) and the same person twice in the file; the caller
//! skips them or awards anyway, and the outcome says how many rows were
//! left out and why. Through the API, the pages and the CLI.

use actix_web::http::StatusCode;
use issuer::users::Role;
use serde_json::{json, Value};

use crate::awards::{csv_post, fixture, Fixture};
use crate::db_test;
use crate::pages::{designed_badge, hidden, location, Browser};
use crate::support::{Auth, TestApp};

/// Awards the badge to one participant through a one-session workshop.
async fn through_a_workshop(app: &TestApp, auth: &Auth, slug: &str, badge: &str, name: &str) {
    let created = app
        .post(
            &format!("/api/v1/orgs/{slug}/workshops"),
            auth,
            json!({"title": "Mardi", "achievement_id": badge, "sessions": 1}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let workshop = created.json();
    let id = workshop["workshop"]["id"].as_str().unwrap().to_owned();
    let session = workshop["sessions"][0]["id"].as_str().unwrap().to_owned();
    let person = app
        .post(
            &format!("/api/v1/orgs/{slug}/workshops/{id}/participants"),
            auth,
            json!({"name": name}),
        )
        .await;
    assert_eq!(person.status, StatusCode::CREATED, "{}", person.text());
    let present =
        json!({"present": [{"participant_id": person.json()["id"], "session_id": session}]});
    let marked = app
        .request(
            actix_web::http::Method::PUT,
            &format!("/api/v1/orgs/{slug}/workshops/{id}/attendance"),
            auth,
            Some(present),
        )
        .await;
    assert_eq!(marked.status, StatusCode::OK, "{}", marked.text());
    let awarded = app
        .post(
            &format!("/api/v1/orgs/{slug}/workshops/{id}/award"),
            auth,
            json!({}),
        )
        .await;
    assert_eq!(awarded.json()["awarded"].as_array().unwrap().len(), 1);
}

/// Ana holds the badge from a single award, Awa from a workshop, Zoé from
/// an earlier import under another file key.
async fn holders(app: &TestApp, fx: &Fixture) {
    let single = app
        .post(
            "/api/v1/orgs/org-a/awards",
            &fx.token,
            json!({"achievement_id": fx.achievement_id, "recipient_name": "Ana Lopes",
                   "recipient_email": "ana@example.fr"}),
        )
        .await;
    assert_eq!(single.status, StatusCode::CREATED, "{}", single.text());
    through_a_workshop(app, &fx.token, "org-a", &fx.achievement_id, "Awa Diallo").await;
    let earlier = csv_post(app, fx, "dry_run=false", "name\nZoé Roux\n", Some("june")).await;
    assert_eq!(earlier.json()["awarded"], 1, "{}", earlier.text());
}

/// (line, reason) of each entry of a list of rows.
fn reasons(rows: &Value) -> Vec<(u64, String)> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

const FILE: &str = "Nom complet;Courriel\n\
                    Ana Lopes;ANA@example.fr\n\
                    Awa Diallo;\n\
                    Jo Petit;jo@example.fr\n\
                    Zoé Roux;\n\
                    jo  petit;\n\
                    Sam Bernard;sam@example.fr\n";

async fn the_api_flags_duplicates_and_says_what_it_skipped(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    holders(&app, &fx).await;
    let dry = csv_post(&app, &fx, "dry_run=true", FILE, None).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.text());
    let dry = dry.json();
    assert_eq!(
        dry["valid"], true,
        "duplicates do not refuse the file: {dry}"
    );
    let flagged = [
        (2, "holds_badge".to_owned()),
        (3, "holds_badge".to_owned()),
        (5, "holds_badge".to_owned()),
        (6, "duplicate_row".to_owned()),
    ];
    assert_eq!(reasons(&dry["flagged"]), flagged, "{dry}");
    assert_eq!(dry["flagged"][3]["same_as_line"], 4);
    assert!(dry["flagged"][0]["award_id"].is_string());
    assert_eq!(
        (dry["awarded"].clone(), dry["skipped"].clone()),
        (json!(2), json!(4))
    );
    assert_eq!(dry["skipped_rows"], dry["flagged"]);
    let listed = app.get("/api/v1/orgs/org-a/awards", &fx.token).await.json();
    assert_eq!(
        listed.as_array().unwrap().len(),
        3,
        "a dry run writes nothing"
    );
    let dry_anyway = csv_post(&app, &fx, "dry_run=true&duplicates=award", FILE, None)
        .await
        .json();
    assert_eq!(dry_anyway["awarded"], 6, "{dry_anyway}");

    // Skipped by default, and said so.
    let commit = csv_post(&app, &fx, "dry_run=false", FILE, None).await;
    assert_eq!(commit.status, StatusCode::OK, "{}", commit.text());
    let commit = commit.json();
    assert_eq!(
        (commit["awarded"].clone(), commit["skipped"].clone()),
        (json!(2), json!(4))
    );
    assert_eq!(reasons(&commit["skipped_rows"]), flagged, "{commit}");
    assert_eq!(commit["skipped_by_reason"]["holds_badge"], 3);
    assert_eq!(commit["skipped_by_reason"]["duplicate_row"], 1);
    assert_eq!(commit["award_ids"].as_array().unwrap().len(), 2);
    let listed = app.get("/api/v1/orgs/org-a/awards", &fx.token).await.json();
    assert_eq!(listed.as_array().unwrap().len(), 5);

    // Awarded anyway: the duplicates now, the rows already imported never twice.
    let anyway = csv_post(&app, &fx, "dry_run=false&duplicates=award", FILE, None)
        .await
        .json();
    assert_eq!(
        (anyway["awarded"].clone(), anyway["skipped"].clone()),
        (json!(4), json!(2))
    );
    assert_eq!(
        reasons(&anyway["skipped_rows"]),
        [
            (4, "already_imported".to_owned()),
            (7, "already_imported".to_owned())
        ]
    );
    assert_eq!(anyway["skipped_by_reason"]["already_imported"], 2);
    let again = csv_post(&app, &fx, "dry_run=false&duplicates=award", FILE, None)
        .await
        .json();
    assert_eq!(
        (again["awarded"].clone(), again["skipped"].clone()),
        (json!(0), json!(6))
    );
    let listed = app.get("/api/v1/orgs/org-a/awards", &fx.token).await.json();
    assert_eq!(listed.as_array().unwrap().len(), 9);
    let bad = csv_post(&app, &fx, "dry_run=true&duplicates=maybe", FILE, None).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.text());
}
db_test!(
    csv_duplicates_api,
    the_api_flags_duplicates_and_says_what_it_skipped
);

async fn the_pages_flag_duplicates_and_let_the_facilitator_choose(app: TestApp) {
    app.create_org("centre-social");
    app.create_user("marie@example.fr", "centre-social", Role::Facilitator);
    let mut browser = Browser::default();
    browser.login(&app, "marie@example.fr").await;
    let badge_path = designed_badge(&app, &mut browser).await;
    let html = browser.get(&app, &badge_path).await.text();
    let csrf = hidden(&html, "csrf");
    let single = browser
        .post_form(
            &app,
            &format!("{badge_path}/award"),
            &[
                ("csrf", &csrf),
                ("idempotency_key", &hidden(&html, "idempotency_key")),
                ("name", "Léa Martin"),
                ("email", "lea@example.fr"),
            ],
        )
        .await;
    assert_eq!(single.status, StatusCode::SEE_OTHER, "{}", single.text());
    let lea_award = location(&single).split('?').next().unwrap().to_owned();
    let file: &[u8] =
        b"Nom;Pr\xe9nom;Courriel\r\nMartin;L\xe9a;LEA@example.fr\r\nDiallo;Awa;\r\nDIALLO;awa;\r\nRoux;Zo\xe9;\r\n";
    let shown = browser
        .post_multipart(
            &app,
            &format!("{badge_path}/csv"),
            &[("csrf", &csrf)],
            Some(("file", "liste.csv", "text/csv", file)),
        )
        .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.text());
    let html = shown.text();
    assert!(html.contains("Personnes en double"), "{html}");
    assert!(html.contains("Cette personne a déjà ce badge."), "{html}");
    assert!(
        html.contains("La même personne est déjà à la ligne 3."),
        "{html}"
    );
    assert!(
        html.contains(&format!("href=\"{lea_award}\"")),
        "the badge held is one click away: {html}"
    );
    assert!(
        html.contains("Délivrer le badge à 2 personne(s), sans les doublons"),
        "{html}"
    );
    assert!(
        html.contains("Délivrer le badge à 4 personne(s), doublons compris"),
        "{html}"
    );
    assert!(html.contains("name=\"duplicates\" value=\"skip\""));
    let csv = hidden(&html, "csv")
        .replace("&#10;", "\n")
        .replace("&#13;", "\r");
    let commit = |choice: &'static str| {
        let fields = vec![
            ("csrf", csrf.clone()),
            ("format", "di".to_owned()),
            ("csv", csv.clone()),
            ("duplicates", choice.to_owned()),
        ];
        (format!("{badge_path}/csv/commit"), fields)
    };
    let (path, fields) = commit("skip");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let done = browser.post_multipart(&app, &path, &fields, None).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    let html = done.text();
    assert!(
        html.contains("2 badge(s) délivré(s). 2 personne(s)"),
        "{html}"
    );
    assert!(
        html.contains("<td>2</td><td>Léa Martin</td><td>Cette personne a déjà ce badge.</td>"),
        "{html}"
    );
    assert!(
        html.contains(
            "<td>4</td><td>awa DIALLO</td><td>La même personne est déjà à la ligne 3.</td>"
        ),
        "{html}"
    );

    // The same file again: the two rows imported are said so, not offered.
    let shown = browser
        .post_multipart(
            &app,
            &format!("{badge_path}/csv"),
            &[("csrf", &csrf)],
            Some(("file", "liste.csv", "text/csv", file)),
        )
        .await;
    let html = shown.text().replace("&#39;", "'");
    assert!(
        html.contains("Le fichier est correct : 0 personne(s) vont recevoir le badge. 2 personne(s) l'ont déjà reçu lors d'un envoi précédent de ce fichier"),
        "{html}"
    );
    assert!(
        html.contains("Délivrer le badge à 2 personne(s), doublons compris"),
        "{html}"
    );

    let (path, fields) = commit("award");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let done = browser.post_multipart(&app, &path, &fields, None).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    let html = done.text();
    assert!(
        html.contains("2 badge(s) délivré(s). 2 personne(s)"),
        "{html}"
    );
    assert!(
        html.contains("Les personnes en double à qui le badge a quand même été délivré"),
        "{html}"
    );
    assert!(
        html.contains("<td>2</td><td>Léa Martin</td><td>Cette personne a déjà ce badge.</td>"),
        "{html}"
    );
    assert!(
        html.contains("Déjà délivré lors d&#39;un envoi précédent de ce fichier.")
            || html.contains("Déjà délivré lors d'un envoi précédent de ce fichier."),
        "{html}"
    );
    let held = app
        .state
        .db
        .run_blocking(|conn| {
            let org = issuer::orgs::by_slug(conn, "centre-social")?;
            Ok::<_, issuer::error::ApiError>(issuer::awards::list(conn, &org.id, 100, 0)?)
        })
        .unwrap();
    let names: Vec<&str> = held.iter().map(|a| a.recipient_name.as_str()).collect();
    assert_eq!(names.len(), 5, "{names:?}");
    assert_eq!(
        names
            .iter()
            .filter(|n| n.eq_ignore_ascii_case("awa diallo"))
            .count(),
        2
    );
}
db_test!(
    csv_duplicates_pages,
    the_pages_flag_duplicates_and_let_the_facilitator_choose
);

/// The real `issuer award --csv` command: duplicates listed line by line
/// and skipped, or awarded with `--duplicates award`.
#[actix_web::test]
async fn the_cli_lists_the_duplicates_it_skips() {
    let app = TestApp::sqlite().await;
    let fx = fixture(&app, "org-a").await;
    holders(&app, &fx).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("liste.csv");
    std::fs::write(&file, FILE).unwrap();
    let data_dir = app.state.config.data_dir.to_str().unwrap().to_owned();
    let run = |extra: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_issuer"))
            .args([
                "award",
                "--org",
                "org-a",
                "--achievement",
                &fx.achievement_id,
            ])
            .args(["--csv", file.to_str().unwrap(), "--data-dir", &data_dir])
            .args(extra)
            .env_remove("ISSUER_DATABASE_URL")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        stdout
    };
    let dry = run(&["--dry-run"]);
    assert!(
        dry.starts_with("6 rows: 2 would be awarded, 4 would be skipped\n"),
        "{dry}"
    );
    let skipped = run(&[]);
    for line in [
        "6 rows: 2 awarded, 4 skipped",
        "  line 2 (Ana Lopes): already holds this badge",
        "  line 3 (Awa Diallo): already holds this badge",
        "  line 5 (Zoé Roux): already holds this badge",
        "  line 6 (jo  petit): the same person as line 4",
        "to award the duplicates anyway: --duplicates award",
    ] {
        assert!(skipped.contains(line), "{line:?} missing from:\n{skipped}");
    }
    let anyway = run(&["--duplicates", "award"]);
    assert!(anyway.contains("6 rows: 4 awarded, 2 skipped"), "{anyway}");
    assert!(
        anyway.contains("  line 4 (Jo Petit): already awarded by an earlier import of this file"),
        "{anyway}"
    );
    assert!(
        anyway.contains("awarded although duplicates (--duplicates award):"),
        "{anyway}"
    );
    let count = app
        .state
        .db
        .run_blocking(|conn| {
            let org = issuer::orgs::by_slug(conn, "org-a")?;
            Ok::<_, issuer::error::ApiError>(issuer::awards::list(conn, &org.id, 100, 0)?.len())
        })
        .unwrap();
    assert_eq!(count, 9);
}

//! CSV imports through the API and the CLI: French Excel files, the dry
//! run, the commit and a resubmission that awards nobody twice.

use actix_web::http::Method;
use issuer::awards;
use serde_json::{json, Value};

use super::{csv_post, fixture, raw};
use crate::db_test;
use crate::support::TestApp;

/// What Excel in France writes: Windows-1252, `;`, French headers, first
/// and last names apart, a column nobody asked for.
async fn french_excel_csv(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let file: &[u8] = b"Nom;Pr\xe9nom;Courriel;T\xe9l\xe9phone\r\n\
                        Roux;Zo\xe9;zoe@example.fr;0600000000\r\n\
                        Diallo;Awa;;\r\n";
    let resp = raw(
        &app,
        Method::POST,
        &format!(
            "/api/v1/orgs/org-a/awards/csv?achievement_id={}&dry_run=true",
            fx.achievement_id
        ),
        &fx.token,
        &[("content-type", "text/csv")],
        file.to_vec(),
    )
    .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    let dry = resp.json();
    assert_eq!(dry["valid"], true, "{dry}");
    assert_eq!(dry["awarded"], 2);
    assert_eq!(dry["read_as"]["encoding"], "windows1252");
    assert_eq!(dry["read_as"]["separator"], ";");
    let uses: Vec<&Value> = dry["read_as"]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["field"])
        .collect();
    assert_eq!(
        uses,
        [
            &json!("last_name"),
            &json!("first_name"),
            &json!("email"),
            &Value::Null
        ]
    );
    let rows = issuer::awards::csv::parse(file).unwrap();
    assert_eq!(rows[0].name, "Zoé Roux");
    assert_eq!(rows[1].name, "Awa Diallo");
    assert_eq!(rows[0].email.as_deref(), Some("zoe@example.fr"));
}
db_test!(french_excel_csv_is_read, french_excel_csv);

async fn csv_imports(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let bad = "name,email,narrative,evidence_url\n\
               Ana,ana@example.fr,,\n\
               ,b@example.fr,,\n\
               Léa,lea@,,\n\
               Jo,,,ftp://example.fr\n";
    let dry = csv_post(&app, &fx, "dry_run=true", bad, None).await;
    assert_eq!(dry.status, 200, "{}", dry.text());
    let dry = dry.json();
    assert_eq!(dry["valid"], false);
    let errors: Vec<(u64, String)> = dry["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert!(!e["reason"].as_str().unwrap().is_empty());
            (
                e["line"].as_u64().unwrap(),
                e["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (3, "name".to_owned()),
            (4, "email".to_owned()),
            (5, "evidence_url".to_owned())
        ]
    );
    let refused = csv_post(&app, &fx, "dry_run=false", bad, None).await;
    assert_eq!(refused.status, 400);
    assert_eq!(refused.error_code(), "invalid_csv");
    assert_eq!(refused.json()["errors"].as_array().unwrap().len(), 3);
    let list = app.get("/api/v1/orgs/org-a/awards", &fx.token).await.json();
    assert!(list.as_array().unwrap().is_empty(), "nothing written");

    let good = "name;email\nAna;ana@example.fr\nJo;\nLéa;LEA@example.fr\n";
    let dry = csv_post(&app, &fx, "dry_run=true", good, None).await.json();
    assert_eq!(
        (dry["valid"].clone(), dry["awarded"].clone()),
        (json!(true), json!(3))
    );
    let commit = csv_post(&app, &fx, "dry_run=false", good, None).await;
    assert_eq!(commit.status, 200, "{}", commit.text());
    assert_eq!(commit.json()["awarded"], 3);
    assert_eq!(commit.json()["skipped"], 0);

    // Resubmitted, with one more row and e-mails in another case: only the new row.
    let again = "name;email\nAna;ANA@example.fr\nJo;\nLéa;lea@example.fr\nZoé;\n";
    let dry = csv_post(&app, &fx, "dry_run=true", again, None)
        .await
        .json();
    assert_eq!(
        (dry["awarded"].clone(), dry["skipped"].clone()),
        (json!(1), json!(3))
    );
    let commit = csv_post(&app, &fx, "dry_run=false", again, None)
        .await
        .json();
    assert_eq!(
        (commit["awarded"].clone(), commit["skipped"].clone()),
        (json!(1), json!(3))
    );
    let list = app.get("/api/v1/orgs/org-a/awards", &fx.token).await.json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 4);
    let with_codes = list.iter().filter(|a| a["claim_code"].is_string()).count();
    assert_eq!(with_codes, 4, "everyone has a code, with or without e-mail");
    // A new file key is a new session: everyone holds the badge already,
    // so they are skipped and said so, unless awarded anyway.
    let session = csv_post(
        &app,
        &fx,
        "dry_run=false&format=jwt",
        good,
        Some("session-2"),
    )
    .await
    .json();
    assert_eq!(session["awarded"], 0);
    assert_eq!(session["skipped_by_reason"]["holds_badge"], 3);
    let session = csv_post(
        &app,
        &fx,
        "dry_run=false&format=jwt&duplicates=award",
        good,
        Some("session-2"),
    )
    .await
    .json();
    assert_eq!(session["awarded"], 3);

    let too_big = format!("name\n{}", "x\n".repeat(600_000));
    let resp = csv_post(&app, &fx, "dry_run=true", &too_big, None).await;
    assert_eq!(resp.status, 413);
    let too_many = format!(
        "name\n{}",
        (0..2001).map(|i| format!("p{i}\n")).collect::<String>()
    );
    let resp = csv_post(&app, &fx, "dry_run=true", &too_many, None)
        .await
        .json();
    assert!(resp["errors"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("2000"));
}
db_test!(csv_dry_run_commit_resubmit, csv_imports);

/// `issuer award --csv`: bad rows refuse the file, a dry run writes nothing,
/// a commit awards once however often it is run.
#[actix_web::test]
async fn cli_awards_a_csv_file_once() {
    use clap::Parser as _;
    let app = TestApp::sqlite().await;
    let fx = fixture(&app, "org-a").await;
    let dir = tempfile::tempdir().unwrap();
    let data_dir = app.state.config.data_dir.to_str().unwrap().to_owned();
    let run = |file: &str, content: &str, extra: &[&str]| {
        let path = dir.path().join(file);
        std::fs::write(&path, content).unwrap();
        let mut args = vec![
            "issuer",
            "award",
            "--org",
            "org-a",
            "--achievement",
            &fx.achievement_id,
            "--csv",
            path.to_str().unwrap(),
            "--data-dir",
            &data_dir,
        ];
        args.extend_from_slice(extra);
        let cli = issuer::cli::Cli::try_parse_from(args).unwrap();
        issuer::cli::run(cli).unwrap()
    };
    let count = || {
        app.state
            .db
            .run_blocking(|conn| {
                let org = issuer::orgs::by_slug(conn, "org-a")?;
                Ok::<_, issuer::error::ApiError>(awards::list(conn, &org.id, 100, 0)?.len())
            })
            .unwrap()
    };
    let failure = std::process::ExitCode::from(1);
    assert_eq!(run("bad.csv", "name,email\n,x@y.fr\n", &[]), failure);
    let good = "name,email\nAna,ana@example.fr\nJo,\n";
    assert_eq!(
        run("good.csv", good, &["--dry-run"]),
        std::process::ExitCode::SUCCESS
    );
    assert_eq!(count(), 0);
    for _ in 0..2 {
        assert_eq!(
            run("good.csv", good, &["--format", "jwt"]),
            std::process::ExitCode::SUCCESS
        );
        assert_eq!(count(), 2);
    }
}

/// `text` with every award id of `ids` replaced by `[award id N]` (N its
/// place in `ids`), so that a snapshot pins the rest byte for byte.
fn ids_replaced(text: &str, ids: &[String]) -> String {
    ids.iter()
        .enumerate()
        .fold(text.to_owned(), |text, (n, id)| {
            text.replace(id.as_str(), &format!("[award id {n}]"))
        })
}

/// The bodies of the CSV import as sent, byte for byte (keys in their
/// order, award ids replaced): a dry run of a file with problems, a dry run
/// flagging duplicates, and the import that skips them.
async fn csv_answer_texts(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let single = app
        .post(
            "/api/v1/orgs/org-a/awards",
            &fx.token,
            json!({"achievement_id": fx.achievement_id, "recipient_name": "Ana Lopes",
                   "recipient_email": "ana@example.fr"}),
        )
        .await;
    assert_eq!(single.status, 201, "{}", single.text());
    let mut ids = vec![single.json()["id"].as_str().unwrap().to_owned()];

    let bad = "name,email\n,x@example.fr\nJo Petit,not-an-email\n";
    let invalid = csv_post(&app, &fx, "dry_run=true", bad, None).await;
    assert_eq!(invalid.status, 200, "{}", invalid.text());
    insta::assert_snapshot!("csv_answer_dry_run_invalid", invalid.text());

    let file = "Nom complet;Courriel\n\
                Ana Lopes;ANA@example.fr\n\
                Jo Petit;jo@example.fr\n\
                jo  petit;\n\
                Sam Bernard;\n";
    let dry = csv_post(&app, &fx, "dry_run=true", file, None).await;
    assert_eq!(dry.status, 200, "{}", dry.text());
    insta::assert_snapshot!("csv_answer_dry_run_valid", ids_replaced(&dry.text(), &ids));

    let imported = csv_post(&app, &fx, "dry_run=false", file, Some("june")).await;
    assert_eq!(imported.status, 200, "{}", imported.text());
    let body = imported.json();
    assert_eq!(body["skipped"], 2, "{body}");
    ids.extend(
        body["award_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| id.as_str().unwrap().to_owned()),
    );
    insta::assert_snapshot!("csv_answer_imported", ids_replaced(&imported.text(), &ids));
}
db_test!(csv_answers_as_sent, csv_answer_texts);

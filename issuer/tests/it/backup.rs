//! `issuer backup` and `issuer restore`, end to end on both backends: a
//! restore on a fresh data directory publishes the same documents (did:web
//! DID document, Profile, JWKS, credentials, status lists), every old badge
//! still verifies against them, a new award is signed under the same
//! identity, and revocation still works. The master key is checked before
//! anything is written.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use actix_web::http::{header, Method, StatusCode};
use actix_web::test::TestRequest;
use diesel::prelude::*;
use issuer::backup::{self, tables, BackupError};
use issuer::config::Config;
use issuer::db::Backend;
use issuer::master_key::MasterKey;
use issuer::users::Role;
use secrecy::SecretString;
use serde_json::{json, Value};

use crate::awards::{bit, decode_list, local_path, published, verify_di, verify_jwt};
use crate::db_test;
use crate::support::{Auth, PgDatabase, TestApp, PASSWORD};

/// What the source installation holds, to be found again.
struct Populated {
    auth: Auth,
    achievement_id: String,
    /// API views of the awards, as created.
    awards: Vec<Value>,
    /// The award revoked before the backup.
    revoked: Value,
    /// The workshop's API path.
    workshop: String,
}

async fn populate(app: &TestApp) -> Populated {
    app.create_org("centre");
    app.create_org("reseau");
    app.create_user("admin@centre.fr", "centre", Role::Admin);
    let session = app.login("admin@centre.fr").await;
    let auth = app.token(&session).await;
    app.state
        .db
        .run_blocking(|conn| {
            let network = issuer::orgs::by_slug(conn, "reseau")?;
            let member = issuer::orgs::by_slug(conn, "centre")?;
            issuer::networks::add_member(conn, &network, &member)?;
            Ok::<_, issuer::error::ApiError>(())
        })
        .unwrap();
    let profile = app
        .request(
            Method::PATCH,
            "/api/v1/orgs/centre",
            &auth,
            Some(json!({
                "description": "Ateliers numériques",
                "address": {"addressLocality": "Lyon", "addressCountry": "FR"}
            })),
        )
        .await;
    assert_eq!(profile.status, StatusCode::OK, "{}", profile.text());
    let image = app
        .send(
            TestRequest::post()
                .uri("/api/v1/orgs/centre/images")
                .insert_header((header::CONTENT_TYPE, "image/png"))
                .insert_header((header::AUTHORIZATION, bearer(&auth)))
                .set_payload(crate::images::png_of(64, 64)),
        )
        .await;
    assert_eq!(image.status, StatusCode::CREATED, "{}", image.text());
    let badge = app
        .post(
            "/api/v1/orgs/centre/achievements",
            &auth,
            json!({
                "name": "Démarches en ligne",
                "description": "Faire ses démarches en ligne",
                "criteria_narrative": "Trois séances",
                "image_id": image.json()["id"],
                "alignments": [{"framework": "digcomp-2.2", "code": "1.1"}]
            }),
        )
        .await;
    assert_eq!(badge.status, StatusCode::CREATED, "{}", badge.text());
    let achievement_id = badge.json()["id"].as_str().unwrap().to_owned();
    let mut awards = Vec::new();
    for body in [
        json!({"recipient_name": "Awa Diallo", "recipient_email": "awa@example.fr"}),
        json!({"recipient_name": "Léa Martin", "name_consent": true}),
        json!({"recipient_name": "Jo Petit", "format": "jwt"}),
        json!({"recipient_name": "Sam Bernard"}),
    ] {
        awards.push(award(app, &auth, &achievement_id, body).await);
    }
    // Rotations: the DID document lists retired keys too; later awards are
    // signed by the new keys.
    for algorithm in ["Ed25519", "RS256"] {
        let rotated = app
            .post(
                "/api/v1/orgs/centre/keys/rotate",
                &auth,
                json!({"algorithm": algorithm}),
            )
            .await;
        assert_eq!(rotated.status, StatusCode::CREATED, "{}", rotated.text());
    }
    awards.push(
        award(
            app,
            &auth,
            &achievement_id,
            json!({"recipient_name": "Nina"}),
        )
        .await,
    );
    let revoked = awards[3].clone();
    let resp = app
        .post(
            &format!(
                "/api/v1/orgs/centre/awards/{}/revoke",
                revoked["id"].as_str().unwrap()
            ),
            &auth,
            json!({"reason": "Délivré par erreur"}),
        )
        .await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.text());
    let erased = award(
        app,
        &auth,
        &achievement_id,
        json!({"recipient_name": "Effacée"}),
    )
    .await;
    let resp = app
        .post(
            &format!(
                "/api/v1/orgs/centre/awards/{}/erase",
                erased["id"].as_str().unwrap()
            ),
            &auth,
            json!({}),
        )
        .await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.text());
    let workshop = workshop(app, &auth, &achievement_id).await;
    Populated {
        auth,
        achievement_id,
        awards,
        revoked,
        workshop,
    }
}

fn bearer(auth: &Auth) -> String {
    match auth {
        Auth::Token(token) => format!("Bearer {token}"),
        _ => panic!("a token expected"),
    }
}

async fn award(app: &TestApp, auth: &Auth, achievement_id: &str, mut body: Value) -> Value {
    body["achievement_id"] = achievement_id.into();
    let resp = app.post("/api/v1/orgs/centre/awards", auth, body).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
    resp.json()
}

/// A workshop of two sessions, one participant (reading English) present
/// at both, awarded; its API path.
async fn workshop(app: &TestApp, auth: &Auth, achievement_id: &str) -> String {
    let created = app
        .post(
            "/api/v1/orgs/centre/workshops",
            auth,
            json!({"title": "Groupe du mardi", "achievement_id": achievement_id, "sessions": 2}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let workshop = created.json();
    let id = workshop["workshop"]["id"].as_str().unwrap().to_owned();
    let person = app
        .post(
            &format!("/api/v1/orgs/centre/workshops/{id}/participants"),
            auth,
            json!({"name": "Omar", "email": "omar@example.fr", "language": "en"}),
        )
        .await
        .json()["id"]
        .clone();
    let present: Vec<Value> = workshop["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| json!({"participant_id": person, "session_id": s["id"]}))
        .collect();
    let marked = app
        .request(
            Method::PUT,
            &format!("/api/v1/orgs/centre/workshops/{id}/attendance"),
            auth,
            Some(json!({ "present": present })),
        )
        .await;
    assert_eq!(marked.status, StatusCode::OK, "{}", marked.text());
    let awarded = app
        .post(
            &format!("/api/v1/orgs/centre/workshops/{id}/award"),
            auth,
            json!({}),
        )
        .await;
    assert_eq!(awarded.status, StatusCode::OK, "{}", awarded.text());
    format!("/api/v1/orgs/centre/workshops/{id}")
}

/// The language of the workshop's participant, as the API shows it.
async fn participant_language(app: &TestApp, populated: &Populated) -> Value {
    let resp = app.get(&populated.workshop, &populated.auth).await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.text());
    resp.json()["participants"][0]["participant"]["language"].clone()
}

/// Every public document of the organisation and its badges, by path.
async fn documents(app: &TestApp, populated: &Populated) -> Vec<(String, String)> {
    let mut paths: Vec<String> = [
        "/orgs/centre",
        "/orgs/centre/did.json",
        "/orgs/centre/jwks.json",
    ]
    .map(str::to_owned)
    .to_vec();
    for award in &populated.awards {
        paths.push(local_path(app, award["json_url"].as_str().unwrap()).to_owned());
        if let Some(jwt) = award["jwt_url"].as_str() {
            paths.push(local_path(app, jwt).to_owned());
        }
        let list = award["credential"]["credentialStatus"]["statusListCredential"]
            .as_str()
            .unwrap();
        paths.push(local_path(app, list).to_owned());
    }
    paths.sort();
    paths.dedup();
    let mut found = Vec::new();
    for path in paths {
        let resp = app.get(&path, &Auth::None).await;
        assert_eq!(resp.status, StatusCode::OK, "{path}: {}", resp.text());
        found.push((path, resp.text()));
    }
    found
}

/// A fresh installation to restore onto: its own data directory, and its
/// own database on the backend of `backend`.
struct Fresh {
    config: Config,
    _dir: tempfile::TempDir,
    _pg: Option<PgDatabase>,
}

fn fresh(backend: Backend, source: &Config) -> Fresh {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_data_dir(dir.path().join("data"));
    config.database_pool_size = 4;
    config.verifier_url.clone_from(&source.verifier_url);
    let pg = (backend == Backend::Postgres).then(|| PgDatabase::create().expect("PostgreSQL"));
    config.database_url = pg.as_ref().map(|pg| SecretString::from(pg.url.clone()));
    Fresh {
        config,
        _dir: dir,
        _pg: pg,
    }
}

fn copy_master_key(from: &Config, to: &Config) {
    std::fs::create_dir_all(&to.data_dir).unwrap();
    std::fs::copy(
        from.data_dir.join("master.key"),
        to.data_dir.join("master.key"),
    )
    .unwrap();
}

async fn backup_then_restore_keeps_every_badge_verifiable(app: TestApp) {
    let populated = populate(&app).await;
    let before = documents(&app, &populated).await;
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("issuer.backup");
    let summary = backup::create(&app.state.config, &out, false).unwrap();
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the backup file is private");
    let counted: Vec<&str> = summary.tables.iter().map(|(t, _)| *t).collect();
    assert_eq!(counted, tables::TABLES);
    for (table, rows) in &summary.tables {
        assert!(
            *rows > 0,
            "{table} is empty in the backup: the test must fill it"
        );
    }
    assert!(!summary.includes_master_key);
    assert!(matches!(
        backup::create(&app.state.config, &out, false),
        Err(BackupError::Exists(_))
    ));

    let backend = app.state.db.backend();
    let target = fresh(backend, &app.state.config);
    // Without the master key, or with another one, nothing is restored.
    assert!(matches!(
        backup::restore(&target.config, &out),
        Err(BackupError::MissingMasterKey(_))
    ));
    let stranger = MasterKey::generate();
    std::fs::create_dir_all(&target.config.data_dir).unwrap();
    stranger.store(&target.config.data_dir).unwrap();
    let refused = backup::restore(&target.config, &out).unwrap_err();
    assert!(
        matches!(&refused, BackupError::WrongMasterKey { expected: Some(e), .. } if *e == summary.master_key_fingerprint),
        "{refused}"
    );
    std::fs::remove_file(target.config.data_dir.join("master.key")).unwrap();
    copy_master_key(&app.state.config, &target.config);
    let restored = backup::restore(&target.config, &out).unwrap();
    assert_eq!(restored.tables, summary.tables);
    assert_eq!(restored.backup_public_url, restored.public_url);
    // Restoring twice would mix two installations: refused.
    assert!(matches!(
        backup::restore(&target.config, &out),
        Err(BackupError::NotEmpty(_))
    ));

    // The restored installation answers as the source did.
    let source_config = (*app.state.config).clone();
    let restored_app = TestApp::with_config(target.config.clone()).await;
    let after = documents(&restored_app, &populated).await;
    assert_eq!(after, before, "the same published documents, byte for byte");
    assert_eq!(participant_language(&app, &populated).await, "en");
    assert_eq!(participant_language(&restored_app, &populated).await, "en");
    badges_verify(&restored_app, &populated).await;
    life_goes_on(&restored_app, &populated).await;

    // The backup with its master key restores on its own, on the other
    // backend too when PostgreSQL is at hand.
    let with_key = out_dir.path().join("with-key.backup");
    backup::create(&source_config, &with_key, true).unwrap();
    let other = if backend == Backend::Sqlite && PgDatabase::create().is_some() {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    let alone = fresh(other, &source_config);
    let restored = backup::restore(&alone.config, &with_key).unwrap();
    assert!(restored.master_key_from_backup);
    let key_file = alone.config.data_dir.join("master.key");
    assert_eq!(
        std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let restored_app = TestApp::with_config(alone.config.clone()).await;
    assert_eq!(
        documents(&restored_app, &populated).await[..3],
        before[..3],
        "Profile, DID document and JWKS"
    );
    badges_verify(&restored_app, &populated).await;
}
db_test!(round_trip, backup_then_restore_keeps_every_badge_verifiable);

/// Every badge issued before the backup verifies against the restored
/// installation's documents; the revoked one is revoked in its list.
async fn badges_verify(app: &TestApp, populated: &Populated) {
    let resolver = published(app, "centre").await;
    for award in &populated.awards {
        let path = local_path(app, award["json_url"].as_str().unwrap()).to_owned();
        let credential = app.get(&path, &Auth::None).await.json();
        match award["jwt_url"].as_str() {
            Some(jwt_url) => {
                let jwt = app.get(local_path(app, jwt_url), &Auth::None).await.text();
                verify_jwt(&resolver, jwt.trim());
            }
            None => verify_di(&resolver, &credential),
        }
        let status = &award["credential"]["credentialStatus"];
        let list = app
            .get(
                local_path(app, status["statusListCredential"].as_str().unwrap()),
                &Auth::None,
            )
            .await
            .json();
        verify_di(&resolver, &list);
        let index: u64 = status["statusListIndex"].as_str().unwrap().parse().unwrap();
        let revoked = award["id"] == populated.revoked["id"];
        assert_eq!(bit(&decode_list(&list), index), revoked, "{}", award["id"]);
    }
}

/// The restored installation works: the old password and token, a new award
/// signed under the same DID, a revocation of an old badge.
async fn life_goes_on(app: &TestApp, populated: &Populated) {
    let session = app.login("admin@centre.fr").await;
    assert_eq!(app.get("/api/v1/me", &populated.auth).await.status, 200);
    let new = award(
        app,
        &session,
        &populated.achievement_id,
        json!({"recipient_name": "Après la restauration"}),
    )
    .await;
    assert_eq!(
        new["credential"]["issuer"]["id"],
        populated.awards[0]["credential"]["issuer"]["id"]
    );
    let resolver = published(app, "centre").await;
    verify_di(&resolver, &new["credential"]);
    let old = &populated.awards[0];
    let resp = app
        .post(
            &format!(
                "/api/v1/orgs/centre/awards/{}/revoke",
                old["id"].as_str().unwrap()
            ),
            &session,
            json!({"reason": "Retiré après la restauration"}),
        )
        .await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.text());
    let status = &old["credential"]["credentialStatus"];
    let list = app
        .get(
            local_path(app, status["statusListCredential"].as_str().unwrap()),
            &Auth::None,
        )
        .await
        .json();
    let index: u64 = status["statusListIndex"].as_str().unwrap().parse().unwrap();
    assert!(bit(&decode_list(&list), index), "revoked after the restore");
    let _ = PASSWORD;
}

/// The backup holds every table the migrations create, but the two it leaves
/// out on purpose.
async fn every_table_is_backed_up(app: TestApp) {
    let listed: Vec<String> = app
        .state
        .db
        .run_blocking(|conn| {
            #[derive(QueryableByName)]
            struct Name {
                #[diesel(sql_type = diesel::sql_types::Text)]
                name: String,
            }
            let query = match app.state.db.backend() {
                Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                Backend::Postgres => "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'",
            };
            let names: Vec<Name> = diesel::sql_query(query).load(conn)?;
            Ok::<_, issuer::error::ApiError>(names.into_iter().map(|n| n.name).collect())
        })
        .unwrap();
    let mut expected: Vec<&str> = tables::TABLES
        .iter()
        .chain(&tables::LEFT_OUT)
        .copied()
        .collect();
    expected.push("__diesel_schema_migrations");
    expected.sort_unstable();
    let mut listed: Vec<&str> = listed.iter().map(String::as_str).collect();
    listed.sort_unstable();
    assert_eq!(listed, expected);
}
db_test!(table_coverage, every_table_is_backed_up);

#[test]
fn a_file_that_is_not_a_backup_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_backup = dir.path().join("notes.sqlite3");
    std::fs::write(&not_a_backup, b"").unwrap();
    let config = Config::for_data_dir(dir.path().join("data"));
    let refused = backup::restore(&config, &not_a_backup).unwrap_err();
    assert!(
        matches!(refused, BackupError::NotABackup { .. }),
        "{refused}"
    );
    assert!(!Path::new(&dir.path().join("data").join("master.key")).exists());
}

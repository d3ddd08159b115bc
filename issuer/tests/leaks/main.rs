//! Private keys never leave the database sealed: no response and no log
//! line, at the most verbose level, holds any form of an organisation's
//! private keys (Ed25519 seed, RSA private exponent, PKCS#8 PEM) or of the
//! master key, across every route that touches keys or signs.
//!
//! Its own test binary, apart from `tests/it`: a process has one global log
//! subscriber, and the capture must be the first and only one installed.

#![allow(clippy::unwrap_used)] // tests: a panic is a failing test

#[path = "../it/support.rs"]
#[allow(dead_code)]
mod support;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use actix_web::http::StatusCode;
use base64::Engine as _;
use issuer::org_keys::{self, KeyAlgorithm, SigningKey};
use issuer::users::Role;
use rsa::traits::PrivateKeyParts as _;
use serde_json::json;

use support::TestApp;

/// Everything any test of this binary logged, at TRACE level.
fn captured() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = buffer.clone();
        let _ = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || Writer(sink.clone()))
            .try_init();
        buffer
    })
}

struct Writer(Arc<Mutex<Vec<u8>>>);

impl Write for Writer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every textual form a secret could take in a body or a log line.
fn forms(secret: &[u8]) -> Vec<String> {
    let b64 = base64::engine::general_purpose::STANDARD.encode(secret);
    let b64url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret);
    // A 12-character window of each encoding is enough to catch a leak
    // without matching by chance.
    vec![
        hex::encode(secret)[..24].to_owned(),
        b64[..16].to_owned(),
        b64url[..16].to_owned(),
    ]
}

fn private_forms(key: &SigningKey) -> Vec<String> {
    match key {
        SigningKey::Ed25519 { key, .. } => forms(&key.to_bytes()),
        SigningKey::Rs256 { key, .. } => forms(&key.d().to_bytes_be()),
    }
}

async fn no_private_key_in_responses_or_logs(app: TestApp) {
    let logs = captured();
    app.create_org("centre");
    app.create_user("admin@example.fr", "centre", Role::Admin);
    let auth = app.login("admin@example.fr").await;
    let mut bodies = Vec::new();
    // Rotate both keys, so that retired and active keys are both published.
    for algorithm in ["Ed25519", "RS256"] {
        let resp = app
            .post(
                "/api/v1/orgs/centre/keys/rotate",
                &auth,
                json!({"algorithm": algorithm}),
            )
            .await;
        assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
        bodies.push(resp.text());
    }
    let badge = app
        .post(
            "/api/v1/orgs/centre/achievements",
            &auth,
            json!({"name": "Badge", "description": "Desc.", "criteria_narrative": "Crit."}),
        )
        .await;
    let badge_id = badge.json()["id"].as_str().unwrap().to_owned();
    bodies.push(badge.text());
    for format in ["di", "jwt"] {
        let award = app
            .post(
                "/api/v1/orgs/centre/awards",
                &auth,
                json!({"achievement_id": badge_id, "recipient_name": "Awa", "format": format}),
            )
            .await;
        assert_eq!(award.status, StatusCode::CREATED, "{}", award.text());
        let award = award.json();
        bodies.push(award.to_string());
        let url = award["credential_url"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if let Some(path) = url.split("8080").nth(1) {
            bodies.push(app.get(path, &support::Auth::None).await.text());
            bodies.push(
                app.get(&format!("{path}.json"), &support::Auth::None)
                    .await
                    .text(),
            );
        }
    }
    for path in [
        "/orgs/centre",
        "/orgs/centre/did.json",
        "/orgs/centre/jwks.json",
        "/api/v1/orgs/centre/keys",
        "/api/v1/orgs/centre",
        "/api/v1/orgs/centre/awards",
        "/api/v1/orgs/centre/audit",
        "/openapi.json",
    ] {
        let resp = app.get(path, &auth).await;
        assert!(resp.status.is_success(), "{path}: {}", resp.status);
        bodies.push(resp.text());
    }

    let (org_keys_now, retired_rows) = app
        .state
        .db
        .run_blocking(|conn| {
            let org = issuer::orgs::by_slug(conn, "centre")?;
            let keys = [KeyAlgorithm::Ed25519, KeyAlgorithm::Rs256]
                .iter()
                .map(|a| org_keys::active_signing_key(conn, &app.state.master_key, &org.id, *a))
                .collect::<Result<Vec<_>, _>>()?;
            let rows = org_keys::all(conn, &org.id)?;
            Ok::<_, issuer::error::ApiError>((keys, rows))
        })
        .unwrap();
    assert!(retired_rows.len() >= 4, "active and retired keys");
    let mut secrets: Vec<String> = org_keys_now.iter().flat_map(private_forms).collect();
    secrets.push("PRIVATE KEY".to_owned());
    let master =
        std::fs::read_to_string(app.state.config.data_dir.join("master.key")).unwrap_or_default();
    if master.trim().len() > 16 {
        secrets.push(master.trim()[..16].to_owned());
    }
    for row in &retired_rows {
        // The sealed form is not a leak of the key, but it must not be served either.
        secrets.push(row.private_key_enc.chars().take(24).collect());
    }
    let logged = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
    assert!(!logged.is_empty(), "the log capture works");
    for secret in &secrets {
        for body in &bodies {
            assert!(
                !body.contains(secret.as_str()),
                "a response holds {secret:?}"
            );
        }
        assert!(
            !logged.contains(secret.as_str()),
            "a log line holds {secret:?}"
        );
    }
}
// Not `db_test!`: the capture is installed before the application starts, so
// that the start-up lines are captured too (without them, a run on SQLite
// alone may log nothing the capture sees).
mod leaks {
    #[actix_web::test]
    async fn sqlite() {
        super::captured();
        super::no_private_key_in_responses_or_logs(super::TestApp::sqlite().await).await
    }

    #[actix_web::test]
    async fn postgres() {
        super::captured();
        if let Some(app) = super::TestApp::postgres().await {
            super::no_private_key_in_responses_or_logs(app).await
        }
    }
}

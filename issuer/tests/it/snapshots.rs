//! Snapshots of what the issuer issues, read back through its HTTP API: an
//! award's Data Integrity credential, a VC-JWT's header and payload, the
//! published Achievement, the organisation's Profile and DID document, and a
//! status list credential. What changes from run to run (ids, dates, salts,
//! hashes, keys, proof values) is redacted; everything else must stay byte for
//! byte what is committed under `snapshots/`.
//!
//! A missing or changed snapshot fails `cargo test` (insta writes a
//! `.snap.new` beside it locally, nothing under `CI=true`); review a change
//! with `cargo insta review`. The issuer issues no endorsements.

use base64::Engine as _;
use insta::internals::{Content, ContentPath};
use insta::{assert_json_snapshot, dynamic_redaction};
use issuer::users::Role;
use serde_json::{json, Value};

use crate::awards::local_path;
use crate::db_test;
use crate::support::{Auth, TestApp};

const SLUG: &str = "mediatheque";

/// Replaces the last path segment of a URL that varies between runs by
/// `[name]` (keeping an extension), or a whole `urn:uuid`, so the snapshot
/// still shows where the URL points.
fn shaped(name: &'static str) -> insta::internals::Redaction {
    dynamic_redaction(
        move |value: Content, _path: ContentPath<'_>| match value.as_str() {
            Some(text) => Content::from(last_segment(text, name)),
            None => value,
        },
    )
}

/// Replaces the fragment of a key reference (`<issuer id>#<key id>`) by
/// `[key id]`, keeping the issuer id.
fn key_reference() -> insta::internals::Redaction {
    dynamic_redaction(
        |value: Content, _path: ContentPath<'_>| match value.as_str() {
            Some(text) => match text.split_once('#') {
                Some((issuer, _)) => Content::from(format!("{issuer}#[key id]")),
                None => Content::from("[key id]"),
            },
            None => value,
        },
    )
}

/// A status entry's id: `<list URL>#<index>`.
fn status_entry() -> insta::internals::Redaction {
    dynamic_redaction(
        |value: Content, _path: ContentPath<'_>| match value.as_str() {
            Some(text) => {
                let list = text.split_once('#').map_or(text, |(list, _)| list);
                Content::from(format!("{}#[index]", last_segment(list, "list id")))
            }
            None => value,
        },
    )
}

fn last_segment(text: &str, name: &str) -> String {
    if text.starts_with("urn:uuid:") {
        return format!("urn:uuid:[{name}]");
    }
    match text.rsplit_once('/') {
        Some((prefix, last)) => {
            let extension = last.rsplit_once('.').map(|(_, e)| format!(".{e}"));
            format!("{prefix}/[{name}]{}", extension.unwrap_or_default())
        }
        None => format!("[{name}]"),
    }
}

/// The decoded part `index` of a compact JWS.
fn jws_part(jwt: &str, index: usize) -> Value {
    let part = jwt.split('.').nth(index).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// Redactions of an award's credential whose properties are under `at`
/// (`.`: the credential itself, and a VC-JWT payload, whose claims sit
/// beside the credential's properties).
fn credential_settings(at: &str) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    let redact =
        |settings: &mut insta::Settings, path: &str, redaction: insta::internals::Redaction| {
            settings.add_redaction(&format!("{at}{path}"), redaction);
        };
    redact(&mut settings, "id", shaped("credential token"));
    redact(&mut settings, "validFrom", "[date]".into());
    redact(&mut settings, "awardedDate", "[date]".into());
    redact(&mut settings, "credentialSubject.id", shaped("subject id"));
    redact(
        &mut settings,
        "credentialSubject.identifier[].salt",
        "[salt]".into(),
    );
    redact(
        &mut settings,
        "credentialSubject.identifier[].identityHash",
        dynamic_redaction(
            |value: Content, _path: ContentPath<'_>| match value.as_str() {
                Some(hash) if hash.starts_with("sha256$") => Content::from("sha256$[hash]"),
                _ => value,
            },
        ),
    );
    redact(
        &mut settings,
        "credentialSubject.achievement.id",
        shaped("version id"),
    );
    redact(
        &mut settings,
        "credentialSubject.achievement.image.id",
        shaped("image id"),
    );
    redact(&mut settings, "credentialStatus.id", status_entry());
    redact(
        &mut settings,
        "credentialStatus.statusListIndex",
        "[index]".into(),
    );
    redact(
        &mut settings,
        "credentialStatus.statusListCredential",
        shaped("list id"),
    );
    redact(&mut settings, "proof[].created", "[date]".into());
    redact(&mut settings, "proof[].proofValue", "[proof value]".into());
    redact(&mut settings, "proof[].verificationMethod", key_reference());
    settings
}

/// Redactions of a document publishing the organisation's keys (Profile,
/// DID document): key ids and key material.
fn key_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    for list in [".verificationMethod", ".publicKey"] {
        settings.add_redaction(&format!("{list}[].id"), key_reference());
        settings.add_redaction(&format!("{list}[].publicKeyMultibase"), "[public key]");
        settings.add_redaction(&format!("{list}[].publicKeyJwk.x"), "[public key]");
        settings.add_redaction(&format!("{list}[].publicKeyJwk.n"), "[public key]");
        settings.add_redaction(&format!("{list}[].publicKeyJwk.kid"), "[key id]");
    }
    for relation in [".assertionMethod", ".authentication"] {
        settings.add_redaction(&format!("{relation}[]"), key_reference());
    }
    settings
}

/// The document with its `verificationMethod` sorted by key type: the
/// issuer lists keys by their random ids, so their order varies between runs.
fn keys_in_type_order(mut document: Value) -> Value {
    if let Some(methods) = document["verificationMethod"].as_array_mut() {
        methods.sort_by_key(|method| method["type"].as_str().map(str::to_owned));
    }
    document
}

async fn facilitator(app: &TestApp) -> Auth {
    app.create_org(SLUG);
    let email = format!("fac@{SLUG}.fr");
    app.create_user(&email, SLUG, Role::Facilitator);
    let session = app.login(&email).await;
    app.token(&session).await
}

async fn issued_documents(app: TestApp) {
    let token = facilitator(&app).await;
    let upload = app
        .send(
            actix_web::test::TestRequest::post()
                .uri(&format!("/api/v1/orgs/{SLUG}/images"))
                .insert_header(("content-type", "image/png"))
                .insert_header((
                    "authorization",
                    match &token {
                        Auth::Token(t) => format!("Bearer {t}"),
                        _ => unreachable!(),
                    },
                ))
                .set_payload(crate::images::png_of(64, 64)),
        )
        .await;
    assert_eq!(upload.status, 201, "{}", upload.text());
    let image_id = upload.json()["id"].as_str().unwrap().to_owned();
    let created = app
        .post(
            &format!("/api/v1/orgs/{SLUG}/achievements"),
            &token,
            json!({
                "name": "Démarches en ligne",
                "description": "Faire ses démarches administratives en ligne",
                "criteria_narrative": "A suivi les trois séances de l'atelier",
                "achievement_type": "ext:AtelierNumerique",
                "tags": ["démarches", "France Services"],
                "image_id": image_id,
                "alignments": [{"framework": "digcomp-2.2", "code": "1.1"}]
            }),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let achievement = created.json();
    let achievement_id = achievement["id"].as_str().unwrap().to_owned();

    assert_json_snapshot!("achievement_view", achievement, {
        ".id" => "[achievement id]",
        ".version_id" => "[version id]",
        ".achievement.id" => shaped("version id"),
        ".achievement.image.id" => shaped("image id"),
    });
    let public = app
        .get(
            local_path(&app, achievement["achievement"]["id"].as_str().unwrap()),
            &Auth::None,
        )
        .await;
    assert_eq!(public.status, 200, "{}", public.text());
    assert_json_snapshot!("achievement_published", public.json(), {
        ".id" => shaped("version id"),
        ".image.id" => shaped("image id"),
    });

    // Data Integrity, with every optional part of the subject.
    let award = app
        .post(
            &format!("/api/v1/orgs/{SLUG}/awards"),
            &token,
            json!({
                "achievement_id": achievement_id,
                "recipient_name": "Marie-Hélène Dupont",
                "recipient_email": "marie@example.fr",
                "narrative": "Trois séances, une démarche faite seule",
                "evidence_url": "https://example.fr/preuve",
                "name_consent": true
            }),
        )
        .await;
    assert_eq!(award.status, 201, "{}", award.text());
    let credential = award.json()["credential"].clone();
    let stored = app
        .get(
            &format!(
                "{}.json",
                local_path(&app, credential["id"].as_str().unwrap())
            ),
            &Auth::None,
        )
        .await;
    assert_eq!(stored.body, serde_json::to_vec(&credential).unwrap());
    credential_settings(".").bind(|| {
        assert_json_snapshot!("credential_data_integrity", credential);
    });

    // VC-JWT.
    let award = app
        .post(
            &format!("/api/v1/orgs/{SLUG}/awards"),
            &token,
            json!({"achievement_id": achievement_id, "recipient_name": "Ali Ben", "format": "jwt"}),
        )
        .await;
    assert_eq!(award.status, 201, "{}", award.text());
    let jwt = award.json()["jwt"].as_str().unwrap().to_owned();
    assert_json_snapshot!("credential_jwt_header", jws_part(&jwt, 0), {
        ".kid" => key_reference(),
    });
    let mut settings = credential_settings(".");
    settings.add_redaction(".iat", "[time]");
    settings.add_redaction(".nbf", "[time]");
    settings.add_redaction(".jti", shaped("credential token"));
    settings.add_redaction(".sub", shaped("subject id"));
    settings.bind(|| assert_json_snapshot!("credential_jwt_payload", jws_part(&jwt, 1)));

    // The issuer's public documents.
    let profile = app.get(&format!("/orgs/{SLUG}"), &Auth::None).await;
    assert_eq!(profile.status, 200, "{}", profile.text());
    let profile = keys_in_type_order(profile.json());
    key_settings().bind(|| assert_json_snapshot!("profile", profile));
    let did = app
        .get(&format!("/orgs/{SLUG}/did.json"), &Auth::None)
        .await;
    assert_eq!(did.status, 200, "{}", did.text());
    let did = keys_in_type_order(did.json());
    key_settings().bind(|| assert_json_snapshot!("did_document", did));

    let list_url = credential["credentialStatus"]["statusListCredential"]
        .as_str()
        .unwrap()
        .to_owned();
    let list = app.get(local_path(&app, &list_url), &Auth::None).await;
    assert_eq!(list.status, 200, "{}", list.text());
    assert_json_snapshot!("status_list_credential", list.json(), {
        ".id" => shaped("list id"),
        ".validFrom" => "[date]",
        ".validUntil" => "[date]",
        ".credentialSubject.id" => status_entry(),
        ".proof[].created" => "[date]",
        ".proof[].proofValue" => "[proof value]",
        ".proof[].verificationMethod" => key_reference(),
    });
}
db_test!(issued_documents_snapshots, issued_documents);

/// The Profile published at its id with every field an organisation can
/// set, and a retired key beside the current ones: byte for byte the
/// compact serialisation of the snapshot's document, keys in their order.
async fn published_profile(app: TestApp) {
    app.create_org(SLUG);
    let email = format!("admin@{SLUG}.fr");
    app.create_user(&email, SLUG, Role::Admin);
    let admin = app.token(&app.login(&email).await).await;
    let patch = json!({
        "name": "Médiathèque de Lyon",
        "url": "https://mediatheque.example.org",
        "email": "contact@mediatheque.example.org",
        "description": "Ateliers numériques, le mardi",
        "image": "https://mediatheque.example.org/logo.png",
        "address": {
            "streetAddress": "1 rue de la République",
            "postalCode": "69001",
            "addressLocality": "Lyon",
            "addressCountry": "FR"
        }
    });
    let updated = app
        .request(
            actix_web::http::Method::PATCH,
            &format!("/api/v1/orgs/{SLUG}"),
            &admin,
            Some(patch),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.text());
    let rotated = app
        .post(
            &format!("/api/v1/orgs/{SLUG}/keys/rotate"),
            &admin,
            json!({"algorithm": "Ed25519"}),
        )
        .await;
    assert_eq!(rotated.status, 201, "{}", rotated.text());
    let profile = app.get(&format!("/orgs/{SLUG}"), &Auth::None).await;
    assert_eq!(profile.status, 200, "{}", profile.text());
    assert_eq!(
        profile.text(),
        serde_json::to_string(&profile.json()).unwrap(),
        "compact JSON, keys in the order the snapshot shows"
    );
    let profile = keys_in_type_order(profile.json());
    assert_eq!(profile["verificationMethod"].as_array().unwrap().len(), 3);
    key_settings().bind(|| assert_json_snapshot!("profile_every_field", profile));
}
db_test!(published_profile_snapshot, published_profile);

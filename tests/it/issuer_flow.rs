//! The issuer and the verifier end to end, over real HTTP: the issuer runs
//! on a port of its own (temporary SQLite database), awards an achievement as
//! Data Integrity and VC-JWT credentials, and the verifier's pipeline fetches
//! and checks them with its networked resolver: key bound to the issuer's
//! Profile, status list read; then after a revocation, and after the keys
//! are rotated.

use std::net::TcpListener;
use std::sync::mpsc;

use cross_tests::verifying::{self, describe_report, has_check, loopback_resolver};
use issuer::audit::Actor;
use issuer::awards::{self, AwardRequest, CredentialFormat, IssueContext};
use issuer::config::Config;
use issuer::ids::AwardId;
use issuer::org_keys::{self, KeyAlgorithm};
use issuer::orgs::{self, NewOrganisation, ProfileInput};
use issuer::state::AppState;
use issuer::users::{self, NewUser, Role};
use verifier::net::NetworkResolver;
use verifier::report::{Outcome, Report};

/// An issuer serving on 127.0.0.1 on a free port, stopped on drop.
struct RunningIssuer {
    state: AppState,
    handle: actix_web::dev::ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl RunningIssuer {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let config = Config::for_data_dir(dir.path())
            .with_bind(&format!("127.0.0.1:{port}"))
            .unwrap();
        let state = AppState::prepare(config).unwrap();
        let (sender, receiver) = mpsc::channel();
        let served = state.clone();
        // Its own thread and runtime: the verifier's HTTP client blocks.
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = actix_web::HttpServer::new(move || {
                    let state = served.clone();
                    actix_web::App::new().configure(move |cfg| issuer::app::configure(cfg, state))
                })
                .workers(2)
                .listen(listener)
                .unwrap()
                .run();
                sender.send(server.handle()).unwrap();
                server.await.unwrap();
            });
        });
        // The listener is bound already: connections wait in its backlog.
        let handle = receiver.recv().unwrap();
        Self {
            state,
            handle,
            thread: Some(thread),
            _dir: dir,
        }
    }
}

impl Drop for RunningIssuer {
    fn drop(&mut self) {
        actix_web::rt::System::new().block_on(self.handle.stop(true));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Verifies what `input` holds (a URL, JSON or a JWT) with a fresh networked
/// resolver (no cache carried between verifications).
fn verify(input: &str) -> Report {
    verify_with(&loopback_resolver(), input)
}

/// Verifies what `input` holds with `resolver` and whatever it has cached.
fn verify_with(resolver: &NetworkResolver, input: &str) -> Report {
    verifying::verify_with(resolver, input, Some("camille@example.fr")).unwrap()
}

fn passed(report: &Report, code: &str) -> bool {
    has_check(report, code, Outcome::Passed)
}

fn failed(report: &Report, code: &str) -> bool {
    has_check(report, code, Outcome::Failed)
}

fn describe(report: &Report) -> String {
    describe_report(report)
}

fn request(achievement_id: &str, format: CredentialFormat) -> AwardRequest {
    AwardRequest {
        achievement_id: achievement_id.to_owned(),
        recipient_name: "Camille Martin".to_owned(),
        recipient_email: Some("camille@example.fr".to_owned()),
        name_consent: true,
        narrative: Some("A suivi les trois séances".to_owned()),
        evidence_url: None,
        format,
        idempotency_key: None,
        recipient_language: Default::default(),
    }
}

#[test]
fn issued_credentials_verify_until_revoked_and_survive_key_rotation() {
    let issuer = RunningIssuer::start();
    let state = &issuer.state;
    let base = state.base();
    let (org, user_id, achievement_id) = state
        .db
        .run_blocking(|conn| {
            let org = orgs::create(
                conn,
                &state.master_key,
                NewOrganisation {
                    slug: "demo".into(),
                    profile: ProfileInput {
                        name: Some("Espace numérique de démonstration".into()),
                        url: Some("https://demo.example.fr".into()),
                        ..ProfileInput::default()
                    },
                },
                issuer::audit::CLI_ACTOR,
            )?;
            let user = users::create(
                conn,
                NewUser {
                    email: "mediatrice@demo.fr".into(),
                    display_name: "Médiatrice".into(),
                    password: "correct horse battery staple".to_owned().into(),
                },
            )?;
            users::set_membership(conn, &user.id, &org.id, Role::Facilitator)?;
            let input = serde_json::from_value(serde_json::json!({
                "name": "Démarches en ligne",
                "description": "Faire ses démarches administratives en ligne",
                "criteria_narrative": "A suivi les trois séances de l'atelier",
                "alignments": [{"framework": "digcomp-2.2", "code": "1.1"}],
            }))
            .unwrap();
            let version =
                issuer::achievements::create(conn, &org.id, input, Actor::user(&user.id))?;
            Ok::<_, issuer::error::ApiError>((org, user.id, version.achievement_id))
        })
        .unwrap();

    let award = |format| {
        state
            .db
            .run_blocking(|conn| {
                let ctx = IssueContext::new(base.clone(), &state.master_key);
                awards::award(
                    conn,
                    &ctx,
                    &org,
                    request(&achievement_id, format),
                    Actor::user(&user_id),
                )
            })
            .unwrap()
    };
    let di = award(CredentialFormat::Di);
    let jwt = award(CredentialFormat::Jwt);
    let di_url = awards::credential_url(&base, &di.public_token);
    let jwt_url = awards::credential_url(&base, &jwt.public_token);

    // Fetched by their id over HTTP, both verify with keys bound to the DID
    // (its document fetched over plain http on loopback, as `./run` allows).
    for url in [&di_url, &jwt_url] {
        let report = verify(url);
        assert!(report.verified, "{url}:\n{}", describe(&report));
        assert!(passed(&report, "issuer.key_bound"), "{}", describe(&report));
        assert!(
            passed(&report, "status.not_revoked"),
            "{}",
            describe(&report)
        );
        assert!(passed(&report, "schema.valid"), "{}", describe(&report));
        assert_eq!(
            report.credential.issuer_id.as_deref(),
            Some(orgs::did(&base, &"demo".into()).as_str())
        );
    }

    // A verifier that keeps its cache between verifications (the service):
    // the profile is cached, the status list (no-cache, with an ETag) is
    // revalidated each time, so the revocation below shows at once.
    let long_lived = loopback_resolver();
    let di_json = format!("{di_url}.json");
    for _ in 0..2 {
        let report = verify_with(&long_lived, &di_json);
        assert!(report.verified, "{}", describe(&report));
    }

    // Revoked: the id answers 410, the documents as issued report the revocation.
    state
        .db
        .run_blocking(|conn| {
            let ctx = IssueContext::new(base.clone(), &state.master_key);
            awards::revoke(
                conn,
                &ctx,
                &org,
                &AwardId::from(di.id.as_str()),
                "Décerné par erreur",
                Actor::user(&user_id),
            )
        })
        .unwrap();
    for report in [verify(&di_json), verify_with(&long_lived, &di_json)] {
        assert!(!report.verified);
        assert!(report.authentic, "still genuine: {}", describe(&report));
        assert!(failed(&report, "status.revoked"), "{}", describe(&report));
    }
    assert!(
        verify_bytes_fails(&di_url),
        "the id of a revoked credential is gone"
    );
    assert!(
        verify(&format!("{jwt_url}.jwt")).verified,
        "the other award is untouched"
    );

    // Keys rotated: earlier credentials keep verifying, new ones use the new keys.
    state
        .db
        .run_blocking(|conn| {
            for algorithm in KeyAlgorithm::ALL {
                let key = org_keys::generate(&state.master_key, &org.id, algorithm)?;
                org_keys::rotate(conn, &key)?;
            }
            Ok::<_, issuer::error::ApiError>(())
        })
        .unwrap();
    let report = verify(&jwt_url);
    assert!(
        report.verified,
        "old VC-JWT after rotation:\n{}",
        describe(&report)
    );
    let report = verify(&format!("{di_url}.json"));
    assert!(
        report.authentic,
        "old DI after rotation:\n{}",
        describe(&report)
    );
    assert!(failed(&report, "status.revoked"), "{}", describe(&report));
    let fresh = award(CredentialFormat::Di);
    assert_ne!(fresh.credential, di.credential);
    let report = verify(&awards::credential_url(&base, &fresh.public_token));
    assert!(report.verified, "new key:\n{}", describe(&report));
}

/// Whether verifying `url` cannot even start (the document is not served).
fn verify_bytes_fails(url: &str) -> bool {
    verifying::verify_with(&loopback_resolver(), url, None).is_err()
}

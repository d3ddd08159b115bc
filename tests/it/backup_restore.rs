//! Backup and restore with the real command lines, checked by the verifier:
//! `issuer serve` runs on a port, `issuer backup` copies it while it serves,
//! the installation is lost, `issuer restore` rebuilds it on a fresh data
//! directory (and a fresh PostgreSQL database when `ISSUER_TEST_POSTGRES_URL`
//! is set), `issuer serve` starts again at the same address, and every badge
//! issued before verifies with the verifier's networked pipeline (its
//! did:web DID document fetched from the restored issuer); the one revoked
//! before stays revoked, a new award verifies under the same DID, and a
//! revocation after the restore shows.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use cross_tests::verifying::{describe_report, has_check, loopback_resolver, verify_with};
use cross_tests::{binary, describe as describe_output, free_port, Served};
use issuer::awards::{self, AwardRequest, CredentialFormat, IssueContext};
use issuer::config::Config;
use issuer::ids::AwardId;
use issuer::orgs::{self, NewOrganisation, ProfileInput};
use issuer::state::AppState;
use secrecy::SecretString;
use verifier::report::{Outcome, Report};

#[path = "../../issuer/tests/it/postgres.rs"]
mod postgres;
use postgres::PgDatabase;

/// One installation: a data directory, and a PostgreSQL database or not.
struct Installation {
    dir: tempfile::TempDir,
    pg: Option<PgDatabase>,
    base: String,
}

impl Installation {
    fn new(base: &str, postgres: bool) -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            pg: postgres.then(|| PgDatabase::create().expect("PostgreSQL")),
            base: base.to_owned(),
        }
    }

    fn data_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("data")
    }

    /// The environment `issuer` runs with here.
    fn env(&self) -> Vec<(&'static str, String)> {
        let mut env = vec![
            ("ISSUER_DATA_DIR", self.data_dir().display().to_string()),
            ("ISSUER_PUBLIC_URL", self.base.clone()),
            (
                "ISSUER_BIND",
                self.base.trim_start_matches("http://").to_owned(),
            ),
        ];
        if let Some(pg) = &self.pg {
            env.push(("ISSUER_DATABASE_URL", pg.url.clone()));
        }
        env
    }

    fn config(&self) -> Config {
        let mut config = Config::for_data_dir(self.data_dir());
        config.public_url = Some(url::Url::parse(&self.base).unwrap());
        config.database_url = self
            .pg
            .as_ref()
            .map(|pg| SecretString::from(pg.url.clone()));
        config
    }

    /// Runs `issuer` with `args` here.
    fn issuer(&self, args: &[&str]) -> Output {
        let mut command = Command::new(binary("issuer"));
        command.args(args).stdin(Stdio::null());
        for (key, _) in std::env::vars() {
            if key.starts_with("ISSUER_") {
                command.env_remove(key);
            }
        }
        for (key, value) in self.env() {
            command.env(key, value);
        }
        command.output().expect("issuer runs")
    }

    fn serve(&self, log: &Path) -> Served {
        let env = self.env();
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        Served::start("issuer", &self.base, &["serve"], &env, log)
    }
}

fn verify(input: &str) -> Report {
    verify_with(&loopback_resolver(), input, None).unwrap()
}

fn checked(report: &Report, code: &str, outcome: Outcome) -> bool {
    has_check(report, code, outcome)
}

fn describe(report: &Report) -> String {
    describe_report(report)
}

fn request(achievement_id: &str, name: &str, format: CredentialFormat) -> AwardRequest {
    AwardRequest {
        achievement_id: achievement_id.to_owned(),
        recipient_name: name.to_owned(),
        recipient_email: None,
        name_consent: false,
        narrative: None,
        evidence_url: None,
        format,
        idempotency_key: None,
        recipient_language: Default::default(),
    }
}

/// What a badge is, for the verifier: its JWT, or its JSON.
fn presented(award: &awards::Award) -> String {
    award
        .credential_jwt
        .clone()
        .unwrap_or_else(|| award.credential.clone())
}

/// The organisation, its achievement and three badges (Data Integrity and
/// VC-JWT, before and after a key rotation), one of them revoked.
fn populate(config: Config) -> (String, Vec<awards::Award>, awards::Award) {
    let state = AppState::prepare(config).unwrap();
    state
        .db
        .run_blocking(|conn| {
            let org = orgs::create(
                conn,
                &state.master_key,
                NewOrganisation {
                    slug: "centre".into(),
                    profile: ProfileInput {
                        name: Some("Centre social".into()),
                        ..ProfileInput::default()
                    },
                },
                issuer::audit::CLI_ACTOR,
            )?;
            let input = serde_json::from_value(serde_json::json!({
                "name": "Démarches en ligne",
                "description": "Faire ses démarches en ligne",
                "criteria_narrative": "Trois séances",
            }))
            .unwrap();
            let version =
                issuer::achievements::create(conn, &org.id, input, issuer::audit::CLI_ACTOR)?;
            let ctx = IssueContext::new(state.base(), &state.master_key);
            let mut issued = Vec::new();
            for (name, format) in [("Awa", CredentialFormat::Di), ("Jo", CredentialFormat::Jwt)] {
                let request = request(&version.achievement_id, name, format);
                issued.push(awards::award(
                    conn,
                    &ctx,
                    &org,
                    request,
                    issuer::audit::CLI_ACTOR,
                )?);
            }
            for algorithm in [
                issuer::org_keys::KeyAlgorithm::Ed25519,
                issuer::org_keys::KeyAlgorithm::Rs256,
            ] {
                issuer::org_keys::rotate_recorded(
                    conn,
                    &state.master_key,
                    &org.id,
                    algorithm,
                    issuer::audit::CLI_ACTOR,
                )?;
            }
            let request = request(&version.achievement_id, "Léa", CredentialFormat::Di);
            issued.push(awards::award(
                conn,
                &ctx,
                &org,
                request,
                issuer::audit::CLI_ACTOR,
            )?);
            let request = request_revoked(&version.achievement_id);
            let revoked = awards::award(conn, &ctx, &org, request, issuer::audit::CLI_ACTOR)?;
            let revoked_id = AwardId::from(revoked.id.as_str());
            awards::revoke(
                conn,
                &ctx,
                &org,
                &revoked_id,
                "Délivré par erreur",
                issuer::audit::CLI_ACTOR,
            )?;
            Ok::<_, issuer::error::ApiError>((version.achievement_id, issued, revoked))
        })
        .unwrap()
}

fn request_revoked(achievement_id: &str) -> AwardRequest {
    request(achievement_id, "Sam", CredentialFormat::Di)
}

fn round_trip(postgres: bool) {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let logs = tempfile::tempdir().unwrap();
    let first = Installation::new(&base, postgres);
    let (achievement_id, issued, revoked) = populate(first.config());
    let served = first.serve(&logs.path().join("first.log"));
    for award in &issued {
        let report = verify(&presented(award));
        assert!(report.verified, "before: {}", describe(&report));
    }
    // A backup while the service runs.
    let file = logs.path().join("centre.backup");
    let file_arg = file.display().to_string();
    let output = first.issuer(&["backup", "--out", &file_arg]);
    assert!(output.status.success(), "{}", describe_output(&output));
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        said.contains("The master key is NOT in this file"),
        "{said}"
    );
    drop(served);

    // The installation is lost; its master key was kept apart.
    let second = Installation::new(&base, postgres);
    std::fs::create_dir_all(second.data_dir()).unwrap();
    std::fs::copy(
        first.data_dir().join("master.key"),
        second.data_dir().join("master.key"),
    )
    .unwrap();
    drop(first);
    let output = second.issuer(&["restore", "--from", &file_arg]);
    assert!(output.status.success(), "{}", describe_output(&output));
    assert!(!String::from_utf8_lossy(&output.stdout).contains("WARNING"));
    let _served = second.serve(&logs.path().join("second.log"));

    for award in &issued {
        let report = verify(&presented(award));
        assert!(report.verified, "after the restore: {}", describe(&report));
        assert!(checked(&report, "status.not_revoked", Outcome::Passed));
    }
    let report = verify(&presented(&revoked));
    assert!(!report.verified);
    assert!(
        checked(&report, "status.revoked", Outcome::Failed),
        "{}",
        describe(&report)
    );

    // Life goes on: a new award under the same DID, a revocation that shows.
    let state = AppState::prepare(second.config()).unwrap();
    let (new, withdrawn) = state
        .db
        .run_blocking(|conn| {
            let org = orgs::by_slug(conn, "centre")?;
            let ctx = IssueContext::new(state.base(), &state.master_key);
            let new = awards::award(
                conn,
                &ctx,
                &org,
                request(&achievement_id, "Nina", CredentialFormat::Di),
                issuer::audit::CLI_ACTOR,
            )?;
            let first = AwardId::from(issued[0].id.as_str());
            let withdrawn =
                awards::revoke(conn, &ctx, &org, &first, "Erreur", issuer::audit::CLI_ACTOR)?;
            Ok::<_, issuer::error::ApiError>((new, withdrawn))
        })
        .unwrap();
    let new_json: serde_json::Value = serde_json::from_str(&new.credential).unwrap();
    let old_json: serde_json::Value = serde_json::from_str(&issued[0].credential).unwrap();
    assert_eq!(new_json["issuer"]["id"], old_json["issuer"]["id"]);
    let report = verify(&presented(&new));
    assert!(report.verified, "new award: {}", describe(&report));
    let report = verify(&presented(&issued[0]));
    assert!(
        checked(&report, "status.revoked", Outcome::Failed),
        "{} revoked after the restore: {}",
        withdrawn.id,
        describe(&report)
    );
}

#[test]
fn backup_and_restore_keep_every_badge_verifiable_on_sqlite() {
    round_trip(false);
}

#[test]
fn backup_and_restore_keep_every_badge_verifiable_on_postgres() {
    if postgres::admin_url(postgres::POSTGRES_ENV).is_none() {
        println!("skipped: ISSUER_TEST_POSTGRES_URL not set");
        return;
    }
    round_trip(true);
}

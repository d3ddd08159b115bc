//! Badges from our issuer, checked by other implementations, live.
//!
//! The real `issuer serve` (demo organisation, SQLite, keys made at first
//! start) awards through its API a Data Integrity and a VC-JWT badge; each is
//! fetched as a beneficiary gets it (`.json`, `.jwt`) and baked by the real
//! `verifier serve` into PNG and SVG (the badge page's download link, and a
//! posted VC-JWT). Every file then goes to two peers, which resolve every
//! document live from the running issuer over HTTP (`tests/interop`):
//!
//! - DCC's `@digitalcredentials/verifier-core`, the engine of VerifierPlus and
//!   of the Learner Credential Wallet (Data Integrity only: it has no VC-JWT);
//! - Digital Bazaar's `@digitalbazaar/vc` with `did-method-web` and
//!   `vc-bitstring-status-list` (the status list's own proof checked), with
//!   `jose` for the VC-JWT signature.
//!
//! The did:web DID of a local issuer names `https://127.0.0.1:PORT`; the
//! peers are told to ask the same URLs over plain http (`--rewrite`), the one
//! test-only change: nothing is pinned. Then the same after a key rotation
//! (old and new badges), then after a revocation (both peers say revoked),
//! and the official 1EdTech JSON Schema, checked by an independent validator
//! (ajv) on what was issued.

use std::path::{Path, PathBuf};

use cross_tests::{demo_login, describe, free_port, http_get, http_post, peer, IssuerApi, Served};
use serde_json::{json, Value};

/// The running issuer and verifier, and where the badge files are written.
struct Setup {
    issuer: Served,
    verifier: Served,
    api: IssuerApi,
    achievement: String,
    dir: tempfile::TempDir,
}

impl Setup {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("issuer");
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let bind = format!("127.0.0.1:{port}");
        let issuer = Served::start(
            "issuer",
            &base,
            &["serve", "--demo", "--bind", &bind],
            &[
                ("ISSUER_DATA_DIR", data.to_str().unwrap()),
                ("ISSUER_PUBLIC_URL", &base),
            ],
            &dir.path().join("issuer.log"),
        );
        let verifier_port = free_port();
        let verifier_bind = format!("127.0.0.1:{verifier_port}");
        let verifier = Served::start(
            "verifier",
            &format!("http://{verifier_bind}"),
            &["serve", "--allow-private", "--bind", &verifier_bind],
            &[],
            &dir.path().join("verifier.log"),
        );
        let (email, password) = demo_login(&data);
        let api = IssuerApi::login(&base, &email, &password);
        let (status, badges) = api.get("/api/v1/orgs/demo/achievements");
        assert_eq!(status, 200, "{badges}");
        let achievement = badges[0]["id"].as_str().unwrap().to_owned();
        Setup {
            issuer,
            verifier,
            api,
            achievement,
            dir,
        }
    }

    /// Awards the demo badge in `format` (`di` or `jwt`): the award view.
    fn award(&self, format: &str, name: &str) -> Value {
        let (status, view) = self.api.post(
            "/api/v1/orgs/demo/awards",
            &json!({"achievement_id": self.achievement, "recipient_name": name, "format": format}),
        );
        assert_eq!(status, 201, "{view}");
        view
    }

    /// Every form a beneficiary holds of an award, as files named after
    /// `label`: the credential fetched from its page (`.json`, and `.jwt` for
    /// a VC-JWT award), and the PNG and SVG the verifier bakes from the badge
    /// page's link (and, for a VC-JWT, from the posted token).
    fn badge_files(&self, label: &str, view: &Value) -> Vec<PathBuf> {
        let url = view["credential_url"].as_str().unwrap();
        let mut files = Vec::new();
        if view["format"] == "jwt" {
            let (status, token) = http_get(&format!("{url}.jwt"), &[]);
            assert_eq!(status, 200);
            files.push(self.write(&format!("{label}.jwt"), &token));
            for format in ["png", "svg"] {
                let (status, baked) = http_post(
                    &format!("{}/bake?format={format}", self.verifier.base),
                    &[("content-type", "application/jwt")],
                    &token,
                );
                assert_eq!(status, 200, "{}", String::from_utf8_lossy(&baked));
                files.push(self.write(&format!("{label}-posted.{format}"), &baked));
            }
        } else {
            let (status, json) = http_get(&format!("{url}.json"), &[]);
            assert_eq!(status, 200);
            files.push(self.write(&format!("{label}.json"), &json));
        }
        for format in ["png", "svg"] {
            let link = format!(
                "{}/bake?format={format}&url={}",
                self.verifier.base,
                percent(url)
            );
            let (status, baked) = http_get(&link, &[]);
            assert_eq!(
                status,
                200,
                "{}\n{}",
                String::from_utf8_lossy(&baked),
                self.verifier.log()
            );
            files.push(self.write(&format!("{label}-link.{format}"), &baked));
        }
        files
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// Runs a peer on `files`: one verdict per file.
    fn peer(&self, which: &str, files: &[PathBuf]) -> Vec<Value> {
        let https = self.issuer.base.replacen("http://", "https://", 1);
        let rewrite = format!("{https}={}", self.issuer.base);
        let mut args = vec!["verify-live", which, "--rewrite", &rewrite];
        let paths: Vec<&str> = files.iter().map(|f| f.to_str().unwrap()).collect();
        args.extend(paths);
        let output = peer(&args);
        let verdicts: Vec<Value> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect();
        assert_eq!(verdicts.len(), files.len(), "{}", describe(&output));
        verdicts
    }

    /// Our own verifier service's report on a file, posted as it is.
    fn ours(&self, file: &Path) -> Value {
        let (status, body) = http_post(
            &format!("{}/verify", self.verifier.base),
            &[("accept", "application/json")],
            &std::fs::read(file).unwrap(),
        );
        assert_eq!(status, 200);
        serde_json::from_slice(&body).unwrap()
    }
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn name(file: &Path) -> String {
    file.file_name().unwrap().to_string_lossy().into_owned()
}

/// Whether the file comes from a VC-JWT award (its files are named `jwt*`
/// and `new-jwt*`).
fn from_jwt_award(file: &Path) -> bool {
    let name = name(file);
    name.starts_with("jwt") || name.starts_with("new-jwt")
}

/// Both peers (DCC on what it supports) and our verifier accept every file
/// as verified and not revoked.
fn all_verify(setup: &Setup, files: &[PathBuf]) {
    for verdict in setup.peer("db", files) {
        assert_eq!(verdict["verified"], true, "Digital Bazaar: {verdict:#}");
        assert_eq!(verdict["revoked"], false, "Digital Bazaar: {verdict:#}");
    }
    for (file, verdict) in files.iter().zip(setup.peer("dcc", files)) {
        if from_jwt_award(file) && verdict["details"]["unsupported"] == "VC-JWT" {
            // verifier-core verifies Data Integrity only (docs/INTEROPERABILITY.md).
            continue;
        }
        assert_eq!(verdict["verified"], true, "DCC {}: {verdict:#}", name(file));
        assert_eq!(verdict["revoked"], false, "DCC {}: {verdict:#}", name(file));
    }
    for file in files {
        let report = setup.ours(file);
        assert_eq!(report["verified"], true, "ours {}: {report:#}", name(file));
    }
}

#[test]
fn our_badges_verify_live_in_dcc_and_digital_bazaar_through_rotation_and_revocation() {
    let setup = Setup::start();
    let di = setup.award("di", "Camille Martin");
    let jwt = setup.award("jwt", "Samir Benali");
    let mut old = setup.badge_files("di", &di);
    old.extend(setup.badge_files("jwt", &jwt));
    assert_eq!(
        old.len(),
        8,
        "json and 2 images; jwt, 2 posted and 2 by link"
    );
    // DCC does take the Data Integrity forms: it is not skipped wholesale.
    let dcc = setup.peer("dcc", &old);
    let dcc_verified = dcc.iter().filter(|v| v["verified"] == true).count();
    assert!(dcc_verified >= 3, "{dcc:#?}");
    all_verify(&setup, &old);

    // The official JSON Schema, with an independent validator, on the
    // credential as issued and on the VC-JWT payload.
    let schema = cross_tests::workspace_root()
        .join("schemas/data/schemas/ob_v3p0_achievementcredential.schema.json");
    let mut args = vec!["validate-schema", schema.to_str().unwrap()];
    args.extend(old[..1].iter().map(|f| f.to_str().unwrap()));
    let jwt_file = old.iter().find(|f| name(f) == "jwt.jwt").unwrap();
    args.push(jwt_file.to_str().unwrap());
    let output = peer(&args);
    assert!(output.status.success(), "{}", describe(&output));

    // Keys rotated: old badges keep verifying, new ones are signed with the
    // new keys, and both peers accept both.
    for algorithm in ["Ed25519", "RS256"] {
        let (status, body) = setup.api.post(
            "/api/v1/orgs/demo/keys/rotate",
            &json!({"algorithm": algorithm}),
        );
        assert_eq!(status, 201, "{body}");
    }
    let new_di = setup.award("di", "Louise Petit");
    let new_jwt = setup.award("jwt", "Yanis Morel");
    let mut new = setup.badge_files("new-di", &new_di);
    new.extend(setup.badge_files("new-jwt", &new_jwt));
    let method = |view: &Value| view["credential"]["proof"][0]["verificationMethod"].clone();
    assert_ne!(method(&di), method(&new_di), "signed with the new key");
    let mut both = old.clone();
    both.extend(new);
    all_verify(&setup, &both);

    // Revoked: both peers see it, from the status list they fetch live.
    for view in [&di, &jwt] {
        let path = format!(
            "/api/v1/orgs/demo/awards/{}/revoke",
            view["id"].as_str().unwrap()
        );
        let (status, body) = setup
            .api
            .post(&path, &json!({"reason": "Décerné par erreur"}));
        assert_eq!(status, 200, "{body}");
    }
    for verdict in setup.peer("db", &old) {
        assert_eq!(verdict["verified"], false, "Digital Bazaar: {verdict:#}");
        assert_eq!(verdict["revoked"], true, "Digital Bazaar: {verdict:#}");
    }
    let data_integrity: Vec<PathBuf> = old.iter().filter(|f| !from_jwt_award(f)).cloned().collect();
    for verdict in setup.peer("dcc", &data_integrity) {
        assert_eq!(verdict["verified"], false, "DCC: {verdict:#}");
        assert_eq!(verdict["revoked"], true, "DCC: {verdict:#}");
    }
    for file in &old {
        let report = setup.ours(file);
        assert_eq!(report["verified"], false, "ours {}: {report:#}", name(file));
    }
}

//! Badges issued by other implementations (`tests/fixtures/third-party`,
//! sources in its `SOURCES.md`) get their issuer's own verdict: the Digital
//! Credentials Consortium's test fixtures (what DCC's verifier-core says of
//! each is in the file's name: `revokedStatus`, `validStatus`, `expired`,
//! `tampered`...) and the 1EdTech validator's fixtures (its test-suite's
//! assertions). Each row says what we conclude and which warning or failure
//! must be among the checks; docs/VERIFICATION-POLICY.md says why.
//!
//! The documents the badges name (DID documents, status lists) are served
//! from the copies under the URL the badge names: nothing is fetched.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use keys::OfflineResolver;
use serde_json::Value;
use verifier::pipeline::{verify_bytes, VerifyOptions};
use verifier::report::{Outcome, Report};

/// The DCC fixtures' repository, as copied.
const DCC: &str = "dcc-vc-test-fixtures";

/// Where DCC publishes its fixtures' status lists.
const DCC_LISTS: &str =
    "https://digitalcredentials.github.io/vc-test-fixtures/statusLists/didkey-ed25519Signature2020";

/// The status list of DCC's verifier-core, which some fixtures name.
const VERIFIER_CORE_LIST: &str = "https://raw.githubusercontent.com/digitalcredentials/verifier-core/refs/heads/main/src/test-fixtures/status/e5WK8CbZ1GjycuPombrj";

pub fn third_party(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/third-party")
        .join(relative)
}

fn json(relative: &str) -> Value {
    let text = std::fs::read_to_string(third_party(relative)).expect("fixture readable");
    serde_json::from_str(&text).expect("fixture is JSON")
}

/// Every document the third-party badges name, under the id they use.
pub fn resolver() -> OfflineResolver {
    let mut resolver = OfflineResolver::new();
    for did in ["legacy", "oidf"] {
        resolver.insert(
            format!("did:web:digitalcredentials.github.io:vc-test-fixtures:dids:{did}"),
            json(&format!("{DCC}/dids/{did}/did.json")),
        );
    }
    for list in ["e5WK8CbZ1GjycuPombrj", "tampered"] {
        resolver.insert(
            format!("{DCC_LISTS}/{list}"),
            json(&format!(
                "{DCC}/statusLists/didkey-ed25519Signature2020/{list}"
            )),
        );
    }
    resolver.insert(
        VERIFIER_CORE_LIST,
        json("dcc-verifier-core/src/test-fixtures/status/e5WK8CbZ1GjycuPombrj"),
    );
    resolver
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-06-01T00:00:00Z")
        .expect("date")
        .with_timezone(&Utc)
}

pub fn verify_with(path: &str, resolver: &OfflineResolver, recipient: Option<&str>) -> Report {
    let bytes = std::fs::read(third_party(path)).expect("fixture readable");
    let options = VerifyOptions {
        now: now(),
        resolver,
        recipient,
    };
    verify_bytes(&bytes, &options).unwrap_or_else(|e| panic!("{path}: could not run: {e}"))
}

fn codes(report: &Report, outcome: Outcome) -> Vec<&'static str> {
    report
        .checks
        .iter()
        .filter(|c| c.outcome == outcome)
        .map(|c| c.code)
        .collect()
}

/// What we conclude of one fixture.
struct Expected {
    file: &'static str,
    verified: bool,
    authentic: bool,
    /// Codes that must be among the warnings.
    warnings: &'static [&'static str],
    /// Codes that must be among the failures (and, when verified, none fails).
    failures: &'static [&'static str],
}

const fn row(
    file: &'static str,
    verified: bool,
    authentic: bool,
    warnings: &'static [&'static str],
    failures: &'static [&'static str],
) -> Expected {
    Expected {
        file,
        verified,
        authentic,
        warnings,
        failures,
    }
}

const SUBJECT: &str = "schema.subject_unidentified";
const IMAGE: &str = "schema.image_as_url";
const TYPE: &str = "schema.achievement_type_unlisted";

/// Class 1 and 2: DCC issues subjects with a name only, issuer images as
/// URLs and achievement types of its own; DCC's verifier and 1EdTech's
/// validator accept them. Authentic, verified, with warnings; dates,
/// signatures and status still fail.
const SCHEMA_TOLERANCES: &[Expected] = &[
    row(
        "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/oidf-noStatus-notExpired-complexIssuer.json",
        true, true, &[SUBJECT], &[],
    ),
    row(
        "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didweb/oidf-noStatus-notExpired.json",
        true, true, &[SUBJECT], &[],
    ),
    row(
        "dcc-vc-test-fixtures/verifiableCredentials/v1/dataIntegrityProof/didKey/legacy-noStatus-noExpiry.json",
        true, true, &[SUBJECT, IMAGE], &[],
    ),
    row(
        "dcc-vc-test-fixtures/verifiableCredentials/v1/ed25519/didWeb/oidf-noStatus-noExpiry.json",
        true, true, &[SUBJECT, IMAGE, "proof.legacy_cryptosuite"], &[],
    ),
    row(
        "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-credName.json",
        true, true, &[SUBJECT, TYPE], &[],
    ),
    row(
        "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-identityHash.json",
        true, true, &[TYPE], &[],
    ),
    // Tolerating the shape tolerates nothing else.
    row(
        "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/oidf-noStatus-notExpired-notYetValid.json",
        false, true, &[SUBJECT], &["validity.not_yet_valid"],
    ),
    row(
        "dcc-vc-test-fixtures/verifiableCredentials/v2/ed25519/didKey/legacy-noStatus-noExpiry-tampered.json",
        false, false, &[], &["proof.signature_invalid"],
    ),
];

const OTHER_SIGNER: &str = "status.list_other_issuer";

/// Class 3: DCC's credentials name a status list that another identity of
/// DCC signed (Bitstring Status List §2.2: "the issuers MAY differ"). The
/// list is read, its own proof checked, the bit applied, and a warning names
/// its signer. A list whose proof fails is still unreadable.
const STATUS_LISTS: &[Expected] = &[
    row(
        "dcc-vc-test-fixtures/verifiableCredentials/v1/dataIntegrityProof/didWeb/legacy-validStatus-noExpiry.json",
        true, true, &[SUBJECT, OTHER_SIGNER], &[],
    ),
    row(
        "dcc-vc-test-fixtures/verifiableCredentials/v1/dataIntegrityProof/didWeb/legacy-revokedStatus-noExpiry.json",
        false, true, &[SUBJECT, OTHER_SIGNER], &["status.revoked"],
    ),
    row(
        "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/noRegsitry-revokedStatus-notExpired.json",
        false, true, &[SUBJECT, OTHER_SIGNER], &["status.revoked"],
    ),
    row(
        "dcc-vc-test-fixtures/verifiableCredentials/v2/ed25519/didKey/legacy-tamperedStatus-noExpiry.json",
        false, true, &[], &["status.unavailable"],
    ),
];

#[test]
fn a_status_list_signed_by_another_identity_is_read_with_a_warning() {
    let resolver = resolver();
    check_rows(STATUS_LISTS, &resolver);
    let file = STATUS_LISTS[0].file;
    let report = verify_with(file, &resolver, None);
    assert_eq!(
        report.find("status.not_revoked").map(|c| c.outcome),
        Some(Outcome::Passed)
    );
    let warning = report.find(OTHER_SIGNER).expect("warning");
    assert!(
        warning
            .message
            .contains("did:key:z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q"),
        "{}",
        warning.message
    );
    // The tampered list says nothing, and no one is named as its signer.
    let report = verify_with(STATUS_LISTS[3].file, &resolver, None);
    assert!(report.find(OTHER_SIGNER).is_none());
    // A list that is not there is unavailable, never "not revoked".
    let report = verify_with(file, &OfflineResolver::new(), None);
    assert!(report.find("status.not_revoked").is_none());
}

fn check_rows(rows: &[Expected], resolver: &OfflineResolver) {
    let mut wrong = Vec::new();
    for expected in rows {
        let report = verify_with(expected.file, resolver, None);
        let warnings = codes(&report, Outcome::Warning);
        let failures = codes(&report, Outcome::Failed);
        let ok = report.verified == expected.verified
            && report.authentic == expected.authentic
            && expected.warnings.iter().all(|c| warnings.contains(c))
            && expected.failures.iter().all(|c| failures.contains(c))
            && (!expected.verified || failures.is_empty());
        if !ok {
            wrong.push(format!(
                "{}: verified {}, authentic {}, failed {failures:?}, warnings {warnings:?}",
                expected.file, report.verified, report.authentic
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn tolerated_shapes_verify_with_a_warning() {
    check_rows(SCHEMA_TOLERANCES, &resolver());
}

#[test]
fn a_subject_without_identity_is_never_matched_to_a_holder() {
    let resolver = resolver();
    let file = "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/oidf-noStatus-notExpired-complexIssuer.json";
    // The subject carries a name, which proves nothing: it cannot be matched.
    let name = json(file)["credentialSubject"]["name"]
        .as_str()
        .expect("a name")
        .to_owned();
    let report = verify_with(file, &resolver, Some(&name));
    assert!(report.authentic);
    assert!(report.find("recipient.match").is_none(), "{report:#?}");
    let check = report.find("recipient.unidentified").expect("unidentified");
    assert_eq!(check.outcome, Outcome::Failed);
    // A subject identified by a name in clear is matched.
    let file = "dcc-vc-test-fixtures/verifiableCredentials/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-identityHash.json";
    let report = verify_with(file, &resolver, Some("Parker Pearl"));
    assert!(report.verified, "{report:#?}");
    assert!(report.find("recipient.match").is_some());
    let report = verify_with(file, &resolver, Some("Sam Salmon"));
    assert!(report.find("recipient.mismatch").is_some());
}

#[test]
fn our_issuer_is_still_held_to_the_strict_schema() {
    let file = "dcc-vc-test-fixtures/verifiableCredentials/v1/dataIntegrityProof/didKey/legacy-noStatus-noExpiry.json";
    let credential = json(file);
    let error = schemas::validate_credential(&credential).expect_err("strict");
    let paths: Vec<&str> = error.findings().iter().map(|f| f.path.as_str()).collect();
    assert!(paths.contains(&"/credentialSubject"), "{paths:?}");
    assert!(paths.contains(&"/issuer/image"), "{paths:?}");
    let (tolerated, result) = schemas::validate_credential_tolerant(&credential);
    assert!(result.is_ok(), "{result:?}");
    let kinds: Vec<_> = tolerated.iter().map(|t| t.tolerance).collect();
    assert_eq!(
        kinds,
        [
            schemas::Tolerance::SubjectUnidentified,
            schemas::Tolerance::ImageAsUrl
        ]
    );
}

/// Class 7: files that are not badges, as people pick them by mistake: the
/// QR code images of DCC's fixture list (PNG and SVG), a plain badge
/// picture, a logo, a text file. Each is a verdict, "not a badge".
pub const NOT_BADGES: &[&str] = &[
    "dcc-vc-test-fixtures/verifiableCredentials/v1/dataIntegrityProof/didKey/mixedRegistry-validStatus-noExpiry.png",
    "dcc-vc-test-fixtures/verifiableCredentials/v1/dataIntegrityProof/didKey/mixedRegistry-validStatus-noExpiry.svg",
    "1edtech-validator/inspector-vc/src/test/resources/ob20/assets/robotics-badge.png",
    "1edtech-validator/inspector-vc-web/src/main/resources/static/img/logo.svg",
    "dcc-vc-test-fixtures/README.md",
];

#[test]
fn a_file_without_a_badge_is_a_verdict() {
    let resolver = resolver();
    for file in NOT_BADGES {
        let report = verify_with(file, &resolver, None);
        assert!(!report.verified && !report.authentic, "{file}");
        let check = report.find("input.not_a_badge").expect(file);
        assert_eq!(check.outcome, Outcome::Failed);
        assert!(check.message.starts_with("no badge was found"), "{file}");
    }
}

/// The command line: exit 1 with the report for a file that is not a badge;
/// exit 2 only when the file cannot be read or nothing is given.
#[test]
fn the_command_line_says_not_verified_for_a_file_without_a_badge() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_verifier"))
            .args(args)
            .output()
            .expect("the verifier runs")
    };
    for file in NOT_BADGES {
        let path = third_party(file);
        let output = run(&["verify", "--json", path.to_str().expect("UTF-8 path")]);
        assert_eq!(output.status.code(), Some(1), "{file}");
        let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
        assert_eq!(report["verified"], false);
        assert_eq!(report["checks"][0]["code"], "input.not_a_badge", "{report}");
    }
    let png = third_party(NOT_BADGES[0]);
    let output = run(&["verify", png.to_str().expect("UTF-8 path")]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("NOT VERIFIED"), "{text}");
    assert!(text.contains("input.not_a_badge"), "{text}");
    let missing = third_party("no-such-file.json");
    let output = run(&["verify", missing.to_str().expect("UTF-8 path")]);
    assert_eq!(output.status.code(), Some(2));
    let empty = tempfile::NamedTempFile::new().expect("temporary file");
    let output = run(&["verify", empty.path().to_str().expect("UTF-8 path")]);
    assert_eq!(output.status.code(), Some(2));
}

/// The 1EdTech validator's baked SVG fixtures, with the standard SVG 1.1
/// document type declaration graphics editors write.
const VALIDATOR_SVG: &str = "1edtech-validator/inspector-vc/src/test/resources/ob30";

/// The controller documents `tests/fixtures/ours/resolver-map-1edtech.json`
/// pins for the validator's issuers (see `tests/it/validator_fixtures.rs`).
fn validator_resolver() -> OfflineResolver {
    let map = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/ours/resolver-map-1edtech.json");
    OfflineResolver::from_map_file(&map).expect("the 1EdTech resolver map")
}

/// Class 4: upstream expects both valid.
#[test]
fn a_baked_svg_with_the_standard_doctype_is_read() {
    let resolver = validator_resolver();
    let report = verify_with(&format!("{VALIDATOR_SVG}/simple-json.svg"), &resolver, None);
    assert!(report.verified, "{report:#?}");
    assert_eq!(report.format, Some(verifier::report::InputFormat::Svg));
    // The VC-JWT one is read too; its RS256 key sits in the JWT header, which
    // we bind to the issuer only when the issuer's document lists it
    // (deliberately stricter than upstream, tests/it/validator_fixtures.rs).
    let file = format!("{VALIDATOR_SVG}/simple-jwt.svg");
    let report = verify_with(&file, &resolver, None);
    assert!(report.find("issuer.key_not_bound").is_some(), "{report:#?}");
    let svg = std::fs::read(third_party(&file)).expect("fixture");
    let token = verifier::bake::unbake_svg(&svg)
        .expect("read")
        .expect("baked")
        .text()
        .to_owned();
    let header = token.split('.').next().expect("header");
    let header: Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, header)
            .expect("base64url"),
    )
    .expect("JSON");
    let issuer = "https://1edtech.edu/issuers/565049";
    let mut resolver = resolver;
    resolver.insert(
        issuer,
        serde_json::json!({
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"],
            "id": issuer,
            "verificationMethod": [{"id": format!("{issuer}#key-1"), "type": "JsonWebKey",
                "controller": issuer, "publicKeyJwk": header["jwk"]}],
            "assertionMethod": [format!("{issuer}#key-1")]
        }),
    );
    let report = verify_with(&file, &resolver, None);
    assert!(report.verified, "{report:#?}");
}

/// The 1EdTech validator's Open Badges 2.0 fixtures.
const OB20: &str = "1edtech-validator/inspector-vc/src/test/resources/ob20";

/// The OB 2.0 documents already in `tests/fixtures/fixtures/1edtech-validator`.
fn ob20_known(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/fixtures/1edtech-validator/ob20")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("JSON")
}

/// A resolver serving a hosted assertion at its own id, with the validator's
/// BadgeClasses and Profiles at the URLs its tests map them to.
fn ob20_resolver(assertion: &Value) -> OfflineResolver {
    let mut resolver = OfflineResolver::new();
    let id = assertion["id"].as_str().expect("an id");
    resolver.insert(id, assertion.clone());
    resolver.insert(
        "https://example.org/robotics-badge.json",
        ob20_known("robotics-badge.json"),
    );
    resolver.insert(
        "https://example.org/organization.json",
        ob20_known("organization.json"),
    );
    for (url, file) in [
        ("http://example.org/altbadgeurl.json", "altbadgeurl.json"),
        (
            "http://example.org/badge-with-bad-issuer.json",
            "badge-with-bad-issuer.json",
        ),
        ("https://example.org/bad-issuer.json", "bad-issuer.json"),
    ] {
        resolver.insert(url, json(&format!("{OB20}/assets/{file}")));
    }
    resolver
}

fn verify_ob20(assertion: &Value, resolver: &OfflineResolver) -> Report {
    let options = VerifyOptions {
        now: now(),
        resolver,
        recipient: None,
    };
    verify_bytes(assertion.to_string().as_bytes(), &options).expect("a report")
}

/// Class 5: a BadgeClass fetched from `http://example.org/altbadgeurl.json`
/// names itself `https://example.org/robotics-badge.json`; a Profile fetched
/// from `https://example.org/bad-issuer.json` names itself `urn:uuid:...`.
/// Upstream: valid with a warning. The origin policy then runs, on the URL
/// the Profile came from.
#[test]
fn an_ob2_badge_class_or_profile_naming_itself_otherwise_on_the_same_host_is_accepted() {
    for file in [
        "warning-with-redirection.json",
        "warning-issuer-non-http.json",
    ] {
        let assertion = json(&format!("{OB20}/{file}"));
        let report = verify_ob20(&assertion, &ob20_resolver(&assertion));
        assert!(report.verified, "{file}: {report:#?}");
        let warning = report.find("ob2.id_differs").expect(file);
        assert_eq!(warning.outcome, Outcome::Warning);
        assert_eq!(
            report.find("ob2.origin_match").map(|c| c.outcome),
            Some(Outcome::Passed),
            "{file}"
        );
    }
    // A BadgeClass served from another host than the one it names is still
    // refused: that server cannot speak for example.org.
    let mut assertion = json(&format!("{OB20}/warning-with-redirection.json"));
    assertion["badge"] = Value::from("https://elsewhere.example/altbadgeurl.json");
    let mut resolver = ob20_resolver(&assertion);
    resolver.insert(
        "https://elsewhere.example/altbadgeurl.json",
        json(&format!("{OB20}/assets/altbadgeurl.json")),
    );
    let report = verify_ob20(&assertion, &resolver);
    assert!(!report.verified);
    let check = report.find("ob2.badge_unavailable").expect("refused");
    assert!(check.message.contains("another host"), "{}", check.message);
    // The origin policy runs on the Profile's URL: an assertion hosted on
    // another host than the urn:uuid Profile's is refused.
    let mut assertion = json(&format!("{OB20}/warning-issuer-non-http.json"));
    assertion["id"] = Value::from("https://elsewhere.example/warning-issuer-non-http.json");
    let report = verify_ob20(&assertion, &ob20_resolver(&assertion));
    assert_eq!(
        report.find("ob2.origin_mismatch").map(|c| c.outcome),
        Some(Outcome::Failed)
    );
}

/// Class 5, the reverse: an assertion with a wrong `@context` or `type`
/// fails (upstream: one fatal error each).
#[test]
fn an_ob2_assertion_with_a_wrong_context_or_type_is_refused() {
    for (file, words) in [
        ("basic-assertion-invalid-context.json", "@context"),
        ("basic-assertion-invalid-type.json", "type Assertion"),
    ] {
        let assertion = json(&format!("{OB20}/{file}"));
        let report = verify_ob20(&assertion, &ob20_resolver(&assertion));
        assert!(!report.verified, "{file}");
        let check = report.find("ob2.schema_invalid").expect(file);
        assert_eq!(check.outcome, Outcome::Failed);
        assert!(check.message.contains(words), "{}", check.message);
    }
    // The same assertion with the right context and type verifies.
    let assertion = ob20_known("basic-assertion.json");
    assert!(verify_ob20(&assertion, &ob20_resolver(&assertion)).verified);
}

/// openbadges-validator-core's Open Badges 1.0 test data (Badgr's and
/// edubadges' validator), extracted as JSON.
const OB10: &str = "1edtech-openbadges-validator-core/tests/testfiles/test_components";

/// The 1.0 documents at the URLs the test data names (`http://a.com/...`).
fn ob10_resolver(assertion: &Value) -> OfflineResolver {
    let mut resolver = OfflineResolver::new();
    let url = assertion["verify"]["url"].as_str().expect("verify.url");
    resolver.insert(url, assertion.clone());
    resolver.insert(
        "http://a.com/badgeclass",
        json(&format!("{OB10}/1_0_basic_badgeclass.json")),
    );
    resolver.insert(
        "http://a.com/issuer",
        json(&format!("{OB10}/1_0_basic_issuer.json")),
    );
    resolver
}

fn verify_ob10(assertion: &Value, resolver: &OfflineResolver, recipient: Option<&str>) -> Report {
    let options = VerifyOptions {
        now: now(),
        resolver,
        recipient,
    };
    verify_bytes(assertion.to_string().as_bytes(), &options).expect("a report")
}

/// Class 6: Open Badges 1.0 hosted assertions are read as 2.0 ones (`id`
/// from `verify.url`), then verified under the 2.0 hosted rules, as
/// openbadges-validator-core does (its `full_validate_1_0_to_2_0_conversion`
/// expects them valid).
#[test]
fn an_open_badges_1_hosted_assertion_is_verified_as_badgr_reads_it() {
    for file in [
        "1_0_basic_assertion.json",
        "1_0_basic_assertion_with_extra_properties.json",
    ] {
        let assertion = json(&format!("{OB10}/{file}"));
        let resolver = ob10_resolver(&assertion);
        let report = verify_ob10(&assertion, &resolver, Some("test@example.com"));
        assert!(report.verified, "{file}: {report:#?}");
        for (code, outcome) in [
            ("input.open_badges_1", Outcome::Warning),
            ("ob2.hosted_fetched", Outcome::Passed),
            ("ob2.origin_match", Outcome::Passed),
            ("status.not_revoked", Outcome::Passed),
            ("recipient.match", Outcome::Passed),
        ] {
            assert_eq!(
                report.find(code).map(|c| c.outcome),
                Some(outcome),
                "{file} {code}"
            );
        }
        assert_eq!(
            report.credential.achievement_name.as_deref(),
            Some("Basic Badge")
        );
        assert_eq!(
            report.credential.issuer_name.as_deref(),
            Some("Basic Issuer")
        );
        let report = verify_ob10(&assertion, &resolver, Some("someone@example.com"));
        assert!(report.find("recipient.mismatch").is_some());
    }
    // Upstream reports an error for a recipient given as a bare string.
    let assertion = json(&format!("{OB10}/1_0_assertion_with_errors.json"));
    let report = verify_ob10(&assertion, &ob10_resolver(&assertion), None);
    assert!(!report.verified);
    assert_eq!(
        report.find("ob2.schema_invalid").map(|c| c.outcome),
        Some(Outcome::Failed)
    );
}

#[test]
fn an_open_badges_1_assertion_is_held_to_the_hosted_rules() {
    let assertion = json(&format!("{OB10}/1_0_basic_assertion.json"));
    // The copy given is not the one its issuer serves.
    let mut resolver = ob10_resolver(&assertion);
    let mut served = assertion.clone();
    served["issuedOn"] = Value::from("2014-01-01");
    resolver.insert("http://a.com/instance", served);
    let report = verify_ob10(&assertion, &resolver, None);
    assert!(!report.verified && !report.authentic);
    assert!(report.find("ob2.hosted_mismatch").is_some());
    // Hosted on another origin than its issuer's.
    let mut resolver = ob10_resolver(&assertion);
    let mut badge = json(&format!("{OB10}/1_0_basic_badgeclass.json"));
    badge["issuer"] = Value::from("http://b.example/issuer");
    resolver.insert("http://a.com/badgeclass", badge);
    resolver.insert(
        "http://b.example/issuer",
        json(&format!("{OB10}/1_0_basic_issuer.json")),
    );
    let report = verify_ob10(&assertion, &resolver, None);
    assert!(!report.verified);
    assert!(report.find("ob2.origin_mismatch").is_some());
    // Revoked by the issuer's 1.0 revocation list, with its reason; a list
    // that cannot be read leaves the status unknown.
    let mut resolver = ob10_resolver(&assertion);
    let mut issuer = json(&format!("{OB10}/1_0_basic_issuer.json"));
    issuer["revocationList"] = Value::from("http://a.com/revoked");
    resolver.insert("http://a.com/issuer", issuer);
    let report = verify_ob10(&assertion, &resolver, None);
    assert_eq!(
        report.find("status.unavailable").map(|c| c.outcome),
        Some(Outcome::Failed)
    );
    resolver.insert(
        "http://a.com/revoked",
        serde_json::json!({"123abc": "Issued in error"}),
    );
    let report = verify_ob10(&assertion, &resolver, None);
    let revoked = report.find("status.revoked").expect("revoked");
    assert!(
        revoked.message.ends_with("Issued in error"),
        "{}",
        revoked.message
    );
    assert!(report.authentic && !report.verified);
    // A signed 1.0 assertion is not read, and says so.
    let mut signed = assertion.clone();
    signed["verify"] = serde_json::json!({"type": "signed", "url": "http://a.com/key.pem"});
    let report = verify_ob10(&signed, &ob10_resolver(&assertion), None);
    assert!(!report.verified);
    assert!(report
        .find("ob2.schema_invalid")
        .is_some_and(|c| c.message.contains("signed")));
}

//! What the verifier says a credential is, pinned as insta snapshots
//! (`snapshots/`, reviewed with `cargo insta review`): the JSON report's
//! summary (`Report::credential`, the `credential` member of `--json` and of
//! the service's JSON answer) and the facts the pages show (`Report::view`),
//! for every credential the tests use: ours, the Open Badges 3.0
//! specification's and implementation guide's examples, the test vectors,
//! the third-party fixtures, the 1EdTech validator's, the Open Badges 2.0
//! fixtures, the fuzz corpora, and hand-made credentials with padded, empty,
//! missing, long or control-character texts, several achievement types,
//! VC 1.1 dates and odd shapes.
//!
//! Each snapshot maps an input (its path under the fixtures, `#n` for the
//! n-th JWS of a `jws-fixtures.json`, or a name) to `summary` and `view`.
//! Nothing volatile is in them: `now` is fixed, every document is pinned.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use insta::assert_json_snapshot;
use keys::OfflineResolver;
use serde_json::{json, Value};
use verifier::pipeline::{verify_bytes, VerifyOptions};
use verifier::report::Report;
use verifier::view::CredentialView;

/// The repository's shared fixtures (`tests/fixtures`).
fn shared(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(relative)
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-06-01T00:00:00Z")
        .expect("date")
        .with_timezone(&Utc)
}

/// The Open Badges 2.0 fixtures' documents and those the 1EdTech
/// validator's Open Badges 3.0 fixtures name.
fn pinned() -> OfflineResolver {
    let mut resolver = crate::ob2::pinned();
    let text = std::fs::read_to_string(shared("ours/resolver-map-1edtech.json")).expect("map");
    let map: BTreeMap<String, Value> = serde_json::from_str(&text).expect("a JSON object");
    for (id, document) in map {
        resolver.insert(id, document);
    }
    resolver
}

/// The facts of the view the pages are made from, member by member.
fn view_facts(view: &CredentialView) -> Value {
    let alignments: Vec<Value> = view
        .alignments
        .iter()
        .map(|a| {
            json!({
                "target_name": a.target_name,
                "target_framework": a.target_framework,
                "target_code": a.target_code,
                "target_url": a.target_url,
            })
        })
        .collect();
    json!({
        "name": view.name,
        "description": view.description,
        "criteria": view.criteria,
        "criteria_reference": view.criteria_reference,
        "image_reference": view.image_reference,
        "alignments": alignments,
        "issuer_id": view.issuer_id,
        "issuer_name": view.issuer_name,
        "issuer_url": view.issuer_url,
        "holder": view.holder,
        "issued_on": view.issued_on,
        "valid_until": view.valid_until,
    })
}

/// The summary and the view of what `bytes` hold, or why it could not be
/// verified at all.
fn facts(bytes: &[u8], resolver: &OfflineResolver) -> Value {
    let options = VerifyOptions {
        now: now(),
        resolver,
        recipient: None,
    };
    match verify_bytes(bytes, &options) {
        Ok(report) => report_facts(&report),
        Err(error) => json!({ "not_run": error.to_string() }),
    }
}

fn report_facts(report: &Report) -> Value {
    json!({
        "summary": serde_json::to_value(&report.credential).expect("serialises"),
        "view": report.view.as_ref().map(view_facts),
    })
}

/// Every file under `dir`, in a stable order.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("a fixtures directory") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The facts of every credential-bearing file under each of `dirs`
/// (relative to `tests/fixtures`), and of every compact JWS a
/// `jws-fixtures.json` lists.
fn corpus(dirs: &[&str], resolver: &OfflineResolver) -> BTreeMap<String, Value> {
    let root = shared("");
    let mut all = BTreeMap::new();
    for dir in dirs {
        for path in files(&shared(dir)) {
            let name = path
                .strip_prefix(&root)
                .expect("under the fixtures")
                .to_string_lossy()
                .replace('\\', "/");
            let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !matches!(
                extension,
                "json" | "jwt" | "jws" | "png" | "svg" | "seed" | "txt"
            ) {
                continue;
            }
            let bytes = std::fs::read(&path).expect("readable");
            if name.ends_with("jws-fixtures.json") {
                let listed: Value = serde_json::from_slice(&bytes).expect("JSON");
                for (index, entry) in listed["fixtures"]
                    .as_array()
                    .expect("fixtures")
                    .iter()
                    .enumerate()
                {
                    let token = entry["compactJws"].as_str().expect("a JWS");
                    all.insert(format!("{name}#{index}"), facts(token.as_bytes(), resolver));
                }
            }
            all.insert(name, facts(&bytes, resolver));
        }
    }
    all
}

#[test]
fn our_credentials() {
    let resolver = pinned();
    assert_json_snapshot!(corpus(&["ours", "legacy-issuer"], &resolver));
}

#[test]
fn open_badges_3_examples_and_test_vectors() {
    let resolver = pinned();
    assert_json_snapshot!(corpus(&["examples", "test-vectors"], &resolver));
}

#[test]
fn third_party_fixtures() {
    let resolver = crate::third_party::resolver();
    assert_json_snapshot!(corpus(&["third-party"], &resolver));
}

#[test]
fn validator_fixtures() {
    let resolver = pinned();
    assert_json_snapshot!(corpus(&["fixtures"], &resolver));
}

#[test]
fn fuzz_corpora() {
    let resolver = pinned();
    assert_json_snapshot!(corpus(
        &[
            "fuzz/jsonld",
            "fuzz/ob2",
            "fuzz/png",
            "fuzz/svg",
            "fuzz/vc_jwt"
        ],
        &resolver
    ));
}

#[test]
fn open_badges_2_fixtures() {
    let resolver = pinned();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ob2");
    let mut all = BTreeMap::new();
    for path in files(&dir) {
        let name = path.file_name().expect("a name").to_string_lossy();
        if !name.ends_with(".json") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("readable");
        if name == "jws-fixtures.json" {
            let listed: Value = serde_json::from_slice(&bytes).expect("JSON");
            for entry in listed["fixtures"].as_array().expect("fixtures") {
                let file = entry["file"].as_str().expect("a file");
                let token = entry["compactJws"].as_str().expect("a JWS");
                all.insert(file.to_owned(), facts(token.as_bytes(), &resolver));
            }
        }
        all.insert(name.into_owned(), facts(&bytes, &resolver));
    }
    assert_json_snapshot!(all);
}

/// A text 3 000 characters long, with a space every 7.
fn long_text() -> String {
    "Lorem ipsum ".repeat(250)
}

/// Hand-made Open Badges 3.0 (and VC 1.1) credentials: unsigned, so never
/// authentic, but summarised and viewed all the same.
fn open_badges_3_cases() -> Vec<(&'static str, Value)> {
    let context = json!([
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
    ]);
    let types = json!(["VerifiableCredential", "OpenBadgeCredential"]);
    let credential = |extra: Value| {
        let mut document = json!({
            "@context": context,
            "id": "urn:uuid:5b1e3c3a-0000-4000-8000-000000000001",
            "type": types,
            "issuer": {"id": "https://issuer.example.fr/profiles/1", "type": ["Profile"],
                "name": "Réseau Inclusion", "url": "https://issuer.example.fr"},
            "validFrom": "2025-01-15T10:00:00Z",
            "name": "Premiers pas numériques",
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "name": "Marie Curie",
                "achievement": {
                    "id": "https://issuer.example.fr/achievements/7",
                    "type": ["Achievement"],
                    "name": "Envoyer un courriel",
                    "description": "Sait envoyer un courriel.",
                    "criteria": {"id": "https://issuer.example.fr/criteria/7",
                        "narrative": "A envoyé un courriel avec une pièce jointe."},
                    "image": {"id": "https://issuer.example.fr/images/7.png", "type": "Image"}
                }
            }
        });
        merge(&mut document, extra);
        document
    };
    vec![
        ("complete", credential(json!({}))),
        (
            "padded texts",
            credential(json!({
                "id": "  urn:uuid:padded \n",
                "issuer": {"id": " https://issuer.example.fr/profiles/1 ", "name": "  Réseau \t Inclusion  ",
                    "url": " https://issuer.example.fr "},
                "validFrom": " 2025-01-15T10:00:00Z ",
                "validUntil": "\t2030-01-15T10:00:00Z\n",
                "name": "  Premiers pas  ",
                "credentialSubject": {"name": "  Marie  ", "achievement": {
                    "name": " \t Envoyer un courriel \n ",
                    "description": "\n  Sait envoyer un courriel.  \n",
                    "criteria": {"id": " https://issuer.example.fr/criteria/7 ", "narrative": "  Avec pièce jointe.  "},
                    "image": " https://issuer.example.fr/images/7.png "
                }}
            })),
        ),
        (
            "control characters",
            credential(json!({
                "id": "urn:uuid:\u{0}\u{1b}[31m",
                "issuer": {"name": "Réseau\u{0}\u{7}Inclusion\u{202e}evil\u{200b}"},
                "credentialSubject": {"name": "Marie\u{1b}[2J", "achievement": {
                    "name": "\u{feff}Envoyer\r\nun\u{85}courriel\u{2028}",
                    "description": "ligne 1\u{0}ligne 2",
                    "criteria": {"narrative": "\u{1}\u{2}\u{3}"}
                }}
            })),
        ),
        (
            "long texts",
            credential(json!({
                "issuer": {"name": long_text()},
                "name": long_text(),
                "credentialSubject": {"achievement": {
                    "name": long_text(),
                    "description": long_text(),
                    "criteria": {"narrative": long_text()}
                }}
            })),
        ),
        (
            "empty texts",
            credential(json!({
                "id": "",
                "issuer": {"id": "", "name": "", "url": ""},
                "validFrom": "",
                "validUntil": "",
                "name": "",
                "credentialSubject": {"name": "", "achievement": {
                    "name": "", "description": "", "criteria": {"id": "", "narrative": ""}, "image": ""
                }}
            })),
        ),
        (
            "blank texts",
            credential(json!({
                "issuer": {"name": "   "},
                "name": " \n ",
                "credentialSubject": {"name": "\t", "achievement": {
                    "name": "  ", "description": " ", "criteria": {"narrative": "\n"}
                }}
            })),
        ),
        (
            "no achievement name, the credential's",
            credential(
                json!({"credentialSubject": {"achievement": {"name": null, "description": null}}}),
            ),
        ),
        ("no names at all", {
            let mut document =
                credential(json!({"credentialSubject": {"achievement": {"description": null}}}));
            strip(&mut document, "/credentialSubject/achievement", "name");
            strip(&mut document, "", "name");
            strip(&mut document, "/issuer", "name");
            document
        }),
        (
            "several achievement types",
            credential(json!({"credentialSubject": {"achievement": {
                "type": ["Achievement", "ext:Formation", "Badge"],
                "achievementType": "Competency"
            }}})),
        ),
        (
            "several subjects",
            credential(json!({"credentialSubject": [
                {"type": ["AchievementSubject"], "name": "Première",
                    "achievement": {"type": ["Achievement"], "name": "Premier badge"}},
                {"type": ["AchievementSubject"], "name": "Seconde",
                    "achievement": {"type": ["Achievement"], "name": "Second badge"}}
            ]})),
        ),
        (
            "a subject that is no object",
            credential(
                json!({"credentialSubject": ["did:example:1", {"achievement": {"name": "x"}}]}),
            ),
        ),
        (
            "an issuer given as its id",
            credential(json!({"issuer": "did:web:issuer.example.fr"})),
        ),
        (
            "an issuer id that is no string",
            credential(
                json!({"issuer": {"id": 42, "name": ["Réseau"], "url": {"id": "https://x.example"}}}),
            ),
        ),
        (
            "links of any scheme",
            credential(json!({
                "issuer": {"url": "javascript:alert(1)"},
                "credentialSubject": {"achievement": {
                    "criteria": {"id": "urn:uuid:criteria"},
                    "image": {"id": "data:image/png;base64,iVBORw0KGgo="},
                    "alignment": [
                        {"targetName": " Communiquer ", "targetFramework": "DigComp 2.2",
                            "targetCode": "2.1", "targetUrl": "javascript:alert(1)"},
                        {"targetCode": "sans nom"},
                        {"targetName": "Collaborer", "targetUrl": " https://x.example/2.4 "}
                    ]
                }}
            })),
        ),
        (
            "the holder named by an identifier",
            credential(json!({"credentialSubject": {"identifier": [
                {"type": "IdentityObject", "identityType": "emailAddress", "hashed": false,
                    "identityHash": "marie@example.fr"},
                {"type": "IdentityObject", "identityType": "name", "hashed": false,
                    "identityHash": "  Marie Skłodowska  "}
            ]}})),
        ),
        (
            "dates that are no strings",
            credential(json!({"validFrom": 1_700_000_000, "validUntil": null,
                "issuanceDate": "2025-01-01T00:00:00Z", "expirationDate": "2030-01-01T00:00:00Z"})),
        ),
        ("an id that is no string", credential(json!({"id": 7}))),
        (
            "a credential with a badge member",
            credential(
                json!({"badge": {"name": "Pas un badge 2.0", "issuer": "https://x.example/i"},
                "issuedOn": "2020-01-01"}),
            ),
        ),
        ("a VC 1.1 credential", {
            let mut document = credential(json!({
                "@context": [
                    "https://www.w3.org/2018/credentials/v1",
                    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
                ],
                "issuanceDate": "2024-03-01T08:00:00Z",
                "expirationDate": "2029-03-01T08:00:00Z"
            }));
            strip(&mut document, "", "validFrom");
            document
        }),
        (
            "a VC 1.1 credential with the 2.0 dates too",
            credential(json!({
                "issuanceDate": "2024-03-01T08:00:00Z",
                "expirationDate": "2029-03-01T08:00:00Z",
                "validUntil": "2031-01-01T00:00:00Z"
            })),
        ),
    ]
}

/// Hand-made Open Badges 2.0 assertions, with their BadgeClass and issuer
/// embedded: verified without a `verification` (so not authentic), the
/// assertion summarised as given.
fn open_badges_2_cases() -> Vec<(&'static str, Value)> {
    let assertion = |extra: Value| {
        let mut document = json!({
            "@context": "https://w3id.org/openbadges/v2",
            "type": "Assertion",
            "id": "https://badges.example.org/assertions/1",
            "recipient": {"type": "email", "hashed": false, "identity": "marie@example.org"},
            "issuedOn": "2016-12-31T23:59:59Z",
            "expires": "2030-12-31T23:59:59Z",
            "badge": {
                "type": "BadgeClass",
                "id": "https://badges.example.org/badges/robotics",
                "name": "Robotique",
                "description": "Des robots.",
                "image": "https://badges.example.org/badges/robotics.png",
                "criteria": {"id": "https://badges.example.org/criteria", "narrative": "Construire un robot."},
                "alignment": [{"targetName": "Construire", "targetUrl": "https://x.example/c"}],
                "issuer": {"type": "Profile", "id": "https://badges.example.org/issuer",
                    "name": "Club", "url": "https://badges.example.org"}
            }
        });
        merge(&mut document, extra);
        document
    };
    vec![
        ("complete", assertion(json!({}))),
        (
            "padded texts",
            assertion(json!({
                "id": "  https://badges.example.org/assertions/1 ",
                "issuedOn": " 2016-12-31T23:59:59Z ",
                "expires": "\n2030-12-31\n",
                "image": " https://badges.example.org/assertions/1.png ",
                "badge": {"name": "  Robotique ", "description": "\tDes robots.\n",
                    "image": {"id": " https://badges.example.org/badges/robotics.png "},
                    "criteria": " https://badges.example.org/criteria ",
                    "issuer": {"id": " https://badges.example.org/issuer ", "name": "  Club ",
                        "url": " https://badges.example.org "}}
            })),
        ),
        (
            "control characters and long texts",
            assertion(json!({
                "badge": {"name": "Robo\u{0}tique\u{202e}", "description": long_text(),
                    "criteria": {"narrative": "\u{1b}[31mrouge"},
                    "issuer": {"name": long_text()}}
            })),
        ),
        (
            "empty texts",
            assertion(json!({
                "id": "", "issuedOn": "", "expires": "", "image": "",
                "badge": {"name": "", "description": "", "image": "", "criteria": {"id": "", "narrative": ""},
                    "issuer": {"id": "", "name": "", "url": ""}}
            })),
        ),
        (
            "criteria as a URL, images of other schemes",
            assertion(json!({
                "image": "https://badges.example.org/assertions/1.png",
                "badge": {"criteria": "https://badges.example.org/criteria.html",
                    "image": "data:image/png;base64,iVBORw0KGgo=",
                    "issuer": {"url": "javascript:alert(1)"}}
            })),
        ),
        (
            "criteria and links that are not http",
            assertion(json!({
                "image": "ftp://badges.example.org/1.png",
                "badge": {"criteria": {"id": "urn:uuid:criteria"},
                    "image": {"id": "urn:uuid:image"},
                    "issuer": {"id": "urn:uuid:issuer", "url": {"id": "https://badges.example.org"}}}
            })),
        ),
        ("no badge image, the assertion's", {
            let mut document =
                assertion(json!({"image": "https://badges.example.org/assertions/1.png"}));
            strip(&mut document, "/badge", "image");
            document
        }),
        ("no names, the assertion's", {
            let mut document = assertion(json!({"name": "Le nom de l'assertion",
                "badge": {"description": null}}));
            strip(&mut document, "/badge", "name");
            strip(&mut document, "/badge/issuer", "name");
            document
        }),
        (
            "a badge given as its URL",
            assertion(json!({"badge": "https://badges.example.org/badges/robotics"})),
        ),
        (
            "an issuer given as its URL",
            assertion(json!({"badge": {"issuer": "https://badges.example.org/issuer"}})),
        ),
        (
            "dates as Unix seconds",
            assertion(json!({"issuedOn": 1_483_228_799, "expires": 1.5e9})),
        ),
        (
            "dates that are no dates",
            assertion(json!({"issuedOn": {"date": "2016"}, "expires": null})),
        ),
        (
            "an Open Badges 1.0 assertion",
            json!({
                "uid": "abc",
                "recipient": "sha256$c7ef86405ba71b85acd8e2e95166c4b111448089f2e1599f42fe1bba46e865c5",
                "salt": "deadsea",
                "issuedOn": "2013-01-01",
                "badge": {"name": " Un badge 1.0 ", "description": "Ancien.",
                    "image": "https://badges.example.org/v1.png",
                    "criteria": "https://badges.example.org/v1/criteria",
                    "issuer": {"name": "Ancien club", "origin": "https://badges.example.org"}},
                "verify": {"type": "hosted", "url": "https://badges.example.org/v1/abc.json"}
            }),
        ),
    ]
}

/// Sets each member of `extra` in `document`, objects merged member by
/// member (`null` removes nothing: it is written as `null`).
fn merge(document: &mut Value, extra: Value) {
    match (document, extra) {
        (Value::Object(document), Value::Object(extra)) => {
            for (name, value) in extra {
                match document.get_mut(&name) {
                    Some(existing @ Value::Object(_)) if value.is_object() => {
                        merge(existing, value)
                    }
                    _ => {
                        document.insert(name, value);
                    }
                }
            }
        }
        (document, extra) => *document = extra,
    }
}

/// Removes the member `name` of the object at `pointer`.
fn strip(document: &mut Value, pointer: &str, name: &str) {
    document
        .pointer_mut(pointer)
        .and_then(Value::as_object_mut)
        .expect("an object")
        .remove(name);
}

fn cases(cases: Vec<(&'static str, Value)>, resolver: &OfflineResolver) -> BTreeMap<String, Value> {
    cases
        .into_iter()
        .map(|(name, document)| {
            (
                name.to_owned(),
                facts(document.to_string().as_bytes(), resolver),
            )
        })
        .collect()
}

#[test]
fn hand_made_open_badges_3_credentials() {
    let resolver = OfflineResolver::new();
    let mut all = cases(open_badges_3_cases(), &resolver);
    let jwt = crate::samples::jws_with_payload(&open_badges_3_cases()[1].1.to_string());
    all.insert(
        "padded texts, as a VC-JWT".into(),
        facts(jwt.as_bytes(), &resolver),
    );
    assert_json_snapshot!(all);
}

#[test]
fn hand_made_open_badges_2_assertions() {
    let resolver = OfflineResolver::new();
    assert_json_snapshot!(cases(open_badges_2_cases(), &resolver));
}

/// Hosted copies of the hand-made assertions, served at their `id`: these
/// are authentic, their BadgeClass and issuer taken as embedded.
#[test]
fn hand_made_open_badges_2_assertions_hosted() {
    let mut resolver = crate::ob2::pinned();
    let mut hosted = Vec::new();
    for (index, (name, mut document)) in open_badges_2_cases().into_iter().enumerate() {
        if document.get("uid").is_some() {
            continue;
        }
        let id = format!("https://badges.example.org/hosted/{index}");
        document["id"] = id.clone().into();
        document["verification"] = json!({"type": "hosted"});
        resolver.insert(id, document.clone());
        hosted.push((name, document));
    }
    assert_json_snapshot!(cases(hosted, &resolver));
}

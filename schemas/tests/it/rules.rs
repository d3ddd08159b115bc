//! The rules beyond the JSON Schemas, and normalisation, on documents derived
//! from the validator's `simple.json` and `simple_v1.json`.

use serde_json::{json, Value};

use schemas::{normalise, validate_credential, validate_profile, DocumentKind, SchemaError};

use crate::fixtures;

fn simple() -> Value {
    fixtures::load(&fixtures::ob30().join("simple.json"))
}

fn findings(doc: &Value) -> Vec<String> {
    match validate_credential(doc) {
        Ok(()) => Vec::new(),
        Err(error) => error.findings().iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn compacted_credential_is_valid() {
    let mut doc = simple();
    doc["issuer"]["type"] = json!("Profile");
    doc["credentialSubject"]["type"] = json!("AchievementSubject");
    doc["credentialSubject"]["achievement"]["type"] = json!("Achievement");
    doc["proof"] = doc["proof"][0].clone();
    assert_eq!(findings(&doc), Vec::<String>::new());
    let normalised = normalise(&doc);
    assert_eq!(normalised, simple());
    assert_eq!(normalised["issuer"]["type"], json!(["Profile"]));
    assert!(normalised["proof"].is_array());
    assert_eq!(normalised["proof"][0]["type"], "DataIntegrityProof");
}

#[test]
fn unknown_context_is_refused() {
    let mut doc = simple();
    doc["@context"]
        .as_array_mut()
        .unwrap()
        .push(json!("https://example.com/evil-context.json"));
    let found = findings(&doc);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("/@context/2: unknown context https://example.com/evil-context.json"),
        "{found:?}"
    );
    // An inline context importing an unknown one is refused too.
    let mut doc = simple();
    doc["@context"]
        .as_array_mut()
        .unwrap()
        .push(json!({"@import": "https://example.com/x.json"}));
    assert!(findings(&doc)
        .iter()
        .any(|f| f.contains("unknown context https://example.com/x.json")));
}

#[test]
fn open_badges_context_is_required() {
    let mut doc = simple();
    doc["@context"] = json!([
        "https://www.w3.org/ns/credentials/v2",
        "https://www.w3.org/ns/credentials/examples/v2"
    ]);
    let found = findings(&doc);
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("/@context: an Open Badges 3.0 context is missing")),
        "{found:?}"
    );
}

#[test]
fn subject_needs_an_id_or_identifier() {
    let mut doc = simple();
    doc["credentialSubject"]
        .as_object_mut()
        .unwrap()
        .remove("id");
    assert_eq!(
        findings(&doc),
        ["/credentialSubject: the credential subject has neither an id nor an identifier"]
    );
    doc["credentialSubject"]["identifier"] = json!({
        "type": "IdentityObject",
        "hashed": true,
        "identityHash": "sha256$658625b25ab3d75d613ca97d9a5a77f70e2192feca5557f4ad09a4d4f121f5fc",
        "identityType": "emailAddress",
        "salt": "FleurDeSel"
    });
    assert_eq!(findings(&doc), Vec::<String>::new());
}

#[test]
fn extension_achievement_types_pass_and_others_fail() {
    let mut doc = simple();
    doc["credentialSubject"]["achievement"]["achievementType"] = json!("ext:MediationNumerique");
    assert_eq!(findings(&doc), Vec::<String>::new());
    doc["credentialSubject"]["achievement"]["achievementType"] = json!("Skill");
    let found = findings(&doc);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains(
        "/credentialSubject/achievement/achievementType: \"Skill\" is not an allowed value"
    ));
}

#[test]
fn vc_v1_findings_use_v1_names() {
    let mut doc = fixtures::load(&fixtures::ob30().join("simple_v1.json"));
    assert_eq!(findings(&doc), Vec::<String>::new());
    doc.as_object_mut().unwrap().remove("issuanceDate");
    assert_eq!(
        findings(&doc),
        ["/: \"issuanceDate\" is a required property"]
    );
    doc["issuanceDate"] = json!("not a date");
    let found = findings(&doc);
    assert!(
        found
            .iter()
            .any(|f| f.starts_with("/issuanceDate: \"not a date\" is not a \"date-time\"")),
        "{found:?}"
    );
}

#[test]
fn dates_must_be_date_times() {
    let mut doc = simple();
    doc["validFrom"] = json!("2010-01-01");
    let found = findings(&doc);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("/validFrom:"), "{found:?}");
}

#[test]
fn long_values_are_not_quoted_whole() {
    let mut doc = simple();
    doc["issuer"] = json!(42);
    let found = findings(&doc);
    assert_eq!(found.len(), 1, "{found:?}");
    doc["issuer"] = json!({"id": "https://example.com/issuers/876543", "type": ["Profile"], "name": 42, "description": "x".repeat(200)});
    let found = findings(&doc);
    assert_eq!(found, ["/issuer/name: 42 is not of type \"string\""]);
}

#[test]
fn non_objects_and_profiles_are_not_credentials() {
    assert!(matches!(
        validate_credential(&json!([1, 2])),
        Err(SchemaError::NotAnObject)
    ));
    let profile = json!({"id": "https://example.org/issuer", "type": "Profile", "name": "PIMMS"});
    assert!(matches!(
        validate_credential(&profile),
        Err(SchemaError::UnknownKind { .. })
    ));
    assert_eq!(DocumentKind::of(&profile), Some(DocumentKind::Profile));
    assert!(validate_profile(&profile).is_ok());
    assert_eq!(normalise(&profile)["type"], json!(["Profile"]));
}

#[test]
fn profile_validation_reports_type_and_context() {
    let profile = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://example.com/unknown.json"],
        "id": "https://example.org/issuer",
        "type": ["Organization"]
    });
    let error = validate_profile(&profile).unwrap_err();
    let found: Vec<String> = error.findings().iter().map(ToString::to_string).collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.contains(&"/@context/1: unknown context https://example.com/unknown.json: only the bundled contexts are accepted".to_owned()));
    assert!(
        found.contains(&"/type: must include \"Profile\" (found [\"Organization\"])".to_owned())
    );
    assert!(error
        .to_string()
        .starts_with("the Profile does not conform: "));
}

#[test]
fn normalising_twice_changes_nothing() {
    let mut files = fixtures::json_files(&fixtures::root().join("examples"));
    files.extend(fixtures::json_files(&fixtures::ob30()));
    for path in files {
        let once = normalise(&fixtures::load(&path));
        assert_eq!(normalise(&once), once, "{}", fixtures::name(&path));
    }
}

#[test]
fn credentials_built_with_the_constructors_are_valid() {
    use schemas::{
        Achievement, AchievementSubject, Alignment, Criteria, IdentityObject, Image, Issuer,
        OpenBadgeCredential, Profile,
    };
    let mut issuer = Profile::new("https://badges.example.org/issuers/pimms");
    issuer.name = Some("PIMMS Médiation".to_owned());
    let mut achievement = Achievement::new(
        "https://badges.example.org/achievements/1",
        "Naviguer sur internet",
    );
    achievement.description = Some("Sait utiliser un navigateur.".to_owned());
    achievement.criteria = Some(Criteria {
        narrative: Some("Atelier suivi.".to_owned()),
        ..Criteria::default()
    });
    achievement.achievement_type = Some("Competency".to_owned());
    achievement.image = Some(Image::new(
        "https://badges.example.org/achievements/1/image.png",
    ));
    achievement
        .alignment
        .push(Alignment::new("Pix 1.1", "https://pix.fr/competences/1.1"));
    let mut subject = AchievementSubject::new(achievement);
    subject
        .identifier
        .push(IdentityObject::hashed_email("Earner@Example.fr", "sel"));
    let credential = OpenBadgeCredential::new(
        "urn:uuid:0b6f6c2e-53b5-4d4c-9d2c-1c9b3f8f7a10",
        Issuer::Profile(Box::new(issuer)),
        subject,
        "2025-01-15T09:30:00Z",
    );
    let doc = serde_json::to_value(&credential).unwrap();
    assert_eq!(findings(&doc), Vec::<String>::new());
    assert_eq!(
        normalise(&doc),
        doc,
        "emitted JSON is already in normal form"
    );
}

//! Validation verdicts for every fixture, table-driven.
//!
//! The 1EdTech validator fixtures are listed in `expectations.json` with what
//! the upstream test-suite asserts; each gets a row here with our verdict.
//! Schema and type errors must be found, with findings naming the problem
//! (path + words); problems that are not about structure (bad signatures,
//! revocation, expiry, unreachable URLs) are the verifier's, so those fixtures
//! are structurally valid here. Every finding must be expected: a row lists all.

use std::collections::BTreeSet;

use schemas::{validate_credential, validate_profile, DocumentKind, SchemaError};

use crate::fixtures;

/// Our verdict for one fixture.
enum Verdict {
    /// Passes `validate_credential` (or `validate_profile` for a profile).
    Valid,
    /// Fails with exactly these findings: (JSON Pointer, words in the message).
    Invalid(&'static [(&'static str, &'static str)]),
    /// Refused because `type` names no OB credential, with these findings.
    UnknownKind(&'static [(&'static str, &'static str)]),
}

use Verdict::{Invalid, UnknownKind, Valid};

const FIRST_CONTEXT: &str = "first context must be https://www.w3.org/ns/credentials/v2";
const NO_ACHIEVEMENT: &str = "\"achievement\" is a required property";
const EMAIL_ERRATUM: &str = "\"email\" is not an allowed value";

/// The 1EdTech validator's OB 3.0 fixtures (upstream expectation in comments).
const OB30: &[(&str, Verdict)] = &[
    // Revoked per its status list: a status check, not a schema error.
    (
        "bit-string-list__credential-status-revoked-blank-nodes.json",
        Valid,
    ),
    ("bit-string-list__credential-status-revoked.json", Valid),
    // The status list credential itself is not an OB credential.
    (
        "bit-string-list__testlist.json",
        UnknownKind(&[
            ("/type", "BitstringStatusListCredential"),
            ("/@context", "Open Badges 3.0 context is missing"),
        ]),
    ),
    // Upstream fails only on unreachable credentialSchema/refresh/status URLs.
    ("complete.json", Valid),
    // Same as complete.json in the VC 1.1 shape, but stricter here: its embedded
    // endorsements lack the `id` (and one the `name`) the schema requires, and it
    // uses OB 2.0's identityType "email" instead of "emailAddress".
    (
        "complete_v1.json",
        Invalid(&[
            (
                "/credentialSubject/achievement/creator/endorsement/0",
                "\"id\" is a required property",
            ),
            (
                "/credentialSubject/achievement/creator/endorsement/1",
                "\"id\" is a required property",
            ),
            (
                "/credentialSubject/achievement/creator/endorsement/1",
                "\"name\" is a required property",
            ),
            (
                "/credentialSubject/achievement/endorsement/0",
                "\"id\" is a required property",
            ),
            (
                "/credentialSubject/identifier/0/identityType",
                EMAIL_ERRATUM,
            ),
            (
                "/credentialSubject/identifier/1/identityType",
                EMAIL_ERRATUM,
            ),
            ("/endorsement/0", "\"id\" is a required property"),
            ("/issuer/endorsement/0", "\"id\" is a required property"),
        ]),
    ),
    // Revoked per a 1EdTechRevocationList (network).
    ("credential-status-revoked.json", Valid),
    // Upstream's errors are about resolving credentialSchema/status/refresh.
    ("endorsement-err-schema-status-refresh.json", Valid),
    ("endorsement-valid.json", Valid),
    ("sd__derivedcredential.json", Valid),
    ("simple-context-alias.json", Valid),
    // Older context version: accepted (bundled), upstream only reports it.
    ("simple-context-version.json", Valid),
    ("simple-did-key-method.json", Valid),
    ("simple-did-web-method.json", Valid),
    // Legacy cryptosuite: a proof matter.
    ("simple-eddsa-2022.json", Valid),
    // Upstream: ContextPropertyProbe.
    (
        "simple-err-context.json",
        Invalid(&[
            ("/@context/0", FIRST_CONTEXT),
            ("/@context", "has less than 2 items"),
            (
                "/@context/0",
                "is not one of [\"https://www.w3.org/ns/credentials/v2\"]",
            ),
            ("/credentialSubject", NO_ACHIEVEMENT),
            ("", "\"validFrom\" is a required property"),
        ]),
    ),
    // Upstream: CredentialSubjectProbe.
    (
        "simple-err-credential-subject-achievement-result-description-type.json",
        Invalid(&[(
            "/credentialSubject/achievement/resultDescription/2/type",
            "must include \"ResultDescription\" (found [\"InvalidResultDescription\"])",
        )]),
    ),
    (
        "simple-err-credential-subject-identifier-type.json",
        Invalid(&[(
            "/credentialSubject/identifier/0/type",
            "\"InvalidIdentityObject\" is not one of [\"IdentityObject\"]",
        )]),
    ),
    (
        "simple-err-credential-subject-profile-type.json",
        Invalid(&[(
            "/credentialSubject/source/type",
            "must include \"Profile\" (found [\"InvalidProfile\"])",
        )]),
    ),
    (
        "simple-err-credential-subject-result-type.json",
        Invalid(&[(
            "/credentialSubject/result/1/type",
            "must include \"Result\" (found [\"InvalidResult\"])",
        )]),
    ),
    (
        "simple-err-credential-subject-type.json",
        Invalid(&[(
            "/credentialSubject/type",
            "must include \"AchievementSubject\" (found [\"InvalidAchievementSubject\"])",
        )]),
    ),
    // Upstream: EvidenceProbe.
    (
        "simple-err-evidence-type.json",
        Invalid(&[(
            "/evidence/1/type",
            "must include \"Evidence\" (found [\"InvalidEvidence\"])",
        )]),
    ),
    // Upstream: ExpirationProbe, a verification-time check.
    ("simple-err-expired.json", Valid),
    // Upstream: IssuanceProbe (validFrom in the future, a verification-time
    // check); structurally it also lacks an achievement.
    (
        "simple-err-issued.json",
        Invalid(&[("/credentialSubject", NO_ACHIEVEMENT)]),
    ),
    // Upstream: IssuerProbe.
    (
        "simple-err-issuer-otheridentifier-type.json",
        Invalid(&[(
            "/issuer/otherIdentifier/1/type",
            "\"InvalidIdentifierEntry\" is not one of [\"IdentifierEntry\"]",
        )]),
    ),
    (
        "simple-err-issuer-parentorg-type.json",
        Invalid(&[(
            "/issuer/parentOrg/type",
            "must include \"Profile\" (found [\"InvalidProfile\"])",
        )]),
    ),
    (
        "simple-err-issuer-type.json",
        Invalid(&[(
            "/issuer/type",
            "must include \"Profile\" (found [\"InvalidProfile\"])",
        )]),
    ),
    // Upstream: JsonSchemaProbe (issuer missing).
    (
        "simple-err-issuer.json",
        Invalid(&[
            ("", "\"issuer\" is a required property"),
            ("/credentialSubject", NO_ACHIEVEMENT),
        ]),
    ),
    // Upstream: EmbeddedProofProbe — proofs are the keys crate's business.
    ("simple-err-proof-method-no-scheme.json", Valid),
    ("simple-err-proof-method-unknown-did-method.json", Valid),
    ("simple-err-proof-method-unknown-scheme.json", Valid),
    ("simple-err-proof-method.json", Valid),
    ("simple-err-proof-value.json", Valid),
    // Upstream: TypePropertyProbe.
    (
        "simple-err-type.json",
        UnknownKind(&[(
            "/type",
            "found [\"VerifiableCredential\", \"OtherCredential\"]",
        )]),
    ),
    // An unknown extra proof type is not a structural error.
    ("simple-multiple-proofs.json", Valid),
    // Upstream: invalid for lacking a proof (a verification matter); it also
    // lacks an achievement.
    (
        "simple-noproof.json",
        Invalid(&[("/credentialSubject", NO_ACHIEVEMENT)]),
    ),
    ("simple.json", Valid),
    ("simple_v1.json", Valid),
];

/// The spec and implementation-guide examples (bare achievements excluded).
const EXAMPLES: &[(&str, Verdict)] = &[
    ("ob3-impl-guide/migrating-issuer-profile-relation-between-open-badges-2-0-and-open-badges-3-0.json", Valid),
    ("ob3-impl-guide/migrating-upgraded-ob-2-0-assertion-included-within-clr-2-0.json", Valid),
    ("ob3-impl-guide/quickstart-issuer-profile-did-web-document.json", Valid),
    // Known errata of the guide (SOURCES.md): Achievement `type` is "" and
    // identityType is OB 2.0's "email". Both are reported, nothing else.
    ("ob3-impl-guide/quickstart-signed-openbadgecredential-hashed-email.json", Invalid(&[
        ("/credentialSubject/achievement/type", "must include \"Achievement\" (found [\"\"])"),
        ("/credentialSubject/identifier/0/identityType", EMAIL_ERRATUM),
    ])),
    ("ob3-spec/achievement-alignment-case.json", Valid),
    ("ob3-spec/achievement-alignment-credential-engine.json", Valid),
    ("ob3-spec/basic-openbadgecredential.json", Valid),
    ("ob3-spec/complete-openbadgecredential.json", Valid),
    ("ob3-spec/docformat-sample-openbadgecredential.json", Valid),
    ("ob3-spec/endorsementcredential.json", Valid),
    ("ob3-spec/skill-assertion-case.json", Valid),
    ("ob3-spec/skill-assertion-ctdl.json", Valid),
];

fn check(name: &str, doc: &serde_json::Value, verdict: &Verdict) {
    let result = if DocumentKind::of(doc) == Some(DocumentKind::Profile) {
        validate_profile(doc)
    } else {
        validate_credential(doc)
    };
    let (expected, error) = match (verdict, result) {
        (Valid, Ok(())) => return,
        (Valid, Err(error)) => panic!("{name}: expected valid, got {error}"),
        (Invalid(_) | UnknownKind(_), Ok(())) => panic!("{name}: expected findings, got none"),
        (Invalid(expected), Err(error @ SchemaError::Invalid { .. })) => (expected, error),
        (UnknownKind(expected), Err(error @ SchemaError::UnknownKind { .. })) => (expected, error),
        (_, Err(error)) => panic!("{name}: wrong kind of error: {error:?}"),
    };
    let findings = error.findings();
    assert_eq!(
        findings.len(),
        expected.len(),
        "{name}: findings {findings:#?}"
    );
    for (path, words) in *expected {
        assert!(
            findings
                .iter()
                .any(|f| f.path == *path && f.message.contains(words)),
            "{name}: no finding at {path:?} containing {words:?} in {findings:#?}"
        );
    }
}

#[test]
fn validator_fixtures_get_their_verdicts() {
    let expectations =
        fixtures::load(&fixtures::root().join("fixtures/1edtech-validator/expectations.json"));
    let listed: BTreeSet<&str> = expectations["ob30"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let ours: BTreeSet<&str> = OB30.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        listed, ours,
        "every fixture in expectations.json needs a verdict row, and only those"
    );
    for (name, verdict) in OB30 {
        check(name, &fixtures::load(&fixtures::ob30().join(name)), verdict);
    }
}

#[test]
fn examples_get_their_verdicts() {
    for (name, verdict) in EXAMPLES {
        check(
            name,
            &fixtures::load(&fixtures::root().join("examples").join(name)),
            verdict,
        );
    }
}

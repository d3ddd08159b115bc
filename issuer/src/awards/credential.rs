//! Building and securing an award's `OpenBadgeCredential`
//! (<https://www.imsglobal.org/spec/ob/v3p0/#achievementcredential>).
//!
//! The earner has no DID: the subject's `id` is a random `urn:uuid` per award,
//! and `credentialSubject.identifier` holds
//! `IdentityObject`s, a salted SHA-256 of the e-mail address (when known) and
//! of the name, normalised as the verifier normalises what a holder types
//! (`schemas::model::identity`). With the earner's consent the plain name is
//! added as an unhashed `name` identity, the one OB 3.0 place for it.

use chrono::SecondsFormat;
use serde_json::{Map, Value};

use schemas::{
    Achievement, AchievementSubject, CredentialSchema, CredentialStatus, Evidence, IdentityObject,
    Issuer, OpenBadgeCredential, Profile, IDENTITY_TYPE_NAME,
};

use super::{Award, AwardError, IssueContext};
use crate::achievements::{self, AchievementVersion};
use crate::org_keys;
use crate::orgs::{self, Organisation};
use crate::time::random_token;

/// The 1EdTech extensions context, defining the `credentialSchema` type
/// `1EdTechJsonSchemaValidator2019` (without it, JSON-LD would drop that type and
/// a Data Integrity signer in safe mode refuses the document).
pub const OB_EXTENSIONS_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json";

/// `credentialSchema` of every award: the 1EdTech AchievementCredential schema.
pub const ACHIEVEMENT_CREDENTIAL_SCHEMA: &str =
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

/// What the credential says about its earner.
pub(crate) struct Subject<'a> {
    pub(crate) name: &'a str,
    pub(crate) email: Option<&'a str>,
    pub(crate) name_consent: bool,
    pub(crate) narrative: Option<&'a str>,
    pub(crate) evidence_url: Option<&'a str>,
}

/// The issuer as embedded in credentials: the organisation's Profile fields
/// under its did:web DID (the identity every peer resolves), without
/// `@context` and without keys.
pub fn issuer_profile(org: &Organisation, base: &str) -> Issuer {
    Issuer::Profile(Box::new(Profile {
        id: orgs::did(base, &org.slug),
        ..orgs::profile(org, base)
    }))
}

/// What every credential of one achievement version, issued at one instant,
/// shares: built once per request or batch, not once per credential.
pub(crate) struct Template {
    name: String,
    issuer: Issuer,
    achievement: Achievement,
    now: String,
}

impl Template {
    /// The shared parts for `version` awarded by `org` at `ctx.now`.
    pub(crate) fn new(
        ctx: &IssueContext<'_>,
        org: &Organisation,
        version: &AchievementVersion,
    ) -> Self {
        let issuer_id = orgs::did(&ctx.base, &org.slug);
        Self {
            name: version.name.clone(),
            issuer: issuer_profile(org, &ctx.base),
            achievement: achievements::achievement(version, &ctx.base, &issuer_id),
            now: ctx.now.to_rfc3339_opts(SecondsFormat::Secs, true),
        }
    }

    /// The unsigned credential of one earner.
    pub(crate) fn build(
        &self,
        credential_id: &str,
        status: CredentialStatus,
        subject: &Subject<'_>,
    ) -> OpenBadgeCredential {
        let mut identifier = Vec::new();
        if let Some(email) = subject.email {
            identifier.push(IdentityObject::hashed_email(email, &salt()));
        }
        identifier.push(IdentityObject::hashed_name(subject.name, &salt()));
        let mut credential_subject = AchievementSubject::new(self.achievement.clone());
        credential_subject.id = Some(subject_id());
        credential_subject.identifier = identifier;
        credential_subject.narrative = subject.narrative.map(str::to_owned);
        set_plain_name(&mut credential_subject, subject.name, subject.name_consent);
        let mut credential = OpenBadgeCredential::new(
            credential_id,
            self.issuer.clone(),
            credential_subject,
            self.now.clone(),
        );
        credential.context.push(OB_EXTENSIONS_CONTEXT.into());
        credential.name = Some(self.name.clone());
        credential.awarded_date = Some(self.now.clone());
        credential.credential_schema = vec![CredentialSchema {
            id: ACHIEVEMENT_CREDENTIAL_SCHEMA.to_owned(),
            schema_type: "1EdTechJsonSchemaValidator2019".to_owned(),
            extra: Map::new(),
        }];
        credential.credential_status = Some(status);
        credential.evidence = subject
            .evidence_url
            .map(|url| Evidence {
                id: Some(url.to_owned()),
                types: vec!["Evidence".to_owned()],
                ..Evidence::default()
            })
            .into_iter()
            .collect();
        credential
    }
}

/// A subject id for one award: OB 3.0 §8.2 wants `sub` in a VC-JWT, so the
/// subject needs an id. A random `urn:uuid` reveals nothing about the person
/// and ties their badges to nothing else; `identifier` says whom it names.
fn subject_id() -> String {
    format!("urn:uuid:{}", crate::time::new_id())
}

/// A fresh salt: 128 random bits, so equal identities hash differently in
/// every credential.
fn salt() -> String {
    random_token(16)
}

/// Adds (consent) or removes (no consent) the unhashed `name` identity.
pub(crate) fn set_plain_name(subject: &mut AchievementSubject, name: &str, consent: bool) {
    subject.identifier.retain(|i| !is_plain_name(i));
    if consent {
        subject.identifier.push(IdentityObject {
            identity_object_type: "IdentityObject".to_owned(),
            hashed: false,
            identity_hash: name.to_owned(),
            identity_type: IDENTITY_TYPE_NAME.to_owned(),
            salt: None,
            extra: Map::new(),
        });
    }
}

fn is_plain_name(identity: &IdentityObject) -> bool {
    !identity.hashed && identity.identity_type == IDENTITY_TYPE_NAME
}

/// The earner's plain name when the credential discloses it.
pub fn plain_name(credential: &OpenBadgeCredential) -> Option<&str> {
    credential
        .credential_subject
        .identifier
        .iter()
        .find(|identity| is_plain_name(identity))
        .map(|identity| identity.identity_hash.as_str())
}

/// Refuses a credential that does not conform to Open Badges 3.0.
pub(crate) fn validate(credential: &Value) -> Result<(), AwardError> {
    schemas::validate_credential(credential).map_err(|e| {
        let findings: Vec<String> = e.findings().iter().map(ToString::to_string).collect();
        let detail = if findings.is_empty() {
            e.to_string()
        } else {
            findings.join("; ")
        };
        AwardError::NonConforming(detail)
    })
}

/// The credential as the JSON that is signed and stored: the one place a
/// typed credential is serialised (by [`secure`]).
fn to_json(credential: &OpenBadgeCredential) -> Result<Value, AwardError> {
    serde_json::to_value(credential).map_err(AwardError::Serialise)
}

/// An award's stored credential read through the model, without its proof
/// (what a re-signature starts from).
pub(crate) fn unsigned(award: &Award) -> Result<OpenBadgeCredential, AwardError> {
    let mut credential = award.stored_credential()?;
    credential.proof.clear();
    Ok(credential)
}

/// The key reference of a proof or VC-JWT `kid`: the issuer id and the key
/// id, `<issuer>#<key id>`, always absolute (OB 3.0 §8.2.3). Both identities
/// of an organisation publish every key under that name: the did:web DID
/// document (credentials issued since the DID became the issuer) and the
/// Profile (earlier ones, still re-signed under the Profile they name).
///
/// The one exception keeps earlier behaviour for credentials whose issuer is a
/// plain-http Profile (local set-ups before the DID): `keys::binding` only
/// dereferences an absolute http `kid` over https, so there the key stays named
/// relative to the issuer, `#<key id>`.
pub fn key_reference(issuer_id: &str, key_id: &str, jwt: bool) -> String {
    if jwt && issuer_id.starts_with("http://") {
        format!("#{key_id}")
    } else {
        format!("{issuer_id}#{key_id}")
    }
}

/// A secured credential.
pub(crate) struct Secured {
    /// The credential JSON: with its proof (Data Integrity), or the content
    /// the JWT secures (VC-JWT).
    pub(crate) credential: Value,
    /// The compact VC-JWT.
    pub(crate) jwt: Option<String>,
}

/// Signs with the organisation's active key of the right algorithm, naming
/// the key under the identity the credential gives as its issuer (its DID, or
/// the Profile for credentials issued before the DID).
///
/// A Data Integrity proof is written as a proof set (`"proof": [...]`), the
/// form the 1EdTech JSON Schema requires and the specification's examples use.
pub(crate) fn secure(
    ctx: &IssueContext<'_>,
    key: &org_keys::SigningKey,
    unsigned: &OpenBadgeCredential,
) -> Result<Secured, AwardError> {
    let issuer = unsigned.issuer.id().to_owned();
    let unsigned = to_json(unsigned)?;
    match key {
        org_keys::SigningKey::Ed25519 { kid, key } => {
            let options = keys::di::ProofOptions::new(key_reference(&issuer, kid, false), ctx.now);
            let mut credential = keys::di::sign_eddsa_rdfc_2022(&unsigned, key, options)
                .map_err(AwardError::DataIntegrity)?;
            org_keys::as_proof_set(&mut credential);
            validate(&credential)?;
            Ok(Secured {
                credential,
                jwt: None,
            })
        }
        org_keys::SigningKey::Rs256 { kid, key } => {
            validate(&unsigned)?;
            let signer = keys::SigningKey::Rsa((**key).clone());
            let kid = key_reference(&issuer, kid, true);
            let jwt =
                keys::sign_vc_jwt(&unsigned, &signer, &kid, ctx.now).map_err(AwardError::Jwt)?;
            Ok(Secured {
                credential: unsigned,
                jwt: Some(jwt),
            })
        }
    }
}

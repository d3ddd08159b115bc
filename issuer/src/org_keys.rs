//! Organisations' signing keys: generation, sealed storage, rotation and the
//! public documents built from them (JWKS, did:web DID document).
//!
//! Each organisation has one active key per algorithm: Ed25519 for Data
//! Integrity (`eddsa-rdfc-2022`) and RSA-2048 for VC-JWT `RS256`. Private keys
//! are PKCS#8 DER sealed with the [`MasterKey`]; they never leave this module
//! unsealed except as a [`SigningKey`] handed to the signer. Rotation retires
//! the active key (it stays published, so earlier credentials keep verifying)
//! and activates a new one, in one transaction.

use diesel::prelude::*;
use keys::did::{DidDocument, VerificationMethod, DID_CONTEXT, JWK_CONTEXT, MULTIKEY_CONTEXT};
use keys::{Jwk, Jwks};
use serde::Serialize;
use serde_json::Value;

use crate::audit::{self, Actor, AuditEvent, Target};
use crate::db::schema::org_keys;
use crate::db::{DbConnection, DbError};
use crate::ids::OrgId;
use crate::master_key::MasterKey;
use crate::time::{new_id, now, rfc3339};

/// RSA modulus size for VC-JWT keys.
pub const RSA_BITS: usize = 2048;
/// Status of the key that signs.
pub const ACTIVE: &str = "active";
/// Status of a key that no longer signs but stays published.
pub const RETIRED: &str = "retired";

/// A signing algorithm an organisation holds a key for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize, utoipa::ToSchema)]
pub enum KeyAlgorithm {
    /// Ed25519, for Data Integrity `eddsa-rdfc-2022`.
    #[serde(rename = "Ed25519")]
    Ed25519,
    /// RSASSA-PKCS1-v1_5 with SHA-256, for VC-JWT.
    #[serde(rename = "RS256")]
    Rs256,
}

impl KeyAlgorithm {
    /// Both algorithms, in the order keys are created.
    pub const ALL: [Self; 2] = [Self::Ed25519, Self::Rs256];

    /// The stored and published name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ed25519 => "Ed25519",
            Self::Rs256 => "RS256",
        }
    }

    /// Parses a stored or requested name.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "Ed25519" | "ed25519" | "EdDSA" => Some(Self::Ed25519),
            "RS256" | "rs256" => Some(Self::Rs256),
            _ => None,
        }
    }
}

/// A stored key row; `private_key_enc` is sealed and never serialised.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = org_keys)]
pub struct OrgKeyRow {
    /// Key id, also the fragment of its verification method and the JWK `kid`.
    pub id: String,
    /// Owning organisation.
    pub org_id: OrgId,
    /// [`KeyAlgorithm::as_str`].
    pub algorithm: String,
    /// Public JWK, JSON.
    pub public_jwk: String,
    /// PKCS#8 DER sealed with the master key (base64).
    pub private_key_enc: String,
    /// [`ACTIVE`] or [`RETIRED`].
    pub status: String,
    /// Created, Unix seconds.
    pub created_at: i64,
    /// Retired, Unix seconds.
    pub retired_at: Option<i64>,
}

/// A public key as the API lists it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicKeyInfo {
    /// Key id.
    pub id: String,
    /// Algorithm name.
    pub algorithm: String,
    /// `active` or `retired`.
    pub status: String,
    /// The public JWK.
    #[schema(value_type = Object)]
    pub public_jwk: Value,
    /// Created, RFC 3339.
    #[schema(format = DateTime)]
    pub created_at: Option<String>,
    /// Retired, RFC 3339.
    #[schema(format = DateTime)]
    pub retired_at: Option<String>,
}

impl From<&OrgKeyRow> for PublicKeyInfo {
    fn from(row: &OrgKeyRow) -> Self {
        Self {
            id: row.id.clone(),
            algorithm: row.algorithm.clone(),
            status: row.status.clone(),
            public_jwk: serde_json::from_str(&row.public_jwk).unwrap_or(Value::Null),
            created_at: rfc3339(row.created_at),
            retired_at: row.retired_at.and_then(rfc3339),
        }
    }
}

/// An unsealed private key, ready to sign. Not `Debug`, not `Serialize`.
pub enum SigningKey {
    /// Ed25519.
    Ed25519 {
        /// Key id.
        kid: String,
        /// The key (boxed: it is zeroised on drop and moved around rarely).
        key: Box<ed25519_dalek::SigningKey>,
    },
    /// RSA for RS256.
    Rs256 {
        /// Key id.
        kid: String,
        /// The key.
        key: Box<rsa::RsaPrivateKey>,
    },
}

impl SigningKey {
    /// The key id.
    pub fn kid(&self) -> &str {
        match self {
            Self::Ed25519 { kid, .. } | Self::Rs256 { kid, .. } => kid,
        }
    }
}

/// Turns a single `proof` object into a proof set of one: how every Data
/// Integrity document signed here (awards, status lists) carries its proof,
/// the form the 1EdTech JSON Schema requires. Here, below both signers
/// (`awards::credential`, `status_list`), so that neither imports the other.
pub(crate) fn as_proof_set(document: &mut Value) {
    if let Some(map) = document.as_object_mut() {
        if let Some(proof) = map.get_mut("proof").filter(|p| p.is_object()) {
            *proof = Value::Array(vec![proof.take()]);
        }
    }
}

/// A key pair could not be generated or encoded (a bug or a broken random
/// source, never the caller's fault).
#[derive(Debug, thiserror::Error)]
#[error("key generation: {0}")]
pub struct KeyGenerationError(String);

/// Why a stored key could not be unsealed, or a key rotated (a bug, a
/// broken store or the wrong master key, never the caller's fault).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The organisation has no active key of the algorithm.
    #[error("organisation {org_id} has no active {algorithm} key")]
    NoActiveKey {
        /// The organisation's internal id.
        org_id: String,
        /// The algorithm's stored name.
        algorithm: &'static str,
    },
    /// The master key could not unseal the stored key.
    #[error(transparent)]
    Unseal(#[from] crate::master_key::MasterKeyError),
    /// The unsealed key is not a PKCS#8 key of its algorithm.
    #[error("stored key {id} unreadable: {detail}")]
    Unreadable {
        /// The key's id.
        id: String,
        /// What the decoder said.
        detail: String,
    },
    /// The new key could not be generated.
    #[error(transparent)]
    Generation(#[from] KeyGenerationError),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<diesel::result::Error> for KeyError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Database(e.into())
    }
}

/// Generates a key and seals it; CPU-heavy for RSA, so call it outside transactions.
pub fn generate(
    master: &MasterKey,
    org_id: &OrgId,
    algorithm: KeyAlgorithm,
) -> Result<OrgKeyRow, KeyGenerationError> {
    use ed25519_dalek::pkcs8::EncodePrivateKey as _;
    let id = new_id();
    let mut rng = rand::rngs::OsRng;
    let (jwk, der) = match algorithm {
        KeyAlgorithm::Ed25519 => {
            let key = ed25519_dalek::SigningKey::generate(&mut rng);
            let der = key
                .to_pkcs8_der()
                .map_err(|e| KeyGenerationError(format!("pkcs8: {e}")))?;
            (
                ed25519_jwk(&id, &key.verifying_key()),
                der.as_bytes().to_vec(),
            )
        }
        KeyAlgorithm::Rs256 => {
            let key = rsa::RsaPrivateKey::new(&mut rng, RSA_BITS)
                .map_err(|e| KeyGenerationError(format!("rsa: {e}")))?;
            let der = key
                .to_pkcs8_der()
                .map_err(|e| KeyGenerationError(format!("pkcs8: {e}")))?;
            (rsa_jwk(&id, &key.to_public_key()), der.as_bytes().to_vec())
        }
    };
    Ok(OrgKeyRow {
        private_key_enc: master.seal(&id, &der),
        id,
        org_id: org_id.clone(),
        algorithm: algorithm.as_str().to_owned(),
        public_jwk: serde_json::to_string(&jwk)
            .map_err(|e| KeyGenerationError(format!("jwk: {e}")))?,
        status: ACTIVE.to_owned(),
        created_at: now(),
        retired_at: None,
    })
}

fn ed25519_jwk(kid: &str, key: &ed25519_dalek::VerifyingKey) -> Jwk {
    published_jwk(keys::PublicKey::Ed25519(*key).to_jwk(), kid, "EdDSA")
}

fn rsa_jwk(kid: &str, key: &rsa::RsaPublicKey) -> Jwk {
    published_jwk(keys::PublicKey::Rsa(key.clone()).to_jwk(), kid, "RS256")
}

/// A public JWK as stored and published: named, its algorithm and use stated.
fn published_jwk(jwk: Jwk, kid: &str, alg: &str) -> Jwk {
    Jwk {
        kid: Some(kid.to_owned()),
        alg: Some(alg.to_owned()),
        key_use: Some("sig".to_owned()),
        ..jwk
    }
}

/// Stores freshly generated keys as the active ones (no other active key may exist).
pub fn insert(conn: &mut DbConnection, rows: &[OrgKeyRow]) -> QueryResult<()> {
    for row in rows {
        diesel::insert_into(org_keys::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// Generates a new key of `algorithm` for the organisation `org_id`, retires the active one (it
/// stays published, so badges it signed keep verifying) and records who did
/// it in the audit log. The key is generated before the transaction (RSA is
/// slow); the swap and the audit entry are one transaction.
pub fn rotate_recorded(
    conn: &mut DbConnection,
    master: &MasterKey,
    org_id: &OrgId,
    algorithm: KeyAlgorithm,
    actor: Actor<'_>,
) -> Result<OrgKeyRow, KeyError> {
    let new_key = generate(master, org_id, algorithm)?;
    crate::db::write_transaction(conn, |conn| {
        let retired = rotate(conn, &new_key)?;
        let detail = retired.map(|old| format!("retired {old}"));
        let event = AuditEvent::new(org_id, actor, "key.rotate", Target::Key(&new_key.id));
        audit::record(conn, event.with_detail(detail.as_deref()))?;
        Ok(new_key)
    })
}

/// Retires the active key of `algorithm` and activates `new_key`; call in a transaction.
pub fn rotate(conn: &mut DbConnection, new_key: &OrgKeyRow) -> QueryResult<Option<String>> {
    let retired: Option<String> = org_keys::table
        .filter(org_keys::org_id.eq(&new_key.org_id))
        .filter(org_keys::algorithm.eq(&new_key.algorithm))
        .filter(org_keys::status.eq(ACTIVE))
        .select(org_keys::id)
        .first(conn)
        .optional()?;
    if let Some(old) = &retired {
        diesel::update(org_keys::table.find(old))
            .set((
                org_keys::status.eq(RETIRED),
                org_keys::retired_at.eq(Some(now())),
            ))
            .execute(conn)?;
    }
    diesel::insert_into(org_keys::table)
        .values(new_key)
        .execute(conn)?;
    Ok(retired)
}

/// Every key of an organisation, active and retired, oldest first.
pub fn all(conn: &mut DbConnection, org_id: &OrgId) -> QueryResult<Vec<OrgKeyRow>> {
    org_keys::table
        .filter(org_keys::org_id.eq(org_id))
        .order((org_keys::created_at.asc(), org_keys::id.asc()))
        .select(OrgKeyRow::as_select())
        .load(conn)
}

/// The active key of `algorithm`, unsealed.
pub fn active_signing_key(
    conn: &mut DbConnection,
    master: &MasterKey,
    org_id: &OrgId,
    algorithm: KeyAlgorithm,
) -> Result<SigningKey, KeyError> {
    use ed25519_dalek::pkcs8::DecodePrivateKey as _;
    use secrecy::ExposeSecret;
    let row: OrgKeyRow = org_keys::table
        .filter(org_keys::org_id.eq(org_id))
        .filter(org_keys::algorithm.eq(algorithm.as_str()))
        .filter(org_keys::status.eq(ACTIVE))
        .select(OrgKeyRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| KeyError::NoActiveKey {
            org_id: org_id.to_string(),
            algorithm: algorithm.as_str(),
        })?;
    let der = master.unseal(&row.id, &row.private_key_enc)?;
    let der = der.expose_secret();
    let bad = |detail: String| KeyError::Unreadable {
        id: row.id.clone(),
        detail,
    };
    Ok(match algorithm {
        KeyAlgorithm::Ed25519 => SigningKey::Ed25519 {
            key: Box::new(
                ed25519_dalek::SigningKey::from_pkcs8_der(der).map_err(|e| bad(e.to_string()))?,
            ),
            kid: row.id,
        },
        KeyAlgorithm::Rs256 => SigningKey::Rs256 {
            key: Box::new(rsa::RsaPrivateKey::from_pkcs8_der(der).map_err(|e| bad(e.to_string()))?),
            kid: row.id,
        },
    })
}

/// The public JWK of a stored key, when it reads as one.
fn stored_jwk(row: &OrgKeyRow) -> Option<Jwk> {
    serde_json::from_str(&row.public_jwk).ok()
}

/// The JWKS of an organisation: every key, active and retired.
pub fn jwks(rows: &[OrgKeyRow]) -> Jwks {
    Jwks {
        keys: rows.iter().filter_map(stored_jwk).collect(),
    }
}

/// The verification method of a stored key in the DID document `did`:
/// Ed25519 as `Multikey`, RSA as `JsonWebKey` with the stored JWK.
fn did_method(did: &str, row: &OrgKeyRow) -> Option<VerificationMethod> {
    let jwk = stored_jwk(row)?;
    let id = format!("{did}#{}", row.id);
    match KeyAlgorithm::parse(&row.algorithm)? {
        KeyAlgorithm::Ed25519 => match jwk.to_public_key().ok()? {
            keys::PublicKey::Ed25519(key) => Some(VerificationMethod::multikey(
                &id,
                did,
                keys::did::ed25519_multibase(&key),
            )),
            _ => None,
        },
        KeyAlgorithm::Rs256 => Some(VerificationMethod::json_web_key(&id, did, jwk)),
    }
}

/// The did:web DID document of an organisation: every key, active and
/// retired, under `verificationMethod`, `assertionMethod` and
/// `authentication` (retired keys stay listed, so earlier badges keep
/// verifying); the DID is `alsoKnownAs` the Profile.
pub fn did_document(did: &str, profile_id: &str, rows: &[OrgKeyRow]) -> DidDocument {
    let methods = rows.iter().filter_map(|row| did_method(did, row)).collect();
    let contexts = [DID_CONTEXT, MULTIKEY_CONTEXT, JWK_CONTEXT];
    let mut document = DidDocument::new(&contexts, did, methods);
    document.also_known_as = vec![profile_id.to_owned()];
    document.authentication = Some(document.assertion_method.clone());
    document
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ed25519_key_seals_and_publishes() {
        let master = MasterKey::generate();
        let row = generate(&master, &"org".into(), KeyAlgorithm::Ed25519).unwrap();
        assert!(!row.public_jwk.contains("\"d\""));
        let doc = did_document(
            "did:web:example.org:orgs:a",
            "https://example.org/orgs/a",
            std::slice::from_ref(&row),
        );
        let doc = doc.to_value();
        let multibase = doc["verificationMethod"][0]["publicKeyMultibase"]
            .as_str()
            .unwrap();
        assert!(multibase.starts_with("z6Mk"));
        let jwks = serde_json::to_value(jwks(&[row])).unwrap();
        assert_eq!(jwks["keys"][0]["crv"], "Ed25519");
    }
}

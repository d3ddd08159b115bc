//! A credential as published under its public token, with the award and
//! the organisation a page or a document needs around it. Read by the
//! public documents (`routes::credentials`) and the badge's page for people
//! (`pages::public`) alike.

use serde_json::Value;

use crate::awards::{self, Award, AwardError};
use crate::db::DbConnection;
use crate::orgs::{self, Organisation};

/// A credential as published, with what a page needs around it.
#[derive(Debug, Clone)]
pub struct CredentialDocument {
    /// The award row.
    pub award: Award,
    /// The issuing organisation.
    pub organisation: Organisation,
    /// The credential JSON (with its proof, or the content of the JWT).
    pub credential: Value,
    /// The compact VC-JWT of a `jwt` award.
    pub jwt: Option<String>,
}

impl CredentialDocument {
    /// Whether the award is revoked.
    pub fn revoked(&self) -> bool {
        self.award.is_revoked()
    }

    /// The revocation reason, when revoked.
    pub fn revocation_reason(&self) -> Option<&str> {
        self.award.revocation_reason.as_deref()
    }
}

/// The credential published under `token` (404 when there is none).
pub fn credential_document(
    conn: &mut DbConnection,
    token: &str,
) -> Result<CredentialDocument, AwardError> {
    let award = awards::by_public_token(conn, token)?;
    let organisation = orgs::by_ids(conn, std::slice::from_ref(&award.org_id))?
        .into_iter()
        .next()
        .ok_or(AwardError::CredentialNotFound)?;
    Ok(CredentialDocument {
        credential: award.credential_json()?,
        jwt: award.credential_jwt.clone(),
        award,
        organisation,
    })
}

//! Awards: issuing an achievement to a participant as a signed
//! `OpenBadgeCredential`, storing it, and revoking it.
//!
//! An award is one `awards` row holding the secured credential (Data
//! Integrity `eddsa-rdfc-2022` by default, VC-JWT `RS256` on request), its
//! public token (the credential URL `<base>/credentials/<token>`, 144 random
//! bits), its status list index ([`crate::status_list`]), and, for earners
//! without an e-mail address, a claim code ([`claim`]). Allocation, signing,
//! the insert and the audit entry happen in one transaction; a request
//! repeated with the same idempotency key returns the award it created.
//!
//! - [`credential`]: the credential's content and its signature.
//! - [`claim`]: claim codes and their QR codes.
//! - [`csv`]: bulk awards from a CSV file.
//! - [`erase`]: erasing a participant's data at their request.

pub mod claim;
pub mod credential;
pub mod csv;
pub mod erase;
mod model;

pub(crate) use model::checked;
pub use model::{
    credential_url, is_http_url, Award, AwardRequest, AwardView, CredentialFormat, IssueContext,
    MAX_IDEMPOTENCY_KEY, MAX_NAME, MAX_NARRATIVE, MAX_REASON, MAX_URL,
};

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::achievements::{self, AchievementVersion};
use crate::audit::{self, AuditEvent};
use crate::db::schema::awards;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::org_keys::{self, SigningKey};
use crate::orgs::{self, Organisation};
use crate::status_list;
use crate::time::{new_id, random_token};

/// Insert attempts when a random value (index, token, code) clashes.
const MAX_ATTEMPTS: usize = 5;

/// The outcome of [`issue`].
#[derive(Debug, Clone)]
pub struct Issued {
    /// The award.
    pub award: Award,
    /// `false` when an earlier request with the same idempotency key made it.
    pub created: bool,
}

/// Awards an achievement: builds, validates and signs the credential and
/// stores it, in one transaction.
pub fn award(
    conn: &mut DbConnection,
    ctx: &IssueContext<'_>,
    org: &Organisation,
    request: AwardRequest,
    actor: &str,
) -> Result<Award, ApiError> {
    issue(conn, ctx, org, request, actor).map(|issued| issued.award)
}

/// [`award`], telling whether the award is new or an idempotent repeat.
pub fn issue(
    conn: &mut DbConnection,
    ctx: &IssueContext<'_>,
    org: &Organisation,
    request: AwardRequest,
    actor: &str,
) -> Result<Issued, ApiError> {
    let request = checked(request)?;
    let version = achievements::current(conn, &org.id, &request.achievement_id)?;
    let key =
        org_keys::active_signing_key(conn, ctx.master_key, &org.id, request.format.algorithm())?;
    issue_prepared(conn, ctx, org, &version, &key, &request, actor)
}

/// Issues a checked request with an already resolved version and key (bulk
/// awards reuse both).
pub(crate) fn issue_prepared(
    conn: &mut DbConnection,
    ctx: &IssueContext<'_>,
    org: &Organisation,
    version: &AchievementVersion,
    key: &SigningKey,
    request: &AwardRequest,
    actor: &str,
) -> Result<Issued, ApiError> {
    conn.transaction(|conn| {
        if let Some(existing) = by_idempotency_key(conn, &org.id, request)? {
            return Ok(Issued {
                award: existing,
                created: false,
            });
        }
        for _ in 0..MAX_ATTEMPTS {
            let row = signed_row(conn, ctx, org, version, key, request, actor)?;
            // A savepoint: a clash on a unique column leaves the transaction usable.
            let inserted = conn.transaction(|conn| {
                diesel::insert_into(awards::table)
                    .values(&row)
                    .execute(conn)
            });
            match inserted {
                Ok(_) => {
                    audit::record(conn, event(org, actor, "award.create", &row.id, None))?;
                    return Ok(Issued {
                        award: row,
                        created: true,
                    });
                }
                Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
                    // A concurrent request with the same key won the race: answer its award.
                    if let Some(existing) = by_idempotency_key(conn, &org.id, request)? {
                        return Ok(Issued {
                            award: existing,
                            created: false,
                        });
                    }
                    // Otherwise a random index, token or claim code clashed: draw again.
                }
                Err(other) => return Err(other.into()),
            }
        }
        Err(ApiError::internal("award insert kept clashing"))
    })
}

/// Allocates, builds, validates and signs: the row to insert.
fn signed_row(
    conn: &mut DbConnection,
    ctx: &IssueContext<'_>,
    org: &Organisation,
    version: &AchievementVersion,
    key: &SigningKey,
    request: &AwardRequest,
    actor: &str,
) -> Result<Award, ApiError> {
    let now = ctx.now.timestamp();
    let allocation = status_list::allocate(conn, &org.id, now)?;
    let public_token = random_token(18);
    let list_url = status_list::list_url(&ctx.base, &org.slug, &allocation.list_id);
    let unsigned = credential::build(
        ctx,
        org,
        version,
        &credential_url(&ctx.base, &public_token),
        status_list::status_entry(&list_url, allocation.index),
        &credential::Subject {
            name: &request.recipient_name,
            email: request.recipient_email.as_deref(),
            name_consent: request.name_consent,
            narrative: request.narrative.as_deref(),
            evidence_url: request.evidence_url.as_deref(),
        },
    );
    let secured = credential::secure(ctx, org, key, unsigned)?;
    Ok(Award {
        id: new_id(),
        org_id: org.id.clone(),
        achievement_version_id: version.id.clone(),
        recipient_name: request.recipient_name.clone(),
        recipient_email: request.recipient_email.clone(),
        name_consent: i32::from(request.name_consent),
        narrative: request.narrative.clone(),
        evidence_url: request.evidence_url.clone(),
        format: request.format.as_str().to_owned(),
        credential: secured.credential.to_string(),
        status_list_id: allocation.list_id,
        status_index: allocation.index,
        public_token,
        claim_code: request.recipient_email.is_none().then(claim::new_code),
        idempotency_key: request.idempotency_key.clone(),
        awarded_by: actor.to_owned(),
        revoked_at: None,
        revocation_reason: None,
        created_at: now,
        credential_jwt: secured.jwt,
    })
}

fn by_idempotency_key(
    conn: &mut DbConnection,
    org_id: &str,
    request: &AwardRequest,
) -> QueryResult<Option<Award>> {
    let Some(key) = &request.idempotency_key else {
        return Ok(None);
    };
    awards::table
        .filter(awards::org_id.eq(org_id))
        .filter(awards::idempotency_key.eq(key))
        .select(Award::as_select())
        .first(conn)
        .optional()
}

fn event<'a>(
    org: &'a Organisation,
    actor: &'a str,
    action: &'a str,
    award_id: &'a str,
    detail: Option<&'a str>,
) -> AuditEvent<'a> {
    AuditEvent {
        org_id: Some(&org.id),
        actor,
        action,
        target_type: "award",
        target_id: award_id,
        detail,
    }
}

/// The award of `org_id` with this id (404 for another organisation's).
pub fn by_id(conn: &mut DbConnection, org_id: &str, award_id: &str) -> Result<Award, ApiError> {
    awards::table
        .filter(awards::id.eq(award_id))
        .filter(awards::org_id.eq(org_id))
        .select(Award::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound("award"))
}

/// The award whose credential URL ends with `token`.
pub fn by_public_token(conn: &mut DbConnection, token: &str) -> Result<Award, ApiError> {
    awards::table
        .filter(awards::public_token.eq(token))
        .select(Award::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound("credential"))
}

/// The award with this claim code, typed in any case, with or without the hyphen.
pub fn by_claim_code(conn: &mut DbConnection, code: &str) -> Result<Award, ApiError> {
    let code = claim::normalise_code(code).ok_or(ApiError::NotFound("claim code"))?;
    awards::table
        .filter(awards::claim_code.eq(code))
        .select(Award::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound("claim code"))
}

/// Largest page of [`list`].
pub const MAX_PAGE: i64 = 500;

/// An organisation's awards, newest first: `limit` (1 to [`MAX_PAGE`]) from `offset`.
pub fn list(
    conn: &mut DbConnection,
    org_id: &str,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<Award>> {
    awards::table
        .filter(awards::org_id.eq(org_id))
        .order((awards::created_at.desc(), awards::id.desc()))
        .limit(limit.clamp(1, MAX_PAGE))
        .offset(offset.max(0))
        .select(Award::as_select())
        .load(conn)
}

/// Revokes an award of `org` with a reason (1 to [`MAX_REASON`] characters);
/// its status list bit is set from now on.
pub fn revoke(
    conn: &mut DbConnection,
    ctx: &IssueContext<'_>,
    org: &Organisation,
    award_id: &str,
    reason: &str,
    actor: &str,
) -> Result<Award, ApiError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON {
        return Err(ApiError::bad_request(
            "invalid_reason",
            format!("reason: 1 to {MAX_REASON} characters"),
        ));
    }
    conn.transaction(|conn| {
        let mut award = by_id(conn, &org.id, award_id)?;
        if award.is_revoked() {
            return Err(ApiError::conflict(
                "already_revoked",
                "this award is already revoked",
            ));
        }
        award.revoked_at = Some(ctx.now.timestamp());
        award.revocation_reason = Some(reason.to_owned());
        diesel::update(awards::table.find(&award.id))
            .set((
                awards::revoked_at.eq(award.revoked_at),
                awards::revocation_reason.eq(&award.revocation_reason),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            event(org, actor, "award.revoke", &award.id, Some(reason)),
        )?;
        Ok(award)
    })
}

/// Grants or withdraws the earner's consent to show their plain name: the
/// credential is re-signed with or without it (same id, same status index).
pub fn set_name_consent(
    conn: &mut DbConnection,
    ctx: &IssueContext<'_>,
    award: &Award,
    consent: bool,
) -> Result<Award, ApiError> {
    if (award.name_consent != 0) == consent {
        return Ok(award.clone());
    }
    if award.is_revoked() {
        return Err(ApiError::conflict(
            "revoked",
            "a revoked award is not signed again",
        ));
    }
    let org = orgs::by_ids(conn, std::slice::from_ref(&award.org_id))?
        .into_iter()
        .next()
        .ok_or(ApiError::NotFound("organisation"))?;
    let format = award.credential_format();
    let key = org_keys::active_signing_key(conn, ctx.master_key, &org.id, format.algorithm())?;
    let mut unsigned = credential::without_proof(&award.credential_json()?);
    credential::set_plain_name(&mut unsigned, &award.recipient_name, consent);
    let secured = credential::secure(ctx, &org, &key, unsigned)?;
    let mut updated = award.clone();
    updated.name_consent = i32::from(consent);
    updated.credential = secured.credential.to_string();
    updated.credential_jwt = secured.jwt;
    conn.transaction(|conn| {
        diesel::update(awards::table.find(&updated.id))
            .set((
                awards::name_consent.eq(updated.name_consent),
                awards::credential.eq(&updated.credential),
                awards::credential_jwt.eq(&updated.credential_jwt),
            ))
            .execute(conn)?;
        let detail = if consent { "granted" } else { "withdrawn" };
        audit::record(
            conn,
            AuditEvent {
                org_id: Some(&org.id),
                actor: "earner",
                action: "award.name_consent",
                target_type: "award",
                target_id: &updated.id,
                detail: Some(detail),
            },
        )?;
        Ok(updated)
    })
}

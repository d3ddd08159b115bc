//! Awards: issuing an achievement to a participant as a signed
//! `OpenBadgeCredential`, storing it, and revoking it.
//!
//! An award is one `awards` row holding the secured credential (Data
//! Integrity `eddsa-rdfc-2022` by default, VC-JWT `RS256` on request), its
//! public token (the credential URL `<base>/credentials/<token>`, 144 random
//! bits), its status list index ([`crate::status_list`]), and, for earners
//! without an e-mail address, a claim code ([`claim`]). The credential is
//! signed first, then stored with its audit entry in one short write
//! transaction (`issue`); a request repeated with the same idempotency key
//! returns the award it created.
//!
//! - [`credential`]: the credential's content and its signature.
//! - [`claim`]: claim codes and their QR codes.
//! - [`csv`]: bulk awards from a CSV file.
//! - [`erase`]: erasing a participant's data at their request.
//!
//! A function here that can fail otherwise than in the database answers an
//! [`AwardError`] (`error.rs`); one that can only fail there answers
//! `DbError` or diesel's `QueryResult` (`list`, `search`, `duplicates`).

pub mod claim;
pub mod credential;
pub mod csv;
pub mod csv_format;
pub mod document;
pub mod duplicates;
pub mod erase;
mod error;
mod issue;
mod model;
pub mod search;

pub use error::AwardError;
pub(crate) use issue::{issue_all, Also, Issuer};
pub(crate) use model::{checked, NewAward};
pub use model::{
    credential_url, is_http_url, Award, AwardRequest, AwardView, CredentialFormat, IssueContext,
    MAX_IDEMPOTENCY_KEY, MAX_NAME, MAX_NARRATIVE, MAX_REASON, MAX_URL,
};

use diesel::prelude::*;

use crate::audit::{self, Actor, AuditEvent, Target, EARNER_ACTOR};
use crate::db::schema::awards;
use crate::db::{write_transaction, DbConnection};
use crate::ids::{AchievementId, AwardId, OrgId};
use crate::org_keys;
use crate::orgs::{self, Organisation};
use crate::status_list;

/// The outcome of [`issue`].
#[derive(Debug, Clone)]
pub struct Issued {
    /// The award.
    pub award: Award,
    /// `false` when an earlier request with the same idempotency key made it.
    pub created: bool,
}

/// Awards an achievement: builds, validates and signs the credential and
/// stores it (see [`issue`]).
pub fn award(
    conn: &mut DbConnection,
    ctx: &IssueContext<'_>,
    org: &Organisation,
    request: AwardRequest,
    actor: Actor<'_>,
) -> Result<Award, AwardError> {
    issue(conn, ctx, org, request, actor).map(|issued| issued.award)
}

/// [`award`], telling whether the award is new or an idempotent repeat. The
/// credential is signed before the write transaction opens, which then only
/// stores it (module [`issue`]).
pub fn issue(
    conn: &mut DbConnection,
    ctx: &IssueContext<'_>,
    org: &Organisation,
    request: AwardRequest,
    actor: Actor<'_>,
) -> Result<Issued, AwardError> {
    let request = checked(request)?;
    let issuer = Issuer::load(
        conn,
        ctx,
        org,
        &AchievementId::from(request.achievement_id.as_str()),
        request.format,
        actor,
    )?;
    let outcome = issue::issue_all::<AwardError>(
        conn,
        &issuer,
        std::slice::from_ref(&request),
        &mut |_| {},
        &mut |_, _| Ok(()),
    )?
    .pop()
    .ok_or(AwardError::NoOutcome)?;
    Ok(Issued {
        award: outcome.award,
        created: outcome.created,
    })
}

/// The award of `org_id` with this id (404 for another organisation's).
pub fn by_id(
    conn: &mut DbConnection,
    org_id: &OrgId,
    award_id: &AwardId,
) -> Result<Award, AwardError> {
    awards::table
        .filter(awards::id.eq(award_id.as_str()))
        .filter(awards::org_id.eq(org_id))
        .select(Award::as_select())
        .first(conn)
        .optional()?
        .ok_or(AwardError::NotFound)
}

/// The award whose credential URL ends with `token`.
pub fn by_public_token(conn: &mut DbConnection, token: &str) -> Result<Award, AwardError> {
    awards::table
        .filter(awards::public_token.eq(token))
        .select(Award::as_select())
        .first(conn)
        .optional()?
        .ok_or(AwardError::CredentialNotFound)
}

/// The award with this claim code, typed in any case, with or without the hyphen.
pub fn by_claim_code(conn: &mut DbConnection, code: &str) -> Result<Award, AwardError> {
    let code = claim::normalise_code(code).ok_or(AwardError::ClaimCodeNotFound)?;
    awards::table
        .filter(awards::claim_code.eq(code))
        .select(Award::as_select())
        .first(conn)
        .optional()?
        .ok_or(AwardError::ClaimCodeNotFound)
}

/// Largest page of [`list`].
pub const MAX_PAGE: i64 = 500;

/// An organisation's awards, newest first: `limit` (1 to [`MAX_PAGE`]) from `offset`.
pub fn list(
    conn: &mut DbConnection,
    org_id: &OrgId,
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
    award_id: &AwardId,
    reason: &str,
    actor: Actor<'_>,
) -> Result<Award, AwardError> {
    let reason = crate::text::paragraphs("reason", reason)?;
    let reason = reason.as_str();
    if reason.is_empty() || reason.chars().count() > MAX_REASON {
        return Err(AwardError::InvalidReason);
    }
    write_transaction(conn, |conn| {
        let mut award = by_id(conn, &org.id, award_id)?;
        if award.is_revoked() {
            return Err(AwardError::AlreadyRevoked);
        }
        award.revoked_at = Some(ctx.now.timestamp());
        award.revocation_reason = Some(reason.to_owned());
        diesel::update(awards::table.find(&award.id))
            .set((
                awards::revoked_at.eq(award.revoked_at),
                awards::revocation_reason.eq(&award.revocation_reason),
            ))
            .execute(conn)?;
        status_list::set_revoked(conn, &award.status_list_id, award.status_index)?;
        audit::record(
            conn,
            AuditEvent::new(&org.id, actor, "award.revoke", Target::Award(&award.id))
                .with_detail(Some(reason)),
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
) -> Result<Award, AwardError> {
    if (award.name_consent != 0) == consent {
        return Ok(award.clone());
    }
    if award.is_revoked() {
        return Err(AwardError::Revoked);
    }
    let org = orgs::by_ids(conn, std::slice::from_ref(&award.org_id))?
        .into_iter()
        .next()
        .ok_or(AwardError::OrganisationNotFound)?;
    let format = award.credential_format();
    let key = org_keys::active_signing_key(conn, ctx.master_key, &org.id, format.algorithm())?;
    let mut unsigned = credential::unsigned(award)?;
    credential::set_plain_name(
        &mut unsigned.credential_subject,
        &award.recipient_name,
        consent,
    );
    let secured = credential::secure(ctx, &key, &unsigned)?;
    let mut updated = award.clone();
    updated.name_consent = i32::from(consent);
    updated.credential = secured.credential.to_string();
    updated.credential_jwt = secured.jwt;
    write_transaction(conn, |conn| {
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
            AuditEvent::new(
                &org.id,
                EARNER_ACTOR,
                "award.name_consent",
                Target::Award(&updated.id),
            )
            .with_detail(Some(detail)),
        )?;
        Ok(updated)
    })
}

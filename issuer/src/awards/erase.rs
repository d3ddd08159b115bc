//! Erasing a participant's personal data from an award, at their request
//! (GDPR art. 17). What stays is what others need to stay honest: the award
//! row with its status index (its bit is set, so any copy of the badge still
//! shown somewhere verifies as revoked) and an audit entry without personal
//! data. What goes: name, e-mail, narrative, evidence URL, claim code, the
//! stored credential (which held salted hashes of the name and e-mail, and the
//! plain name with consent), its idempotency key (which may hold the e-mail),
//! and the workshop participant rows linked to it (with their attendance).

use diesel::prelude::*;

use super::{by_id, Award, AwardError, IssueContext};
use crate::audit::{self, Actor, AuditEvent, Target};
use crate::db::schema::{awards, workshop_participants};
use crate::db::DbConnection;
use crate::ids::AwardId;
use crate::orgs::Organisation;
use crate::status_list;

/// The stored credential of an erased award.
pub const ERASED_CREDENTIAL: &str = "{}";
/// The public revocation reason of an erased award.
pub const ERASED_REASON: &str = "Données effacées à la demande de la personne / \
data erased at the person's request";

impl Award {
    /// Whether the participant's data has been erased.
    pub fn is_erased(&self) -> bool {
        self.credential == ERASED_CREDENTIAL
    }
}

/// Revokes the award (if it is not already) and erases the participant's
/// personal data from it, in one transaction; then, on SQLite, checkpoints
/// the write-ahead log ([`crate::db::checkpoint`]) so that the erased values
/// are gone from the files too, not only from the rows.
pub fn erase(
    conn: &mut DbConnection,
    ctx: &IssueContext<'_>,
    org: &Organisation,
    award_id: &AwardId,
    actor: Actor<'_>,
) -> Result<Award, AwardError> {
    let erased = crate::db::write_transaction(conn, |conn| {
        let award = by_id(conn, &org.id, award_id)?;
        let revoked_at = award.revoked_at.or(Some(ctx.now.timestamp()));
        let reason = if award.is_revoked() {
            award.revocation_reason.clone()
        } else {
            Some(ERASED_REASON.to_owned())
        };
        diesel::update(awards::table.find(&award.id))
            .set((
                awards::recipient_name.eq(""),
                awards::recipient_email.eq(None::<String>),
                awards::name_consent.eq(0),
                awards::narrative.eq(None::<String>),
                awards::evidence_url.eq(None::<String>),
                awards::claim_code.eq(None::<String>),
                awards::idempotency_key.eq(None::<String>),
                awards::credential.eq(ERASED_CREDENTIAL),
                awards::credential_jwt.eq(None::<String>),
                awards::revoked_at.eq(revoked_at),
                awards::revocation_reason.eq(&reason),
                awards::search_text.eq(super::search::search_text("", None, None)),
            ))
            .execute(conn)?;
        if !award.is_revoked() {
            status_list::set_revoked(conn, &award.status_list_id, award.status_index)?;
        }
        diesel::delete(
            workshop_participants::table.filter(workshop_participants::award_id.eq(&award.id)),
        )
        .execute(conn)?;
        audit::record(
            conn,
            AuditEvent::new(&org.id, actor, "award.erase", Target::Award(&award.id)),
        )?;
        by_id(conn, &org.id, award_id)
    })?;
    if !crate::db::checkpoint(conn)? {
        tracing::warn!(
            award = %erased.id,
            "checkpoint after an erasure kept from completing by readers; the next one will"
        );
    }
    Ok(erased)
}

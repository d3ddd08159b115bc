//! Awarding a workshop's badge to everyone who attended every session.
//!
//! The credentials are signed before the write transaction (as every award
//! is, see `awards::issue`); the transaction stores them and marks the
//! participants as awarded, all or nothing.

use diesel::prelude::*;

use super::{detail, AwardOutcome, ParticipantAttendance, Skipped, WorkshopError};
use crate::audit::{self, Actor, AuditEvent, Target};
use crate::awards::duplicates;
use crate::awards::{
    checked, issue_all, Also, AwardRequest, CredentialFormat, IssueContext, Issuer,
};
use crate::db::schema::workshop_participants;
use crate::db::{write_transaction, DbConnection};
use crate::ids::{AchievementId, WorkshopId};
use crate::orgs::Organisation;

/// Awards the workshop's badge to every participant who attended every
/// session and has not received it from this workshop yet: one transaction
/// (all or nothing), idempotent on retry. A participant who already holds
/// the badge from another path (single award, CSV, another workshop) is
/// skipped as `holds_badge` unless `anyway`. A participant removed meanwhile
/// fails it all ([`WorkshopError::Changed`]).
pub fn award_qualifying(
    conn: &mut DbConnection,
    ctx: &IssueContext<'_>,
    org: &Organisation,
    workshop_id: &WorkshopId,
    actor: Actor<'_>,
    anyway: bool,
) -> Result<AwardOutcome, WorkshopError> {
    let detail = detail(conn, &org.id, workshop_id)?;
    let achievement = AchievementId::from(detail.workshop.achievement_id.as_str());
    let holders = if anyway {
        Vec::new()
    } else {
        duplicates::holders(conn, &org.id, &achievement)?
    };
    let mut outcome = AwardOutcome::default();
    let mut qualifying: Vec<&ParticipantAttendance> = Vec::new();
    for entry in &detail.participants {
        let p = &entry.participant;
        let person = duplicates::Person {
            name: &p.name,
            email: p.email.as_deref(),
        };
        match skip_reason(entry, &detail.sessions) {
            Some(skipped) => outcome.skipped.push(skipped),
            None if holders.iter().any(|(_, n, e)| person.is(n, e.as_deref())) => {
                outcome.skipped.push(Skipped {
                    name: p.name.clone(),
                    reason: "holds_badge",
                    missed: Vec::new(),
                })
            }
            None => qualifying.push(entry),
        }
    }
    let sessions = detail.sessions.len();
    let requests = qualifying
        .iter()
        .map(|entry| {
            let p = &entry.participant;
            checked(AwardRequest {
                achievement_id: detail.workshop.achievement_id.clone(),
                recipient_name: p.name.clone(),
                recipient_email: p.email.clone(),
                name_consent: p.name_consent != 0,
                narrative: Some(format!(
                    "A participé aux {sessions} séances de l'atelier « {} ».",
                    detail.workshop.title
                )),
                evidence_url: None,
                format: CredentialFormat::Di,
                idempotency_key: Some(format!("workshop:{}:{}", detail.workshop.id, p.id)),
                recipient_language: crate::i18n::Lang::from_tag(&p.language).unwrap_or_default(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut mark_awarded = |conn: &mut DbConnection,
                            awards: &[(&crate::awards::Award, bool)]|
     -> Result<(), WorkshopError> {
        for (entry, (award, _)) in qualifying.iter().zip(awards) {
            let marked = diesel::update(workshop_participants::table.find(&entry.participant.id))
                .set(workshop_participants::award_id.eq(Some(&award.id)))
                .execute(conn)?;
            if marked != 1 {
                return Err(WorkshopError::Changed);
            }
        }
        audit::record(
            conn,
            AuditEvent::new(
                &org.id,
                actor,
                "workshop.award",
                Target::Workshop(&detail.workshop.id),
            ),
        )?;
        Ok(())
    };
    let awards = if requests.is_empty() {
        write_transaction(conn, |conn| mark_awarded(conn, &[]))?;
        Vec::new()
    } else {
        issue(
            conn,
            ctx,
            org,
            &achievement,
            &requests,
            actor,
            &mut mark_awarded,
        )?
    };
    for (entry, award_id) in qualifying.iter().zip(awards) {
        let p = &entry.participant;
        outcome
            .awarded
            .push((p.id.clone(), p.name.clone(), award_id));
    }
    Ok(outcome)
}

/// Why a participant is not awarded now, if they are not.
fn skip_reason(entry: &ParticipantAttendance, sessions: &[super::Session]) -> Option<Skipped> {
    let p = &entry.participant;
    if p.award_id.is_some() {
        return Some(Skipped {
            name: p.name.clone(),
            reason: "already_awarded",
            missed: Vec::new(),
        });
    }
    if entry.attended_all() {
        return None;
    }
    Some(Skipped {
        name: p.name.clone(),
        reason: "missed_sessions",
        missed: sessions
            .iter()
            .zip(&entry.present)
            .filter(|(_, present)| !**present)
            .map(|(s, _)| s.position)
            .collect(),
    })
}

/// Issues the requests (Data Integrity) and returns the award ids in order.
fn issue(
    conn: &mut DbConnection,
    ctx: &IssueContext<'_>,
    org: &Organisation,
    achievement_id: &AchievementId,
    requests: &[AwardRequest],
    actor: Actor<'_>,
    also: &mut Also<'_, WorkshopError>,
) -> Result<Vec<String>, WorkshopError> {
    let issuer = Issuer::load(conn, ctx, org, achievement_id, CredentialFormat::Di, actor)?;
    let outcomes = issue_all(conn, &issuer, requests, &mut |_| {}, also)?;
    Ok(outcomes.into_iter().map(|o| o.award.id).collect())
}

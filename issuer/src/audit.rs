//! The audit log: who created, awarded, revoked and rotated what, and when.
//!
//! Entries are written in the same transaction as the change they record.
//! Who acted is an [`Actor`], a type of its own, so that a domain function
//! taking it beside other strings (a revocation's reason) cannot be given
//! them in the wrong order.

use std::fmt;

use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::audit_log;
use crate::db::DbConnection;
use crate::ids::OrgId;
use crate::time::{new_id, now, rfc3339};

/// Who acted, as the audit log records it: a user's id, [`CLI_ACTOR`] for
/// the command line, or [`EARNER_ACTOR`] for the earner of a badge.
///
/// The domain functions that record an audit entry take it (not a `&str`),
/// so a reason cannot be passed as the actor:
///
/// ```
/// use issuer::audit::Actor;
/// use issuer::awards::{self, Award, AwardError, IssueContext};
/// use issuer::db::DbConnection;
/// use issuer::ids::AwardId;
/// use issuer::orgs::Organisation;
///
/// fn withdraw(
///     conn: &mut DbConnection,
///     ctx: &IssueContext<'_>,
///     org: &Organisation,
///     award: &AwardId,
///     user_id: &str,
/// ) -> Result<Award, AwardError> {
///     awards::revoke(conn, ctx, org, award, "given by mistake", Actor::user(user_id))
/// }
/// ```
///
/// Given a string in the actor's place (here the two strings swapped), the
/// call does not compile:
///
/// ```compile_fail,E0308
/// use issuer::awards::{self, Award, AwardError, IssueContext};
/// use issuer::db::DbConnection;
/// use issuer::ids::AwardId;
/// use issuer::orgs::Organisation;
///
/// fn withdraw(
///     conn: &mut DbConnection,
///     ctx: &IssueContext<'_>,
///     org: &Organisation,
///     award: &AwardId,
///     user_id: &str,
/// ) -> Result<Award, AwardError> {
///     awards::revoke(conn, ctx, org, award, user_id, "given by mistake")
/// }
/// ```
///
/// It borrows the id (the callers hold it for the length of the call) and
/// does not `Deref` to `str`: it is read back with [`Actor::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Actor<'a>(&'a str);

impl<'a> Actor<'a> {
    /// The user with this id.
    pub fn user(id: &'a str) -> Self {
        Actor(id)
    }

    /// The actor as stored: the user id, `cli` or `earner`.
    pub fn as_str(self) -> &'a str {
        self.0
    }
}

impl fmt::Display for Actor<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// The command line (`issuer award`, `issuer demo`, ...).
pub const CLI_ACTOR: Actor<'static> = Actor("cli");

/// The earner of a badge, changing their consent from the claim page.
pub const EARNER_ACTOR: Actor<'static> = Actor("earner");

/// One audit log row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log, treat_none_as_default_value = false)]
pub struct AuditRow {
    /// Entry id.
    pub id: String,
    /// Organisation concerned, if any.
    pub org_id: Option<String>,
    /// [`Actor::as_str`]: a user id, `cli` or `earner`.
    pub actor: String,
    /// What happened (`org.create`, `key.rotate`, `award.create`, ...).
    pub action: String,
    /// Kind of thing acted on (`organisation`, `key`, `award`, ...).
    pub target_type: String,
    /// Its id.
    pub target_id: String,
    /// Free detail (never a secret).
    pub detail: Option<String>,
    /// When, Unix seconds.
    pub at: i64,
}

/// An audit entry as the API answers it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// Who acted.
    pub actor: String,
    /// What happened.
    pub action: String,
    /// Kind of thing acted on.
    pub target_type: String,
    /// Its id.
    pub target_id: String,
    /// Free detail.
    pub detail: Option<String>,
    /// When, RFC 3339.
    #[schema(format = DateTime)]
    pub at: Option<String>,
}

impl From<AuditRow> for AuditEntry {
    fn from(row: AuditRow) -> Self {
        Self {
            actor: row.actor,
            action: row.action,
            target_type: row.target_type,
            target_id: row.target_id,
            detail: row.detail,
            at: rfc3339(row.at),
        }
    }
}

/// What an event acted on: its kind (the row's `target_type`) and its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// An organisation.
    Organisation(&'a OrgId),
    /// A user (a membership change).
    User(&'a str),
    /// A signing key.
    Key(&'a str),
    /// An achievement (or one of its versions).
    Achievement(&'a str),
    /// An award.
    Award(&'a str),
    /// A workshop.
    Workshop(&'a str),
}

impl<'a> Target<'a> {
    /// The stored `target_type`.
    pub fn kind(self) -> &'static str {
        match self {
            Target::Organisation(_) => "organisation",
            Target::User(_) => "user",
            Target::Key(_) => "key",
            Target::Achievement(_) => "achievement",
            Target::Award(_) => "award",
            Target::Workshop(_) => "workshop",
        }
    }

    /// The target's id.
    pub fn id(self) -> &'a str {
        match self {
            Target::Organisation(id) => id.as_str(),
            Target::User(id)
            | Target::Key(id)
            | Target::Achievement(id)
            | Target::Award(id)
            | Target::Workshop(id) => id,
        }
    }
}

/// What to record.
#[derive(Debug, Clone, Copy)]
pub struct AuditEvent<'a> {
    /// Organisation concerned, if any.
    pub org_id: Option<&'a OrgId>,
    /// Who acted.
    pub actor: Actor<'a>,
    /// What happened.
    pub action: &'a str,
    /// What it happened to.
    pub target: Target<'a>,
    /// Free detail (never a secret).
    pub detail: Option<&'a str>,
}

impl<'a> AuditEvent<'a> {
    /// In organisation `org_id`, `actor` did `action` to `target`; no detail.
    pub fn new(org_id: &'a OrgId, actor: Actor<'a>, action: &'a str, target: Target<'a>) -> Self {
        AuditEvent {
            org_id: Some(org_id),
            actor,
            action,
            target,
            detail: None,
        }
    }

    /// The same event with `detail`.
    pub fn with_detail(self, detail: Option<&'a str>) -> Self {
        AuditEvent { detail, ..self }
    }
}

impl From<&AuditEvent<'_>> for AuditRow {
    fn from(event: &AuditEvent<'_>) -> Self {
        Self {
            id: new_id(),
            org_id: event.org_id.map(|id| id.as_str().to_owned()),
            actor: event.actor.as_str().to_owned(),
            action: event.action.to_owned(),
            target_type: event.target.kind().to_owned(),
            target_id: event.target.id().to_owned(),
            detail: event.detail.map(str::to_owned),
            at: now(),
        }
    }
}

/// Appends one entry.
pub fn record(conn: &mut DbConnection, event: AuditEvent<'_>) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values(&AuditRow::from(&event))
        .execute(conn)?;
    Ok(())
}

/// Rows per multi-row `INSERT` of [`record_all`] (8 columns).
const INSERT_CHUNK: usize = 1000;

/// Appends several entries, with multi-row inserts (one backend at a time:
/// diesel writes them per backend, hence the match).
pub fn record_all(conn: &mut DbConnection, events: &[AuditEvent<'_>]) -> QueryResult<()> {
    let rows: Vec<AuditRow> = events.iter().map(AuditRow::from).collect();
    for chunk in rows.chunks(INSERT_CHUNK) {
        match conn {
            DbConnection::Sqlite(c) => diesel::insert_into(audit_log::table)
                .values(chunk)
                .execute(c)?,
            DbConnection::Postgres(c) => diesel::insert_into(audit_log::table)
                .values(chunk)
                .execute(c)?,
        };
    }
    Ok(())
}

/// The latest `limit` entries of an organisation, newest first.
pub fn list(conn: &mut DbConnection, org_id: &OrgId, limit: i64) -> QueryResult<Vec<AuditEntry>> {
    let rows: Vec<AuditRow> = audit_log::table
        .filter(audit_log::org_id.eq(org_id))
        .order((audit_log::at.desc(), audit_log::id.desc()))
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(AuditEntry::from).collect())
}

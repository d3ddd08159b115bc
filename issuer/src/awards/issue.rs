//! Issuing awards, one or a batch, without holding the write lock while
//! signing.
//!
//! 1. Reads, no lock: which idempotency keys already have an award, and free
//!    status list indices drawn at random ([`status_list::candidates`]).
//! 2. Building, signing and validating every new credential, on every core
//!    ([`sign_all`]): most of the cost, outside any transaction.
//! 3. One short write transaction: the rows (multi-row inserts), their audit
//!    entries, the indices counted as used, and what the caller adds (a CSV
//!    import's entry, workshop participants marked as awarded).
//!
//! A unique constraint that fires in step 3 means that a concurrent request
//! took a key or an index (or, improbably, a token or a claim code) between
//! steps 1 and 3. The transaction is rolled back and the clashing rows found:
//! a repeated key is answered with the award that now exists, other clashes
//! are signed again with fresh values, drawn apart from the indices the
//! batch's other rows hold (and two rows of the batch sharing a value are
//! told apart the same way). Then step 3 is retried. Nothing is ever
//! half-written, and no index is used twice.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::credential::{self, Subject, Template};
use super::{
    claim, credential_url, Award, AwardError, AwardRequest, CredentialFormat, IssueContext,
    NewAward,
};
use crate::achievements::{self, AchievementVersion};
use crate::audit::{self, Actor, AuditEvent, Target};
use crate::db::schema::awards;
use crate::db::{write_transaction, DbConnection};
use crate::ids::{AchievementId, OrgId};
use crate::org_keys::{self, SigningKey};
use crate::orgs::Organisation;
use crate::status_list::{self, Allocation};
use crate::time::{new_id, random_token};

/// Write attempts before giving up when unique values keep clashing.
const MAX_ATTEMPTS: usize = 5;
/// Rows per multi-row `INSERT` (20 columns: well under SQLite's 32,766 and
/// PostgreSQL's 65,535 bound parameters).
const INSERT_CHUNK: usize = 500;
/// Values per `IN (...)` list of a query.
const QUERY_CHUNK: usize = 500;

/// Everything a batch of awards shares.
pub(crate) struct Issuer<'a> {
    /// Base URL, issuance instant, master key.
    pub(crate) ctx: &'a IssueContext<'a>,
    /// The issuing organisation.
    pub(crate) org: &'a Organisation,
    /// The achievement version awarded.
    pub(crate) version: AchievementVersion,
    /// The organisation's active key of the requests' format.
    pub(crate) key: SigningKey,
    /// Who awards.
    pub(crate) actor: Actor<'a>,
}

impl<'a> Issuer<'a> {
    /// What awarding the current version of `achievement_id` in `format`
    /// needs: that version and the organisation's active key of the format.
    pub(crate) fn load(
        conn: &mut DbConnection,
        ctx: &'a IssueContext<'a>,
        org: &'a Organisation,
        achievement_id: &AchievementId,
        format: CredentialFormat,
        actor: Actor<'a>,
    ) -> Result<Self, AwardError> {
        let version = achievements::current(conn, &org.id, achievement_id)?;
        let key = org_keys::active_signing_key(conn, ctx.master_key, &org.id, format.algorithm())?;
        Ok(Issuer {
            ctx,
            org,
            version,
            key,
            actor,
        })
    }
}

/// One request's outcome: the award, and whether this call created it.
pub(crate) struct Outcome {
    /// The award, new or made earlier with the same idempotency key.
    pub(crate) award: Award,
    /// `false` for an idempotent repeat.
    pub(crate) created: bool,
}

/// The caller's own writes in the awards' transaction: it sees every award in
/// request order, with `true` for those created now. Its error `E` is the
/// caller's (a workshop's awarding refuses with a `WorkshopError`), and
/// [`issue_all`] answers in it.
pub(crate) type Also<'a, E> = dyn FnMut(&mut DbConnection, &[(&Award, bool)]) -> Result<(), E> + 'a;

/// Why a write attempt stopped.
enum StoreError<E> {
    /// A unique constraint fired: find the clashing rows and try again.
    Clash,
    /// Anything else: the answer.
    Failed(E),
}

impl<E: From<AwardError>> From<DieselError> for StoreError<E> {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => Self::Clash,
            other => Self::Failed(AwardError::from(other).into()),
        }
    }
}

/// Issues checked `requests` (all of `issuer.version`, in `issuer.key`'s
/// format) and returns their awards in request order. `progress` is told how
/// many are done (signed or found) as it goes; `also` runs last in the write
/// transaction; what it refuses is answered as it says (`E`).
pub(crate) fn issue_all<E: From<AwardError>>(
    conn: &mut DbConnection,
    issuer: &Issuer<'_>,
    requests: &[AwardRequest],
    progress: &mut dyn FnMut(usize),
    also: &mut Also<'_, E>,
) -> Result<Vec<Outcome>, E> {
    let mut existing = existing_awards(conn, &issuer.org.id, requests).map_err(AwardError::from)?;
    let mut signed: Vec<Option<Award>> = requests.iter().map(|_| None).collect();
    let template = Template::new(issuer.ctx, issuer.org, &issuer.version);
    for _ in 0..MAX_ATTEMPTS {
        let to_sign: Vec<usize> = (0..requests.len())
            .filter(|i| signed[*i].is_none() && !existing.contains_key(i))
            .collect();
        if !to_sign.is_empty() {
            let now = issuer.ctx.now.timestamp();
            // The rows kept from an attempt that clashed hold their indices:
            // a fresh draw must not hand one of them to another row.
            let held: HashSet<(String, i32)> = signed
                .iter()
                .flatten()
                .map(|a| (a.status_list_id.clone(), a.status_index))
                .collect();
            let allocations =
                status_list::candidates(conn, &issuer.org.id, to_sign.len(), now, &held)
                    .map_err(AwardError::from)?;
            let jobs: Vec<(&AwardRequest, Allocation)> = to_sign
                .iter()
                .map(|i| &requests[*i])
                .zip(allocations)
                .collect();
            let already = requests.len() - to_sign.len();
            let rows = sign_all(issuer, &template, &jobs, &mut |n| progress(already + n))?;
            for (i, row) in to_sign.into_iter().zip(rows) {
                signed[i] = Some(row);
            }
        }
        match write_transaction(conn, |conn| store(conn, issuer, &signed, &existing, also)) {
            Ok(()) => {
                count_new(issuer.ctx, &signed);
                return Ok(outcomes(signed, existing));
            }
            Err(StoreError::Failed(e)) => return Err(e),
            Err(StoreError::Clash) => {
                resolve_clashes(conn, &issuer.org.id, requests, &mut signed, &mut existing)?
            }
        }
    }
    Err(AwardError::KeptClashing.into())
}

/// Step 3: one write transaction.
fn store<E: From<AwardError>>(
    conn: &mut DbConnection,
    issuer: &Issuer<'_>,
    signed: &[Option<Award>],
    existing: &HashMap<usize, Award>,
    also: &mut Also<'_, E>,
) -> Result<(), StoreError<E>> {
    let new: Vec<&Award> = signed.iter().flatten().collect();
    let rows: Vec<NewAward<'_>> = new.iter().map(|a| NewAward::from(*a)).collect();
    for chunk in rows.chunks(INSERT_CHUNK) {
        insert_awards(conn, chunk)?;
    }
    let events: Vec<AuditEvent<'_>> = new
        .iter()
        .map(|a| {
            AuditEvent::new(
                &issuer.org.id,
                issuer.actor,
                "award.create",
                Target::Award(&a.id),
            )
        })
        .collect();
    audit::record_all(conn, &events)?;
    let lists = new.iter().map(|a| a.status_list_id.as_str());
    status_list::claim(conn, lists, issuer.ctx.now.timestamp())?;
    let all: Vec<(&Award, bool)> = signed
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s {
            Some(new) => Some((new, true)),
            None => existing.get(&i).map(|old| (old, false)),
        })
        .collect();
    also(conn, &all).map_err(StoreError::Failed)
}

/// Multi-row insert. Diesel writes a multi-row `INSERT` for one backend at a
/// time, hence the match.
fn insert_awards(conn: &mut DbConnection, rows: &[NewAward<'_>]) -> QueryResult<usize> {
    match conn {
        DbConnection::Sqlite(c) => diesel::insert_into(awards::table).values(rows).execute(c),
        DbConnection::Postgres(c) => diesel::insert_into(awards::table).values(rows).execute(c),
    }
}

/// Counts the awards just stored (not the idempotent repeats) for `/metrics`.
fn count_new(ctx: &IssueContext<'_>, signed: &[Option<Award>]) {
    let Some((metrics, path)) = ctx.counted else {
        return;
    };
    let mut by_format: HashMap<&str, u64> = HashMap::new();
    for award in signed.iter().flatten() {
        *by_format.entry(award.format.as_str()).or_default() += 1;
    }
    for (format, count) in by_format {
        metrics.awards_issued(path, format, count);
    }
}

fn outcomes(signed: Vec<Option<Award>>, mut existing: HashMap<usize, Award>) -> Vec<Outcome> {
    signed
        .into_iter()
        .enumerate()
        .filter_map(|(i, row)| match row {
            Some(award) => Some(Outcome {
                award,
                created: true,
            }),
            None => existing.remove(&i).map(|award| Outcome {
                award,
                created: false,
            }),
        })
        .collect()
}

/// The awards already made with the requests' idempotency keys, by request
/// position.
fn existing_awards(
    conn: &mut DbConnection,
    org_id: &OrgId,
    requests: &[AwardRequest],
) -> QueryResult<HashMap<usize, Award>> {
    let keyed: Vec<(usize, &str)> = requests
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.idempotency_key.as_deref().map(|k| (i, k)))
        .collect();
    let mut found = HashMap::new();
    for chunk in keyed.chunks(QUERY_CHUNK) {
        let keys: Vec<&str> = chunk.iter().map(|(_, k)| *k).collect();
        let awards: Vec<Award> = awards::table
            .filter(awards::org_id.eq(org_id))
            .filter(awards::idempotency_key.eq_any(&keys))
            .select(Award::as_select())
            .load(conn)?;
        for award in awards {
            for (i, key) in chunk {
                if award.idempotency_key.as_deref() == Some(*key) {
                    found.insert(*i, award.clone());
                }
            }
        }
    }
    Ok(found)
}

/// After a unique constraint fired: rows whose key now has an award become
/// repeats; rows whose index, token or claim code is now taken are signed
/// again.
fn resolve_clashes(
    conn: &mut DbConnection,
    org_id: &OrgId,
    requests: &[AwardRequest],
    signed: &mut [Option<Award>],
    existing: &mut HashMap<usize, Award>,
) -> Result<(), AwardError> {
    let pending: Vec<AwardRequest> = requests
        .iter()
        .zip(signed.iter())
        .map(|(r, s)| AwardRequest {
            idempotency_key: s.as_ref().and(r.idempotency_key.clone()),
            ..r.clone()
        })
        .collect();
    for (i, award) in existing_awards(conn, org_id, &pending)? {
        signed[i] = None;
        existing.insert(i, award);
    }
    let rows: Vec<&Award> = signed.iter().flatten().collect();
    let mut taken_indices: HashSet<(String, i32)> = HashSet::new();
    let mut taken_tokens: HashSet<String> = HashSet::new();
    for chunk in rows.chunks(QUERY_CHUNK) {
        let tokens: Vec<&str> = chunk.iter().map(|a| a.public_token.as_str()).collect();
        let codes: Vec<&str> = chunk
            .iter()
            .filter_map(|a| a.claim_code.as_deref())
            .collect();
        taken_tokens.extend(
            awards::table
                .filter(awards::public_token.eq_any(&tokens))
                .select(awards::public_token)
                .load::<String>(conn)?,
        );
        taken_tokens.extend(
            awards::table
                .filter(awards::claim_code.eq_any(&codes))
                .select(awards::claim_code.assume_not_null())
                .load::<String>(conn)?,
        );
        let lists: HashSet<&str> = chunk.iter().map(|a| a.status_list_id.as_str()).collect();
        for list in lists {
            let indices: Vec<i32> = chunk
                .iter()
                .filter(|a| a.status_list_id == list)
                .map(|a| a.status_index)
                .collect();
            let taken: Vec<i32> = awards::table
                .filter(awards::status_list_id.eq(list))
                .filter(awards::status_index.eq_any(&indices))
                .select(awards::status_index)
                .load(conn)?;
            taken_indices.extend(taken.into_iter().map(|i| (list.to_owned(), i)));
        }
    }
    // Values two rows of the batch itself share: the later row draws again.
    let mut in_batch_indices: HashSet<(String, i32)> = HashSet::new();
    let mut in_batch_tokens: HashSet<String> = HashSet::new();
    for slot in signed.iter_mut() {
        let clashes = slot.as_ref().is_some_and(|a| {
            let index = (a.status_list_id.clone(), a.status_index);
            let code = a.claim_code.as_ref();
            taken_tokens.contains(&a.public_token)
                || code.is_some_and(|c| taken_tokens.contains(c))
                || taken_indices.contains(&index)
                || !in_batch_indices.insert(index)
                || !in_batch_tokens.insert(a.public_token.clone())
                || code.is_some_and(|c| !in_batch_tokens.insert(c.clone()))
        });
        if clashes {
            *slot = None;
        }
    }
    Ok(())
}

/// Step 2: builds, signs and validates each job's credential on every core,
/// telling `progress` how many are done. The rows come back in job order.
fn sign_all(
    issuer: &Issuer<'_>,
    template: &Template,
    jobs: &[(&AwardRequest, Allocation)],
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<Award>, AwardError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(jobs.len());
    if threads <= 1 {
        let mut rows = Vec::with_capacity(jobs.len());
        for (done, (request, allocation)) in jobs.iter().enumerate() {
            rows.push(signed_row(issuer, template, request, allocation)?);
            progress(done + 1);
        }
        return Ok(rows);
    }
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let mut rows: Vec<(usize, Result<Award, AwardError>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let done_tx = done_tx.clone();
                let (next, failed) = (&next, &failed);
                scope.spawn(move || {
                    let mut mine = Vec::new();
                    while !failed.load(Ordering::Relaxed) {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some((request, allocation)) = jobs.get(i) else {
                            break;
                        };
                        let row = signed_row(issuer, template, request, allocation);
                        failed.fetch_or(row.is_err(), Ordering::Relaxed);
                        mine.push((i, row));
                        let _ = done_tx.send(());
                    }
                    mine
                })
            })
            .collect();
        drop(done_tx);
        // Ends when every worker has finished and dropped its sender.
        let mut done = 0;
        while done_rx.recv().is_ok() {
            done += 1;
            progress(done);
        }
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    rows.sort_unstable_by_key(|(i, _)| *i);
    if rows.len() != jobs.len() && !failed.load(Ordering::Relaxed) {
        // A worker panicked (its rows are missing).
        return Err(AwardError::SigningThread);
    }
    rows.into_iter().map(|(_, row)| row).collect()
}

/// Builds, signs and validates one credential: the row to insert.
fn signed_row(
    issuer: &Issuer<'_>,
    template: &Template,
    request: &AwardRequest,
    allocation: &Allocation,
) -> Result<Award, AwardError> {
    let ctx = issuer.ctx;
    let public_token = random_token(18);
    let list_url = status_list::list_url(&ctx.base, &issuer.org.slug, &allocation.list_id);
    let unsigned = template.build(
        &credential_url(&ctx.base, &public_token),
        status_list::status_entry(&list_url, allocation.index),
        &Subject {
            name: &request.recipient_name,
            email: request.recipient_email.as_deref(),
            name_consent: request.name_consent,
            narrative: request.narrative.as_deref(),
            evidence_url: request.evidence_url.as_deref(),
        },
    );
    let secured = credential::secure(ctx, &issuer.key, &unsigned)?;
    Ok(Award {
        id: new_id(),
        org_id: issuer.org.id.clone(),
        achievement_version_id: issuer.version.id.clone(),
        recipient_name: request.recipient_name.clone(),
        recipient_email: request.recipient_email.clone(),
        name_consent: i32::from(request.name_consent),
        narrative: request.narrative.clone(),
        evidence_url: request.evidence_url.clone(),
        format: request.format.as_str().to_owned(),
        credential: secured.credential.to_string(),
        status_list_id: allocation.list_id.clone(),
        status_index: allocation.index,
        public_token,
        // Everyone gets a code: the e-mail carries it, and it is printed
        // when the e-mail cannot go out.
        claim_code: Some(claim::new_code()),
        idempotency_key: request.idempotency_key.clone(),
        awarded_by: issuer.actor.as_str().to_owned(),
        revoked_at: None,
        revocation_reason: None,
        created_at: ctx.now.timestamp(),
        credential_jwt: secured.jwt,
        recipient_language: request.recipient_language.code().to_owned(),
    })
}

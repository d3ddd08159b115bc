//! How each award reaches its participant, on every path (single award,
//! workshop, CSV file, resend): an e-mail with the claim link when there is
//! an address and SMTP is configured, otherwise a code to print. The outcome
//! is recorded per award (`delivery_status`, `delivery_error`,
//! `delivery_at`) so the pages can say "sent", "failed: why" or "code to
//! print", and offer to send again.
//!
//! Sending happens on the blocking pool, outside any database transaction
//! and without holding a pooled connection: a slow mail server delays the
//! answer, never the other facilitators. A failed e-mail never fails the
//! award. The recorded reason is a code, never the address or the server's
//! words (which may quote the address). What does fail is a
//! [`DeliveryError`] (`error.rs`).

use std::sync::Arc;

use diesel::prelude::*;

use crate::awards::{self, claim, Award, AwardError, AwardView};
use crate::config::Config;
use crate::db::schema::awards as awards_table;
use crate::db::{Database, DbConnection, DbError};
use crate::ids::{AwardId, OrgId};
use crate::mailer::{self, AwardMail, MailError};
use crate::metrics::Metrics;
use crate::time::rfc3339;

mod error;
mod status;
pub use error::DeliveryError;
pub use status::DeliveryStatus;

/// An award's recorded delivery.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// What happened.
    pub status: DeliveryStatus,
    /// Why it failed: [`MailError::code`] (`rejected`, `unreachable`,
    /// `address`).
    pub error: Option<String>,
    /// When, Unix seconds.
    pub at: Option<i64>,
}

/// Counts of a batch's deliveries, for the outcome pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct DeliveryCounts {
    /// E-mails accepted.
    pub sent: usize,
    /// E-mails that failed.
    pub failed: usize,
    /// Participants without an address.
    pub no_address: usize,
    /// Participants with an address while no SMTP is configured.
    pub no_smtp: usize,
}

impl DeliveryCounts {
    fn add(&mut self, status: DeliveryStatus) {
        match status {
            DeliveryStatus::Sent => self.sent += 1,
            DeliveryStatus::Failed => self.failed += 1,
            DeliveryStatus::NoAddress => self.no_address += 1,
            DeliveryStatus::NoSmtp => self.no_smtp += 1,
        }
    }

    /// How many participants need their code printed.
    pub fn codes_to_print(&self) -> usize {
        self.failed + self.no_address + self.no_smtp
    }
}

/// The recorded delivery of an award, if any.
pub fn of(conn: &mut DbConnection, award_id: &str) -> Result<Option<Delivery>, DbError> {
    let row: (Option<String>, Option<String>, Option<i64>) = awards_table::table
        .find(award_id)
        .select((
            awards_table::delivery_status,
            awards_table::delivery_error,
            awards_table::delivery_at,
        ))
        .first(conn)?;
    Ok(row
        .0
        .as_deref()
        .and_then(DeliveryStatus::parse)
        .map(|status| Delivery {
            status,
            error: row.1,
            at: row.2,
        }))
}

/// The recorded deliveries of the awards `ids` (those with none are absent),
/// in one query.
pub fn of_awards(
    conn: &mut DbConnection,
    ids: &[String],
) -> Result<std::collections::HashMap<String, Delivery>, DbError> {
    type Row = (String, Option<String>, Option<String>, Option<i64>);
    let rows: Vec<Row> = awards_table::table
        .filter(awards_table::id.eq_any(ids))
        .select((
            awards_table::id,
            awards_table::delivery_status,
            awards_table::delivery_error,
            awards_table::delivery_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, status, error, at)| {
            let status = DeliveryStatus::parse(status.as_deref()?)?;
            Some((id, Delivery { status, error, at }))
        })
        .collect())
}

/// The awards among `ids` of `org_id`, with their recorded deliveries.
pub fn of_many(
    conn: &mut DbConnection,
    org_id: &OrgId,
    ids: &[String],
) -> Result<Vec<(Award, Option<Delivery>)>, AwardError> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let award = awards::by_id(conn, org_id, &AwardId::from(id.as_str()))?;
        let delivery = of(conn, id)?;
        out.push((award, delivery));
    }
    Ok(out)
}

fn record(conn: &mut DbConnection, award_id: &str, delivery: &Delivery) -> Result<(), DbError> {
    diesel::update(awards_table::table.find(award_id))
        .set((
            awards_table::delivery_status.eq(delivery.status.as_str()),
            awards_table::delivery_error.eq(delivery.error.as_deref()),
            awards_table::delivery_at.eq(delivery.at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Sends (or not) one award's e-mail. Blocking.
fn attempt(config: &Config, base: &str, org_name: &str, award: &Award) -> Delivery {
    let now = Some(crate::time::now());
    let (Some(to), Some(code)) = (&award.recipient_email, &award.claim_code) else {
        return Delivery {
            status: DeliveryStatus::NoAddress,
            error: None,
            at: now,
        };
    };
    let claim_url = claim::claim_url(base, code);
    let badge = award.badge_name();
    let mail = AwardMail {
        to,
        recipient_name: &award.recipient_name,
        badge_name: &badge,
        org_name,
        claim_url: &claim_url,
        claim_code: code,
        lang: crate::i18n::Lang::from_tag(&award.recipient_language).unwrap_or_default(),
    };
    match mailer::send_award_email(config, &mail) {
        Ok(()) => {
            tracing::info!(award_id = %award.id, "award email sent");
            Delivery {
                status: DeliveryStatus::Sent,
                error: None,
                at: now,
            }
        }
        Err(MailError::NotConfigured) => Delivery {
            status: DeliveryStatus::NoSmtp,
            error: None,
            at: now,
        },
        Err(e) => {
            tracing::warn!(award_id = %award.id, error = %e, "award email failed");
            Delivery {
                status: DeliveryStatus::Failed,
                error: Some(e.code().to_owned()),
                at: now,
            }
        }
    }
}

/// Delivers the awards `ids` of `org_id`: those whose delivery is not
/// recorded yet, or all of them when `again` (the resend button). Records
/// each outcome, counts the failed ones in `metrics` and returns the counts.
/// Never fails on a mail error.
pub async fn deliver(
    config: Arc<Config>,
    metrics: &Metrics,
    db: &Database,
    base: String,
    org_id: OrgId,
    ids: Vec<String>,
    again: bool,
) -> Result<DeliveryCounts, DeliveryError> {
    let org = org_id.clone();
    let (org_name, pending) = db
        .run(move |conn| -> Result<_, DeliveryError> {
            let org_name: String = crate::db::schema::organisations::table
                .find(&org)
                .select(crate::db::schema::organisations::name)
                .first(conn)?;
            let pending: Vec<Award> = of_many(conn, &org, &ids)?
                .into_iter()
                .filter(|(award, delivery)| {
                    !award.is_revoked() && !award.is_erased() && (again || delivery.is_none())
                })
                .map(|(award, _)| award)
                .collect();
            Ok((org_name, pending))
        })
        .await?;
    if pending.is_empty() {
        return Ok(DeliveryCounts::default());
    }
    let outcomes = actix_web::web::block(move || {
        pending
            .into_iter()
            .map(|award| {
                let delivery = attempt(&config, &base, &org_name, &award);
                (award.id, delivery)
            })
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|e| DeliveryError::Sending(e.to_string()))?;
    for (_, delivery) in &outcomes {
        if let Some(reason) = delivery.error.as_deref() {
            metrics.delivery_failed(reason);
        }
    }
    db.run(move |conn| -> Result<_, DeliveryError> {
        let mut counts = DeliveryCounts::default();
        for (id, delivery) in &outcomes {
            record(conn, id, delivery)?;
            counts.add(delivery.status);
        }
        Ok(counts)
    })
    .await
}

// Here rather than beside `AwardView` in `awards::model`: deliveries build on
// awards, so the award module does not name them.
impl AwardView {
    /// The same view with the award's recorded delivery.
    pub fn with_delivery(mut self, delivery: Option<&Delivery>) -> Self {
        self.delivery = delivery.map(|d| d.status);
        self.delivery_reason = delivery.and_then(|d| d.error.clone());
        self.delivery_at = delivery.and_then(|d| d.at).and_then(rfc3339);
        self
    }
}

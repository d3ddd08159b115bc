//! Finding awards again: by a participant's name, e-mail or claim code,
//! per badge or per workshop, a page at a time, newest first.
//!
//! The matching is done here rather than in SQL: names are compared in
//! their normal form ([`schemas::normalise_name`], accents kept, case
//! aside), which SQLite's `lower()` cannot do beyond ASCII. Only the few
//! short columns a list needs are read, never the credentials.

use diesel::prelude::*;

use schemas::{normalise_email, normalise_name};

use crate::db::schema::{achievement_versions, awards, workshop_participants};
use crate::db::DbConnection;
use crate::error::ApiError;

/// Awards per page.
pub const PAGE_SIZE: usize = 25;

/// What to look for; empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct AwardQuery {
    /// Part of a name or an e-mail address, or a claim code.
    pub text: String,
    /// An achievement id.
    pub achievement_id: Option<String>,
    /// A workshop id.
    pub workshop_id: Option<String>,
    /// Page, from 1.
    pub page: usize,
}

/// One award in a list.
#[derive(Debug, Clone)]
pub struct AwardListItem {
    /// Award id.
    pub id: String,
    /// Participant's name.
    pub name: String,
    /// Participant's e-mail.
    pub email: Option<String>,
    /// Badge name (of the version awarded).
    pub badge: String,
    /// Awarded, Unix seconds.
    pub created_at: i64,
    /// Revoked, Unix seconds.
    pub revoked_at: Option<i64>,
    /// Claim code.
    pub claim_code: Option<String>,
}

/// A page of results.
#[derive(Debug, Clone)]
pub struct AwardPage {
    /// The awards on this page.
    pub items: Vec<AwardListItem>,
    /// How many match in all.
    pub total: usize,
    /// This page, from 1.
    pub page: usize,
    /// How many pages.
    pub pages: usize,
}

type Row = (
    String,
    String,
    Option<String>,
    String,
    i64,
    Option<i64>,
    Option<String>,
);

/// The awards of `org_id` matching `query`, newest first, one page.
pub fn find(
    conn: &mut DbConnection,
    org_id: &str,
    query: &AwardQuery,
) -> Result<AwardPage, ApiError> {
    let mut select = awards::table
        .inner_join(
            achievement_versions::table
                .on(achievement_versions::id.eq(awards::achievement_version_id)),
        )
        .filter(awards::org_id.eq(org_id))
        .into_boxed();
    if let Some(achievement_id) = &query.achievement_id {
        select = select.filter(achievement_versions::achievement_id.eq(achievement_id.clone()));
    }
    if let Some(workshop_id) = &query.workshop_id {
        let ids = workshop_participants::table
            .filter(workshop_participants::workshop_id.eq(workshop_id.clone()))
            .filter(workshop_participants::award_id.is_not_null())
            .select(workshop_participants::award_id.assume_not_null());
        select = select.filter(awards::id.eq_any(ids));
    }
    let rows: Vec<Row> = select
        .order((awards::created_at.desc(), awards::id.desc()))
        .select((
            awards::id,
            awards::recipient_name,
            awards::recipient_email,
            achievement_versions::name,
            awards::created_at,
            awards::revoked_at,
            awards::claim_code,
        ))
        .load(conn)?;
    let matching: Vec<AwardListItem> = rows
        .into_iter()
        .filter(|row| matches(&query.text, row))
        .map(
            |(id, name, email, badge, created_at, revoked_at, claim_code)| AwardListItem {
                id,
                name,
                email,
                badge,
                created_at,
                revoked_at,
                claim_code,
            },
        )
        .collect();
    let total = matching.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = query.page.clamp(1, pages);
    let items = matching
        .into_iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .collect();
    Ok(AwardPage {
        items,
        total,
        page,
        pages,
    })
}

/// A code without its hyphen, in capitals: `ab12cd34` finds `AB12-CD34`.
fn code_form(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_uppercase()
}

fn matches(text: &str, row: &Row) -> bool {
    let text = text.trim();
    if text.is_empty() {
        return true;
    }
    let needle = normalise_name(text);
    let (_, name, email, _, _, _, code) = row;
    normalise_name(name).contains(&needle)
        || email
            .as_deref()
            .is_some_and(|e| normalise_email(e).contains(&normalise_email(text)))
        || code.as_deref().is_some_and(|c| {
            let wanted = code_form(text);
            wanted.len() >= 4 && code_form(c).contains(&wanted)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, email: Option<&str>, code: &str) -> Row {
        (
            "id".into(),
            name.into(),
            email.map(str::to_owned),
            "Badge".into(),
            0,
            None,
            Some(code.into()),
        )
    }

    #[test]
    fn by_name_email_or_code() {
        let lea = row("Léa Martin", Some("Lea.Martin@example.fr"), "AB12-CD34");
        assert!(matches("", &lea));
        assert!(matches("léa", &lea));
        assert!(matches("  MARTIN ", &lea));
        assert!(matches("lea.martin@", &lea));
        assert!(matches("ab12cd34", &lea));
        assert!(matches("AB12-CD34", &lea));
        assert!(!matches("lea martinez", &lea));
        assert!(!matches("zz", &lea));
    }
}

//! Finding awards again: by a participant's name, e-mail or claim code,
//! per badge or per workshop, a page at a time, newest first.
//!
//! Matching ignores case and accents ("helene" finds "Hélène", "ELODIE"
//! finds "Élodie") on both backends alike: each award keeps a `search_text`
//! column, its name, e-mail and code in [`search_form`], written with the
//! award and rewritten when its data is erased; awards made before the
//! column existed are filled in at start-up ([`backfill`]). The query is
//! then a plain `LIKE` on lowercase ASCII-folded text, counted and paged in
//! SQL, which SQLite and PostgreSQL answer the same way (neither `lower()`
//! of SQLite nor `unaccent` of PostgreSQL is needed).

use diesel::prelude::*;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization as _;

use crate::db::schema::{achievement_versions, awards, workshop_participants};
use crate::db::{DbConnection, DbError};
use crate::ids::OrgId;

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

/// Text as it is searched: compatibility-decomposed, accents and other
/// combining marks dropped, ligatures spelt out, lowercase, whitespace
/// collapsed to single spaces.
pub fn search_form(text: &str) -> String {
    let folded: String = text
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'œ' => "oe".to_owned(),
            'æ' => "ae".to_owned(),
            'ß' => "ss".to_owned(),
            'ø' => "o".to_owned(),
            'ł' => "l".to_owned(),
            'đ' => "d".to_owned(),
            other => other.to_string(),
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The `search_text` of an award: its name, e-mail and code (without its
/// hyphen) in [`search_form`], one per line, so that a search (which has no
/// line break) never matches across two of them.
pub fn search_text(name: &str, email: Option<&str>, code: Option<&str>) -> String {
    [
        search_form(name),
        email.map(search_form).unwrap_or_default(),
        code.map(code_form).unwrap_or_default().to_lowercase(),
    ]
    .join("\n")
}

/// A `LIKE` pattern finding `needle` anywhere, its wildcards escaped with `\`.
fn containing(needle: &str) -> String {
    let escaped = needle
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The awards of `org_id` matching `query`, newest first, one page.
pub fn find(
    conn: &mut DbConnection,
    org_id: &OrgId,
    query: &AwardQuery,
) -> Result<AwardPage, DbError> {
    let needle = search_form(&query.text);
    let code = code_form(&query.text).to_lowercase();
    let matching = || {
        let mut select = awards::table
            .inner_join(
                achievement_versions::table
                    .on(achievement_versions::id.eq(awards::achievement_version_id)),
            )
            .filter(awards::org_id.eq(org_id.to_owned()))
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
        if !needle.is_empty() {
            let text = awards::search_text.assume_not_null();
            // A code is looked for from four of its characters on.
            select = if code.len() >= 4 {
                select.filter(
                    text.like(containing(&needle))
                        .escape('\\')
                        .or(text.like(containing(&code)).escape('\\')),
                )
            } else {
                select.filter(text.like(containing(&needle)).escape('\\'))
            };
        }
        select
    };
    let total = usize::try_from(matching().count().get_result::<i64>(conn)?).unwrap_or(0);
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = query.page.clamp(1, pages);
    let rows: Vec<Row> = matching()
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
        .offset(i64::try_from((page - 1) * PAGE_SIZE).unwrap_or(0))
        .limit(PAGE_SIZE as i64)
        .load(conn)?;
    let items = rows
        .into_iter()
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
    Ok(AwardPage {
        items,
        total,
        page,
        pages,
    })
}

/// Awards filled in per round of [`backfill`].
const BACKFILL_CHUNK: i64 = 500;

/// Fills `search_text` of the awards that have none (made before the column
/// existed, or restored from an older backup); returns how many. Run at
/// start-up, after the migrations.
pub fn backfill(conn: &mut DbConnection) -> Result<usize, DbError> {
    let mut filled = 0;
    loop {
        let rows: Vec<(String, String, Option<String>, Option<String>)> = awards::table
            .filter(awards::search_text.is_null())
            .select((
                awards::id,
                awards::recipient_name,
                awards::recipient_email,
                awards::claim_code,
            ))
            .limit(BACKFILL_CHUNK)
            .load(conn)?;
        if rows.is_empty() {
            return Ok(filled);
        }
        crate::db::write_transaction(conn, |conn| {
            for (id, name, email, code) in &rows {
                diesel::update(awards::table.find(id))
                    .set(awards::search_text.eq(search_text(
                        name,
                        email.as_deref(),
                        code.as_deref(),
                    )))
                    .execute(conn)?;
            }
            Ok::<_, DbError>(())
        })?;
        filled += rows.len();
    }
}

/// A code without its hyphen, in capitals: `ab12cd34` finds `AB12-CD34`.
fn code_form(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_case_and_ligatures_are_folded() {
        assert_eq!(search_form("  Hélène   MARTIN "), "helene martin");
        assert_eq!(search_form("ÉLODIE"), "elodie");
        assert_eq!(search_form("Zoë Cœur"), "zoe coeur");
        assert_eq!(search_form("Ça"), "ca");
        assert_eq!(search_form("ﬁlle"), "fille");
        assert_eq!(search_form("Łukasz Straße"), "lukasz strasse");
    }

    #[test]
    fn search_text_holds_name_email_and_code_apart() {
        let text = search_text(
            "Léa Martin",
            Some("Lea.Martin@Example.fr"),
            Some("AB12-CD34"),
        );
        assert_eq!(text, "lea martin\nlea.martin@example.fr\nab12cd34");
        assert_eq!(search_text("Awa", None, None), "awa\n\n");
    }

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(containing("a%b_c\\d"), "%a\\%b\\_c\\\\d%");
    }
}

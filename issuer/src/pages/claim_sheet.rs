//! The printable claim sheet: one A4 page of cards to cut out, one per
//! participant who needs their code (no e-mail went out), each written to
//! that person in plain words: their first name, a QR code, the short
//! address to type and the code. Shared by the workshop page and the CSV
//! import (whose awards are named by the form that asks for the sheet).

use actix_web::{web, HttpResponse};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use crate::db::schema::{achievement_versions, awards};
use crate::db::DbConnection;
use crate::delivery;
use crate::error::ApiError;
use crate::ids::{AchievementId, OrgId};
use crate::orgs::Organisation;
use crate::pages::parts::OrgHeading;
use crate::pages::session::PageUser;
use crate::pages::{render, PageError, Ui};
use crate::state::AppState;
use crate::users::Role;

/// Most awards one sheet is asked for (a CSV file's most rows).
const MAX_CARDS: usize = crate::awards::csv::MAX_ROWS;

/// Mounts the sheet of a CSV import.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/app/{slug}/badges/{id}/csv/sheet",
        web::post().to(import_sheet),
    );
}

/// The sheet's page.
#[derive(Template)]
#[template(path = "claim_sheet.html")]
pub struct ClaimSheetPage {
    /// Language, texts, CSRF.
    pub ui: Ui,
    /// The organisation.
    pub org: OrgHeading,
    /// Where the crumb leads back to (the workshop or the badge).
    pub back_href: String,
    /// The crumb's text.
    pub back_label: String,
    /// The badge the cards are about.
    pub badge_name: String,
    /// The short address to type: the home page, which asks for the code.
    pub address: String,
    /// One card per participant who needs their code.
    pub cards: Vec<CodeToPrint>,
}

impl ClaimSheetPage {
    /// The first word of a name: cards speak to the person.
    fn first_name(&self, name: &str) -> String {
        name.split_whitespace().next().unwrap_or(name).to_owned()
    }
}

/// What the CSV import's outcome page posts: the awards it made.
#[derive(Debug, Deserialize)]
struct SheetForm {
    csrf: String,
    /// Award ids, separated by spaces.
    #[serde(default)]
    awards: String,
}

/// The sheet of a CSV import: the awards named by the form, kept to those
/// of this badge in this organisation that still need their code.
async fn import_sheet(
    state: web::Data<AppState>,
    user: PageUser,
    path: web::Path<(String, AchievementId)>,
    posted: web::Form<SheetForm>,
) -> Result<HttpResponse, PageError> {
    user.check_csrf(&posted.csrf)?;
    let (slug, id) = path.into_inner();
    let asked: Vec<String> = posted
        .awards
        .split_whitespace()
        .take(MAX_CARDS)
        .map(str::to_owned)
        .collect();
    respond(&state, user, slug, move |conn, org| {
        let version = crate::achievements::current(conn, &org.id, &id)?;
        let award_ids = of_badge(conn, &org.id, &id, asked)?;
        Ok(SheetSubject {
            back_href: format!("/app/{}/badges/{id}", org.slug),
            back_label: version.name.clone(),
            badge_name: version.name,
            award_ids,
        })
    })
    .await
}

/// The awards among `asked` of badge `id` in organisation `org_id`, in the
/// order asked (the order the import made them).
fn of_badge(
    conn: &mut DbConnection,
    org_id: &OrgId,
    id: &AchievementId,
    asked: Vec<String>,
) -> Result<Vec<String>, ApiError> {
    let versions = achievement_versions::table
        .filter(achievement_versions::achievement_id.eq(id.as_str()))
        .select(achievement_versions::id);
    let mut of_badge: Vec<String> = Vec::new();
    for chunk in asked.chunks(500) {
        of_badge.extend(
            awards::table
                .filter(awards::org_id.eq(org_id))
                .filter(awards::id.eq_any(chunk))
                .filter(awards::achievement_version_id.eq_any(versions))
                .select(awards::id)
                .load::<String>(conn)?,
        );
    }
    Ok(asked
        .into_iter()
        .filter(|asked| of_badge.contains(asked))
        .collect())
}

/// What one sheet is about, found once the organisation is known.
pub struct SheetSubject {
    /// Where the crumb leads back to (the workshop or the badge).
    pub back_href: String,
    /// The crumb's text.
    pub back_label: String,
    /// The badge the cards are about.
    pub badge_name: String,
    /// The awards to print a card for (those that need none are left out),
    /// in the order of the cards.
    pub award_ids: Vec<String>,
}

/// Answers with a claim sheet of the organisation `slug`, for its
/// facilitators: `subject` finds what the sheet is about, in the same
/// database call. The one builder of the page, for every route that prints it.
pub async fn respond<F>(
    state: &AppState,
    user: PageUser,
    slug: String,
    subject: F,
) -> Result<HttpResponse, PageError>
where
    F: FnOnce(&mut DbConnection, &Organisation) -> Result<SheetSubject, ApiError> + Send + 'static,
{
    let viewer = user.clone();
    let address = state.base();
    let page = state
        .db
        .run(move |conn| {
            let (org, role) = viewer.require(conn, &slug, Role::Facilitator)?;
            let subject = subject(conn, &org)?;
            let cards = CodeToPrint::of(conn, &org.id, &subject.award_ids)?;
            Ok(ClaimSheetPage {
                ui: viewer.ui(),
                org: OrgHeading::new(&org, role),
                back_href: subject.back_href,
                back_label: subject.back_label,
                badge_name: subject.badge_name,
                address,
                cards,
            })
        })
        .await
        .map_err(|e| user.error(e))?;
    render(&page)
}

/// A participant whose code is to be printed or read out.
pub struct CodeToPrint {
    /// Name.
    pub name: String,
    /// Claim code.
    pub code: String,
    /// Award id.
    pub award_id: String,
}

impl CodeToPrint {
    /// The awards among `ids` whose participants need their code (no e-mail
    /// went out), in the given order.
    pub fn of(
        conn: &mut crate::db::DbConnection,
        org_id: &OrgId,
        ids: &[String],
    ) -> Result<Vec<Self>, ApiError> {
        Ok(delivery::of_many(conn, org_id, ids)?
            .into_iter()
            .filter(|(award, d)| {
                !award.is_revoked() && d.as_ref().is_none_or(|d| d.status.needs_code())
            })
            .filter_map(|(award, _)| {
                Some(Self {
                    code: award.claim_code.clone()?,
                    name: award.recipient_name,
                    award_id: award.id,
                })
            })
            .collect())
    }
}

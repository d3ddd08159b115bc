//! The printable claim sheet: one A4 page of cards to cut out, one per
//! participant who needs their code (no e-mail went out), each written to
//! that person in plain words: their first name, a QR code, the short
//! address to type and the code. Shared by the workshop page and the CSV
//! import (whose awards are named by the form that asks for the sheet).

use actix_web::{web, HttpResponse};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use crate::app::AppState;
use crate::db::schema::{achievement_versions, awards};
use crate::pages::awards::CodeToPrint;
use crate::pages::badges::OrgHeading;
use crate::pages::session::PageUser;
use crate::pages::{render, PageError, Ui};
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
    path: web::Path<(String, String)>,
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
    let viewer = user.clone();
    let address = state.base();
    let page = state
        .db
        .run(move |conn| {
            let (org, role) = viewer.require(conn, &slug, Role::Facilitator)?;
            let version = crate::achievements::current(conn, &org.id, &id)?;
            let versions = achievement_versions::table
                .filter(achievement_versions::achievement_id.eq(&id))
                .select(achievement_versions::id);
            let mut of_badge: Vec<String> = Vec::new();
            for chunk in asked.chunks(500) {
                of_badge.extend(
                    awards::table
                        .filter(awards::org_id.eq(&org.id))
                        .filter(awards::id.eq_any(chunk))
                        .filter(awards::achievement_version_id.eq_any(versions))
                        .select(awards::id)
                        .load::<String>(conn)?,
                );
            }
            // In the order the import made them.
            let ids: Vec<String> = asked
                .into_iter()
                .filter(|asked| of_badge.contains(asked))
                .collect();
            let cards = CodeToPrint::of(conn, &org.id, &ids)?;
            Ok(ClaimSheetPage {
                ui: viewer.ui(),
                back_href: format!("/app/{}/badges/{id}", org.slug),
                back_label: version.name.clone(),
                org: OrgHeading::new(&org, role),
                badge_name: version.name,
                address,
                cards,
            })
        })
        .await
        .map_err(|e| user.error(e))?;
    render(&page)
}

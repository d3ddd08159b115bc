//! All awards, findable: search by name, e-mail or code, lists per badge
//! and per workshop, a page at a time. Each row leads to the award page,
//! where the award is revoked, its e-mail resent or its code reprinted.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::achievements;
use crate::awards::search::{self, AwardPage, AwardQuery};
use crate::pages::parts::OrgHeading;
use crate::pages::session::PageUser;
use crate::pages::{render, PageError, Ui};
use crate::state::AppState;
use crate::users::Role;
use crate::workshops;

/// Mounts the award list.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/{slug}/awards", web::get().to(index));
}

#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    badge: String,
    #[serde(default)]
    workshop: String,
    #[serde(default)]
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "awards.html")]
struct AwardsPage {
    ui: Ui,
    org: OrgHeading,
    q: String,
    badge: String,
    workshop: String,
    badges: Vec<(String, String)>,
    workshops: Vec<(String, String)>,
    found: AwardPage,
}

impl AwardsPage {
    /// The link to page `page` with the same search.
    fn page_href(&self, page: &usize) -> String {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("q", &self.q)
            .append_pair("badge", &self.badge)
            .append_pair("workshop", &self.workshop)
            .append_pair("page", &page.to_string())
            .finish();
        format!("/app/{}/awards?{query}", self.org.slug)
    }

    fn previous(&self) -> Option<usize> {
        (self.found.page > 1).then(|| self.found.page - 1)
    }

    fn next(&self) -> Option<usize> {
        (self.found.page < self.found.pages).then(|| self.found.page + 1)
    }
}

async fn index(
    state: web::Data<AppState>,
    user: PageUser,
    slug: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let query = query.into_inner();
    let search = AwardQuery {
        text: query.q.chars().take(200).collect(),
        achievement_id: Some(query.badge.clone()).filter(|b| !b.is_empty()),
        workshop_id: Some(query.workshop.clone()).filter(|w| !w.is_empty()),
        page: query
            .page
            .as_deref()
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or(1),
    };
    let viewer = user.clone();
    let slug = slug.into_inner();
    let (org, badges, workshop_list, found) = state
        .db
        .run(move |conn| {
            let (org, role) = viewer.require(conn, &slug, Role::Facilitator)?;
            let badges = achievements::list(conn, &org.id)?
                .into_iter()
                .map(|v| (v.achievement_id, v.name))
                .collect();
            let workshop_list = workshops::list(conn, &org.id)?
                .into_iter()
                .map(|w| (w.id, w.title))
                .collect();
            let found = search::find(conn, &org.id, &search)?;
            Ok((OrgHeading::new(&org, role), badges, workshop_list, found))
        })
        .await
        .map_err(|e| user.error(e))?;
    render(&AwardsPage {
        ui: user.ui(),
        org,
        q: query.q,
        badge: query.badge,
        workshop: query.workshop,
        badges,
        workshops: workshop_list,
        found,
    })
}

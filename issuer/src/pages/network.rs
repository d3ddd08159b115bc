//! A network's page: its member organisations and their activity.

use actix_web::{web, HttpResponse};
use askama::Template;

use crate::networks::{self, MemberSummary};
use crate::pages::parts::OrgHeading;
use crate::pages::session::PageUser;
use crate::pages::{render, PageError, Ui};
use crate::state::AppState;
use crate::users::Role;

/// Mounts the network page.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/{slug}/members", web::get().to(members));
}

#[derive(Template)]
#[template(path = "members.html")]
struct MembersPage {
    ui: Ui,
    org: OrgHeading,
    members: Vec<MemberSummary>,
}

async fn members(
    state: web::Data<AppState>,
    user: PageUser,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let viewer = user.clone();
    let (org, members) = state
        .db
        .run(move |conn| {
            let (org, role) = viewer.require(conn, &slug, Role::Facilitator)?;
            let members = networks::members(conn, &org.id)?;
            Ok((OrgHeading::new(&org, role), members))
        })
        .await
        .map_err(|e| user.error(e))?;
    render(&MembersPage {
        ui: user.ui(),
        org,
        members,
    })
}

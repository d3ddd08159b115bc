//! The people's side of the issuer: HTML pages for facilitators (login,
//! dashboard, badge designer, workshops, awards, revocation, keys) and for
//! beneficiaries (claim page, badge page), French first, English on demand.
//!
//! Every page works without JavaScript (plain forms, POST-redirect-GET);
//! `static/issuer.js` only adds the designer's live preview and the copy
//! button. Texts come from `issuer/locales/*.ftl` through [`crate::i18n`];
//! templates are askama files under `issuer/templates/`, escaped by default.
//! Forms carry the session's CSRF token in a hidden `csrf` field
//! ([`session::PageUser::check_csrf`]).

pub mod account;
pub mod award_list;
pub mod awards;
pub mod badges;
pub mod claim_sheet;
pub mod error_pages;
pub mod form;
pub mod keys;
pub mod network;
pub mod parts;
pub mod public;
pub mod response;
pub mod session;
pub mod ui;
pub mod workshops;

use actix_web::http::header;
use actix_web::{web, HttpResponse};

pub use response::{explain, render, render_status, secure, see_other, PageError, CSP};
pub use ui::Ui;

/// The stylesheet, compiled in.
const CSS: &str = include_str!("../../static/issuer.css");
/// The progressive-enhancement script, compiled in.
const JS: &str = include_str!("../../static/issuer.js");

/// Mounts every page.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/static/issuer.css", web::get().to(css))
        .route("/static/issuer.js", web::get().to(js));
    account::configure(cfg);
    badges::configure(cfg);
    award_list::configure(cfg);
    awards::configure(cfg);
    claim_sheet::configure(cfg);
    public::configure(cfg);
    workshops::configure(cfg);
    keys::configure(cfg);
    network::configure(cfg);
}

async fn css() -> HttpResponse {
    static_file("text/css; charset=utf-8", CSS)
}

async fn js() -> HttpResponse {
    static_file("text/javascript; charset=utf-8", JS)
}

fn static_file(content_type: &'static str, body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(body)
}

//! Home, language switch, login and logout, and the list of the
//! facilitator's organisations.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use secrecy::SecretString;
use serde::Deserialize;

use crate::auth::{self, SESSION_COOKIE};
use crate::config::Config;
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::ids::OrgId;
use crate::pages::session::PageUser;
use crate::pages::ui::{lang_of, safe_next, LANG_COOKIE};
use crate::pages::{render, render_status, see_other, PageError, Ui};
use crate::state::AppState;
use crate::throttle::client::ClientAddress;
use crate::time::random_token;
use crate::{orgs, users};

/// Cookie holding the login form's CSRF token (there is no session yet).
const LOGIN_CSRF_COOKIE: &str = "issuer_login_csrf";

/// Mounts the account pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home))
        .route("/lang/{code}", web::get().to(switch_lang))
        .route("/login", web::get().to(login_form))
        .route("/login", web::post().to(login))
        .route("/logout", web::post().to(logout))
        .route("/app", web::get().to(organisations));
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ui: Ui,
}

async fn home(req: HttpRequest) -> Result<HttpResponse, PageError> {
    render(&HomePage {
        ui: Ui::anonymous(lang_of(&req), "/"),
    })
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn switch_lang(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
    query: web::Query<NextQuery>,
) -> HttpResponse {
    let lang = Lang::from_tag(&code).unwrap_or_default();
    let mut response = see_other(&safe_next(query.next.as_deref(), "/"));
    let cookie = Cookie::build(LANG_COOKIE, lang.code())
        .path("/")
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies() || req.connection_info().scheme() == "https")
        .max_age(actix_web::cookie::time::Duration::days(365))
        .finish();
    let _ = response.add_cookie(&cookie);
    response
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    ui: Ui,
    next: String,
    email: String,
    error: Option<String>,
}

fn login_page(
    config: &Config,
    lang: Lang,
    next: String,
    email: String,
    error: Option<String>,
) -> (LoginPage, Cookie<'static>) {
    let token = random_token(24);
    let mut ui = Ui::anonymous(lang, "/login");
    ui.csrf.clone_from(&token);
    let cookie = Cookie::build(LOGIN_CSRF_COOKIE, token)
        .path("/login")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(config.secure_cookies())
        .finish();
    (
        LoginPage {
            ui,
            next,
            email,
            error,
        },
        cookie,
    )
}

async fn login_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, PageError> {
    let next = safe_next(query.next.as_deref(), "/app");
    let (page, cookie) = login_page(&state.config, lang_of(&req), next, String::new(), None);
    let mut response = render(&page)?;
    let _ = response.add_cookie(&cookie);
    Ok(response)
}

#[derive(Deserialize)]
struct LoginForm {
    csrf: String,
    next: String,
    email: String,
    password: SecretString,
}

async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, PageError> {
    let lang = lang_of(&req);
    let form = form.into_inner();
    let expected = req
        .cookie(LOGIN_CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .unwrap_or_default();
    if expected.is_empty() || !auth::secrets_equal(&form.csrf, &expected) {
        return Err(
            PageError::from(ApiError::Forbidden("login form expired".into())).in_lang(lang),
        );
    }
    let next = safe_next(Some(&form.next), "/app");
    let st = state.clone();
    let email = form.email.clone();
    let client = ClientAddress::of(&req, &state.config);
    let result = state
        .db
        .run(move |conn| auth::login(conn, &st.config, &client, &email, &form.password))
        .await
        .map_err(ApiError::from);
    match result {
        Ok((_, session)) => {
            let mut response = see_other(&next);
            let _ = response.add_cookie(&auth::session_cookie(&state.config, session.token));
            Ok(response)
        }
        Err(
            error @ (ApiError::BadRequest { .. }
            | ApiError::InvalidText { .. }
            | ApiError::TooManyRequests),
        ) => {
            let (message, status) = match error {
                ApiError::TooManyRequests => ("login-throttled", error_status(&error)),
                _ => ("login-failed", error_status(&error)),
            };
            let ui = Ui::anonymous(lang, "/login");
            let (page, cookie) =
                login_page(&state.config, lang, next, form.email, Some(ui.t(message)));
            let mut response = render_status(status, &page)?;
            let _ = response.add_cookie(&cookie);
            Ok(response)
        }
        Err(other) => Err(PageError::from(other).in_lang(lang)),
    }
}

fn error_status(error: &ApiError) -> actix_web::http::StatusCode {
    actix_web::ResponseError::status_code(error)
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: PageUser,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    user.check_csrf(&form.csrf)?;
    if let Some(cookie) = req.cookie(SESSION_COOKIE) {
        let value = cookie.value().to_owned();
        state
            .db
            .run(move |conn| Ok(auth::logout(conn, &value)?))
            .await
            .map_err(|e| user.error(e))?;
    }
    let mut removal = auth::session_cookie(&state.config, String::new());
    removal.make_removal();
    let mut response = see_other("/");
    let _ = response.add_cookie(&removal);
    Ok(response)
}

/// One organisation in the chooser.
struct OrgChoice {
    slug: String,
    name: String,
    role: String,
}

#[derive(Template)]
#[template(path = "orgs.html")]
struct OrgsPage {
    ui: Ui,
    orgs: Vec<OrgChoice>,
}

async fn organisations(
    state: web::Data<AppState>,
    user: PageUser,
) -> Result<HttpResponse, PageError> {
    let user_id = user.user_id.clone();
    let lang = user.lang;
    let choices = state
        .db
        .run(move |conn| {
            let memberships = users::memberships_of(conn, &user_id)?;
            let ids: Vec<OrgId> = memberships.iter().map(|m| m.org_id.clone()).collect();
            let orgs = orgs::by_ids(conn, &ids)?;
            Ok(orgs
                .into_iter()
                .map(|o| {
                    let role = memberships
                        .iter()
                        .find(|m| m.org_id == o.id)
                        .map(|m| m.role.clone())
                        .unwrap_or_default();
                    OrgChoice {
                        slug: o.slug.into_string(),
                        name: o.name,
                        role: crate::i18n::message(lang, &format!("role-{role}")),
                    }
                })
                .collect::<Vec<_>>())
        })
        .await
        .map_err(|e| user.error(e))?;
    if let [only] = choices.as_slice() {
        return Ok(see_other(&format!("/app/{}", only.slug)));
    }
    render(&OrgsPage {
        ui: user.ui(),
        orgs: choices,
    })
}

//! The beneficiary's side, with no account and no e-mail needed: the claim
//! page reached from a code or its QR code (where the participant chooses
//! whether their name shows on the badge), and the badge page at the
//! credential's unguessable URL, with download, print and share actions.
//!
//! Claim codes are 40 bits; what keeps guessing hopeless is counting wrong
//! codes in the database ([`crate::throttle`]) per client address, per
//! network and for everyone together, so that the counts hold across
//! instances and restarts and the participant's own address is never locked
//! out by someone else's guesses.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use diesel::prelude::*;
use schemas::OpenBadgeCredential;
use serde::Deserialize;

use crate::auth;
use crate::awards::document::CredentialDocument;
use crate::awards::{self, credential::plain_name, Award, IssueContext};
use crate::config::Config;
use crate::db::schema::awards as awards_table;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::pages::ui::{encode, here, lang_of};
use crate::pages::{render, render_status, see_other, PageError, Ui};
use crate::state::AppState;
use crate::throttle::client::ClientAddress;
use crate::throttle::{self, Limit};
use crate::time::{now, random_token};

/// Cookie holding the claim form's CSRF token.
const CLAIM_CSRF_COOKIE: &str = "issuer_claim_csrf";

/// Mounts the claim pages (the badge page is served by
/// `routes::credentials`, which calls [`credential_page`]).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/claim", web::get().to(claim_lookup))
        .route("/claim/{code}", web::get().to(claim_form))
        .route("/claim/{code}", web::post().to(claim_submit));
}

/// Whether the participant has opened this award with its claim code.
pub fn claimed(conn: &mut DbConnection, award_id: &str) -> QueryResult<bool> {
    let at: Option<i64> = awards_table::table
        .find(award_id)
        .select(awards_table::claimed_at)
        .first(conn)?;
    Ok(at.is_some())
}

fn mark_claimed(conn: &mut DbConnection, award_id: &str) -> QueryResult<()> {
    diesel::update(
        awards_table::table
            .find(award_id)
            .filter(awards_table::claimed_at.is_null()),
    )
    .set(awards_table::claimed_at.eq(Some(now())))
    .execute(conn)?;
    Ok(())
}

/// How a claim code lookup went.
enum Lookup {
    /// The code is an award's.
    Found(Box<Award>),
    /// No award has this code; the attempt counts against the client.
    Unknown,
    /// The client (or its network) has had too many wrong codes: not looked up.
    Throttled,
}

/// The claim code throttles of `client`: its address, its network, and
/// everyone together ([`crate::config::Config::claim_max_failures_total`]).
fn claim_limits(config: &Config, client: &ClientAddress) -> [(String, Limit); 3] {
    let window_seconds = config.claim_window_seconds;
    let limit = |max| Limit {
        max,
        window_seconds,
    };
    [
        (
            format!("claim:client:{}", client.key()),
            limit(config.claim_max_failures),
        ),
        (
            format!("claim:network:{}", client.network_key()),
            limit(config.claim_max_failures.saturating_mul(5)),
        ),
        (
            "claim:all".to_owned(),
            limit(config.claim_max_failures_total),
        ),
    ]
}

/// Looks `typed` up for `client`. The attempt is counted first (atomically,
/// in the database: [`throttle::hit`]); an attempt over a limit is given back
/// and refused without a lookup, a code found is given back too, so that the
/// counts are of wrong codes only.
fn look_up(
    conn: &mut DbConnection,
    config: &Config,
    client: &ClientAddress,
    typed: &str,
) -> Result<Lookup, ApiError> {
    let at = now();
    let limits = claim_limits(config, client);
    let mut counts = [0i64; 3];
    for ((key, limit), count) in limits.iter().zip(counts.iter_mut()) {
        *count = throttle::hit(conn, key, *limit, at)?;
    }
    let [client_count, network_count, total_count] = counts;
    let over = client_count > limits[0].1.max
        || network_count > limits[1].1.max
        // Under a distributed attack, one wrong code per client and window.
        || (total_count > limits[2].1.max && client_count > 1);
    let refund = |conn: &mut DbConnection| -> Result<(), ApiError> {
        for (key, _) in &limits {
            throttle::refund(conn, key)?;
        }
        Ok(())
    };
    if over {
        refund(conn)?;
        tracing::warn!(client = %client.key(), "claim code lookups throttled");
        return Ok(Lookup::Throttled);
    }
    match awards::by_claim_code(conn, typed).map_err(ApiError::from) {
        Ok(award) => {
            refund(conn)?;
            Ok(Lookup::Found(Box::new(award)))
        }
        Err(ApiError::NotFound(_)) => Ok(Lookup::Unknown),
        Err(other) => Err(other),
    }
}

/// Consent changes (each signs the badge again) allowed per claim code per hour.
const CLAIM_CHANGES_PER_HOUR: i64 = 10;

#[derive(Template)]
#[template(path = "claim_code.html")]
struct ClaimCodePage {
    ui: Ui,
    code: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct CodeQuery {
    code: Option<String>,
}

async fn claim_lookup(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<CodeQuery>,
) -> Result<HttpResponse, PageError> {
    let lang = lang_of(&req);
    let typed = query.code.clone().unwrap_or_default();
    if typed.trim().is_empty() {
        return render(&ClaimCodePage {
            ui: Ui::anonymous(lang, &here(&req)),
            code: String::new(),
            error: None,
        });
    }
    match find_award(&state, &req, &typed).await? {
        Lookup::Found(award) => Ok(see_other(&format!(
            "/claim/{}",
            award.claim_code.unwrap_or_default()
        ))),
        Lookup::Unknown => wrong_code(lang, typed, false),
        Lookup::Throttled => wrong_code(lang, typed, true),
    }
}

fn wrong_code(lang: Lang, typed: String, throttled: bool) -> Result<HttpResponse, PageError> {
    let ui = Ui::anonymous(lang, "/claim");
    let (status, message) = if throttled {
        (StatusCode::TOO_MANY_REQUESTS, ui.t("claim-throttled"))
    } else {
        (StatusCode::NOT_FOUND, ui.t("claim-unknown"))
    };
    render_status(
        status,
        &ClaimCodePage {
            ui,
            code: typed,
            error: Some(message),
        },
    )
}

/// The award with this claim code, unless the client is throttled; a wrong
/// code counts against the client ([`look_up`]).
async fn find_award(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    typed: &str,
) -> Result<Lookup, PageError> {
    let typed = typed.to_owned();
    let client = ClientAddress::of(req, &state.config);
    let config = state.config.clone();
    state
        .db
        .run(move |conn| look_up(conn, &config, &client, &typed))
        .await
        .map_err(|e| PageError::from(e).in_lang(lang_of(req)))
}

#[derive(Template)]
#[template(path = "claim.html")]
struct ClaimPage {
    ui: Ui,
    code: String,
    badge: BadgeView,
    recipient_name: String,
    name_shown: bool,
}

async fn claim_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let lang = lang_of(&req);
    let code = code.into_inner();
    let award = match find_award(&state, &req, &code).await? {
        Lookup::Found(award) => award,
        Lookup::Unknown => return wrong_code(lang, code, false),
        Lookup::Throttled => return wrong_code(lang, code, true),
    };
    let token = random_token(24);
    let mut ui = Ui::anonymous(lang, &here(&req));
    ui.csrf.clone_from(&token);
    let credential = award.stored_credential().ok();
    let org_name = org_name(&state, &award).await?;
    let page = ClaimPage {
        ui,
        code: award.claim_code.clone().unwrap_or_default(),
        badge: BadgeView::new(credential.as_ref(), &org_name, lang),
        recipient_name: award.recipient_name.clone(),
        name_shown: award.name_consent != 0,
    };
    let mut response = render(&page)?;
    let _ = response.add_cookie(
        &Cookie::build(CLAIM_CSRF_COOKIE, token)
            .path("/claim")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(state.config.secure_cookies())
            .finish(),
    );
    Ok(response)
}

async fn org_name(state: &web::Data<AppState>, award: &Award) -> Result<String, PageError> {
    let org_id = award.org_id.clone();
    state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            Ok(crate::orgs::by_ids(conn, std::slice::from_ref(&org_id))?
                .into_iter()
                .next()
                .map(|o| o.name)
                .unwrap_or_default())
        })
        .await
        .map_err(PageError::from)
}

#[derive(Deserialize)]
struct ClaimForm {
    csrf: String,
    show_name: String,
}

async fn claim_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
    posted: web::Form<ClaimForm>,
) -> Result<HttpResponse, PageError> {
    let lang = lang_of(&req);
    let expected = req
        .cookie(CLAIM_CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .unwrap_or_default();
    if expected.is_empty() || !auth::secrets_equal(&posted.csrf, &expected) {
        return Err(
            PageError::from(ApiError::Forbidden("claim form expired".into())).in_lang(lang),
        );
    }
    let code = code.into_inner();
    let award = match find_award(&state, &req, &code).await? {
        Lookup::Found(award) => award,
        Lookup::Unknown => return wrong_code(lang, code, false),
        Lookup::Throttled => return wrong_code(lang, code, true),
    };
    let consent = posted.show_name == "yes";
    let st = state.clone();
    let token = award.public_token.clone();
    let changes = Limit {
        max: CLAIM_CHANGES_PER_HOUR,
        window_seconds: 3600,
    };
    let changed = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let key = format!("claim:code:{}", award.claim_code.as_deref().unwrap_or(""));
            if throttle::hit(conn, &key, changes, now())? > changes.max {
                return Ok(false);
            }
            if !award.is_revoked() {
                let ctx = IssueContext::new(st.base(), &st.master_key);
                awards::set_name_consent(conn, &ctx, &award, consent)?;
            }
            mark_claimed(conn, &award.id)?;
            Ok(true)
        })
        .await
        .map_err(|e| PageError::from(e).in_lang(lang))?;
    if !changed {
        return Err(PageError::from(ApiError::TooManyRequests).in_lang(lang));
    }
    Ok(see_other(&format!("/credentials/{token}?claimed=1")))
}

/// What people see of a badge, read from the credential.
pub struct BadgeView {
    /// Badge name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Criteria narrative.
    pub criteria: String,
    /// Image URL, if the badge has one.
    pub image: Option<String>,
    /// Competence names.
    pub competences: Vec<String>,
    /// Issuing organisation.
    pub issuer: String,
    /// Its website.
    pub issuer_url: Option<String>,
    /// Issued on, in words.
    pub issued_on: String,
    /// Text alternative of the image, from the badge's metadata.
    pub alt: String,
}

impl BadgeView {
    /// Reads the view from a stored credential; empty texts when there is
    /// none to read.
    pub fn new(credential: Option<&OpenBadgeCredential>, issuer: &str, lang: Lang) -> Self {
        let achievement = credential.and_then(|c| c.credential_subject.achievement.as_ref());
        let name = achievement.map(|a| a.name.clone()).unwrap_or_default();
        let issued_on = credential
            .and_then(|c| c.valid_from().ok().flatten())
            .map(|d| crate::i18n::long_date(d.to_utc(), lang))
            .unwrap_or_default();
        let alt = crate::i18n::message_with(
            lang,
            "badge-image-alt",
            &[("name", &name), ("issuer", issuer)],
        );
        Self {
            description: achievement
                .and_then(|a| a.description.clone())
                .unwrap_or_default(),
            criteria: achievement
                .and_then(|a| a.criteria.as_ref()?.narrative.clone())
                .unwrap_or_default(),
            image: achievement.and_then(|a| Some(a.image.as_ref()?.id.clone())),
            competences: achievement
                .into_iter()
                .flat_map(|a| &a.alignment)
                .filter_map(|alignment| alignment.target_name.clone())
                .collect(),
            issuer: issuer.to_owned(),
            issuer_url: credential.and_then(|c| c.issuer.profile()?.url.clone()),
            issued_on,
            alt,
            name,
        }
    }
}

/// Links of the badge page's actions.
pub struct BadgeLinks {
    /// The badge page itself (what is shared).
    pub page: String,
    /// The credential JSON.
    pub json: String,
    /// The VC-JWT, for JWT awards.
    pub jwt: Option<String>,
    /// The baked PNG, rendered by the verifier.
    pub download_png: Option<String>,
    /// The printable certificate, from the verifier.
    pub certificate: Option<String>,
    /// The verifier's page for this badge.
    pub verify: Option<String>,
    /// "Add to profile" on LinkedIn, with the fields filled in.
    pub linkedin: String,
    /// A ready-to-send e-mail.
    pub mailto: String,
}

#[derive(Template)]
#[template(path = "credential.html")]
struct CredentialPage {
    ui: Ui,
    badge: BadgeView,
    holder: Option<String>,
    revoked_on: Option<String>,
    revocation_reason: Option<String>,
    links: BadgeLinks,
    just_claimed: bool,
}

fn mail_encode(value: &str) -> String {
    // form_urlencoded writes spaces as '+', which mail clients show as is.
    encode(value).replace('+', "%20")
}

fn links(
    state: &AppState,
    document: &CredentialDocument,
    badge: &BadgeView,
    lang: Lang,
) -> BadgeLinks {
    let page = awards::credential_url(&state.base(), &document.award.public_token);
    let verifier = state
        .config
        .verifier_url
        .as_ref()
        .map(|u| u.as_str().trim_end_matches('/').to_owned());
    let on_verifier = |path: &str| {
        verifier
            .as_ref()
            .map(|v| format!("{v}{path}url={}", encode(&page)))
    };
    let issued = chrono::DateTime::from_timestamp(document.award.created_at, 0).unwrap_or_default();
    let linkedin = format!(
        "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name={}&organizationName={}&issueYear={}&issueMonth={}&certUrl={}&certId={}",
        encode(&badge.name),
        encode(&badge.issuer),
        chrono::Datelike::year(&issued),
        chrono::Datelike::month(&issued),
        encode(&page),
        encode(&document.award.public_token),
    );
    let subject = crate::i18n::message_with(lang, "share-mail-subject", &[("name", &badge.name)]);
    let body = crate::i18n::message_with(
        lang,
        "share-mail-body",
        &[
            ("name", &badge.name),
            ("issuer", &badge.issuer),
            ("url", &page),
        ],
    );
    BadgeLinks {
        json: format!("{page}.json"),
        jwt: document.jwt.as_ref().map(|_| format!("{page}.jwt")),
        download_png: on_verifier("/bake?format=png&"),
        certificate: on_verifier("/certificate?"),
        verify: on_verifier("/verify?"),
        linkedin,
        mailto: format!(
            "mailto:?subject={}&body={}",
            mail_encode(&subject),
            mail_encode(&body)
        ),
        page,
    }
}

#[derive(Template)]
#[template(path = "erased.html")]
struct ErasedPage {
    ui: Ui,
    issuer: String,
}

/// The badge page for people, at the credential's URL.
pub fn credential_page(
    req: &HttpRequest,
    state: &AppState,
    document: CredentialDocument,
) -> HttpResponse {
    let lang = lang_of(req);
    if document.award.is_erased() {
        let page = ErasedPage {
            ui: Ui::anonymous(lang, &here(req)),
            issuer: document.organisation.name.clone(),
        };
        return render_status(StatusCode::GONE, &page)
            .unwrap_or_else(|e| actix_web::ResponseError::error_response(&e));
    }
    let credential = document.award.stored_credential().ok();
    let badge = BadgeView::new(credential.as_ref(), &document.organisation.name, lang);
    let page = CredentialPage {
        ui: Ui::anonymous(lang, &here(req)),
        holder: credential.as_ref().and_then(plain_name).map(str::to_owned),
        revoked_on: document.award.revoked_at.and_then(|at| {
            chrono::DateTime::from_timestamp(at, 0).map(|d| crate::i18n::long_date(d, lang))
        }),
        revocation_reason: document.revocation_reason().map(str::to_owned),
        links: links(state, &document, &badge, lang),
        just_claimed: req.query_string().contains("claimed=1"),
        badge,
    };
    render(&page).unwrap_or_else(|e| actix_web::ResponseError::error_response(&e))
}

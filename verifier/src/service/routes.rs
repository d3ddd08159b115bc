//! The routes: health, the home page, verification (`GET` for a hosted
//! credential, `POST` for anything else), static files; baking and the
//! certificate live in [`super::download`].
//!
//! A handler reads the request, runs the use case off the executor
//! ([`verify::run_blocking`]) and maps the result to JSON or a page.

use std::panic::AssertUnwindSafe;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use super::download;
use super::headers::LoggedOutcome;
use super::pages::{self, HomePage, ResultPage};
use super::problem::{Presentation, Problem, ServiceError};
use super::query::query_param;
use super::request::{holder, read_submission};
use super::verify::{self, run_blocking, AtHand, Input};
use super::{AppState, MAX_BODY_BYTES};

/// The stylesheet, compiled in.
const CSS: &str = include_str!("../../static/app.css");
/// The optional drag-and-drop script, compiled in.
const JS: &str = include_str!("../../static/app.js");

/// Mounts every route.
pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz))
        .route("/", web::get().to(home))
        .service(
            web::resource("/verify")
                .route(web::get().to(verify_get))
                .route(web::post().to(verify_post)),
        )
        .service(
            web::resource("/bake")
                .route(web::get().to(download::bake_get))
                .route(web::post().to(download::bake_post)),
        )
        .route("/certificate", web::get().to(download::certificate))
        .route("/static/app.css", web::get().to(css))
        .route("/static/app.js", web::get().to(js))
        .default_service(web::to(not_found));
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

async fn home(req: HttpRequest) -> Result<HttpResponse, Problem> {
    let presentation = Presentation::of(&req, false);
    pages::render(&HomePage::new(presentation.lang)).map_err(|e| presentation.problem(e))
}

/// `GET /verify?url=URL[&holder=...]`: a hosted credential.
async fn verify_get(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, Problem> {
    let presentation = Presentation::of(&req, false);
    let run = async {
        let url = query_param(&req, "url")
            .filter(|u| !u.trim().is_empty())
            .ok_or(ServiceError::EmptyInput)?;
        let holder = match query_param(&req, "holder") {
            Some(value) => holder(&value)?,
            None => None,
        };
        answer(&state, Input::Url(url), holder, presentation).await
    };
    run.await.map_err(|e| presentation.problem(e))
}

/// `POST /verify`: a raw body (with an optional `?holder=`), or a form with
/// `file`, `text` or `url`, and optionally `holder`.
async fn verify_post(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let presentation = Presentation::of(&req, false);
    let run = async {
        let timeout = state.config.body_read_timeout;
        let submission = read_submission(&req, payload, MAX_BODY_BYTES, timeout).await?;
        let input = submission.input()?;
        // A raw body has no form field: programs may give `?holder=`.
        let holder = match (submission.holder, query_param(&req, "holder")) {
            (Some(from_form), _) => Some(from_form),
            (None, Some(value)) => holder(&value)?,
            (None, None) => None,
        };
        answer(&state, input, holder, presentation).await
    };
    run.await.map_err(|e| presentation.problem(e))
}

/// Verifies and answers as JSON or as the result page.
async fn answer(
    state: &web::Data<AppState>,
    input: Input,
    holder: Option<String>,
    presentation: Presentation,
) -> Result<HttpResponse, ServiceError> {
    // A panic here would take the worker's other connections with it; on
    // the blocking pool it becomes a 500 for this request only.
    let at_hand = match &input {
        Input::Bytes(bytes) => std::panic::catch_unwind(AssertUnwindSafe(|| {
            verify::verify_at_hand(state, bytes, holder.as_deref(), !presentation.json)
        }))
        .unwrap_or(AtHand::Network(None)),
        Input::Url(_) | Input::Detected(_) => AtHand::Network(None),
    };
    let verification = match at_hand {
        AtHand::Done(verification) => {
            let mut verification = (*verification)?;
            if verification.reason_to_ask().is_some() {
                let shared = state.get_ref().clone();
                verification = run_blocking(move || {
                    verify::ask_reason(&shared, &mut verification);
                    Ok(verification)
                })
                .await?;
            }
            verification
        }
        AtHand::Network(detected) => {
            // Read once: what the attempt read is not read again.
            let input = detected.map_or(input, Input::Detected);
            let shared = state.get_ref().clone();
            let asked = holder.clone();
            let keep_text = !presentation.json;
            run_blocking(move || verify::verify(&shared, input, asked.as_deref(), keep_text))
                .await?
        }
    };
    let mut response = if presentation.json {
        verification.json_response()?
    } else {
        let page = ResultPage::new(state, &verification, holder.as_deref(), presentation.lang);
        pages::render(&page)?
    };
    response.extensions_mut().insert(LoggedOutcome {
        verified: verification.report.verified,
        authentic: verification.report.authentic,
    });
    Ok(response)
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
        .body(body)
}

async fn not_found(req: HttpRequest) -> Result<HttpResponse, Problem> {
    Err(Presentation::of(&req, false).problem(ServiceError::NotFound))
}

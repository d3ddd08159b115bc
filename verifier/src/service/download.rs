//! What a beneficiary takes away: the badge image baked with its credential
//! (`/bake`, PNG or SVG) and a printable A4 certificate (`/certificate`),
//! both with a QR code leading back to this verifier's page.
//!
//! Only a credential that verifies is baked or certified: an image or a
//! print-out of a revoked or forged badge would lend it credibility. At
//! most [`super::MAX_CONCURRENT_BAKES`] are built at once (`503` beyond).

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use base64::Engine as _;

use super::badge::BadgeFacts;
use super::fetch;
use super::pages::{self, CertificatePage};
use super::problem::{Presentation, Problem, ServiceError};
use super::query::query_param;
use super::request::read_body;
use super::ui::{encode, Ui};
use super::verify::{self, run_blocking, Input, Verification};
use super::{AppState, BakeSlot, BAKE_RETRY_AFTER_SECONDS, MAX_BODY_BYTES};
use crate::bake::{self, BakeError};
use crate::i18n::{self, Lang};
use crate::render::{self, RenderError};

/// The side of baked images, in pixels.
const BAKED_SIZE: u32 = 600;

/// The side of the certificate's badge image, in pixels.
const CERTIFICATE_IMAGE_SIZE: u32 = 240;

/// The image formats `/bake` produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Png,
    Svg,
}

/// A baked image, ready to send.
struct Baked {
    bytes: Vec<u8>,
    format: Format,
    slug: String,
}

fn format_of(req: &HttpRequest) -> Result<Format, ServiceError> {
    match query_param(req, "format").as_deref().map(str::trim) {
        None | Some("") | Some("png") => Ok(Format::Png),
        Some("svg") => Ok(Format::Svg),
        Some(_) => Err(ServiceError::bad_request(
            "invalid_format",
            "format must be png or svg",
        )),
    }
}

/// `GET /bake?url=URL&format=png|svg`: a hosted credential, baked.
pub(crate) async fn bake_get(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let presentation = Presentation::of(&req, true);
    let run = async {
        let format = format_of(&req)?;
        let url = query_param(&req, "url")
            .filter(|u| !u.trim().is_empty())
            .ok_or(ServiceError::EmptyInput)?;
        let slot = take_slot(&state)?;
        let shared = state.get_ref().clone();
        run_blocking(move || {
            let _slot = slot;
            bake_input(&shared, Input::Url(url), format)
        })
        .await
    };
    run.await.map(answer).map_err(|e| presentation.problem(e))
}

/// `POST /bake?format=png|svg`: the credential's JSON or VC-JWT as the body.
pub(crate) async fn bake_post(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let presentation = Presentation::of(&req, true);
    let run = async {
        let format = format_of(&req)?;
        let body = read_body(payload, MAX_BODY_BYTES, state.config.body_read_timeout).await?;
        let slot = take_slot(&state)?;
        let shared = state.get_ref().clone();
        run_blocking(move || {
            let _slot = slot;
            bake_input(&shared, Input::Bytes(body), format)
        })
        .await
    };
    run.await.map(answer).map_err(|e| presentation.problem(e))
}

/// A slot to build an image in, or `503 busy` when all are taken.
fn take_slot(state: &AppState) -> Result<BakeSlot, ServiceError> {
    state.bakes.try_take().ok_or(ServiceError::Busy {
        retry_after: BAKE_RETRY_AFTER_SECONDS,
    })
}

fn answer(baked: Baked) -> HttpResponse {
    let (content_type, extension) = match baked.format {
        Format::Png => ("image/png", "png"),
        Format::Svg => ("image/svg+xml", "svg"),
    };
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"badge-{}.{extension}\"", baked.slug),
        ))
        .body(baked.bytes)
}

/// Refuses a credential that does not verify, naming the first failed check.
fn require_verified(verification: &Verification) -> Result<(), ServiceError> {
    let report = &verification.report;
    if report.verified && report.view.is_some() {
        return Ok(());
    }
    let failed = report
        .checks
        .iter()
        .find(|c| c.outcome == crate::report::Outcome::Failed);
    Err(ServiceError::NotVerified {
        check: failed.map_or("proof.missing", |c| c.code),
        message: failed.map_or_else(|| "no valid proof".to_owned(), |c| c.message.clone()),
    })
}

/// Where the QR code leads: this verifier's page for the credential's URL
/// (the one it was fetched from, else its http(s) id), else the home page.
fn verification_link(state: &AppState, verification: &Verification) -> String {
    let base = &state.config.public_url;
    match verification.url.as_deref().or(verification.http_id()) {
        Some(url) => format!("{base}/verify?url={}", encode(url)),
        None => format!("{base}/"),
    }
}

fn render_error(error: RenderError) -> ServiceError {
    match error {
        RenderError::QrCode(why) => ServiceError::bad_request("url_too_long", why),
        other => ServiceError::Internal(format!("render: {other}")),
    }
}

fn bake_error(error: BakeError) -> ServiceError {
    match error {
        BakeError::CredentialTooLarge { limit } => ServiceError::TooLarge { limit },
        other => ServiceError::Internal(format!("bake: {other}")),
    }
}

/// Verifies, renders and bakes. Blocking.
fn bake_input(state: &AppState, input: Input, format: Format) -> Result<Baked, ServiceError> {
    let verification = verify::verify(state, input, None, true)?;
    require_verified(&verification)?;
    if super::verdict::is_open_badges_2(&verification.report) {
        // Baking writes an Open Badges 3.0 image; an OB 2.0 assertion is
        // not an OB 3.0 credential.
        return Err(ServiceError::NotABadge(
            "an Open Badges 2.0 assertion is not baked into an Open Badges 3.0 image".into(),
        ));
    }
    let (Some(text), Some(view)) = (
        verification.credential_text.as_deref(),
        verification.report.view.as_ref(),
    ) else {
        return Err(ServiceError::NotABadge("no credential to bake".into()));
    };
    let facts = BadgeFacts::new(view, state.config.trust_registry.as_ref(), Lang::Fr);
    let link = verification_link(state, &verification);
    let image = facts
        .image_reference
        .as_deref()
        .and_then(|r| fetch::achievement_image(state.resolver.client(), r, BAKED_SIZE));
    let (name, issuer) = (&facts.name, &facts.issuer_name);
    let bytes = match format {
        Format::Png => {
            let png = render::render_badge_png(image.as_ref(), name, issuer, &link, BAKED_SIZE)
                .map_err(render_error)?;
            bake::bake_png(&png, text).map_err(bake_error)?
        }
        Format::Svg => {
            let svg = render::render_badge_svg(image.as_ref(), name, issuer, &link, BAKED_SIZE)
                .map_err(render_error)?;
            bake::bake_svg(&svg, text).map_err(bake_error)?.into_bytes()
        }
    };
    Ok(Baked {
        bytes,
        format,
        slug: slug(name),
    })
}

/// A file-name-safe form of a badge name: "Médiation numérique" →
/// "mediation-numerique".
pub(crate) fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.to_lowercase().chars() {
        let folded = match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'î' | 'ï' | 'í' => "i",
            'ô' | 'ö' | 'ó' | 'õ' => "o",
            'ù' | 'û' | 'ü' | 'ú' => "u",
            'ç' => "c",
            'œ' => "oe",
            'æ' => "ae",
            c if c.is_ascii_alphanumeric() => {
                slug.push(c);
                continue;
            }
            _ => "-",
        };
        slug.push_str(folded);
    }
    let parts: Vec<&str> = slug.split('-').filter(|p| !p.is_empty()).collect();
    let joined: String = parts.join("-").chars().take(60).collect();
    let joined = joined.trim_end_matches('-').to_owned();
    if joined.is_empty() {
        "badge".to_owned()
    } else {
        joined
    }
}

/// `GET /certificate?url=URL`: the printable certificate of a hosted
/// credential.
pub(crate) async fn certificate(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let presentation = Presentation::of(&req, false);
    let lang = presentation.lang;
    let run = async {
        let url = query_param(&req, "url")
            .filter(|u| !u.trim().is_empty())
            .ok_or(ServiceError::EmptyInput)?;
        let slot = take_slot(&state)?;
        let shared = state.get_ref().clone();
        let page = run_blocking(move || {
            let _slot = slot;
            certificate_page(&shared, url, lang)
        })
        .await?;
        pages::render(&page)
    };
    run.await.map_err(|e| presentation.problem(e))
}

/// Verifies and lays out the certificate. Blocking.
fn certificate_page(
    state: &AppState,
    url: String,
    lang: Lang,
) -> Result<CertificatePage, ServiceError> {
    let verification = verify::verify(state, Input::Url(url.clone()), None, true)?;
    require_verified(&verification)?;
    let Some(view) = verification.report.view.as_ref() else {
        return Err(ServiceError::NotABadge("no credential".into()));
    };
    let badge = BadgeFacts::new(view, state.config.trust_registry.as_ref(), lang);
    let verify_url = verification_link(state, &verification);
    let image_data = badge
        .image_reference
        .as_deref()
        .and_then(|r| {
            fetch::achievement_image(state.resolver.client(), r, CERTIFICATE_IMAGE_SIZE * 2)
        })
        .map(|image| image.thumbnail(CERTIFICATE_IMAGE_SIZE * 2, CERTIFICATE_IMAGE_SIZE * 2))
        .and_then(|image| render::raw_png_encode(&image.to_rgba8()).ok())
        .map(|png| {
            let data = base64::engine::general_purpose::STANDARD.encode(png);
            format!("data:image/png;base64,{data}")
        });
    let scan = i18n::message(lang, "certificate-scan");
    let qr_svg = render::render_qr_svg(&verify_url, &scan, 160).map_err(render_error)?;
    let design_svg = render::render_design_svg(&badge.name, &badge.image_alt, 240);
    let holder_sentence = badge
        .holder
        .as_deref()
        .map(|name| i18n::message_with(lang, "certificate-holder", &[("name", name)]));
    let switch = format!(
        "/certificate?url={}&lang={}",
        encode(&url),
        lang.other().code()
    );
    Ok(CertificatePage {
        ui: Ui::new(lang, switch),
        badge,
        holder_sentence,
        image_data,
        design_svg,
        qr_svg,
        verify_url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_file_name_safe() {
        assert_eq!(slug("Médiation numérique"), "mediation-numerique");
        assert_eq!(slug("  Œuvre / « ça » ! "), "oeuvre-ca");
        assert_eq!(slug("«»"), "badge");
        assert_eq!(slug(&"a".repeat(100)).len(), 60);
    }
}

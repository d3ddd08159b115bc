//! Badge images: upload (`POST /api/v1/orgs/{slug}/images`, a raw body or
//! the multipart field `file`) and the public, cacheable file at
//! `/images/{id}.png`, the URL achievements publish.
//!
//! The served type is the stored one (an SVG stays `image/svg+xml` despite
//! the `.png` path), with `nosniff`; an SVG also carries a
//! `Content-Security-Policy` that forbids scripts and every fetch, in case
//! it is opened as a document rather than through `<img>`.

use actix_multipart::Multipart;
use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt as _;

use crate::auth::Caller;
use crate::error::{ApiError, ErrorCode};
use crate::images::{self, ImageError, ImageType};
use crate::state::AppState;
use crate::users::Role;

/// Policy of a served SVG: inline styles only, nothing fetched, no script.
pub const SVG_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'";
/// Images never change once stored: a day, immutable.
const MAX_AGE: u32 = 86_400;
/// The multipart field holding the file.
const FILE_FIELD: &str = "file";
/// The file and some room for other fields.
const FORM_LIMIT: usize = images::MAX_BYTES + 64 * 1024;

/// Mounts the image routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/orgs/{slug}/images", web::post().to(upload))
        .route("/images/{id}.png", web::get().to(serve));
}

async fn upload(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/")
        });
    let bytes = if is_multipart {
        read_file_field(Multipart::new(req.headers(), payload)).await?
    } else {
        read_limited(payload).await?
    };
    let base = state.base();
    let id = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = caller.require(conn, &slug, Role::Facilitator)?;
            let image = images::normalise(&bytes)?;
            Ok(images::store(conn, &org.id, &image)?)
        })
        .await?;
    let url = images::url(&base, &id);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, url.clone()))
        .json(StoredImage { id, url }))
}

/// An uploaded image, once stored.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct StoredImage {
    /// Its id: an achievement's `image_id`.
    pub id: String,
    /// Its public URL (also in the `Location` header).
    #[schema(format = "uri")]
    pub url: String,
}

/// Reads at most [`images::MAX_BYTES`], refusing more as soon as it arrives.
async fn read_limited(mut payload: web::Payload) -> Result<Vec<u8>, ApiError> {
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::bad_request(ErrorCode::InvalidBody, e.to_string()))?;
        if body.len() + chunk.len() > images::MAX_BYTES {
            return Err(ImageError::TooLarge.into());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The bytes of the field `file`; other fields are read and dropped. The
/// whole form may hold little more than the file.
async fn read_file_field(mut form: Multipart) -> Result<Vec<u8>, ApiError> {
    let invalid = |e: actix_multipart::MultipartError| {
        ApiError::bad_request(ErrorCode::InvalidForm, e.to_string())
    };
    let mut file = None;
    let mut total = 0;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(invalid)?;
        let wanted = file.is_none() && field.name() == Some(FILE_FIELD);
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(invalid)?;
            total += chunk.len();
            if bytes.len() + chunk.len() > images::MAX_BYTES || total > FORM_LIMIT {
                return Err(ImageError::TooLarge.into());
            }
            if wanted {
                bytes.extend_from_slice(&chunk);
            }
        }
        if wanted {
            file = Some(bytes);
        }
    }
    file.ok_or_else(|| {
        ApiError::bad_request(ErrorCode::MissingFile, "the form has no field \"file\"")
    })
}

async fn serve(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let image = state.db.run(move |conn| images::load(conn, &id)).await?;
    let mut response = HttpResponse::Ok();
    response
        .content_type(image.content_type.as_str())
        .insert_header(CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(MAX_AGE),
            CacheDirective::Extension("immutable".into(), None),
        ]))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
    if image.content_type == ImageType::Svg {
        response.insert_header((header::CONTENT_SECURITY_POLICY, SVG_CSP));
    }
    Ok(response.body(image.bytes))
}

//! Awards API of an organisation: award one participant, import a CSV file,
//! list, show (each with its delivery status), revoke, send the e-mail
//! again, and the claim QR code. Every route checks membership
//! through `Caller::require` (another organisation's awards answer 404).

use actix_web::http::header::{CacheControl, CacheDirective};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt as _;
use serde::{Deserialize, Serialize};

use crate::auth::Caller;
use crate::awards::csv::{self as award_csv, Batch, Duplicates, FlaggedRow, Reason, RowError};
use crate::awards::csv_format::{ColumnUse, TextEncoding};
use crate::awards::{self, claim, AwardRequest, AwardView, CredentialFormat, IssueContext};
use crate::delivery::DeliveryCounts;
use crate::error::{ApiError, ErrorCode};
use crate::i18n::Lang;
use crate::ids::{AchievementId, AwardId};
use crate::state::AppState;
use crate::users::Role;

/// Header carrying an idempotency key.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";

/// Mounts `/api/v1/orgs/{slug}/awards*`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/orgs/{slug}/awards", web::post().to(create))
        .route("/api/v1/orgs/{slug}/awards", web::get().to(list))
        .route("/api/v1/orgs/{slug}/awards/csv", web::post().to(import_csv))
        .route("/api/v1/orgs/{slug}/awards/{id}", web::get().to(show))
        .route(
            "/api/v1/orgs/{slug}/awards/{id}/revoke",
            web::post().to(revoke),
        )
        .route(
            "/api/v1/orgs/{slug}/awards/{id}/erase",
            web::post().to(erase),
        )
        .route(
            "/api/v1/orgs/{slug}/awards/{id}/resend",
            web::post().to(resend),
        )
        .route(
            "/api/v1/orgs/{slug}/awards/{id}/claim-qr.png",
            web::get().to(claim_qr),
        );
}

/// The body of `POST /api/v1/orgs/{slug}/awards`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardInput {
    /// The achievement awarded.
    pub achievement_id: String,
    /// The participant's name.
    #[schema(max_length = 200)]
    pub recipient_name: String,
    /// Their e-mail address, hashed in the credential; without it the award
    /// gets a claim code.
    #[serde(default)]
    pub recipient_email: Option<String>,
    /// The language of their e-mail: `fr` (default) or `en` (a tag such as
    /// `en-GB` is read as its language); other languages are refused with
    /// `invalid_recipient_language`.
    #[serde(default)]
    pub recipient_language: Option<String>,
    /// Whether the credential may show the plain name.
    #[serde(default)]
    pub name_consent: bool,
    /// What they did.
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub narrative: Option<String>,
    /// Evidence URL.
    #[serde(default)]
    #[schema(format = "uri")]
    pub evidence_url: Option<String>,
    /// `di` (default) or `jwt`.
    #[serde(default)]
    #[schema(inline)]
    pub format: CredentialFormat,
    /// Idempotency key (or the `Idempotency-Key` header), at most 200 bytes.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub idempotency_key: Option<String>,
}

fn idempotency_header(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    req.headers()
        .get(IDEMPOTENCY_HEADER)
        .map(|v| {
            v.to_str().map(str::to_owned).map_err(|_| {
                ApiError::bad_request(
                    ErrorCode::InvalidIdempotencyKey,
                    "Idempotency-Key: not ASCII",
                )
            })
        })
        .transpose()
}

impl AwardInput {
    fn into_request(self, header_key: Option<String>) -> Result<AwardRequest, ApiError> {
        let idempotency_key = match (header_key, self.idempotency_key) {
            (Some(h), Some(b)) if h != b => {
                return Err(ApiError::bad_request(
                    ErrorCode::InvalidIdempotencyKey,
                    "the Idempotency-Key header and the idempotency_key field differ",
                ))
            }
            (h, b) => h.or(b),
        };
        let recipient_language = match self.recipient_language.as_deref() {
            None => Lang::default(),
            Some(tag) => Lang::from_tag(tag).ok_or_else(|| {
                ApiError::bad_request(
                    ErrorCode::InvalidRecipientLanguage,
                    "recipient_language: fr or en",
                )
            })?,
        };
        Ok(AwardRequest {
            recipient_language,
            achievement_id: self.achievement_id,
            recipient_name: self.recipient_name,
            recipient_email: self.recipient_email,
            name_consent: self.name_consent,
            narrative: self.narrative,
            evidence_url: self.evidence_url,
            format: self.format,
            idempotency_key,
        })
    }
}

async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
    req: HttpRequest,
    body: web::Json<AwardInput>,
) -> Result<HttpResponse, ApiError> {
    let request = body.into_inner().into_request(idempotency_header(&req)?)?;
    let st = state.clone();
    let (created, issued) = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = caller.require(conn, &slug, Role::Facilitator)?;
            let ctx = IssueContext::new(st.base(), &st.master_key)
                .counted(&st.metrics, crate::metrics::AwardPath::Single);
            let issued = awards::issue(conn, &ctx, &org, request, caller.actor())?;
            Ok((issued.created, issued.award))
        })
        .await?;
    if created {
        crate::delivery::deliver(
            state.config.clone(),
            &state.metrics,
            &state.db,
            state.base(),
            issued.org_id.clone(),
            vec![issued.id.clone()],
            false,
        )
        .await?;
    }
    let view = view_with_delivery(&state, issued, true).await?;
    Ok(if created {
        HttpResponse::Created().json(view)
    } else {
        HttpResponse::Ok().json(view)
    })
}

/// The view of `award` with its recorded delivery.
async fn view_with_delivery(
    state: &AppState,
    award: awards::Award,
    full: bool,
) -> Result<AwardView, ApiError> {
    let base = state.base();
    state
        .db
        .run(move |conn| {
            let delivery = crate::delivery::of(conn, &award.id)?;
            Ok(AwardView::new(&award, &base, full).with_delivery(delivery.as_ref()))
        })
        .await
}

/// Paging of `GET /api/v1/orgs/{slug}/awards`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Page size, 1 to 500 (default 100).
    pub limit: Option<i64>,
    /// Awards skipped (default 0).
    pub offset: Option<i64>,
}

async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let base = state.base();
    let views = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = caller.require(conn, &slug, Role::Facilitator)?;
            let rows = awards::list(
                conn,
                &org.id,
                query.limit.unwrap_or(100),
                query.offset.unwrap_or(0),
            )?;
            let ids: Vec<String> = rows.iter().map(|a| a.id.clone()).collect();
            let deliveries = crate::delivery::of_awards(conn, &ids)?;
            Ok(rows
                .iter()
                .map(|a| AwardView::new(a, &base, false).with_delivery(deliveries.get(&a.id)))
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(HttpResponse::Ok().json(views))
}

async fn show(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, AwardId)>,
) -> Result<HttpResponse, ApiError> {
    let base = state.base();
    let (slug, id) = path.into_inner();
    let view = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = caller.require(conn, &slug, Role::Facilitator)?;
            // The award first: another organisation's id answers 404.
            let award = awards::by_id(conn, &org.id, &id)?;
            let delivery = crate::delivery::of(conn, &award.id)?;
            Ok(AwardView::new(&award, &base, true).with_delivery(delivery.as_ref()))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Sends the award e-mail again (`POST .../awards/{id}/resend`): after a
/// failure, or when the participant lost it. Refused (409) for a revoked
/// award, one without an e-mail address and when no mail server is
/// configured, with nothing recorded; otherwise the award's view with the
/// new delivery (`sent`, or `failed` with its reason).
async fn resend(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, AwardId)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let award = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = caller.require(conn, &slug, Role::Facilitator)?;
            Ok(awards::by_id(conn, &org.id, &id)?)
        })
        .await?;
    if award.is_revoked() {
        return Err(ApiError::conflict(
            ErrorCode::AwardRevoked,
            "this award is revoked: its e-mail is not sent again",
        ));
    }
    if award.recipient_email.is_none() {
        return Err(ApiError::conflict(
            ErrorCode::NoAddress,
            "this award has no e-mail address: hand the participant the claim code",
        ));
    }
    if state.config.smtp.is_none() {
        return Err(ApiError::conflict(
            ErrorCode::SmtpNotConfigured,
            "no mail server is configured (ISSUER_SMTP_URL): hand the participant the claim code",
        ));
    }
    crate::delivery::deliver(
        state.config.clone(),
        &state.metrics,
        &state.db,
        state.base(),
        award.org_id.clone(),
        vec![award.id.clone()],
        true,
    )
    .await?;
    Ok(HttpResponse::Ok().json(view_with_delivery(&state, award, false).await?))
}

/// The body of `POST .../awards/{id}/revoke`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeInput {
    /// Why, 1 to 500 characters; published with the credential's 410 answer.
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

async fn revoke(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, AwardId)>,
    body: web::Json<RevokeInput>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let st = state.clone();
    let view = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = caller.require(conn, &slug, Role::Facilitator)?;
            let ctx = IssueContext::new(st.base(), &st.master_key);
            let award = awards::revoke(conn, &ctx, &org, &id, &body.reason, caller.actor())?;
            Ok(AwardView::new(&award, &ctx.base, false))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Erases the participant's personal data (and revokes the award).
async fn erase(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, AwardId)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let st = state.clone();
    let view = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = caller.require(conn, &slug, Role::Facilitator)?;
            let ctx = IssueContext::new(st.base(), &st.master_key);
            let award = awards::erase::erase(conn, &ctx, &org, &id, caller.actor())?;
            Ok(AwardView::new(&award, &ctx.base, false))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// The query of `POST .../awards/csv`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvQuery {
    /// The achievement awarded.
    pub achievement_id: AchievementId,
    /// Check only, write nothing (default `false`).
    #[serde(default)]
    pub dry_run: bool,
    /// `di` (default) or `jwt`.
    #[serde(default)]
    pub format: CredentialFormat,
    /// Rows for someone who already holds the badge, or for the same person
    /// as an earlier row: `skip` them (default) or `award` anyway.
    #[serde(default)]
    pub duplicates: Duplicates,
}

/// How the file was read: its encoding, its separator and what each column
/// is read as (in every answer of `POST .../awards/csv` that checked the
/// file, and in its `invalid_csv` error).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReadAs {
    /// The encoding the file was read as.
    #[schema(inline)]
    pub encoding: TextEncoding,
    /// The separator found: `;`, `,` or a tab.
    pub separator: String,
    /// Each column of the file, in order, and what it is read as.
    pub columns: Vec<ColumnUse>,
}

/// The fields an `invalid_csv` error adds after its code and message.
#[derive(Debug, Serialize)]
struct CsvProblems {
    /// Every problem found in the file.
    errors: Vec<RowError>,
    /// How the file was read.
    read_as: ReadAs,
}

/// How many rows were left out, for each reason.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SkippedByReason {
    /// Awarded by an earlier import of the same file (same file key).
    pub already_imported: usize,
    /// For someone who already holds the badge.
    pub holds_badge: usize,
    /// For the same person as an earlier row.
    pub duplicate_row: usize,
}

impl SkippedByReason {
    fn of(outcome: &award_csv::BatchOutcome) -> Self {
        Self {
            already_imported: outcome.skipped_for(Reason::AlreadyImported),
            holds_badge: outcome.skipped_for(Reason::HoldsBadge),
            duplicate_row: outcome.skipped_for(Reason::DuplicateRow),
        }
    }
}

/// The answer of a dry run of `POST .../awards/csv` on a file with problems:
/// every problem, and how the file was read (an import of the same file is
/// refused with `invalid_csv` and the same details).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CsvRefused {
    /// `true`: only a dry run answers this.
    pub dry_run: bool,
    /// `false`: the file has problems.
    pub valid: bool,
    /// `0`: no row is counted while the file has problems.
    pub rows: usize,
    /// Every problem found, each with its line and column.
    pub errors: Vec<RowError>,
    /// How the file was read.
    pub read_as: ReadAs,
}

/// The answer of a dry run of `POST .../awards/csv` on a valid file: what
/// an import would award and skip, and why; nothing is written.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CsvPreview {
    /// `true`: nothing was written.
    pub dry_run: bool,
    /// `true`: every row is valid.
    pub valid: bool,
    /// Rows in the file.
    pub rows: usize,
    /// No problem: always empty.
    pub errors: Vec<RowError>,
    /// Rows an import would award.
    pub awarded: usize,
    /// Rows an import would leave out: already imported, or duplicates
    /// skipped.
    pub skipped: usize,
    /// How the file was read.
    pub read_as: ReadAs,
    /// What is done with duplicates, as asked.
    #[schema(inline)]
    pub duplicates: Duplicates,
    /// The rows an import would leave out, and why, in file order.
    pub skipped_rows: Vec<FlaggedRow>,
    /// How many rows an import would leave out, for each reason.
    pub skipped_by_reason: SkippedByReason,
    /// The rows flagged as duplicates, whatever is chosen for them.
    pub flagged: Vec<FlaggedRow>,
}

/// The answer of an import by `POST .../awards/csv`: what was awarded and
/// skipped, and why, and how the e-mails went.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CsvImported {
    /// `false`: the awards are written.
    pub dry_run: bool,
    /// Rows in the file.
    pub rows: usize,
    /// Rows awarded now.
    pub awarded: usize,
    /// Rows not awarded now: already imported, or duplicates skipped.
    pub skipped: usize,
    /// Ids of the awards of the rows, new or earlier, in file order (the
    /// duplicates skipped have none).
    pub award_ids: Vec<String>,
    /// What is done with duplicates, as asked.
    #[schema(inline)]
    pub duplicates: Duplicates,
    /// The rows not awarded now, and why, in file order.
    pub skipped_rows: Vec<FlaggedRow>,
    /// How many rows were left out, for each reason.
    pub skipped_by_reason: SkippedByReason,
    /// The rows flagged as duplicates, whatever was chosen for them.
    pub flagged: Vec<FlaggedRow>,
    /// How the e-mails of the new awards went.
    pub delivery: DeliveryCounts,
}

/// The answer of `POST .../awards/csv` (200): a dry run's, on a file with
/// problems or on a valid one, or an import's.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum CsvAnswer {
    /// A dry run on a file with problems.
    Refused(CsvRefused),
    /// A dry run on a valid file.
    Preview(CsvPreview),
    /// An import.
    Imported(CsvImported),
}

/// What the transaction of `POST .../awards/csv` did.
enum CsvDone {
    /// A dry run: the answer is whole.
    Previewed(CsvPreview),
    /// An import of `rows` rows; the e-mails are sent after the transaction.
    Imported {
        rows: usize,
        outcome: award_csv::BatchOutcome,
    },
}

async fn import_csv(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
    query: web::Query<CsvQuery>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let file_key = idempotency_header(&req)?;
    let bytes = read_limited(payload, award_csv::MAX_BYTES).await?;
    let file = award_csv::read(&bytes);
    let read_as = ReadAs {
        encoding: file.encoding,
        separator: file.separator.to_string(),
        columns: file.columns,
    };
    let rows = match file.rows {
        Ok(rows) => rows,
        Err(errors) if query.dry_run => {
            return Ok(HttpResponse::Ok().json(CsvAnswer::Refused(CsvRefused {
                dry_run: true,
                valid: false,
                rows: 0,
                errors,
                read_as,
            })))
        }
        Err(errors) => {
            let message = format!(
                "{} problem(s) in the file; nothing was awarded",
                errors.len()
            );
            let details = serde_json::to_value(CsvProblems { errors, read_as })
                .map_err(|e| ApiError::internal(format!("serialising CSV problems: {e}")))?;
            return Err(ApiError::detailed(
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidCsv,
                message,
                details,
            ));
        }
    };
    let st = state.clone();
    let query = query.into_inner();
    let duplicates = query.duplicates;
    let (org_id, done) = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = caller.require(conn, &slug, Role::Facilitator)?;
            let org_id = org.id.clone();
            let batch = Batch {
                achievement_id: &query.achievement_id,
                format: query.format,
                file_key: file_key.as_deref(),
                duplicates,
            };
            if query.dry_run {
                let outcome = award_csv::preview(conn, &org, &batch, &rows)?;
                let preview = CsvPreview {
                    dry_run: true,
                    valid: true,
                    rows: rows.len(),
                    errors: Vec::new(),
                    awarded: outcome.awarded,
                    skipped: outcome.skipped,
                    read_as,
                    duplicates,
                    skipped_by_reason: SkippedByReason::of(&outcome),
                    skipped_rows: outcome.skipped_rows,
                    flagged: outcome.flagged,
                };
                return Ok((org_id, CsvDone::Previewed(preview)));
            }
            let ctx = IssueContext::new(st.base(), &st.master_key)
                .counted(&st.metrics, crate::metrics::AwardPath::Csv);
            let outcome =
                award_csv::commit(conn, &ctx, &org, &batch, &rows, caller.actor(), &mut |_| {})?;
            let rows = rows.len();
            Ok((org_id, CsvDone::Imported { rows, outcome }))
        })
        .await?;
    let answer = match done {
        CsvDone::Previewed(preview) => CsvAnswer::Preview(preview),
        CsvDone::Imported { rows, outcome } => {
            let delivery = crate::delivery::deliver(
                state.config.clone(),
                &state.metrics,
                &state.db,
                state.base(),
                org_id,
                outcome.award_ids.clone(),
                false,
            )
            .await?;
            CsvAnswer::Imported(CsvImported {
                dry_run: false,
                rows,
                awarded: outcome.awarded,
                skipped: outcome.skipped,
                skipped_by_reason: SkippedByReason::of(&outcome),
                award_ids: outcome.award_ids,
                duplicates,
                skipped_rows: outcome.skipped_rows,
                flagged: outcome.flagged,
                delivery,
            })
        }
    };
    Ok(HttpResponse::Ok().json(answer))
}

/// Reads a request body of at most `limit` bytes.
async fn read_limited(mut payload: web::Payload, limit: usize) -> Result<Vec<u8>, ApiError> {
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::bad_request(ErrorCode::InvalidBody, e.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge(format!(
                "the file is larger than {limit} bytes"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

async fn claim_qr(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, AwardId)>,
) -> Result<HttpResponse, ApiError> {
    let base = state.base();
    let (slug, id) = path.into_inner();
    let code = state
        .db
        .run(move |conn| {
            let (org, _) = caller.require(conn, &slug, Role::Facilitator)?;
            awards::by_id(conn, &org.id, &id)?
                .claim_code
                .ok_or(ApiError::NotFound("claim code"))
        })
        .await?;
    let png = web::block(move || claim::qr_png(&claim::claim_url(&base, &code)))
        .await
        .map_err(|e| ApiError::internal(format!("blocking task failed: {e}")))??;
    Ok(HttpResponse::Ok()
        .content_type("image/png")
        .insert_header(CacheControl(vec![
            CacheDirective::Private,
            CacheDirective::NoStore,
        ]))
        .body(png))
}

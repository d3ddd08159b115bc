//! Awarding from the pages: one participant from the badge page, many from
//! a CSV file (preview with every bad row, then one confirmed commit), the
//! award page with its claim code and QR code, and revocation with a reason.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::awards::csv::{self as award_csv, Batch, Duplicates, FlaggedRow, Reason, RowError};
use crate::awards::csv_format::{ColumnUse, Field};
use crate::awards::duplicates::{already_held, Person};
use crate::awards::{self, CredentialFormat, IssueContext};
use crate::delivery::{self, DeliveryCounts, DeliveryStatus};
use crate::error::{ApiError, ErrorCode};
use crate::ids::{AchievementId, AwardId};
use crate::pages::badges::badge_page;
use crate::pages::claim_sheet::CodeToPrint;
use crate::pages::parts::{AwardForm, AwardSummary, OrgHeading};
use crate::pages::session::PageUser;
use crate::pages::{explain, form, render, render_status, see_other, PageError, Ui};
use crate::state::AppState;
use crate::users::Role;

/// Mounts the award pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/{slug}/badges/{id}/award", web::post().to(award_one))
        .route("/app/{slug}/badges/{id}/csv", web::post().to(csv_preview))
        .route(
            "/app/{slug}/badges/{id}/csv/commit",
            web::post().to(csv_commit),
        )
        .route("/app/{slug}/awards/{id}", web::get().to(show))
        .route("/app/{slug}/awards/{id}/revoke", web::post().to(revoke))
        .route("/app/{slug}/awards/{id}/resend", web::post().to(resend))
        .route("/app/{slug}/awards/{id}/erase", web::post().to(erase));
}

async fn award_one(
    state: web::Data<AppState>,
    user: PageUser,
    path: web::Path<(String, AchievementId)>,
    posted: web::Form<AwardForm>,
) -> Result<HttpResponse, PageError> {
    let posted = posted.into_inner();
    user.check_csrf(&posted.csrf)?;
    let (slug, id) = path.into_inner();
    let request = posted.request(id.as_str());
    let anyway = posted.anyway.is_some();
    let id_for_check = id.clone();
    let viewer = user.clone();
    let st = state.clone();
    let outcome = state
        .db
        .run(move |conn| {
            let (org, _) = viewer.require(conn, &slug, Role::Facilitator)?;
            if !anyway {
                let person = Person {
                    name: &request.recipient_name,
                    email: request.recipient_email.as_deref(),
                };
                if let Some(earlier) = already_held(
                    conn,
                    &org.id,
                    &id_for_check,
                    &person,
                    request.idempotency_key.as_deref(),
                )? {
                    return Ok((
                        org.slug.clone(),
                        Err(ApiError::conflict(ErrorCode::AlreadyAwarded, earlier)),
                    ));
                }
            }
            let ctx = IssueContext::new(st.base(), &st.master_key)
                .counted(&st.metrics, crate::metrics::AwardPath::Single);
            Ok((
                org.slug.clone(),
                awards::issue(conn, &ctx, &org, request, viewer.actor()).map_err(ApiError::from),
            ))
        })
        .await
        .map_err(|e| user.error(e))?;
    match outcome {
        (slug, Ok(issued)) => {
            if issued.created {
                delivery::deliver(
                    state.config.clone(),
                    &state.metrics,
                    &state.db,
                    state.base(),
                    issued.award.org_id.clone(),
                    vec![issued.award.id.clone()],
                    false,
                )
                .await
                .map_err(|e| user.error(e.into()))?;
            }
            Ok(see_other(&format!(
                "/app/{slug}/awards/{}?awarded=1",
                issued.award.id
            )))
        }
        (
            slug,
            Err(ApiError::Conflict {
                message: earlier, ..
            }),
        ) => {
            let message = user.ui().t("award-duplicate-short");
            let mut page =
                badge_page(&state, &user, slug.as_str(), &id, Some((posted, message))).await?;
            page.duplicate = Some(earlier);
            render_status(StatusCode::CONFLICT, &page)
        }
        (slug, Err(error @ (ApiError::BadRequest { .. } | ApiError::InvalidText { .. }))) => {
            // The page speaks the reader's language, never field names.
            let message = match &error {
                ApiError::BadRequest { code, .. } => user.ui().t(match *code {
                    ErrorCode::InvalidRecipientName => "award-invalid-name",
                    ErrorCode::InvalidRecipientEmail => "award-invalid-email",
                    ErrorCode::InvalidNarrative => "award-invalid-narrative",
                    _ => "award-invalid-other",
                }),
                _ => explain(&error, user.lang),
            };
            let page =
                badge_page(&state, &user, slug.as_str(), &id, Some((posted, message))).await?;
            render_status(StatusCode::BAD_REQUEST, &page)
        }
        (_, Err(other)) => Err(user.error(other)),
    }
}

/// Largest CSV file the page accepts (the API's limit).
const MAX_CSV: usize = award_csv::MAX_BYTES;

#[derive(Template)]
#[template(path = "csv_preview.html")]
struct CsvPreviewPage {
    ui: Ui,
    org: OrgHeading,
    badge_id: String,
    badge_name: String,
    errors: Vec<RowError>,
    columns: Vec<ColumnUse>,
    /// Name, e-mail and the e-mail's language in words.
    rows: Vec<(String, String, String)>,
    /// Rows awarded when the duplicates are skipped.
    awarded: usize,
    /// Rows already imported (never awarded twice).
    skipped: usize,
    /// Rows for someone who already holds the badge, or listed twice.
    flagged: Vec<FlaggedRow>,
    csv: String,
    format: String,
}

/// Why a row is flagged or left out, in the reader's language.
fn flag_text(ui: &Ui, row: &FlaggedRow) -> String {
    match row.reason {
        Reason::HoldsBadge => ui.t("csv-flag-holds-badge"),
        Reason::DuplicateRow => ui.tw(
            "csv-flag-duplicate-row",
            "number",
            row.same_as_line.unwrap_or_default().to_string(),
        ),
        Reason::AlreadyImported => ui.t("csv-flag-already-imported"),
    }
}

impl CsvPreviewPage {
    /// Why a row is flagged, in words.
    fn flag_text(&self, row: &FlaggedRow) -> String {
        flag_text(&self.ui, row)
    }

    /// Rows awarded when the duplicates are awarded too.
    fn awarded_anyway(&self) -> usize {
        self.awarded + self.flagged.len()
    }

    /// A problem in the reader's language.
    fn error_text(&self, error: &RowError) -> String {
        if let Some(character) = &error.control_character {
            return self
                .ui
                .tw("csv-control-character", "character", character.clone());
        }
        let id = format!("csv-error-{}", error.code.replace('_', "-"));
        self.ui
            .tw(&id, "number", error.number.unwrap_or_default().to_string())
    }

    /// What a column is read as, in words.
    fn use_text(&self, field: &Option<Field>) -> String {
        let id = match field {
            Some(Field::Name) => "csv-use-name",
            Some(Field::FirstName) => "csv-use-first-name",
            Some(Field::LastName) => "csv-use-last-name",
            Some(Field::Email) => "csv-use-email",
            Some(Field::Narrative) => "csv-use-narrative",
            Some(Field::EvidenceUrl) => "csv-use-evidence",
            Some(Field::Language) => "csv-use-language",
            None => "csv-use-none",
        };
        self.ui.t(id)
    }
}

#[derive(Template)]
#[template(path = "csv_done.html")]
struct CsvDonePage {
    ui: Ui,
    org: OrgHeading,
    badge_id: String,
    badge_name: String,
    awarded: usize,
    skipped: usize,
    /// The rows left out, and why.
    skipped_rows: Vec<FlaggedRow>,
    /// The duplicates awarded anyway, when that was the choice.
    awarded_anyway: Vec<FlaggedRow>,
    delivery: DeliveryCounts,
    smtp: bool,
    /// Participants who need their code: name, code, award id.
    codes: Vec<CodeToPrint>,
}

impl CsvDonePage {
    /// The awards whose codes the sheet prints, as its form sends them.
    fn sheet_awards(&self) -> String {
        self.codes
            .iter()
            .map(|c| c.award_id.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Why a row was left out, in words.
    fn flag_text(&self, row: &FlaggedRow) -> String {
        flag_text(&self.ui, row)
    }
}

async fn csv_preview(
    state: web::Data<AppState>,
    user: PageUser,
    path: web::Path<(String, AchievementId)>,
    payload: Multipart,
) -> Result<HttpResponse, PageError> {
    let posted = form::read(payload, MAX_CSV)
        .await
        .map_err(|e| user.error(e))?;
    user.check_csrf(&posted.text("csrf"))?;
    let format = CredentialFormat::parse(&posted.text("format")).unwrap_or_default();
    let bytes = posted.file.map(|f| f.bytes).unwrap_or_default();
    let (slug, id) = path.into_inner();
    let file = award_csv::read(&bytes);
    let (parsed, csv, columns) = (file.rows, file.text, file.columns);
    let viewer = user.clone();
    let page = state
        .db
        .run(move |conn| {
            let (org, role) = viewer.require(conn, &slug, Role::Facilitator)?;
            let version = crate::achievements::current(conn, &org.id, &id)?;
            let mut page = CsvPreviewPage {
                ui: viewer.ui(),
                org: OrgHeading::new(&org, role),
                badge_id: id.to_string(),
                badge_name: version.name,
                errors: Vec::new(),
                columns,
                rows: Vec::new(),
                awarded: 0,
                skipped: 0,
                flagged: Vec::new(),
                csv,
                format: format.as_str().to_owned(),
            };
            match parsed {
                Err(errors) => {
                    page.errors = errors
                        .into_iter()
                        .map(|e| in_words(e, viewer.lang))
                        .collect();
                }
                Ok(rows) => {
                    let batch = Batch {
                        achievement_id: &id,
                        format,
                        file_key: None,
                        duplicates: Duplicates::Skip,
                    };
                    let outcome = award_csv::preview(conn, &org, &batch, &rows)?;
                    page.awarded = outcome.awarded;
                    page.skipped = outcome.skipped_for(Reason::AlreadyImported);
                    page.flagged = outcome.flagged;
                    page.rows = rows
                        .into_iter()
                        .map(|r| {
                            let language = viewer.ui().t(match r.language {
                                crate::i18n::Lang::Fr => "csv-language-fr",
                                crate::i18n::Lang::En => "csv-language-en",
                            });
                            (r.name, r.email.unwrap_or_default(), language)
                        })
                        .collect();
                }
            }
            Ok(page)
        })
        .await
        .map_err(|e| user.error(e))?;
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    render_status(status, &page)
}

/// A row error as the page shows it: a refused character explained in the
/// page's language (the API keeps its English reason).
fn in_words(mut error: RowError, lang: crate::i18n::Lang) -> RowError {
    if let Some(character) = &error.control_character {
        error.reason =
            crate::i18n::message_with(lang, "csv-control-character", &[("character", character)]);
    }
    error
}

async fn csv_commit(
    state: web::Data<AppState>,
    user: PageUser,
    path: web::Path<(String, AchievementId)>,
    payload: Multipart,
) -> Result<HttpResponse, PageError> {
    let posted = form::read_with(payload, 0, MAX_CSV)
        .await
        .map_err(|e| user.error(e))?;
    user.check_csrf(&posted.text("csrf"))?;
    let rows = award_csv::parse(posted.text("csv").as_bytes()).map_err(|errors| {
        user.error(ApiError::bad_request(
            ErrorCode::InvalidCsv,
            user.ui()
                .tw("csv-errors", "count", errors.len().to_string()),
        ))
    })?;
    let format = CredentialFormat::parse(&posted.text("format")).unwrap_or_default();
    let duplicates = Duplicates::parse(&posted.text("duplicates")).unwrap_or_default();
    let (slug, id) = path.into_inner();
    let viewer = user.clone();
    let st = state.clone();
    let page = state
        .db
        .run(move |conn| {
            let (org, role) = viewer.require(conn, &slug, Role::Facilitator)?;
            let version = crate::achievements::current(conn, &org.id, &id)?;
            let ctx = IssueContext::new(st.base(), &st.master_key)
                .counted(&st.metrics, crate::metrics::AwardPath::Csv);
            let batch = Batch {
                achievement_id: &id,
                format,
                file_key: None,
                duplicates,
            };
            let outcome =
                award_csv::commit(conn, &ctx, &org, &batch, &rows, viewer.actor(), &mut |_| {})?;
            Ok((
                org.id.clone(),
                outcome.award_ids,
                CsvDonePage {
                    ui: viewer.ui(),
                    org: OrgHeading::new(&org, role),
                    badge_id: id.to_string(),
                    badge_name: version.name,
                    awarded: outcome.awarded,
                    skipped: outcome.skipped,
                    skipped_rows: outcome.skipped_rows,
                    awarded_anyway: if duplicates == Duplicates::Award {
                        outcome.flagged
                    } else {
                        Vec::new()
                    },
                    delivery: DeliveryCounts::default(),
                    smtp: st.config.smtp.is_some(),
                    codes: Vec::new(),
                },
            ))
        })
        .await
        .map_err(|e| user.error(e))?;
    let (org_id, ids, mut page) = page;
    page.delivery = delivery::deliver(
        state.config.clone(),
        &state.metrics,
        &state.db,
        state.base(),
        org_id.clone(),
        ids.clone(),
        false,
    )
    .await
    .map_err(|e| user.error(e.into()))?;
    page.codes = state
        .db
        .run(move |conn| CodeToPrint::of(conn, &org_id, &ids))
        .await
        .map_err(|e| user.error(e))?;
    render(&page)
}

#[derive(Template)]
#[template(path = "award.html")]
struct AwardPage {
    ui: Ui,
    org: OrgHeading,
    award: AwardSummary,
    just_awarded: bool,
    just_revoked: bool,
    just_resent: bool,
    smtp: bool,
    error: Option<String>,
}

impl AwardPage {
    /// The delivery status in words.
    fn delivery_text(&self) -> String {
        let Some(d) = &self.award.delivery else {
            return self.ui.t("delivery-unknown");
        };
        match d.status {
            DeliveryStatus::Sent => self.ui.tw(
                "delivery-sent",
                "date",
                d.at.map(|at| self.ui.date(at)).unwrap_or_default(),
            ),
            DeliveryStatus::Failed => self.ui.tw(
                "delivery-failed",
                "reason",
                self.ui.t(&format!(
                    "delivery-why-{}",
                    d.error.as_deref().unwrap_or("unreachable")
                )),
            ),
            DeliveryStatus::NoAddress => self.ui.t("delivery-no-address"),
            DeliveryStatus::NoSmtp => self.ui.t("delivery-no-smtp"),
        }
    }

    /// Whether the e-mail can be sent (again) from the page.
    fn can_resend(&self) -> bool {
        self.smtp
            && self.award.email.is_some()
            && self.award.revoked_at.is_none()
            && !self.award.erased
    }
}

#[derive(Deserialize)]
struct AwardQuery {
    awarded: Option<String>,
    revoked: Option<String>,
    resent: Option<String>,
}

async fn award_page(
    state: &web::Data<AppState>,
    user: &PageUser,
    slug: String,
    id: AwardId,
) -> Result<(OrgHeading, AwardSummary), PageError> {
    let base = state.base();
    let viewer = user.clone();
    state
        .db
        .run(move |conn| {
            let (org, role) = viewer.require(conn, &slug, Role::Facilitator)?;
            let award = awards::by_id(conn, &org.id, &id)?;
            let claimed = crate::pages::public::claimed(conn, &award.id)?;
            let mut summary = AwardSummary::new(&award, &base, claimed);
            summary.delivery = delivery::of(conn, &award.id)?;
            Ok((OrgHeading::new(&org, role), summary))
        })
        .await
        .map_err(|e| user.error(e))
}

async fn show(
    state: web::Data<AppState>,
    user: PageUser,
    path: web::Path<(String, AwardId)>,
    query: web::Query<AwardQuery>,
) -> Result<HttpResponse, PageError> {
    let (slug, id) = path.into_inner();
    let (org, award) = award_page(&state, &user, slug, id).await?;
    render(&AwardPage {
        ui: user.ui(),
        org,
        award,
        just_awarded: query.awarded.is_some(),
        just_revoked: query.revoked.is_some(),
        just_resent: query.resent.is_some(),
        smtp: state.config.smtp.is_some(),
        error: None,
    })
}

#[derive(Deserialize)]
struct RevokeForm {
    csrf: String,
    reason: String,
}

async fn revoke(
    state: web::Data<AppState>,
    user: PageUser,
    path: web::Path<(String, AwardId)>,
    posted: web::Form<RevokeForm>,
) -> Result<HttpResponse, PageError> {
    user.check_csrf(&posted.csrf)?;
    let (slug, id) = path.into_inner();
    let viewer = user.clone();
    let st = state.clone();
    let reason = posted.reason.clone();
    let (slug_for_page, id_for_page) = (slug.clone(), id.clone());
    let outcome = state
        .db
        .run(move |conn| {
            let (org, _) = viewer.require(conn, &slug, Role::Facilitator)?;
            let ctx = IssueContext::new(st.base(), &st.master_key);
            Ok(
                awards::revoke(conn, &ctx, &org, &id, &reason, viewer.actor())
                    .map_err(ApiError::from),
            )
        })
        .await
        .map_err(|e| user.error(e))?;
    match outcome {
        Ok(award) => Ok(see_other(&format!(
            "/app/{slug_for_page}/awards/{}?revoked=1",
            award.id
        ))),
        Err(
            error @ (ApiError::BadRequest { .. }
            | ApiError::Conflict { .. }
            | ApiError::InvalidText { .. }),
        ) => {
            let message = explain(&error, user.lang);
            let (org, award) = award_page(&state, &user, slug_for_page, id_for_page).await?;
            let page = AwardPage {
                ui: user.ui(),
                org,
                award,
                just_awarded: false,
                just_revoked: false,
                just_resent: false,
                smtp: state.config.smtp.is_some(),
                error: Some(message),
            };
            render_status(StatusCode::BAD_REQUEST, &page)
        }
        Err(other) => Err(user.error(other)),
    }
}

#[derive(Deserialize)]
struct EraseForm {
    csrf: String,
    #[serde(default)]
    confirm: Option<String>,
}

async fn erase(
    state: web::Data<AppState>,
    user: PageUser,
    path: web::Path<(String, AwardId)>,
    posted: web::Form<EraseForm>,
) -> Result<HttpResponse, PageError> {
    user.check_csrf(&posted.csrf)?;
    let (slug, id) = path.into_inner();
    if posted.confirm.is_none() {
        let (org, award) = award_page(&state, &user, slug, id).await?;
        let page = AwardPage {
            error: Some(user.ui().t("erase-confirm-missing")),
            ui: user.ui(),
            org,
            award,
            just_awarded: false,
            just_revoked: false,
            just_resent: false,
            smtp: state.config.smtp.is_some(),
        };
        return render_status(StatusCode::BAD_REQUEST, &page);
    }
    let viewer = user.clone();
    let st = state.clone();
    let org_slug = slug.clone();
    let award = state
        .db
        .run(move |conn| {
            let (org, _) = viewer.require(conn, &org_slug, Role::Facilitator)?;
            let ctx = IssueContext::new(st.base(), &st.master_key);
            Ok(awards::erase::erase(conn, &ctx, &org, &id, viewer.actor())?)
        })
        .await
        .map_err(|e| user.error(e))?;
    Ok(see_other(&format!("/app/{slug}/awards/{}", award.id)))
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

/// Sends the award e-mail again (a mistyped address corrected by the
/// participant's mailbox coming back, a provider outage over).
async fn resend(
    state: web::Data<AppState>,
    user: PageUser,
    path: web::Path<(String, AwardId)>,
    posted: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    user.check_csrf(&posted.csrf)?;
    let (slug, id) = path.into_inner();
    let viewer = user.clone();
    let (org_slug, award_id) = (slug.clone(), id.clone());
    let org_id = state
        .db
        .run(move |conn| {
            let (org, _) = viewer.require(conn, &org_slug, Role::Facilitator)?;
            awards::by_id(conn, &org.id, &award_id)?;
            Ok(org.id)
        })
        .await
        .map_err(|e| user.error(e))?;
    delivery::deliver(
        state.config.clone(),
        &state.metrics,
        &state.db,
        state.base(),
        org_id,
        vec![id.as_str().to_owned()],
        true,
    )
    .await
    .map_err(|e| user.error(e.into()))?;
    Ok(see_other(&format!(
        "/app/{slug}/awards/{id}?resent=1#delivery"
    )))
}

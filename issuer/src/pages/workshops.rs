//! Workshop pages: list and create workshops, add participants, tick
//! attendance per session, and award the badge to everyone who attended
//! every session in one action.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::achievements;
use crate::awards::IssueContext;
use crate::error::{ApiError, ErrorCode};
use crate::ids::{SessionId, WorkshopId};
use crate::pages::claim_sheet::{self, CodeToPrint, SheetSubject};
use crate::pages::parts::OrgHeading;
use crate::pages::session::PageUser;
use crate::pages::{explain, form, render, render_status, see_other, PageError, Ui};
use crate::state::AppState;
use crate::users::Role;
use crate::workshops::{self, AwardOutcome, Mark, NewParticipant, NewWorkshop, WorkshopDetail};

/// Mounts the workshop pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/{slug}/workshops", web::get().to(index))
        .route("/app/{slug}/workshops", web::post().to(create))
        .route("/app/{slug}/workshops/{id}", web::get().to(show))
        .route(
            "/app/{slug}/workshops/{id}/participants",
            web::post().to(add_participant),
        )
        .route(
            "/app/{slug}/workshops/{id}/attendance",
            web::post().to(attendance),
        )
        .route("/app/{slug}/workshops/{id}/award", web::post().to(award))
        .route(
            "/app/{slug}/workshops/{id}/sessions",
            web::post().to(session_dates),
        )
        .route(
            "/app/{slug}/workshops/{id}/sheet",
            web::get().to(claim_sheet),
        );
}

/// A workshop in the list.
pub struct WorkshopItem {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Created, Unix seconds.
    pub created_at: i64,
}

#[derive(Template)]
#[template(path = "workshops.html")]
struct WorkshopsPage {
    ui: Ui,
    org: OrgHeading,
    workshops: Vec<WorkshopItem>,
    badges: Vec<(String, String)>,
    error: Option<String>,
}

async fn workshops_page(
    state: &web::Data<AppState>,
    user: &PageUser,
    slug: String,
    error: Option<String>,
) -> Result<WorkshopsPage, PageError> {
    let viewer = user.clone();
    let (org, workshops, badges) = state
        .db
        .run(move |conn| {
            let (org, role) = viewer.require(conn, &slug, Role::Facilitator)?;
            let list = workshops::list(conn, &org.id)?
                .into_iter()
                .map(|w| WorkshopItem {
                    id: w.id,
                    title: w.title,
                    created_at: w.created_at,
                })
                .collect();
            let badges = achievements::list(conn, &org.id)?
                .into_iter()
                .map(|v| (v.achievement_id, v.name))
                .collect();
            Ok((OrgHeading::new(&org, role), list, badges))
        })
        .await
        .map_err(|e| user.error(e))?;
    Ok(WorkshopsPage {
        ui: user.ui(),
        org,
        workshops,
        badges,
        error,
    })
}

async fn index(
    state: web::Data<AppState>,
    user: PageUser,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    render(&workshops_page(&state, &user, slug.into_inner(), None).await?)
}

#[derive(Deserialize)]
struct CreateForm {
    csrf: String,
    title: String,
    achievement_id: String,
    sessions: String,
}

async fn create(
    state: web::Data<AppState>,
    user: PageUser,
    slug: web::Path<String>,
    posted: web::Form<CreateForm>,
) -> Result<HttpResponse, PageError> {
    user.check_csrf(&posted.csrf)?;
    let slug = slug.into_inner();
    let input = NewWorkshop {
        title: posted.title.clone(),
        achievement_id: posted.achievement_id.clone(),
        sessions: posted.sessions.trim().parse().unwrap_or(0),
    };
    let viewer = user.clone();
    let org_slug = slug.clone();
    let outcome = state
        .db
        .run(move |conn| {
            let (org, _) = viewer.require(conn, &org_slug, Role::Facilitator)?;
            Ok(workshops::create(conn, &org.id, input, viewer.actor()).map_err(ApiError::from))
        })
        .await
        .map_err(|e| user.error(e))?;
    match outcome {
        Ok(workshop) => Ok(see_other(&format!("/app/{slug}/workshops/{}", workshop.id))),
        Err(
            error @ (ApiError::BadRequest { .. }
            | ApiError::NotFound(_)
            | ApiError::InvalidText { .. }),
        ) => {
            let message = match &error {
                ApiError::BadRequest { .. } | ApiError::NotFound(_) => {
                    user.ui().t("workshop-invalid-form")
                }
                _ => explain(&error, user.lang),
            };
            let page = workshops_page(&state, &user, slug, Some(message)).await?;
            render_status(StatusCode::BAD_REQUEST, &page)
        }
        Err(other) => Err(user.error(other)),
    }
}

#[derive(Template)]
#[template(path = "workshop.html")]
struct WorkshopPage {
    ui: Ui,
    org: OrgHeading,
    detail: WorkshopDetail,
    outcome: Option<AwardOutcome>,
    delivery: Option<crate::delivery::DeliveryCounts>,
    codes: Vec<CodeToPrint>,
    smtp: bool,
    /// The participant form as typed, shown again after a refusal.
    typed: ParticipantForm,
    /// The typed participant is already in the workshop.
    duplicate_participant: bool,
    error: Option<String>,
    saved: bool,
    dated: bool,
}

impl WorkshopPage {
    /// The checkbox value of a participant at a session.
    fn mark(&self, participant: &str, session: &str) -> String {
        format!("{participant}:{session}")
    }

    /// Why a participant was not awarded, in words.
    fn skipped_text(&self, skipped: &workshops::Skipped) -> String {
        if skipped.reason == "already_awarded" {
            return self
                .ui
                .tw("workshop-skipped-already", "name", &skipped.name);
        }
        if skipped.reason == "holds_badge" {
            return self.ui.tw("workshop-skipped-holds", "name", &skipped.name);
        }
        let missed: Vec<String> = skipped.missed.iter().map(i32::to_string).collect();
        self.ui.tw2(
            "workshop-skipped-missed",
            "name",
            &skipped.name,
            "sessions",
            missed.join(", "),
        )
    }

    /// Whether the last award skipped people who hold the badge already.
    fn holds_badge_skipped(&self) -> bool {
        self.outcome
            .as_ref()
            .is_some_and(|o| o.skipped.iter().any(|s| s.reason == "holds_badge"))
    }

    /// How many participants attended every session and have no badge yet.
    fn qualifying(&self) -> usize {
        self.detail
            .participants
            .iter()
            .filter(|p| p.attended_all() && p.participant.award_id.is_none())
            .count()
    }
}

async fn workshop_page(
    state: &web::Data<AppState>,
    user: &PageUser,
    slug: String,
    id: WorkshopId,
) -> Result<WorkshopPage, PageError> {
    let viewer = user.clone();
    let (org, detail) = state
        .db
        .run(move |conn| {
            let (org, role) = viewer.require(conn, &slug, Role::Facilitator)?;
            Ok((
                OrgHeading::new(&org, role),
                workshops::detail(conn, &org.id, &id)?,
            ))
        })
        .await
        .map_err(|e| user.error(e))?;
    Ok(WorkshopPage {
        ui: user.ui(),
        org,
        detail,
        outcome: None,
        delivery: None,
        codes: Vec::new(),
        smtp: state.config.smtp.is_some(),
        typed: ParticipantForm::default(),
        duplicate_participant: false,
        error: None,
        saved: false,
        dated: false,
    })
}

#[derive(Deserialize)]
struct ShowQuery {
    saved: Option<String>,
    dated: Option<String>,
}

async fn show(
    state: web::Data<AppState>,
    user: PageUser,
    path: web::Path<(String, WorkshopId)>,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, PageError> {
    let (slug, id) = path.into_inner();
    let mut page = workshop_page(&state, &user, slug, id).await?;
    page.saved = query.saved.is_some();
    page.dated = query.dated.is_some();
    render(&page)
}

#[derive(Debug, Default, Clone, Deserialize)]
struct ParticipantForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    consent: Option<String>,
    /// The language of their e-mail: `fr` (default) or `en`.
    #[serde(default)]
    language: String,
    #[serde(default)]
    anyway: Option<String>,
}

async fn add_participant(
    state: web::Data<AppState>,
    user: PageUser,
    path: web::Path<(String, WorkshopId)>,
    posted: web::Form<ParticipantForm>,
) -> Result<HttpResponse, PageError> {
    user.check_csrf(&posted.csrf)?;
    let (slug, id) = path.into_inner();
    let input = NewParticipant {
        name: posted.name.clone(),
        email: Some(posted.email.clone()),
        name_consent: posted.consent.is_some(),
        language: Some(posted.language.clone()),
    };
    let anyway = posted.anyway.is_some();
    let viewer = user.clone();
    let (org_slug, workshop_id) = (slug.clone(), id.clone());
    let outcome = state
        .db
        .run(move |conn| {
            let (org, _) = viewer.require(conn, &org_slug, Role::Facilitator)?;
            let email = input
                .email
                .as_deref()
                .map(str::trim)
                .filter(|e| !e.is_empty());
            let person = crate::awards::duplicates::Person {
                name: &input.name,
                email,
            };
            let known = workshops::detail(conn, &org.id, &workshop_id)?
                .participants
                .iter()
                .any(|p| person.is(&p.participant.name, p.participant.email.as_deref()));
            if known && !anyway {
                return Ok(Err(ApiError::conflict(ErrorCode::DuplicateParticipant, "")));
            }
            Ok(
                workshops::add_participant(conn, &org.id, &workshop_id, input)
                    .map_err(ApiError::from),
            )
        })
        .await
        .map_err(|e| user.error(e))?;
    match outcome {
        Err(ApiError::Conflict { .. }) => {
            let mut page = workshop_page(&state, &user, slug, id).await?;
            page.error = Some(page.ui.tw(
                "workshop-duplicate-participant",
                "name",
                posted.name.trim(),
            ));
            page.duplicate_participant = true;
            page.typed = posted.into_inner();
            render_status(StatusCode::CONFLICT, &page)
        }
        Ok(_) => Ok(see_other(&format!(
            "/app/{slug}/workshops/{id}#participants"
        ))),
        Err(error @ (ApiError::BadRequest { .. } | ApiError::InvalidText { .. })) => {
            let mut page = workshop_page(&state, &user, slug, id).await?;
            // The page speaks the reader's language, never field names.
            page.error = Some(match &error {
                ApiError::BadRequest { code, .. } => page.ui.t(match *code {
                    ErrorCode::InvalidLanguage => "workshop-invalid-language",
                    ErrorCode::InvalidEmail => "award-invalid-email",
                    ErrorCode::InvalidField => "award-invalid-name",
                    ErrorCode::TooManyParticipants => "workshop-too-many-participants",
                    _ => "award-invalid-other",
                }),
                _ => explain(&error, user.lang),
            });
            page.typed = posted.into_inner();
            render_status(StatusCode::BAD_REQUEST, &page)
        }
        Err(other) => Err(user.error(other)),
    }
}

/// Saves the attendance grid as ticked on screen; with the award button
/// (`then=award`, or posted to `/award`) awards right after, in the same
/// request, so no tick is lost to a forgotten "save".
async fn attendance(
    state: web::Data<AppState>,
    user: PageUser,
    path: web::Path<(String, WorkshopId)>,
    payload: Multipart,
) -> Result<HttpResponse, PageError> {
    save_then_maybe_award(state, user, path.into_inner(), payload, false).await
}

/// The award button: saves what is ticked, then awards.
async fn award(
    state: web::Data<AppState>,
    user: PageUser,
    path: web::Path<(String, WorkshopId)>,
    payload: Multipart,
) -> Result<HttpResponse, PageError> {
    save_then_maybe_award(state, user, path.into_inner(), payload, true).await
}

async fn save_then_maybe_award(
    state: web::Data<AppState>,
    user: PageUser,
    (slug, id): (String, WorkshopId),
    payload: Multipart,
    award: bool,
) -> Result<HttpResponse, PageError> {
    let posted = form::read(payload, 0).await.map_err(|e| user.error(e))?;
    user.check_csrf(&posted.text("csrf"))?;
    let award = award || posted.text("then") == "award";
    let anyway = posted.text("anyway") == "yes";
    let marks: Vec<Mark> = posted
        .all("present")
        .iter()
        .filter_map(|v| v.split_once(':'))
        .map(|(participant, session)| Mark {
            participant_id: participant.to_owned(),
            session_id: session.to_owned(),
        })
        .collect();
    let viewer = user.clone();
    let st = state.clone();
    let (org_slug, workshop_id) = (slug.clone(), id.clone());
    let outcome = state
        .db
        .run(move |conn| {
            let (org, _) = viewer.require(conn, &org_slug, Role::Facilitator)?;
            workshops::set_attendance(conn, &org.id, &workshop_id, &marks)?;
            if !award {
                return Ok(None);
            }
            let ctx = IssueContext::new(st.base(), &st.master_key)
                .counted(&st.metrics, crate::metrics::AwardPath::Workshop);
            let outcome = workshops::award_qualifying(
                conn,
                &ctx,
                &org,
                &workshop_id,
                viewer.actor(),
                anyway,
            )?;
            Ok(Some((org.id, outcome)))
        })
        .await
        .map_err(|e| user.error(e))?;
    let Some((org_id, outcome)) = outcome else {
        return Ok(see_other(&format!(
            "/app/{slug}/workshops/{id}?saved=1#attendance"
        )));
    };
    let ids: Vec<String> = outcome
        .awarded
        .iter()
        .map(|(_, _, id)| id.clone())
        .collect();
    let counts = crate::delivery::deliver(
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
    let codes = state
        .db
        .run(move |conn| CodeToPrint::of(conn, &org_id, &ids))
        .await
        .map_err(|e| user.error(e))?;
    let mut page = workshop_page(&state, &user, slug, id).await?;
    page.saved = true;
    page.outcome = Some(outcome);
    page.delivery = Some(counts);
    page.codes = codes;
    render(&page)
}

/// Sets the date of every session from the `day:{session id}` fields, in one
/// transaction; an invalid date changes nothing and shows the form again.
async fn session_dates(
    state: web::Data<AppState>,
    user: PageUser,
    path: web::Path<(String, WorkshopId)>,
    posted: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let posted = posted.into_inner();
    let csrf = posted
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    user.check_csrf(csrf)?;
    let days: Vec<(String, String)> = posted
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("day:")?.to_owned(), v.clone())))
        .collect();
    let (slug, id) = path.into_inner();
    let viewer = user.clone();
    let (org_slug, workshop_id) = (slug.clone(), id.clone());
    let outcome = state
        .db
        .run(move |conn| {
            let (org, _) = viewer.require(conn, &org_slug, Role::Facilitator)?;
            Ok(crate::db::write_transaction(conn, |conn| {
                for (session_id, day) in days {
                    let update = workshops::SessionUpdate {
                        label: None,
                        held_on: Some(day),
                    };
                    let session_id = SessionId::from(session_id);
                    workshops::update_session(conn, &org.id, &workshop_id, &session_id, update)?;
                }
                Ok(())
            }))
        })
        .await
        .map_err(|e| user.error(e))?;
    match outcome {
        Ok(()) => Ok(see_other(&format!(
            "/app/{slug}/workshops/{id}?dated=1#dates"
        ))),
        Err(ApiError::BadRequest { .. }) => {
            let mut page = workshop_page(&state, &user, slug, id).await?;
            page.error = Some(user.ui().t("workshop-date-invalid"));
            render_status(StatusCode::BAD_REQUEST, &page)
        }
        Err(other) => Err(user.error(other)),
    }
}

/// One A4 sheet of cards to cut out, one per participant of the workshop
/// who needs their code (no e-mail went out), written to them.
async fn claim_sheet(
    state: web::Data<AppState>,
    user: PageUser,
    path: web::Path<(String, WorkshopId)>,
) -> Result<HttpResponse, PageError> {
    let (slug, id) = path.into_inner();
    claim_sheet::respond(&state, user, slug, move |conn, org| {
        let detail = workshops::detail(conn, &org.id, &id)?;
        let award_ids: Vec<String> = detail
            .participants
            .iter()
            .filter_map(|p| p.participant.award_id.clone())
            .collect();
        Ok(SheetSubject {
            back_href: format!("/app/{}/workshops/{}", org.slug, detail.workshop.id),
            back_label: detail.workshop.title,
            badge_name: detail.badge_name,
            award_ids,
        })
    })
    .await
}

//! Workshops API of an organisation: create and list workshops, add
//! participants, name and date sessions, record attendance (the whole grid
//! or mark by mark), and award the badge to everyone who
//! attended every session (one transaction, idempotent).

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::auth::Caller;
use crate::awards::IssueContext;
use crate::delivery::DeliveryCounts;
use crate::error::{ApiError, ErrorCode};
use crate::ids::{SessionId, WorkshopId};
use crate::state::AppState;
use crate::users::Role;
use crate::workshops::{
    self, Mark, MarkChange, NewParticipant, NewWorkshop, SessionUpdate, Skipped,
};

/// Most attendance marks in one request: every session of the largest
/// workshop.
const MAX_MARKS: usize = 20 * 200;

/// Mounts `/api/v1/orgs/{slug}/workshops*`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/orgs/{slug}/workshops", web::post().to(create))
        .route("/api/v1/orgs/{slug}/workshops", web::get().to(list))
        .route("/api/v1/orgs/{slug}/workshops/{id}", web::get().to(show))
        .route(
            "/api/v1/orgs/{slug}/workshops/{id}/participants",
            web::post().to(add_participant),
        )
        .route(
            "/api/v1/orgs/{slug}/workshops/{id}/attendance",
            web::put().to(attendance),
        )
        .route(
            "/api/v1/orgs/{slug}/workshops/{id}/sessions/{session_id}",
            web::put().to(update_session),
        )
        .route(
            "/api/v1/orgs/{slug}/workshops/{id}/award",
            web::post().to(award),
        );
}

async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
    body: web::Json<NewWorkshop>,
) -> Result<HttpResponse, ApiError> {
    let workshop = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = caller.require(conn, &slug, Role::Facilitator)?;
            let workshop = workshops::create(conn, &org.id, body.into_inner(), caller.actor())?;
            Ok(workshops::detail(
                conn,
                &org.id,
                &WorkshopId::from(workshop.id),
            )?)
        })
        .await?;
    Ok(HttpResponse::Created().json(workshop))
}

async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let list = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = caller.require(conn, &slug, Role::Facilitator)?;
            Ok(workshops::list(conn, &org.id)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

async fn show(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, WorkshopId)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let detail = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = caller.require(conn, &slug, Role::Facilitator)?;
            Ok(workshops::detail(conn, &org.id, &id)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(detail))
}

async fn add_participant(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, WorkshopId)>,
    body: web::Json<NewParticipant>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let participant = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = caller.require(conn, &slug, Role::Facilitator)?;
            Ok(workshops::add_participant(
                conn,
                &org.id,
                &id,
                body.into_inner(),
            )?)
        })
        .await?;
    Ok(HttpResponse::Created().json(participant))
}

/// The body of `PUT .../attendance`: everyone present (the rest are absent).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceInput {
    /// Who attended which session.
    pub present: Vec<Mark>,
}

/// The body of `PUT .../attendance`, in one of three shapes.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum AttendanceBody {
    /// `{"present": [{"participant_id", "session_id"}, ...]}`: the whole
    /// grid, everyone else absent.
    Replace(AttendanceInput),
    /// `{"participant_id", "session_id", "present": bool}`: one mark.
    One(MarkChange),
    /// `[{"participant_id", "session_id", "present": bool}, ...]`: a few
    /// marks, the others unchanged.
    Batch(Vec<MarkChange>),
}

async fn attendance(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, WorkshopId)>,
    body: web::Json<AttendanceBody>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let body = body.into_inner();
    let marks = match &body {
        AttendanceBody::Replace(input) => input.present.len(),
        AttendanceBody::One(_) => 1,
        AttendanceBody::Batch(changes) => changes.len(),
    };
    if marks > MAX_MARKS {
        return Err(ApiError::bad_request(
            ErrorCode::TooManyMarks,
            "too many marks",
        ));
    }
    let detail = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = caller.require(conn, &slug, Role::Facilitator)?;
            match body {
                AttendanceBody::Replace(input) => {
                    workshops::set_attendance(conn, &org.id, &id, &input.present)?;
                }
                AttendanceBody::One(change) => {
                    workshops::change_attendance(conn, &org.id, &id, &[change])?;
                }
                AttendanceBody::Batch(changes) => {
                    workshops::change_attendance(conn, &org.id, &id, &changes)?;
                }
            }
            Ok(workshops::detail(conn, &org.id, &id)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(detail))
}

async fn update_session(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, WorkshopId, SessionId)>,
    body: web::Json<SessionUpdate>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id, session_id) = path.into_inner();
    let session = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = caller.require(conn, &slug, Role::Facilitator)?;
            Ok(workshops::update_session(
                conn,
                &org.id,
                &id,
                &session_id,
                body.into_inner(),
            )?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(session))
}

/// The query of `POST .../workshops/{id}/award`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AwardQuery {
    /// Award people who already hold the badge from elsewhere too.
    #[serde(default)]
    anyway: bool,
}

async fn award(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, WorkshopId)>,
    query: web::Query<AwardQuery>,
) -> Result<HttpResponse, ApiError> {
    let anyway = query.anyway;
    let (slug, id) = path.into_inner();
    let st = state.clone();
    let (org_id, outcome) = state
        .db
        .run(move |conn| -> Result<_, ApiError> {
            let (org, _) = caller.require(conn, &slug, Role::Facilitator)?;
            let ctx = IssueContext::new(st.base(), &st.master_key)
                .counted(&st.metrics, crate::metrics::AwardPath::Workshop);
            let outcome =
                workshops::award_qualifying(conn, &ctx, &org, &id, caller.actor(), anyway)?;
            Ok((org.id, outcome))
        })
        .await?;
    let ids = outcome
        .awarded
        .iter()
        .map(|(_, _, id)| id.clone())
        .collect();
    let counts = crate::delivery::deliver(
        state.config.clone(),
        &state.metrics,
        &state.db,
        state.base(),
        org_id,
        ids,
        false,
    )
    .await?;
    Ok(HttpResponse::Ok().json(WorkshopAwarded {
        awarded: outcome.awarded,
        skipped: outcome.skipped,
        delivery: counts,
    }))
}

/// The answer of `POST .../workshops/{id}/award`.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct WorkshopAwarded {
    /// Awarded now: `[participant id, name, award id]` each.
    #[schema(value_type = Vec<Vec<String>>)]
    pub awarded: Vec<(String, String, String)>,
    /// Not awarded now, and why.
    pub skipped: Vec<Skipped>,
    /// What became of the award e-mails.
    pub delivery: DeliveryCounts,
}

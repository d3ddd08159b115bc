//! The organisation dashboard and the badge designer.

use actix_multipart::Multipart;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde_json::Value;

use crate::achievements::{self, AchievementInput, AchievementVersion, AlignmentInput};
use crate::awards;
use crate::error::{ApiError, ErrorCode};
use crate::frameworks::{self, DIGCOMP_ID};
use crate::i18n::Lang;
use crate::ids::AchievementId;
use crate::images;
use crate::pages::parts::{new_form_key, AwardForm, AwardSummary, OrgHeading};
use crate::pages::public::claimed;
use crate::pages::session::PageUser;
use crate::pages::{form, render, render_status, see_other, PageError, Ui};
use crate::state::AppState;
use crate::users::Role;

/// Mounts the dashboard and designer pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/{slug}", web::get().to(dashboard))
        .route("/app/{slug}/badges/new", web::get().to(designer))
        .route("/app/{slug}/badges", web::post().to(create))
        .route("/app/{slug}/badges/{id}", web::get().to(show));
}

/// A badge in a list.
pub struct BadgeItem {
    /// Achievement id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Version number, as text.
    pub version: String,
    /// Image URL, if any.
    pub image: Option<String>,
}

impl BadgeItem {
    fn new(v: &AchievementVersion, base: &str) -> Self {
        Self {
            id: v.achievement_id.clone(),
            name: v.name.clone(),
            version: v.version.to_string(),
            image: image_url(v, base),
        }
    }
}

fn image_url(v: &AchievementVersion, base: &str) -> Option<String> {
    achievements::achievement(v, base, "")
        .image
        .map(|image| image.id)
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    ui: Ui,
    org: OrgHeading,
    badges: Vec<BadgeItem>,
    awards: Vec<AwardSummary>,
    unclaimed: usize,
    network_members: usize,
}

/// Awards listed on the dashboard.
const RECENT_AWARDS: i64 = 30;

async fn dashboard(
    state: web::Data<AppState>,
    user: PageUser,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let base = state.base();
    let viewer = user.clone();
    let (org, badges, awards, network_members) = state
        .db
        .run(move |conn| {
            let (org, role) = viewer.require(conn, &slug, Role::Facilitator)?;
            let badges = achievements::list(conn, &org.id)?
                .iter()
                .map(|v| BadgeItem::new(v, &base))
                .collect();
            let awards = awards::list(conn, &org.id, RECENT_AWARDS, 0)?
                .iter()
                .map(|a| Ok(AwardSummary::new(a, &base, claimed(conn, &a.id)?)))
                .collect::<Result<Vec<_>, ApiError>>()?;
            let network_members = crate::networks::members(conn, &org.id)?.len();
            Ok((OrgHeading::new(&org, role), badges, awards, network_members))
        })
        .await
        .map_err(|e| user.error(e))?;
    let unclaimed = awards
        .iter()
        .filter(|a| a.claim_code.is_some() && !a.claimed && a.revoked_at.is_none())
        .count();
    render(&DashboardPage {
        ui: user.ui(),
        org,
        badges,
        awards,
        unclaimed,
        network_members,
    })
}

/// A competence to tick in the designer.
pub struct CompetenceChoice {
    /// DigComp code, e.g. `1.1`.
    pub code: String,
    /// Title in the page language.
    pub title: String,
    /// Ticked.
    pub checked: bool,
}

/// A DigComp area and its competences.
pub struct AreaChoice {
    /// Area title.
    pub title: String,
    /// Its competences.
    pub competences: Vec<CompetenceChoice>,
}

fn digcomp_choices(lang: Lang, checked: &[String]) -> Vec<AreaChoice> {
    let Some(framework) = frameworks::digcomp() else {
        return Vec::new();
    };
    let title = |t: &std::collections::BTreeMap<String, String>| {
        t.get(lang.code()).cloned().unwrap_or_default()
    };
    framework
        .areas
        .iter()
        .map(|area| AreaChoice {
            title: format!("{}. {}", area.code, title(&area.title)),
            competences: area
                .competences
                .iter()
                .map(|c| CompetenceChoice {
                    code: c.code.clone(),
                    title: title(&c.title),
                    checked: checked.contains(&c.code),
                })
                .collect(),
        })
        .collect()
}

/// What the designer form holds (blank, or as posted when it had errors).
#[derive(Default)]
pub struct DesignerValues {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Criteria narrative.
    pub criteria: String,
    /// Comma-separated tags.
    pub tags: String,
    /// `achievementType`.
    pub achievement_type: String,
    /// Badge language.
    pub language: String,
}

/// The `achievementType` values offered in the designer (the API accepts all).
const DESIGNER_TYPES: [&str; 5] = [
    "Badge",
    "Competency",
    "CertificateOfCompletion",
    "Achievement",
    "Award",
];

#[derive(Template)]
#[template(path = "designer.html")]
struct DesignerPage {
    ui: Ui,
    org: OrgHeading,
    values: DesignerValues,
    areas: Vec<AreaChoice>,
    types: Vec<(String, String)>,
    error: Option<String>,
}

fn designer_page(
    user: &PageUser,
    org: OrgHeading,
    values: DesignerValues,
    checked: &[String],
    error: Option<String>,
) -> DesignerPage {
    let ui = user.ui();
    let types = DESIGNER_TYPES
        .iter()
        .map(|t| (t.to_string(), ui.t(&format!("type-{t}"))))
        .collect();
    DesignerPage {
        areas: digcomp_choices(user.lang, checked),
        ui,
        org,
        values,
        types,
        error,
    }
}

async fn designer(
    state: web::Data<AppState>,
    user: PageUser,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let viewer = user.clone();
    let org = state
        .db
        .run(move |conn| {
            let (org, role) = viewer.require(conn, &slug, Role::Facilitator)?;
            Ok(OrgHeading::new(&org, role))
        })
        .await
        .map_err(|e| user.error(e))?;
    let values = DesignerValues {
        achievement_type: "Badge".into(),
        language: user.lang.code().into(),
        ..DesignerValues::default()
    };
    render(&designer_page(&user, org, values, &[], None))
}

/// Largest badge image a form may upload (a phone photo; scaled down).
pub const MAX_IMAGE: usize = images::MAX_BYTES;

async fn create(
    state: web::Data<AppState>,
    user: PageUser,
    slug: web::Path<String>,
    payload: Multipart,
) -> Result<HttpResponse, PageError> {
    let posted = form::read(payload, MAX_IMAGE)
        .await
        .map_err(|e| user.error(e))?;
    user.check_csrf(&posted.text("csrf"))?;
    let values = DesignerValues {
        name: posted.text("name"),
        description: posted.text("description"),
        criteria: posted.text("criteria"),
        tags: posted.text("tags"),
        achievement_type: posted.text("achievement_type"),
        language: posted.text("language"),
    };
    let competences = posted.all("competence");
    if posted.file_too_large {
        let ui = user.ui();
        let viewer = user.clone();
        let heading = state
            .db
            .run(move |conn| {
                let (org, role) = viewer.require(conn, &slug, Role::Facilitator)?;
                Ok(OrgHeading::new(&org, role))
            })
            .await
            .map_err(|e| user.error(e))?;
        let message = ui.t("designer-image-too-large");
        let page = designer_page(&user, heading, values, &competences, Some(message));
        return render_status(actix_web::http::StatusCode::PAYLOAD_TOO_LARGE, &page);
    }
    let image = posted.file.map(|f| f.bytes);
    let mut input = AchievementInput {
        name: values.name.clone(),
        description: values.description.clone(),
        criteria_narrative: values.criteria.clone(),
        achievement_type: Some(values.achievement_type.clone()).filter(|t| !t.is_empty()),
        tags: values
            .tags
            .split(',')
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect(),
        language: Some(values.language.clone()).filter(|l| !l.is_empty()),
        image_id: None,
        alignments: competences
            .iter()
            .map(|code| AlignmentInput {
                framework: DIGCOMP_ID.into(),
                code: code.clone(),
            })
            .collect(),
    };
    let viewer = user.clone();
    let result = state
        .db
        .run(move |conn| {
            let (org, role) = viewer.require(conn, &slug, Role::Facilitator)?;
            let heading = OrgHeading::new(&org, role);
            let stored = match image.as_deref().map(images::normalise).transpose() {
                Ok(stored) => stored,
                Err(refused) => {
                    let message = image_refused(&viewer.ui(), &refused);
                    return Ok((
                        heading,
                        Err(ApiError::bad_request(ErrorCode::from(&refused), message)),
                    ));
                }
            };
            // One transaction: a badge that is refused leaves no image behind.
            let created = crate::db::write_transaction(conn, |conn| -> Result<_, ApiError> {
                if let Some(stored) = &stored {
                    input.image_id = Some(images::store(conn, &org.id, stored)?);
                }
                Ok(achievements::create(conn, &org.id, input, viewer.actor())?)
            });
            Ok((heading, created))
        })
        .await
        .map_err(|e| user.error(e))?;
    match result {
        (heading, Ok(version)) => Ok(see_other(&format!(
            "/app/{}/badges/{}?created=1",
            heading.slug, version.achievement_id
        ))),
        (heading, Err(error @ (ApiError::BadRequest { .. } | ApiError::InvalidText { .. }))) => {
            let message = crate::pages::explain(&error, user.lang);
            let page = designer_page(&user, heading, values, &competences, Some(message));
            render_status(actix_web::http::StatusCode::BAD_REQUEST, &page)
        }
        (_, Err(other)) => Err(user.error(other)),
    }
}

/// Why the designer refused an image, in the page language.
fn image_refused(ui: &Ui, refused: &images::ImageError) -> String {
    use images::ImageError as E;
    match refused {
        E::TooLarge | E::TooManyPixels => ui.t("designer-image-too-large"),
        E::UnsupportedFormat => ui.t("designer-image-unsupported"),
        E::UnsafeSvg(reason) => ui.tw("designer-image-unsafe", "reason", reason),
        other => ui.tw("designer-image-undecodable", "reason", other.to_string()),
    }
}

/// The badge page: what the badge is, and the forms to award it.
#[derive(Template)]
#[template(path = "badge.html")]
pub struct BadgePage {
    ui: Ui,
    org: OrgHeading,
    badge: BadgeItem,
    description: String,
    criteria: String,
    competences: Vec<String>,
    created: bool,
    form: AwardForm,
    form_error: Option<String>,
    /// An earlier award of this badge to the same person: its id.
    pub duplicate: Option<String>,
}

#[derive(serde::Deserialize)]
struct BadgeQuery {
    created: Option<String>,
}

/// Builds the badge page of achievement `id`; `rejected` is an award form
/// sent back with its error.
pub async fn badge_page(
    state: &web::Data<AppState>,
    user: &PageUser,
    slug: &str,
    id: &AchievementId,
    rejected: Option<(AwardForm, String)>,
) -> Result<BadgePage, PageError> {
    let base = state.base();
    let viewer = user.clone();
    let (slug, id) = (slug.to_owned(), id.clone());
    let (org, version) = state
        .db
        .run(move |conn| {
            let (org, role) = viewer.require(conn, &slug, Role::Facilitator)?;
            let version = achievements::current(conn, &org.id, &id)?;
            Ok((OrgHeading::new(&org, role), version))
        })
        .await
        .map_err(|e| user.error(e))?;
    let alignments: Value = serde_json::from_str(&version.alignments_json).unwrap_or_default();
    let competences = alignments
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| {
            Some(format!(
                "{} {}",
                a["targetCode"].as_str()?,
                a["targetName"].as_str()?
            ))
        })
        .collect();
    let (mut form, form_error) = match rejected {
        Some((form, error)) => (form, Some(error)),
        None => (AwardForm::default(), None),
    };
    form.idempotency_key = new_form_key();
    Ok(BadgePage {
        ui: user.ui(),
        org,
        badge: BadgeItem::new(&version, &base),
        description: version.description,
        criteria: version.criteria_narrative,
        competences,
        created: false,
        form,
        form_error,
        duplicate: None,
    })
}

async fn show(
    state: web::Data<AppState>,
    user: PageUser,
    path: web::Path<(String, AchievementId)>,
    query: web::Query<BadgeQuery>,
) -> Result<HttpResponse, PageError> {
    let (slug, id) = path.into_inner();
    let mut page = badge_page(&state, &user, &slug, &id, None).await?;
    page.created = query.created.is_some();
    render(&page)
}

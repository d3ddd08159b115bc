//! Snapshots of the main pages' whole HTML, as a facilitator and as the
//! public: a template pasted into a `<title>` block, a lost heading or a
//! message in the wrong language shows up as a diff. What varies from run to
//! run (CSRF tokens, ids, claim codes, credential tokens, dates, embedded
//! images, nonces) is replaced by a `[name]` before the comparison. SQLite
//! only: the pages read the same rows on both backends.

use std::sync::OnceLock;

use actix_web::http::header;
use actix_web::test::TestRequest;
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use insta::assert_snapshot;
use issuer::users::Role;
use regex::Regex;
use serde_json::json;

use crate::pages::{designed_badge, hidden, location, Browser};
use crate::support::{TestApp, TestResponse};

const SLUG: &str = "centre-social";
const FACILITATOR: &str = "marie@example.fr";

/// Patterns of what varies between runs, with their replacement.
fn filters() -> &'static [(Regex, &'static str)] {
    static FILTERS: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    FILTERS.get_or_init(|| {
        [
            (r#"name="(csrf|idempotency_key)" value="[^"]*""#, r#"name="$1" value="[token]""#),
            (r#"nonce="[^"]*""#, r#"nonce="[nonce]""#),
            (r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+", "data:image/[base64]"),
            (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "[id]"),
            (r"/credentials/[A-Za-z0-9_-]{16,}", "/credentials/[token]"),
            (r"credentials%2F[A-Za-z0-9_-]{16,}", "credentials%2F[token]"),
            (r"([^A-Za-z0-9]|%2F)[A-Z0-9]{4}-[A-Z0-9]{4}\b", "${1}[claim code]"),
            (r"certId=[A-Za-z0-9_-]+", "certId=[token]"),
            (r"issue(Year|Month)=\d+", "issue${1}=[date]"),
            (
                r"\b\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b",
                "[date]",
            ),
            (r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?Z?)?", "[date]"),
            (r"\b\d{1,2}/\d{1,2}/\d{4}\b", "[date]"),
            (r"\b\d{1,2}:\d{2}\b", "[time]"),
        ]
        .into_iter()
        .map(|(pattern, replacement)| (Regex::new(pattern).unwrap(), replacement))
        .collect()
    })
}

/// The page's status line and its HTML, with what varies replaced.
fn redacted(resp: &TestResponse) -> String {
    let mut text = format!("{}\n{}", resp.status, resp.text());
    for (pattern, replacement) in filters() {
        text = pattern.replace_all(&text, *replacement).into_owned();
    }
    text
}

/// Snapshots a page, redacted, as `$name` (a macro so that insta names the
/// snapshot after this module).
macro_rules! assert_page {
    ($name:expr, $resp:expr $(,)?) => {
        assert_snapshot!($name, redacted($resp))
    };
}

/// A page opened the way a browser opens it, in `language`.
async fn browse(app: &TestApp, path: &str, language: &str) -> TestResponse {
    let req = TestRequest::get()
        .uri(path)
        .insert_header((header::ACCEPT, "text/html,*/*;q=0.8"))
        .insert_header((header::ACCEPT_LANGUAGE, language));
    app.send(req).await
}

#[actix_web::test]
async fn main_pages() {
    let app = TestApp::sqlite().await;
    app.create_org(SLUG);
    app.create_org("mediatheque");
    app.create_user(FACILITATOR, SLUG, Role::Facilitator);
    let mut anonymous = Browser::default();
    assert_page!("home", &anonymous.get(&app, "/").await);
    assert_page!("login", &anonymous.get(&app, "/login").await);

    let mut browser = Browser::default();
    browser.login(&app, FACILITATOR).await;
    let dashboard = format!("/app/{SLUG}");
    assert_page!("dashboard_empty", &browser.get(&app, &dashboard).await);
    let designer = format!("/app/{SLUG}/badges/new");
    assert_page!("badge_form", &browser.get(&app, &designer).await);
    let badge_path = designed_badge(&app, &mut browser).await;
    let badge = browser.get(&app, &badge_path).await;
    assert_page!("badge", &badge);

    let with_code = award(&app, &mut browser, &badge_path, "Awa Diallo", "").await;
    assert_page!("award_claim_code", &browser.get(&app, &with_code).await);
    let with_email = award(
        &app,
        &mut browser,
        &badge_path,
        "Lea Martin",
        "lea@example.fr",
    )
    .await;
    assert_page!("award_email", &browser.get(&app, &with_email).await);
    earlier(&app, "Awa Diallo");
    assert_page!("dashboard", &browser.get(&app, &dashboard).await);
    let awards = format!("/app/{SLUG}/awards");
    assert_page!("award_list", &browser.get(&app, &awards).await);
    let search = format!("{awards}?q=awa");
    assert_page!("award_search", &browser.get(&app, &search).await);
    app.create_user("admin@example.fr", SLUG, Role::Admin);
    let mut admin = Browser::default();
    admin.login(&app, "admin@example.fr").await;
    earlier_key(&app, "Ed25519");
    let keys = format!("/app/{SLUG}/keys");
    assert_page!("keys", &admin.get(&app, &keys).await);

    csv_pages(&app, &mut browser, &badge_path).await;
    workshop_pages(&app, &mut browser, &badge_path).await;
    public_pages(&app, &with_code).await;
}

/// Dates the award to `name` ten seconds earlier: pages list awards by
/// creation time, then by their random id, so two awards of the same second
/// would come in either order.
fn earlier(app: &TestApp, name: &str) {
    use issuer::db::schema::awards::dsl::{awards, created_at, recipient_name};
    app.state
        .db
        .run_blocking(|conn| {
            diesel::update(awards.filter(recipient_name.eq(name)))
                .set(created_at.eq(created_at - 10))
                .execute(conn)
                .map_err(issuer::error::ApiError::from)
        })
        .unwrap();
}

/// Dates the organisation's `algorithm` key ten seconds earlier, as
/// [`earlier`] does for an award.
fn earlier_key(app: &TestApp, key_algorithm: &str) {
    use issuer::db::schema::org_keys::dsl::{algorithm, created_at, org_keys};
    app.state
        .db
        .run_blocking(|conn| {
            diesel::update(org_keys.filter(algorithm.eq(key_algorithm)))
                .set(created_at.eq(created_at - 10))
                .execute(conn)
                .map_err(issuer::error::ApiError::from)
        })
        .unwrap();
}

/// Awards the badge through the badge page's form; the award page's path.
async fn award(
    app: &TestApp,
    browser: &mut Browser,
    badge_path: &str,
    name: &str,
    email: &str,
) -> String {
    let badge_html = browser.get(app, badge_path).await.text();
    let (csrf, key) = (
        hidden(&badge_html, "csrf"),
        hidden(&badge_html, "idempotency_key"),
    );
    let form = [
        ("csrf", csrf.as_str()),
        ("idempotency_key", key.as_str()),
        ("name", name),
        ("email", email),
        ("narrative", "A fait sa demande de carte vitale en ligne."),
        ("format", "di"),
    ];
    let awarded = browser
        .post_form(app, &format!("{badge_path}/award"), &form)
        .await;
    assert_eq!(awarded.status, 303, "{}", awarded.text());
    location(&awarded)
}

async fn csv_pages(app: &TestApp, browser: &mut Browser, badge_path: &str) {
    let csrf = hidden(&browser.get(app, badge_path).await.text(), "csrf");
    let path = format!("{badge_path}/csv");
    let fields = [("csrf", csrf.as_str())];
    let file = |bytes: &'static [u8]| Some(("file", "session.csv", "text/csv", bytes));
    let bad = b"name,email\nLea Martin,lea@example.fr\n,nobody@example.fr\nJo Petit,not-an-email\n";
    let preview = browser.post_multipart(app, &path, &fields, file(bad)).await;
    assert_page!("csv_preview_errors", &preview);
    let good = b"name,email\nSam Bernard,sam@example.fr\nJo Petit,\n";
    let preview = browser
        .post_multipart(app, &path, &fields, file(good))
        .await;
    assert_page!("csv_preview", &preview);
    let csv = String::from_utf8(good.to_vec()).unwrap();
    let done = browser
        .post_multipart(
            app,
            &format!("{badge_path}/csv/commit"),
            &[("csrf", &csrf), ("format", "di"), ("csv", &csv)],
            None,
        )
        .await;
    assert_page!("csv_done", &done);
}

async fn workshop_pages(app: &TestApp, browser: &mut Browser, badge_path: &str) {
    let session = app.login(FACILITATOR).await;
    let badge = badge_path.rsplit('/').next().unwrap();
    let created = app
        .post(
            &format!("/api/v1/orgs/{SLUG}/workshops"),
            &session,
            json!({"title": "Démarches, groupe du mardi", "achievement_id": badge, "sessions": 2}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    let id = created.json()["workshop"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (name, email) in [("Awa Diallo", None), ("Lea Martin", Some("lea@example.fr"))] {
        let path = format!("/api/v1/orgs/{SLUG}/workshops/{id}/participants");
        let added = app
            .post(&path, &session, json!({"name": name, "email": email}))
            .await;
        assert_eq!(added.status, 201, "{}", added.text());
    }
    let list = format!("/app/{SLUG}/workshops");
    assert_page!("workshop_list", &browser.get(app, &list).await);
    let page = format!("{list}/{id}");
    assert_page!("workshop", &browser.get(app, &page).await);
}

async fn public_pages(app: &TestApp, awarded_path: &str) {
    let mut facilitator = Browser::default();
    facilitator.login(app, FACILITATOR).await;
    let html = facilitator.get(app, awarded_path).await.text();
    let code = html
        .split("<p class=\"code\" id=\"claim-code\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .to_owned();
    let mut participant = Browser::default();
    assert_page!("claim_lookup", &participant.get(app, "/claim").await);
    let claim = participant.get(app, &format!("/claim/{code}")).await;
    assert_page!("claim", &claim);
    let csrf = hidden(&claim.text(), "csrf");
    let claimed = participant
        .post_form(
            app,
            &format!("/claim/{code}"),
            &[("csrf", &csrf), ("show_name", "yes")],
        )
        .await;
    let page = location(&claimed);
    let page = page.split('?').next().unwrap();
    assert_page!("credential_fr", &browse(app, page, "fr").await);
    assert_page!("credential_en", &browse(app, page, "en").await);
    let unknown = "/credentials/AAAAAAAAAAAAAAAAAAAAAAAA";
    assert_page!("error_404", &browse(app, unknown, "fr").await);

    let award_path = awarded_path.split('?').next().unwrap();
    let csrf = hidden(&html, "csrf");
    let revoked = facilitator
        .post_form(
            app,
            &format!("{award_path}/revoke"),
            &[("csrf", &csrf), ("reason", "Badge délivré par erreur")],
        )
        .await;
    assert_eq!(revoked.status, 303, "{}", revoked.text());
    assert_page!("credential_revoked", &browse(app, page, "fr").await);
    let erased = facilitator
        .post_form(
            app,
            &format!("{award_path}/erase"),
            &[("csrf", &csrf), ("confirm", "yes")],
        )
        .await;
    assert_eq!(erased.status, 303, "{}", erased.text());
    assert_page!("error_410", &browse(app, page, "fr").await);
}

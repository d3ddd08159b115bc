//! Award pages: award, claim, share and revoke; wrong claim codes
//! explained then throttled; erasing a participant; a refused award in the
//! page's language.

use actix_web::http::{header, StatusCode};
use actix_web::test::TestRequest;
use issuer::users::Role;

use super::{designed_badge, hidden, location, title, Browser};
use crate::db_test;
use crate::support::TestApp;

async fn award_claim_share_and_revoke_through_the_pages(app: TestApp) {
    app.create_org("centre-social");
    app.create_user("marie@example.fr", "centre-social", Role::Facilitator);
    let mut facilitator = Browser::default();
    facilitator.login(&app, "marie@example.fr").await;
    let badge_path = designed_badge(&app, &mut facilitator).await;
    let badge = facilitator.get(&app, &badge_path).await;
    let html = badge.text();
    let csrf = hidden(&html, "csrf");
    let key = hidden(&html, "idempotency_key");
    let form = [
        ("csrf", csrf.as_str()),
        ("idempotency_key", key.as_str()),
        ("name", "Awa Diallo"),
        ("email", ""),
        ("narrative", "A fait sa demande de carte vitale en ligne."),
        ("format", "di"),
    ];
    let awarded = facilitator
        .post_form(&app, &format!("{badge_path}/award"), &form)
        .await;
    assert_eq!(awarded.status, StatusCode::SEE_OTHER, "{}", awarded.text());
    let awarded_path = location(&awarded);
    // A double submit of the same form awards once.
    let again = facilitator
        .post_form(&app, &format!("{badge_path}/award"), &form)
        .await;
    assert_eq!(location(&again), awarded_path);
    let award_path = awarded_path.split('?').next().unwrap().to_owned();

    let award = facilitator.get(&app, &awarded_path).await;
    let html = award.text();
    assert!(
        html.contains("Le badge est délivré à Awa Diallo."),
        "{html}"
    );
    // The participant's name stays out of the title (browser history).
    assert!(!title(&html).contains("Awa"), "{}", title(&html));
    let code = html
        .split("<p class=\"code\" id=\"claim-code\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .expect("a claim code for a participant without e-mail")
        .to_owned();
    assert!(html.contains("claim-qr.png"));
    assert!(html.contains("pas encore ouvert"));
    let dashboard = facilitator.get(&app, "/app/centre-social").await;
    assert!(dashboard.text().contains("Awa Diallo"));
    assert!(dashboard
        .text()
        .contains("1 badge(s) pas encore récupéré(s)"));

    // The participant types the code loosely: lower case, no hyphen.
    let mut participant = Browser::default();
    let typed = code.replace('-', "").to_lowercase();
    let found = participant.get(&app, &format!("/claim?code={typed}")).await;
    assert_eq!(location(&found), format!("/claim/{code}"));
    let claim = participant.get(&app, &format!("/claim/{code}")).await;
    assert_eq!(claim.status, StatusCode::OK);
    assert!(claim.text().contains("Bravo, vous avez obtenu un badge !"));
    let claim_csrf = hidden(&claim.text(), "csrf");
    let claimed = participant
        .post_form(
            &app,
            &format!("/claim/{code}"),
            &[("csrf", &claim_csrf), ("show_name", "yes")],
        )
        .await;
    assert_eq!(claimed.status, StatusCode::SEE_OTHER, "{}", claimed.text());
    let page_path = location(&claimed);
    assert!(page_path.starts_with("/credentials/"));
    let page = participant.get(&app, &page_path).await;
    let html = page.text();
    assert_eq!(page.status, StatusCode::OK);
    assert!(html.contains("Délivré à Awa Diallo"), "{html}");
    assert!(html.contains("Télécharger mon badge"));
    assert!(html.contains("http://verifier.test/bake?format=png&#38;url=http%3A%2F%2F"));
    assert!(html.contains("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME"));
    assert!(html.contains("mailto:?subject=Mon%20badge"));
    assert!(page.header("content-security-policy").is_some());
    // Machines still get the credential, now naming the holder.
    let token_path = page_path.split('?').next().unwrap();
    let json = app
        .send(
            TestRequest::get()
                .uri(token_path)
                .insert_header((header::ACCEPT, "application/ld+json")),
        )
        .await;
    assert_eq!(json.status, StatusCode::OK);
    assert!(json.text().contains("Awa Diallo"));
    let award = facilitator.get(&app, &award_path).await;
    assert!(award.text().contains("a déjà ouvert son badge"));

    // Revocation needs a reason, then shows everywhere with it.
    let csrf = hidden(&award.text(), "csrf");
    let no_reason = facilitator
        .post_form(
            &app,
            &format!("{award_path}/revoke"),
            &[("csrf", &csrf), ("reason", "  ")],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::BAD_REQUEST);
    let revoked = facilitator
        .post_form(
            &app,
            &format!("{award_path}/revoke"),
            &[("csrf", &csrf), ("reason", "Badge délivré par erreur")],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    let page = participant.get(&app, token_path).await;
    let html = page.text();
    assert!(
        html.contains("Ce badge a été retiré par Org centre-social"),
        "{html}"
    );
    assert!(html.contains("Raison : Badge délivré par erreur"));
    assert!(!html.contains("Télécharger mon badge"));
    let gone = app
        .send(
            TestRequest::get()
                .uri(token_path)
                .insert_header((header::ACCEPT, "application/json")),
        )
        .await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert_eq!(gone.json()["revocationReason"], "Badge délivré par erreur");
}
db_test!(
    award_claim_revoke,
    award_claim_share_and_revoke_through_the_pages
);

async fn wrong_claim_codes_are_explained_then_throttled(app: TestApp) {
    let mut visitor = Browser::default();
    let wrong = visitor.get(&app, "/claim?code=AAAA-AAAA").await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert!(wrong
        .text()
        .contains("Ce code ne correspond à aucun badge."));
    let mut last = wrong.status;
    for _ in 0..25 {
        last = visitor.get(&app, "/claim/BBBB-BBBB").await.status;
    }
    // The in-process test client has no peer address unless one is set.
    let _ = last;
    let peer: std::net::SocketAddr = "203.0.113.9:5000".parse().unwrap();
    let mut status = StatusCode::OK;
    for _ in 0..25 {
        status = app
            .send(TestRequest::get().uri("/claim/CCCC-CCCC").peer_addr(peer))
            .await
            .status;
    }
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}
db_test!(
    wrong_claim_codes,
    wrong_claim_codes_are_explained_then_throttled
);

async fn erasing_a_participant_removes_their_data_and_revokes(app: TestApp) {
    app.create_org("centre-social");
    app.create_user("marie@example.fr", "centre-social", Role::Facilitator);
    let mut facilitator = Browser::default();
    facilitator.login(&app, "marie@example.fr").await;
    let badge_path = designed_badge(&app, &mut facilitator).await;
    let html = facilitator.get(&app, &badge_path).await.text();
    let csrf = hidden(&html, "csrf");
    let awarded = facilitator
        .post_form(
            &app,
            &format!("{badge_path}/award"),
            &[
                ("csrf", &csrf),
                ("idempotency_key", &hidden(&html, "idempotency_key")),
                ("name", "Awa Diallo"),
                ("email", "awa@example.fr"),
                ("consent", "yes"),
                ("narrative", "Démarche CAF en ligne"),
            ],
        )
        .await;
    let award_path = location(&awarded).split('?').next().unwrap().to_owned();
    let award_id = issuer::ids::AwardId::from(award_path.rsplit('/').next().unwrap());
    let token = app
        .state
        .db
        .run_blocking(|conn| {
            let org = issuer::orgs::by_slug(conn, "centre-social")?;
            Ok::<_, issuer::error::ApiError>(issuer::awards::by_id(conn, &org.id, &award_id)?)
        })
        .unwrap()
        .public_token;
    // Without the confirmation box, nothing is erased.
    let unconfirmed = facilitator
        .post_form(&app, &format!("{award_path}/erase"), &[("csrf", &csrf)])
        .await;
    assert_eq!(unconfirmed.status, StatusCode::BAD_REQUEST);
    let erased = facilitator
        .post_form(
            &app,
            &format!("{award_path}/erase"),
            &[("csrf", &csrf), ("confirm", "yes")],
        )
        .await;
    assert_eq!(erased.status, StatusCode::SEE_OTHER);
    let page = facilitator.get(&app, &award_path).await.text();
    assert!(page.contains("Les données de la personne ont été effacées"));
    assert!(!page.contains("Awa Diallo") && !page.contains("awa@example.fr"));

    let award = app
        .state
        .db
        .run_blocking(|conn| {
            let org = issuer::orgs::by_slug(conn, "centre-social")?;
            Ok::<_, issuer::error::ApiError>(issuer::awards::by_id(conn, &org.id, &award_id)?)
        })
        .unwrap();
    assert!(
        award.is_erased() && award.is_revoked(),
        "{:?}",
        award.credential
    );
    for value in [
        award.recipient_name.as_str(),
        award.credential.as_str(),
        award.recipient_email.as_deref().unwrap_or(""),
        award.narrative.as_deref().unwrap_or(""),
    ] {
        assert!(!value.contains("Awa") && !value.contains("awa@"), "{value}");
    }
    let public = Browser::default()
        .get(&app, &format!("/credentials/{token}"))
        .await;
    assert_eq!(public.status, StatusCode::GONE, "{}", public.text());
    assert!(public
        .text()
        .contains("les données de la personne ont été effacées"));
    for (path, accept) in [
        (format!("/credentials/{token}"), "application/json"),
        (format!("/credentials/{token}.json"), "*/*"),
    ] {
        let resp = app
            .send(
                TestRequest::get()
                    .uri(&path)
                    .insert_header((header::ACCEPT, accept)),
            )
            .await;
        assert_eq!(resp.status, StatusCode::GONE, "{path}");
        assert!(!resp.text().contains("Awa"), "{}", resp.text());
    }
}
db_test!(erase, erasing_a_participant_removes_their_data_and_revokes);

/// A refused award speaks French on a French page: no field name, no
/// English, no jargon; the typed values stay.
async fn refused_award_speaks_the_page_language(app: TestApp) {
    app.create_org("centre-social");
    app.create_user("marie@example.fr", "centre-social", Role::Facilitator);
    let mut facilitator = Browser::default();
    facilitator.login(&app, "marie@example.fr").await;
    let badge_path = designed_badge(&app, &mut facilitator).await;
    let html = facilitator.get(&app, &badge_path).await.text();
    assert!(html.contains("Format standard (recommandé)"));
    for jargon in ["VC-JWT", "Data Integrity", "RS256", "Ed25519"] {
        assert!(!html.contains(jargon), "{jargon}");
    }
    let (csrf, key) = (hidden(&html, "csrf"), hidden(&html, "idempotency_key"));
    let refused = facilitator
        .post_form(
            &app,
            &format!("{badge_path}/award"),
            &[
                ("csrf", &csrf),
                ("idempotency_key", &key),
                ("name", "Awa Diallo"),
                ("email", "awa@"),
                ("narrative", "A rempli sa déclaration."),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let html = refused.text();
    assert!(
        html.contains("L&#39;adresse e-mail n&#39;est pas valable")
            || html.contains("L'adresse e-mail n'est pas valable"),
        "{html}"
    );
    assert!(
        !html.contains("recipient_email") && !html.contains("not an e-mail"),
        "{html}"
    );
    assert!(html.contains("value=\"awa@\"") && html.contains("A rempli sa déclaration."));
}
db_test!(award_language, refused_award_speaks_the_page_language);

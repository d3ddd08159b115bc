//! Throttles kept in the database: claim codes counted per client address
//! (taken from a trusted proxy's header), per network and for everyone
//! together, holding across instances on one database and across restarts,
//! and not flushed by traffic from many addresses; logins counted atomically
//! per account and client, per client and per account.

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use issuer::config::Config;
use serde_json::json;

use crate::awards::fixture;
use crate::support::{TestApp, PASSWORD};

/// The reverse proxy on this machine every request comes through.
const PROXY: &str = "127.0.0.1:40000";

fn behind_proxy(config: &mut Config) {
    config.trusted_proxy_header = Some("x-forwarded-for".to_owned());
}

/// Opens the claim page of `code` as `client`, through the proxy.
async fn claim(app: &TestApp, client: &str, code: &str) -> StatusCode {
    app.send(
        TestRequest::get()
            .uri(&format!("/claim/{code}"))
            .peer_addr(PROXY.parse().unwrap())
            .insert_header(("x-forwarded-for", client)),
    )
    .await
    .status
}

/// An award for a participant without e-mail; its claim code.
async fn claim_code(app: &TestApp) -> String {
    let fx = fixture(app, "org-a").await;
    let award = app
        .post(
            "/api/v1/orgs/org-a/awards",
            &fx.token,
            json!({"achievement_id": fx.achievement_id, "recipient_name": "Awa Diallo"}),
        )
        .await;
    assert_eq!(award.status, StatusCode::CREATED, "{}", award.text());
    award.json()["claim_code"].as_str().unwrap().to_owned()
}

async fn claim_throttle_per_client_across_instances(app: TestApp) {
    let code = claim_code(&app).await;
    let second = app.another_instance().await;
    let attacker = "203.0.113.7";
    // Twenty wrong codes, half on each instance: the limit is shared.
    for _ in 0..10 {
        assert_eq!(
            claim(&app, attacker, "AAAA-AAAA").await,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            claim(&second, attacker, "BBBB-BBBB").await,
            StatusCode::NOT_FOUND
        );
    }
    for instance in [&app, &second] {
        assert_eq!(
            claim(instance, attacker, "CCCC-CCCC").await,
            StatusCode::TOO_MANY_REQUESTS
        );
        // Not even looked up: a right guess now would tell nothing.
        assert_eq!(
            claim(instance, attacker, &code).await,
            StatusCode::TOO_MANY_REQUESTS
        );
    }
    // Everybody else behind the same proxy is unaffected.
    assert_eq!(claim(&app, "198.51.100.23", &code).await, StatusCode::OK);
    assert_eq!(
        claim(&second, "198.51.100.23", "DDDD-DDDD").await,
        StatusCode::NOT_FOUND
    );
    // Traffic from two hundred other networks flushes nothing.
    for i in 0..200 {
        let other = format!("192.{}.{}.1", i / 100, i % 100);
        assert_eq!(
            claim(&second, &other, "EEEE-EEEE").await,
            StatusCode::NOT_FOUND
        );
    }
    // Nor does a restart.
    let restarted = app.another_instance().await;
    assert_eq!(
        claim(&restarted, attacker, &code).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

async fn claim_throttle_reads_the_header_from_the_proxy_only(app: TestApp) {
    claim_code(&app).await;
    // A client connecting directly writes the header itself: ignored.
    let direct = "198.51.100.20:5000".parse().unwrap();
    let mut statuses = Vec::new();
    for i in 0..21 {
        let status = app
            .send(
                TestRequest::get()
                    .uri("/claim/FFFF-FFFF")
                    .peer_addr(direct)
                    .insert_header(("x-forwarded-for", format!("203.0.113.{i}"))),
            )
            .await
            .status;
        statuses.push(status.as_u16());
    }
    assert_eq!(statuses[19], 404, "{statuses:?}");
    assert_eq!(statuses[20], 429, "{statuses:?}");
    // What a client writes left of the proxy's entry is skipped.
    for _ in 0..20 {
        assert_eq!(
            claim(&app, "10.9.9.9, 203.0.113.99", "GGGG-GGGG").await,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        claim(&app, "10.9.9.8, 203.0.113.99", "GGGG-GGGG").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // IPv6 clients count by /64: one subscriber, many addresses.
    for i in 0..20 {
        let address = format!("2001:db8:0:1::{:x}", i + 1);
        assert_eq!(
            claim(&app, &address, "HHHH-HHHH").await,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        claim(&app, "2001:db8:0:1:ffff::1", "HHHH-HHHH").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        claim(&app, "2001:db8:0:2::1", "HHHH-HHHH").await,
        StatusCode::NOT_FOUND
    );
}

async fn distributed_guessing_slows_to_one_try_per_client(app: TestApp) {
    let code = claim_code(&app).await;
    // Everyone together may make 30 wrong guesses per window here.
    for i in 0..31 {
        let client = format!("192.0.{i}.1");
        assert_eq!(
            claim(&app, &client, "JJJJ-JJJJ").await,
            StatusCode::NOT_FOUND
        );
    }
    // Beyond: one try per client until the window ends...
    assert_eq!(
        claim(&app, "192.0.5.1", "KKKK-KKKK").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        claim(&app, "192.0.77.1", "KKKK-KKKK").await,
        StatusCode::NOT_FOUND
    );
    // ...and a participant who types their code right gets in.
    assert_eq!(claim(&app, "192.0.88.1", &code).await, StatusCode::OK);
    assert_eq!(claim(&app, "192.0.88.1", &code).await, StatusCode::OK);
}

mod per_client_across_instances {
    #[actix_web::test]
    async fn sqlite() {
        let app = super::TestApp::sqlite_with(super::behind_proxy).await;
        super::claim_throttle_per_client_across_instances(app).await
    }

    #[actix_web::test]
    async fn postgres() {
        if let Some(app) = super::TestApp::postgres_with(super::behind_proxy).await {
            super::claim_throttle_per_client_across_instances(app).await
        }
    }
}

mod header_from_the_proxy_only {
    #[actix_web::test]
    async fn sqlite() {
        let app = super::TestApp::sqlite_with(super::behind_proxy).await;
        super::claim_throttle_reads_the_header_from_the_proxy_only(app).await
    }

    #[actix_web::test]
    async fn postgres() {
        if let Some(app) = super::TestApp::postgres_with(super::behind_proxy).await {
            super::claim_throttle_reads_the_header_from_the_proxy_only(app).await
        }
    }
}

fn small_total(config: &mut Config) {
    behind_proxy(config);
    config.claim_max_failures_total = 30;
}

mod distributed_guessing {
    #[actix_web::test]
    async fn sqlite() {
        let app = super::TestApp::sqlite_with(super::small_total).await;
        super::distributed_guessing_slows_to_one_try_per_client(app).await
    }

    #[actix_web::test]
    async fn postgres() {
        if let Some(app) = super::TestApp::postgres_with(super::small_total).await {
            super::distributed_guessing_slows_to_one_try_per_client(app).await
        }
    }
}

/// Each change of the "show my name" choice signs the badge again: ten an
/// hour per claim code.
async fn consent_changes_are_limited_per_code(app: TestApp) {
    let code = claim_code(&app).await;
    let mut participant = crate::pages::Browser::default();
    let form = participant.get(&app, &format!("/claim/{code}")).await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = crate::pages::hidden(&form.text(), "csrf");
    for i in 0..11 {
        let choice = if i % 2 == 0 { "yes" } else { "no" };
        let resp = participant
            .post_form(
                &app,
                &format!("/claim/{code}"),
                &[("csrf", &csrf), ("show_name", choice)],
            )
            .await;
        let expected = if i < 10 {
            StatusCode::SEE_OTHER
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(resp.status, expected, "change {i}: {}", resp.text());
    }
}
crate::db_test!(consent_changes, consent_changes_are_limited_per_code);

/// A login attempt at `email` as `client`, through the proxy; its status.
async fn login_as(app: &TestApp, client: &str, email: &str, password: &str) -> StatusCode {
    app.send(
        TestRequest::post()
            .uri("/api/v1/auth/login")
            .peer_addr(PROXY.parse().unwrap())
            .insert_header(("x-forwarded-for", client))
            .set_json(json!({"email": email, "password": password})),
    )
    .await
    .status
}

async fn parallel_wrong_passwords_get_exactly_the_limit(app: TestApp) {
    app.create_org("org-t");
    app.create_user("t@t.fr", "org-t", issuer::users::Role::Facilitator);
    let second = app.another_instance().await;
    let attempts = (0..50).map(|i| {
        let instance = if i % 2 == 0 { &app } else { &second };
        login_as(instance, "203.0.113.7", "t@t.fr", "wrong password")
    });
    let statuses: Vec<u16> = futures_util::future::join_all(attempts)
        .await
        .into_iter()
        .map(|s| s.as_u16())
        .collect();
    let checked = statuses.iter().filter(|s| **s == 400).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((checked, refused), (5, 45), "{statuses:?}");
}

async fn guessing_locks_out_the_guesser_not_the_owner(app: TestApp) {
    app.create_org("org-t");
    app.create_user("t@t.fr", "org-t", issuer::users::Role::Facilitator);
    let (attacker, owner) = ("203.0.113.7", "198.51.100.23");
    for _ in 0..5 {
        assert_eq!(
            login_as(&app, attacker, "t@t.fr", "wrong password").await,
            StatusCode::BAD_REQUEST
        );
    }
    assert_eq!(
        login_as(&app, attacker, "t@t.fr", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
        "the guesser waits, even with the right password"
    );
    assert_eq!(
        login_as(&app, owner, "t@t.fr", PASSWORD).await,
        StatusCode::OK,
        "the owner, elsewhere, logs in"
    );
    // A few typos of the owner's are forgotten once they get it right.
    for _ in 0..4 {
        login_as(&app, owner, "t@t.fr", "typo password").await;
    }
    assert_eq!(
        login_as(&app, owner, "t@t.fr", PASSWORD).await,
        StatusCode::OK
    );
    for _ in 0..4 {
        login_as(&app, owner, "t@t.fr", "typo password").await;
    }
    assert_eq!(
        login_as(&app, owner, "t@t.fr", PASSWORD).await,
        StatusCode::OK
    );
}

async fn spraying_is_limited_per_client(app: TestApp) {
    app.create_org("org-t");
    app.create_user("t@t.fr", "org-t", issuer::users::Role::Facilitator);
    let sprayer = "203.0.113.8";
    for i in 0..20 {
        let email = format!("user{i}@t.fr");
        assert_eq!(
            login_as(&app, sprayer, &email, "Summer2024!").await,
            StatusCode::BAD_REQUEST
        );
    }
    assert_eq!(
        login_as(&app, sprayer, "t@t.fr", "Summer2024!").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        login_as(&app, "198.51.100.23", "t@t.fr", PASSWORD).await,
        StatusCode::OK
    );
    // From many addresses at once, the account itself waits (fifty failures).
    for i in 0..50 {
        let client = format!("192.0.{i}.1");
        login_as(&app, &client, "t@t.fr", "wrong password").await;
    }
    assert_eq!(
        login_as(&app, "198.51.100.24", "t@t.fr", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

mod login_in_parallel {
    #[actix_web::test]
    async fn sqlite() {
        let app = super::TestApp::sqlite_with(super::behind_proxy).await;
        super::parallel_wrong_passwords_get_exactly_the_limit(app).await
    }

    #[actix_web::test]
    async fn postgres() {
        if let Some(app) = super::TestApp::postgres_with(super::behind_proxy).await {
            super::parallel_wrong_passwords_get_exactly_the_limit(app).await
        }
    }
}

mod login_lock_out {
    #[actix_web::test]
    async fn sqlite() {
        let app = super::TestApp::sqlite_with(super::behind_proxy).await;
        super::guessing_locks_out_the_guesser_not_the_owner(app).await
    }

    #[actix_web::test]
    async fn postgres() {
        if let Some(app) = super::TestApp::postgres_with(super::behind_proxy).await {
            super::guessing_locks_out_the_guesser_not_the_owner(app).await
        }
    }
}

mod login_spraying {
    #[actix_web::test]
    async fn sqlite() {
        let app = super::TestApp::sqlite_with(super::behind_proxy).await;
        super::spraying_is_limited_per_client(app).await
    }

    #[actix_web::test]
    async fn postgres() {
        if let Some(app) = super::TestApp::postgres_with(super::behind_proxy).await {
            super::spraying_is_limited_per_client(app).await
        }
    }
}

//! `GET /metrics` through HTTP: closed (404) without `ISSUER_METRICS_TOKEN`,
//! 401 without the right bearer token; with it, the counters move as awards
//! are made (one by one and from a CSV file), e-mails fail and claim codes
//! are throttled, and no label holds personal data.

use std::net::TcpListener;

use actix_web::http::{header, StatusCode};
use actix_web::test::TestRequest;
use issuer::config::{Config, SmtpSettings};
use serde_json::json;

use crate::awards::{csv_post, fixture};
use crate::support::{Auth, TestApp};

const TOKEN: &str = "metrics-token-0123456789abcdef0123456789";

/// Metrics on, one wrong claim code allowed per client, and an SMTP server
/// that refuses connections (a port that was just free).
fn monitored(config: &mut Config) {
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    config.smtp = Some(SmtpSettings::parse("T", &format!("smtp://{closed}")).unwrap());
    config.metrics_token = Some(TOKEN.to_owned().into());
    config.claim_max_failures = 1;
}

async fn scrape(app: &TestApp, authorization: Option<&str>) -> crate::support::TestResponse {
    let mut req = TestRequest::get().uri("/metrics");
    if let Some(value) = authorization {
        req = req.insert_header((header::AUTHORIZATION, value));
    }
    app.send(req).await
}

/// The value of the sample `series` (name and labels exactly as written), if
/// the text has it.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|line| {
        line.strip_prefix(series)
            .and_then(|rest| rest.strip_prefix(' '))
            .and_then(|value| value.trim().parse().ok())
    })
}

async fn award(app: &TestApp, token: &Auth, achievement: &str, email: &str, format: &str) {
    let resp = app
        .post(
            "/api/v1/orgs/org-a/awards",
            token,
            json!({
                "achievement_id": achievement, "recipient_name": "Awa Diallo",
                "recipient_email": email, "format": format,
            }),
        )
        .await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
    assert_eq!(resp.json()["delivery"], "failed", "{}", resp.text());
}

async fn claim(app: &TestApp, code: &str) -> StatusCode {
    app.send(
        TestRequest::get()
            .uri(&format!("/claim/{code}"))
            .peer_addr("198.51.100.23:50000".parse().unwrap()),
    )
    .await
    .status
}

async fn counters_move_with_awards_failed_emails_and_throttles(app: TestApp) {
    // Closed to anyone without the token.
    for authorization in [None, Some("Bearer wrong-token"), Some(TOKEN)] {
        let refused = scrape(&app, authorization).await;
        assert_eq!(
            refused.status,
            StatusCode::UNAUTHORIZED,
            "{authorization:?}"
        );
        assert!(refused.headers.contains_key(header::WWW_AUTHENTICATE));
        assert_eq!(refused.json()["error"], "unauthenticated");
    }
    let bearer = format!("Bearer {TOKEN}");
    let before = scrape(&app, Some(&bearer)).await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(before
        .headers
        .get(header::CONTENT_TYPE)
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("application/openmetrics-text"));
    let text = before.text();
    assert!(
        text.contains("# TYPE issuer_http_request_duration_seconds histogram"),
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            r#"issuer_awards_issued_total{path="single",format="di"}"#
        ),
        None
    );

    let fx = fixture(&app, "org-a").await;
    award(&app, &fx.token, &fx.achievement_id, "awa@example.fr", "di").await;
    award(&app, &fx.token, &fx.achievement_id, "jo@example.fr", "jwt").await;
    award(&app, &fx.token, &fx.achievement_id, "lea@example.fr", "di").await;
    // The same request again (idempotency key) makes no new award.
    let key = "metrics-repeat";
    for expected in [StatusCode::CREATED, StatusCode::OK] {
        let resp = app
            .send(
                TestRequest::post()
                    .uri("/api/v1/orgs/org-a/awards")
                    .insert_header((
                        header::AUTHORIZATION,
                        match &fx.token {
                            Auth::Token(token) => format!("Bearer {token}"),
                            _ => unreachable!("fixture gives a token"),
                        },
                    ))
                    .insert_header(("idempotency-key", key))
                    .set_json(json!({
                        "achievement_id": fx.achievement_id, "recipient_name": "Noa Petit",
                    })),
            )
            .await;
        assert_eq!(resp.status, expected, "{}", resp.text());
    }
    // A CSV file of two people without e-mail, then the same file again
    // (the same idempotency key): two new awards, no failed e-mail.
    for _ in 0..2 {
        let resp = csv_post(
            &app,
            &fx,
            "dry_run=false&format=jwt",
            "nom\nSam Martin\nInès Roy\n",
            Some("metrics-file"),
        )
        .await;
        assert_eq!(resp.status, StatusCode::OK, "{}", resp.text());
    }
    // One wrong claim code is allowed, the next is throttled.
    assert_eq!(claim(&app, "AAAA-AAAA").await, StatusCode::NOT_FOUND);
    assert_eq!(
        claim(&app, "BBBB-BBBB").await,
        StatusCode::TOO_MANY_REQUESTS
    );

    let text = scrape(&app, Some(&bearer)).await.text();
    let expect = |series: &str, value: f64| {
        assert_eq!(sample(&text, series), Some(value), "{series}\n{text}");
    };
    expect(
        r#"issuer_awards_issued_total{path="single",format="di"}"#,
        3.0,
    );
    expect(
        r#"issuer_awards_issued_total{path="single",format="jwt"}"#,
        1.0,
    );
    expect(
        r#"issuer_awards_issued_total{path="csv",format="jwt"}"#,
        2.0,
    );
    expect(
        r#"issuer_deliveries_failed_total{reason="unreachable"}"#,
        3.0,
    );
    expect(
        r#"issuer_throttled_requests_total{route="/claim/{code}"}"#,
        1.0,
    );
    expect(
        r#"issuer_http_request_duration_seconds_count{method="POST",route="/api/v1/orgs/{slug}/awards",status="201"}"#,
        4.0,
    );
    expect(
        r#"issuer_http_request_duration_seconds_count{method="GET",route="/claim/{code}",status="429"}"#,
        1.0,
    );
    // Patterns, never what was asked for or who.
    for personal in [
        "awa@example.fr",
        "Diallo",
        "AAAA-AAAA",
        "org-a",
        "198.51.100.23",
    ] {
        assert!(!text.contains(personal), "{personal} in\n{text}");
    }
}
mod counters {
    use super::*;

    #[actix_web::test]
    async fn sqlite() {
        counters_move_with_awards_failed_emails_and_throttles(TestApp::sqlite_with(monitored).await)
            .await
    }

    #[actix_web::test]
    async fn postgres() {
        if let Some(app) = TestApp::postgres_with(monitored).await {
            counters_move_with_awards_failed_emails_and_throttles(app).await
        }
    }
}

#[actix_web::test]
async fn without_a_token_there_is_no_metrics_route() {
    let app = TestApp::sqlite().await;
    for authorization in [None, Some(format!("Bearer {TOKEN}"))] {
        let resp = scrape(&app, authorization.as_deref()).await;
        assert_eq!(resp.status, StatusCode::NOT_FOUND);
        assert_eq!(resp.json()["error"], "not_found");
    }
}

/// A second instance on the same data has its own counts, as another
/// process would.
#[actix_web::test]
async fn counts_belong_to_the_process() {
    let app = TestApp::sqlite_with(monitored).await;
    let fx = fixture(&app, "org-a").await;
    award(&app, &fx.token, &fx.achievement_id, "awa@example.fr", "di").await;
    let other = app.another_instance().await;
    let bearer = format!("Bearer {TOKEN}");
    let series = r#"issuer_awards_issued_total{path="single",format="di"}"#;
    assert_eq!(
        sample(&scrape(&app, Some(&bearer)).await.text(), series),
        Some(1.0)
    );
    assert_eq!(
        sample(&scrape(&other, Some(&bearer)).await.text(), series),
        None
    );
}

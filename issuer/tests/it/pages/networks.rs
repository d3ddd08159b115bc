//! Network pages: a network lists its member organisations.

use actix_web::http::StatusCode;
use issuer::users::Role;

use super::Browser;
use crate::support::TestApp;

/// `issuer org create --network` makes a member; the network's page lists
/// its members with their activity; members see nothing of the network.
#[actix_web::test]
async fn a_network_lists_its_member_organisations() {
    use clap::Parser as _;
    let app = TestApp::sqlite().await;
    app.create_org("reseau-cher");
    app.create_user("coord@example.fr", "reseau-cher", Role::Admin);
    let data_dir = app.state.config.data_dir.to_str().unwrap().to_owned();
    for (slug, name) in [
        ("centre-vierzon", "Centre social de Vierzon"),
        ("mediatheque", "Médiathèque de Bourges"),
    ] {
        let cli = issuer::cli::Cli::try_parse_from([
            "issuer",
            "org",
            "create",
            "--slug",
            slug,
            "--name",
            name,
            "--network",
            "reseau-cher",
            "--data-dir",
            &data_dir,
        ])
        .unwrap();
        assert_eq!(
            issuer::cli::run(cli).unwrap(),
            std::process::ExitCode::SUCCESS
        );
    }
    // Unknown network: refused, nothing created.
    let cli = issuer::cli::Cli::try_parse_from([
        "issuer",
        "org",
        "create",
        "--slug",
        "orphan",
        "--name",
        "Orphan",
        "--network",
        "nowhere",
        "--data-dir",
        &data_dir,
    ])
    .unwrap();
    assert!(issuer::cli::run(cli).is_err());
    app.create_user("marie@example.fr", "centre-vierzon", Role::Facilitator);

    let mut coordinator = Browser::default();
    coordinator.login(&app, "coord@example.fr").await;
    let dashboard = coordinator.get(&app, "/app/reseau-cher").await.text();
    assert!(
        dashboard.contains("Structures du réseau (2)"),
        "{dashboard}"
    );
    let page = coordinator.get(&app, "/app/reseau-cher/members").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("Centre social de Vierzon") && html.contains("Médiathèque de Bourges"));
    assert!(html.contains("Aucun pour le moment"));
    // A member's facilitator cannot open the network's pages.
    let mut member = Browser::default();
    member.login(&app, "marie@example.fr").await;
    let refused = member.get(&app, "/app/reseau-cher/members").await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
}

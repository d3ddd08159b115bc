//! Claim codes and their QR codes, which decode to the claim URL.

use issuer::awards;
use serde_json::json;

use super::{award, fixture};
use crate::db_test;
use crate::support::TestApp;

async fn claim_qr(app: TestApp) {
    let fx = fixture(&app, "org-a").await;
    let view = award(&app, "org-a", &fx, json!({})).await;
    let code = view["claim_code"].as_str().unwrap();
    assert!(regex_like_code(code), "{code}");
    let resp = app
        .get(
            &format!(
                "/api/v1/orgs/org-a/awards/{}/claim-qr.png",
                view["id"].as_str().unwrap()
            ),
            &fx.token,
        )
        .await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.header("content-type").unwrap(), "image/png");
    let image = image::load_from_memory(&resp.body).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        image.width() as usize,
        image.height() as usize,
        |x, y| image.get_pixel(x as u32, y as u32)[0],
    );
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1);
    let (_, text) = grids[0].decode().unwrap();
    assert_eq!(text, format!("{}/claim/{code}", app.state.base()));
    assert_eq!(view["claim_url"], text);

    let found = app
        .state
        .db
        .run_blocking(|conn| awards::by_claim_code(conn, &code.to_lowercase().replace('-', " ")))
        .unwrap();
    assert_eq!(found.id, view["id"].as_str().unwrap());

    // A participant with an e-mail has a code and QR code too, for when
    // the e-mail does not arrive.
    let with_email = award(&app, "org-a", &fx, json!({"recipient_email": "a@b.fr"})).await;
    let resp = app
        .get(
            &format!(
                "/api/v1/orgs/org-a/awards/{}/claim-qr.png",
                with_email["id"].as_str().unwrap()
            ),
            &fx.token,
        )
        .await;
    assert_eq!(resp.status, 200);
}
db_test!(claim_code_qr_decodes_to_claim_url, claim_qr);

fn regex_like_code(code: &str) -> bool {
    code.len() == 9
        && code.chars().enumerate().all(|(i, c)| {
            if i == 4 {
                c == '-'
            } else {
                c.is_ascii_uppercase() || c.is_ascii_digit()
            }
        })
}

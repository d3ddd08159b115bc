//! Error bodies of `POST /api/v1/orgs/{slug}/images` and `GET /images/{id}.png`.

use actix_web::http::Method;

use super::{org_path, raw};
use crate::awards::fixture;
use crate::db_test;
use crate::images::png_of;
use crate::pages::multipart;
use crate::support::{Auth, TestApp};

async fn image_errors(app: TestApp) {
    let fx = fixture(&app, super::SLUG).await;
    let path = org_path("/images");
    let upload = |content_type: &'static str, bytes: Vec<u8>| {
        let (app, path, token) = (&app, &path, &fx.token);
        async move {
            raw(
                app,
                Method::POST,
                path,
                token,
                &[("content-type", content_type)],
                bytes,
            )
            .await
        }
    };
    assert_error!(
        "upload_too_large",
        &upload("image/png", vec![0x89; 21 * 1024 * 1024]).await,
    );
    assert_error!(
        "upload_unsupported_format",
        &upload("image/gif", b"GIF89a\x01\x00\x01\x00".to_vec()).await,
    );
    let mut truncated = png_of(40, 40);
    truncated.truncate(60);
    assert_error!("upload_undecodable", &upload("image/png", truncated).await);
    let script = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
    assert_error!(
        "upload_unsafe_svg",
        &upload("image/svg+xml", script.to_vec()).await
    );
    let (content_type, body) = multipart(&[("name", "logo")], None);
    let headers = [("content-type", content_type.as_str())];
    assert_error!(
        "upload_missing_file",
        &raw(&app, Method::POST, &path, &fx.token, &headers, body).await,
    );
    let headers = [("content-type", "multipart/form-data")];
    assert_error!(
        "upload_invalid_form",
        &raw(&app, Method::POST, &path, &fx.token, &headers, "x").await,
    );
    assert_error!(
        "upload_unauthenticated",
        &raw(&app, Method::POST, &path, &Auth::None, &[], png_of(8, 8)).await,
    );
    assert_error!(
        "serve_not_found",
        &app.get("/images/unknown.png", &Auth::None).await,
    );
}
db_test!(images, image_errors);

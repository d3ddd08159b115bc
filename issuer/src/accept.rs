//! The `Accept` header: how much a client wants one kind of document.

use actix_web::http::header;
use actix_web::HttpRequest;

/// The highest quality (`q=`) the request's `Accept` headers give to a media
/// range that `matches` (lower-case, parameters removed); 0 when none does.
pub fn quality(req: &HttpRequest, matches: impl Fn(&str) -> bool) -> f32 {
    req.headers()
        .get_all(header::ACCEPT)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|range| {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            matches(&media).then(|| {
                parts
                    .filter_map(|p| p.trim().strip_prefix("q="))
                    .find_map(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0)
            })
        })
        .fold(0.0, f32::max)
}

/// Whether a media range names an HTML page.
pub fn is_html(media: &str) -> bool {
    media == "text/html" || media == "application/xhtml+xml"
}

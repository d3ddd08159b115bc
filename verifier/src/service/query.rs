//! A request's query string, read: shared by the handlers and by the
//! error pages (which read `?lang=`).

use actix_web::HttpRequest;

/// The first value of a query parameter.
pub(crate) fn query_param(req: &HttpRequest, name: &str) -> Option<String> {
    url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

//! What the issuer counts for monitoring, served at `GET /metrics` in the
//! OpenMetrics text format (which Prometheus scrapes) when
//! `ISSUER_METRICS_TOKEN` is set (route in [`crate::routes::meta`]).
//!
//! - `issuer_awards_issued_total{path, format}`: new awards, by the way they
//!   were made (`single`, `workshop`, `csv`) and how they are secured (`di`,
//!   `jwt`); counted by [`crate::awards`] once stored, repeats excluded.
//! - `issuer_deliveries_failed_total{reason}`: award e-mails that could not
//!   be sent, by [`crate::mailer::MailError::code`] (`rejected`,
//!   `unreachable`, `address`); counted by [`crate::delivery`].
//! - `issuer_throttled_requests_total{route}`: requests refused by a throttle
//!   (answered 429: claim codes, logins).
//! - `issuer_http_request_duration_seconds{method, route, status}`: request
//!   latency, a histogram from 5 ms to about 10 s.
//!
//! Labels never hold personal data: `route` is the route's pattern
//! (`/claim/{code}`), never the path asked for; unknown paths are `unmatched`.
//! Counts live in the process: each instance has its own, which Prometheus
//! adds up, and a restart starts them again from zero.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

/// The content type of [`Metrics::render`]'s text.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// How an award was made: the `path` label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AwardPath {
    /// One award, from the API or the award page.
    Single,
    /// A workshop's qualifying participants.
    Workshop,
    /// A CSV file (API or page).
    Csv,
}

impl AwardPath {
    fn label(self) -> &'static str {
        match self {
            Self::Single => "single",
            Self::Workshop => "workshop",
            Self::Csv => "csv",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct AwardLabels {
    path: &'static str,
    format: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct DeliveryLabels {
    reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: String,
}

type Latencies = Family<RequestLabels, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 5 ms, 10 ms, ... 10.24 s.
    Histogram::new(exponential_buckets(0.005, 2.0, 12))
}

/// The issuer's counters and histograms, shared by every worker.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    awards_issued: Family<AwardLabels, Counter>,
    deliveries_failed: Family<DeliveryLabels, Counter>,
    throttled: Family<RouteLabels, Counter>,
    latencies: Latencies,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Every metric at zero, registered.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("issuer");
        let awards_issued = Family::<AwardLabels, Counter>::default();
        registry.register(
            "awards_issued",
            "Awards issued, by path (single, workshop, csv) and format (di, jwt)",
            awards_issued.clone(),
        );
        let deliveries_failed = Family::<DeliveryLabels, Counter>::default();
        registry.register(
            "deliveries_failed",
            "Award e-mails that could not be sent, by reason",
            deliveries_failed.clone(),
        );
        let throttled = Family::<RouteLabels, Counter>::default();
        registry.register(
            "throttled_requests",
            "Requests refused by a throttle (429), by route pattern",
            throttled.clone(),
        );
        let latencies: Latencies = Family::new_with_constructor(latency_histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request, by method, route pattern and status",
            latencies.clone(),
        );
        Self {
            registry,
            awards_issued,
            deliveries_failed,
            throttled,
            latencies,
        }
    }

    /// Counts `count` new awards made by `path` in `format` (`di`, `jwt`).
    pub fn awards_issued(&self, path: AwardPath, format: &str, count: u64) {
        self.awards_issued
            .get_or_create(&AwardLabels {
                path: path.label(),
                format: format.to_owned(),
            })
            .inc_by(count);
    }

    /// Counts an award e-mail that failed, by its reason code.
    pub fn delivery_failed(&self, reason: &str) {
        self.deliveries_failed
            .get_or_create(&DeliveryLabels {
                reason: reason.to_owned(),
            })
            .inc();
    }

    /// Records one answered request.
    fn observe(&self, method: &'static str, route: &str, status: u16, seconds: f64) {
        if status == 429 {
            self.throttled
                .get_or_create(&RouteLabels {
                    route: route.to_owned(),
                })
                .inc();
        }
        self.latencies
            .get_or_create(&RequestLabels {
                method,
                route: route.to_owned(),
                status: status.to_string(),
            })
            .observe(seconds);
    }

    /// Everything, in the OpenMetrics text format ([`CONTENT_TYPE`]).
    pub fn render(&self) -> String {
        let mut text = String::new();
        // Writing into a String cannot fail; an encoding error would be a
        // bug in a label's encoder, and leaves the text as far as it got.
        if let Err(e) = prometheus_client::encoding::text::encode(&mut text, &self.registry) {
            tracing::error!(error = %e, "metrics encoding failed");
        }
        text
    }
}

/// Middleware timing every request and counting throttled ones
/// (`actix_web::middleware::from_fn`).
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    // The counters are app data of their own (`app::configure`): this
    // module stays below the state that holds them.
    let metrics = req
        .app_data::<web::Data<Metrics>>()
        .map(|metrics| metrics.clone().into_inner());
    let method: &'static str = match req.method().as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        // Any other word a client sends would be a new series.
        _ => "other",
    };
    let response = next.call(req).await?;
    if let Some(metrics) = metrics {
        let route = response
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_owned());
        metrics.observe(
            method,
            &route,
            response.status().as_u16(),
            started.elapsed().as_secs_f64(),
        );
    }
    Ok(response)
}

//! Verifying what a live issuer serves with the verifier's own networked
//! pipeline, and reading its report: shared by the flows that start an
//! issuer on loopback (`issuer_flow`, `backup_restore`).

use std::sync::Arc;

use chrono::Utc;
use keys::OfflineResolver;
use verifier::net::{HttpClient, NetConfig, NetworkResolver};
use verifier::pipeline::{verify_bytes, VerifyError, VerifyOptions};
use verifier::report::{Outcome, Report};

/// A networked resolver allowed onto loopback over plain HTTP (where the
/// tests' issuers listen), with an empty cache.
pub fn loopback_resolver() -> NetworkResolver {
    let config = NetConfig {
        allow_private: true,
        allow_http: true,
        ..NetConfig::default()
    };
    NetworkResolver::new(OfflineResolver::new(), Arc::new(HttpClient::new(config)))
}

/// Verifies what `input` holds (a URL, JSON or a JWT) now, with `resolver`
/// and whatever it has cached, for the holder `recipient` if given.
pub fn verify_with(
    resolver: &NetworkResolver,
    input: &str,
    recipient: Option<&str>,
) -> Result<Report, VerifyError> {
    let options = VerifyOptions {
        now: Utc::now(),
        resolver,
        recipient,
    };
    verify_bytes(input.as_bytes(), &options)
}

/// Whether the report holds the check `code` with `outcome`.
pub fn has_check(report: &Report, code: &str, outcome: Outcome) -> bool {
    report
        .checks
        .iter()
        .any(|c| c.code == code && c.outcome == outcome)
}

/// Every check of the report, one a line, for assertion messages.
pub fn describe_report(report: &Report) -> String {
    report
        .checks
        .iter()
        .map(|c| format!("{} {:?}: {}", c.code, c.outcome, c.message))
        .collect::<Vec<_>>()
        .join("\n")
}

//! What no request may do to the verifier service (issue 16): crash it or hold
//! it up with a credential crafted to make canonicalisation explode.

use actix_web::http::StatusCode;
use actix_web::test::{self, TestRequest};
use chrono::Duration;
use serde_json::{json, Value};
use verifier::service::{app, AppState};

use crate::service::{config, json_post, offline_credential, rfc3339, send, Issuer, ServeProcess};

/// A credential whose subject holds `nodes` blank nodes linked in a ring, with an
/// inline context defining `p`, and a well-formed `eddsa-rdfc-2022` proof by
/// `issuer` (taken from another credential: no valid signature is needed to make
/// the verifier canonicalise). Every blank node has the same first-degree hash, so
/// RDFC-1.0's N-degree step follows the whole ring.
pub(crate) fn ring_credential(issuer: &Issuer, nodes: usize) -> Value {
    let ring: Vec<Value> = (0..nodes)
        .map(|i| json!({"@id": format!("_:{i}"), "p": {"@id": format!("_:{}", (i + 1) % nodes)}}))
        .collect();
    let proof = issuer.sign(&offline_credential(issuer))["proof"].clone();
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", {"p": "https://example.org/p"}],
        "type": ["VerifiableCredential"],
        "issuer": issuer.did,
        "validFrom": rfc3339(-Duration::days(1)),
        "credentialSubject": {"id": "did:example:holder", "p": ring},
        "proof": proof,
    })
}

fn codes(report: &Value) -> Vec<String> {
    report["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|check| check["code"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn a_ring_of_two_thousand_blank_nodes_gets_a_verdict_and_the_service_stays_up() {
    // Before the bounded canonicalisation, this one anonymous POST overflowed a
    // thread's stack and aborted the whole process.
    let server = ServeProcess::start();
    let issuer = Issuer::new();
    let ring = ring_credential(&issuer, 2000).to_string();
    assert!(ring.len() > 60_000, "{} bytes", ring.len());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let post = |body: String| {
        let answer = agent
            .post(&format!("{}/verify", server.base))
            .header("Accept", "application/json")
            .header("Content-Type", "application/json")
            .send(body)
            .expect("the service answers");
        assert_eq!(answer.status().as_u16(), 200);
        let text = answer.into_body().read_to_string().expect("read");
        serde_json::from_str::<Value>(&text).expect("JSON")
    };
    let report = post(ring);
    assert_eq!(report["verified"], false, "{report}");
    assert!(
        codes(&report).contains(&"proof.too_complex".to_owned()),
        "{report}"
    );
    let health = agent
        .get(&format!("{}/healthz", server.base))
        .call()
        .expect("still up");
    assert_eq!(health.status().as_u16(), 200);
    let genuine = post(offline_credential(&issuer).to_string());
    assert_eq!(genuine["verified"], true, "{genuine}");
    let log = server.stop();
    assert!(
        !log.contains("overflow") && !log.contains("panicked"),
        "{log}"
    );
}

#[actix_web::test]
async fn a_ring_small_enough_for_the_request_thread_is_refused_as_too_complex() {
    // 420 nodes fit under the 16 KiB verified on the request's own thread; it held
    // the worker for 1.4 s of CPU. The direct path declines it, the general path runs
    // on the blocking pool and stops at its depth bound.
    let service = test::init_service(app(AppState::new(config(false)))).await;
    let ring = ring_credential(&Issuer::new(), 420).to_string();
    assert!(ring.len() < 16 * 1024, "{} bytes", ring.len());
    let answer = send(&service, json_post("/verify", ring).to_request()).await;
    assert_eq!(answer.status, StatusCode::OK);
    let report = answer.json();
    assert_eq!(report["verified"], false, "{report}");
    assert_eq!(report["authentic"], false, "{report}");
    assert!(
        codes(&report).contains(&"proof.too_complex".to_owned()),
        "{report}"
    );
    let health = send(&service, TestRequest::get().uri("/healthz").to_request()).await;
    assert_eq!(health.status, StatusCode::OK);
}

#[actix_web::test]
async fn a_credential_outside_the_direct_path_still_verifies() {
    // An inline context makes the direct path decline: the request's thread gives
    // the work to the blocking pool, whose general path gives the same verdict as
    // before.
    let service = test::init_service(app(AppState::new(config(false)))).await;
    let issuer = Issuer::new();
    let mut unsigned =
        crate::service::credential(&issuer, "urn:uuid:8c3e0a52-7d61-4f0e-b8a4-2f9d3c1e5a77");
    unsigned["@context"]
        .as_array_mut()
        .expect("contexts")
        .push(json!({"atelier": "https://example.org/vocab#atelier"}));
    unsigned["credentialSubject"]["atelier"] = json!("Atelier numérique");
    let signed = issuer.sign(&unsigned);
    let report = send(
        &service,
        json_post("/verify", signed.to_string()).to_request(),
    )
    .await
    .json();
    assert_eq!(report["verified"], true, "{report}");
    let mut tampered = signed;
    tampered["credentialSubject"]["atelier"] = json!("Autre atelier");
    let report = send(
        &service,
        json_post("/verify", tampered.to_string()).to_request(),
    )
    .await
    .json();
    assert!(
        codes(&report).contains(&"proof.signature_invalid".to_owned()),
        "{report}"
    );
}

#[actix_web::test]
async fn a_credential_with_more_than_eight_proofs_is_not_checked_proof_by_proof() {
    let service = test::init_service(app(AppState::new(config(false)))).await;
    let issuer = Issuer::new();
    let mut signed = issuer.sign(&offline_credential(&issuer));
    let proof = signed["proof"].clone();
    signed["proof"] = Value::Array(vec![proof; 9]);
    let report = send(
        &service,
        json_post("/verify", signed.to_string()).to_request(),
    )
    .await
    .json();
    assert_eq!(report["verified"], false, "{report}");
    assert!(
        codes(&report).contains(&"proof.too_complex".to_owned()),
        "{report}"
    );
}

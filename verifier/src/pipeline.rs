//! The verification pipeline: from bytes to a [`Report`].
//!
//! The checks run in the order of Open Badges 3.0 §9 (verification): schema,
//! proof and key binding, status, validity window, recipient, endorsements.
//! Every check runs even after a failure, so that a report tells the whole
//! story (an expired credential is still shown as authentic, a tampered one
//! still has its dates read). Nothing here touches the network directly:
//! documents come from the [`Resolver`](keys::Resolver) (offline map, or
//! the networked resolver of the service). Open Badges 2.0 assertions are verified by
//! their own rules, in [`crate::ob2`].

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use keys::jwt::JwtClaims;
use keys::PublicKey;
use schemas::IdentityObject;
use serde_json::Value;

use crate::input::{self, CredentialInput, DetectedInput, InputContent, InputError, Source};
use crate::list_memo;
use crate::ob2::{self, HostedAnswer, HostedFetch};
use crate::proof::{self, issuer_id};
use crate::report::{InputFormat, Outcome, Report};
use crate::status::{self, StatusVerdict};
use crate::view::{CredentialView, Generation};

pub use crate::options::VerifyOptions;

/// The Open Badges contexts older than the current 3.0.3: accepted, with a
/// warning, since their terms are a subset of the current one.
const SUPERSEDED_OB_CONTEXTS: [&str; 2] = [
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
];

/// How deep endorsements of endorsements are followed.
const MAX_ENDORSEMENT_DEPTH: usize = 2;

/// At most this many endorsements are checked per credential.
const MAX_ENDORSEMENTS: usize = 16;

/// Why verification could not run at all (as opposed to a credential that
/// does not verify, which is a [`Report`] with failed checks).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The input is not something a credential can be read from.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A URL was given but its document could not be obtained.
    #[error("cannot fetch {url}: {reason}")]
    Fetch {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
}

/// Verifies whatever `bytes` hold: JSON, a compact JWS, a baked PNG or SVG,
/// or the URL of a hosted credential. Hosted Open Badges 2.0 assertions are
/// fetched through `options.resolver`, which cannot tell a `410 Gone`
/// apart: see [`verify_bytes_with`].
pub fn verify_bytes(bytes: &[u8], options: &VerifyOptions<'_>) -> Result<Report, VerifyError> {
    verify_bytes_with(bytes, options, &ob2::ResolverOnly(options.resolver))
}

/// [`verify_bytes`], fetching hosted Open Badges 2.0 assertions (and URLs)
/// through `hosted`, which reports a `410 Gone` (revoked) as such.
pub fn verify_bytes_with(
    bytes: &[u8],
    options: &VerifyOptions<'_>,
    hosted: &dyn HostedFetch,
) -> Result<Report, VerifyError> {
    let detected = match input::detect(bytes) {
        Ok(detected) => detected,
        Err(error) if error.is_not_a_badge() => return Ok(not_a_badge(bytes, &error)),
        Err(error) => return Err(error.into()),
    };
    verify_detected_with(detected, options, hosted)
}

/// The report on an input that was read but holds no badge (a PNG or SVG
/// without a credential, a file that is not JSON...): not verified, with the
/// reason. A verdict, as the rest: only an input that cannot be read at all
/// is a [`VerifyError`].
pub fn not_a_badge(bytes: &[u8], error: &InputError) -> Report {
    let format = input::image_format_of(bytes, error).map(|format| match format {
        crate::bake::ImageFormat::Png => InputFormat::Png,
        crate::bake::ImageFormat::Svg => InputFormat::Svg,
    });
    let mut report = Report::new(format);
    report.push(
        "input",
        "input.not_a_badge",
        Outcome::Failed,
        format!("no badge was found: {error}"),
    );
    report.conclude()
}

/// Verifies an input already classified by [`input::detect`].
pub fn verify_detected(
    detected: DetectedInput,
    options: &VerifyOptions<'_>,
) -> Result<Report, VerifyError> {
    verify_detected_with(detected, options, &ob2::ResolverOnly(options.resolver))
}

/// [`verify_detected`], fetching hosted Open Badges 2.0 assertions (and
/// URLs) through `hosted`.
pub fn verify_detected_with(
    detected: DetectedInput,
    options: &VerifyOptions<'_>,
    hosted: &dyn HostedFetch,
) -> Result<Report, VerifyError> {
    let format = match detected.source {
        Source::Json => Some(InputFormat::Json),
        Source::Jwt => Some(InputFormat::Jwt),
        Source::Png => Some(InputFormat::Png),
        Source::Svg => Some(InputFormat::Svg),
        Source::Url => None,
    };
    match detected.content {
        InputContent::Credential(credential) => Ok(verify_credential(credential, format, options)),
        InputContent::OpenBadges2(assertion) => Ok(ob2::verify(assertion, format, options, hosted)),
        InputContent::Url(url) => {
            let fetch_error = |reason: String| VerifyError::Fetch {
                url: url.clone(),
                reason,
            };
            let document = match hosted.fetch_hosted(&url) {
                Ok(HostedAnswer::Document(document)) => document,
                // A revoked Open Badges 2.0 assertion may still be served.
                Ok(HostedAnswer::Gone {
                    body: Some(document),
                }) => document,
                Ok(_) => return Err(fetch_error("the server answered 410 Gone".into())),
                Err(e) => return Err(fetch_error(e.to_string())),
            };
            let credential = match document {
                Value::String(token) if crate::bake::is_compact_jws(&token) => {
                    let detected = input::detect(token.as_bytes()).map(|d| d.content);
                    if let Ok(InputContent::OpenBadges2(assertion)) = detected {
                        return Ok(ob2::verify(assertion, None, options, hosted));
                    }
                    CredentialInput::Jwt(token)
                }
                Value::Object(_) => {
                    let text = document.to_string();
                    return verify_detected_with(input::detect(text.as_bytes())?, options, hosted);
                }
                _ => {
                    return Err(fetch_error(
                        "the document is neither a credential nor a VC-JWT".into(),
                    ))
                }
            };
            Ok(verify_credential(credential, None, options))
        }
    }
}

/// The N-degree canonicalisation work one verification may do in all, across its
/// proofs, its endorsements and its status lists: twice what one document may
/// (`keys::di::WORK_BUDGET`), so that a credential cannot multiply the bound by its
/// number of proofs or endorsements.
pub const VERIFICATION_WORK_BUDGET: u64 = 2 * keys::di::WORK_BUDGET;

/// Verifies one Open Badges 3.0 credential.
pub fn verify_credential(
    credential: CredentialInput,
    format: Option<InputFormat>,
    options: &VerifyOptions<'_>,
) -> Report {
    keys::di::shared_budget(VERIFICATION_WORK_BUDGET, || {
        run(credential, format, options, 0)
    })
}

fn run(
    credential: CredentialInput,
    format: Option<InputFormat>,
    options: &VerifyOptions<'_>,
    depth: usize,
) -> Report {
    let mut report = Report::new(format);
    let (document, claims) = match credential {
        CredentialInput::Json(document) => {
            // Contexts no proof check would accept: refused before the schema
            // check, whose cost (and messages) grow with the document.
            if let Err(e) = keys::di::check_context_limits(&document) {
                report.push("proof", "proof.too_complex", Outcome::Failed, e.to_string());
                return report.conclude();
            }
            check_schema(&document, &mut report);
            proof::check_embedded_proofs(&document, options.resolver, &mut report);
            (document, None)
        }
        CredentialInput::Jwt(token) => match proof::read_jwt(&token) {
            Ok((jwt, document)) => {
                check_schema(&document, &mut report);
                if !di_proofs_absent(&document) {
                    report.push(
                        "proof",
                        "proof.embedded_in_jwt",
                        Outcome::Warning,
                        "the VC-JWT's credential also embeds a proof; only the JWT signature \
                         is checked",
                    );
                }
                let claims = proof::check_jwt(jwt, options.resolver, &mut report);
                (document, claims)
            }
            Err(e) => {
                report.push(
                    "proof",
                    proof::jwt_error_code(&e),
                    Outcome::Failed,
                    e.to_string(),
                );
                return report.conclude();
            }
        },
    };
    check_status(&document, options, &mut report);
    check_validity(
        &document,
        claims.as_ref(),
        options.now,
        TimeDelta::zero(),
        &mut report,
    );
    if let Some(candidate) = options.recipient {
        check_recipient(&document, candidate, &mut report);
    }
    if depth < MAX_ENDORSEMENT_DEPTH {
        check_endorsements(&document, options, depth, &mut report);
    }
    report.describe(CredentialView::read(&document, Generation::OpenBadges3));
    report.conclude()
}

fn di_proofs_absent(document: &Value) -> bool {
    keys::di::proofs(document).is_empty()
}

fn check_schema(document: &Value, report: &mut Report) {
    let (tolerated, result) = schemas::validate_credential_tolerant(document);
    match result {
        Ok(()) if tolerated.is_empty() => report.push(
            "schema",
            "schema.valid",
            Outcome::Passed,
            "the credential conforms to the Open Badges 3.0 schema",
        ),
        Ok(()) => {}
        Err(e) => report.push("schema", "schema.invalid", Outcome::Failed, e.to_string()),
    }
    push_tolerated(&tolerated, report);
    let contexts = match document.get("@context") {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(single)) => vec![single.as_str()],
        _ => Vec::new(),
    };
    if let Some(old) = contexts
        .iter()
        .find(|url| SUPERSEDED_OB_CONTEXTS.contains(url))
    {
        report.push(
            "schema",
            "schema.context_version",
            Outcome::Warning,
            format!("{old} is a superseded Open Badges context; context-3.0.3.json replaces it"),
        );
    }
}

/// One warning per kind of tolerated deviation, naming where it is (the
/// verification policy, docs/VERIFICATION-POLICY.md, says why each is
/// tolerated).
fn push_tolerated(tolerated: &[schemas::Tolerated], report: &mut Report) {
    use schemas::Tolerance;
    let kinds = [
        (
            Tolerance::SubjectUnidentified,
            "schema.subject_unidentified",
            "the credential does not say who it was awarded to (its subject has neither id nor identifier)",
        ),
        (
            Tolerance::ImageAsUrl,
            "schema.image_as_url",
            "an image is given as a plain URL instead of an Image object",
        ),
        (
            Tolerance::AchievementTypeUnlisted,
            "schema.achievement_type_unlisted",
            "the achievement type is outside the Open Badges vocabulary and lacks the ext: prefix",
        ),
    ];
    for (tolerance, code, message) in kinds {
        let paths: Vec<&str> = tolerated
            .iter()
            .filter(|t| t.tolerance == tolerance)
            .map(|t| t.path.as_str())
            .collect();
        if !paths.is_empty() {
            report.push(
                "schema",
                code,
                Outcome::Warning,
                format!("{message}: {}", paths.join(", ")),
            );
        }
    }
}

/// The credential's status entries, whatever their number.
fn status_entries(document: &Value) -> Vec<&Value> {
    match document.get("credentialStatus") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(entries)) => entries.iter().collect(),
        Some(entry) => vec![entry],
    }
}

/// The URLs of the status lists the credential's entries name (the
/// documents `check_status` will resolve), read without verifying anything.
pub fn status_list_urls(document: &Value) -> Vec<&str> {
    status_entries(document)
        .into_iter()
        .filter_map(|entry| {
            let types = types_of(entry);
            let member = if types.contains(&"1EdTechRevocationList") {
                "id"
            } else {
                "statusListCredential"
            };
            entry.get(member).and_then(Value::as_str)
        })
        .collect()
}

fn check_status(document: &Value, options: &VerifyOptions<'_>, report: &mut Report) {
    let entries = status_entries(document);
    if entries.is_empty() {
        report.push(
            "status",
            "status.none",
            Outcome::Skipped,
            "the credential publishes no status: it cannot be revoked",
        );
        return;
    }
    let issuer = issuer_id(document);
    for entry in entries {
        let (verdict, signer) = judge_entry(document, entry, options);
        if let Some(signer) = signer.filter(|signer| Some(signer.as_str()) != issuer) {
            report.push_detailed(
                "status",
                "status.list_other_issuer",
                Outcome::Warning,
                format!(
                    "the status list is signed by {signer}, not by the credential's issuer {}",
                    issuer.unwrap_or("(none)")
                ),
                signer,
            );
        }
        match verdict {
            StatusVerdict::Clear { purpose } => report.push(
                "status",
                if purpose == "suspension" {
                    "status.not_suspended"
                } else {
                    "status.not_revoked"
                },
                Outcome::Passed,
                format!("the issuer's {purpose} list does not list this credential"),
            ),
            StatusVerdict::Revoked { reason } => report.push(
                "status",
                "status.revoked",
                Outcome::Failed,
                match reason {
                    Some(reason) => format!("the issuer revoked this credential: {reason}"),
                    None => "the issuer revoked this credential".to_string(),
                },
            ),
            StatusVerdict::Suspended => report.push(
                "status",
                "status.suspended",
                Outcome::Failed,
                "the issuer has suspended this credential",
            ),
            StatusVerdict::Unavailable(why) => report.push(
                "status",
                "status.unavailable",
                Outcome::Failed,
                format!("whether the credential is revoked cannot be established: {why}"),
            ),
        }
    }
}

fn types_of(value: &Value) -> Vec<&str> {
    match value.get("type") {
        Some(Value::String(single)) => vec![single.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Judges one status entry; with a Bitstring Status List, also says who
/// signed the list (the Bitstring Status List specification, §2.2, lets it
/// be another identity than the credential's issuer).
fn judge_entry(
    document: &Value,
    entry: &Value,
    options: &VerifyOptions<'_>,
) -> (StatusVerdict, Option<String>) {
    let types = types_of(entry);
    if types.contains(&"BitstringStatusListEntry") {
        let Some(list_url) = entry.get("statusListCredential").and_then(Value::as_str) else {
            let why = "the entry names no statusListCredential";
            return (StatusVerdict::Unavailable(why.into()), None);
        };
        match options.resolver.resolve(list_url) {
            Ok(list) => judge_bitstring(entry, list_url, list, options),
            Err(e) => (StatusVerdict::Unavailable(e.to_string()), None),
        }
    } else if types.contains(&"1EdTechRevocationList") {
        let Some(list_url) = entry.get("id").and_then(Value::as_str) else {
            let why = "the entry names no revocation list";
            return (StatusVerdict::Unavailable(why.into()), None);
        };
        let verdict = match options.resolver.resolve(list_url) {
            Ok(list) => {
                status::judge_revocation_list(document.get("id").and_then(Value::as_str), &list)
            }
            Err(e) => StatusVerdict::Unavailable(e.to_string()),
        };
        (verdict, None)
    } else {
        let why = format!("status type {types:?} is not one this verifier reads");
        (StatusVerdict::Unavailable(why), None)
    }
}

/// Judges a Bitstring Status List entry against the list fetched from
/// `list_url`, and says who signed the list. A list this process verified
/// before, the very same document, whose issuer still binds the same keys
/// and which is still current, is not checked nor inflated again
/// ([`list_memo`]); any other is verified in full, then kept.
fn judge_bitstring(
    entry: &Value,
    list_url: &str,
    list: Value,
    options: &VerifyOptions<'_>,
) -> (StatusVerdict, Option<String>) {
    if let Some(kept) = list_memo::lookup(list_url, &list) {
        if kept_list_holds(&kept, options) {
            let signer = issuer_id(&kept.document).map(str::to_owned);
            let verdict = status::judge_bits(entry, kept.purpose.as_deref(), &kept.bits);
            return (verdict, signer);
        }
    }
    let embedded_proofs = list.is_object();
    let list = match authentic_list(list, options) {
        Ok(list) => list,
        Err(why) => return (StatusVerdict::Unavailable(why), None),
    };
    let signer = issuer_id(&list).map(str::to_owned);
    let bits = match status::list_bits(&list) {
        Ok(bits) => bits,
        Err(why) => return (StatusVerdict::Unavailable(why), signer),
    };
    let verdict = status::judge_bits(entry, status::list_purpose(&list), &bits);
    let keys = embedded_proofs
        .then(|| proof_keys(&list, options))
        .flatten();
    if let Some(keys) = keys {
        list_memo::store(
            list_url,
            list_memo::VerifiedList {
                purpose: status::list_purpose(&list).map(str::to_owned),
                keys,
                bits,
                document: list,
            },
        );
    }
    (verdict, signer)
}

/// The key each Data Integrity proof of an authentic list was checked with,
/// bound to the list's issuer; `None` when one cannot be named.
fn proof_keys(list: &Value, options: &VerifyOptions<'_>) -> Option<Vec<(String, PublicKey)>> {
    let signer = issuer_id(list)?;
    let proofs = keys::di::proofs(list);
    if proofs.is_empty() {
        return None;
    }
    proofs
        .into_iter()
        .map(|proof| {
            let method = keys::di::proof_verification_method(proof)?;
            let key = keys::resolve_verification_key(options.resolver, signer, method).ok()?;
            Some((method.to_owned(), key))
        })
        .collect()
}

/// Whether a kept list still speaks for the credential: its issuer still
/// binds each of its proofs' keys (asked again through this verification's
/// resolver) and it is current at `options.now`.
fn kept_list_holds(kept: &list_memo::VerifiedList, options: &VerifyOptions<'_>) -> bool {
    let Some(signer) = issuer_id(&kept.document) else {
        return false;
    };
    let bound = kept.keys.iter().all(|(method, key)| {
        keys::resolve_verification_key(options.resolver, signer, method)
            .is_ok_and(|bound| bound == *key)
    });
    let mut window = Report::new(None);
    check_validity(
        &kept.document,
        None,
        options.now,
        LIST_CLOCK_SKEW,
        &mut window,
    );
    bound && !window.has_failure()
}

/// How far in the future a status list's `validFrom` may be. Issuers sign
/// their lists when asked (ours does, after each revocation), so a list made
/// a moment ago on a clock slightly ahead of ours is the freshest news about
/// the credential, not a reason to ignore it.
const LIST_CLOCK_SKEW: TimeDelta = TimeDelta::minutes(5);

/// A status list is only believed when it is authentic (its own proof
/// holds, with a key bound to the list's own issuer) and current: anyone
/// could otherwise publish a list that clears a revoked credential. Its
/// issuer may differ from the credential's (Bitstring Status List §2.2:
/// "the issuers MAY differ"); the caller names it in a warning. Only the
/// credential, whose signature covers the list's URL, decides which list
/// speaks for it.
fn authentic_list(list: Value, options: &VerifyOptions<'_>) -> Result<Value, String> {
    let mut scratch = Report::new(None);
    let (document, claims) = match list {
        Value::String(token) => {
            let (jwt, document) = proof::read_jwt(&token).map_err(|e| e.to_string())?;
            let claims = proof::check_jwt(jwt, options.resolver, &mut scratch);
            (document, claims)
        }
        document => {
            proof::check_embedded_proofs(&document, options.resolver, &mut scratch);
            (document, None)
        }
    };
    let scratch = scratch.conclude();
    if !scratch.authentic {
        let why = scratch
            .checks
            .iter()
            .find(|c| c.outcome == Outcome::Failed)
            .map_or("no valid proof".to_string(), |c| c.message.clone());
        return Err(format!("the status list is not authentic ({why})"));
    }
    let mut window = Report::new(None);
    check_validity(
        &document,
        claims.as_ref(),
        options.now,
        LIST_CLOCK_SKEW,
        &mut window,
    );
    if window.has_failure() {
        return Err("the status list is out of date".into());
    }
    Ok(document)
}

fn parse_time(value: &Value) -> Option<Result<DateTime<FixedOffset>, String>> {
    let text = value.as_str()?;
    Some(DateTime::parse_from_rfc3339(text).map_err(|e| format!("{text:?}: {e}")))
}

/// Compares the validity window with `now`. The VC 2.0 names win over the
/// VC 1.1 ones; a VC-JWT's `nbf`/`exp`, already checked against the
/// credential by `keys::jwt`, also bound the window. A start up to `skew`
/// after `now` is accepted.
fn check_validity(
    document: &Value,
    claims: Option<&JwtClaims>,
    now: DateTime<Utc>,
    skew: TimeDelta,
    report: &mut Report,
) {
    let read = |names: [&str; 2]| {
        names
            .iter()
            .find_map(|name| document.get(*name))
            .and_then(parse_time)
    };
    let from = match read(["validFrom", "issuanceDate"]) {
        Some(Ok(from)) => Some(from.with_timezone(&Utc)),
        Some(Err(why)) => {
            report.push("validity", "validity.invalid_date", Outcome::Failed, why);
            return;
        }
        None => None,
    };
    let until = match read(["validUntil", "expirationDate"]) {
        Some(Ok(until)) => Some(until.with_timezone(&Utc)),
        Some(Err(why)) => {
            report.push("validity", "validity.invalid_date", Outcome::Failed, why);
            return;
        }
        None => None,
    };
    let from = from.max(claims.and_then(JwtClaims::not_before));
    let until = match (until, claims.and_then(JwtClaims::expires_at)) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    if let Some(from) = from.filter(|from| now + skew < *from) {
        report.push(
            "validity",
            "validity.not_yet_valid",
            Outcome::Failed,
            format!("the credential is valid only from {}", from.to_rfc3339()),
        );
    } else if let Some(until) = until.filter(|until| now > *until) {
        report.push(
            "validity",
            "validity.expired",
            Outcome::Failed,
            format!("the credential expired on {}", until.to_rfc3339()),
        );
    } else {
        report.push(
            "validity",
            "validity.current",
            Outcome::Passed,
            match until {
                Some(until) => format!("valid until {}", until.to_rfc3339()),
                None => "valid, with no end date".to_string(),
            },
        );
    }
}

fn subjects(document: &Value) -> Vec<&Value> {
    match document.get("credentialSubject") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(subject @ Value::Object(_)) => vec![subject],
        _ => Vec::new(),
    }
}

fn check_recipient(document: &Value, candidate: &str, report: &mut Report) {
    let candidate = candidate.trim();
    let mut any_identity = false;
    let mut matched = false;
    for subject in subjects(document) {
        if let Some(id) = subject.get("id").and_then(Value::as_str) {
            any_identity = true;
            let mailto = id.strip_prefix("mailto:").unwrap_or(id);
            matched |= id == candidate || mailto.eq_ignore_ascii_case(candidate);
        }
        let identifiers = match subject.get("identifier") {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(single @ Value::Object(_)) => vec![single],
            _ => Vec::new(),
        };
        for identifier in identifiers {
            if let Ok(identity) = serde_json::from_value::<IdentityObject>(identifier.clone()) {
                any_identity = true;
                matched |= identity.matches(candidate);
            }
        }
    }
    if matched {
        report.push(
            "recipient",
            "recipient.match",
            Outcome::Passed,
            "the credential was awarded to this person",
        );
    } else if any_identity {
        report.push(
            "recipient",
            "recipient.mismatch",
            Outcome::Failed,
            "the credential was not awarded to this identity",
        );
    } else {
        report.push(
            "recipient",
            "recipient.unidentified",
            Outcome::Failed,
            "the credential does not identify its recipient, so no one can be matched",
        );
    }
}

fn check_endorsements(
    document: &Value,
    options: &VerifyOptions<'_>,
    depth: usize,
    report: &mut Report,
) {
    let mut endorsements: Vec<CredentialInput> = Vec::new();
    let mut collect = |holder: Option<&Value>| {
        let Some(holder) = holder else { return };
        if let Some(Value::Array(items)) = holder.get("endorsement") {
            endorsements.extend(items.iter().cloned().map(CredentialInput::Json));
        }
        if let Some(Value::Array(items)) = holder.get("endorsementJwt") {
            endorsements.extend(
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|token| CredentialInput::Jwt(token.to_string())),
            );
        }
    };
    collect(Some(document));
    for subject in subjects(document) {
        collect(subject.get("achievement"));
    }
    for (index, endorsement) in endorsements.into_iter().enumerate() {
        if index == MAX_ENDORSEMENTS {
            report.push(
                "endorsement",
                "endorsement.too_many",
                Outcome::Warning,
                format!("only the first {MAX_ENDORSEMENTS} endorsements were checked"),
            );
            break;
        }
        let nested = run(endorsement, None, options, depth + 1);
        if nested.verified {
            report.push(
                "endorsement",
                "endorsement.valid",
                Outcome::Passed,
                format!(
                    "endorsement by {} verified",
                    nested.credential.issuer_id.as_deref().unwrap_or("?")
                ),
            );
        } else {
            let failed: Vec<&str> = nested
                .checks
                .iter()
                .filter(|c| c.outcome == Outcome::Failed)
                .map(|c| c.code)
                .collect();
            report.push(
                "endorsement",
                "endorsement.invalid",
                Outcome::Warning,
                format!(
                    "an endorsement does not verify ({}); it is ignored",
                    failed.join(", ")
                ),
            );
        }
    }
}

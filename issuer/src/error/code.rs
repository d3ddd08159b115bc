//! The stable codes of error bodies: `{"error": "<code>", ...}`.
//!
//! One enum, so that a code cannot be misspelt at the place that answers it
//! and the list in `issuer/openapi.json` can be checked against it (see the
//! test below). The variants are declared through [`error_codes!`], which
//! also builds [`ErrorCode::ALL`] and [`ErrorCode::as_str`] from the same
//! list: a variant cannot be left out of either.

use serde::Serialize;

/// Declares [`ErrorCode`] with its wire names, [`ErrorCode::ALL`] and
/// [`ErrorCode::as_str`] from one list.
macro_rules! error_codes {
    ($($(#[doc = $doc:expr])+ $variant:ident = $wire:literal,)+) => {
        /// The code of an error body's `error` field, serialised in
        /// snake_case. Each variant says when it is answered.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($(#[doc = $doc])+ $variant,)+
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ErrorCode] = &[$(Self::$variant,)+];

            /// The code as it appears in the body's `error` field.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire,)+
                }
            }
        }
    };
}

error_codes! {
    /// A text field holds a control character (400); the body names the field.
    ControlCharacter = "control_character",
    /// No valid session or API token (401).
    Unauthenticated = "unauthenticated",
    /// Authenticated, but the role or the CSRF token does not allow it (403).
    Forbidden = "forbidden",
    /// The thing or the route does not exist, or is not the caller's to see (404).
    NotFound = "not_found",
    /// The body or an upload is larger than the limit (413).
    PayloadTooLarge = "payload_too_large",
    /// The request's content type is not the one expected (415).
    UnsupportedMediaType = "unsupported_media_type",
    /// Too many attempts from the same client or account; retry later (429).
    TooManyRequests = "too_many_requests",
    /// Anything unexpected (500); the cause is logged, never answered.
    Internal = "internal",
    /// A unique value (a slug, an email) is already stored (409).
    AlreadyExists = "already_exists",
    /// The JSON body does not parse or does not match the request type (400).
    InvalidJson = "invalid_json",
    /// The body could not be read, or a JSON body is malformed in a way
    /// other than its syntax (400).
    InvalidBody = "invalid_body",
    /// The query string does not match what the route takes (400).
    InvalidQuery = "invalid_query",
    /// A path parameter does not match what the route takes (400).
    InvalidPath = "invalid_path",
    /// A multipart or URL-encoded form cannot be read (400).
    InvalidForm = "invalid_form",
    /// An image upload has no `file` field (400).
    MissingFile = "missing_file",
    /// An image is heavier or larger in pixels than allowed (413).
    ImageTooLarge = "image_too_large",
    /// An image is neither PNG, JPEG nor SVG (415).
    ImageUnsupportedFormat = "image_unsupported_format",
    /// An image looks like PNG, JPEG or SVG but cannot be read (400).
    ImageUndecodable = "image_undecodable",
    /// An SVG image could run code or fetch something (400).
    SvgUnsafe = "svg_unsafe",
    /// Wrong email or password at login (400).
    InvalidCredentials = "invalid_credentials",
    /// A password is shorter or longer than allowed (400).
    WeakPassword = "weak_password",
    /// An email address is malformed (400).
    InvalidEmail = "invalid_email",
    /// A user with this email already exists (409).
    EmailTaken = "email_taken",
    /// A name (user, organisation, API token) is empty or too long (400).
    InvalidName = "invalid_name",
    /// An organisation slug is malformed (400).
    InvalidSlug = "invalid_slug",
    /// An organisation slug is already in use (409).
    SlugTaken = "slug_taken",
    /// An organisation's description is too long (400).
    InvalidDescription = "invalid_description",
    /// A URL (an organisation's site) is malformed (400).
    InvalidUrl = "invalid_url",
    /// An organisation cannot join this network (400).
    InvalidNetwork = "invalid_network",
    /// A key algorithm is not one the issuer signs with (400).
    InvalidAlgorithm = "invalid_algorithm",
    /// A field of an achievement or a workshop is empty, too long or malformed (400).
    InvalidField = "invalid_field",
    /// An achievement type is not in the Open Badges vocabulary (400).
    InvalidAchievementType = "invalid_achievement_type",
    /// An alignment names a framework the issuer does not know (400).
    UnknownFramework = "unknown_framework",
    /// An alignment names a competence its framework lacks (400).
    UnknownCompetence = "unknown_competence",
    /// An achievement names an image the organisation does not have (400).
    UnknownImage = "unknown_image",
    /// An award's recipient name is empty or too long (400).
    InvalidRecipientName = "invalid_recipient_name",
    /// An award's recipient email is malformed (400).
    InvalidRecipientEmail = "invalid_recipient_email",
    /// An award's recipient language is not one the issuer writes (400).
    InvalidRecipientLanguage = "invalid_recipient_language",
    /// An award's narrative is too long (400).
    InvalidNarrative = "invalid_narrative",
    /// An award's evidence URL is malformed (400).
    InvalidEvidenceUrl = "invalid_evidence_url",
    /// An `Idempotency-Key` is malformed (400).
    InvalidIdempotencyKey = "invalid_idempotency_key",
    /// The credential an award would carry does not conform to Open Badges
    /// 3.0, for instance because of the achievement's fields (400).
    InvalidCredential = "invalid_credential",
    /// A CSV file has problems; the body lists them by row (400).
    InvalidCsv = "invalid_csv",
    /// The person was already awarded this badge; the badge page asks
    /// before awarding again (409).
    AlreadyAwarded = "already_awarded",
    /// A revocation reason is empty or too long (400).
    InvalidReason = "invalid_reason",
    /// The award is already revoked (409).
    AlreadyRevoked = "already_revoked",
    /// The award is revoked, so its e-mail is not sent again (409).
    AwardRevoked = "award_revoked",
    /// The credential was revoked (410); the body gives the reason.
    Revoked = "revoked",
    /// The award has no email address to send to (409).
    NoAddress = "no_address",
    /// No SMTP server is configured, so no e-mail can be sent (409).
    SmtpNotConfigured = "smtp_not_configured",
    /// A participant's language is not one the issuer writes (400).
    InvalidLanguage = "invalid_language",
    /// The person is already on the workshop's list; the workshop page
    /// asks before adding them again (409).
    DuplicateParticipant = "duplicate_participant",
    /// A workshop has as many participants as it may (400).
    TooManyParticipants = "too_many_participants",
    /// An attendance mark names a participant or a session the workshop lacks (400).
    UnknownAttendance = "unknown_attendance",
    /// An attendance sheet carries more marks than the workshop can have (400).
    TooManyMarks = "too_many_marks",
    /// The workshop changed while its awards were being made (409).
    WorkshopChanged = "workshop_changed",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn serde_and_as_str_agree_on_every_code() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, code.as_str(), "{code:?}");
        }
    }

    /// The `enum` of the error body's `error` property in the OpenAPI
    /// document: the codes a client is told to expect.
    fn documented_codes() -> Vec<String> {
        let document: serde_json::Value =
            serde_json::from_str(include_str!("../../openapi.json")).unwrap();
        let codes = document
            .pointer("/components/schemas/Error/properties/error/enum")
            .and_then(serde_json::Value::as_array)
            .expect("the Error schema lists its codes in an enum");
        codes
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn every_code_is_in_the_openapi_document() {
        let documented = documented_codes();
        for code in ErrorCode::ALL {
            assert!(
                documented.iter().any(|d| d == code.as_str()),
                "{code} is missing from the Error schema of issuer/openapi.json"
            );
        }
    }

    #[test]
    fn the_openapi_document_lists_no_other_code() {
        for documented in documented_codes() {
            assert!(
                ErrorCode::ALL.iter().any(|c| c.as_str() == documented),
                "issuer/openapi.json lists {documented}, which ErrorCode lacks"
            );
        }
    }

    #[test]
    fn codes_are_distinct() {
        let names: std::collections::BTreeSet<_> =
            ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), ErrorCode::ALL.len());
    }
}

//! The OpenAPI document served at `/openapi.json` (`issuer/openapi.json`).
//!
//! Its paths are written by hand beside the routes; its component schemas are
//! derived from the request and response types themselves (`utoipa`'s
//! `ToSchema`, descriptions from their `///` comments), so that a field added,
//! renamed or retyped in Rust changes the document too. The one exception is
//! [`HAND_WRITTEN`]: the error body, which `ApiError` builds by hand.
//!
//! The committed file is checked against [`schemas()`] by this module's tests;
//! `ISSUER_WRITE_OPENAPI=1 cargo test -p issuer --lib openapi` rewrites its
//! components after a change to a type.

use serde_json::{Map, Value};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{OpenApi as _, ToSchema};

use crate::routes::account::{
    CreateTokenRequest, CreatedToken, LoginRequest, LoginResponse, MeResponse, MembershipView,
};
use crate::routes::awards::{
    AwardInput, CsvAnswer, CsvImported, CsvPreview, CsvRefused, ReadAs, RevokeInput,
    SkippedByReason,
};
use crate::routes::images::StoredImage;
use crate::routes::organisations::{MemberRequest, RotateRequest};
use crate::routes::workshops::{AttendanceBody, AttendanceInput, WorkshopAwarded};

/// The committed document, as served.
pub const DOCUMENT: &str = include_str!("../openapi.json");

/// Component schemas kept as written in the document rather than derived.
pub const HAND_WRITTEN: [&str; 1] = ["Error"];

/// Every type a path of the document refers to.
#[derive(utoipa::OpenApi)]
#[openapi(components(schemas(
    LoginRequest,
    LoginResponse,
    MeResponse,
    MembershipView,
    CreateTokenRequest,
    CreatedToken,
    crate::orgs::ProfileInput,
    RotateRequest,
    MemberRequest,
    crate::achievements::AchievementInput,
    crate::achievements::AlignmentInput,
    StoredImage,
    AwardInput,
    RevokeInput,
    crate::awards::AwardView,
    crate::workshops::NewWorkshop,
    crate::workshops::NewParticipant,
    AttendanceBody,
    AttendanceInput,
    crate::workshops::Mark,
    crate::workshops::MarkChange,
    crate::workshops::SessionUpdate,
    crate::auth::ApiTokenInfo,
    crate::orgs::OrganisationView,
    crate::org_keys::PublicKeyInfo,
    crate::audit::AuditEntry,
    crate::achievements::AchievementView,
    crate::workshops::Workshop,
    crate::workshops::WorkshopDetail,
    crate::workshops::Session,
    crate::workshops::Participant,
    crate::workshops::ParticipantAttendance,
    WorkshopAwarded,
    crate::workshops::Skipped,
    crate::delivery::DeliveryCounts,
    CsvAnswer,
    CsvRefused,
    CsvPreview,
    CsvImported,
    ReadAs,
    SkippedByReason,
    crate::awards::csv::RowError,
    crate::awards::csv::FlaggedRow,
    crate::awards::csv_format::ColumnUse,
)))]
struct Derived;

/// The members whose one value tells the answers of `POST .../awards/csv`
/// apart (schema, member, value). `CsvAnswer` is a `oneOf`, and a preview
/// holds every member a refusal requires: without these, a validator finds
/// a preview to be both and refuses it. The types always write these values;
/// `tests/it/openapi.rs` checks real answers against the document.
const CSV_ANSWER_VALUES: [(&str, &str, bool); 5] = [
    ("CsvRefused", "dry_run", true),
    ("CsvRefused", "valid", false),
    ("CsvPreview", "dry_run", true),
    ("CsvPreview", "valid", true),
    ("CsvImported", "dry_run", false),
];

/// The component schemas derived from the types, by name.
pub fn schemas() -> Map<String, Value> {
    let components = Derived::openapi().components.unwrap_or_default();
    let mut schemas: Map<String, Value> = components
        .schemas
        .into_iter()
        .map(|(name, schema)| {
            // A schema is plain data: it always serialises.
            let value = serde_json::to_value(schema).unwrap_or_default();
            (name, value)
        })
        .collect();
    for (schema, member, value) in CSV_ANSWER_VALUES {
        let path = format!("/{schema}/properties/{member}");
        if let Some(Value::Object(property)) = schemas_pointer(&mut schemas, &path) {
            property.insert("enum".into(), Value::Array(vec![Value::Bool(value)]));
        }
    }
    schemas
}

/// The value at `path` (a JSON pointer) in `schemas`.
fn schemas_pointer<'a>(schemas: &'a mut Map<String, Value>, path: &str) -> Option<&'a mut Value> {
    let (name, rest) = path.strip_prefix('/')?.split_once('/')?;
    schemas.get_mut(name)?.pointer_mut(&format!("/{rest}"))
}

/// `document` with its derived component schemas replaced by [`schemas()`]:
/// the hand-written ones first, then the derived ones by name.
pub fn regenerated(document: &Value) -> Value {
    let mut document = document.clone();
    let written = &document["components"]["schemas"];
    let mut merged: Map<String, Value> = HAND_WRITTEN
        .iter()
        .filter_map(|name| Some((name.to_string(), written.get(*name)?.clone())))
        .collect();
    merged.extend(schemas());
    document["components"]["schemas"] = Value::Object(merged);
    document
}

/// `T`'s schema (an enum of strings), nullable as OpenAPI 3.0 spells it:
/// `nullable`, and `null` among the values.
fn nullable_enum<'s, T: ToSchema<'s>>() -> RefOr<Schema> {
    match T::schema().1 {
        RefOr::T(Schema::Object(mut object)) => {
            object.nullable = true;
            if let Some(values) = &mut object.enum_values {
                values.push(Value::Null);
            }
            RefOr::T(Schema::Object(object))
        }
        other => other,
    }
}

/// [`crate::delivery::DeliveryStatus`] or `null` (not recorded).
pub fn nullable_delivery_status() -> RefOr<Schema> {
    nullable_enum::<crate::delivery::DeliveryStatus>()
}

/// [`crate::awards::csv_format::Field`] or `null` (a column left aside).
pub fn nullable_csv_field() -> RefOr<Schema> {
    nullable_enum::<crate::awards::csv_format::Field>()
}

/// [`crate::mailer::FailureReason`] or `null` (no failure).
pub fn nullable_failure_reason() -> RefOr<Schema> {
    nullable_enum::<crate::mailer::FailureReason>()
}

#[cfg(test)]
mod tests;

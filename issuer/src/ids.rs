//! Typed ids for the values that travel together through the domain
//! functions: an organisation (its internal id and its URL name), an award,
//! an achievement, a workshop and one of its sessions.
//!
//! They exist so that the compiler refuses swapped arguments: a function
//! taking `(org_id: &OrgId, award_id: &AwardId, reason: &str)` cannot be
//! given the reason as the award, nor an achievement's id as an award's, nor
//! a user's id as the organisation's (`users::role_in`). A handler builds
//! them once, from the request path (they deserialise from a plain string,
//! so `web::Path<(OrgSlug, AwardId)>` works). Each is also a diesel `Text`
//! value on both backends, so a query compares a column with it directly
//! (`organisations::id.eq(org_id)`) and a row can hold one (`Organisation`'s
//! `id` and `slug`). Rows that do not hold a typed id keep a plain `String`,
//! converted with `as_str()`.
//!
//! They deliberately do not `Deref` to `str`: a typed id would then be
//! accepted wherever any `&str` is, including another id's place. Who acted
//! (a user's id, or the command line) travels the same way, as
//! [`crate::audit::Actor`], beside the audit entry it is recorded in.
//!
//! ```
//! use issuer::ids::AwardId;
//! fn revoke(_award: &AwardId, _reason: &str) {}
//! revoke(&AwardId::from("a1"), "given by mistake");
//! ```
//!
//! Given an achievement's id in the award's place, the call does not compile:
//!
//! ```compile_fail,E0308
//! use issuer::ids::{AchievementId, AwardId};
//! fn revoke(_award: &AwardId, _reason: &str) {}
//! revoke(&AchievementId::from("a1"), "given by mistake");
//! ```

use std::fmt;

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;
use serde::{Deserialize, Serialize};

/// Declares a string id newtype with its conversions.
macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[serde(transparent)]
        #[diesel(sql_type = Text)]
        pub struct $name(String);

        impl<DB> ToSql<Text, DB> for $name
        where
            DB: Backend,
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                self.0.as_str().to_sql(out)
            }
        }

        impl<DB> FromSql<Text, DB> for $name
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                String::from_sql(bytes).map(Self)
            }
        }

        impl $name {
            /// The id as stored and written in URLs.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id as an owned string, for a row.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }
    };
}

string_id!(
    /// An organisation's internal id (UUID): the `organisations` row, never
    /// shown in a URL.
    OrgId
);

string_id!(
    /// An organisation's URL name (`/orgs/{slug}`), unique; checked by
    /// [`crate::orgs::validate_slug`] when an organisation is created.
    OrgSlug
);

string_id!(
    /// An award's internal id (UUID): the `awards` row, not its public token.
    AwardId
);

string_id!(
    /// An achievement's id (UUID), the same for all its versions.
    AchievementId
);

string_id!(
    /// A workshop's id (UUID).
    WorkshopId
);

string_id!(
    /// The id (UUID) of one session of a workshop.
    SessionId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_reads_and_writes_as_a_plain_string() {
        let id: AwardId = serde_json::from_str("\"a-1\"").unwrap();
        assert_eq!(id.as_str(), "a-1");
        assert_eq!(id.to_string(), "a-1");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"a-1\"");
        assert_eq!(String::from(id), "a-1");
    }
}

//! Facilitator accounts and their membership of organisations.
//!
//! Passwords are hashed with argon2id (PHC string, per-user salt). A user
//! belongs to organisations with a [`Role`]: `admin` configures the
//! organisation (profile, keys, members), `facilitator` awards and revokes.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use diesel::prelude::*;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::db::schema::{memberships, users};
use crate::db::{DbConnection, DbError};
use crate::ids::OrgId;
use crate::text::TextError;
use crate::time::{new_id, now};

/// Why a user could not be created.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UserError {
    /// The password is shorter or longer than allowed.
    #[error("password: {MIN_PASSWORD_LEN} to {MAX_PASSWORD_LEN} characters")]
    WeakPassword,
    /// The email is not an e-mail address.
    #[error("email: not an email address")]
    InvalidEmail,
    /// The display name is empty or longer than 200 characters.
    #[error("display_name: 1 to 200 characters")]
    InvalidName,
    /// Another user has this email.
    #[error("a user with this email exists")]
    EmailTaken,
    /// argon2 failed to hash (a bug, never the caller's fault).
    #[error("argon2: {0}")]
    Hashing(String),
    /// A text field holds a control character.
    #[error(transparent)]
    Text(#[from] TextError),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<diesel::result::Error> for UserError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Database(e.into())
    }
}

/// Shortest accepted password.
pub const MIN_PASSWORD_LEN: usize = 10;
/// Longest accepted password (bounds hashing work).
pub const MAX_PASSWORD_LEN: usize = 256;

/// A member's role in an organisation.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Awards, revokes and reads the organisation's badges and awards.
    Facilitator,
    /// Everything a facilitator does, plus profile, keys and members.
    Admin,
}

impl Role {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Facilitator => "facilitator",
            Self::Admin => "admin",
        }
    }

    /// Parses a stored or requested name.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "facilitator" => Some(Self::Facilitator),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

/// A stored user.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct User {
    /// User id.
    pub id: String,
    /// Login email, lowercase.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Created, Unix seconds.
    pub created_at: i64,
}

/// A membership row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = memberships)]
pub struct Membership {
    /// The user.
    pub user_id: String,
    /// The organisation.
    pub org_id: OrgId,
    /// [`Role::as_str`].
    pub role: String,
    /// Created, Unix seconds.
    pub created_at: i64,
}

/// A request to create a user.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    /// Login email.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Password, at least [`MIN_PASSWORD_LEN`] characters.
    pub password: SecretString,
}

/// A plausibility check, not RFC 5322: one `@`, non-empty parts, a dot in
/// the domain, no spaces, bounded length.
pub fn looks_like_email(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    value.len() <= 254
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.contains(char::is_whitespace)
        && !domain.contains('@')
}

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &SecretString) -> Result<String, UserError> {
    let length = password.expose_secret().chars().count();
    if !(MIN_PASSWORD_LEN..=MAX_PASSWORD_LEN).contains(&length) {
        return Err(UserError::WeakPassword);
    }
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default()
        .hash_password(password.expose_secret().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| UserError::Hashing(e.to_string()))
}

/// Whether `password` matches the stored hash.
pub fn verify_password(password: &SecretString, hash: &str) -> bool {
    if password.expose_secret().len() > MAX_PASSWORD_LEN * 4 {
        return false;
    }
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.expose_secret().as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Creates a user; the email must be unused.
pub fn create(conn: &mut DbConnection, new: NewUser) -> Result<User, UserError> {
    let email = crate::text::line("email", &new.email)?.to_lowercase();
    if !looks_like_email(&email) {
        return Err(UserError::InvalidEmail);
    }
    let display_name = crate::text::line("display_name", &new.display_name)?;
    if display_name.is_empty() || display_name.chars().count() > 200 {
        return Err(UserError::InvalidName);
    }
    let user = User {
        id: new_id(),
        email,
        display_name,
        password_hash: hash_password(&new.password)?,
        created_at: now(),
    };
    crate::db::write_transaction(conn, |conn| {
        if by_email(conn, &user.email)?.is_some() {
            return Err(UserError::EmailTaken);
        }
        diesel::insert_into(users::table)
            .values(&user)
            .execute(conn)?;
        Ok(user.clone())
    })
}

/// The user with this email (case-insensitive), if any.
pub fn by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email.trim().to_lowercase()))
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// The user with this id.
pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<User> {
    users::table.find(id).select(User::as_select()).first(conn)
}

/// Adds or changes a membership.
pub fn set_membership(
    conn: &mut DbConnection,
    user_id: &str,
    org_id: &OrgId,
    role: Role,
) -> QueryResult<()> {
    crate::db::write_transaction(conn, |conn| {
        let updated = diesel::update(memberships::table.find((user_id, org_id)))
            .set(memberships::role.eq(role.as_str()))
            .execute(conn)?;
        if updated == 0 {
            let row = Membership {
                user_id: user_id.into(),
                org_id: org_id.clone(),
                role: role.as_str().into(),
                created_at: now(),
            };
            diesel::insert_into(memberships::table)
                .values(&row)
                .execute(conn)?;
        }
        Ok(())
    })
}

/// The user's role in an organisation, if a member.
pub fn role_in(
    conn: &mut DbConnection,
    user_id: &str,
    org_id: &OrgId,
) -> QueryResult<Option<Role>> {
    let role: Option<String> = memberships::table
        .find((user_id, org_id))
        .select(memberships::role)
        .first(conn)
        .optional()?;
    Ok(role.as_deref().and_then(Role::parse))
}

/// Every membership of a user.
pub fn memberships_of(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<Membership>> {
    memberships::table
        .filter(memberships::user_id.eq(user_id))
        .select(Membership::as_select())
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_hash_verifies() {
        let password = SecretString::from("correct horse battery");
        let hash = hash_password(&password).unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&password, &hash));
        assert!(!verify_password(
            &SecretString::from("wrong password!"),
            &hash
        ));
        assert!(!verify_password(&password, "not a hash"));
        assert!(hash_password(&SecretString::from("short")).is_err());
    }

    #[test]
    fn email_plausibility() {
        assert!(looks_like_email("a@b.fr"));
        for bad in ["a", "@b.fr", "a@b", "a b@c.fr", "a@.fr", "a@b@c.fr"] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }
}

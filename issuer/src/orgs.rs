//! Organisations: each is an issuer with its own Profile and keys.
//!
//! An organisation is addressed by its `slug` in URLs. Its published
//! identifiers derive from the public base URL: the Profile id
//! `<base>/orgs/<slug>`, the DID `did:web:<host>:orgs:<slug>` (document at
//! `<base>/orgs/<slug>/did.json`) and the JWKS at `<base>/orgs/<slug>/jwks.json`.

use diesel::prelude::*;
use keys::did::VerificationMethod;
use schemas::{Address, IdentifierEntry, Image, Profile};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::audit::{self, Actor, AuditEvent, Target};
use crate::db::schema::organisations;
use crate::db::{DbConnection, DbError};
use crate::ids::{OrgId, OrgSlug};
use crate::master_key::MasterKey;
use crate::org_keys::{self, KeyAlgorithm};
use crate::text::{self, TextError};
use crate::time::{new_id, now};

/// The OB 3.0 contexts every published document of ours starts with.
pub const OB_CONTEXTS: [&str; 2] = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
];

/// Why an organisation could not be created, changed or found.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OrgError {
    /// The slug is not 2 to 63 lowercase letters, digits or inner hyphens.
    #[error("slug: 2 to 63 lowercase letters, digits or inner hyphens")]
    InvalidSlug,
    /// A new organisation was given no name.
    #[error("name is required")]
    NameRequired,
    /// The name is empty or longer than 200 characters.
    #[error("name: 1 to 200 characters")]
    InvalidName,
    /// The contact address is not an e-mail address.
    #[error("email: not an email address")]
    InvalidEmail,
    /// The description is longer than 5000 characters.
    #[error("description: at most 5000 characters")]
    InvalidDescription,
    /// The field (`url` or `image`) is not an http(s) URL.
    #[error("{0}: not an http(s) URL")]
    InvalidUrl(&'static str),
    /// Another organisation has this slug.
    #[error("slug {0} is already used")]
    SlugTaken(String),
    /// No organisation has this slug.
    #[error("organisation not found")]
    NotFound,
    /// A text field holds a control character.
    #[error(transparent)]
    Text(#[from] TextError),
    /// Its keys could not be generated.
    #[error(transparent)]
    Keys(#[from] org_keys::KeyGenerationError),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<diesel::result::Error> for OrgError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Database(e.into())
    }
}

/// A stored organisation.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Identifiable, AsChangeset)]
#[diesel(table_name = organisations)]
pub struct Organisation {
    /// Internal id (UUID).
    pub id: OrgId,
    /// URL name, unique.
    pub slug: OrgSlug,
    /// Profile `name`.
    pub name: String,
    /// Profile `url` (the organisation's website).
    pub url: Option<String>,
    /// Profile `email`.
    pub email: Option<String>,
    /// Profile `description`.
    pub description: Option<String>,
    /// Profile `image` URL.
    pub image: Option<String>,
    /// Profile `address`, an OB 3.0 Address object as JSON.
    pub address_json: Option<String>,
    /// Created, Unix seconds.
    pub created_at: i64,
    /// Last updated, Unix seconds.
    pub updated_at: i64,
}

/// The editable Profile fields, as the API and CLI accept them.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    /// Display name (required on creation).
    pub name: Option<String>,
    /// Website.
    pub url: Option<String>,
    /// Contact email.
    pub email: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Image URL.
    pub image: Option<String>,
    /// OB 3.0 Address object (`streetAddress`, `postalCode`, `addressLocality`, `addressCountry`, ...).
    #[schema(value_type = Option<Object>)]
    pub address: Option<Map<String, Value>>,
}

/// A request to create an organisation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOrganisation {
    /// URL name: lowercase letters, digits and hyphens, 2 to 63 characters.
    pub slug: String,
    /// Profile fields.
    #[serde(flatten)]
    pub profile: ProfileInput,
}

/// An organisation as the API answers it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrganisationView {
    /// Internal id.
    pub id: String,
    /// URL name.
    pub slug: String,
    /// The published Profile id.
    pub profile_id: String,
    /// The organisation's DID.
    pub did: String,
    /// Profile fields.
    pub name: String,
    /// Website.
    pub url: Option<String>,
    /// Contact email.
    pub email: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Image URL.
    pub image: Option<String>,
    /// Address.
    #[schema(value_type = Option<Object>)]
    pub address: Option<Value>,
}

impl OrganisationView {
    /// Builds the view with the published identifiers for `base`.
    pub fn new(org: Organisation, base: &str) -> Self {
        Self {
            profile_id: profile_id(base, &org.slug),
            did: did(base, &org.slug),
            address: org
                .address_json
                .as_deref()
                .and_then(|a| serde_json::from_str(a).ok()),
            id: org.id.into_string(),
            slug: org.slug.into_string(),
            name: org.name,
            url: org.url,
            email: org.email,
            description: org.description,
            image: org.image,
        }
    }
}

/// The Profile id (an https URL answering the Profile JSON).
pub fn profile_id(base: &str, slug: &OrgSlug) -> String {
    format!("{base}/orgs/{slug}")
}

/// The did:web DID of an organisation: host (port percent-encoded), base
/// path segments, then `orgs:<slug>`.
pub fn did(base: &str, slug: &OrgSlug) -> String {
    let mut out = String::from("did:web:");
    match url::Url::parse(base) {
        Ok(url) => {
            out.push_str(url.host_str().unwrap_or("localhost"));
            if let Some(port) = url.port() {
                out.push_str(&format!("%3A{port}"));
            }
            for segment in url
                .path_segments()
                .into_iter()
                .flatten()
                .filter(|s| !s.is_empty())
            {
                out.push(':');
                out.push_str(segment);
            }
        }
        Err(_) => out.push_str("localhost"),
    }
    out.push_str(":orgs:");
    out.push_str(slug.as_str());
    out
}

/// The organisation's OB 3.0 Profile under its Profile id, without
/// `@context` (the form embedded in credentials, under the DID).
///
/// An address that does not read back as an OB `Address` is left out rather
/// than published half-read (it is written by `clean_address`).
pub fn profile(org: &Organisation, base: &str) -> Profile {
    Profile {
        name: Some(org.name.clone()),
        url: org.url.clone(),
        email: org.email.clone(),
        description: org.description.clone(),
        image: org.image.as_ref().map(Image::new),
        address: org
            .address_json
            .as_deref()
            .and_then(|a| serde_json::from_str::<Address>(a).ok())
            .map(|address| Address {
                types: vec!["Address".to_owned()],
                ..address
            }),
        ..Profile::new(profile_id(base, &org.slug))
    }
}

/// The OB 3.0 Profile as published at its id ([`published_profile`]).
/// Field order is serialisation order: the served document's bytes stay the
/// same from one version to the next.
#[derive(Debug, Clone, Serialize)]
pub struct PublishedProfile {
    /// The OB 3.0 contexts, then those of the key types.
    #[serde(rename = "@context")]
    pub context: [&'static str; 4],
    /// The Profile itself ([`profile`]), without `@context`.
    #[serde(flatten)]
    pub profile: Profile,
    /// Every key, active and retired, controlled by the Profile.
    #[serde(rename = "verificationMethod")]
    pub verification_method: Vec<VerificationMethod>,
    /// The ids of those keys: each may sign the organisation's credentials.
    #[serde(rename = "assertionMethod")]
    pub assertion_method: Vec<String>,
    /// The organisation's DID, which links back with `alsoKnownAs`.
    #[serde(rename = "otherIdentifier")]
    pub other_identifier: Vec<IdentifierEntry>,
}

/// The Profile as published at its id: [`profile`] plus the keys that
/// sign the organisation's credentials and its DID as `otherIdentifier`, so that a verifier can tie a proof to
/// this issuer (`keys::binding`). Every key, active and retired, is a
/// `verificationMethod` (`{profile id}#{key id}`; Ed25519 as `Multikey`, RSA
/// as `JsonWebKey`) with the Profile as `controller`, listed under
/// `assertionMethod`: after a rotation, earlier credentials keep verifying.
pub fn published_profile(
    org: &Organisation,
    base: &str,
    keys: &[org_keys::OrgKeyRow],
) -> PublishedProfile {
    let id = profile_id(base, &org.slug);
    let methods: Vec<VerificationMethod> = keys
        .iter()
        .filter_map(|row| {
            let jwk = serde_json::from_str::<Value>(&row.public_jwk).ok()?;
            let key = keys::Jwk::from_value(&jwk).ok()?.to_public_key().ok()?;
            Some(VerificationMethod::of_key(
                &format!("{id}#{}", row.id),
                &id,
                &key,
            ))
        })
        .collect();
    PublishedProfile {
        context: [
            OB_CONTEXTS[0],
            OB_CONTEXTS[1],
            keys::did::MULTIKEY_CONTEXT,
            keys::did::JWK_CONTEXT,
        ],
        profile: profile(org, base),
        assertion_method: methods.iter().map(|m| m.id.clone()).collect(),
        verification_method: methods,
        other_identifier: vec![IdentifierEntry {
            entry_type: "IdentifierEntry".to_owned(),
            identifier: did(base, &org.slug),
            identifier_type: "identifier".to_owned(),
            extra: Map::new(),
        }],
    }
}

/// Checks a slug: lowercase ASCII letters, digits, inner hyphens, 2 to 63 characters.
pub fn validate_slug(slug: &str) -> Result<(), OrgError> {
    let ok = (2..=63).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(OrgError::InvalidSlug)
    }
}

/// Applies and checks Profile fields on `org`.
fn apply_profile(org: &mut Organisation, input: ProfileInput) -> Result<(), OrgError> {
    if let Some(name) = input.name {
        let name = text::line("name", &name)?;
        if name.is_empty() || name.chars().count() > 200 {
            return Err(OrgError::InvalidName);
        }
        org.name = name;
    }
    for (field, value, target) in [
        ("url", input.url, &mut org.url),
        ("image", input.image, &mut org.image),
    ] {
        if let Some(value) = value {
            *target = optional_http_url(field, value)?;
        }
    }
    if let Some(email) = input.email {
        let email = text::line("email", &email)?;
        if !email.is_empty() && !crate::users::looks_like_email(&email) {
            return Err(OrgError::InvalidEmail);
        }
        org.email = (!email.is_empty()).then_some(email);
    }
    if let Some(description) = input.description {
        let description = text::paragraphs("description", &description)?;
        if description.chars().count() > 5000 {
            return Err(OrgError::InvalidDescription);
        }
        org.description = (!description.is_empty()).then_some(description);
    }
    if let Some(address) = input.address {
        let address = clean_address(address)?;
        org.address_json = (!address.is_empty()).then(|| Value::Object(address).to_string());
    }
    Ok(())
}

/// The address with every text in it (keys and values, at any depth) made
/// a [`text::line`].
fn clean_address(address: Map<String, Value>) -> Result<Map<String, Value>, TextError> {
    fn clean(value: Value) -> Result<Value, TextError> {
        Ok(match value {
            Value::String(s) => Value::String(text::line("address", &s)?),
            Value::Array(items) => {
                Value::Array(items.into_iter().map(clean).collect::<Result<_, _>>()?)
            }
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| Ok((text::line("address", &k)?, clean(v)?)))
                    .collect::<Result<_, TextError>>()?,
            ),
            other => other,
        })
    }
    match clean(Value::Object(address))? {
        Value::Object(map) => Ok(map),
        _ => Ok(Map::new()),
    }
}

fn optional_http_url(field: &'static str, value: String) -> Result<Option<String>, OrgError> {
    let value = text::line(field, &value)?;
    let value = value.as_str();
    if value.is_empty() {
        return Ok(None);
    }
    match url::Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => Ok(Some(url.to_string())),
        _ => Err(OrgError::InvalidUrl(field)),
    }
}

/// Creates an organisation with its Ed25519 and RSA keys, in one transaction.
pub fn create(
    conn: &mut DbConnection,
    master: &MasterKey,
    new: NewOrganisation,
    actor: Actor<'_>,
) -> Result<Organisation, OrgError> {
    validate_slug(&new.slug)?;
    if new
        .profile
        .name
        .as_deref()
        .is_none_or(|n| n.trim().is_empty())
    {
        return Err(OrgError::NameRequired);
    }
    let at = now();
    let mut org = Organisation {
        id: OrgId::from(new_id()),
        slug: OrgSlug::from(new.slug),
        name: String::new(),
        url: None,
        email: None,
        description: None,
        image: None,
        address_json: None,
        created_at: at,
        updated_at: at,
    };
    apply_profile(&mut org, new.profile)?;
    // Key generation is CPU work: done before the transaction opens.
    let keys = KeyAlgorithm::ALL
        .iter()
        .map(|alg| org_keys::generate(master, &org.id, *alg))
        .collect::<Result<Vec<_>, _>>()?;
    crate::db::write_transaction(conn, |conn| {
        let taken: i64 = organisations::table
            .filter(organisations::slug.eq(&org.slug))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(OrgError::SlugTaken(org.slug.to_string()));
        }
        diesel::insert_into(organisations::table)
            .values(&org)
            .execute(conn)?;
        org_keys::insert(conn, &keys)?;
        audit::record(
            conn,
            AuditEvent::new(&org.id, actor, "org.create", Target::Organisation(&org.id)),
        )?;
        Ok(org.clone())
    })
}

/// Updates Profile fields.
pub fn update(
    conn: &mut DbConnection,
    mut org: Organisation,
    input: ProfileInput,
    actor: Actor<'_>,
) -> Result<Organisation, OrgError> {
    apply_profile(&mut org, input)?;
    org.updated_at = now();
    crate::db::write_transaction(conn, |conn| {
        diesel::update(organisations::table.find(&org.id))
            .set(&org)
            .execute(conn)?;
        audit::record(
            conn,
            AuditEvent::new(&org.id, actor, "org.update", Target::Organisation(&org.id)),
        )?;
        Ok(org.clone())
    })
}

/// The organisation with this slug.
pub fn by_slug(conn: &mut DbConnection, slug: &str) -> Result<Organisation, OrgError> {
    organisations::table
        .filter(organisations::slug.eq(slug))
        .select(Organisation::as_select())
        .first(conn)
        .optional()?
        .ok_or(OrgError::NotFound)
}

/// Organisations with these ids, by name.
pub fn by_ids(conn: &mut DbConnection, ids: &[OrgId]) -> QueryResult<Vec<Organisation>> {
    organisations::table
        .filter(organisations::id.eq_any(ids))
        .order(organisations::name.asc())
        .select(Organisation::as_select())
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_web_encodes_port_and_path() {
        assert_eq!(
            did("http://127.0.0.1:8080", &"acme".into()),
            "did:web:127.0.0.1%3A8080:orgs:acme"
        );
        assert_eq!(
            did("https://badges.example.org/net", &"acme".into()),
            "did:web:badges.example.org:net:orgs:acme"
        );
    }

    #[test]
    fn slugs_are_checked() {
        assert!(validate_slug("centre-social-1").is_ok());
        for bad in ["A", "x", "-a", "a-", "a b", "é-x", &"a".repeat(64)] {
            assert!(validate_slug(bad).is_err(), "{bad}");
        }
    }
}

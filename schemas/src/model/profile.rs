//! `Profile` (issuers, creators, endorsers, parent organisations) and the
//! small value types it uses: `Image`, `Address`, `GeoCoordinates`,
//! `IdentifierEntry`. Spec: <https://www.imsglobal.org/spec/ob/v3p0/#profile>.

use std::fmt;

use serde::de::{self, value::MapAccessDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Number, Value};

use super::shape::{exactly_one, one_or_many};
use super::EndorsementCredential;

/// A person or organisation: the issuer of a credential, the creator of an
/// achievement, an endorser. `id` is required; the rest is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// The JSON-LD context of a Profile published as a document of its own
    /// (absent when embedded in a credential), kept as written: the Profile
    /// schema leaves its shape open (a URL, an array, inline definitions).
    #[serde(rename = "@context", default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    /// Unique URI of the profile (an HTTPS URL or a DID).
    pub id: String,
    /// The types; must include `Profile`.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub types: Vec<String>,
    /// Name of the person or organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Home page or social media profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Contact address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Short description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Logo or portrait.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// Postal address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// Telephone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Endorsements of this profile.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub endorsement: Vec<EndorsementCredential>,
    /// Endorsements of this profile as compact JWS strings.
    #[serde(
        rename = "endorsementJwt",
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub endorsement_jwt: Vec<String>,
    /// Other identifiers (SIRET, national numbers, system ids...).
    #[serde(
        rename = "otherIdentifier",
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub other_identifier: Vec<IdentifierEntry>,
    /// Name of an authorised official of the organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub official: Option<String>,
    /// The parent organisation.
    #[serde(rename = "parentOrg", default, skip_serializing_if = "Option::is_none")]
    pub parent_org: Option<Box<Profile>>,
    /// Family name (persons).
    #[serde(
        rename = "familyName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub family_name: Option<String>,
    /// Given name (persons).
    #[serde(rename = "givenName", default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// Additional name (persons).
    #[serde(
        rename = "additionalName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub additional_name: Option<String>,
    /// Patronymic name (persons).
    #[serde(
        rename = "patronymicName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub patronymic_name: Option<String>,
    /// Honorific prefix, e.g. "Dr".
    #[serde(
        rename = "honorificPrefix",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub honorific_prefix: Option<String>,
    /// Honorific suffix.
    #[serde(
        rename = "honorificSuffix",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub honorific_suffix: Option<String>,
    /// Family name prefix, e.g. "de".
    #[serde(
        rename = "familyNamePrefix",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub family_name_prefix: Option<String>,
    /// Birth date (`YYYY-MM-DD`).
    #[serde(
        rename = "dateOfBirth",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub date_of_birth: Option<String>,
    /// Every other property, kept as read (`verificationMethod` on a DID
    /// document profile, for instance).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Profile {
    /// A profile with an id, the type `Profile` and nothing else.
    pub fn new(id: impl Into<String>) -> Self {
        Profile {
            id: id.into(),
            types: vec!["Profile".to_owned()],
            ..Profile::default()
        }
    }
}

/// The issuer of a credential: a URI naming the profile, or the profile itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Issuer {
    /// The URI of the issuer's profile.
    Uri(String),
    /// The issuer's profile, embedded.
    Profile(Box<Profile>),
}

impl Issuer {
    /// The issuer's identifier, whichever form is used.
    pub fn id(&self) -> &str {
        match self {
            Issuer::Uri(uri) => uri,
            Issuer::Profile(profile) => &profile.id,
        }
    }

    /// The embedded profile, if any.
    pub fn profile(&self) -> Option<&Profile> {
        match self {
            Issuer::Uri(_) => None,
            Issuer::Profile(profile) => Some(profile),
        }
    }
}

impl<'de> Deserialize<'de> for Issuer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IssuerVisitor;
        impl<'de> Visitor<'de> for IssuerVisitor {
            type Value = Issuer;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("an issuer URI or a Profile object")
            }
            fn visit_str<E: de::Error>(self, uri: &str) -> Result<Issuer, E> {
                Ok(Issuer::Uri(uri.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Issuer, A::Error> {
                Profile::deserialize(MapAccessDeserializer::new(map))
                    .map(|profile| Issuer::Profile(Box::new(profile)))
            }
        }
        deserializer.deserialize_any(IssuerVisitor)
    }
}

/// An image with an optional caption (<https://www.imsglobal.org/spec/ob/v3p0/#image>).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Image {
    /// URI or `data:` URI of the image.
    pub id: String,
    /// Must be `Image`.
    #[serde(rename = "type", deserialize_with = "exactly_one")]
    pub image_type: String,
    /// Caption of the image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// Every other property, kept as read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Image {
    /// An image of type `Image` at `id` (a URL or a `data:` URI).
    pub fn new(id: impl Into<String>) -> Self {
        Image {
            id: id.into(),
            image_type: "Image".to_owned(),
            caption: None,
            extra: Map::new(),
        }
    }
}

/// A postal address (<https://www.imsglobal.org/spec/ob/v3p0/#address>).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Address {
    /// The types; must include `Address`.
    #[serde(
        rename = "type",
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub types: Vec<String>,
    /// Country name.
    #[serde(
        rename = "addressCountry",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub address_country: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    #[serde(
        rename = "addressCountryCode",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub address_country_code: Option<String>,
    /// Region (e.g. "Bretagne").
    #[serde(
        rename = "addressRegion",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub address_region: Option<String>,
    /// Locality (town).
    #[serde(
        rename = "addressLocality",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub address_locality: Option<String>,
    /// Street address.
    #[serde(
        rename = "streetAddress",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub street_address: Option<String>,
    /// Post office box number.
    #[serde(
        rename = "postOfficeBoxNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub post_office_box_number: Option<String>,
    /// Postal code.
    #[serde(
        rename = "postalCode",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub postal_code: Option<String>,
    /// Geographic coordinates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geo: Option<GeoCoordinates>,
    /// Every other property, kept as read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Geographic coordinates; numbers are kept exactly as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeoCoordinates {
    /// Must be `GeoCoordinates`.
    #[serde(rename = "type", deserialize_with = "exactly_one")]
    pub geo_type: String,
    /// Latitude.
    pub latitude: Number,
    /// Longitude.
    pub longitude: Number,
    /// Every other property, kept as read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Another identifier of a profile or achievement
/// (<https://www.imsglobal.org/spec/ob/v3p0/#identifierentry>).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdentifierEntry {
    /// Must be `IdentifierEntry`.
    #[serde(rename = "type", deserialize_with = "exactly_one")]
    pub entry_type: String,
    /// The identifier.
    pub identifier: String,
    /// Its kind: one of [`super::IDENTIFIER_TYPES`] or an `ext:` value.
    #[serde(rename = "identifierType")]
    pub identifier_type: String,
    /// Every other property, kept as read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

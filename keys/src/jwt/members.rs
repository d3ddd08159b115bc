//! Small typed readers for the JSON members a VC-JWT check looks at.
//!
//! Verification compares a handful of values (`alg`, `iss`, `jti`, the credential's `id`,
//! `issuer`, subject id and dates); building a whole `serde_json::Value` of a 4 KB payload
//! to read them costs about as much as the Ed25519 signature check itself. These readers
//! take what a check needs, borrowing strings from the decoded text where JSON escapes
//! allow, and skip everything else without building it. They accept every JSON value so
//! that a member of the wrong type is reported by the check that reads it, with the same
//! verdict as before, rather than by the parser.
//!
//! A member read here must not appear twice in its object: JSON parsers disagree on
//! which duplicate wins, and RFC 7519 §4 lets a JWT parser refuse duplicate claims.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// A JSON value as far as a check needs it: strings and numbers are kept, anything
/// else (`null`, booleans, arrays, objects) is only known to be there.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Member<'a> {
    /// A string.
    Text(Cow<'a, str>),
    /// An integer that fits `i64`.
    Integer(i64),
    /// Any other number.
    Float(f64),
    /// Any other JSON value.
    Other,
}

/// An object key (or any string), borrowed from the text unless it holds escapes.
pub(crate) struct Key<'a>(pub(crate) Cow<'a, str>);

/// Where an `id` is looked for by [`IdIn`]'s reader.
#[derive(Debug, Clone, Copy)]
pub(crate) enum IdIn {
    /// The `id` member of an object.
    Object,
    /// `issuer`: a string is the id itself, an object has an `id` member.
    ObjectOrString,
    /// `credentialSubject`: an object, or an array holding exactly one object.
    ObjectOrSingleton,
}

/// Stores the value of the member `name`, refusing a second occurrence.
pub(crate) fn once<T, E: de::Error>(
    slot: &mut Option<T>,
    value: T,
    name: &'static str,
) -> Result<(), E> {
    match slot.replace(value) {
        Some(_) => Err(E::duplicate_field(name)),
        None => Ok(()),
    }
}

impl Member<'_> {
    /// An owned copy, to keep after the decoded text is gone.
    pub(crate) fn into_owned(self) -> Member<'static> {
        match self {
            Self::Text(text) => Member::Text(Cow::Owned(text.into_owned())),
            Self::Integer(value) => Member::Integer(value),
            Self::Float(value) => Member::Float(value),
            Self::Other => Member::Other,
        }
    }
}

impl<'de> Deserialize<'de> for Member<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(MemberVisitor)
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

impl<'de> DeserializeSeed<'de> for IdIn {
    type Value = Option<Cow<'de, str>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(IdVisitor(self))
    }
}

/// Skips the rest of an object.
pub(crate) fn skip_map<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Skips the rest of an array.
fn skip_seq<'de, A: SeqAccess<'de>>(seq: &mut A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

/// The string `id` of an object whose opening brace was read (`None` if absent or
/// not a string); the rest of the object is skipped.
fn object_id<'de, A: MapAccess<'de>>(mut map: A) -> Result<Option<Cow<'de, str>>, A::Error> {
    let mut id = None;
    while let Some(Key(key)) = map.next_key()? {
        if key == "id" {
            once(&mut id, map.next_value::<Member<'de>>()?, "id")?;
        } else {
            map.next_value::<IgnoredAny>()?;
        }
    }
    Ok(match id {
        Some(Member::Text(id)) => Some(id),
        _ => None,
    })
}

struct MemberVisitor;

impl<'de> Visitor<'de> for MemberVisitor {
    type Value = Member<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Self::Value, E> {
        Ok(Member::Text(Cow::Borrowed(value)))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Member::Text(Cow::Owned(value.to_owned())))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(Member::Integer(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        // Above i64::MAX a number is read as a float, as `Value::as_f64` would.
        Ok(i64::try_from(value).map_or(Member::Float(value as f64), Member::Integer))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        Ok(Member::Float(value))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Member::Other)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Member::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        skip_map(&mut map)?;
        Ok(Member::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        skip_seq(&mut seq)?;
        Ok(Member::Other)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Self::Value, E> {
        Ok(Key(Cow::Borrowed(value)))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(value.to_owned())))
    }
}

struct IdVisitor(IdIn);

impl<'de> Visitor<'de> for IdVisitor {
    type Value = Option<Cow<'de, str>>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Self::Value, E> {
        Ok(matches!(self.0, IdIn::ObjectOrString).then_some(Cow::Borrowed(value)))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(matches!(self.0, IdIn::ObjectOrString).then(|| Cow::Owned(value.to_owned())))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        object_id(map)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        if !matches!(self.0, IdIn::ObjectOrSingleton) {
            skip_seq(&mut seq)?;
            return Ok(None);
        }
        let first = seq.next_element_seed(IdIn::Object)?;
        if seq.next_element::<IgnoredAny>()?.is_some() {
            // Several subjects: none of them is "the" subject a `sub` claim names.
            skip_seq(&mut seq)?;
            return Ok(None);
        }
        Ok(first.flatten())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;

    fn id(seed: IdIn, json: &str) -> Option<String> {
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let from_text = seed.deserialize(&mut deserializer).expect("reads");
        // Read from a `Value` (the signing side), the answer is the same.
        let value: Value = serde_json::from_str(json).expect("json");
        let from_value = seed.deserialize(&value).expect("reads");
        assert_eq!(from_text, from_value, "{json}");
        from_text.map(Cow::into_owned)
    }

    #[test]
    fn ids_are_found_where_the_credential_puts_them() {
        let some = |id: &str| Some(id.to_owned());
        assert_eq!(id(IdIn::ObjectOrString, r#""did:a""#), some("did:a"));
        assert_eq!(id(IdIn::ObjectOrString, r#"{"id":"did:a"}"#), some("did:a"));
        assert_eq!(id(IdIn::ObjectOrString, r#"{"id":5}"#), None);
        assert_eq!(id(IdIn::ObjectOrString, r#"["did:a"]"#), None);
        assert_eq!(id(IdIn::Object, r#""did:a""#), None);
        assert_eq!(
            id(IdIn::ObjectOrSingleton, r#"{"x":[1],"id":"did:a"}"#),
            some("did:a")
        );
        assert_eq!(
            id(IdIn::ObjectOrSingleton, r#"[{"id":"did:a"}]"#),
            some("did:a")
        );
        assert_eq!(id(IdIn::ObjectOrSingleton, r#"[{"id":"did:a"},{}]"#), None);
        assert_eq!(id(IdIn::ObjectOrSingleton, r#"["did:a"]"#), None);
        assert_eq!(id(IdIn::ObjectOrSingleton, "[]"), None);
        assert_eq!(id(IdIn::ObjectOrSingleton, "null"), None);
        // Escaped text is unescaped, as a `Value` would have it.
        assert_eq!(
            id(IdIn::ObjectOrString, r#"{"\u0069d":"did:\u0061"}"#),
            some("did:a")
        );
    }

    #[test]
    fn a_repeated_id_is_refused() {
        let mut deserializer = serde_json::Deserializer::from_str(r#"{"id":"a","id":"b"}"#);
        let error = IdIn::Object
            .deserialize(&mut deserializer)
            .expect_err("duplicate");
        assert!(
            error.to_string().contains("duplicate field `id`"),
            "{error}"
        );
    }

    #[test]
    fn members_keep_strings_and_numbers_only() {
        let member = |value: Value| Member::deserialize(&value).expect("reads").into_owned();
        assert_eq!(member(json!("a")), Member::Text("a".into()));
        assert_eq!(member(json!(-3)), Member::Integer(-3));
        assert_eq!(member(json!(1.5)), Member::Float(1.5));
        assert_eq!(member(json!(u64::MAX)), Member::Float(u64::MAX as f64));
        for other in [json!(null), json!(true), json!([1]), json!({"a": 1})] {
            assert_eq!(member(other), Member::Other);
        }
    }
}

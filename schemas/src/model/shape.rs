//! Serde helpers for the shapes JSON-LD compaction allows.
//!
//! JSON-LD treats a single value and a one-element array as the same thing, so a
//! compacted credential may carry `"type": "Profile"` where the OB 3.0 schema
//! writes `"type": ["Profile"]`, or a single `proof` object instead of an array.
//! What we read accepts both; what we emit follows the schema's cardinality:
//! multi-valued properties are always arrays (`Vec`), single-valued ones are
//! always scalars.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, IgnoredAny, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// Reads a value that may be a single `T` or an array of `T` into a `Vec<T>`.
///
/// Use as `#[serde(default, deserialize_with = "one_or_many")]` on a `Vec<T>`
/// field; serialising the `Vec` always emits an array.
pub fn one_or_many<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(OneOrManyVisitor(PhantomData))
}

/// Reads a single `T`, also accepting an array holding exactly one `T`.
///
/// For properties whose cardinality is one, such as the `type` of an `Image`
/// or an `IdentityObject` (a string in the OB 3.0 schema).
pub fn exactly_one<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(ExactlyOneVisitor(PhantomData))
}

/// Forwards every non-array JSON value to `T`'s own deserialisation.
macro_rules! forward_scalars {
    ($wrap:expr) => {
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            T::deserialize(v.into_deserializer()).map($wrap)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            T::deserialize(v.into_deserializer()).map($wrap)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            T::deserialize(v.into_deserializer()).map($wrap)
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            T::deserialize(v.into_deserializer()).map($wrap)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            T::deserialize(v.into_deserializer()).map($wrap)
        }
        fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            T::deserialize(BorrowedStrDeserializer::new(v)).map($wrap)
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            T::deserialize(v.into_deserializer()).map($wrap)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            T::deserialize(MapAccessDeserializer::new(map)).map($wrap)
        }
    };
}

struct OneOrManyVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrManyVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a value or an array of values")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Vec<T>, A::Error> {
        Vec::<T>::deserialize(SeqAccessDeserializer::new(seq))
    }

    forward_scalars!(|value| vec![value]);
}

struct ExactlyOneVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ExactlyOneVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a value or an array holding exactly one value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        let Some(first) = seq.next_element::<T>()? else {
            return Err(de::Error::invalid_length(0, &self));
        };
        if seq.next_element::<IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_length(2, &self));
        }
        Ok(first)
    }

    forward_scalars!(|value| value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Holder {
        #[serde(default, deserialize_with = "one_or_many")]
        many: Vec<String>,
        #[serde(default, deserialize_with = "exactly_one")]
        one: String,
    }

    fn read(json: &str) -> Result<Holder, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn single_and_array_forms_read_the_same() {
        let single = read(r#"{"many": "a", "one": "x"}"#).unwrap();
        let array = read(r#"{"many": ["a"], "one": ["x"]}"#).unwrap();
        assert_eq!(single.many, array.many);
        assert_eq!(single.one, array.one);
        assert_eq!(read(r#"{"many": ["a", "b"]}"#).unwrap().many, ["a", "b"]);
        assert!(read("{}").unwrap().many.is_empty());
    }

    #[test]
    fn exactly_one_refuses_empty_and_longer_arrays() {
        let empty = read(r#"{"one": []}"#).unwrap_err().to_string();
        assert!(empty.contains("exactly one"), "{empty}");
        let two = read(r#"{"one": ["x", "y"]}"#).unwrap_err().to_string();
        assert!(two.contains("exactly one"), "{two}");
    }

    #[test]
    fn wrong_element_types_are_errors() {
        assert!(read(r#"{"many": 3}"#).is_err());
        assert!(read(r#"{"many": [true]}"#).is_err());
        assert!(read(r#"{"many": null}"#).is_err());
    }
}

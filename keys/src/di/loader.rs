//! The offline JSON-LD document loader and JSON conversion for the `json-ld` crate.
//!
//! Contexts come only from [`schemas::contexts::bundled_context`]: a context fetched
//! at verification time could be changed by whoever serves it and would silently
//! change what a signature covers. Each bundled context is parsed once, on first use.

use std::collections::HashMap;
use std::sync::LazyLock;

use json_ld::syntax::object::Entry;
use json_ld::syntax::{NumberBuf, Parse, Value as LdValue};
use json_ld::{Iri, IriBuf, LoadError, Loader, RemoteDocument};

/// The loader could not serve a URL.
#[derive(Debug, thiserror::Error)]
pub(crate) enum OfflineLoadError {
    /// The URL is not a bundled context.
    #[error("context {0} is not bundled and is never fetched")]
    Unknown(String),
    /// A bundled context is not valid JSON (a build defect, checked by a test).
    #[error("bundled context {0} is not valid JSON")]
    Unparsable(String),
}

/// Every bundled context parsed into the `json-ld` crate's JSON tree, keyed by URL.
/// A context that fails to parse is left out, so loading it reports an error.
static PARSED_CONTEXTS: LazyLock<HashMap<&'static str, LdValue>> = LazyLock::new(|| {
    schemas::contexts::BUNDLED_CONTEXTS
        .iter()
        .filter_map(|context| {
            LdValue::parse_str(context.document)
                .ok()
                .map(|(value, _)| (context.url, value))
        })
        .collect()
});

/// A `json_ld::Loader` that serves the bundled contexts and refuses every other URL.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct OfflineLoader;

impl Loader for OfflineLoader {
    async fn load(&self, url: &Iri) -> Result<RemoteDocument<IriBuf>, LoadError> {
        let Some(bundled) = schemas::contexts::bundled_context(url.as_str()) else {
            return Err(LoadError::new(
                url.to_owned(),
                OfflineLoadError::Unknown(url.to_string()),
            ));
        };
        let Some(document) = PARSED_CONTEXTS.get(bundled.url) else {
            return Err(LoadError::new(
                url.to_owned(),
                OfflineLoadError::Unparsable(url.to_string()),
            ));
        };
        Ok(RemoteDocument::new(
            Some(url.to_owned()),
            None,
            document.clone(),
        ))
    }
}

/// Converts a `serde_json` value into the `json-ld` crate's JSON tree.
///
/// Object entry order is kept (it does not matter to JSON-LD, but keeps errors stable).
pub(crate) fn to_ld_value(value: &serde_json::Value) -> LdValue {
    match value {
        serde_json::Value::Null => LdValue::Null,
        serde_json::Value::Bool(b) => LdValue::Boolean(*b),
        serde_json::Value::Number(n) => number(n),
        serde_json::Value::String(s) => LdValue::String(s.as_str().into()),
        serde_json::Value::Array(items) => LdValue::Array(items.iter().map(to_ld_value).collect()),
        serde_json::Value::Object(map) => LdValue::Object(json_ld::syntax::Object::from_vec(
            map.iter()
                .map(|(key, item)| Entry::new(key.as_str().into(), to_ld_value(item)))
                .collect(),
        )),
    }
}

/// A JSON number, through its decimal text (serde_json always prints valid JSON numbers).
fn number(n: &serde_json::Number) -> LdValue {
    match n.to_string().parse::<NumberBuf>() {
        Ok(number) => LdValue::Number(number),
        // Unreachable for serde_json output; a string keeps the value rather than panicking.
        Err(_) => LdValue::String(n.to_string().as_str().into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_context_parses() {
        assert_eq!(
            PARSED_CONTEXTS.len(),
            schemas::contexts::BUNDLED_CONTEXTS
                .iter()
                .map(|c| c.url)
                .collect::<std::collections::HashSet<_>>()
                .len()
        );
    }

    #[test]
    fn unknown_url_is_refused() {
        let url = IriBuf::new("https://example.com/evil.jsonld".to_owned()).expect("valid IRI");
        let loaded = futures_executor::block_on(OfflineLoader.load(&url));
        assert!(loaded.is_err());
    }

    #[test]
    fn numbers_and_nesting_convert() {
        let json = serde_json::json!({"a": [1, 2.5, -3e2, true, null, "x"], "b": {"c": "d"}});
        let LdValue::Object(converted) = to_ld_value(&json) else {
            panic!("an object converts to an object");
        };
        let Some(LdValue::Array(items)) = converted.get_unique("a").ok().flatten() else {
            panic!("`a` is an array");
        };
        assert_eq!(items.len(), 6);
        assert!(matches!(&items[1], LdValue::Number(n) if n.as_str() == "2.5"));
        assert!(matches!(&items[2], LdValue::Number(n) if n.as_str() == "-300.0"));
        assert!(matches!(&items[5], LdValue::String(s) if s.as_str() == "x"));
    }
}

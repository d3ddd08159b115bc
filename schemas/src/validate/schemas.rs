//! The bundled 1EdTech JSON Schemas (draft 2019-09), each parsed and compiled
//! once on first use. Provenance: `../shared/spec/SOURCES.md`.

use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

use jsonschema::Validator;
use serde_json::{json, Value};

/// A bundled schema, parsed and compiled.
pub(crate) struct CompiledSchema {
    /// The schema document, walked by the normaliser.
    pub(crate) document: Value,
    /// The compiled validator.
    pub(crate) validator: Validator,
    /// One validator per `$defs` entry, compiled on first need: a `oneOf`
    /// failure (an issuer that is neither a URI nor a valid `Profile`) is
    /// explained by validating the value against the branch it was meant for.
    definitions: OnceLock<HashMap<String, Definition>>,
}

/// One `$defs` entry of a bundled schema, as a schema of its own.
pub(crate) struct Definition {
    /// The definition, with the root's `$defs` copied in so its `$ref`s resolve.
    pub(crate) document: Value,
    /// The compiled validator.
    pub(crate) validator: Validator,
}

impl CompiledSchema {
    /// The definition named `name` (`Profile`, `Achievement`...).
    pub(crate) fn definition(&self, name: &str) -> Option<&Definition> {
        self.definitions
            .get_or_init(|| compile_definitions(&self.document))
            .get(name)
    }
}

fn compile_definitions(root: &Value) -> HashMap<String, Definition> {
    let Some(definitions) = root.get("$defs").and_then(Value::as_object) else {
        return HashMap::new();
    };
    let mut compiled = HashMap::new();
    for (name, definition) in definitions {
        let mut document = definition.clone();
        if let Value::Object(map) = &mut document {
            map.insert("$defs".to_owned(), Value::Object(definitions.clone()));
        }
        // A definition that does not compile on its own only loses the
        // detailed explanation; the main validator still reports the failure.
        if let Ok(validator) = options().build(&document) {
            compiled.insert(
                name.clone(),
                Definition {
                    document,
                    validator,
                },
            );
        }
    }
    compiled
}

fn options() -> jsonschema::ValidationOptions {
    let mut options = jsonschema::draft201909::options();
    options.should_validate_formats(true);
    options
}

/// A bundled schema that failed to load: a defect of the build, reported
/// as an error rather than a panic.
pub(crate) type Loaded = Result<CompiledSchema, String>;

fn compile(text: &str) -> Loaded {
    let document: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let validator = options().build(&document).map_err(|e| e.to_string())?;
    Ok(CompiledSchema {
        document,
        validator,
        definitions: OnceLock::new(),
    })
}

/// `ob_v3p0_achievementcredential.schema.json`: `OpenBadgeCredential` / `AchievementCredential`.
pub(crate) static ACHIEVEMENT_CREDENTIAL: LazyLock<Loaded> = LazyLock::new(|| {
    compile(include_str!(
        "../../data/schemas/ob_v3p0_achievementcredential.schema.json"
    ))
});

/// `ob_v3p0_endorsementcredential.schema.json`: `EndorsementCredential`.
pub(crate) static ENDORSEMENT_CREDENTIAL: LazyLock<Loaded> = LazyLock::new(|| {
    compile(include_str!(
        "../../data/schemas/ob_v3p0_endorsementcredential.schema.json"
    ))
});

/// `ob_v3p0_profile.schema.json`: `Profile`.
pub(crate) static PROFILE: LazyLock<Loaded> = LazyLock::new(|| {
    compile(include_str!(
        "../../data/schemas/ob_v3p0_profile.schema.json"
    ))
});

/// The cardinalities of the VC envelope, used to normalise credentials of
/// kinds without a bundled schema (a `BitstringStatusListCredential`, say).
pub(crate) static VC_ENVELOPE: LazyLock<Value> = LazyLock::new(|| {
    json!({
        "properties": {
            "@context": {"type": "array"},
            "type": {"type": "array"},
            "proof": {"type": "array", "items": {"properties": {"type": {"type": "string"}}}},
            "credentialSchema": {"type": "array"},
            "evidence": {"type": "array"},
            "termsOfUse": {"type": "array"}
        }
    })
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_schema_compiles() {
        for loaded in [
            &*ACHIEVEMENT_CREDENTIAL,
            &*ENDORSEMENT_CREDENTIAL,
            &*PROFILE,
        ] {
            if let Err(reason) = loaded {
                panic!("bundled schema does not compile: {reason}");
            }
        }
        let Ok(schema) = &*ACHIEVEMENT_CREDENTIAL else {
            unreachable!()
        };
        for name in [
            "Profile",
            "Achievement",
            "AchievementSubject",
            "EndorsementCredential",
        ] {
            assert!(
                schema.definition(name).is_some(),
                "{name} does not compile alone"
            );
        }
    }
}

//! The trust registry: the issuers a deployment recognises (a network's
//! member organisations), so that the result page can tell "recognised
//! issuer" from "authentic, but not listed".
//!
//! A signature proves who issued a badge, not that the issuer is a body an
//! employer should trust: anyone can create a DID and sign badges. The list
//! is the operator's, read once at start-up from a JSON file:
//!
//! ```json
//! {"name": "Réseau Inclusion", "issuers": [{"id": "did:web:mds.example.fr", "name": "Maison des Solidarités"}]}
//! ```

use serde::Deserialize;

/// The issuers a deployment recognises.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TrustRegistry {
    /// The registry's name, shown to readers ("Réseau Inclusion").
    pub name: String,
    /// The recognised issuers.
    pub issuers: Vec<TrustedIssuer>,
}

/// One recognised issuer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TrustedIssuer {
    /// The issuer's id as credentials name it: a DID or an https URL.
    pub id: String,
    /// The issuer's name as the registry knows it.
    pub name: String,
}

/// The most issuers a registry file may list.
const MAX_ISSUERS: usize = 10_000;

/// The largest registry file read, in bytes.
const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

impl TrustRegistry {
    /// Parses a registry from its JSON text, refusing empty names and ids.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let registry: TrustRegistry = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if registry.name.trim().is_empty() {
            return Err("the registry has no name".to_owned());
        }
        if registry.issuers.len() > MAX_ISSUERS {
            return Err(format!("more than {MAX_ISSUERS} issuers"));
        }
        if let Some(bad) = registry
            .issuers
            .iter()
            .find(|i| i.id.trim().is_empty() || i.name.trim().is_empty())
        {
            return Err(format!("an issuer has an empty id or name: {bad:?}"));
        }
        Ok(registry)
    }

    /// Reads and parses a registry file.
    pub fn from_file(path: &std::path::Path) -> Result<Self, String> {
        let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
        if size > MAX_FILE_BYTES {
            return Err(format!("larger than {MAX_FILE_BYTES} bytes"));
        }
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        Self::from_json(&text)
    }

    /// The recognised issuer with this id, if any. A DID URL's fragment and
    /// an URL's trailing slash are ignored.
    pub fn find(&self, issuer_id: &str) -> Option<&TrustedIssuer> {
        let wanted = normal_id(issuer_id);
        self.issuers.iter().find(|i| normal_id(&i.id) == wanted)
    }
}

fn normal_id(id: &str) -> &str {
    let id = id.trim();
    let id = keys::did::without_fragment(id);
    id.trim_end_matches('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGISTRY: &str = r#"{"name": "Réseau Inclusion", "issuers": [
        {"id": "did:web:mds.example.fr", "name": "Maison des Solidarités"},
        {"id": "https://centre.example.fr/", "name": "Centre social"}]}"#;

    #[test]
    fn finds_issuers_by_id() {
        let registry = TrustRegistry::from_json(REGISTRY).unwrap();
        assert_eq!(
            registry.find("did:web:mds.example.fr").unwrap().name,
            "Maison des Solidarités"
        );
        assert!(registry.find("did:web:mds.example.fr#key-1").is_some());
        assert!(registry.find("https://centre.example.fr").is_some());
        assert!(registry.find("did:web:other.example.fr").is_none());
    }

    #[test]
    fn refuses_malformed_registries() {
        assert!(TrustRegistry::from_json("[]").is_err());
        assert!(TrustRegistry::from_json(r#"{"name": " ", "issuers": []}"#).is_err());
        assert!(
            TrustRegistry::from_json(r#"{"name": "R", "issuers": [{"id": "", "name": "x"}]}"#)
                .is_err()
        );
    }
}

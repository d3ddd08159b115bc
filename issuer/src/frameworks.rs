//! Competence frameworks shipped as data: DigComp 2.2 (5 areas, 21
//! competences, titles in French and English), in `issuer/data/`.
//!
//! Achievements align to a competence by framework id and code; the OB 3.0
//! `Alignment` is built here so every badge cites the framework the same way.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use schemas::Alignment;
use serde::{Deserialize, Serialize};

/// The DigComp 2.2 data file.
pub const DIGCOMP_JSON: &str = include_str!("../data/digcomp-2.2.json");
/// Id of the DigComp 2.2 framework in alignment requests.
pub const DIGCOMP_ID: &str = "digcomp-2.2";

/// A competence framework.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Framework {
    /// Framework id, e.g. `digcomp-2.2`.
    pub id: String,
    /// Name by language code.
    pub name: BTreeMap<String, String>,
    /// Publisher.
    pub publisher: String,
    /// Where the framework is published.
    pub url: String,
    /// Provenance of the titles.
    pub note: String,
    /// Competence areas.
    pub areas: Vec<Area>,
}

/// A competence area (DigComp's first level).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Area {
    /// Code, e.g. `1`.
    pub code: String,
    /// Title by language code.
    pub title: BTreeMap<String, String>,
    /// The area's competences.
    pub competences: Vec<Competence>,
}

/// A competence (DigComp's second level).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Competence {
    /// Code, e.g. `1.1`.
    pub code: String,
    /// Title by language code.
    pub title: BTreeMap<String, String>,
}

/// DigComp 2.2, parsed once. `None` only if the shipped file is broken,
/// which the unit test below rules out.
pub fn digcomp() -> Option<&'static Framework> {
    static PARSED: OnceLock<Option<Framework>> = OnceLock::new();
    PARSED
        .get_or_init(|| serde_json::from_str(DIGCOMP_JSON).ok())
        .as_ref()
}

/// The framework with this id.
pub fn framework(id: &str) -> Option<&'static Framework> {
    digcomp().filter(|f| f.id == id)
}

impl Framework {
    /// The competence with this code.
    pub fn competence(&self, code: &str) -> Option<&Competence> {
        self.areas
            .iter()
            .flat_map(|a| &a.competences)
            .find(|c| c.code == code)
    }

    /// The OB 3.0 `Alignment` of a competence, titled in `language` (English fallback).
    pub fn alignment(&self, competence: &Competence, language: &str) -> Alignment {
        let primary = language.split('-').next().unwrap_or("en");
        let title = competence
            .title
            .get(primary)
            .or_else(|| competence.title.get("en"))
            .cloned()
            .unwrap_or_default();
        let framework = self
            .name
            .get(primary)
            .or_else(|| self.name.get("en"))
            .cloned()
            .unwrap_or_default();
        Alignment {
            target_code: Some(competence.code.clone()),
            target_framework: Some(framework),
            target_type: Some("ceasn:Competency".to_owned()),
            ..Alignment::new(title, self.url.clone())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digcomp_has_5_areas_and_21_competences_in_two_languages() {
        let digcomp = digcomp().expect("shipped file parses");
        assert_eq!(digcomp.areas.len(), 5);
        let competences: Vec<_> = digcomp.areas.iter().flat_map(|a| &a.competences).collect();
        assert_eq!(competences.len(), 21);
        for c in competences {
            assert!(
                !c.title["en"].is_empty() && !c.title["fr"].is_empty(),
                "{}",
                c.code
            );
        }
        let alignment =
            serde_json::to_value(digcomp.alignment(digcomp.competence("4.2").unwrap(), "fr"))
                .unwrap();
        assert_eq!(
            alignment["targetName"],
            "Protéger les données personnelles et la vie privée"
        );
        assert!(digcomp.competence("6.1").is_none());
    }
}

//! CSV files as people have them: what spreadsheet software in France
//! writes (Excel saves Windows-1252 with `;`), with French or English column
//! names, first and last names in separate columns.
//!
//! [`decode`] turns the bytes into text (UTF-8 with or without BOM, UTF-16
//! with BOM, else Windows-1252, which decodes any byte), [`separator`] finds
//! `;`, `,` or tab from the header line, and [`map_columns`] reads each
//! header as one of the fields [`Field`] or as a column left aside.

use std::borrow::Cow;

use serde::Serialize;

/// What a column of the file is used as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The whole name ("Nom complet", "name").
    Name,
    /// First name ("Prénom").
    FirstName,
    /// Last name ("Nom" beside a "Prénom" column).
    LastName,
    /// E-mail address ("Courriel", "E-mail", "Adresse e-mail").
    Email,
    /// Narrative ("Commentaire", "Récit").
    Narrative,
    /// Evidence URL ("Preuve", "Lien").
    EvidenceUrl,
    /// The language of the person's e-mail ("Langue", "Language"), read by
    /// [`language`].
    Language,
}

impl Field {
    /// The API's column name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::FirstName => "first_name",
            Self::LastName => "last_name",
            Self::Email => "email",
            Self::Narrative => "narrative",
            Self::EvidenceUrl => "evidence_url",
            Self::Language => "language",
        }
    }
}

/// One column of the file and what it is used as, if anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ColumnUse {
    /// The header as written in the file.
    pub header: String,
    /// What it is read as; `null`: left aside.
    #[schema(schema_with = crate::openapi::nullable_csv_field)]
    pub field: Option<Field>,
}

/// Which encoding the file was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    /// UTF-8 (with or without byte order mark).
    Utf8,
    /// UTF-16 with a byte order mark.
    Utf16,
    /// Windows-1252, what Excel in France writes for "CSV (séparateur: point-virgule)".
    Windows1252,
}

/// The file's text and the encoding it was read as.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, TextEncoding) {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        let kind = if encoding == encoding_rs::UTF_8 {
            TextEncoding::Utf8
        } else {
            TextEncoding::Utf16
        };
        return (text, kind);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), TextEncoding::Utf8),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text, TextEncoding::Windows1252)
        }
    }
}

/// The separator of the header line: the most frequent of `;`, tab and `,`
/// outside quotes; `,` when there is none.
pub fn separator(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    let mut quoted = false;
    let mut counts = [0usize; 3];
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => counts[0] += 1,
            '\t' if !quoted => counts[1] += 1,
            ',' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], i == 2)).unwrap_or(2);
    if counts[best] == 0 {
        return b',';
    }
    [b';', b'\t', b','][best]
}

/// A header reduced for matching: lower case, no accents, words joined by
/// single spaces (`Adresse_E-mail` and `adresse e mail` match).
fn reduce(header: &str) -> String {
    let plain: String = header
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            '_' | '-' | '.' | '\'' | '’' => ' ',
            c => c,
        })
        .collect();
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a header names, before "Nom" is told apart (see [`map_columns`]).
fn field_of(reduced: &str) -> Option<Field> {
    Some(match reduced {
        "name" | "full name" | "nom complet" | "nom et prenom" | "prenom et nom" | "nom prenom"
        | "prenom nom" | "participant" | "participante" | "beneficiaire" => Field::Name,
        "prenom" | "first name" | "firstname" | "given name" => Field::FirstName,
        "nom" | "nom de famille" | "last name" | "lastname" | "surname" | "family name" => {
            Field::LastName
        }
        "email"
        | "e mail"
        | "mail"
        | "courriel"
        | "adresse e mail"
        | "adresse email"
        | "adresse mail"
        | "adresse electronique"
        | "email address"
        | "e mail address" => Field::Email,
        "narrative" | "commentaire" | "commentaires" | "recit" | "comment" | "comments"
        | "remarque" => Field::Narrative,
        "evidence url" | "evidence" | "preuve" | "lien" | "lien preuve" | "url" | "link" => {
            Field::EvidenceUrl
        }
        "langue" | "language" | "lang" | "langue de l e mail" | "langue du courriel" => {
            Field::Language
        }
        _ => return None,
    })
}

/// The language a cell names: `fr`, `en`, "français", "anglais", "French",
/// "English" in any case, with or without accents; an empty cell is French.
/// `None` for anything else.
pub fn language(value: &str) -> Option<crate::i18n::Lang> {
    use crate::i18n::Lang;
    match reduce(value).as_str() {
        "" | "fr" | "francais" | "french" | "fr fr" => Some(Lang::Fr),
        "en" | "anglais" | "english" | "en gb" | "en us" => Some(Lang::En),
        _ => None,
    }
}

/// What each column is used as. "Nom" alone is the whole name; beside a
/// "Prénom" column it is the last name. A field named twice is used once,
/// from its first column.
pub fn map_columns(headers: &[&str]) -> Vec<ColumnUse> {
    let fields: Vec<Option<Field>> = headers.iter().map(|h| field_of(&reduce(h))).collect();
    let has_first = fields.contains(&Some(Field::FirstName));
    let mut seen = Vec::new();
    headers
        .iter()
        .zip(fields)
        .map(|(header, field)| {
            let field = match field {
                Some(Field::LastName) if !has_first => Some(Field::Name),
                other => other,
            }
            .filter(|f| !seen.contains(f));
            if let Some(f) = field {
                seen.push(f);
            }
            ColumnUse {
                header: (*header).to_owned(),
                field,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_read_in_french_or_english_words() {
        use crate::i18n::Lang;
        for (cell, lang) in [
            ("", Some(Lang::Fr)),
            ("fr", Some(Lang::Fr)),
            ("Français", Some(Lang::Fr)),
            ("FRANCAIS", Some(Lang::Fr)),
            ("French", Some(Lang::Fr)),
            ("EN", Some(Lang::En)),
            ("anglais", Some(Lang::En)),
            ("English", Some(Lang::En)),
            ("espagnol", None),
            ("f", None),
        ] {
            assert_eq!(language(cell), lang, "{cell:?}");
        }
        let uses = map_columns(&["Nom", "Langue"]);
        assert_eq!(uses[1].field, Some(Field::Language));
        assert_eq!(
            map_columns(&["name", "Language"])[1].field,
            Some(Field::Language)
        );
    }

    #[test]
    fn excel_in_france_is_read() {
        // "Prénom" and "Zoé" in Windows-1252.
        let bytes = b"Nom;Pr\xe9nom;Courriel\r\nRoux;Zo\xe9;zoe@example.fr\r\n";
        let (text, encoding) = decode(bytes);
        assert_eq!(encoding, TextEncoding::Windows1252);
        assert!(text.contains("Prénom") && text.contains("Zoé"));
        assert_eq!(separator(&text), b';');
        let uses = map_columns(&["Nom", "Prénom", "Courriel"]);
        let fields: Vec<_> = uses.iter().map(|u| u.field).collect();
        assert_eq!(
            fields,
            [
                Some(Field::LastName),
                Some(Field::FirstName),
                Some(Field::Email)
            ]
        );
    }

    #[test]
    fn boms_and_separators() {
        let (text, encoding) = decode(b"\xEF\xBB\xBFname\nA\n");
        assert_eq!((text.as_ref(), encoding), ("name\nA\n", TextEncoding::Utf8));
        let (text, encoding) = decode(b"\xFF\xFEn\x00a\x00");
        assert_eq!((text.as_ref(), encoding), ("na", TextEncoding::Utf16));
        assert_eq!(separator("Nom\tCourriel\n"), b'\t');
        assert_eq!(separator("name,email\n"), b',');
        assert_eq!(separator("\"Nom, complet\";Courriel\n"), b';');
        assert_eq!(separator("name\n"), b',');
    }

    #[test]
    fn headers_in_both_languages() {
        let uses = map_columns(&[
            "Nom complet",
            "Adresse e-mail",
            "Commentaire",
            "Preuve",
            "Téléphone",
        ]);
        let fields: Vec<_> = uses.iter().map(|u| u.field).collect();
        assert_eq!(
            fields,
            [
                Some(Field::Name),
                Some(Field::Email),
                Some(Field::Narrative),
                Some(Field::EvidenceUrl),
                None
            ]
        );
        // "Nom" alone is the whole name.
        assert_eq!(map_columns(&["Nom", "E-mail"])[0].field, Some(Field::Name));
        assert_eq!(map_columns(&["email", "E-mail"])[1].field, None);
    }
}

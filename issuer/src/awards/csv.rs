//! Bulk awards from a CSV file: `name,email,narrative,evidence_url`.
//!
//! [`parse`] reads and checks the whole file and reports every bad row (line,
//! field, reason) before anything is written; the API's dry run, the CLI and
//! the pages share it. [`commit`] awards every row in one transaction: the
//! file lands whole or not at all.
//!
//! Resubmitting a file awards nobody twice: each row's idempotency key is a
//! hash of its natural key, the achievement version plus the lowercased e-mail
//! (or, without one, the normalised name), plus the file's own key when the
//! caller gives one (`Idempotency-Key`). Without a file key, a participant
//! receives a given achievement version at most once through CSV imports.
//!
//! Columns may come in any order, named in French or English, with first
//! and last names apart or together; columns not understood are left aside
//! and shown so in the preview ([`read`] gives the mapping). The encoding
//! and separator are found from the file ([`super::csv_format`]). Every
//! problem has a stable `code` the pages word in the reader's language; the
//! API adds an English `reason`.

use serde::Serialize;

use schemas::{normalise_email, normalise_name};

use super::csv_format::{self, ColumnUse, Field, TextEncoding};
use super::{
    checked, is_http_url, issue_all, Award, AwardRequest, CredentialFormat, IssueContext, Issuer,
    MAX_NAME, MAX_NARRATIVE,
};
use crate::achievements;
use crate::audit::{self, AuditEvent};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::org_keys;
use crate::orgs::Organisation;
use crate::time::sha256_hex;

/// Most participant rows in one file.
pub const MAX_ROWS: usize = 2000;
/// Largest file, in bytes.
pub const MAX_BYTES: usize = 1024 * 1024;
/// The columns understood, by their API names (French and English headers
/// are read too, see [`csv_format`]).
pub const COLUMNS: [&str; 6] = [
    "name",
    "first_name",
    "last_name",
    "email",
    "narrative",
    "evidence_url",
];

/// One participant row, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// Line of the file (the header is line 1).
    pub line: u64,
    /// Name.
    pub name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Narrative.
    pub narrative: Option<String>,
    /// Evidence URL.
    pub evidence_url: Option<String>,
}

/// Why a row (or the file) is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// Line of the file (the header is line 1; 0 for the file as a whole).
    pub line: u64,
    /// The field concerned (API name), or `file` / `row`.
    pub field: String,
    /// What is wrong, in English, for API callers.
    pub reason: String,
    /// What is wrong, as a stable code: `file_too_large`, `too_many_rows`,
    /// `no_rows`, `no_name_column`, `unequal_fields`, `unreadable`,
    /// `name_required`, `name_too_long`, `email_invalid`,
    /// `narrative_too_long`, `evidence_url_invalid`, `duplicate`.
    pub code: &'static str,
    /// The column's header as written in the file, if one is concerned.
    pub column: Option<String>,
    /// The number the message quotes (a limit, a line), if any.
    pub number: Option<u64>,
    /// The refused character, for a `control_character` problem (the pages
    /// explain it in the reader's language).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control_character: Option<String>,
}

impl RowError {
    fn new(line: u64, field: &str, code: &'static str, reason: impl Into<String>) -> Self {
        Self {
            line,
            field: field.to_owned(),
            reason: reason.into(),
            code,
            column: None,
            number: None,
            control_character: None,
        }
    }

    /// The row error for a text refused by [`crate::text`]; `None` for
    /// another error.
    fn from_text(line: u64, error: &ApiError) -> Option<Self> {
        let ApiError::InvalidText { field, found } = error else {
            return None;
        };
        Some(Self {
            control_character: Some(crate::text::code_point(*found)),
            ..Self::new(
                line,
                field,
                "control_character",
                format!(
                    "contains the control character {} (line breaks, tabs and other invisible characters are not accepted)",
                    crate::text::code_point(*found)
                ),
            )
        })
    }

    fn quoting(mut self, number: impl TryInto<u64>) -> Self {
        self.number = number.try_into().ok();
        self
    }
}

/// A file as read: how, its columns, and its rows or problems.
#[derive(Debug, Clone)]
pub struct CsvFile {
    /// The file's text, as UTF-8 (what the preview hands to the commit).
    pub text: String,
    /// The encoding it was read as.
    pub encoding: TextEncoding,
    /// The separator found.
    pub separator: char,
    /// Each column and what it is read as.
    pub columns: Vec<ColumnUse>,
    /// Every row, or every problem found.
    pub rows: Result<Vec<Row>, Vec<RowError>>,
}

/// Reads and checks a whole file: every row, or every problem found.
pub fn parse(bytes: &[u8]) -> Result<Vec<Row>, Vec<RowError>> {
    read(bytes).rows
}

/// Reads a whole file as people have it: encoding, separator, column
/// mapping, then every row checked.
pub fn read(bytes: &[u8]) -> CsvFile {
    if bytes.len() > MAX_BYTES {
        return CsvFile {
            text: String::new(),
            encoding: TextEncoding::Utf8,
            separator: ',',
            columns: Vec::new(),
            rows: Err(vec![RowError::new(
                0,
                "file",
                "file_too_large",
                format!("the file is larger than {MAX_BYTES} bytes"),
            )
            .quoting(MAX_BYTES / 1024)]),
        };
    }
    let (text, encoding) = csv_format::decode(bytes);
    let text = text.into_owned();
    let separator = csv_format::separator(&text);
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(separator)
        .trim(::csv::Trim::All)
        .from_reader(text.as_bytes());
    let (columns, rows) = match header(&mut reader) {
        Ok(columns) => {
            let rows = records(&mut reader, &columns, text.as_bytes());
            (columns, rows)
        }
        Err((columns, errors)) => (columns, Err(errors)),
    };
    CsvFile {
        encoding,
        separator: char::from(separator),
        columns,
        rows,
        text,
    }
}

fn records(
    reader: &mut ::csv::Reader<&[u8]>,
    columns: &[ColumnUse],
    bytes: &[u8],
) -> Result<Vec<Row>, Vec<RowError>> {
    let mut lines = Lines::new(bytes);
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen: Vec<(String, u64)> = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = lines.at(e.position());
                errors.push(record_error(line, &e));
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        if rows.len() + errors.len() >= MAX_ROWS {
            errors.push(
                RowError::new(
                    lines.at(record.position()),
                    "file",
                    "too_many_rows",
                    format!("more than {MAX_ROWS} rows: split the file"),
                )
                .quoting(MAX_ROWS),
            );
            break;
        }
        match row(columns, &record, lines.at(record.position())) {
            Ok(row) => {
                let key = participant_key(&row);
                if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                    let field = if row.email.is_some() {
                        Field::Email
                    } else {
                        Field::Name
                    };
                    errors.push(
                        column_error(
                            columns,
                            row.line,
                            field,
                            "duplicate",
                            format!("the same participant as line {first}"),
                        )
                        .quoting(*first),
                    );
                } else {
                    seen.push((key, row.line));
                    rows.push(row);
                }
            }
            Err(mut row_errors) => errors.append(&mut row_errors),
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(RowError::new(
            1,
            "file",
            "no_rows",
            "the file has no participant rows",
        ));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// Line numbers of records, counted from their byte offsets: the `csv` crate
/// counts one line too few in files with CRLF line ends, those spreadsheet
/// software saves on Windows, as the CR ends a record and its LF is taken
/// for the start of the next (found by the CSV fuzz target); a lone CR (old
/// Mac files) ends a line too. Records come in
/// order, so the count goes on from the previous one.
struct Lines<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Lines {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    /// The line a record or error starts on (0 when its position is unknown).
    fn at(&mut self, position: Option<&::csv::Position>) -> u64 {
        let Some(position) = position else {
            return 0;
        };
        let mut byte = usize::try_from(position.byte())
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        // After a CR the position points at the LF that ends the previous line.
        while self
            .bytes
            .get(byte)
            .is_some_and(|b| *b == b'\n' || *b == b'\r')
        {
            byte += 1;
        }
        if byte < self.offset {
            (self.offset, self.line) = (0, 1);
        }
        // A line ends with LF, CRLF or a lone CR, as the csv crate reads them.
        let newlines = (self.offset..byte)
            .filter(|&i| match self.bytes[i] {
                b'\n' => true,
                b'\r' => self.bytes.get(i + 1) != Some(&b'\n'),
                _ => false,
            })
            .count();
        self.line += newlines as u64;
        self.offset = byte;
        self.line
    }
}

/// An error about `field` on `line`, naming the column as the file does.
fn column_error(
    columns: &[ColumnUse],
    line: u64,
    field: Field,
    code: &'static str,
    reason: impl Into<String>,
) -> RowError {
    let mut error = RowError::new(line, field.as_str(), code, reason);
    error.column = columns
        .iter()
        .find(|c| c.field == Some(field))
        .map(|c| c.header.clone());
    error
}

/// The columns, in file order, with what each is read as; a file without
/// a name (nor first and last names) is refused.
fn header(
    reader: &mut ::csv::Reader<&[u8]>,
) -> Result<Vec<ColumnUse>, (Vec<ColumnUse>, Vec<RowError>)> {
    let headers = reader
        .headers()
        .map_err(|e| (Vec::new(), vec![record_error(1, &e)]))?;
    let headers: Vec<&str> = headers.iter().collect();
    let columns = csv_format::map_columns(&headers);
    let has = |field| columns.iter().any(|c| c.field == Some(field));
    if has(Field::Name) || has(Field::FirstName) || has(Field::LastName) {
        Ok(columns)
    } else {
        let error = RowError::new(
            1,
            "name",
            "no_name_column",
            format!(
                "no name column; expected one of {} (or Nom, Prénom, Nom complet, Courriel...)",
                COLUMNS.join(",")
            ),
        );
        Err((columns, vec![error]))
    }
}

fn record_error(line: u64, error: &::csv::Error) -> RowError {
    match error.kind() {
        ::csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => RowError::new(
            line,
            "row",
            "unequal_fields",
            format!("{len} fields where the header has {expected_len}"),
        )
        .quoting(*expected_len),
        _ => RowError::new(
            line,
            "row",
            "unreadable",
            format!("unreadable row: {error}"),
        ),
    }
}

fn row(
    columns: &[ColumnUse],
    record: &::csv::StringRecord,
    line: u64,
) -> Result<Row, Vec<RowError>> {
    let mut errors = Vec::new();
    // Each value trimmed, NFC and free of control characters (crate::text);
    // a refused one is reported and read as absent.
    let mut value = |field: Field| {
        let raw = columns
            .iter()
            .position(|c| c.field == Some(field))
            .and_then(|i| record.get(i));
        let cleaned = if field == Field::Narrative {
            crate::text::optional_paragraphs(field.as_str(), raw)
        } else {
            crate::text::optional_line(field.as_str(), raw)
        };
        cleaned.unwrap_or_else(|e| {
            errors.extend(RowError::from_text(line, &e).map(|mut error| {
                // Named as the file names it, like every other problem.
                error.column = columns
                    .iter()
                    .find(|c| c.field == Some(field))
                    .map(|c| c.header.clone());
                error
            }));
            None
        })
    };
    let full_name = value(Field::Name);
    let first_name = value(Field::FirstName);
    let last_name = value(Field::LastName);
    let email = value(Field::Email);
    let narrative = value(Field::Narrative);
    let evidence_url = value(Field::EvidenceUrl);
    let refused = !errors.is_empty();
    let name = full_name.unwrap_or_else(|| {
        [first_name, last_name]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    });
    let name_field = if columns.iter().any(|c| c.field == Some(Field::Name)) {
        Field::Name
    } else {
        Field::FirstName
    };
    let length = name.chars().count();
    if length == 0 && !refused {
        errors.push(column_error(
            columns,
            line,
            name_field,
            "name_required",
            "the name is required",
        ));
    } else if length > MAX_NAME {
        errors.push(
            column_error(
                columns,
                line,
                name_field,
                "name_too_long",
                format!("at most {MAX_NAME} characters"),
            )
            .quoting(MAX_NAME),
        );
    }
    if email
        .as_deref()
        .is_some_and(|e| e.len() > 254 || !crate::users::looks_like_email(e))
    {
        errors.push(column_error(
            columns,
            line,
            Field::Email,
            "email_invalid",
            "not an e-mail address",
        ));
    }
    if narrative
        .as_deref()
        .is_some_and(|n| n.chars().count() > MAX_NARRATIVE)
    {
        errors.push(
            column_error(
                columns,
                line,
                Field::Narrative,
                "narrative_too_long",
                format!("at most {MAX_NARRATIVE} characters"),
            )
            .quoting(MAX_NARRATIVE),
        );
    }
    if evidence_url.as_deref().is_some_and(|u| !is_http_url(u)) {
        errors.push(column_error(
            columns,
            line,
            Field::EvidenceUrl,
            "evidence_url_invalid",
            "not an http(s) URL",
        ));
    }
    if errors.is_empty() {
        Ok(Row {
            line,
            name,
            email,
            narrative,
            evidence_url,
        })
    } else {
        Err(errors)
    }
}

/// Who a row names: the normalised e-mail, or else the normalised name.
fn participant_key(row: &Row) -> String {
    match &row.email {
        Some(email) => format!("email:{}", normalise_email(email)),
        None => format!("name:{}", normalise_name(&row.name)),
    }
}

/// The idempotency key of a row: see the module documentation.
pub fn row_key(version_id: &str, row: &Row, file_key: Option<&str>) -> String {
    let natural = format!(
        "{version_id}\n{}\n{}",
        participant_key(row),
        file_key.unwrap_or("")
    );
    format!("csv:{}", sha256_hex(&natural))
}

/// What a bulk award is about.
#[derive(Debug, Clone, Copy)]
pub struct Batch<'a> {
    /// The achievement awarded (its current version).
    pub achievement_id: &'a str,
    /// How the credentials are secured.
    pub format: CredentialFormat,
    /// The file's own idempotency key, if the caller gives one.
    pub file_key: Option<&'a str>,
}

/// How a bulk award went (or, for a dry run, would go).
#[derive(Debug, Clone, Default, Serialize)]
pub struct BatchOutcome {
    /// Rows awarded now.
    pub awarded: usize,
    /// Rows already awarded by an earlier submission.
    pub skipped: usize,
    /// Ids of the awards of the rows, new or earlier, in file order.
    pub award_ids: Vec<String>,
}

/// How many rows a commit would award and skip, without writing.
pub fn preview(
    conn: &mut DbConnection,
    org: &Organisation,
    batch: &Batch<'_>,
    rows: &[Row],
) -> Result<BatchOutcome, ApiError> {
    use crate::db::schema::awards;
    use diesel::prelude::*;
    let version = achievements::current(conn, &org.id, batch.achievement_id)?;
    let keys: Vec<String> = rows
        .iter()
        .map(|r| row_key(&version.id, r, batch.file_key))
        .collect();
    let mut existing = 0;
    for chunk in keys.chunks(500) {
        let found: i64 = awards::table
            .filter(awards::org_id.eq(&org.id))
            .filter(awards::idempotency_key.eq_any(chunk))
            .count()
            .get_result(conn)?;
        existing += usize::try_from(found).unwrap_or(0);
    }
    Ok(BatchOutcome {
        awarded: rows.len().saturating_sub(existing),
        skipped: existing,
        award_ids: Vec::new(),
    })
}

/// Awards every row in one transaction; `progress` is told how many rows are
/// done (signed, or found already awarded). The credentials are signed in
/// parallel before the transaction, which only stores them.
#[allow(clippy::too_many_arguments)]
pub fn commit(
    conn: &mut DbConnection,
    ctx: &IssueContext<'_>,
    org: &Organisation,
    batch: &Batch<'_>,
    rows: &[Row],
    actor: &str,
    progress: &mut dyn FnMut(usize),
) -> Result<BatchOutcome, ApiError> {
    let version = achievements::current(conn, &org.id, batch.achievement_id)?;
    let key =
        org_keys::active_signing_key(conn, ctx.master_key, &org.id, batch.format.algorithm())?;
    let requests = rows
        .iter()
        .map(|row| {
            checked(AwardRequest {
                achievement_id: batch.achievement_id.to_owned(),
                recipient_name: row.name.clone(),
                recipient_email: row.email.clone(),
                name_consent: false,
                narrative: row.narrative.clone(),
                evidence_url: row.evidence_url.clone(),
                format: batch.format,
                idempotency_key: Some(row_key(&version.id, row, batch.file_key)),
                recipient_language: crate::i18n::Lang::Fr,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let issuer = Issuer {
        ctx,
        org,
        version: &version,
        key: &key,
        actor,
    };
    let mut record_import = |conn: &mut DbConnection, awards: &[(&Award, bool)]| {
        let awarded = awards.iter().filter(|(_, created)| *created).count();
        let detail = format!(
            "achievement {}: {awarded} awarded, {} skipped",
            version.id,
            awards.len() - awarded
        );
        audit::record(
            conn,
            AuditEvent {
                org_id: Some(&org.id),
                actor,
                action: "award.csv_import",
                target_type: "achievement",
                target_id: &version.achievement_id,
                detail: Some(&detail),
            },
        )?;
        Ok(())
    };
    let outcomes = issue_all(conn, &issuer, &requests, progress, &mut record_import)?;
    let awarded = outcomes.iter().filter(|o| o.created).count();
    Ok(BatchOutcome {
        awarded,
        skipped: outcomes.len() - awarded,
        award_ids: outcomes.into_iter().map(|o| o.award.id).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_in_any_column_order_with_semicolons_and_bom() {
        let file = "\u{feff}email;name\n a@b.fr ;Marie Curie\n;Jean Moulin\n;\n";
        let rows = parse(file.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].email.as_deref(), Some("a@b.fr"));
        assert_eq!(rows[1].name, "Jean Moulin");
        assert_eq!(rows[1].line, 3);
    }

    #[test]
    fn reports_every_bad_row_with_line_and_field() {
        let file = "name,email,narrative,evidence_url\n\
                    Ana,not-an-email,,\n\
                    ,b@c.fr,,\n\
                    Léa,,,ftp://x\n\
                    ana,,\n\
                    Léa ,,,\n";
        let errors = parse(file.as_bytes()).unwrap_err();
        let found: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
        assert_eq!(
            found,
            [(2, "email"), (3, "name"), (4, "evidence_url"), (5, "row"),]
        );
        // "nom" is a name column now; "y" is still not an address.
        let header = parse(b"nom,email\nx,y\n").unwrap_err();
        assert_eq!(header[0].code, "email_invalid");
        assert_eq!(header[0].column.as_deref(), Some("email"));
        let no_name = parse(b"telephone,email\n1,a@b.fr\n").unwrap_err();
        assert_eq!(no_name[0].code, "no_name_column");
        assert!(parse(b"name\n").is_err());
        // Not UTF-8: read as Windows-1252, "\xff" is "ÿ".
        assert_eq!(parse(b"name\n\xff\n").unwrap()[0].name, "ÿ");
    }

    #[test]
    fn duplicates_and_row_keys() {
        let errors =
            parse("name,email\nA,a@b.fr\nB,A@B.FR\nÉlise,\nélise ,\n".as_bytes()).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].reason, "the same participant as line 2");
        let rows = parse(b"name\nA\n").unwrap();
        assert_eq!(row_key("v", &rows[0], None), row_key("v", &rows[0], None));
        assert_ne!(
            row_key("v", &rows[0], None),
            row_key("v", &rows[0], Some("k"))
        );
        assert_ne!(row_key("v", &rows[0], None), row_key("w", &rows[0], None));
    }
}
#[cfg(test)]
mod line_numbers {
    use super::parse;

    #[test]
    fn rows_are_numbered_from_the_file_with_crlf_or_lf_line_ends() {
        for text in [
            "name\nMarie\nJean",
            "name\r\nMarie\r\nJean",
            "name\rMarie\rJean",
        ] {
            let lines: Vec<u64> = parse(text.as_bytes())
                .unwrap()
                .iter()
                .map(|row| row.line)
                .collect();
            assert_eq!(lines, [2, 3], "{text:?}");
        }
        let errors = parse("name,email\r\nMarie,x\r\n\"Jean\nNoël\",not-an-email\r\n".as_bytes())
            .unwrap_err();
        let lines: Vec<u64> = errors.iter().map(|error| error.line).collect();
        // Line 3 twice: the line break in the name, then the e-mail.
        assert_eq!(lines, [2, 3, 3], "{errors:?}");
    }
}

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
//! Columns may come in any order; only `name` is required. Files saved by
//! spreadsheet software in French locales use `;`: the separator is taken
//! from the header line. A UTF-8 byte order mark is ignored.

use serde::Serialize;

use schemas::{normalise_email, normalise_name};

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
/// The columns understood.
pub const COLUMNS: [&str; 4] = ["name", "email", "narrative", "evidence_url"];

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
    /// The column concerned, or `file` / `row`.
    pub field: String,
    /// What is wrong.
    pub reason: String,
    /// The refused character, for a `control_character` problem (the pages
    /// explain it in the reader's language).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control_character: Option<String>,
}

impl RowError {
    fn new(line: u64, field: &str, reason: impl Into<String>) -> Self {
        Self {
            line,
            field: field.to_owned(),
            reason: reason.into(),
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
                format!(
                    "contains the control character {} (line breaks, tabs and other invisible characters are not accepted)",
                    crate::text::code_point(*found)
                ),
            )
        })
    }
}

/// Reads and checks a whole file: every row, or every problem found.
pub fn parse(bytes: &[u8]) -> Result<Vec<Row>, Vec<RowError>> {
    if bytes.len() > MAX_BYTES {
        return Err(vec![RowError::new(
            0,
            "file",
            format!("the file is larger than {MAX_BYTES} bytes"),
        )]);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64;
        return Err(vec![RowError::new(
            line,
            "file",
            "not UTF-8 text (save the file as CSV UTF-8)",
        )]);
    }
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(separator(bytes))
        .trim(::csv::Trim::All)
        .from_reader(bytes);
    let columns = header(&mut reader)?;
    let mut lines = Lines::new(bytes);
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen: Vec<(String, u64)> = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = lines.at(e.position());
                errors.push(RowError::new(line, "row", record_error(&e)));
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        if rows.len() + errors.len() >= MAX_ROWS {
            errors.push(RowError::new(
                lines.at(record.position()),
                "file",
                format!("more than {MAX_ROWS} rows: split the file"),
            ));
            break;
        }
        match row(&columns, &record, lines.at(record.position())) {
            Ok(row) => {
                let key = participant_key(&row);
                if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                    let field = if row.email.is_some() { "email" } else { "name" };
                    errors.push(RowError::new(
                        row.line,
                        field,
                        format!("the same participant as line {first}"),
                    ));
                } else {
                    seen.push((key, row.line));
                    rows.push(row);
                }
            }
            Err(mut row_errors) => errors.append(&mut row_errors),
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(RowError::new(1, "file", "the file has no participant rows"));
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
/// for the start of the next (found by the CSV fuzz target). Records come in
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
        let newlines = self.bytes[self.offset..byte]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.line += newlines as u64;
        self.offset = byte;
        self.line
    }
}

/// `;` when the header line has semicolons and no commas, else `,`.
fn separator(bytes: &[u8]) -> u8 {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    if first.contains(&b';') && !first.contains(&b',') {
        b';'
    } else {
        b','
    }
}

/// The column names, in file order, checked.
fn header(reader: &mut ::csv::Reader<&[u8]>) -> Result<Vec<String>, Vec<RowError>> {
    let headers = reader
        .headers()
        .map_err(|e| vec![RowError::new(1, "file", record_error(&e))])?;
    let columns: Vec<String> = headers.iter().map(str::to_lowercase).collect();
    let mut errors = Vec::new();
    for (i, column) in columns.iter().enumerate() {
        if !COLUMNS.contains(&column.as_str()) {
            errors.push(RowError::new(
                1,
                column,
                format!("unknown column; expected {}", COLUMNS.join(",")),
            ));
        } else if columns[..i].contains(column) {
            errors.push(RowError::new(1, column, "this column appears twice"));
        }
    }
    if !columns.iter().any(|c| c == "name") {
        errors.push(RowError::new(1, "name", "the name column is required"));
    }
    if errors.is_empty() {
        Ok(columns)
    } else {
        Err(errors)
    }
}

fn record_error(error: &::csv::Error) -> String {
    match error.kind() {
        ::csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} fields where the header has {expected_len}"),
        ::csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".to_owned(),
        _ => format!("unreadable row: {error}"),
    }
}

fn row(columns: &[String], record: &::csv::StringRecord, line: u64) -> Result<Row, Vec<RowError>> {
    let mut errors = Vec::new();
    // Each value trimmed, NFC and free of control characters (crate::text);
    // a refused one is reported and read as absent.
    let mut value = |name: &'static str, paragraphs: bool| {
        let raw = columns
            .iter()
            .position(|c| c == name)
            .and_then(|i| record.get(i));
        let cleaned = if paragraphs {
            crate::text::optional_paragraphs(name, raw)
        } else {
            crate::text::optional_line(name, raw)
        };
        cleaned.unwrap_or_else(|e| {
            errors.extend(RowError::from_text(line, &e));
            None
        })
    };
    let name = value("name", false);
    let email = value("email", false);
    let narrative = value("narrative", true);
    let evidence_url = value("evidence_url", false);
    let refused = !errors.is_empty();
    let name = name.unwrap_or_default();
    let length = name.chars().count();
    if length == 0 && !refused {
        errors.push(RowError::new(line, "name", "the name is required"));
    } else if length > MAX_NAME {
        errors.push(RowError::new(
            line,
            "name",
            format!("at most {MAX_NAME} characters"),
        ));
    }
    if email
        .as_deref()
        .is_some_and(|e| e.len() > 254 || !crate::users::looks_like_email(e))
    {
        errors.push(RowError::new(line, "email", "not an e-mail address"));
    }
    if narrative
        .as_deref()
        .is_some_and(|n| n.chars().count() > MAX_NARRATIVE)
    {
        errors.push(RowError::new(
            line,
            "narrative",
            format!("at most {MAX_NARRATIVE} characters"),
        ));
    }
    if evidence_url.as_deref().is_some_and(|u| !is_http_url(u)) {
        errors.push(RowError::new(line, "evidence_url", "not an http(s) URL"));
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
        let header = parse(b"nom,email\nx,y\n").unwrap_err();
        assert_eq!(header[0].field, "nom");
        assert!(parse(b"name\n").is_err());
        assert_eq!(parse(b"name\n\xff\n").unwrap_err()[0].line, 2);
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
        for text in ["name\nMarie\nJean", "name\r\nMarie\r\nJean"] {
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
        assert_eq!(lines, [2, 3], "{errors:?}");
    }
}

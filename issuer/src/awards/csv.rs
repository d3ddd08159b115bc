//! Bulk awards from a CSV file: `name,email,narrative,evidence_url,language`.
//!
//! [`parse`] reads and checks the whole file and reports every bad row (line,
//! field, reason) before anything is written; the API's dry run, the CLI and
//! the pages share it. [`commit`] awards every row in one transaction: the
//! file lands whole or not at all.
//!
//! Resubmitting a file awards nobody twice: each row's idempotency key is a
//! hash of its natural key, the achievement version plus the lowercased e-mail
//! (or, without one, the normalised name) and, for the same person again
//! further down the file, which time it is, plus the file's own key when the
//! caller gives one (`Idempotency-Key`). Without a file key, a participant
//! receives a given achievement version at most once through CSV imports,
//! unless asked to.
//!
//! Duplicates are flagged before anything is awarded ([`plan`]): a row for
//! someone who already holds the badge, whichever path awarded it (single
//! award, workshop, an earlier import under another file key), and a row for
//! the same person as an earlier row of the file (the same e-mail, else the
//! same normalised name, as [`super::duplicates`] decides). The caller
//! chooses ([`Duplicates`]) to skip them or award anyway; either way the
//! outcome lists every row not awarded and why.
//!
//! Columns may come in any order, named in French or English, with first
//! and last names apart or together; columns not understood are left aside
//! and shown so in the preview ([`read`] gives the mapping). The encoding
//! and separator are found from the file ([`super::csv_format`]). Every
//! problem has a stable `code` the pages word in the reader's language; the
//! API adds an English `reason`.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use schemas::{normalise_email, normalise_name};

use super::csv_format::{self, ColumnUse, Field, TextEncoding};
use super::duplicates::{self, PeopleIndex, Person};
use super::{
    checked, is_http_url, issue_all, Award, AwardError, AwardRequest, CredentialFormat,
    IssueContext, Issuer, MAX_NAME, MAX_NARRATIVE,
};
use crate::achievements;
use crate::audit::{self, Actor, AuditEvent, Target};
use crate::db::DbConnection;
use crate::i18n::Lang;
use crate::ids::AchievementId;
use crate::orgs::Organisation;
use crate::text::TextError;
use crate::time::sha256_hex;

/// Most participant rows in one file.
pub const MAX_ROWS: usize = 2000;
/// Largest file, in bytes.
pub const MAX_BYTES: usize = 1024 * 1024;
/// The columns understood, by their API names (French and English headers
/// are read too, see [`csv_format`]).
pub const COLUMNS: [&str; 7] = [
    "name",
    "first_name",
    "last_name",
    "email",
    "narrative",
    "evidence_url",
    "language",
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
    /// The language of the person's e-mail (French when the file has no
    /// language column or the cell is empty).
    #[serde(serialize_with = "language_code")]
    pub language: Lang,
}

/// A language as its code, `fr` or `en`.
fn language_code<S: serde::Serializer>(lang: &Lang, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(lang.code())
}

/// Why a row (or the file) is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
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
    /// `narrative_too_long`, `evidence_url_invalid`, `language_invalid`,
    /// `control_character`.
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

    /// The row error for a text refused by [`crate::text`].
    fn from_text(line: u64, error: &TextError) -> Self {
        let found = crate::text::code_point(error.found);
        Self {
            control_character: Some(found.clone()),
            ..Self::new(
                line,
                error.field,
                "control_character",
                format!(
                    "contains the control character {found} (line breaks, tabs and other invisible characters are not accepted)"
                ),
            )
        }
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
            Ok(row) => rows.push(row),
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
            let mut error = RowError::from_text(line, &e);
            // Named as the file names it, like every other problem.
            error.column = columns
                .iter()
                .find(|c| c.field == Some(field))
                .map(|c| c.header.clone());
            errors.push(error);
            None
        })
    };
    let full_name = value(Field::Name);
    let first_name = value(Field::FirstName);
    let last_name = value(Field::LastName);
    let email = value(Field::Email);
    let narrative = value(Field::Narrative);
    let evidence_url = value(Field::EvidenceUrl);
    let language_cell = value(Field::Language);
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
    let language = csv_format::language(language_cell.as_deref().unwrap_or_default());
    if language.is_none() {
        errors.push(column_error(
            columns,
            line,
            Field::Language,
            "language_invalid",
            "not a language this service writes in: fr (French) or en (English)",
        ));
    }
    if errors.is_empty() {
        Ok(Row {
            line,
            name,
            email,
            narrative,
            evidence_url,
            language: language.unwrap_or_default(),
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

/// The idempotency key of each row, in order: see the module documentation.
pub fn row_keys(version_id: &str, rows: &[Row], file_key: Option<&str>) -> Vec<String> {
    let mut times: HashMap<String, usize> = HashMap::new();
    rows.iter()
        .map(|row| {
            let participant = participant_key(row);
            let time = times.entry(participant.clone()).or_default();
            *time += 1;
            // The first time keeps the key earlier versions gave every row.
            let again = if *time > 1 {
                format!("\n#{time}")
            } else {
                String::new()
            };
            let natural = format!(
                "{version_id}\n{participant}\n{}{again}",
                file_key.unwrap_or("")
            );
            format!("csv:{}", sha256_hex(&natural))
        })
        .collect()
}

/// What to do with the rows flagged as duplicates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Duplicates {
    /// Leave them out, and say so (the default).
    #[default]
    Skip,
    /// Award them anyway: a second badge for the same person.
    Award,
}

impl Duplicates {
    /// Reads `skip` or `award`.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "skip" => Some(Self::Skip),
            "award" => Some(Self::Award),
            _ => None,
        }
    }
}

/// Why a row is flagged, or not awarded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// An earlier submission of this file (same file key) awarded it: never
    /// awarded twice, whatever the choice.
    AlreadyImported,
    /// The person already holds the badge (single award, workshop, another
    /// import).
    HoldsBadge,
    /// The same person as an earlier row of the file.
    DuplicateRow,
}

impl Reason {
    /// The stable code (API, CLI, page messages).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AlreadyImported => "already_imported",
            Self::HoldsBadge => "holds_badge",
            Self::DuplicateRow => "duplicate_row",
        }
    }
}

/// A row flagged as a duplicate, or left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FlaggedRow {
    /// Line of the file.
    pub line: u64,
    /// The participant's name, as read.
    pub name: String,
    /// Why.
    #[schema(inline)]
    pub reason: Reason,
    /// What is wrong, in English, for API callers.
    pub message: String,
    /// For a row of the same person as an earlier row (`duplicate_row`), the
    /// line of that first row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub same_as_line: Option<u64>,
    /// For a row of someone who already holds the badge (`holds_badge`), the
    /// award they hold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub award_id: Option<String>,
}

impl FlaggedRow {
    fn new(row: &Row, reason: Reason) -> Self {
        let message = match reason {
            Reason::AlreadyImported => "already awarded by an earlier import of this file",
            Reason::HoldsBadge => "already holds this badge",
            Reason::DuplicateRow => "the same participant as an earlier line",
        };
        Self {
            line: row.line,
            name: row.name.clone(),
            reason,
            message: message.to_owned(),
            same_as_line: None,
            award_id: None,
        }
    }

    /// Whether the row is left out under `choice`.
    fn skipped_under(&self, choice: Duplicates) -> bool {
        self.reason == Reason::AlreadyImported || choice == Duplicates::Skip
    }
}

/// Each row's idempotency key and, if it is a duplicate, why: rows
/// already imported under the same key first, then the same person as an
/// earlier row, then holders of the badge from any path.
pub fn plan(
    conn: &mut DbConnection,
    org: &Organisation,
    batch: &Batch<'_>,
    rows: &[Row],
) -> Result<Vec<(String, Option<FlaggedRow>)>, AwardError> {
    use crate::db::schema::awards;
    use diesel::prelude::*;
    let version = achievements::current(conn, &org.id, batch.achievement_id)?;
    let keys = row_keys(&version.id, rows, batch.file_key);
    let mut imported: HashSet<String> = HashSet::new();
    for chunk in keys.chunks(500) {
        let found: Vec<Option<String>> = awards::table
            .filter(awards::org_id.eq(&org.id))
            .filter(awards::idempotency_key.eq_any(chunk))
            .select(awards::idempotency_key)
            .load(conn)?;
        imported.extend(found.into_iter().flatten());
    }
    let mut holders = PeopleIndex::default();
    for (id, name, email) in duplicates::holders(conn, &org.id, batch.achievement_id)? {
        let person = Person {
            name: &name,
            email: email.as_deref(),
        };
        holders.insert(&person, id);
    }
    let mut earlier = PeopleIndex::default();
    let mut planned = Vec::with_capacity(rows.len());
    for (row, key) in rows.iter().zip(keys) {
        let person = Person {
            name: &row.name,
            email: row.email.as_deref(),
        };
        let flag = if imported.contains(&key) {
            Some(FlaggedRow::new(row, Reason::AlreadyImported))
        } else if let Some(first) = earlier.find(&person) {
            Some(FlaggedRow {
                same_as_line: Some(*first),
                message: format!("the same participant as line {first}"),
                ..FlaggedRow::new(row, Reason::DuplicateRow)
            })
        } else {
            holders.find(&person).map(|award_id| FlaggedRow {
                award_id: Some(award_id.clone()),
                ..FlaggedRow::new(row, Reason::HoldsBadge)
            })
        };
        earlier.insert(&person, row.line);
        planned.push((key, flag));
    }
    Ok(planned)
}

/// What a bulk award is about.
#[derive(Debug, Clone, Copy)]
pub struct Batch<'a> {
    /// The achievement awarded (its current version).
    pub achievement_id: &'a AchievementId,
    /// How the credentials are secured.
    pub format: CredentialFormat,
    /// The file's own idempotency key, if the caller gives one.
    pub file_key: Option<&'a str>,
    /// What to do with duplicates.
    pub duplicates: Duplicates,
}

/// How a bulk award went (or, for a dry run, would go).
#[derive(Debug, Clone, Default, Serialize)]
pub struct BatchOutcome {
    /// Rows awarded now.
    pub awarded: usize,
    /// Rows not awarded now: already imported, or duplicates skipped.
    pub skipped: usize,
    /// Ids of the awards of the rows, new or earlier, in file order (the
    /// duplicates skipped have none).
    pub award_ids: Vec<String>,
    /// The rows not awarded now, and why, in file order.
    pub skipped_rows: Vec<FlaggedRow>,
    /// The rows flagged as duplicates (of a holder or of an earlier row),
    /// whatever was chosen for them.
    pub flagged: Vec<FlaggedRow>,
}

impl BatchOutcome {
    /// How many rows were left out for `reason`.
    pub fn skipped_for(&self, reason: Reason) -> usize {
        self.skipped_rows
            .iter()
            .filter(|r| r.reason == reason)
            .count()
    }
}

/// The rows flagged as duplicates among a plan's.
fn flagged(planned: &[(String, Option<FlaggedRow>)]) -> Vec<FlaggedRow> {
    planned
        .iter()
        .filter_map(|(_, flag)| flag.clone())
        .filter(|flag| flag.reason != Reason::AlreadyImported)
        .collect()
}

/// How many rows a commit would award and skip, and why, without writing.
pub fn preview(
    conn: &mut DbConnection,
    org: &Organisation,
    batch: &Batch<'_>,
    rows: &[Row],
) -> Result<BatchOutcome, AwardError> {
    let planned = plan(conn, org, batch, rows)?;
    let skipped_rows: Vec<FlaggedRow> = planned
        .iter()
        .filter_map(|(_, flag)| flag.clone())
        .filter(|flag| flag.skipped_under(batch.duplicates))
        .collect();
    Ok(BatchOutcome {
        awarded: rows.len() - skipped_rows.len(),
        skipped: skipped_rows.len(),
        award_ids: Vec::new(),
        flagged: flagged(&planned),
        skipped_rows,
    })
}

/// Awards every row in one transaction, but the duplicates skipped;
/// `progress` is told how many rows are done (signed, or found already
/// awarded). The credentials are signed in parallel before the transaction,
/// which only stores them.
#[allow(clippy::too_many_arguments)]
pub fn commit(
    conn: &mut DbConnection,
    ctx: &IssueContext<'_>,
    org: &Organisation,
    batch: &Batch<'_>,
    rows: &[Row],
    actor: Actor<'_>,
    progress: &mut dyn FnMut(usize),
) -> Result<BatchOutcome, AwardError> {
    let issuer = Issuer::load(conn, ctx, org, batch.achievement_id, batch.format, actor)?;
    let planned = plan(conn, org, batch, rows)?;
    let mut skipped_rows = Vec::new();
    let mut kept: Vec<(&Row, String)> = Vec::new();
    for (row, (row_key, flag)) in rows.iter().zip(&planned) {
        match flag {
            // Rows already imported go through: their earlier award answers.
            Some(flag)
                if flag.reason != Reason::AlreadyImported
                    && batch.duplicates == Duplicates::Skip =>
            {
                skipped_rows.push(flag.clone())
            }
            _ => kept.push((row, row_key.clone())),
        }
    }
    let requests = kept
        .iter()
        .map(|(row, row_key)| {
            checked(AwardRequest {
                achievement_id: batch.achievement_id.to_string(),
                recipient_name: row.name.clone(),
                recipient_email: row.email.clone(),
                name_consent: false,
                narrative: row.narrative.clone(),
                evidence_url: row.evidence_url.clone(),
                format: batch.format,
                idempotency_key: Some(row_key.clone()),
                recipient_language: row.language,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let left_out = skipped_rows.len();
    let mut record_import =
        |conn: &mut DbConnection, awards: &[(&Award, bool)]| -> Result<(), AwardError> {
            let awarded = awards.iter().filter(|(_, created)| *created).count();
            let detail = format!(
                "achievement {}: {awarded} awarded, {} skipped",
                issuer.version.id,
                awards.len() - awarded + left_out
            );
            audit::record(
                conn,
                AuditEvent::new(
                    &org.id,
                    actor,
                    "award.csv_import",
                    Target::Achievement(&issuer.version.achievement_id),
                )
                .with_detail(Some(&detail)),
            )?;
            Ok(())
        };
    let outcomes = issue_all(conn, &issuer, &requests, progress, &mut record_import)?;
    for ((row, _), outcome) in kept.iter().zip(&outcomes) {
        if !outcome.created {
            skipped_rows.push(FlaggedRow::new(row, Reason::AlreadyImported));
        }
    }
    skipped_rows.sort_by_key(|r| r.line);
    let awarded = outcomes.iter().filter(|o| o.created).count();
    Ok(BatchOutcome {
        awarded,
        skipped: skipped_rows.len(),
        award_ids: outcomes.into_iter().map(|o| o.award.id).collect(),
        skipped_rows,
        flagged: flagged(&planned),
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
    fn the_language_column_is_read_and_checked() {
        let rows = parse("Nom;Langue\nAna;anglais\nLéa;\nZoé;Français\n".as_bytes()).unwrap();
        let langs: Vec<Lang> = rows.iter().map(|r| r.language).collect();
        assert_eq!(langs, [Lang::En, Lang::Fr, Lang::Fr]);
        assert!(parse(b"name\nAna\n").unwrap()[0].language == Lang::Fr);
        let errors = parse("name,Language\nAna,en\nLéa,espagnol\n".as_bytes()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            (errors[0].line, errors[0].code, errors[0].column.as_deref()),
            (3, "language_invalid", Some("Language"))
        );
    }

    #[test]
    fn duplicates_are_read_and_row_keys_tell_them_apart() {
        // The same person twice is not an error of the file: the plan flags it.
        let rows = parse("name,email\nA,a@b.fr\nB,A@B.FR\nÉlise,\nélise ,\n".as_bytes()).unwrap();
        assert_eq!(rows.len(), 4);
        let keys = row_keys("v", &rows, None);
        assert_eq!(keys, row_keys("v", &rows, None));
        assert_ne!(keys[0], keys[1], "a second time has a key of its own");
        assert_ne!(keys[2], keys[3]);
        let one = parse(b"name\nA\n").unwrap();
        // The first time keeps the key earlier versions gave.
        assert_eq!(
            row_keys("v", &one, None)[0],
            format!("csv:{}", sha256_hex("v\nname:a\n"))
        );
        assert_ne!(row_keys("v", &one, None), row_keys("v", &one, Some("k")));
        assert_ne!(row_keys("v", &one, None), row_keys("w", &one, None));
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

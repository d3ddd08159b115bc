//! Every table a backup holds, copied between two connections through the
//! typed schema, so that a PostgreSQL database and a SQLite file exchange
//! exactly the same values (texts, integers, the status lists' bits).
//!
//! [`TABLES`] lists them in an order that satisfies the foreign keys;
//! [`LEFT_OUT`] the two a backup leaves out. `tests/it/backup.rs` checks
//! that together they name every table the migrations create.

use diesel::prelude::*;

use crate::db::schema;
use crate::db::DbConnection;

/// The tables a backup holds, parents before children.
pub const TABLES: [&str; 16] = [
    "organisations",
    "users",
    "memberships",
    "api_tokens",
    "org_keys",
    "images",
    "achievements",
    "achievement_versions",
    "status_lists",
    "awards",
    "workshops",
    "workshop_sessions",
    "workshop_participants",
    "attendance",
    "network_members",
    "audit_log",
];

/// Tables a backup leaves out: login sessions (after a restore everyone logs
/// in again; a backup holds no live session) and throttle counts (minutes
/// old, and client addresses are personal data).
pub const LEFT_OUT: [&str; 2] = ["sessions", "throttles"];

/// Rows per multi-row `INSERT` (awards have 26 columns: well under SQLite's
/// 32,766 and PostgreSQL's 65,535 bound parameters).
const CHUNK: usize = 500;

/// Copies every row of one table; pushes its name and row count.
macro_rules! copy_table {
    ($from:ident, $to:ident, $copied:ident, $table:ident { $($column:ident: $ty:ty),+ $(,)? }) => {{
        use schema::$table as t;
        let rows: Vec<($($ty,)+)> = t::table.select(($(t::$column,)+)).load($from)?;
        for chunk in rows.chunks(CHUNK) {
            let values: Vec<_> = chunk
                .iter()
                .map(|($($column,)+)| ($(t::$column.eq($column),)+))
                .collect();
            // Diesel writes a multi-row INSERT for one backend at a time.
            match $to {
                DbConnection::Sqlite(c) => diesel::insert_into(t::table).values(values).execute(c)?,
                DbConnection::Postgres(c) => {
                    diesel::insert_into(t::table).values(values).execute(c)?
                }
            };
        }
        $copied.push((stringify!($table), rows.len()));
    }};
}

/// Copies every row of [`TABLES`] from `from` into `to` (whose tables must
/// exist and hold none of these rows); returns each table's row count, in
/// [`TABLES`] order. Run it inside the transactions the caller needs.
pub fn copy_all(
    from: &mut DbConnection,
    to: &mut DbConnection,
) -> QueryResult<Vec<(&'static str, usize)>> {
    let mut copied = Vec::with_capacity(TABLES.len());
    copy_table!(from, to, copied, organisations {
        id: String, slug: String, name: String, url: Option<String>, email: Option<String>,
        description: Option<String>, image: Option<String>, address_json: Option<String>,
        created_at: i64, updated_at: i64,
    });
    copy_table!(
        from,
        to,
        copied,
        users {
            id: String,
            email: String,
            display_name: String,
            password_hash: String,
            created_at: i64,
        }
    );
    copy_table!(
        from,
        to,
        copied,
        memberships {
            user_id: String,
            org_id: String,
            role: String,
            created_at: i64,
        }
    );
    copy_table!(from, to, copied, api_tokens {
        id: String, user_id: String, name: String, token_hash: String, created_at: i64,
        revoked_at: Option<i64>,
    });
    copy_table!(from, to, copied, org_keys {
        id: String, org_id: String, algorithm: String, public_jwk: String,
        private_key_enc: String, status: String, created_at: i64, retired_at: Option<i64>,
    });
    copy_table!(
        from,
        to,
        copied,
        images {
            id: String,
            org_id: String,
            content_type: String,
            data_base64: String,
            created_at: i64,
        }
    );
    copy_table!(
        from,
        to,
        copied,
        achievements {
            id: String,
            org_id: String,
            created_at: i64,
        }
    );
    copy_table!(from, to, copied, achievement_versions {
        id: String, achievement_id: String, version: i32, name: String, description: String,
        criteria_narrative: String, image_id: Option<String>, achievement_type: String,
        tags_json: String, language: String, alignments_json: String, created_at: i64,
    });
    copy_table!(from, to, copied, status_lists {
        id: String, org_id: String, purpose: String, size: i32, allocated: i32,
        created_at: i64, updated_at: i64, signed_credential: Option<String>,
        signed_digest: Option<String>, revoked_bits: Option<Vec<u8>>, issuer_form: String,
    });
    copy_table!(from, to, copied, awards {
        id: String, org_id: String, achievement_version_id: String, recipient_name: String,
        recipient_email: Option<String>, name_consent: i32, narrative: Option<String>,
        evidence_url: Option<String>, format: String, credential: String,
        status_list_id: String, status_index: i32, public_token: String,
        claim_code: Option<String>, idempotency_key: Option<String>, awarded_by: String,
        revoked_at: Option<i64>, revocation_reason: Option<String>, created_at: i64,
        credential_jwt: Option<String>, claimed_at: Option<i64>,
        delivery_status: Option<String>, delivery_error: Option<String>,
        delivery_at: Option<i64>, recipient_language: String, search_text: Option<String>,
    });
    copy_table!(
        from,
        to,
        copied,
        workshops {
            id: String,
            org_id: String,
            achievement_id: String,
            title: String,
            created_by: String,
            created_at: i64,
        }
    );
    copy_table!(from, to, copied, workshop_sessions {
        id: String, workshop_id: String, position: i32, label: String, held_on: Option<String>,
    });
    copy_table!(from, to, copied, workshop_participants {
        id: String, workshop_id: String, name: String, email: Option<String>, name_consent: i32,
        award_id: Option<String>, created_at: i64, language: String,
    });
    copy_table!(
        from,
        to,
        copied,
        attendance {
            session_id: String,
            participant_id: String,
        }
    );
    copy_table!(
        from,
        to,
        copied,
        network_members {
            network_id: String,
            member_id: String,
            created_at: i64,
        }
    );
    copy_table!(from, to, copied, audit_log {
        id: String, org_id: Option<String>, actor: String, action: String, target_type: String,
        target_id: String, detail: Option<String>, at: i64,
    });
    Ok(copied)
}

/// The rows of each of [`TABLES`] in `conn`'s database, in [`TABLES`] order.
pub fn counts(conn: &mut DbConnection) -> QueryResult<Vec<(&'static str, usize)>> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        count: i64,
    }
    TABLES
        .iter()
        .map(|table| {
            // Table names come from the constant above, never from input.
            let found: Count = diesel::sql_query(format!("SELECT COUNT(*) AS count FROM {table}"))
                .get_result(conn)?;
            Ok((*table, usize::try_from(found.count).unwrap_or(0)))
        })
        .collect()
}

//! Migrations and the storage helper on both backends.

use diesel::prelude::*;
use issuer::audit::{Actor, Target};
use issuer::db::schema::*;
use issuer::db::{Backend, Database, DbError};

use crate::db_test;
use crate::support::{PgDatabase, TestApp};

/// Every table of `schema.rs` answers a query: the schema matches the migrations.
fn query_every_table(db: &Database) {
    db.run_blocking(|conn| {
        organisations::table
            .select(organisations::all_columns)
            .load::<(
                String,
                String,
                String,
                Option<String>,
                Option<String>,
                Option<String>,
                Option<String>,
                Option<String>,
                i64,
                i64,
            )>(conn)?;
        org_keys::table.count().get_result::<i64>(conn)?;
        org_keys::table.select(org_keys::all_columns).load::<(
            String,
            String,
            String,
            String,
            String,
            String,
            i64,
            Option<i64>,
        )>(conn)?;
        users::table
            .select(users::all_columns)
            .load::<(String, String, String, String, i64)>(conn)?;
        memberships::table
            .select(memberships::all_columns)
            .load::<(String, String, String, i64)>(conn)?;
        sessions::table
            .select(sessions::all_columns)
            .load::<(String, String, String, i64, i64)>(conn)?;
        api_tokens::table.select(api_tokens::all_columns).load::<(
            String,
            String,
            String,
            String,
            i64,
            Option<i64>,
        )>(conn)?;
        throttles::table
            .select(throttles::all_columns)
            .load::<(String, i64, i64)>(conn)?;
        audit_log::table.count().get_result::<i64>(conn)?;
        images::table.count().get_result::<i64>(conn)?;
        achievements::table.count().get_result::<i64>(conn)?;
        achievement_versions::table
            .count()
            .get_result::<i64>(conn)?;
        status_lists::table.count().get_result::<i64>(conn)?;
        awards::table.count().get_result::<i64>(conn)?;
        // Columns added by later migrations.
        awards::table
            .select((awards::credential_jwt, awards::claimed_at))
            .load::<(Option<String>, Option<i64>)>(conn)?;
        awards::table
            .select((awards::recipient_language, awards::search_text))
            .load::<(String, Option<String>)>(conn)?;
        status_lists::table
            .select(status_lists::revoked_bits)
            .load::<Option<Vec<u8>>>(conn)?;
        workshops::table.select(workshops::all_columns).load::<(
            String,
            String,
            String,
            String,
            String,
            i64,
        )>(conn)?;
        workshop_sessions::table
            .select(workshop_sessions::all_columns)
            .load::<(String, String, i32, String, Option<String>)>(conn)?;
        workshop_participants::table
            .select(workshop_participants::all_columns)
            .load::<(
                String,
                String,
                String,
                Option<String>,
                i32,
                Option<String>,
                i64,
                String,
            )>(conn)?;
        attendance::table
            .select(attendance::all_columns)
            .load::<(String, String)>(conn)?;
        network_members::table
            .select(network_members::all_columns)
            .load::<(String, String, i64)>(conn)?;
        Ok::<_, DbError>(())
    })
    .expect("every table is queryable");
}

fn up_down_up(db: &Database) {
    assert_eq!(db.migrate().expect("up"), 0, "prepare already migrated");
    query_every_table(db);
    assert!(db.revert_all().expect("down") >= 2);
    let gone = db.run_blocking(|conn| {
        Ok::<_, DbError>(organisations::table.count().get_result::<i64>(conn)?)
    });
    assert!(gone.is_err(), "tables dropped by the down migrations");
    assert!(db.migrate().expect("up again") >= 2);
    query_every_table(db);
}

#[test]
fn sqlite_migrations_up_down_up() {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::connect(dir.path().join("t.sqlite3").to_str().unwrap(), 2).unwrap();
    assert_eq!(db.backend(), Backend::Sqlite);
    assert!(db.migrate().unwrap() >= 2);
    up_down_up(&db);
}

#[test]
fn postgres_migrations_up_down_up() {
    let Some(pg) = PgDatabase::create() else {
        return;
    };
    let db = Database::connect(&pg.url, 2).unwrap();
    assert_eq!(db.backend(), Backend::Postgres);
    assert!(db.migrate().unwrap() >= 2);
    up_down_up(&db);
}

#[test]
fn unreachable_postgres_is_an_error_not_a_sqlite_file() {
    let result = Database::connect("postgres://nobody@127.0.0.1:1/none", 1);
    assert!(result.is_err());
    assert!(
        !std::path::Path::new("postgres:").exists(),
        "no SQLite file named after the URL"
    );
}

async fn sqlite_pragmas_and_health(app: TestApp) {
    if app.state.db.backend() == Backend::Sqlite {
        #[derive(QueryableByName)]
        struct Pragma {
            #[diesel(sql_type = diesel::sql_types::Text)]
            journal_mode: String,
        }
        #[derive(QueryableByName)]
        struct Fk {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            foreign_keys: i32,
        }
        let (mode, fk) = app
            .state
            .db
            .run_blocking(|conn| {
                let mode = diesel::sql_query("PRAGMA journal_mode")
                    .get_result::<Pragma>(conn)?
                    .journal_mode;
                let fk = diesel::sql_query("PRAGMA foreign_keys")
                    .get_result::<Fk>(conn)?
                    .foreign_keys;
                Ok::<_, DbError>((mode, fk))
            })
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(fk, 1);
    }
    let resp = app.get("/healthz", &crate::support::Auth::None).await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.text(), r#"{"status":"ok"}"#);
}
db_test!(pragmas_and_health, sqlite_pragmas_and_health);

async fn bulk_writes_are_one_transaction(app: TestApp) {
    let org = app.create_org("tx-org");
    let result = app.state.db.run_blocking(|conn| {
        conn.transaction(|conn| {
            issuer::audit::record(
                conn,
                issuer::audit::AuditEvent::new(&org.id, Actor::user("t"), "x", Target::Award("1")),
            )?;
            // A foreign key violation aborts the whole transaction.
            issuer::audit::record(
                conn,
                issuer::audit::AuditEvent::new(
                    &"no-such-org".into(),
                    Actor::user("t"),
                    "x",
                    Target::Award("2"),
                ),
            )
        })
        .map_err(DbError::from)
    });
    assert!(result.is_err());
    let count: i64 = app
        .state
        .db
        .run_blocking(|conn| {
            Ok::<_, DbError>(
                audit_log::table
                    .filter(audit_log::action.eq("x"))
                    .count()
                    .get_result(conn)?,
            )
        })
        .unwrap();
    assert_eq!(count, 0, "nothing half-written");
}
db_test!(transactions_roll_back, bulk_writes_are_one_transaction);

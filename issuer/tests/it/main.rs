//! Integration tests of the issuer service through its HTTP interface, on a
//! fresh database per test: SQLite always, PostgreSQL too when
//! `ISSUER_TEST_POSTGRES_URL` is set.

#![allow(clippy::unwrap_used)] // tests: a panic is a failing test

mod support;

mod achievements;
mod auth;
mod award_search;
mod awards;
mod backup;
mod claim_sheet;
mod concurrency;
mod csv_clash;
mod csv_duplicates;
mod db;
mod error_bodies;
mod error_pages;
mod fuzz_csv;
mod https;
mod images;
mod mailer;
mod meta;
mod metrics;
mod openapi;
mod organisations;
mod page_snapshots;
mod pages;
mod private_files;
mod snapshots;
mod status_lists;
mod text_input;
mod throttles;
mod workshops;

//! Fuzz target of the bulk-award CSV reader (`issuer::awards::csv::parse`): any
//! bytes get rows or row errors, never a panic, and what it accepts keeps its
//! own limits. The harness is the verifier's (`tests/fixtures/fuzz/README.md`).

#[path = "../../../verifier/tests/it/fuzz_harness.rs"]
mod fuzz_harness;

use issuer::awards::csv::{parse, MAX_ROWS};
use proptest::prelude::*;

use fuzz_harness::{corpus_mutations, fuzz};

/// One field: plain, quoted with separators, quotes and line breaks inside, or
/// odd bytes.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("Marie Dupont".to_owned()),
        Just("marie@example.fr".to_owned()),
        Just("https://example.fr/preuve".to_owned()),
        Just("\"Dupont, \"\"Marie\"\"\"".to_owned()),
        Just("\"ligne\nsuivante\"".to_owned()),
        Just("\"non fermé".to_owned()),
        Just("é\u{301}\u{200b}\u{feff}".to_owned()),
        "[ -~]{0,12}",
        Just("x".repeat(600)),
    ]
}

/// A file: a header of known and unknown columns, rows, a separator and a
/// line ending.
fn csv_file() -> impl Strategy<Value = Vec<u8>> {
    let header = proptest::collection::vec(
        prop_oneof![
            Just("name"),
            Just("email"),
            Just("narrative"),
            Just("evidence_url"),
            Just("Name"),
            Just("nom"),
            Just(""),
        ],
        0..6,
    );
    let rows = proptest::collection::vec(proptest::collection::vec(field(), 0..6), 0..8);
    (
        header,
        rows,
        prop_oneof![Just(","), Just(";"), Just("\t")],
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(header, rows, separator, crlf, bom)| {
            let end = if crlf { "\r\n" } else { "\n" };
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            text.push_str(&header.join(separator));
            for row in rows {
                text.push_str(end);
                text.push_str(&row.join(separator));
            }
            text.into_bytes()
        })
}

#[test]
fn fuzz_csv_reader() {
    let strategy = prop_oneof![csv_file(), corpus_mutations("csv", Vec::new())];
    fuzz("csv", strategy, |bytes| match parse(bytes) {
        Ok(rows) => {
            assert!(rows.len() <= MAX_ROWS);
            for row in rows {
                assert!(!row.name.trim().is_empty(), "{row:?}");
                assert!(row.line >= 2, "{row:?}");
            }
        }
        Err(errors) => assert!(!errors.is_empty()),
    });
}

//! Fuzzing as a test, on stable Rust: a target is a function of bytes that must
//! not panic (nor crash the process). Each run first replays the target's
//! regression corpus, `tests/fixtures/fuzz/<target>/` (every file, as bytes),
//! then feeds it generated inputs (proptest strategies: structured ones and
//! mutations of the corpus), for `FUZZ_SECONDS` seconds when that variable is
//! set (CI: 30), else for a few batches so that `cargo test` stays quick. A
//! failing input is shrunk by proptest and written to
//! `target/fuzz-failures/<target>-<hash>.bin`, to be added to the corpus once
//! the bug is fixed.
//!
//! Shared by the verifier's and the issuer's fuzz targets (the issuer's test
//! binary includes this file by path: neither crate depends on the other).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};

/// Inputs generated per batch.
const BATCH: u32 = 32;

/// Batches run when `FUZZ_SECONDS` is not set.
const DEFAULT_BATCHES: u64 = 4;

fn repository() -> PathBuf {
    // Both crates that use this file sit one level below the repository.
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The regression corpus of `target`, sorted by file name.
pub(crate) fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = repository().join("tests/fixtures/fuzz").join(target);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.is_file())
                .filter(|path| path.extension().is_none_or(|ext| ext != "md"))
                .filter_map(|path| {
                    let name = path.file_name()?.to_string_lossy().into_owned();
                    Some((name, std::fs::read(&path).ok()?))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    assert!(!files.is_empty(), "no corpus in {}", dir.display());
    files
}

/// How long to fuzz: `FUZZ_SECONDS`, or `None` for the default batches.
fn budget() -> Option<Duration> {
    std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|seconds| seconds.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}

/// Replays the corpus of `target`, then fuzzes `check` with `strategy`.
pub(crate) fn fuzz<S>(target: &str, strategy: S, check: impl Fn(&[u8]))
where
    S: Strategy<Value = Vec<u8>>,
{
    for (name, bytes) in corpus(target) {
        eprintln!("fuzz {target}: replaying {name}");
        check(&bytes);
    }
    let budget = budget();
    let started = Instant::now();
    let mut batches = 0u64;
    loop {
        let mut seed = [0u8; 32];
        seed[..8].copy_from_slice(&batches.to_le_bytes());
        for (slot, byte) in seed[8..].iter_mut().zip(target.bytes()) {
            *slot = byte;
        }
        let config = Config {
            cases: BATCH,
            failure_persistence: None,
            ..Config::default()
        };
        let mut runner =
            TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
        match runner.run(&strategy, |bytes| {
            check(&bytes);
            Ok(())
        }) {
            Ok(()) => {}
            Err(TestError::Fail(why, minimal)) => {
                let saved = save_failure(target, &minimal);
                panic!("fuzz {target}: {why}; the shrunk input is in {saved}");
            }
            Err(TestError::Abort(why)) => panic!("fuzz {target}: aborted: {why}"),
        }
        batches += 1;
        let done = match budget {
            Some(budget) => started.elapsed() >= budget,
            None => batches >= DEFAULT_BATCHES,
        };
        if done {
            break;
        }
    }
    eprintln!(
        "fuzz {target}: {} generated inputs in {:.1} s",
        batches * u64::from(BATCH),
        started.elapsed().as_secs_f64()
    );
}

fn save_failure(target: &str, bytes: &[u8]) -> String {
    let dir = repository().join("target/fuzz-failures");
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    let path = dir.join(format!("{target}-{hash:016x}.bin"));
    let _ = std::fs::create_dir_all(&dir);
    match std::fs::write(&path, bytes) {
        Ok(()) => path.display().to_string(),
        Err(e) => format!("(not saved: {e})"),
    }
}

/// Byte strings that often matter to parsers.
const TOKENS: &[&[u8]] = &[
    b"\0",
    b"\xff",
    b"\"",
    b"\\",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b".",
    b"<",
    b">",
    b"&",
    b"]]>",
    b"<!DOCTYPE",
    b"@context",
    b"@id",
    b"_:b0",
    b"\r\n",
    b"\xef\xbb\xbf",
    b"null",
    b"9999999999999999999999",
    b"IDAT",
    b"iTXt",
    b"zTXt",
    b"IEND",
];

/// One edit of a mutation.
#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Set(usize, u8),
    Delete(usize, usize),
    Insert(usize, usize),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for edit in edits {
        let at = |position: usize, len: usize| if len == 0 { 0 } else { position % (len + 1) };
        match *edit {
            Edit::Flip(position, bit) if !bytes.is_empty() => {
                let at = position % bytes.len();
                bytes[at] ^= 1 << (bit % 8);
            }
            Edit::Set(position, value) if !bytes.is_empty() => {
                let at = position % bytes.len();
                bytes[at] = value;
            }
            Edit::Delete(position, length) => {
                let start = at(position, bytes.len());
                let end = (start + length % 64).min(bytes.len());
                bytes.drain(start..end);
            }
            Edit::Insert(position, token) => {
                let start = at(position, bytes.len());
                let token = TOKENS[token % TOKENS.len()];
                bytes.splice(start..start, token.iter().copied());
            }
            Edit::Duplicate(position, length) => {
                let start = at(position, bytes.len());
                let end = (start + length % 256).min(bytes.len());
                let copy = bytes[start..end].to_vec();
                bytes.splice(start..start, copy);
            }
            Edit::Truncate(position) => {
                let keep = at(position, bytes.len());
                bytes.truncate(keep);
            }
            _ => {}
        }
    }
    bytes
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, bit)| Edit::Flip(at, bit)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, value)| Edit::Set(at, value)),
        (any::<usize>(), any::<usize>()).prop_map(|(at, length)| Edit::Delete(at, length)),
        (any::<usize>(), any::<usize>()).prop_map(|(at, token)| Edit::Insert(at, token)),
        (any::<usize>(), any::<usize>()).prop_map(|(at, length)| Edit::Duplicate(at, length)),
        any::<usize>().prop_map(Edit::Truncate),
    ]
}

/// One of `seeds` with one to eight edits.
pub(crate) fn mutations(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    let seeds = std::sync::Arc::new(seeds);
    (
        0..seeds.len().max(1),
        proptest::collection::vec(edit(), 1..8),
    )
        .prop_map(move |(index, edits)| {
            apply(seeds.get(index).cloned().unwrap_or_default(), &edits)
        })
}

/// The corpus of `target` as mutation seeds, with `extra` seeds.
pub(crate) fn corpus_mutations(
    target: &str,
    extra: Vec<Vec<u8>>,
) -> impl Strategy<Value = Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = corpus(target).into_iter().map(|(_, bytes)| bytes).collect();
    seeds.extend(extra);
    mutations(seeds)
}

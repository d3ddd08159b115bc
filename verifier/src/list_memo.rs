//! Verified status lists, kept by URL and content.
//!
//! An issuer that wants every verification to reach it (ours: its lists are
//! `no-cache` with an `ETag`) is asked at every verification, and answers
//! `304 Not Modified` while nothing changed: the list is then the very
//! document verified a moment ago. Its proof need not be checked, nor its
//! bitstring inflated, again: this memo keeps, per list URL, the list as
//! verified (to compare with what the resolver gives now), the keys its
//! proofs were checked with, and its decoded bits.
//!
//! A kept verification is used only for the same document, byte for byte
//! equal once parsed, and only when the list's issuer still binds the same
//! keys through the resolver of this verification (key binding is asked
//! again, cheaply: the documents are cached); its validity window is judged
//! again against `now`. A changed list (a revocation) is a different
//! document: it is verified in full. So a revocation shows at the very next
//! verification, as before.
//!
//! Bounded in lists and in decoded bytes; the least recently used goes
//! first.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use keys::PublicKey;
use serde_json::Value;

/// The most lists kept.
const MAX_LISTS: usize = 256;

/// The most decoded bytes kept, all lists together (a list of the minimum
/// size is 16 KiB).
const MAX_BYTES: usize = 8 * 1024 * 1024;

/// A status list as verified.
#[derive(Debug)]
pub(crate) struct VerifiedList {
    /// The list credential as it was verified.
    pub(crate) document: Value,
    /// Each proof's verification method with the key it was checked with.
    pub(crate) keys: Vec<(String, PublicKey)>,
    /// The list's `statusPurpose`, when it states one.
    pub(crate) purpose: Option<String>,
    /// The decoded bitstring.
    pub(crate) bits: Vec<u8>,
}

struct Kept {
    list: Arc<VerifiedList>,
    used: u64,
}

#[derive(Default)]
struct Memo {
    lists: HashMap<String, Kept>,
    bytes: usize,
    tick: u64,
}

static MEMO: LazyLock<Mutex<Memo>> = LazyLock::new(|| Mutex::new(Memo::default()));

fn memo() -> MutexGuard<'static, Memo> {
    // Every update is a few map operations: a panicking holder leaves the
    // memo consistent.
    MEMO.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The verification kept for `url`, when `document` is the very list it was
/// made of.
pub(crate) fn lookup(url: &str, document: &Value) -> Option<Arc<VerifiedList>> {
    let mut memo = memo();
    memo.tick += 1;
    let tick = memo.tick;
    let kept = memo.lists.get_mut(url)?;
    if kept.list.document != *document {
        return None;
    }
    kept.used = tick;
    Some(Arc::clone(&kept.list))
}

/// Keeps the verification of the list at `url`.
pub(crate) fn store(url: &str, list: VerifiedList) {
    let size = list.bits.len();
    if size > MAX_BYTES {
        return;
    }
    let mut memo = memo();
    if let Some(old) = memo.lists.remove(url) {
        memo.bytes -= old.list.bits.len();
    }
    while memo.lists.len() >= MAX_LISTS || memo.bytes + size > MAX_BYTES {
        let Some(oldest) = memo
            .lists
            .iter()
            .min_by_key(|(_, kept)| kept.used)
            .map(|(url, _)| url.clone())
        else {
            break;
        };
        if let Some(old) = memo.lists.remove(&oldest) {
            memo.bytes -= old.list.bits.len();
        }
    }
    memo.tick += 1;
    let used = memo.tick;
    memo.bytes += size;
    memo.lists.insert(
        url.to_owned(),
        Kept {
            list: Arc::new(list),
            used,
        },
    );
}

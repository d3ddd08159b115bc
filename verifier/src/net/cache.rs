//! A small in-memory cache of fetched responses, honouring `Cache-Control`.
//!
//! Bounded in entries and in bytes (least recently used evicted first) and
//! in time (each entry's `max-age`, capped). `no-store` is never kept.
//! `no-cache` and `max-age=0` responses are kept only when they carry an
//! `ETag`, and are then revalidated before every use (`If-None-Match`, a
//! `304` answer reuses the stored body): an issuer that wants every status
//! check to reach it gets that, without sending the whole list each time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::types::FetchedResponse;

/// The longest `ETag` kept, in bytes; a longer one is ignored.
pub(crate) const MAX_ETAG_BYTES: usize = 256;

/// What `Cache-Control` allows for one response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CachePolicy {
    /// Not to be kept (`no-store`).
    NoStore,
    /// To be revalidated with the server before each use (`no-cache`,
    /// `max-age=0`): kept only with a validator.
    Revalidate,
    /// Fresh for this long.
    For(Duration),
}

impl CachePolicy {
    /// Reads a `Cache-Control` header value: `default_ttl` when it is absent
    /// or has no `max-age`, never more than `max_ttl`.
    pub fn from_header(value: Option<&str>, default_ttl: Duration, max_ttl: Duration) -> Self {
        let mut ttl = default_ttl;
        let mut no_cache = false;
        for directive in value.unwrap_or_default().split(',') {
            let (name, argument) = match directive.split_once('=') {
                Some((name, argument)) => (name.trim(), Some(argument.trim().trim_matches('"'))),
                None => (directive.trim(), None),
            };
            if name.eq_ignore_ascii_case("no-store") {
                return CachePolicy::NoStore;
            }
            if name.eq_ignore_ascii_case("no-cache") {
                no_cache = true;
            }
            if name.eq_ignore_ascii_case("max-age") {
                // An unreadable max-age means the response is stale (RFC 9111 §4.2.1).
                let seconds = argument.and_then(|a| a.parse::<u64>().ok()).unwrap_or(0);
                ttl = Duration::from_secs(seconds);
            }
        }
        let ttl = ttl.min(max_ttl);
        if no_cache || ttl.is_zero() {
            CachePolicy::Revalidate
        } else {
            CachePolicy::For(ttl)
        }
    }

    /// How long a response stays fresh: zero unless [`CachePolicy::For`].
    pub fn fresh_for(self) -> Duration {
        match self {
            CachePolicy::For(ttl) => ttl,
            CachePolicy::NoStore | CachePolicy::Revalidate => Duration::ZERO,
        }
    }
}

/// One cached response.
struct Entry {
    response: Arc<FetchedResponse>,
    /// Until when it may be used without asking the server.
    expires: Instant,
    /// Its `ETag`, to revalidate it once stale.
    etag: Option<String>,
    /// How long it stays fresh after each revalidation, unless the `304`
    /// says otherwise.
    ttl: Duration,
    /// The bytes it is counted for.
    size: usize,
    /// The value of [`State::tick`] when last read or written.
    used: u64,
}

impl Entry {
    fn fresh(&self, now: Instant) -> bool {
        self.expires > now
    }

    /// Whether it is of any use: fresh, or stale with a validator.
    fn useful(&self, now: Instant) -> bool {
        self.fresh(now) || self.etag.is_some()
    }
}

/// The cache's contents, behind one lock.
#[derive(Default)]
struct State {
    entries: HashMap<String, Entry>,
    /// The sum of the entries' sizes.
    bytes: usize,
    tick: u64,
}

impl State {
    fn remove(&mut self, key: &str) -> Option<Entry> {
        let entry = self.entries.remove(key)?;
        self.bytes -= entry.size;
        Some(entry)
    }

    /// Drops the entries of no use, then the least recently used ones,
    /// until `size` more bytes and one more entry fit.
    fn make_room(&mut self, size: usize, capacity: usize, max_bytes: usize, now: Instant) {
        let fits =
            |state: &State| state.entries.len() < capacity && state.bytes + size <= max_bytes;
        if fits(self) {
            return;
        }
        self.entries.retain(|_, entry| entry.useful(now));
        self.bytes = self.entries.values().map(|entry| entry.size).sum();
        while !fits(self) {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, entry)| entry.used)
                .map(|(key, _)| key.clone());
            match oldest {
                Some(oldest) => {
                    self.remove(&oldest);
                }
                None => return,
            }
        }
    }
}

/// A bounded, thread-safe map from request keys to responses.
pub(crate) struct ResponseCache {
    capacity: usize,
    max_bytes: usize,
    state: Mutex<State>,
}

impl ResponseCache {
    /// A cache holding at most `capacity` responses and `max_bytes` bytes of
    /// them (either 0 disables it).
    pub(crate) fn new(capacity: usize, max_bytes: usize) -> Self {
        ResponseCache {
            capacity,
            max_bytes,
            state: Mutex::new(State::default()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent even if a holder panicked: every
        // update is a single map operation.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The fresh response stored under `key`, if any.
    pub(crate) fn get(&self, key: &str) -> Option<Arc<FetchedResponse>> {
        let mut state = self.lock();
        state.tick += 1;
        let tick = state.tick;
        let now = Instant::now();
        let entry = state.entries.get_mut(key)?;
        if entry.fresh(now) {
            entry.used = tick;
            return Some(Arc::clone(&entry.response));
        }
        if !entry.useful(now) {
            state.remove(key);
        }
        None
    }

    /// The stale response stored under `key` with its `ETag`, to ask the
    /// server whether it still holds (`If-None-Match`).
    pub(crate) fn validator(&self, key: &str) -> Option<(String, Arc<FetchedResponse>)> {
        let state = self.lock();
        let entry = state.entries.get(key)?;
        let etag = entry.etag.clone()?;
        Some((etag, Arc::clone(&entry.response)))
    }

    /// The server answered `304 Not Modified` for `key`: its response is
    /// fresh for `ttl` more (zero: revalidated again next time), or, when
    /// the `304` gave no `Cache-Control`, for as long as when it was stored
    /// (RFC 9111 §4.3.4).
    pub(crate) fn revalidated(&self, key: &str, ttl: Option<Duration>) {
        let mut state = self.lock();
        state.tick += 1;
        let tick = state.tick;
        if let Some(entry) = state.entries.get_mut(key) {
            let ttl = ttl.unwrap_or(entry.ttl);
            entry.ttl = ttl;
            entry.expires = Instant::now() + ttl;
            entry.used = tick;
        }
    }

    /// Whether anything is stored under `key`, fresh or not.
    pub(crate) fn contains(&self, key: &str) -> bool {
        self.lock().entries.contains_key(key)
    }

    /// Forgets `key`; `true` when something was stored under it.
    pub(crate) fn remove(&self, key: &str) -> bool {
        self.lock().remove(key).is_some()
    }

    /// Stores `response` under `key`, fresh for `ttl` and revalidated with
    /// `etag` afterwards, making room when full. A response of no use (stale
    /// at once and without a validator) or too large for the cache is not
    /// kept; the older response under `key` is dropped all the same.
    pub(crate) fn insert(
        &self,
        key: String,
        response: Arc<FetchedResponse>,
        ttl: Duration,
        etag: Option<String>,
    ) {
        let etag = etag.filter(|tag| !tag.is_empty() && tag.len() <= MAX_ETAG_BYTES);
        let size = key.len()
            + response.url.len()
            + response.body.len()
            + response.content_type.as_ref().map_or(0, String::len)
            + etag.as_ref().map_or(0, String::len);
        let mut state = self.lock();
        state.remove(&key);
        if self.capacity == 0 || size > self.max_bytes || (ttl.is_zero() && etag.is_none()) {
            return;
        }
        state.tick += 1;
        let tick = state.tick;
        let now = Instant::now();
        state.make_room(size, self.capacity, self.max_bytes, now);
        state.bytes += size;
        state.entries.insert(
            key,
            Entry {
                response,
                expires: now + ttl,
                etag,
                ttl,
                size,
                used: tick,
            },
        );
    }

    /// How many responses are stored and how many bytes they count for.
    #[cfg(test)]
    pub(crate) fn usage(&self) -> (usize, usize) {
        let state = self.lock();
        (state.entries.len(), state.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: Duration = Duration::from_secs(60);
    const MAX: Duration = Duration::from_secs(3600);
    const MIB: usize = 1024 * 1024;

    fn policy(header: Option<&str>) -> CachePolicy {
        CachePolicy::from_header(header, DEFAULT, MAX)
    }

    #[test]
    fn cache_control_directives() {
        assert_eq!(policy(None), CachePolicy::For(DEFAULT));
        assert_eq!(policy(Some("public")), CachePolicy::For(DEFAULT));
        assert_eq!(
            policy(Some("max-age=300")),
            CachePolicy::For(Duration::from_secs(300))
        );
        assert_eq!(
            policy(Some("public, MAX-AGE=\"30\"")),
            CachePolicy::For(Duration::from_secs(30))
        );
        assert_eq!(policy(Some("max-age=999999")), CachePolicy::For(MAX));
        assert_eq!(policy(Some("max-age=0")), CachePolicy::Revalidate);
        assert_eq!(policy(Some("max-age=soon")), CachePolicy::Revalidate);
        assert_eq!(policy(Some("no-store")), CachePolicy::NoStore);
        assert_eq!(policy(Some("no-cache, no-store")), CachePolicy::NoStore);
        assert_eq!(policy(Some("public, no-cache")), CachePolicy::Revalidate);
        assert_eq!(
            policy(Some("max-age=60, No-Cache")),
            CachePolicy::Revalidate
        );
        assert_eq!(
            policy(Some("private, max-age=10")),
            CachePolicy::For(Duration::from_secs(10))
        );
        assert_eq!(CachePolicy::Revalidate.fresh_for(), Duration::ZERO);
    }

    fn response(body: &str) -> Arc<FetchedResponse> {
        Arc::new(FetchedResponse {
            url: "https://example.org/".to_owned(),
            status: 200,
            content_type: None,
            body: body.as_bytes().to_vec(),
        })
    }

    #[test]
    fn stores_and_expires() {
        let cache = ResponseCache::new(10, MIB);
        cache.insert("a".into(), response("1"), DEFAULT, None);
        cache.insert("b".into(), response("2"), Duration::ZERO, None);
        assert_eq!(cache.get("a").expect("fresh").body, b"1");
        assert!(cache.get("b").is_none(), "stale at once");
        assert_eq!(cache.usage().0, 1, "and without a validator, not kept");
        assert!(cache.get("c").is_none());
    }

    #[test]
    fn a_stale_response_with_an_etag_waits_for_revalidation() {
        let cache = ResponseCache::new(10, MIB);
        cache.insert(
            "a".into(),
            response("1"),
            Duration::ZERO,
            Some("\"v1\"".into()),
        );
        assert!(cache.get("a").is_none(), "never used without asking");
        let (etag, stored) = cache.validator("a").expect("kept with its ETag");
        assert_eq!(
            (etag.as_str(), stored.body.as_slice()),
            ("\"v1\"", &b"1"[..])
        );
        cache.revalidated("a", None);
        assert!(
            cache.get("a").is_none(),
            "a 304 without Cache-Control keeps no-cache"
        );
        cache.revalidated("a", Some(DEFAULT));
        assert_eq!(cache.get("a").expect("fresh again").body, b"1");
        cache.insert(
            "b".into(),
            response("2"),
            Duration::ZERO,
            Some("x".repeat(300)),
        );
        assert!(
            cache.validator("b").is_none(),
            "an over-long ETag is ignored"
        );
        cache.remove("a");
        assert!(cache.validator("a").is_none());
    }

    #[test]
    fn evicts_least_recently_used_when_full() {
        let cache = ResponseCache::new(2, MIB);
        cache.insert("a".into(), response("1"), DEFAULT, None);
        cache.insert("b".into(), response("2"), DEFAULT, None);
        assert!(cache.get("a").is_some());
        cache.insert("c".into(), response("3"), DEFAULT, None);
        assert_eq!(cache.usage().0, 2);
        assert!(cache.get("b").is_none(), "b was the least recently used");
        assert!(cache.get("a").is_some() && cache.get("c").is_some());
    }

    #[test]
    fn bytes_are_bounded_too() {
        let body = "x".repeat(400);
        let cache = ResponseCache::new(100, 1000);
        for key in ["a", "b", "c", "d"] {
            cache.insert(key.into(), response(&body), DEFAULT, None);
            let (_, bytes) = cache.usage();
            assert!(bytes <= 1000, "{bytes} bytes after {key}");
        }
        assert_eq!(cache.usage().0, 2, "two 400-byte bodies fit in 1000 bytes");
        assert!(cache.get("c").is_some() && cache.get("d").is_some());
        cache.insert("big".into(), response(&"y".repeat(2000)), DEFAULT, None);
        assert!(cache.get("big").is_none(), "larger than the whole cache");
        assert_eq!(cache.usage().0, 2, "and nothing was evicted for it");
        // Replacing an entry counts its bytes once.
        cache.insert("c".into(), response("small"), DEFAULT, None);
        cache.insert("c".into(), response("small"), DEFAULT, None);
        let expected = 2 * "https://example.org/".len() + 2 + 400 + 5;
        assert_eq!(cache.usage(), (2, expected));
    }

    #[test]
    fn zero_capacity_disables() {
        let cache = ResponseCache::new(0, MIB);
        cache.insert("a".into(), response("1"), DEFAULT, None);
        assert!(cache.get("a").is_none());
        let cache = ResponseCache::new(10, 0);
        cache.insert("a".into(), response("1"), DEFAULT, None);
        assert!(cache.get("a").is_none());
    }
}

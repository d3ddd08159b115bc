//! A small in-memory cache of fetched responses, honouring `Cache-Control`.
//!
//! Bounded in entries (least recently used evicted first) and in time (each
//! entry's `max-age`, capped). `no-store`, `no-cache` and `max-age=0` are not
//! cached, so an issuer that wants every status check to reach it gets that.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::client::FetchedResponse;

/// What `Cache-Control` allows for one response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CachePolicy {
    /// Not to be kept.
    NoStore,
    /// Fresh for this long.
    For(Duration),
}

impl CachePolicy {
    /// Reads a `Cache-Control` header value: `default_ttl` when it is absent
    /// or has no `max-age`, never more than `max_ttl`.
    pub fn from_header(value: Option<&str>, default_ttl: Duration, max_ttl: Duration) -> Self {
        let mut ttl = default_ttl;
        for directive in value.unwrap_or_default().split(',') {
            let (name, argument) = match directive.split_once('=') {
                Some((name, argument)) => (name.trim(), Some(argument.trim().trim_matches('"'))),
                None => (directive.trim(), None),
            };
            if name.eq_ignore_ascii_case("no-store") || name.eq_ignore_ascii_case("no-cache") {
                return CachePolicy::NoStore;
            }
            if name.eq_ignore_ascii_case("max-age") {
                // An unreadable max-age means the response is stale (RFC 9111 §4.2.1).
                let seconds = argument.and_then(|a| a.parse::<u64>().ok()).unwrap_or(0);
                ttl = Duration::from_secs(seconds);
            }
        }
        let ttl = ttl.min(max_ttl);
        if ttl.is_zero() {
            CachePolicy::NoStore
        } else {
            CachePolicy::For(ttl)
        }
    }
}

/// One cached response.
struct Entry {
    response: Arc<FetchedResponse>,
    expires: Instant,
    /// The value of [`State::tick`] when last read or written.
    used: u64,
}

/// The cache's contents, behind one lock.
#[derive(Default)]
struct State {
    entries: HashMap<String, Entry>,
    tick: u64,
}

/// A bounded, thread-safe map from request keys to fresh responses.
pub(crate) struct ResponseCache {
    capacity: usize,
    state: Mutex<State>,
}

impl ResponseCache {
    /// A cache holding at most `capacity` responses (0 disables it).
    pub(crate) fn new(capacity: usize) -> Self {
        ResponseCache {
            capacity,
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
        match state.entries.get_mut(key) {
            Some(entry) if entry.expires > now => {
                entry.used = tick;
                Some(Arc::clone(&entry.response))
            }
            Some(_) => {
                state.entries.remove(key);
                None
            }
            None => None,
        }
    }

    /// Stores `response` under `key` for `ttl`, evicting expired entries,
    /// then the least recently used one, when full.
    pub(crate) fn insert(&self, key: String, response: Arc<FetchedResponse>, ttl: Duration) {
        if self.capacity == 0 {
            return;
        }
        let mut state = self.lock();
        state.tick += 1;
        let tick = state.tick;
        let now = Instant::now();
        if !state.entries.contains_key(&key) && state.entries.len() >= self.capacity {
            state.entries.retain(|_, entry| entry.expires > now);
            if state.entries.len() >= self.capacity {
                let oldest = state
                    .entries
                    .iter()
                    .min_by_key(|(_, entry)| entry.used)
                    .map(|(key, _)| key.clone());
                if let Some(oldest) = oldest {
                    state.entries.remove(&oldest);
                }
            }
        }
        let expires = now + ttl;
        state.entries.insert(
            key,
            Entry {
                response,
                expires,
                used: tick,
            },
        );
    }

    /// How many responses are stored (expired ones included until evicted).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: Duration = Duration::from_secs(60);
    const MAX: Duration = Duration::from_secs(3600);

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
        assert_eq!(policy(Some("max-age=0")), CachePolicy::NoStore);
        assert_eq!(policy(Some("max-age=soon")), CachePolicy::NoStore);
        assert_eq!(policy(Some("no-store")), CachePolicy::NoStore);
        assert_eq!(policy(Some("max-age=60, No-Cache")), CachePolicy::NoStore);
        assert_eq!(
            policy(Some("private, max-age=10")),
            CachePolicy::For(Duration::from_secs(10))
        );
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
        let cache = ResponseCache::new(10);
        cache.insert("a".into(), response("1"), Duration::from_secs(60));
        cache.insert("b".into(), response("2"), Duration::ZERO);
        assert_eq!(cache.get("a").expect("fresh").body, b"1");
        assert!(cache.get("b").is_none(), "expired at once");
        assert!(cache.get("c").is_none());
    }

    #[test]
    fn evicts_least_recently_used_when_full() {
        let cache = ResponseCache::new(2);
        cache.insert("a".into(), response("1"), DEFAULT);
        cache.insert("b".into(), response("2"), DEFAULT);
        assert!(cache.get("a").is_some());
        cache.insert("c".into(), response("3"), DEFAULT);
        assert_eq!(cache.len(), 2);
        assert!(cache.get("b").is_none(), "b was the least recently used");
        assert!(cache.get("a").is_some() && cache.get("c").is_some());
    }

    #[test]
    fn zero_capacity_disables() {
        let cache = ResponseCache::new(0);
        cache.insert("a".into(), response("1"), DEFAULT);
        assert!(cache.get("a").is_none());
    }
}

//! Host name resolution for the guarded client, without a lookup per fetch.
//!
//! `ureq` asks its resolver before every request, even when a pooled
//! connection to the host will carry it, and its default resolver runs each
//! lookup with a timeout on a thread of its own. An issuer whose status list
//! is revalidated at every verification would cost a thread and a DNS query
//! per verification. So:
//!
//! - a host that is an IP address is not resolved at all;
//! - a host name's answer is kept for [`NAME_TTL`] (browsers keep theirs about
//!   a minute), at most [`MAX_NAMES`] of them.
//!
//! What is kept is the resolver's answer as it came: the address rules are
//! applied to it at every use ([`super::client`]), so a kept answer never lets
//! a refused address through, and connections go only to checked addresses.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use ureq::http::Uri;
use ureq::unversioned::resolver::ResolvedSocketAddrs;

/// How long a host name's addresses are used without asking again.
pub(crate) const NAME_TTL: Duration = Duration::from_secs(30);

/// The most host names kept.
pub(crate) const MAX_NAMES: usize = 256;

/// The address a URI's host names when it is an IP address (`127.0.0.1`,
/// `[::1]`), with the URI's port or its scheme's default.
pub(crate) fn literal_address(uri: &Uri) -> Option<SocketAddr> {
    let host = uri.host()?;
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    let ip: IpAddr = host.parse().ok()?;
    Some(SocketAddr::new(ip, port(uri)?))
}

/// The URI's port, or its scheme's default (only http and https are fetched).
pub(crate) fn port(uri: &Uri) -> Option<u16> {
    uri.port_u16().or(match uri.scheme_str()? {
        "https" => Some(443),
        "http" => Some(80),
        _ => None,
    })
}

/// Resolved host names, each for [`NAME_TTL`].
#[derive(Debug, Default)]
pub(crate) struct NameCache {
    names: Mutex<HashMap<(String, u16), (Instant, ResolvedSocketAddrs)>>,
}

impl NameCache {
    fn lock(&self) -> MutexGuard<'_, HashMap<(String, u16), (Instant, ResolvedSocketAddrs)>> {
        // Every update is one map operation: a panicking holder leaves it whole.
        self.names
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The addresses `host:port` resolved to less than [`NAME_TTL`] before `now`.
    pub(crate) fn get(&self, host: &str, port: u16, now: Instant) -> Option<ResolvedSocketAddrs> {
        let names = self.lock();
        let (resolved_at, addresses) = names.get(&(host.to_ascii_lowercase(), port))?;
        (now.saturating_duration_since(*resolved_at) < NAME_TTL).then(|| addresses.clone())
    }

    /// Keeps what `host:port` resolved to at `now`.
    pub(crate) fn insert(
        &self,
        host: &str,
        port: u16,
        addresses: ResolvedSocketAddrs,
        now: Instant,
    ) {
        let mut names = self.lock();
        if names.len() >= MAX_NAMES {
            names.retain(|_, (resolved_at, _)| {
                now.saturating_duration_since(*resolved_at) < NAME_TTL
            });
            if names.len() >= MAX_NAMES {
                names.clear();
            }
        }
        names.insert((host.to_ascii_lowercase(), port), (now, addresses));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ureq::unversioned::resolver::{DefaultResolver, Resolver as _};

    fn uri(text: &str) -> Uri {
        text.parse().expect("uri")
    }

    #[test]
    fn ip_hosts_are_addresses_already() {
        let address = |text: &str| literal_address(&uri(text)).map(|a| a.to_string());
        assert_eq!(
            address("http://127.0.0.1:18085/x").as_deref(),
            Some("127.0.0.1:18085")
        );
        assert_eq!(address("https://[::1]/x").as_deref(), Some("[::1]:443"));
        assert_eq!(address("http://10.0.0.8/").as_deref(), Some("10.0.0.8:80"));
        assert_eq!(address("https://badges.example/x"), None);
        assert_eq!(address("https://127.0.0.1.example/x"), None);
    }

    #[test]
    fn names_are_kept_for_their_time_then_asked_again() {
        let cache = NameCache::default();
        let mut addresses = DefaultResolver::default().empty();
        addresses.push("192.0.2.7:443".parse().expect("address"));
        let start = Instant::now();
        cache.insert("Badges.Example", 443, addresses.clone(), start);
        let kept = cache.get("badges.example", 443, start + NAME_TTL / 2);
        assert_eq!(kept.as_deref(), Some(&addresses[..]));
        assert!(
            cache.get("badges.example", 80, start).is_none(),
            "another port"
        );
        assert!(
            cache.get("badges.example", 443, start + NAME_TTL).is_none(),
            "asked again once its time is over"
        );
        for i in 0..MAX_NAMES + 10 {
            cache.insert(&format!("h{i}.example"), 443, addresses.clone(), start);
        }
        assert!(cache.lock().len() <= MAX_NAMES);
    }
}

//! Who is asking: the client address throttles count against.
//!
//! Without configuration the client is the TCP peer. Behind a reverse proxy
//! every request comes from the proxy, so one client's mistakes would lock
//! everybody out: with `ISSUER_TRUSTED_PROXY_HEADER` (`X-Forwarded-For`,
//! `X-Real-IP`...) the address is read from that header, but only on
//! requests whose peer is one of `ISSUER_TRUSTED_PROXIES`; anyone else could
//! write the header themselves. The header is read right to left, skipping
//! the trusted proxies' own addresses: the first other address is the one
//! the last trusted proxy saw connecting, what a client wrote further left is
//! ignored.
//!
//! Counting is by [`ClientAddress::key`]: an IPv4 address, or the /64 of an
//! IPv6 address (one subscriber's usual allocation, so that an attacker
//! cannot use its 2^64 addresses as as many clients), and by
//! [`ClientAddress::network_key`]: the IPv4 /24 or IPv6 /48 around it.

use std::net::{IpAddr, Ipv6Addr};

use actix_web::HttpRequest;

use super::ranges::canonical;
use crate::config::Config;

/// The address a client is counted under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(Option<IpAddr>);

impl ClientAddress {
    /// The client of `req`: see the module documentation.
    pub fn of(req: &HttpRequest, config: &Config) -> Self {
        let peer = req.peer_addr().map(|a| canonical(a.ip()));
        let (Some(header), Some(peer)) = (&config.trusted_proxy_header, peer) else {
            return Self(peer);
        };
        let trusted = |a: IpAddr| config.trusted_proxies.iter().any(|r| r.contains(a));
        if !trusted(peer) {
            return Self(Some(peer));
        }
        let entries: Vec<&str> = req
            .headers()
            .get_all(header.as_str())
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        // Right to left: the first address no trusted proxy added itself. An
        // unreadable entry ends the walk: what is left of it is the client's
        // own writing.
        let mut client = peer;
        for entry in entries.iter().rev() {
            let Some(address) = parse_entry(entry) else {
                break;
            };
            client = address;
            if !trusted(address) {
                break;
            }
        }
        Self(Some(client))
    }

    /// A client at `address` (tests, the command line).
    pub fn from_ip(address: IpAddr) -> Self {
        Self(Some(canonical(address)))
    }

    /// The key this client is counted under: its IPv4 address or its IPv6
    /// /64; `unknown` when there is no address (all such requests together).
    pub fn key(&self) -> String {
        match self.0 {
            Some(IpAddr::V4(a)) => a.to_string(),
            Some(IpAddr::V6(a)) => format!("{}/64", masked(a, 64)),
            None => "unknown".to_owned(),
        }
    }

    /// The key of the client's network: the IPv4 /24 or IPv6 /48.
    pub fn network_key(&self) -> String {
        match self.0 {
            Some(IpAddr::V4(a)) => {
                let [x, y, z, _] = a.octets();
                format!("{x}.{y}.{z}.0/24")
            }
            Some(IpAddr::V6(a)) => format!("{}/48", masked(a, 48)),
            None => "unknown".to_owned(),
        }
    }
}

fn masked(address: Ipv6Addr, prefix: u32) -> Ipv6Addr {
    let bits = u128::from(address) & (u128::MAX << (128 - prefix));
    Ipv6Addr::from(bits)
}

/// One entry of a forwarding header: `203.0.113.7`, `203.0.113.7:5000`,
/// `2001:db8::1` or `[2001:db8::1]:5000`.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    if let Ok(address) = entry.parse::<IpAddr>() {
        return Some(canonical(address));
    }
    if let Ok(socket) = entry.parse::<std::net::SocketAddr>() {
        return Some(canonical(socket.ip()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::throttle::ranges::parse_ranges;
    use actix_web::test::TestRequest;

    fn config(header: Option<&str>, proxies: &str) -> Config {
        let mut config = Config::for_data_dir("/tmp/x");
        config.trusted_proxy_header = header.map(str::to_owned);
        config.trusted_proxies = parse_ranges(proxies).unwrap();
        config
    }

    fn client(config: &Config, peer: &str, forwarded: &[&str]) -> String {
        let mut req = TestRequest::default().peer_addr(peer.parse().unwrap());
        for value in forwarded {
            req = req.append_header(("x-forwarded-for", *value));
        }
        ClientAddress::of(&req.to_http_request(), config).key()
    }

    #[test]
    fn the_header_is_believed_from_trusted_proxies_only() {
        let plain = config(None, "127.0.0.1");
        assert_eq!(client(&plain, "127.0.0.1:9", &["203.0.113.7"]), "127.0.0.1");
        let proxied = config(Some("x-forwarded-for"), "127.0.0.1, 10.0.0.0/8");
        assert_eq!(
            client(&proxied, "127.0.0.1:9", &["203.0.113.7"]),
            "203.0.113.7"
        );
        // Not from a proxy: the header is the client's own writing.
        assert_eq!(
            client(&proxied, "198.51.100.1:9", &["203.0.113.7"]),
            "198.51.100.1"
        );
        // What the client wrote on the left is skipped, as are the proxies.
        assert_eq!(
            client(&proxied, "127.0.0.1:9", &["1.2.3.4, 203.0.113.7, 10.1.2.3"]),
            "203.0.113.7"
        );
        assert_eq!(
            client(&proxied, "127.0.0.1:9", &["1.2.3.4", "203.0.113.8:4431"]),
            "203.0.113.8"
        );
        // Missing or unreadable: the proxy itself.
        assert_eq!(client(&proxied, "127.0.0.1:9", &[]), "127.0.0.1");
        assert_eq!(client(&proxied, "127.0.0.1:9", &["garbage"]), "127.0.0.1");
        assert_eq!(
            client(&proxied, "127.0.0.1:9", &["garbage, 203.0.113.9"]),
            "203.0.113.9"
        );
    }

    #[test]
    fn ipv6_clients_are_counted_by_64_and_networks_by_48() {
        let proxied = config(Some("x-forwarded-for"), "::1");
        let a = client(&proxied, "[::1]:9", &["2001:db8:1:2:aaaa::1"]);
        let b = client(&proxied, "[::1]:9", &["[2001:db8:1:2:bbbb::9]:443"]);
        assert_eq!(a, "2001:db8:1:2::/64");
        assert_eq!(a, b);
        let address: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        assert_eq!(
            ClientAddress::from_ip(address).network_key(),
            "2001:db8:1::/48"
        );
        let mapped: IpAddr = "::ffff:203.0.113.7".parse().unwrap();
        assert_eq!(ClientAddress::from_ip(mapped).key(), "203.0.113.7");
        assert_eq!(
            ClientAddress::from_ip(mapped).network_key(),
            "203.0.113.0/24"
        );
    }
}

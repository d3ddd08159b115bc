//! Address ranges (`10.0.0.0/8`, `::1/128`): the trusted proxies of
//! `ISSUER_TRUSTED_PROXIES`, read by the configuration and checked by
//! [`super::client`]. Apart from the client so that the configuration,
//! which the client reads, does not import it.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// An address range: an address and a prefix length (`10.0.0.0/8`,
/// `::1/128`; an address alone is its own range).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressRange {
    network: IpAddr,
    prefix: u8,
}

impl AddressRange {
    /// Whether `address` is in this range.
    pub fn contains(&self, address: IpAddr) -> bool {
        match (self.network, canonical(address)) {
            (IpAddr::V4(net), IpAddr::V4(a)) => {
                prefix_bits(u32::from(net).into(), u32::from(a).into(), self.prefix, 32)
            }
            (IpAddr::V6(net), IpAddr::V6(a)) => {
                prefix_bits(u128::from(net), u128::from(a), self.prefix, 128)
            }
            _ => false,
        }
    }
}

fn prefix_bits(network: u128, address: u128, prefix: u8, width: u32) -> bool {
    let prefix = u32::from(prefix).min(width);
    if prefix == 0 {
        return true;
    }
    let shift = width - prefix;
    (network >> shift) == (address >> shift)
}

impl FromStr for AddressRange {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, String> {
        let value = value.trim();
        let (address, prefix) = match value.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (value, None),
        };
        let network = canonical(
            address
                .parse::<IpAddr>()
                .map_err(|_| format!("{value:?} is not an address or a range like 10.0.0.0/8"))?,
        );
        let width = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => width,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= width)
                .ok_or_else(|| format!("{value:?}: the prefix length must be 0 to {width}"))?,
        };
        Ok(Self { network, prefix })
    }
}

/// Parses a comma-separated list of [`AddressRange`]s.
pub fn parse_ranges(value: &str) -> Result<Vec<AddressRange>, String> {
    value
        .split(',')
        .filter(|part| !part.trim().is_empty())
        .map(str::parse)
        .collect()
}

/// The loopback ranges, trusted by default: a proxy on the same machine.
pub fn loopback() -> Vec<AddressRange> {
    vec![
        AddressRange {
            network: IpAddr::V4(Ipv4Addr::new(127, 0, 0, 0)),
            prefix: 8,
        },
        AddressRange {
            network: IpAddr::V6(Ipv6Addr::LOCALHOST),
            prefix: 128,
        },
    ]
}

/// An IPv4-mapped IPv6 address as the IPv4 address it is; others unchanged.
pub(crate) fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_and_match() {
        let ranges = parse_ranges("10.0.0.0/8, ::1, 192.168.1.5").unwrap();
        assert!(ranges[0].contains("10.200.3.4".parse().unwrap()));
        assert!(!ranges[0].contains("11.0.0.1".parse().unwrap()));
        assert!(ranges[1].contains("::1".parse().unwrap()));
        assert!(ranges[2].contains("::ffff:192.168.1.5".parse().unwrap()));
        assert!(parse_ranges("10.0.0.0/33").is_err());
        assert!(parse_ranges("nope").is_err());
        assert!(loopback()[0].contains("127.0.0.53".parse().unwrap()));
    }
}

//! Which IP addresses the verifier may connect to.
//!
//! Every credential the verifier checks names URLs that its issuer chose, so
//! an attacker can make the verifier fetch anything: the classifier below is
//! what keeps those fetches off the operator's own network (server-side
//! request forgery). Only [`AddressClass::Public`] is reachable by default.
//! Addresses that embed an IPv4 address (IPv4-mapped, NAT64, 6to4) are
//! judged by the address they embed.
//!
//! Ranges: IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The cloud instance metadata endpoint (AWS, GCP, Azure, OpenStack).
pub const METADATA_V4: Ipv4Addr = Ipv4Addr::new(169, 254, 169, 254);

/// The AWS instance metadata endpoint over IPv6.
pub const METADATA_V6: Ipv6Addr = Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254);

/// What kind of network an IP address belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AddressClass {
    /// A globally routable address: always allowed.
    Public,
    /// RFC 1918 private networks (10/8, 172.16/12, 192.168/16) and the
    /// deprecated IPv6 site-local fec0::/10.
    Private,
    /// The host itself: 127/8 and ::1.
    Loopback,
    /// Link-local: 169.254/16 and fe80::/10.
    LinkLocal,
    /// IPv6 unique local addresses, fc00::/7.
    UniqueLocal,
    /// Carrier-grade NAT shared space, 100.64/10 (RFC 6598).
    SharedCgnat,
    /// Multicast: 224/4 and ff00::/8.
    Multicast,
    /// The unspecified address (0.0.0.0/8, ::), which Linux connects to the
    /// host itself.
    Unspecified,
    /// 255.255.255.255.
    Broadcast,
    /// The cloud metadata endpoints [`METADATA_V4`] and [`METADATA_V6`]:
    /// never allowed, whatever the configuration, since no verifier has a
    /// reason to read its host's credentials.
    CloudMetadata,
    /// Documentation ranges (192.0.2/24, 198.51.100/24, 203.0.113/24,
    /// 2001:db8::/32): never routed.
    Documentation,
    /// Anything else special-purpose or unallocated: benchmarking, protocol
    /// assignments, 240/4, Teredo, discard, IPv4-compatible, non-global
    /// unicast IPv6.
    Reserved,
}

impl AddressClass {
    /// Whether an address of this class may be connected to. With
    /// `allow_private` (tests, local setups), the host's own and private
    /// networks are reachable too; metadata endpoints, unroutable and
    /// non-unicast addresses never are.
    pub fn allowed(self, allow_private: bool) -> bool {
        match self {
            AddressClass::Public => true,
            AddressClass::Private
            | AddressClass::Loopback
            | AddressClass::LinkLocal
            | AddressClass::UniqueLocal
            | AddressClass::SharedCgnat => allow_private,
            AddressClass::Multicast
            | AddressClass::Unspecified
            | AddressClass::Broadcast
            | AddressClass::CloudMetadata
            | AddressClass::Documentation
            | AddressClass::Reserved => false,
        }
    }
}

/// Classifies an IP address.
pub fn classify(ip: IpAddr) -> AddressClass {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

/// Classifies an IPv4 address.
pub fn classify_v4(ip: Ipv4Addr) -> AddressClass {
    let [a, b, c, _] = ip.octets();
    match (a, b, c) {
        _ if ip == METADATA_V4 => AddressClass::CloudMetadata,
        _ if ip == Ipv4Addr::BROADCAST => AddressClass::Broadcast,
        (0, _, _) => AddressClass::Unspecified,
        (10, _, _) | (172, 16..=31, _) | (192, 168, _) => AddressClass::Private,
        (100, 64..=127, _) => AddressClass::SharedCgnat,
        (127, _, _) => AddressClass::Loopback,
        (169, 254, _) => AddressClass::LinkLocal,
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => AddressClass::Documentation,
        // Protocol assignments, 6to4 relay anycast, benchmarking.
        (192, 0, 0) | (192, 88, 99) | (198, 18..=19, _) => AddressClass::Reserved,
        (224..=239, _, _) => AddressClass::Multicast,
        (240..=255, _, _) => AddressClass::Reserved,
        _ => AddressClass::Public,
    }
}

/// Classifies an IPv6 address, judging embedded IPv4 addresses by their own
/// class.
pub fn classify_v6(ip: Ipv6Addr) -> AddressClass {
    let segments = ip.segments();
    if ip == METADATA_V6 {
        return AddressClass::CloudMetadata;
    }
    if ip.is_unspecified() {
        return AddressClass::Unspecified;
    }
    if ip.is_loopback() {
        return AddressClass::Loopback;
    }
    if let Some(v4) = ip.to_ipv4_mapped() {
        return classify_v4(v4);
    }
    let embedded = |high: u16, low: u16| {
        let [a, b] = high.to_be_bytes();
        let [c, d] = low.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    match segments {
        // NAT64 well-known prefix 64:ff9b::/96: the IPv4 address in the low
        // 32 bits is the real destination.
        [0x64, 0xff9b, 0, 0, 0, 0, high, low] => classify_v4(embedded(high, low)),
        // 6to4 2002::/16 carries an IPv4 address in bits 16..48.
        [0x2002, high, low, ..] => match classify_v4(embedded(high, low)) {
            AddressClass::Public => AddressClass::Public,
            _ => AddressClass::Reserved,
        },
        // Local-use NAT64 64:ff9b:1::/48 translates to private networks.
        [0x64, 0xff9b, 1, ..] => AddressClass::Private,
        // IPv4-compatible ::/96 (deprecated) and the rest of ::/8.
        [0, ..] => AddressClass::Reserved,
        // Discard-only 100::/64.
        [0x100, 0, 0, 0, ..] => AddressClass::Reserved,
        // Documentation 2001:db8::/32, before the protocol block below.
        [0x2001, 0xdb8, ..] => AddressClass::Documentation,
        // IETF protocol assignments 2001::/23 (Teredo, ORCHID, ...).
        [0x2001, 0..=0x01ff, ..] => AddressClass::Reserved,
        [s, ..] if s & 0xfe00 == 0xfc00 => AddressClass::UniqueLocal,
        [s, ..] if s & 0xffc0 == 0xfe80 => AddressClass::LinkLocal,
        [s, ..] if s & 0xffc0 == 0xfec0 => AddressClass::Private,
        [s, ..] if s & 0xff00 == 0xff00 => AddressClass::Multicast,
        // Global unicast is 2000::/3; the rest is unallocated.
        [s, ..] if s & 0xe000 == 0x2000 => AddressClass::Public,
        _ => AddressClass::Reserved,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(text: &str) -> AddressClass {
        classify(text.parse().expect("valid IP address"))
    }

    #[test]
    fn ipv4_classes() {
        let cases = [
            ("8.8.8.8", AddressClass::Public),
            ("1.1.1.1", AddressClass::Public),
            ("93.184.215.14", AddressClass::Public),
            ("0.0.0.0", AddressClass::Unspecified),
            ("0.1.2.3", AddressClass::Unspecified),
            ("10.0.0.1", AddressClass::Private),
            ("10.255.255.255", AddressClass::Private),
            ("172.15.255.255", AddressClass::Public),
            ("172.16.0.1", AddressClass::Private),
            ("172.31.255.255", AddressClass::Private),
            ("172.32.0.0", AddressClass::Public),
            ("192.168.1.1", AddressClass::Private),
            ("192.169.0.1", AddressClass::Public),
            ("100.63.255.255", AddressClass::Public),
            ("100.64.0.1", AddressClass::SharedCgnat),
            ("100.127.255.255", AddressClass::SharedCgnat),
            ("100.128.0.0", AddressClass::Public),
            ("127.0.0.1", AddressClass::Loopback),
            ("127.255.255.254", AddressClass::Loopback),
            ("169.254.0.1", AddressClass::LinkLocal),
            ("169.254.169.254", AddressClass::CloudMetadata),
            ("169.254.169.253", AddressClass::LinkLocal),
            ("192.0.0.8", AddressClass::Reserved),
            ("192.0.2.1", AddressClass::Documentation),
            ("198.51.100.7", AddressClass::Documentation),
            ("203.0.113.9", AddressClass::Documentation),
            ("192.88.99.1", AddressClass::Reserved),
            ("198.18.0.1", AddressClass::Reserved),
            ("198.19.255.255", AddressClass::Reserved),
            ("198.20.0.0", AddressClass::Public),
            ("224.0.0.1", AddressClass::Multicast),
            ("239.255.255.250", AddressClass::Multicast),
            ("240.0.0.1", AddressClass::Reserved),
            ("255.255.255.254", AddressClass::Reserved),
            ("255.255.255.255", AddressClass::Broadcast),
        ];
        for (text, expected) in cases {
            assert_eq!(class(text), expected, "{text}");
        }
    }

    #[test]
    fn ipv6_classes() {
        let cases = [
            ("2606:4700:4700::1111", AddressClass::Public),
            ("2a00:1450:4007:80e::200e", AddressClass::Public),
            ("::", AddressClass::Unspecified),
            ("::1", AddressClass::Loopback),
            ("fe80::1", AddressClass::LinkLocal),
            ("febf::1", AddressClass::LinkLocal),
            ("fec0::1", AddressClass::Private),
            ("fc00::1", AddressClass::UniqueLocal),
            ("fdff:ffff::1", AddressClass::UniqueLocal),
            ("fd00:ec2::254", AddressClass::CloudMetadata),
            ("fd00:ec2::253", AddressClass::UniqueLocal),
            ("ff02::1", AddressClass::Multicast),
            ("ff0e::1", AddressClass::Multicast),
            ("2001:db8::1", AddressClass::Documentation),
            ("2001::1", AddressClass::Reserved),
            ("2001:1ff::1", AddressClass::Reserved),
            ("2001:200::1", AddressClass::Public),
            ("100::1", AddressClass::Reserved),
            ("::2", AddressClass::Reserved),
            ("4000::1", AddressClass::Reserved),
            ("1000::1", AddressClass::Reserved),
            ("64:ff9b:1::1", AddressClass::Private),
        ];
        for (text, expected) in cases {
            assert_eq!(class(text), expected, "{text}");
        }
    }

    #[test]
    fn embedded_ipv4_is_judged_by_its_own_class() {
        let cases = [
            ("::ffff:127.0.0.1", AddressClass::Loopback),
            ("::ffff:7f00:1", AddressClass::Loopback),
            ("::ffff:10.1.2.3", AddressClass::Private),
            ("::ffff:169.254.169.254", AddressClass::CloudMetadata),
            ("::ffff:0.0.0.0", AddressClass::Unspecified),
            ("::ffff:8.8.8.8", AddressClass::Public),
            ("64:ff9b::7f00:1", AddressClass::Loopback),
            ("64:ff9b::a9fe:a9fe", AddressClass::CloudMetadata),
            ("64:ff9b::808:808", AddressClass::Public),
            ("2002:7f00:1::", AddressClass::Reserved),
            ("2002:c0a8:101::1", AddressClass::Reserved),
            ("2002:808:808::1", AddressClass::Public),
            // IPv4-compatible (deprecated): never connected to.
            ("::127.0.0.1", AddressClass::Reserved),
            ("::8.8.8.8", AddressClass::Reserved),
        ];
        for (text, expected) in cases {
            assert_eq!(class(text), expected, "{text}");
        }
    }

    #[test]
    fn only_public_is_allowed_by_default() {
        let all = [
            AddressClass::Public,
            AddressClass::Private,
            AddressClass::Loopback,
            AddressClass::LinkLocal,
            AddressClass::UniqueLocal,
            AddressClass::SharedCgnat,
            AddressClass::Multicast,
            AddressClass::Unspecified,
            AddressClass::Broadcast,
            AddressClass::CloudMetadata,
            AddressClass::Documentation,
            AddressClass::Reserved,
        ];
        for class in all {
            assert_eq!(
                class.allowed(false),
                class == AddressClass::Public,
                "{class:?}"
            );
        }
        let with_private: Vec<_> = all.into_iter().filter(|c| c.allowed(true)).collect();
        assert_eq!(
            with_private,
            vec![
                AddressClass::Public,
                AddressClass::Private,
                AddressClass::Loopback,
                AddressClass::LinkLocal,
                AddressClass::UniqueLocal,
                AddressClass::SharedCgnat,
            ]
        );
        assert!(!classify("169.254.169.254".parse().expect("ip")).allowed(true));
        assert!(!classify("fd00:ec2::254".parse().expect("ip")).allowed(true));
    }
}

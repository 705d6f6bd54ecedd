//! Addresses, each question about them answered once, for every layer: is it a web address,
//! one this server may be told to follow in the clear (loopback only), one a visitor's browser
//! may fetch, an IP address on the public Internet.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ammonia::Url;
use ammonia::url::Host;

/// True for a text that begins as an `http(s)` address (a reader scanning markup, a setting
/// that is an address rather than a path); [`is_web_url`] says whether it is a whole one.
pub fn has_web_scheme(text: &str) -> bool {
    text.starts_with("https://") || text.starts_with("http://")
}

/// True for an absolute `http(s)` URL with a host: the only links a source may give.
pub fn is_web_url(url: &str) -> bool {
    Url::parse(url).is_ok_and(|url| matches!(url.scheme(), "https" | "http") && url.host().is_some())
}

/// True for an `https://` address, or an `http://` one on this machine, where nothing travels in
/// the clear: what a sources file may name.
pub fn is_safe_web_url(url: &str) -> bool {
    match Url::parse(url) {
        Ok(url) if url.scheme() == "https" => url.host().is_some(),
        Ok(url) if url.scheme() == "http" => match url.host() {
            Some(Host::Domain(name)) => name == "localhost",
            Some(Host::Ipv4(ip)) => ip.is_loopback(),
            Some(Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        },
        _ => false,
    }
}

/// True for an absolute http(s) URL or a path on this server (`/demo/media/…`): the addresses
/// an image, poster or video may have. A scheme-relative `//host/…` is neither: the visitor's
/// browser would fetch it from a third party.
pub fn is_fetchable(url: &str) -> bool {
    has_web_scheme(url) || bao_contract::is_server_path(url)
}

/// The client an address stands for, as rates and budgets count them: an IPv4 address, or the
/// /64 network of an IPv6 one — what a household or a server is given, so that one client does
/// not get 2⁶⁴ budgets by changing its address's last half. An IPv4-mapped address is its IPv4.
pub fn client_unit(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX))),
        },
    }
}

/// True for an address on the public Internet: not this machine, its network, link-local
/// (cloud metadata at 169.254.169.254), shared, documentation, benchmark or reserved ranges. An
/// IPv6 address that carries an IPv4 one (mapped, compatible, NAT64, 6to4) is judged by it: a
/// gateway would deliver `64:ff9b::a9fe:a9fe` to 169.254.169.254.
pub fn is_public(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            let v4_in = |high: u16, low: u16| Ipv4Addr::from((u32::from(high) << 16) | u32::from(low));
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            if s[..6] == [0; 6] || s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                // IPv4-compatible (`::a.b.c.d`, also `::` and `::1`) and NAT64's well-known prefix.
                return !v6.is_loopback() && !v6.is_unspecified() && is_public_v4(v4_in(s[6], s[7]));
            }
            if s[0] == 0x2002 {
                return is_public_v4(v4_in(s[1], s[2])); // 6to4
            }
            !(v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local, fd00:ec2::254 among them
                || (s[0] & 0xffc0) == 0xfe80 // link-local
                || (s[0] & 0xffc0) == 0xfec0 // site-local, deprecated but still routed inside sites
                || (s[0] == 0x64 && s[1] == 0xff9b) // NAT64 for local use (64:ff9b:1::/48)
                || (s[0] == 0x100 && s[1..4] == [0; 3]) // discard-only
                || (s[0] == 0x2001 && s[1] < 0x200) // Teredo, benchmarking, ORCHID and other IETF uses
                || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
                || (s[0] & 0xe000) != 0x2000) // outside the global unicast space 2000::/3
        }
    }
}

fn is_public_v4(v4: Ipv4Addr) -> bool {
    let [a, b, c, _] = v4.octets();
    !(v4.is_loopback()
        || v4.is_private()
        || v4.is_link_local()
        || v4.is_unspecified()
        || v4.is_broadcast()
        || v4.is_documentation()
        || v4.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (carrier NAT)
        || (a == 192 && b == 0 && c == 0) // protocol assignments
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || a >= 240)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_is_an_ipv4_address_or_an_ipv6_network_of_64_bits() {
        let unit = |text: &str| client_unit(text.parse().unwrap()).to_string();
        assert_eq!(unit("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::");
        assert_eq!(unit("2001:db8:1:2::1"), unit("2001:db8:1:2:ffff::9"));
        assert_ne!(unit("2001:db8:1:2::1"), unit("2001:db8:1:3::1"));
        assert_eq!(unit("::ffff:192.0.2.7"), "192.0.2.7");
        assert_eq!(unit("192.0.2.7"), "192.0.2.7");
    }

    #[test]
    fn internal_addresses_are_not_public() {
        for internal in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00:ec2::254",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "240.0.0.1",
            // IPv4 addresses inside IPv6 ones: NAT64, 6to4, IPv4-compatible.
            "64:ff9b::a9fe:a9fe",
            "64:ff9b::7f00:1",
            "64:ff9b::10.0.0.1",
            "64:ff9b:1::808:808",
            "2002:7f00:1::",
            "2002:a9fe:a9fe::1",
            "2002:c0a8:101:1::1",
            "::127.0.0.1",
            "::10.0.0.1",
            "::",
            "2001::1",
            "2001:db8::1",
            "fec0::1",
            "100::1",
            "ff02::1",
        ] {
            assert!(!is_public(internal.parse().unwrap()), "{internal}");
        }
        for public in [
            "93.184.215.14",
            "2606:2800:21f:cb07:6820:80da:af6b:8b2c",
            "8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
            "2a01:cb00::1",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn only_web_addresses_are_links() {
        for good in ["https://a.example/x", "http://asso.example", "https://a.example:8443/?q=1"] {
            assert!(is_web_url(good), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "javascript://%0aalert(1)",
            "data:text/html,x",
            "//a.example",
            "/r/x",
            "",
            "ftp://a.example/x",
            "https://",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
    }

    #[test]
    fn scheme_relative_media_are_not_fetchable() {
        assert!(is_fetchable("https://a.example/x.jpg") && is_fetchable("/demo/x.jpg"));
        assert!(
            !is_fetchable("//a.example/x.jpg") && !is_fetchable("javascript:x") && !is_fetchable("x.jpg")
        );
    }

    #[test]
    fn in_the_clear_only_on_this_machine() {
        for safe in ["https://a.example/", "http://127.0.0.1:8080/x", "http://localhost/", "http://[::1]:9/"]
        {
            assert!(is_safe_web_url(safe), "{safe}");
        }
        for unsafe_ in [
            "http://a.example/",
            "http://127.0.0.1.evil.example/",
            "ftp://localhost/",
            "https://",
            "fichiers",
        ] {
            assert!(!is_safe_web_url(unsafe_), "{unsafe_}");
        }
    }
}

//! The private-address guard of article pages: links a feed hands us must
//! not make newsflow a probe of the network it runs in.
//!
//! Without a proxy, names are resolved here ([`PublicOnlyResolver`]) and
//! only public addresses are connected to. With a proxy the proxy resolves
//! names (HTTP proxies, `socks5h://`), so before a request leaves,
//! [`check_proxied`] refuses literal private addresses and names that
//! resolve *here* to any private address; a name that does not resolve
//! here, or resolves differently at the proxy, is the proxy's to judge.

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use url::Url;

/// Why the guard refused an address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{host} is a private address; refused (set allow_private_addresses = true to allow)")]
pub struct Refused {
    pub host: String,
}

/// The address a URL names literally (`localhost` counts as one).
pub fn literal_ip(url: &Url) -> Option<IpAddr> {
    match url.host()? {
        url::Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
        url::Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
        url::Host::Domain(d) if is_localhost(d) => Some(IpAddr::from([127, 0, 0, 1])),
        url::Host::Domain(_) => None,
    }
}

fn is_localhost(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

/// False for the addresses an article link must not reach: loopback,
/// private, link-local, unspecified, CGNAT, benchmarking (198.18.0.0/15),
/// reserved (240.0.0.0/4, broadcast included), multicast, unique-local,
/// and IPv6 forms that carry one of those IPv4 addresses (mapped,
/// compatible, NAT64, 6to4, Teredo).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(v4: Ipv4Addr) -> bool {
    let o = v4.octets();
    !(v4.is_loopback()
        || v4.is_private()
        || v4.is_link_local()
        || v4.is_unspecified()
        || v4.is_multicast()
        || o[0] == 0
        || o[0] >= 240
        || (o[0] == 100 && (o[1] & 0xc0) == 64)
        || (o[0] == 198 && (o[1] & 0xfe) == 18))
}

fn is_public_v6(v6: Ipv6Addr) -> bool {
    if v6.is_loopback() || v6.is_unspecified() || v6.is_multicast() {
        return false;
    }
    if let Some(v4) = embedded_v4(v6) {
        return is_public_v4(v4);
    }
    let s = v6.segments();
    !((s[0] & 0xfe00) == 0xfc00          // unique local
        || (s[0] & 0xffc0) == 0xfe80     // link-local
        || (s[0] & 0xffc0) == 0xfec0     // site-local (deprecated)
        || (s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1)) // local-use NAT64 (RFC 8215)
}

/// The IPv4 address an IPv6 address stands for, where it stands for one:
/// a connection to it ends up there.
fn embedded_v4(v6: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = v6.segments();
    let o = v6.octets();
    let low = Ipv4Addr::new(o[12], o[13], o[14], o[15]);
    match s {
        // IPv4-mapped ::ffff:a.b.c.d and IPv4-compatible ::a.b.c.d.
        [0, 0, 0, 0, 0, 0xffff, _, _] | [0, 0, 0, 0, 0, 0, _, _] => Some(low),
        // NAT64 well-known prefix 64:ff9b::/96.
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => Some(low),
        // 6to4 2002:a.b.c.d::/48.
        [0x2002, hi, lo, ..] => Some(Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo))),
        // Teredo 2001:0::/32: the client's address, inverted, at the end.
        [0x2001, 0, ..] => Some(Ipv4Addr::from(!u32::from(low))),
        _ => None,
    }
}

/// Refuses a URL whose host is, or resolves here to, a private address;
/// for requests sent through a proxy, which resolves names itself. A name
/// that does not resolve here passes: only the proxy can judge it.
pub async fn check_proxied(url: &Url) -> Result<(), Refused> {
    let refused = || Refused {
        host: url.host_str().unwrap_or_default().to_string(),
    };
    if let Some(ip) = literal_ip(url) {
        return if is_public(ip) {
            Ok(())
        } else {
            Err(refused())
        };
    }
    let Some(url::Host::Domain(name)) = url.host() else {
        return Ok(());
    };
    let private = match tokio::net::lookup_host((name, 0)).await {
        Ok(mut addrs) => addrs.any(|a| !is_public(a.ip())),
        Err(_) => false,
    };
    if private { Err(refused()) } else { Ok(()) }
}

/// The proxies named in the environment, which reqwest uses unless a
/// client names its own: by host name, `None` when none is set.
pub fn env_proxy_hosts() -> Option<Vec<String>> {
    let values: Vec<String> = [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ]
    .iter()
    .filter_map(|v| std::env::var(v).ok())
    .filter(|v| !v.trim().is_empty())
    .collect();
    if values.is_empty() {
        return None;
    }
    let host = |v: &str| {
        let v = v.trim();
        let v = if v.contains("://") {
            v.to_string()
        } else {
            format!("http://{v}")
        };
        Url::parse(&v).ok()?.host_str().map(str::to_ascii_lowercase)
    };
    Some(values.iter().filter_map(|v| host(v)).collect())
}

/// Resolves names and keeps only public addresses, so a page link cannot
/// reach the internal network through DNS either. The configured proxies'
/// own host names are resolved as they are: the operator chose them.
pub struct PublicOnlyResolver {
    pub trusted: Arc<HashSet<String>>,
}

impl reqwest::dns::Resolve for PublicOnlyResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        let trusted = self.trusted.contains(&host.to_ascii_lowercase());
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = addrs
                .into_iter()
                .filter(|a| trusted || is_public(a.ip()))
                .collect();
            if public.is_empty() {
                return Err(format!("{host} resolves only to private addresses; refused").into());
            }
            Ok(Box::new(public.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(ip: &str) -> bool {
        is_public(ip.parse().unwrap())
    }

    #[test]
    fn private_ranges_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.5",
            "169.254.1.1",
            "100.64.0.1",
            "100.127.255.255",
            "0.0.0.0",
            "0.1.2.3",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "fc00::1",
            "fec0::1",
        ] {
            assert!(!public(ip), "{ip}");
        }
        for ip in [
            "93.184.216.34",
            "100.128.0.1",
            "2606:2800:220:1::1",
            "64:ff9b:2::1",
        ] {
            assert!(public(ip), "{ip}");
        }
    }

    #[test]
    fn benchmarking_reserved_and_multicast_are_not_public() {
        for ip in [
            "198.18.0.1",
            "198.19.255.255",
            "240.0.0.1",
            "255.255.255.254",
            "255.255.255.255",
            "224.0.0.1",
            "239.255.255.250",
            "ff02::1",
            "ff05::1:3",
            "ff0e::101",
        ] {
            assert!(!public(ip), "{ip}");
        }
        for ip in ["198.17.255.255", "198.20.0.1", "223.255.255.255"] {
            assert!(public(ip), "{ip}");
        }
    }

    #[test]
    fn ipv4_inside_ipv6_is_judged_by_the_ipv4() {
        for ip in [
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "::192.168.1.1",
            "::0.0.0.2",
            "64:ff9b::127.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b::c612:1",
            "64:ff9b:1::1",
            "2002:7f00:1::1",
            "2002:a00:1::",
            "2002:c0a8:101:1::5",
            "2002:e000:1::1",
            "2001:0:4136:e378:8000:63bf:80ff:fffe",
        ] {
            assert!(!public(ip), "{ip}");
        }
        for ip in [
            "::ffff:93.184.216.34",
            "::93.184.216.34",
            "64:ff9b::5db8:d822",
            "2002:5db8:d822::1",
            "2001:0:4136:e378:8000:63bf:a247:27dd",
        ] {
            assert!(public(ip), "{ip}");
        }
    }

    #[test]
    fn localhost_names_are_literal() {
        for u in [
            "http://localhost/",
            "http://LOCALHOST./",
            "http://api.localhost/",
        ] {
            assert_eq!(
                literal_ip(&Url::parse(u).unwrap()),
                Some(IpAddr::from([127, 0, 0, 1])),
                "{u}"
            );
        }
        assert_eq!(
            literal_ip(&Url::parse("http://example.org/").unwrap()),
            None
        );
    }

    #[tokio::test]
    async fn a_proxied_request_is_checked_here_first() {
        async fn check(u: &str) -> Result<(), Refused> {
            check_proxied(&Url::parse(u).unwrap()).await
        }
        assert!(check("http://127.0.0.1:8080/a").await.is_err());
        assert!(check("http://[::ffff:10.0.0.1]/a").await.is_err());
        assert!(check("http://[64:ff9b::7f00:1]/a").await.is_err());
        assert!(check("http://localhost:9/a").await.is_err());
        assert!(check("http://93.184.216.34/a").await.is_ok());
        // Names that do not resolve here are the proxy's to resolve.
        assert!(check("http://no-such-host.invalid/a").await.is_ok());
    }
}

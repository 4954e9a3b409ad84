//! Where a request comes from, as far as ngoaivu may believe it, decided
//! once per request (`middleware`) for every handler below:
//!
//! - the **client address** (the login throttle, the logs) is the socket
//!   peer, unless the peer is one of the `trusted_proxies`: then it is the
//!   nearest address in `Forwarded` / `X-Forwarded-For` that is not a
//!   trusted proxy. Anyone else's forwarding headers are ignored, so a
//!   client cannot choose its address to escape the throttle;
//! - the **public origin** (the cross-site check, absolute links in files
//!   and feeds, `Secure` cookies) is `public_url` when configured. Without
//!   it, it is built from the request (`Host`, and `X-Forwarded-Proto` /
//!   `X-Forwarded-Host` only from a trusted proxy), which is right for a
//!   server reached directly and wrong behind a proxy that rewrites `Host`:
//!   hence the setting.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::Response;

/// An IP network: `10.0.0.0/8`, `192.168.1.5` (one address), `::1/128`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl FromStr for Cidr {
    type Err = String;
    fn from_str(s: &str) -> Result<Cidr, String> {
        let s = s.trim();
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = a
            .parse()
            .map_err(|_| format!("“{s}” is not an IP address or network (e.g. 10.0.0.0/8)"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| format!("“{s}”: the prefix length must be 0 to {max}"))?,
        };
        Ok(Cidr { addr, prefix })
    }
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        // An IPv4 peer may arrive as an IPv4-mapped IPv6 address.
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 @ IpAddr::V4(_) => v4,
        };
        match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u32::MAX << (32 - u32::from(self.prefix))
                };
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u128::MAX << (128 - u32::from(self.prefix))
                };
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// A comma-separated list of networks (`NGOAIVU_TRUSTED_PROXIES`).
pub fn parse_cidrs(s: &str) -> Result<Vec<Cidr>, String> {
    s.split([',', ' '])
        .filter(|p| !p.trim().is_empty())
        .map(Cidr::from_str)
        .collect()
}

/// The address users type: `https://ngoaivu.sngv.vinhlong.gov.vn`, with
/// an optional port, served at the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    /// `http` or `https`.
    pub scheme: String,
    /// `host[:port]`, lower case.
    pub authority: String,
}

impl FromStr for PublicUrl {
    type Err = String;
    fn from_str(s: &str) -> Result<PublicUrl, String> {
        let t = s.trim();
        let (scheme, rest) = if let Some(r) = t.strip_prefix("https://") {
            ("https", r)
        } else if let Some(r) = t.strip_prefix("http://") {
            ("http", r)
        } else {
            return Err(format!("“{t}” must start with https:// or http://"));
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.is_empty()
            || !authority
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
        {
            return Err(format!(
                "“{t}”: give only the scheme, host and port (ngoaivu is served at the root path), e.g. https://ngoaivu.example.gov.vn"
            ));
        }
        Ok(PublicUrl {
            scheme: scheme.into(),
            authority: authority.to_ascii_lowercase(),
        })
    }
}

impl PublicUrl {
    pub fn origin(&self) -> String {
        format!("{}://{}", self.scheme, self.authority)
    }
}

/// The proxy settings.
#[derive(Debug, Clone, Default)]
pub struct ProxyConfig {
    pub public_url: Option<PublicUrl>,
    pub trusted_proxies: Vec<Cidr>,
}

impl ProxyConfig {
    fn trusts(&self, ip: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|c| c.contains(ip))
    }
}

/// Where a request comes from (see the module's comment); every request
/// has one, set by `middleware`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSource {
    /// The client's address; `None` in in-process tests (no socket).
    pub client_ip: Option<IpAddr>,
    /// `scheme://authority` the browser used.
    pub origin: String,
    /// Whether the browser speaks TLS to us (or to our proxy).
    pub secure: bool,
    /// Whether `origin` is the configured `public_url` (not guessed from
    /// the request).
    pub configured: bool,
}

impl RequestSource {
    /// The authority (`host[:port]`) of `origin`.
    pub fn authority(&self) -> &str {
        self.origin
            .split_once("://")
            .map(|(_, a)| a)
            .unwrap_or(&self.origin)
    }
}

fn header_str<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

fn safe_authority(a: &str) -> bool {
    !a.is_empty()
        && a.len() <= 255
        && a.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
}

/// The addresses a proxy chain names, nearest last: `Forwarded: for=…`
/// (RFC 7239) when present, else `X-Forwarded-For`.
fn forwarded_chain(h: &HeaderMap) -> Vec<IpAddr> {
    let parse = |s: &str| -> Option<IpAddr> {
        let s = s.trim().trim_matches('"');
        if let Ok(ip) = s.parse() {
            return Some(ip);
        }
        // `[2001:db8::1]:4711` or `192.0.2.4:8080`.
        if let Ok(sa) = s.parse::<SocketAddr>() {
            return Some(sa.ip());
        }
        s.strip_prefix('[')
            .and_then(|r| r.split(']').next())
            .and_then(|ip| ip.parse().ok())
    };
    let fwd: Vec<IpAddr> = h
        .get_all("forwarded")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|el| {
            el.split(';').find_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                k.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| parse(v))
                    .flatten()
            })
        })
        .collect();
    if !fwd.is_empty() {
        return fwd;
    }
    h.get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(parse)
        .collect()
}

/// Decide where a request comes from.
pub fn source_of(config: &ProxyConfig, peer: Option<IpAddr>, h: &HeaderMap) -> RequestSource {
    let trusted_peer = peer.is_some_and(|p| config.trusts(p));
    let client_ip = if trusted_peer {
        let chain = forwarded_chain(h);
        chain
            .iter()
            .rev()
            .find(|ip| !config.trusts(**ip))
            .or(chain.first())
            .copied()
            .or(peer)
    } else {
        peer
    };
    if let Some(u) = &config.public_url {
        return RequestSource {
            client_ip,
            origin: u.origin(),
            secure: u.scheme == "https",
            configured: true,
        };
    }
    let secure = trusted_peer
        && header_str(h, "x-forwarded-proto")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
    let host = trusted_peer
        .then(|| header_str(h, "x-forwarded-host"))
        .flatten()
        .or_else(|| header_str(h, header::HOST.as_str()))
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| safe_authority(s))
        .unwrap_or_else(|| "localhost".into());
    RequestSource {
        client_ip,
        origin: format!("{}://{host}", if secure { "https" } else { "http" }),
        secure,
        configured: false,
    }
}

/// The middleware that decides `RequestSource` for every request.
pub async fn middleware(
    State(config): State<Arc<ProxyConfig>>,
    mut req: Request,
    next: Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let source = source_of(&config, peer, req.headers());
    req.extensions_mut().insert(source);
    next.run(req).await
}

impl<S: Send + Sync> FromRequestParts<S> for RequestSource {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<RequestSource>()
            .cloned()
            .unwrap_or_else(|| source_of(&ProxyConfig::default(), None, &parts.headers)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn networks_parse_and_match() {
        let n: Cidr = "10.0.0.0/8".parse().unwrap();
        assert!(n.contains(ip("10.1.2.3")) && !n.contains(ip("11.0.0.1")));
        assert!(n.contains(ip("::ffff:10.0.0.1")), "IPv4-mapped");
        let one: Cidr = "127.0.0.1".parse().unwrap();
        assert!(one.contains(ip("127.0.0.1")) && !one.contains(ip("127.0.0.2")));
        let v6: Cidr = "fd00::/8".parse().unwrap();
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")));
        assert!("0.0.0.0/0".parse::<Cidr>().unwrap().contains(ip("8.8.8.8")));
        for bad in ["10.0.0.0/33", "nginx", "10.0.0/8", "::1/129", ""] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad}");
        }
        assert_eq!(parse_cidrs("127.0.0.1, 10.0.0.0/8").unwrap().len(), 2);
        assert!(parse_cidrs("127.0.0.1,proxy").is_err());
    }

    #[test]
    fn public_urls() {
        let u: PublicUrl = "https://NgoaiVu.example.gov.vn/".parse().unwrap();
        assert_eq!(u.origin(), "https://ngoaivu.example.gov.vn");
        assert_eq!(
            "http://10.0.0.5:8080"
                .parse::<PublicUrl>()
                .unwrap()
                .origin(),
            "http://10.0.0.5:8080"
        );
        for bad in ["ngoaivu.gov.vn", "https://x/ngoaivu", "ftp://x", "https://"] {
            assert!(bad.parse::<PublicUrl>().is_err(), "{bad}");
        }
    }

    #[test]
    fn forwarding_headers_count_only_from_a_trusted_proxy() {
        let cfg = ProxyConfig {
            public_url: None,
            trusted_proxies: parse_cidrs("127.0.0.1,10.0.0.0/8").unwrap(),
        };
        let h = headers(&[
            ("host", "127.0.0.1:8080"),
            ("x-forwarded-for", "6.6.6.6, 203.0.113.7, 10.0.0.2"),
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "ngoaivu.example.gov.vn"),
        ]);
        // Through the proxy: the nearest untrusted address, the proxy's scheme and host.
        let s = source_of(&cfg, Some(ip("127.0.0.1")), &h);
        assert_eq!(s.client_ip, Some(ip("203.0.113.7")));
        assert_eq!(s.origin, "https://ngoaivu.example.gov.vn");
        assert!(s.secure);
        // Straight from a client: its headers are ignored.
        let s = source_of(&cfg, Some(ip("198.51.100.9")), &h);
        assert_eq!(s.client_ip, Some(ip("198.51.100.9")));
        assert_eq!(s.origin, "http://127.0.0.1:8080");
        assert!(!s.secure);
        // RFC 7239 Forwarded wins over X-Forwarded-For.
        let h = headers(&[
            (
                "forwarded",
                "for=\"[2001:db8::7]:4711\";proto=https, for=10.0.0.3",
            ),
            ("x-forwarded-for", "6.6.6.6"),
        ]);
        let s = source_of(&cfg, Some(ip("127.0.0.1")), &h);
        assert_eq!(s.client_ip, Some(ip("2001:db8::7")));
    }

    #[test]
    fn the_public_url_decides_origin_and_secure() {
        let cfg = ProxyConfig {
            public_url: Some("https://ngoaivu.example.gov.vn".parse().unwrap()),
            trusted_proxies: vec![],
        };
        let h = headers(&[("host", "evil.example"), ("x-forwarded-proto", "http")]);
        let s = source_of(&cfg, Some(ip("192.0.2.1")), &h);
        assert_eq!(s.origin, "https://ngoaivu.example.gov.vn");
        assert!(s.secure);
        assert_eq!(s.authority(), "ngoaivu.example.gov.vn");
    }

    #[test]
    fn a_bad_host_header_is_not_echoed() {
        let h = headers(&[("host", "evil.example/<script>")]);
        let s = source_of(&ProxyConfig::default(), None, &h);
        assert_eq!(s.origin, "http://localhost");
    }
}

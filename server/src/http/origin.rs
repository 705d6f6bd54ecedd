//! Which origin the server says it is at (canonical pages, snippets, iframes, feeds): the public
//! URL configured, when there is one; else the request's `Host`, with a proxy's `X-Forwarded-*`
//! believed only from the proxies configured — a client cannot make the server hand out another
//! site's address (nor a shared cache keep one).

use std::net::IpAddr;

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, HeaderValue};

use super::serve::peer;

const FORWARDED_HOST: HeaderName = HeaderName::from_static("x-forwarded-host");
const FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");
const FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// Where the origin comes from; the default believes no forwarded header.
#[derive(Debug, Clone, Default)]
pub struct OriginPolicy {
    /// Scheme and host of the configured public URL.
    public: Option<(HeaderValue, HeaderValue)>,
    /// Shared: the policy is cloned with the server's state, for every request.
    trusted_proxies: std::sync::Arc<[IpAddr]>,
}

impl OriginPolicy {
    /// `public_url`: `https://commun.example.org` (a port may follow; nothing else). Forwarded
    /// headers are believed from `trusted_proxies` only, and never when `public_url` is set.
    pub fn new(public_url: Option<&str>, trusted_proxies: Vec<IpAddr>) -> Result<OriginPolicy, String> {
        let public = public_url
            .map(|url| {
                let refused =
                    || format!("--public-url « {url} » : une adresse https://nom.de.domaine, sans chemin");
                let (scheme, rest) = url.split_once("://").ok_or_else(refused)?;
                let host = rest.strip_suffix('/').unwrap_or(rest);
                match scheme {
                    "https" | "http" if super::links::is_host(host) => Ok((
                        HeaderValue::from_static(if scheme == "https" { "https" } else { "http" }),
                        HeaderValue::from_str(host).map_err(|_| refused())?,
                    )),
                    _ => Err(refused()),
                }
            })
            .transpose()?;
        Ok(OriginPolicy { public, trusted_proxies: trusted_proxies.into() })
    }

    /// Who the client is: the peer, or what a trusted proxy says in `X-Forwarded-For` (its last
    /// address), as rates and budgets count clients ([`crate::address::client_unit`]: an IPv6
    /// address's /64). Asked by the few routes that need it (the rates, the beacon's counting),
    /// not worked out for every request.
    pub fn client_address(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let from_trusted_proxy = peer.is_some_and(|peer| self.trusted_proxies.contains(&peer));
        let forwarded_for = from_trusted_proxy
            .then(|| headers.get(FORWARDED_FOR)?.to_str().ok()?.rsplit(',').next()?.trim().parse().ok())
            .flatten();
        forwarded_for.or(peer).map(crate::address::client_unit)
    }
}

/// Sets the forwarded headers the rest of the server reads ([`super::links::public_origin`])
/// to what the policy allows.
pub fn normalise(policy: &OriginPolicy, mut request: Request) -> Request {
    let headers = request.headers_mut();
    if let Some((scheme, host)) = &policy.public {
        headers.insert(FORWARDED_PROTO, scheme.clone());
        headers.insert(FORWARDED_HOST, host.clone());
        return request;
    }
    let forwarded = headers.contains_key(FORWARDED_PROTO) || headers.contains_key(FORWARDED_HOST);
    if forwarded && !peer(&request).is_some_and(|peer| policy.trusted_proxies.contains(&peer.ip())) {
        let headers = request.headers_mut();
        headers.remove(FORWARDED_PROTO);
        headers.remove(FORWARDED_HOST);
    }
    request
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_public_url_is_an_origin_and_nothing_else() {
        assert!(OriginPolicy::new(Some("https://commun.example.org/"), vec![]).is_ok());
        assert!(OriginPolicy::new(Some("http://127.0.0.1:8080"), vec![]).is_ok());
        for bad in
            ["commun.example.org", "https://commun.example.org/chemin", "ftp://a.example", "https://a\"b"]
        {
            assert!(OriginPolicy::new(Some(bad), vec![]).unwrap_err().contains(bad), "{bad}");
        }
    }
}

//! The allowlist sanitiser every body goes through before it is stored, whatever its source:
//! no script, no event handler, no `javascript:` URL, iframes only from known video hosts.

use std::borrow::Cow;

use ammonia::{Url, UrlRelative};

/// Hosts of the players of the big providers that may be embedded as iframes.
const PROVIDER_PLAYER_HOSTS: &[&str] =
    &["player.vimeo.com", "www.youtube-nocookie.com", "www.youtube.com", "youtube.com"];

/// PeerTube instances known to host the commons' videos; a source declares others
/// (`video_hosts`).
pub const PEERTUBE_INSTANCES: &[&str] = &["framatube.org", "peertube.fr", "tube.aquilenet.fr"];

/// The allowlist sanitiser applied to every body before it is stored.
pub fn sanitize(html: &str, base: Option<&Url>) -> String {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["iframe", "figure", "figcaption"])
        .add_tag_attributes("iframe", ["src", "width", "height", "title", "allowfullscreen"])
        .set_tag_attribute_value("iframe", "loading", "lazy")
        .link_rel(Some("noopener noreferrer nofollow"))
        .attribute_filter(|element, attribute, value| {
            if element == "iframe" && attribute == "src" {
                return allowed_player_url(value).map(Cow::Owned);
            }
            Some(Cow::Borrowed(value))
        });
    builder.url_relative(match base {
        Some(base) => UrlRelative::RewriteWithBase(base.clone()),
        None => UrlRelative::Deny,
    });
    // Two attributes set by ammonia come out in either order (a hash map): written here, the
    // same body always gives the same bytes, hence the same validators.
    let cleaned =
        builder.clean(html).to_string().replace("<img ", r#"<img loading="lazy" decoding="async" "#);
    remove_empty_iframes(&cleaned)
}

/// The player URL to embed, or `None` when the host is not a known video host. YouTube is
/// moved to its no-cookie domain.
fn allowed_player_url(src: &str) -> Option<String> {
    let src = if src.starts_with("//") { format!("https:{src}") } else { src.to_owned() };
    let mut url = Url::parse(&src).ok()?;
    if url.scheme() != "https" && url.scheme() != "http" {
        return None;
    }
    let host = url.host_str()?.to_owned();
    if !PROVIDER_PLAYER_HOSTS.contains(&host.as_str()) && !PEERTUBE_INSTANCES.contains(&host.as_str()) {
        return None;
    }
    if host.ends_with("youtube.com") && host != "www.youtube-nocookie.com" {
        url.set_host(Some("www.youtube-nocookie.com")).ok()?;
    }
    url.set_scheme("https").ok()?;
    Some(url.into())
}

/// Removes the iframes whose `src` the sanitiser dropped: an empty frame is only a blank box.
fn remove_empty_iframes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<iframe") {
        let Some(tag_end) = rest[start..].find('>') else {
            break;
        };
        let Some(close) = rest[start..].find("</iframe>") else {
            break;
        };
        out.push_str(&rest[..start]);
        let frame = &rest[start..start + close + "</iframe>".len()];
        if rest[start..start + tag_end].contains(" src=") {
            out.push_str(frame);
        }
        rest = &rest[start + frame.len()..];
    }
    out.push_str(rest);
    out
}

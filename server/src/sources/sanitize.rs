//! The allowlist sanitiser every body goes through before it is stored, whatever its source:
//! no script, no event handler, no `javascript:` URL, iframes only from known video hosts.

use std::borrow::Cow;

use ammonia::{Url, UrlRelative};

use crate::store::html::{self, Rewrite};

/// Hosts of the players of the big providers that may be embedded as iframes.
const PROVIDER_PLAYER_HOSTS: &[&str] =
    &["player.vimeo.com", "www.youtube-nocookie.com", "www.youtube.com", "youtube.com"];

/// PeerTube instances known to host the commons' videos; a source declares others
/// (`video_hosts`).
pub const PEERTUBE_INSTANCES: &[&str] = &["framatube.org", "peertube.fr", "tube.aquilenet.fr"];

/// What a relative address in a body points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relative {
    /// A link's target (`<a href>`).
    Link,
    /// An image's bytes (`<img src>`).
    Image,
}

/// The resolver of sources whose relative addresses mean nothing here.
pub fn no_relative(_: Relative, _: &str) -> Option<String> {
    None
}

/// The allowlist sanitiser applied to every body before it is stored. `resolve` makes a
/// relative address absolute or says it has none (`None`: a link is left as its words, an
/// image without a source): each source says how, none guesses.
pub fn sanitize(
    html: &str,
    resolve: impl Fn(Relative, &str) -> Option<String> + Send + Sync + 'static,
) -> String {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["iframe", "figure", "figcaption"])
        .add_tag_attributes("iframe", ["src", "width", "height", "title", "allowfullscreen"])
        .set_tag_attribute_value("iframe", "loading", "lazy")
        .link_rel(Some("noopener noreferrer nofollow"))
        // Contributors' e-mail addresses are not published again: the name stays, as words.
        .rm_url_schemes(["mailto"])
        // Relative addresses reach the filter below, which resolves or drops those of links
        // and images; any other left relative is dropped.
        .url_relative(UrlRelative::Custom(Box::new(drop_relative)))
        .attribute_filter(move |element, attribute, value| {
            if element == "iframe" && attribute == "src" {
                return allowed_player_url(value).map(Cow::Owned);
            }
            if is_relative(value)
                && matches!(attribute, "href" | "src" | "action" | "data" | "formaction" | "ping" | "poster")
            {
                let absolute = match (element, attribute) {
                    _ if value.trim_start().starts_with("//") => None,
                    ("a", "href") => resolve(Relative::Link, value.trim()),
                    ("img", "src") => resolve(Relative::Image, value.trim()),
                    _ => None,
                };
                return absolute.filter(|url| crate::address::is_web_url(url)).map(Cow::Owned);
            }
            Some(Cow::Borrowed(value))
        });
    let cleaned = builder.clean(html).to_string();
    // Ammonia would add these two in either order (a hash map): given here, in this order, the
    // same body always gives the same bytes, hence the same validators. An iframe whose address
    // the filter dropped would only be a blank box.
    html::rewrite(&cleaned, |tag| match &*tag.name {
        "img" => {
            html::set_attribute(tag, "decoding", "async");
            html::set_attribute(tag, "loading", "lazy");
            Rewrite::Keep
        }
        "iframe" if html::attribute(tag, "src").is_none() => Rewrite::Drop,
        _ => Rewrite::Keep,
    })
}

/// What becomes of a relative address no filter resolved: it goes.
fn drop_relative(_: &str) -> Option<Cow<'_, str>> {
    None
}

/// An address with no scheme: relative to where the body was written (`//host/…` included,
/// which is dropped: its scheme would be the reader's).
fn is_relative(value: &str) -> bool {
    matches!(Url::parse(value.trim()), Err(ammonia::url::ParseError::RelativeUrlWithoutBase))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What an attribute holds stays in it: the rewrites after ammonia read its output as HTML,
    /// never as text, so that no `<img ` or `</iframe>` written in a value can become markup.
    #[test]
    fn every_angle_bracket_of_a_sanitised_body_opens_a_tag() {
        for hostile in [
            r#"<img src="https://a.example/i.png" alt="<img onload=alert(1) src=x>">"#,
            r#"<a href="https://a.example/" title="<iframe src=https://evil.example/>">lien</a>"#,
            r#"<p title='<img '>texte</p>"#,
            r#"<iframe src="https://player.vimeo.com/video/1" title="</iframe><img src=x onerror=alert(1)>"></iframe>"#,
            r#"<img src=x alt="<img  onload=alert(1)>"><iframe title="<iframe src=https://player.vimeo.com/video/2>"></iframe>"#,
        ] {
            let clean = sanitize(hostile, no_relative);
            assert_eq!(clean.matches('<').count(), crate::store::html::tag_count(&clean), "{clean}");
        }
    }
}

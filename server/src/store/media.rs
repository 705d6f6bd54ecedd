//! Images in bodies: each image of another host is served from the cache under a key derived
//! from its address, so that the address a visitor's browser asks is always this server's.

use crate::address::has_web_scheme;
use sha2::{Digest, Sha256};

/// The key an image address is cached and served under: 32 hex digits.
pub fn media_key(url: &str) -> String {
    Sha256::digest(url.as_bytes())[..16].iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The address of an image of another host, as the cache fetches it (`//host/…` as https);
/// `None` for a path on this server or an address that is no web one.
pub fn other_host_image(src: &str) -> Option<String> {
    match src.strip_prefix("//") {
        Some(rest) => Some(format!("https://{rest}")),
        None if has_web_scheme(src) => Some(src.to_owned()),
        None => None,
    }
}

/// The address of each image of another host in a sanitised body (`<img src>`, as HTML reads).
pub fn images_of_other_hosts(html: &str) -> Vec<String> {
    super::html::tags(html, |tag, found| {
        if &*tag.name == "img"
            && let Some(url) = super::html::attribute(tag, "src").and_then(other_host_image)
        {
            found.push(url);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_of_other_hosts_in_a_sanitised_body() {
        let html = r#"<p><img src="https://a.example/x.png?a=1&amp;b=2" alt="x"> <img alt="" src="//b.example/y.jpg"> <img src="/demo/media/z.svg"> <a href="https://c.example/">lien</a></p>"#;
        assert_eq!(
            images_of_other_hosts(html),
            ["https://a.example/x.png?a=1&b=2", "https://b.example/y.jpg"]
        );
        assert_eq!(media_key("https://a.example/x.png").len(), 32);
    }
}

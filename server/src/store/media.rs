//! Images in bodies: each image of another host is served from the cache under a key derived
//! from its address, so that the address a visitor's browser asks is always this server's.

use sha2::{Digest, Sha256};

/// The key an image address is cached and served under: 32 hex digits.
pub fn media_key(url: &str) -> String {
    Sha256::digest(url.as_bytes())[..16].iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Each `<img src="…">` of a sanitised body whose address is on another host: the byte range of
/// the attribute's value in `html`, and the address (`&amp;` read as `&`; `//host/…` as https).
pub fn images_of_other_hosts(html: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = html[from..].find("<img ").map(|at| from + at) {
        let end = html[start..].find('>').map_or(html.len(), |at| start + at);
        from = end;
        let tag = &html[start..end];
        let Some(value_start) = tag.find(" src=\"").map(|at| start + at + " src=\"".len()) else {
            continue;
        };
        let Some(value_end) = html[value_start..end].find('"').map(|at| value_start + at) else {
            continue;
        };
        let value = html[value_start..value_end].replace("&amp;", "&");
        let url = match value.strip_prefix("//") {
            Some(rest) => format!("https://{rest}"),
            None if value.starts_with("https://") || value.starts_with("http://") => value,
            None => continue,
        };
        found.push((value_start..value_end, url));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_of_other_hosts_in_a_sanitised_body() {
        let html = r#"<p><img src="https://a.example/x.png?a=1&amp;b=2" alt="x"> <img alt="" src="//b.example/y.jpg"> <img src="/demo/media/z.svg"> <a href="https://c.example/">lien</a></p>"#;
        let found = images_of_other_hosts(html);
        let urls: Vec<&str> = found.iter().map(|(_, url)| url.as_str()).collect();
        assert_eq!(urls, ["https://a.example/x.png?a=1&b=2", "https://b.example/y.jpg"]);
        assert_eq!(&html[found[1].0.clone()], "//b.example/y.jpg");
        assert_eq!(media_key("https://a.example/x.png").len(), 32);
    }
}

//! What every fuzz target checks of the HTML it gets: nothing in it can run script.

/// Panics when a tag of `html` (sanitised output: every `<` opens a tag, every attribute value is
/// double-quoted) is one that runs or embeds code, carries an event handler, or has an address in
/// a scheme that runs code.
pub fn assert_inert(html: &str) {
    let lower = html.to_ascii_lowercase();
    for tag in lower.split('<').skip(1).map(|rest| rest.split('>').next().unwrap_or(rest)) {
        let name = tag.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or_default();
        assert!(
            !matches!(
                name,
                "script" | "style" | "object" | "embed" | "base" | "form" | "meta" | "link" | "svg" | "math"
            ),
            "tag <{name}> in {html}"
        );
        // `name="value" name="value"…`: the text before each `="` ends with an attribute's name.
        let mut parts = tag.split("=\"");
        let mut before = parts.next().unwrap_or_default();
        for part in parts {
            let attribute = before.rsplit(|c: char| c.is_whitespace() || c == '"').next().unwrap_or_default();
            let value = part.split('"').next().unwrap_or_default();
            assert!(!attribute.starts_with("on") && attribute != "style" && attribute != "srcdoc", "<{tag}>");
            let address: String = value
                .replace("&amp;", "&")
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect();
            for scheme in ["javascript:", "vbscript:", "data:"] {
                assert!(!address.starts_with(scheme), "{scheme} in <{tag}>");
            }
            before = part;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn what_runs_is_seen_and_what_does_not_is_not() {
        super::assert_inert(
            r#"<p>javascript:alert(1)</p><a href="https://w.example/p/javascript:x" rel="nofollow">x</a>"#,
        );
        for unsafe_html in [
            r#"<a href="javascript:alert(1)">x</a>"#,
            r#"<a href=" JavaScript:alert(1)">x</a>"#,
            r#"<img src="x" onerror="alert(1)">"#,
            r#"<iframe srcdoc="x"></iframe>"#,
            "<script>alert(1)</script>",
        ] {
            assert!(std::panic::catch_unwind(|| super::assert_inert(unsafe_html)).is_err(), "{unsafe_html}");
        }
    }
}

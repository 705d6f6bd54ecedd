//! The elements' stylesheets as CSS text, one per element, written out as files by
//! `cargo xtask build-widget` (see `examples/styles.rs`): embed.js adopts them into each shadow
//! root, the server's own pages link to them. Kept out of the wasm, which only handles interaction.

#[cfg(feature = "search")]
use crate::search;
#[cfg(feature = "testimonials")]
use crate::testimonials;
use crate::{card, palette};

/// `(element, stylesheet)` for each element of this build.
///
/// Each is the palette's themes and colours ([`palette::element_css`]), then stylers' output
/// with its scoping class taken out: the shadow root already keeps the styles in and the page's
/// out, and views without the class on every element are smaller.
/// Lengths are written in `rem` (Rust's tokenizer reads `1em` as a number's exponent) and served
/// in `em`: sizes follow the element, whatever the page did to its root (`html { font-size: 62.5% }`).
pub fn stylesheets() -> Vec<(&'static str, String)> {
    let finished = |parts: &[((&str, &str), &str)]| -> String {
        let rules: String = parts
            .iter()
            .map(|((scope, css), plain)| in_em(&without_class(css, scope)) + &in_em(plain))
            .collect();
        // stylers writes `name: value;` and `a, b`: the spaces and last semicolons go.
        let rules = rules.replace(": ", ":").replace(", ", ",").replace(";}", "}");
        (palette::element_css(&rules) + &rules).replace(";}", "}")
    };
    let card = (card::style(), card::BODY_CSS);
    #[allow(unused_mut)] // One entry per element of the build.
    let mut sheets = vec![("bao-card", finished(&[card]))];
    // A result opened inline is a card.
    #[cfg(feature = "search")]
    sheets.push(("bao-search", finished(&[(search::style(), ""), card])));
    #[cfg(feature = "testimonials")]
    sheets.push(("bao-testimonials", finished(&[(testimonials::style(), testimonials::PLAIN_CSS)])));
    sheets
}

/// `css` without the class selector `.{class}`.
fn without_class(css: &str, class: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(dot) = rest.find('.') {
        out.push_str(&rest[..dot]);
        let after = &rest[dot + 1..];
        let whole =
            |tail: &str| !tail.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        match after.strip_prefix(class).filter(|tail| whole(tail)) {
            Some(unscoped) => rest = unscoped,
            None => {
                out.push('.');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `css` with every `rem` length made an `em` one (`0.5rem` → `0.5em`).
fn in_em(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(at) = rest.find("rem") {
        let after_number = rest[..at].ends_with(|c: char| c.is_ascii_digit());
        out.push_str(&rest[..at]);
        out.push_str(if after_number { "em" } else { "rem" });
        rest = &rest[at + 3..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn removes_only_the_scoping_class() {
        let css = ".more[open].l-1.l-1 .closed.l-1{display:none}.l-12{x:0.5rem}";
        assert_eq!(super::without_class(css, "l-1"), ".more[open] .closed{display:none}.l-12{x:0.5rem}");
    }

    #[test]
    fn lengths_follow_the_element() {
        assert_eq!(
            super::in_em(".a{margin:1rem .5rem 0}.remove{x:var(--rem)}"),
            ".a{margin:1em .5em 0}.remove{x:var(--rem)}"
        );
    }

    #[test]
    fn every_element_has_its_sheet_without_scoping_classes() {
        let sheets = super::stylesheets();
        assert_eq!(sheets.len(), 3);
        for (element, css) in sheets {
            assert!(css.len() > 500, "{element}");
            assert!(!css.contains("rem;") && !css.contains("rem "), "{element}: lengths in em");
        }
    }
}

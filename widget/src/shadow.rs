//! The one place the widget touches the shadow root directly: styles and the mount container.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, HtmlElement, ShadowRoot};

/// Styles `root` with `css` and returns an empty element, inside it, to mount a view into.
/// Earlier mounts (an element whose attribute changed) are replaced.
///
/// `css` is stylers' output with its scoping class `scope` taken out: the shadow root already
/// keeps the styles in and the page's out, and views without the class on every element
/// compile to markedly less code. Its lengths are written in `rem` (Rust's tokenizer reads `1em`
/// as a number's exponent) and adopted in `em`: sizes follow the element, whatever the page did
/// to its root (`html { font-size: 62.5% }`).
pub fn prepare(root: &ShadowRoot, scope: &str, css: &str) -> Result<HtmlElement, JsValue> {
    let document = root.owner_document().ok_or_else(|| JsValue::from_str("shadow root without document"))?;
    if let Some(previous) = root.query_selector("[data-bao-mount]")? {
        previous.remove();
    }
    adopt_style(root, &document, &in_em(&without_class(css, scope)))?;
    let container = document.create_element("div")?;
    container.set_attribute("data-bao-mount", "")?;
    root.append_child(&container)?;
    container.dyn_into::<HtmlElement>().map_err(|_| JsValue::from_str("mount point is not an HTML element"))
}

/// Styles the shadow root once. A constructed stylesheet, which a page's Content-Security-Policy
/// does not govern (an inline `<style>` needs `style-src 'unsafe-inline'`); a `<style>` element
/// only in browsers without them. `embed.js` adopted the host box's sheet first: ours comes second.
fn adopt_style(root: &ShadowRoot, document: &web_sys::Document, css: &str) -> Result<(), JsValue> {
    if js_sys::Reflect::has(root, &JsValue::from_str("adoptedStyleSheets"))? {
        let sheets = root.adopted_style_sheets();
        if sheets.length() < 2 {
            let sheet = CssStyleSheet::new()?;
            sheet.replace_sync(css)?;
            sheets.push(&sheet);
            root.set_adopted_style_sheets(&sheets);
        }
    } else if root.query_selector("style[data-bao-style]")?.is_none() {
        let style = document.create_element("style")?;
        style.set_attribute("data-bao-style", "")?;
        style.set_text_content(Some(css));
        root.append_child(&style)?;
    }
    Ok(())
}

/// `css` without the class selector `.{class}`. A hand-written scan: `str::replace` would compile
/// in the two-way substring searcher, which outweighs this.
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
}

//! The one place the widget touches the shadow root directly: styles and the mount container.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlElement, ShadowRoot};

/// Styles `root` with `css` and returns an empty element, inside it, to mount a view into.
/// Earlier mounts (an element whose attribute changed) are replaced.
pub fn prepare(root: &ShadowRoot, css: &str) -> Result<HtmlElement, JsValue> {
    let document = root.owner_document().ok_or_else(|| JsValue::from_str("shadow root without document"))?;
    if let Some(previous) = root.query_selector("[data-bao-mount]")? {
        previous.remove();
    }
    if root.query_selector("style[data-bao-style]")?.is_none() {
        let style = document.create_element("style")?;
        style.set_attribute("data-bao-style", "")?;
        style.set_text_content(Some(css));
        root.append_child(&style)?;
    }
    let container = document.create_element("div")?;
    container.set_attribute("data-bao-mount", "")?;
    root.append_child(&container)?;
    container.dyn_into::<HtmlElement>().map_err(|_| JsValue::from_str("mount point is not an HTML element"))
}

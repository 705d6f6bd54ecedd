//! The one place the widget touches the shadow root directly: the containers views mount into.
//! Styles are not ours to set: embed.js adopted the element's stylesheet when it painted the
//! server's first view.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, ShadowRoot};

/// The marker of a view's container in the shadow root (embed.js marks its own likewise).
const MOUNT: &str = "data-bao-mount";

/// Returns a new, hidden element inside `root` to mount a view into. The view painted before —
/// the server's, or an earlier mount's — stays on screen until [`reveal`] shows the new one: the
/// element never flashes back to its fallback as the wasm takes over.
pub fn prepare(root: &ShadowRoot) -> Result<HtmlElement, JsValue> {
    let document = root.owner_document().ok_or_else(|| JsValue::from_str("shadow root without document"))?;
    let container = document.create_element("div")?;
    container.set_attribute(MOUNT, "")?;
    container.set_attribute("hidden", "")?;
    root.append_child(&container)?;
    container.dyn_into::<HtmlElement>().map_err(|_| JsValue::from_str("mount point is not an HTML element"))
}

/// What can hold the focus in a view.
const FOCUSABLE: &str = "a[href],button,input,summary,video,iframe,[tabindex]";

/// Shows `container` in place of the views before it in `root`. The element of the old view that
/// had the focus hands it to its twin in the new one (same place among the focusable elements:
/// the views are the same markup), so a keyboard user stays where they were; and embed.js is told
/// (`bao:live`, which does not leave the shadow root), to replay a click made meanwhile.
pub fn reveal(root: &ShadowRoot, container: &HtmlElement) {
    let focused_at = root.active_element().and_then(|active| {
        let old = active.closest(&format!("[{MOUNT}]")).ok().flatten()?;
        let focusable = old.query_selector_all(FOCUSABLE).ok()?;
        (0..focusable.length())
            .find(|&index| focusable.item(index).is_some_and(|node| &node == active.as_ref()))
    });
    if let Ok(mounts) = root.query_selector_all(&format!("[{MOUNT}]")) {
        for index in 0..mounts.length() {
            let mount = mounts.item(index).and_then(|node| node.dyn_into::<Element>().ok());
            if let Some(mount) = mount.filter(|mount| mount != &**container) {
                mount.remove();
            }
        }
    }
    container.set_hidden(false);
    let twin = focused_at.and_then(|index| container.query_selector_all(FOCUSABLE).ok()?.item(index));
    if let Some(twin) = twin.and_then(|twin| twin.dyn_into::<HtmlElement>().ok()) {
        _ = twin.focus();
    }
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict("bao:live", &init) {
        _ = container.dispatch_event(&event);
    }
}

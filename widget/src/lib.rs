//! The `<bao-*>` custom elements, compiled to WebAssembly. `embed.js` defines the elements and
//! calls the few functions exported here to mount a Leptos view into each element's shadow root.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api;
mod card;
mod shadow;

use std::any::Any;

use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRoot};

/// A mounted element; the view is removed when JavaScript calls `unmount` (or `free`).
#[wasm_bindgen]
pub struct Mounted {
    // Dropping Leptos's unmount handle removes the view and its reactive owner.
    _view: Box<dyn Any>,
}

#[wasm_bindgen]
impl Mounted {
    /// Removes the view from the shadow root.
    pub fn unmount(self) {}
}

/// Mounts a `<bao-card>` showing resource `resource_id` from the server at `api_base`
/// (an absolute URL ending in `/`) into `root`, the element's open shadow root.
///
/// Returns an error (a string, for `embed.js` to log) when the shadow root cannot host a view;
/// the element's light-DOM fallback then stays visible.
#[wasm_bindgen]
pub fn mount_card(root: ShadowRoot, api_base: String, resource_id: String) -> Result<Mounted, JsValue> {
    let css = [card::style().1, card::BODY_CSS].concat();
    let container: HtmlElement = shadow::prepare(&root, &css)?;
    let handle = leptos::mount::mount_to(container, move || {
        leptos::view! { <card::Card api_base=api_base resource_id=resource_id /> }
    });
    Ok(Mounted { _view: Box::new(handle) })
}

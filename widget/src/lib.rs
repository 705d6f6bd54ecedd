//! The `<bao-*>` custom elements, compiled to WebAssembly. `embed.js` defines the elements and
//! calls the few functions exported here to mount a Leptos view into each element's shadow root.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api;
mod card;
#[cfg(any(feature = "search", feature = "testimonials"))]
mod events;
mod i18n;
#[cfg(feature = "search")]
mod search;
mod shadow;
#[cfg(feature = "testimonials")]
mod testimonials;

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
/// (an absolute URL ending in `/`) into `root`, the element's open shadow root, speaking `lang`.
///
/// Returns an error (a string, for `embed.js` to log) when the shadow root cannot host a view;
/// the element's light-DOM fallback then stays visible.
#[wasm_bindgen]
pub fn mount_card(
    root: ShadowRoot,
    api_base: String,
    resource_id: String,
    lang: String,
) -> Result<Mounted, JsValue> {
    let (scope, css) = card::style();
    let container: HtmlElement = shadow::prepare(&root, scope, &[css, card::BODY_CSS].concat())?;
    let host = root.host();
    let handle = leptos::mount::mount_to(container, move || card::card(api_base, resource_id, lang, host));
    Ok(Mounted { _view: Box::new(handle) })
}

/// Mounts a `<bao-search>` into `root`. `network`, `tag` and `kind` fix its scope (empty: none);
/// `open` is `"link"` to follow a chosen result instead of opening it inline.
#[cfg(feature = "search")]
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)] // One argument per attribute of the element, read by embed.js.
pub fn mount_search(
    root: ShadowRoot,
    api_base: String,
    network: String,
    tag: String,
    kind: String,
    placeholder: String,
    limit: u32,
    open: String,
    lang: String,
) -> Result<Mounted, JsValue> {
    let host = root.host();
    let (scope, css) = search::style();
    let container: HtmlElement = shadow::prepare(&root, scope, css)?;
    let scope = [("network", network), ("tag", tag), ("kind", kind)]
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .collect();
    let config = search::SearchConfig {
        api_base,
        scope,
        placeholder,
        limit: limit.clamp(1, bao_contract::MAX_SEARCH_BOX_LIMIT),
        open_as_link: open == "link",
        lang: if lang.is_empty() { "fr".into() } else { lang },
        host,
    };
    let handle = leptos::mount::mount_to(container, move || search::search(config));
    Ok(Mounted { _view: Box::new(handle) })
}

/// Mounts a `<bao-testimonials>` into `root`; `network` and `tag` filter it (empty: none).
#[cfg(feature = "testimonials")]
#[wasm_bindgen]
pub fn mount_testimonials(
    root: ShadowRoot,
    api_base: String,
    network: String,
    tag: String,
    limit: u32,
    lang: String,
) -> Result<Mounted, JsValue> {
    let host = root.host();
    let (scope, css) = testimonials::style();
    let container: HtmlElement = shadow::prepare(&root, scope, &[css, testimonials::PLAIN_CSS].concat())?;
    let config = testimonials::TestimonialsConfig {
        api_base,
        network,
        tag,
        limit: limit.clamp(1, bao_contract::MAX_CAROUSEL_LIMIT),
        lang: if lang.is_empty() { "fr".into() } else { lang },
        host,
    };
    let handle = leptos::mount::mount_to(container, move || testimonials::testimonials(config));
    Ok(Mounted { _view: Box::new(handle) })
}

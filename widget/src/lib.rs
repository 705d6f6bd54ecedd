//! The `<bao-*>` elements' views, written once with Leptos and used twice: on the server (feature
//! `ssr`), [`render`] gives each element's first view as HTML, which embed.js paints at once; in
//! the browser (feature `csr`, wasm32), the functions exported here mount the interactive search
//! and carousel over it when the visitor needs them. [`styles`] gives their stylesheets.
// The views nest deep types: newer compilers (the fuzz targets build on nightly) need more room.
#![recursion_limit = "256"]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[cfg(any(feature = "search", feature = "testimonials"))]
mod api;
mod card;
#[cfg(any(feature = "search", feature = "testimonials"))]
mod events;
// The card's words are rendered by the server only.
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
mod i18n;
pub mod palette;
#[cfg(feature = "ssr")]
pub mod render;
#[cfg(feature = "search")]
mod search;
#[cfg(feature = "csr")]
mod shadow;
#[cfg(feature = "styles")]
pub mod styles;
#[cfg(feature = "testimonials")]
mod testimonials;

#[cfg(feature = "csr")]
pub use mount::*;

/// The wasm side: what embed.js calls to make the server's first view interactive.
#[cfg(feature = "csr")]
mod mount {
    use std::any::Any;

    use wasm_bindgen::prelude::*;
    #[cfg(any(feature = "search", feature = "testimonials"))]
    use web_sys::ShadowRoot;

    #[cfg(any(feature = "search", feature = "testimonials"))]
    use crate::shadow;

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

    /// Mounts a `<bao-search>` into `root`, the element's open shadow root, over the server's first
    /// view: what the visitor typed there meanwhile, and the focus, carry over. `api_base` is the
    /// server's absolute URL ending in `/`; `attributes` the element's, as an object
    /// ([`bao_contract::elements::SearchAttributes`]).
    ///
    /// Returns an error (for `embed.js` to log) when the attributes or the shadow root cannot
    /// make a view; the server's view then stays.
    #[cfg(feature = "search")]
    #[wasm_bindgen]
    pub fn mount_search(root: ShadowRoot, api_base: String, attributes: JsValue) -> Result<Mounted, JsValue> {
        use wasm_bindgen::JsCast;
        use web_sys::HtmlInputElement;

        let painted =
            root.query_selector("input")?.and_then(|input| input.dyn_into::<HtmlInputElement>().ok());
        let typed = painted.as_ref().map(HtmlInputElement::value).unwrap_or_default();
        let focused = painted.as_ref().is_some_and(|input| root.active_element().as_ref() == Some(input));
        let container = shadow::prepare(&root)?;
        let config =
            crate::search::SearchConfig::new(read_attributes(attributes)?, api_base, Some(root.host()));
        let handle = leptos::mount::mount_to(container.clone(), move || {
            crate::search::SearchBox(crate::search::SearchBoxProps { config })
        });
        shadow::reveal(&root, &container);
        if let Some(input) =
            container.query_selector("input")?.and_then(|input| input.dyn_into::<HtmlInputElement>().ok())
        {
            if !typed.is_empty() {
                input.set_value(&typed);
                // The view searches on `input`, as if the visitor had typed it here.
                input.dispatch_event(&web_sys::Event::new("input")?)?;
            }
            if focused {
                input.focus()?;
            }
        }
        Ok(Mounted { _view: Box::new(handle) })
    }

    /// Mounts a `<bao-testimonials>` into `root` over the server's first view, shown in its place
    /// once the testimonies are loaded; `attributes` as an object
    /// ([`bao_contract::elements::CarouselAttributes`]).
    #[cfg(feature = "testimonials")]
    #[wasm_bindgen]
    pub fn mount_testimonials(
        root: ShadowRoot,
        api_base: String,
        attributes: JsValue,
    ) -> Result<Mounted, JsValue> {
        let attributes: bao_contract::elements::CarouselAttributes = read_attributes(attributes)?;
        let container = shadow::prepare(&root)?;
        let host = root.host();
        let shown = container.clone();
        let config = crate::testimonials::TestimonialsConfig {
            api_base,
            limit: attributes.limit(),
            network: attributes.network,
            tag: attributes.tag,
            lang: attributes.lang,
            host,
            ready: Box::new(move || shadow::reveal(&root, &shown)),
        };
        let handle = leptos::mount::mount_to(container, move || crate::testimonials::testimonials(config));
        Ok(Mounted { _view: Box::new(handle) })
    }

    /// An element's attributes, from the object embed.js passes.
    #[cfg(any(feature = "search", feature = "testimonials"))]
    fn read_attributes<T: serde::de::DeserializeOwned>(attributes: JsValue) -> Result<T, JsValue> {
        serde_wasm_bindgen::from_value(attributes).map_err(JsValue::from)
    }
}

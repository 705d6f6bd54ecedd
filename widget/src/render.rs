//! The elements' first views as HTML, rendered on the server with the view code the browser
//! runs: embed.js paints them into the shadow roots before (or without) any wasm, and the
//! server's own pages hold them. Nothing here runs script or sets inline styles.

#[cfg(feature = "search")]
use bao_contract::elements::SearchAttributes;
use bao_contract::{Resource, Testimonial};
use leptos::prelude::*;

pub use crate::card::Placement;
use crate::i18n;

/// The server's absolute URL ending in `/` (links in the views are absolute: they live on other
/// sites), and the language the element speaks (its `lang`, else the page's).
pub struct Context<'a> {
    pub api_base: &'a str,
    pub lang: &'a str,
}

/// `<bao-card>`: the resource's card.
pub fn card(resource: Resource, placement: Placement, context: &Context) -> String {
    let t = i18n::strings(context.lang);
    html(|| crate::card::card_view(resource, context.api_base, t, placement))
}

/// `<bao-card>` whose id names no resource (`withdrawn`: one its network took away).
pub fn missing_card(withdrawn: bool, context: &Context) -> String {
    let t = i18n::strings(context.lang);
    html(|| crate::card::missing_view(withdrawn, context.api_base, t))
}

/// `<bao-search>`: the box as it is before the visitor types.
#[cfg(feature = "search")]
pub fn search_box(attributes: SearchAttributes, api_base: &str) -> String {
    let config = crate::search::SearchConfig::new(attributes, api_base.to_owned(), None);
    html(|| crate::search::SearchBox(crate::search::SearchBoxProps { config }))
}

/// `<bao-testimonials>`: the carousel on its first slide.
#[cfg(feature = "testimonials")]
pub fn carousel(items: Vec<Testimonial>, context: &Context) -> String {
    let t = i18n::strings(context.lang);
    let api_base = context.api_base.to_owned();
    html(move || crate::testimonials::carousel_or_none(items, api_base, t, None))
}

/// Renders a view under a reactive owner of its own, dropped with it.
fn html<V: IntoView + 'static>(view: impl FnOnce() -> V) -> String {
    let owner = Owner::new();
    owner.with(|| view().to_html())
}

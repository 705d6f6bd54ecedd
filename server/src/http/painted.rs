//! A `<bao-*>` element written into one of our own pages already painted: its first view (from
//! `bao_widget::render`) in a declarative shadow root with the element's stylesheet, so that the
//! page shows it with no script at all; embed.js, when the page loads it, takes it from there.

use askama::Template;

use crate::AppState;

/// The element as the page's HTML holds it.
#[derive(Template)]
#[template(path = "painted.html")]
pub struct PaintedElement<'a> {
    pub name: &'static str,
    pub attributes: Vec<(&'static str, String)>,
    /// The rendered view; none leaves only the fallback (embed.js then fetches the view).
    pub view: Option<String>,
    pub stylesheet: Option<String>,
    /// The light-DOM fallback: a link, or text when there is nothing to link to.
    pub fallback_link: Option<String>,
    pub fallback_text: &'a str,
}

impl AppState {
    /// The bundle's stylesheet for `element` (none without a built widget: tests).
    pub fn stylesheet(&self, element: &str) -> Option<String> {
        self.bundle.as_ref().and_then(|bundle| bundle.stylesheet(element))
    }
}

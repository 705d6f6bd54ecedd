//! The `<bao-*>` elements, listed once: the server hands this table to `embed.js` (which defines
//! each element from it), routes their first views and frames by it, and the widget mounts the
//! interactive ones from the typed attributes below.

use serde::{Deserialize, Serialize};

use crate::{MAX_CAROUSEL_LIMIT, MAX_SEARCH_BOX_LIMIT};

/// One custom element: what the loader, the server's routes and the builder know of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Element {
    /// Its tag.
    pub name: &'static str,
    /// Its first view, under `/fragments/`.
    pub fragment: &'static str,
    /// The attribute naming what it shows, which ends its first view's path (`…/card/{id}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<&'static str>,
    /// The attributes that shape its view, in the order of its first view's query (one address
    /// per view, which caches share). `lang` is the element's, else its nearest ancestor's.
    pub attributes: &'static [&'static str],
    /// Its height before content, which the host page may change through the custom property
    /// named after it (`--bao-card-height`).
    pub height: &'static str,
    /// The wasm function that makes it interactive (none: the server's view is all it needs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mount: Option<&'static str>,
    /// Whether the module waits for the visitor's first move (else: as soon as the page is idle).
    #[serde(skip_serializing_if = "is_false")]
    pub wake_on_move: bool,
    /// Its page for iframes, which takes the same attributes as its query (with [`FRAME_ATTRIBUTES`]).
    #[serde(skip)]
    pub frame: &'static str,
}

fn is_false(value: &bool) -> bool {
    !value
}

/// What a frame page takes besides its element's attributes: its colours and whether to count.
pub const FRAME_ATTRIBUTES: [&str; 2] = ["theme", "counting"];

pub const CARD: Element = Element {
    name: "bao-card",
    fragment: "card",
    key: Some("resource"),
    attributes: &["lang"],
    height: "28em",
    mount: None,
    wake_on_move: false,
    frame: "/embed/r",
};

pub const SEARCH: Element = Element {
    name: "bao-search",
    fragment: "search",
    key: None,
    attributes: &["network", "tag", "kind", "placeholder", "limit", "open", "lang"],
    height: "5.5em",
    mount: Some("mount_search"),
    wake_on_move: true,
    frame: "/embed/recherche",
};

pub const TESTIMONIALS: Element = Element {
    name: "bao-testimonials",
    fragment: "testimonials",
    key: None,
    attributes: &["network", "tag", "limit", "lang"],
    height: "30em",
    mount: Some("mount_testimonials"),
    wake_on_move: false,
    frame: "/embed/temoignages",
};

/// Every element.
pub const ELEMENTS: [Element; 3] = [CARD, SEARCH, TESTIMONIALS];

/// Most first views one request asks (`/fragments?v=…`); a page with more elements asks again.
pub const MAX_VIEWS_PER_REQUEST: usize = 24;

/// Horizontal travel, in CSS pixels, that makes a touch gesture a swipe: the carousel's, and
/// embed.js's before the carousel's module is live.
pub const SWIPE_MIN_PX: i32 = 48;

/// What the server hands to `embed.js`: the elements, how many views it may ask at once, and
/// what a swipe is.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct LoaderTable {
    pub elements: [Element; 3],
    pub views_per_request: usize,
    pub swipe_min_px: i32,
}

/// The table `embed.js` is given.
pub const LOADER_TABLE: LoaderTable =
    LoaderTable { elements: ELEMENTS, views_per_request: MAX_VIEWS_PER_REQUEST, swipe_min_px: SWIPE_MIN_PX };

/// How many results or testimonies an element shows when its `limit` says nothing usable.
pub const DEFAULT_ELEMENT_LIMIT: u32 = 8;

/// A `limit` attribute as the elements read it: a positive number, else the default; at most `largest`.
pub fn element_limit(text: &str, largest: u32) -> u32 {
    text.trim().parse::<u32>().ok().filter(|limit| *limit > 0).unwrap_or(DEFAULT_ELEMENT_LIMIT).min(largest)
}

/// `<bao-card>`'s attributes besides its id, as the host set them (empty: not set).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CardAttributes {
    pub lang: String,
}

/// `<bao-search>`'s attributes, as the host set them (empty: not set).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchAttributes {
    /// The fixed scope, always applied.
    pub network: String,
    pub tag: String,
    pub kind: String,
    pub placeholder: String,
    pub limit: String,
    /// `link`: a chosen result is followed to its page instead of opening inline.
    pub open: String,
    pub lang: String,
}

impl SearchAttributes {
    /// Results asked for at once.
    pub fn limit(&self) -> u32 {
        element_limit(&self.limit, MAX_SEARCH_BOX_LIMIT)
    }
}

/// `<bao-testimonials>`'s attributes, as the host set them (empty: not set).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CarouselAttributes {
    pub network: String,
    pub tag: String,
    pub limit: String,
    pub lang: String,
}

impl CarouselAttributes {
    /// Testimonies shown.
    pub fn limit(&self) -> u32 {
        element_limit(&self.limit, MAX_CAROUSEL_LIMIT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_is_a_positive_number_within_bounds() {
        assert_eq!(element_limit("5", 20), 5);
        assert_eq!(element_limit("", 20), DEFAULT_ELEMENT_LIMIT);
        assert_eq!(element_limit("0", 20), DEFAULT_ELEMENT_LIMIT);
        assert_eq!(element_limit("beaucoup", 20), DEFAULT_ELEMENT_LIMIT);
        assert_eq!(element_limit("500", 20), 20);
    }

    /// The typed attributes are the table's, so that the loader sends what the widget reads.
    #[test]
    fn each_element_s_attributes_are_its_typed_fields() {
        let fields = |value: serde_json::Value| -> Vec<String> {
            let mut names: Vec<String> =
                value.as_object().into_iter().flatten().map(|(k, _)| k.clone()).collect();
            names.sort();
            names
        };
        let sorted = |names: &[&str]| {
            let mut names: Vec<String> = names.iter().map(|name| (*name).to_owned()).collect();
            names.sort();
            names
        };
        let typed = [
            (CARD, serde_json::to_value(CardAttributes::default())),
            (SEARCH, serde_json::to_value(SearchAttributes::default())),
            (TESTIMONIALS, serde_json::to_value(CarouselAttributes::default())),
        ];
        for (element, value) in typed {
            assert_eq!(fields(value.unwrap_or_default()), sorted(element.attributes), "{}", element.name);
        }
    }
}

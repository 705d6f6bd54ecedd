//! The elements' colours, written once: each colour's custom property, its value in the light and
//! dark themes, and the CSS that carries them into the elements' stylesheets and our own pages'.

/// A colour a page may set on an element as `--bao-{name}`.
pub struct Colour {
    pub name: &'static str,
    /// Its value in the light theme, and where neither the page nor a theme sets it.
    pub light: &'static str,
    pub dark: &'static str,
}

pub const COLOURS: [Colour; 10] = [
    Colour { name: "background", light: "#fff", dark: "#1d1a27" },
    Colour { name: "text", light: "#1f1b2e", dark: "#f1eef8" },
    Colour { name: "border", light: "#d9d4e8", dark: "#4a4360" },
    Colour { name: "accent", light: "#4b3a9c", dark: "#c4b5ff" },
    Colour { name: "link", light: "#3b2c85", dark: "#d4c9ff" },
    Colour { name: "muted", light: "#524c66", dark: "#cbc4de" },
    Colour { name: "tag", light: "#eee9fa", dark: "#37304a" },
    Colour { name: "on-accent", light: "#fff", dark: "#1d1a27" },
    Colour { name: "mark", light: "#fde68a", dark: "#7a5d00" },
    // Amber: it stands out on both themes' backgrounds.
    Colour { name: "focus", light: "#f2a900", dark: "#f2a900" },
];

/// Without a theme an element sits on the page's own background, which it cannot know: its text,
/// links, chips and borders derive from the page's text colour, readable wherever it is.
const FROM_PAGE: &str = "--bao-link:currentColor;--bao-muted:currentColor;--bao-accent-text:currentColor;\
--bao-tag:color-mix(in srgb,currentColor 13%,transparent);--bao-border:color-mix(in srgb,currentColor 30%,transparent)";

/// What every element's stylesheet starts with: the themes (`theme="light"`, `"dark"`, `"auto"`
/// for the visitor's system, none for the page's colours), and each colour as `--_bao-{name}`,
/// which the rules use: the page's `--bao-{name}` set on the element, else the theme's, else the
/// light value. Custom properties set by the page on the element win over the themes.
pub fn element_css() -> String {
    let light = theme(|colour| colour.light);
    let dark = theme(|colour| colour.dark);
    let resolved: String = COLOURS
        .iter()
        .map(|Colour { name, light, .. }| format!("--_bao-{name}:var(--bao-{name},{light});"))
        .collect();
    format!(
        ":host{{{resolved}}}:host(:not([theme])){{{FROM_PAGE}}}\
         :host([theme=light]){{{light}color-scheme:light}}:host([theme=dark]){{{dark}color-scheme:dark}}\
         @media (prefers-color-scheme:light){{:host([theme=auto]){{{light}color-scheme:light}}}}\
         @media (prefers-color-scheme:dark){{:host([theme=auto]){{{dark}color-scheme:dark}}}}"
    )
}

/// What our own pages' stylesheets start with: the light colours as `--_bao-{name}`, the names
/// the elements' rules use (an element sets its own, so none leaks into it).
pub fn page_css() -> String {
    let colours: String =
        COLOURS.iter().map(|Colour { name, light, .. }| format!("--_bao-{name}:{light};")).collect();
    format!(":root{{{colours}}}")
}

fn theme(value: impl Fn(&Colour) -> &'static str) -> String {
    COLOURS.iter().map(|colour| format!("--bao-{}:{};", colour.name, value(colour))).collect()
}

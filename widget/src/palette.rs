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
const FROM_PAGE: [(&str, &str); 5] = [
    ("link", "currentColor"),
    ("muted", "currentColor"),
    ("accent-text", "currentColor"),
    ("tag", "color-mix(in srgb,currentColor 13%,transparent)"),
    ("border", "color-mix(in srgb,currentColor 30%,transparent)"),
];

/// The colours of the element's own box, which without a theme are the page's (its background,
/// its text colour): the light theme sets them; every other colour is light already.
const OWN_BOX: [&str; 2] = ["background", "text"];

/// What every element's stylesheet starts with: the themes (`theme="light"`, `"dark"`, `"auto"`
/// for the visitor's system, none for the page's colours), and each colour as `--_bao-{name}`,
/// which the rules use: the page's `--bao-{name}` set on the element, else the theme's, else the
/// light value. Custom properties set by the page on the element win over the themes. Only the
/// colours the element's `rules` use are written.
pub fn element_css(rules: &str) -> String {
    let uses = |name: &str| {
        rules.contains(&format!("var(--_bao-{name})")) || rules.contains(&format!("var(--bao-{name},"))
    };
    let used: Vec<&Colour> = COLOURS.iter().filter(|colour| uses(colour.name)).collect();
    let from_page: String = FROM_PAGE
        .iter()
        .filter(|(name, _)| uses(name))
        .map(|(name, value)| format!("--bao-{name}:{value};"))
        .collect();
    let theme = |value: &dyn Fn(&Colour) -> Option<&'static str>| -> String {
        used.iter().filter_map(|colour| Some(format!("--bao-{}:{};", colour.name, value(colour)?))).collect()
    };
    let light = theme(&|colour| OWN_BOX.contains(&colour.name).then_some(colour.light));
    let dark = theme(&|colour| Some(colour.dark));
    let resolved: String = used
        .iter()
        .filter(|Colour { name, .. }| rules.contains(&format!("var(--_bao-{name})")))
        .map(|Colour { name, light, .. }| format!("--_bao-{name}:var(--bao-{name},{light});"))
        .collect();
    format!(
        ":host{{{resolved}}}:host(:not([theme])){{{from_page}}}\
         :host([theme=light]),:host([theme=auto]){{{light}color-scheme:light}}\
         :host([theme=dark]){{{dark}color-scheme:dark}}\
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_stylesheet_carries_the_colours_its_rules_use_and_the_light_theme_only_the_box() {
        let css =
            super::element_css(".a{color:var(--_bao-accent);background:var(--bao-background,transparent)}");
        assert!(css.starts_with(":host{--_bao-accent:var(--bao-accent,#4b3a9c);}"), "{css}");
        assert!(!css.contains("mark") && !css.contains("--bao-link"), "only what the rules use: {css}");
        assert!(
            css.contains(
                ":host([theme=light]),:host([theme=auto]){--bao-background:#fff;color-scheme:light}"
            ),
            "{css}"
        );
        assert!(
            css.contains(
                ":host([theme=dark]){--bao-background:#1d1a27;--bao-accent:#c4b5ff;color-scheme:dark}"
            ),
            "{css}"
        );
    }
}

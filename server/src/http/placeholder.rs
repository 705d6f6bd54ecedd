//! What is shown when no image could be had: the poster drawn from a testimony's title
//! (`templates/poster.svg`), and the plain band of a fiche's image.

use askama::Template;
use bao_contract::{POSTER_HEIGHT, POSTER_WIDTH};

/// Characters per line of the placeholder's title, and lines at most.
const LINE_CHARS: usize = 30;
const MAX_LINES: usize = 3;
/// Dark panels: white text on them passes WCAG AA.
const BACKGROUNDS: [&str; 4] = ["#1f4e5f", "#4a3b6b", "#2f5d3a", "#6b3b2f"];

/// A fiche's image not fetched yet, or gone: the card's tinted band, nothing to read twice.
pub const IMAGE_BAND_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="640" height="272" viewBox="0 0 640 272"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#ece7fb"/><stop offset="1" stop-color="#d5ecea"/></linearGradient></defs><rect width="640" height="272" fill="url(#g)"/></svg>"##;

#[derive(Template)]
#[template(path = "poster.svg")]
struct Placeholder<'a> {
    width: u32,
    height: u32,
    background: &'a str,
    /// Baseline and text of each line.
    lines: Vec<(u32, String)>,
}

/// A poster drawn from the title: a dark panel, the title on up to three lines, and a play sign.
/// Its colour comes from the title, so neighbouring slides differ.
pub fn placeholder_svg(title: &str) -> Result<String, askama::Error> {
    let hue = title.bytes().fold(0usize, |sum, byte| sum.wrapping_mul(31).wrapping_add(byte as usize));
    let mut lines: Vec<String> = Vec::new();
    for word in title.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= LINE_CHARS => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    if lines.len() > MAX_LINES {
        lines.truncate(MAX_LINES);
        lines[MAX_LINES - 1].push('…');
    }
    // At the bottom, clear of the play button drawn over the middle of the poster.
    let first_baseline = 330 - 40 * lines.len().saturating_sub(1) as u32;
    Placeholder {
        width: POSTER_WIDTH,
        height: POSTER_HEIGHT,
        background: BACKGROUNDS[hue % BACKGROUNDS.len()],
        lines: lines
            .into_iter()
            .enumerate()
            .map(|(index, line)| (first_baseline + 40 * index as u32, line))
            .collect(),
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_escape_and_wrap_the_title() {
        let svg = placeholder_svg(
            "<script>alert(1)</script> & un titre bien plus long que la ligne, qui continue encore et encore",
        )
        .unwrap();
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&#60;script&#62;"), "{svg}");
        assert_eq!(svg.matches("<text").count(), 3);
        assert!(svg.contains('…'));
        assert!(svg.contains(r#"width="640" height="360""#), "{svg}");
    }
}

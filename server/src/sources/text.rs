//! Small text helpers shared by the sources: comparing words, tidying white space, escaping, dates.

/// Lowercase, accents removed: for comparing headings and placeholder titles.
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'á' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' => 'i',
            'ô' | 'ö' | 'ó' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ç' => 'c',
            'ÿ' => 'y',
            other => other,
        })
        .collect()
}

/// Headings (folded, as they begin) of sections citing other works: what they hold is not the
/// text's own (its licence, its video).
const CITING_HEADINGS: &[&str] = &[
    "source",
    "bibliographie",
    "reference",
    "pour aller plus loin",
    "pour en savoir plus",
    "ressource",
    "lien",
    "voir aussi",
    "a lire",
    "lectures",
    "credit",
    "illustration",
    "photo",
    "image",
    "note",
];

/// Whether a heading's text opens a section citing other works ("Sources", "Pour aller plus loin").
pub fn is_citing_heading(heading: &str) -> bool {
    let folded = fold(&plain_text(heading));
    CITING_HEADINGS.iter().any(|cue| folded.starts_with(cue))
}

/// Longest summary kept, in characters, when a source's is taken from its text.
pub const SUMMARY_MAX_CHARS: usize = 300;

/// At most `max_chars` characters, cut after a whole word and marked with an ellipsis.
pub fn truncate_words(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// Single spaces between words, none at the ends.
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A line of Markdown as text: links reduced to their words, emphasis and list marks dropped.
pub fn plain_text(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line.trim().trim_start_matches(['*', '-', '>', ' ']);
    while let Some(start) = rest.find('[') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find("](").and_then(|mid| after[mid..].find(')').map(|end| (mid, mid + end))) {
            Some((mid, end)) => {
                out.push_str(&after[..mid]);
                rest = &after[end + 1..];
            }
            None => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let out: String = out.chars().filter(|c| !matches!(c, '*' | '`')).collect();
    // `_` marks emphasis at the edges of words only: `@cj_smithy` keeps its own.
    out.split_whitespace()
        .map(|word| word.trim_matches('_'))
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` with its first letter a capital (`faire avec` → `Faire avec`).
pub fn first_letter_upper(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Text made safe inside HTML or XML, as element content or a quoted attribute.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(fold("Contribution multiBàO"), "contribution multibao");
        assert_eq!(collapse_whitespace("  a \n b  "), "a b");
    }

    #[test]
    fn markdown_lines_become_text() {
        assert_eq!(
            plain_text("* Photo par [Jean](https://a.org/x) sous **licence** CC BY"),
            "Photo par Jean sous licence CC BY"
        );
        assert_eq!(plain_text("[lien cassé"), "[lien cassé");
        assert_eq!(plain_text("* Auteur : _Chris_ (@cj_smithy)"), "Auteur : Chris (@cj_smithy)");
    }
}

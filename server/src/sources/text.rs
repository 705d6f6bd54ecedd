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

/// `YYYY-MM-DD` of a Unix time (days to a civil date, after H. Hinnant's `civil_from_days`).
pub fn date_of_unix(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
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

    #[test]
    fn dates_of_unix_times() {
        assert_eq!(date_of_unix(0), "1970-01-01");
        assert_eq!(date_of_unix(1_709_251_200), "2024-03-01");
        assert_eq!(date_of_unix(4_107_542_399), "2100-02-28");
    }
}

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

/// What an e-mail address in a text becomes: the commons republishes its texts on many sites,
/// where a contributor's address would only feed the lists of spammers.
pub const MAIL_ADDRESS_REMOVED: &str = "[adresse e-mail retirée]";

/// `text` (plain, or HTML from the sanitiser) with every e-mail address replaced by
/// [`MAIL_ADDRESS_REMOVED`], and how many were. A web address's `/@name` is no e-mail address.
pub fn without_mail_addresses(text: &str) -> (std::borrow::Cow<'_, str>, usize) {
    let is_local = |b: u8| b.is_ascii_alphanumeric() || b"._%+-".contains(&b);
    let is_domain = |b: u8| b.is_ascii_alphanumeric() || b".-".contains(&b);
    let bytes = text.as_bytes();
    let (mut out, mut copied, mut count, mut from) = (String::new(), 0, 0, 0);
    while let Some(at) = text[from..].find('@').map(|found| from + found) {
        let start = bytes[..at].iter().rposition(|&b| !is_local(b)).map_or(0, |before| before + 1);
        let mut end =
            bytes[at + 1..].iter().position(|&b| !is_domain(b)).map_or(bytes.len(), |after| at + 1 + after);
        while end > at + 1 && b".-".contains(&bytes[end - 1]) {
            end -= 1;
        }
        let domain = &text[at + 1..end];
        let top_level = domain.rsplit('.').next().unwrap_or_default();
        let is_address = start < at
            && start >= copied
            && (start == 0 || bytes[start - 1] != b'/')
            && domain.contains('.')
            && top_level.len() >= 2
            && top_level.bytes().all(|b| b.is_ascii_alphabetic());
        if is_address {
            out.push_str(&text[copied..start]);
            out.push_str(MAIL_ADDRESS_REMOVED);
            (copied, count) = (end, count + 1);
        }
        from = if is_address { end } else { at + 1 };
    }
    if count == 0 {
        return (std::borrow::Cow::Borrowed(text), 0);
    }
    out.push_str(&text[copied..]);
    (std::borrow::Cow::Owned(out), count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_mail_addresses_are_removed_and_web_addresses_kept() {
        // Real lines of multibao/contributions and lilianricaud/travail-en-reseau.
        let (text, count) = without_mail_addresses(
            "Le coordinateur Julien Hivon, jhivon45@gmail.com, et Laurence, laurence@projektae.com.",
        );
        assert_eq!(
            (text.as_ref(), count),
            (
                "Le coordinateur Julien Hivon, [adresse e-mail retirée], et Laurence, [adresse e-mail retirée].",
                2
            )
        );
        let (text, _) =
            without_mail_addresses("<p>Rapporté par Anthony Ogier &lt;aogier@iorga.com&gt; dans</p>");
        assert_eq!(text, "<p>Rapporté par Anthony Ogier &lt;[adresse e-mail retirée]&gt; dans</p>");
        for kept in [
            r#"<a href="https://medium.com/@XavierCoadic/convaincre#.cec9m5bcd">@XavierCoadic</a>"#,
            "Auteur : Chris (@cj_smithy)",
            "un @ seul, a@b, x@localhost, 3@2.5",
        ] {
            assert_eq!(without_mail_addresses(kept), (std::borrow::Cow::Borrowed(kept), 0));
        }
    }

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

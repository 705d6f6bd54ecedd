//! French text analysis for the search index: how text (documents and queries alike) is cut into
//! words, with elisions and inclusive spellings handled, then lowercased, folded and stemmed.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, Stemmer, StopWordFilter, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

/// Analyzer of the weighted fields: stop words dropped, accents folded, Snowball French stems.
pub const STEMMED: &str = "bao_fr_stem";
/// Analyzer of the field the word being typed is completed and corrected against: accents
/// folded, words kept whole (a stem is not a prefix of what people type).
pub const PLAIN: &str = "bao_fr_plain";

/// Words longer than this (in bytes) are noise: URLs, hashes, base64.
const LONGEST_WORD: usize = 40;

pub fn stemmed_analyzer() -> TextAnalyzer {
    // Stop words are matched before folding (the list is accented); stems are taken after it, so
    // that "reunions" and "réunions" reach the same stem.
    let stop_words = StopWordFilter::new(Language::French).unwrap_or_else(|| StopWordFilter::remove([]));
    TextAnalyzer::builder(FrenchWords::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .filter(stop_words)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::French))
        .build()
}

/// The stemmed analysis, for cutting snippets: words that cannot stem to one of `stems` (they do
/// not start like any of them) are dropped before the stemmer, the costliest step, since a
/// snippet only looks for the query's stems. Snowball French only shortens a folded word or
/// changes its end, so a word whose stem is `stem` starts with `stem`'s first letters.
pub fn snippet_analyzer(stems: &[String]) -> TextAnalyzer {
    let stop_words = StopWordFilter::new(Language::French).unwrap_or_else(|| StopWordFilter::remove([]));
    let starts: Vec<String> =
        stems.iter().map(|stem| stem.chars().take(SNIPPET_GATE_CHARS).collect()).collect();
    TextAnalyzer::builder(FrenchWords::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .filter(stop_words)
        .filter(AsciiFoldingFilter)
        .filter(StartsWithFilter { starts: starts.into() })
        .filter(Stemmer::new(Language::French))
        .build()
}

/// Letters of a stem that a word must start with to reach the stemmer in snippets.
const SNIPPET_GATE_CHARS: usize = 3;

/// Keeps only the tokens that start with one of `starts`.
#[derive(Clone)]
struct StartsWithFilter {
    starts: std::sync::Arc<[String]>,
}

impl TokenFilter for StartsWithFilter {
    type Tokenizer<T: Tokenizer> = StartsWithTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> StartsWithTokenizer<T> {
        StartsWithTokenizer { starts: self.starts, inner }
    }
}

#[derive(Clone)]
pub struct StartsWithTokenizer<T> {
    starts: std::sync::Arc<[String]>,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for StartsWithTokenizer<T> {
    type TokenStream<'a> = StartsWithStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StartsWithStream { starts: &self.starts, inner: self.inner.token_stream(text) }
    }
}

pub struct StartsWithStream<'a, S> {
    starts: &'a [String],
    inner: S,
}

impl<S: TokenStream> TokenStream for StartsWithStream<'_, S> {
    fn advance(&mut self) -> bool {
        while self.inner.advance() {
            let text = &self.inner.token().text;
            if self.starts.iter().any(|start| text.starts_with(start.as_str())) {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

pub fn plain_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(FrenchWords::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Every token `analyzer` makes of `text`.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// Splits on anything that is not a letter or digit, like tantivy's simple tokenizer, and drops:
/// - elided articles and pronouns before an apostrophe (`l'`, `d'`, `qu'`, `jusqu’`…), so that
///   `l'assemblée` is found by `assemblée`;
/// - the endings of inclusive spellings (`participant·e·s`, `chacun.e`, `élu-e-s`), so that they
///   match their base word (`participant(e)s` too).
#[derive(Clone, Default)]
pub struct FrenchWords {
    token: Token,
}

pub struct FrenchWordStream<'a> {
    text: &'a str,
    /// Byte offset where the search for the next word starts.
    cursor: usize,
    token: &'a mut Token,
}

impl Tokenizer for FrenchWords {
    type TokenStream<'a> = FrenchWordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> FrenchWordStream<'a> {
        self.token.reset();
        FrenchWordStream { text, cursor: 0, token: &mut self.token }
    }
}

const ELIDED: &[&str] =
    &["c", "d", "j", "l", "m", "n", "s", "t", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"];

/// Endings written after a middle dot or period in inclusive French (`·e`, `·rice`, `.nes`…).
const INCLUSIVE_ENDINGS: &[&str] = &[
    "e", "es", "s", "x", "ne", "nes", "le", "les", "se", "ses", "ve", "ves", "ice", "ices", "rice", "rices",
    "trice", "trices", "euse", "euses", "ère", "ères", "ière", "ières", "te", "tes",
];

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

fn is_inclusive_mark(c: char) -> bool {
    matches!(c, '·' | '•' | '‧' | '⋅' | '.' | '-' | '(' | ')')
}

impl FrenchWordStream<'_> {
    /// The next run of letters and digits at or after the cursor, as a byte range.
    fn next_run(&mut self) -> Option<(usize, usize)> {
        let rest = &self.text[self.cursor..];
        let start = self.cursor + rest.find(char::is_alphanumeric)?;
        let end =
            self.text[start..].find(|c: char| !c.is_alphanumeric()).map_or(self.text.len(), |n| start + n);
        self.cursor = end;
        Some((start, end))
    }

    fn char_before(&self, offset: usize) -> Option<char> {
        self.text[..offset].chars().next_back()
    }

    fn is_elided(&self, start: usize, end: usize) -> bool {
        let word = &self.text[start..end];
        self.text[end..].chars().next().is_some_and(is_apostrophe)
            && self.text[end..].chars().nth(1).is_some_and(char::is_alphanumeric)
            && ELIDED.iter().any(|elided| elided.eq_ignore_ascii_case(word))
    }

    /// An inclusive ending glued to the word before it by one mark (`participant·e`, `élu-e-s`).
    /// A hyphen only counts before `e`/`es`/`s`, so that `peut-être` or `dis-le` stay words.
    fn is_inclusive_ending(&self, start: usize, end: usize) -> bool {
        let Some(mark) = self.char_before(start) else { return false };
        if !is_inclusive_mark(mark) {
            return false;
        }
        let before_mark = start - mark.len_utf8();
        if !self.char_before(before_mark).is_some_and(char::is_alphanumeric) {
            return false;
        }
        // The ending must end the word: "chacun.e " yes, "fin.Début" no.
        if self.text[end..].chars().next().is_some_and(|c| c.is_alphanumeric()) {
            return false;
        }
        let ending = self.text[start..end].to_lowercase();
        if mark == '-' {
            return matches!(ending.as_str(), "e" | "es" | "s");
        }
        INCLUSIVE_ENDINGS.contains(&ending.as_str())
    }
}

impl TokenStream for FrenchWordStream<'_> {
    fn advance(&mut self) -> bool {
        while let Some((start, end)) = self.next_run() {
            if self.is_elided(start, end) || self.is_inclusive_ending(start, end) {
                continue;
            }
            self.token.text.clear();
            self.token.text.push_str(&self.text[start..end]);
            self.token.offset_from = start;
            self.token.offset_to = end;
            self.token.position = self.token.position.wrapping_add(1);
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Elements inside a line of text: no space where they open or close.
const INLINE_TAGS: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s",
    "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
];

/// The text of sanitised HTML (as the importer stores it): tags become spaces, except those of
/// words set in a line ("L'<em>atelier</em>" reads "L'atelier"); the entities that the
/// sanitiser writes are decoded.
pub fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        decode_entities(&rest[..open], &mut text);
        let tag = &rest[open + 1..];
        let name_length = tag.trim_start_matches('/').find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(0);
        let name = &tag.trim_start_matches('/')[..name_length];
        if !INLINE_TAGS.iter().any(|inline| inline.eq_ignore_ascii_case(name)) {
            text.push(' ');
        }
        rest = match rest[open..].find('>') {
            Some(close) => &rest[open + close + 1..],
            None => "",
        };
    }
    decode_entities(rest, &mut text);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn decode_entities(mut html: &str, out: &mut String) {
    while let Some(amp) = html.find('&') {
        out.push_str(&html[..amp]);
        let entity_end = html[amp..].find(';').filter(|end| *end <= 10).map(|end| amp + end);
        let decoded = entity_end.and_then(|end| decode_entity(&html[amp + 1..end]));
        match (decoded, entity_end) {
            (Some(c), Some(end)) => {
                out.push(c);
                html = &html[end + 1..];
            }
            _ => {
                out.push('&');
                html = &html[amp + 1..];
            }
        }
    }
    out.push_str(html);
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str) -> Vec<String> {
        tokens(&mut stemmed_analyzer(), text)
    }

    #[test]
    fn elisions_go_with_both_apostrophes() {
        assert_eq!(
            tokens(&mut plain_analyzer(), "L'assemblée qu’elle jusqu'au"),
            ["assemblee", "elle", "au"]
        );
        // An apostrophe that elides nothing keeps its word (aujourd'hui).
        assert_eq!(tokens(&mut plain_analyzer(), "aujourd'hui"), ["aujourd", "hui"]);
    }

    #[test]
    fn inclusive_spellings_match_their_base_word() {
        assert_eq!(stems("participant·e·s"), stems("participant"));
        assert_eq!(stems("chacun.e"), stems("chacun"));
        assert_eq!(stems("acteur·rice·s"), stems("acteur"));
        assert_eq!(stems("élu-e-s"), stems("élu"));
        assert_eq!(stems("participant(e)s"), stems("participant"));
        assert_eq!(stems("facilitateur·ices"), stems("facilitateur"));
        assert_eq!(tokens(&mut plain_analyzer(), "peut-être, fin.Début"), ["peut", "etre", "fin", "debut"]);
    }

    #[test]
    fn accents_plurals_and_stop_words() {
        assert_eq!(stems("réunions"), stems("reunion"));
        assert_eq!(stems("Gouvernance partagée"), stems("gouvernance partagee"));
        assert!(stems("de la et les").is_empty());
    }

    #[test]
    fn snippets_stem_only_the_words_that_may_match() {
        let stems = tokens(&mut stemmed_analyzer(), "réunions");
        let text = "Les réunions, une réunion, des ateliers et la réunionite";
        assert_eq!(tokens(&mut snippet_analyzer(&stems), text), ["reunion", "reunion", "reunionit"]);
    }

    #[test]
    fn html_becomes_text() {
        assert_eq!(
            html_to_text("<p>Un &amp; deux<br>trois&#x27;s &bogus; &</p>"),
            "Un & deux trois's &bogus; &"
        );
        // A wiki's summary: "L'<em>atelier</em>" is one word, a paragraph's end is a space.
        assert_eq!(
            html_to_text(
                "<p>L'<em>atelier</em> du <a href=\"x\">Lien</a>.</p><p>Suite<img src=\"y\">fin</p>"
            ),
            "L'atelier du Lien. Suite fin"
        );
    }
}

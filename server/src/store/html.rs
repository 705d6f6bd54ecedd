//! Stored bodies read as HTML, by the tokenizer browsers' parsing is specified by (html5ever's),
//! never searched as text: a fiche's prose or code block that *shows* `href="…"` is words.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, StartTag, Tag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// The addresses a body leads to, as a browser reads them (character references decoded): its
/// links' (`<a href>`) and its players' (`<iframe src>`).
pub fn links_of(html: &str) -> Vec<String> {
    tags(html, |tag, found| {
        let wanted = match &*tag.name {
            _ if tag.kind != StartTag => return,
            "a" => "href",
            "iframe" => "src",
            _ => return,
        };
        found.extend(
            tag.attrs.iter().filter(|attr| &*attr.name.local == wanted).map(|attr| attr.value.to_string()),
        );
    })
}

/// How many tags (start and end) `html` holds.
#[cfg(test)]
pub fn tag_count(html: &str) -> usize {
    tags(html, |_, found| found.push(String::new())).len()
}

/// What `keep` collects from each tag of `html`. Bodies are sanitised (no `script`, `style` or
/// `textarea`, whose text the tokenizer alone would not know to skip).
fn tags(html: &str, keep: impl Fn(&Tag, &mut Vec<String>)) -> Vec<String> {
    struct Sink<F> {
        keep: F,
        found: RefCell<Vec<String>>,
    }
    impl<F: Fn(&Tag, &mut Vec<String>)> TokenSink for Sink<F> {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            if let TagToken(tag) = token {
                (self.keep)(&tag, &mut self.found.borrow_mut());
            }
            TokenSinkResult::Continue
        }
    }
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Sink { keep, found: RefCell::default() }, TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.found.take()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_players_as_a_browser_reads_them_and_shown_markup_as_words() {
        let body = concat!(
            r#"<p>Voir <a href="https://a.example/?x=1&amp;y=2" rel="noopener">ici</a>. "#,
            r#"Écrire href="https://prose.example/" dans un texte n'est pas un lien.</p>"#,
            r#"<pre><code>&lt;a href="https://code.example/"&gt;</code></pre>"#,
            r#"<iframe src="https://player.vimeo.com/video/1"></iframe><img src="https://img.example/i.png">"#,
        );
        assert_eq!(links_of(body), ["https://a.example/?x=1&y=2", "https://player.vimeo.com/video/1"]);
        assert_eq!(tag_count(body), 11);
    }
}

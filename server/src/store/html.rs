//! Sanitised bodies read and rewritten as HTML, by html5ever's tokenizer and serializer (the
//! parser's and ammonia's own), never searched or spliced as text: a fiche's prose or code block
//! that *shows* `href="…"` or `<img ` is words, and whatever an attribute holds stays in it.

use std::cell::RefCell;

use html5ever::serialize::{HtmlSerializer, SerializeOpts, Serializer, TraversalScope};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, CharacterTokens, EndTag, StartTag, Tag, TagToken, Token, TokenSink, TokenSinkResult,
    Tokenizer, TokenizerOpts,
};
use html5ever::{Attribute, LocalName, QualName, ns};

/// What becomes of an element met by [`rewrite`].
pub enum Rewrite {
    /// Written with the attributes the edit left it.
    Keep,
    /// Left out, with everything inside it.
    Drop,
    /// Replaced, with everything inside it, by this HTML (its maker escapes what it puts in).
    Replace(String),
}

/// `html` written again, each element as `edit` says once it has seen (and may have changed) its
/// start tag. Text and attribute values are escaped as html5ever's serializer (ammonia's) does:
/// an untouched body comes out byte for byte as it went in.
pub fn rewrite(html: &str, edit: impl FnMut(&mut Tag) -> Rewrite) -> String {
    struct Sink<F> {
        edit: RefCell<F>,
        out: RefCell<HtmlSerializer<Vec<u8>>>,
        /// The element being left out or replaced, and how deep inside it the tokens are.
        skipping: RefCell<Option<(LocalName, usize)>>,
    }
    impl<F: FnMut(&mut Tag) -> Rewrite> TokenSink for Sink<F> {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            let (mut out, mut skipping) = (self.out.borrow_mut(), self.skipping.borrow_mut());
            match token {
                TagToken(mut tag) => {
                    let next = if tag.kind == StartTag {
                        after_start_tag(&tag.name)
                    } else {
                        TokenSinkResult::Continue
                    };
                    if let Some((name, depth)) = skipping.as_mut() {
                        if tag.name == *name {
                            *depth = if tag.kind == StartTag { *depth + 1 } else { *depth - 1 };
                        }
                        if *depth == 0 {
                            *skipping = None;
                        }
                    } else if tag.kind == EndTag {
                        if !is_void(&tag.name) {
                            let _ = out.end_elem(html_name(&tag.name));
                        }
                    } else {
                        let rewritten = (self.edit.borrow_mut())(&mut tag);
                        if let Rewrite::Keep = rewritten {
                            let name = html_name(&tag.name);
                            let attributes = tag.attrs.iter().map(|attr| (&attr.name, &attr.value[..]));
                            let _ = out.start_elem(name.clone(), attributes);
                            if is_void(&tag.name) {
                                let _ = out.end_elem(name);
                            }
                        } else {
                            if let Rewrite::Replace(html) = rewritten {
                                let _ = std::io::Write::write_all(&mut out.writer, html.as_bytes());
                            }
                            if !is_void(&tag.name) {
                                *skipping = Some((tag.name.clone(), 1));
                            }
                        }
                    }
                    return next;
                }
                CharacterTokens(text) if skipping.is_none() => {
                    let _ = out.write_text(&text);
                }
                _ => {}
            }
            TokenSinkResult::Continue
        }
    }
    let options = SerializeOpts {
        traversal_scope: TraversalScope::ChildrenOnly(None),
        create_missing_parent: true,
        ..SerializeOpts::default()
    };
    let sink = Sink {
        edit: RefCell::new(edit),
        out: RefCell::new(HtmlSerializer::new(Vec::new(), options)),
        skipping: RefCell::default(),
    };
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let written = tokenizer.sink.out.into_inner().writer;
    String::from_utf8(written).unwrap_or_default()
}

/// The value of `tag`'s attribute `name`, decoded.
pub fn attribute<'a>(tag: &'a Tag, name: &str) -> Option<&'a str> {
    tag.attrs.iter().find(|attr| &*attr.name.local == name).map(|attr| &attr.value[..])
}

/// Gives `tag` the attribute `name` with `value`: in place when it has one, else first.
pub fn set_attribute(tag: &mut Tag, name: &str, value: &str) {
    match tag.attrs.iter_mut().find(|attr| &*attr.name.local == name) {
        Some(attr) => attr.value = value.into(),
        None => tag.attrs.insert(
            0,
            Attribute { name: QualName::new(None, ns!(), LocalName::from(name)), value: value.into() },
        ),
    }
}

fn html_name(local: &LocalName) -> QualName {
    QualName::new(None, ns!(html), local.clone())
}

/// Elements without content or end tag: those whose children html5ever's serializer ignores.
fn is_void(name: &LocalName) -> bool {
    matches!(
        &**name,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "col"
            | "embed"
            | "frame"
            | "hr"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// What the tokenizer is told after the start tag of `name`: as the parser does, what follows
/// `<iframe>`, `<style>`, `<textarea>`… is text, not markup.
fn after_start_tag(name: &LocalName) -> TokenSinkResult<()> {
    match &**name {
        "iframe" | "style" | "xmp" | "noembed" | "noframes" | "noscript" => {
            TokenSinkResult::RawData(RawKind::Rawtext)
        }
        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
        "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
        "plaintext" => TokenSinkResult::Plaintext,
        _ => TokenSinkResult::Continue,
    }
}

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

/// What `keep` collects from each tag of `html`.
pub fn tags(html: &str, keep: impl Fn(&Tag, &mut Vec<String>)) -> Vec<String> {
    struct Sink<F> {
        keep: F,
        found: RefCell<Vec<String>>,
    }
    impl<F: Fn(&Tag, &mut Vec<String>)> TokenSink for Sink<F> {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            match token {
                TagToken(tag) => {
                    (self.keep)(&tag, &mut self.found.borrow_mut());
                    if tag.kind == StartTag { after_start_tag(&tag.name) } else { TokenSinkResult::Continue }
                }
                _ => TokenSinkResult::Continue,
            }
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

    #[test]
    fn a_body_rewritten_without_edits_comes_out_as_it_went_in() {
        let bodies = [
            r#"<h2>Titre</h2><p>Un &lt;b&gt; montré, &amp; un « lien » <a href="https://a.example/?x=1&amp;y=2" rel="noopener">ici</a>.</p>"#,
            r#"<ul><li>un</li><li>deux<br>trois</li></ul><pre><code>&lt;img src=x&gt;
  fin</code></pre><p>espace&nbsp;insécable</p>"#,
            r#"<figure><img src="https://a.example/i.png" alt="&quot;guillemets&quot; &lt;et&gt; chevrons"><figcaption>légende</figcaption></figure>"#,
            r#"<iframe src="https://player.vimeo.com/video/1" loading="lazy"></iframe><table><tbody><tr><td>1</td></tr></tbody></table>"#,
        ];
        for body in bodies {
            assert_eq!(rewrite(body, |_| Rewrite::Keep), body);
        }
    }

    #[test]
    fn elements_are_changed_left_out_or_replaced_whole() {
        let body = r#"<p>a<img src="x.png">b</p><iframe src="https://p.example/1"><p>dedans</p></iframe><div><div>c</div></div><p>d</p>"#;
        let rewritten = rewrite(body, |tag| match &*tag.name {
            "img" => {
                set_attribute(tag, "loading", "lazy");
                set_attribute(tag, "src", "/media/1?a&b");
                Rewrite::Keep
            }
            "iframe" => {
                Rewrite::Replace(format!("<p>lecteur {}</p>", attribute(tag, "src").unwrap_or_default()))
            }
            "div" => Rewrite::Drop,
            _ => Rewrite::Keep,
        });
        assert_eq!(
            rewritten,
            r#"<p>a<img loading="lazy" src="/media/1?a&amp;b">b</p><p>lecteur https://p.example/1</p><p>d</p>"#
        );
        // What an attribute holds stays in it, whatever it looks like.
        let tricky = r#"<img alt="<img src=x onerror=alert(1)>" src="y.png">"#;
        let kept = rewrite(tricky, |tag| {
            set_attribute(tag, "loading", "lazy");
            Rewrite::Keep
        });
        assert_eq!(kept, r#"<img loading="lazy" alt="&lt;img src=x onerror=alert(1)&gt;" src="y.png">"#);
    }
}

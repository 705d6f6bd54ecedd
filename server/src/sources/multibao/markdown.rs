//! Markdown of the commons: reading titles, summaries and images out of it, and rendering it to
//! HTML that the shared sanitiser makes safe to insert in anyone's page.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::address::has_web_scheme;
use crate::sources::forge::WebAddresses;
use crate::sources::sanitize::{Relative, no_relative, sanitize};
use crate::sources::text::{collapse_whitespace, fold};
use crate::sources::tree;

fn parser_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// `markdown` with its links to e-mail addresses reduced to their words: `[Nom](mailto:…)`,
/// also as written with a space after `mailto:`, which Markdown does not read as a link and
/// would show whole.
pub fn without_mail_links(markdown: &str) -> Cow<'_, str> {
    if mail_link_at(markdown).is_none() {
        return Cow::Borrowed(markdown);
    }
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(at) = mail_link_at(rest) {
        let (before, after) = rest.split_at(at);
        let Some(close) = after.find(')') else { break };
        match before.rfind('[') {
            Some(open) => {
                out.push_str(&before[..open]);
                out.push_str(&before[open + 1..]);
            }
            None => out.push_str(before),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Where the next mail link's target begins (its `](`): `](mailto:…)`, and `](mailto : …)` as
/// some files write it, which CommonMark would show as text with the address in it.
fn mail_link_at(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find("](") {
        let at = from + found;
        let target = text[at + 2..].trim_start();
        let scheme = target.get(..6).is_some_and(|word| word.eq_ignore_ascii_case("mailto"));
        if scheme && target[6..].trim_start().starts_with(':') {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// Repairs ATX headings written without a space (`#Titre`) or with a non-breaking one, which
/// older renderers and editors accepted and CommonMark reads as a paragraph ("# Coach clinic"
/// shown as is). Lines inside code fences are left alone.
pub fn normalize_headings(markdown: &str) -> Cow<'_, str> {
    let needs_fix = |line: &str| {
        let hashes = line.bytes().take_while(|&b| b == b'#').count();
        (1..=6).contains(&hashes)
            && line[hashes..]
                .chars()
                .next()
                .is_some_and(|c| (!c.is_whitespace() || !c.is_ascii()) && c != '#')
    };
    let mut in_fence = false;
    let mut changed = false;
    let mut out = String::with_capacity(markdown.len() + 16);
    for line in markdown.split_inclusive('\n') {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if !in_fence && needs_fix(line) {
            let hashes = line.bytes().take_while(|&b| b == b'#').count();
            out.push_str(&line[..hashes]);
            out.push(' ');
            out.push_str(line[hashes..].trim_start_matches(|c: char| c.is_whitespace() && !c.is_ascii()));
            changed = true;
        } else {
            out.push_str(line);
        }
    }
    if changed { Cow::Owned(out) } else { Cow::Borrowed(markdown) }
}

/// A heading that may title a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleHeading {
    pub text: String,
    /// Where it is in the source.
    pub range: Range<usize>,
    /// A level-1 heading: the document's title. Else the first heading of the highest level a
    /// file whose headings all start at `##` has, which may be a section's.
    pub is_h1: bool,
    /// The only heading of its level in the document.
    pub alone: bool,
}

/// The heading that titles a document: its first level-1 heading (or a later one that `names_the_file`
/// when the first does not: a family heading such as "Jeux pour apprendre à se connaître" above
/// the game's own "Jeu : Feu de camp"), else the first heading of the highest level it has.
pub fn title_heading(markdown: &str, names_the_file: impl Fn(&str) -> bool) -> Option<TitleHeading> {
    let mut parser = Parser::new_ext(markdown, parser_options()).into_offset_iter();
    let mut best: Option<(HeadingLevel, TitleHeading)> = None;
    while let Some((event, range)) = parser.next() {
        if let Event::Start(Tag::Heading { level, .. }) = event {
            let text = collect_text(&mut parser.by_ref().map(|(event, _)| event), |end| {
                matches!(end, TagEnd::Heading(_))
            });
            let text = text.trim().to_owned();
            match &mut best {
                _ if text.is_empty() => {}
                Some((HeadingLevel::H1, first)) if level == HeadingLevel::H1 => {
                    if !names_the_file(&first.text) && names_the_file(&text) {
                        return Some(TitleHeading { text, range, is_h1: true, alone: false });
                    }
                    first.alone = false;
                }
                Some((found, heading)) if *found == level => heading.alone = false,
                Some((found, _)) if *found < level => {}
                _ => {
                    best = Some((
                        level,
                        TitleHeading { text, range, is_h1: level == HeadingLevel::H1, alone: true },
                    ))
                }
            }
        }
    }
    best.map(|(_, heading)| heading)
}

/// The first paragraph that `accept`s its text after the heading whose text is `heading` (compared
/// without accents or case), with the byte ranges of the heading and of the paragraph (what lies
/// between them, an image and its credit, is no part of it).
pub fn section_paragraph(
    markdown: &str,
    heading: &str,
    accept: impl Fn(&str) -> bool,
) -> Option<(String, [Range<usize>; 2])> {
    let wanted = fold(heading);
    let mut events = Parser::new_ext(markdown, parser_options()).into_offset_iter();
    while let Some((event, range)) = events.next() {
        if let Event::Start(Tag::Heading { .. }) = event {
            let text = collect_text(&mut events.by_ref().map(|(event, _)| event), |end| {
                matches!(end, TagEnd::Heading(_))
            });
            if fold(text.trim().trim_end_matches([':', ' '])) == wanted {
                let (paragraph, paragraph_range) = first_paragraph_in(&mut events, Within::Section, accept)?;
                return Some((paragraph, [range, paragraph_range]));
            }
        }
    }
    None
}

/// The ranges of `markdown`'s headings that would head nothing once `taken` is out of it: all
/// their section held was taken (« En une phrase », once its sentence is the summary). A heading
/// that headed nothing in the text itself stays: its words are the author's.
pub fn headings_emptied_by(markdown: &str, taken: &[Range<usize>]) -> Vec<Range<usize>> {
    let is_taken =
        |range: &Range<usize>| taken.iter().any(|out| out.start <= range.start && range.end <= out.end);
    let mut emptied = Vec::new();
    // The heading last seen while only taken text has followed it: its level, its range, and
    // whether some was taken.
    let mut open: Option<(HeadingLevel, Range<usize>, bool)> = None;
    let mut in_heading = false;
    for (event, range) in Parser::new_ext(markdown, parser_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                if let Some((before, heading, true)) = open.take()
                    && level <= before
                {
                    emptied.push(heading);
                }
                // (A heading taken itself is out already.)
                open = (!is_taken(&range)).then_some((level, range, false));
                in_heading = true;
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            _ if in_heading => {}
            Event::Start(_) | Event::Text(_) | Event::Html(_) | Event::Rule if is_taken(&range) => {
                if let Some((_, _, some_taken)) = &mut open {
                    *some_taken = true;
                }
            }
            Event::Start(_) | Event::Text(_) | Event::Html(_) | Event::Rule => open = None,
            _ => {}
        }
    }
    emptied.extend(open.and_then(|(_, heading, some_taken)| some_taken.then_some(heading)));
    emptied
}

/// The words of the document's first quotation (`> …`), on one line.
pub fn first_blockquote(markdown: &str) -> Option<String> {
    let mut events = Parser::new_ext(markdown, parser_options());
    while let Some(event) = events.next() {
        if let Event::Start(Tag::BlockQuote(_)) = event {
            let text = collect_text(&mut events, |end| matches!(end, TagEnd::BlockQuote(_)));
            let text = collapse_whitespace(&text);
            if !text.is_empty() {
                return Some(text);
            }
        }
    }
    None
}

/// The whole text of the section under the heading whose text is `heading` (compared without
/// accents or case), up to the next heading of the same or a higher level: plain text, one
/// paragraph or list item per block, blocks separated by a blank line.
pub fn section_text(markdown: &str, heading: &str) -> Option<String> {
    let wanted = fold(heading);
    let mut events = Parser::new_ext(markdown, parser_options());
    let level = loop {
        if let Event::Start(Tag::Heading { level, .. }) = events.next()? {
            let text = collect_text(&mut events, |end| matches!(end, TagEnd::Heading(_)));
            if fold(text.trim().trim_end_matches([':', ' '])) == wanted {
                break level;
            }
        }
    };
    let mut blocks: Vec<String> = vec![String::new()];
    for event in events {
        match event {
            Event::Start(Tag::Heading { level: next, .. }) if next <= level => break,
            Event::Text(text) | Event::Code(text) => blocks.last_mut()?.push_str(&text),
            Event::SoftBreak | Event::HardBreak => blocks.last_mut()?.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => blocks.push(String::new()),
            _ => {}
        }
    }
    let text = blocks
        .iter()
        .map(|block| collapse_whitespace(block))
        .filter(|block| !block.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    (!text.is_empty()).then_some(text)
}

/// The first paragraph of the text's own prose that `accept`s its text (images left out, on one
/// line), with its byte range: a quotation (`> …`) is someone else's words.
pub fn first_paragraph(markdown: &str, accept: impl Fn(&str) -> bool) -> Option<(String, Range<usize>)> {
    let mut events = Parser::new_ext(markdown, parser_options()).into_offset_iter();
    first_paragraph_in(&mut events, Within::Text { quotations: false }, accept)
}

/// The first paragraph, a quotation's too: what a description stated apart may be repeating.
pub fn first_paragraph_or_quotation(markdown: &str) -> Option<(String, Range<usize>)> {
    let mut events = Parser::new_ext(markdown, parser_options()).into_offset_iter();
    first_paragraph_in(&mut events, Within::Text { quotations: true }, |_| true)
}

/// Where a paragraph is looked for.
#[derive(Debug, Clone, Copy)]
enum Within {
    /// Up to the next heading, in a section that names it: a quotation may be what it says.
    Section,
    Text {
        quotations: bool,
    },
}

fn first_paragraph_in<'a>(
    events: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>,
    within: Within,
    accept: impl Fn(&str) -> bool,
) -> Option<(String, Range<usize>)> {
    let skips_quotations = matches!(within, Within::Text { quotations: false });
    let mut quoted = 0usize;
    while let Some((event, range)) = events.next() {
        match event {
            Event::Start(Tag::BlockQuote(_)) if skips_quotations => quoted += 1,
            Event::End(TagEnd::BlockQuote(_)) if skips_quotations => quoted = quoted.saturating_sub(1),
            Event::Start(Tag::Paragraph) if quoted > 0 => {}
            Event::Start(Tag::Paragraph) => {
                let text = collect_words(&mut events.by_ref().map(|(event, _)| event), |end| {
                    matches!(end, TagEnd::Paragraph)
                });
                let text = collapse_whitespace(&text);
                if text.chars().filter(|c| c.is_alphabetic()).count() >= 3 && accept(&text) {
                    return Some((text, range));
                }
            }
            Event::Start(Tag::Heading { .. }) if matches!(within, Within::Section) => return None,
            _ => {}
        }
    }
    None
}

/// The first whole sentences of the paragraph at `paragraph` (a range of `markdown`) that hold at
/// most `max_chars` characters of text, and the end of the last one in `markdown`; `None` when
/// the first sentence alone is longer. Only a sentence that ends outside emphasis and links
/// counts: what follows it must stay well-formed Markdown.
pub fn first_sentences(markdown: &str, paragraph: Range<usize>, max_chars: usize) -> Option<(String, usize)> {
    let source = &markdown[paragraph.clone()];
    let mut text = String::new();
    let (mut depth, mut in_image) = (0usize, 0usize);
    let mut in_page_link: Option<String> = None;
    let mut best = None;
    for (event, range) in Parser::new_ext(source, parser_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with('#') => {
                in_page_link = Some(String::new());
                depth += 1;
            }
            Event::End(TagEnd::Link) if in_page_link.is_some() => {
                text.push_str(&in_page_link.take().filter(|words| !is_note_call(words)).unwrap_or_default());
                depth = depth.saturating_sub(1);
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if in_image == 0 && in_page_link.is_some() => {
                in_page_link.get_or_insert_default().push_str(&t);
            }
            Event::Text(t) | Event::Code(t) if in_image == 0 => {
                // The source of plain text is the text itself: its offsets are the source's.
                let plain = depth == 0 && source.get(range.clone()) == Some(&*t);
                for (at, c) in t.char_indices().filter(|_| plain) {
                    let after = at + c.len_utf8();
                    let ends = matches!(c, '.' | '!' | '?' | '…')
                        && t[after..].chars().next().is_none_or(char::is_whitespace);
                    if !ends {
                        continue;
                    }
                    let sentences = collapse_whitespace(&format!("{text}{}", &t[..after]));
                    if sentences.chars().count() > max_chars {
                        return best;
                    }
                    best = Some((sentences, paragraph.start + range.start + after));
                }
                text.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    best
}

/// The items of the document's first list of two or more, joined by " ; " (images left out):
/// what a fiche made only of lists says first.
pub fn first_list_items(markdown: &str) -> Option<String> {
    let mut events = Parser::new_ext(markdown, parser_options());
    while let Some(event) = events.next() {
        if let Event::Start(Tag::List(_)) = event {
            let mut items = Vec::new();
            let mut depth = 0usize;
            let mut current = String::new();
            let mut in_image = 0usize;
            for event in events.by_ref() {
                match event {
                    Event::Start(Tag::List(_)) => depth += 1,
                    Event::End(TagEnd::List(_)) if depth == 0 => break,
                    Event::End(TagEnd::List(_)) => depth -= 1,
                    Event::Start(Tag::Image { .. }) => in_image += 1,
                    Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
                    Event::End(TagEnd::Item) if depth == 0 => {
                        let item = collapse_whitespace(&current);
                        if !item.is_empty() {
                            items.push(item.trim_end_matches(['.', ';', ',']).to_owned());
                        }
                        current.clear();
                    }
                    Event::Text(text) | Event::Code(text) if depth == 0 && in_image == 0 => {
                        current.push_str(&text)
                    }
                    Event::SoftBreak | Event::HardBreak if depth == 0 => current.push(' '),
                    _ => {}
                }
            }
            if items.len() >= 2 {
                return Some(items.join(" ; "));
            }
        }
    }
    None
}

/// How a document's text is spread: what tells a fiche from a form, an index or a table.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TextShape {
    /// Letters in the whole text (images left out).
    pub letters: usize,
    /// Letters inside links.
    pub link_letters: usize,
    /// Letters inside tables.
    pub table_letters: usize,
    pub links: usize,
    /// Words of the longest paragraph or list item.
    pub longest_block_words: usize,
}

/// The [`TextShape`] of a document.
pub fn text_shape(markdown: &str) -> TextShape {
    let mut shape = TextShape::default();
    let (mut in_link, mut in_table, mut in_image) = (0usize, 0usize, 0usize);
    let mut block_words = 0;
    for event in Parser::new_ext(markdown, parser_options()) {
        match event {
            Event::Start(Tag::Link { .. }) => {
                in_link += 1;
                shape.links += 1;
            }
            Event::End(TagEnd::Link) => in_link = in_link.saturating_sub(1),
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Start(Tag::Table(_)) => in_table += 1,
            Event::End(TagEnd::Table) => in_table = in_table.saturating_sub(1),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_) | TagEnd::TableCell) => {
                shape.longest_block_words = shape.longest_block_words.max(block_words);
                block_words = 0;
            }
            Event::Text(text) | Event::Code(text) if in_image == 0 => {
                let letters = text.chars().filter(|c| c.is_alphabetic()).count();
                shape.letters += letters;
                if in_link > 0 {
                    shape.link_letters += letters;
                }
                if in_table > 0 {
                    shape.table_letters += letters;
                }
                block_words += text.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count();
            }
            _ => {}
        }
    }
    shape.longest_block_words = shape.longest_block_words.max(block_words);
    shape
}

/// The first image of the document: its URL (http or https only) and alt text.
pub fn first_image(markdown: &str) -> Option<(String, String)> {
    let mut events = Parser::new_ext(markdown, parser_options());
    while let Some(event) = events.next() {
        if let Event::Start(Tag::Image { dest_url, .. }) = event {
            let alt = collect_text(&mut events, |end| matches!(end, TagEnd::Image));
            if has_web_scheme(&dest_url) {
                return Some((dest_url.into_string(), collapse_whitespace(&alt)));
            }
        }
    }
    None
}

/// Where a file's relative links and images lead: its folder in a repository whose files are on
/// the web at `web`.
#[derive(Debug, Clone)]
pub struct LinkBase {
    pub web: WebAddresses,
    pub folder: String,
}

impl LinkBase {
    /// The web address of `relative` (`autre.md#partie`, `../img/a%20b.png`): a file's page
    /// for a link, its bytes for an image; `None` when it leaves the repository or the forge has
    /// no such address.
    fn resolve(&self, kind: Relative, relative: &str) -> Option<String> {
        let (path, fragment) = relative.split_once('#').map_or((relative, None), |(path, f)| (path, Some(f)));
        let path = path.split_once('?').map_or(path, |(path, _)| path);
        if path.is_empty() {
            // `#partie`: a place in a page that the card does not show as such.
            return None;
        }
        let path = percent_decoded(path);
        // Jekyll sites (GitHub Pages) write the site's root as `{{ site.baseurl }}`.
        let path = ["{{site.baseurl}}", "{{ site.baseurl }}"]
            .iter()
            .find_map(|root| path.strip_prefix(root))
            .map_or(path.clone(), |rest| format!("/{}", rest.trim_start_matches('/')));
        let path = match path.strip_prefix('/') {
            Some(from_root) => tree::join("", from_root)?,
            None => tree::join(&self.folder, &path)?,
        };
        let address = match kind {
            Relative::Link => self.web.file(&path),
            Relative::Image => self.web.raw(&path),
        }?;
        Some(match fragment {
            Some(fragment) if kind == Relative::Link => format!("{address}#{fragment}"),
            _ => address,
        })
    }
}

/// `%20` and the other escapes of a link written in Markdown, as the file name has them.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// Renders Markdown (with its raw HTML) to sanitised HTML. Relative links and images lead where
/// `links` says; without it, a relative link is left as its words and an image has no source.
pub fn render_safe_html(markdown: &str, links: Option<LinkBase>) -> String {
    let mut raw_html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(
        &mut raw_html,
        images_in_links_named(Parser::new_ext(markdown, parser_options())),
    );
    match links {
        Some(links) => sanitize(&raw_html, move |kind, relative| links.resolve(kind, relative)),
        None => sanitize(&raw_html, no_relative),
    }
}

/// The events, an image without alt text inside a link given one that says where the link goes
/// (`[![](vignette.jpg)](https://vimeo.com/1)`, as video fiches write it): a link that is only
/// an image is otherwise a link without a name for a screen reader.
fn images_in_links_named<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    let mut events = events.peekable();
    let mut links: Vec<String> = Vec::new();
    let mut named = Vec::new();
    while let Some(event) = events.next() {
        match &event {
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                links.pop();
            }
            Event::Start(Tag::Image { .. }) if matches!(events.peek(), Some(Event::End(TagEnd::Image))) => {
                if let Some(name) = links.last().and_then(|target| link_name(target)) {
                    named.push(event);
                    named.push(Event::Text(name.into()));
                    continue;
                }
            }
            _ => {}
        }
        named.push(event);
    }
    named.into_iter()
}

/// What a link to `target` is, in words: the video and its host for a known video host, else
/// the host it leads to; none for a link within the document or to a file beside it.
fn link_name(target: &str) -> Option<String> {
    let host = target.split_once("://")?.1.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    let host = host.trim_start_matches("www.").trim_start_matches("player.");
    let video_host = [
        ("vimeo.com", "Vimeo"),
        ("youtube.com", "YouTube"),
        ("youtu.be", "YouTube"),
        ("dailymotion.com", "Dailymotion"),
    ]
    .iter()
    .find(|(domain, _)| host == *domain || host.ends_with(&format!(".{domain}")));
    Some(match video_host {
        Some((_, name)) => format!("Voir la vidéo sur {name}"),
        None => format!("Lien vers {host}"),
    })
}

/// Like [`collect_text`], without the text of images (their alt text is no prose of the document).
fn collect_words<'a>(
    events: &mut impl Iterator<Item = Event<'a>>,
    is_end: impl Fn(&TagEnd) -> bool,
) -> String {
    let mut text = String::new();
    let mut in_image = 0usize;
    let mut in_page_link: Option<String> = None;
    for event in events {
        match event {
            Event::End(end) if is_end(&end) => break,
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with('#') => {
                in_page_link = Some(String::new());
            }
            Event::End(TagEnd::Link) => {
                text.push_str(&in_page_link.take().filter(|words| !is_note_call(words)).unwrap_or_default());
            }
            Event::Text(t) | Event::Code(t) if in_image == 0 => {
                in_page_link.as_mut().unwrap_or(&mut text).push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// Whether the words of a link within the page (`**[1](#note)**`) call a note: a number, no
/// prose of the text.
fn is_note_call(words: &str) -> bool {
    let number = words.trim().trim_matches(['[', ']', '(', ')']);
    !number.is_empty() && number.chars().all(|c| c.is_ascii_digit())
}

/// Concatenates the text of events up to the end tag that `is_end` recognises.
fn collect_text<'a>(
    events: &mut impl Iterator<Item = Event<'a>>,
    is_end: impl Fn(&TagEnd) -> bool,
) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::End(end) if is_end(&end) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heading_whose_section_was_taken_goes_with_it() {
        let text = "## En une phrase\n\nLe résumé.\n\n## À quoi ça sert ?\n\nÀ tout.\n\n## Étapes\n\n### Jour 1\n### Jour 2\n";
        let summary_end = |text: &str| text.find("## À quoi").unwrap();
        let summary = text.find("Le résumé.").unwrap()..summary_end(text);
        let emptied: Vec<&str> =
            headings_emptied_by(text, &[summary]).into_iter().map(|range| text[range].trim()).collect();
        assert_eq!(emptied, ["## En une phrase"], "the author's own headings over nothing stay");
        assert_eq!(headings_emptied_by(text, &[]), Vec::<Range<usize>>::new());
        let heading_too = 0..summary_end(text);
        assert_eq!(headings_emptied_by(text, &[heading_too]), Vec::<Range<usize>>::new(), "taken already");
    }

    #[test]
    fn the_opening_prose_is_not_a_quotation() {
        let text = "# Titre\n\n> « J'ai décidé de créer des maisons partagées ! »\n\nJosette a créé des lieux de vie partagés.\n";
        assert_eq!(first_paragraph(text, |_| true).unwrap().0, "Josette a créé des lieux de vie partagés.");
        let section = "## En une phrase\n\n> Le forum ouvert laisse les participants choisir leurs sujets.\n";
        assert!(section_paragraph(section, "En une phrase", |_| true).is_some(), "the section says it");
    }

    #[test]
    fn a_long_paragraph_gives_its_first_sentences() {
        let text = "# Titre\n\nLe barcamp est un format de rencontre. Son slogan : *pas de spectateurs. Tous \
                    participants !* Le reste suit.\n\nAutre paragraphe.\n";
        let (_, range) = first_paragraph(text, |_| true).unwrap();
        let (sentences, end) = first_sentences(text, range.clone(), 60).unwrap();
        assert_eq!(sentences, "Le barcamp est un format de rencontre.");
        assert!(text[end..].starts_with(" Son slogan"));
        // The sentence that ends inside the emphasis is no place to cut.
        let (sentences, end) = first_sentences(text, range.clone(), 200).unwrap();
        assert!(sentences.ends_with("Tous participants ! Le reste suit."), "{sentences}");
        assert_eq!(end, range.end - 1);
        assert_eq!(first_sentences(text, range, 20), None);
    }

    #[test]
    fn a_note_call_is_no_word_of_the_summary() {
        let text = "# T\n\n**[1](#note)** Que ce soit lors d'une discussion, chacun défend [sa position](#pos). \
                    Suite.\n";
        let (words, range) = first_paragraph(text, |_| true).unwrap();
        assert_eq!(words, "Que ce soit lors d'une discussion, chacun défend sa position. Suite.");
        let (sentences, _) = first_sentences(text, range, 65).unwrap();
        assert_eq!(sentences, "Que ce soit lors d'une discussion, chacun défend sa position.");
    }

    #[test]
    fn quotations_and_whole_sections() {
        let md = "# T\n\n> J'ai décidé\n> de changer\n\nTexte.\n\n## Transcription\n\nBonjour.\nJe suis\n\n- un\n- deux\n\n### Détail\n\nsuite\n\n## Après\n\nfin";
        assert_eq!(first_blockquote(md).as_deref(), Some("J'ai décidé de changer"));
        assert_eq!(
            section_text(md, "transcription").as_deref(),
            Some("Bonjour. Je suis\n\nun\n\ndeux\n\nDétail\n\nsuite")
        );
        assert_eq!(section_text(md, "absente"), None);
        assert_eq!(first_blockquote("pas de citation"), None);
    }

    #[test]
    fn repairs_headings_without_a_space() {
        assert_eq!(normalize_headings("#Budget\n##Plan\n#\n# ok\n"), "# Budget\n## Plan\n#\n# ok\n");
        assert_eq!(normalize_headings("```\n#!/bin/sh\n```\n"), "```\n#!/bin/sh\n```\n");
    }

    #[test]
    fn a_title_is_the_first_heading_of_the_highest_level() {
        let only_h2 = "Intro.\n\n## L'Institut de la Concertation\n\nTexte.\n\n### Détail\n\n## Autre\n";
        let heading = title_heading(only_h2, |_| false).unwrap();
        assert_eq!(
            (heading.text.as_str(), heading.is_h1, heading.alone),
            ("L'Institut de la Concertation", false, false)
        );
        assert_eq!(title_heading("### Petit\n\n## Grand\n\n# Titre\n", |_| false).unwrap().text, "Titre");
        assert!(title_heading("Texte.\n\n## Seul\n\nSuite.", |_| false).unwrap().alone);
        let nbsp = normalize_headings("#\u{a0}Coach clinic\n\nTexte.\n");
        assert_eq!(title_heading(&nbsp, |_| false).unwrap().text, "Coach clinic");
        assert_eq!(title_heading("Pas de titre.\n", |_| false), None);
    }

    #[test]
    fn a_later_level_1_heading_that_names_the_file_titles_it_rather_than_a_family_heading() {
        // pointbar/multibao-agfr2015, feu_de_camp.md: the game family heads a list, then the game.
        let md =
            "#Jeux pour apprendre à se connaître\n* se découvrir\n\n# Jeu\u{a0}: Feu de camp\n\nTexte.\n";
        let md = normalize_headings(md);
        let names = |heading: &str| fold(heading).contains("feu de camp");
        assert_eq!(title_heading(&md, names).unwrap().text, "Jeu\u{a0}: Feu de camp");
        assert_eq!(title_heading(&md, |_| false).unwrap().text, "Jeux pour apprendre à se connaître");
    }

    #[test]
    fn finds_the_first_h1_and_the_summary_section() {
        let md =
            "Intro\n\n# Budget participatif\n\n## En une phrase  \n\nDécider **ensemble**.\n\n## Autre\n";
        assert_eq!(title_heading(md, |_| false).unwrap().text, "Budget participatif");
        let (summary, [heading, paragraph]) = section_paragraph(md, "En une phrase", |_| true).unwrap();
        assert_eq!(summary, "Décider ensemble.");
        assert_eq!(&md[heading], "## En une phrase  \n");
        assert_eq!(&md[paragraph], "Décider **ensemble**.\n");
        assert_eq!(
            section_paragraph("## En une phrase\n\n## Suite\n\nx y z", "En une phrase", |_| true),
            None
        );
    }

    #[test]
    fn first_paragraph_skips_images() {
        let md = "[![](https://i.vimeocdn.com/a.jpg)](https://player.vimeo.com/video/1)\n\nClaude   aide\nles aînés.";
        assert_eq!(first_paragraph(md, |_| true).unwrap().0, "Claude aide les aînés.");
        let alt_only = "![Une photo du groupe](https://a.org/x.jpg)\n\nLe texte.";
        assert_eq!(first_paragraph(alt_only, |_| true).unwrap().0, "Le texte.");
        assert_eq!(
            first_paragraph("Court.\n\nPlus long texte.", |t| t.len() > 8).unwrap().0,
            "Plus long texte."
        );
        assert_eq!(first_image(md).unwrap().0, "https://i.vimeocdn.com/a.jpg");
    }

    #[test]
    fn the_first_list_as_a_sentence() {
        let md = "# T\n\n![x](a.png)\n\n* se découvrir\n* apprendre à se connaître\n  * en équipe\n* autrement.\n\n- autre";
        assert_eq!(
            first_list_items(md).as_deref(),
            Some("se découvrir ; apprendre à se connaître ; autrement")
        );
        assert_eq!(first_list_items("- seul\n\ntexte"), None);
    }

    #[test]
    fn the_shape_of_a_text() {
        let shape = text_shape(
            "# Index\n\n- [Une](a.md)\n- [Deux](b.md)\n\n| a | b |\n|---|---|\n| x | y |\n\nTrois mots ici.",
        );
        assert_eq!((shape.links, shape.link_letters, shape.table_letters), (2, 7, 4));
        assert_eq!(shape.longest_block_words, 3);
    }

    #[test]
    fn sanitiser_removes_everything_executable() {
        let html = render_safe_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[a](javascript:alert(1)) \
             <a href=\"https://ok.org\" onclick=\"x()\">b</a>\n\n<iframe src=\"https://evil.example/x\"></iframe>\
             <iframe src=\"https://player.vimeo.com/video/1\" onload=\"x()\"></iframe>\
             <iframe src=\"https://www.youtube.com/embed/abc\"></iframe><style>*{}</style><p style=\"color:red\">s</p>",
            None,
        );
        for bad in
            ["<script", "onerror", "onclick", "onload", "javascript:", "evil.example", "<style", "style="]
        {
            assert!(!html.contains(bad), "{bad} survived in {html}");
        }
        assert!(html.contains("src=\"https://player.vimeo.com/video/1\""), "{html}");
        assert!(html.contains("https://www.youtube-nocookie.com/embed/abc"), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer nofollow\""));
    }

    #[test]
    fn a_link_that_is_only_an_image_says_where_it_goes() {
        let html = render_safe_html(
            "[![](https://i.vimeocdn.com/a.jpg)](https://player.vimeo.com/video/1)\n\n\
             [![](https://a.org/logo.png)](https://www.asso.org/page) [![Notre logo](l.png)](https://b.org) ![](seule.png)",
            None,
        );
        assert!(html.contains(r#"alt="Voir la vidéo sur Vimeo""#), "{html}");
        assert!(html.contains(r#"alt="Lien vers asso.org""#), "{html}");
        assert!(html.contains(r#"alt="Notre logo""#), "an alt text written is kept: {html}");
        assert_eq!(html.matches("alt=\"\"").count(), 1, "only the image outside a link: {html}");
    }

    #[test]
    fn relative_links_and_images_lead_to_the_source_on_its_forge_and_branch() {
        let settings = crate::sources::forge::WebSettings::default();
        let web = WebAddresses::of(Some("https://framagit.org/o/r.git"), "main", &settings).unwrap();
        let links = LinkBase { web, folder: "dir".into() };
        let html = render_safe_html(
            "[voir](autre%20fiche.md#suite) ![img](../media/a.png) <img src=\"b.png\"> [racine](/c.md) \
             ![jekyll]({{site.baseurl}}/media/j.png) \
             [dehors](../../x.md) [ici](#partie) [proto](//autre.example/x)",
            Some(links),
        );
        assert!(
            html.contains(r#"href="https://framagit.org/o/r/-/blob/main/dir/autre%20fiche.md#suite""#),
            "{html}"
        );
        assert!(html.contains(r#"src="https://framagit.org/o/r/-/raw/main/media/a.png""#), "{html}");
        assert!(html.contains(r#"src="https://framagit.org/o/r/-/raw/main/dir/b.png""#), "{html}");
        assert!(html.contains(r#"href="https://framagit.org/o/r/-/blob/main/c.md""#), "{html}");
        assert!(html.contains(r#"src="https://framagit.org/o/r/-/raw/main/media/j.png""#), "{html}");
        for dropped in ["x.md", "#partie", "autre.example"] {
            assert!(!html.contains(dropped), "{dropped} in {html}");
        }
        assert!(html.contains(">dehors</a>") && html.contains(">ici</a>"), "the words stay: {html}");
    }

    #[test]
    fn e_mail_addresses_are_not_published() {
        let text = "Publié par [François W](mailto: f.w@example.org) via [Réseau](https://r.example/), \
                    [Léa](mailto:lea@example.org).";
        assert_eq!(without_mail_links(text), "Publié par François W via [Réseau](https://r.example/), Léa.");
        // pointbar/multibao-agfr2015: a space (a non-breaking one) between the scheme and its colon.
        let spaced = "* [Thomas Wolff](mailto\u{a0}: thomas.wolff@example.org), publié sous licence";
        assert_eq!(without_mail_links(spaced), "* Thomas Wolff, publié sous licence");
        assert_eq!(without_mail_links("[a](b) [c](MAILTO :d@e.fr)"), "[a](b) c");
        let html = render_safe_html("<a href=\"mailto:x@example.org\">Xavier</a>", None);
        assert!(!html.contains("mailto") && html.contains("Xavier"), "{html}");
    }

    #[test]
    fn without_a_web_address_relative_links_are_words_and_images_have_no_source() {
        let html =
            render_safe_html("[voir](autre.md) ![une image](media/a.png) [web](https://ok.org/)", None);
        assert!(!html.contains("autre.md") && !html.contains("media/a.png"), "{html}");
        assert!(html.contains(">voir</a>") && html.contains(r#"alt="une image""#), "{html}");
        assert!(html.contains(r#"href="https://ok.org/""#), "{html}");
    }
}

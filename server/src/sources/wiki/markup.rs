//! Wiki syntaxes turned into HTML where no wiki renders them (a MediaWiki export, a DokuWiki
//! data folder, a YesWiki older than its HTML output): one reader of blocks (titles, lists,
//! tables, preformatted text, paragraphs) and one of inline marks (emphasis, links, images),
//! each [`Syntax`] saying how it writes them. What is not recognised stays as escaped text; the
//! HTML is sanitised afterwards like any page a wiki renders.

use ammonia::Url;

use crate::address::has_web_scheme;
use crate::sources::text::escape_html as escape;

/// The wiki syntaxes read here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Wikitext: `== Titre ==`, `'''gras'''`, `* liste`, `[[Page|mots]]`, `[https://… mots]`.
    MediaWiki,
    /// `====== Titre ======`, `**gras**`, `  * liste`, `[[ns:page|mots]]`, `{{ns:image.png|alt}}`.
    DokuWiki,
    /// `======Titre======`, `**gras**`, ` - liste`, `[[PageWiki mots]]`.
    YesWiki,
}

/// What a `[[…]]` link with a prefix is (`Catégorie:Fiches`, `Fichier:carte.png`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Page,
    /// A file shown where it is linked.
    File,
    /// Says something of the page (a category), shows nothing.
    Hidden,
}

/// How one wiki's links become addresses.
pub trait Dialect {
    fn syntax(&self) -> Syntax;
    /// The address of a page of the wiki named as its links name it.
    fn page_url(&self, name: &str) -> Option<Url>;
    /// The address of a file of the wiki.
    fn media_url(&self, _name: &str) -> Option<Url> {
        None
    }
    /// What a link to `name` is.
    fn target(&self, _name: &str) -> Target {
        Target::Page
    }
}

/// Delimits a piece of inline HTML set aside while the text around it is read: characters of a
/// private use area, taken out of the text first.
const SET_ASIDE: (char, char) = ('\u{E000}', '\u{E001}');

/// The page's text as HTML.
pub fn to_html(text: &str, dialect: &dyn Dialect) -> String {
    let syntax = dialect.syntax();
    let text = match syntax {
        Syntax::MediaWiki => without_mediawiki_extras(text),
        Syntax::DokuWiki => text.replace("~~NOTOC~~", "").replace("~~NOCACHE~~", ""),
        Syntax::YesWiki => text.to_owned(),
    };
    let mut blocks = Blocks {
        dialect,
        html: String::new(),
        paragraph: Vec::new(),
        lists: Vec::new(),
        table: None,
        pre: None,
    };
    let mut code_until: Option<&str> = None;
    for raw in text.lines() {
        let line = raw.trim_end();
        if let Some(closing) = code_until {
            match line.find(closing) {
                Some(at) => {
                    if !line[..at].is_empty() {
                        blocks.pre_line(&escape(&line[..at]));
                    }
                    blocks.close_all();
                    code_until = None;
                }
                None => blocks.pre_line(&escape(raw)),
            }
            continue;
        }
        let trimmed = line.trim();
        if syntax == Syntax::DokuWiki
            && let Some(closing) = ["<code", "<file"]
                .into_iter()
                .find(|open| trimmed.starts_with(open))
                .map(|open| if open == "<code" { "</code>" } else { "</file>" })
        {
            blocks.close_all();
            let inside = trimmed.split_once('>').map_or("", |(_, rest)| rest);
            match inside.find(closing) {
                Some(at) => {
                    blocks.pre_line(&escape(&inside[..at]));
                    blocks.close_all();
                }
                None => {
                    if !inside.is_empty() {
                        blocks.pre_line(&escape(inside));
                    }
                    code_until = Some(closing);
                }
            }
            continue;
        }
        blocks.line(line, trimmed);
    }
    blocks.close_all();
    blocks.html
}

/// The HTML being written, with the blocks still open.
struct Blocks<'a> {
    dialect: &'a dyn Dialect,
    html: String,
    paragraph: Vec<String>,
    /// The open lists, outermost first: `ul` or `ol`.
    lists: Vec<&'static str>,
    /// The rows of an open table; each cell `(is_header, html)`.
    table: Option<Vec<Vec<(bool, String)>>>,
    pre: Option<String>,
}

impl Blocks<'_> {
    fn line(&mut self, line: &str, trimmed: &str) {
        let syntax = self.dialect.syntax();
        if trimmed.is_empty() {
            return self.close_all();
        }
        if let Some((level, words)) = heading(trimmed, syntax) {
            self.close_all();
            let words = inline(words, self.dialect);
            self.html.push_str(&format!("<h{level}>{words}</h{level}>"));
            return;
        }
        if trimmed.len() >= 4 && trimmed.bytes().all(|b| b == b'-') {
            self.close_all();
            self.html.push_str("<hr>");
            return;
        }
        if let Some((ordered, depth, words)) = list_item(line, syntax) {
            self.close_paragraph();
            self.close_table();
            self.close_pre();
            self.item(ordered, depth, words);
            return;
        }
        if self.table_line(trimmed, syntax) {
            return;
        }
        let preformatted = match syntax {
            Syntax::MediaWiki => line.starts_with(' '),
            Syntax::DokuWiki => line.starts_with("  ") || line.starts_with('\t'),
            Syntax::YesWiki => false,
        };
        if preformatted && self.table.is_none() {
            self.close_paragraph();
            self.close_lists();
            // MediaWiki reads the marks of a preformatted line; DokuWiki shows them.
            let html = match syntax {
                Syntax::MediaWiki => inline(&line[1..], self.dialect),
                _ => escape(line),
            };
            return self.pre_line(&html);
        }
        self.close_lists();
        self.close_pre();
        self.close_table();
        let html = inline(trimmed, self.dialect);
        // A line of categories only says nothing to show.
        if !html.trim().is_empty() {
            self.paragraph.push(html);
        }
    }

    /// A list item `depth` lists deep, opening and closing lists on the way.
    fn item(&mut self, ordered: bool, depth: usize, words: &str) {
        let tag = if ordered { "ol" } else { "ul" };
        while self.lists.len() > depth {
            self.close_list();
        }
        if self.lists.len() == depth {
            if self.lists.last() == Some(&tag) {
                self.html.push_str("</li><li>");
            } else {
                self.close_list();
            }
        }
        while self.lists.len() < depth {
            let tag = if self.lists.len() + 1 == depth { tag } else { "ul" };
            self.html.push_str(&format!("<{tag}><li>"));
            self.lists.push(tag);
        }
        self.html.push_str(&inline(words, self.dialect));
    }

    /// A row or a line of a table; false when the line is not one.
    fn table_line(&mut self, trimmed: &str, syntax: Syntax) -> bool {
        match syntax {
            Syntax::DokuWiki if trimmed.starts_with('|') || trimmed.starts_with('^') => {
                self.close_paragraph();
                self.close_lists();
                let row = cells(trimmed, &["|", "^"])
                    .into_iter()
                    .map(|(mark, cell)| (mark == "^", inline(cell.trim(), self.dialect)))
                    .collect();
                self.table.get_or_insert_with(Vec::new).push(row);
                true
            }
            Syntax::MediaWiki if trimmed.starts_with("{|") => {
                self.close_all();
                self.table = Some(Vec::new());
                true
            }
            Syntax::MediaWiki if self.table.is_some() => {
                let rows = self.table.get_or_insert_with(Vec::new);
                if trimmed.starts_with("|}") {
                    self.close_table();
                } else if trimmed.starts_with("|-") || trimmed.starts_with("|+") {
                    rows.push(Vec::new());
                } else if let Some(mark @ ("|" | "!")) = trimmed.get(..1) {
                    let separator = if mark == "!" { "!!" } else { "||" };
                    if rows.is_empty() {
                        rows.push(Vec::new());
                    }
                    let line = format!("{separator}{}", &trimmed[1..]);
                    for (_, cell) in cells(&line, &[separator]) {
                        // `style="…" | mots`: what precedes a single bar is the cell's attributes.
                        let words = match cells(cell, &["|"])[..] {
                            [(_, words)] if cell[..cell.len() - words.len()].contains('=') => words,
                            _ => cell,
                        };
                        let html = inline(words.trim(), self.dialect);
                        rows.last_mut().into_iter().for_each(|row| row.push((mark == "!", html.clone())));
                    }
                } else if let Some(row) = rows.last_mut().and_then(|row| row.last_mut()) {
                    // A cell's text goes on until the next cell.
                    row.1.push(' ');
                    row.1.push_str(&inline(trimmed, self.dialect));
                }
                true
            }
            _ => false,
        }
    }

    /// A line of preformatted text, as HTML.
    fn pre_line(&mut self, html: &str) {
        let pre = self.pre.get_or_insert_with(String::new);
        if !pre.is_empty() {
            pre.push('\n');
        }
        pre.push_str(html);
    }

    fn close_paragraph(&mut self) {
        if self.paragraph.is_empty() {
            return;
        }
        let separator = match self.dialect.syntax() {
            Syntax::YesWiki => "<br>",
            Syntax::MediaWiki | Syntax::DokuWiki => " ",
        };
        self.html.push_str(&format!("<p>{}</p>", self.paragraph.join(separator)));
        self.paragraph.clear();
    }

    fn close_list(&mut self) {
        if let Some(tag) = self.lists.pop() {
            self.html.push_str(&format!("</li></{tag}>"));
        }
    }

    fn close_lists(&mut self) {
        while !self.lists.is_empty() {
            self.close_list();
        }
    }

    fn close_table(&mut self) {
        let Some(rows) = self.table.take() else { return };
        self.html.push_str("<table>");
        for row in rows.into_iter().filter(|row| !row.is_empty()) {
            self.html.push_str("<tr>");
            for (header, cell) in row {
                let tag = if header { "th" } else { "td" };
                self.html.push_str(&format!("<{tag}>{cell}</{tag}>"));
            }
            self.html.push_str("</tr>");
        }
        self.html.push_str("</table>");
    }

    fn close_pre(&mut self) {
        if let Some(pre) = self.pre.take().filter(|pre| !pre.trim().is_empty()) {
            self.html.push_str(&format!("<pre>{pre}</pre>"));
        }
    }

    fn close_all(&mut self) {
        self.close_paragraph();
        self.close_lists();
        self.close_table();
        self.close_pre();
    }
}

/// A title line: its level (1 the highest) and its words. MediaWiki counts the `=` up
/// (`== Titre ==` is a second level); DokuWiki and YesWiki count down from six (`======` first).
fn heading(line: &str, syntax: Syntax) -> Option<(usize, &str)> {
    let opening = line.bytes().take_while(|b| *b == b'=').count();
    let closing = line.bytes().rev().take_while(|b| *b == b'=').count();
    let marks = opening.min(closing).min(6);
    let minimum = if syntax == Syntax::MediaWiki { 1 } else { 2 };
    if marks < minimum || line.len() <= opening + closing {
        return None;
    }
    let words = line[marks..line.len() - marks].trim_matches('=').trim();
    let level = match syntax {
        Syntax::MediaWiki => marks,
        Syntax::DokuWiki | Syntax::YesWiki => (7 - marks).clamp(1, 5),
    };
    (!words.is_empty()).then_some((level, words))
}

/// A list item: whether its list is ordered, how deep it is (1 the outermost) and its words.
fn list_item(line: &str, syntax: Syntax) -> Option<(bool, usize, &str)> {
    match syntax {
        Syntax::MediaWiki => {
            let marks = line.bytes().take_while(|b| matches!(b, b'*' | b'#')).count();
            (marks > 0).then(|| (line.as_bytes()[marks - 1] == b'#', marks, line[marks..].trim()))
        }
        Syntax::DokuWiki => {
            let indent = line.bytes().take_while(|b| *b == b' ').count();
            let rest = &line[indent..];
            let ordered = rest.starts_with("- ") || rest == "-";
            (indent >= 2 && (ordered || rest.starts_with("* ") || rest == "*"))
                .then(|| (ordered, indent / 2, rest[1..].trim()))
        }
        Syntax::YesWiki => {
            let indent = line.bytes().take_while(|b| matches!(b, b' ' | b'\t')).count();
            let rest = &line[indent..];
            let ordered = rest.starts_with("1. ");
            let item =
                rest.strip_prefix("- ").or_else(|| rest.strip_prefix("* ")).or(rest.strip_prefix("1. "));
            item.filter(|_| indent > 0).map(|item| (ordered, 1, item.trim()))
        }
    }
}

/// The cells of a table row, each with the mark that opens it (`|`, `^`, `||`), split outside
/// links and images (`[[page|mots]]` holds a bar too). A row's trailing mark opens no cell.
fn cells<'a>(row: &'a str, marks: &[&'a str]) -> Vec<(&'a str, &'a str)> {
    let mut found = Vec::new();
    let (mut depth, mut at, mut opened): (usize, usize, Option<(&str, usize)>) = (0, 0, None);
    while at < row.len() {
        let rest = &row[at..];
        if rest.starts_with("[[") || rest.starts_with("{{") {
            depth += 1;
            at += 2;
        } else if (rest.starts_with("]]") || rest.starts_with("}}")) && depth > 0 {
            depth -= 1;
            at += 2;
        } else if let Some(mark) = marks.iter().find(|mark| depth == 0 && rest.starts_with(**mark)) {
            if let Some((open, from)) = opened {
                found.push((open, &row[from..at]));
            }
            opened = Some((mark, at + mark.len()));
            at += mark.len();
        } else {
            at += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    if let Some((open, from)) = opened
        && !row[from..].trim().is_empty()
    {
        found.push((open, &row[from..]));
    }
    found
}

/// What wikitext holds that no reader sees as such: comments, templates (`{{…}}`, which only
/// the wiki can expand), footnotes, magic words (`__NOTOC__`) and HTML tags (their words kept).
fn without_mediawiki_extras(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut braces = 0usize;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
        } else if let Some(after) = rest.strip_prefix("{{") {
            braces += 1;
            rest = after;
        } else if braces > 0 && rest.starts_with("}}") {
            braces -= 1;
            rest = &rest[2..];
        } else if braces > 0 {
            rest = &rest[rest.chars().next().map_or(1, char::len_utf8)..];
        } else if rest.starts_with("<ref") {
            let tag_end = rest.find('>').map_or(rest.len(), |end| end + 1);
            rest = if rest[..tag_end].ends_with("/>") {
                &rest[tag_end..]
            } else {
                rest.find("</ref>").map_or(&rest[tag_end..], |end| &rest[end + "</ref>".len()..])
            };
        } else if rest.starts_with('<')
            && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/')
            && let Some(end) = rest.find('>')
        {
            if rest[..end].to_ascii_lowercase().starts_with("<br") {
                out.push(' ');
            }
            rest = &rest[end + 1..];
        } else if let Some(word) = magic_word(rest) {
            rest = &rest[word..];
        } else {
            let next = rest.chars().next().map_or(1, char::len_utf8);
            out.push_str(&rest[..next]);
            rest = &rest[next..];
        }
    }
    out
}

/// The length of a magic word (`__NOTOC__`) that `text` begins with.
fn magic_word(text: &str) -> Option<usize> {
    let name = text.strip_prefix("__")?;
    let length = name.bytes().take_while(u8::is_ascii_uppercase).count();
    (length > 0 && name[length..].starts_with("__")).then_some(length + 4)
}

/// One line's inline marks as HTML: links and images set aside, the rest escaped, then emphasis.
fn inline(text: &str, dialect: &dyn Dialect) -> String {
    let syntax = dialect.syntax();
    let text: String = text.chars().filter(|c| *c != SET_ASIDE.0 && *c != SET_ASIDE.1).collect();
    let mut aside: Vec<String> = Vec::new();
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    let mut set_aside = |out: &mut String, html: String| {
        out.push(SET_ASIDE.0);
        out.push_str(&aside.len().to_string());
        out.push(SET_ASIDE.1);
        aside.push(html);
    };
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("[[")
            && let Some(end) = after.find("]]")
        {
            if let Some(html) = wiki_link(&after[..end], dialect) {
                set_aside(&mut out, html);
            }
            rest = &after[end + 2..];
        } else if syntax == Syntax::DokuWiki
            && let Some(after) = rest.strip_prefix("{{")
            && let Some(end) = after.find("}}")
        {
            if let Some(html) = dokuwiki_image(&after[..end], dialect) {
                set_aside(&mut out, html);
            }
            rest = &after[end + 2..];
        } else if syntax == Syntax::MediaWiki
            && let Some(after) = rest.strip_prefix('[')
            && has_web_scheme(after)
            && let Some(end) = after.find(']')
        {
            let (address, words) = after[..end].split_once(' ').unwrap_or((&after[..end], ""));
            let words = if words.trim().is_empty() { address } else { words.trim() };
            set_aside(&mut out, link(address, words).unwrap_or_else(|| escape(words)));
            rest = &after[end + 1..];
        } else if has_web_scheme(rest) {
            let length =
                rest.find(|c: char| c.is_whitespace() || "<>\"[]{}|".contains(c)).unwrap_or(rest.len());
            let address = rest[..length].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'']);
            set_aside(&mut out, link(address, address).unwrap_or_else(|| escape(address)));
            rest = &rest[address.len()..];
        } else if syntax == Syntax::DokuWiki && rest.starts_with("\\\\") && rest[2..].starts_with([' ', '\t'])
        {
            set_aside(&mut out, "<br>".into());
            rest = &rest[2..];
        } else {
            let next = rest.chars().next().map_or(1, char::len_utf8);
            out.push_str(&escape(&rest[..next]));
            rest = &rest[next..];
        }
    }
    let marks: &[(&str, &str)] = match syntax {
        Syntax::MediaWiki => &[("'''", "strong"), ("''", "em")],
        Syntax::DokuWiki => &[("**", "strong"), ("//", "em"), ("__", "u"), ("''", "code")],
        Syntax::YesWiki => &[("**", "strong"), ("//", "em"), ("__", "u")],
    };
    // Escaping wrote `'` as it is: MediaWiki's marks are still there to find.
    for (mark, tag) in marks {
        out = pairs(&out, mark, tag);
    }
    let mut html = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(start) = rest.find(SET_ASIDE.0) {
        html.push_str(&rest[..start]);
        let after = &rest[start + SET_ASIDE.0.len_utf8()..];
        let end = after.find(SET_ASIDE.1).unwrap_or(after.len());
        html.push_str(
            after[..end].parse::<usize>().ok().and_then(|index| aside.get(index)).map_or("", String::as_str),
        );
        rest = after.get(end + SET_ASIDE.1.len_utf8()..).unwrap_or_default();
    }
    html.push_str(rest);
    html
}

/// A `[[…]]` link as HTML: to an address, to a page of the wiki, a file shown; nothing for what
/// shows nothing (a category); its words alone when it leads nowhere this server trusts.
fn wiki_link(inside: &str, dialect: &dyn Dialect) -> Option<String> {
    let (target, words) = match dialect.syntax() {
        Syntax::YesWiki => inside.split_once(' ').unwrap_or((inside, inside)),
        Syntax::MediaWiki | Syntax::DokuWiki => inside.split_once('|').unwrap_or((inside, inside)),
    };
    let (target, words) = (target.trim(), words.trim());
    if has_web_scheme(target) {
        return Some(link(target, words).unwrap_or_else(|| escape(words)));
    }
    match dialect.target(target) {
        Target::Hidden => None,
        Target::File => {
            let name = target.split_once(':').map_or(target, |(_, name)| name);
            let options: Vec<&str> = inside.split('|').skip(1).map(str::trim).collect();
            // `[[Fichier:x.png|vignette|200px|Légende]]`: `alt=` or the caption, the last word
            // that is not a layout option.
            let alt = options
                .iter()
                .find_map(|option| option.strip_prefix("alt="))
                .or_else(|| options.iter().rev().find(|option| !is_image_option(option)).copied())
                .unwrap_or_default();
            Some(image(dialect.media_url(name.trim())?, alt))
        }
        Target::Page => {
            let words = if words == target { target.rsplit(':').next().unwrap_or(target) } else { words };
            let page = target.split('#').next().unwrap_or_default();
            let address = (!page.is_empty() && !page.contains('>')).then(|| dialect.page_url(page)).flatten();
            Some(address.and_then(|address| link(address.as_str(), words)).unwrap_or_else(|| escape(words)))
        }
    }
}

/// MediaWiki's layout words of an image (`vignette`, `200px`, `link=…`), which are not its text.
fn is_image_option(option: &str) -> bool {
    const OPTIONS: &[&str] = &[
        "thumb",
        "thumbnail",
        "vignette",
        "frame",
        "cadre",
        "frameless",
        "sans_cadre",
        "border",
        "bordure",
        "left",
        "gauche",
        "right",
        "droite",
        "center",
        "centre",
        "none",
        "néant",
        "upright",
        "redresse",
    ];
    OPTIONS.contains(&option) || option.ends_with("px") || option.contains('=') || option.is_empty()
}

/// `{{ns:photo.png?200|Texte}}`: a file of the wiki (or an address) shown as an image.
fn dokuwiki_image(inside: &str, dialect: &dyn Dialect) -> Option<String> {
    let (target, alt) = inside.split_once('|').unwrap_or((inside, ""));
    let name = target.trim().split('?').next().unwrap_or_default();
    let address = if has_web_scheme(name) {
        Url::parse(name).ok()?
    } else {
        dialect.media_url(name.trim_start_matches(':'))?
    };
    Some(image(address, alt.trim()))
}

fn link(address: &str, words: &str) -> Option<String> {
    let url = Url::parse(address).ok().filter(|url| matches!(url.scheme(), "https" | "http"))?;
    Some(format!("<a href=\"{}\">{}</a>", escape(url.as_str()), escape(words)))
}

fn image(address: Url, alt: &str) -> String {
    format!("<img src=\"{}\" alt=\"{}\">", escape(address.as_str()), escape(alt))
}

/// Every pair of `mark` around some text as `<tag>…</tag>`; an unpaired mark stays as it is.
fn pairs(text: &str, mark: &str, tag: &str) -> String {
    let parts: Vec<&str> = text.split(mark).collect();
    let mut out = String::with_capacity(text.len());
    for (index, part) in parts.iter().enumerate() {
        out.push_str(part);
        if index + 1 < parts.len() {
            let closing_exists = index % 2 == 1 || index + 2 < parts.len();
            match (index % 2, closing_exists) {
                (0, true) => out.push_str(&format!("<{tag}>")),
                (1, _) => out.push_str(&format!("</{tag}>")),
                _ => out.push_str(mark),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Wiki(Syntax);

    impl Dialect for Wiki {
        fn syntax(&self) -> Syntax {
            self.0
        }
        fn page_url(&self, name: &str) -> Option<Url> {
            Url::parse("https://wiki.example/").ok()?.join(&format!("p/{}", name.replace(' ', "_"))).ok()
        }
        fn media_url(&self, name: &str) -> Option<Url> {
            Url::parse("https://wiki.example/").ok()?.join(&format!("f/{name}")).ok()
        }
        fn target(&self, name: &str) -> Target {
            match name.split_once(':').map(|(prefix, _)| prefix) {
                Some("Catégorie") => Target::Hidden,
                Some("Fichier") => Target::File,
                _ => Target::Page,
            }
        }
    }

    #[test]
    fn wikitext_becomes_html() {
        let text = "__NOTOC__{{Bandeau|x={{y}}}}'''Coopération''' et ''territoire''<ref>note</ref>.\n\
                    suite <small>petite</small>\n\n\
                    == Titre ==\n* un [[Faire avec]]\n** deux [[Faire avec|autrement]]\n# trois\n\
                    [[Fichier:Carte.png|vignette|200px|La carte]] [https://brest.fr Brest] https://a.fr/x.\n\
                    {|\n! A !! B\n|-\n| style=\"x\" | 1 || [[P|q]]\n|}\n [[Catégorie:Fiches]]<!-- fin -->\n\
                    <script>alert(1)</script> a < b";
        assert_eq!(
            to_html(text, &Wiki(Syntax::MediaWiki)),
            "<p><strong>Coopération</strong> et <em>territoire</em>. suite petite</p>\
             <h2>Titre</h2><ul><li>un <a href=\"https://wiki.example/p/Faire_avec\">Faire avec</a>\
             <ul><li>deux <a href=\"https://wiki.example/p/Faire_avec\">autrement</a></li></ul></li></ul>\
             <ol><li>trois</li></ol>\
             <p><img src=\"https://wiki.example/f/Carte.png\" alt=\"La carte\"> \
             <a href=\"https://brest.fr/\">Brest</a> <a href=\"https://a.fr/x\">https://a.fr/x</a>.</p>\
             <table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td><a href=\"https://wiki.example/p/P\">q</a></td></tr></table>\
             <p>alert(1) a &lt; b</p>"
        );
    }

    #[test]
    fn dokuwiki_syntax_becomes_html() {
        let text = "====== Le dispositif ======\n~~NOTOC~~\nUn **outil** //libre// __souligné__ ''code'' \\\\ fin\nvoir [[fiches:ateliers|les ateliers]] et [[https://savoirscommuns.fr]].\n\n  * un\n    * deux\n  - trois\n\n^ A ^ B ^\n| 1 | [[x|y]] |\n{{ fiches:photo.png?200 |Photo}}\n<code php>\n<?php echo 1;\n</code>\n===== Suite =====";
        assert_eq!(
            to_html(text, &Wiki(Syntax::DokuWiki)),
            "<h1>Le dispositif</h1><p>Un <strong>outil</strong> <em>libre</em> <u>souligné</u> <code>code</code> <br> fin \
             voir <a href=\"https://wiki.example/p/fiches:ateliers\">les ateliers</a> et \
             <a href=\"https://savoirscommuns.fr/\">https://savoirscommuns.fr</a>.</p>\
             <ul><li>un<ul><li>deux</li></ul></li></ul><ol><li>trois</li></ol>\
             <table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td><a href=\"https://wiki.example/p/x\">y</a></td></tr></table>\
             <p><img src=\"https://wiki.example/f/fiches:photo.png\" alt=\"Photo\"></p>\
             <pre>&lt;?php echo 1;</pre><h2>Suite</h2>"
        );
    }

    #[test]
    fn only_web_addresses_become_links() {
        for syntax in [Syntax::MediaWiki, Syntax::DokuWiki, Syntax::YesWiki] {
            let html = to_html(
                "[[javascript:alert(1)|x]] [[javascript:alert(1) x]] \u{E000}0\u{E001}",
                &Wiki(syntax),
            );
            assert!(!html.contains("href=\"javascript"), "{syntax:?}: {html}");
            assert!(!html.contains('\u{E000}'), "{syntax:?}: {html}");
        }
    }
}

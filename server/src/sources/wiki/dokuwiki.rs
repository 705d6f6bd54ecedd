//! DokuWiki through its XML-RPC API (`lib/exe/xmlrpc.php`, on when the wiki's `remote` setting
//! is): the pages of the namespaces a source names, each as the wiki renders it
//! (`wiki.getPageHTML`), titled by its first heading, with its authors from its history and the
//! site's licence from the footer of its pages.
//!
//! A sync first lists (`dokuwiki.getPagelist`: ids and revisions); when the listing is the one
//! read last time, nothing else is asked.

use ammonia::Url;
use bao_contract::Licence;

use super::xmlrpc::{Argument, Value, call};
use super::{
    PageCache, Software, Wiki, WikiError, WikiHttp, WikiPage, WikiSettings, WikiSite, at_most_max_pages,
    digest, take_title, unlink,
};
use crate::calendar::day_of;
use crate::search::analysis::html_to_text;
use crate::sources::text::first_letter_upper;
use crate::sources::{Batch, Skipped, licence};

/// Bumped when pages are read differently, so that the next sync reads every page again.
pub const READER_VERSION: &str = "dokuwiki-2";

/// A DokuWiki source as the sources file declares it.
#[derive(Debug, Clone)]
pub struct DokuWiki {
    /// The wiki's base address (where `doku.php` is).
    pub base: Url,
    /// Namespaces whose pages are the source's (`fiches`, `projets:2024`); none: the whole wiki.
    pub namespaces: Vec<String>,
    pub settings: WikiSettings,
}

/// What one listing found: the site and its pages' ids, not yet read.
#[derive(Debug, Clone)]
pub struct Listing {
    site: WikiSite,
    /// Each page's id, revision (a time, in seconds) and size.
    pages: Vec<(String, i64, i64)>,
    skipped: Vec<Skipped>,
    revision: String,
}

impl Wiki for DokuWiki {
    type Listing = Listing;
    const READER_VERSION: &'static str = READER_VERSION;
    const KEEPS_PAGES: bool = true;

    /// Lists the source's pages with their revisions, and reads the site's licence and language
    /// from one of its pages.
    fn list(&self, http: &WikiHttp) -> Result<Listing, WikiError> {
        let endpoint = self.endpoint()?;
        let namespaces =
            if self.namespaces.is_empty() { vec![String::new()] } else { self.namespaces.clone() };
        // Each page with its revision (a time, in seconds) and size: two edits in the same second
        // still differ by their size, mostly.
        let mut pages: Vec<(String, i64, i64)> = Vec::new();
        for namespace in &namespaces {
            let listed = call(
                http,
                endpoint.as_str(),
                "dokuwiki.getPagelist",
                &[Argument::String(namespace), Argument::Options(&[("depth", 0)])],
            )?;
            for page in listed.as_array() {
                if let Some(id) = page.get("id").and_then(Value::as_str) {
                    let revision = page.get("rev").and_then(Value::as_int).unwrap_or_default();
                    let size = page.get("size").and_then(Value::as_int).unwrap_or_default();
                    pages.push((id.to_owned(), revision, size));
                }
            }
        }
        pages.sort();
        pages.dedup();
        let skipped = at_most_max_pages(&mut pages, |(id, ..)| id);

        // The licence is a setting of the whole site, shown in the footer of every page.
        let (declared, lang) = match pages.first() {
            Some((id, ..)) => {
                let html = http.text(self.page_url(id)?.as_str())?;
                (footer_licence(&html), html_lang(&html))
            }
            None => (None, None),
        };
        let site = self.settings.site(Software::DokuWiki, declared, lang);
        let revision = {
            let mut parts =
                vec![READER_VERSION.to_owned(), self.base.to_string(), format!("{:?}", site.licence)];
            parts.extend(pages.iter().map(|(id, revision, size)| format!("{id}\t{revision}\t{size}")));
            digest(parts.iter().map(String::as_str))
        };
        Ok(Listing { site, pages, skipped, revision })
    }

    /// Reads each listed page, unless its revision was read already.
    fn read(&self, http: &WikiHttp, listing: &Listing, cache: &mut PageCache) -> Result<Batch, WikiError> {
        let revision_of =
            |(id, revision, size): &(String, i64, i64)| (id.clone(), format!("{revision}\t{size}"));
        let read = |(id, ..): &(String, i64, i64)| self.page(http, id);
        Ok(listing.site.read_pages(&listing.skipped, &listing.pages, cache, revision_of, read))
    }

    fn revision(listing: &Listing) -> &str {
        &listing.revision
    }
}

impl DokuWiki {
    fn endpoint(&self) -> Result<Url, WikiError> {
        self.base.join("lib/exe/xmlrpc.php").map_err(|error| WikiError::Refused(error.to_string()))
    }

    fn page_url(&self, id: &str) -> Result<Url, WikiError> {
        let mut url = self.base.join("doku.php").map_err(|error| WikiError::Refused(error.to_string()))?;
        url.query_pairs_mut().append_pair("id", id);
        Ok(url)
    }

    fn page(&self, http: &WikiHttp, id: &str) -> Result<WikiPage, WikiError> {
        let endpoint = self.endpoint()?;
        let endpoint = endpoint.as_str();
        let html = call(http, endpoint, "wiki.getPageHTML", &[Argument::String(id)])?;
        let html = html.as_str().unwrap_or_default();
        let info = call(http, endpoint, "wiki.getPageInfo", &[Argument::String(id)])?;
        let versions =
            call(http, endpoint, "wiki.getPageVersions", &[Argument::String(id), Argument::Int(0)])?;

        // Newest first as the wiki gives them: reversed, the first author comes first. An edit
        // without an account names only an address, which is not an author to show.
        let mut authors: Vec<String> = Vec::new();
        let users = versions
            .as_array()
            .iter()
            .rev()
            .filter_map(|version| version.get("user"))
            .chain(info.get("author"));
        for user in users.filter_map(Value::as_str).map(str::trim) {
            if !user.is_empty() && !authors.iter().any(|known| known == user) {
                authors.push(user.to_owned());
            }
        }
        let (title, body) = take_title(html).unwrap_or_else(|| (title_from_id(id), html.to_owned()));
        Ok(WikiPage {
            title,
            url: self.page_url(id)?,
            // `wikilink2`: a link to a page that does not exist.
            html: unlink(&body, r#"class="wikilink2""#),
            authors,
            updated: info.get("lastModified").and_then(Value::as_str).and_then(day_of),
            tags: Vec::new(),
            image: None,
        })
    }
}

/// `fiches:le_dispositif` → `Le dispositif`.
pub(super) fn title_from_id(id: &str) -> String {
    first_letter_upper(&id.rsplit(':').next().unwrap_or(id).replace('_', " "))
}

/// The licence link of a DokuWiki page's footer (`<a href="…" rel="license">name</a>`).
fn footer_licence(html: &str) -> Option<Licence> {
    let at = html.find(r#"rel="license""#)?;
    let start = html[..at].rfind("<a ")?;
    let end = at + html[at..].find("</a>")?;
    let tag = &html[start..end];
    let href =
        tag.split_once(r#"href=""#).and_then(|(_, rest)| rest.split_once('"')).map(|(href, _)| href)?;
    let text = html_to_text(&format!("{tag}</a>"));
    licence::of_site(href, &text)
}

/// The language of a page (`<html lang="fr"`).
fn html_lang(html: &str) -> Option<String> {
    let at = html.find("<html")?;
    let tag = &html[at..at + html[at..].find('>')?];
    let lang = tag.split_once(r#"lang=""#)?.1.split_once('"')?.0;
    (!lang.is_empty() && lang.len() <= 12).then(|| lang.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_ids_licence_and_language_as_dokuwiki_writes_them() {
        assert_eq!(title_from_id("fiches:le_dispositif"), "Le dispositif");

        let page = r#"<!DOCTYPE html><html lang="fr" dir="ltr" class="no-js"><body><div class="license">Sauf mention contraire : <bdi><a href="https://creativecommons.org/licenses/by-sa/4.0/deed.fr" rel="license" class="urlextern">CC Attribution-Share Alike 4.0 International</a></bdi></div>"#;
        assert_eq!(footer_licence(page).unwrap().label, "CC BY-SA 4.0");
        assert_eq!(html_lang(page).as_deref(), Some("fr"));
        assert_eq!(footer_licence("<p>rien</p>"), None);
    }
}

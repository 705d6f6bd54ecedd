//! A MediaWiki read from an export (`Special:Export`, `dumpBackup.php`: XML of format 0.11), a
//! file on this machine or an address: the pages of a namespace or of the categories a source
//! names, their wikitext rendered by [`super::markup`], their authors from the revisions the
//! export holds. An export names no licence: the source's applies.
//!
//! Pages are keyed by the wiki's address and their title, like those read through the API: a
//! wiki first followed from its export, then through its API, keeps its ids.

use std::collections::BTreeSet;
use std::path::PathBuf;

use ammonia::Url;
use roxmltree::{Document, Node};

use super::markup::{self, Dialect, Syntax, Target};
use super::mediawiki::{category_name, page_url, user_name};
use super::{
    PageCache, Software, Wiki, WikiError, WikiHttp, WikiPage, WikiSettings, WikiSite, at_most_max_pages,
    digest,
};
use crate::calendar::day_of;
use crate::sources::text::first_letter_upper;
use crate::sources::{Batch, Skipped};

/// Bumped when pages are read differently, so that the next sync reads every page again.
pub const READER_VERSION: &str = "mediawiki-export-2";

/// The largest export read: a wiki of some thousand pages with their history.
const MAX_EXPORT_BYTES: u64 = 128 * 1024 * 1024;

/// The namespaces of categories and files (`Category:`, `File:`, and `Image:` of old wikis),
/// whatever the wiki's language; the export names them in its language too.
const CATEGORY_NAMESPACE: &str = "14";
const FILE_NAMESPACE: &str = "6";
const CANONICAL_CATEGORY: &str = "Category";
const CANONICAL_FILES: &[&str] = &["File", "Image"];

/// Where the export is.
#[derive(Debug, Clone)]
pub enum ExportAt {
    File(PathBuf),
    Web(Url),
}

/// A MediaWiki export as the sources file declares it.
#[derive(Debug, Clone)]
pub struct MediaWikiExport {
    pub at: ExportAt,
    /// Categories whose pages are the source's (`Catégorie:Fiches`); none: a whole namespace.
    pub categories: Vec<String>,
    /// The namespace read when no category is given (0: the articles).
    pub namespace: i64,
    pub settings: WikiSettings,
}

/// The export, read: the site and the pages of the source, their wikitext not yet rendered.
#[derive(Debug, Clone)]
pub struct Listing {
    site: WikiSite,
    links: WikitextLinks,
    pages: Vec<ExportedPage>,
    skipped: Vec<Skipped>,
    revision: String,
}

#[derive(Debug, Clone)]
struct ExportedPage {
    title: String,
    namespace: i64,
    revision_id: String,
    timestamp: String,
    /// First author first.
    authors: Vec<String>,
    wikitext: String,
    categories: Vec<String>,
}

/// How the wiki of an export names its pages, categories and files.
#[derive(Debug, Clone)]
struct WikitextLinks {
    /// The address of a page, `$1` standing for its title (`https://wiki.example/index.php/$1`).
    article_url: String,
    /// Prefixes of category links, lowercased (`catégorie`, `category`).
    category_prefixes: Vec<String>,
    /// Prefixes of file links, lowercased (`fichier`, `file`, `image`).
    file_prefixes: Vec<String>,
    /// The titles of every page the export holds: a link to another would lead to an empty
    /// edit form, or to a page this export does not show.
    known: BTreeSet<String>,
}

impl Dialect for WikitextLinks {
    fn syntax(&self) -> Syntax {
        Syntax::MediaWiki
    }

    fn page_url(&self, name: &str) -> Option<Url> {
        // MediaWiki's titles begin with a capital (`case = first-letter`): `[[faire avec]]`.
        let title = first_letter_upper(name.trim().trim_start_matches(':')).replace('_', " ");
        self.known.contains(&title).then(|| page_url(&self.article_url, &title).ok()).flatten()
    }

    /// `Special:FilePath` leads to a file by its name on any MediaWiki, in any language.
    fn media_url(&self, name: &str) -> Option<Url> {
        page_url(&self.article_url, &format!("Special:FilePath/{}", first_letter_upper(name))).ok()
    }

    fn target(&self, name: &str) -> Target {
        let prefix = name.split_once(':').map(|(prefix, _)| prefix.trim().to_lowercase()).unwrap_or_default();
        if self.category_prefixes.contains(&prefix) {
            Target::Hidden
        } else if self.file_prefixes.contains(&prefix) {
            Target::File
        } else {
            Target::Page
        }
    }
}

impl WikitextLinks {
    /// The categories a page's wikitext puts it in (`[[Catégorie:Fiches|clé]]` → `Fiches`).
    fn categories(&self, wikitext: &str) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        for link in
            wikitext.split("[[").skip(1).filter_map(|rest| rest.split_once("]]")).map(|(link, _)| link)
        {
            let target = link.split('|').next().unwrap_or_default();
            if self.target(target) == Target::Hidden {
                let name = first_letter_upper(category_name(target).trim()).replace('_', " ");
                if !name.is_empty() && !found.contains(&name) {
                    found.push(name);
                }
            }
        }
        found
    }
}

impl Wiki for MediaWikiExport {
    type Listing = Listing;
    const READER_VERSION: &'static str = READER_VERSION;

    /// Reads the export, and keeps the pages of the source.
    fn list(&self, http: &WikiHttp) -> Result<Listing, WikiError> {
        let (xml, name) = match &self.at {
            ExportAt::Web(url) => (http.text_up_to(url.as_str(), MAX_EXPORT_BYTES)?, url.to_string()),
            ExportAt::File(path) => (read_file(path)?, path.display().to_string()),
        };
        let unreadable = |reason: String| WikiError::Unreadable { url: name.clone(), reason };
        let document = Document::parse(&xml).map_err(|error| unreadable(error.to_string()))?;
        let root = document.root_element();
        let siteinfo = child(root, "siteinfo").ok_or_else(|| unreadable("pas de <siteinfo>".into()))?;
        let base = child_text(siteinfo, "base");
        let article_url =
            article_url(&base).ok_or_else(|| unreadable(format!("<base> illisible : {base}")))?;
        let namespace_names = |key: &str| -> Vec<String> {
            siteinfo
                .descendants()
                .filter(|node| node.tag_name().name() == "namespace")
                .filter(|node| node.attribute("key") == Some(key))
                .filter_map(|node| node.text())
                .map(str::to_lowercase)
                .collect()
        };
        let mut category_prefixes = namespace_names(CATEGORY_NAMESPACE);
        category_prefixes.push(CANONICAL_CATEGORY.to_lowercase());
        let mut file_prefixes = namespace_names(FILE_NAMESPACE);
        file_prefixes.extend(CANONICAL_FILES.iter().map(|name| name.to_lowercase()));
        let known = root
            .children()
            .filter(|node| node.tag_name().name() == "page")
            .map(|node| child_text(node, "title"))
            .collect();
        let links = WikitextLinks { article_url, category_prefixes, file_prefixes, known };
        let lang = root.attribute(("http://www.w3.org/XML/1998/namespace", "lang")).map(str::to_owned);
        let site = self.settings.site(Software::MediaWiki, None, lang);

        let selecting: Vec<String> = self
            .categories
            .iter()
            .map(|category| first_letter_upper(category_name(category).trim()).replace('_', " "))
            .collect();
        let mut pages: Vec<ExportedPage> = root
            .children()
            .filter(|node| node.tag_name().name() == "page")
            .filter_map(|node| exported_page(node, &links))
            .filter(|page| match selecting.is_empty() {
                true => page.namespace == self.namespace,
                false => page.categories.iter().any(|category| selecting.contains(category)),
            })
            .map(|mut page| {
                page.categories.retain(|category| !selecting.contains(category));
                page
            })
            .collect();
        pages.sort_by(|a, b| a.title.cmp(&b.title));
        let skipped = at_most_max_pages(&mut pages, |page| page.title);
        let revision = {
            let mut parts =
                vec![READER_VERSION.to_owned(), links.article_url.clone(), format!("{:?}", site.licence)];
            parts.extend(
                pages.iter().map(|page| format!("{}\t{}\t{}", page.title, page.revision_id, page.timestamp)),
            );
            digest(parts.iter().map(String::as_str))
        };
        Ok(Listing { site, links, pages, skipped, revision })
    }

    /// Renders each page's wikitext.
    fn read(&self, _http: &WikiHttp, listing: &Listing, cache: &mut PageCache) -> Result<Batch, WikiError> {
        let read = |page: &ExportedPage| {
            Ok(WikiPage {
                title: page.title.clone(),
                url: page_url(&listing.links.article_url, &page.title)?,
                html: markup::to_html(&page.wikitext, &listing.links),
                authors: page.authors.clone(),
                updated: day_of(&page.timestamp),
                tags: page.categories.clone(),
                image: None,
            })
        };
        let revision_of = |page: &ExportedPage| (page.title.clone(), String::new());
        Ok(listing.site.read_pages(&listing.skipped, &listing.pages, cache, revision_of, read))
    }

    fn revision(listing: &Listing) -> &str {
        &listing.revision
    }
}

fn read_file(path: &std::path::Path) -> Result<String, WikiError> {
    let unreadable = |reason: String| WikiError::Unreadable { url: path.display().to_string(), reason };
    let size = std::fs::metadata(path)
        .map_err(|error| WikiError::Unreachable {
            url: path.display().to_string(),
            reason: error.to_string(),
        })?
        .len();
    if size > MAX_EXPORT_BYTES {
        return Err(unreadable(format!("{} Mio, au plus {} Mio", size >> 20, MAX_EXPORT_BYTES >> 20)));
    }
    std::fs::read_to_string(path).map_err(|error| unreadable(error.to_string()))
}

/// A page of the export with its newest revision; `None` for a redirect or a page without text.
fn exported_page(node: Node, links: &WikitextLinks) -> Option<ExportedPage> {
    if child(node, "redirect").is_some() {
        return None;
    }
    let mut revisions: Vec<Node> =
        node.children().filter(|child| child.tag_name().name() == "revision").collect();
    revisions.sort_by_key(|revision| child_text(*revision, "timestamp"));
    let newest = *revisions.last()?;
    let wikitext = child(newest, "text")?.text().unwrap_or_default().to_owned();
    if wikitext.trim_start().to_lowercase().starts_with("#redirect") {
        return None;
    }
    let mut authors: Vec<String> = Vec::new();
    for revision in &revisions {
        // An edit without an account names only an address (`<ip>`), which is not an author.
        let name = child(*revision, "contributor").map(|contributor| child_text(contributor, "username"));
        let name = name.as_deref().map(user_name).unwrap_or_default();
        if !name.is_empty() && !authors.iter().any(|known| known == name) {
            authors.push(name.to_owned());
        }
    }
    Some(ExportedPage {
        title: child_text(node, "title"),
        namespace: child_text(node, "ns").parse().unwrap_or_default(),
        revision_id: child_text(newest, "id"),
        timestamp: child_text(newest, "timestamp"),
        authors,
        categories: links.categories(&wikitext),
        wikitext,
    })
}

fn child<'a, 'input>(node: Node<'a, 'input>, name: &str) -> Option<Node<'a, 'input>> {
    node.children().find(|child| child.tag_name().name() == name)
}

fn child_text(node: Node, name: &str) -> String {
    child(node, name).and_then(|child| child.text()).unwrap_or_default().trim().to_owned()
}

/// The address of any page, from the address of the main page an export gives
/// (`https://wiki.example/index.php/Accueil` → `https://wiki.example/index.php/$1`,
/// `…/index.php?title=Accueil` → `…/index.php?title=$1`).
fn article_url(base: &str) -> Option<String> {
    let url = Url::parse(base).ok().filter(|url| matches!(url.scheme(), "https" | "http"))?;
    if url.query_pairs().any(|(key, _)| key == "title") {
        let mut template = url.clone();
        template.query_pairs_mut().clear().append_pair("title", "TITLE");
        return Some(template.as_str().replace("TITLE", "$1"));
    }
    let (folder, _) = base.rsplit_once('/')?;
    Some(format!("{folder}/$1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_of_pages_from_the_main_page() {
        assert_eq!(
            article_url("https://www.wiki-brest.net/index.php/Accueil").as_deref(),
            Some("https://www.wiki-brest.net/index.php/$1")
        );
        assert_eq!(
            article_url("https://wiki.example/w/index.php?title=Main_Page").as_deref(),
            Some("https://wiki.example/w/index.php?title=$1")
        );
        assert_eq!(article_url("javascript:alert(1)//x"), None);
    }
}

//! What the wiki connectors (MediaWiki, DokuWiki, YesWiki) share: a bounded HTTP client for
//! answers that are untrusted, and the making of a resource from a page as a wiki rendered it.

pub mod dokuwiki;
pub mod dokuwiki_folder;
pub mod markup;
pub mod mediawiki;
pub mod mediawiki_export;
pub mod xmlrpc;
pub mod yeswiki;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use ammonia::Url;
use bao_contract::{Image, Kind, Licence, NetworkRef, Resource};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::text::{SUMMARY_MAX_CHARS, collapse_whitespace, truncate_words};
use super::{Batch, Skipped, http_agent, licence, sanitize::sanitize, screening, slugify};
use crate::address::is_fetchable;
use crate::calendar::Day;
use crate::search::analysis::html_to_text;
use crate::store::{Found, NewResource, Provenance};

/// Largest answer read from a wiki: a page's HTML or one page of a listing.
const MAX_ANSWER_BYTES: u64 = 8 * 1024 * 1024;
/// Pages read from one wiki source at most; the rest are skipped with a reason.
const MAX_PAGES: usize = 5000;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// A paragraph shorter than this is a caption or a line of navigation, not a summary.
const SUMMARY_MIN_CHARS: usize = 40;

/// Why a wiki could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum WikiError {
    #[error("{url} ne répond pas ({reason})")]
    Unreachable { url: String, reason: String },
    #[error("{url} n'existe pas (404)")]
    NotFound { url: String },
    #[error("{url} a répondu quelque chose d'illisible ({reason})")]
    Unreadable { url: String, reason: String },
    #[error("{0}")]
    Refused(String),
}

/// An HTTP client for wikis: timeouts, a size limit on every answer, a user agent that says who
/// asks.
pub struct WikiHttp {
    agent: ureq::Agent,
}

impl Default for WikiHttp {
    fn default() -> WikiHttp {
        WikiHttp { agent: http_agent(REQUEST_TIMEOUT, CONNECT_TIMEOUT, "wiki source") }
    }
}

impl WikiHttp {
    /// The text at `url`, at most [`MAX_ANSWER_BYTES`] of it.
    pub fn text(&self, url: &str) -> Result<String, WikiError> {
        self.text_up_to(url, MAX_ANSWER_BYTES)
    }

    /// The text at `url`, at most `limit` bytes of it (a whole wiki's export is larger than an
    /// answer).
    pub fn text_up_to(&self, url: &str, limit: u64) -> Result<String, WikiError> {
        let response = self.agent.get(url).call();
        Self::read(url, response, limit)
    }

    /// The answer to a POST of `body` to `url`, at most [`MAX_ANSWER_BYTES`] of it.
    pub fn post(&self, url: &str, content_type: &str, body: &str) -> Result<String, WikiError> {
        let response = self.agent.post(url).header("Content-Type", content_type).send(body);
        Self::read(url, response, MAX_ANSWER_BYTES)
    }

    fn read(
        url: &str,
        response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        limit: u64,
    ) -> Result<String, WikiError> {
        let mut response = response.map_err(|error| match error {
            ureq::Error::StatusCode(404) => WikiError::NotFound { url: url.to_owned() },
            error => WikiError::Unreachable { url: url.to_owned(), reason: error.to_string() },
        })?;
        response.body_mut().with_config().limit(limit).read_to_string().map_err(|error| {
            WikiError::Unreadable {
                url: url.to_owned(),
                reason: format!("{error} ; au plus {} Mio", limit >> 20),
            }
        })
    }

    /// The JSON at `url`, decoded.
    pub fn json<T: DeserializeOwned>(&self, url: &str) -> Result<T, WikiError> {
        let text = self.text(url)?;
        serde_json::from_str(&text)
            .map_err(|error| WikiError::Unreadable { url: url.to_owned(), reason: error.to_string() })
    }
}

/// What every wiki connector does: list the pages with what a sync compares (cheap), then read
/// them when the listing changed (those whose revision changed, where the wiki says).
pub trait Wiki {
    type Listing;
    /// Bumped when pages are read differently, so that the next sync reads every page again.
    const READER_VERSION: &'static str;
    /// Whether pages are kept between syncs ([`PageCache`]): for wikis that answer page by page;
    /// one read whole (files here, or one answer) costs less read again than kept.
    const KEEPS_PAGES: bool = false;
    fn list(&self, http: &WikiHttp) -> Result<Self::Listing, WikiError>;
    /// A digest of everything the listing says: the same revision means nothing changed.
    fn revision(listing: &Self::Listing) -> &str;
    /// Reads each listed page, or takes it from `cache` when its revision is the one read last
    /// time; one the wiki cannot render is skipped with the reason. An error means nothing could
    /// be read: the source keeps its last content.
    fn read(
        &self,
        http: &WikiHttp,
        listing: &Self::Listing,
        cache: &mut PageCache,
    ) -> Result<Batch, WikiError>;
}

/// The pages a source's last sync read, each with its revision: a page whose revision did not
/// change is not asked again. Kept as a file beside the git mirrors; made only of what the wiki
/// sent, so a lost or stale file costs a full read, never a wrong page.
pub struct PageCache {
    path: Option<PathBuf>,
    /// The reader's version and the source's settings: pages read otherwise are read again.
    reader: String,
    previous: HashMap<String, CachedPage>,
    next: BTreeMap<String, CachedPage>,
}

#[derive(Serialize, Deserialize)]
struct CacheFile<Pages> {
    reader: String,
    pages: Pages,
}

#[derive(Serialize, Deserialize)]
struct CachedPage {
    revision: String,
    resource: NewResource,
}

impl PageCache {
    /// The cache kept at `path` by `reader`; empty when there is none, it cannot be read, or
    /// another reader wrote it.
    pub fn open(path: PathBuf, reader: &str) -> PageCache {
        let previous = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<CacheFile<HashMap<String, CachedPage>>>(&bytes).ok())
            .filter(|file| file.reader == reader)
            .map(|file| file.pages)
            .unwrap_or_default();
        PageCache { path: Some(path), reader: reader.to_owned(), previous, next: BTreeMap::new() }
    }

    /// A cache that keeps nothing (see [`Wiki::KEEPS_PAGES`]).
    pub fn none() -> PageCache {
        PageCache { path: None, reader: String::new(), previous: HashMap::new(), next: BTreeMap::new() }
    }

    /// Writes the pages read by this sync, and only those: a page gone from the wiki leaves.
    pub fn save(&self) {
        let Some(path) = &self.path else { return };
        let file = CacheFile { reader: self.reader.clone(), pages: &self.next };
        let written = serde_json::to_vec(&file).map_err(std::io::Error::other).and_then(|json| {
            let temporary = path.with_extension("tmp");
            std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))?;
            std::fs::write(&temporary, json)?;
            std::fs::rename(&temporary, path)
        });
        if let Err(error) = written {
            tracing::warn!(path = %path.display(), %error, "the pages read could not be kept: the next sync reads them all");
        }
    }
}

impl WikiSite {
    /// Reads each listed page into a batch, after what the listing skipped: from `cache` when its
    /// revision (`revision_of`, with the site's settings) is the one read last time, else with
    /// `read`; a page that cannot be read is skipped with the reason, and the others land.
    pub fn read_pages<P>(
        &self,
        listing_skipped: &[Skipped],
        pages: &[P],
        cache: &mut PageCache,
        revision_of: impl Fn(&P) -> (String, String),
        read: impl Fn(&P) -> Result<WikiPage, WikiError>,
    ) -> Batch {
        let mut batch = Batch {
            networks: vec![self.network.clone()],
            skipped: listing_skipped.to_vec(),
            ..Batch::default()
        };
        for page in pages {
            let (name, revision) = revision_of(page);
            let revision = format!("{revision}\t{self:?}");
            let resource = match cache.previous.remove(&name).filter(|cached| cached.revision == revision) {
                Some(cached) => {
                    batch.reused += 1;
                    cached.resource
                }
                None => match read(page) {
                    Ok(page) => NewResource { path: name.clone(), ..page.into_resource(self) },
                    Err(error) => {
                        batch.skipped.push(Skipped { path: name, reason: error.to_string() });
                        continue;
                    }
                },
            };
            if cache.path.is_some() {
                cache.next.insert(name.clone(), CachedPage { revision, resource: resource.clone() });
            }
            let text = html_to_text(resource.resource.body_html.as_deref().unwrap_or_default());
            let not_a_fiche = screening::test_page(&name, &resource.resource.title)
                .or_else(|| screening::redirect(&text))
                // A YesWiki entry is a record of a form: a short description is what it is.
                .or_else(|| screening::stub(&text).filter(|_| self.software != Software::YesWiki));
            if let Some(reason) = not_a_fiche {
                batch.skipped.push(Skipped { path: name, reason: reason.into() });
                continue;
            }
            batch.resources.push(resource);
        }
        batch
    }
}

/// What the sources file says of a wiki source, whatever its kind.
#[derive(Debug, Clone)]
pub struct WikiSettings {
    pub network: NetworkRef,
    /// The licence to assume when the wiki declares none.
    pub default_licence: Option<Licence>,
    /// The kind of resource the pages are (`fiche` unless the sources file says otherwise).
    pub kind: Kind,
}

impl WikiSettings {
    /// The site as a listing found it: its licence when it declares one, else the source's.
    pub fn site(&self, software: Software, declared: Option<Licence>, lang: Option<String>) -> WikiSite {
        WikiSite {
            software,
            network: self.network.clone(),
            licence: declared.or_else(|| self.default_licence.clone()).unwrap_or_else(licence::unknown),
            kind: self.kind,
            lang: lang.unwrap_or_else(|| "fr".into()),
        }
    }
}

/// Keeps the first [`MAX_PAGES`] of a listing; the others are skipped, each with the reason.
pub fn at_most_max_pages<T>(listed: &mut Vec<T>, name: impl Fn(T) -> String) -> Vec<Skipped> {
    let beyond = listed.len().saturating_sub(MAX_PAGES);
    listed
        .drain(listed.len() - beyond..)
        .map(|item| Skipped { path: name(item), reason: format!("au-delà de {MAX_PAGES} pages") })
        .collect()
}

/// The wiki software a site runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Software {
    MediaWiki,
    DokuWiki,
    YesWiki,
}

impl Software {
    /// The page where the page at `page` is edited.
    pub fn edit_page(self, page: &Url) -> Url {
        let mut edit = page.clone();
        match self {
            Software::MediaWiki => {
                edit.query_pairs_mut().append_pair("action", "edit");
            }
            Software::DokuWiki => {
                edit.query_pairs_mut().append_pair("do", "edit");
            }
            // An entry is `?EntryTag`; its handlers follow its name: `?EntryTag/edit`.
            Software::YesWiki => edit.set_query(Some(&format!("{}/edit", page.query().unwrap_or_default()))),
        }
        edit
    }
}

/// What a wiki source says of all its pages.
#[derive(Debug, Clone)]
pub struct WikiSite {
    pub software: Software,
    pub network: NetworkRef,
    /// The wiki's licence, else the one the sources file declares, else unknown.
    pub licence: Licence,
    /// The kind of resource the pages are (`fiche` unless the sources file says otherwise).
    pub kind: Kind,
    pub lang: String,
}

/// One page as a wiki gave it, before it is checked.
#[derive(Debug, Clone)]
pub struct WikiPage {
    pub title: String,
    /// The page's address on the wiki: its canonical URL, the base of its relative links, and
    /// (with the source) its key in the store — never a page number, which exports renumber.
    pub url: Url,
    /// The page's HTML as the wiki rendered it: untrusted.
    pub html: String,
    pub authors: Vec<String>,
    /// When the page last changed.
    pub updated: Option<Day>,
    pub tags: Vec<String>,
    /// The card's image when the wiki names one; else the body's first.
    pub image: Option<Image>,
}

impl WikiPage {
    /// The resource this page becomes: sanitised HTML, a summary from its first paragraph of
    /// prose, its first image as the card's.
    pub fn into_resource(self, site: &WikiSite) -> NewResource {
        let page = self.url.clone();
        let body = sanitize(&self.html, move |_, relative| page.join(relative).ok().map(String::from));
        let summary =
            first_prose(&body).map(|text| truncate_words(&text, SUMMARY_MAX_CHARS)).unwrap_or_default();
        let image = self.image.or_else(|| first_image(&body).map(|(url, alt)| Image { url, alt }));
        let resource = Resource {
            id: slugify(&format!("{}-{}", site.network.id, self.title)),
            kind: site.kind,
            title: collapse_whitespace(&self.title),
            summary,
            image,
            authors: self.authors,
            network: site.network.clone(),
            tags: self.tags,
            licence: site.licence.clone(),
            source_url: Some(self.url.to_string()),
            lang: site.lang.clone(),
            updated: self.updated.map(|day| day.to_string()),
            body_html: Some(body),
            sources: Vec::new(),
        };
        let found_if = |present: bool, found: Found| if present { found } else { Found::Missing };
        // A page's title and history are the wiki's own metadata; the licence is the site's.
        let provenance = Provenance {
            title: Found::Stated,
            summary: found_if(!resource.summary.is_empty(), Found::InText),
            authors: found_if(!resource.authors.is_empty(), Found::Stated),
            licence: found_if(
                resource.licence.raw.is_some() || resource.licence.spdx.is_some(),
                Found::FromSource,
            ),
            vague_licence: licence::is_vague(&resource.licence),
        };
        let edit_url = Some(site.software.edit_page(&self.url).to_string());
        let content_hash = match serde_json::to_vec(&(&resource, &provenance, &edit_url)) {
            Ok(json) => format!("{:x}", Sha256::digest(json)),
            Err(_) => String::new(),
        };
        NewResource {
            resource,
            video: None,
            source_key: self.url.to_string(),
            content_hash,
            provenance,
            edit_url,
            path: self.title,
        }
    }
}

/// Removes the links whose tag carries `marker` (MediaWiki's `class="new"` of a page that does
/// not exist), keeping their words: a visitor should not land on an empty edit form.
pub fn unlink(html: &str, marker: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<a ") {
        let Some(tag_len) = rest[start..].find('>') else { break };
        let tag = &rest[start..start + tag_len];
        out.push_str(&rest[..start]);
        let after_tag = &rest[start + tag_len + 1..];
        if tag.contains(marker)
            && let Some(close) = after_tag.find("</a>")
        {
            out.push_str(&after_tag[..close]);
            rest = &after_tag[close + "</a>".len()..];
        } else {
            out.push_str(&rest[start..start + tag_len + 1]);
            rest = after_tag;
        }
    }
    out.push_str(rest);
    out
}

/// The page's title, taken out of its HTML: the first `<h1>` (DokuWiki's `====== … ======`,
/// YesWiki's `BAZ_fiche_titre`), which the card shows already.
pub fn take_title(html: &str) -> Option<(String, String)> {
    let start = html.find("<h1")?;
    let end = start + html[start..].find("</h1>")? + "</h1>".len();
    let title = html_to_text(&html[start..end]);
    (!title.is_empty()).then(|| (title, format!("{}{}", &html[..start], &html[end..])))
}

/// The text of the first paragraph that reads as prose.
fn first_prose(html: &str) -> Option<String> {
    let mut rest = html;
    while let Some(start) = rest.find("<p>").or_else(|| rest.find("<p ")) {
        let end = rest[start..].find("</p>").map_or(rest.len(), |end| start + end);
        let text = html_to_text(&rest[start..end]);
        if text.chars().count() >= SUMMARY_MIN_CHARS {
            return Some(text);
        }
        rest = &rest[end..];
    }
    None
}

/// The first image of a sanitised body that a card may show, with its alternative text.
fn first_image(html: &str) -> Option<(String, String)> {
    let start = html.find("<img ")?;
    let tag = &html[start..start + html[start..].find('>')?];
    let attribute = |name: &str| {
        let from = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[from..from + tag[from..].find('"')?].replace("&amp;", "&"))
    };
    let url = attribute("src").filter(|url| is_fetchable(url))?;
    Some((url, attribute("alt").unwrap_or_default()))
}

/// A digest of what a listing says, in order: when it is the same as last time, nothing changed.
pub fn digest<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    format!("{:x}", hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_heading_is_the_title() {
        let html =
            r#"<h1 class="sectionedit1" id="x">Le dispositif</h1><div class="level1"><p>Texte</p></div>"#;
        let (title, body) = take_title(html).unwrap();
        assert_eq!(title, "Le dispositif");
        assert_eq!(body, r#"<div class="level1"><p>Texte</p></div>"#);
        assert_eq!(take_title("<h2>Pas un titre</h2>"), None);
    }

    #[test]
    fn missing_pages_lose_their_link_not_their_words() {
        let html = r#"<p>Voir <a href="/index.php?title=X&amp;action=edit&amp;redlink=1" class="new" title="X">X</a> et <a href="/index.php/Accueil">Accueil</a>.</p>"#;
        assert_eq!(
            unlink(html, r#"class="new""#),
            r#"<p>Voir X et <a href="/index.php/Accueil">Accueil</a>.</p>"#
        );
    }

    #[test]
    fn a_page_becomes_a_safe_resource_with_absolute_links() {
        let site = WikiSite {
            software: Software::MediaWiki,
            network: NetworkRef { id: "wiki-brest".into(), name: "Wiki-Brest".into(), url: None },
            licence: super::super::licence::unknown(),
            kind: Kind::Fiche,
            lang: "fr".into(),
        };
        let page = WikiPage {
            title: "Territoires et coopérations".into(),
            url: Url::parse("https://www.wiki-brest.net/index.php/Territoires_et_coop%C3%A9rations").unwrap(),
            html: r#"<p>Court.</p><p onclick="x()">Les pratiques collaboratives ouvertes et les biens communs numériques.</p><img src="/images/a.png" alt="Carte"><a href="/index.php/Accueil">Accueil</a><script>alert(1)</script>"#.into(),
            authors: vec!["Briand".into()],
            updated: crate::calendar::parse_day("2012-05-03"),
            tags: vec!["Coopération".into()],
            image: None,
        };
        let new = page.into_resource(&site);
        let resource = &new.resource;
        assert_eq!(resource.id, "wiki-brest-territoires-et-cooperations");
        assert_eq!(
            resource.summary,
            "Les pratiques collaboratives ouvertes et les biens communs numériques."
        );
        let body = resource.body_html.as_deref().unwrap();
        assert!(!body.contains("script") && !body.contains("onclick"), "{body}");
        assert!(body.contains(r#"href="https://www.wiki-brest.net/index.php/Accueil""#), "{body}");
        assert_eq!(resource.image.as_ref().unwrap().url, "https://www.wiki-brest.net/images/a.png");
        assert_eq!(Some(new.source_key), resource.source_url);
        assert_eq!(
            new.edit_url.as_deref(),
            Some("https://www.wiki-brest.net/index.php/Territoires_et_coop%C3%A9rations?action=edit")
        );
    }

    #[test]
    fn each_wiki_edits_a_page_its_own_way() {
        let edit =
            |software: Software, page: &str| software.edit_page(&Url::parse(page).unwrap()).to_string();
        assert_eq!(
            edit(Software::MediaWiki, "https://w.example/index.php?title=Forum_ouvert"),
            "https://w.example/index.php?title=Forum_ouvert&action=edit"
        );
        assert_eq!(
            edit(Software::DokuWiki, "https://d.example/doku.php?id=a:b"),
            "https://d.example/doku.php?id=a:b&do=edit"
        );
        assert_eq!(edit(Software::DokuWiki, "https://d.example/a/b"), "https://d.example/a/b?do=edit");
        assert_eq!(
            edit(Software::YesWiki, "https://y.example/?BaoFicheForum"),
            "https://y.example/?BaoFicheForum/edit"
        );
    }
}

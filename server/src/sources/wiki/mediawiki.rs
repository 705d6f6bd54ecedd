//! MediaWiki through its action API (`api.php`): the pages of the categories a source names (or of
//! a namespace), with their last revision and categories in one paged listing, then each
//! page's HTML as the wiki renders it (`action=parse`) and its authors from its history, and the
//! wiki's licence.
//!
//! A sync first lists; when the listing (titles, revision ids, categories, licence) is the one
//! read last time, nothing else is asked.

use std::collections::BTreeMap;

use ammonia::Url;
use serde::Deserialize;
use serde_json::Value;

use super::{
    PageCache, Software, Wiki, WikiError, WikiHttp, WikiPage, WikiSettings, WikiSite, at_most_max_pages,
    digest, unlink,
};
use crate::calendar::day_of;
use crate::sources::{Batch, Skipped, licence};

/// Bumped when pages are read differently, so that the next sync reads every page again.
pub const READER_VERSION: &str = "mediawiki-2";

/// Listing requests at most (each up to 500 pages): a bound on a wiki that pages forever.
const MAX_LISTING_REQUESTS: usize = 200;

/// Messages naming the categories MediaWiki adds by itself (`TrackingCategories.php`, 1.39):
/// "Pages avec des liens de fichiers brisés" says nothing of a fiche's subject.
const TRACKING_CATEGORY_MESSAGES: &str = "broken-file-category|duplicate-args-category|\
    expansion-depth-exceeded-category|expensive-parserfunction-category|hidden-category-category|\
    index-category|node-count-exceeded-category|noindex-category|nonnumeric-formatnum|\
    post-expand-template-argument-category|post-expand-template-inclusion-category|\
    restricted-displaytitle-ignored|template-equals-category|template-loop-category|\
    unstrip-depth-category|unstrip-size-category|bad-double-underscore-category|\
    cite-tracking-category-cite-error|magiclink-tracking-isbn|magiclink-tracking-pmid|magiclink-tracking-rfc";

/// Importers prefix users they do not know (`importDump.php`): the name is what follows.
const IMPORTED_USER_PREFIX: char = '>';

/// A MediaWiki source as the sources file declares it.
#[derive(Debug, Clone)]
pub struct MediaWiki {
    /// The wiki's `api.php`.
    pub api: Url,
    /// Categories whose pages are the source's (`Catégorie:Fiches`); none: a whole namespace.
    pub categories: Vec<String>,
    /// The namespace read when no category is given (0: the articles).
    pub namespace: i64,
    pub settings: WikiSettings,
}

/// What one listing found: the site and its pages, not yet read.
#[derive(Debug, Clone)]
pub struct Listing {
    site: WikiSite,
    /// `server` + `articlepath` (`https://wiki.example/index.php/$1`).
    article_url: String,
    pages: Vec<ListedPage>,
    /// The names of the categories the wiki adds by itself, in its language.
    tracking_categories: Vec<String>,
    skipped: Vec<Skipped>,
    revision: String,
}

/// Most categories kept of one page (its tags): a hostile wiki's 80 000 cost 11.6 s of CPU
/// when each was compared with every other.
const MAX_PAGE_CATEGORIES: usize = 100;

#[derive(Debug, Clone, Default)]
struct ListedPage {
    title: String,
    revision_id: u64,
    timestamp: String,
    categories: Vec<String>,
}

/// One answer of the listing, read as it is decoded: a page's categories past the first
/// [`MAX_PAGE_CATEGORIES`] are skipped, never held (a hostile wiki's 175 000 took 151 MiB as a
/// JSON tree).
#[derive(Deserialize)]
struct ListingAnswer {
    #[serde(default)]
    error: Option<ApiRefusal>,
    #[serde(default)]
    query: ListingQuery,
    #[serde(default, rename = "continue")]
    more: BTreeMap<String, Value>,
}

#[derive(Deserialize)]
struct ApiRefusal {
    #[serde(default)]
    info: Option<String>,
}

#[derive(Deserialize, Default)]
struct ListingQuery {
    #[serde(default)]
    pages: Vec<AnswerPage>,
}

#[derive(Deserialize, Default)]
struct AnswerPage {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    redirect: bool,
    #[serde(default)]
    missing: bool,
    #[serde(default)]
    revisions: Vec<AnswerRevision>,
    #[serde(default, deserialize_with = "first_categories")]
    categories: Vec<AnswerCategory>,
}

#[derive(Deserialize)]
struct AnswerRevision {
    #[serde(default)]
    revid: Option<u64>,
    #[serde(default)]
    timestamp: Option<String>,
}

#[derive(Deserialize)]
struct AnswerCategory {
    #[serde(default)]
    title: Option<String>,
}

/// The first [`MAX_PAGE_CATEGORIES`] categories of a page's list; the others are read past.
fn first_categories<'de, D: serde::Deserializer<'de>>(decoder: D) -> Result<Vec<AnswerCategory>, D::Error> {
    struct First;
    impl<'de> serde::de::Visitor<'de> for First {
        type Value = Vec<AnswerCategory>;

        fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
            formatter.write_str("a list of categories")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut list: A) -> Result<Self::Value, A::Error> {
            let mut kept = Vec::new();
            while kept.len() < MAX_PAGE_CATEGORIES {
                match list.next_element()? {
                    Some(category) => kept.push(category),
                    None => return Ok(kept),
                }
            }
            while list.next_element::<serde::de::IgnoredAny>()?.is_some() {}
            Ok(kept)
        }
    }
    decoder.deserialize_seq(First)
}

#[derive(Deserialize)]
struct SiteInfo {
    query: SiteInfoQuery,
}

#[derive(Deserialize)]
struct SiteInfoQuery {
    general: General,
    #[serde(default)]
    rightsinfo: RightsInfo,
}

#[derive(Deserialize)]
struct General {
    server: String,
    articlepath: String,
    #[serde(default)]
    lang: Option<String>,
}

#[derive(Deserialize, Default)]
struct RightsInfo {
    #[serde(default)]
    url: String,
    #[serde(default)]
    text: String,
}

#[derive(Deserialize)]
struct Parsed {
    parse: ParsedPage,
}

#[derive(Deserialize)]
struct ParsedPage {
    text: String,
}

impl Wiki for MediaWiki {
    type Listing = Listing;
    const READER_VERSION: &'static str = READER_VERSION;
    const KEEPS_PAGES: bool = true;

    /// Lists the source's pages with what a sync compares: one request for the site, then the
    /// listing's pages (500 at a time).
    fn list(&self, http: &WikiHttp) -> Result<Listing, WikiError> {
        let (site, article_url, tracking_categories) = self.site(http)?;
        let pages = self.pages(http)?;
        let mut listed: Vec<ListedPage> = pages.into_values().filter(|page| page.revision_id > 0).collect();
        let skipped = at_most_max_pages(&mut listed, |page| page.title);
        let revision = {
            let mut parts: Vec<String> =
                vec![READER_VERSION.into(), article_url.clone(), format!("{:?}", site.licence)];
            for page in &listed {
                parts.push(format!("{}\t{}\t{}", page.title, page.revision_id, page.categories.join("|")));
            }
            digest(parts.iter().map(String::as_str))
        };
        Ok(Listing { site, article_url, pages: listed, tracking_categories, skipped, revision })
    }

    /// Reads each listed page's HTML as the wiki renders it, unless its revision was read
    /// already.
    fn read(&self, http: &WikiHttp, listing: &Listing, cache: &mut PageCache) -> Result<Batch, WikiError> {
        // A page's resource is its revision, its categories and what the wiki adds by itself.
        let revision_of = |listed: &ListedPage| {
            let categories = listed.categories.join("|");
            let revision =
                format!("{}\t{categories}\t{}", listed.revision_id, listing.tracking_categories.join("|"));
            (listed.title.clone(), revision)
        };
        let read = |listed: &ListedPage| self.page(http, listing, listed);
        Ok(listing.site.read_pages(&listing.skipped, &listing.pages, cache, revision_of, read))
    }

    fn revision(listing: &Listing) -> &str {
        &listing.revision
    }
}

impl MediaWiki {
    /// The site, its licence, its pages' address and the names of the categories it adds by
    /// itself (asked in the wiki's own language, the default for a reader without an account):
    /// one request.
    fn site(&self, http: &WikiHttp) -> Result<(WikiSite, String, Vec<String>), WikiError> {
        let answer = self.query(
            http,
            &[
                ("action", "query"),
                ("meta", "siteinfo|allmessages"),
                ("siprop", "general|rightsinfo"),
                ("ammessages", TRACKING_CATEGORY_MESSAGES),
                ("amenableparser", "1"),
            ],
            "l'API du wiki ne décrit pas le site",
        )?;
        let tracking_categories = answer
            .pointer("/query/allmessages")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|message| message.get("content").and_then(Value::as_str))
            .map(|name| name.replace('_', " "))
            .collect();
        let info: SiteInfo = serde_json::from_value(answer).map_err(|error| WikiError::Unreadable {
            url: self.api.to_string(),
            reason: error.to_string(),
        })?;
        let SiteInfoQuery { general, rightsinfo } = info.query;
        let declared = licence::of_site(&rightsinfo.url, &rightsinfo.text);
        let site = self.settings.site(Software::MediaWiki, declared, general.lang);
        let server = if general.server.starts_with("//") {
            format!("{}:{}", self.api.scheme(), general.server)
        } else {
            general.server
        };
        Ok((site, format!("{server}{}", general.articlepath), tracking_categories))
    }

    /// The pages of the namespace, or of the categories followed, with their revisions and
    /// categories: 500 a request, at most [`MAX_LISTING_REQUESTS`] requests.
    fn pages(&self, http: &WikiHttp) -> Result<BTreeMap<String, ListedPage>, WikiError> {
        let mut pages: BTreeMap<String, ListedPage> = BTreeMap::new();
        let namespace = self.namespace.to_string();
        let generators: Vec<Vec<(&str, &str)>> = if self.categories.is_empty() {
            vec![vec![
                ("generator", "allpages"),
                ("gapnamespace", &namespace),
                ("gapfilterredir", "nonredirects"),
                ("gaplimit", "max"),
            ]]
        } else {
            self.categories
                .iter()
                .map(|category| {
                    vec![
                        ("generator", "categorymembers"),
                        ("gcmtitle", category.as_str()),
                        ("gcmtype", "page"),
                        ("gcmlimit", "max"),
                    ]
                })
                .collect()
        };
        let mut requests = 0;
        for generator in generators {
            let mut next: Vec<(String, String)> = Vec::new();
            loop {
                requests += 1;
                if requests > MAX_LISTING_REQUESTS {
                    return Err(WikiError::Refused(format!(
                        "la liste des pages demande plus de {MAX_LISTING_REQUESTS} requêtes"
                    )));
                }
                let mut parameters: Vec<(&str, &str)> = vec![
                    ("action", "query"),
                    ("prop", "info|revisions|categories"),
                    ("rvprop", "ids|timestamp|user"),
                    ("clshow", "!hidden"),
                    ("cllimit", "max"),
                ];
                parameters.extend(generator.iter().copied());
                parameters.extend(next.iter().map(|(key, value)| (key.as_str(), value.as_str())));
                let answer: ListingAnswer = http.json(self.url(&parameters).as_str())?;
                if let Some(refusal) = answer.error {
                    return Err(refused("l'API du wiki refuse la liste", refusal.info.as_deref()));
                }
                for page in answer.query.pages {
                    merge(&mut pages, page);
                }
                if answer.more.is_empty() {
                    break;
                }
                next = answer
                    .more
                    .iter()
                    .filter_map(|(key, value)| Some((key.clone(), value.as_str()?.to_owned())))
                    .collect();
            }
        }
        Ok(pages)
    }

    /// The action API's address for `parameters`, answering JSON of the current format.
    fn url(&self, parameters: &[(&str, &str)]) -> Url {
        let mut url = self.api.clone();
        url.query_pairs_mut()
            .extend_pairs(parameters)
            .append_pair("format", "json")
            .append_pair("formatversion", "2");
        url
    }

    /// One call of the action API; an `error` it answers is refused with `what` it was asked.
    fn query(&self, http: &WikiHttp, parameters: &[(&str, &str)], what: &str) -> Result<Value, WikiError> {
        let answer: Value = http.json(self.url(parameters).as_str())?;
        match answer.get("error") {
            Some(error) => Err(refused(what, error.get("info").and_then(Value::as_str))),
            None => Ok(answer),
        }
    }

    fn page(&self, http: &WikiHttp, listing: &Listing, listed: &ListedPage) -> Result<WikiPage, WikiError> {
        let revision = listed.revision_id.to_string();
        let answer = self.query(
            http,
            &[
                ("action", "parse"),
                ("oldid", &revision),
                ("prop", "text"),
                ("disableeditsection", "1"),
                ("disablelimitreport", "1"),
                ("disabletoc", "1"),
            ],
            "le wiki ne rend pas cette page",
        )?;
        let parsed: Parsed = serde_json::from_value(answer).map_err(|error| WikiError::Unreadable {
            url: self.api.to_string(),
            reason: error.to_string(),
        })?;
        let page_url = page_url(&listing.article_url, &listed.title)?;
        let selecting: Vec<&str> = self.categories.iter().map(|category| category_name(category)).collect();
        let authors = self.authors(http, listed)?;
        Ok(WikiPage {
            title: listed.title.clone(),
            url: page_url,
            html: unlink(&parsed.parse.text, r#"class="new""#),
            authors,
            updated: day_of(&listed.timestamp),
            tags: listed
                .categories
                .iter()
                .map(|category| category_name(category))
                .filter(|name| !selecting.contains(name))
                .map(|name| name.replace('_', " "))
                .filter(|name| !listing.tracking_categories.contains(name))
                .collect(),
            image: None,
        })
    }

    /// Everyone who wrote the page, first author first: its history's users up to the listed
    /// revision (the 500 most recent revisions at most), imported ones included.
    fn authors(&self, http: &WikiHttp, listed: &ListedPage) -> Result<Vec<String>, WikiError> {
        let revision = listed.revision_id.to_string();
        let answer = self.query(
            http,
            &[
                ("action", "query"),
                ("prop", "revisions"),
                ("titles", &listed.title),
                ("rvprop", "user"),
                ("rvlimit", "max"),
                ("rvstartid", &revision),
            ],
            "l'historique de la page est refusé",
        )?;
        let mut authors: Vec<String> = Vec::new();
        let revisions = answer.pointer("/query/pages/0/revisions").and_then(Value::as_array);
        // Newest first as the API gives them: reversed, the first author comes first.
        for revision in revisions.into_iter().flatten().rev() {
            let name = revision.get("user").and_then(Value::as_str).map(user_name).unwrap_or_default();
            if !name.is_empty() && !authors.iter().any(|known| known == name) {
                authors.push(name.to_owned());
            }
        }
        Ok(authors)
    }
}

/// An `error` the action API answered to what it was asked (`what`), with its `info`.
fn refused(what: &str, info: Option<&str>) -> WikiError {
    WikiError::Refused(format!("{what} : {}", info.unwrap_or("erreur sans détail")))
}

/// Adds what one answer says of a page to what earlier answers said (a long listing gives a
/// page's categories and contributors across several answers).
fn merge(pages: &mut BTreeMap<String, ListedPage>, page: AnswerPage) {
    let Some(title) = page.title else { return };
    if page.redirect || page.missing {
        return;
    }
    let entry = pages.entry(title.clone()).or_insert_with(|| ListedPage { title, ..ListedPage::default() });
    if let Some(revision) = page.revisions.into_iter().next() {
        entry.revision_id = revision.revid.unwrap_or(entry.revision_id);
        if let Some(timestamp) = revision.timestamp {
            entry.timestamp = timestamp;
        }
    }
    for category in page.categories {
        if entry.categories.len() == MAX_PAGE_CATEGORIES {
            break;
        }
        if let Some(title) = category.title
            && !entry.categories.contains(&title)
        {
            entry.categories.push(title);
        }
    }
}

/// `Catégorie:Fiches` → `Fiches`.
pub(super) fn category_name(category: &str) -> &str {
    category.split_once(':').map_or(category, |(_, name)| name)
}

/// `imported>Briand` → `Briand`.
pub(super) fn user_name(name: &str) -> &str {
    name.rsplit_once(IMPORTED_USER_PREFIX).map_or(name, |(_, user)| user).trim()
}

/// The address of a page: the wiki's article path with the title as MediaWiki writes it.
pub(super) fn page_url(article_url: &str, title: &str) -> Result<Url, WikiError> {
    let title = title.replace('%', "%25").replace('?', "%3F").replace('#', "%23").replace(' ', "_");
    let url = article_url.replace("$1", &title);
    let parsed = Url::parse(&url)
        .map_err(|error| WikiError::Unreadable { url: url.clone(), reason: error.to_string() })?;
    // The wiki says where its pages are: only an http(s) address becomes a link on a card.
    match parsed.scheme() {
        "https" | "http" => Ok(parsed),
        _ => Err(WikiError::Refused(format!("adresse de page refusée : {url}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_addresses_as_mediawiki_writes_them() {
        let url =
            page_url("https://www.wiki-brest.net/index.php/$1", "Territoires et coopérations ?").unwrap();
        assert_eq!(url.as_str(), "https://www.wiki-brest.net/index.php/Territoires_et_coop%C3%A9rations_%3F");
        assert!(page_url("javascript:alert(1)//$1", "X").is_err(), "a wiki's server is untrusted");
        assert_eq!(user_name("imported>Briand"), "Briand");
        assert_eq!(category_name("Catégorie:Fiches"), "Fiches");
    }

    #[test]
    fn a_page_of_175_000_categories_costs_no_more_than_its_first_hundred() {
        let categories: Vec<Value> =
            (0..175_000).map(|n| serde_json::json!({ "title": format!("Catégorie:C{n}") })).collect();
        let page = serde_json::json!({ "title": "Fiche", "categories": categories }).to_string();
        let mut pages = BTreeMap::new();
        let started = std::time::Instant::now();
        for _ in 0..3 {
            merge(&mut pages, serde_json::from_str(&page).unwrap());
        }
        assert!(started.elapsed() < std::time::Duration::from_millis(500), "{:?}", started.elapsed());
        assert_eq!(pages["Fiche"].categories.len(), MAX_PAGE_CATEGORIES);
        assert_eq!(pages["Fiche"].categories[0], "Catégorie:C0");
    }

    #[test]
    fn a_listing_in_several_answers_adds_up() {
        let mut pages = BTreeMap::new();
        let first = serde_json::json!({"title": "A", "revisions": [{"revid": 7, "timestamp": "2026-01-02T03:04:05Z"}], "categories": [{"title": "Catégorie:X"}]});
        let second = serde_json::json!({"title": "A", "categories": [{"title": "Catégorie:Y"}, {"title": "Catégorie:X"}]});
        let redirect = serde_json::json!({"title": "B", "redirect": true, "revisions": [{"revid": 8}]});
        for page in [first, second, redirect] {
            merge(&mut pages, serde_json::from_value(page).unwrap());
        }
        let a = &pages["A"];
        assert_eq!((a.revision_id, a.timestamp.as_str()), (7, "2026-01-02T03:04:05Z"));
        assert_eq!(a.categories, ["Catégorie:X", "Catégorie:Y"]);
        assert!(!pages.contains_key("B"));
    }
}

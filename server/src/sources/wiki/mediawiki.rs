//! MediaWiki through its action API (`api.php`): the pages of the categories a source names (or of
//! a namespace), with their last revision, contributors and categories in one paged listing, then
//! each page's HTML as the wiki renders it (`action=parse`), and the wiki's licence.
//!
//! A sync first lists; when the listing (titles, revision ids, categories, licence) is the one
//! read last time, nothing else is asked.

use std::collections::BTreeMap;

use ammonia::Url;
use bao_contract::{Kind, Licence, NetworkRef};
use serde::Deserialize;
use serde_json::Value;

use super::{MAX_PAGES, WikiError, WikiHttp, WikiPage, WikiSite, digest, unlink};
use crate::sources::{Batch, Skipped, licence};

/// Bumped when pages are read differently, so that the next sync reads every page again.
pub const READER_VERSION: &str = "mediawiki-1";

/// Listing requests at most (each up to 500 pages): a bound on a wiki that pages forever.
const MAX_LISTING_REQUESTS: usize = 200;

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
    pub network: NetworkRef,
    /// The licence to assume when the wiki declares none.
    pub default_licence: Option<Licence>,
    pub kind: Kind,
}

/// What one listing found: the site and its pages, not yet read.
#[derive(Debug, Clone)]
pub struct Listing {
    site: WikiSite,
    /// `server` + `articlepath` (`https://wiki.example/index.php/$1`).
    article_url: String,
    pages: Vec<ListedPage>,
    skipped: Vec<Skipped>,
    revision: String,
}

impl Listing {
    /// A digest of everything the listing says: the same revision means nothing changed.
    pub fn revision(&self) -> &str {
        &self.revision
    }
}

#[derive(Debug, Clone, Default)]
struct ListedPage {
    title: String,
    revision_id: u64,
    timestamp: String,
    last_editor: String,
    categories: Vec<String>,
    contributors: Vec<String>,
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

impl MediaWiki {
    fn url(&self, parameters: &[(&str, &str)]) -> Url {
        let mut url = self.api.clone();
        url.query_pairs_mut()
            .extend_pairs(parameters)
            .append_pair("format", "json")
            .append_pair("formatversion", "2");
        url
    }

    /// Lists the source's pages with what a sync compares: one request for the site, then the
    /// listing's pages (500 at a time).
    pub fn list(&self, http: &WikiHttp) -> Result<Listing, WikiError> {
        let info: SiteInfo = http.json(
            self.url(&[("action", "query"), ("meta", "siteinfo"), ("siprop", "general|rightsinfo")]).as_str(),
        )?;
        let SiteInfoQuery { general, rightsinfo } = info.query;
        let declared = licence::of_site(&rightsinfo.url, &rightsinfo.text);
        let site = WikiSite {
            network: self.network.clone(),
            licence: declared.or_else(|| self.default_licence.clone()).unwrap_or_else(licence::unknown),
            kind: self.kind,
            lang: general.lang.unwrap_or_else(|| "fr".into()),
        };
        let server = if general.server.starts_with("//") {
            format!("{}:{}", self.api.scheme(), general.server)
        } else {
            general.server
        };
        let article_url = format!("{server}{}", general.articlepath);

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
                    ("prop", "info|revisions|categories|contributors"),
                    ("rvprop", "ids|timestamp|user"),
                    ("clshow", "!hidden"),
                    ("cllimit", "max"),
                    ("pclimit", "max"),
                ];
                parameters.extend(generator.iter().copied());
                parameters.extend(next.iter().map(|(key, value)| (key.as_str(), value.as_str())));
                let url = self.url(&parameters);
                let answer: Value = http.json(url.as_str())?;
                if let Some(error) = answer.get("error") {
                    let info = error.get("info").and_then(Value::as_str).unwrap_or("erreur sans détail");
                    return Err(WikiError::Refused(format!("l'API du wiki refuse la liste : {info}")));
                }
                for page in answer.pointer("/query/pages").and_then(Value::as_array).into_iter().flatten() {
                    merge(&mut pages, page);
                }
                match answer.get("continue").and_then(Value::as_object) {
                    Some(more) => {
                        next = more
                            .iter()
                            .filter_map(|(key, value)| Some((key.clone(), value.as_str()?.to_owned())))
                            .collect();
                    }
                    None => break,
                }
            }
        }

        let mut skipped = Vec::new();
        let mut listed: Vec<ListedPage> = pages.into_values().filter(|page| page.revision_id > 0).collect();
        if listed.len() > MAX_PAGES {
            for page in listed.drain(MAX_PAGES..) {
                skipped.push(Skipped { path: page.title, reason: format!("au-delà de {MAX_PAGES} pages") });
            }
        }
        let revision = {
            let mut parts: Vec<String> =
                vec![READER_VERSION.into(), article_url.clone(), format!("{:?}", site.licence)];
            for page in &listed {
                parts.push(format!("{}\t{}\t{}", page.title, page.revision_id, page.categories.join("|")));
            }
            digest(parts.iter().map(String::as_str))
        };
        Ok(Listing { site, article_url, pages: listed, skipped, revision })
    }

    /// Reads each listed page's HTML as the wiki renders it. A page the wiki cannot render is
    /// skipped with the reason; the others land.
    pub fn read(&self, http: &WikiHttp, listing: &Listing) -> Batch {
        let mut batch = Batch { skipped: listing.skipped.clone(), ..Batch::default() };
        for listed in &listing.pages {
            match self.page(http, listing, listed) {
                Ok(page) => batch.resources.push(page.into_resource(&listing.site)),
                Err(error) => {
                    batch.skipped.push(Skipped { path: listed.title.clone(), reason: error.to_string() })
                }
            }
        }
        batch
    }

    fn page(&self, http: &WikiHttp, listing: &Listing, listed: &ListedPage) -> Result<WikiPage, WikiError> {
        let revision = listed.revision_id.to_string();
        let url = self.url(&[
            ("action", "parse"),
            ("oldid", &revision),
            ("prop", "text"),
            ("disableeditsection", "1"),
            ("disablelimitreport", "1"),
            ("disabletoc", "1"),
        ]);
        let answer: Value = http.json(url.as_str())?;
        if let Some(error) = answer.get("error") {
            let info = error.get("info").and_then(Value::as_str).unwrap_or("erreur sans détail");
            return Err(WikiError::Refused(format!("le wiki ne rend pas cette page : {info}")));
        }
        let parsed: Parsed = serde_json::from_value(answer)
            .map_err(|error| WikiError::Unreadable { url: url.to_string(), reason: error.to_string() })?;
        let page_url = page_url(&listing.article_url, &listed.title)?;
        let selecting: Vec<&str> = self.categories.iter().map(|category| category_name(category)).collect();
        let mut authors: Vec<String> = Vec::new();
        for name in listed.contributors.iter().chain([&listed.last_editor]) {
            let name = user_name(name);
            if !name.is_empty() && !authors.iter().any(|known| known == name) {
                authors.push(name.to_owned());
            }
        }
        Ok(WikiPage {
            name: listed.title.clone(),
            title: listed.title.clone(),
            url: page_url,
            html: unlink(&parsed.parse.text, r#"class="new""#),
            authors,
            updated: listed.timestamp.get(..10).map(str::to_owned),
            tags: listed
                .categories
                .iter()
                .map(|category| category_name(category))
                .filter(|name| !selecting.contains(name))
                .map(|name| name.replace('_', " "))
                .collect(),
        })
    }
}

/// Adds what one answer says of a page to what earlier answers said (a long listing gives a
/// page's categories and contributors across several answers).
fn merge(pages: &mut BTreeMap<String, ListedPage>, page: &Value) {
    let Some(title) = page.get("title").and_then(Value::as_str) else { return };
    if page.get("redirect").and_then(Value::as_bool) == Some(true) || page.get("missing").is_some() {
        return;
    }
    let entry = pages
        .entry(title.to_owned())
        .or_insert_with(|| ListedPage { title: title.to_owned(), ..ListedPage::default() });
    if let Some(revision) = page.pointer("/revisions/0") {
        entry.revision_id = revision.get("revid").and_then(Value::as_u64).unwrap_or(entry.revision_id);
        if let Some(timestamp) = revision.get("timestamp").and_then(Value::as_str) {
            entry.timestamp = timestamp.to_owned();
        }
        if let Some(user) = revision.get("user").and_then(Value::as_str) {
            entry.last_editor = user.to_owned();
        }
    }
    for (list, field, key) in
        [(&mut entry.categories, "categories", "title"), (&mut entry.contributors, "contributors", "name")]
    {
        for item in page.get(field).and_then(Value::as_array).into_iter().flatten() {
            if let Some(value) = item.get(key).and_then(Value::as_str)
                && !list.iter().any(|known| known == value)
            {
                list.push(value.to_owned());
            }
        }
    }
}

/// `Catégorie:Fiches` → `Fiches`.
fn category_name(category: &str) -> &str {
    category.split_once(':').map_or(category, |(_, name)| name)
}

/// `imported>Briand` → `Briand`.
fn user_name(name: &str) -> &str {
    name.rsplit_once(IMPORTED_USER_PREFIX).map_or(name, |(_, user)| user).trim()
}

/// The address of a page: the wiki's article path with the title as MediaWiki writes it.
fn page_url(article_url: &str, title: &str) -> Result<Url, WikiError> {
    let title = title.replace('%', "%25").replace('?', "%3F").replace('#', "%23").replace(' ', "_");
    let url = article_url.replace("$1", &title);
    Url::parse(&url).map_err(|error| WikiError::Unreadable { url, reason: error.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_addresses_as_mediawiki_writes_them() {
        let url =
            page_url("https://www.wiki-brest.net/index.php/$1", "Territoires et coopérations ?").unwrap();
        assert_eq!(url.as_str(), "https://www.wiki-brest.net/index.php/Territoires_et_coop%C3%A9rations_%3F");
        assert_eq!(user_name("imported>Briand"), "Briand");
        assert_eq!(category_name("Catégorie:Fiches"), "Fiches");
    }

    #[test]
    fn a_listing_in_several_answers_adds_up() {
        let mut pages = BTreeMap::new();
        let first = serde_json::json!({"title": "A", "revisions": [{"revid": 7, "user": "Ana", "timestamp": "2026-01-02T03:04:05Z"}], "categories": [{"title": "Catégorie:X"}]});
        let second = serde_json::json!({"title": "A", "categories": [{"title": "Catégorie:Y"}], "contributors": [{"name": "Bo"}]});
        let redirect = serde_json::json!({"title": "B", "redirect": true, "revisions": [{"revid": 8}]});
        for page in [&first, &second, &redirect] {
            merge(&mut pages, page);
        }
        let a = &pages["A"];
        assert_eq!((a.revision_id, a.last_editor.as_str()), (7, "Ana"));
        assert_eq!(a.categories, ["Catégorie:X", "Catégorie:Y"]);
        assert_eq!(a.contributors, ["Bo"]);
        assert!(!pages.contains_key("B"));
    }
}

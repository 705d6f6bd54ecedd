//! A DokuWiki read from its folder on this machine (a wiki whose API is off, or a copy of one):
//! the pages of the namespaces a source names (`data/pages/…/*.txt`), rendered by
//! [`super::markup`], titled by their first heading, with their authors and dates from their
//! change logs (`data/meta/…/*.changes`) and the site's licence and language from its settings
//! (`conf/local.php`). Pages link to the wiki's public address (the source's `site`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use ammonia::Url;
use bao_contract::Licence;

use super::dokuwiki::title_from_id;
use super::markup::{self, Dialect, Syntax};
use super::{
    PageCache, Software, Wiki, WikiError, WikiHttp, WikiPage, WikiSettings, WikiSite, at_most_max_pages,
    digest, take_title,
};
use crate::calendar::day_of_unix;
use crate::sources::{Batch, Skipped, licence};

/// Bumped when pages are read differently, so that the next sync reads every page again.
pub const READER_VERSION: &str = "dokuwiki-folder-2";

/// A page larger than this is not a fiche: it is skipped.
const MAX_PAGE_BYTES: u64 = 2 * 1024 * 1024;
/// Folders below `pages/` read at most: a bound on a loop of links.
const MAX_DEPTH: usize = 16;

/// The licences DokuWiki offers in its settings (`conf/license.php`): key, address, name.
const LICENCES: &[(&str, &str, &str)] = &[
    ("cc-zero", "https://creativecommons.org/publicdomain/zero/1.0/", "CC0 1.0 Universal"),
    ("publicdomain", "https://creativecommons.org/licenses/publicdomain/", "Public Domain"),
    ("cc-by", "https://creativecommons.org/licenses/by/4.0/", "CC Attribution 4.0 International"),
    (
        "cc-by-sa",
        "https://creativecommons.org/licenses/by-sa/4.0/",
        "CC Attribution-Share Alike 4.0 International",
    ),
    ("gnufdl", "https://www.gnu.org/licenses/fdl-1.3.html", "GNU Free Documentation License 1.3"),
    (
        "cc-by-nc",
        "https://creativecommons.org/licenses/by-nc/4.0/",
        "CC Attribution-Noncommercial 4.0 International",
    ),
    (
        "cc-by-nc-sa",
        "https://creativecommons.org/licenses/by-nc-sa/4.0/",
        "CC Attribution-Noncommercial-Share Alike 4.0 International",
    ),
];

/// A DokuWiki folder as the sources file declares it.
#[derive(Debug, Clone)]
pub struct DokuWikiFolder {
    /// The wiki's folder (with `data/` and `conf/`), or its `data/` folder.
    pub folder: PathBuf,
    /// The wiki's public address (where `doku.php` is).
    pub site: Url,
    /// Namespaces whose pages are the source's (`fiches`, `projets:2024`); none: the whole wiki.
    pub namespaces: Vec<String>,
    pub settings: WikiSettings,
}

/// What one listing found: the site and its pages' files, not yet read.
#[derive(Debug, Clone)]
pub struct Listing {
    site: WikiSite,
    data: PathBuf,
    pages: Vec<PageFile>,
    /// Every page of the wiki: a link to another is a link to a red page.
    known: BTreeSet<String>,
    skipped: Vec<Skipped>,
    revision: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct PageFile {
    id: String,
    /// Relative to `pages/`, without `.txt`: where the page's change log is under `meta/`.
    path: PathBuf,
    modified: u64,
    size: u64,
}

impl Wiki for DokuWikiFolder {
    type Listing = Listing;
    const READER_VERSION: &'static str = READER_VERSION;

    /// Lists the pages' files with their times and sizes, and reads the site's settings.
    fn list(&self, _http: &WikiHttp) -> Result<Listing, WikiError> {
        let (data, conf) = if self.folder.join("data/pages").is_dir() {
            (self.folder.join("data"), self.folder.join("conf"))
        } else if self.folder.join("pages").is_dir() {
            (self.folder.clone(), self.folder.join("../conf"))
        } else {
            return Err(WikiError::Unreachable {
                url: self.folder.display().to_string(),
                reason: "ni data/pages/ ni pages/ : pas un dossier DokuWiki".into(),
            });
        };
        let mut all = Vec::new();
        collect_pages(&data.join("pages"), Path::new(""), 0, &mut all);
        let known: BTreeSet<String> = all.iter().map(|page| page.id.clone()).collect();
        let mut pages: Vec<PageFile> = all
            .into_iter()
            .filter(|page| {
                self.namespaces.is_empty()
                    || self.namespaces.iter().any(|namespace| {
                        page.id.starts_with(&format!("{}:", namespace.trim_matches(':').to_lowercase()))
                    })
            })
            .collect();
        pages.sort();
        let skipped = at_most_max_pages(&mut pages, |page| page.id);

        // `conf/dokuwiki.php` holds the defaults, `conf/local.php` what the wiki changed.
        let settings: String = ["dokuwiki.php", "local.php"]
            .iter()
            .filter_map(|file| std::fs::read_to_string(conf.join(file)).ok())
            .collect::<Vec<_>>()
            .join("\n");
        let declared = setting(&settings, "license").and_then(|key| site_licence(&key));
        let site = self.settings.site(Software::DokuWiki, declared, setting(&settings, "lang"));
        let revision = {
            let mut parts =
                vec![READER_VERSION.to_owned(), self.site.to_string(), format!("{:?}", site.licence)];
            parts.extend(pages.iter().map(|page| format!("{}\t{}\t{}", page.id, page.modified, page.size)));
            digest(parts.iter().map(String::as_str))
        };
        Ok(Listing { site, data, pages, known, skipped, revision })
    }

    /// Reads and renders each listed page.
    fn read(&self, _http: &WikiHttp, listing: &Listing, cache: &mut PageCache) -> Result<Batch, WikiError> {
        let revision_of = |page: &PageFile| (page.id.clone(), String::new());
        let read = |page: &PageFile| self.page(listing, page).map_err(WikiError::Refused);
        Ok(listing.site.read_pages(&listing.skipped, &listing.pages, cache, revision_of, read))
    }

    fn revision(listing: &Listing) -> &str {
        &listing.revision
    }
}

impl DokuWikiFolder {
    fn page(&self, listing: &Listing, page: &PageFile) -> Result<WikiPage, String> {
        if page.size > MAX_PAGE_BYTES {
            return Err(format!("{} Kio, au plus {} Kio", page.size >> 10, MAX_PAGE_BYTES >> 10));
        }
        let file = listing.data.join("pages").join(&page.path).with_extension("txt");
        let text = std::fs::read_to_string(&file).map_err(|error| error.to_string())?;
        let namespace = page.id.rsplit_once(':').map_or("", |(namespace, _)| namespace);
        let links = FolderLinks { site: &self.site, namespace, known: &listing.known };
        let html = markup::to_html(&text, &links);
        let (title, html) = take_title(&html).unwrap_or_else(|| (title_from_id(&page.id), html));

        // The change log: one line per edit, `date ip type id user summary …`, oldest first. An
        // edit without an account names only an address, which is not an author to show.
        let changes =
            std::fs::read_to_string(listing.data.join("meta").join(&page.path).with_extension("changes"))
                .unwrap_or_default();
        let mut authors: Vec<String> = Vec::new();
        let mut last_change = None;
        for change in changes.lines().map(|line| line.split('\t').collect::<Vec<_>>()) {
            if let [date, _ip, _type, id, user, ..] = change[..]
                && id == page.id
            {
                last_change = date.parse::<u64>().ok().or(last_change);
                let user = user.trim();
                if !user.is_empty() && !authors.iter().any(|known| known == user) {
                    authors.push(user.to_owned());
                }
            }
        }
        Ok(WikiPage {
            title,
            url: page_url(&self.site, &page.id).ok_or("adresse de page impossible")?,
            html,
            authors,
            updated: Some(day_of_unix(last_change.unwrap_or(page.modified))),
            tags: Vec::new(),
            image: None,
        })
    }
}

/// Links as DokuWiki resolves them from a page of `namespace`: to its pages that exist, and to
/// its media through `lib/exe/fetch.php`.
struct FolderLinks<'a> {
    site: &'a Url,
    namespace: &'a str,
    known: &'a BTreeSet<String>,
}

impl Dialect for FolderLinks<'_> {
    fn syntax(&self) -> Syntax {
        Syntax::DokuWiki
    }

    fn page_url(&self, name: &str) -> Option<Url> {
        let mut id = resolve_id(name, self.namespace);
        if id.ends_with(':') || id.is_empty() {
            id.push_str("start");
        }
        // A link to a page that does not exist leads to an empty edit form: words only.
        self.known.contains(&id).then(|| page_url(self.site, &id)).flatten()
    }

    fn media_url(&self, name: &str) -> Option<Url> {
        let mut url = self.site.join("lib/exe/fetch.php").ok()?;
        url.query_pairs_mut().append_pair("media", &resolve_id(name, self.namespace));
        Some(url)
    }
}

fn page_url(site: &Url, id: &str) -> Option<Url> {
    let mut url = site.join("doku.php").ok()?;
    url.query_pairs_mut().append_pair("id", id);
    Some(url)
}

/// A link's page id as DokuWiki resolves it: with a `:` it names a page from the root (unless it
/// begins with `.`), without one a page of the linking page's namespace; lowercased, accents
/// and spaces as DokuWiki writes them in file names.
fn resolve_id(name: &str, namespace: &str) -> String {
    let name = name.trim();
    let absolute = if let Some(rest) = name.strip_prefix(':') {
        rest.to_owned()
    } else if let Some(rest) = name.strip_prefix("..:") {
        let parent = namespace.rsplit_once(':').map_or("", |(parent, _)| parent);
        join_id(parent, rest)
    } else if let Some(rest) = name.strip_prefix(".:").or_else(|| name.strip_prefix('.')) {
        join_id(namespace, rest)
    } else if name.contains(':') {
        name.to_owned()
    } else {
        join_id(namespace, name)
    };
    deunicode::deunicode(&absolute)
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || "_:.-".contains(c) { c } else { '_' })
        .collect()
}

fn join_id(namespace: &str, name: &str) -> String {
    if namespace.is_empty() { name.to_owned() } else { format!("{namespace}:{name}") }
}

/// Every `*.txt` below `folder`, with its id (`fiches:le_dispositif`). Links are not followed:
/// what the wiki holds is in its folder.
fn collect_pages(folder: &Path, relative: &Path, depth: usize, pages: &mut Vec<PageFile>) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let Ok(metadata) = entry.metadata() else { continue };
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if metadata.is_dir() && depth < MAX_DEPTH {
            collect_pages(&entry.path(), &relative.join(name), depth + 1, pages);
        } else if metadata.is_file()
            && let Some(stem) = name.strip_suffix(".txt")
        {
            let path = relative.join(stem);
            let id = path
                .components()
                .map(|part| percent_decoded(&part.as_os_str().to_string_lossy()))
                .collect::<Vec<_>>()
                .join(":");
            let modified = metadata
                .modified()
                .ok()
                .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |since| since.as_secs());
            pages.push(PageFile { id, path, modified, size: metadata.len() });
        }
    }
}

/// DokuWiki writes letters outside ASCII in file names percent-encoded (`fnencode = url`).
fn percent_decoded(name: &str) -> String {
    let bytes = name.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let hex = bytes
            .get(at + 1..at + 3)
            .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
        match (bytes[at], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                at += 3;
            }
            (byte, _) => {
                out.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The last value a PHP settings file gives `$conf['name']`.
fn setting(php: &str, name: &str) -> Option<String> {
    let key = format!("$conf['{name}']");
    php.lines()
        .filter_map(|line| line.trim().strip_prefix(&key))
        .filter_map(|rest| rest.trim_start().strip_prefix('='))
        .filter_map(|value| {
            let value = value.trim().trim_end_matches(';').trim();
            value
                .strip_prefix('\'')
                .and_then(|v| v.strip_suffix('\''))
                .or_else(|| value.strip_prefix('"').and_then(|v| v.strip_suffix('"')))
                .map(str::to_owned)
        })
        .next_back()
}

/// The licence of DokuWiki's setting `license`; none when the wiki shows none (`''`).
fn site_licence(key: &str) -> Option<Licence> {
    let (_, url, name) = LICENCES.iter().find(|(known, ..)| *known == key)?;
    licence::of_site(url, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_dates_and_settings_as_dokuwiki_writes_them() {
        assert_eq!(resolve_id("ateliers", "fiches"), "fiches:ateliers");
        assert_eq!(resolve_id("Projets:Été 2024", "fiches"), "projets:ete_2024");
        assert_eq!(resolve_id(":accueil", "fiches"), "accueil");
        assert_eq!(resolve_id("..:accueil", "fiches:outils"), "fiches:accueil");
        assert_eq!(percent_decoded("%C3%A9t%C3%A9"), "été");
        let php = "<?php\n$conf['license'] = 'cc-by-nc-sa';\n$conf['title'] = \"Savoirs\";\n$conf['license'] = 'cc-by-sa';";
        assert_eq!(setting(php, "license").as_deref(), Some("cc-by-sa"));
        assert_eq!(setting(php, "title").as_deref(), Some("Savoirs"));
        assert_eq!(site_licence("cc-by-sa").unwrap().label, "CC BY-SA 4.0");
        assert_eq!(site_licence(""), None);
    }
}

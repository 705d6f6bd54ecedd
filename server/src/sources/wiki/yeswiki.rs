//! YesWiki's Bazar through its JSON API: the entries of one form. The form
//! (`?api/forms/{id}`) gives the labels of its list and checkbox fields, which become tags; the
//! entries' light listing (`?api/forms/{id}/entries&fields=id_fiche,date_maj_fiche`) is what a
//! sync compares; when it changed, the entries come with the HTML the wiki renders for each
//! (`…/entries/html`, in `html_output`). YesWiki has no licence setting: the source's applies.

use std::collections::BTreeMap;

use ammonia::Url;
use bao_contract::Image;
use serde::Deserialize;
use serde_json::Value;

use super::markup::{self, Dialect, Syntax};
use super::{
    PageCache, Software, Wiki, WikiError, WikiHttp, WikiPage, WikiSettings, WikiSite, at_most_max_pages,
    digest, take_title,
};
use crate::address::is_fetchable;
use crate::calendar::day_of;
use crate::search::analysis::html_to_text;
use crate::sources::{Batch, Skipped};

/// Bumped when entries are read differently, so that the next sync reads every entry again.
pub const READER_VERSION: &str = "yeswiki-2";

/// Field types whose values are keys of a list, shown by their labels.
const LIST_FIELD_TYPES: &[&str] = &["checkbox", "select", "radio", "liste", "enumlist"];

/// A YesWiki source as the sources file declares it.
#[derive(Debug, Clone)]
pub struct YesWiki {
    /// The site's base address (`https://site.example/`: pages are `?PageTag`).
    pub base: Url,
    /// The Bazar form whose entries are the source's (its number).
    pub form: String,
    pub settings: WikiSettings,
}

/// What one listing found: the form's list labels and the entries' ids, not yet read.
#[derive(Debug, Clone)]
pub struct Listing {
    site: WikiSite,
    /// For each list or checkbox field: its label and the labels of its keys.
    lists: BTreeMap<String, BTreeMap<String, String>>,
    entries: Vec<String>,
    skipped: Vec<Skipped>,
    revision: String,
}

#[derive(Deserialize)]
struct Form {
    #[serde(default)]
    prepared: Vec<Value>,
}

impl YesWiki {
    fn api(&self, path: &str) -> String {
        format!("{}?api/forms/{}{path}", self.base, self.form)
    }

    /// The entries of the form, keyed by id: YesWiki answers an object (or `null` when empty).
    fn entries(&self, http: &WikiHttp, path: &str) -> Result<BTreeMap<String, Value>, WikiError> {
        let url = self.api(path);
        match http.json::<Value>(&url)? {
            Value::Object(entries) => Ok(entries.into_iter().collect()),
            Value::Null => Ok(BTreeMap::new()),
            Value::Array(entries) => Ok(entries
                .into_iter()
                .filter_map(|entry| Some((entry.get("id_fiche")?.as_str()?.to_owned(), entry)))
                .collect()),
            _ => Err(WikiError::Unreadable { url, reason: "ni objet ni liste d'entrées".into() }),
        }
    }

    fn entry(&self, listing: &Listing, id: &str, entry: &Value) -> Result<WikiPage, WikiError> {
        let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::trim).unwrap_or_default();
        let url = self.base.join(&format!("?{id}")).map_err(|error| WikiError::Refused(error.to_string()))?;
        let (rendered_title, html) = match text("html_output") {
            "" => (None, description_html(text("bf_description"), &self.base)),
            html => match take_title(html) {
                Some((title, rest)) => (Some(title), rest),
                None => (None, html.to_owned()),
            },
        };
        let title = match html_to_text(text("bf_titre")) {
            title if !title.is_empty() => title,
            _ => rendered_title.ok_or_else(|| WikiError::Refused("entrée sans titre (bf_titre)".into()))?,
        };
        // `bf_auteur` when the form has it; else the account that wrote the entry, unless it is an
        // address (an edit without an account), which is not an author to show.
        let authors: Vec<String> = match text("bf_auteur") {
            "" => [text("owner")]
                .into_iter()
                .filter(|owner| !owner.is_empty() && owner.parse::<std::net::IpAddr>().is_err())
                .map(str::to_owned)
                .collect(),
            named => named
                .split([',', ';'])
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .map(str::to_owned)
                .collect(),
        };
        let mut tags = Vec::new();
        for (field, labels) in &listing.lists {
            for key in text(field).split(',').map(str::trim).filter(|key| !key.is_empty()) {
                if let Some(label) = labels.get(key)
                    && !tags.contains(label)
                {
                    tags.push(label.clone());
                }
            }
        }
        let image = entry
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(key, _)| key.starts_with("imagebf_"))
            .filter_map(|(_, file)| file.as_str())
            .find(|file| !file.is_empty() && !file.contains(['/', '\\', '?', '#']))
            .and_then(|file| self.base.join(&format!("files/{file}")).ok())
            .map(|url| Image { url: url.to_string(), alt: String::new() })
            .filter(|image| is_fetchable(&image.url));
        Ok(WikiPage { title, url, html, authors, updated: day_of(text("date_maj_fiche")), tags, image })
    }
}

impl Wiki for YesWiki {
    type Listing = Listing;
    const READER_VERSION: &'static str = READER_VERSION;

    /// Reads the form's lists and the entries' ids and dates.
    fn list(&self, http: &WikiHttp) -> Result<Listing, WikiError> {
        let form: Form = http.json(&self.api(""))?;
        let mut lists = BTreeMap::new();
        for field in &form.prepared {
            let kind = field.get("type").and_then(Value::as_str).unwrap_or_default();
            let name = field.get("propertyname").and_then(Value::as_str).unwrap_or_default();
            let Some(options) = field.get("options").and_then(Value::as_object) else { continue };
            if LIST_FIELD_TYPES.contains(&kind) && !name.is_empty() {
                let labels = options
                    .iter()
                    .filter_map(|(key, label)| Some((key.clone(), html_to_text(label.as_str()?))))
                    .collect();
                lists.insert(name.to_owned(), labels);
            }
        }
        let mut entries: Vec<(String, String)> = self
            .entries(http, "/entries&fields=id_fiche,date_maj_fiche")?
            .into_iter()
            .map(|(id, entry)| {
                let updated =
                    entry.get("date_maj_fiche").and_then(Value::as_str).unwrap_or_default().to_owned();
                (id, updated)
            })
            .collect();
        let skipped = at_most_max_pages(&mut entries, |(id, _)| id);
        // YesWiki has no licence setting: the source's applies.
        let site = self.settings.site(Software::YesWiki, None, None);
        let revision = {
            let mut parts = vec![READER_VERSION.to_owned(), self.api(""), format!("{lists:?}")];
            parts.extend(entries.iter().map(|(id, updated)| format!("{id}\t{updated}")));
            digest(parts.iter().map(String::as_str))
        };
        Ok(Listing {
            site,
            lists,
            entries: entries.into_iter().map(|(id, _)| id).collect(),
            skipped,
            revision,
        })
    }

    /// Reads the listed entries with their HTML, in one answer: when it cannot be read, nothing is.
    fn read(&self, http: &WikiHttp, listing: &Listing, cache: &mut PageCache) -> Result<Batch, WikiError> {
        // Sites older than the `html` output give the entries only: their texts are then read as
        // YesWiki syntax here.
        let entries = match self.entries(http, "/entries/html") {
            Err(WikiError::NotFound { .. }) => self.entries(http, "/entries")?,
            entries => entries?,
        };
        let read = |id: &String| match entries.get(id) {
            Some(entry) => self.entry(listing, id, entry),
            None => Err(WikiError::Refused("entrée supprimée depuis la liste".into())),
        };
        let revision_of = |id: &String| (id.clone(), String::new());
        Ok(listing.site.read_pages(&listing.skipped, &listing.entries, cache, revision_of, read))
    }

    fn revision(listing: &Listing) -> &str {
        &listing.revision
    }
}

/// A description without the wiki's rendering: HTML as it is (it is sanitised later), else
/// YesWiki's syntax.
fn description_html(text: &str, base: &Url) -> String {
    if text.contains('<') {
        return text.to_owned();
    }
    markup::to_html(text, &YesWikiLinks { base })
}

/// Links as YesWiki writes them: `[[PageWiki mots]]` leads to `?PageWiki`.
struct YesWikiLinks<'a> {
    base: &'a Url,
}

impl Dialect for YesWikiLinks<'_> {
    fn syntax(&self) -> Syntax {
        Syntax::YesWiki
    }

    fn page_url(&self, name: &str) -> Option<Url> {
        name.chars().all(char::is_alphanumeric).then(|| self.base.join(&format!("?{name}")).ok()).flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_in_yeswiki_syntax_become_html() {
        let base = Url::parse("https://site.example/").unwrap();
        assert_eq!(description_html("<p>Déjà</p>", &base), "<p>Déjà</p>");
        let text = "===Un titre===\r\nUn **gros** mot et //un autre// & __souligné__.\nSuite.\n\n - un\n - deux [[https://framasoft.org Framasoft]]\nVoir [[PagePrincipale l'accueil]] ou [[javascript:alert(1) rien]], 2 ** 3.";
        assert_eq!(
            description_html(text, &base),
            "<h4>Un titre</h4><p>Un <strong>gros</strong> mot et <em>un autre</em> &amp; <u>souligné</u>.<br>Suite.</p>\
             <ul><li>un</li><li>deux <a href=\"https://framasoft.org/\">Framasoft</a></li></ul>\
             <p>Voir <a href=\"https://site.example/?PagePrincipale\">l'accueil</a> ou rien, 2 ** 3.</p>"
        );
    }
}

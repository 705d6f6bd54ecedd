//! `/recherche`: the search as a page of the server, in French — what a `<bao-search>` form
//! sends before any script runs or where none runs, with the element's facets as links and its
//! results as the library's tiles, a page at a time; kept out of search engines (`noindex`).

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use bao_contract::{FacetCount, Facets, Kind, MAX_QUERY_CHARS, percent_encode};
use serde::Deserialize;

use super::error::{ApiError, ApiQuery};
use super::pages::{CountedLink, Tile};
use crate::AppState;
use crate::search::SearchRequest;

/// Results on a page.
const RESULTS_PAGE: usize = 20;
/// The deepest page offered: nobody reads further, and it bounds the work.
const LAST_PAGE: usize = 50;

/// Query string of `/recherche`, in the words of the shortcode (`reseau`, `etiquette`, `type`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ResultsParams {
    q: String,
    reseau: String,
    etiquette: String,
    #[serde(rename = "type")]
    kind: String,
    page: String,
}

/// The facets a results page narrows by: their heading, and their name in the address.
const FACETS: [(&str, &str); 3] = [("Réseaux", "reseau"), ("Types", "type"), ("Thèmes", "etiquette")];

/// The counts of the facet named `name` in the address.
fn counts_of<'a>(facets: &'a Facets, name: &str) -> &'a [FacetCount] {
    match name {
        "reseau" => &facets.network,
        "type" => &facets.kind,
        _ => &facets.tag,
    }
}

impl ResultsParams {
    /// The value of the facet named `name` in the address ('' when not set).
    fn value(&self, name: &str) -> &str {
        match name {
            "reseau" => &self.reseau,
            "type" => &self.kind,
            _ => &self.etiquette,
        }
    }

    /// The filters set, as (name in the address, value).
    fn filters(&self) -> impl Iterator<Item = (&'static str, &str)> {
        FACETS.into_iter().map(|(_, name)| (name, self.value(name))).filter(|(_, value)| !value.is_empty())
    }

    /// This search's address with `change` made to its filters, from its first page.
    fn address(&self, change: Option<(&str, &str)>) -> String {
        let changed = change.map(|(name, _)| name);
        let mut pairs: Vec<(&str, &str)> = vec![("q", &self.q)];
        for (name, value) in self.filters() {
            if changed != Some(name) {
                pairs.push((name, value));
            }
        }
        pairs.extend(change.filter(|(_, value)| !value.is_empty()));
        let query: Vec<String> =
            pairs.iter().map(|(name, value)| format!("{name}={}", percent_encode(value))).collect();
        format!("/recherche?{}", query.join("&"))
    }
}

#[derive(Template)]
#[template(path = "results.html")]
struct ResultsPage {
    q: String,
    /// What the search found, as a sentence.
    summary: String,
    /// The filters set: their label and the address without them.
    filters: Vec<(String, String)>,
    /// The hidden fields that keep the filters when the words change.
    kept: Vec<(&'static str, String)>,
    /// Facets to narrow by: a group's title, then its values.
    groups: Vec<(&'static str, Vec<CountedLink>)>,
    tiles: Vec<Tile>,
    page: usize,
    previous: Option<String>,
    next: Option<String>,
}

/// `GET /recherche?q=&reseau=&etiquette=&type=&page=`. Words beyond what the API takes are cut,
/// an unknown type is ignored, a page that is no number is the first and one beyond the last
/// offered is the last: a visitor's address always gets a page.
pub async fn results_page(
    State(state): State<AppState>,
    ApiQuery(mut params): ApiQuery<ResultsParams>,
) -> Result<Html<String>, ApiError> {
    params.q = params.q.trim().chars().take(MAX_QUERY_CHARS).collect();
    let kind = Kind::parse(&params.kind);
    if kind.is_none() {
        params.kind.clear();
    }
    let page = params.page.parse::<usize>().unwrap_or(1).clamp(1, LAST_PAGE);
    let given = |value: &str| Some(value.to_owned()).filter(|value| !value.is_empty());
    let request = SearchRequest {
        q: params.q.clone(),
        network: given(&params.reseau),
        tag: given(&params.etiquette),
        kind,
        licence: None,
        limit: RESULTS_PAGE,
        offset: (page - 1) * RESULTS_PAGE,
    };
    let index = state.search.clone();
    let results = tokio::task::spawn_blocking(move || index.search(&request)).await??;

    let found = crate::french::counted(&results.total, "ressource", "ressources");
    let summary = match (params.q.is_empty(), results.total) {
        (_, 0) => "Aucune ressource ne correspond : essayez d'autres mots, ou retirez un filtre.".to_owned(),
        (true, _) => format!("{found}, les plus récentes d'abord."),
        (false, _) => format!("{found} pour « {} », les plus proches d'abord.", params.q),
    };
    let link = |name: &str, count: &FacetCount| CountedLink {
        label: count.label.clone(),
        address: params.address(Some((name, &count.value))),
        count: count.count,
    };
    let groups = FACETS
        .into_iter()
        .map(|(title, name)| (title, name, counts_of(&results.facets, name)))
        .filter(|(_, name, counts)| params.value(name).is_empty() && counts.len() > 1)
        .map(|(title, name, counts)| (title, counts.iter().map(|count| link(name, count)).collect()))
        .collect();
    let filters = params
        .filters()
        .map(|(name, value)| {
            let known = counts_of(&results.facets, name).iter().find(|count| count.value == value);
            let label = known.map_or_else(|| value.to_owned(), |count| count.label.clone());
            (label, params.address(Some((name, ""))))
        })
        .collect();
    let kept = params.filters().map(|(name, value)| (name, value.to_owned())).collect();
    let page_address = |number: usize| format!("{}&page={number}", params.address(None));
    let shown = page * RESULTS_PAGE;
    let view = ResultsPage {
        summary,
        filters,
        kept,
        groups,
        tiles: results.items.into_iter().map(|hit| Tile::of_hit(hit.resource, &hit.snippet)).collect(),
        previous: (page > 1).then(|| page_address(page - 1)),
        next: (u64::try_from(shown).unwrap_or(u64::MAX) < results.total && page < LAST_PAGE)
            .then(|| page_address(page + 1)),
        page,
        q: params.q,
    };
    Ok(Html(view.render()?))
}

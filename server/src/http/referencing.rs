//! What lets others find the commons and follow it: an Atom feed of new and updated resources
//! (`/feed.xml`, `?network=`), a sitemap of every canonical page with its last change
//! (`/sitemap.xml`, an index of parts past 50 000 addresses), and `robots.txt` pointing to it.

use askama::Template;
use axum::extract::{Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::error::{ApiError, ApiQuery};
use super::links;
use crate::AppState;
use crate::french::counted;

/// Entries of the feed: the latest changes.
const FEED_ENTRIES: u32 = 50;
/// Addresses of one sitemap at most (the protocol's limit).
const SITEMAP_URLS: u64 = 50_000;

#[derive(Template)]
#[template(path = "feed.xml")]
struct Feed {
    self_url: String,
    home: String,
    title: String,
    updated: String,
    entries: Vec<Entry>,
}

struct Entry {
    page: String,
    title: String,
    at: String,
    authors: Vec<String>,
    network: String,
    tags: Vec<String>,
    licence: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "sitemap.xml")]
struct Sitemap {
    /// Each address with its last change.
    urls: Vec<(String, Option<String>)>,
    /// The parts of an index, when there are too many addresses for one sitemap.
    parts: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedParams {
    network: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SitemapParams {
    part: Option<u64>,
}

/// `GET /feed.xml?network=`: the latest resources written, latest first.
pub async fn feed(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<FeedParams>,
    request: Request,
) -> Result<Response, ApiError> {
    let origin = links::public_origin(request.headers());
    let network = params.network.clone();
    let (written, networks) = state
        .query(move |db| Ok((db.recently_written(network.as_deref(), FEED_ENTRIES)?, db.networks()?)))
        .await?;
    let title = match &params.network {
        None => "Communs multiBàO : nouveautés".to_owned(),
        Some(id) => match networks.iter().find(|known| known.network.id == *id) {
            Some(known) => format!("Communs multiBàO : nouveautés de {}", known.network.name),
            None => return Err(ApiError::NotFound(format!("Aucun réseau n'a l'identifiant « {id} »."))),
        },
    };
    let feed = Feed {
        self_url: format!("{origin}{}", links::feed(params.network.as_deref())),
        home: format!("{origin}/"),
        title,
        // An empty feed still says when it was last looked at: now.
        updated: written.first().map_or_else(crate::calendar::now_rfc3339, |(_, at)| at.clone()),
        entries: written
            .into_iter()
            .map(|(resource, at)| Entry {
                page: format!("{origin}{}", links::resource_page(&resource.id)),
                title: resource.title,
                at,
                authors: resource.authors,
                network: resource.network.name,
                tags: resource.tags,
                licence: resource.licence.label,
                summary: resource.summary,
            })
            .collect(),
    };
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], feed.render()?).into_response())
}

/// `GET /sitemap.xml[?part=N]`: the home page and every resource's page with its last change.
pub async fn sitemap(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<SitemapParams>,
    request: Request,
) -> Result<Response, ApiError> {
    let origin = links::public_origin(request.headers());
    let count = state.query(|db| db.resource_count()).await?;
    let parts = count.div_ceil(SITEMAP_URLS);
    let sitemap = match params.part {
        None if parts > 1 => Sitemap {
            urls: Vec::new(),
            parts: (1..=parts).map(|part| format!("{origin}{}", links::sitemap(Some(part)))).collect(),
        },
        Some(part) if part == 0 || part > parts.max(1) => {
            let parts = counted(&parts.max(1), "partie", "parties");
            return Err(ApiError::NotFound(format!("Le plan du site n'a que {parts}.")));
        }
        part => {
            let skip = (part.unwrap_or(1) - 1) * SITEMAP_URLS;
            let ids = state.query(move |db| db.ids_with_changes(skip, SITEMAP_URLS)).await?;
            let mut urls = vec![(format!("{origin}/"), None)];
            urls.extend(ids.into_iter().map(|(id, at)| {
                (format!("{origin}{}", links::resource_page(&id)), at.map(|at| at.chars().take(10).collect()))
            }));
            Sitemap { urls, parts: Vec::new() }
        }
    };
    Ok(([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], sitemap.render()?).into_response())
}

/// `GET /robots.txt`: pages are for everyone; the machine answers are not pages to index.
pub async fn robots(request: Request) -> Response {
    let origin = links::public_origin(request.headers());
    let text = format!(
        "User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /fragments/\nDisallow: /lien\n\nSitemap: {origin}{}\n",
        links::sitemap(None)
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

//! Server-rendered HTML: the home page (`/`), a page per network (`/reseaux/{id}`) and per theme
//! (`/themes/{tag}`), and the canonical page of each resource (`/r/{id}`), the link every card
//! points to, readable without JavaScript, with its oEmbed discovery link and its schema.org
//! description (JSON-LD) for search engines and reusers.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use bao_contract::{Kind, Network, NetworkRef, Resource, SourceQuality, Testimonial, percent_encode};
use serde::Deserialize;
use serde_json::json;

use super::error::{ApiError, ApiPath, ApiQuery};
use super::links::{self, public_origin};
use super::painted::PaintedElement;
use crate::AppState;
use crate::sources::text::truncate_words;
use crate::store::{Database, DbError, ListFilter, Lookup, TestimonialFilter};
use bao_widget::render::{self, Context, Placement};

#[derive(Template)]
#[template(path = "resource.html")]
struct ResourcePage<'a> {
    resource: &'a Resource,
    /// The resource's card, unfolded: the same view as in other sites' pages.
    card: String,
    has_bundle: bool,
    page_url: String,
    oembed_url: String,
    json_url: String,
    json_ld: String,
    /// Where the text it is shown from can be edited.
    edit_url: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    /// The networks that have resources here.
    networks: Vec<Network>,
    /// The resources written last.
    news: Vec<Tile>,
    /// The themes most resources share, each with how many resources carry it.
    themes: Vec<CountedLink>,
    /// Filmed testimonies.
    testimonies: Vec<Tile>,
    total: u64,
    has_demo: bool,
    /// The sources followed (id, network's name): each has its quality report.
    sources: Vec<(String, String)>,
}

/// A resource as a list of the library shows it (`templates/tile.html`): its title (as a sentence
/// when its source wrote it in capitals), what it is, who writes it, its summary and licence.
pub(super) struct Tile {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) kind: &'static str,
    pub(super) network: String,
    pub(super) summary: String,
    pub(super) licence: String,
}

impl Tile {
    fn of(resource: Resource) -> Tile {
        let summary = truncate_words(&resource.summary, TILE_SUMMARY_CHARS);
        Tile::with_summary(resource, summary)
    }

    /// A search's hit: the passage that matched in place of the summary, when one did.
    pub(super) fn of_hit(resource: Resource, snippet: &str) -> Tile {
        match snippet.trim() {
            "" => Tile::of(resource),
            passage => Tile::with_summary(resource, truncate_words(passage, TILE_SUMMARY_CHARS)),
        }
    }

    fn with_summary(resource: Resource, summary: String) -> Tile {
        Tile {
            title: crate::french::as_sentence(&resource.title).into_owned(),
            kind: resource.kind.label_fr(),
            network: resource.network.name,
            summary,
            licence: resource.licence.label,
            id: resource.id,
        }
    }
}

/// A link to a list of resources, with how many it holds (a theme, a facet of a search).
pub(super) struct CountedLink {
    pub(super) label: String,
    pub(super) address: String,
    pub(super) count: u64,
}

/// How much of a summary a tile shows.
const TILE_SUMMARY_CHARS: usize = 180;
/// Resources on the home page's « Nouveautés », and testimonies under them.
const HOME_NEWS: u32 = 6;
/// Resources on a page of a shelf (a network's, a theme's).
const SHELF_PAGE: u32 = 24;
/// Themes the home page offers to browse.
const HOME_THEMES: u32 = 12;

/// `GET /`: the library's home page, in French: the search box, what is new, its themes, the
/// networks that write it, filmed testimonies, how to embed, and the open data — readable
/// without JavaScript.
pub async fn home_page(State(state): State<AppState>) -> Result<Html<String>, ApiError> {
    let (networks, news, themes, testimonies) = state
        .query(|db| {
            let networks: Vec<Network> =
                db.networks()?.into_iter().filter(|network| network.resource_count > 0).collect();
            let news = db.recently_written(None, HOME_NEWS)?.into_iter().map(|(resource, _)| resource);
            let themes = db.themes(HOME_THEMES)?.into_iter().map(|(tag, count)| {
                let shelf = Shelf::Theme(tag);
                CountedLink { label: shelf.heading(), address: shelf.path(), count }
            });
            let filter = TestimonialFilter { limit: HOME_NEWS, ..TestimonialFilter::default() };
            let testimonies = db.testimonials(&filter)?.into_iter().map(|testimony| testimony.resource);
            Ok((
                networks,
                news.map(Tile::of).collect(),
                themes.collect(),
                testimonies.map(Tile::of).collect(),
            ))
        })
        .await?;
    let total = networks.iter().map(|network| network.resource_count).sum();
    let sources =
        state.sources.iter().map(|source| (source.id.clone(), source.network.name.clone())).collect();
    let page =
        HomePage { networks, news, themes, testimonies, total, has_demo: state.demo_dir.is_some(), sources };
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "shelf.html")]
struct ShelfPage {
    shelf: Shelf,
    heading: String,
    /// The shelf's own address, its first page.
    path: String,
    count: u64,
    tiles: Vec<Tile>,
    page: u32,
    per_page: u64,
    /// The last id of this page, when another follows.
    next: Option<String>,
}

/// What a shelf of the library gathers.
enum Shelf {
    /// What one network writes (`/reseaux/{id}`).
    Network(NetworkRef),
    /// What every network tagged with one theme (`/themes/{tag}`).
    Theme(String),
}

/// Query string of a shelf: where the page starts (after this id) and its number.
#[derive(Debug, Deserialize)]
pub struct ShelfParams {
    apres: Option<String>,
    page: Option<u32>,
}

/// The page of a network id or theme that names none (an old link): it says so and leads to the
/// library.
#[derive(Template)]
#[template(
    source = r#"{% extends "layout.html" %}{% block title %}{{ what }} introuvable — multiBàO{% endblock %}{% block head %}<link rel="stylesheet" href="/page.css">{% endblock %}{% block body %}<main><h1>{{ what }} introuvable</h1><p>{{ sentence }} <a href="/#{{ anchor }}">Retour à la bibliothèque</a></p></main>{% endblock %}"#,
    ext = "html"
)]
struct NoSuchShelf {
    what: &'static str,
    sentence: String,
    anchor: &'static str,
}

impl Shelf {
    fn heading(&self) -> String {
        match self {
            Shelf::Network(network) => network.name.clone(),
            Shelf::Theme(tag) => crate::french::theme_name(tag),
        }
    }

    fn path(&self) -> String {
        match self {
            Shelf::Network(network) => format!("/reseaux/{}", percent_encode(&network.id)),
            Shelf::Theme(tag) => format!("/themes/{}", percent_encode(tag)),
        }
    }
}

/// `GET /reseaux/{id}?apres=&page=`: a network's resources, [`SHELF_PAGE`] a page.
pub async fn network_page(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(params): ApiQuery<ShelfParams>,
) -> Result<Response, ApiError> {
    let filter = ListFilter { network: Some(id.clone()), ..ListFilter::default() };
    let missing = NoSuchShelf {
        what: "Réseau",
        sentence: format!("Aucun réseau de cette bibliothèque n'a l'identifiant « {id} »."),
        anchor: "reseaux",
    };
    shelf_page(&state, params, filter, missing, move |db| {
        let network = db.networks()?.into_iter().find(|network| network.network.id == id);
        Ok(network.map(|network| (Shelf::Network(network.network), network.resource_count)))
    })
    .await
}

/// `GET /themes/{tag}?apres=&page=`: the resources of every network that carry one tag.
pub async fn theme_page(
    State(state): State<AppState>,
    ApiPath(tag): ApiPath<String>,
    ApiQuery(params): ApiQuery<ShelfParams>,
) -> Result<Response, ApiError> {
    let filter = ListFilter { tag: Some(tag.clone()), ..ListFilter::default() };
    let missing = NoSuchShelf {
        what: "Thème",
        sentence: format!("Aucune ressource de cette bibliothèque ne porte le thème « {tag} »."),
        anchor: "themes",
    };
    shelf_page(&state, params, filter, missing, move |db| {
        let count = db.tag_count(&tag)?;
        Ok((count > 0).then_some((Shelf::Theme(tag), count)))
    })
    .await
}

/// One page of a shelf that `find` names, or the page saying it names none (404).
async fn shelf_page(
    state: &AppState,
    params: ShelfParams,
    filter: ListFilter,
    missing: NoSuchShelf,
    find: impl FnOnce(&Database) -> Result<Option<(Shelf, u64)>, DbError> + Send + 'static,
) -> Result<Response, ApiError> {
    let filter =
        ListFilter { after_id: params.apres.filter(|after| !after.is_empty()), limit: SHELF_PAGE, ..filter };
    let found = state
        .query(move |db| match find(db)? {
            Some(shelf) => Ok(Some((shelf, db.list(&filter)?))),
            None => Ok(None),
        })
        .await?;
    let Some(((shelf, count), list)) = found else {
        return Ok((StatusCode::NOT_FOUND, Html(missing.render()?)).into_response());
    };
    let page = ShelfPage {
        heading: shelf.heading(),
        path: shelf.path(),
        shelf,
        count,
        tiles: list.items.into_iter().map(Tile::of).collect(),
        page: params.page.unwrap_or(1).max(1),
        per_page: u64::from(SHELF_PAGE),
        next: list.next_cursor,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Template)]
#[template(path = "quality.html")]
struct QualityPage {
    report: SourceQuality,
}

/// `GET /sources/{id}/qualite`: the quality report of a source, in French, for the network that
/// writes it: what each of its texts leaves the commons to guess, and where to write it.
pub async fn quality_page(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Html<String>, ApiError> {
    let report = super::api::quality_of(&state, id).await?;
    Ok(Html(QualityPage { report }.render()?))
}

#[derive(Template)]
#[template(path = "not_found.html")]
struct NotFoundPage<'a> {
    id: &'a str,
    /// The title of a resource its network withdrew.
    withdrawn: Option<&'a str>,
}

/// `GET /r/{id}`; an id that was renamed redirects to the resource's id of today.
pub async fn resource_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let lookup_id = id.clone();
    let (lookup, testimonial) = state
        .query(move |db| {
            let lookup = db.lookup(&lookup_id)?;
            let testimonial = match &lookup {
                Lookup::Found(resource) if resource.kind == Kind::Video => {
                    let filter = TestimonialFilter {
                        id: Some(resource.id.clone()),
                        limit: 1,
                        ..TestimonialFilter::default()
                    };
                    db.testimonials(&filter)?.into_iter().next().map(links::testimonial)
                }
                _ => None,
            };
            Ok((lookup, testimonial))
        })
        .await?;
    Ok(match lookup {
        Lookup::Found(resource) => {
            let resource = links::with_served_media(*resource);
            let origin = public_origin(&headers);
            let card = PaintedElement {
                name: "bao-card",
                attributes: vec![("resource", resource.id.clone()), ("theme", "light".into())],
                view: Some(render::card(
                    resource.clone(),
                    Placement::OwnPage,
                    &Context { api_base: &format!("{origin}/"), lang: "fr" },
                )),
                stylesheet: state.stylesheet("bao-card"),
                fallback_link: None,
                fallback_text: &resource.title,
            }
            .render()?;
            let page =
                render_resource(&resource, card, state.bundle.is_some(), testimonial.as_ref(), &origin)?;
            Html(page).into_response()
        }
        Lookup::Renamed(current_id) => {
            Redirect::permanent(&links::resource_page(&current_id)).into_response()
        }
        Lookup::Withdrawn { title, .. } => {
            let page = NotFoundPage { id: &id, withdrawn: Some(&title) };
            (StatusCode::GONE, Html(page.render()?)).into_response()
        }
        Lookup::Unknown => {
            (StatusCode::NOT_FOUND, Html(NotFoundPage { id: &id, withdrawn: None }.render()?)).into_response()
        }
    })
}

fn render_resource(
    resource: &Resource,
    card: String,
    has_bundle: bool,
    testimonial: Option<&Testimonial>,
    origin: &str,
) -> Result<String, askama::Error> {
    let page_url = format!("{origin}{}", links::resource_page(&resource.id));
    ResourcePage {
        resource,
        card,
        has_bundle,
        oembed_url: format!("{origin}/oembed?url={}&format=json", percent_encode(&page_url)),
        json_url: links::resource_json(&resource.id),
        json_ld: json_ld(resource, testimonial, origin),
        edit_url: resource.sources.first().and_then(|source| source.edit_url.as_deref()),
        page_url,
    }
    .render()
}

/// The resource described with schema.org: `LearningResource` for a fiche, `Article` for a written
/// testimony, `VideoObject` for a filmed one, with its licence, authors, publisher and source.
/// Safe inside `<script>`: every `<` is written `\u003c`.
fn json_ld(resource: &Resource, testimonial: Option<&Testimonial>, origin: &str) -> String {
    let absolute = |url: &str| links::absolute(origin, url);
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": match resource.kind {
            Kind::Fiche => "LearningResource",
            Kind::Temoignage => "Article",
            Kind::Video => "VideoObject",
        },
        "name": resource.title,
        "description": resource.summary,
        "url": format!("{origin}{}", links::resource_page(&resource.id)),
        "inLanguage": resource.lang,
        "license": resource.licence.url.clone().unwrap_or_else(|| resource.licence.label.clone()),
        "author": resource.authors.iter().map(|name| json!({"@type": "Person", "name": name})).collect::<Vec<_>>(),
        "publisher": {"@type": "Organization", "name": resource.network.name, "url": resource.network.url},
        "keywords": resource.tags.join(", "),
    });
    if let Some(image) = &resource.image {
        value["image"] = json!(absolute(&image.url));
    }
    if let Some(source) = &resource.source_url {
        value["isBasedOn"] = json!(source);
    }
    if let Some(updated) = &resource.updated {
        value["dateModified"] = json!(updated);
    }
    if let Some(Testimonial { video, .. }) = testimonial {
        value["embedUrl"] = json!(absolute(&video.embed_url));
        value["thumbnailUrl"] = json!(absolute(&video.poster_url));
        if let Some(seconds) = video.duration_seconds {
            value["duration"] = json!(format!("PT{}M{}S", seconds / 60, seconds % 60));
        }
        if let Some(transcript) = &video.transcript {
            value["transcript"] = json!(transcript);
        }
    }
    value.to_string().replace('<', "\\u003c")
}

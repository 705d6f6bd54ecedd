//! Server-rendered HTML: the home page (`/`), and the canonical page of each resource (`/r/{id}`),
//! the link every card points to, readable without JavaScript, with its oEmbed discovery link and
//! its schema.org description (JSON-LD) for search engines and reusers.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use bao_contract::{Kind, Network, NetworkRef, Resource, SourceQuality, Testimonial, percent_encode};
use serde_json::json;

use super::error::{ApiError, ApiPath};
use super::links::{self, public_origin};
use super::painted::PaintedElement;
use crate::AppState;
use crate::store::{ListFilter, Lookup, TestimonialFilter};
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
    networks: Vec<Network>,
    groups: Vec<NetworkGroup>,
    total: u64,
    has_demo: bool,
    /// The sources followed (id, network's name): each has its quality report.
    sources: Vec<(String, String)>,
}

/// A network and the first of its resources, on the home page.
struct NetworkGroup {
    network: NetworkRef,
    count: u64,
    resources: Vec<Resource>,
}

/// Resources listed per network on the home page; the search finds the rest.
const HOME_PER_NETWORK: u32 = 100;

/// `GET /`: the library's home page, in French: what it is, a search box, every network with its
/// resources (readable without JavaScript), and how to embed them.
pub async fn home_page(State(state): State<AppState>) -> Result<Html<String>, ApiError> {
    let (networks, groups) = state
        .query(|db| {
            let networks = db.networks()?;
            let mut groups = Vec::new();
            for network in networks.iter().filter(|network| network.resource_count > 0) {
                let filter = ListFilter {
                    network: Some(network.network.id.clone()),
                    limit: HOME_PER_NETWORK,
                    ..ListFilter::default()
                };
                groups.push(NetworkGroup {
                    network: network.network.clone(),
                    count: network.resource_count,
                    resources: db.list(&filter)?.items,
                });
            }
            Ok((networks, groups))
        })
        .await?;
    let total = groups.iter().map(|group| group.count).sum();
    let networks = networks.into_iter().filter(|network| network.resource_count > 0).collect();
    let sources =
        state.sources.iter().map(|source| (source.id.clone(), source.network.name.clone())).collect();
    Ok(Html(HomePage { networks, groups, total, has_demo: state.demo_dir.is_some(), sources }.render()?))
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

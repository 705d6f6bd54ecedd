//! The elements' first views as HTML fragments (`/fragments/…`), rendered with the widget's own
//! view code (`bao_widget::render`): embed.js puts them into each element's shadow root as soon
//! as they arrive, so a visitor reads content before any wasm is loaded — a card needs none.
//! embed.js asks a page's views at once (`/fragments?v=…`); each view's own address
//! (`/fragments/card/{id}`…) stays, for loaders of before still in caches.
//! They carry no script and no inline style; their stylesheets are the bundle's files.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bao_contract::elements::{
    CARD, CardAttributes, CarouselAttributes, MAX_VIEWS_PER_REQUEST, SEARCH, SearchAttributes, TESTIMONIALS,
};
use bao_widget::render::{self, Context, Placement};
use serde::{Deserialize, Serialize};

use super::error::{ApiError, ApiPath, ApiQuery};
use super::links;
use crate::AppState;
use crate::store::TestimonialFilter;

/// One element's first view: 200, or for a card whose id names no resource 404 (410: one its
/// network withdrew), with the word on why, which the host's own link follows.
#[derive(Debug, Serialize)]
pub struct View {
    #[serde(serialize_with = "status_number")]
    status: StatusCode,
    html: String,
}

fn status_number<S: serde::Serializer>(status: &StatusCode, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u16(status.as_u16())
}

impl IntoResponse for View {
    fn into_response(self) -> Response {
        (
            self.status,
            [(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"))],
            self.html,
        )
            .into_response()
    }
}

/// `GET /fragments/card/{id}?lang=`: the card.
pub async fn card(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
    ApiQuery(attributes): ApiQuery<CardAttributes>,
) -> Result<View, ApiError> {
    card_view(&state, &links::public_base(&headers), &id, &attributes).await
}

/// `GET /fragments/search?network=&tag=&kind=&placeholder=&limit=&open=&lang=`: the search box
/// before the visitor types.
pub async fn search(headers: HeaderMap, ApiQuery(attributes): ApiQuery<SearchAttributes>) -> View {
    search_view(&links::public_base(&headers), attributes)
}

/// `GET /fragments/testimonials?network=&tag=&limit=&lang=`: the carousel on its first slide.
pub async fn testimonials(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(attributes): ApiQuery<CarouselAttributes>,
) -> Result<View, ApiError> {
    carousel_view(&state, &links::public_base(&headers), &attributes).await
}

/// `GET /fragments?v=card?resource=ID&v=search?limit=5…`: the first views of several elements,
/// each `v` an element's fragment name and its attributes as a query (a card's id as
/// `resource`), answered as a JSON list of `{status, html}` in the order asked — one request, and
/// one cached answer, for every element of a page.
pub async fn bundle(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let asked: Vec<(String, String)> = serde_urlencoded::from_str(query.as_deref().unwrap_or(""))
        .map_err(|_| ApiError::BadRequest("La requête n'est pas une liste de vues (`v=…`).".into()))?;
    let specs: Vec<String> =
        asked.into_iter().filter(|(name, _)| name == "v").map(|(_, spec)| spec).collect();
    if specs.is_empty() || specs.len() > MAX_VIEWS_PER_REQUEST {
        return Err(ApiError::BadRequest(format!(
            "Demandez de 1 à {MAX_VIEWS_PER_REQUEST} vues (`v=card?resource=…`), {} reçues.",
            specs.len()
        )));
    }
    let api_base = links::public_base(&headers);
    let mut views = Vec::with_capacity(specs.len());
    for spec in &specs {
        views.push(view(&state, &api_base, spec).await?);
    }
    Ok(Json(views).into_response())
}

/// The view a bundle's `v` names.
async fn view(state: &AppState, api_base: &str, spec: &str) -> Result<View, ApiError> {
    let (fragment, query) = spec.split_once('?').unwrap_or((spec, ""));
    fn read<T: serde::de::DeserializeOwned>(query: &str) -> Result<T, ApiError> {
        serde_urlencoded::from_str(query)
            .map_err(|_| ApiError::BadRequest(format!("« {query} » : attributs illisibles.")))
    }
    if fragment == CARD.fragment {
        /// A card's attributes with its id.
        #[derive(Deserialize)]
        struct Keyed {
            #[serde(default)]
            resource: String,
            #[serde(flatten)]
            attributes: CardAttributes,
        }
        let Keyed { resource, attributes } = read(query)?;
        if resource.is_empty() {
            return Err(ApiError::BadRequest(format!(
                "« {spec} » : une carte se demande avec son id (`resource=`)."
            )));
        }
        card_view(state, api_base, &resource, &attributes).await
    } else if fragment == SEARCH.fragment {
        Ok(search_view(api_base, read(query)?))
    } else if fragment == TESTIMONIALS.fragment {
        carousel_view(state, api_base, &read(query)?).await
    } else {
        Err(ApiError::BadRequest(format!("« {spec} » ne désigne la vue d'aucun élément.")))
    }
}

async fn card_view(
    state: &AppState,
    api_base: &str,
    id: &str,
    attributes: &CardAttributes,
) -> Result<View, ApiError> {
    let context = Context { api_base, lang: &attributes.lang };
    let (status, html) = match state.current_resource(id).await {
        Ok(resource) => (StatusCode::OK, render::card(resource, Placement::Embedded, &context)),
        Err(ApiError::NotFound(_)) => (StatusCode::NOT_FOUND, render::missing_card(false, &context)),
        Err(ApiError::Gone(_)) => (StatusCode::GONE, render::missing_card(true, &context)),
        Err(error) => return Err(error),
    };
    Ok(View { status, html })
}

fn search_view(api_base: &str, attributes: SearchAttributes) -> View {
    View { status: StatusCode::OK, html: render::search_box(attributes, api_base) }
}

async fn carousel_view(
    state: &AppState,
    api_base: &str,
    attributes: &CarouselAttributes,
) -> Result<View, ApiError> {
    let items = carousel_items(state, attributes).await?;
    let html = render::carousel(items, &Context { api_base, lang: &attributes.lang });
    Ok(View { status: StatusCode::OK, html })
}

/// The testimonies a carousel with these attributes shows.
pub async fn carousel_items(
    state: &AppState,
    attributes: &CarouselAttributes,
) -> Result<Vec<bao_contract::Testimonial>, ApiError> {
    let given = |value: &str| Some(value.to_owned()).filter(|value| !value.is_empty());
    let filter = TestimonialFilter {
        id: None,
        network: given(&attributes.network),
        tag: given(&attributes.tag),
        limit: attributes.limit(),
    };
    let stored = state.query(move |db| db.testimonials(&filter)).await?;
    Ok(stored.into_iter().map(links::testimonial).collect())
}

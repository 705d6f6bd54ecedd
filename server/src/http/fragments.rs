//! The elements' first views as HTML fragments (`/fragments/…`), rendered with the widget's own
//! view code (`bao_widget::render`): embed.js puts them into each element's shadow root as soon
//! as they arrive, so a visitor reads content before any wasm is loaded — a card needs none.
//! They carry no script and no inline style; their stylesheets are the bundle's files.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bao_widget::render::{self, Context, Placement};
use serde::Deserialize;

use super::error::{ApiError, ApiPath, ApiQuery};
use super::links;
use crate::AppState;
use crate::store::TestimonialFilter;

/// The attributes an element passes on, as sent (empty: not set).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ElementParams {
    lang: String,
    network: String,
    tag: String,
    kind: String,
    placeholder: String,
    limit: String,
    open: String,
}

impl ElementParams {
    fn limit(&self, largest: u32) -> u32 {
        element_limit(&self.limit, largest)
    }
}

/// A `limit` attribute as the element reads it: a positive number, else 8; at most `largest`.
pub fn element_limit(text: &str, largest: u32) -> u32 {
    text.parse::<u32>().ok().filter(|limit| *limit > 0).unwrap_or(8).min(largest)
}

/// `GET /fragments/card/{id}?lang=`: the card; for an id that names no resource (404) or a
/// withdrawn one (410), the word on why, above the host's own link.
pub async fn card(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
    ApiQuery(params): ApiQuery<ElementParams>,
) -> Result<Response, ApiError> {
    let api_base = links::public_base(&headers);
    let context = Context { api_base: &api_base, lang: &params.lang };
    match state.current_resource(&id).await {
        Ok(resource) => Ok(html(StatusCode::OK, render::card(resource, Placement::Embedded, &context))),
        Err(ApiError::NotFound(_)) => Ok(html(StatusCode::NOT_FOUND, render::missing_card(false, &context))),
        Err(ApiError::Gone(_)) => Ok(html(StatusCode::GONE, render::missing_card(true, &context))),
        Err(error) => Err(error),
    }
}

/// `GET /fragments/search?network=&tag=&kind=&placeholder=&limit=&open=&lang=`: the search box
/// before the visitor types.
pub async fn search(headers: HeaderMap, ApiQuery(params): ApiQuery<ElementParams>) -> Response {
    let api_base = links::public_base(&headers);
    let limit = params.limit(bao_contract::MAX_SEARCH_BOX_LIMIT);
    let ElementParams { lang, network, tag, kind, placeholder, open, .. } = params;
    let attributes = render::SearchAttributes { network, tag, kind, placeholder, limit, open };
    html(StatusCode::OK, render::search_box(attributes, &Context { api_base: &api_base, lang: &lang }))
}

/// `GET /fragments/testimonials?network=&tag=&limit=&lang=`: the carousel on its first slide.
pub async fn testimonials(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<ElementParams>,
) -> Result<Response, ApiError> {
    let items = carousel_items(&state, &params.network, &params.tag, &params.limit).await?;
    let api_base = links::public_base(&headers);
    Ok(html(StatusCode::OK, render::carousel(items, &Context { api_base: &api_base, lang: &params.lang })))
}

/// The testimonies a carousel with these attributes shows (empty: not set).
pub async fn carousel_items(
    state: &AppState,
    network: &str,
    tag: &str,
    limit: &str,
) -> Result<Vec<bao_contract::Testimonial>, ApiError> {
    let given = |value: &str| Some(value.to_owned()).filter(|value| !value.is_empty());
    let filter = TestimonialFilter {
        id: None,
        network: given(network),
        tag: given(tag),
        limit: element_limit(limit, bao_contract::MAX_CAROUSEL_LIMIT),
    };
    let stored = state.query(move |db| db.testimonials(&filter)).await?;
    Ok(stored.into_iter().map(links::testimonial).collect())
}

fn html(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"))], body)
        .into_response()
}

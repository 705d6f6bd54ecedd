//! The API's OpenAPI document, generated from the handlers' annotations and the contract's types
//! and served at `/api/v1/openapi.json`: what clients read, and what the API is fuzzed against.

use std::sync::OnceLock;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;

use super::{api, reuse};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "multibao-embed",
        description = "Les fiches et témoignages du commun multiBàO, en lecture, ouverts à toute origine."
    ),
    paths(
        api::resources,
        api::resource,
        api::image,
        api::media,
        api::networks,
        api::sources,
        api::source_quality,
        api::search,
        api::testimonials,
        api::poster,
        api::captions,
        api::changes,
        reuse::beacon,
        reuse::held_counts,
        reuse::stats
    )
)]
struct ApiDocument;

/// `GET /api/v1/openapi.json`.
pub async fn document() -> Response {
    static JSON: OnceLock<String> = OnceLock::new();
    let json = JSON.get_or_init(|| ApiDocument::openapi().to_pretty_json().unwrap_or_default());
    (
        [(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "public, max-age=300")],
        json.as_str(),
    )
        .into_response()
}

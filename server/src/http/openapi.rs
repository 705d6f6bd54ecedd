//! The API's OpenAPI document: its title here, its paths from the router (`http/mod.rs`
//! declares each route once, with its `#[utoipa::path]`), its types from the contract. Served at
//! `/api/v1/openapi.json`: what clients read, and what the API is fuzzed against.

use axum::body::Bytes;
use axum::http::header;
use axum::routing::{MethodRouter, get};
use bao_contract::Problem;
use utoipa::OpenApi;

/// What the document says beside its paths: its title, and the problem every error answer is
/// (its schema, which the shared problem answers of `error::documented` refer to).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "multibao-embed",
        description = "Les fiches et témoignages du commun multiBàO, en lecture, ouverts à toute origine."
    ),
    components(schemas(Problem))
)]
pub struct ApiDocument;

/// `GET /api/v1/openapi.json`: `document` as JSON, written once.
pub fn route<S: Clone + Send + Sync + 'static>(document: &utoipa::openapi::OpenApi) -> MethodRouter<S> {
    let json = Bytes::from(document.to_pretty_json().unwrap_or_default());
    get(move || {
        let json = json.clone();
        async move {
            (
                [(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "public, max-age=300")],
                json,
            )
        }
    })
}

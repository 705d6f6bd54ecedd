//! The multibao-embed companion server as a library: `app()` builds the router that `main` serves
//! and that the tests drive without a network.

pub mod api;
pub mod builder;
pub mod bundle;
pub mod db;
pub mod embed;
pub mod error;
pub mod import;
pub mod pages;
pub mod posters;
pub mod search;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::http::{Method, StatusCode};
use axum::response::Redirect;
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

use crate::bundle::Bundle;
use crate::db::Database;
use crate::search::SearchIndex;

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Database,
    /// The full-text index derived from `db`.
    pub search: SearchIndex,
    /// The built widget; `None` when the server runs without it (API-only).
    pub bundle: Option<Arc<Bundle>>,
    /// Folder of the demo partner page, served under `/demo/` when set.
    pub demo_dir: Option<PathBuf>,
}

impl AppState {
    /// Runs a storage call on the blocking pool: SQLite calls block, handlers must not.
    pub async fn query<T, F>(&self, query: F) -> Result<T, error::ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Database) -> Result<T, db::DbError> + Send + 'static,
    {
        let db = self.db.clone();
        Ok(tokio::task::spawn_blocking(move || query(&db)).await??)
    }
}

/// The whole HTTP surface of the server.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route("/resources", get(api::resources))
        .route("/resources/{id}", get(api::resource))
        .route("/networks", get(api::networks))
        .route("/search", get(api::search))
        .route("/testimonials", get(api::testimonials))
        .route("/testimonials/{id}/poster", get(api::poster))
        .route("/testimonials/{id}/captions/{lang}", get(api::captions))
        .fallback(api::not_found);

    let mut router = Router::new()
        .nest(bao_contract::API_PREFIX, api)
        .route("/embed.js", get(bundle::embed_js))
        .route("/widget/{file}", get(bundle::hashed_file))
        .route("/r/{id}", get(pages::resource_page))
        .route("/oembed", get(embed::oembed))
        .route("/embed/r/{id}", get(embed::card_page))
        .route("/embed/recherche", get(embed::search_page))
        .route("/embed/temoignages", get(embed::testimonials_page))
        .route("/embed-frame.js", get(embed::frame_js))
        .route("/embed-frame.css", get(embed::frame_css))
        .route("/resize.js", get(embed::resize_js))
        .route("/integrer", get(builder::builder_page))
        .route("/integrer.js", get(builder::builder_js))
        .route("/integrer.css", get(builder::builder_css))
        .route("/healthz", get(|| async { "ok" }));
    if let Some(demo_dir) = &state.demo_dir {
        router = router
            .nest_service("/demo", ServeDir::new(demo_dir))
            .route("/", get(|| async { Redirect::temporary("/demo/") }));
    }
    router
        .fallback(|| async { (StatusCode::NOT_FOUND, "Page introuvable.") })
        .layer(
            // Any site may embed the commons; nothing is personal, so no credentials.
            CorsLayer::new().allow_origin(Any).allow_methods([Method::GET, Method::HEAD]),
        )
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

//! The multibao-embed companion server as a library: [`app`] builds the router that `main` serves
//! and that the tests drive without a network. Its layers are its folders: `store/` (SQLite),
//! `sources/` (where content comes from), `search/` (the index), `follow.rs` (keeping both in step
//! with the sources file), and `http/` on top of them; nothing below `http/` imports it.

pub mod address;
pub mod calendar;
pub mod follow;
pub mod french;
pub mod http;
pub mod metrics;
pub mod opendata;
pub mod reuse;
pub mod search;
pub mod sources;
pub mod store;

use std::path::Path;
use std::sync::Arc;

use crate::http::bundle::Bundle;
use crate::search::SearchIndex;
use crate::sources::config::SourceConfig;
use crate::store::Database;

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Database,
    /// The full-text index derived from `db`.
    pub search: SearchIndex,
    /// The built widget; `None` when the server runs without it (API-only).
    pub bundle: Option<Arc<Bundle>>,
    /// Folder of the demo partner page, served under `/demo/` when set.
    pub demo_dir: Option<Arc<Path>>,
    /// The sources the server follows (from the sources file), for `GET /api/v1/sources`.
    pub sources: Arc<Vec<SourceConfig>>,
    /// Where the public origin comes from (`--public-url`, `--trusted-proxy`).
    pub origin: http::origin::OriginPolicy,
    /// Searches per second each client may make (`--search-rate`).
    pub search_rate: http::rate::ClientRate,
    /// API answers computed per second for each client (`--api-rate`).
    pub api_rate: http::rate::ClientRate,
    /// Displays and reads of resources, counted from the elements' beacons.
    pub reuse: reuse::ReuseCounter,
    /// The keys that open each network's reuse figures (the sources file's `reuse_keys`).
    pub report_keys: reuse::ReportKeys,
    /// The key replicas send their counts with (`--counts-key`), on the primary of a scale-out.
    pub counts_key: Option<reuse::Secret>,
    /// Whether each answer is counted for `/metrics` (`--metrics-listen`).
    pub count_requests: bool,
}

impl AppState {
    /// The state of a server that serves `db` and its index, and nothing else: no widget, no
    /// demo, no sources file, the origin from the request, no rates (tests, tools).
    pub fn new(db: Database, search: SearchIndex) -> AppState {
        AppState {
            reuse: reuse::ReuseCounter::new(db.clone(), true),
            report_keys: reuse::ReportKeys::default(),
            counts_key: None,
            db,
            search,
            bundle: None,
            demo_dir: None,
            sources: Arc::default(),
            origin: http::origin::OriginPolicy::default(),
            search_rate: http::rate::ClientRate::default(),
            api_rate: http::rate::ClientRate::default(),
            count_requests: false,
        }
    }
}

/// The whole HTTP surface of the server.
pub fn app(state: AppState) -> axum::Router {
    http::router(state)
}

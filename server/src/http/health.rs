//! How the server is, for operators' probes and monitoring: `/healthz` says the process answers;
//! `/readyz` says whether it can serve what partners embed — its database readable, its widget
//! present, every source of its sources file tried at least once — and lists the failing sources
//! (which keep their last content, so they do not make it unready). `/metrics`, on an address of
//! its own (`--metrics-listen`), gives Prometheus the figures of [`crate::metrics`].

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::AppState;
use crate::metrics;
use crate::store::Database;

/// `/readyz`'s answer.
#[derive(Debug, Serialize)]
struct Readiness {
    ready: bool,
    /// What keeps it from being ready, in words.
    reasons: Vec<String>,
    resources: u64,
    widget: bool,
    /// Sources whose last sync failed, with why.
    failing_sources: Vec<FailingSource>,
}

#[derive(Debug, Serialize)]
struct FailingSource {
    id: String,
    error: String,
}

/// `GET /healthz`: the process answers.
pub async fn alive() -> &'static str {
    "ok"
}

/// `GET /readyz`: 200 when ready, else 503; the same JSON either way.
pub async fn ready(State(state): State<AppState>) -> Response {
    let mut reasons = Vec::new();
    let stored = state.query(|db| Ok((db.resource_count()?, db.sources()?))).await;
    let (resources, synced) = match stored {
        Ok(stored) => stored,
        Err(error) => {
            reasons.push(format!("base de données illisible : {error}"));
            (0, Vec::new())
        }
    };
    let widget = state.bundle.is_some();
    if !widget {
        reasons.push("widget absent : /embed.js répond 503 (voir --widget-dir)".into());
    }
    let mut failing_sources = Vec::new();
    for config in state.sources.iter() {
        match synced.iter().find(|source| source.id == config.id) {
            None => reasons.push(format!("source « {} » jamais synchronisée", config.id)),
            Some(source) => {
                if let Some(error) = &source.last_error {
                    failing_sources.push(FailingSource { id: source.id.clone(), error: error.clone() });
                }
            }
        }
    }
    let ready = reasons.is_empty();
    let status = if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let answer = Readiness { ready, reasons, resources, widget, failing_sources };
    (status, [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))], Json(answer)).into_response()
}

/// The router of the metrics address: `GET /metrics` and nothing else, kept off the public
/// address (what it tells is for operators).
pub fn metrics_router(db: Database) -> Router {
    Router::new().route("/metrics", get(metrics_text)).with_state(db)
}

/// `GET /metrics`: the process's figures, with the resources each source holds now.
async fn metrics_text(State(db): State<Database>) -> Response {
    let sources = tokio::task::spawn_blocking(move || db.sources()).await;
    let resources = match sources {
        Ok(Ok(sources)) => sources.into_iter().map(|source| (source.id, source.resource_count)).collect(),
        Ok(Err(error)) => {
            tracing::error!(%error, "metrics: the sources could not be read");
            Vec::new()
        }
        Err(error) => {
            tracing::error!(%error, "metrics: reading the sources panicked");
            Vec::new()
        }
    };
    ([(header::CONTENT_TYPE, metrics::CONTENT_TYPE)], metrics::global().text(resources)).into_response()
}

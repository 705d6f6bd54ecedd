//! The commons as open data over HTTP: the dataset's files (`/datapackage.json`,
//! `/export/{resources.csv,bodies.csv,commons.zip}`, `?network=` and `?open=true`), written once
//! per content generation, address and filter into `<db>.exports/`, then served as files (ranges
//! and `If-Modified-Since` included).

use std::path::PathBuf;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use super::error::{ApiError, ApiPath, ApiQuery};
use super::links;
use crate::AppState;
use crate::opendata::dataset::{self, Summary};
use crate::opendata::{Addresses, Filter};

/// One dataset written at a time: two requests for the same one wait for the first.
static WRITING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetParams {
    network: Option<String>,
    open: Option<String>,
}

impl DatasetParams {
    async fn filter(self, state: &AppState) -> Result<Filter, ApiError> {
        let open_only = match self.open.as_deref() {
            None | Some("false") => false,
            Some("true") => true,
            Some(other) => {
                return Err(ApiError::BadRequest(format!("`open={other}` : `open=true` ou `open=false`.")));
            }
        };
        if let Some(network) = &self.network {
            let networks = state.query(|db| db.networks()).await?;
            if !networks.iter().any(|known| known.network.id == *network) {
                return Err(ApiError::NotFound(format!("Aucun réseau n'a l'identifiant « {network} ».")));
            }
        }
        Ok(Filter { network: self.network, open_only })
    }
}

/// `GET /datapackage.json`: the Data Package descriptor, its tables at their addresses.
pub async fn datapackage(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<DatasetParams>,
    request: Request,
) -> Result<Response, ApiError> {
    let filter = params.filter(&state).await?;
    let origin = links::public_origin(request.headers());
    let (dir, _) = written(&state, &origin, &filter).await?;
    serve(dir.join(dataset::WEB_PACKAGE), None, request).await
}

/// `GET /export/{file}`: a table of the dataset, or the whole of it as a zip.
pub async fn file(
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
    ApiQuery(params): ApiQuery<DatasetParams>,
    request: Request,
) -> Result<Response, ApiError> {
    if ![dataset::RESOURCES_CSV, dataset::BODIES_CSV, dataset::ZIP].contains(&name.as_str()) {
        return Err(ApiError::NotFound(format!(
            "Le jeu de données n'a pas de fichier « {name} » ({}, {}, {}).",
            dataset::RESOURCES_CSV,
            dataset::BODIES_CSV,
            dataset::ZIP
        )));
    }
    let filter = params.filter(&state).await?;
    let origin = links::public_origin(request.headers());
    let (dir, _) = written(&state, &origin, &filter).await?;
    let download = (name == dataset::ZIP).then(|| format!("{}.zip", dataset::name(&filter)));
    serve(dir.join(&name), download, request).await
}

/// The folder of the dataset of `filter` as of the current content, written if needed.
pub async fn written(
    state: &AppState,
    origin: &str,
    filter: &Filter,
) -> Result<(PathBuf, Summary), ApiError> {
    let generation = state.query(|db| db.generation()).await?;
    let exports = state.db.beside(".exports");
    let key = {
        let mut hasher = Sha256::new();
        hasher.update(format!("{origin}\n{:?}\n{}", filter.network, filter.open_only));
        format!("{:x}", hasher.finalize())
    };
    let dir = exports.join(format!("{generation}-{}", &key[..16]));
    if let Some(summary) = read_summary(&dir) {
        return Ok((dir, summary));
    }
    let _writing = WRITING.lock().await;
    if let Some(summary) = read_summary(&dir) {
        return Ok((dir, summary));
    }
    let (db, origin, filter) = (state.db.clone(), origin.to_owned(), filter.clone());
    let written = tokio::task::spawn_blocking(move || -> Result<PathBuf, ApiError> {
        let home = format!("{origin}/");
        let page = |id: &str| format!("{origin}{}", links::resource_page(id));
        let file = |name: &str, filter: &Filter| format!("{origin}{}", links::dataset_file(name, filter));
        let addresses = Addresses { home, page: &page, file: &file };
        let scratch = exports.join(format!("writing-{}", &key[..16]));
        let _ = std::fs::remove_dir_all(&scratch);
        dataset::write(&db, &filter, &addresses, &scratch)?;
        // Older generations are of no use any more.
        for entry in std::fs::read_dir(&exports).into_iter().flatten().flatten() {
            if entry.path() != scratch {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        std::fs::rename(&scratch, &dir).map_err(crate::opendata::dataset::ExportError::from)?;
        Ok(dir)
    })
    .await??;
    let summary = read_summary(&written).unwrap_or_default();
    Ok((written, summary))
}

fn read_summary(dir: &std::path::Path) -> Option<Summary> {
    serde_json::from_slice(&std::fs::read(dir.join(dataset::SUMMARY)).ok()?).ok()
}

/// A file as the answer; `download` names it for saving.
async fn serve(path: PathBuf, download: Option<String>, request: Request) -> Result<Response, ApiError> {
    let mut response = match ServeFile::new(path).oneshot(request).await {
        Ok(response) => response.map(axum::body::Body::new).into_response(),
        Err(never) => match never {},
    };
    let headers: &mut HeaderMap = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    if let Some(name) = download
        && let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
    {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

//! The commons as open data over HTTP: the dataset's files (`/datapackage.json`,
//! `/export/{resources.csv,bodies.csv,commons.zip}`, `?network=` and `?open=true`), written once
//! per content generation, address and filter into `<db>.exports/`, then served as files (ranges
//! and `If-Modified-Since` included); and their DCAT catalogue (`/catalog.jsonld`).

use std::collections::BTreeMap;
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

/// Datasets kept written at most (of the current content: per address and filter).
const KEPT_DATASETS: usize = 16;

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
    let files = [dataset::RESOURCES_CSV, dataset::BODIES_CSV, dataset::ZIP, dataset::RESOURCES_XLSX];
    if !files.contains(&name.as_str()) {
        return Err(ApiError::NotFound(format!(
            "Le jeu de données n'a pas de fichier « {name} » ({}).",
            files.join(", ")
        )));
    }
    let filter = params.filter(&state).await?;
    let origin = links::public_origin(request.headers());
    let (dir, _) = written(&state, &origin, &filter).await?;
    // Saved under a name that says what it holds (`multibao-communs-resources.csv`).
    let download = match name.as_str() {
        dataset::ZIP => format!("{}.zip", dataset::name(&filter)),
        file => format!("{}-{file}", dataset::name(&filter)),
    };
    serve(dir.join(&name), Some(download), request).await
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
        forget_old_datasets(&exports, &scratch, generation);
        std::fs::rename(&scratch, &dir).map_err(crate::opendata::dataset::ExportError::from)?;
        Ok(dir)
    })
    .await??;
    let summary = read_summary(&written).unwrap_or_default();
    Ok((written, summary))
}

/// Removes the datasets of older generations, and the least recently written of this one past
/// [`KEPT_DATASETS`]: addresses (the `Host` a request names) and filters cannot fill the disk.
fn forget_old_datasets(exports: &std::path::Path, writing: &std::path::Path, generation: u64) {
    let current = format!("{generation}-");
    let mut kept = Vec::new();
    for entry in std::fs::read_dir(exports).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path == writing {
            continue;
        }
        if name.starts_with(&current) {
            let written = entry.metadata().and_then(|metadata| metadata.modified()).ok();
            kept.push((written, path));
        } else {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
    kept.sort();
    let beyond = kept.len().saturating_sub(KEPT_DATASETS - 1);
    for (_, path) in kept.into_iter().take(beyond) {
        let _ = std::fs::remove_dir_all(path);
    }
}

fn read_summary(dir: &std::path::Path) -> Option<Summary> {
    serde_json::from_slice(&std::fs::read(dir.join(dataset::SUMMARY)).ok()?).ok()
}

/// A file as the answer; `download` names it for saving.
async fn serve(path: PathBuf, download: Option<String>, request: Request) -> Result<Response, ApiError> {
    let csv = path.extension().is_some_and(|extension| extension == "csv");
    let mut response = match ServeFile::new(path).oneshot(request).await {
        Ok(response) => response.map(axum::body::Body::new).into_response(),
        Err(never) => match never {},
    };
    let headers: &mut HeaderMap = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    // Said, so that a spreadsheet does not guess another encoding for the accents.
    if csv && headers.contains_key(header::CONTENT_TYPE) {
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    }
    if let Some(name) = download
        && let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
    {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// `GET /catalog.jsonld`: a DCAT catalogue of the commons — one dataset for the whole of it and
/// one per network, each with its files as distributions — in the form data.gouv.fr's DCAT
/// harvester reads (`dct:identifier`, `dct:title`, `dcat:downloadURL` on every distribution).
pub async fn catalog(State(state): State<AppState>, request: Request) -> Result<Response, ApiError> {
    let origin = links::public_origin(request.headers());
    let (_, summary) = written(&state, &origin, &Filter::default()).await?;
    let mut datasets = vec![dataset_node(&origin, &Filter::default(), &summary, None)];
    for (id, network) in &summary.networks {
        let filter = Filter { network: Some(id.clone()), open_only: false };
        datasets.push(dataset_node(&origin, &filter, &summary, Some(network)));
    }
    let catalog = serde_json::json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": format!("{origin}{}", links::catalog()),
        "@type": "dcat:Catalog",
        "dct:title": "Communs multiBàO",
        "dct:description": "Les fiches et témoignages du commun multiBàO, par réseau, avec l'attribution et la licence de chacun.",
        "dct:language": "fr",
        "foaf:homepage": { "@id": format!("{origin}/") },
        "dcat:dataset": datasets,
    });
    Ok(([(header::CONTENT_TYPE, "application/ld+json")], catalog.to_string()).into_response())
}

/// A dataset's files: name, media type, format, description.
const DISTRIBUTIONS: [(&str, &str, &str, &str); 5] = [
    (dataset::RESOURCES_CSV, "text/csv", "CSV", "Les ressources : titre, auteurs, réseau, licence, adresses"),
    (dataset::BODIES_CSV, "text/csv", "CSV", "Le texte intégral de chaque ressource, en HTML"),
    (
        dataset::RESOURCES_XLSX,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "XLSX",
        "Les ressources, pour un tableur",
    ),
    (dataset::ZIP, "application/zip", "ZIP", "Le jeu de données entier (Data Package)"),
    (dataset::PACKAGE, "application/json", "JSON", "Le descripteur Frictionless Data Package"),
];

/// One file of [`DISTRIBUTIONS`] as a `dcat:Distribution`, with its size when `sizes` has it.
fn distribution(
    origin: &str,
    filter: &Filter,
    (name, media_type, format, description): &(&str, &str, &str, &str),
    sizes: Option<&BTreeMap<String, u64>>,
) -> serde_json::Value {
    let url = format!("{origin}{}", links::dataset_file(name, filter));
    let mut distribution = serde_json::json!({
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:title": name,
        "dct:description": description,
        "dcat:downloadURL": { "@id": url },
        "dcat:mediaType": media_type,
        "dct:format": format,
    });
    if let Some(bytes) = sizes.and_then(|sizes| sizes.get(*name)) {
        distribution["dcat:byteSize"] =
            serde_json::json!({ "@value": bytes, "@type": "xsd:nonNegativeInteger" });
    }
    distribution
}

/// One `dcat:Dataset`: the whole commons (`network` is `None`) or one network's resources.
fn dataset_node(
    origin: &str,
    filter: &Filter,
    summary: &Summary,
    network: Option<&dataset::NetworkSummary>,
) -> serde_json::Value {
    let (title, count, modified, keywords, licences) = match network {
        Some(network) => (
            format!("Communs multiBàO — {}", network.name),
            network.resources,
            network.modified.clone(),
            network.keywords.clone(),
            network.licences.clone(),
        ),
        None => (
            "Communs multiBàO".to_owned(),
            summary.resources,
            summary.modified.clone(),
            summary.keywords.clone(),
            summary.licences.keys().cloned().collect(),
        ),
    };
    let publisher = network.map_or("multiBàO", |network| network.name.as_str());
    // The whole commons' files are written ahead, with their sizes; a network's on demand.
    let sizes = network.is_none().then_some(&summary.bytes);
    let distributions: Vec<serde_json::Value> =
        DISTRIBUTIONS.iter().map(|file| distribution(origin, filter, file, sizes)).collect();
    let mut node = serde_json::json!({
        "@id": format!("{origin}{}#{}", links::catalog(), dataset::name(filter)),
        "@type": "dcat:Dataset",
        "dct:identifier": dataset::name(filter),
        "dct:title": title,
        "dct:description": format!("{count} fiches et témoignages publiés par {publisher} dans le commun multiBàO, avec l'attribution et la licence de chacun."),
        "dcat:keyword": keywords,
        "dct:publisher": { "@type": "foaf:Organization", "foaf:name": publisher },
        "dcat:landingPage": { "@id": format!("{origin}/") },
        "dcat:distribution": distributions,
    });
    if let Some(modified) = modified {
        node["dct:modified"] = serde_json::json!({ "@value": modified, "@type": "xsd:date" });
    }
    // One licence for all: it is the dataset's; several: each resource says its own.
    let licence_urls: Vec<&str> =
        licences.iter().filter_map(|label| summary.licences.get(label)?.url.as_deref()).collect();
    match (&licences[..], &licence_urls[..]) {
        ([_], [url]) => node["dct:license"] = serde_json::json!({ "@id": url }),
        _ => {
            node["dct:rights"] = format!(
                "Chaque ressource a sa licence (colonnes licence et licence_restrictions) : {}.",
                licences.join(", ")
            )
            .into()
        }
    }
    node
}

//! The JSON API under `/api/v1`: resources and networks, read-only and open to any origin.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use bao_contract::{DEFAULT_PAGE_LIMIT, Kind, MAX_PAGE_LIMIT, NetworkList, Resource, ResourcePage};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

use crate::AppState;
use crate::db::{Database, ListFilter};
use crate::error::ApiError;

/// `GET /api/v1/resources/{id}`.
pub async fn resource(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Resource>, ApiError> {
    let lookup_id = id.clone();
    match state.query(move |db| db.resource(&lookup_id)).await? {
        Some(resource) => Ok(Json(resource)),
        None => Err(ApiError::NotFound(format!("Aucune ressource n'a l'identifiant « {id} »."))),
    }
}

/// Query string of `GET /api/v1/resources`, as sent: every value is checked by [`ListParams::filter`].
#[derive(Debug, Deserialize)]
pub struct ListParams {
    network: Option<String>,
    tag: Option<String>,
    kind: Option<String>,
    cursor: Option<String>,
    limit: Option<String>,
}

impl ListParams {
    fn filter(self) -> Result<ListFilter, ApiError> {
        let limit = match self.limit.as_deref() {
            None | Some("") => DEFAULT_PAGE_LIMIT,
            Some(text) => match text.parse::<u32>() {
                Ok(limit) if (1..=MAX_PAGE_LIMIT).contains(&limit) => limit,
                _ => {
                    return Err(ApiError::BadRequest(format!(
                        "`limit` doit être un entier entre 1 et {MAX_PAGE_LIMIT} (reçu « {text} »)."
                    )));
                }
            },
        };
        let kind = match self.kind.as_deref().filter(|kind| !kind.is_empty()) {
            None => None,
            Some(text) => Some(Kind::parse(text).ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "`kind` doit valoir fiche, temoignage ou video (reçu « {text} »)."
                ))
            })?),
        };
        let after_id = match self.cursor.as_deref().filter(|cursor| !cursor.is_empty()) {
            None => None,
            Some(cursor) => Some(decode_cursor(cursor).ok_or_else(|| {
                ApiError::BadRequest("`cursor` n'est pas un curseur rendu par cette API.".into())
            })?),
        };
        let non_empty = |value: Option<String>| value.filter(|v| !v.is_empty());
        Ok(ListFilter { network: non_empty(self.network), tag: non_empty(self.tag), kind, after_id, limit })
    }
}

/// `GET /api/v1/resources?network=&tag=&kind=&cursor=&limit=`.
pub async fn resources(
    State(state): State<AppState>,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<Json<ResourcePage>, ApiError> {
    let Query(params) = params.map_err(|rejection| ApiError::BadRequest(rejection.body_text()))?;
    let filter = params.filter()?;
    let mut page = state.query(move |db| db.list(&filter)).await?;
    page.next_cursor = page.next_cursor.map(|last_id| URL_SAFE_NO_PAD.encode(last_id));
    Ok(Json(page))
}

/// `GET /api/v1/networks`.
pub async fn networks(State(state): State<AppState>) -> Result<Json<NetworkList>, ApiError> {
    let items = state.query(Database::networks).await?;
    Ok(Json(NetworkList { items }))
}

/// Any other path under `/api`.
pub async fn not_found() -> ApiError {
    ApiError::NotFound("Cette adresse ne correspond à aucune route de l'API.".into())
}

fn decode_cursor(cursor: &str) -> Option<String> {
    String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()
}

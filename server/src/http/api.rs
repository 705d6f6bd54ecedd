//! The JSON API under `/api/v1`: resources, networks, search and filmed testimonies (with their
//! posters and captions), read-only and open to any origin.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use bao_contract::{
    ChangePage, DEFAULT_PAGE_LIMIT, Kind, MAX_PAGE_LIMIT, MAX_QUERY_CHARS, NetworkList, Resource,
    ResourcePage, SearchResults, SourceList, SourceQuality, SourceStatus, TestimonialList,
};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr};

use super::error::documented::{Invalid, TooMany, Unknown, Withdrawn};
use super::error::{ApiError, ApiPath, ApiQuery};
use super::links;
use super::placeholder::{IMAGE_BAND_SVG, placeholder_svg};
use crate::AppState;
use crate::search::SearchRequest;
use crate::store::{Database, ListFilter, StoredPoster, TestimonialFilter};

/// `GET /api/v1/resources/{id}`; an id the resource had before gives the resource of today.
#[utoipa::path(get, path = "/api/v1/resources/{id}", tag = "ressources",
    params(("id" = String, Path, description = "Identifiant d'une ressource, d'aujourd'hui ou d'avant")),
    responses((status = 200, body = Resource), Invalid, Unknown, Withdrawn, TooMany))]
pub async fn resource(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Resource>, ApiError> {
    state.current_resource(&id).await.map(Json)
}

/// Query string of `GET /api/v1/resources`, as sent: every value is checked by [`ListParams::filter`].
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Un réseau (son identifiant).
    network: Option<String>,
    /// Un mot-clé.
    tag: Option<String>,
    #[param(schema_with = kind_or_empty)]
    kind: Option<String>,
    /// Le `next_cursor` d'une page précédente.
    cursor: Option<String>,
    #[param(schema_with = limit_or_empty)]
    limit: Option<String>,
}

impl ListParams {
    fn filter(self) -> Result<ListFilter, ApiError> {
        let after_id = match non_empty(self.cursor) {
            None => None,
            Some(cursor) => Some(decode_cursor(&cursor).ok_or_else(bad_cursor)?),
        };
        Ok(ListFilter {
            network: non_empty(self.network),
            tag: non_empty(self.tag),
            kind: parse_kind(self.kind)?,
            after_id,
            limit: parse_limit(self.limit.as_deref())?,
        })
    }
}

/// Query string of `GET /api/v1/search`, as sent: every value is checked by [`SearchParams::request`].
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Les mots cherchés (500 caractères au plus); vide : les plus récentes.
    #[param(max_length = 500)]
    q: Option<String>,
    network: Option<String>,
    tag: Option<String>,
    #[param(schema_with = kind_or_empty)]
    kind: Option<String>,
    /// Une licence (identifiant SPDX, ou `open` pour les licences libres).
    licence: Option<String>,
    /// Le `next_cursor` d'une page précédente.
    cursor: Option<String>,
    #[param(schema_with = limit_or_empty)]
    limit: Option<String>,
}

/// Deep pages of a ranked search are never what someone is after; refusing them bounds the work.
const MAX_SEARCH_OFFSET: usize = 10_000;

impl SearchParams {
    fn request(self) -> Result<SearchRequest, ApiError> {
        let q = self.q.unwrap_or_default();
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(ApiError::BadRequest(format!(
                "`q` est limité à {MAX_QUERY_CHARS} caractères : raccourcissez la recherche."
            )));
        }
        let offset = match non_empty(self.cursor) {
            None => 0,
            Some(cursor) => decode_cursor(&cursor)
                .and_then(|text| text.parse::<usize>().ok())
                .filter(|offset| *offset <= MAX_SEARCH_OFFSET)
                .ok_or_else(bad_cursor)?,
        };
        Ok(SearchRequest {
            q,
            network: non_empty(self.network),
            tag: non_empty(self.tag),
            kind: parse_kind(self.kind)?,
            licence: non_empty(self.licence),
            limit: parse_limit(self.limit.as_deref())? as usize,
            offset,
        })
    }
}

/// `GET /api/v1/search?q=&network=&tag=&kind=&licence=&cursor=&limit=`.
#[utoipa::path(get, path = "/api/v1/search", tag = "recherche", params(SearchParams),
    responses((status = 200, body = SearchResults), Invalid, TooMany))]
pub async fn search(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<SearchResults>, ApiError> {
    let request = params.request()?;
    let index = state.search.clone();
    let mut results = tokio::task::spawn_blocking(move || index.search(&request)).await??;
    results.next_cursor = results.next_cursor.map(|offset| URL_SAFE_NO_PAD.encode(offset));
    for hit in &mut results.items {
        links::serve_media_here(&mut hit.resource);
    }
    Ok(Json(results))
}

/// Query string of `GET /api/v1/testimonials`, as sent.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TestimonialParams {
    network: Option<String>,
    tag: Option<String>,
    #[param(schema_with = limit_or_empty)]
    limit: Option<String>,
}

/// `GET /api/v1/testimonials?network=&tag=&limit=`: filmed testimonies with their videos.
#[utoipa::path(get, path = "/api/v1/testimonials", tag = "témoignages", params(TestimonialParams),
    responses((status = 200, body = TestimonialList), Invalid, TooMany))]
pub async fn testimonials(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<TestimonialParams>,
) -> Result<Json<TestimonialList>, ApiError> {
    let filter = TestimonialFilter {
        id: None,
        network: non_empty(params.network),
        tag: non_empty(params.tag),
        limit: parse_limit(params.limit.as_deref())?,
    };
    let stored = state.query(move |db| db.testimonials(&filter)).await?;
    Ok(Json(TestimonialList { items: stored.into_iter().map(links::testimonial).collect() }))
}

/// `GET /api/v1/testimonials/{id}/poster`: the cached poster, or a placeholder with the title.
#[utoipa::path(get, path = "/api/v1/testimonials/{id}/poster", tag = "témoignages",
    params(("id" = String, Path)),
    responses((status = 200, description = "L'affiche en cache (JPEG), ou une affiche dessinée du titre (SVG)", content(("image/jpeg"), ("image/svg+xml"))), Invalid, Unknown))]
pub async fn poster(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let lookup_id = id.clone();
    let Some((title, poster)) = state.query(move |db| db.poster(&lookup_id)).await? else {
        return Err(ApiError::NotFound(format!("Aucun témoignage filmé n'a l'identifiant « {id} ».")));
    };
    Ok(match poster {
        StoredPoster::Jpeg(jpeg) => {
            ([(header::CONTENT_TYPE, "image/jpeg"), (header::CACHE_CONTROL, "public, max-age=86400")], jpeg)
                .into_response()
        }
        // Short-lived: the real poster may be fetched by the next import.
        StoredPoster::Placeholder => (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CACHE_CONTROL, "public, max-age=300"),
                (header::CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'unsafe-inline'"),
            ],
            placeholder_svg(&title)?,
        )
            .into_response(),
    })
}

/// `GET /api/v1/resources/{id}/image`: a resource's image from another host, as the server fetched
/// it once (resized JPEG); while it is not fetched, or when it could not be, a plain tinted band.
#[utoipa::path(get, path = "/api/v1/resources/{id}/image", tag = "ressources",
    params(("id" = String, Path)), responses((status = 200, description = "L'image en cache (JPEG), ou une bande colorée (SVG) en attendant", content(("image/jpeg"), ("image/svg+xml"))), Invalid))]
pub async fn image(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    Ok(cached_or_band(state.query(move |db| db.cached_image(&id)).await?))
}

/// A cached JPEG, kept a day, or the placeholder band, kept five minutes.
fn cached_or_band(jpeg: Option<Vec<u8>>) -> Response {
    match jpeg {
        Some(jpeg) => {
            ([(header::CONTENT_TYPE, "image/jpeg"), (header::CACHE_CONTROL, "public, max-age=86400")], jpeg)
                .into_response()
        }
        // Short-lived: the real image may be fetched after the next sync.
        None => (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CACHE_CONTROL, "public, max-age=300"),
                (header::CONTENT_SECURITY_POLICY, "default-src 'none'"),
            ],
            IMAGE_BAND_SVG,
        )
            .into_response(),
    }
}

/// `GET /api/v1/media/{key}`: an image of a body, from the cache; the placeholder band until
/// it is fetched (or when it could not be: a body's image is served from here or nowhere).
#[utoipa::path(get, path = "/api/v1/media/{key}", tag = "ressources",
    params(("key" = String, Path, description = "La clé d'une image d'un texte")), responses((status = 200, description = "L'image en cache (JPEG), ou une bande colorée (SVG) en attendant", content(("image/jpeg"), ("image/svg+xml"))), Invalid))]
pub async fn media(
    State(state): State<AppState>,
    ApiPath(key): ApiPath<String>,
) -> Result<Response, ApiError> {
    Ok(cached_or_band(state.query(move |db| db.cached_media(&key)).await?))
}

/// `GET /api/v1/testimonials/{id}/captions/{lang}`: a WebVTT captions track.
#[utoipa::path(get, path = "/api/v1/testimonials/{id}/captions/{lang}", tag = "témoignages",
    params(("id" = String, Path), ("lang" = String, Path, description = "Étiquette de langue BCP 47")),
    responses((status = 200, description = "Sous-titres WebVTT", content_type = "text/vtt", body = String), Invalid, Unknown))]
pub async fn captions(
    State(state): State<AppState>,
    ApiPath((id, lang)): ApiPath<(String, String)>,
) -> Result<Response, ApiError> {
    let message = format!("Pas de sous-titres « {lang} » pour « {id} ».");
    match state.query(move |db| db.captions(&id, &lang)).await? {
        Some(vtt) => Ok((
            [
                (header::CONTENT_TYPE, "text/vtt; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            vtt,
        )
            .into_response()),
        None => Err(ApiError::NotFound(message)),
    }
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|value| !value.is_empty())
}

/// The document says what the server accepts: an empty value (`limit=`, as a form sends an
/// unset field) reads as absent, so each such parameter is its type *or* the empty string.
pub(super) fn or_empty(schema: impl Into<RefOr<Schema>>) -> Schema {
    let empty = ObjectBuilder::new().schema_type(Type::String).enum_values(Some([""]));
    OneOfBuilder::new().item(schema).item(empty).into()
}

fn kind_or_empty() -> Schema {
    or_empty(Ref::from_schema_name("Kind"))
}

fn limit_or_empty() -> Schema {
    let limit =
        ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)).maximum(Some(MAX_PAGE_LIMIT));
    or_empty(limit)
}

fn since_or_empty() -> Schema {
    or_empty(ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0)).maximum(Some(i64::MAX)))
}

fn parse_limit(limit: Option<&str>) -> Result<u32, ApiError> {
    match limit {
        None | Some("") => Ok(DEFAULT_PAGE_LIMIT),
        Some(text) => match text.parse::<u32>() {
            Ok(limit) if (1..=MAX_PAGE_LIMIT).contains(&limit) => Ok(limit),
            _ => Err(ApiError::BadRequest(format!(
                "`limit` doit être un entier entre 1 et {MAX_PAGE_LIMIT} (reçu « {text} »)."
            ))),
        },
    }
}

fn parse_kind(kind: Option<String>) -> Result<Option<Kind>, ApiError> {
    match non_empty(kind) {
        None => Ok(None),
        Some(text) => Kind::parse(&text).map(Some).ok_or_else(|| {
            ApiError::BadRequest(format!("`kind` doit valoir fiche, temoignage ou video (reçu « {text} »)."))
        }),
    }
}

fn bad_cursor() -> ApiError {
    ApiError::BadRequest("`cursor` n'est pas un curseur rendu par cette API.".into())
}

/// `GET /api/v1/resources?network=&tag=&kind=&cursor=&limit=`.
#[utoipa::path(get, path = "/api/v1/resources", tag = "ressources", params(ListParams),
    responses((status = 200, body = ResourcePage), Invalid, TooMany))]
pub async fn resources(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<ResourcePage>, ApiError> {
    let filter = params.filter()?;
    let mut page = state.query(move |db| db.list(&filter)).await?;
    page.next_cursor = page.next_cursor.map(|last_id| URL_SAFE_NO_PAD.encode(last_id));
    page.items = page.items.into_iter().map(links::with_served_media).collect();
    Ok(Json(page))
}

/// `GET /api/v1/networks`.
#[utoipa::path(get, path = "/api/v1/networks", tag = "réseaux", responses((status = 200, body = NetworkList), TooMany))]
pub async fn networks(State(state): State<AppState>) -> Result<Json<NetworkList>, ApiError> {
    let items = state.query(Database::networks).await?;
    Ok(Json(NetworkList { items }))
}

/// `GET /api/v1/sources`.
#[utoipa::path(get, path = "/api/v1/sources", tag = "réseaux", responses((status = 200, body = SourceList), TooMany))]
pub async fn sources(State(state): State<AppState>) -> Result<Json<SourceList>, ApiError> {
    let stored = state.query(Database::sources).await?;
    let items = state
        .sources
        .iter()
        .map(|config| {
            let last = stored.iter().find(|source| source.id == config.id);
            SourceStatus {
                id: config.id.clone(),
                kind: config.kind.name().to_owned(),
                url: config.public_url(),
                branch: config.branch().map(str::to_owned),
                network: config.network.reference(),
                logo: config.network.logo.clone(),
                last_attempt: last.and_then(|last| last.last_attempt.clone()),
                last_success: last.and_then(|last| last.last_success.clone()),
                revision: last.and_then(|last| last.revision.clone()),
                resource_count: last.map_or(0, |last| last.resource_count),
                skipped_count: last.map_or(0, |last| last.skipped_count),
                duration_ms: last.and_then(|last| last.duration_ms),
                last_error: last.and_then(|last| last.last_error.clone()),
            }
        })
        .collect();
    Ok(Json(SourceList { items }))
}

/// `GET /api/v1/sources/{id}/quality`.
#[utoipa::path(get, path = "/api/v1/sources/{id}/quality", tag = "réseaux",
    params(("id" = String, Path, description = "Identifiant d'une source du fichier des sources")),
    responses((status = 200, description = "Ce que le commun ne sait pas des ressources de la source, d'après sa dernière synchronisation réussie", body = SourceQuality),
        Invalid, Unknown, TooMany))]
pub async fn source_quality(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<SourceQuality>, ApiError> {
    quality_of(&state, id).await.map(Json)
}

/// The quality report of the followed source `id`.
pub async fn quality_of(state: &AppState, id: String) -> Result<SourceQuality, ApiError> {
    let config = state
        .sources
        .iter()
        .find(|config| config.id == id)
        .ok_or_else(|| ApiError::NotFound(format!("Le serveur ne suit aucune source « {id} ».")))?;
    let network = config.network.reference();
    let unsynced = format!("La source « {id} » n'a pas encore été synchronisée.");
    state.query(move |db| db.source_quality(&id, network)).await?.ok_or(ApiError::NotFound(unsynced))
}

/// Any other path under `/api`.
pub async fn not_found() -> ApiError {
    ApiError::NotFound("Cette adresse ne correspond à aucune route de l'API.".into())
}

fn decode_cursor(cursor: &str) -> Option<String> {
    String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).ok()?).ok()
}

/// Query string of `GET /api/v1/changes`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ChangesParams {
    /// Le numéro du dernier changement lu (`next_since`); 0 : depuis le début.
    #[param(schema_with = since_or_empty)]
    since: Option<String>,
    #[param(schema_with = limit_or_empty)]
    limit: Option<String>,
}

/// `GET /api/v1/changes?since=&limit=`: what changed after `since`, for a server following this
/// one. Addresses are absolute: the follower is elsewhere.
#[utoipa::path(get, path = "/api/v1/changes", tag = "réplication", params(ChangesParams),
    responses((status = 200, body = ChangePage), Invalid, TooMany))]
pub async fn changes(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<ChangesParams>,
    headers: axum::http::HeaderMap,
) -> Result<Json<ChangePage>, ApiError> {
    let since = match non_empty(params.since) {
        None => 0,
        // The document's integer: SQLite's, signed 64-bit.
        Some(text) => {
            text.parse::<u64>().ok().filter(|since| i64::try_from(*since).is_ok()).ok_or_else(|| {
                ApiError::BadRequest(format!("`since` est le numéro d'un changement (reçu « {text} »)."))
            })?
        }
    };
    let limit = parse_limit(params.limit.as_deref())?;
    let (stored, latest) = state.query(move |db| db.changes_since(since, limit)).await?;
    let origin = links::public_origin(&headers);
    let next_since = stored.last().map_or(since, |change| change.seq);
    let items = stored.into_iter().filter_map(|stored| links::change(&origin, stored)).collect();
    Ok(Json(ChangePage { items, next_since, latest }))
}

//! HTTP caching of the API's and the fragments' answers: a strong `ETag` (a hash of the body) on
//! each, `304 Not Modified` to a matching `If-None-Match`, `Cache-Control` that lets browsers and
//! shared caches (a reverse proxy, a CDN: see `deploy/`) keep them, and the answers of the current
//! content generation kept in memory, so that a hot resource costs a lookup, not a query.
//!
//! The content generation moves on with every sync that changes something: made in this process,
//! it is seen at once; made by another (`multibao-embed sync` beside a running server), within
//! [`RECHECK`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::error::ApiError;
use super::links::public_origin;
use crate::AppState;

/// How often the content generation is read again from the database.
const RECHECK: Duration = Duration::from_millis(250);
/// Bounds of the answers kept in memory; past one of them, they are all dropped and refilled.
const MAX_ENTRIES: usize = 4096;
const MAX_BYTES: usize = 64 << 20;
/// Largest answer kept or tagged (a page of results is far below); larger ones pass as they are.
const MAX_BODY: usize = 4 << 20;

/// How long others may keep an answer.
#[derive(Debug, Clone, Copy)]
pub enum Freshness {
    /// Resources, lists, fragments: they change with a sync, at most hourly by default.
    Content,
    /// Search results: shorter, a search is asked again more often than a fiche is edited.
    Search,
    /// Validated on every use (the sources' sync status changes without the content changing):
    /// an `ETag` and `304`, never kept here.
    Revalidate,
}

impl Freshness {
    fn cache_control(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Freshness::Content => "public, max-age=300, s-maxage=300, stale-while-revalidate=3600",
            Freshness::Search => "public, max-age=60, s-maxage=60, stale-while-revalidate=300",
            Freshness::Revalidate => "public, no-cache",
        })
    }
}

/// The answers kept in memory, all of one content generation.
#[derive(Debug, Default)]
pub struct AnswerCache {
    clock: Mutex<Clock>,
    answers: Mutex<Answers>,
}

#[derive(Debug, Default)]
struct Clock {
    generation: u64,
    /// `Database::changes_here` when the generation was read.
    changes_here: u64,
    read_at: Option<Instant>,
}

#[derive(Debug, Default)]
struct Answers {
    generation: u64,
    bytes: usize,
    by_key: HashMap<String, Arc<Answer>>,
}

#[derive(Debug)]
struct Answer {
    status: StatusCode,
    content_type: Option<HeaderValue>,
    etag: HeaderValue,
    body: Bytes,
}

impl AnswerCache {
    /// The content generation, read again from the database when this process changed the
    /// content or [`RECHECK`] has passed.
    async fn generation(&self, state: &AppState) -> Result<u64, ApiError> {
        let changes_here = state.db.changes_here();
        {
            let clock = self.clock.lock().unwrap_or_else(PoisonError::into_inner);
            let fresh = clock.read_at.is_some_and(|at| at.elapsed() < RECHECK);
            if fresh && clock.changes_here == changes_here {
                return Ok(clock.generation);
            }
        }
        let generation = state.query(|db| db.generation()).await?;
        *self.clock.lock().unwrap_or_else(PoisonError::into_inner) =
            Clock { generation, changes_here, read_at: Some(Instant::now()) };
        Ok(generation)
    }

    fn get(&self, key: &str, generation: u64) -> Option<Arc<Answer>> {
        let answers = self.answers.lock().unwrap_or_else(PoisonError::into_inner);
        (answers.generation == generation).then(|| answers.by_key.get(key).cloned()).flatten()
    }

    fn put(&self, key: String, generation: u64, answer: Arc<Answer>) {
        let mut answers = self.answers.lock().unwrap_or_else(PoisonError::into_inner);
        let full = answers.by_key.len() >= MAX_ENTRIES || answers.bytes + answer.body.len() > MAX_BYTES;
        if answers.generation != generation || full {
            *answers = Answers { generation, ..Answers::default() };
        }
        answers.bytes += answer.body.len();
        answers.by_key.insert(key, answer);
    }
}

/// The layer's state: the app's, and the answers kept.
pub type CacheState = (AppState, Arc<AnswerCache>);

/// Middleware for resources, lists and fragments.
pub async fn content(State(state): State<CacheState>, request: Request, next: Next) -> Response {
    answer(state, request, next, Freshness::Content).await
}

/// Middleware for search results.
pub async fn search(State(state): State<CacheState>, request: Request, next: Next) -> Response {
    answer(state, request, next, Freshness::Search).await
}

/// Middleware for answers validated on every use.
pub async fn revalidate(State(state): State<CacheState>, request: Request, next: Next) -> Response {
    answer(state, request, next, Freshness::Revalidate).await
}

async fn answer((state, cache): CacheState, request: Request, next: Next, freshness: Freshness) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    let keep = !matches!(freshness, Freshness::Revalidate);
    // Absolute links in an answer follow the host it was asked from.
    let key = format!("{}{}", public_origin(request.headers()), request.uri());
    let generation = match cache.generation(&state).await {
        Ok(generation) => generation,
        Err(error) => return error.into_response(),
    };
    let kept = if keep { cache.get(&key, generation) } else { None };
    let answer = match kept {
        Some(answer) => answer,
        None => {
            let response = next.run(request).await;
            let size = response.body().size_hint().upper();
            let taggable =
                matches!(response.status(), StatusCode::OK | StatusCode::NOT_FOUND | StatusCode::GONE);
            if !taggable || size.is_none_or(|size| size > MAX_BODY as u64) {
                return response;
            }
            let answer = match buffered(response).await {
                Ok(answer) => answer,
                Err(error) => return error.into_response(),
            };
            let answer = Arc::new(answer);
            if keep {
                cache.put(key, generation, answer.clone());
            }
            answer
        }
    };
    respond(&answer, if_none_match.as_ref(), freshness)
}

/// Reads the whole body of `response` and tags it.
async fn buffered(response: Response) -> Result<Answer, ApiError> {
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, MAX_BODY).await.map_err(ApiError::Answer)?;
    let digest = Sha256::digest(&body);
    let tag: String = digest.iter().take(12).map(|byte| format!("{byte:02x}")).collect();
    Ok(Answer {
        status: parts.status,
        content_type: parts.headers.get(header::CONTENT_TYPE).cloned(),
        etag: HeaderValue::from_str(&format!("\"{tag}\"")).expect("hex digits are a valid header value"),
        body,
    })
}

fn respond(answer: &Answer, if_none_match: Option<&HeaderValue>, freshness: Freshness) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(header::ETAG, answer.etag.clone());
    headers.insert(header::CACHE_CONTROL, freshness.cache_control());
    let unchanged =
        answer.status == StatusCode::OK && if_none_match.is_some_and(|tags| matches_tag(tags, &answer.etag));
    if unchanged {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    if let Some(content_type) = &answer.content_type {
        headers.insert(header::CONTENT_TYPE, content_type.clone());
    }
    (answer.status, headers, Body::from(answer.body.clone())).into_response()
}

/// Whether `If-None-Match` names `etag` (weak comparison, as RFC 9110 § 13.1.2 asks), or is `*`.
fn matches_tag(if_none_match: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(tags) = if_none_match.to_str() else { return false };
    let ours = etag.as_bytes();
    tags.split(',').map(str::trim).any(|tag| tag == "*" || tag.trim_start_matches("W/").as_bytes() == ours)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_lists_and_weak_tags() {
        let etag = HeaderValue::from_static("\"abc\"");
        for matching in ["\"abc\"", "W/\"abc\"", "\"x\", \"abc\"", "*"] {
            assert!(matches_tag(&HeaderValue::from_static(matching), &etag), "{matching}");
        }
        for other in ["\"abcd\"", "abc", "\"x\""] {
            assert!(!matches_tag(&HeaderValue::from_static(other), &etag), "{other}");
        }
    }
}

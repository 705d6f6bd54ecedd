//! HTTP caching of the API's and the fragments' answers: a strong `ETag` (a hash of the body) on
//! each, `304 Not Modified` to a matching `If-None-Match`, `Cache-Control` that lets browsers and
//! shared caches (a reverse proxy, a CDN: see `deploy/`) keep them, and the answers of the current
//! content generation kept in memory, so that a hot resource costs a lookup, not a query. An
//! answer is compressed once, when a client first accepts it so (`br`, else `gzip`), and kept so.
//!
//! The content generation moves on with every sync that changes something: made in this process,
//! it is seen at once; made by another (`multibao-embed sync` beside a running server), within
//! [`RECHECK`].

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, PoisonError, RwLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tower::{Layer, Service, ServiceExt};

use super::error::ApiError;
use super::links::origin_parts;
use crate::AppState;

/// How often the content generation is read again from the database.
const RECHECK: Duration = Duration::from_millis(250);
/// Bounds of the answers kept in memory; past one of them, they are all dropped and refilled.
const MAX_ENTRIES: usize = 4096;
const MAX_BYTES: usize = 64 << 20;
/// Largest answer kept or tagged (a page of results is far below); larger ones pass as they are.
const MAX_BODY: usize = 4 << 20;
/// Smaller answers are sent as they are: compressing them would save less than a packet.
const MIN_COMPRESSED: usize = 1024;

/// How long others may keep an answer.
#[derive(Debug, Clone, Copy)]
pub enum Freshness {
    /// Resources, lists, fragments: they change with a sync, at most hourly by default.
    Content,
    /// Search results: shorter, a search is asked again more often than a fiche is edited.
    Search,
    /// Our scripts and styles: a new release must reach the sites that embed us within minutes.
    Asset,
    /// Validated on every use (the sources' sync status changes without the content changing):
    /// an `ETag` and `304`, never kept here.
    Revalidate,
}

impl Freshness {
    fn cache_control(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Freshness::Content => "public, max-age=300, s-maxage=300, stale-while-revalidate=3600",
            Freshness::Search => "public, max-age=60, s-maxage=60, stale-while-revalidate=300",
            Freshness::Asset => "public, max-age=300",
            Freshness::Revalidate => "public, no-cache",
        })
    }
}

/// The answers kept in memory, all of one content generation. Read by every request at once:
/// the generation is atomics and the answers a read-write lock, so that readers never wait on
/// each other (two mutexes here made one request in twenty sleep on the other worker's lock).
#[derive(Debug)]
pub struct AnswerCache {
    clock: Clock,
    answers: RwLock<Kept>,
}

impl Default for AnswerCache {
    fn default() -> AnswerCache {
        AnswerCache {
            clock: Clock {
                generation: AtomicU64::new(0),
                changes_here: AtomicU64::new(0),
                read_at: AtomicU64::new(NEVER),
                started: Instant::now(),
            },
            answers: RwLock::default(),
        }
    }
}

/// The content generation as last read, and when.
#[derive(Debug)]
struct Clock {
    generation: AtomicU64,
    /// `Database::changes_here` when the generation was read.
    changes_here: AtomicU64,
    /// Nanoseconds after `started` when the generation was read; [`NEVER`] before the first time.
    read_at: AtomicU64,
    started: Instant,
}

/// `Clock::read_at` before the generation was ever read.
const NEVER: u64 = u64::MAX;

impl Clock {
    fn now(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_nanos()).unwrap_or(NEVER - 1)
    }

    /// The generation read less than [`RECHECK`] ago, while nothing changed here since.
    fn fresh(&self, changes_here: u64) -> Option<u64> {
        let read_at = self.read_at.load(Ordering::Acquire);
        let recent = read_at != NEVER && self.now().saturating_sub(read_at) < RECHECK.as_nanos() as u64;
        (recent && self.changes_here.load(Ordering::Acquire) == changes_here)
            .then(|| self.generation.load(Ordering::Acquire))
    }

    fn set(&self, generation: u64, changes_here: u64) {
        self.generation.store(generation, Ordering::Release);
        self.changes_here.store(changes_here, Ordering::Release);
        self.read_at.store(self.now(), Ordering::Release);
    }
}

#[derive(Debug, Default)]
struct Kept {
    generation: u64,
    bytes: usize,
    by_key: HashMap<String, Arc<Answer>>,
}

#[derive(Debug)]
struct Answer {
    status: StatusCode,
    content_type: Option<HeaderValue>,
    etag: HeaderValue,
    /// The same, weak: a compressed answer is the same content in other bytes (RFC 9110
    /// § 8.8.1), which a revalidation in either coding matches.
    weak_etag: HeaderValue,
    body: Bytes,
    /// Large enough and of a type that compresses (all our cached answers are text).
    compressible: bool,
    /// The body compressed, made the first time a client accepts it.
    brotli: OnceLock<Bytes>,
    gzip: OnceLock<Bytes>,
}

/// A content coding the cache compresses to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
}

impl Encoding {
    /// What the client's `Accept-Encoding` prefers of ours: brotli (smaller), then gzip.
    fn accepted(headers: &HeaderMap) -> Option<Encoding> {
        let accepted = headers.get(header::ACCEPT_ENCODING)?.to_str().ok()?;
        let (mut brotli, mut gzip) = (false, false);
        for coding in accepted.split(',') {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|parameter| {
                parameter.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()) == Some(0.0)
            });
            if refused {
                continue;
            }
            brotli |= name.eq_ignore_ascii_case("br") || name == "*";
            gzip |= name.eq_ignore_ascii_case("gzip") || name == "*";
        }
        if brotli { Some(Encoding::Brotli) } else { gzip.then_some(Encoding::Gzip) }
    }

    fn name(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gzip",
        })
    }

    fn compress(self, body: &[u8]) -> Bytes {
        let mut out = Vec::with_capacity(body.len() / 3);
        // Writing into a Vec cannot fail.
        match self {
            Encoding::Brotli => {
                // Quality 5: made on the path of the first request that accepts it, which the
                // slowest qualities (10, 11) would keep waiting.
                let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
                writer.write_all(body).expect("writing to memory");
            }
            Encoding::Gzip => {
                let mut writer = flate2::write::GzEncoder::new(&mut out, flate2::Compression::default());
                writer.write_all(body).expect("writing to memory");
                writer.finish().expect("writing to memory");
            }
        }
        Bytes::from(out)
    }
}

impl Answer {
    /// The body in `encoding`, compressed now if it was not yet.
    fn encoded(&self, encoding: Encoding) -> Bytes {
        let kept = match encoding {
            Encoding::Brotli => &self.brotli,
            Encoding::Gzip => &self.gzip,
        };
        kept.get_or_init(|| encoding.compress(&self.body)).clone()
    }
}

impl AnswerCache {
    /// The content generation, read again from the database when this process changed the
    /// content or [`RECHECK`] has passed.
    async fn generation(&self, state: &AppState) -> Result<u64, ApiError> {
        let changes_here = state.db.changes_here();
        if let Some(generation) = self.clock.fresh(changes_here) {
            return Ok(generation);
        }
        let generation = state.query(|db| db.generation()).await?;
        self.clock.set(generation, changes_here);
        Ok(generation)
    }

    fn get(&self, key: &str, generation: u64) -> Option<Arc<Answer>> {
        let answers = self.answers.read().unwrap_or_else(PoisonError::into_inner);
        (answers.generation == generation).then(|| answers.by_key.get(key).cloned()).flatten()
    }

    fn put(&self, key: String, generation: u64, answer: Arc<Answer>) {
        let mut answers = self.answers.write().unwrap_or_else(PoisonError::into_inner);
        let full = answers.by_key.len() >= MAX_ENTRIES || answers.bytes + answer.body.len() > MAX_BYTES;
        if answers.generation != generation || full {
            *answers = Kept { generation, ..Kept::default() };
        }
        answers.bytes += answer.body.len();
        answers.by_key.insert(key, answer);
    }
}

/// The layer's state: the app's, and the answers kept; one pointer, cloned for every request.
pub type CacheState = Arc<(AppState, AnswerCache)>;

/// The answer cache as a route's layer, for answers of one [`Freshness`].
#[derive(Debug, Clone)]
pub struct CacheLayer {
    shared: CacheState,
    freshness: Freshness,
}

impl CacheLayer {
    pub fn new(shared: &CacheState, freshness: Freshness) -> CacheLayer {
        CacheLayer { shared: shared.clone(), freshness }
    }
}

impl<S> Layer<S> for CacheLayer {
    type Service = Cached<S>;

    fn layer(&self, inner: S) -> Cached<S> {
        Cached { shared: self.shared.clone(), freshness: self.freshness, inner }
    }
}

/// A route's answers, kept: an answer kept is given without a future to box or a lock to wait
/// on; the others are made by the route, then kept (`cargo xtask bench`, `throughput`).
#[derive(Debug, Clone)]
pub struct Cached<S> {
    shared: CacheState,
    freshness: Freshness,
    inner: S,
}

impl<S> Service<Request> for Cached<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = CachedFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        if !matches!(*request.method(), Method::GET | Method::HEAD) {
            return CachedFuture::Passed { inner: self.inner.call(request) };
        }
        let (state, cache) = &*self.shared;
        let asked = Asked::of(state, &request, self.freshness);
        if asked.keep()
            && let Some(generation) = cache.clock.fresh(state.db.changes_here())
            && let Some(answer) = cache.get(&asked.key, generation)
        {
            return CachedFuture::Kept { answer: Some(asked.respond(&answer)) };
        }
        // The service made ready is the one that answers; a clone waits for the next request.
        let waiting = self.inner.clone();
        let ready = std::mem::replace(&mut self.inner, waiting);
        CachedFuture::Made { answer: Box::pin(make(self.shared.clone(), ready, request, asked)) }
    }
}

pin_project_lite::pin_project! {
    /// An answer kept, made (then kept), or passed as the route gave it.
    #[project = Projected]
    pub enum CachedFuture<F> {
        Kept { answer: Option<Response> },
        Made { answer: Pin<Box<dyn Future<Output = Response> + Send>> },
        Passed { #[pin] inner: F },
    }
}

impl<F> Future for CachedFuture<F>
where
    F: Future<Output = Result<Response, Infallible>>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            Projected::Kept { answer } => Poll::Ready(Ok(answer.take().expect("polled after its answer"))),
            Projected::Made { answer } => answer.as_mut().poll(cx).map(Ok),
            Projected::Passed { inner } => inner.poll(cx),
        }
    }
}

/// What a request asks of the cache.
struct Asked {
    /// Absolute links in an answer follow the host it was asked from: the origin is in the key.
    key: String,
    freshness: Freshness,
    if_none_match: Option<HeaderValue>,
    encoding: Option<Encoding>,
}

impl Asked {
    fn of(state: &AppState, request: &Request, freshness: Freshness) -> Asked {
        let (scheme, host) = origin_parts(request.headers());
        let mut key = format!("{scheme}://{host}{}", request.uri());
        if let Freshness::Search = freshness {
            // The database's generation moves at a sync's commit, the index's searcher only when
            // it reloads: an answer computed on the old index in between is kept under the old
            // searcher.
            key.push_str(&format!("#{}", state.search.searcher_generation()));
        }
        Asked {
            key,
            freshness,
            if_none_match: request.headers().get(header::IF_NONE_MATCH).cloned(),
            encoding: Encoding::accepted(request.headers()),
        }
    }

    /// Whether its answer is kept: all but those validated on every use.
    fn keep(&self) -> bool {
        !matches!(self.freshness, Freshness::Revalidate)
    }

    fn respond(&self, answer: &Answer) -> Response {
        respond(answer, self.if_none_match.as_ref(), self.freshness, self.encoding)
    }
}

/// The answer to a request the cache does not hold yet for the current generation: the route's,
/// kept when it can be.
async fn make<S>(shared: CacheState, route: S, request: Request, asked: Asked) -> Response
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    let (state, cache) = &*shared;
    let generation = match cache.generation(state).await {
        Ok(generation) => generation,
        Err(error) => return error.into_response(),
    };
    if let Some(answer) = asked.keep().then(|| cache.get(&asked.key, generation)).flatten() {
        return asked.respond(&answer);
    }
    let Ok(response) = route.oneshot(request).await;
    let size = response.body().size_hint().upper();
    let taggable = matches!(response.status(), StatusCode::OK | StatusCode::NOT_FOUND | StatusCode::GONE);
    if !taggable || size.is_none_or(|size| size > MAX_BODY as u64) {
        return response;
    }
    let answer = match buffered(response).await {
        Ok(answer) => Arc::new(answer),
        Err(error) => return error.into_response(),
    };
    let response = asked.respond(&answer);
    if asked.keep() {
        cache.put(asked.key, generation, answer);
    }
    response
}

/// Reads the whole body of `response` and tags it.
async fn buffered(response: Response) -> Result<Answer, ApiError> {
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, MAX_BODY).await.map_err(ApiError::Answer)?;
    let digest = Sha256::digest(&body);
    let tag: String = digest.iter().take(12).map(|byte| format!("{byte:02x}")).collect();
    let content_type = parts.headers.get(header::CONTENT_TYPE).cloned();
    let text = content_type.as_ref().is_some_and(|value| {
        let value = value.as_bytes();
        value.starts_with(b"text/") || value.windows(4).any(|part| part == b"json" || part == b"+xml")
    });
    let etag = |weak: &str| {
        HeaderValue::from_str(&format!("{weak}\"{tag}\"")).expect("hex digits are a valid header value")
    };
    Ok(Answer {
        status: parts.status,
        content_type,
        etag: etag(""),
        weak_etag: etag("W/"),
        compressible: text && body.len() >= MIN_COMPRESSED,
        body,
        brotli: OnceLock::new(),
        gzip: OnceLock::new(),
    })
}

fn respond(
    answer: &Answer,
    if_none_match: Option<&HeaderValue>,
    freshness: Freshness,
    encoding: Option<Encoding>,
) -> Response {
    let encoding = encoding.filter(|_| answer.compressible);
    // Room for these and the answer headers' layer's, so that none of them grows the map.
    let mut headers = HeaderMap::with_capacity(12);
    headers.insert(header::ETAG, if encoding.is_some() { &answer.weak_etag } else { &answer.etag }.clone());
    headers.insert(header::CACHE_CONTROL, freshness.cache_control());
    if answer.compressible {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    let unchanged =
        answer.status == StatusCode::OK && if_none_match.is_some_and(|tags| matches_tag(tags, &answer.etag));
    // Built whole: `(status, headers, body).into_response()` would copy the headers into a new,
    // growing map.
    let answer_of = |status: StatusCode, headers: HeaderMap, body: Body| {
        let mut response = Response::new(body);
        *response.status_mut() = status;
        *response.headers_mut() = headers;
        response
    };
    if unchanged {
        return answer_of(StatusCode::NOT_MODIFIED, headers, Body::empty());
    }
    if let Some(content_type) = &answer.content_type {
        headers.insert(header::CONTENT_TYPE, content_type.clone());
    }
    let body = match encoding {
        Some(encoding) => {
            headers.insert(header::CONTENT_ENCODING, encoding.name());
            answer.encoded(encoding)
        }
        None => answer.body.clone(),
    };
    answer_of(answer.status, headers, Body::from(body))
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
    fn the_coding_a_client_accepts() {
        let accepted = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
            Encoding::accepted(&headers)
        };
        assert_eq!(accepted("gzip, deflate, br, zstd"), Some(Encoding::Brotli), "Chromium over https");
        assert_eq!(accepted("gzip, deflate"), Some(Encoding::Gzip), "Chromium over http");
        assert_eq!(accepted("br;q=0, GZIP;q=0.5"), Some(Encoding::Gzip));
        assert_eq!(accepted("*"), Some(Encoding::Brotli));
        assert_eq!(accepted("identity, deflate"), None);
        assert_eq!(accepted("gzip;q=0"), None);
        assert_eq!(Encoding::accepted(&HeaderMap::new()), None);
    }

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

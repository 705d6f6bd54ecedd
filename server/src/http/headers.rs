//! The headers every answer carries, set in one pass over it (one layer, no allocation, no boxed
//! future: measured in BENCHMARKS.md, four layers cost a third of the server's throughput): any
//! site may read the commons, nothing is sniffed into another type, what leaves our pages for
//! another site tells it our origin at most, and our HTML pages carry their Content-Security-Policy.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::{Layer, Service};

/// What every page of ours allows: scripts and styles from this origin only (WebAssembly
/// allowed), images from it (every image is served from the cache), players framed only over
/// https (or on this machine: tests), nothing else.
macro_rules! page_policy {
    () => {
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; media-src 'self' https:; connect-src 'self'; \
         frame-src 'self' https: http://localhost:* http://127.0.0.1:*; base-uri 'none'; form-action 'self'"
    };
}
/// Our pages are framed by no other site…
const PAGE_POLICY: &str = concat!(page_policy!(), "; frame-ancestors 'self'");
/// … except the pages made for iframes (`/embed/…`): being framed anywhere is their point.
const FRAME_PAGE_POLICY: &str = page_policy!();

/// The policy of the HTML answers at `path`: none for the demo's partner page, which stands for
/// someone else's site.
fn page_policy(path: &str) -> Option<&'static str> {
    match path {
        _ if path.starts_with("/demo/") => None,
        _ if path.starts_with("/embed/") => Some(FRAME_PAGE_POLICY),
        _ => Some(PAGE_POLICY),
    }
}

/// Sets the headers of every answer; answers CORS preflights itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct AnswerHeadersLayer;

impl<S> Layer<S> for AnswerHeadersLayer {
    type Service = AnswerHeaders<S>;

    fn layer(&self, inner: S) -> Self::Service {
        AnswerHeaders { inner }
    }
}

#[derive(Debug, Clone)]
pub struct AnswerHeaders<S> {
    inner: S,
}

impl<S> Service<Request> for AnswerHeaders<S>
where
    S: Service<Request, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = AnswerHeadersFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        // A browser asks before a cross-origin request that is not "simple" (a custom header):
        // our elements send none, a partner's own script may.
        let preflight = request.method() == Method::OPTIONS
            && request.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
        if preflight {
            return AnswerHeadersFuture::Preflight { answer: Some(preflight_answer()) };
        }
        let policy = page_policy(request.uri().path());
        AnswerHeadersFuture::Answer { inner: self.inner.call(request), policy }
    }
}

pin_project_lite::pin_project! {
    /// The inner answer, then its headers.
    #[project = Projected]
    pub enum AnswerHeadersFuture<F> {
        Preflight { answer: Option<Response> },
        Answer { #[pin] inner: F, policy: Option<&'static str> },
    }
}

impl<F, E> Future for AnswerHeadersFuture<F>
where
    F: Future<Output = Result<Response, E>>,
{
    type Output = Result<Response, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            Projected::Preflight { answer } => {
                Poll::Ready(Ok(answer.take().expect("polled after its answer")))
            }
            Projected::Answer { inner, policy } => {
                let mut response = ready!(inner.poll(cx))?;
                set_headers(&mut response, *policy);
                Poll::Ready(Ok(response))
            }
        }
    }
}

fn set_headers(response: &mut Response, policy: Option<&'static str>) {
    let headers = response.headers_mut();
    // Any site may embed the commons; nothing is personal, so no credentials.
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    // Every answer is what its type says (no sniffing a caption or a poster into a script).
    headers.entry(header::X_CONTENT_TYPE_OPTIONS).or_insert(HeaderValue::from_static("nosniff"));
    headers
        .entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("strict-origin-when-cross-origin"));
    let is_html =
        headers.get(header::CONTENT_TYPE).is_some_and(|value| value.as_bytes().starts_with(b"text/html"));
    if let Some(policy) = policy.filter(|_| is_html) {
        headers.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(policy));
    }
}

fn preflight_answer() -> Response {
    let mut response = (
        StatusCode::NO_CONTENT,
        [
            (header::ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD"),
            (header::ACCESS_CONTROL_ALLOW_HEADERS, "*"),
            (header::ACCESS_CONTROL_MAX_AGE, "86400"),
        ],
    )
        .into_response();
    set_headers(&mut response, None);
    response
}

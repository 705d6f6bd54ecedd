//! The layer that counts every answer for `/metrics`: its route (the router's pattern, so that
//! ids do not make a series each), its status and its time, recorded when the answer is ready.
//! Hand-written rather than `from_fn`, which boxes each request's future; the figures are the
//! process's ([`metrics::global`]), so that a request clones no reference count to reach them.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::response::Response;
use tower::{Layer, Service};

use crate::metrics;

#[derive(Debug, Clone)]
pub struct MeasuredLayer;

impl<S> Layer<S> for MeasuredLayer {
    type Service = Measured<S>;

    fn layer(&self, inner: S) -> Measured<S> {
        Measured { inner }
    }
}

#[derive(Debug, Clone)]
pub struct Measured<S> {
    inner: S,
}

impl<S> Service<Request> for Measured<S>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = MeasuredFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        // Taken, not cloned: its reference count is shared by every request of the route.
        let route = request.extensions_mut().remove::<MatchedPath>();
        MeasuredFuture { inner: self.inner.call(request), route, started: Instant::now() }
    }
}

pin_project_lite::pin_project! {
    /// The route's answer, recorded as it comes out.
    pub struct MeasuredFuture<F> {
        #[pin]
        inner: F,
        route: Option<MatchedPath>,
        started: Instant,
    }
}

impl<F> Future for MeasuredFuture<F>
where
    F: Future<Output = Result<Response, Infallible>>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let Poll::Ready(Ok(response)) = this.inner.poll(cx) else { return Poll::Pending };
        metrics::global().request(
            this.route.as_ref().map(MatchedPath::as_str),
            response.status().as_u16(),
            this.started.elapsed(),
        );
        Poll::Ready(Ok(response))
    }
}

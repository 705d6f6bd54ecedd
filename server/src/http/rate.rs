//! Rates per client, so that one script looping cannot starve the others nor push the server's
//! memory up: each client address has a bucket of three seconds' worth of requests refilled at
//! `per_second`; past it, 429 with `Retry-After`. Two rates: searches (a person typing stays well
//! within it, the widget asks once per pause), and the API's answers that are computed (an answer
//! the cache holds costs nothing and is not counted: the limit sits behind the cache).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use super::error::problem_response;
use super::origin::OriginPolicy;
use super::serve::peer;

/// Clients remembered at most; past it, those idle for a minute are forgotten.
const MAX_CLIENTS: usize = 10_000;

/// The requests of a kind each client may make; `per_second == 0` is no limit (behind a CDN,
/// benchmarks).
#[derive(Debug, Clone, Default)]
pub struct ClientRate {
    per_second: u32,
    /// What the client is told it did too often (« recherches », « demandes »).
    what: &'static str,
    buckets: Arc<Mutex<HashMap<IpAddr, (f64, Instant)>>>,
}

impl ClientRate {
    pub fn searches(per_second: u32) -> ClientRate {
        ClientRate { per_second, what: "recherches", buckets: Arc::default() }
    }

    pub fn api_answers(per_second: u32) -> ClientRate {
        ClientRate { per_second, what: "demandes", buckets: Arc::default() }
    }

    /// Takes one request from `client`'s bucket; `Err(wait)` when it is empty.
    fn take(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let rate = f64::from(self.per_second);
        let burst = rate * 3.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= MAX_CLIENTS {
            buckets.retain(|_, (_, seen)| now.duration_since(*seen) < Duration::from_secs(60));
        }
        let (tokens, seen) = buckets.entry(client).or_insert((burst, now));
        *tokens = (*tokens + now.duration_since(*seen).as_secs_f64() * rate).min(burst);
        *seen = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - *tokens) / rate))
        }
    }
}

/// Answers 429 to a client past its rate; requests of unknown origin (tests' `oneshot`) pass.
pub async fn limit(
    State((rate, origin)): State<(ClientRate, OriginPolicy)>,
    request: Request,
    next: Next,
) -> Response {
    let client = origin.client_address(peer(&request).map(|peer| peer.ip()), request.headers());
    if let Some(client) = client.filter(|_| rate.per_second > 0)
        && let Err(wait) = rate.take(client, Instant::now())
    {
        crate::metrics::global().refused(rate.what);
        let seconds = wait.as_secs().max(1);
        let mut response = problem_response(
            StatusCode::TOO_MANY_REQUESTS,
            Some(format!("Trop de {} d'un coup : réessayez dans {seconds} s.", rate.what)),
        );
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        return response;
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_rate() {
        let rate = ClientRate::searches(10);
        let (one, other): (IpAddr, IpAddr) = ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
        let start = Instant::now();
        assert!((0..30).all(|_| rate.take(one, start).is_ok()), "a burst of three seconds' worth");
        assert!(rate.take(one, start).is_err());
        assert!(rate.take(other, start).is_ok(), "another client has its own bucket");
        assert!(rate.take(one, start + Duration::from_millis(110)).is_ok(), "refilled at 10 per second");
        assert!(rate.take(one, start + Duration::from_millis(120)).is_err());
    }
}

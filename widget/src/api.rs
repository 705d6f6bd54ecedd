//! Calls to the companion server's JSON API.

use bao_contract::API_PREFIX;
#[cfg(feature = "search")]
use bao_contract::SearchResults;
use gloo_net::http::{Request, Response};
use wasm_bindgen_futures::JsFuture;
#[cfg(feature = "search")]
use web_sys::AbortSignal;

/// Why a resource could not be shown; the element then keeps its light-DOM fallback.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchError {
    /// The server is unreachable or the request was blocked.
    Network,
    /// The server answered with this HTTP status (404 for an unknown id).
    Status(u16),
    /// The answer was not the JSON the contract describes.
    Malformed,
    /// A newer request replaced this one.
    #[cfg(feature = "search")]
    Aborted,
}

/// A search as the element asks it.
#[cfg(feature = "search")]
pub struct SearchQuery {
    pub q: String,
    /// `(name, value)` pairs: `network`, `tag`, `kind`.
    pub filters: Vec<(&'static str, String)>,
    pub limit: u32,
}

/// `GET {api_base}api/v1/search?q=…`, cancelled when `abort` fires.
#[cfg(feature = "search")]
pub async fn search(
    api_base: &str,
    query: &SearchQuery,
    abort: Option<&AbortSignal>,
) -> Result<SearchResults, FetchError> {
    let url = format!("{api_base}{}/search", API_PREFIX.trim_start_matches('/'));
    let limit = query.limit.to_string();
    let params = [("q", query.q.as_str()), ("limit", limit.as_str())]
        .into_iter()
        .chain(query.filters.iter().map(|(name, value)| (*name, value.as_str())));
    let aborted = || abort.is_some_and(AbortSignal::aborted);
    let sent = Request::get(&url).query(params).abort_signal(abort).send().await;
    let response = match sent {
        Err(_) if aborted() => return Err(FetchError::Aborted),
        Err(_) => return Err(FetchError::Network),
        Ok(response) => response,
    };
    if !response.ok() {
        return Err(FetchError::Status(response.status()));
    }
    let results = decode_json(response).await;
    if aborted() { Err(FetchError::Aborted) } else { results }
}

#[cfg(feature = "csr")]
/// `GET {api_base}api/v1/testimonials?network=&tag=&limit=` (empty filters are left out).
#[cfg(feature = "testimonials")]
pub async fn testimonials(
    api_base: &str,
    network: &str,
    tag: &str,
    limit: u32,
) -> Result<Vec<bao_contract::Testimonial>, FetchError> {
    let url = format!("{api_base}{}/testimonials", API_PREFIX.trim_start_matches('/'));
    let limit = limit.to_string();
    let params = [("network", network), ("tag", tag), ("limit", limit.as_str())]
        .into_iter()
        .filter(|(_, value)| !value.is_empty());
    let response = Request::get(&url).query(params).send().await.map_err(|_| FetchError::Network)?;
    if !response.ok() {
        return Err(FetchError::Status(response.status()));
    }
    let mut items = decode_json::<bao_contract::TestimonialList>(response).await?.items;
    // Defence in depth: a player the server should have refused is never framed on a host page,
    // nor one hosted elsewhere than its label says.
    items.retain(|item| {
        let video = &item.video;
        bao_contract::is_safe_player_url(video.provider, &video.embed_url)
            && bao_contract::player_is_where_it_says(video.provider, &video.embed_url, &video.host_name)
    });
    Ok(items)
}

/// Parses the body with the browser's own JSON parser and reads the result with
/// serde-wasm-bindgen: no JSON parser compiled into the wasm (measured in BENCHMARKS.md).
async fn decode_json<T: serde::de::DeserializeOwned>(response: Response) -> Result<T, FetchError> {
    let promise = web_sys::Response::from(response).json().map_err(|_| FetchError::Malformed)?;
    let value = JsFuture::from(promise).await.map_err(|_| FetchError::Malformed)?;
    serde_wasm_bindgen::from_value(value).map_err(|_| FetchError::Malformed)
}

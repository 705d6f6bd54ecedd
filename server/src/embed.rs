//! Embedding where a site cannot paste our script: the oEmbed provider (`/oembed`, RFC-less but
//! specified at oembed.com) and the iframe pages it points to (`/embed/…`), which size themselves
//! to their content with two tiny scripts of our own (`/embed-frame.js` inside, `/resize.js` on
//! the host page). No cookies are set anywhere.

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use bao_contract::{API_PREFIX, Kind};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::db::TestimonialFilter;
use crate::error::{ApiError, problem_response};
use crate::pages::escape;

/// Largest and default size of the iframe an oEmbed answer proposes; it then fits its content.
const OEMBED_MAX_WIDTH: u32 = 640;
const OEMBED_DEFAULT_HEIGHT: u32 = 480;
const OEMBED_MIN_SIDE: u32 = 200;
/// How long consumers may keep an answer (seconds).
const OEMBED_CACHE_AGE: u32 = 86_400;

/// The origin this server is reached at, as the request says it (a proxy's `X-Forwarded-*`
/// first): canonical URLs and iframe addresses are built from it.
pub fn public_origin(headers: &HeaderMap) -> String {
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok()).map(str::trim);
    let host =
        header("x-forwarded-host").or(header("host")).filter(|host| is_host(host)).unwrap_or("localhost");
    let scheme = match header("x-forwarded-proto") {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

/// A host name with an optional port, and nothing that could break out of a URL or an attribute.
fn is_host(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 255
        && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

/// Query string of `GET /oembed`, as sent.
#[derive(Debug, Deserialize)]
pub struct OEmbedParams {
    url: Option<String>,
    format: Option<String>,
    maxwidth: Option<String>,
    maxheight: Option<String>,
}

/// An oEmbed 1.0 answer of type `rich`, with the licence as extra fields (consumers ignore
/// fields they do not know; attribution travels with the embed).
#[derive(Debug, Serialize, Deserialize)]
pub struct OEmbed {
    pub version: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub author_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_url: Option<String>,
    pub provider_name: String,
    pub provider_url: String,
    pub cache_age: u32,
    pub html: String,
    pub width: u32,
    pub height: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail_width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail_height: Option<u32>,
    pub license: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_url: Option<String>,
}

/// `GET /oembed?url=&format=json&maxwidth=&maxheight=`. As the specification says: 404 for a URL
/// that is not one of our resource pages, 501 for a format other than JSON.
pub async fn oembed(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<OEmbedParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params.map_err(|rejection| ApiError::BadRequest(rejection.body_text()))?;
    if params.format.as_deref().is_some_and(|format| format != "json") {
        return Ok(problem_response(
            StatusCode::NOT_IMPLEMENTED,
            Some("Ce fournisseur oEmbed ne répond qu'en JSON (format=json).".into()),
        ));
    }
    let url = params.url.filter(|url| !url.is_empty()).ok_or_else(|| {
        ApiError::BadRequest("`url` est requis : l'adresse d'une page /r/… de ce serveur.".into())
    })?;
    let origin = public_origin(&headers);
    let not_ours = || ApiError::NotFound(format!("« {url} » n'est pas une page de ressource de {origin}."));
    let id = resource_id_of(&url, &origin).ok_or_else(not_ours)?;
    let lookup_id = id.clone();
    let Some(resource) = state.query(move |db| db.resource(&lookup_id)).await? else {
        return Err(not_ours());
    };
    let width = dimension(params.maxwidth.as_deref(), OEMBED_MAX_WIDTH)?;
    let height = dimension(params.maxheight.as_deref(), OEMBED_DEFAULT_HEIGHT)?;
    let thumbnail = if resource.kind == Kind::Video {
        let poster_id = id.clone();
        state
            .query(move |db| db.poster_size(&poster_id))
            .await?
            .map(|(width, height)| (format!("{origin}{API_PREFIX}/testimonials/{id}/poster"), width, height))
    } else {
        None
    };
    let src = format!("{origin}/embed/r/{id}");
    let title = resource.title;
    let html = format!(
        r#"<iframe src="{src}" width="{width}" height="{height}" title="{}" loading="lazy" style="border:0;max-width:100%" referrerpolicy="strict-origin-when-cross-origin"></iframe>"#,
        escape(&title)
    );
    let answer = OEmbed {
        version: "1.0".into(),
        kind: "rich".into(),
        author_name: if resource.authors.is_empty() {
            resource.network.name.clone()
        } else {
            format!("{} ({})", resource.authors.join(", "), resource.network.name)
        },
        author_url: resource.network.url,
        title,
        provider_name: "multiBàO".into(),
        provider_url: format!("{origin}/"),
        cache_age: OEMBED_CACHE_AGE,
        html,
        width,
        height,
        thumbnail_width: thumbnail.as_ref().map(|(_, width, _)| *width),
        thumbnail_height: thumbnail.as_ref().map(|(_, _, height)| *height),
        thumbnail_url: thumbnail.map(|(url, _, _)| url),
        license: resource.licence.label,
        license_url: resource.licence.url,
    };
    Ok(axum::Json(answer).into_response())
}

/// The id in `{origin}/r/{id}` (a query or fragment after it is ignored); `None` for any other URL.
fn resource_id_of(url: &str, origin: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let (_, our_host) = origin.split_once("://")?;
    // http and https name the same page (a proxy may terminate TLS before us).
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    let (host, path) = rest.split_once('/')?;
    if !host.eq_ignore_ascii_case(our_host) {
        return None;
    }
    let id = path.strip_prefix("r/")?.split(['?', '#']).next()?;
    (!id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')).then(|| id.to_owned())
}

/// A `maxwidth`/`maxheight`: at most `largest`, and never below what a card can use.
fn dimension(value: Option<&str>, largest: u32) -> Result<u32, ApiError> {
    match value.filter(|value| !value.is_empty()) {
        None => Ok(largest),
        Some(text) => text.parse::<u32>().map(|value| value.clamp(OEMBED_MIN_SIDE, largest)).map_err(|_| {
            ApiError::BadRequest(format!("`maxwidth` et `maxheight` sont des entiers (reçu « {text} »)."))
        }),
    }
}

/// `GET /embed/r/{id}?theme=&lang=`: one resource's card, alone in a page made to live in an iframe.
pub async fn card_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let lookup_id = id.clone();
    let Some(resource) = state.query(move |db| db.resource(&lookup_id)).await? else {
        return Ok((
            StatusCode::NOT_FOUND,
            Html(frame_page("Ressource introuvable", "<p>Ressource introuvable.</p>")),
        )
            .into_response());
    };
    let element = format!(
        r#"<bao-card resource="{id}"{attributes}><a href="/r/{id}">{title}</a></bao-card>"#,
        id = escape(&resource.id),
        attributes = element_attributes(&params, &["theme", "lang"]),
        title = escape(&resource.title)
    );
    Ok(Html(frame_page(&resource.title, &element)).into_response())
}

/// `GET /embed/recherche?network=&tag=&kind=&placeholder=&limit=&lang=`: a search box.
pub async fn search_page(Query(params): Query<HashMap<String, String>>) -> Html<String> {
    let attributes = element_attributes(
        &params,
        &["network", "tag", "kind", "placeholder", "limit", "lang", "open", "theme"],
    );
    Html(frame_page(
        "Recherche dans multiBàO",
        &format!(r#"<bao-search{attributes}><a href="/">Chercher dans multiBàO</a></bao-search>"#),
    ))
}

/// `GET /embed/temoignages?network=&tag=&limit=&lang=`: a carousel of filmed testimonies.
pub async fn testimonials_page(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Html<String>, ApiError> {
    // The fallback names the first testimony, so the frame is not empty without WebAssembly.
    let filter = TestimonialFilter {
        network: params.get("network").filter(|v| !v.is_empty()).cloned(),
        tag: params.get("tag").filter(|v| !v.is_empty()).cloned(),
        limit: 1,
        ..TestimonialFilter::default()
    };
    let first = state.query(move |db| db.testimonials(&filter)).await?.into_iter().next();
    let fallback = first.map_or_else(
        || "Témoignages filmés".to_owned(),
        |t| format!(r#"<a href="/r/{}">{}</a>"#, escape(&t.resource.id), escape(&t.resource.title)),
    );
    let attributes = element_attributes(&params, &["network", "tag", "limit", "lang", "theme"]);
    Ok(Html(frame_page(
        "Témoignages filmés — multiBàO",
        &format!("<bao-testimonials{attributes}>{fallback}</bao-testimonials>"),
    )))
}

/// ` name="value"` for each allowed query parameter that is set, escaped.
fn element_attributes(params: &HashMap<String, String>, allowed: &[&str]) -> String {
    allowed
        .iter()
        .filter_map(|name| params.get(*name).filter(|value| !value.is_empty()).map(|value| (name, value)))
        .map(|(name, value)| format!(r#" {name}="{}""#, escape(value)))
        .collect()
}

/// A page holding one element and nothing else: transparent, no margin, links open in the
/// window around the iframe. Scripts are files of ours only (no inline script: strict CSPs).
fn frame_page(title: &str, element: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<base target="_top">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/embed-frame.css">
<script src="/embed.js"></script>
<script src="/embed-frame.js"></script>
</head>
<body>
{element}
</body>
</html>"#,
        title = escape(title)
    )
}

const FRAME_CSS: &str = "html,body{margin:0;padding:0;background:transparent;font-family:system-ui,sans-serif}\
bao-card,bao-search,bao-testimonials{--bao-margin:0;--bao-max-width:none}";

/// `GET /embed-frame.css`, `GET /embed-frame.js` and `GET /resize.js`: the few static files of
/// the iframe pages and of the pages around them.
pub async fn frame_css() -> Response {
    static_file("text/css; charset=utf-8", FRAME_CSS)
}

pub async fn frame_js() -> Response {
    static_file("text/javascript; charset=utf-8", include_str!("../../widget/js/frame.js"))
}

pub async fn resize_js() -> Response {
    static_file("text/javascript; charset=utf-8", include_str!("../../widget/js/resize.js"))
}

pub(crate) fn static_file(content_type: &'static str, text: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=300")], text)
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_resource_pages_are_embeddable() {
        let origin = "https://bao.example.org";
        assert_eq!(resource_id_of("https://bao.example.org/r/a-b-2", origin).as_deref(), Some("a-b-2"));
        assert_eq!(resource_id_of("http://BAO.example.org/r/a?x=1#y", origin).as_deref(), Some("a"));
        for other in [
            "https://evil.example/r/a",
            "https://bao.example.org.evil.example/r/a",
            "https://bao.example.org/api/v1/resources/a",
            "https://bao.example.org/r/",
            "https://bao.example.org/r/../x",
            "javascript://bao.example.org/r/a",
            "bao.example.org/r/a",
        ] {
            assert_eq!(resource_id_of(other, origin), None, "{other}");
        }
    }

    #[test]
    fn origins_come_from_the_request_and_cannot_inject() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "bao.example.org:8080".parse().unwrap());
        assert_eq!(public_origin(&headers), "http://bao.example.org:8080");
        headers.insert("x-forwarded-proto", "https".parse().unwrap());
        headers.insert("x-forwarded-host", "commun.example".parse().unwrap());
        assert_eq!(public_origin(&headers), "https://commun.example");
        headers.insert("x-forwarded-host", "a\"><script>".parse().unwrap());
        headers.remove(header::HOST);
        assert_eq!(public_origin(&headers), "https://localhost");
    }
}

//! Embedding where a site cannot paste our script: the oEmbed provider (`/oembed`, RFC-less but
//! specified at oembed.com) and the iframe pages it points to (`/embed/…`), which size themselves
//! to their content with two tiny scripts of our own (`/embed-frame.js` inside, `/resize.js` on
//! the host page). No cookies are set anywhere.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use bao_contract::elements::{
    CARD, CarouselAttributes, Element, FRAME_ATTRIBUTES, SEARCH, SearchAttributes, TESTIMONIALS,
};
use bao_contract::{Kind, POSTER_HEIGHT, POSTER_WIDTH};
use serde::{Deserialize, Serialize};

use super::error::{ApiError, ApiPath, ApiQuery};
use super::links::{self, public_origin};
use super::painted::PaintedElement;
use crate::AppState;
use crate::address::has_web_scheme;
use bao_widget::render::{self, Context, Placement};

/// Largest and default size of the iframe an oEmbed answer proposes; it then fits its content.
const OEMBED_MAX_WIDTH: u32 = 640;
const OEMBED_DEFAULT_HEIGHT: u32 = 480;
const OEMBED_MIN_SIDE: u32 = 200;
/// How long consumers may keep an answer (seconds).
const OEMBED_CACHE_AGE: u32 = 86_400;

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
    ApiQuery(params): ApiQuery<OEmbedParams>,
) -> Result<Response, ApiError> {
    // An empty format is the default, JSON.
    if params.format.as_deref().is_some_and(|format| !format.is_empty() && format != "json") {
        return Err(ApiError::NotImplemented(
            "Ce fournisseur oEmbed ne répond qu'en JSON (format=json).".into(),
        ));
    }
    let url = params.url.filter(|url| !url.is_empty()).ok_or_else(|| {
        ApiError::BadRequest("`url` est requis : l'adresse d'une page /r/… de ce serveur.".into())
    })?;
    let origin = public_origin(&headers);
    let not_ours = || ApiError::NotFound(format!("« {url} » n'est pas une page de ressource de {origin}."));
    let id = resource_id_of(&url, &origin).ok_or_else(not_ours)?;
    let resource = match state.current_resource(&id).await {
        Err(ApiError::NotFound(_)) => return Err(not_ours()),
        other => other?,
    };
    let id = resource.id.clone();
    let width = dimension(params.maxwidth.as_deref(), OEMBED_MAX_WIDTH)?;
    let height = dimension(params.maxheight.as_deref(), OEMBED_DEFAULT_HEIGHT)?;
    let thumbnail = if resource.kind == Kind::Video {
        let poster_id = id.clone();
        state.query(move |db| db.poster_size(&poster_id)).await?.map(|size| {
            let (width, height) = size.unwrap_or((POSTER_WIDTH, POSTER_HEIGHT));
            (format!("{origin}{}", links::poster(&id)), width, height)
        })
    } else {
        None
    };
    let title = resource.title;
    let authors = resource.authors.join(", ");
    let about: Vec<&str> = [resource.network.name.as_str(), &authors, &resource.licence.label]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect();
    let html = OEmbedFrame {
        page: format!("{origin}{}", links::resource_page(&id)),
        src: format!("{origin}{}", links::card_frame(&id)),
        width,
        height,
        title: &title,
        summary: &resource.summary,
        about: &about.join(" · "),
    }
    .render()?;
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

/// What an oEmbed answer proposes: the iframe, after a quotation that holds the card's first
/// view as text (the title as a link to the resource's page, its summary, « network · authors ·
/// licence »), which WordPress shows until the frame has painted and keeps as text only (it
/// allows nothing but `a` in it). WordPress loads the listener that resizes the iframe and follows its links
/// (`wp-embed.js`) only for an answer holding a `<blockquote class="wp-embedded-content">`
/// (shared/notes/field.md); it strips the quotation's style and hides it once the frame says
/// its height. Anywhere else the style hides it. WordPress strips the iframe's style too:
/// `frameborder` keeps its border off, and the width is the column's (`100%`, which the style
/// bounds by `maxwidth` elsewhere): a width in pixels overflows a phone's column, and WordPress's
/// block editor would fix a width-in-pixels frame's height to a ratio that cuts the card.
#[derive(Template)]
#[template(
    source = r#"<blockquote class="wp-embedded-content" style="display:none"><a href="{{ page }}">{{ title }}</a>{% if !summary.is_empty() %} — {{ summary }}{% endif %} — {{ about }}</blockquote><iframe class="wp-embedded-content" src="{{ src }}" width="100%" height="{{ height }}" title="{{ title }}" frameborder="0" loading="lazy" style="border:0;max-width:{{ width }}px" allow="clipboard-write" referrerpolicy="strict-origin-when-cross-origin"></iframe>"#,
    ext = "html"
)]
struct OEmbedFrame<'a> {
    /// The resource's page, which the quotation links to.
    page: String,
    src: String,
    width: u32,
    height: u32,
    title: &'a str,
    summary: &'a str,
    about: &'a str,
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

/// A page holding one element and nothing else (`templates/frame.html`), already painted:
/// transparent, no margin, links open in the window around the iframe. Scripts are files of ours
/// only (no inline script: strict CSPs).
#[derive(Template)]
#[template(path = "frame.html")]
struct FramePage<'a> {
    title: &'a str,
    /// The element (`PaintedElement`), rendered.
    element: String,
}

impl FramePage<'_> {
    fn html(&self) -> Result<Html<String>, ApiError> {
        Ok(Html(self.render()?))
    }
}

/// Query string of `GET /lien`.
#[derive(Debug, Deserialize)]
pub struct LinkParams {
    vers: Option<String>,
}

/// `GET /lien?vers=URL`: follows a link clicked inside a frame that WordPress sandboxed (WordPress
/// follows only links to our host). Redirects only to an address the commons holds — a resource's
/// source, licence or a link of its body — so that it is no open redirect for anyone else.
pub async fn follow_link(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<LinkParams>,
) -> Result<Response, ApiError> {
    let url = params.vers.filter(|url| !url.is_empty()).ok_or_else(|| {
        ApiError::BadRequest("`vers` est requis : l'adresse d'un lien d'une ressource.".into())
    })?;
    if !has_web_scheme(&url) || url.len() > 2048 {
        return Err(ApiError::BadRequest("`vers` doit être une adresse http(s).".into()));
    }
    // What no header can hold is no address (a line break, which a body may write `&#10;`).
    let location = HeaderValue::from_str(&url).map_err(|_| {
        ApiError::BadRequest("`vers` contient des caractères qu'aucune adresse ne contient.".into())
    })?;
    // Browsers write `https://site.org` as `https://site.org/`: either spelling may be the stored one.
    let spellings = [url.clone(), url.strip_suffix('/').unwrap_or(&url).to_owned()];
    let held = state
        .query(move |db| {
            for spelling in &spellings {
                if db.holds_link(spelling)? {
                    return Ok(true);
                }
            }
            Ok(false)
        })
        .await?;
    if !held {
        return Err(ApiError::NotFound(format!("« {url} » n'est le lien d'aucune ressource de ce serveur.")));
    }
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response())
}

/// `GET /embed/r/{id}?theme=&lang=&counting=`: one resource's card, alone in a page made to live in an iframe.
pub async fn card_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
    ApiQuery(params): ApiQuery<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let resource = match state.current_resource(&id).await {
        Ok(resource) => resource,
        Err(missing @ (ApiError::NotFound(_) | ApiError::Gone(_))) => {
            let (status, text) = match &missing {
                ApiError::Gone(text) => (StatusCode::GONE, text.as_str()),
                _ => (StatusCode::NOT_FOUND, "Ressource introuvable."),
            };
            let element = PaintedElement {
                name: "p",
                attributes: vec![],
                view: None,
                stylesheet: None,
                fallback_link: None,
                fallback_text: text,
            };
            return Ok(
                (status, FramePage { title: text, element: element.render()? }.html()?).into_response()
            );
        }
        Err(error) => return Err(error),
    };
    let mut attributes = vec![("resource", resource.id.clone())];
    attributes.extend(element_attributes(&params, &CARD));
    let title = resource.title.clone();
    let api_base = links::public_base(&headers);
    let lang = params.get("lang").map_or("", String::as_str);
    let element = PaintedElement {
        name: CARD.name,
        fallback_link: Some(links::resource_page(&resource.id)),
        view: Some(render::card(resource, Placement::Embedded, &Context { api_base: &api_base, lang })),
        stylesheet: state.stylesheet(CARD.name),
        attributes,
        fallback_text: &title,
    };
    Ok(FramePage { title: &title, element: element.render()? }.html()?.into_response())
}

/// `GET /embed/recherche?network=&tag=&kind=&placeholder=&limit=&lang=`: a search box.
pub async fn search_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<HashMap<String, String>>,
    ApiQuery(typed): ApiQuery<SearchAttributes>,
) -> Result<Html<String>, ApiError> {
    let element = PaintedElement {
        name: SEARCH.name,
        attributes: element_attributes(&params, &SEARCH),
        view: Some(render::search_box(typed, &links::public_base(&headers))),
        stylesheet: state.stylesheet(SEARCH.name),
        fallback_link: Some("/".into()),
        fallback_text: "Chercher dans multiBàO",
    };
    FramePage { title: "Recherche dans multiBàO", element: element.render()? }.html()
}

/// `GET /embed/temoignages?network=&tag=&limit=&lang=`: a carousel of filmed testimonies.
pub async fn testimonials_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<HashMap<String, String>>,
    ApiQuery(typed): ApiQuery<CarouselAttributes>,
) -> Result<Html<String>, ApiError> {
    let items = super::fragments::carousel_items(&state, &typed).await?;
    // The fallback names the first testimony, for a browser without declarative shadow DOM.
    let (fallback_link, fallback_text) = match items.first() {
        Some(first) => (Some(links::resource_page(&first.resource.id)), first.resource.title.clone()),
        None => (None, "Témoignages filmés".to_owned()),
    };
    let api_base = links::public_base(&headers);
    let element = PaintedElement {
        name: TESTIMONIALS.name,
        attributes: element_attributes(&params, &TESTIMONIALS),
        view: Some(render::carousel(items, &Context { api_base: &api_base, lang: &typed.lang })),
        stylesheet: state.stylesheet(TESTIMONIALS.name),
        fallback_link,
        fallback_text: &fallback_text,
    };
    FramePage { title: "Témoignages filmés — multiBàO", element: element.render()? }.html()
}

/// Each query parameter that is an attribute of the element's frame and is set, as an attribute.
fn element_attributes(params: &HashMap<String, String>, element: &Element) -> Vec<(&'static str, String)> {
    let mut attributes: Vec<(&'static str, String)> = element
        .attributes
        .iter()
        .chain(&FRAME_ATTRIBUTES)
        .filter_map(|name| {
            params.get(*name).filter(|value| !value.is_empty()).map(|value| (*name, value.clone()))
        })
        .collect();
    // A frame cannot take the colours of the page around it: without a theme it is light, with
    // its own background, readable on a dark page too.
    if !attributes.iter().any(|(name, _)| *name == "theme") {
        attributes.push(("theme", "light".into()));
    }
    attributes
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
}

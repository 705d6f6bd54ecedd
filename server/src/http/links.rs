//! Every address the server gives out, built here and nowhere else: the public origin, canonical
//! pages, and the poster and captions routes a testimony points to.

use axum::http::HeaderMap;
use bao_contract::{
    API_PREFIX, Captions, Change, ChangeKind, ReplicaCaptions, ReplicaVideo, Resource, Testimonial, Video,
    is_server_path, percent_encode,
};

use crate::opendata::{Filter, dataset};
use crate::sources::text::escape_html;
use crate::store::html::{self, Rewrite};
use crate::store::media::{media_key, other_host_image};
use crate::store::{StoredChange, StoredTestimonial};

/// The WordPress plugin, zipped for WordPress's upload form (`/integrer` links to it).
pub const WORDPRESS_PLUGIN: &str = "/integrer/multibao-wordpress.zip";

/// The origin this server is reached at, as the request says it (a proxy's `X-Forwarded-*`
/// first): canonical URLs and iframe addresses are built from it.
pub fn public_origin(headers: &HeaderMap) -> String {
    let (scheme, host) = origin_parts(headers);
    format!("{scheme}://{host}")
}

/// The scheme and host of [`public_origin`], borrowed from the request.
pub fn origin_parts(headers: &HeaderMap) -> (&'static str, &str) {
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok()).map(str::trim);
    let host =
        header("x-forwarded-host").or(header("host")).filter(|host| is_host(host)).unwrap_or("localhost");
    let scheme = match header("x-forwarded-proto") {
        Some("https") => "https",
        _ => "http",
    };
    (scheme, host)
}

/// The server's base URL (its public origin and `/`), which the elements' views build their
/// absolute links on: they are shown on other sites.
pub fn public_base(headers: &HeaderMap) -> String {
    format!("{}/", public_origin(headers))
}

/// A host name with an optional port, and nothing that could break out of a URL or an attribute.
pub(crate) fn is_host(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 255
        && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

/// `/r/{id}`: the canonical page of a resource.
pub fn resource_page(id: &str) -> String {
    format!("/r/{}", percent_encode(id))
}

/// `/api/v1/resources/{id}`: a resource as JSON.
pub fn resource_json(id: &str) -> String {
    format!("{API_PREFIX}/resources/{}", percent_encode(id))
}

/// A file of the dataset (`/datapackage.json`, `/export/resources.csv`…) for `filter`.
pub fn dataset_file(name: &str, filter: &Filter) -> String {
    let path = if name == dataset::PACKAGE { format!("/{name}") } else { format!("/export/{name}") };
    let mut query = Vec::new();
    if let Some(network) = &filter.network {
        query.push(format!("network={}", percent_encode(network)));
    }
    if filter.open_only {
        query.push("open=true".to_owned());
    }
    if query.is_empty() { path } else { format!("{path}?{}", query.join("&")) }
}

/// `/catalog.jsonld`: the DCAT catalogue of the commons' datasets.
pub fn catalog() -> String {
    "/catalog.jsonld".to_owned()
}

/// `/feed.xml`: the Atom feed of new and updated resources, of one network with `network`.
pub fn feed(network: Option<&str>) -> String {
    match network {
        Some(network) => format!("/feed.xml?network={}", percent_encode(network)),
        None => "/feed.xml".to_owned(),
    }
}

/// `/sitemap.xml`, or one part of it.
pub fn sitemap(part: Option<u64>) -> String {
    match part {
        Some(part) => format!("/sitemap.xml?part={part}"),
        None => "/sitemap.xml".to_owned(),
    }
}

/// `/embed/r/{id}`: a resource's card alone in a page made for an iframe.
pub fn card_frame(id: &str) -> String {
    format!("{}/{}", bao_contract::elements::CARD.frame, percent_encode(id))
}

/// The poster route of a testimony.
pub fn poster(id: &str) -> String {
    format!("{API_PREFIX}/testimonials/{}/poster", percent_encode(id))
}

/// A resource's image as this server serves it: an image of another host was fetched once into
/// the cache (as posters are), so that visitors' browsers ask nothing of a third party.
pub fn image(id: &str) -> String {
    format!("{API_PREFIX}/resources/{}/image", percent_encode(id))
}

/// `/api/v1/media/{key}`: an image of a body, from the cache.
pub fn media(key: &str) -> String {
    format!("{API_PREFIX}/media/{key}")
}

/// Addresses a resource's image, and the images of its body, on this server, and makes the
/// players framed in its body links to them: a visitor's browser asks nothing of another host
/// until the visitor chooses to go there.
pub fn serve_media_here(resource: &mut Resource) {
    if let Some(image) = resource.image.as_mut().filter(|image| !is_server_path(&image.url)) {
        image.url = self::image(&resource.id);
    }
    if let Some(body) = resource.body_html.as_mut() {
        *body = html::rewrite(body, |tag| match &*tag.name {
            "img" => {
                if let Some(url) = html::attribute(tag, "src").and_then(other_host_image) {
                    html::set_attribute(tag, "src", &media(&media_key(&url)));
                }
                Rewrite::Keep
            }
            // A player (of known hosts only: the sanitiser's) as a link to it, named after its host.
            "iframe" => match html::attribute(tag, "src") {
                Some(src) => {
                    let host =
                        src.split("://").nth(1).and_then(|rest| rest.split('/').next()).unwrap_or_default();
                    let host = host.trim_start_matches("www.").trim_start_matches("player.");
                    Rewrite::Replace(format!(
                        "<p><a href=\"{}\" rel=\"noopener noreferrer nofollow\">Voir la vidéo sur {}</a></p>",
                        escape_html(src),
                        escape_html(host)
                    ))
                }
                None => Rewrite::Drop,
            },
            _ => Rewrite::Keep,
        });
    }
}

/// The resource with its media addressed on this server.
pub fn with_served_media(mut resource: Resource) -> Resource {
    serve_media_here(&mut resource);
    resource
}

/// `url` made absolute against `origin` when it is a path on this server.
pub fn absolute(origin: &str, url: &str) -> String {
    if is_server_path(url) { format!("{origin}{url}") } else { url.to_owned() }
}

/// A stored testimony as the API gives it: its poster and captions addressed on this server.
pub fn testimonial(stored: StoredTestimonial) -> Testimonial {
    let StoredTestimonial { resource, quote, video } = stored;
    let resource = with_served_media(resource);
    // A path on this server is served as it is; anything else went through the poster cache.
    let poster_url = match video.poster_source {
        Some(path) if is_server_path(&path) => path,
        _ => poster(&resource.id),
    };
    let captions = video
        .captions
        .into_iter()
        .map(|(lang, label)| Captions {
            url: format!(
                "{API_PREFIX}/testimonials/{}/captions/{}",
                percent_encode(&resource.id),
                percent_encode(&lang)
            ),
            lang,
            label,
        })
        .collect();
    let video = Video {
        provider: video.provider,
        host_name: video.host_name,
        embed_url: video.embed_url,
        poster_url,
        duration_seconds: video.duration_seconds,
        captions,
        transcript: video.transcript,
    };
    Testimonial { resource, quote, video }
}

/// A stored change as a following server reads it, its addresses absolute against `origin`;
/// `None` for a change the store cannot say (a written resource without its record).
pub fn change(origin: &str, stored: StoredChange) -> Option<Change> {
    let change = match stored.change.as_str() {
        "written" => ChangeKind::Written,
        "withdrawn" => ChangeKind::Withdrawn,
        "merged" => ChangeKind::Merged,
        _ => return None,
    };
    let page = format!("{origin}{}", resource_page(&stored.id));
    let (resource, video) = match stored.record {
        Some(record) if change == ChangeKind::Written => {
            let mut resource = record.resource;
            resource.id.clone_from(&stored.id);
            resource.sources.clear();
            if let Some(image) = resource.image.as_mut() {
                image.url = absolute(origin, &image.url);
            }
            let video = record.video.map(|video| ReplicaVideo {
                provider: video.provider,
                host_name: video.host_name,
                embed_url: video.embed_url,
                poster_url: video.poster_source.map(|poster| absolute(origin, &poster)),
                duration_seconds: video.duration_seconds,
                quote: video.quote,
                transcript: video.transcript,
                captions: video
                    .captions
                    .into_iter()
                    .map(|captions| ReplicaCaptions {
                        lang: captions.lang,
                        label: captions.label,
                        vtt: captions.vtt,
                    })
                    .collect(),
            });
            (Some(resource), video)
        }
        None if change == ChangeKind::Written => return None,
        _ => (None, None),
    };
    Some(Change {
        seq: stored.seq,
        id: stored.id,
        change,
        at: stored.at,
        page,
        resource,
        video,
        merged_into: stored.merged_into,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header;

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

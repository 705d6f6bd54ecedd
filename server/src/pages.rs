//! Server-rendered HTML: the canonical page of each resource (`/r/{id}`), the link every card
//! points to, readable without JavaScript, with its oEmbed discovery link and its schema.org
//! description (JSON-LD) for search engines and reusers.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use bao_contract::{Kind, Licence, Resource, Testimonial};
use serde_json::json;

use crate::AppState;
use crate::db::TestimonialFilter;
use crate::embed::public_origin;
use crate::error::ApiError;

/// `GET /r/{id}`.
pub async fn resource_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let lookup_id = id.clone();
    let found = state
        .query(move |db| {
            let Some(resource) = db.resource(&lookup_id)? else { return Ok(None) };
            let filter = TestimonialFilter { id: Some(lookup_id), limit: 1, ..TestimonialFilter::default() };
            let testimonial = if resource.kind == Kind::Video {
                db.testimonials(&filter)?.into_iter().next()
            } else {
                None
            };
            Ok(Some((resource, testimonial)))
        })
        .await?;
    let page = match found {
        Some((resource, testimonial)) => {
            Html(render_resource(&resource, testimonial.as_ref(), &public_origin(&headers))).into_response()
        }
        None => (
            StatusCode::NOT_FOUND,
            Html(layout(
                "Ressource introuvable",
                &format!(
                    "<h1>Ressource introuvable</h1><p>Aucune ressource n'a l'identifiant « {} ».</p>",
                    escape(&id)
                ),
            )),
        )
            .into_response(),
    };
    Ok(page)
}

fn render_resource(resource: &Resource, testimonial: Option<&Testimonial>, origin: &str) -> String {
    let image = resource.image.as_ref().map_or(String::new(), |image| {
        format!(
            r#"<img class="cover" src="{}" alt="{}" loading="lazy">"#,
            escape(&image.url),
            escape(&image.alt)
        )
    });
    let authors = if resource.authors.is_empty() {
        String::new()
    } else {
        format!("<p>Par {}</p>", escape(&resource.authors.join(", ")))
    };
    let tags: String = resource.tags.iter().map(|tag| format!("<li>{}</li>", escape(tag))).collect();
    let body = format!(
        r#"<article lang="{lang}">
<p class="kind">{kind} · {network}</p>
<h1>{title}</h1>
{authors}
<p class="summary">{summary_text}</p>
{image}
<ul class="tags" aria-label="Thèmes">{tags}</ul>
<div class="body">{body_html}</div>
<footer>
<p>{licence}</p>
<p>Source : <a href="{source}">{source}</a></p>
<p><a href="/api/v1/resources/{id}" type="application/json">Données (JSON)</a></p>
</footer>
</article>"#,
        lang = escape(&resource.lang),
        kind = resource.kind.label_fr(),
        network = escape(&resource.network.name),
        title = escape(&resource.title),
        summary_text = escape(&resource.summary),
        body_html = resource.body_html.as_deref().unwrap_or_default(),
        licence = licence_html(&resource.licence),
        source = escape(&resource.source_url),
        id = escape(&resource.id),
    );
    let page_url = format!("{origin}/r/{}", resource.id);
    let head = format!(
        r#"<link rel="canonical" href="{url}">
<link rel="alternate" type="application/json+oembed" href="{origin}/oembed?url={encoded}&amp;format=json" title="{title}">
<script type="application/ld+json">{json_ld}</script>"#,
        url = escape(&page_url),
        origin = escape(origin),
        encoded = bao_contract::percent_encode(&page_url),
        title = escape(&resource.title),
        json_ld = json_ld(resource, testimonial, origin),
    );
    layout_with_head(&resource.title, &head, &body)
}

/// The resource described with schema.org: `LearningResource` for a fiche, `Article` for a written
/// testimony, `VideoObject` for a filmed one, with its licence, authors, publisher and source.
/// Safe inside `<script>`: every `<` is written `\u003c`.
fn json_ld(resource: &Resource, testimonial: Option<&Testimonial>, origin: &str) -> String {
    let absolute = |url: &str| if url.starts_with('/') { format!("{origin}{url}") } else { url.to_owned() };
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": match resource.kind {
            Kind::Fiche => "LearningResource",
            Kind::Temoignage => "Article",
            Kind::Video => "VideoObject",
        },
        "name": resource.title,
        "description": resource.summary,
        "url": format!("{origin}/r/{}", resource.id),
        "inLanguage": resource.lang,
        "license": resource.licence.url.clone().unwrap_or_else(|| resource.licence.label.clone()),
        "author": resource.authors.iter().map(|name| json!({"@type": "Person", "name": name})).collect::<Vec<_>>(),
        "publisher": {"@type": "Organization", "name": resource.network.name, "url": resource.network.url},
        "isBasedOn": resource.source_url,
        "keywords": resource.tags.join(", "),
    });
    if let Some(image) = &resource.image {
        value["image"] = json!(absolute(&image.url));
    }
    if let Some(updated) = &resource.updated {
        value["dateModified"] = json!(updated);
    }
    if let Some(Testimonial { video, .. }) = testimonial {
        value["embedUrl"] = json!(absolute(&video.embed_url));
        value["thumbnailUrl"] = json!(absolute(&video.poster_url));
        if let Some(seconds) = video.duration_seconds {
            value["duration"] = json!(format!("PT{}M{}S", seconds / 60, seconds % 60));
        }
        if let Some(transcript) = &video.transcript {
            value["transcript"] = json!(transcript);
        }
    }
    value.to_string().replace('<', "\\u003c")
}

/// The licence line: label linked to its text, the source's own words, and the caveats.
fn licence_html(licence: &Licence) -> String {
    let label = match &licence.url {
        Some(url) => format!(r#"<a href="{}" rel="license">{}</a>"#, escape(url), escape(&licence.label)),
        None => escape(&licence.label),
    };
    format!("Licence : {label}{}", escape(&licence.caveats_fr()))
}

fn layout(title: &str, body: &str) -> String {
    layout_with_head(title, "", body)
}

fn layout_with_head(title: &str, head: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — multiBàO</title>
<link rel="icon" href="data:,">
{head}
<style>
body {{ font: 1.05rem/1.6 system-ui, sans-serif; max-width: 46rem; margin: 0 auto; padding: 1rem; color: #1d1d1f; }}
img {{ max-width: 100%; height: auto; }}
.cover {{ border-radius: .5rem; }}
.kind {{ color: #5a4a8a; font-weight: 600; }}
.summary {{ font-size: 1.15rem; }}
.tags {{ list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .4rem; }}
.tags li {{ background: #eee8f7; border-radius: 1rem; padding: 0 .6rem; }}
footer {{ border-top: 1px solid #ccc; margin-top: 2rem; font-size: .95rem; }}
a {{ color: #3b2c85; }}
</style>
</head>
<body>
{body}
</body>
</html>"#,
        title = escape(title),
    )
}

/// Escapes text for HTML element content and quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }
}

//! Server-rendered HTML: the canonical page of each resource (`/r/{id}`), the link every card
//! points to, readable without JavaScript.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use bao_contract::{Licence, Resource};

use crate::AppState;
use crate::error::ApiError;

/// `GET /r/{id}`.
pub async fn resource_page(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let lookup_id = id.clone();
    let page = match state.query(move |db| db.resource(&lookup_id)).await? {
        Some(resource) => Html(render_resource(&resource)).into_response(),
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

fn render_resource(resource: &Resource) -> String {
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
    layout(&resource.title, &body)
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
    format!(
        r#"<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — multiBàO</title>
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

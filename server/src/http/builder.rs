//! The snippet builder at `/integrer`: a webmaster chooses an element and its settings, sees it
//! live, and copies the snippet that suits their site (script and element, iframe, or the
//! address for oEmbed). Server-rendered in French (`templates/builder.html`); one script file of
//! ours drives it.

use std::io::Write;

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Response};
use bao_contract::{Kind, MAX_CAROUSEL_LIMIT, MAX_PAGE_LIMIT, Network};

use super::error::ApiError;
use super::links::{self, public_origin};
use crate::AppState;
use crate::sources::text::{escape_html, fold};
use crate::store::{Database, DbError, ListFilter};

/// Most resources offered in the builder's list (the others are reached by typing their id).
const MAX_LISTED: usize = 2_000;

#[derive(Template)]
#[template(path = "builder.html")]
struct BuilderPage {
    origin: String,
    integrity: String,
    first: String,
    /// The snippets of the first fiche, for a page read without JavaScript (`integrer.js`
    /// writes the same ones for what is chosen).
    default_script: String,
    /// The iframe alone; the iframe snippet adds the script that fits its height.
    default_iframe: String,
    resize_script: String,
    default_url: String,
    /// Where the WordPress plugin is downloaded.
    plugin: &'static str,
    resources: Vec<(String, String)>,
    networks: Vec<Network>,
    kinds: [Kind; 3],
    max_carousel: u32,
}

/// The WordPress plugin's files (`deploy/wordpress/`).
const PLUGIN_FILES: [(&str, &[u8]); 2] = [
    ("multibao.php", include_bytes!("../../../deploy/wordpress/multibao.php")),
    ("multibao-bloc.js", include_bytes!("../../../deploy/wordpress/multibao-bloc.js")),
];

/// The WordPress plugin, as WordPress's « Téléverser une extension » takes it: a zip holding its
/// folder.
static WORDPRESS_PLUGIN_ZIP: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();

/// `GET /integrer/multibao-wordpress.zip`.
pub async fn wordpress_plugin() -> Result<Response, ApiError> {
    let zip = match WORDPRESS_PLUGIN_ZIP.get() {
        Some(zip) => zip,
        None => {
            let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            let written = PLUGIN_FILES
                .iter()
                .try_for_each(|(name, bytes)| {
                    zip.start_file(format!("multibao/{name}"), zip::write::SimpleFileOptions::default())
                        .map_err(std::io::Error::other)
                        .and_then(|()| zip.write_all(bytes))
                })
                .and_then(|()| zip.finish().map_err(std::io::Error::other));
            let bytes = written.map_err(crate::opendata::dataset::ExportError::from)?.into_inner();
            WORDPRESS_PLUGIN_ZIP.get_or_init(|| bytes)
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"multibao-wordpress.zip\""),
        ],
        zip.as_slice(),
    )
        .into_response())
}

/// `GET /integrer`.
pub async fn builder_page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Html<String>, ApiError> {
    let (resources, networks) = state.query(|db| Ok((listed_resources(db)?, db.networks()?))).await?;
    let origin = public_origin(&headers);
    let (first, first_title) = resources.first().cloned().unwrap_or_default();
    let first_title = escape_html(&first_title);
    let page_url = format!("{origin}{}", links::resource_page(&first));
    let page = BuilderPage {
        integrity: state.bundle.as_ref().map(|bundle| bundle.embed_js_integrity.clone()).unwrap_or_default(),
        default_script: format!(
            "<script src=\"{origin}/embed.js\"></script>\n<bao-card resource=\"{first}\">\n  <a href=\"{page_url}\">{first_title}</a>\n</bao-card>"
        ),
        default_iframe: format!(
            "<iframe src=\"{origin}{}\" title=\"{first_title}\" style=\"width:100%;border:0\" height=\"480\" loading=\"lazy\" allow=\"clipboard-write\"></iframe>",
            links::card_frame(&first)
        ),
        resize_script: format!("<script src=\"{origin}/resize.js\"></script>"),
        default_url: page_url,
        plugin: links::WORDPRESS_PLUGIN,
        origin,
        first,
        resources,
        networks,
        kinds: Kind::ALL,
        max_carousel: MAX_CAROUSEL_LIMIT,
    };
    Ok(Html(page.render()?))
}

/// Ids and titles of the resources, at most [`MAX_LISTED`], in the order of a French index: by
/// title, case, accents and opening quotes or dashes aside.
fn listed_resources(db: &Database) -> Result<Vec<(String, String)>, DbError> {
    let mut listed = Vec::new();
    let mut filter = ListFilter { limit: MAX_PAGE_LIMIT, ..ListFilter::default() };
    loop {
        let page = db.list(&filter)?;
        listed.extend(page.items.into_iter().map(|resource| (resource.id, resource.title)));
        match page.next_cursor {
            Some(after) if listed.len() < MAX_LISTED => filter.after_id = Some(after),
            _ => break,
        }
    }
    listed.truncate(MAX_LISTED);
    listed.sort_by_cached_key(|(_, title)| fold(title.trim_start_matches(|c: char| !c.is_alphanumeric())));
    Ok(listed)
}

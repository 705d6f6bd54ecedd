//! The widget bundle as the server serves it: `/embed.js` (the one script webmasters paste, short
//! cache) and the wasm module with its JS glue under content-hashed names (cached for a year).

use std::path::Path;

use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::ApiError;

/// The loader, with `__BAO_GLUE__` and `__BAO_WASM__` standing for the hashed file names.
const EMBED_TEMPLATE: &str = include_str!("../../widget/js/embed.js");

/// Names wasm-bindgen gives the files of the `bao_widget` crate.
const GLUE_FILE: &str = "bao_widget.js";
const WASM_FILE: &str = "bao_widget_bg.wasm";

/// A file served under a content-hashed name.
#[derive(Debug)]
struct HashedFile {
    name: String,
    bytes: Vec<u8>,
}

/// The built widget, loaded once at start.
#[derive(Debug)]
pub struct Bundle {
    embed_js: String,
    glue: HashedFile,
    wasm: HashedFile,
}

impl Bundle {
    /// Reads the output of `cargo xtask build-widget` from `dir`.
    pub fn load(dir: &Path) -> std::io::Result<Bundle> {
        let hashed = |file: &str| -> std::io::Result<HashedFile> {
            let bytes = std::fs::read(dir.join(file))?;
            let digest = Sha256::digest(&bytes);
            let hash: String = digest.iter().take(8).map(|byte| format!("{byte:02x}")).collect();
            let (stem, extension) = file.rsplit_once('.').unwrap_or((file, ""));
            Ok(HashedFile { name: format!("{stem}.{hash}.{extension}"), bytes })
        };
        let glue = hashed(GLUE_FILE)?;
        let wasm = hashed(WASM_FILE)?;
        let embed_js = EMBED_TEMPLATE.replace("__BAO_GLUE__", &glue.name).replace("__BAO_WASM__", &wasm.name);
        Ok(Bundle { embed_js, glue, wasm })
    }
}

/// `GET /embed.js`.
pub async fn embed_js(State(state): State<AppState>) -> Result<Response, ApiError> {
    let bundle = state.bundle.as_ref().ok_or(ApiError::BundleMissing)?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8")),
            // Short: a new release must reach the sites that embed us within minutes.
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300")),
        ],
        bundle.embed_js.clone(),
    )
        .into_response())
}

/// `GET /widget/{file}`: the hashed glue and wasm.
pub async fn hashed_file(
    State(state): State<AppState>,
    UrlPath(file): UrlPath<String>,
) -> Result<Response, ApiError> {
    let bundle = state.bundle.as_ref().ok_or(ApiError::BundleMissing)?;
    let (content_type, bytes) = if file == bundle.wasm.name {
        ("application/wasm", &bundle.wasm.bytes)
    } else if file == bundle.glue.name {
        ("text/javascript; charset=utf-8", &bundle.glue.bytes)
    } else {
        return Err(ApiError::NotFound(format!("Aucun fichier du widget ne s'appelle « {file} ».")));
    };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
        ],
        bytes.clone(),
    )
        .into_response())
}

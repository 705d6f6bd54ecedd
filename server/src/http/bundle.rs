//! The widget bundle as the server serves it: `/embed.js`, the one script webmasters paste (short
//! cache), filled in with the module and stylesheet lists of the build's `manifest.json` and the
//! elements' table; and the wasm modules with their JS glue, and the elements' stylesheets, under
//! the content-hashed names the build gave them, served from disk with the build's brotli files
//! (cached for a year).

use std::path::{Path, PathBuf};

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bao_contract::WidgetManifest;
use base64::Engine;
use sha2::Digest;

use super::error::ApiError;
use crate::AppState;

/// What the loader's source says where the module list goes.
const MODULES_PLACEHOLDER: &str = "__BAO_MODULES__";
/// And where the stylesheets' names go.
const STYLES_PLACEHOLDER: &str = "__BAO_STYLES__";
/// And where the elements' table goes (`bao_contract::elements`).
const ELEMENTS_PLACEHOLDER: &str = "__BAO_ELEMENTS__";

/// The built widget, loaded once at start.
#[derive(Debug)]
pub struct Bundle {
    /// The folder the build wrote, served under `/widget/`.
    pub dir: PathBuf,
    embed_js: String,
    /// Subresource Integrity of `embed.js` (`sha384-…`), for the snippets that pin it.
    pub embed_js_integrity: String,
    /// Each element's stylesheet, by element name: its file name under `/widget/`.
    styles: std::collections::BTreeMap<String, String>,
}

/// Why the bundle could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("{path}: {source}")]
    Unreadable { path: PathBuf, source: std::io::Error },
    #[error("manifest.json: {0}")]
    Manifest(#[from] serde_json::Error),
    #[error("the manifest names {0}, which the build did not write")]
    MissingFile(String),
    #[error("embed.js has no {0}")]
    NoPlaceholder(&'static str),
}

impl Bundle {
    /// Reads the output of `cargo xtask build-widget` from `dir`.
    pub fn load(dir: &Path) -> Result<Bundle, BundleError> {
        let read = |name: &str| {
            std::fs::read_to_string(dir.join(name))
                .map_err(|source| BundleError::Unreadable { path: dir.join(name), source })
        };
        let manifest: WidgetManifest = serde_json::from_str(&read("manifest.json")?)?;
        let modules = manifest.modules.iter().flat_map(|module| [&module.glue, &module.wasm]);
        for file in modules.chain(manifest.styles.values()) {
            if !dir.join(file).is_file() {
                return Err(BundleError::MissingFile(file.clone()));
            }
        }
        let loader = read("embed.js")?;
        for placeholder in [MODULES_PLACEHOLDER, STYLES_PLACEHOLDER, ELEMENTS_PLACEHOLDER] {
            if !loader.contains(placeholder) {
                return Err(BundleError::NoPlaceholder(placeholder));
            }
        }
        let embed_js = loader
            .replace(MODULES_PLACEHOLDER, &serde_json::to_string(&manifest.modules)?)
            .replace(STYLES_PLACEHOLDER, &serde_json::to_string(&manifest.styles)?)
            .replace(ELEMENTS_PLACEHOLDER, &serde_json::to_string(&bao_contract::elements::LOADER_TABLE)?);
        let digest = sha2::Sha384::digest(embed_js.as_bytes());
        let embed_js_integrity =
            format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(digest));
        Ok(Bundle { dir: dir.to_owned(), embed_js, embed_js_integrity, styles: manifest.styles })
    }

    /// The path of `element`'s stylesheet (`/widget/bao-card.….css`), for our own pages.
    pub fn stylesheet(&self, element: &str) -> Option<String> {
        self.styles.get(element).map(|file| format!("/widget/{file}"))
    }
}

/// `GET /embed.js`.
pub async fn embed_js(State(state): State<AppState>) -> Result<Response, ApiError> {
    let bundle = state.bundle.as_ref().ok_or(ApiError::BundleMissing)?;
    Ok((
        // How long others keep it: the answer cache's `Freshness::Asset`.
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8"))],
        bundle.embed_js.clone(),
    )
        .into_response())
}

/// Any `/widget/…` file that the build did not write.
pub async fn unknown_file() -> ApiError {
    ApiError::NotFound("Aucun fichier du widget ne porte ce nom.".into())
}

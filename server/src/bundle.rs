//! The widget bundle as the server serves it: `/embed.js` (the one script webmasters paste, short
//! cache) and the wasm modules with their JS glue under content-hashed names (cached for a year).

use std::path::Path;

use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::ApiError;

/// The modules `cargo xtask build-widget` writes: the name wasm-bindgen gave their files, and the
/// placeholders that stand for their hashed glue and wasm names in the loader (`embed.js`, built
/// from `widget/js/embed.js`).
const MODULES: [(&str, &str, &str); 3] = [
    ("bao_card", "__BAO_CARD_GLUE__", "__BAO_CARD_WASM__"),
    ("bao_media", "__BAO_MEDIA_GLUE__", "__BAO_MEDIA_WASM__"),
    ("bao_widget", "__BAO_GLUE__", "__BAO_WASM__"),
];

/// A file served under a content-hashed name.
#[derive(Debug)]
struct HashedFile {
    name: String,
    content_type: &'static str,
    bytes: Vec<u8>,
    /// The same bytes compressed by the build at brotli's best quality (`{file}.br`), when there.
    brotli: Option<Vec<u8>>,
}

/// The built widget, loaded once at start.
#[derive(Debug)]
pub struct Bundle {
    embed_js: String,
    /// Subresource Integrity of `embed.js` (`sha384-…`), for the snippets that pin it.
    pub embed_js_integrity: String,
    files: Vec<HashedFile>,
}

impl Bundle {
    /// Reads the output of `cargo xtask build-widget` from `dir`.
    pub fn load(dir: &Path) -> std::io::Result<Bundle> {
        let hashed = |file: String, content_type| -> std::io::Result<HashedFile> {
            let bytes = std::fs::read(dir.join(&file))?;
            let digest = Sha256::digest(&bytes);
            let hash: String = digest.iter().take(8).map(|byte| format!("{byte:02x}")).collect();
            let (stem, extension) = file.rsplit_once('.').unwrap_or((&file, ""));
            let brotli = std::fs::read(dir.join(format!("{file}.br"))).ok();
            Ok(HashedFile { name: format!("{stem}.{hash}.{extension}"), content_type, bytes, brotli })
        };
        let mut embed_js = std::fs::read_to_string(dir.join("embed.js"))?;
        let mut files = Vec::new();
        for (module, glue_placeholder, wasm_placeholder) in MODULES {
            let glue = hashed(format!("{module}.js"), "text/javascript; charset=utf-8")?;
            let wasm = hashed(format!("{module}_bg.wasm"), "application/wasm")?;
            embed_js = embed_js.replace(glue_placeholder, &glue.name).replace(wasm_placeholder, &wasm.name);
            files.extend([glue, wasm]);
        }
        let digest = sha2::Sha384::digest(embed_js.as_bytes());
        let embed_js_integrity =
            format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(digest));
        Ok(Bundle { embed_js, embed_js_integrity, files })
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

/// `GET /widget/{file}`: the hashed glue and wasm, brotli-compressed by the build for browsers
/// that accept it (the compression layer handles the others).
pub async fn hashed_file(
    State(state): State<AppState>,
    UrlPath(file): UrlPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let bundle = state.bundle.as_ref().ok_or(ApiError::BundleMissing)?;
    let Some(found) = bundle.files.iter().find(|hashed| hashed.name == file) else {
        return Err(ApiError::NotFound(format!("Aucun fichier du widget ne s'appelle « {file} ».")));
    };
    let mut response = (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(found.content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
            (header::VARY, HeaderValue::from_static("accept-encoding")),
        ],
        match &found.brotli {
            Some(brotli) if accepts_brotli(&headers) => brotli.clone(),
            _ => found.bytes.clone(),
        },
    )
        .into_response();
    if found.brotli.is_some() && accepts_brotli(&headers) {
        response.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
    }
    Ok(response)
}

/// True when `Accept-Encoding` lists `br` without refusing it (`br;q=0`).
fn accepts_brotli(headers: &HeaderMap) -> bool {
    headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|value| value.to_str().ok()).any(|value| {
        value.split(',').any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            parts.next() == Some("br")
                && parts.all(|param| !matches!(param, "q=0" | "q=0.0" | "q=0.00" | "q=0.000"))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brotli_only_when_accepted() {
        let accept = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
            accepts_brotli(&headers)
        };
        assert!(accept("gzip, deflate, br, zstd"));
        assert!(accept("br;q=0.5"));
        assert!(!accept("gzip"));
        assert!(!accept("br;q=0, gzip"));
        assert!(!accept("brotli"));
        assert!(!accepts_brotli(&HeaderMap::new()));
    }
}

//! Any path and query string a client sends, against the whole router over the demo's fiches:
//! never a server error (cursors, limits, filters, ids, encodings).
#![no_main]

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::Request;
use bao_server::sources::{self, multibao::MultibaoRepository};
use bao_server::{AppState, app};
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

struct Served {
    _dir: tempfile::TempDir,
    router: axum::Router,
    runtime: tokio::runtime::Runtime,
}

fn served() -> &'static Served {
    static SERVED: OnceLock<Served> = OnceLock::new();
    SERVED.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let db = bao_server::store::Database::open(&dir.path().join("fuzz.sqlite3")).unwrap();
        let demo =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo/content/exemples-fiches");
        let repository = MultibaoRepository::from_folder_name(&demo).unwrap();
        sources::import(&db, "exemples-fiches", &repository, &[]).unwrap();
        let search = bao_server::search::SearchIndex::open(&dir.path().join("fuzz.search")).unwrap();
        search.rebuild(&db).unwrap();
        let state = AppState::new(db, search);
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        Served { _dir: dir, router: app(state), runtime }
    })
}

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    // The routes' beginnings, so that most inputs reach a handler rather than the fallback.
    const ROUTES: &[&str] = &[
        "/api/v1/resources",
        "/api/v1/search",
        "/api/v1/testimonials",
        "/api/v1/changes",
        "/api/v1/resources/",
        "/r/",
        "/oembed",
        "/lien",
        "/fragments/card/",
        "/fragments/search",
        "/fragments/testimonials",
        "/embed/r/",
        "/embed/recherche",
        "/embed/temoignages",
        "/export/",
        "/datapackage.json",
        "/feed.xml",
        "/api/v1/testimonials/exemples-atelier-velo/captions/",
        "/api/v1/media/",
    ];
    let route = ROUTES[bytes.first().copied().unwrap_or(0) as usize % ROUTES.len()];
    let rest = text.get(1..).unwrap_or_default();
    let Ok(request) = Request::get(format!("{route}{rest}")).header("host", "bao.test").body(Body::empty())
    else {
        return;
    };
    let served = served();
    let response = served.runtime.block_on(served.router.clone().oneshot(request)).unwrap();
    assert!(!response.status().is_server_error(), "{route}{rest}: {}", response.status());
});

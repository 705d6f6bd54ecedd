//! Helpers shared by the server's integration tests: a temporary database and the real data.
// Each test crate uses its own part of these helpers.
#![allow(dead_code)]

pub mod corpus;
pub mod wikis;

use std::path::PathBuf;

use bao_server::search::SearchIndex;
use bao_server::sources::ImportReport;
use bao_server::sources::config::{SourceConfig, SourcesFile};
use bao_server::sources::sync::{SyncContext, SyncOutcome, sync_source};
use bao_server::store::Database;

/// `shared/data/multibao`, beside the project's clone.
pub fn real_data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/multibao")
}

/// True when the real data is there; otherwise says, past the test harness's capture, that the
/// running test is skipped. CI has the data and runs them all.
pub fn real_data_present() -> bool {
    if real_data().is_dir() {
        return true;
    }
    let test = std::thread::current().name().unwrap_or("?").to_owned();
    let message = format!("SKIPPED {test}: no real multiBàO data at {}\n", real_data().display());
    std::io::Write::write_all(&mut std::io::stderr(), message.as_bytes()).ok();
    false
}

/// Returns from the test, with a visible message, when the real data is absent. The tests that
/// read it are also `#[ignore = "real data"]`: the runner reports them as ignored, not passed,
/// and `cargo xtask test` runs them (`--include-ignored`) when the data is there.
#[macro_export]
macro_rules! skip_without_real_data {
    () => {
        if !$crate::common::real_data_present() {
            return;
        }
    };
}

/// A command of the Python tools the open-data tests check with (`frictionless`, `python` with
/// `rdflib` and `feedparser`), installed by `cargo xtask test` into `target/py/`; `None`, saying
/// so, when absent — unless the test command promised them (`BAO_REQUIRE_PYTHON_TOOLS=1`).
pub fn python_tool(name: &str) -> Option<PathBuf> {
    let bin = std::env::var_os("BAO_PYTHON_TOOLS")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/py/bin"), PathBuf::from);
    let tool = bin.join(name);
    if tool.exists() {
        return Some(tool);
    }
    let test = std::thread::current().name().unwrap_or("?").to_owned();
    let message = format!("no {} (`cargo xtask test` installs it)", tool.display());
    assert!(std::env::var_os("BAO_REQUIRE_PYTHON_TOOLS").is_none(), "{test}: {message}");
    std::io::Write::write_all(&mut std::io::stderr(), format!("SKIPPED {test}: {message}\n").as_bytes()).ok();
    None
}

/// The demo's sources file, which the tests follow too.
pub fn demo_sources_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../demo/sources.toml")
}

/// The source of the demo's sources file that reads `folder` (a folder of the real data, or
/// `exemples-fiches`).
pub fn demo_source(folder: &str) -> SourceConfig {
    let file = SourcesFile::load(&demo_sources_file()).expect("demo/sources.toml");
    file.sources.into_iter().find(|source| source.url.ends_with(folder)).expect("a source of that folder")
}

/// A fresh database in a temporary folder (kept alive by the returned guard).
pub fn temp_db() -> (tempfile::TempDir, Database) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Database::open(&dir.path().join("test.sqlite3")).expect("open db");
    (dir, db)
}

/// The search index of `db`, built beside it in `dir`.
pub fn search_index(dir: &tempfile::TempDir, db: &Database) -> SearchIndex {
    let index = SearchIndex::open(&dir.path().join("test.search")).expect("open index");
    index.rebuild(db).expect("build index");
    index
}

/// Syncs the demo's source of `folder` into `db`, as `sync --only` does.
pub fn import(db: &Database, folder: &str) -> ImportReport {
    let mirrors = tempfile::tempdir().expect("temp dir");
    let context = SyncContext::new(&demo_sources_file(), &mirrors.path().join("db"));
    match sync_source(db, &context, &demo_source(folder)).outcome {
        SyncOutcome::Stored { report, .. } => report,
        other => panic!("{folder}: {other:?}"),
    }
}

/// The network of [`fiche`].
pub fn test_network() -> bao_contract::NetworkRef {
    bao_contract::NetworkRef { id: "n".into(), name: "Réseau".into(), url: None }
}

/// A fiche of [`test_network`] read from the file `o/r/{id}.md`, whose body is `text`.
pub fn fiche(id: &str, title: &str, text: &str) -> bao_server::store::NewResource {
    bao_server::store::NewResource {
        resource: bao_contract::Resource {
            id: id.into(),
            kind: bao_contract::Kind::Fiche,
            title: title.into(),
            summary: String::new(),
            image: None,
            authors: vec![],
            network: test_network(),
            tags: vec![],
            licence: bao_contract::Licence::default(),
            source_url: Some(format!("https://example.org/{id}.md")),
            lang: "fr".into(),
            updated: None,
            body_html: Some(format!("<p>{text}</p>")),
            sources: vec![],
        },
        video: None,
        source_key: format!("o/r/{id}.md"),
        content_hash: text.into(),
        provenance: Default::default(),
        edit_url: None,
        path: format!("{id}.md"),
    }
}

/// Stores `files` as the whole content of source `s`, as a sync would.
pub fn store(db: &Database, files: &[bao_server::store::NewResource]) {
    let networks = [test_network()];
    let update = bao_server::store::SourceUpdate {
        source_id: "s",
        networks: &networks,
        resources: files,
        aliases: &[],
        sync: None,
    };
    db.store_source(&update).expect("store");
}

/// `GET uri` through `router` with `headers`: status, headers and the body as text.
pub async fn get_with(
    router: &axum::Router,
    uri: &str,
    headers: &[(&str, &str)],
) -> (axum::http::StatusCode, axum::http::HeaderMap, String) {
    let (status, headers, body) = get_bytes_with(router, uri, headers).await;
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

/// `GET uri` through `router` with `headers`: status, headers and the body's bytes.
pub async fn get_bytes_with(
    router: &axum::Router,
    uri: &str,
    headers: &[(&str, &str)],
) -> (axum::http::StatusCode, axum::http::HeaderMap, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let mut request = axum::http::Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = router.clone().oneshot(request.body(axum::body::Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.into_body().collect().await.unwrap().to_bytes().to_vec())
}

/// Writes `text` at `path` under `root`, its folders made.
pub fn write(root: &std::path::Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().expect("a file in a folder")).expect("folders");
    std::fs::write(path, text).expect("a file");
}

/// Words enough for a fiche (a stub of under 20 words is not one).
pub const FICHE_TEXT: &str = "Un texte qui raconte l'expérience pas à pas, pour qu'un autre groupe la reprenne chez \
    lui avec ses étapes et son matériel.";

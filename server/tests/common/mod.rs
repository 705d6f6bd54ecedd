//! Helpers shared by the server's integration tests: a temporary database and the real data.
// Each test crate uses its own part of these helpers.
#![allow(dead_code)]

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

/// Returns from the test, with a visible message, when the real data is absent.
#[macro_export]
macro_rules! skip_without_real_data {
    () => {
        if !common::real_data_present() {
            return;
        }
    };
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

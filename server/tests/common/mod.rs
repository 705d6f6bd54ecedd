//! Helpers shared by the server's integration tests: a temporary database and the real data.
// Each test crate uses its own part of these helpers.
#![allow(dead_code)]

use std::path::PathBuf;

use bao_server::db::Database;
use bao_server::import::{self, ImportReport, SourceRepository};
use bao_server::search::SearchIndex;

/// `shared/data/multibao`, beside the project's clone.
pub fn real_data() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/multibao");
    assert!(dir.is_dir(), "the real multiBàO data is expected at {}", dir.display());
    dir
}

pub fn repository(folder: &str) -> SourceRepository {
    let mut source =
        SourceRepository::from_folder_name(&real_data().join(folder)).expect("owner-repo folder");
    if folder == "multibao-contributions" {
        source.subfolder_networks = Some("contributions".into());
    }
    source
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

pub fn import(db: &Database, folder: &str) -> ImportReport {
    import::import_repository(db, &repository(folder)).expect("import")
}

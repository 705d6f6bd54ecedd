//! Helpers shared by the server's integration tests: a temporary database and the real data.

use std::path::PathBuf;

use bao_server::db::Database;
use bao_server::import::{self, ImportReport, SourceRepository};

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

pub fn import(db: &Database, folder: &str) -> ImportReport {
    import::import_repository(db, &repository(folder)).expect("import")
}

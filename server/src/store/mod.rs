//! The SQLite store: one file, created on first start, its migrations embedded; reads in
//! `read.rs`, writes in `write.rs`. It knows resources and their records, not how the HTTP layer
//! addresses them.

mod read;
mod write;

use std::path::Path;

use bao_contract::{Kind, Provider, Resource};
use r2d2_sqlite::SqliteConnectionManager;
use r2d2_sqlite::rusqlite;

/// Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_resources.sql"),
    include_str!("../../migrations/0002_content_generation.sql"),
    include_str!("../../migrations/0003_testimonies.sql"),
    include_str!("../../migrations/0004_id_aliases.sql"),
];

/// Failures of the storage layer. None of them is the client's fault.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("connection pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("stored JSON column is malformed: {0}")]
    Json(#[from] serde_json::Error),
    #[error("stored value is malformed: {0}")]
    Corrupt(String),
}

/// A resource ready to be stored, as the importer produces it.
#[derive(Debug, Clone)]
pub struct NewResource {
    pub resource: Resource,
    /// The video of a filmed testimony.
    pub video: Option<NewVideo>,
    pub source_key: String,
    pub content_hash: String,
}

/// A filmed testimony's video as the importer reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVideo {
    pub provider: Provider,
    pub host_name: String,
    pub embed_url: String,
    /// Where to fetch the poster from (absolute), or a path on this server.
    pub poster_source: Option<String>,
    pub duration_seconds: Option<u32>,
    pub quote: Option<String>,
    pub transcript: Option<String>,
    pub captions: Vec<NewCaptions>,
}

/// A WebVTT file read beside a testimony.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCaptions {
    pub lang: String,
    pub label: String,
    pub vtt: String,
}

/// Filters of `GET /api/v1/testimonials`, already validated.
#[derive(Debug, Default, Clone)]
pub struct TestimonialFilter {
    /// One testimony only (its canonical page).
    pub id: Option<String>,
    pub network: Option<String>,
    pub tag: Option<String>,
    pub limit: u32,
}

/// A filmed testimony as stored: its resource, the words it highlights and its video.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTestimonial {
    pub resource: Resource,
    pub quote: Option<String>,
    pub video: StoredVideo,
}

/// A testimony's video as stored; the HTTP layer gives its poster and captions their addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVideo {
    pub provider: Provider,
    pub host_name: String,
    pub embed_url: String,
    /// A path on this server, served as it is; anything else goes through the poster cache.
    pub poster_source: Option<String>,
    pub duration_seconds: Option<u32>,
    pub transcript: Option<String>,
    /// Language tag and label of each captions track.
    pub captions: Vec<(String, String)>,
}

/// What an id names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Found(Box<Resource>),
    /// An id the resource had before: it is now known by this one.
    Renamed(String),
    Unknown,
}

/// A poster as the server can serve it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredPoster {
    /// The fetched image, resized, as JPEG.
    Jpeg(Vec<u8>),
    /// No image to be had (none given, not fetched yet, or fetching failed): draw one.
    Placeholder,
}

/// What storing one import changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct StoreOutcome {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Filters of `GET /api/v1/resources`, already validated.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    pub network: Option<String>,
    pub tag: Option<String>,
    pub kind: Option<Kind>,
    /// Only ids strictly after this one (keyset pagination).
    pub after_id: Option<String>,
    pub limit: u32,
}

/// A pool of connections to one database file.
#[derive(Clone)]
pub struct Database {
    pool: r2d2::Pool<SqliteConnectionManager>,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database").finish_non_exhaustive()
    }
}

impl Database {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, DbError> {
        // WAL lets readers go on while an import writes. It is a property of the file, set once
        // here: switched by every connection of the pool at once, they would collide.
        rusqlite::Connection::open(path)?.pragma_update(None, "journal_mode", "WAL")?;
        let manager = SqliteConnectionManager::file(path).with_init(|conn| {
            // The busy timeout makes a second writer wait instead of failing.
            conn.execute_batch(
                "PRAGMA busy_timeout = 5000;
                 PRAGMA synchronous = NORMAL;
                 PRAGMA foreign_keys = ON;",
            )
        });
        let pool = r2d2::Pool::builder().max_size(8).build(manager)?;
        let db = Database { pool };
        db.migrate()?;
        Ok(db)
    }

    fn migrate(&self) -> Result<(), DbError> {
        let mut conn = self.pool.get()?;
        let applied: usize = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        let tx = conn.transaction()?;
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", index + 1)?;
        }
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bao_contract::{Licence, NetworkRef};

    fn new_resource(id: &str, network: &str) -> NewResource {
        NewResource {
            resource: Resource {
                id: id.into(),
                kind: Kind::Fiche,
                title: format!("Titre {id}"),
                summary: String::new(),
                image: None,
                authors: vec![],
                network: NetworkRef { id: network.into(), name: network.into(), url: None },
                tags: vec!["t".into()],
                licence: Licence::default(),
                source_url: "https://example.org".into(),
                lang: "fr".into(),
                updated: None,
                body_html: None,
            },
            video: None,
            source_key: format!("o/r/{id}.md"),
            content_hash: "h".into(),
        }
    }

    #[test]
    fn a_failing_import_leaves_the_database_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(&dir.path().join("t.sqlite3")).unwrap();
        let network = NetworkRef { id: "n".into(), name: "N".into(), url: None };
        db.store_import(std::slice::from_ref(&network), &[new_resource("a", "n")]).unwrap();

        // The second resource names a network that does not exist: the foreign key fails.
        let result = db.store_import(&[], &[new_resource("b", "n"), new_resource("c", "ghost")]);
        assert!(matches!(result, Err(DbError::Sqlite(_))), "{result:?}");
        assert_eq!(db.resource_count().unwrap(), 1);
        assert!(db.resource("b").unwrap().is_none(), "b was rolled back with c");
    }

    #[test]
    fn an_id_taken_by_another_source_gets_a_stable_suffix() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(&dir.path().join("t.sqlite3")).unwrap();
        let network = NetworkRef { id: "n".into(), name: "N".into(), url: None };
        let mut other = new_resource("a", "n");
        other.source_key = "o/other/a.md".into();
        db.store_import(std::slice::from_ref(&network), &[new_resource("a", "n"), other.clone()]).unwrap();
        let again = db.store_import(std::slice::from_ref(&network), &[other]).unwrap();
        assert_eq!(db.resource_count().unwrap(), 2);
        assert_eq!(again.unchanged + again.updated, 1);
        let page = db.list(&ListFilter { limit: 10, ..ListFilter::default() }).unwrap();
        assert_eq!(page.items[0].id, "a");
        assert!(page.items[1].id.starts_with("a-"), "{}", page.items[1].id);
    }

    #[test]
    fn a_renamed_id_keeps_naming_its_resource() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(&dir.path().join("t.sqlite3")).unwrap();
        let network = NetworkRef { id: "n".into(), name: "N".into(), url: None };
        let store = |id: &str, hash: &str| {
            let mut new = new_resource(id, "n");
            new.source_key = "o/r/coeur.md".into();
            new.content_hash = hash.into();
            db.store_import(std::slice::from_ref(&network), &[new]).unwrap();
        };
        store("c-ur", "1");
        store("coeur", "2");
        store("le-coeur", "3");
        assert_eq!(
            db.lookup("le-coeur").unwrap(),
            Lookup::Found(Box::new(db.resource("le-coeur").unwrap().unwrap()))
        );
        assert_eq!(db.lookup("c-ur").unwrap(), Lookup::Renamed("le-coeur".into()), "aliases follow renames");
        assert_eq!(db.lookup("coeur").unwrap(), Lookup::Renamed("le-coeur".into()));
        assert_eq!(db.resource_by_any_id("c-ur").unwrap().map(|r| r.id).as_deref(), Some("le-coeur"));
        assert_eq!(db.lookup("autre").unwrap(), Lookup::Unknown);
        // An old id given to a resource again is live, no longer an alias.
        store("coeur", "4");
        assert!(matches!(db.lookup("coeur").unwrap(), Lookup::Found(_)));
        assert_eq!(db.lookup("le-coeur").unwrap(), Lookup::Renamed("coeur".into()));
    }
}

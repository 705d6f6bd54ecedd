//! The SQLite store: one file, created on first start, its migrations embedded; reads in
//! `read.rs`, writes in `write.rs`. It knows resources and their records, not how the HTTP layer
//! addresses them.

mod columns;
pub mod counts;
pub mod html;
pub mod identity;
pub mod media;
mod quality;
mod read;
mod write;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bao_contract::{FileRemark, Gap, Kind, NetworkRef, Provider, Resource};
use r2d2_sqlite::SqliteConnectionManager;
use r2d2_sqlite::rusqlite;

/// Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_resources.sql"),
    include_str!("../../migrations/0002_content_generation.sql"),
    include_str!("../../migrations/0003_testimonies.sql"),
    include_str!("../../migrations/0004_id_aliases.sql"),
    include_str!("../../migrations/0005_sources.sql"),
    include_str!("../../migrations/0006_changes.sql"),
    include_str!("../../migrations/0007_body_media.sql"),
    include_str!("../../migrations/0008_reuse_counts.sql"),
    include_str!("../../migrations/0009_withdrawn_words.sql"),
    include_str!("../../migrations/0010_source_remarks.sql"),
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

/// A resource ready to be stored, as the importer produces it. Kept (as JSON) for each file it
/// was read from, so that a copy can take over when the first file goes.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct NewResource {
    pub resource: Resource,
    /// The video of a filmed testimony.
    pub video: Option<NewVideo>,
    pub source_key: String,
    pub content_hash: String,
    /// Where the reader found the fields: of several copies the richest is shown, and the
    /// network's quality report says what had to be worked out.
    #[serde(default)]
    pub provenance: Provenance,
    /// Where the file can be edited at its source (a forge's edit page, a wiki's edit form).
    #[serde(default)]
    pub edit_url: Option<String>,
    /// The file (or page) in its source, as the sync's remarks name it.
    #[serde(default)]
    pub path: String,
}

/// Where the reader found each field a reader judges a fiche by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Provenance {
    pub title: Found,
    pub summary: Found,
    pub authors: Found,
    pub licence: Found,
    /// The licence is "Creative Commons" without its conditions.
    #[serde(default)]
    pub vague_licence: bool,
}

/// Where a field came from, from the most to the least trustworthy.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Found {
    /// Nowhere: the field is empty or says it is unknown.
    #[default]
    Missing,
    /// Made up from something else than the text (a title from the file's name).
    Guessed,
    /// Declared for the whole source (the sources file, the repository's licence, the wiki's).
    FromSource,
    /// Read in the text (a heading, the opening paragraph, a licence line).
    InText,
    /// Declared for this file in its metadata (front matter, the wiki's own fields).
    Stated,
}

impl Provenance {
    /// How much of the fiche its own file says: of several copies of one text, the one that
    /// says most is shown.
    pub fn richness(&self) -> u8 {
        [self.title, self.summary, self.authors, self.licence].into_iter().map(|found| found as u8).sum()
    }

    /// What the file leaves the commons to guess, or does not say. Nothing for a file read by
    /// another server, whose reader did not say (every reader here finds a title somewhere).
    pub fn gaps(&self) -> Vec<Gap> {
        if self.title == Found::Missing {
            return Vec::new();
        }
        let licence = match (self.licence, self.vague_licence) {
            (_, true) => Some(Gap::VagueLicence),
            (Found::Missing, false) => Some(Gap::NoLicence),
            (Found::FromSource, false) => Some(Gap::LicenceFromSource),
            _ => None,
        };
        [
            licence,
            (self.authors == Found::Missing).then_some(Gap::NoAuthor),
            (self.title == Found::Guessed).then_some(Gap::TitleFromFileName),
            (self.summary == Found::Missing).then_some(Gap::NoSummary),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// An image of another host to fetch into the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaToFetch {
    pub url: String,
    /// An image of a body (shown at the width of the text), not a poster or a card's image.
    pub in_body: bool,
}

/// A filmed testimony's video as the importer reads it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

/// The kind of source that follows another companion server: what it holds is not given to
/// servers following this one.
pub const FOLLOWED_SERVER_KIND: &str = "bao";

/// The latest change of a resource, as the store keeps it.
#[derive(Debug, Clone)]
pub struct StoredChange {
    pub seq: u64,
    pub id: String,
    /// `written`, `withdrawn` or `merged`.
    pub change: String,
    /// RFC 3339, UTC.
    pub at: String,
    pub merged_into: Option<String>,
    /// The resource as its first file reads, for `written`.
    pub record: Option<NewResource>,
}

/// What an id names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Found(Box<Resource>),
    /// An id the resource had before: it is now known by this one.
    Renamed(String),
    /// Its network took it away.
    Withdrawn {
        title: String,
        withdrawn_at: String,
    },
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

/// What one source holds now, as a sync hands it to the store.
#[derive(Debug, Clone, Copy)]
pub struct SourceUpdate<'a> {
    /// The source's id in the sources file (`owner-repo` for a folder imported by hand).
    pub source_id: &'a str,
    pub networks: &'a [NetworkRef],
    pub resources: &'a [NewResource],
    /// Ids the source says are now another resource's (`old`, `current`): a resource of the
    /// source merged into another on the server it is followed from. Each keeps leading there.
    pub aliases: &'a [(String, String)],
    /// What to record of this sync, when the source comes from the sources file.
    pub sync: Option<&'a SyncRecord>,
}

/// A successful sync, as `GET /api/v1/sources` shows it.
#[derive(Debug, Clone)]
pub struct SyncRecord {
    pub kind: String,
    pub url: String,
    /// The commit read (git).
    pub revision: Option<String>,
    /// The importer that read it.
    pub reader: String,
    pub duration_ms: u64,
    /// The files that are not resources, or were read with a remark (the quality report's).
    pub remarks: Vec<FileRemark>,
}

/// A source as its last syncs left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSource {
    pub id: String,
    pub revision: Option<String>,
    pub reader: Option<String>,
    /// When the last sync ended, and the last one that succeeded (RFC 3339, UTC).
    pub last_attempt: Option<String>,
    pub last_success: Option<String>,
    pub duration_ms: Option<u64>,
    pub last_error: Option<String>,
    pub resource_count: u64,
    pub skipped_count: u64,
}

/// What storing a source changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct StoreOutcome {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Files found under another path, that kept their resource.
    pub moved: usize,
    /// Files found to be copies of a resource already stored, that joined it.
    pub merged: usize,
    /// Resources whose files are all gone.
    pub withdrawn: usize,
}

impl StoreOutcome {
    /// Whether anything visible changed.
    pub fn changed(&self) -> bool {
        self.created + self.updated + self.moved + self.merged + self.withdrawn > 0
    }
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
    /// The database file: what is derived from it on disk (mirrors, exports) lives beside it.
    path: Arc<Path>,
    /// Content changes made through this handle (any clone), so that what was derived from the
    /// content in this process (cached answers) can tell at once without asking SQLite.
    changes: Arc<AtomicU64>,
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
        let db = Database { pool, path: Arc::from(path), changes: Arc::default() };
        db.migrate()?;
        Ok(db)
    }

    /// Writes a consistent copy of the whole database to `file`: SQLite's `VACUUM INTO`, one read
    /// transaction, so that the server may serve and sync meanwhile (a `cp` of a database in WAL
    /// mode copies a file without its latest content). Written beside `file`, then renamed: a
    /// copy interrupted never stands for a backup.
    pub fn backup_to(&self, file: &Path) -> Result<(), DbError> {
        let mut partial = file.as_os_str().to_owned();
        partial.push(".partiel");
        let partial = PathBuf::from(partial);
        let _ = std::fs::remove_file(&partial);
        let conn = self.pool.get()?;
        conn.execute("VACUUM INTO ?1", [partial.to_string_lossy()])?;
        std::fs::rename(&partial, file)
            .map_err(|error| DbError::Corrupt(format!("{}: {error}", file.display())))?;
        Ok(())
    }

    /// A path beside the database file: `<db><suffix>` (`commons.sqlite3.exports`).
    pub fn beside(&self, suffix: &str) -> PathBuf {
        let mut path = self.path.as_os_str().to_owned();
        path.push(suffix);
        path.into()
    }

    /// How many content changes were made through this process's handles (see
    /// [`Database::generation`] for all of them, made by any process).
    pub fn changes_here(&self) -> u64 {
        self.changes.load(Ordering::Acquire)
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
    use bao_contract::Licence;

    fn network() -> NetworkRef {
        NetworkRef { id: "n".into(), name: "N".into(), url: None }
    }

    /// A fiche read from `key`, whose words are `text`.
    fn fiche(slug: &str, key: &str, text: &str) -> NewResource {
        NewResource {
            resource: Resource {
                id: slug.into(),
                kind: Kind::Fiche,
                title: format!("Titre {slug}"),
                summary: String::new(),
                image: None,
                authors: vec![],
                network: network(),
                tags: vec!["t".into()],
                licence: Licence::default(),
                source_url: Some(format!("https://example.org/{key}")),
                lang: "fr".into(),
                updated: None,
                body_html: Some(format!("<p>{text}</p>")),
                sources: Vec::new(),
            },
            video: None,
            source_key: key.into(),
            content_hash: format!("{key}:{text}"),
            provenance: Provenance::default(),
            edit_url: None,
            path: key.into(),
        }
    }

    fn store(db: &Database, source_id: &str, files: &[NewResource]) -> Result<StoreOutcome, DbError> {
        let networks = [network()];
        db.store_source(&SourceUpdate {
            source_id,
            networks: &networks,
            resources: files,
            aliases: &[],
            sync: None,
        })
    }

    fn open() -> (tempfile::TempDir, Database) {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(&dir.path().join("t.sqlite3")).unwrap();
        (dir, db)
    }

    const KANBAN: &str = "Le kanban est un tableau de colonnes où chaque carte est une tâche que \
        l'équipe déplace de gauche à droite quand elle avance, pour voir où en est le travail.";

    #[test]
    fn a_failing_import_leaves_the_database_as_it_was() {
        let (_dir, db) = open();
        store(&db, "s", &[fiche("a", "o/r/a.md", "a")]).unwrap();
        // The second resource names a network that does not exist: the foreign key fails.
        let mut ghost = fiche("c", "o/r/c.md", "c");
        ghost.resource.network.id = "ghost".into();
        let result = store(&db, "s", &[fiche("a", "o/r/a.md", "a"), fiche("b", "o/r/b.md", "b"), ghost]);
        assert!(matches!(result, Err(DbError::Sqlite(_))), "{result:?}");
        assert_eq!(db.resource_count().unwrap(), 1);
        assert!(db.resource("b").unwrap().is_none(), "b was rolled back with c");
    }

    #[test]
    fn colliding_slugs_get_suffixes_that_do_not_depend_on_file_order() {
        let ids = |files: &[NewResource]| {
            let (_dir, db) = open();
            store(&db, "s", files).unwrap();
            let page = db.list(&ListFilter { limit: 10, ..ListFilter::default() }).unwrap();
            page.items.into_iter().map(|r| (r.source_url, r.id)).collect::<Vec<_>>()
        };
        let (a, b) = (fiche("a", "o/r/x/a.md", "un"), fiche("a", "o/r/y/a.md", "deux"));
        let forward = ids(&[a.clone(), b.clone()]);
        assert_eq!(forward, ids(&[b, a]));
        assert_eq!(forward[0].1, "a");
        assert!(forward[1].1.starts_with("a-") && forward[1].1.len() == 8, "{forward:?}");
    }

    #[test]
    fn an_id_stays_with_its_file_and_is_never_given_to_another() {
        let (_dir, db) = open();
        store(&db, "s", &[fiche("c-ur", "o/r/coeur.md", "un")]).unwrap();
        // The slug rules changed: the file keeps the id partners pasted.
        store(&db, "s", &[fiche("coeur", "o/r/coeur.md", "deux")]).unwrap();
        assert!(matches!(db.lookup("c-ur").unwrap(), Lookup::Found(_)));
        assert_eq!(db.lookup("coeur").unwrap(), Lookup::Unknown);

        // Deleted: 410 from then on, and a new file with the same slug gets another id.
        let outcome = store(&db, "s", &[]).unwrap();
        assert_eq!(outcome.withdrawn, 1);
        assert!(
            matches!(db.lookup("c-ur").unwrap(), Lookup::Withdrawn { ref title, .. } if title == "Titre coeur")
        );
        store(&db, "s", &[fiche("c-ur", "o/r/autre.md", "une autre fiche")]).unwrap();
        assert!(matches!(db.lookup("c-ur").unwrap(), Lookup::Withdrawn { .. }));
        assert_eq!(db.resource_count().unwrap(), 1);

        // The same file coming back takes its id again.
        store(
            &db,
            "s",
            &[fiche("coeur", "o/r/coeur.md", "trois"), fiche("c-ur", "o/r/autre.md", "une autre fiche")],
        )
        .unwrap();
        assert!(
            matches!(db.lookup("c-ur").unwrap(), Lookup::Found(r) if r.source_url.as_deref().is_some_and(|url| url.ends_with("coeur.md")))
        );
    }

    #[test]
    fn a_moved_file_keeps_its_id_when_its_text_is_close() {
        let (_dir, db) = open();
        store(&db, "s", &[fiche("kanban", "o/r/a/kanban.md", KANBAN), fiche("b", "o/r/b.md", "autre")])
            .unwrap();
        let edited = KANBAN.replace("travail", "travail commun");
        let outcome = store(
            &db,
            "s",
            &[fiche("le-kanban", "o/r/z/le-kanban.md", &edited), fiche("b", "o/r/b.md", "autre")],
        )
        .unwrap();
        assert_eq!((outcome.moved, outcome.updated, outcome.withdrawn, outcome.created), (1, 1, 0, 0));
        let moved = db.resource("kanban").unwrap().unwrap();
        assert!(
            moved.source_url.as_deref().is_some_and(|url| url.ends_with("z/le-kanban.md")),
            "{:?}",
            moved.source_url
        );

        // A file replaced by another text is not a move.
        let outcome =
            store(&db, "s", &[fiche("x", "o/r/x.md", "rien à voir"), fiche("b", "o/r/b.md", "autre")])
                .unwrap();
        assert_eq!((outcome.moved, outcome.created, outcome.withdrawn), (0, 1, 1));
    }

    #[test]
    fn copies_are_one_resource_listing_every_place() {
        let (_dir, db) = open();
        store(&db, "s", &[fiche("kanban", "o/r/a/kanban.md", KANBAN)]).unwrap();
        let mut copy = fiche("kanban-copie", "p/q/kanban.md", KANBAN);
        copy.resource.title = "Titre kanban".into();
        copy.resource.licence.label = "CC BY 4.0".into();
        let outcome = store(&db, "t", &[copy]).unwrap();
        assert_eq!((outcome.merged, outcome.created), (1, 0));
        assert_eq!(db.resource_count().unwrap(), 1);
        let files = db.resource_files("kanban").unwrap();
        assert_eq!(files.len(), 2);
        assert_eq!(files[1].licence.label, "CC BY 4.0");

        // Two fiches that an edit makes equal become one; the id of the second leads to the first.
        store(
            &db,
            "s",
            &[fiche("kanban", "o/r/a/kanban.md", KANBAN), fiche("autre", "o/r/autre.md", "autre")],
        )
        .unwrap();
        let outcome = store(
            &db,
            "s",
            &[fiche("kanban", "o/r/a/kanban.md", KANBAN), fiche("autre", "o/r/autre.md", KANBAN)],
        );
        assert_eq!(outcome.unwrap().merged, 0, "different titles are different fiches");
        let mut same = fiche("kanban", "o/r/autre.md", KANBAN);
        same.content_hash = "edited".into();
        let outcome = store(&db, "s", &[fiche("kanban", "o/r/a/kanban.md", KANBAN), same]).unwrap();
        assert_eq!(outcome.merged, 1);
        assert_eq!(db.lookup("autre").unwrap(), Lookup::Renamed("kanban".into()));

        // The first place goes: the resource stays, shown from the copy.
        let outcome = store(&db, "s", &[]).unwrap();
        assert_eq!(outcome.withdrawn, 0);
        let kanban = db.resource("kanban").unwrap().unwrap();
        assert!(kanban.source_url.as_deref().is_some_and(|url| url.ends_with("p/q/kanban.md")));
    }
}

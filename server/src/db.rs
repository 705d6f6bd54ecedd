//! Storage: the embedded SQLite database (one file, created on first start, migrations embedded)
//! and every query the server makes.

use std::path::Path;

use bao_contract::{
    API_PREFIX, Captions, Image, Kind, Licence, Network, NetworkRef, Provider, Resource, ResourcePage,
    Testimonial, Video,
};
use r2d2_sqlite::SqliteConnectionManager;
use r2d2_sqlite::rusqlite::{self, OptionalExtension, Row, params};
use sha2::Digest;

/// Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_resources.sql"),
    include_str!("../migrations/0002_content_generation.sql"),
    include_str!("../migrations/0003_testimonies.sql"),
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
        let manager = SqliteConnectionManager::file(path).with_init(|conn| {
            // WAL lets readers go on while an import writes; the busy timeout makes a second
            // writer wait instead of failing.
            conn.execute_batch(
                "PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = NORMAL;
                 PRAGMA foreign_keys = ON;
                 PRAGMA busy_timeout = 5000;",
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

    /// How many resources are stored.
    pub fn resource_count(&self) -> Result<u64, DbError> {
        let conn = self.pool.get()?;
        Ok(conn.query_row("SELECT count(*) FROM resources", [], |row| row.get(0))?)
    }

    /// One resource with its body, or `None` when the id is unknown.
    pub fn resource(&self, id: &str) -> Result<Option<Resource>, DbError> {
        let conn = self.pool.get()?;
        let mut statement = conn.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS}, r.body_html FROM resources r
             JOIN networks n ON n.id = r.network_id WHERE r.id = ?1"
        ))?;
        let row = statement
            .query_row([id], |row| Ok((summary_from_row(row), row.get::<_, String>(14)?)))
            .optional()?;
        match row {
            None => Ok(None),
            Some((resource, body_html)) => Ok(Some(Resource { body_html: Some(body_html), ..resource? })),
        }
    }

    /// One page of resources in id order, filtered.
    pub fn list(&self, filter: &ListFilter) -> Result<ResourcePage, DbError> {
        let conn = self.pool.get()?;
        let mut statement = conn.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM resources r
             JOIN networks n ON n.id = r.network_id
             WHERE (?1 IS NULL OR r.network_id = ?1)
               AND (?2 IS NULL OR r.id IN (SELECT resource_id FROM resource_tags WHERE tag = ?2))
               AND (?3 IS NULL OR r.kind = ?3)
               AND (?4 IS NULL OR r.id > ?4)
             ORDER BY r.id
             LIMIT ?5"
        ))?;
        // One more than asked tells whether a next page exists.
        let rows = statement.query_map(
            params![
                filter.network,
                filter.tag,
                filter.kind.map(Kind::as_str),
                filter.after_id,
                filter.limit + 1
            ],
            |row| Ok(summary_from_row(row)),
        )?;
        let mut items = Vec::with_capacity(filter.limit as usize + 1);
        for row in rows {
            items.push(row??);
        }
        let next_cursor = if items.len() > filter.limit as usize {
            items.truncate(filter.limit as usize);
            items.last().map(|last| last.id.clone())
        } else {
            None
        };
        Ok(ResourcePage { items, next_cursor })
    }

    /// Every network with its number of resources, by name.
    pub fn networks(&self) -> Result<Vec<Network>, DbError> {
        let conn = self.pool.get()?;
        let mut statement = conn.prepare_cached(
            "SELECT n.id, n.name, n.url, count(r.id) FROM networks n
             LEFT JOIN resources r ON r.network_id = n.id
             GROUP BY n.id ORDER BY n.name COLLATE NOCASE, n.id",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(Network {
                network: NetworkRef { id: row.get(0)?, name: row.get(1)?, url: row.get(2)? },
                resource_count: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Filmed testimonies with their videos, in id order.
    pub fn testimonials(&self, filter: &TestimonialFilter) -> Result<Vec<Testimonial>, DbError> {
        let conn = self.pool.get()?;
        let mut statement = conn.prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS}, v.provider, v.host_name, v.embed_url, v.poster_source,
                    v.duration_seconds, v.quote, v.transcript,
                    (SELECT json_group_array(json_object('lang', c.lang, 'label', c.label))
                       FROM captions c WHERE c.resource_id = r.id)
             FROM videos v
             JOIN resources r ON r.id = v.resource_id
             JOIN networks n ON n.id = r.network_id
             WHERE (?1 IS NULL OR r.network_id = ?1)
               AND (?2 IS NULL OR r.id IN (SELECT resource_id FROM resource_tags WHERE tag = ?2))
               AND (?4 IS NULL OR r.id = ?4)
             ORDER BY r.id
             LIMIT ?3"
        ))?;
        let rows = statement
            .query_map(params![filter.network, filter.tag, filter.limit, filter.id], |row| {
                Ok(testimonial_from_row(row))
            })?;
        let mut items = Vec::new();
        for row in rows {
            let testimonial = row??;
            // Rows written before the importer checked players (or by hand) are never served.
            if bao_contract::is_safe_player_url(testimonial.video.provider, &testimonial.video.embed_url) {
                items.push(testimonial);
            } else {
                tracing::warn!(id = %testimonial.resource.id, "stored player URL refused");
            }
        }
        Ok(items)
    }

    /// The title of a testimony and its poster; `None` when the id is not a testimony.
    pub fn poster(&self, resource_id: &str) -> Result<Option<(String, StoredPoster)>, DbError> {
        let conn = self.pool.get()?;
        let mut statement = conn.prepare_cached(
            "SELECT r.title, p.jpeg FROM videos v JOIN resources r ON r.id = v.resource_id
             LEFT JOIN posters p ON p.source_url = v.poster_source WHERE v.resource_id = ?1",
        )?;
        Ok(statement
            .query_row([resource_id], |row| {
                let jpeg: Option<Vec<u8>> = row.get(1)?;
                Ok((row.get(0)?, jpeg.map_or(StoredPoster::Placeholder, StoredPoster::Jpeg)))
            })
            .optional()?)
    }

    /// Width and height of the poster a testimony shows: the cached JPEG's, or the placeholder's.
    pub fn poster_size(&self, resource_id: &str) -> Result<Option<(u32, u32)>, DbError> {
        let conn = self.pool.get()?;
        let mut statement = conn.prepare_cached(
            "SELECT p.width, p.height FROM videos v LEFT JOIN posters p ON p.source_url = v.poster_source
             WHERE v.resource_id = ?1",
        )?;
        let size = statement
            .query_row([resource_id], |row| {
                Ok((row.get::<_, Option<u32>>(0)?, row.get::<_, Option<u32>>(1)?))
            })
            .optional()?;
        Ok(size.map(|size| match size {
            (Some(width), Some(height)) => (width, height),
            _ => (crate::posters::POSTER_WIDTH, crate::posters::POSTER_HEIGHT),
        }))
    }

    /// The WebVTT text of one captions track.
    pub fn captions(&self, resource_id: &str, lang: &str) -> Result<Option<String>, DbError> {
        let conn = self.pool.get()?;
        let mut statement =
            conn.prepare_cached("SELECT vtt FROM captions WHERE resource_id = ?1 AND lang = ?2")?;
        Ok(statement.query_row([resource_id, lang], |row| row.get(0)).optional()?)
    }

    /// Poster sources on other hosts that were never tried.
    pub fn posters_to_fetch(&self) -> Result<Vec<String>, DbError> {
        let conn = self.pool.get()?;
        let mut statement = conn.prepare_cached(
            "SELECT DISTINCT poster_source FROM videos
             WHERE (poster_source LIKE 'https://%' OR poster_source LIKE 'http://%')
               AND poster_source NOT IN (SELECT source_url FROM posters)
             ORDER BY poster_source",
        )?;
        let rows = statement.query_map([], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records what fetching a poster gave: the resized JPEG with its size, or why there is none.
    pub fn store_poster(
        &self,
        source_url: &str,
        fetched: &Result<(Vec<u8>, u32, u32), String>,
    ) -> Result<(), DbError> {
        let conn = self.pool.get()?;
        let (jpeg, width, height, failure) = match fetched {
            Ok((jpeg, width, height)) => (Some(jpeg.as_slice()), Some(*width), Some(*height), None),
            Err(failure) => (None, None, None, Some(failure.as_str())),
        };
        conn.execute(
            "INSERT OR REPLACE INTO posters (source_url, fetched_at, jpeg, width, height, failure)
             VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?2, ?3, ?4, ?5)",
            params![source_url, jpeg, width, height, failure],
        )?;
        Ok(())
    }

    /// The content's generation: it moves on with every import that changes something.
    pub fn generation(&self) -> Result<u64, DbError> {
        let conn = self.pool.get()?;
        Ok(conn.query_row("SELECT value FROM content_generation", [], |row| row.get(0))?)
    }

    /// Reads every resource with its body (and a testimony's transcript), in id order, as of one
    /// snapshot of the database, and hands each to `visit`; returns the generation of that snapshot.
    pub fn for_each_resource<E: From<DbError>>(
        &self,
        mut visit: impl FnMut(Resource, Option<String>) -> Result<(), E>,
    ) -> Result<u64, E> {
        let mut conn = self.pool.get().map_err(DbError::from)?;
        // One read transaction: an import committed meanwhile is either wholly seen or not at all.
        let tx = conn.transaction().map_err(DbError::from)?;
        let generation: u64 = tx
            .query_row("SELECT value FROM content_generation", [], |row| row.get(0))
            .map_err(DbError::from)?;
        let mut statement = tx
            .prepare(&format!(
                "SELECT {SUMMARY_COLUMNS}, r.body_html, v.transcript FROM resources r
                 JOIN networks n ON n.id = r.network_id
                 LEFT JOIN videos v ON v.resource_id = r.id ORDER BY r.id"
            ))
            .map_err(DbError::from)?;
        let mut rows = statement.query([]).map_err(DbError::from)?;
        while let Some(row) = rows.next().map_err(DbError::from)? {
            let body_html: String = row.get(14).map_err(DbError::from)?;
            let transcript: Option<String> = row.get(15).map_err(DbError::from)?;
            let resource = summary_from_row(row)?;
            visit(Resource { body_html: Some(body_html), ..resource }, transcript)?;
        }
        Ok(generation)
    }

    /// Stores an import in one transaction: either every resource lands, or none does.
    /// Resources are matched by `source_key`, so importing the same files again changes nothing.
    pub fn store_import(
        &self,
        networks: &[NetworkRef],
        resources: &[NewResource],
    ) -> Result<StoreOutcome, DbError> {
        let mut conn = self.pool.get()?;
        let tx = conn.transaction()?;
        let mut networks_changed = 0;
        for network in networks {
            networks_changed += tx.execute(
                "INSERT INTO networks (id, name, url) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, url = excluded.url
                 WHERE name IS NOT excluded.name OR url IS NOT excluded.url",
                params![network.id, network.name, network.url],
            )?;
        }
        let mut outcome = StoreOutcome::default();
        for new in resources {
            let stored_hash: Option<(String, String)> = tx
                .query_row(
                    "SELECT id, content_hash FROM resources WHERE source_key = ?1",
                    [&new.source_key],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            let mut summary = new.resource.clone();
            // Another source already holds this id (same file name in two repositories of one
            // owner): this one gets a suffix derived from its source, stable across imports.
            let holder: Option<String> = tx
                .query_row("SELECT source_key FROM resources WHERE id = ?1", [&summary.id], |row| row.get(0))
                .optional()?;
            if holder.is_some_and(|holder| holder != new.source_key) {
                let digest = sha2::Sha256::digest(new.source_key.as_bytes());
                summary.id = format!("{}-{:02x}{:02x}{:02x}", summary.id, digest[0], digest[1], digest[2]);
            }
            match &stored_hash {
                Some((id, hash)) if *hash == new.content_hash && *id == summary.id => {
                    outcome.unchanged += 1;
                    continue;
                }
                Some(_) => outcome.updated += 1,
                None => outcome.created += 1,
            }
            tx.execute("DELETE FROM resources WHERE source_key = ?1", [&new.source_key])?;
            tx.execute(
                "INSERT INTO resources (id, source_key, network_id, kind, title, summary, body_html,
                   image_json, authors_json, tags_json, licence_json, source_url, lang, updated,
                   content_hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                params![
                    summary.id,
                    new.source_key,
                    summary.network.id,
                    summary.kind.as_str(),
                    summary.title,
                    summary.summary,
                    new.resource.body_html.as_deref().unwrap_or_default(),
                    summary.image.as_ref().map(serde_json::to_string).transpose()?,
                    serde_json::to_string(&summary.authors)?,
                    serde_json::to_string(&summary.tags)?,
                    serde_json::to_string(&summary.licence)?,
                    summary.source_url,
                    summary.lang,
                    summary.updated,
                    new.content_hash,
                ],
            )?;
            for tag in &summary.tags {
                tx.execute(
                    "INSERT OR IGNORE INTO resource_tags (resource_id, tag) VALUES (?1, ?2)",
                    params![summary.id, tag],
                )?;
            }
            if let Some(video) = &new.video {
                tx.execute(
                    "INSERT INTO videos (resource_id, provider, host_name, embed_url, poster_source,
                       duration_seconds, quote, transcript)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![
                        summary.id,
                        video.provider.as_str(),
                        video.host_name,
                        video.embed_url,
                        video.poster_source,
                        video.duration_seconds,
                        video.quote,
                        video.transcript,
                    ],
                )?;
                for captions in &video.captions {
                    tx.execute(
                        "INSERT INTO captions (resource_id, lang, label, vtt) VALUES (?1, ?2, ?3, ?4)",
                        params![summary.id, captions.lang, captions.label, captions.vtt],
                    )?;
                }
            }
        }
        if networks_changed > 0 || outcome.created + outcome.updated > 0 {
            tx.execute("UPDATE content_generation SET value = value + 1", [])?;
        }
        tx.commit()?;
        Ok(outcome)
    }
}

const SUMMARY_COLUMNS: &str = "r.id, r.kind, r.title, r.summary, r.image_json, r.authors_json, \
     n.id, n.name, n.url, r.tags_json, r.licence_json, r.source_url, r.lang, r.updated";

/// Reads the columns of [`SUMMARY_COLUMNS`]; the outer error is SQLite's, the inner one a
/// malformed stored value.
fn summary_from_row(row: &Row<'_>) -> Result<Resource, DbError> {
    let kind: String = row.get(1)?;
    let image: Option<String> = row.get(4)?;
    let authors: String = row.get(5)?;
    let tags: String = row.get(9)?;
    let licence: String = row.get(10)?;
    Ok(Resource {
        id: row.get(0)?,
        kind: Kind::parse(&kind).ok_or_else(|| DbError::Corrupt(format!("kind {kind:?}")))?,
        title: row.get(2)?,
        summary: row.get(3)?,
        image: image.map(|json| serde_json::from_str::<Image>(&json)).transpose()?,
        authors: serde_json::from_str(&authors)?,
        network: NetworkRef { id: row.get(6)?, name: row.get(7)?, url: row.get(8)? },
        tags: serde_json::from_str(&tags)?,
        licence: serde_json::from_str::<Licence>(&licence)?,
        source_url: row.get(11)?,
        lang: row.get(12)?,
        updated: row.get(13)?,
        body_html: None,
    })
}

/// Reads [`SUMMARY_COLUMNS`] then the video columns of [`Database::testimonials`].
fn testimonial_from_row(row: &Row<'_>) -> Result<Testimonial, DbError> {
    let resource = summary_from_row(row)?;
    let provider: String = row.get(14)?;
    let provider =
        Provider::parse(&provider).ok_or_else(|| DbError::Corrupt(format!("provider {provider:?}")))?;
    let poster_source: Option<String> = row.get(17)?;
    // A path on this server is served as it is; anything else went through the poster cache.
    let poster_url = match poster_source {
        Some(path) if path.starts_with('/') => path,
        _ => format!("{API_PREFIX}/testimonials/{}/poster", resource.id),
    };
    #[derive(serde::Deserialize)]
    struct Track {
        lang: String,
        label: String,
    }
    let tracks: Vec<Track> = serde_json::from_str(&row.get::<_, String>(21)?)?;
    let captions = tracks
        .into_iter()
        .map(|Track { lang, label }| Captions {
            url: format!("{API_PREFIX}/testimonials/{}/captions/{lang}", resource.id),
            lang,
            label,
        })
        .collect();
    let video = Video {
        provider,
        host_name: row.get(15)?,
        embed_url: row.get(16)?,
        poster_url,
        duration_seconds: row.get(18)?,
        captions,
        transcript: row.get(20)?,
    };
    Ok(Testimonial { quote: row.get(19)?, resource, video })
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

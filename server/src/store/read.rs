//! What the server reads from the store: resources, lists, networks, testimonies and their
//! posters and captions, the snapshot the search index and the dataset are built from, and the
//! order of changes (feeds, sitemaps, servers following this one).

use super::columns::Columns;
use bao_contract::{
    Image, Kind, Licence, Network, NetworkRef, Provider, Resource, ResourcePage, ResourceSource,
};
use r2d2_sqlite::rusqlite::{OptionalExtension, Row, params};

use super::{
    Database, DbError, FOLLOWED_SERVER_KIND, ListFilter, Lookup, MediaToFetch, NewResource, StoredChange,
    StoredPoster, StoredSource, StoredTestimonial, StoredVideo, TestimonialFilter,
};

impl Database {
    /// How many resources are stored.
    pub fn resource_count(&self) -> Result<u64, DbError> {
        let conn = self.pool.get()?;
        Ok(conn.query_row("SELECT count(*) FROM resources", [], |row| row.get(0))?)
    }

    /// One resource with its body, or `None` when the id is unknown.
    pub fn resource(&self, id: &str) -> Result<Option<Resource>, DbError> {
        let conn = self.pool.get()?;
        let mut statement = conn.prepare_cached(&format!(
            "SELECT {}, {} FROM resources r
             JOIN networks n ON n.id = r.network_id WHERE r.id = ?1",
            SUMMARY.sql(),
            BODY.sql()
        ))?;
        let row = statement
            .query_row([id], |row| {
                Ok((summary_from_row(row), row.get::<_, String>(const { BODY.at("body_html") })?))
            })
            .optional()?;
        drop(statement);
        drop(conn);
        match row {
            None => Ok(None),
            Some((resource, body_html)) => Ok(Some(Resource {
                body_html: Some(body_html),
                sources: self.resource_files(id)?,
                ..resource?
            })),
        }
    }

    /// What `id` names: a resource, an id a resource had before, or nothing.
    pub fn lookup(&self, id: &str) -> Result<Lookup, DbError> {
        if let Some(resource) = self.resource(id)? {
            return Ok(Lookup::Found(Box::new(resource)));
        }
        let conn = self.pool.get()?;
        let current: Option<String> = conn
            .prepare_cached("SELECT resource_id FROM resource_aliases WHERE alias = ?1")?
            .query_row([id], |row| row.get(0))
            .optional()?;
        // An alias leads to the resource it was merged into; when that one was withdrawn too, the
        // old id is gone with it.
        let id = match current {
            Some(current)
                if conn
                    .prepare_cached("SELECT EXISTS (SELECT 1 FROM resources WHERE id = ?1)")?
                    .query_row([&current], |row| row.get::<_, bool>(0))? =>
            {
                return Ok(Lookup::Renamed(current));
            }
            Some(current) => current,
            None => id.to_owned(),
        };
        let withdrawn = conn
            .prepare_cached("SELECT title, withdrawn_at FROM withdrawn_resources WHERE id = ?1")?
            .query_row([&id], |row| {
                Ok(Lookup::Withdrawn { title: row.get("title")?, withdrawn_at: row.get("withdrawn_at")? })
            })
            .optional()?;
        Ok(withdrawn.unwrap_or(Lookup::Unknown))
    }

    /// Every place a resource was found, the one it is shown from first: its address, edit page,
    /// network and licence there. Empty for a resource stored before sources were followed.
    pub fn resource_files(&self, id: &str) -> Result<Vec<ResourceSource>, DbError> {
        let conn = self.pool.get()?;
        // SQLite picks these fields out of each record: its body never leaves the database.
        // A file read from another companion server is that server's page of the resource.
        let mut statement = conn.prepare_cached(
            "SELECT CASE WHEN source_id IN (SELECT id FROM sources WHERE kind = ?2) THEN source_key
                         ELSE json_extract(record_json, '$.resource.source_url') END AS page,
                    json_extract(record_json, '$.edit_url') AS edit_url,
                    json_extract(record_json, '$.resource.network') AS network,
                    json_extract(record_json, '$.resource.licence') AS licence
             FROM resource_files WHERE resource_id = ?1 AND record_json IS NOT NULL
             ORDER BY source_key IS NOT (SELECT source_key FROM resources WHERE id = ?1), position",
        )?;
        let rows = statement.query_map(params![id, FOLLOWED_SERVER_KIND], |row| {
            Ok((
                row.get::<_, Option<String>>("page")?,
                row.get::<_, Option<String>>("edit_url")?,
                row.get::<_, String>("network")?,
                row.get::<_, String>("licence")?,
            ))
        })?;
        let mut files = Vec::new();
        for row in rows {
            let (url, edit_url, network, licence) = row?;
            files.push(ResourceSource {
                url,
                edit_url,
                network: serde_json::from_str::<NetworkRef>(&network)?,
                licence: serde_json::from_str::<Licence>(&licence)?,
            });
        }
        Ok(files)
    }

    /// Whether `url` is an address the commons holds: a resource's source, its licence's, a link
    /// or a player of its body (as the HTML reads, see [`super::html`]), or the video of a
    /// testimony, in the resource as shown or as any of its files reads. The text narrows the
    /// rows to read; what they say as data decides.
    pub fn holds_link(&self, url: &str) -> Result<bool, DbError> {
        let conn = self.pool.get()?;
        // As JSON writes it in a string, and as the sanitiser writes it in an attribute.
        let in_json =
            |text: &str| serde_json::to_string(text).map(|quoted| quoted[1..quoted.len() - 1].to_owned());
        let (plain, in_html) = (in_json(url)?, in_json(&url.replace('&', "&amp;"))?);
        let mut shown = conn.prepare_cached(
            "SELECT source_url, licence_json, body_html FROM resources
             WHERE source_url = ?1 OR instr(licence_json, ?2) > 0 OR instr(body_html, ?3) > 0",
        )?;
        let mut rows = shown.query(params![url, plain, url.replace('&', "&amp;")])?;
        while let Some(row) = rows.next()? {
            let licence: Licence = serde_json::from_str(&row.get::<_, String>("licence_json")?)?;
            let body: Option<String> = row.get("body_html")?;
            if row.get::<_, Option<String>>("source_url")?.as_deref() == Some(url)
                || licence.url.as_deref() == Some(url)
                || body.is_some_and(|body| super::html::links_of(&body).iter().any(|link| link == url))
            {
                return Ok(true);
            }
        }
        let mut files = conn.prepare_cached(
            "SELECT record_json FROM resource_files WHERE instr(record_json, ?1) > 0 OR instr(record_json, ?2) > 0",
        )?;
        let mut rows = files.query(params![plain, in_html])?;
        while let Some(row) = rows.next()? {
            let record: NewResource = serde_json::from_str(&row.get::<_, String>(0)?)?;
            let resource = &record.resource;
            if resource.source_url.as_deref() == Some(url)
                || resource.licence.url.as_deref() == Some(url)
                || record.video.is_some_and(|video| video.embed_url == url)
                || resource
                    .body_html
                    .as_deref()
                    .is_some_and(|body| super::html::links_of(body).iter().any(|link| link == url))
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Every source ever synced, by id.
    pub fn sources(&self) -> Result<Vec<StoredSource>, DbError> {
        self.sources_where(None)
    }

    /// One source as its last syncs left it.
    pub fn source(&self, id: &str) -> Result<Option<StoredSource>, DbError> {
        Ok(self.sources_where(Some(id))?.pop())
    }

    fn sources_where(&self, id: Option<&str>) -> Result<Vec<StoredSource>, DbError> {
        let conn = self.pool.get()?;
        let mut statement = conn.prepare_cached(
            "SELECT id, revision, reader, last_attempt, last_success, duration_ms, last_error,
                    resource_count, skipped_count
             FROM sources WHERE ?1 IS NULL OR id = ?1 ORDER BY id",
        )?;
        let rows = statement.query_map([id], |row| {
            Ok(StoredSource {
                id: row.get("id")?,
                revision: row.get("revision")?,
                reader: row.get("reader")?,
                last_attempt: row.get("last_attempt")?,
                last_success: row.get("last_success")?,
                duration_ms: row.get("duration_ms")?,
                last_error: row.get("last_error")?,
                resource_count: row.get("resource_count")?,
                skipped_count: row.get("skipped_count")?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One page of resources in id order, filtered.
    pub fn list(&self, filter: &ListFilter) -> Result<ResourcePage, DbError> {
        let conn = self.pool.get()?;
        let mut statement = conn.prepare_cached(&format!(
            "SELECT {} FROM resources r
             JOIN networks n ON n.id = r.network_id
             WHERE (?1 IS NULL OR r.network_id = ?1)
               AND (?2 IS NULL OR r.id IN (SELECT resource_id FROM resource_tags WHERE tag = ?2))
               AND (?3 IS NULL OR r.kind = ?3)
               AND (?4 IS NULL OR r.id > ?4)
             ORDER BY r.id
             LIMIT ?5",
            SUMMARY.sql()
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
            "SELECT n.id, n.name, n.url, count(r.id) AS resources FROM networks n
             LEFT JOIN resources r ON r.network_id = n.id
             GROUP BY n.id ORDER BY n.name COLLATE NOCASE, n.id",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(Network {
                network: NetworkRef { id: row.get("id")?, name: row.get("name")?, url: row.get("url")? },
                resource_count: row.get("resources")?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The tags most resources share, each with how many carry it, most used first: the themes
    /// a visitor can browse. A tag only one resource carries is no theme to browse.
    pub fn themes(&self, limit: u32) -> Result<Vec<(String, u64)>, DbError> {
        let conn = self.pool.get()?;
        let mut statement = conn.prepare_cached(
            "SELECT tag, count(*) AS resources FROM resource_tags
             GROUP BY tag HAVING resources > 1
             ORDER BY resources DESC, tag COLLATE NOCASE
             LIMIT ?1",
        )?;
        let rows = statement.query_map([limit], |row| Ok((row.get("tag")?, row.get("resources")?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many resources carry a tag.
    pub fn tag_count(&self, tag: &str) -> Result<u64, DbError> {
        let conn = self.pool.get()?;
        let mut statement = conn.prepare_cached("SELECT count(*) FROM resource_tags WHERE tag = ?1")?;
        Ok(statement.query_row([tag], |row| row.get(0))?)
    }

    /// Filmed testimonies with their videos, in id order.
    pub fn testimonials(&self, filter: &TestimonialFilter) -> Result<Vec<StoredTestimonial>, DbError> {
        let conn = self.pool.get()?;
        let mut statement = conn.prepare_cached(&format!(
            "SELECT {}, {}
             FROM videos v
             JOIN resources r ON r.id = v.resource_id
             JOIN networks n ON n.id = r.network_id
             WHERE (?1 IS NULL OR r.network_id = ?1)
               AND (?2 IS NULL OR r.id IN (SELECT resource_id FROM resource_tags WHERE tag = ?2))
               AND (?4 IS NULL OR r.id = ?4)
             ORDER BY r.id
             LIMIT ?3",
            SUMMARY.sql(),
            VIDEO.sql()
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
                let jpeg: Option<Vec<u8>> = row.get("jpeg")?;
                Ok((row.get("title")?, jpeg.map_or(StoredPoster::Placeholder, StoredPoster::Jpeg)))
            })
            .optional()?)
    }

    /// The cached JPEG of a resource's image from another host; `None` when there is none (no
    /// image, not fetched yet, or fetching failed).
    pub fn cached_image(&self, resource_id: &str) -> Result<Option<Vec<u8>>, DbError> {
        let conn = self.pool.get()?;
        let mut statement = conn.prepare_cached(
            "SELECT p.jpeg FROM resources r JOIN posters p ON p.source_url = json_extract(r.image_json, '$.url')
             WHERE r.id = ?1",
        )?;
        Ok(statement.query_row([resource_id], |row| row.get::<_, Option<Vec<u8>>>(0)).optional()?.flatten())
    }

    /// Width and height of a testimony's cached poster: `None` when the id is not a testimony,
    /// `Some(None)` when it has no cached poster (a placeholder is shown).
    pub fn poster_size(&self, resource_id: &str) -> Result<Option<Option<(u32, u32)>>, DbError> {
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
            (Some(width), Some(height)) => Some((width, height)),
            _ => None,
        }))
    }

    /// The WebVTT text of one captions track.
    pub fn captions(&self, resource_id: &str, lang: &str) -> Result<Option<String>, DbError> {
        let conn = self.pool.get()?;
        let mut statement =
            conn.prepare_cached("SELECT vtt FROM captions WHERE resource_id = ?1 AND lang = ?2")?;
        Ok(statement.query_row([resource_id, lang], |row| row.get(0)).optional()?)
    }

    /// Images on other hosts that were never tried: posters and resources' images (served from
    /// the same cache), and images of bodies.
    pub fn posters_to_fetch(&self) -> Result<Vec<MediaToFetch>, DbError> {
        let conn = self.pool.get()?;
        let mut statement = conn.prepare_cached(
            "SELECT url, min(in_body) AS in_body FROM (
               SELECT poster_source AS url, 0 AS in_body FROM videos
               UNION SELECT json_extract(image_json, '$.url'), 0 FROM resources WHERE image_json IS NOT NULL
               UNION SELECT source_url, 1 FROM body_media)
             WHERE (url LIKE 'https://%' OR url LIKE 'http://%')
               AND url NOT IN (SELECT source_url FROM posters)
             GROUP BY url ORDER BY url",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(MediaToFetch { url: row.get("url")?, in_body: row.get::<_, i64>("in_body")? == 1 })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The cached JPEG of a body's image, by its key ([`super::media::media_key`]).
    pub fn cached_media(&self, key: &str) -> Result<Option<Vec<u8>>, DbError> {
        let conn = self.pool.get()?;
        let mut statement = conn.prepare_cached(
            "SELECT p.jpeg FROM body_media m JOIN posters p ON p.source_url = m.source_url WHERE m.key = ?1",
        )?;
        Ok(statement.query_row([key], |row| row.get::<_, Option<Vec<u8>>>(0)).optional()?.flatten())
    }

    /// The resources written last (new, edited or moved), latest first, each with when (UTC,
    /// RFC 3339); one network's only with `network`.
    pub fn recently_written(
        &self,
        network: Option<&str>,
        limit: u32,
    ) -> Result<Vec<(Resource, String)>, DbError> {
        let conn = self.pool.get()?;
        let mut statement = conn.prepare_cached(&format!(
            "SELECT {}, {} FROM changes c
             JOIN resources r ON r.id = c.resource_id
             JOIN networks n ON n.id = r.network_id
             WHERE c.change = 'written' AND (?1 IS NULL OR r.network_id = ?1)
             ORDER BY c.seq DESC LIMIT ?2",
            SUMMARY.sql(),
            CHANGED.sql()
        ))?;
        let rows = statement.query_map(params![network, limit], |row| {
            Ok((summary_from_row(row), row.get(const { CHANGED.at("at") })?))
        })?;
        let mut items = Vec::new();
        for row in rows {
            let (resource, at) = row?;
            items.push((resource?, at));
        }
        Ok(items)
    }

    /// Every resource's id with when it last changed (UTC, RFC 3339), in id order, from the
    /// `skip`-th on, `limit` of them.
    pub fn ids_with_changes(&self, skip: u64, limit: u64) -> Result<Vec<(String, Option<String>)>, DbError> {
        let conn = self.pool.get()?;
        let mut statement = conn.prepare_cached(
            "SELECT r.id, c.at FROM resources r LEFT JOIN changes c ON c.resource_id = r.id
             ORDER BY r.id LIMIT ?2 OFFSET ?1",
        )?;
        let rows = statement.query_map(params![skip, limit], |row| Ok((row.get("id")?, row.get("at")?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// When each network's resources last changed (UTC, RFC 3339), by network id.
    pub fn last_change_by_network(&self) -> Result<Vec<(String, String)>, DbError> {
        let conn = self.pool.get()?;
        let mut statement = conn.prepare_cached(
            "SELECT r.network_id, max(c.at) AS at FROM changes c JOIN resources r ON r.id = c.resource_id
             GROUP BY r.network_id",
        )?;
        let rows = statement.query_map([], |row| Ok((row.get("network_id")?, row.get("at")?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The changes after `since`, oldest first, at most `limit` and, past the first, at most
    /// [`bao_contract::CHANGES_PAGE_BYTES`] of records, of the resources read from this server's
    /// own sources (not from another server it follows); and the latest change held.
    pub fn changes_since(&self, since: u64, limit: u32) -> Result<(Vec<StoredChange>, u64), DbError> {
        let conn = self.pool.get()?;
        let latest: u64 =
            conn.query_row("SELECT coalesce(max(seq), 0) FROM changes", [], |row| row.get(0))?;
        let mut statement = conn.prepare_cached(
            "SELECT c.seq, c.resource_id, c.change, c.at, c.merged_into,
                    (SELECT f.record_json FROM resource_files f
                      WHERE f.resource_id = c.resource_id AND f.record_json IS NOT NULL
                      ORDER BY f.position LIMIT 1) AS record_json
             FROM changes c
             WHERE c.seq > ?1 AND c.source_id NOT IN (SELECT id FROM sources WHERE kind = ?3)
             ORDER BY c.seq LIMIT ?2",
        )?;
        let rows = statement.query_map(params![since, limit, FOLLOWED_SERVER_KIND], |row| {
            Ok((
                StoredChange {
                    seq: row.get("seq")?,
                    id: row.get("resource_id")?,
                    change: row.get("change")?,
                    at: row.get("at")?,
                    merged_into: row.get("merged_into")?,
                    record: None,
                },
                row.get::<_, Option<String>>("record_json")?,
            ))
        })?;
        let (mut changes, mut bytes) = (Vec::new(), 0);
        for row in rows {
            let (mut change, record) = row?;
            if bytes >= bao_contract::CHANGES_PAGE_BYTES {
                break;
            }
            bytes += record.as_ref().map_or(0, String::len);
            if change.change == "written" {
                change.record = record.map(|json| serde_json::from_str(&json)).transpose()?;
            }
            changes.push(change);
        }
        Ok((changes, latest))
    }

    /// The resources a source holds, as its files read (first file first).
    pub fn source_records(&self, source_id: &str) -> Result<Vec<NewResource>, DbError> {
        let conn = self.pool.get()?;
        let mut statement = conn.prepare_cached(
            "SELECT record_json FROM resource_files WHERE source_id = ?1 AND record_json IS NOT NULL
             ORDER BY position",
        )?;
        let rows = statement.query_map([source_id], |row| row.get::<_, String>(0))?;
        let mut records = Vec::new();
        for json in rows {
            records.push(serde_json::from_str(&json?)?);
        }
        Ok(records)
    }

    /// Every id that names a resource today (its own, or one it had before), with the content
    /// generation they were read at, as of one snapshot.
    pub fn naming_ids(&self) -> Result<(u64, std::collections::HashSet<Box<str>>), DbError> {
        let mut conn = self.pool.get()?;
        let tx = conn.transaction()?;
        let generation = tx.query_row("SELECT value FROM content_generation", [], |row| row.get(0))?;
        let mut statement = tx.prepare(
            "SELECT id FROM resources UNION ALL SELECT alias FROM resource_aliases a
             JOIN resources r ON r.id = a.resource_id",
        )?;
        let ids = statement.query_map([], |row| row.get::<_, String>(0))?;
        let ids = ids.map(|id| id.map(String::into_boxed_str)).collect::<Result<_, _>>()?;
        Ok((generation, ids))
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
                "SELECT {}, {} FROM resources r
                 JOIN networks n ON n.id = r.network_id
                 LEFT JOIN videos v ON v.resource_id = r.id ORDER BY r.id",
                SUMMARY.sql(),
                BODY_AND_TRANSCRIPT.sql()
            ))
            .map_err(DbError::from)?;
        let mut rows = statement.query([]).map_err(DbError::from)?;
        while let Some(row) = rows.next().map_err(DbError::from)? {
            let body_html: String =
                row.get(const { BODY_AND_TRANSCRIPT.at("body_html") }).map_err(DbError::from)?;
            let transcript: Option<String> =
                row.get(const { BODY_AND_TRANSCRIPT.at("transcript") }).map_err(DbError::from)?;
            let resource = summary_from_row(row)?;
            visit(Resource { body_html: Some(body_html), ..resource }, transcript)?;
        }
        Ok(generation)
    }
}

/// A resource as lists show it (no body): what [`summary_from_row`] reads.
const SUMMARY: Columns<14> = Columns::new([
    "r.id",
    "r.kind",
    "r.title",
    "r.summary",
    "r.image_json",
    "r.authors_json",
    "n.id AS network_id",
    "n.name AS network_name",
    "n.url AS network_url",
    "r.tags_json",
    "r.licence_json",
    "r.source_url",
    "r.lang",
    "r.updated",
]);
const BODY: Columns<1> = Columns::after(&SUMMARY, ["r.body_html"]);
const BODY_AND_TRANSCRIPT: Columns<2> = Columns::after(&SUMMARY, ["r.body_html", "v.transcript"]);
/// When a resource was last written (RFC 3339).
const CHANGED: Columns<1> = Columns::after(&SUMMARY, ["c.at"]);
/// A testimony's video: what [`testimonial_from_row`] reads after the summary.
const VIDEO: Columns<8> = Columns::after(
    &SUMMARY,
    [
        "v.provider",
        "v.host_name",
        "v.embed_url",
        "v.poster_source",
        "v.duration_seconds",
        "v.quote",
        "v.transcript",
        "(SELECT json_group_array(json_object('lang', c.lang, 'label', c.label))
           FROM captions c WHERE c.resource_id = r.id) AS captions",
    ],
);

/// Reads the columns of [`SUMMARY`]; the outer error is SQLite's, the inner one a malformed
/// stored value.
fn summary_from_row(row: &Row<'_>) -> Result<Resource, DbError> {
    let kind: String = row.get(const { SUMMARY.at("kind") })?;
    let image: Option<String> = row.get(const { SUMMARY.at("image_json") })?;
    let authors: String = row.get(const { SUMMARY.at("authors_json") })?;
    let tags: String = row.get(const { SUMMARY.at("tags_json") })?;
    let licence: String = row.get(const { SUMMARY.at("licence_json") })?;
    Ok(Resource {
        id: row.get(const { SUMMARY.at("id") })?,
        kind: Kind::parse(&kind).ok_or_else(|| DbError::Corrupt(format!("kind {kind:?}")))?,
        title: row.get(const { SUMMARY.at("title") })?,
        summary: row.get(const { SUMMARY.at("summary") })?,
        image: image.map(|json| serde_json::from_str::<Image>(&json)).transpose()?,
        authors: serde_json::from_str(&authors)?,
        network: NetworkRef {
            id: row.get(const { SUMMARY.at("network_id") })?,
            name: row.get(const { SUMMARY.at("network_name") })?,
            url: row.get(const { SUMMARY.at("network_url") })?,
        },
        tags: serde_json::from_str(&tags)?,
        licence: serde_json::from_str::<Licence>(&licence)?,
        // Stored empty when the source has no web address.
        source_url: Some(row.get::<_, String>(const { SUMMARY.at("source_url") })?)
            .filter(|url| !url.is_empty()),
        lang: row.get(const { SUMMARY.at("lang") })?,
        updated: row.get(const { SUMMARY.at("updated") })?,
        body_html: None,
        sources: Vec::new(),
    })
}

/// Reads [`SUMMARY`] then [`VIDEO`].
fn testimonial_from_row(row: &Row<'_>) -> Result<StoredTestimonial, DbError> {
    let resource = summary_from_row(row)?;
    let provider: String = row.get(const { VIDEO.at("provider") })?;
    let provider =
        Provider::parse(&provider).ok_or_else(|| DbError::Corrupt(format!("provider {provider:?}")))?;
    #[derive(serde::Deserialize)]
    struct Track {
        lang: String,
        label: String,
    }
    let tracks: Vec<Track> = serde_json::from_str(&row.get::<_, String>(const { VIDEO.at("captions") })?)?;
    let video = StoredVideo {
        provider,
        host_name: row.get(const { VIDEO.at("host_name") })?,
        embed_url: row.get(const { VIDEO.at("embed_url") })?,
        poster_source: row.get(const { VIDEO.at("poster_source") })?,
        duration_seconds: row.get(const { VIDEO.at("duration_seconds") })?,
        transcript: row.get(const { VIDEO.at("transcript") })?,
        captions: tracks.into_iter().map(|Track { lang, label }| (lang, label)).collect(),
    };
    Ok(StoredTestimonial { quote: row.get(const { VIDEO.at("quote") })?, resource, video })
}

//! What syncs and the poster fetcher write to the store, each in one transaction.

use std::collections::{BTreeSet, HashMap, HashSet};

use r2d2_sqlite::rusqlite::{OptionalExtension, Transaction, params};
use sha2::Digest;

use super::identity::{self, COPY_MIN_WORDS, COPY_SIMILARITY, CloseTexts, MOVE_SIMILARITY, Shingles, Words};
use super::media;
use super::{Database, DbError, NewResource, SourceUpdate, StoreOutcome, SyncRecord};

/// A file of the source as the store holds it.
struct StoredFile {
    resource_id: String,
    content_hash: String,
    fingerprint: String,
}

impl Database {
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

    /// Stores what a source holds now, in one transaction: either all of it lands, or nothing
    /// changes. Files are matched by `source_key`, so storing the same files again changes
    /// nothing; a file that moved keeps its resource (see `identity.rs`), a copy of a fiche
    /// already stored joins it, and the resources of this source whose files are all gone are
    /// withdrawn (their ids answer 410 from then on).
    pub fn store_source(&self, update: &SourceUpdate<'_>) -> Result<StoreOutcome, DbError> {
        let mut conn = self.pool.get()?;
        let tx = conn.transaction()?;
        let networks_changed = store_networks(&tx, update)?;
        // Before the files: a resource the source no longer holds because it was merged is then
        // told apart from a withdrawn one.
        store_aliases(&tx, update)?;
        let mut stored = stored_files(&tx, update.source_id)?;
        // Sorted by key, so that which of two new files gets an id first never depends on the
        // order the source listed them in.
        // Each file's words are read when it is compared, never all at once: a sync's memory is
        // its records, not their words too.
        let mut files: Vec<&NewResource> = update.resources.iter().collect();
        files.sort_by(|a, b| a.source_key.cmp(&b.source_key));
        let mut outcome = StoreOutcome::default();

        let arriving: BTreeSet<&str> = files.iter().map(|new| new.source_key.as_str()).collect();
        let mut vanished: Vec<String> =
            stored.keys().filter(|key| !arriving.contains(key.as_str())).cloned().collect();
        vanished.sort();
        let moved = follow_moves(&tx, &files, &mut stored, &mut vanished, &mut outcome)?;

        // Known files before new ones: an edit is stored before a new file is compared with it.
        files.sort_by_key(|new| !stored.contains_key(&new.source_key));
        store_body_media(&tx, &files)?;
        let changed_files = ChangedFiles { source_id: update.source_id, stored: &stored, moved: &moved };
        // Resources to show again once every file is stored: those a merge or a deletion left.
        let mut touched = changed_files.store(&tx, &files, &mut outcome)?;
        let last_texts = forget_vanished(&tx, &vanished, &mut touched)?;
        for resource_id in &touched {
            if show_richest_file(&tx, resource_id, last_texts.get(resource_id), update.source_id)?
                == Shown::Withdrawn
            {
                outcome.withdrawn += 1;
            }
        }
        if let Some(sync) = &update.sync {
            record_sync(&tx, update.source_id, sync)?;
        }
        let changed = networks_changed > 0 || outcome.changed();
        if changed {
            tx.execute("UPDATE content_generation SET value = value + 1", [])?;
        }
        tx.commit()?;
        if changed {
            self.changes.fetch_add(1, std::sync::atomic::Ordering::Release);
        }
        Ok(outcome)
    }

    /// Records a sync that found nothing new: an attempt, and a success.
    pub fn record_sync_unchanged(&self, source_id: &str, duration_ms: u64) -> Result<(), DbError> {
        let conn = self.pool.get()?;
        conn.execute(
            "UPDATE sources SET last_attempt = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
               last_success = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), duration_ms = ?2, last_error = NULL
             WHERE id = ?1",
            params![source_id, duration_ms],
        )?;
        Ok(())
    }

    /// Records a sync that failed: its source keeps its content, and says why.
    pub fn record_sync_failure(
        &self,
        source_id: &str,
        kind: &str,
        url: &str,
        duration_ms: u64,
        error: &str,
    ) -> Result<(), DbError> {
        let conn = self.pool.get()?;
        conn.execute(
            "INSERT INTO sources (id, kind, url, last_attempt, duration_ms, last_error)
             VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?4, ?5)
             ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, url = excluded.url,
               last_attempt = excluded.last_attempt, duration_ms = excluded.duration_ms,
               last_error = excluded.last_error",
            params![source_id, kind, url, duration_ms, error],
        )?;
        Ok(())
    }
}

/// Writes the source's networks; how many changed.
fn store_networks(tx: &Transaction<'_>, update: &SourceUpdate<'_>) -> Result<usize, DbError> {
    let mut changed = 0;
    for network in update.networks {
        changed += tx.execute(
            "INSERT INTO networks (id, name, url) VALUES (?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, url = excluded.url
             WHERE name IS NOT excluded.name OR url IS NOT excluded.url",
            params![network.id, network.name, network.url],
        )?;
    }
    Ok(changed)
}

/// Records the ids the source says were merged into others. An id other sources hold too is not
/// the source's to move.
fn store_aliases(tx: &Transaction<'_>, update: &SourceUpdate<'_>) -> Result<(), DbError> {
    for (old, current) in update.aliases {
        let elsewhere: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM resource_files WHERE resource_id = ?1 AND source_id != ?2)",
            params![old, update.source_id],
            |row| row.get(0),
        )?;
        if old != current && !elsewhere {
            alias(tx, old, current, update.source_id)?;
        }
    }
    Ok(())
}

/// The files the store holds for the source, by key.
fn stored_files(tx: &Transaction<'_>, source_id: &str) -> Result<HashMap<String, StoredFile>, DbError> {
    let mut statement = tx.prepare(
        "SELECT source_key, resource_id, content_hash, fingerprint FROM resource_files WHERE source_id = ?1",
    )?;
    let rows = statement.query_map([source_id], |row| {
        Ok((
            row.get("source_key")?,
            StoredFile {
                resource_id: row.get("resource_id")?,
                content_hash: row.get("content_hash")?,
                fingerprint: row.get("fingerprint")?,
            },
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Gives each new file that is a vanished one moved its key (`identity.rs`), so that it keeps its
/// resource; the keys of the files so moved, which are stored again even when their bytes are the
/// same: their address changed.
fn follow_moves<'a>(
    tx: &Transaction<'_>,
    files: &[&'a NewResource],
    stored: &mut HashMap<String, StoredFile>,
    vanished: &mut Vec<String>,
    outcome: &mut StoreOutcome,
) -> Result<HashSet<&'a str>, DbError> {
    let mut moved = HashSet::new();
    for new in files {
        if stored.contains_key(&new.source_key) || vanished.is_empty() {
            continue;
        }
        if let Some(old_key) = moved_from(tx, vanished, &Words::of(&new.resource))? {
            tx.execute(
                "UPDATE resource_files SET source_key = ?2 WHERE source_key = ?1",
                params![old_key, new.source_key],
            )?;
            vanished.retain(|key| *key != old_key);
            if let Some(file) = stored.remove(&old_key) {
                stored.insert(new.source_key.clone(), file);
            }
            moved.insert(new.source_key.as_str());
            outcome.moved += 1;
        }
    }
    Ok(moved)
}

/// Notes the images of other hosts in every body read, changed or not: a database from before
/// this table fills at its next sync.
fn store_body_media(tx: &Transaction<'_>, files: &[&NewResource]) -> Result<(), DbError> {
    for new in files {
        for url in media::images_of_other_hosts(new.resource.body_html.as_deref().unwrap_or_default()) {
            tx.execute(
                "INSERT OR IGNORE INTO body_media (key, source_url) VALUES (?1, ?2)",
                params![media::media_key(&url), url],
            )?;
        }
    }
    Ok(())
}

/// What storing a source's changed files needs to know of what the store held.
struct ChangedFiles<'a> {
    source_id: &'a str,
    stored: &'a HashMap<String, StoredFile>,
    moved: &'a HashSet<&'a str>,
}

impl ChangedFiles<'_> {
    /// Stores each file that is new, edited or moved under the resource it belongs to (its own,
    /// the one it is a copy of, or a new one); the resources a merge left, to show again.
    fn store(
        &self,
        tx: &Transaction<'_>,
        files: &[&NewResource],
        outcome: &mut StoreOutcome,
    ) -> Result<BTreeSet<String>, DbError> {
        let mut touched = BTreeSet::new();
        let mut position: i64 =
            tx.query_row("SELECT coalesce(max(position), 0) FROM resource_files", [], |row| row.get(0))?;
        // Every stored text, indexed to find near copies: built once a file needs it.
        let mut close: Option<StoredTexts> = None;
        for new in files {
            let known = self.stored.get(&new.source_key);
            if known.is_some_and(|file| file.content_hash == new.content_hash)
                && !self.moved.contains(new.source_key.as_str())
            {
                outcome.unchanged += 1;
                continue;
            }
            let words = &Words::of(&new.resource);
            let fingerprint = identity::fingerprint(words);
            let target = match known {
                Some(file) => {
                    if file.content_hash != new.content_hash {
                        outcome.updated += 1;
                    }
                    // An edit that makes a fiche a copy of another one merges the two, if this
                    // file was all its resource had.
                    match copy_of(tx, &mut close, &fingerprint, words, &file.resource_id)? {
                        Some(other)
                            if file.fingerprint != fingerprint && files_of(tx, &file.resource_id)? == 1 =>
                        {
                            alias(tx, &file.resource_id, &other, self.source_id)?;
                            touched.insert(file.resource_id.clone());
                            outcome.merged += 1;
                            other
                        }
                        _ => file.resource_id.clone(),
                    }
                }
                None => match copy_of(tx, &mut close, &fingerprint, words, "")? {
                    Some(resource_id) => {
                        outcome.merged += 1;
                        resource_id
                    }
                    None => {
                        outcome.created += 1;
                        new_id(tx, new, &fingerprint, words)?
                    }
                },
            };
            position += 1;
            tx.execute(
                "INSERT INTO resource_files (source_key, source_id, resource_id, position, content_hash,
                   fingerprint, record_json)
                 VALUES (?1, ?2, ?3, ?7, ?4, ?5, ?6)
                 ON CONFLICT (source_key) DO UPDATE SET resource_id = excluded.resource_id,
                   content_hash = excluded.content_hash, fingerprint = excluded.fingerprint,
                   record_json = excluded.record_json",
                params![
                    new.source_key,
                    self.source_id,
                    target,
                    new.content_hash,
                    fingerprint,
                    serde_json::to_string(new)?,
                    position,
                ],
            )?;
            if let Some(close) = &mut close {
                close.remove(&new.source_key);
                if words.len() >= COPY_MIN_WORDS {
                    close.insert(new.source_key.clone(), target.clone(), Shingles::of(words));
                }
            }
            // Written at once: the next new file must see this id taken.
            show_richest_file(tx, &target, None, self.source_id)?;
        }
        Ok(touched)
    }
}

/// Deletes the files the source no longer holds, adding their resources to `touched`; the text
/// each such resource is known by, should it come back.
fn forget_vanished(
    tx: &Transaction<'_>,
    vanished: &[String],
    touched: &mut BTreeSet<String>,
) -> Result<HashMap<String, LastText>, DbError> {
    let mut last_texts = HashMap::new();
    for key in vanished {
        let (resource_id, fingerprint, record): (String, String, Option<String>) = tx.query_row(
            "DELETE FROM resource_files WHERE source_key = ?1 RETURNING resource_id, fingerprint, record_json",
            [key],
            |row| Ok((row.get("resource_id")?, row.get("fingerprint")?, row.get("record_json")?)),
        )?;
        let words = match record {
            Some(record) => {
                Words::of(&serde_json::from_str::<NewResource>(&record)?.resource).joined().to_owned()
            }
            None => String::new(),
        };
        last_texts.insert(resource_id.clone(), LastText { fingerprint, words });
        touched.insert(resource_id);
    }
    Ok(last_texts)
}

/// Records the sync that brought these files: its revision, reader and duration, and its remarks.
fn record_sync(tx: &Transaction<'_>, source_id: &str, sync: &SyncRecord) -> Result<(), DbError> {
    let count: u64 = tx.query_row(
        "SELECT count(DISTINCT resource_id) FROM resource_files WHERE source_id = ?1",
        [source_id],
        |row| row.get(0),
    )?;
    tx.execute(
        "INSERT INTO sources (id, kind, url, revision, reader, last_attempt, last_success,
           duration_ms, last_error, resource_count, skipped_count)
         VALUES (?1, ?2, ?3, ?4, ?5, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
           strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?6, NULL, ?7, ?8)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, url = excluded.url,
           revision = excluded.revision, reader = excluded.reader,
           last_attempt = excluded.last_attempt, last_success = excluded.last_success,
           duration_ms = excluded.duration_ms, last_error = NULL,
           resource_count = excluded.resource_count, skipped_count = excluded.skipped_count",
        params![
            source_id,
            sync.kind,
            sync.url,
            sync.revision,
            sync.reader,
            sync.duration_ms,
            count,
            sync.remarks.iter().filter(|remark| remark.skipped).count(),
        ],
    )?;
    tx.execute("DELETE FROM source_remarks WHERE source_id = ?1", [source_id])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO source_remarks (source_id, position, path, reason, skipped) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (position, remark) in sync.remarks.iter().enumerate() {
        insert.execute(params![source_id, position, remark.path, remark.reason, remark.skipped])?;
    }
    Ok(())
}

fn body_of(new: &NewResource) -> &str {
    new.resource.body_html.as_deref().unwrap_or_default()
}

/// The vanished file of this source that `words` are a moved copy of, if any: the same
/// fingerprint, else the closest text at or above [`MOVE_SIMILARITY`].
fn moved_from(tx: &Transaction<'_>, vanished: &[String], words: &Words) -> Result<Option<String>, DbError> {
    let fingerprint = identity::fingerprint(words);
    let shingles = Shingles::of(words);
    let mut best: Option<(f64, &String)> = None;
    for key in vanished {
        let (stored_fingerprint, record): (String, Option<String>) = tx.query_row(
            "SELECT fingerprint, record_json FROM resource_files WHERE source_key = ?1",
            [key],
            |row| Ok((row.get("fingerprint")?, row.get("record_json")?)),
        )?;
        if !fingerprint.is_empty() && stored_fingerprint == fingerprint {
            return Ok(Some(key.clone()));
        }
        let Some(record) = record else { continue };
        let old: NewResource = serde_json::from_str(&record)?;
        let score = shingles.similarity(&Shingles::of(&Words::of(&old.resource)));
        if score >= MOVE_SIMILARITY && best.is_none_or(|(best, _)| score > best) {
            best = Some((score, key));
        }
    }
    Ok(best.map(|(_, key)| key.clone()))
}

/// A stored resource other than `except` that has a copy of this text: a file with the same
/// fingerprint, else the closest text at or above [`COPY_SIMILARITY`].
fn copy_of(
    tx: &Transaction<'_>,
    close: &mut Option<StoredTexts>,
    fingerprint: &str,
    words: &Words,
    except: &str,
) -> Result<Option<String>, DbError> {
    if fingerprint.is_empty() {
        return Ok(None);
    }
    let same: Option<String> = tx
        .query_row(
            "SELECT resource_id FROM resource_files WHERE fingerprint = ?1 AND resource_id != ?2
             ORDER BY position LIMIT 1",
            [fingerprint, except],
            |row| row.get(0),
        )
        .optional()?;
    if same.is_some() || words.len() < COPY_MIN_WORDS {
        return Ok(same);
    }
    let close = match close {
        Some(close) => close,
        None => close.insert(stored_texts(tx)?),
    };
    let shingles = Shingles::of(words);
    Ok(close
        .closest(&shingles, |_, resource_id| resource_id != except)
        .map(|(_, resource_id, _)| resource_id.clone()))
}

/// The text of every stored file (by its key), with its resource.
type StoredTexts = CloseTexts<String, String>;

fn stored_texts(tx: &Transaction<'_>) -> Result<StoredTexts, DbError> {
    let mut texts = CloseTexts::new(COPY_SIMILARITY);
    let mut statement = tx.prepare(
        "SELECT source_key, resource_id, record_json FROM resource_files
         WHERE record_json IS NOT NULL ORDER BY position",
    )?;
    let rows = statement.query_map([], |row| {
        Ok((row.get("source_key")?, row.get("resource_id")?, row.get::<_, String>("record_json")?))
    })?;
    for row in rows {
        let (key, resource_id, record) = row?;
        let new: NewResource = serde_json::from_str(&record)?;
        let words = Words::of(&new.resource);
        if words.len() >= COPY_MIN_WORDS {
            texts.insert(key, resource_id, Shingles::of(&words));
        }
    }
    Ok(texts)
}

fn files_of(tx: &Transaction<'_>, resource_id: &str) -> Result<u64, DbError> {
    Ok(tx.query_row("SELECT count(*) FROM resource_files WHERE resource_id = ?1", [resource_id], |row| {
        row.get(0)
    })?)
}

/// Makes `old` an alias of `current`, and every id that led to `old` lead to `current`.
fn alias(tx: &Transaction<'_>, old: &str, current: &str, source_id: &str) -> Result<(), DbError> {
    tx.execute(
        "INSERT INTO resource_aliases (alias, resource_id) VALUES (?1, ?2)
         ON CONFLICT (alias) DO UPDATE SET resource_id = excluded.resource_id",
        params![old, current],
    )?;
    tx.execute("UPDATE resource_aliases SET resource_id = ?2 WHERE resource_id = ?1", params![old, current])?;
    record_change(tx, old, "merged", Some(current), source_id)
}

/// Records the latest change of a resource, after every other one (see `0006_changes.sql`).
fn record_change(
    tx: &Transaction<'_>,
    id: &str,
    change: &str,
    merged_into: Option<&str>,
    source_id: &str,
) -> Result<(), DbError> {
    tx.execute("DELETE FROM changes WHERE resource_id = ?1", [id])?;
    tx.execute(
        "INSERT INTO changes (resource_id, change, merged_into, source_id, at)
         VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        params![id, change, merged_into, source_id],
    )?;
    Ok(())
}

/// The id of a resource seen for the first time. A withdrawn resource coming back (the same file,
/// or the same text) takes its id again; otherwise its slug, unless that was ever given to
/// another resource: then the slug with a suffix derived from the file's key, which no other
/// file's arrival can change.
fn new_id(
    tx: &Transaction<'_>,
    new: &NewResource,
    fingerprint: &str,
    words: &Words,
) -> Result<String, DbError> {
    let mut returning: Option<String> = tx
        .query_row(
            "SELECT id FROM withdrawn_resources WHERE source_key = ?1 OR (?2 != '' AND fingerprint = ?2)
             ORDER BY source_key = ?1 DESC LIMIT 1",
            [&new.source_key, fingerprint],
            |row| row.get(0),
        )
        .optional()?;
    if returning.is_none() && words.len() >= COPY_MIN_WORDS {
        let mut withdrawn = CloseTexts::new(COPY_SIMILARITY);
        let mut statement = tx.prepare(
            "SELECT id, words FROM withdrawn_resources WHERE words != '' ORDER BY withdrawn_at, id",
        )?;
        let rows = statement
            .query_map([], |row| Ok((row.get::<_, String>("id")?, row.get::<_, String>("words")?)))?;
        for row in rows {
            let (id, text) = row?;
            let their_words = Words::from_joined(&text);
            if their_words.len() >= COPY_MIN_WORDS {
                withdrawn.insert(id, (), Shingles::of(&their_words));
            }
        }
        returning = withdrawn.closest(&Shingles::of(words), |_, _| true).map(|(id, _, _)| id.clone());
    }
    if let Some(id) = returning {
        tx.execute("DELETE FROM withdrawn_resources WHERE id = ?1", [&id])?;
        return Ok(id);
    }
    let slug = &new.resource.id;
    let digest = format!("{:x}", sha2::Sha256::digest(new.source_key.as_bytes()));
    for candidate in
        std::iter::once(slug.clone()).chain([6, 12, 64].map(|len| format!("{slug}-{}", &digest[..len])))
    {
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM resources WHERE id = ?1)
                 OR EXISTS (SELECT 1 FROM resource_files WHERE resource_id = ?1)
                 OR EXISTS (SELECT 1 FROM resource_aliases WHERE alias = ?1)
                 OR EXISTS (SELECT 1 FROM withdrawn_resources WHERE id = ?1)",
            [&candidate],
            |row| row.get(0),
        )?;
        if !taken {
            return Ok(candidate);
        }
    }
    Err(DbError::Corrupt(format!("no free id for {}", new.source_key)))
}

#[derive(Debug, PartialEq, Eq)]
enum Shown {
    Written,
    /// Its files are all gone: its id now answers 410.
    Withdrawn,
    /// Merged into another resource, or only files stored before sources were followed.
    Untouched,
}

/// The text a resource had when its last file went: its id is given back to that text.
struct LastText {
    fingerprint: String,
    words: String,
}

/// Writes the resource as the file that says most of it reads (the earliest of equally rich
/// ones), or withdraws it when it has no file left (`last` being the text of the last file it
/// had, `source_id` the source whose sync withdraws it).
fn show_richest_file(
    tx: &Transaction<'_>,
    resource_id: &str,
    last: Option<&LastText>,
    source_id: &str,
) -> Result<Shown, DbError> {
    let mut richest: Option<(String, NewResource)> = None;
    let mut files = 0;
    {
        let mut statement = tx.prepare_cached(
            "SELECT source_id, record_json FROM resource_files WHERE resource_id = ?1 ORDER BY position",
        )?;
        let rows = statement.query_map([resource_id], |row| {
            Ok((row.get("source_id")?, row.get::<_, Option<String>>("record_json")?))
        })?;
        for row in rows {
            files += 1;
            let (file_source, Some(record)) = row? else { continue };
            let new: NewResource = serde_json::from_str(&record)?;
            if richest.as_ref().is_none_or(|(_, best)| new.provenance.richness() > best.provenance.richness())
            {
                richest = Some((file_source, new));
            }
        }
    }
    let Some((first_source, new)) = richest else {
        if files > 0 {
            return Ok(Shown::Untouched);
        }
        let gone: Option<(String, String)> = tx
            .query_row(
                "DELETE FROM resources WHERE id = ?1 RETURNING source_key, title",
                [resource_id],
                |row| Ok((row.get("source_key")?, row.get("title")?)),
            )
            .optional()?;
        let merged: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM resource_aliases WHERE alias = ?1)",
            [resource_id],
            |row| row.get(0),
        )?;
        return match gone {
            Some((source_key, title)) if !merged => {
                let (fingerprint, words) = last.map_or(("", ""), |last| (&last.fingerprint, &last.words));
                tx.execute(
                    "INSERT OR REPLACE INTO withdrawn_resources (id, source_key, fingerprint, title, withdrawn_at, words)
                     VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?5)",
                    params![resource_id, source_key, fingerprint, title, words],
                )?;
                record_change(tx, resource_id, "withdrawn", None, source_id)?;
                Ok(Shown::Withdrawn)
            }
            _ => Ok(Shown::Untouched),
        };
    };
    write_resource(tx, resource_id, &new)?;
    record_change(tx, resource_id, "written", None, &first_source)?;
    Ok(Shown::Written)
}

/// Replaces the resource row (and its tags, video and captions) by what `new` reads.
fn write_resource(tx: &Transaction<'_>, id: &str, new: &NewResource) -> Result<(), DbError> {
    let resource = &new.resource;
    tx.execute("DELETE FROM resource_aliases WHERE alias = ?1", [id])?;
    tx.execute("DELETE FROM resources WHERE id = ?1 OR source_key = ?2", params![id, new.source_key])?;
    tx.execute(
        "INSERT INTO resources (id, source_key, network_id, kind, title, summary, body_html,
           image_json, authors_json, tags_json, licence_json, source_url, lang, updated,
           content_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            id,
            new.source_key,
            resource.network.id,
            resource.kind.as_str(),
            resource.title,
            resource.summary,
            body_of(new),
            resource.image.as_ref().map(serde_json::to_string).transpose()?,
            serde_json::to_string(&resource.authors)?,
            serde_json::to_string(&resource.tags)?,
            serde_json::to_string(&resource.licence)?,
            resource.source_url.as_deref().unwrap_or_default(),
            resource.lang,
            resource.updated,
            new.content_hash,
        ],
    )?;
    for tag in &resource.tags {
        tx.execute(
            "INSERT OR IGNORE INTO resource_tags (resource_id, tag) VALUES (?1, ?2)",
            params![id, tag],
        )?;
    }
    if let Some(video) = &new.video {
        tx.execute(
            "INSERT INTO videos (resource_id, provider, host_name, embed_url, poster_source,
               duration_seconds, quote, transcript)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                id,
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
                params![id, captions.lang, captions.label, captions.vtt],
            )?;
        }
    }
    Ok(())
}

//! What imports and the poster fetcher write to the store, each in one transaction.

use r2d2_sqlite::rusqlite::{OptionalExtension, params};
use sha2::Digest;

use bao_contract::NetworkRef;

use super::{Database, DbError, NewResource, StoreOutcome};

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
            if let Some((old_id, _)) = stored_hash.as_ref().filter(|(old_id, _)| *old_id != summary.id) {
                // The old id keeps resolving, and so do the ids that already led to it.
                tx.execute(
                    "INSERT INTO resource_aliases (alias, resource_id) VALUES (?1, ?2)
                     ON CONFLICT (alias) DO UPDATE SET resource_id = excluded.resource_id",
                    params![old_id, summary.id],
                )?;
                tx.execute(
                    "UPDATE resource_aliases SET resource_id = ?2 WHERE resource_id = ?1",
                    params![old_id, summary.id],
                )?;
            }
            tx.execute("DELETE FROM resource_aliases WHERE alias = ?1", [&summary.id])?;
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

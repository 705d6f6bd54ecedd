//! A source's quality report: what its files leave the commons to guess, file by file, and the
//! files that are not resources, as its last successful sync read them.

use std::collections::HashMap;

use bao_contract::{FileRemark, Gap, GapCount, NetworkRef, QualityItem, SourceQuality};
use r2d2_sqlite::rusqlite::{self, params};

use super::{Database, DbError, Provenance};

impl Database {
    /// Each file of the source `id` that is a resource, as (its path in the source, the resource's id).
    pub fn source_files(&self, id: &str) -> Result<Vec<(String, String)>, DbError> {
        let conn = self.pool.get()?;
        let mut statement = conn.prepare_cached(
            "SELECT coalesce(nullif(json_extract(record_json, '$.path'), ''), source_key) AS path, resource_id
             FROM resource_files WHERE source_id = ?1 ORDER BY position",
        )?;
        let rows = statement.query_map([id], |row| Ok((row.get("path")?, row.get("resource_id")?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The report of the source `id` (shown as `network`); `None` before its first successful sync.
    pub fn source_quality(&self, id: &str, network: NetworkRef) -> Result<Option<SourceQuality>, DbError> {
        let Some(source) = self.source(id)? else { return Ok(None) };
        if source.last_success.is_none() {
            return Ok(None);
        }
        let conn = self.pool.get()?;
        let reported = reported_files(&conn, id)?;
        let mut gap_counts: Vec<GapCount> =
            Gap::ALL.iter().map(|gap| GapCount { gap: *gap, count: 0 }).collect();
        for gap in reported.iter().flat_map(|item| &item.gaps) {
            gap_counts
                .iter_mut()
                .filter(|counted| counted.gap == *gap)
                .for_each(|counted| counted.count += 1);
        }
        let resource_count = reported.len() as u64;
        let complete_count = reported.iter().filter(|item| item.gaps.is_empty()).count() as u64;
        let items = reported.into_iter().filter(|item| !item.gaps.is_empty() || item.copies > 0).collect();
        let remarks = remarks(&conn, id)?;
        Ok(Some(SourceQuality {
            source: id.to_owned(),
            network,
            last_success: source.last_success,
            resource_count,
            complete_count,
            gap_counts,
            items,
            remarks,
        }))
    }
}

/// The files of the source `id` that are resources, with what each lacks; a resource the source
/// holds twice is reported once, as the file it is shown from when that file is one of them,
/// else its first.
fn reported_files(conn: &rusqlite::Connection, id: &str) -> Result<Vec<QualityItem>, DbError> {
    // Only the fields the report needs leave each record.
    let mut statement = conn.prepare_cached(
        "SELECT f.resource_id, json_extract(f.record_json, '$.resource.title') AS title,
                coalesce(nullif(json_extract(f.record_json, '$.path'), ''), f.source_key) AS path,
                json_extract(f.record_json, '$.provenance') AS provenance,
                json_extract(f.record_json, '$.resource.source_url') AS source_url,
                json_extract(f.record_json, '$.edit_url') AS edit_url,
                (SELECT count(*) FROM resource_files o WHERE o.resource_id = f.resource_id) - 1 AS copies,
                f.source_key IS (SELECT source_key FROM resources r WHERE r.id = f.resource_id) AS shown
         FROM resource_files f
         WHERE f.source_id = ?1 AND f.record_json IS NOT NULL ORDER BY f.position",
    )?;
    let rows = statement.query_map([id], |row| {
        let provenance: Option<String> = row.get("provenance")?;
        Ok((
            QualityItem {
                id: row.get("resource_id")?,
                title: row.get::<_, Option<String>>("title")?.unwrap_or_default(),
                path: row.get("path")?,
                gaps: Vec::new(),
                copies: row.get("copies")?,
                source_url: row.get("source_url")?,
                edit_url: row.get("edit_url")?,
            },
            provenance,
            row.get::<_, bool>("shown")?,
        ))
    })?;
    let mut reported: Vec<QualityItem> = Vec::new();
    let mut places: HashMap<String, usize> = HashMap::new();
    for row in rows {
        let (mut item, provenance, shown) = row?;
        let provenance: Provenance =
            provenance.map(|json| serde_json::from_str(&json)).transpose()?.unwrap_or_default();
        item.gaps = provenance.gaps();
        match places.get(&item.id) {
            Some(&place) if shown => reported[place] = item,
            Some(_) => {}
            None => {
                places.insert(item.id.clone(), reported.len());
                reported.push(item);
            }
        }
    }
    Ok(reported)
}

/// What the last sync of the source `id` said of its files.
fn remarks(conn: &rusqlite::Connection, id: &str) -> Result<Vec<FileRemark>, DbError> {
    let mut statement = conn.prepare_cached(
        "SELECT path, reason, skipped FROM source_remarks WHERE source_id = ?1 ORDER BY position",
    )?;
    let remarks = statement
        .query_map(params![id], |row| {
            Ok(FileRemark {
                path: row.get("path")?,
                reason: row.get("reason")?,
                skipped: row.get("skipped")?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(remarks)
}

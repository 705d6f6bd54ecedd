//! Reuse counts: daily totals per resource, partner site, element and event, added in batches
//! and read back for a network (or the whole commons) over a period of days.

use std::collections::HashMap;

use bao_contract::reuse::{CountedElement, MAX_STATS_ROWS, ReuseEvent};
use r2d2_sqlite::rusqlite::{self, OptionalExtension, params};

use super::{Database, DbError};

/// What one count is of. `day` counts days since 1970-01-01 (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CountKey {
    pub day: i64,
    /// The id as the element sent it; resolved to the resource's current id when stored.
    pub resource: String,
    pub site: String,
    pub element: CountedElement,
    pub event: ReuseEvent,
}

/// Totals of one row of a report: displays and reads.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub displays: u64,
    pub reads: u64,
}

impl Totals {
    fn add(&mut self, event: &str, count: u64) {
        if event == ReuseEvent::Read.as_str() {
            self.reads += count;
        } else {
            self.displays += count;
        }
    }
}

/// A network's (or the commons') counts over a period, as the store sums them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct StoredStats {
    pub totals: Totals,
    /// Per `YYYY-MM` that has counts, oldest first.
    pub months: Vec<(String, Totals)>,
    /// Most displays first, at most `MAX_STATS_ROWS`.
    pub sites: Vec<(String, Totals)>,
    /// Id, title today (empty when gone), totals; most displays first, at most `MAX_STATS_ROWS`.
    pub resources: Vec<(String, String, Totals)>,
}

/// One stored row, for the CSV download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountRow {
    pub day: i64,
    pub network: String,
    pub resource: String,
    pub site: String,
    pub element: String,
    pub event: String,
    pub count: u64,
}

impl Database {
    /// Adds `counts`, in one transaction, to the current id of each resource (an id it had
    /// before leads to it) under its network; counts for ids that name no resource are dropped.
    /// No row goes past `cap`. Returns how many counts were kept.
    pub fn add_reuse_counts(&self, counts: &[(CountKey, u64)], cap: u64) -> Result<usize, DbError> {
        let mut conn = self.pool.get()?;
        let tx = conn.transaction()?;
        let mut kept = 0;
        {
            let mut resolved: HashMap<&str, Option<(String, String)>> = HashMap::new();
            let mut current = tx.prepare_cached(
                "SELECT id, network_id FROM resources WHERE id = ?1 \
                 UNION ALL SELECT r.id, r.network_id FROM resource_aliases a JOIN resources r ON r.id = a.resource_id \
                 WHERE a.alias = ?1 LIMIT 1",
            )?;
            let mut add = tx.prepare_cached(
                "INSERT INTO reuse_counts (network, day, resource, site, element, event, count) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, min(?7, ?8)) \
                 ON CONFLICT DO UPDATE SET count = min(count + excluded.count, ?8)",
            )?;
            for (key, count) in counts {
                if !resolved.contains_key(key.resource.as_str()) {
                    let found = current
                        .query_row([&key.resource], |row| Ok((row.get(0)?, row.get(1)?)))
                        .optional()?;
                    resolved.insert(&key.resource, found);
                }
                let Some(Some((id, network))) = resolved.get(key.resource.as_str()) else { continue };
                add.execute(params![
                    network,
                    key.day,
                    id,
                    key.site,
                    key.element.as_str(),
                    key.event.as_str(),
                    i64::try_from(*count).unwrap_or(i64::MAX),
                    i64::try_from(cap).unwrap_or(i64::MAX),
                ])?;
                kept += 1;
            }
        }
        tx.commit()?;
        Ok(kept)
    }

    /// The counts of `network` (all networks when `None`) from day `from` to day `to`, included.
    pub fn reuse_stats(&self, network: Option<&str>, from: i64, to: i64) -> Result<StoredStats, DbError> {
        let conn = self.pool.get()?;
        let mut stats = StoredStats::default();
        let mut months: Vec<(String, Totals)> = Vec::new();
        let mut by_month = conn.prepare_cached(
            "SELECT strftime('%Y-%m', day * 86400, 'unixepoch') AS month, event, sum(count) FROM reuse_counts \
             WHERE (?1 IS NULL OR network = ?1) AND day BETWEEN ?2 AND ?3 GROUP BY month, event ORDER BY month",
        )?;
        let mut rows = by_month.query(params![network, from, to])?;
        while let Some(row) = rows.next()? {
            let (month, event, count): (String, String, i64) = (row.get(0)?, row.get(1)?, row.get(2)?);
            let count = count.unsigned_abs();
            if months.last().is_none_or(|(last, _)| *last != month) {
                months.push((month, Totals::default()));
            }
            if let Some((_, totals)) = months.last_mut() {
                totals.add(&event, count);
            }
            stats.totals.add(&event, count);
        }
        stats.months = months;
        stats.sites = top(&conn, "site", "''", network, from, to)?
            .into_iter()
            .map(|(site, _, totals)| (site, totals))
            .collect();
        stats.resources = top(
            &conn,
            "resource",
            "coalesce((SELECT title FROM resources WHERE id = resource), '')",
            network,
            from,
            to,
        )?;
        Ok(stats)
    }

    /// Calls `each` with every stored row of `network` (all when `None`) from `from` to `to`,
    /// by day, resource and site.
    pub fn for_each_count_row(
        &self,
        network: Option<&str>,
        from: i64,
        to: i64,
        mut each: impl FnMut(CountRow) -> Result<(), DbError>,
    ) -> Result<(), DbError> {
        let conn = self.pool.get()?;
        let mut statement = conn.prepare_cached(
            "SELECT day, network, resource, site, element, event, count FROM reuse_counts \
             WHERE (?1 IS NULL OR network = ?1) AND day BETWEEN ?2 AND ?3 \
             ORDER BY day, network, resource, site, element, event",
        )?;
        let mut rows = statement.query(params![network, from, to])?;
        while let Some(row) = rows.next()? {
            each(CountRow {
                day: row.get(0)?,
                network: row.get(1)?,
                resource: row.get(2)?,
                site: row.get(3)?,
                element: row.get(4)?,
                event: row.get(5)?,
                count: row.get::<_, i64>(6)?.unsigned_abs(),
            })?;
        }
        Ok(())
    }
}

/// The first `MAX_STATS_ROWS` values of `column` by displays, then reads: (`column`, `label`
/// of it, totals). Both are SQL of ours, never input.
fn top(
    conn: &rusqlite::Connection,
    column: &str,
    label: &str,
    network: Option<&str>,
    from: i64,
    to: i64,
) -> Result<Vec<(String, String, Totals)>, DbError> {
    let sql = format!(
        "SELECT {column}, {label}, sum(CASE WHEN event = 'display' THEN count ELSE 0 END) AS displays, \
         sum(CASE WHEN event = 'read' THEN count ELSE 0 END) AS reads FROM reuse_counts \
         WHERE (?1 IS NULL OR network = ?1) AND day BETWEEN ?2 AND ?3 \
         GROUP BY {column} ORDER BY displays DESC, reads DESC, {column} LIMIT ?4"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let limit = i64::try_from(MAX_STATS_ROWS).unwrap_or(i64::MAX);
    let rows = statement.query_map(params![network, from, to, limit], |row| {
        let totals = Totals {
            displays: row.get::<_, i64>(2)?.unsigned_abs(),
            reads: row.get::<_, i64>(3)?.unsigned_abs(),
        };
        Ok((row.get(0)?, row.get(1)?, totals))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

//! Reuse counts: daily totals per resource, partner site, element and event, added in batches
//! and read back for a network (or the whole commons) over a period of days.

use std::collections::{BTreeMap, HashMap};

use bao_contract::reuse::{CountedElement, MAX_STATS_ROWS, ReuseEvent};
use r2d2_sqlite::rusqlite::{self, OptionalExtension, params};

use super::columns::Columns;
use super::{Database, DbError};
use crate::calendar::{Day, from_unix_days, month_of, month_start, unix_days};

/// What one count is of (stored with its day as days since 1970-01-01).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CountKey {
    pub day: Day,
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
    fn add(&mut self, read: bool, count: u64) {
        if read {
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
    pub day: Day,
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
            let mut numbers: HashMap<String, i64> = HashMap::new();
            let mut current = tx.prepare_cached(
                "SELECT id, network_id FROM resources WHERE id = ?1 \
                 UNION ALL SELECT r.id, r.network_id FROM resource_aliases a JOIN resources r ON r.id = a.resource_id \
                 WHERE a.alias = ?1 LIMIT 1",
            )?;
            let mut name = tx.prepare_cached(
                "INSERT INTO reuse_names (name) VALUES (?1) ON CONFLICT (name) DO UPDATE SET name = name RETURNING id",
            )?;
            let mut number = |text: &str| -> Result<i64, DbError> {
                if let Some(number) = numbers.get(text) {
                    return Ok(*number);
                }
                let number: i64 = name.query_row([text], |row| row.get(0))?;
                numbers.insert(text.to_owned(), number);
                Ok(number)
            };
            let mut add = tx.prepare_cached(
                "INSERT INTO reuse_counts (network, day, resource, site, what, count) \
                 VALUES (?1, ?2, ?3, ?4, ?5, min(?6, ?7)) \
                 ON CONFLICT DO UPDATE SET count = min(count + excluded.count, ?7)",
            )?;
            for (key, count) in counts {
                if !resolved.contains_key(key.resource.as_str()) {
                    let found = current
                        .query_row([&key.resource], |row| Ok((row.get("id")?, row.get("network_id")?)))
                        .optional()?;
                    resolved.insert(&key.resource, found);
                }
                let Some(Some((id, network))) = resolved.get(key.resource.as_str()) else { continue };
                add.execute(params![
                    number(network)?,
                    unix_days(key.day),
                    number(id)?,
                    number(&key.site)?,
                    what(key.element, key.event),
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
    pub fn reuse_stats(&self, network: Option<&str>, from: Day, to: Day) -> Result<StoredStats, DbError> {
        let conn = self.pool.get()?;
        let mut stats = StoredStats::default();
        let Some(network) = network_number(&conn, network)? else { return Ok(stats) };
        // One pass over the period's rows, summed here by month, site and resource: three
        // GROUP BYs in SQL sorted every row three times (8 s for a day of 10 000 resources
        // seen on 1 000 sites each, against 0.3 s to count those rows).
        let mut months: BTreeMap<Day, Totals> = BTreeMap::new();
        let mut sites: HashMap<i64, Totals> = HashMap::new();
        let mut resources: HashMap<i64, Totals> = HashMap::new();
        let mut month_of_day = (i64::MIN, None);
        let mut statement = conn.prepare_cached(&format!(
            "SELECT {} FROM reuse_counts WHERE {}",
            SUMMED.sql(),
            period(network)
        ))?;
        let mut rows = statement.query(params![network, unix_days(from), unix_days(to)])?;
        while let Some(row) = rows.next()? {
            let (day, resource, site, read): (i64, i64, i64, bool) = (
                row.get(const { SUMMED.at("day") })?,
                row.get(const { SUMMED.at("resource") })?,
                row.get(const { SUMMED.at("site") })?,
                row.get(const { SUMMED.at("read") })?,
            );
            let count = row.get::<_, i64>(const { SUMMED.at("count") })?.unsigned_abs();
            if month_of_day.0 != day {
                month_of_day = (day, from_unix_days(day).map(|day| month_start(day, 0)));
            }
            if let Some(month) = month_of_day.1 {
                months.entry(month).or_default().add(read, count);
            }
            sites.entry(site).or_default().add(read, count);
            resources.entry(resource).or_default().add(read, count);
            stats.totals.add(read, count);
        }
        stats.months = months.into_iter().map(|(month, totals)| (month_of(month), totals)).collect();
        stats.sites = most_counted(&conn, sites)?;
        let mut title = conn.prepare_cached("SELECT title FROM resources WHERE id = ?1")?;
        stats.resources = most_counted(&conn, resources)?
            .into_iter()
            .map(|(id, totals)| {
                let title: Option<String> = title.query_row([&id], |row| row.get(0)).optional()?;
                Ok((id, title.unwrap_or_default(), totals))
            })
            .collect::<Result<_, DbError>>()?;
        Ok(stats)
    }

    /// Calls `each` with every stored row of `network` (all when `None`) from `from` to `to`,
    /// by day, resource and site.
    pub fn for_each_count_row<E: From<DbError>>(
        &self,
        network: Option<&str>,
        from: Day,
        to: Day,
        mut each: impl FnMut(CountRow) -> Result<(), E>,
    ) -> Result<(), E> {
        let conn = self.pool.get().map_err(DbError::from)?;
        let Some(network) = network_number(&conn, network)? else { return Ok(()) };
        let failed = |error: rusqlite::Error| E::from(DbError::from(error));
        let mut statement = conn
            .prepare_cached(&format!(
                "SELECT day, (SELECT name FROM reuse_names WHERE id = network) AS network_name, \
                 (SELECT name FROM reuse_names WHERE id = resource) AS resource_name, \
                 (SELECT name FROM reuse_names WHERE id = site) AS site_name, what, count FROM reuse_counts WHERE {} \
                 ORDER BY day, network_name, resource_name, site_name, what",
                period(network)
            ))
            .map_err(failed)?;
        let mut rows = statement.query(params![network, unix_days(from), unix_days(to)]).map_err(failed)?;
        while let Some(row) = rows.next().map_err(failed)? {
            let read = || -> rusqlite::Result<CountRow> {
                let (element, event) = element_and_event(row.get("what")?);
                Ok(CountRow {
                    day: from_unix_days(row.get("day")?).unwrap_or(Day::MIN),
                    network: row.get("network_name")?,
                    resource: row.get("resource_name")?,
                    site: row.get("site_name")?,
                    element: element.as_str().to_owned(),
                    event: event.as_str().to_owned(),
                    count: row.get::<_, i64>("count")?.unsigned_abs(),
                })
            };
            each(read().map_err(failed)?)?;
        }
        Ok(())
    }
}

/// `Some(None)` for the whole commons, `Some(Some(number))` for a network with counts, `None`
/// for a network without any.
fn network_number(
    conn: &rusqlite::Connection,
    network: Option<&str>,
) -> Result<Option<Option<i64>>, DbError> {
    let Some(network) = network else { return Ok(Some(None)) };
    let number = conn
        .prepare_cached("SELECT id FROM reuse_names WHERE name = ?1")?
        .query_row([network], |row| row.get(0))
        .optional()?;
    Ok(number.map(Some))
}

/// How an element and an event are stored together (`what`).
fn what(element: CountedElement, event: ReuseEvent) -> i64 {
    let element = CountedElement::ALL.iter().position(|e| *e == element).unwrap_or(0);
    let event = ReuseEvent::ALL.iter().position(|e| *e == event).unwrap_or(0);
    i64::try_from(element * ReuseEvent::ALL.len() + event).unwrap_or(0)
}

fn element_and_event(what: i64) -> (CountedElement, ReuseEvent) {
    let what = usize::try_from(what).unwrap_or(0);
    let events = ReuseEvent::ALL.len();
    (
        CountedElement::ALL.get(what / events).copied().unwrap_or(CountedElement::Card),
        ReuseEvent::ALL[what % events],
    )
}

/// What a report sums, row by row (many: read by name at no cost).
const SUMMED: Columns<5> = Columns::new(["day", "resource", "site", "what % 2 AS read", "count"]);

/// The rows of `?1` (a network, or all when it is NULL) from day `?2` to day `?3`: two
/// statements, so that a network's report reads one range of the primary key.
fn period(network: Option<i64>) -> &'static str {
    match network {
        Some(_) => "network = ?1 AND day BETWEEN ?2 AND ?3",
        None => "?1 IS NULL AND day BETWEEN ?2 AND ?3",
    }
}

/// The first `MAX_STATS_ROWS` of `totals` by displays, then reads, then name, with their names.
fn most_counted(
    conn: &rusqlite::Connection,
    totals: HashMap<i64, Totals>,
) -> Result<Vec<(String, Totals)>, DbError> {
    let mut name = conn.prepare_cached("SELECT name FROM reuse_names WHERE id = ?1")?;
    let mut named = Vec::with_capacity(totals.len());
    for (id, totals) in totals {
        named.push((name.query_row([id], |row| row.get::<_, String>(0))?, totals));
    }
    named.sort_unstable_by(|(a, a_totals), (b, b_totals)| {
        (b_totals.displays, b_totals.reads).cmp(&(a_totals.displays, a_totals.reads)).then_with(|| a.cmp(b))
    });
    named.truncate(MAX_STATS_ROWS);
    Ok(named)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_and_event_survive_their_number_and_reads_are_odd() {
        for element in CountedElement::ALL {
            for event in ReuseEvent::ALL {
                let number = what(element, event);
                assert_eq!(element_and_event(number), (element, event));
                // The reports' SQL tells reads by `what % 2 = 1`.
                assert_eq!(number % 2 == 1, event == ReuseEvent::Read);
            }
        }
    }
}

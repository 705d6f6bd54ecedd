//! Keeping the store and its search index in step with the sources file. A pass syncs every
//! source (or one), one at a time, then fetches the posters it brought and brings the index in
//! step once; `serve` runs passes in the background, never two at once.

use std::sync::Arc;
use std::time::Duration;

use crate::metrics;
use crate::search::{SearchError, SearchIndex};
use crate::sources::config::SourceConfig;
use crate::sources::posters;
use crate::sources::sync::{SourceReport, SyncContext, sync_source};
use crate::store::Database;

/// Syncs of one source in a pass at most, while it has more to read than one sync reads (a
/// companion server: 16 MiB of changes a sync, so 256 MiB a pass, each sync's memory freed
/// before the next).
const MAX_ROUNDS: usize = 16;

/// What the server follows and where it keeps what it reads.
#[derive(Debug, Clone)]
pub struct Follower {
    pub db: Database,
    pub search: SearchIndex,
    pub context: SyncContext,
    pub sources: Arc<Vec<SourceConfig>>,
    /// Where posters and images may be fetched from.
    pub media: posters::Reach,
}

/// What a pass did.
#[derive(Debug)]
pub struct PassReport {
    pub sources: Vec<SourceReport>,
    /// Posters fetched or given up, when anything changed.
    pub posters: Option<posters::FetchReport>,
    /// Resources in the index, when it was rebuilt.
    pub indexed: Option<u64>,
}

impl Follower {
    /// Syncs every source, or only those named in `only`, then brings posters and the index in
    /// step. An error here is the index's or the poster store's; a source that fails is in its
    /// report (one report per sync: a source with much to read is synced again at once).
    pub fn pass(&self, only: &[String]) -> Result<PassReport, SearchError> {
        let mut reports: Vec<SourceReport> = Vec::new();
        for source in self.sources.iter().filter(|source| only.is_empty() || only.contains(&source.id)) {
            for _ in 0..MAX_ROUNDS {
                let report = sync_source(&self.db, &self.context, source);
                metrics::global().sync(&source.id, report.outcome.label(), report.duration);
                let unfinished = report.unfinished();
                reports.push(report);
                if !unfinished {
                    break;
                }
            }
        }
        let posters = if reports.iter().any(SourceReport::changed) {
            Some(posters::fetch_missing(&self.db, self.media)?)
        } else {
            None
        };
        let indexed = self.search.ensure_in_step(&self.db)?.map(|stats| stats.documents);
        Ok(PassReport { sources: reports, posters, indexed })
    }

    /// Runs a pass now, then every `interval`, on the blocking pool, one at a time: a pass that
    /// runs late is followed by the next after a full interval.
    pub async fn follow_every(self, interval: Duration) {
        loop {
            let follower = self.clone();
            match tokio::task::spawn_blocking(move || follower.pass(&[])).await {
                Ok(Ok(report)) => {
                    for source in &report.sources {
                        tracing::info!("sync {}", source.to_string().trim_end());
                    }
                }
                Ok(Err(error)) => tracing::error!(%error, "sync pass failed"),
                Err(error) => tracing::error!(%error, "sync pass panicked"),
            }
            tokio::time::sleep(interval).await;
        }
    }
}

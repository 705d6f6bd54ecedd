//! Another companion server, followed (`kind = "bao"`, `url` its address): the resources its own
//! sources hold, with their ids, networks, licences and attribution, the other server's page of
//! each resource as the file it is read from. Incremental: a sync asks for the changes after the
//! last one it read (`/api/v1/changes?since=`) and applies them to what the last sync stored;
//! nothing new costs one request. What the other server sends is untrusted: bounded answers,
//! bodies sanitised again, players and images checked.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::Duration;

use ammonia::Url;
use bao_contract::{API_PREFIX, Change, ChangeKind, ChangePage, ReplicaVideo};
use sha2::{Digest, Sha256};

use super::config;
use super::sanitize::{no_relative, sanitize};
use super::{Batch, Skipped, SourceError, http_agent};
use crate::store::{Database, NewCaptions, NewResource, NewVideo, Provenance};

/// Bumped when changes are read differently, so that the next sync reads everything again.
pub const READER_VERSION: &str = "bao-1";

/// Changes asked for in one request (the API's largest page).
const PAGE: u32 = bao_contract::MAX_PAGE_LIMIT;
/// The largest answer read: a page of changes as this server answers them
/// ([`bao_contract::CHANGES_PAGE_BYTES`] and one resource at its budget, 8 MiB with its captions).
const MAX_ANSWER_BYTES: u64 = 16 * 1024 * 1024;
/// Bytes of answers one sync reads at most, so that its memory stays bounded whatever the other
/// server sends (2 pages of 30 MiB took a follower to 752 MB, 12 to 4.2 GB): past them it stops
/// after the page it read, keeps its cursor there, and the next sync reads on at once.
const MAX_SYNC_BYTES: usize = 16 * 1024 * 1024;
/// Requests of one sync at most: a bound on a server that pages forever.
const MAX_REQUESTS: usize = 2_000;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_ID_CHARS: usize = 200;

/// A companion server as the sources file declares it.
pub struct CompanionServer {
    /// Its address, ending with `/`.
    pub base: Url,
    pub source_id: String,
    /// The change the last sync read up to; `None` to read everything (first sync, or another
    /// reader or other settings since).
    pub resume: Option<u64>,
    pub db: Database,
    agent: ureq::Agent,
    /// Taken by [`CompanionServer::read`], which consumes each change as it stores it.
    fetched: RefCell<Option<Fetched>>,
}

/// The changes one sync found.
struct Fetched {
    changes: Vec<Change>,
    /// Everything is read again: the server started afresh, or nothing was read before.
    from_scratch: bool,
    /// The sync stopped at [`MAX_SYNC_BYTES`]: more changes wait for the next one.
    more_to_read: bool,
}

impl CompanionServer {
    pub fn new(base: Url, source_id: String, resume: Option<u64>, db: Database) -> CompanionServer {
        let agent = http_agent(REQUEST_TIMEOUT, CONNECT_TIMEOUT, "following a companion server");
        CompanionServer { base, source_id, resume, db, agent, fetched: RefCell::new(None) }
    }

    /// Asks for every change after the last one read; returns the new cursor (the revision).
    pub fn fetch(&self) -> Result<String, SourceError> {
        let mut since = self.resume.unwrap_or(0);
        let mut from_scratch = self.resume.is_none();
        let (mut changes, mut read_bytes, mut more_to_read) = (Vec::new(), 0, false);
        for request in 0..MAX_REQUESTS {
            let (page, bytes) = self.page(since)?;
            if request == 0 && page.latest < since {
                // The other server's changes start again below our cursor: it is a new one.
                since = 0;
                from_scratch = true;
                continue;
            }
            let done = page.items.is_empty() || page.next_since <= since;
            since = page.next_since.max(since);
            changes.extend(page.items);
            read_bytes += bytes;
            more_to_read = !done && read_bytes >= MAX_SYNC_BYTES;
            if done || more_to_read {
                break;
            }
        }
        self.fetched.replace(Some(Fetched { changes, from_scratch, more_to_read }));
        Ok(since.to_string())
    }

    /// One page of changes after `since`, and the bytes of its answer.
    fn page(&self, since: u64) -> Result<(ChangePage, usize), SourceError> {
        let url =
            format!("{}{}/changes?since={since}&limit={PAGE}", self.base, API_PREFIX.trim_start_matches('/'));
        let unreachable = |reason: String| SourceError::Companion(format!("{url} : {reason}"));
        let mut response = self.agent.get(&url).call().map_err(|error| unreachable(error.to_string()))?;
        // Decoded as it arrives: the answer's text is never held beside what it decodes to.
        let mut body = Counted {
            inner: std::io::BufReader::new(
                response.body_mut().with_config().limit(MAX_ANSWER_BYTES).reader(),
            ),
            bytes: 0,
        };
        let page: ChangePage = serde_json::from_reader(&mut body).map_err(|error| match error.is_io() {
            true => unreachable(format!("{error} ; au plus {} Mio", MAX_ANSWER_BYTES >> 20)),
            false => unreachable(format!("réponse illisible ({error})")),
        })?;
        if page.items.len() > PAGE as usize {
            return Err(unreachable(format!(
                "{} changements dans une page, au plus {PAGE} demandés",
                page.items.len()
            )));
        }
        Ok((page, body.bytes))
    }

    /// What the source holds after the changes: what the last sync stored, changed.
    pub fn read(&self) -> Result<Batch, SourceError> {
        let fetched = self.fetched.take().ok_or_else(|| SourceError::NotFetched(self.base.to_string()))?;
        let mut held: BTreeMap<String, NewResource> = BTreeMap::new();
        if !fetched.from_scratch {
            for record in self.db.source_records(&self.source_id)? {
                held.insert(record.source_key.clone(), record);
            }
        }
        let (mut skipped, mut aliases) = (Vec::new(), Vec::new());
        // Each change is dropped once read: a page's resources are never held twice.
        for change in fetched.changes {
            match change.change {
                ChangeKind::Written => {
                    let page = change.page.clone();
                    match checked(change) {
                        Ok(record) => {
                            held.insert(page, record);
                        }
                        Err(reason) => {
                            held.remove(&page);
                            skipped.push(Skipped { path: page, reason });
                        }
                    }
                }
                ChangeKind::Withdrawn => {
                    held.remove(&change.page);
                }
                ChangeKind::Merged => {
                    held.remove(&change.page);
                    if let Some(current) = change.merged_into.as_ref().filter(|current| is_slug(current)) {
                        aliases.push((change.id.clone(), current.clone()));
                    }
                }
            }
        }
        let mut networks = Vec::new();
        for record in held.values() {
            if !networks.contains(&record.resource.network) {
                networks.push(record.resource.network.clone());
            }
        }
        let warnings = match fetched.more_to_read {
            true => vec![Skipped {
                path: self.base.to_string(),
                reason: format!(
                    "plus de {} Mio de changements : la suite est lue au tour suivant",
                    MAX_SYNC_BYTES >> 20
                ),
            }],
            false => Vec::new(),
        };
        Ok(Batch {
            networks,
            resources: held.into_values().collect(),
            skipped,
            warnings,
            aliases,
            unfinished: fetched.more_to_read,
            ..Batch::default()
        })
    }
}

/// A reader that counts the bytes read through it.
struct Counted<R> {
    inner: R,
    bytes: usize,
}

impl<R: std::io::Read> std::io::Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.bytes += read;
        Ok(read)
    }
}

/// A written resource as this server stores it, once checked: an id as ids are, a body
/// sanitised again, an image and a player this server would accept from any source.
pub fn checked(change: Change) -> Result<NewResource, String> {
    let Change { id, page, resource, video, .. } = change;
    let mut resource = resource.ok_or("ressource absente de la réponse")?;
    if !is_slug(&id) || !is_slug(&resource.network.id) {
        return Err(format!("identifiant refusé : « {id} »"));
    }
    if resource.title.trim().is_empty() {
        return Err("ressource sans titre".into());
    }
    resource.id.clone_from(&id);
    resource.sources.clear();
    resource.body_html = resource.body_html.map(|html| sanitize(&html, no_relative));
    // A path on the other server means nothing here; addresses, languages and players are
    // checked as every source's are (`vetting`).
    resource.image = resource.image.filter(|image| !bao_contract::is_server_path(&image.url));
    let video = video.map(replica_video);
    let content_hash =
        format!("{:x}", Sha256::digest(serde_json::to_vec(&(&resource, &video)).unwrap_or_default()));
    // What another server read is a copy of a copy: of two copies of a text, the source's own wins.
    Ok(NewResource {
        resource,
        video,
        source_key: page,
        content_hash,
        provenance: Provenance::default(),
        edit_url: None,
        path: id,
    })
}

/// An id as this server makes them: what another server sends is not trusted to be one.
fn is_slug(text: &str) -> bool {
    text.len() <= MAX_ID_CHARS && config::is_slug(text)
}

fn replica_video(video: ReplicaVideo) -> NewVideo {
    NewVideo {
        provider: video.provider,
        host_name: video.host_name,
        embed_url: video.embed_url,
        poster_source: video.poster_url.filter(|url| !bao_contract::is_server_path(url)),
        duration_seconds: video.duration_seconds,
        quote: video.quote,
        transcript: video.transcript,
        captions: video
            .captions
            .into_iter()
            .map(|captions| NewCaptions { lang: captions.lang, label: captions.label, vtt: captions.vtt })
            .collect(),
    }
}

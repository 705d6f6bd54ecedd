//! Reuse counting, between the beacons and the store: each beacon is held to its client's daily
//! budget, added to counts kept in memory, and the counts are written to the store in one
//! transaction every few seconds, before a report is read, and at shutdown. What is kept is a
//! daily total per resource, site, element and event; a client's address lives only as a keyed
//! hash in memory, for the day, to bound what one client can add. Across a restart under systemd
//! the day's budgets wait in the service's runtime directory (a tmpfs: memory), read and removed
//! by the next process, so that a restart gives no client a new day. A replica of a scale-out
//! sends its counts to the primary instead, which keeps the commons' counts in one place.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasher, DefaultHasher, Hash, Hasher, RandomState};
use std::net::IpAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use bao_contract::reuse::{HELD_COUNTS_PER_SENDING, HeldCount, LOCAL_SITES, UNKNOWN_SITE};

use sha2::{Digest, Sha256};

use crate::calendar::{Day, from_unix_days, unix_days};
use crate::store::counts::CountKey;
use crate::store::{Database, DbError};

/// Displays (or reads) of one resource that one client adds in a day, at most: a person who
/// reloads a page twenty times still counts; a loop does not count more.
pub const PER_CLIENT_PER_RESOURCE: u16 = 20;
/// Counts that one client adds in a day, all resources together, at most.
pub const PER_CLIENT: u32 = 2_000;
/// A day's count of one resource on one site, element and event, at most, whoever sends it.
pub const ROW_CAP: u64 = 100_000;
/// Budgets remembered in a day; past it, new ones are not counted until the next day (memory
/// stays bounded whatever arrives).
const MAX_BUDGETS: usize = 1_000_000;
/// Counts held between two writes; past it, beacons wait for the next write to be counted.
const MAX_PENDING: usize = 200_000;
/// Time between two writes of the counts held.
pub const WRITE_EVERY: Duration = Duration::from_secs(5);

/// The longest site name counted: a host name's longest.
pub const MAX_SITE_CHARS: usize = 253;

/// The shortest key (a network's figures, the replicas' counts): long enough that no one
/// guesses it.
const MIN_KEY_CHARS: usize = 16;

/// `Ok` for a key long enough that no one guesses it; else what to write instead.
pub fn check_key(key: &str) -> Result<(), String> {
    match key.chars().count() >= MIN_KEY_CHARS {
        true => Ok(()),
        false => Err(format!(
            "une clé de {MIN_KEY_CHARS} caractères au moins, que personne ne devine \
             (`openssl rand -hex 16` en donne une)"
        )),
    }
}

/// A key kept as its digest, compared in a time that does not depend on where a guess differs.
#[derive(Debug, Clone)]
pub struct Secret([u8; 32]);

impl Secret {
    pub fn new(key: &str) -> Secret {
        Secret(Sha256::digest(key.as_bytes()).into())
    }

    /// Whether `given` is the key.
    pub fn is(&self, given: &str) -> bool {
        self.0.iter().zip(Secret::new(given).0).fold(0, |differ, (a, b)| differ | (a ^ b)) == 0
    }
}

/// Who reads a network's figures (its partner sites, its resources): the one holding the key
/// the sources file gives the network (`reuse_keys`).
#[derive(Debug, Clone, Default)]
pub struct ReportKeys {
    keys: Arc<HashMap<String, Secret>>,
}

impl ReportKeys {
    /// From the sources file's `reuse_keys` (network id → key).
    pub fn new(keys: &BTreeMap<String, String>) -> ReportKeys {
        let keys = keys.iter().map(|(network, key)| (network.clone(), Secret::new(key))).collect();
        ReportKeys { keys: Arc::new(keys) }
    }

    /// Whether `key` is `network`'s; a network given no key opens with none.
    pub fn opens(&self, network: &str, key: &str) -> bool {
        self.keys.get(network).is_some_and(|expected| expected.is(key))
    }
}

/// The primary of a scale-out, seen from a replica (`--count-at`): where the counts of the
/// beacons the replica takes (while the primary is away) are sent, so that the commons' counts
/// are kept in one place whichever server a beacon reached.
#[derive(Debug, Clone)]
pub struct Primary {
    counts_url: String,
    key: String,
    agent: ureq::Agent,
}

impl Primary {
    /// The primary at `address` (`http://10.0.0.1:8080/`), which takes counts with `key`
    /// (its `--counts-key`).
    pub fn new(address: &str, key: &str) -> Primary {
        Primary {
            counts_url: format!("{}{}/counts", address.trim_end_matches('/'), bao_contract::API_PREFIX),
            key: key.to_owned(),
            agent: crate::sources::http_agent(Duration::from_secs(10), Duration::from_secs(2), "counts"),
        }
    }

    /// Sends `counts`, a batch at a time; on failure, how many were sent and why the rest was not.
    fn send(&self, counts: &[(CountKey, u64)]) -> Result<(), (usize, String)> {
        let mut sent = 0;
        for batch in counts.chunks(HELD_COUNTS_PER_SENDING) {
            let held: Vec<HeldCount> = batch
                .iter()
                .map(|(key, count)| HeldCount {
                    day: key.day.to_string(),
                    resource: key.resource.clone(),
                    site: key.site.clone(),
                    element: key.element,
                    event: key.event,
                    count: *count,
                })
                .collect();
            let body = serde_json::to_vec(&held).map_err(|error| (sent, error.to_string()))?;
            self.agent
                .post(&self.counts_url)
                .header("authorization", &format!("Bearer {}", self.key))
                .header("content-type", "application/json")
                .send(&body[..])
                .map_err(|error| (sent, format!("{}: {error}", self.counts_url)))?;
            sent += batch.len();
        }
        Ok(())
    }
}

/// The counter every handler shares.
#[derive(Debug, Clone)]
pub struct ReuseCounter {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    db: Database,
    enabled: bool,
    /// Where the counts go when not to `db` (on a replica).
    primary: Option<Primary>,
    /// Whether the last sending to `primary` failed (said once, not every few seconds).
    primary_away: AtomicBool,
    pending: Mutex<HashMap<CountKey, u64>>,
    budgets: Mutex<Budgets>,
    known: RwLock<KnownIds>,
}

/// The ids that name a resource, as of a content generation: a beacon for another id is not
/// counted and spends no budget (random ids would otherwise fill a client's day, and the day's
/// budgets for everyone). Read again at each write of the counts when the content changed, so a
/// resource is counted from at most [`WRITE_EVERY`] after it arrives.
#[derive(Debug, Default)]
struct KnownIds {
    generation: Option<u64>,
    ids: HashSet<Box<str>>,
}

#[derive(Debug)]
struct Budgets {
    day: Day,
    /// Keys the hash of clients' addresses: random each day; written nowhere but the runtime
    /// directory across a restart ([`ReuseCounter::keep_budgets`]).
    key: [u64; 2],
    per_resource: HashMap<u64, u16>,
    per_client: HashMap<u64, u32>,
}

/// The file the day's budgets wait in across a restart, in the runtime directory.
const BUDGETS_FILE: &str = "reuse-budgets";
/// What the file starts with: a file of another format is not read.
const BUDGETS_MAGIC: &[u8; 8] = b"baobud01";

impl Budgets {
    fn for_day(day: Day) -> Budgets {
        let random = RandomState::new();
        Budgets::with_key(day, [random.hash_one(0u8), random.hash_one(1u8)])
    }

    fn with_key(day: Day, key: [u64; 2]) -> Budgets {
        Budgets { day, key, per_resource: HashMap::new(), per_client: HashMap::new() }
    }

    fn hash(&self, value: impl Hash) -> u64 {
        let mut hasher = DefaultHasher::new();
        self.key.hash(&mut hasher);
        value.hash(&mut hasher);
        hasher.finish()
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = BUDGETS_MAGIC.to_vec();
        for number in [unix_days(self.day) as u64, self.key[0], self.key[1], self.per_resource.len() as u64] {
            bytes.extend(number.to_le_bytes());
        }
        for (hash, spent) in &self.per_resource {
            bytes.extend(hash.to_le_bytes());
            bytes.extend(spent.to_le_bytes());
        }
        bytes.extend((self.per_client.len() as u64).to_le_bytes());
        for (hash, spent) in &self.per_client {
            bytes.extend(hash.to_le_bytes());
            bytes.extend(spent.to_le_bytes());
        }
        bytes
    }

    /// The budgets `to_bytes` wrote; `None` for anything else.
    fn from_bytes(bytes: &[u8]) -> Option<Budgets> {
        let mut rest = bytes.strip_prefix(BUDGETS_MAGIC)?;
        let mut take = |count: usize| -> Option<&[u8]> {
            let (taken, left) = rest.split_at_checked(count)?;
            rest = left;
            Some(taken)
        };
        let u64_of = |bytes: Option<&[u8]>| Some(u64::from_le_bytes(bytes?.try_into().ok()?));
        let day = from_unix_days(u64_of(take(8))? as i64)?;
        let mut budgets = Budgets::with_key(day, [u64_of(take(8))?, u64_of(take(8))?]);
        for _ in 0..u64_of(take(8))?.min(MAX_BUDGETS as u64) {
            let hash = u64_of(take(8))?;
            budgets.per_resource.insert(hash, u16::from_le_bytes(take(2)?.try_into().ok()?));
        }
        for _ in 0..u64_of(take(8))?.min(MAX_BUDGETS as u64) {
            let hash = u64_of(take(8))?;
            budgets.per_client.insert(hash, u32::from_le_bytes(take(4)?.try_into().ok()?));
        }
        Some(budgets)
    }
}

impl ReuseCounter {
    /// A counter writing to `db`; `enabled: false` counts nothing (`--no-counting`).
    pub fn new(db: Database, enabled: bool) -> ReuseCounter {
        ReuseCounter::sending_to(db, enabled, None)
    }

    /// A counter whose counts go to `primary` when there is one, else to `db` (ids that name a
    /// resource are read from `db` either way).
    pub fn sending_to(db: Database, enabled: bool, primary: Option<Primary>) -> ReuseCounter {
        let counter = ReuseCounter {
            inner: Arc::new(Inner {
                db,
                enabled,
                primary,
                primary_away: AtomicBool::new(false),
                pending: Mutex::default(),
                budgets: Mutex::new(Budgets::for_day(crate::calendar::today())),
                known: RwLock::default(),
            }),
        };
        if enabled && let Err(error) = counter.read_known_ids() {
            tracing::error!(%error, "the ids of resources could not be read; beacons wait for the next write");
        }
        counter
    }

    /// Whether `id` names a resource (as of the last time the ids were read).
    pub fn names_a_resource(&self, id: &str) -> bool {
        self.inner.known.read().unwrap_or_else(|e| e.into_inner()).ids.contains(id)
    }

    /// Reads the ids that name a resource again, when the content changed since they were read.
    fn read_known_ids(&self) -> Result<(), DbError> {
        let generation = self.inner.db.generation()?;
        if self.inner.known.read().unwrap_or_else(|e| e.into_inner()).generation == Some(generation) {
            return Ok(());
        }
        let (generation, ids) = self.inner.db.naming_ids()?;
        *self.inner.known.write().unwrap_or_else(|e| e.into_inner()) =
            KnownIds { generation: Some(generation), ids };
        Ok(())
    }

    pub fn enabled(&self) -> bool {
        self.inner.enabled
    }

    /// Whether the counts go to a primary (this server is a replica of a scale-out).
    pub fn sends_to_primary(&self) -> bool {
        self.inner.primary.is_some()
    }

    /// Counts `key` when `client` (`None`: unknown, all such share one budget) has budget left
    /// today. Returns whether it was counted.
    pub fn record(&self, client: Option<IpAddr>, key: CountKey) -> bool {
        if !self.inner.enabled || !self.spend(client, &key) {
            return false;
        }
        let mut pending = self.inner.pending.lock().unwrap_or_else(|e| e.into_inner());
        if pending.len() >= MAX_PENDING && !pending.contains_key(&key) {
            return false;
        }
        *pending.entry(key).or_default() += 1;
        true
    }

    fn spend(&self, client: Option<IpAddr>, key: &CountKey) -> bool {
        let mut budgets = self.inner.budgets.lock().unwrap_or_else(|e| e.into_inner());
        if budgets.day != key.day {
            *budgets = Budgets::for_day(key.day);
        }
        let client_key = budgets.hash(client);
        let resource_key = budgets.hash((client, &key.resource, key.event));
        let full = budgets.per_client.len() + budgets.per_resource.len() >= MAX_BUDGETS;
        let spent_here = budgets.per_resource.get(&resource_key).copied();
        let spent_in_all = budgets.per_client.get(&client_key).copied();
        if full && (spent_here.is_none() || spent_in_all.is_none()) {
            return false;
        }
        if spent_here.unwrap_or(0) >= PER_CLIENT_PER_RESOURCE || spent_in_all.unwrap_or(0) >= PER_CLIENT {
            return false;
        }
        *budgets.per_resource.entry(resource_key).or_default() += 1;
        *budgets.per_client.entry(client_key).or_default() += 1;
        true
    }

    /// Leaves the day's budgets in `dir` for the next process of this service (at shutdown;
    /// `dir` is systemd's `RuntimeDirectory`, in memory, kept across restarts only).
    pub fn keep_budgets(&self, dir: &Path) -> std::io::Result<()> {
        use std::io::Write;
        let bytes = self.inner.budgets.lock().unwrap_or_else(|e| e.into_inner()).to_bytes();
        let path = dir.join(BUDGETS_FILE);
        let _ = std::fs::remove_file(&path);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        // The service's only: with the key, the hashes would tell whether an address counted.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(path)?.write_all(&bytes)
    }

    /// Takes the budgets a process of this service left in `dir` today, and removes them there.
    pub fn take_budgets(&self, dir: &Path, today: Day) {
        let path = dir.join(BUDGETS_FILE);
        let Ok(bytes) = std::fs::read(&path) else { return };
        let _ = std::fs::remove_file(&path);
        match Budgets::from_bytes(&bytes) {
            Some(budgets) if budgets.day == today => {
                *self.inner.budgets.lock().unwrap_or_else(|e| e.into_inner()) = budgets;
            }
            Some(_) => {}
            None => tracing::warn!(path = %path.display(), "reuse budgets unreadable: not taken"),
        }
    }

    /// Writes the counts held to the store, or sends them to the primary (blocking), and reads
    /// the ids that name a resource again when the content changed. On failure the counts are
    /// held for the next write.
    pub fn write(&self) -> Result<usize, DbError> {
        if let Err(error) = self.read_known_ids() {
            tracing::warn!(%error, "the ids of resources could not be read again; the last ones are kept");
        }
        let counts = self.take_pending();
        if counts.is_empty() {
            return Ok(0);
        }
        let Some(primary) = &self.inner.primary else {
            return self.inner.db.add_reuse_counts(&counts, ROW_CAP).inspect_err(|_| self.hold(&counts));
        };
        match primary.send(&counts) {
            Ok(()) => {
                if self.inner.primary_away.swap(false, Ordering::Relaxed) {
                    tracing::info!("the primary takes counts again");
                }
                Ok(counts.len())
            }
            Err((sent, error)) => {
                if !self.inner.primary_away.swap(true, Ordering::Relaxed) {
                    tracing::warn!(%error, "counts could not be sent to the primary; held for the next try");
                }
                self.hold(&counts[sent..]);
                Ok(sent)
            }
        }
    }

    /// The last write, at shutdown: on a replica whose primary is away, what could not be sent
    /// is written to this server's own database rather than lost (and said).
    pub fn write_at_shutdown(&self) -> Result<(), DbError> {
        self.write()?;
        let unsent = self.take_pending();
        if !unsent.is_empty() {
            let written = self.inner.db.add_reuse_counts(&unsent, ROW_CAP)?;
            tracing::warn!(
                counts = written,
                "the primary was away at shutdown: these counts stay in this server's database"
            );
        }
        Ok(())
    }

    fn take_pending(&self) -> Vec<(CountKey, u64)> {
        std::mem::take(&mut *self.inner.pending.lock().unwrap_or_else(|e| e.into_inner()))
            .into_iter()
            .collect()
    }

    /// Puts `counts` back among those held.
    fn hold(&self, counts: &[(CountKey, u64)]) {
        let mut pending = self.inner.pending.lock().unwrap_or_else(|e| e.into_inner());
        for (key, count) in counts.iter().cloned() {
            *pending.entry(key).or_default() += count;
        }
    }

    /// Writes the counts every [`WRITE_EVERY`], for as long as the server runs.
    pub async fn write_every_few_seconds(self) {
        let mut ticks = tokio::time::interval(WRITE_EVERY);
        loop {
            ticks.tick().await;
            let counter = self.clone();
            match tokio::task::spawn_blocking(move || counter.write()).await {
                Ok(Ok(_)) => {}
                Ok(Err(error)) => {
                    tracing::error!(%error, "reuse counts could not be written; kept for the next try")
                }
                Err(error) => tracing::error!(%error, "writing reuse counts panicked"),
            }
        }
    }
}

/// The site a page address or origin (`https://www.example.org:8443/x?y`) is counted under: its
/// host name, lower case; [`LOCAL_SITES`] for `localhost`, an IP address, a single label or a
/// reserved name; [`UNKNOWN_SITE`] for none (`null`, absent, unreadable).
pub fn site_of(address: Option<&str>) -> String {
    let Some(rest) = address.and_then(|address| address.split_once("://")).map(|(_, rest)| rest) else {
        return UNKNOWN_SITE.to_owned();
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    if host_port.starts_with('[') {
        return LOCAL_SITES.to_owned(); // an IPv6 address
    }
    let host = host_port.split(':').next().unwrap_or("").trim_end_matches('.').to_ascii_lowercase();
    let valid = !host.is_empty()
        && host.len() <= MAX_SITE_CHARS
        && host.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'.');
    if !valid {
        return UNKNOWN_SITE.to_owned();
    }
    const RESERVED: [&str; 8] =
        [".localhost", ".local", ".test", ".invalid", ".example", ".internal", ".lan", ".home.arpa"];
    let local = host == "localhost"
        || !host.contains('.')
        || host.parse::<IpAddr>().is_ok()
        || RESERVED.iter().any(|suffix| host.ends_with(suffix));
    if local { LOCAL_SITES.to_owned() } else { host }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bao_contract::reuse::{CountedElement, ReuseEvent};

    #[test]
    fn sites_are_hosts_and_machines_are_apart() {
        assert_eq!(site_of(Some("https://www.Asso.example.org:8443/page?x#y")), "www.asso.example.org");
        assert_eq!(site_of(Some("https://user@wiki.coop.fr")), "wiki.coop.fr");
        for local in [
            "http://localhost:3000",
            "http://127.0.0.1/",
            "http://[::1]:80",
            "http://intranet/",
            "https://site.local",
            "http://a.test",
        ] {
            assert_eq!(site_of(Some(local)), LOCAL_SITES, "{local}");
        }
        for unknown in [None, Some("null"), Some(""), Some("https://<script>/")] {
            assert_eq!(site_of(unknown), UNKNOWN_SITE, "{unknown:?}");
        }
    }

    fn key(resource: &str) -> CountKey {
        CountKey {
            day: crate::calendar::parse_day("2026-11-28").unwrap(),
            resource: resource.into(),
            site: "asso.org".into(),
            element: CountedElement::Card,
            event: ReuseEvent::Display,
        }
    }

    #[test]
    fn budgets_read_back_as_written_and_nothing_else() {
        let mut budgets = Budgets::for_day(key("a").day);
        budgets.per_resource.insert(budgets.hash("a"), 20);
        budgets.per_client.insert(budgets.hash("b"), 2_000);
        let again = Budgets::from_bytes(&budgets.to_bytes()).unwrap();
        assert_eq!((again.day, again.key), (budgets.day, budgets.key));
        assert_eq!((again.per_resource, again.per_client), (budgets.per_resource, budgets.per_client));
        let bytes = Budgets::for_day(key("a").day).to_bytes();
        assert!(Budgets::from_bytes(&bytes[..bytes.len() - 1]).is_none(), "cut short");
        assert!(Budgets::from_bytes(b"autre chose").is_none());
    }

    #[test]
    fn a_key_opens_its_network_only() {
        let keys = ReportKeys::new(&BTreeMap::from([("n".to_owned(), "8f3a91c2d7e64b05".to_owned())]));
        assert!(keys.opens("n", "8f3a91c2d7e64b05"));
        for (network, key) in [("n", "8f3a91c2d7e64b06"), ("n", ""), ("m", "8f3a91c2d7e64b05"), ("m", "")] {
            assert!(!keys.opens(network, key), "{network} {key}");
        }
    }

    #[test]
    fn one_client_adds_at_most_its_budget_and_others_keep_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let counter = ReuseCounter::new(Database::open(&dir.path().join("db")).unwrap(), true);
        let one: IpAddr = "192.0.2.1".parse().unwrap();
        let counted = (0..1_000).filter(|_| counter.record(Some(one), key("a"))).count();
        assert_eq!(counted, usize::from(PER_CLIENT_PER_RESOURCE));
        assert!(counter.record(Some(one), key("b")), "another resource has its own budget");
        assert!(counter.record(Some("192.0.2.2".parse().unwrap()), key("a")), "another client too");
        let next_day = CountKey { day: key("a").day.next_day().unwrap(), ..key("a") };
        assert!(counter.record(Some(one), next_day), "and the next day starts afresh");
    }
}

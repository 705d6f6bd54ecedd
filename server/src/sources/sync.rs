//! One sync of one source of the sources file: bring its place up to date (fetch a git mirror,
//! list a wiki's pages), skip it when the revision was read already, else read it and store what it holds in one
//! transaction. A source that fails keeps its last good content and records why.

use std::cell::OnceCell;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ammonia::Url;
use bao_contract::{FileRemark, Kind, Licence};
use sha2::{Digest, Sha256};

use super::companion::{self, CompanionServer};
use super::config::{DokuWikiAt, GitSource, Location, MediaWikiAt, SourceConfig, SourceKind};
use super::forge::{WebAddresses, WebSettings};
use super::git::GitMirror;
use super::multibao::{IMPORTER_VERSION, MultibaoRepository};
use super::tree::{FolderTree, Tree};
use super::vetting;
use super::wiki::dokuwiki::DokuWiki;
use super::wiki::dokuwiki_folder::DokuWikiFolder;
use super::wiki::mediawiki::MediaWiki;
use super::wiki::mediawiki_export::{ExportAt, MediaWikiExport};
use super::wiki::yeswiki::YesWiki;
use super::wiki::{PageCache, Wiki, WikiHttp, WikiSettings};
use super::{Batch, ImportReport, SourceError, licence, slugify};
use crate::store::{Database, SourceUpdate, SyncRecord};

/// Where a sync finds what it needs beside the sources.
#[derive(Debug, Clone)]
pub struct SyncContext {
    /// The folder of the sources file: relative folder sources are read from there.
    pub base: PathBuf,
    /// The folder keeping one bare git mirror per source (beside the database).
    pub mirrors: PathBuf,
    /// The networks the sources file names: a followed server may hold resources of them, but
    /// their names and addresses are the file's.
    pub named_networks: Vec<String>,
}

impl SyncContext {
    /// The context of a sources file and a database.
    pub fn new(sources_file: &Path, db_path: &Path) -> SyncContext {
        let base = sources_file.parent().map_or_else(|| PathBuf::from("."), Path::to_owned);
        let mut mirrors = db_path.as_os_str().to_owned();
        mirrors.push(".mirrors");
        SyncContext { base, mirrors: mirrors.into(), named_networks: Vec::new() }
    }

    /// The same context, knowing the networks `sources` (the whole sources file) name.
    pub fn naming_networks_of(mut self, sources: &[SourceConfig]) -> SyncContext {
        self.named_networks = sources.iter().map(|source| source.network.id.clone()).collect();
        self
    }

    /// `text` (an error) without this machine's folders: paths under the sources file's folder
    /// are said relative to it, the mirrors' as `miroirs/…`.
    pub fn without_paths(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for (folder, shown) in [(&self.mirrors, "miroirs/"), (&self.base, "")] {
            let spellings = [std::path::absolute(folder).ok(), folder.canonicalize().ok()];
            for spelling in spellings.into_iter().flatten() {
                text = text.replace(&format!("{}/", spelling.display()), shown);
            }
        }
        text
    }
}

/// What one source's sync did.
#[derive(Debug)]
pub struct SourceReport {
    pub id: String,
    /// What a revision of this source is called: `commit` (git), `liste` (a wiki's listing),
    /// `changement` (the last change read from another companion server).
    pub revision_name: &'static str,
    pub outcome: SyncOutcome,
    pub duration: Duration,
}

#[derive(Debug)]
pub enum SyncOutcome {
    /// The revision was read already, by this importer and this configuration.
    Unchanged { revision: String },
    /// Read and stored.
    Stored { report: ImportReport, revision: Option<String> },
    /// Nothing changed in the store; `error` says why.
    Failed { error: String },
}

impl SyncOutcome {
    /// How the sync ended, as `/metrics` says it.
    pub fn label(&self) -> crate::metrics::SyncOutcomeLabel {
        match self {
            SyncOutcome::Unchanged { .. } => crate::metrics::SyncOutcomeLabel::unchanged,
            SyncOutcome::Stored { .. } => crate::metrics::SyncOutcomeLabel::stored,
            SyncOutcome::Failed { .. } => crate::metrics::SyncOutcomeLabel::failed,
        }
    }
}

impl SourceReport {
    /// Whether the store changed.
    pub fn changed(&self) -> bool {
        matches!(&self.outcome, SyncOutcome::Stored { report, .. } if report.stored.changed())
    }

    /// Whether the source has more to read than this sync read (see [`Batch::unfinished`]).
    pub fn unfinished(&self) -> bool {
        matches!(&self.outcome, SyncOutcome::Stored { report, .. } if report.unfinished)
    }
}

impl fmt::Display for SourceReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let millis = self.duration.as_millis();
        match &self.outcome {
            SyncOutcome::Unchanged { revision } => {
                writeln!(
                    f,
                    "{} : inchangée ({} {}) — {millis} ms",
                    self.id,
                    self.revision_name,
                    short(revision)
                )
            }
            SyncOutcome::Stored { report, revision } => {
                let at = revision
                    .as_deref()
                    .map(|r| format!(" ({} {})", self.revision_name, short(r)))
                    .unwrap_or_default();
                write!(f, "{}{at} — {millis} ms : {report}", self.id)
            }
            SyncOutcome::Failed { error } => {
                writeln!(f, "{} : ÉCHEC, le contenu précédent est gardé — {error}", self.id)
            }
        }
    }
}

fn short(revision: &str) -> &str {
    &revision[..revision.len().min(10)]
}

/// A kind of source: how a sync brings its place up to date and reads it. Each kind of the
/// sources file ([`SourceKind`]) is one implementation, chosen in [`follower`].
trait Follow {
    /// Brings the source up to date; returns its revision, when it has one.
    fn fetch(&self) -> Result<Option<String>, SourceError>;
    /// Reads the revision fetched.
    fn read(&self, revision: Option<&str>) -> Result<Batch, SourceError>;
    /// The version of the reader: when it changes, an unchanged revision is read again.
    fn importer_version(&self) -> &'static str;
}

/// A multiBàO Markdown repository, followed with git, or read from a folder as it is.
struct GitRepository {
    location: Location,
    mirror_dir: PathBuf,
    branch: Option<String>,
    /// The branch read: the one configured, else the remote's default, learnt at fetch.
    branch_read: OnceCell<String>,
    /// What the sources file says of where the files are on the web.
    web: WebSettings,
    reader: MultibaoRepository,
}

impl GitRepository {
    /// Where the files read are on the web, on the branch read.
    fn web_addresses(&self) -> Option<WebAddresses> {
        let remote = match &self.location {
            Location::Remote(url) => Some(url.as_str()),
            Location::Folder(_) => None,
        };
        let branch = self.branch_read.get().or(self.branch.as_ref()).map_or("", String::as_str);
        WebAddresses::of(remote, branch, &self.web)
    }
}

impl Follow for GitRepository {
    fn fetch(&self) -> Result<Option<String>, SourceError> {
        match &self.location {
            Location::Folder(_) => Ok(None),
            Location::Remote(url) => {
                let mirror = GitMirror::open(&self.mirror_dir)?;
                let commit = mirror.fetch(url, self.branch.as_deref())?;
                // Addresses name the branch: the remote's default one is asked for by name.
                let branch = match &self.branch {
                    Some(branch) => branch.clone(),
                    None => mirror.default_branch(url)?,
                };
                let _ = self.branch_read.set(branch);
                Ok(Some(commit))
            }
        }
    }

    fn read(&self, revision: Option<&str>) -> Result<Batch, SourceError> {
        let tree: Box<dyn Tree> = match (&self.location, revision) {
            (Location::Remote(_), Some(commit)) => Box::new(GitMirror::open(&self.mirror_dir)?.tree(commit)?),
            (Location::Folder(root), _) => Box::new(FolderTree::open(root)?),
            (Location::Remote(url), None) => return Err(SourceError::NotFetched(url.clone())),
        };
        let reader = MultibaoRepository { web: self.web_addresses(), ..self.reader.clone() };
        Ok(reader.read_tree(tree.as_ref()))
    }

    fn importer_version(&self) -> &'static str {
        IMPORTER_VERSION
    }
}

/// A wiki: the listing is the revision, the pages its reading.
struct WikiSource<W: Wiki> {
    wiki: W,
    http: WikiHttp,
    listing: OnceCell<W::Listing>,
    /// Where the pages read last time are kept, with their revisions.
    cache: PathBuf,
    /// The reader and the source's settings that read them.
    reader: String,
}

impl<W: Wiki> WikiSource<W> {
    fn new(config: &SourceConfig, context: &SyncContext, wiki: W) -> Box<WikiSource<W>> {
        let cache = context.mirrors.join(format!("{}.pages.json", config.id));
        let reader = reader_version(config, W::READER_VERSION);
        Box::new(WikiSource { wiki, http: WikiHttp::default(), listing: OnceCell::new(), cache, reader })
    }
}

impl<W: Wiki> Follow for WikiSource<W> {
    fn fetch(&self) -> Result<Option<String>, SourceError> {
        let listing = self.wiki.list(&self.http)?;
        let revision = W::revision(&listing).to_owned();
        let _ = self.listing.set(listing);
        Ok(Some(revision))
    }

    fn read(&self, _revision: Option<&str>) -> Result<Batch, SourceError> {
        let listing =
            self.listing.get().ok_or_else(|| SourceError::NotFetched("la liste des pages".into()))?;
        let mut cache = match W::KEEPS_PAGES {
            true => PageCache::open(self.cache.clone(), &self.reader),
            false => PageCache::none(),
        };
        let batch = self.wiki.read(&self.http, listing, &mut cache)?;
        cache.save();
        Ok(batch)
    }

    fn importer_version(&self) -> &'static str {
        W::READER_VERSION
    }
}

/// Another companion server: the cursor of its changes is the revision.
impl Follow for CompanionServer {
    fn fetch(&self) -> Result<Option<String>, SourceError> {
        CompanionServer::fetch(self).map(Some)
    }

    fn read(&self, _revision: Option<&str>) -> Result<Batch, SourceError> {
        CompanionServer::read(self)
    }

    fn importer_version(&self) -> &'static str {
        companion::READER_VERSION
    }
}

fn follower(
    db: &Database,
    config: &SourceConfig,
    context: &SyncContext,
) -> Result<Box<dyn Follow>, SourceError> {
    let default_licence = config.licence.as_deref().map(licence::declared);
    let settings = |kind: Kind| WikiSettings {
        network: config.network.reference(),
        default_licence: default_licence.clone(),
        kind,
    };
    Ok(match &config.kind {
        SourceKind::MediaWiki(wiki) => {
            let (categories, namespace) = (wiki.categories.clone(), wiki.namespace);
            let settings = settings(wiki.resource_kind);
            match &wiki.at {
                MediaWikiAt::Api(api) => WikiSource::new(
                    config,
                    context,
                    MediaWiki { api: api.clone(), categories, namespace, settings },
                ),
                MediaWikiAt::ExportAddress(address) => WikiSource::new(
                    config,
                    context,
                    MediaWikiExport { at: ExportAt::Web(address.clone()), categories, namespace, settings },
                ),
                MediaWikiAt::ExportFile(file) => WikiSource::new(
                    config,
                    context,
                    MediaWikiExport {
                        at: ExportAt::File(context.base.join(file)),
                        categories,
                        namespace,
                        settings,
                    },
                ),
            }
        }
        SourceKind::DokuWiki(wiki) => {
            let (namespaces, settings) = (wiki.namespaces.clone(), settings(wiki.resource_kind));
            match &wiki.at {
                DokuWikiAt::Web(base) => {
                    WikiSource::new(config, context, DokuWiki { base: base.clone(), namespaces, settings })
                }
                DokuWikiAt::Folder { folder, site } => WikiSource::new(
                    config,
                    context,
                    DokuWikiFolder {
                        folder: context.base.join(folder),
                        site: site.clone(),
                        namespaces,
                        settings,
                    },
                ),
            }
        }
        SourceKind::YesWiki(wiki) => WikiSource::new(
            config,
            context,
            YesWiki {
                base: wiki.base.clone(),
                form: wiki.form.clone(),
                settings: settings(wiki.resource_kind),
            },
        ),
        SourceKind::Bao { base } => Box::new(companion_follower(db, config, base)?),
        SourceKind::Git(git) => Box::new(git_follower(config, git, context, default_licence)),
    })
}

/// A companion server followed from where the last sync stopped, when it read as this one reads.
fn companion_follower(
    db: &Database,
    config: &SourceConfig,
    base: &Url,
) -> Result<CompanionServer, SourceError> {
    let reader = reader_version(config, companion::READER_VERSION);
    let resume = db
        .source(&config.id)?
        .filter(|last| last.reader.as_deref() == Some(reader.as_str()))
        .and_then(|last| last.revision?.parse().ok());
    Ok(CompanionServer::new(base.clone(), config.id.clone(), resume, db.clone()))
}

/// A git repository, mirrored under the sync's mirrors, read as multiBàO writes its fiches.
fn git_follower(
    config: &SourceConfig,
    git: &GitSource,
    context: &SyncContext,
    default_licence: Option<Licence>,
) -> GitRepository {
    let location = git.location.within(&context.base);
    let (owner, repo) = repository_names(config, &location);
    let root = match &location {
        Location::Folder(root) => root.clone(),
        Location::Remote(_) => PathBuf::new(),
    };
    GitRepository {
        location,
        mirror_dir: context.mirrors.join(format!("{}.git", config.id)),
        branch: git.branch.clone(),
        branch_read: OnceCell::new(),
        web: git.web.clone(),
        reader: MultibaoRepository {
            root,
            owner,
            repo,
            network: Some(config.network.reference()),
            subfolder_networks: git.subfolder_networks.clone(),
            subfolder_names: git.subfolder_names.clone(),
            default_licence,
            exclude: git.exclude.clone(),
            web: None,
        },
    }
}

/// The `owner` and `repo` a source's ids and addresses are made of: the forge path of an https
/// URL (`github.com/OWNER/REPO.git`), a folder or repository named `owner-repo` (as in
/// `shared/data/multibao`), else the network's id and the source's.
pub fn repository_names(config: &SourceConfig, location: &Location) -> (String, String) {
    let path = match location {
        Location::Remote(url) => url.split_once("://").map_or(url.as_str(), |(_, rest)| rest),
        Location::Folder(folder) => folder.to_str().unwrap_or_default(),
    };
    let mut parts = path.trim_end_matches('/').rsplit('/').map(|part| part.trim_end_matches(".git"));
    let (last, before) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
    if config.url.starts_with("https://") && !last.is_empty() && !before.is_empty() {
        return (before.to_owned(), last.to_owned());
    }
    match last.split_once('-') {
        Some((owner, repo)) if !owner.is_empty() && !repo.is_empty() => (owner.to_owned(), repo.to_owned()),
        _ => (config.network.id.clone(), config.id.clone()),
    }
}

/// Syncs one source. Never fails: a failure is the report's outcome, and is recorded.
pub fn sync_source(db: &Database, context: &SyncContext, config: &SourceConfig) -> SourceReport {
    let started = Instant::now();
    let outcome = match try_sync(db, context, config, started) {
        Ok(outcome) => outcome,
        Err(error) => {
            let error = context.without_paths(&config.redact(&error.to_string()));
            tracing::warn!(source = %config.id, %error, "sync failed, previous content kept");
            let millis = started.elapsed().as_millis() as u64;
            if let Err(db_error) =
                db.record_sync_failure(&config.id, config.kind.name(), &config.public_url(), millis, &error)
            {
                tracing::error!(source = %config.id, %db_error, "sync failure could not be recorded");
            }
            SyncOutcome::Failed { error }
        }
    };
    let revision_name = config.kind.revision_name();
    SourceReport { id: config.id.clone(), revision_name, outcome, duration: started.elapsed() }
}

fn try_sync(
    db: &Database,
    context: &SyncContext,
    config: &SourceConfig,
    started: Instant,
) -> Result<SyncOutcome, SourceError> {
    let follow = follower(db, config, context)?;
    let reader = &reader_version(config, follow.importer_version());
    let revision = follow.fetch()?;
    if let Some(revision) = &revision {
        let last = db.source(&config.id)?;
        if last.is_some_and(|last| {
            last.revision.as_ref() == Some(revision) && last.reader.as_deref() == Some(reader)
        }) {
            // Nothing new is still an attempt that succeeded: monitoring sees the source is well.
            db.record_sync_unchanged(&config.id, started.elapsed().as_millis() as u64)?;
            return Ok(SyncOutcome::Unchanged { revision: revision.clone() });
        }
    }
    let mut batch = follow.read(revision.as_deref())?;
    vetting::vet(&mut batch, &config.video_hosts);
    if matches!(config.kind, SourceKind::Bao { .. }) {
        // One resource of another server could otherwise rename, or re-point, a network here.
        batch.networks.retain(|network| !context.named_networks.contains(&network.id));
    }
    let record = SyncRecord {
        kind: config.kind.name().to_owned(),
        url: config.public_url(),
        revision: revision.clone(),
        reader: reader.to_owned(),
        duration_ms: started.elapsed().as_millis() as u64,
        remarks: batch
            .skipped
            .iter()
            .map(|skipped| (skipped, true))
            .chain(batch.warnings.iter().map(|warning| (warning, false)))
            .map(|(remark, skipped)| FileRemark {
                path: remark.path.clone(),
                reason: remark.reason.clone(),
                skipped,
            })
            .collect(),
    };
    let update = SourceUpdate {
        source_id: &config.id,
        networks: &batch.networks,
        resources: &batch.resources,
        aliases: &batch.aliases,
        sync: Some(&record),
    };
    let stored = db.store_source(&update)?;
    Ok(SyncOutcome::Stored { report: ImportReport::of(batch, stored), revision })
}

/// Names the importer, the vetting and the source's settings: when any changes, an unchanged
/// revision is read again.
fn reader_version(config: &SourceConfig, importer: &str) -> String {
    let settings = format!("{config:?}");
    let digest = Sha256::digest(settings.as_bytes());
    let vetting = vetting::VERSION;
    format!("{importer}+{vetting}+{:02x}{:02x}{:02x}{:02x}", digest[0], digest[1], digest[2], digest[3])
}

/// The id of the source a folder imported by hand (`import FOLDER`) stands for: `owner-repo`.
pub fn folder_source_id(owner: &str, repo: &str) -> String {
    slugify(&format!("{owner}-{repo}"))
}

//! Command line of the companion server: `serve` the API, widget and demo; `sync` the sources
//! file; `import` a repository folder by hand.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use bao_server::follow::Follower;
use bao_server::french::counted;
use bao_server::http::bundle::Bundle;
use bao_server::http::origin::OriginPolicy;
use bao_server::http::rate::ClientRate;
use bao_server::http::serve::{self, Limits};
use bao_server::reuse::{Primary, ReportKeys, ReuseCounter, Secret};
use bao_server::search::{self, SearchIndex};
use bao_server::sources::config::SourcesFile;
use bao_server::sources::posters::{self, Reach};
use bao_server::sources::sync::{SyncContext, SyncOutcome, folder_source_id};
use bao_server::sources::{self, multibao::MultibaoRepository};
use bao_server::store::Database;
use bao_server::{AppState, app};
use clap::{Args, Parser, Subcommand};
use tracing_subscriber::EnvFilter;

/// multibao-embed: shows the resources of the multiBàO commons inside any website.
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    /// The SQLite database file (created if missing).
    #[arg(long, env = "BAO_DB", default_value = "multibao-embed.sqlite3", global = true)]
    db: PathBuf,
    /// Fetch posters and images from loopback and private addresses too (tests, intranets). By
    /// default a source cannot make the server ask its own machine or network.
    #[arg(long, env = "BAO_MEDIA_FROM_PRIVATE_ADDRESSES", global = true)]
    media_from_private_addresses: bool,
    /// How log lines are written (on stderr): `text` for people, `json` (one object a line) for
    /// log collectors. `RUST_LOG` sets how much (`info` by default).
    #[arg(long, env = "BAO_LOG_FORMAT", value_enum, default_value = "text", global = true)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API, the widget bundle, the resource pages and (optionally) the demo.
    Serve(ServeArgs),
    /// Sync every source of a sources file (or one) now, and print what changed.
    Sync(SyncArgs),
    /// Import a multiBàO Markdown repository folder (re-importing updates, never duplicates).
    Import(ImportArgs),
    /// Write a consistent copy of the database to FILE, safe while the server runs (README,
    /// « Sauvegarder et restaurer »).
    Backup(BackupArgs),
}

#[derive(Debug, Args)]
struct BackupArgs {
    /// Where the copy goes; an existing file is replaced once the copy is whole.
    file: PathBuf,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "BAO_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Folder holding the built widget (output of `cargo xtask build-widget`).
    #[arg(long, env = "BAO_WIDGET_DIR", default_value = "target/widget-dist")]
    widget_dir: PathBuf,
    /// Folder of the demo partner page, served under /demo/.
    #[arg(long, env = "BAO_DEMO_DIR")]
    demo_dir: Option<PathBuf>,
    /// The sources file: every source is synced in the background, every `--sync-interval`.
    #[arg(long, env = "BAO_SOURCES")]
    sources: Option<PathBuf>,
    /// Time between two syncs of the sources (`90s`, `30m`, `1h`, `1d`); `0` syncs never.
    #[arg(long, env = "BAO_SYNC_INTERVAL", default_value = "1h", value_parser = parse_interval)]
    sync_interval: Duration,
    /// The address the public reaches the server at (`https://commun.example.org`): every link,
    /// snippet and iframe it gives starts with it. Without it, the request's `Host`.
    #[arg(long, env = "BAO_PUBLIC_URL")]
    public_url: Option<String>,
    /// A reverse proxy whose `X-Forwarded-Host` and `-Proto` are believed (repeatable; comma
    /// separated in the environment). From anyone else they are ignored.
    #[arg(long = "trusted-proxy", env = "BAO_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// Searches per second each client may make, three seconds' worth at once (`0`: no limit,
    /// for a server behind a cache that limits, and benchmarks).
    #[arg(long, env = "BAO_SEARCH_RATE", default_value_t = 10)]
    search_rate: u32,
    /// API answers each client may have computed per second, three seconds' worth at once: those
    /// the answer cache holds are not counted (`0`: no limit).
    #[arg(long, env = "BAO_API_RATE", default_value_t = 30)]
    api_rate: u32,
    /// Count nothing: the elements' beacons are answered and forgotten (README, « Ce qui est
    /// compté »).
    #[arg(long, env = "BAO_NO_COUNTING")]
    no_counting: bool,
    /// Serve `/metrics` (Prometheus) on this address, apart from the public one
    /// (`127.0.0.1:9464`); without it, requests are not measured.
    #[arg(long, env = "BAO_METRICS_LISTEN")]
    metrics_listen: Option<SocketAddr>,
    /// The key the replicas of a scale-out send their counts with (16 characters at least): on
    /// the primary, it opens `POST /api/v1/counts`; on a replica, it goes with `--count-at`
    /// (deploy/README.md, « Scale out »).
    #[arg(long, env = "BAO_COUNTS_KEY", hide_env_values = true, value_parser = parse_counts_key)]
    counts_key: Option<String>,
    /// On a replica of a scale-out: the primary's address (`http://10.0.0.1:8080/`), to which
    /// the counts of the beacons this server takes are sent.
    #[arg(long, env = "BAO_COUNT_AT", requires = "counts_key", value_parser = parse_primary)]
    count_at: Option<String>,
}

fn parse_counts_key(text: &str) -> Result<String, String> {
    bao_server::reuse::check_key(text).map(|()| text.to_owned())
}

fn parse_primary(text: &str) -> Result<String, String> {
    match bao_server::address::has_web_scheme(text) {
        true => Ok(text.to_owned()),
        false => Err("l'adresse http(s)://… du serveur principal".into()),
    }
}

#[derive(Debug, Args)]
struct SyncArgs {
    /// The sources file (TOML, one `[[source]]` each).
    #[arg(long, env = "BAO_SOURCES")]
    sources: PathBuf,
    /// Sync only the source with this id (repeat for several).
    #[arg(long)]
    only: Vec<String>,
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// The repository folder.
    folder: PathBuf,
    /// Repository owner; read from a folder named `owner-repo` when absent.
    #[arg(long, requires = "repo")]
    owner: Option<String>,
    /// Repository name; read from a folder named `owner-repo` when absent.
    #[arg(long, requires = "owner")]
    repo: Option<String>,
    /// A folder whose direct subfolders each hold one network's resources.
    #[arg(long)]
    subfolder_networks: Option<String>,
    /// A PeerTube instance whose players the testimonies may show (repeatable), as a sources
    /// file's `video_hosts`.
    #[arg(long = "video-host")]
    video_hosts: Vec<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let logs = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr);
    match cli.log_format {
        // Colour codes only where a person reads: not in files, journald or a pipe.
        LogFormat::Text => logs.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())).init(),
        LogFormat::Json => logs.json().init(),
    }
    let media = if cli.media_from_private_addresses { Reach::AlsoPrivate } else { Reach::Public };
    let result = match cli.command {
        Command::Serve(args) => serve(&cli.db, media, args),
        Command::Sync(args) => run_sync(&cli.db, media, args),
        Command::Import(args) => run_import(&cli.db, media, args),
        Command::Backup(args) => backup(&cli.db, &args.file),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("erreur : {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn source_repository(
    folder: PathBuf,
    owner: Option<String>,
    repo: Option<String>,
) -> anyhow::Result<MultibaoRepository> {
    match (owner, repo) {
        (Some(owner), Some(repo)) => Ok(MultibaoRepository {
            root: folder,
            owner,
            repo,
            network: None,
            subfolder_networks: None,
            subfolder_names: Default::default(),
            default_licence: None,
            exclude: Vec::new(),
            web: None,
        }),
        _ => MultibaoRepository::from_folder_name(&folder).with_context(|| {
            format!(
                "{} : nommez le dossier `propriétaire-dépôt` ou passez --owner et --repo",
                folder.display()
            )
        }),
    }
}

fn run_import(db_path: &std::path::Path, media: Reach, args: ImportArgs) -> anyhow::Result<()> {
    let db = Database::open(db_path).with_context(|| format!("ouverture de {}", db_path.display()))?;
    let mut source = source_repository(args.folder, args.owner, args.repo)?;
    source.subfolder_networks = args.subfolder_networks;
    let report =
        sources::import(&db, &folder_source_id(&source.owner, &source.repo), &source, &args.video_hosts)?;
    print!("{report}");
    print!("{}", posters::fetch_missing(&db, media)?);
    let search = open_search_index(db_path)?;
    let stats = search.rebuild(&db).context("mise à jour de l'index de recherche")?;
    println!("index de recherche : {} ressources", stats.documents);
    Ok(())
}

/// `0`, or a number followed by `s`, `m`, `h` or `d`.
fn parse_interval(text: &str) -> Result<Duration, String> {
    if text.trim() == "0" {
        return Ok(Duration::ZERO);
    }
    let (number, unit) = text.trim().split_at(text.trim().len().saturating_sub(1));
    let seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("« {text} » : écrivez 0, ou un nombre suivi de s, m, h ou d (1h)")),
    };
    let number: u64 = number
        .parse()
        .map_err(|_| format!("« {text} » : écrivez 0, ou un nombre suivi de s, m, h ou d (1h)"))?;
    Ok(Duration::from_secs(number.saturating_mul(seconds)))
}

fn load_sources(path: &Path) -> anyhow::Result<SourcesFile> {
    Ok(SourcesFile::load(path)?)
}

fn run_sync(db_path: &Path, media: Reach, args: SyncArgs) -> anyhow::Result<()> {
    let file = load_sources(&args.sources)?;
    if let Some(only) = args.only.iter().find(|only| !file.sources.iter().any(|source| source.id == **only)) {
        let known: Vec<&str> = file.sources.iter().map(|source| source.id.as_str()).collect();
        anyhow::bail!(
            "{} ne déclare pas de source « {only} » (sources : {})",
            args.sources.display(),
            known.join(", ")
        );
    }
    let follower = follower(db_path, &args.sources, file, media)?;
    let report = follower.pass(&args.only).context("mise à jour de l'index de recherche")?;
    for source in &report.sources {
        print!("{source}");
        if let SyncOutcome::Stored { .. } = source.outcome {
            print_quality(&follower, &source.id)?;
        }
    }
    if let Some(posters) = &report.posters {
        print!("{posters}");
    }
    if let Some(documents) = report.indexed {
        println!("index de recherche : {documents} ressources");
    }
    let failed = report.sources.iter().filter(|s| matches!(s.outcome, SyncOutcome::Failed { .. })).count();
    if failed > 0 {
        let failed = counted(&failed, "source en échec", "sources en échec");
        anyhow::bail!("{failed} (leur contenu précédent est gardé)");
    }
    Ok(())
}

fn backup(db_path: &Path, file: &Path) -> anyhow::Result<()> {
    if !db_path.exists() {
        anyhow::bail!("{} n'existe pas : rien à sauvegarder", db_path.display());
    }
    let db = Database::open(db_path).with_context(|| format!("ouverture de {}", db_path.display()))?;
    db.backup_to(file).with_context(|| format!("sauvegarde dans {}", file.display()))?;
    let bytes = std::fs::metadata(file).map(|meta| meta.len()).unwrap_or_default();
    println!(
        "sauvegarde : {}, {} Kio, dans {}",
        counted(&db.resource_count()?, "ressource", "ressources"),
        bytes / 1024,
        file.display()
    );
    Ok(())
}

/// What the source's texts leave the commons to guess, counted as its quality report counts it.
fn print_quality(follower: &Follower, id: &str) -> anyhow::Result<()> {
    let Some(config) = follower.sources.iter().find(|source| source.id == id) else { return Ok(()) };
    let Some(report) = follower.db.source_quality(id, config.network.reference())? else { return Ok(()) };
    let gaps: Vec<String> = report
        .gap_counts
        .iter()
        .filter(|counted| counted.count > 0)
        .map(|counted| format!("{} : {}", counted.gap.describe_fr().0.to_lowercase(), counted.count))
        .collect();
    let copies = report.items.iter().filter(|item| item.copies > 0).count();
    println!(
        "  qualité : {} sur {}{}{} (détail : /sources/{id}/qualite)",
        counted(&report.complete_count, "ressource complète", "ressources complètes"),
        report.resource_count,
        if gaps.is_empty() { String::new() } else { format!(" ; {}", gaps.join(", ")) },
        match copies {
            0 => String::new(),
            _ => format!(" ; {} avec une copie", counted(&copies, "réunie", "réunies")),
        },
    );
    Ok(())
}

fn follower(
    db_path: &Path,
    sources_path: &Path,
    file: SourcesFile,
    media: Reach,
) -> anyhow::Result<Follower> {
    let db = Database::open(db_path).with_context(|| format!("ouverture de {}", db_path.display()))?;
    Ok(Follower {
        db,
        search: open_search_index(db_path)?,
        context: SyncContext::new(sources_path, db_path).naming_networks_of(&file.sources),
        sources: Arc::new(file.sources),
        media,
    })
}

/// The search index beside the database; a running server picks up what an import commits.
fn open_search_index(db_path: &std::path::Path) -> anyhow::Result<SearchIndex> {
    let dir = search::index_dir_for(db_path);
    SearchIndex::open(&dir).with_context(|| format!("ouverture de l'index de recherche {}", dir.display()))
}

#[tokio::main]
async fn serve(db_path: &std::path::Path, media: Reach, args: ServeArgs) -> anyhow::Result<()> {
    // Checked before anything starts: a mistake in the file is told now, with its line.
    let sources = args
        .sources
        .as_deref()
        .map(|path| Ok::<_, anyhow::Error>((path, load_sources(path)?)))
        .transpose()?;
    let origin =
        OriginPolicy::new(args.public_url.as_deref(), args.trusted_proxies).map_err(anyhow::Error::msg)?;
    let db = Database::open(db_path).with_context(|| format!("ouverture de {}", db_path.display()))?;
    cache_posters_in_background(db.clone(), media);
    let search = open_search_index(db_path)?;
    if let Some(stats) = search.ensure_in_step(&db).context("construction de l'index de recherche")? {
        tracing::info!(documents = stats.documents, "search index rebuilt");
    }
    let bundle = load_bundle(&args.widget_dir);
    let has_demo = args.demo_dir.is_some();
    let followed = sources.as_ref().map(|(_, file)| Arc::new(file.sources.clone())).unwrap_or_default();
    let report_keys = sources.as_ref().map(|(_, file)| ReportKeys::new(&file.reuse_keys)).unwrap_or_default();
    match sources {
        Some(_) if args.sync_interval.is_zero() => {
            tracing::warn!("--sync-interval 0: the sources file's sources will never be synced")
        }
        Some((path, _)) => {
            let follower = Follower {
                db: db.clone(),
                search: search.clone(),
                context: SyncContext::new(path, db_path).naming_networks_of(&followed),
                sources: followed.clone(),
                media,
            };
            tokio::spawn(follower.follow_every(args.sync_interval));
        }
        None if db.resource_count()? == 0 => {
            tracing::warn!("the database is empty and no sources file is given (--sources): nothing to serve")
        }
        None => {}
    }
    let primary =
        args.count_at.as_deref().zip(args.counts_key.as_deref()).map(|(at, key)| Primary::new(at, key));
    // A replica sends its counts on; only the primary takes them.
    let counts_key = args.counts_key.as_deref().filter(|_| primary.is_none()).map(Secret::new);
    let reuse = ReuseCounter::sending_to(db.clone(), !args.no_counting, primary);
    let runtime_dir = runtime_dir();
    if let Some(dir) = &runtime_dir {
        reuse.take_budgets(dir, bao_server::calendar::today());
    }
    let metrics_db = db.clone();
    tokio::spawn(reuse.clone().write_every_few_seconds());
    let router = app(AppState {
        reuse: reuse.clone(),
        report_keys,
        counts_key,
        db,
        search,
        bundle,
        demo_dir: args.demo_dir.map(Arc::from),
        sources: followed,
        origin,
        search_rate: ClientRate::searches(args.search_rate),
        api_rate: ClientRate::api_answers(args.api_rate),
        count_requests: args.metrics_listen.is_some(),
    });
    if let Some(address) = args.metrics_listen {
        serve_metrics(address, metrics_db).await?;
    }
    let listener = listener(args.listen).await?;
    let address = listener.local_addr()?;
    // One line on stdout that people and scripts (tests, benchmarks) read the address from.
    let demo = if has_demo { format!(" — démo : http://{address}/demo/") } else { String::new() };
    println!("multibao-embed écoute sur http://{address}/{demo}");
    let limits = Limits::for_this_machine();
    tracing::info!(max_connections = limits.max_connections, "serving");
    serve::serve(listener, router, limits, shutdown_signal()).await?;
    keep_counts(reuse, runtime_dir).await
}

/// The widget as `cargo xtask build-widget` wrote it; without it, the API alone is served.
fn load_bundle(dir: &std::path::Path) -> Option<Arc<Bundle>> {
    match Bundle::load(dir) {
        Ok(bundle) => Some(Arc::new(bundle)),
        Err(error) => {
            tracing::warn!(dir = %dir.display(), %error, "widget bundle not found: serving the API only");
            None
        }
    }
}

/// The metrics (Prometheus) on their own address, which only the operator reaches.
async fn serve_metrics(address: std::net::SocketAddr, db: Database) -> anyhow::Result<()> {
    let listener =
        tokio::net::TcpListener::bind(address).await.with_context(|| format!("écoute sur {address}"))?;
    tracing::info!(address = %listener.local_addr()?, "metrics");
    let router = bao_server::http::health::metrics_router(db);
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(())
}

/// systemd's RuntimeDirectory (the unit's, in memory, kept across restarts): the day's reuse
/// budgets wait there while the service restarts.
fn runtime_dir() -> Option<std::path::PathBuf> {
    std::env::var_os("RUNTIME_DIRECTORY").and_then(|dirs| std::env::split_paths(&dirs).next())
}

/// At shutdown: the counts of the last seconds written, the day's budgets kept for the next process.
async fn keep_counts(reuse: ReuseCounter, runtime_dir: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    let kept = reuse.clone();
    tokio::task::spawn_blocking(move || kept.write_at_shutdown()).await??;
    if let Some(dir) = &runtime_dir
        && let Err(error) = reuse.keep_budgets(dir)
    {
        tracing::warn!(dir = %dir.display(), %error, "reuse budgets could not be kept for the next process");
    }
    Ok(())
}

/// Fetches the posters not cached yet, in the background: a slow or unreachable video host must
/// not delay the start. Until its poster is cached, a testimony shows the placeholder drawn from
/// its title.
fn cache_posters_in_background(db: Database, media: Reach) {
    tokio::task::spawn_blocking(move || match posters::fetch_missing(&db, media) {
        Ok(report) if report.fetched + report.failed.len() > 0 => {
            tracing::info!(fetched = report.fetched, failed = report.failed.len(), "posters cached");
        }
        Ok(_) => {}
        Err(error) => tracing::error!(%error, "posters could not be stored"),
    });
}

/// The socket systemd hands over (`deploy/multibao-embed.socket`: it keeps the socket open across
/// restarts, so that a visitor's connection waits for the new process instead of being refused),
/// else one bound to `listen`.
async fn listener(listen: std::net::SocketAddr) -> anyhow::Result<tokio::net::TcpListener> {
    match listenfd::ListenFd::from_env().take_tcp_listener(0).context("socket de systemd")? {
        Some(socket) => {
            socket.set_nonblocking(true)?;
            Ok(tokio::net::TcpListener::from_std(socket)?)
        }
        None => tokio::net::TcpListener::bind(listen).await.with_context(|| format!("écoute sur {listen}")),
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(signal) => signal,
            Err(_) => return ctrl_c.await.unwrap_or(()),
        };
        tokio::select! {
            _ = ctrl_c => {},
            _ = terminate.recv() => {},
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await.unwrap_or(());
}

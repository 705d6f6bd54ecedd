//! Command line of the companion server: `serve` the API, widget and demo; `import` a repository.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use bao_server::http::bundle::Bundle;
use bao_server::search::{self, SearchIndex};
use bao_server::sources::posters;
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
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API, the widget bundle, the resource pages and (optionally) the demo.
    Serve(ServeArgs),
    /// Import a multiBàO Markdown repository folder (re-importing updates, never duplicates).
    Import(ImportArgs),
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
    /// Repository folders imported when the database is empty (first start), as `owner-repo`.
    #[arg(long = "seed")]
    seeds: Vec<PathBuf>,
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
    /// Display name of the owner's network.
    #[arg(long)]
    network_name: Option<String>,
    /// A folder whose direct subfolders each hold one network's resources.
    #[arg(long)]
    subfolder_networks: Option<String>,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve(&cli.db, args),
        Command::Import(args) => run_import(&cli.db, args),
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
        (Some(owner), Some(repo)) => {
            Ok(MultibaoRepository { root: folder, owner, repo, network_name: None, subfolder_networks: None })
        }
        _ => MultibaoRepository::from_folder_name(&folder).with_context(|| {
            format!(
                "{} : nommez le dossier `propriétaire-dépôt` ou passez --owner et --repo",
                folder.display()
            )
        }),
    }
}

fn run_import(db_path: &std::path::Path, args: ImportArgs) -> anyhow::Result<()> {
    let db = Database::open(db_path).with_context(|| format!("ouverture de {}", db_path.display()))?;
    let mut source = source_repository(args.folder, args.owner, args.repo)?;
    source.network_name = args.network_name;
    source.subfolder_networks = args.subfolder_networks;
    let report = sources::import(&db, &source)?;
    print!("{report}");
    print!("{}", posters::fetch_missing(&db)?);
    let search = open_search_index(db_path)?;
    let stats = search.rebuild(&db).context("mise à jour de l'index de recherche")?;
    println!("index de recherche : {} ressources", stats.documents);
    Ok(())
}

/// The search index beside the database; a running server picks up what an import commits.
fn open_search_index(db_path: &std::path::Path) -> anyhow::Result<SearchIndex> {
    let dir = search::index_dir_for(db_path);
    SearchIndex::open(&dir).with_context(|| format!("ouverture de l'index de recherche {}", dir.display()))
}

#[tokio::main]
async fn serve(db_path: &std::path::Path, args: ServeArgs) -> anyhow::Result<()> {
    let db = Database::open(db_path).with_context(|| format!("ouverture de {}", db_path.display()))?;
    if db.resource_count()? == 0 {
        for seed in args.seeds {
            let source = source_repository(seed, None, None)?;
            let report = sources::import(&db, &source)?;
            tracing::info!(folder = %source.root.display(), "first start: imported seed content\n{report}");
        }
    }
    // In the background: a slow or unreachable video host must not delay the start. Until its
    // poster is cached, a testimony shows the placeholder drawn from its title.
    let poster_db = db.clone();
    tokio::task::spawn_blocking(move || match posters::fetch_missing(&poster_db) {
        Ok(report) if report.fetched + report.failed.len() > 0 => {
            tracing::info!(fetched = report.fetched, failed = report.failed.len(), "posters cached");
        }
        Ok(_) => {}
        Err(error) => tracing::error!(%error, "posters could not be stored"),
    });
    let search = open_search_index(db_path)?;
    if let Some(stats) = search.ensure_in_step(&db).context("construction de l'index de recherche")? {
        tracing::info!(documents = stats.documents, "search index rebuilt");
    }
    let bundle = match Bundle::load(&args.widget_dir) {
        Ok(bundle) => Some(Arc::new(bundle)),
        Err(error) => {
            tracing::warn!(dir = %args.widget_dir.display(), %error, "widget bundle not found: serving the API only");
            None
        }
    };
    let has_demo = args.demo_dir.is_some();
    let router = app(AppState { db, search, bundle, demo_dir: args.demo_dir });
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("écoute sur {}", args.listen))?;
    let address = listener.local_addr()?;
    // One line on stdout that people and scripts (tests, benchmarks) read the address from.
    if has_demo {
        println!("multibao-embed écoute sur http://{address}/ — démo : http://{address}/demo/");
    } else {
        println!("multibao-embed écoute sur http://{address}/");
    }
    axum::serve(listener, router).with_graceful_shutdown(shutdown_signal()).await?;
    Ok(())
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

//! Measures syncs of git sources, for `cargo xtask bench`: the three real multiBàO repositories
//! committed into git repositories and followed over `file://` (first sync, then unchanged), and
//! a synthetic repository of many files with one file changed between syncs. Prints one JSON
//! object; medians of several runs.
//!
//! usage: sync_bench <real-data-dir> <out-dir> [files] [runs]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};
use bao_server::sources::config::SourcesFile;
use bao_server::sources::sync::{SyncContext, SyncOutcome, sync_source};
use bao_server::store::Database;

const REAL: [(&str, &str, Option<&str>); 3] = [
    ("lilianricaud-travail-en-reseau", "lilianricaud", None),
    ("onpassealacte-videos_initiatives", "onpassealacte", None),
    ("multibao-contributions", "multibao", Some("contributions")),
];

fn git(dir: &Path, args: &[&str]) -> anyhow::Result<()> {
    let status = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Bench",
            "-c",
            "user.email=bench@example.org",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()?;
    if !status.success() {
        bail!("git {args:?} failed in {}", dir.display());
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else if entry.file_type()?.is_file() {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn commit_all(dir: &Path, message: &str) -> anyhow::Result<()> {
    git(dir, &["add", "--all"])?;
    git(dir, &["commit", "--quiet", "-m", message])
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Milliseconds of one sync of every source of `file` into the database at `db_path`.
fn sync_all(db_path: &Path, sources_path: &Path, file: &SourcesFile) -> anyhow::Result<(f64, Vec<String>)> {
    let db = Database::open(db_path)?;
    let context = SyncContext::new(sources_path, db_path);
    let started = Instant::now();
    let mut outcomes = Vec::new();
    for source in &file.sources {
        let report = sync_source(&db, &context, source);
        if let SyncOutcome::Failed { error } = &report.outcome {
            bail!("{}: {error}", source.id);
        }
        outcomes.push(report.to_string().lines().next().unwrap_or_default().to_owned());
    }
    Ok((started.elapsed().as_secs_f64() * 1000.0, outcomes))
}

fn synthetic_fiche(n: usize, edit: usize) -> String {
    format!(
        "---\ntitle: Fiche synthétique {n}\ntags: [essai, dossier-{}]\n---\n\n# Fiche synthétique {n}\n\n\
         Une méthode pour animer un groupe de {n} personnes : chacun prend la parole à son tour, \
         on note les idées au tableau, on décide ensemble de la suite (version {edit}).\n\n\
         ## Déroulé\n\n1. Accueillir\n2. Faire le tour\n3. Conclure\n",
        n % 50
    )
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: sync_bench <real-data-dir> <out-dir> [files] [runs]";
    let real_data = PathBuf::from(args.next().context(usage)?);
    let out = PathBuf::from(args.next().context(usage)?);
    let files: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(10_000);
    let runs: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(5);
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    std::fs::create_dir_all(&out)?;

    // The real repositories, each committed into a git repository of its own.
    let mut toml = String::new();
    for (folder, network, subfolders) in REAL {
        let work = out.join("remotes").join(folder);
        copy_tree(&real_data.join(folder), &work)?;
        git(&work, &["init", "--quiet"])?;
        commit_all(&work, "import")?;
        toml.push_str(&format!(
            "[[source]]\nid = \"{}\"\nkind = \"git\"\nurl = \"file://{}\"\n{}network = {{ id = \"{network}\", name = \"{network}\" }}\n\n",
            folder.replace('_', "-"),
            work.display(),
            subfolders.map(|s| format!("subfolder_networks = \"{s}\"\n")).unwrap_or_default(),
        ));
    }
    let real_sources = out.join("real.toml");
    std::fs::write(&real_sources, &toml)?;
    let real_file = SourcesFile::load(&real_sources)?;
    let (mut first, mut unchanged) = (Vec::new(), Vec::new());
    for run in 0..runs {
        let db = out.join(format!("real-{run}.sqlite3"));
        first.push(sync_all(&db, &real_sources, &real_file)?.0);
        unchanged.push(sync_all(&db, &real_sources, &real_file)?.0);
    }

    // A synthetic repository of `files` fiches; between syncs, one file changes.
    let synthetic = out.join("remotes").join("synthetique");
    for n in 0..files {
        let path = synthetic.join(format!("dossier-{:02}/fiche-{n:05}.md", n % 50));
        std::fs::create_dir_all(path.parent().unwrap())?;
        std::fs::write(path, synthetic_fiche(n, 0))?;
    }
    git(&synthetic, &["init", "--quiet"])?;
    commit_all(&synthetic, "import")?;
    let synthetic_sources = out.join("synthetic.toml");
    std::fs::write(
        &synthetic_sources,
        format!(
            "[[source]]\nid = \"synthetique\"\nkind = \"git\"\nurl = \"file://{}\"\nnetwork = {{ id = \"synth\", name = \"Synthèse\" }}\n",
            synthetic.display()
        ),
    )?;
    let synthetic_file = SourcesFile::load(&synthetic_sources)?;
    let db = out.join("synthetic.sqlite3");
    let (synthetic_first, _) = sync_all(&db, &synthetic_sources, &synthetic_file)?;
    let mut one_change = Vec::new();
    let mut last_outcome = Vec::new();
    for run in 0..runs {
        let n = run * 97 % files;
        std::fs::write(
            synthetic.join(format!("dossier-{:02}/fiche-{n:05}.md", n % 50)),
            synthetic_fiche(n, run + 1),
        )?;
        commit_all(&synthetic, "une fiche change")?;
        let (ms, outcome) = sync_all(&db, &synthetic_sources, &synthetic_file)?;
        one_change.push(ms);
        last_outcome = outcome;
    }
    let report = serde_json::json!({
        "runs": runs,
        "real_first_ms": median(first),
        "real_unchanged_ms": median(unchanged),
        "synthetic_files": files,
        "synthetic_first_ms": synthetic_first,
        "synthetic_one_change_ms": median(one_change),
        "synthetic_one_change_outcome": last_outcome,
    });
    println!("{report}");
    Ok(())
}

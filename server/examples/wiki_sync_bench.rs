//! Measures syncs of the wiki fixtures, for `cargo xtask bench`: a real MediaWiki and a real
//! DokuWiki (installed as the connectors' tests install them) and YesWiki's answers, each synced
//! into a fresh database (first) and again (unchanged); baseline: the demo's folder of Markdown
//! fiches, synced the same way. Prints one JSON object; medians of several runs.
//!
//! usage: wiki_sync_bench [runs]

// The tests use more of it than this program.
#[allow(dead_code)]
#[path = "../tests/common/wikis.rs"]
mod wikis;

use std::path::{Path, PathBuf};

use anyhow::Context;
use bao_server::sources::config::{SourceConfig, SourcesFile};
use bao_server::sources::sync::{SyncContext, SyncOutcome, sync_source};
use bao_server::store::Database;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wikis")
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// First and unchanged sync times (ms, medians of `runs`) and the resources stored.
fn measure(config: &SourceConfig, base: &Path, runs: usize) -> anyhow::Result<serde_json::Value> {
    let (mut first, mut unchanged, mut resources) = (Vec::new(), Vec::new(), 0);
    for _ in 0..runs {
        let dir = tempfile::tempdir()?;
        let db_path = dir.path().join("bench.sqlite3");
        let db = Database::open(&db_path)?;
        let context = SyncContext::new(&base.join("sources.toml"), &db_path);
        let report = sync_source(&db, &context, config);
        let SyncOutcome::Stored { report: stored, .. } = &report.outcome else {
            anyhow::bail!("{}: {report}", config.id);
        };
        resources = stored.stored.created;
        first.push(report.duration.as_secs_f64() * 1000.0);
        let again = sync_source(&db, &context, config);
        unchanged.push(again.duration.as_secs_f64() * 1000.0);
    }
    Ok(
        serde_json::json!({ "resources": resources, "first_ms": median(first), "unchanged_ms": median(unchanged) }),
    )
}

fn source(toml: String) -> anyhow::Result<SourceConfig> {
    SourcesFile::parse(&toml).map_err(anyhow::Error::msg)?.sources.pop().context("one source")
}

fn main() -> anyhow::Result<()> {
    let runs: usize = std::env::args().nth(1).map(|n| n.parse()).transpose()?.unwrap_or(5);
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));

    let demo = SourcesFile::load(&here.join("../demo/sources.toml"))?;
    let baseline =
        demo.sources.into_iter().find(|source| source.id == "exemples-fiches").context("demo source")?;
    let baseline = measure(&baseline, &here.join("../demo"), runs)?;

    let mediawiki = wikis::MediaWiki::start().context("no MediaWiki: run `cargo xtask wikis`")?;
    mediawiki.import(&fixtures().join("wiki-brest.xml"));
    let mediawiki_source = source(mediawiki.source())?;

    let dokuwiki = wikis::DokuWiki::start().context("no DokuWiki: run `cargo xtask wikis`")?;
    dokuwiki.put_folder(&fixtures().join("savoirs-communs"), "floriane");
    let dokuwiki_source = source(dokuwiki.source())?;

    let json = |name: &str| -> anyhow::Result<serde_json::Value> {
        Ok(serde_json::from_str(&std::fs::read_to_string(fixtures().join(format!("yeswiki/{name}")))?)?)
    };
    let yeswiki = wikis::YesWikiAnswers::start("4", json("form-4.json")?, json("entries-4.json")?, true);
    let yeswiki_source = source(yeswiki.source())?;

    let elsewhere = std::env::temp_dir();
    let summary = serde_json::json!({
        "runs": runs,
        "baseline_folder": baseline,
        "mediawiki": measure(&mediawiki_source, &elsewhere, runs)?,
        "dokuwiki": measure(&dokuwiki_source, &elsewhere, runs)?,
        "yeswiki": measure(&yeswiki_source, &elsewhere, runs)?,
    });
    println!("{summary}");
    Ok(())
}

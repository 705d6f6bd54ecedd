//! Measures syncs of the wiki fixtures, for `cargo xtask bench`: a real MediaWiki and a real
//! DokuWiki (installed as the connectors' tests install them, read through their APIs, from an
//! export and from a folder) and YesWiki's answers, each synced into a fresh database (first)
//! and again (unchanged); then a MediaWiki of [`LARGE_WIKI_PAGES`] fiches, first, unchanged and
//! after one page is edited (only that page is read again). Baseline: the demo's folder of
//! Markdown fiches, synced the same way. Prints one JSON object; medians of several runs.
//!
//! usage: wiki_sync_bench [runs]

// The tests use more of it than this program.
#[allow(dead_code)]
#[path = "../tests/it/common/wikis.rs"]
mod wikis;

use std::path::{Path, PathBuf};

use anyhow::Context;
use bao_server::sources::config::{SourceConfig, SourcesFile};
use bao_server::sources::sync::{SyncContext, SyncOutcome, sync_source};
use bao_server::store::Database;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wikis")
}

/// The fiches of the larger MediaWiki.
const LARGE_WIKI_PAGES: usize = 200;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// First and unchanged sync times (ms, medians of `runs`) and the resources stored; with `edit`,
/// the time of a sync after each run's edit too.
fn measure(
    config: &SourceConfig,
    base: &Path,
    runs: usize,
    edit: Option<&dyn Fn(usize)>,
) -> anyhow::Result<serde_json::Value> {
    let (mut first, mut unchanged, mut edited, mut resources) = (Vec::new(), Vec::new(), Vec::new(), 0);
    for run in 0..runs {
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
        if let Some(edit) = edit {
            edit(run);
            let after_edit = sync_source(&db, &context, config);
            anyhow::ensure!(after_edit.changed(), "{}: the edit was not seen: {after_edit}", config.id);
            edited.push(after_edit.duration.as_secs_f64() * 1000.0);
        }
    }
    let mut figures = serde_json::json!({ "resources": resources, "first_ms": median(first), "unchanged_ms": median(unchanged) });
    if !edited.is_empty() {
        figures["one_edited_ms"] = median(edited).into();
    }
    Ok(figures)
}

/// An export of [`LARGE_WIKI_PAGES`] fiches, each the fixture's longest page under another title.
fn large_export(dir: &Path) -> anyhow::Result<PathBuf> {
    let fixture = std::fs::read_to_string(fixtures().join("wiki-brest.xml"))?;
    let start = fixture.find("<page>").context("a page")?;
    let siteinfo = &fixture[..start];
    let page = fixture[start..]
        .split("</page>")
        .find(|page| page.contains("<title>Territoires et coopérations</title>"))
        .context("the long page")?;
    let mut xml = siteinfo.to_owned();
    for n in 0..LARGE_WIKI_PAGES {
        xml.push_str(
            &page
                .replace("Territoires et coopérations", &format!("Fiche {n}"))
                .replace("<id>1742</id>", &format!("<id>{}</id>", 5000 + n))
                .replace("<id>90001</id>", &format!("<id>{}</id>", 95000 + n)),
        );
        xml.push_str("</page>\n");
    }
    xml.push_str("</mediawiki>\n");
    let path = dir.join("large-export.xml");
    std::fs::write(&path, xml)?;
    Ok(path)
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
    let baseline = measure(&baseline, &here.join("../demo"), runs, None)?;

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

    let (export, _) = mediawiki.export();
    let export_source = source(wikis::MediaWiki::source_at(&export.display().to_string()))?;
    let folder_source = source(dokuwiki.folder_source())?;

    let large = wikis::MediaWiki::start().context("no MediaWiki")?;
    let scratch = tempfile::tempdir()?;
    large.import(&large_export(scratch.path())?);
    let large_source = source(large.source())?;
    let edit_one = |run: usize| {
        let text = large.text("Fiche 7");
        large.edit("Fiche 7", &format!("{text}\n\nComplété ({run})."), "Michel");
    };

    let elsewhere = std::env::temp_dir();
    let summary = serde_json::json!({
        "runs": runs,
        "baseline_folder": baseline,
        "mediawiki": measure(&mediawiki_source, &elsewhere, runs, None)?,
        "mediawiki_export": measure(&export_source, &elsewhere, runs, None)?,
        "dokuwiki": measure(&dokuwiki_source, &elsewhere, runs, None)?,
        "dokuwiki_folder": measure(&folder_source, &elsewhere, runs, None)?,
        "yeswiki": measure(&yeswiki_source, &elsewhere, runs, None)?,
        "mediawiki_large": measure(&large_source, &elsewhere, runs, Some(&edit_one))?,
    });
    println!("{summary}");
    Ok(())
}

//! The corpus scorecard: the cards the importer makes of real repositories, against what a reader
//! finds in them (`tests/corpus/*.toml`), field by field. Shared by the test that keeps the scores
//! from going down (`corpus.rs`) and by `cargo xtask bench` (`server/examples/corpus_scorecard.rs`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use bao_server::sources::config::{SourceKind, SourcesFile};
use bao_server::sources::sync::{SyncContext, SyncOutcome, sync_source};
use bao_server::store::Database;
use serde::Deserialize;

/// The sources files that name the corpus's sources: the demo's (the real data) and the
/// fixtures' (`tests/corpus/sources.toml`).
pub fn sources_files() -> Vec<PathBuf> {
    vec![
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../demo/sources.toml"),
        corpus_dir().join("sources.toml"),
    ]
}

/// What a reader finds in one repository.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Truth {
    /// The folder read: under `shared/data/multibao` (its origin in `SOURCES.md` there), or here.
    pub folder: String,
    /// The source that reads it, in one of [`sources_files`].
    pub source: String,
    /// Files that are not fiches.
    #[serde(default)]
    pub skipped: Vec<String>,
    /// What every fiche of the repository is (`fiche`, `temoignage`, `video`), when a reader can
    /// say it of all of them.
    pub kind: Option<String>,
    /// Files that hold the same text: one card each group.
    #[serde(default)]
    pub duplicates: Vec<Vec<String>>,
    #[serde(default, rename = "fiche")]
    pub fiches: Vec<TruthFiche>,
}

/// One fiche as a reader finds it; a field left out is not judged.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TruthFiche {
    pub path: String,
    pub title: Option<String>,
    /// Every label a careful reader could give.
    pub licence: Option<Vec<String>>,
    pub authors: Option<Vec<String>>,
    /// How the summary begins: the opening prose a reader would quote, never a citation, a
    /// credit or a sub-heading.
    pub summary: Option<String>,
}

/// How one repository's cards score.
#[derive(Debug, Default)]
pub struct Score {
    pub name: String,
    pub fiches: usize,
    /// Fields right, of fields judged.
    pub title: (usize, usize),
    pub licence: (usize, usize),
    pub authors: (usize, usize),
    pub summary: (usize, usize),
    pub kind: (usize, usize),
    /// Fiches right in every field judged.
    pub all_right: usize,
    /// Fiches whose card gives a licence that allows more than the text does.
    pub more_permissive: Vec<String>,
    /// Cards whose source link is not under the source's web address.
    pub guessed_hosts: Vec<String>,
    /// Groups of one text shown as more than one card.
    pub listed_twice: usize,
    /// Files that are not fiches, made cards.
    pub not_skipped: Vec<String>,
    /// Cards that show an e-mail address (title, summary, authors or text).
    pub addresses_shown: Vec<String>,
    /// What was wrong, fiche by fiche.
    pub misses: Vec<String>,
}

impl Score {
    pub fn share(part: usize, whole: usize) -> f64 {
        if whole == 0 { 1.0 } else { part as f64 / whole as f64 }
    }
}

/// `tests/corpus/`.
pub fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus")
}

/// Every truth file, by name.
pub fn truths() -> Vec<(String, Truth)> {
    let mut truths: Vec<(String, Truth)> = std::fs::read_dir(corpus_dir())
        .expect("tests/corpus")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml") && !path.ends_with("sources.toml"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a truth file");
            let truth = toml::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            (path.file_stem().unwrap().to_string_lossy().into_owned(), truth)
        })
        .collect();
    truths.sort_by(|a, b| a.0.cmp(&b.0));
    truths
}

/// Syncs the source `truth` names into a new database and scores its cards.
pub fn score(name: &str, truth: &Truth) -> Score {
    let dir = tempfile::tempdir().expect("temp dir");
    let db_path = dir.path().join("corpus.sqlite3");
    let db = Database::open(&db_path).expect("database");
    let (sources_file, config) = sources_files()
        .into_iter()
        .find_map(|path| {
            let file = SourcesFile::load(&path).expect("sources file");
            let config = file.sources.into_iter().find(|source| source.id == truth.source)?;
            Some((path, config))
        })
        .expect("the truth's source");
    let config = &config;
    assert!(
        config.url.ends_with(&truth.folder),
        "{name}: {} reads {}, not {}",
        truth.source,
        config.url,
        truth.folder
    );
    let report = sync_source(&db, &SyncContext::new(&sources_file, &db_path), config);
    assert!(matches!(report.outcome, SyncOutcome::Stored { .. }), "{report}");
    let cards: BTreeMap<String, String> =
        db.source_files(&truth.source).expect("files").into_iter().collect();
    let mut score = Score { name: name.to_owned(), fiches: truth.fiches.len(), ..Score::default() };

    for fiche in &truth.fiches {
        let Some(resource) = cards.get(&fiche.path).and_then(|id| db.resource(id).expect("resource")) else {
            score.misses.push(format!("{}: no card", fiche.path));
            continue;
        };
        let mut right = true;
        let mut judge = |field: &str, tally: &mut (usize, usize), ok: bool, got: String| {
            tally.1 += 1;
            if ok {
                tally.0 += 1;
            } else {
                right = false;
                score.misses.push(format!("{}: {field} « {got} »", fiche.path));
            }
        };
        // A reader sees a non-breaking space ("Jeu\u{a0}: Feu de camp") as a space.
        let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(title) = &fiche.title {
            judge("titre", &mut score.title, words(&resource.title) == *title, resource.title.clone());
        }
        if let Some(labels) = &fiche.licence {
            let label = &resource.licence.label;
            judge("licence", &mut score.licence, labels.contains(label), label.clone());
            if labels.iter().all(|expected| allows_more(label, expected)) {
                score.more_permissive.push(format!("{}: {label}", fiche.path));
            }
        }
        if let Some(authors) = &fiche.authors {
            judge("auteurs", &mut score.authors, resource.authors == *authors, resource.authors.join(" ; "));
        }
        if let Some(kind) = &truth.kind {
            judge(
                "nature",
                &mut score.kind,
                resource.kind.as_str() == kind,
                resource.kind.as_str().to_owned(),
            );
        }
        if let Some(summary) = &fiche.summary {
            let begins = words(&resource.summary).starts_with(&words(summary));
            judge("résumé", &mut score.summary, begins, resource.summary.chars().take(80).collect());
        }
        if right {
            score.all_right += 1;
        }
    }
    let web_url = match &config.kind {
        SourceKind::Git(git) => git.web.web_url.as_deref(),
        _ => None,
    };
    let web = web_url.map(|url| format!("{}/", url.trim_end_matches('/')));
    for id in cards.values().collect::<BTreeSet<_>>() {
        let Some(resource) = db.resource(id).expect("resource") else { continue };
        let guessed = match (&resource.source_url, &web) {
            (None, _) => false,
            (Some(url), Some(web)) => !url.starts_with(web.as_str()),
            (Some(_), None) => true,
        };
        // An address as a reader would see one: `name@host.tld`, not a web address's `/@name`.
        let is_address = |word: &str| {
            word.split_once('@').is_some_and(|(user, host)| {
                !user.is_empty()
                    && !user.contains('/')
                    && host.rsplit_once('.').is_some_and(|(_, top)| {
                        top.len() >= 2 && top.chars().all(|c| c.is_ascii_alphabetic())
                    })
            })
        };
        let body = resource.body_html.clone().unwrap_or_default();
        let shown =
            [&resource.title, &resource.summary, &resource.authors.join(" "), &body].iter().any(|text| {
                text.contains("mailto")
                    || text.split(|c: char| c.is_whitespace() || "<>()[]\"',;&".contains(c)).any(is_address)
            });
        if shown {
            score.addresses_shown.push(id.clone());
        }
        if guessed {
            score.guessed_hosts.push(format!("{id}: {}", resource.source_url.unwrap_or_default()));
        }
    }
    for group in &truth.duplicates {
        let ids: BTreeSet<&String> = group.iter().filter_map(|path| cards.get(path)).collect();
        if ids.len() > 1 {
            score.listed_twice += 1;
        }
    }
    score.not_skipped = truth.skipped.iter().filter(|path| cards.contains_key(*path)).cloned().collect();
    score
}

/// Whether a card's licence allows more than the licence a reader found: it drops a condition
/// (share-alike, non-commercial, no derivatives) the reader's has. An unknown licence allows
/// nothing; a licence the reader could not name is allowed nothing more.
fn allows_more(card: &str, reader: &str) -> bool {
    let conditions = |label: &str| -> Option<BTreeSet<String>> {
        let rest = label.strip_prefix("CC")?;
        Some(
            rest.split([' ', '-'])
                .filter(|part| ["SA", "NC", "ND"].contains(part))
                .map(str::to_owned)
                .collect(),
        )
    };
    match (conditions(card), conditions(reader)) {
        (Some(card), Some(reader)) => !reader.is_subset(&card),
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// The scores as BENCHMARKS.md keeps them.
pub fn table(scores: &[Score]) -> String {
    let percent = |(right, judged): (usize, usize)| {
        format!("{:.0} % ({right}/{judged})", 100.0 * Score::share(right, judged))
    };
    let mut out = String::from(
        "| repository | fiches | all fields right | title | licence | authors | summary | kind | more permissive licences | guessed hosts | texts listed twice | non-fiches made cards | cards showing an e-mail address |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for score in scores {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            score.name,
            score.fiches,
            percent((score.all_right, score.fiches)),
            percent(score.title),
            percent(score.licence),
            percent(score.authors),
            percent(score.summary),
            percent(score.kind),
            score.more_permissive.len(),
            score.guessed_hosts.len(),
            score.listed_twice,
            score.not_skipped.len(),
            score.addresses_shown.len(),
        ));
    }
    out
}

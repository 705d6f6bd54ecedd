//! Search benchmark, part one: builds a reproducible synthetic corpus of French fiches from the
//! vocabulary of the real multiBàO data, stores it, builds the search index (timed), then
//! measures typeahead latency at the handler against a bare tantivy term query on the same index.
//!
//! `search_corpus <real-data-dir> <out-dir> [documents]` — prints a JSON summary on stdout; the
//! database and index stay in `<out-dir>` for the HTTP part (tests/bench/run.mjs).

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use bao_contract::{Kind, NetworkRef, Resource};
use bao_server::search::{self, SearchIndex, SearchRequest};
use bao_server::sources::multibao::MultibaoRepository;
use bao_server::store::{Database, NewResource, SourceUpdate};

/// Deterministic generator: the same seed gives the same corpus on every machine.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Words as they occur in the real data (repeated as often as they occur), so sampling them
/// gives the real frequencies.
#[derive(Default)]
struct Vocabulary {
    title_words: Vec<String>,
    text_words: Vec<String>,
    tags: Vec<String>,
    real_titles: Vec<String>,
    licences: Vec<bao_contract::Licence>,
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split_whitespace()
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric()).to_owned())
        .filter(|word| !word.is_empty() && word.len() < 30)
}

fn vocabulary(real_data: &Path) -> anyhow::Result<Vocabulary> {
    let mut vocabulary = Vocabulary::default();
    for (folder, subfolders) in [
        ("lilianricaud-travail-en-reseau", None),
        ("onpassealacte-videos_initiatives", None),
        ("multibao-contributions", Some("contributions")),
    ] {
        let mut source = MultibaoRepository::from_folder_name(&real_data.join(folder))
            .with_context(|| format!("{folder} in {}", real_data.display()))?;
        source.subfolder_networks = subfolders.map(str::to_owned);
        for new in source.read()?.resources {
            let resource = new.resource;
            vocabulary.title_words.extend(words(&resource.title));
            vocabulary.text_words.extend(words(&resource.summary));
            let body = search::analysis::html_to_text(resource.body_html.as_deref().unwrap_or_default());
            vocabulary.text_words.extend(words(&body));
            vocabulary.tags.extend(resource.tags);
            vocabulary.real_titles.push(resource.title);
            vocabulary.licences.push(resource.licence);
        }
    }
    Ok(vocabulary)
}

fn sentence(random: &mut XorShift, words: &[String], length: usize) -> String {
    (0..length).map(|_| random.pick(words).as_str()).collect::<Vec<_>>().join(" ")
}

fn corpus(vocabulary: &Vocabulary, documents: usize) -> (Vec<NetworkRef>, Vec<NewResource>) {
    let mut random = XorShift(0x6d75_6c74_6962_616f);
    let networks: Vec<NetworkRef> = (0..40)
        .map(|n| NetworkRef { id: format!("reseau-{n}"), name: format!("Réseau {n}"), url: None })
        .collect();
    let resources = (0..documents)
        .map(|n| {
            let title_length = 3 + random.below(5);
            let body: String = (0..2 + random.below(5))
                .map(|_| {
                    let length = 40 + random.below(80);
                    format!("<p>{}</p>", sentence(&mut random, &vocabulary.text_words, length))
                })
                .collect();
            let summary_length = 15 + random.below(20);
            let tags = (0..random.below(4)).map(|_| random.pick(&vocabulary.tags).clone()).collect();
            let resource = Resource {
                id: format!("synth-{n:06}"),
                kind: *random.pick(&[Kind::Fiche, Kind::Fiche, Kind::Fiche, Kind::Temoignage, Kind::Video]),
                title: sentence(&mut random, &vocabulary.title_words, title_length),
                summary: sentence(&mut random, &vocabulary.text_words, summary_length),
                image: None,
                authors: vec![],
                network: random.pick(&networks).clone(),
                tags,
                licence: random.pick(&vocabulary.licences).clone(),
                source_url: Some(format!("https://example.org/synth/{n}")),
                lang: "fr".into(),
                updated: Some(format!(
                    "20{:02}-{:02}-{:02}",
                    15 + random.below(11),
                    1 + random.below(12),
                    1 + random.below(28)
                )),
                body_html: Some(body),
                sources: Vec::new(),
            };
            NewResource {
                resource,
                video: None,
                source_key: format!("synth/{n}"),
                content_hash: n.to_string(),
                provenance: Default::default(),
                edit_url: None,
                path: n.to_string(),
            }
        })
        .collect();
    (networks, resources)
}

/// What a visitor types, one keystroke at a time, from two words of real titles.
fn keystrokes(vocabulary: &Vocabulary, queries: usize) -> Vec<String> {
    let mut random = XorShift(0x7479_7065);
    let mut typed = Vec::new();
    for _ in 0..queries {
        let title = random.pick(&vocabulary.real_titles);
        let target: String = title.split_whitespace().take(2).collect::<Vec<_>>().join(" ").to_lowercase();
        let chars: Vec<char> = target.chars().collect();
        for end in 2..=chars.len() {
            typed.push(chars[..end].iter().collect());
        }
    }
    typed
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn dir_size(dir: &Path) -> std::io::Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(dir)? {
        total += entry?.metadata()?.len();
    }
    Ok(total)
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: search_corpus <real-data-dir> <out-dir> [documents]";
    let real_data = PathBuf::from(args.next().context(usage)?);
    let out = PathBuf::from(args.next().context(usage)?);
    let documents: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(100_000);

    let vocabulary = vocabulary(&real_data)?;
    let (networks, resources) = corpus(&vocabulary, documents);
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    std::fs::create_dir_all(&out)?;
    let db_path = out.join("corpus.sqlite3");
    let db = Database::open(&db_path)?;
    let started = Instant::now();
    db.store_source(&SourceUpdate {
        source_id: "synth",
        networks: &networks,
        resources: &resources,
        aliases: &[],
        sync: None,
    })?;
    let store_seconds = started.elapsed().as_secs_f64();
    drop(resources);

    let index_dir = search::index_dir_for(&db_path);
    let index = SearchIndex::open(&index_dir)?;
    let started = Instant::now();
    let stats = index.rebuild(&db)?;
    let index_seconds = started.elapsed().as_secs_f64();
    let index_bytes = dir_size(&index_dir)?;

    // Typeahead at the handler: every keystroke of 200 title beginnings, 20 results.
    let typed = keystrokes(&vocabulary, 200);
    let mut ours = Vec::with_capacity(typed.len());
    let mut hits = 0;
    for q in &typed {
        let started = Instant::now();
        let results = index.search(&SearchRequest { q: q.clone(), limit: 20, ..SearchRequest::default() })?;
        ours.push(started.elapsed().as_secs_f64() * 1000.0);
        hits += usize::from(results.total > 0);
    }
    // Baseline: the cheapest tantivy search on the same index, one exact title term, top 20.
    let raw = tantivy::Index::open_in_dir(&index_dir)?;
    let searcher = raw.reader()?.searcher();
    let title = raw.schema().get_field("title")?;
    let mut analyzer = search::analysis::stemmed_analyzer();
    let mut baseline = Vec::with_capacity(typed.len());
    for q in &typed {
        let Some(stem) = search::analysis::tokens(&mut analyzer, q).pop() else { continue };
        let query = tantivy::query::TermQuery::new(
            tantivy::Term::from_field_text(title, &stem),
            tantivy::schema::IndexRecordOption::WithFreqs,
        );
        let started = Instant::now();
        let top = searcher.search(&query, &tantivy::collector::TopDocs::with_limit(20).order_by_score())?;
        baseline.push(started.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(top);
    }
    ours.sort_by(f64::total_cmp);
    baseline.sort_by(f64::total_cmp);
    let summary = serde_json::json!({
        "documents": stats.documents,
        "store_seconds": store_seconds,
        "index_seconds": index_seconds,
        "index_bytes": index_bytes,
        "db_bytes": std::fs::metadata(&db_path)?.len(),
        "keystrokes": typed.len(),
        "keystrokes_with_hits": hits,
        "handler_ms": { "p50": percentile(&ours, 0.5), "p99": percentile(&ours, 0.99), "max": percentile(&ours, 1.0) },
        "baseline_ms": { "p50": percentile(&baseline, 0.5), "p99": percentile(&baseline, 0.99) },
        "db": db_path,
        "sample_queries": typed.iter().step_by(7).take(400).collect::<Vec<_>>(),
    });
    println!("{summary}");
    Ok(())
}

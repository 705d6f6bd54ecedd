//! Full-text search: a tantivy index derived from the database, rebuilt whole in one commit after
//! each import, and the ranked, faceted, highlighted queries of `GET /api/v1/search`.
//!
//! The index holds everything a hit shows (the resource's list form as stored JSON), so a search
//! reads one consistent snapshot: during a re-index it sees the old commit or the new, never both.

pub mod analysis;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bao_contract::{FacetCount, Facets, Highlight, Kind, Resource, SearchHit, SearchResults};
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, TantivyDocument, Term,
};

use crate::store::{Database, DbError};

/// Bumped whenever the schema or the analysis changes: an index built by another version is
/// rebuilt at start instead of being read wrongly.
const SCHEMA_VERSION: u32 = 2;

/// Memory the indexer may buffer before it writes a segment (tantivy splits it among threads).
const WRITER_HEAP_BYTES: usize = 100_000_000;

/// Words of a query beyond this many are ignored: nobody types more, and each costs a clause.
const MAX_QUERY_WORDS: usize = 16;

/// Words this long or longer may have one typo (an insertion, deletion, substitution or swap).
const TYPO_MIN_CHARS: usize = 5;

/// Tags listed in the facet counts.
const MAX_TAG_FACETS: usize = 20;

/// The facets of a typed search are counted over at most this many best matches: counting all
/// the matches of a broad prefix ("co" while typing matches most of a large corpus) was the tail
/// of typeahead latency. Browsing (no words) still counts everything.
const FACET_MATCHES: usize = 200;

/// Characters of a snippet.
const SNIPPET_CHARS: usize = 180;

/// How a word found in each field weighs: the title most, a testimony's transcript least.
const FIELD_BOOSTS: [(FieldName, f32); 5] = [
    (FieldName::Title, 3.0),
    (FieldName::Tags, 2.0),
    (FieldName::Summary, 1.5),
    (FieldName::Body, 1.0),
    (FieldName::Transcript, 0.8),
];
/// Weight of a word matched only with a typo: a constant score, below what an exact word earns.
const TYPO_BOOST: f32 = 0.4;
/// Weights of the word being typed found as the beginning of a word of the title, and of the
/// tags or summary (constant scores).
const TITLE_PREFIX_BOOST: f32 = 3.0;
const PREFIX_BOOST: f32 = 0.8;
/// The word being typed found whole in the body: often an accident of an unfinished word
/// ("gouv" in a URL), so it weighs less than the same word completed in the title.
const TYPING_BODY_BOOST: f32 = 0.3;

/// Failures of the search index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("index de recherche : {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("dossier de l'index de recherche : {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("dossier de l'index de recherche : {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Storage(#[from] DbError),
    #[error("document de l'index illisible : {0}")]
    Json(#[from] serde_json::Error),
    #[error("{0} fichier(s) de l'index endommagé(s)")]
    Damaged(usize),
}

/// The filters and page of a search, already validated.
#[derive(Debug, Default, Clone)]
pub struct SearchRequest {
    pub q: String,
    pub network: Option<String>,
    pub tag: Option<String>,
    pub kind: Option<Kind>,
    /// SPDX identifier, compared without case.
    pub licence: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

/// What a rebuild did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RebuildStats {
    pub documents: u64,
    /// The database generation the index now reflects.
    pub generation: u64,
}

/// The folder of the index that goes with a database file: beside it.
pub fn index_dir_for(db_path: &Path) -> PathBuf {
    let mut name = db_path.as_os_str().to_owned();
    name.push(".search");
    PathBuf::from(name)
}

#[derive(Debug, Clone, Copy)]
enum FieldName {
    Title,
    Tags,
    Summary,
    Body,
    Transcript,
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    /// The resource's list form, as JSON: what a hit returns.
    doc: Field,
    title: Field,
    tags: Field,
    summary: Field,
    /// Stored too: the snippet of a match in the body is cut from it.
    body: Field,
    /// What is said in a filmed testimony.
    transcript: Field,
    /// Title, tags and summary, unstemmed: prefixes and typos are matched here.
    plain: Field,
    /// The title alone, unstemmed: a prefix of the title weighs more.
    plain_title: Field,
    network: Field,
    kind: Field,
    tag: Field,
    licence: Field,
    facets: Field,
    /// `yyyymmdd` of the last change, 0 when unknown: the order of empty queries.
    updated: Field,
}

impl Fields {
    fn schema() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let analysed = |tokenizer: &str, record: IndexRecordOption| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(record),
            )
        };
        // Frequencies, no positions: ranking needs the first, nothing here queries phrases.
        let weighted = analysed(analysis::STEMMED, IndexRecordOption::WithFreqs);
        let fields = Fields {
            id: builder.add_text_field("id", STRING | STORED),
            doc: builder.add_text_field("doc", STORED),
            title: builder.add_text_field("title", weighted.clone()),
            tags: builder.add_text_field("tags", weighted.clone()),
            summary: builder.add_text_field("summary", weighted.clone()),
            body: builder.add_text_field("body", weighted.clone() | STORED),
            transcript: builder.add_text_field("transcript", weighted),
            plain: builder.add_text_field("plain", analysed(analysis::PLAIN, IndexRecordOption::Basic)),
            plain_title: builder
                .add_text_field("plain_title", analysed(analysis::PLAIN, IndexRecordOption::Basic)),
            network: builder.add_text_field("network", STRING),
            kind: builder.add_text_field("kind", STRING),
            tag: builder.add_text_field("tag", STRING),
            licence: builder.add_text_field("licence", STRING),
            facets: builder.add_facet_field("facets", FacetOptions::default()),
            updated: builder.add_i64_field("updated", FAST),
        };
        (builder.build(), fields)
    }

    fn weighted(&self, name: FieldName) -> Field {
        match name {
            FieldName::Title => self.title,
            FieldName::Tags => self.tags,
            FieldName::Summary => self.summary,
            FieldName::Body => self.body,
            FieldName::Transcript => self.transcript,
        }
    }
}

/// The search index; cheap to clone (shared).
#[derive(Clone)]
pub struct SearchIndex {
    inner: Arc<Inner>,
}

struct Inner {
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

/// The commit payload: which schema and which database generation the index holds.
fn payload(generation: u64) -> String {
    format!("schema={SCHEMA_VERSION};generation={generation}")
}

fn generation_in(payload: &str) -> Option<u64> {
    let rest = payload.strip_prefix(&format!("schema={SCHEMA_VERSION};generation="))?;
    rest.parse().ok()
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it (empty) when missing. An index of another schema
    /// version is thrown away: it is derived data, [`SearchIndex::ensure_in_step`] rebuilds it.
    /// Opens the index in `dir`. The index is derived data: one that cannot be read whole (a
    /// damaged file, a folder that is a file, an answer that makes tantivy panic) is started
    /// afresh, empty, and [`SearchIndex::ensure_in_step`] rebuilds it from the database.
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        let reason = match std::panic::catch_unwind(|| Self::open_as_is(dir)) {
            Ok(Ok(index)) => return Ok(index),
            Ok(Err(error)) => error.to_string(),
            Err(_) => "tantivy a paniqué en l'ouvrant".to_owned(),
        };
        tracing::warn!(dir = %dir.display(), %reason, "search index unreadable: starting it afresh");
        if dir.is_dir() {
            std::fs::remove_dir_all(dir)?;
        } else if dir.exists() {
            std::fs::remove_file(dir)?;
        }
        Self::open_as_is(dir)
    }

    fn open_as_is(dir: &Path) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = Fields::schema();
        let index = if Index::exists(&MmapDirectory::open(dir)?).unwrap_or(false) {
            let existing = Index::open_in_dir(dir)?;
            // Every file's checksum: a damaged one would fail searches later, or panic.
            let damaged = existing.validate_checksum()?;
            if !damaged.is_empty() {
                return Err(SearchError::Damaged(damaged.len()));
            }
            let ours = existing.load_metas()?.payload.as_deref().is_some_and(|p| generation_in(p).is_some());
            if ours && existing.schema() == schema {
                existing
            } else {
                tracing::info!(dir = %dir.display(), "search index of another version: recreating it");
                drop(existing);
                std::fs::remove_dir_all(dir)?;
                std::fs::create_dir_all(dir)?;
                Index::create_in_dir(dir, schema)?
            }
        } else {
            Index::create_in_dir(dir, schema)?
        };
        index.tokenizers().register(analysis::STEMMED, analysis::stemmed_analyzer());
        index.tokenizers().register(analysis::PLAIN, analysis::plain_analyzer());
        // Watching meta.json makes a server see the commits of an `import` run in another process.
        let reader = index.reader_builder().reload_policy(ReloadPolicy::OnCommitWithDelay).try_into()?;
        Ok(SearchIndex { inner: Arc::new(Inner { index, reader, fields }) })
    }

    /// The database generation of the last commit, if the index was ever built.
    pub fn indexed_generation(&self) -> Result<Option<u64>, SearchError> {
        Ok(self.inner.index.load_metas()?.payload.as_deref().and_then(generation_in))
    }

    /// Rebuilds the index when it does not reflect the database's current generation.
    pub fn ensure_in_step(&self, db: &Database) -> Result<Option<RebuildStats>, SearchError> {
        if self.indexed_generation()? == Some(db.generation()?) {
            return Ok(None);
        }
        self.rebuild(db).map(Some)
    }

    /// Replaces the whole index by the database's content, in one commit.
    pub fn rebuild(&self, db: &Database) -> Result<RebuildStats, SearchError> {
        let fields = self.inner.fields;
        let mut writer: IndexWriter = self.inner.index.writer(WRITER_HEAP_BYTES)?;
        writer.delete_all_documents()?;
        let mut documents = 0;
        let generation = db.for_each_resource(|resource, transcript| -> Result<(), SearchError> {
            writer.add_document(document(&fields, resource, transcript.as_deref())?)?;
            documents += 1;
            Ok(())
        })?;
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&payload(generation));
        commit.commit()?;
        writer.wait_merging_threads()?;
        self.inner.reader.reload()?;
        Ok(RebuildStats { documents, generation })
    }

    /// Which reload of the index searches see now: it changes each time the reader reloads.
    pub fn searcher_generation(&self) -> u64 {
        self.inner.reader.searcher().generation().generation_id()
    }

    /// Runs one search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let searcher = self.inner.reader.searcher();
        let fields = self.inner.fields;
        let words = query_words(&request.q);
        let limit = request.limit.max(1);

        let (total, addresses, facets) = if words.is_empty() {
            let query = with_filters(self.filters(request), None);
            let top = TopDocs::with_limit(limit)
                .and_offset(request.offset)
                .order_by_fast_field::<i64>("updated", Order::Desc);
            let (top, total, counts) = searcher.search(&query, &(top, Count, facet_collector()))?;
            let counts = ["/network", "/kind", "/tag"].into_iter().flat_map(|root| counts.get(root));
            let facets = facets(counts.map(|(facet, count)| (facet.clone(), count)), None);
            (total, top.into_iter().map(|(_, address)| address).collect::<Vec<DocAddress>>(), facets)
        } else {
            let best = FACET_MATCHES.max(request.offset + limit);
            let ranked = |text: Box<dyn Query>| {
                let query = with_filters(self.filters(request), Some(text));
                searcher.search(&query, &(TopDocs::with_limit(best).order_by_score(), Count))
            };
            // Every word must match; when that finds nothing, any word may.
            let mut found = ranked(self.words_query(&words, true))?;
            if found.1 == 0 && words.len() > 1 {
                found = ranked(self.words_query(&words, false))?;
            }
            let (top, total) = found;
            let best: Vec<DocAddress> = top.into_iter().map(|(_, address)| address).collect();
            let counted_over = (total > best.len()).then_some(best.len() as u64);
            let facets = facets(facets_of(&searcher, &best)?, counted_over);
            (total, best.into_iter().skip(request.offset).take(limit).collect(), facets)
        };

        let highlighter = if words.is_empty() { None } else { Some(self.highlighter(&searcher, &words)?) };
        let mut items = Vec::with_capacity(addresses.len());
        for address in addresses {
            let stored: TantivyDocument = searcher.doc(address)?;
            let json = stored.get_first(fields.doc).and_then(|value| value.as_str()).unwrap_or_default();
            let resource: Resource = serde_json::from_str(json)?;
            let (snippet, highlights) = match &highlighter {
                Some([summary, body]) => {
                    let body_text = || stored.get_first(fields.body).and_then(|value| value.as_str());
                    snippet(summary.as_ref(), body.as_ref(), &resource.summary, body_text)
                }
                None => (plain_snippet(&resource.summary), Vec::new()),
            };
            items.push(SearchHit { resource, snippet, highlights });
        }
        let next_offset = request.offset + items.len();
        let next_cursor =
            (items.len() == limit && (next_offset as u64) < total as u64).then(|| next_offset.to_string());
        Ok(SearchResults { total: total as u64, items, facets, next_cursor })
    }

    fn filters(&self, request: &SearchRequest) -> Vec<Box<dyn Query>> {
        let fields = self.inner.fields;
        let term = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
        };
        let mut filters = Vec::new();
        if let Some(network) = &request.network {
            filters.push(term(fields.network, network));
        }
        if let Some(tag) = &request.tag {
            filters.push(term(fields.tag, tag));
        }
        if let Some(kind) = request.kind {
            filters.push(term(fields.kind, kind.as_str()));
        }
        if let Some(licence) = &request.licence {
            filters.push(term(fields.licence, &licence.to_ascii_lowercase()));
        }
        filters
    }

    /// One clause per word; `all_required` makes each word that carries meaning mandatory.
    fn words_query(&self, words: &[QueryWord], all_required: bool) -> Box<dyn Query> {
        let clauses = words
            .iter()
            .filter_map(|word| {
                let query = self.word_query(word)?;
                // A stop word being typed ("la" in "gouvernance de la") only ranks.
                let occur = if all_required && word.stem.is_some() { Occur::Must } else { Occur::Should };
                Some((occur, query))
            })
            .collect();
        Box::new(BooleanQuery::new(clauses))
    }

    /// Where one word may match: its stem in each weighted field, its plain form with one typo,
    /// and, for the word being typed, any word it begins.
    fn word_query(&self, word: &QueryWord) -> Option<Box<dyn Query>> {
        let fields = self.inner.fields;
        let mut either: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(stem) = &word.stem {
            for (name, mut boost) in FIELD_BOOSTS {
                if word.typing && matches!(name, FieldName::Body | FieldName::Transcript) {
                    boost = TYPING_BODY_BOOST;
                }
                let term = Term::from_field_text(fields.weighted(name), stem);
                let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
                either.push((Occur::Should, Box::new(BoostQuery::new(Box::new(query), boost))));
            }
        }
        let plain = Term::from_field_text(fields.plain, &word.plain);
        let chars = word.plain.chars().count();
        if chars >= TYPO_MIN_CHARS {
            let query = FuzzyTermQuery::new(plain.clone(), 1, true);
            either.push((Occur::Should, Box::new(BoostQuery::new(Box::new(query), TYPO_BOOST))));
            // The body too, by its stems: "reunoin" finds the fiches that speak of réunions.
            if let Some(stem) = word.stem.as_ref().filter(|stem| stem.chars().count() >= TYPO_MIN_CHARS) {
                let term = Term::from_field_text(fields.weighted(FieldName::Body), stem);
                let query = FuzzyTermQuery::new(term, 1, true);
                either.push((Occur::Should, Box::new(BoostQuery::new(Box::new(query), TYPO_BOOST / 2.0))));
            }
        }
        if word.typing && chars >= 2 {
            let in_title = Term::from_field_text(fields.plain_title, &word.plain);
            for (term, boost) in [(in_title, TITLE_PREFIX_BOOST), (plain, PREFIX_BOOST)] {
                let query = FuzzyTermQuery::new_prefix(term, 0, true);
                either.push((Occur::Should, Box::new(BoostQuery::new(Box::new(query), boost))));
            }
        }
        (!either.is_empty()).then(|| Box::new(BooleanQuery::new(either)) as Box<dyn Query>)
    }

    /// Snippet makers for the summary and the body, highlighting the query's stems that occur in
    /// that field at all: `None` for a field where none does, which spares tokenizing its text
    /// (the costliest part of a search while a word is half typed).
    fn highlighter(
        &self,
        searcher: &tantivy::Searcher,
        words: &[QueryWord],
    ) -> Result<[Option<SnippetGenerator>; 2], SearchError> {
        let fields = self.inner.fields;
        let make = |field: Field| -> Result<Option<SnippetGenerator>, SearchError> {
            let mut terms = BTreeMap::new();
            for stem in words.iter().filter_map(|word| word.stem.as_deref()) {
                if searcher.doc_freq(&Term::from_field_text(field, stem))? > 0 {
                    terms.insert(stem.to_owned(), 1.0);
                }
            }
            let stems: Vec<String> = terms.keys().cloned().collect();
            Ok((!terms.is_empty()).then(|| {
                SnippetGenerator::new(terms, analysis::snippet_analyzer(&stems), field, SNIPPET_CHARS)
            }))
        };
        Ok([make(fields.summary)?, make(fields.body)?])
    }
}

/// A word of a query, analysed both ways.
#[derive(Debug, Clone, PartialEq)]
struct QueryWord {
    /// `None` for stop words.
    stem: Option<String>,
    plain: String,
    /// The last word, not yet followed by a space or punctuation: it may be incomplete.
    typing: bool,
}

fn query_words(q: &str) -> Vec<QueryWord> {
    use tantivy::tokenizer::TokenStream;
    let mut plain_analyzer = analysis::plain_analyzer();
    let mut stemmed_analyzer = analysis::stemmed_analyzer();
    let mut stream = plain_analyzer.token_stream(q);
    let mut words = Vec::new();
    while stream.advance() && words.len() < MAX_QUERY_WORDS {
        let token = stream.token();
        // The stem is taken from the word as written: the stop-word list is accented.
        let stem = analysis::tokens(&mut stemmed_analyzer, &q[token.offset_from..token.offset_to]).pop();
        words.push(QueryWord { stem, plain: token.text.clone(), typing: token.offset_to == q.len() });
    }
    words
}

fn with_filters(filters: Vec<Box<dyn Query>>, text: Option<Box<dyn Query>>) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        filters.into_iter().map(|filter| (Occur::Must, filter)).collect();
    clauses.extend(text.map(|text| (Occur::Must, text)));
    if clauses.is_empty() { Box::new(AllQuery) } else { Box::new(BooleanQuery::new(clauses)) }
}

/// The passage that matched, with where the words are: in the summary if it did, else in the
/// body, else the summary's beginning.
fn snippet<'a>(
    summary: Option<&SnippetGenerator>,
    body: Option<&SnippetGenerator>,
    summary_text: &str,
    body_text: impl FnOnce() -> Option<&'a str>,
) -> (String, Vec<Highlight>) {
    let in_summary = summary.map(|generator| generator.snippet(summary_text)).filter(|s| !s.is_empty());
    let found = in_summary.or_else(|| {
        let text = body_text()?;
        body.map(|generator| generator.snippet(text)).filter(|s| !s.is_empty())
    });
    match found {
        Some(snippet) => {
            let highlights = snippet
                .highlighted()
                .iter()
                .map(|range| Highlight { start: range.start as u32, end: range.end as u32 })
                .collect();
            (snippet.fragment().to_owned(), highlights)
        }
        None => (plain_snippet(summary_text), Vec::new()),
    }
}

/// The beginning of a summary.
fn plain_snippet(summary: &str) -> String {
    let mut cut: String = summary.chars().take(SNIPPET_CHARS).collect();
    if cut.len() < summary.len() {
        cut.push('…');
    }
    cut
}

/// The network facet carries the network's name after a tab, so that counts need no lookup.
const NETWORK_NAME_SEPARATOR: char = '\t';

fn document(
    fields: &Fields,
    mut resource: Resource,
    transcript: Option<&str>,
) -> Result<TantivyDocument, SearchError> {
    let body = analysis::html_to_text(resource.body_html.as_deref().unwrap_or_default());
    resource.body_html = None;
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.id, &resource.id);
    doc.add_text(fields.doc, serde_json::to_string(&resource)?);
    doc.add_text(fields.title, &resource.title);
    doc.add_text(fields.plain, &resource.title);
    doc.add_text(fields.plain_title, &resource.title);
    for tag in &resource.tags {
        doc.add_text(fields.tags, tag);
        doc.add_text(fields.plain, tag);
        doc.add_text(fields.tag, tag);
        doc.add_facet(fields.facets, Facet::from_path(["tag", tag.as_str()]));
    }
    doc.add_text(fields.summary, &resource.summary);
    doc.add_text(fields.plain, &resource.summary);
    doc.add_text(fields.body, &body);
    if let Some(transcript) = transcript {
        doc.add_text(fields.transcript, transcript);
    }
    doc.add_text(fields.network, &resource.network.id);
    let network_facet = format!("{}{NETWORK_NAME_SEPARATOR}{}", resource.network.id, resource.network.name);
    doc.add_facet(fields.facets, Facet::from_path(["network", network_facet.as_str()]));
    doc.add_text(fields.kind, resource.kind.as_str());
    doc.add_facet(fields.facets, Facet::from_path(["kind", resource.kind.as_str()]));
    if let Some(spdx) = &resource.licence.spdx {
        doc.add_text(fields.licence, spdx.to_ascii_lowercase());
    }
    doc.add_i64(fields.updated, date_key(resource.updated.as_deref()));
    Ok(doc)
}

/// `2024-03-05…` → 20240305; 0 when absent or unreadable.
fn date_key(updated: Option<&str>) -> i64 {
    updated.and_then(crate::calendar::day_of).map_or(0, |day| {
        i64::from(day.year()) * 10_000 + i64::from(u8::from(day.month())) * 100 + i64::from(day.day())
    })
}

fn facet_collector() -> FacetCollector {
    let mut collector = FacetCollector::for_field("facets");
    for root in ["/network", "/kind", "/tag"] {
        collector.add_facet(root);
    }
    collector
}

/// The facets of some documents, each with how many of them have it.
fn facets_of(searcher: &Searcher, documents: &[DocAddress]) -> tantivy::Result<Vec<(Facet, u64)>> {
    let mut ords: HashMap<(u32, u64), u64> = HashMap::new();
    let mut readers = HashMap::new();
    for address in documents {
        let reader = match readers.entry(address.segment_ord) {
            std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
            std::collections::hash_map::Entry::Vacant(entry) => {
                entry.insert(searcher.segment_reader(address.segment_ord).facet_reader("facets")?)
            }
        };
        for ord in reader.facet_ords(address.doc_id) {
            *ords.entry((address.segment_ord, ord)).or_default() += 1;
        }
    }
    let mut counts: BTreeMap<Facet, u64> = BTreeMap::new();
    for ((segment, ord), count) in ords {
        let mut facet = Facet::root();
        readers[&segment].facet_from_ord(ord, &mut facet)?;
        *counts.entry(facet).or_default() += count;
    }
    Ok(counts.into_iter().collect())
}

fn facets(counts: impl IntoIterator<Item = (Facet, u64)>, counted_over: Option<u64>) -> Facets {
    let mut facets = Facets { counted_over, ..Facets::default() };
    for (facet, count) in counts {
        let path = facet.to_path();
        let [root, value] = path.as_slice() else { continue };
        let (list, value, label) = match *root {
            "network" => match value.split_once(NETWORK_NAME_SEPARATOR) {
                Some((id, name)) => (&mut facets.network, id.to_owned(), name.to_owned()),
                None => (&mut facets.network, value.to_string(), value.to_string()),
            },
            "kind" => {
                let label =
                    Kind::parse(value).map_or_else(|| value.to_string(), |kind| kind.label_fr().to_owned());
                (&mut facets.kind, value.to_string(), label)
            }
            "tag" => (&mut facets.tag, value.to_string(), value.to_string()),
            _ => continue,
        };
        list.push(FacetCount { value, label, count });
    }
    for list in [&mut facets.network, &mut facets.kind, &mut facets.tag] {
        list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    }
    facets.tag.truncate(MAX_TAG_FACETS);
    facets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_word_is_being_typed_unless_followed_by_a_space() {
        let words = query_words("Gouvernance de la part");
        let plains: Vec<_> = words.iter().map(|word| word.plain.as_str()).collect();
        assert_eq!(plains, ["gouvernance", "de", "la", "part"]);
        assert!(words[3].typing && !words[0].typing);
        assert_eq!(words[1].stem, None, "stop word");
        assert!(!query_words("part ").last().unwrap().typing);
    }

    #[test]
    fn hostile_queries_make_no_words_or_few() {
        assert!(query_words("\"*:()[]{}^~!-+/\\").is_empty());
        assert_eq!(query_words(&"mot ".repeat(100)).len(), MAX_QUERY_WORDS);
    }

    #[test]
    fn dates_become_sortable_keys() {
        assert_eq!(date_key(Some("2024-03-05T10:00:00Z")), 20240305);
        assert_eq!(date_key(Some("bientôt")), 0);
        assert_eq!(date_key(None), 0);
    }

    #[test]
    fn snippets_are_text_with_the_words_located() {
        let (_, fields) = Fields::schema();
        let words = query_words("script ");
        let terms = words.iter().filter_map(|w| w.stem.clone()).map(|s| (s, 1.0)).collect();
        let summary = SnippetGenerator::new(terms, analysis::stemmed_analyzer(), fields.summary, 100);
        let body = SnippetGenerator::new(BTreeMap::new(), analysis::stemmed_analyzer(), fields.body, 100);
        let text = "<script>alert(1)</script> un script";
        let (snippet, highlights) = snippet(Some(&summary), Some(&body), text, || None);
        assert_eq!(snippet, text, "plain text, never escaped or marked up");
        let marked: Vec<&str> =
            highlights.iter().map(|h| &snippet[h.start as usize..h.end as usize]).collect();
        assert_eq!(marked, ["script", "script", "script"]);
        assert_eq!(plain_snippet("<b>"), "<b>");
    }
}

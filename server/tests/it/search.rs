//! Search over the real multiBàO data: relevance of French queries as people type them, facets
//! and filters, hostile queries through HTTP, and the index staying in step with the database.

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::http::StatusCode;
use bao_contract::{Kind, Problem, SearchResults};
use bao_server::search::{SearchIndex, SearchRequest};
use bao_server::store::Database;
use bao_server::{AppState, app};

const ALL_REPOSITORIES: [&str; 3] =
    ["lilianricaud-travail-en-reseau", "onpassealacte-videos_initiatives", "multibao-contributions"];

fn real_index() -> (tempfile::TempDir, Database, SearchIndex) {
    let (dir, db) = common::temp_db();
    for folder in ALL_REPOSITORIES {
        common::import(&db, folder);
    }
    let index = common::search_index(&dir, &db);
    (dir, db, index)
}

fn search(index: &SearchIndex, q: &str) -> SearchResults {
    index.search(&SearchRequest { q: q.into(), limit: 5, ..SearchRequest::default() }).unwrap()
}

/// Each query, the resource a visitor typing it is after, and what the query exercises.
const RELEVANCE: &[(&str, &str, &str)] = &[
    ("gouvernance partagee", "multibao-gouvernance-par-cercle", "accent dropped"),
    ("reunion en marchant", "lilianricaud-reunion-en-marchant", "accent dropped, stop word"),
    ("decision par consentement", "multibao-decision-par-consentement", "accent dropped"),
    ("theatre forum", "multibao-theatre-forum", "accent dropped"),
    ("meteo interieure", "multibao-meteo-interieure", "accents dropped"),
    ("debat mouvant", "multibao-debat-mouvant", "accent dropped"),
    ("vote pondere", "multibao-vote-pondere", "accent dropped"),
    ("cartographies", "multibao-cartographie-communautaire", "plural"),
    ("retrospectives agiles", "lilianricaud-retrospective-agile", "plurals"),
    ("fablab", "multibao-fablab", "singular of a plural title"),
    ("energiseurs", "lilianricaud-energiseurs-grand-groupe-amphi", "plural"),
    ("indicateurs de cooperation", "lilianricaud-indicateurs-de-cooperation", "stop word"),
    ("l'investigation appreciative", "multibao-investigation-appreciative", "elision with '"),
    ("l’élagage", "lilianricaud-elagage", "elision with ’"),
    ("d'écriture", "multibao-sprint-ecriture", "elision"),
    ("sociocratei", "multibao-sociocratie", "typo: swapped letters"),
    ("facilitation grapique", "multibao-facilitation-graphique", "typo: missing letter"),
    ("brainstormnig", "multibao-brain-storming", "typo: swapped letters"),
    ("chamallow", "lilianricaud-defi-chamalow", "typo: extra letter"),
    ("participant·e·s réunion", "multibao-meteo-interieure", "inclusive spelling in the query"),
    ("chacun besoins objection", "lilianricaud-accords-de-groupe", "inclusive spelling in the text"),
    ("accords participant·e·s", "lilianricaud-accords-de-groupe", "inclusive on both sides"),
    ("facilitateur·rice·s", "multibao-gestes-facilitateurs", "inclusive spelling, plural"),
    ("holacrat", "onpassealacte-holacratie-creation", "word being typed"),
    ("sociocr", "multibao-sociocratie", "word being typed"),
    ("voiture partag", "onpassealacte-voiture-partagee", "word being typed after a whole word"),
    ("colocation senior etudiant", "onpassealacte-coloc-intergenerationnelle", "testimony"),
    ("cantine ecole anciens", "onpassealacte-cantine-scolaire-et-personnes-agees", "testimony"),
    ("logiciels libres", "onpassealacte-promouvoir-logiciels-libres", "testimony, plurals"),
    ("botanique", "onpassealacte-reseau-francophone-de-la-botanique", "testimony"),
    ("syndicales", "onpassealacte-holacratie-creation", "only in a testimony's body"),
    ("itinérances", "lilianricaud-recherche-action-itinerante", "only in the body"),
    ("monnaie", "multibao-jardin-echange-universel", "only in the summary"),
    ("5 doigts", "multibao-vote-cinq-doigts", "digit"),
    ("six chapeaux", "multibao-six-chapeaux", "title"),
    ("brise glace", "lilianricaud-brise-glace-kanak", "title"),
    ("Saillans", "lilianricaud-gouvernance-participative-saillans", "proper noun"),
    ("constitution citoyenne", "multibao-constitution-citoyenne", "title"),
    ("personas", "lilianricaud-methode-des-personas", "title"),
];

#[test]
#[ignore = "real data"]
fn french_queries_find_the_expected_resource_in_the_top_five() {
    skip_without_real_data!();
    let (_dir, _db, index) = real_index();
    let mut failures = Vec::new();
    for (q, expected, exercises) in RELEVANCE {
        let ids: Vec<String> = search(&index, q).items.into_iter().map(|hit| hit.resource.id).collect();
        if !ids.iter().any(|id| id == expected) {
            failures.push(format!("{q:?} ({exercises}): expected {expected}, got {ids:?}"));
        }
    }
    assert!(RELEVANCE.len() >= 30);
    assert!(
        failures.is_empty(),
        "{} of {} queries missed:\n{}",
        failures.len(),
        RELEVANCE.len(),
        failures.join("\n")
    );
}

#[test]
#[ignore = "real data"]
fn snippets_locate_the_words_and_facets_count_the_matches() {
    skip_without_real_data!();
    let (_dir, _db, index) = real_index();
    let results = search(&index, "gouvernance");
    assert!(results.total >= 4);
    let hit = &results.items[0];
    let marked: Vec<&str> =
        hit.snippet_runs().into_iter().filter(|(marked, _)| *marked).map(|(_, text)| text).collect();
    assert!(!marked.is_empty(), "{hit:?}");
    assert!(marked.iter().all(|word| word.to_lowercase().starts_with("gouvern")), "{marked:?}");
    assert!(!hit.snippet.contains("&lt;") && !hit.snippet.contains("&amp;"), "plain text: {}", hit.snippet);
    assert!(hit.resource.body_html.is_none(), "hits are list forms");

    let kind_total: u64 = results.facets.kind.iter().map(|facet| facet.count).sum();
    assert_eq!(kind_total, results.total, "each resource has one kind");
    let network_total: u64 = results.facets.network.iter().map(|facet| facet.count).sum();
    assert_eq!(network_total, results.total);
    assert!(results.facets.kind.iter().any(|facet| facet.value == "video" && facet.label == "Vidéo"));
    let counts: Vec<u64> = results.facets.network.iter().map(|facet| facet.count).collect();
    assert!(counts.windows(2).all(|pair| pair[0] >= pair[1]), "most frequent first: {counts:?}");
    assert_eq!(results.facets.counted_over, None, "a narrow search counts all its matches");

    // One typo (two letters swapped) finds what the word finds, in the bodies too.
    let typed = search(&index, "reunoin").total;
    let right = search(&index, "réunion").total;
    assert!(typed * 10 >= right * 9, "« reunoin » finds {typed}, « réunion » {right}");
}

#[test]
fn a_broad_prefix_counts_its_facets_over_its_best_matches_and_says_so() {
    let (dir, db) = common::temp_db();
    let fiches: Vec<_> = (0..1500)
        .map(|n| common::fiche(&format!("coop-{n}"), &format!("Coopérative {n}"), "Une coopération."))
        .collect();
    common::store(&db, &fiches);
    let index = common::search_index(&dir, &db);

    let broad = search(&index, "coop");
    assert_eq!(broad.total, 1500);
    let over = broad.facets.counted_over.expect("counted over the best matches");
    assert!(over < broad.total && over >= 5, "counted over {over}");
    assert_eq!(broad.facets.kind.iter().map(|facet| facet.count).sum::<u64>(), over);
    assert_eq!(broad.facets.network[0].count, over, "{:?}", broad.facets.network);

    let exact = search(&index, "");
    assert_eq!(exact.facets.counted_over, None, "browsing counts everything");
    assert_eq!(exact.facets.kind[0].count, 1500);
}

#[test]
#[ignore = "real data"]
fn filters_narrow_and_an_empty_query_lists_the_most_recent() {
    skip_without_real_data!();
    let (_dir, _db, index) = real_index();
    let videos = index
        .search(&SearchRequest {
            q: "habitat".into(),
            kind: Some(Kind::Video),
            limit: 50,
            ..SearchRequest::default()
        })
        .unwrap();
    assert!(videos.total >= 3);
    assert!(videos.items.iter().all(|hit| hit.resource.kind == Kind::Video));
    assert_eq!(videos.facets.kind.len(), 1);

    let network = index
        .search(&SearchRequest {
            network: Some("onpassealacte".into()),
            limit: 100,
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!(network.total, 31);
    assert!(network.items.iter().all(|hit| hit.resource.network.id == "onpassealacte"));
    let dates: Vec<&str> =
        network.items.iter().map(|hit| hit.resource.updated.as_deref().unwrap_or("")).collect();
    assert!(dates.windows(2).all(|pair| pair[0] >= pair[1]), "most recent first: {dates:?}");

    let by_licence = index
        .search(&SearchRequest {
            licence: Some("cc-by-sa-4.0".into()),
            limit: 100,
            ..SearchRequest::default()
        })
        .unwrap();
    assert!(by_licence.total > 0 && by_licence.total < 238, "{}", by_licence.total);
    assert!(by_licence.items.iter().all(|hit| hit.resource.licence.spdx.as_deref() == Some("CC-BY-SA-4.0")));

    let none = index
        .search(&SearchRequest {
            q: "gouvernance".into(),
            tag: Some("no-such-tag".into()),
            limit: 5,
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!(none.total, 0);
    assert!(none.items.is_empty());
}

#[test]
#[ignore = "real data"]
fn the_index_follows_the_database_and_is_never_seen_half_built() {
    skip_without_real_data!();
    let (dir, db) = common::temp_db();
    common::import(&db, "onpassealacte-videos_initiatives");
    let index = SearchIndex::open(&dir.path().join("test.search")).unwrap();
    assert_eq!(
        index.ensure_in_step(&db).unwrap().map(|stats| stats.documents),
        Some(31),
        "built when missing"
    );
    assert_eq!(index.ensure_in_step(&db).unwrap(), None, "in step: nothing to do");

    common::import(&db, "lilianricaud-travail-en-reseau");
    let before = search(&index, "").total;
    assert_eq!(before, 31);
    // Searches while the index is rebuilt see all of the old content or all of the new. The
    // threads are not scoped, and the wait has a deadline: a rebuild that fails or never ends
    // fails this test with its reason instead of leaving a reader spinning and CI waiting.
    let done = Arc::new(AtomicBool::new(false));
    let reader = std::thread::spawn({
        let (index, done) = (index.clone(), done.clone());
        move || {
            let mut totals = std::collections::BTreeSet::new();
            while !done.load(Ordering::Relaxed) {
                totals.insert(search(&index, "").total);
            }
            totals
        }
    });
    let (rebuilt, rebuilds) = std::sync::mpsc::channel();
    std::thread::spawn({
        let (index, db) = (index.clone(), db.clone());
        move || rebuilt.send((0..3).try_for_each(|_| index.rebuild(&db).map(drop)))
    });
    let outcome = rebuilds.recv_timeout(Duration::from_secs(120));
    done.store(true, Ordering::Relaxed);
    outcome.expect("three rebuilds of 143 resources end within two minutes").unwrap();
    let totals = reader.join().unwrap();
    assert!(totals.iter().all(|total| [31, 143].contains(total)), "{totals:?}");
    assert_eq!(search(&index, "").total, 143);
    // Reopening an index in step rebuilds nothing.
    let reopened = SearchIndex::open(&dir.path().join("test.search")).unwrap();
    assert_eq!(reopened.ensure_in_step(&db).unwrap(), None);
}

async fn get(router: &axum::Router, uri: &str) -> (StatusCode, Vec<u8>) {
    let (status, _, body) = common::get_bytes_with(router, uri, &[]).await;
    (status, body)
}

fn percent_encode(text: &str) -> String {
    text.bytes().map(|byte| format!("%{byte:02X}")).collect()
}

/// A small deterministic generator, so that a failing hostile string can be replayed.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[tokio::test]
#[ignore = "real data"]
async fn hostile_queries_never_fail_the_server() {
    skip_without_real_data!();
    let (dir, db, search) = real_index();
    let router = app(AppState::new(db, search));
    let mut queries: Vec<String> = [
        "\"",
        "\"gouvernance",
        "title:gouvernance",
        "*",
        "gouv*",
        "?",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "[a TO z]",
        "a AND OR NOT b",
        "-",
        "+",
        "~",
        "gouvernance~2",
        "^",
        "\\",
        "/",
        "//",
        ":",
        "::",
        "'",
        "’’’",
        "l'",
        "qu’",
        "·e·s",
        "<script>alert(1)</script>",
        "%",
        "&",
        "\u{0}",
        "\u{feff}",
        "🙂🙂",
        "ﷺ",
        "\u{202e}gouvernance",
        "é".repeat(60).as_str(),
        "a".repeat(500).as_str(),
        "  ",
        "\t\n",
    ]
    .iter()
    .map(|query| query.to_string())
    .collect();
    let alphabet: Vec<char> = "aeéèçœ'’·.:*?~^\"()[]{}<>/\\-+!&|% \t0🙂ß\u{301}\u{200b}".chars().collect();
    let mut random = XorShift(0x5eed_cafe);
    for _ in 0..300 {
        let length = (random.next() % 40) as usize;
        queries
            .push((0..length).map(|_| alphabet[(random.next() % alphabet.len() as u64) as usize]).collect());
    }
    for query in &queries {
        let uri = format!("/api/v1/search?q={}", percent_encode(query));
        let (status, body) = get(&router, &uri).await;
        assert_eq!(status, StatusCode::OK, "{query:?}: {}", String::from_utf8_lossy(&body));
        let results: SearchResults = serde_json::from_slice(&body).unwrap();
        for hit in results.items {
            let runs: String = hit.snippet_runs().into_iter().map(|(_, text)| text).collect();
            assert_eq!(runs, hit.snippet, "{query:?}: highlights fall inside the snippet");
        }
    }
    // Bytes that are not UTF-8 are read as replacement characters: no word, so the newest.
    let (status, body) = get(&router, "/api/v1/search?q=%FF%FE&limit=3").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(serde_json::from_slice::<SearchResults>(&body).unwrap().items.len(), 3);
    // Refused with a clear problem, never a 500.
    for (uri, expected_detail) in [
        (format!("/api/v1/search?q={}", "a".repeat(10_000)), "500 caractères"),
        ("/api/v1/search?q=a&limit=0".to_owned(), "limit"),
        ("/api/v1/search?q=a&kind=poeme".to_owned(), "kind"),
        ("/api/v1/search?q=a&cursor=%%%".to_owned(), ""),
        ("/api/v1/search?q=a&cursor=bm9wZQ".to_owned(), "cursor"),
    ] {
        let (status, body) = get(&router, &uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {}", String::from_utf8_lossy(&body));
        let problem: Problem = serde_json::from_slice(&body).unwrap();
        assert!(problem.detail.unwrap_or_default().contains(expected_detail), "{uri}");
    }
    drop(dir);
}

#[tokio::test]
#[ignore = "real data"]
async fn pages_of_a_search_follow_each_other_without_overlap() {
    skip_without_real_data!();
    let (_dir, db, search) = real_index();
    let router = app(AppState::new(db, search));
    let mut uri = "/api/v1/search?q=groupe&limit=7".to_owned();
    let mut seen = Vec::new();
    let mut total = None;
    loop {
        let (status, body) = get(&router, &uri).await;
        assert_eq!(status, StatusCode::OK);
        let page: SearchResults = serde_json::from_slice(&body).unwrap();
        total.get_or_insert(page.total);
        seen.extend(page.items.into_iter().map(|hit| hit.resource.id));
        match page.next_cursor {
            Some(cursor) => uri = format!("/api/v1/search?q=groupe&limit=7&cursor={cursor}"),
            None => break,
        }
    }
    let unique: std::collections::BTreeSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no resource twice");
    assert_eq!(seen.len() as u64, total.unwrap());
    assert!(seen.len() > 7, "more than one page");
}

/// Each file of the index whose name ends with `extension`, changed by `change`.
fn damage_files(index_dir: &std::path::Path, extension: &str, change: impl Fn(&mut Vec<u8>)) {
    for entry in std::fs::read_dir(index_dir).unwrap().flatten() {
        let path = entry.path();
        if path.to_string_lossy().ends_with(extension) {
            let mut bytes = std::fs::read(&path).unwrap();
            change(&mut bytes);
            replace(&path, &bytes);
        }
    }
}

/// Replaces the file at `path` by `bytes`, as damage done between two runs of the server leaves
/// it: a new file under the old name. (Rewritten in place, a file that the last index's merging
/// threads may still have mapped would make them read past its end: SIGBUS, the whole test binary
/// killed.)
fn replace(path: &std::path::Path, bytes: &[u8]) {
    let temporary = path.with_extension("damaged");
    std::fs::write(&temporary, bytes).unwrap();
    std::fs::rename(&temporary, path).unwrap();
}

#[test]
fn a_damaged_index_is_started_afresh_and_rebuilt_from_the_database() {
    let (dir, db) = common::temp_db();
    common::import(&db, "exemples-fiches");
    let path = dir.path().join("test.search");
    let build = || {
        let index = SearchIndex::open(&path).unwrap();
        index.ensure_in_step(&db).unwrap();
        (search(&index, "").total, search(&index, "cercle").total)
    };
    let expected = build();
    assert!(expected.0 > 0 && expected.1 > 0);
    type Damage = fn(&std::path::Path);
    let damages: &[(&str, Damage)] = &[
        ("meta.json of garbage", |dir| replace(&dir.join("meta.json"), b"{pas du json")),
        ("meta.json empty", |dir| replace(&dir.join("meta.json"), b"")),
        ("meta.json deleted", |dir| std::fs::remove_file(dir.join("meta.json")).unwrap()),
        (".idx truncated", |dir| damage_files(dir, ".idx", |bytes| bytes.truncate(bytes.len() / 2))),
        (".store flipped", |dir| {
            damage_files(dir, ".store", |bytes| {
                let middle = bytes.len() / 2;
                bytes[middle] ^= 0xFF;
            })
        }),
        (".term emptied", |dir| damage_files(dir, ".term", Vec::clear)),
        ("a segment's files deleted", |dir| {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                if entry
                    .path()
                    .extension()
                    .is_some_and(|extension| extension == "pos" || extension == "fieldnorm")
                {
                    std::fs::remove_file(entry.path()).unwrap();
                }
            }
        }),
        ("the folder replaced by a file", |dir| {
            std::fs::remove_dir_all(dir).unwrap();
            std::fs::write(dir, "pas un dossier").unwrap();
        }),
    ];
    for (name, damage) in damages {
        build();
        damage(&path);
        let index = SearchIndex::open(&path).unwrap_or_else(|error| panic!("{name}: {error}"));
        index.ensure_in_step(&db).unwrap_or_else(|error| panic!("{name}: {error}"));
        assert_eq!((search(&index, "").total, search(&index, "cercle").total), expected, "{name}");
    }
}

/// A query asked between a sync's commit and the index's reload was kept with the old index's
/// answer until the next change (a withdrawn fiche stayed the first result 20–65 s): answers are
/// kept under the searcher they were computed on.
#[tokio::test]
async fn no_answer_of_the_index_before_a_sync_outlives_its_reload() {
    let (dir, db) = common::temp_db();
    common::store(&db, &[common::fiche("cercle", "Le cercle de parole", "Parler chacun son tour.")]);
    let search = common::search_index(&dir, &db);
    let router = app(AppState::new(db.clone(), search.clone()));
    let found = |body: Vec<u8>| serde_json::from_slice::<SearchResults>(&body).unwrap().total;
    assert_eq!(get(&router, "/api/v1/search?q=cercle").await.0, StatusCode::OK);
    // The sync withdraws the fiche and commits; a client asks before the index reloads.
    common::store(&db, &[common::fiche("autre", "Une autre fiche", "Tout autre chose.")]);
    let (_, stale) = get(&router, "/api/v1/search?q=cercle").await;
    assert_eq!(found(stale), 1, "the old index still answers");
    search.rebuild(&db).unwrap();
    let (_, fresh) = get(&router, "/api/v1/search?q=cercle").await;
    assert_eq!(found(fresh), 0, "once reloaded, the old answer is not served again");
}

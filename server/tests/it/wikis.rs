//! The wiki connectors against real wikis: a MediaWiki 1.39 and a DokuWiki installed per test with
//! pages written from the founding documents, synced, edited through the wiki, synced again; and
//! YesWiki's answers, which cannot run here (MySQL), served from fixtures shaped like its own.

use crate::common;

use std::path::{Path, PathBuf};

use crate::common::wikis;
use bao_contract::Resource;
use bao_server::sources::config::{SourceConfig, SourcesFile};
use bao_server::sources::sync::{SourceReport, SyncContext, SyncOutcome, sync_source};
use bao_server::store::{Database, Lookup, StoreOutcome};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wikis").join(name)
}

fn source(toml: &str) -> SourceConfig {
    SourcesFile::parse(toml).expect("a valid sources file").sources.remove(0)
}

fn sync(db: &Database, dir: &Path, config: &SourceConfig) -> SourceReport {
    let context = SyncContext::new(&dir.join("sources.toml"), &dir.join("test.sqlite3"));
    sync_source(db, &context, config)
}

fn stored(report: &SourceReport) -> StoreOutcome {
    match &report.outcome {
        SyncOutcome::Stored { report, .. } => report.stored.clone(),
        other => panic!("expected a stored sync, got {other:?}"),
    }
}

/// How many pages a sync took as the last one read them, without asking the wiki.
fn reused(report: &SourceReport) -> usize {
    match &report.outcome {
        SyncOutcome::Stored { report, .. } => report.reused,
        other => panic!("expected a stored sync, got {other:?}"),
    }
}

/// Syncs again, with nothing changed in the wiki: nothing is read beyond the listing.
fn assert_unchanged(db: &Database, dir: &Path, config: &SourceConfig) {
    let again = sync(db, dir, config);
    assert!(matches!(again.outcome, SyncOutcome::Unchanged { .. }), "nothing changed in the wiki: {again}");
}

/// An answer of YesWiki's API, as `tests/fixtures/wikis/yeswiki/` keeps it.
fn yeswiki_answer(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(fixture(&format!("yeswiki/{name}"))).expect("fixture");
    serde_json::from_str(&text).expect("fixture JSON")
}

/// The edit page a resource offers ("Proposer une amélioration"), its answer from the real wiki
/// holding the editor's text area (`marker`), and the quality report of its source offering it too.
fn assert_edit_page(db: &Database, config: &SourceConfig, id: &str, suffix: &str, marker: &str) {
    let resource = resource(db, id);
    let edit = resource.sources[0].edit_url.clone().expect("an edit page");
    assert!(edit.ends_with(suffix), "{edit}");
    let page = ureq::get(&edit).call().expect("the wiki answers").into_body().read_to_string().expect("text");
    assert!(page.contains(marker), "{edit}: {page:.400}");
    let report =
        db.source_quality(&config.id, config.network.reference()).expect("database").expect("synced");
    assert_eq!(report.resource_count, 2);
    assert!(
        report.items.iter().all(|item| item.edit_url.as_deref().is_some_and(|url| url.ends_with(suffix)))
    );
}

fn resource(db: &Database, id: &str) -> Resource {
    db.resource(id).expect("database").unwrap_or_else(|| panic!("no resource {id}"))
}

#[test]
fn mediawiki_pages_of_a_category_become_resources_and_follow_the_wiki() {
    let Some(wiki) = wikis::MediaWiki::start() else { return };
    wiki.import(&fixture("wiki-brest.xml"));
    let (dir, db) = common::temp_db();
    let config = source(&wiki.source());

    let first = sync(&db, dir.path(), &config);
    let outcome = stored(&first);
    assert_eq!(outcome.created, 2, "the two pages of the category, not the agenda: {first}");

    let page = resource(&db, "wiki-brest-territoires-et-cooperations");
    assert_eq!(page.title, "Territoires et coopérations");
    assert_eq!(page.source_url, Some(format!("{}/index.php/Territoires_et_coop%C3%A9rations", wiki.base)));
    assert_eq!(page.authors, ["Briand"], "the importer's `imported>` prefix is not a name");
    assert_eq!(page.updated.as_deref(), Some("2012-05-03"));
    assert_eq!(page.tags, ["Coopération"], "categories as tags, without the one that selects the fiches");
    assert_eq!(page.licence.label, "CC BY-SA 4.0", "the wiki's licence: {:?}", page.licence);
    assert_eq!(page.network.name, "Wiki-Brest");
    assert!(
        page.summary.starts_with("Coopération et territoire Retour sur les pratiques"),
        "{}",
        page.summary
    );
    let body = page.body_html.as_deref().unwrap_or_default();
    assert!(
        body.contains("<h2><span></span><span>Politique publique «&nbsp;multimédia"),
        "the wiki's HTML: {body}"
    );
    assert!(
        body.contains(&format!(r#"href="{}/index.php/Faire_avec""#, wiki.base)),
        "links made absolute: {body}"
    );
    assert!(
        body.contains("Outiller les acteurs") && !body.contains("redlink"),
        "a missing page is not a link: {body}"
    );
    assert!(!body.contains("<script") && !body.contains("javascript:alert(1)\""), "{body}");
    assert!(db.resource("wiki-brest-agenda-des-rencontres").expect("database").is_none());
    assert_edit_page(&db, &config, "wiki-brest-territoires-et-cooperations", "?action=edit", "wpTextbox1");

    assert_unchanged(&db, dir.path(), &config);

    // An edit through the wiki: a new author, a new category, a new date.
    let edited = wiki
        .text("Faire avec")
        .replace("[[Catégorie:Fiches]]", "[[Catégorie:Fiches]]\n[[Catégorie:Méthode]]");
    wiki.edit("Faire avec", &format!("{edited}\n\nComplété lors de la rencontre de novembre."), "Michel");
    let after_edit = sync(&db, dir.path(), &config);
    assert_eq!((stored(&after_edit).updated, stored(&after_edit).unchanged), (1, 1), "{after_edit}");
    assert_eq!(reused(&after_edit), 1, "the page not edited is not asked again: {after_edit}");
    let page = resource(&db, "wiki-brest-faire-avec");
    assert_eq!(page.authors, ["Briand", "Michel"], "everyone who wrote it, the first author first");
    assert_eq!(page.tags, ["Méthode"]);
    assert!(page.body_html.unwrap_or_default().contains("rencontre de novembre"));
    assert_ne!(page.updated.as_deref(), Some("2012-05-04"));

    // Taken out of the category: withdrawn, and its id says so.
    wiki.edit("Faire avec", &edited.replace("[[Catégorie:Fiches]]", ""), "Michel");
    let after_removal = sync(&db, dir.path(), &config);
    assert_eq!(stored(&after_removal).withdrawn, 1, "{after_removal}");
    assert!(matches!(db.lookup("wiki-brest-faire-avec").expect("database"), Lookup::Withdrawn { .. }));
}

#[test]
fn dokuwiki_pages_of_a_namespace_become_resources_and_follow_the_wiki() {
    let Some(wiki) = wikis::DokuWiki::start() else { return };
    wiki.put_folder(&fixture("savoirs-communs"), "floriane");
    let (dir, db) = common::temp_db();
    let config = source(&wiki.source());

    let first = sync(&db, dir.path(), &config);
    assert_eq!(stored(&first).created, 2, "the two pages of the namespace, not the home page: {first}");

    let page = resource(&db, "savoirs-communs-le-dispositif-savoirs-communs");
    assert_eq!(page.title, "Le dispositif Savoirs Communs", "the first heading");
    assert_eq!(page.source_url, Some(format!("{}doku.php?id=fiches%3Adispositif", wiki.base)));
    assert_eq!(page.authors, ["floriane"]);
    assert_eq!(page.licence.label, "CC BY-SA 4.0", "the wiki's licence: {:?}", page.licence);
    assert!(
        page.summary.starts_with("Le dispositif Savoirs Communs vise à faire coopérer"),
        "{}",
        page.summary
    );
    let body = page.body_html.as_deref().unwrap_or_default();
    assert!(!body.contains("<h1"), "the title is not repeated in the body: {body}");
    assert!(body.contains("Un dispositif en 3 actions</h2>"), "{body}");
    assert!(
        body.contains(&format!(r#"href="{}doku.php?id=fiches:ateliers""#, wiki.base)),
        "links made absolute: {body}"
    );
    assert!(
        body.contains("Wiki Savoirs Communs") && !body.contains("fiches:accueil"),
        "a missing page is not a link: {body}"
    );
    assert!(!body.contains("<script") && !body.contains("href=\"javascript"), "{body}");
    assert_edit_page(&db, &config, "savoirs-communs-le-dispositif-savoirs-communs", "&do=edit", "wiki__text");

    assert_unchanged(&db, dir.path(), &config);

    // DokuWiki's revisions are seconds: an edit in the same second as the page's creation would
    // replace it rather than follow it.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let edited = format!(
        "{}\nComplété lors de la rencontre de novembre.\n",
        std::fs::read_to_string(fixture("savoirs-communs/fiches/dispositif.txt")).expect("fixture")
    );
    wiki.put("fiches:dispositif", &edited, "michel");
    let after_edit = sync(&db, dir.path(), &config);
    assert_eq!((stored(&after_edit).updated, stored(&after_edit).unchanged), (1, 1), "{after_edit}");
    assert_eq!(reused(&after_edit), 1, "the page not edited is not asked again: {after_edit}");
    let page = resource(&db, "savoirs-communs-le-dispositif-savoirs-communs");
    assert_eq!(page.authors, ["floriane", "michel"], "everyone who wrote it, the first author first");
    assert!(page.body_html.unwrap_or_default().contains("rencontre de novembre"));

    // A page saved empty is deleted by DokuWiki: withdrawn here.
    wiki.put("fiches:ateliers", "", "michel");
    let after_removal = sync(&db, dir.path(), &config);
    assert_eq!(stored(&after_removal).withdrawn, 1, "{after_removal}");
    assert!(matches!(
        db.lookup("savoirs-communs-ateliers-savoirs-communs").expect("database"),
        Lookup::Withdrawn { .. }
    ));
}

/// Asserts that two reads of the same wiki give the same fiches: ids, titles, addresses,
/// authors, dates, tags and summaries; `licence` too when both read it from the wiki.
fn assert_same_fiches(through_api: &Database, other: &Database, ids: &[&str], same_licence: bool) {
    for id in ids {
        let (expected, read) = (resource(through_api, id), resource(other, id));
        assert_eq!(
            (&read.title, &read.source_url, &read.authors, &read.updated, &read.tags),
            (&expected.title, &expected.source_url, &expected.authors, &expected.updated, &expected.tags),
            "{id}"
        );
        let words = |summary: &str| summary.split_whitespace().take(8).collect::<Vec<_>>().join(" ");
        assert_eq!(words(&read.summary), words(&expected.summary), "{id}");
        if same_licence {
            assert_eq!(read.licence.label, expected.licence.label, "{id}");
        }
    }
}

#[test]
fn a_mediawiki_export_gives_the_fiches_its_api_gives() {
    let Some(wiki) = wikis::MediaWiki::start() else { return };
    wiki.import(&fixture("wiki-brest.xml"));
    let edited = wiki
        .text("Faire avec")
        .replace("[[Catégorie:Fiches]]", "[[Catégorie:Fiches]]\n[[Catégorie:Méthode]]");
    wiki.edit("Faire avec", &edited, "Michel");
    let (api_dir, through_api) = common::temp_db();
    stored(&sync(&through_api, api_dir.path(), &source(&wiki.source())));

    let (path, address) = wiki.export();
    for at in [path.display().to_string(), address] {
        let (dir, db) = common::temp_db();
        let config = source(&wikis::MediaWiki::source_at(&at));
        let first = sync(&db, dir.path(), &config);
        assert_eq!(stored(&first).created, 2, "{at}: the two pages of the category: {first}");
        let ids = ["wiki-brest-territoires-et-cooperations", "wiki-brest-faire-avec"];
        assert_same_fiches(&through_api, &db, &ids, false);
        let page = resource(&db, "wiki-brest-territoires-et-cooperations");
        assert_eq!(page.licence.label, "Licence non précisée", "an export names no licence");
        let body = page.body_html.as_deref().unwrap_or_default();
        assert!(body.contains("<h2>Politique publique « multimédia et internet »</h2>"), "{body}");
        assert!(
            body.contains(&format!(r#"href="{}/index.php/Faire_avec""#, wiki.base)),
            "links made absolute: {body}"
        );
        assert!(!body.contains("<script") && !body.contains("href=\"javascript"), "{body}");
        assert_eq!(resource(&db, "wiki-brest-faire-avec").authors, ["Briand", "Michel"]);
        assert_unchanged(&db, dir.path(), &config);
    }
}

#[test]
fn a_dokuwiki_folder_gives_the_fiches_its_api_gives_and_follows_the_wiki() {
    let Some(wiki) = wikis::DokuWiki::start() else { return };
    wiki.put_folder(&fixture("savoirs-communs"), "floriane");
    let (api_dir, through_api) = common::temp_db();
    stored(&sync(&through_api, api_dir.path(), &source(&wiki.source())));
    let (dir, db) = common::temp_db();
    let config = source(&wiki.folder_source());

    let first = sync(&db, dir.path(), &config);
    assert_eq!(stored(&first).created, 2, "the two pages of the namespace, not the home page: {first}");
    let ids = ["savoirs-communs-le-dispositif-savoirs-communs", "savoirs-communs-ateliers-savoirs-communs"];
    assert_same_fiches(&through_api, &db, &ids, true);
    let body = resource(&db, ids[0]).body_html.unwrap_or_default();
    assert!(!body.contains("<h1"), "the title is not repeated in the body: {body}");
    assert!(body.contains("Un dispositif en 3 actions</h2>"), "{body}");
    assert!(body.contains(&format!(r#"href="{}doku.php?id=fiches%3Aateliers""#, wiki.base)), "{body}");
    assert!(
        body.contains("Wiki Savoirs Communs") && !body.contains("fiches%3Aaccueil"),
        "a missing page is not a link: {body}"
    );
    assert!(!body.contains("<script") && !body.contains("href=\"javascript"), "{body}");
    assert_unchanged(&db, dir.path(), &config);

    std::thread::sleep(std::time::Duration::from_millis(1100));
    wiki.put("fiches:dispositif", "====== Le dispositif Savoirs Communs ======\nRéécrit lors de la rencontre de novembre, pour les associations du territoire qui veulent coopérer : chacune y trouve des outils, des contacts et des idées.\n", "michel");
    let after_edit = sync(&db, dir.path(), &config);
    assert_eq!((stored(&after_edit).updated, stored(&after_edit).unchanged), (1, 1), "{after_edit}");
    let page = resource(&db, ids[0]);
    assert_eq!(page.authors, ["floriane", "michel"], "everyone who wrote it, the first author first");
    assert!(page.summary.starts_with("Réécrit lors de la rencontre"), "{}", page.summary);
}

#[test]
fn yeswiki_entries_of_a_form_become_resources_and_follow_the_wiki() {
    let wiki = wikis::YesWikiAnswers::start(
        "4",
        yeswiki_answer("form-4.json"),
        yeswiki_answer("entries-4.json"),
        true,
    );
    let (dir, db) = common::temp_db();
    let config = source(&wiki.source());

    let first = sync(&db, dir.path(), &config);
    assert_eq!(stored(&first).created, 3, "{first}");

    let entry = resource(&db, "animacoop-developpement-de-projets-collectifs");
    assert_eq!(entry.source_url, Some(format!("{}?DeveloppementDeProjetsCollectifs", wiki.base)));
    assert_eq!(entry.authors, ["Animacoop", "Tela Botanica"], "bf_auteur");
    assert_eq!(
        entry.tags,
        ["Expérience inspirante", "Méthodologie / guide"],
        "checkbox keys by their labels"
    );
    assert_eq!(entry.updated.as_deref(), Some("2024-03-12"));
    assert_eq!(entry.licence.label, "CC BY-SA 4.0", "YesWiki says none: the source's");
    assert_eq!(
        entry.image.as_ref().map(|image| image.url.as_str()),
        Some(format!("{}files/DeveloppementDeProjetsCollectifs_atelier.jpg", wiki.base).as_str())
    );
    assert!(entry.summary.starts_with("Travailler en collectif"), "{}", entry.summary);
    let body = entry.body_html.as_deref().unwrap_or_default();
    assert!(body.contains("<strong>gouvernance</strong>") && !body.contains("BAZ_fiche_titre"), "{body}");
    assert!(!body.contains("javascript:") && !body.contains("onerror"), "{body}");
    let framasoft = resource(&db, "animacoop-framasoft");
    assert_eq!(framasoft.authors, ["AdminYeswiki"], "the entry's owner when the form names no author");
    assert_eq!(framasoft.tags, ["Partenaire ressource"]);

    assert_unchanged(&db, dir.path(), &config);

    wiki.edit(|entries| {
        let entry = &mut entries["FramasofT"];
        entry["date_maj_fiche"] = "2026-11-20 10:00:00".into();
        entry["html_output"] = entry["html_output"]
            .as_str()
            .unwrap_or_default()
            .replace("vous !", "vous ! Dégooglisons Internet.")
            .into();
        entries.as_object_mut().expect("entries").remove("YeswikiLeSiteOfficiel");
    });
    let after_edit = sync(&db, dir.path(), &config);
    let outcome = stored(&after_edit);
    assert_eq!((outcome.updated, outcome.unchanged, outcome.withdrawn), (1, 1, 1), "{after_edit}");
    assert!(resource(&db, "animacoop-framasoft").body_html.unwrap_or_default().contains("Dégooglisons"));

    // An answer past the size limit is not read at all: the entries stay as they were.
    wiki.edit(|entries| {
        let entry = &mut entries["FramasofT"];
        entry["date_maj_fiche"] = "2026-11-21 10:00:00".into();
        entry["html_output"] = "<p>trop</p>".repeat(1 << 20).into();
    });
    let oversized = sync(&db, dir.path(), &config);
    let SyncOutcome::Failed { error } = &oversized.outcome else { panic!("{oversized}") };
    assert!(error.contains("8 Mio"), "{error}");
    assert!(resource(&db, "animacoop-framasoft").body_html.unwrap_or_default().contains("Dégooglisons"));
    assert!(db.resource("animacoop-developpement-de-projets-collectifs").expect("database").is_some());
}

#[test]
fn an_older_yeswiki_without_rendered_entries_is_read_in_its_syntax() {
    let wiki = wikis::YesWikiAnswers::start(
        "4",
        yeswiki_answer("form-4.json"),
        yeswiki_answer("entries-4.json"),
        false,
    );
    let (dir, db) = common::temp_db();
    let config = source(&wiki.source());
    let first = sync(&db, dir.path(), &config);
    assert_eq!(stored(&first).created, 3, "{first}");
    let entry = resource(&db, "animacoop-developpement-de-projets-collectifs");
    let body = entry.body_html.unwrap_or_default();
    assert!(body.contains("<strong>gouvernance</strong>"), "YesWiki's **bold**: {body}");
    assert_eq!(entry.tags, ["Expérience inspirante", "Méthodologie / guide"]);
}

#[test]
fn a_wiki_that_does_not_answer_keeps_nothing_and_says_why() {
    let (dir, db) = common::temp_db();
    let config = source(
        r#"[[source]]
id = "wiki-absent"
kind = "mediawiki"
url = "http://127.0.0.1:9/api.php"
network = { id = "absent", name = "Absent" }
"#,
    );
    let report = sync(&db, dir.path(), &config);
    let SyncOutcome::Failed { error } = &report.outcome else { panic!("{report}") };
    assert!(error.contains("127.0.0.1:9") && error.contains("ne répond pas"), "{error}");
}

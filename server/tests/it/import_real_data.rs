//! The importer on the three real multiBàO repositories, as exported in shared/data (tests that
//! need them say so and skip when the data is absent).

use crate::common;

use crate::common::{import, temp_db};
use bao_contract::Kind;
use bao_server::sources::{self, multibao::MultibaoRepository, text};
use bao_server::store::ListFilter;

const FOLDERS: [&str; 3] =
    ["multibao-contributions", "onpassealacte-videos_initiatives", "lilianricaud-travail-en-reseau"];

/// A database holding the three real repositories, imported.
fn imported() -> (tempfile::TempDir, bao_server::store::Database) {
    let (dir, db) = temp_db();
    for folder in FOLDERS {
        import(&db, folder);
    }
    (dir, db)
}

fn all_resources(db: &bao_server::store::Database) -> Vec<bao_contract::Resource> {
    let mut resources = Vec::new();
    let mut after_id = None;
    loop {
        let page =
            db.list(&ListFilter { after_id: after_id.clone(), limit: 100, ..ListFilter::default() }).unwrap();
        for item in &page.items {
            resources.push(db.resource(&item.id).unwrap().unwrap());
        }
        match page.next_cursor {
            Some(next) => after_id = Some(next),
            None => return resources,
        }
    }
}

#[test]
#[ignore = "real data"]
fn imports_every_resource_file_and_skips_the_rest_with_reasons() {
    skip_without_real_data!();
    let (_dir, db) = temp_db();
    let contributions = import(&db, "multibao-contributions");
    let videos = import(&db, "onpassealacte-videos_initiatives");
    let network_work = import(&db, "lilianricaud-travail-en-reseau");

    assert_eq!(network_work.stored.created, 112);
    assert_eq!(videos.stored.created, 31);
    // `planifier_gagné.md` is there twice, its name spelt with a composed and a decomposed `é`:
    // one resource, both files listed.
    assert_eq!((contributions.stored.created, contributions.stored.merged), (80, 1));
    assert_eq!(db.resource_count().unwrap(), 112 + 31 + 80);
    assert_eq!(db.resource("multibao-planifier-gagne").unwrap().unwrap().sources.len(), 2);

    // READMEs, site pages, media pages and one empty file: skipped, each with its reason.
    let skipped: Vec<&str> = contributions.skipped.iter().map(|s| s.path.as_str()).collect();
    assert!(skipped.contains(&"pages/commencer_ici.md"), "{skipped:?}");
    // What an editor would not publish: a form and a test page, a stub, the project's own grant
    // applications (excluded by demo/sources.toml).
    let reason = |path: &str| contributions.skipped.iter().find(|s| s.path == path).map(|s| s.reason.clone());
    assert!(reason("contributions/demo_test.md").unwrap().contains("pas une fiche"));
    assert!(reason("contributions/mur_nouveaux_contributeurs.md").unwrap().contains("page d'essai"));
    assert!(reason("contributions/running_lean.md").unwrap().starts_with("ébauche"));
    assert!(reason("financements/subventions_2016/7_subventionLunt.md").unwrap().contains("exclu"));
    assert!(contributions.skipped.iter().all(|s| !s.reason.is_empty()));
    assert_eq!(videos.skipped.len(), 2);
}

#[test]
#[ignore = "real data"]
fn titles_are_resolved_and_no_placeholder_is_left_where_an_h1_exists() {
    skip_without_real_data!();
    let (_dir, db) = imported();
    for resource in all_resources(&db) {
        let title = &resource.title;
        assert!(!title.trim().is_empty(), "{} has no title", resource.id);
        let folded = text::fold(title);
        assert!(
            !folded.starts_with("contribution multibao") && folded.trim() != "contribution",
            "placeholder title left on {}",
            resource.id
        );
    }
    let budget = db.resource("multibao-budget-participatif").unwrap().expect("budget participatif");
    // `#Budget participatif citoyen` (no space) under a placeholder front matter title.
    assert_eq!(budget.title, "Budget participatif citoyen");
    assert!(budget.summary.starts_with("Démarche pérenne, souvent annuelle"), "{}", budget.summary);
    // Front matter hidden in an HTML comment.
    let levels = db.resource("lilianricaud-4-niveaux-complexite-systeme").unwrap().unwrap();
    assert_eq!(levels.title, "4 niveaux de complexité d'un système");
    assert_eq!(levels.licence.label, "CC BY-SA");
    // No front matter at all: the H1.
    assert_eq!(db.resource("lilianricaud-kanban").unwrap().unwrap().title, "KANBAN");
}

#[test]
#[ignore = "real data"]
fn licences_are_found_and_kept() {
    skip_without_real_data!();
    let (_dir, db) = imported();
    let resources = all_resources(&db);
    let known = resources.iter().filter(|r| r.licence.label != "Licence non précisée").count();
    assert!(known * 10 >= resources.len() * 8, "only {known} of {} licences found", resources.len());
    // Repository-wide licences: a LICENSE file, and a sentence of the README.
    let kanban = db.resource("lilianricaud-kanban").unwrap().unwrap();
    assert_eq!(kanban.licence.spdx.as_deref(), Some("CC-BY-SA-4.0"));
    let club = db.resource("onpassealacte-club-des-aines").unwrap().unwrap();
    assert_eq!(club.licence.label, "CC BY-SA");
    // Quoted as the README says it, with no deed of a version it does not state.
    assert_eq!(
        club.licence.raw.as_deref(),
        Some("Toutes nos vidéos sont publiées sous licence Creative Commons BY-SA.")
    );
    assert_eq!(club.licence.url, None);
    // Inline mentions: the most restrictive one, and every mention kept as written.
    let budget = db.resource("multibao-budget-participatif").unwrap().unwrap();
    assert!(!budget.licence.open);
    assert!(budget.licence.raw.as_deref().unwrap().contains("Creative Commons"));
}

#[test]
#[ignore = "real data"]
fn nothing_executable_is_left_in_any_body() {
    skip_without_real_data!();
    let (_dir, db) = imported();
    let resources = all_resources(&db);
    let mut iframes = 0;
    for resource in &resources {
        let body = resource.body_html.as_deref().unwrap_or_default().to_lowercase();
        for bad in [
            "<script",
            "javascript:",
            " onerror=",
            " onload=",
            " onclick=",
            "<style",
            " style=",
            "<object",
            "<embed",
        ] {
            assert!(!body.contains(bad), "{bad} in {}", resource.id);
        }
        for frame in body.split("<iframe").skip(1) {
            iframes += 1;
            assert!(
                frame.contains("src=\"https://player.vimeo.com/")
                    || frame.contains("src=\"https://www.youtube-nocookie.com/"),
                "iframe from an unknown host in {}: {frame:.120}",
                resource.id
            );
        }
    }
    assert!(iframes > 0, "the real data holds Vimeo iframes that should survive");
}

#[test]
#[ignore = "real data"]
fn video_testimonies_are_recognised() {
    skip_without_real_data!();
    let (_dir, db) = temp_db();
    import(&db, "onpassealacte-videos_initiatives");
    let page = db.list(&ListFilter { kind: Some(Kind::Video), limit: 100, ..ListFilter::default() }).unwrap();
    assert_eq!(page.items.len(), 31);
    let club = db.resource("onpassealacte-club-des-aines").unwrap().unwrap();
    assert_eq!(club.title, "J'ai créé un club des aînés");
    assert_eq!(club.image.unwrap().url, "https://i.vimeocdn.com/video/517535793_350.jpg");
    assert!(club.tags.contains(&"rompre isolement".to_string()));
}

#[test]
#[ignore = "real data"]
fn reimport_is_idempotent() {
    skip_without_real_data!();
    let (_dir, db) = temp_db();
    let first = import(&db, "lilianricaud-travail-en-reseau");
    let second = import(&db, "lilianricaud-travail-en-reseau");
    assert_eq!(second.stored.created, 0);
    assert_eq!(second.stored.updated, 0);
    assert_eq!(second.stored.unchanged, first.stored.created);
    assert_eq!(db.resource_count().unwrap(), 112);
}

#[test]
#[ignore = "real data"]
fn networks_in_subfolders_are_separate_networks() {
    skip_without_real_data!();
    let (_dir, db) = temp_db();
    let report = import(&db, "multibao-contributions");
    let networks = db.networks().unwrap();
    let ids: Vec<&str> = networks.iter().map(|n| n.network.id.as_str()).collect();
    for id in ["multibao", "cpcoop", "edutech", "collectif-chiendent", "d-sidd"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let cpcoop = networks.iter().find(|n| n.network.id == "cpcoop").unwrap();
    assert_eq!(cpcoop.resource_count, 9);
    // Named as the sources file names them (demo/sources.toml), or as the folder's README titles
    // itself; a folder nothing names keeps its own name, and the report says so.
    let name = |id: &str| networks.iter().find(|n| n.network.id == id).unwrap().network.name.clone();
    assert_eq!(name("cpcoop"), "Centre des pratiques de la coopération");
    assert_eq!(name("collectif-chiendent"), "Collectif Chiendent");
    assert_eq!(name("edutech"), "EduTech");
    assert_eq!(name("d-sidd"), "d_sidd");
    let unnamed: Vec<&str> = report
        .warnings
        .iter()
        .filter(|warning| warning.reason.contains("n'a pas de nom"))
        .map(|warning| warning.path.as_str())
        .collect();
    assert_eq!(unnamed, ["contributions/d_sidd"]);
}

#[test]
fn a_malformed_file_is_skipped_and_the_rest_lands() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("test-repo");
    std::fs::create_dir_all(&root).unwrap();
    let text = "Du texte qui décrit la pratique pas à pas, pour qu'un groupe la reprenne chez lui avec ses étapes et son matériel.";
    std::fs::write(root.join("bonne.md"), format!("# Une bonne fiche\n\n{text}\n")).unwrap();
    std::fs::write(root.join("binaire.md"), [0xff, 0xfe, 0x00, 0x41]).unwrap();
    std::fs::write(root.join("vide.md"), "  \n").unwrap();
    std::fs::write(root.join("yaml.md"), format!("---\ntitle: [non fermé\n---\n# Titre du H1\n\n{text}"))
        .unwrap();
    let (_db_dir, db) = temp_db();
    let source = MultibaoRepository::from_folder_name(&root).unwrap();
    let report = sources::import(&db, "test-repo", &source, &[]).unwrap();
    assert_eq!(report.stored.created, 2, "{report}");
    let reasons: Vec<(&str, &str)> =
        report.skipped.iter().map(|s| (s.path.as_str(), s.reason.as_str())).collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(reasons.iter().any(|(path, reason)| *path == "binaire.md" && reason.contains("UTF-8")));
    assert!(reasons.iter().any(|(path, reason)| *path == "vide.md" && reason.contains("vide")));
    assert_eq!(db.resource("test-yaml").unwrap().unwrap().title, "Titre du H1");
}

#[test]
fn a_missing_folder_is_a_clear_error() {
    let (_dir, db) = temp_db();
    let missing = tempfile::tempdir().unwrap().path().join("tests-absent");
    let source = MultibaoRepository::from_folder_name(&missing).unwrap();
    let error = sources::import(&db, "tests-absent", &source, &[]).unwrap_err();
    assert!(error.to_string().contains("n'est pas un dossier"));
    assert_eq!(db.resource_count().unwrap(), 0);
}

/// Every card fit to show on a partner's site: a real title, a summary in prose, its network's
/// name, no container folder as a tag, and no page that is not a fiche.
#[test]
#[ignore = "real data"]
fn every_card_reads_as_an_editor_would_have_it() {
    skip_without_real_data!();
    use bao_server::sources::multibao::editor;
    let (_dir, db) = imported();
    let resources = all_resources(&db);
    let mut without_summary = Vec::new();
    for resource in &resources {
        assert!(!editor::is_generic_title(&resource.title), "{}: {}", resource.id, resource.title);
        if resource.summary.is_empty() {
            without_summary.push(resource.id.as_str());
        } else {
            assert!(editor::is_summary_prose(&resource.summary), "{}: « {} »", resource.id, resource.summary);
        }
        for tag in &resource.tags {
            assert!(
                !["contributions", "fiches", "temoignages"].contains(&tag.as_str()),
                "{}: {tag}",
                resource.id
            );
        }
        // The opened card does not begin by saying the summary again; but a summary whose one
        // sentence had to be cut short leaves that sentence whole in the body.
        let body = resource.body_html.as_deref().unwrap_or_default();
        let first_paragraph =
            body.split_once("<p>").and_then(|(_, rest)| rest.split_once("</p>")).map(|(p, _)| p);
        if let Some(first_paragraph) =
            first_paragraph.filter(|_| resource.summary.len() > 40 && !resource.summary.ends_with('…'))
        {
            let start: String = resource.summary.chars().take(40).collect();
            assert!(!first_paragraph.starts_with(&start), "{}: the body repeats the summary", resource.id);
        }
    }
    assert!(without_summary.len() <= 3, "{without_summary:?}");
    // A paragraph too long to be a summary gives its first sentences; the body keeps the rest.
    let barcamp = db.resource("lilianricaud-barcamp-en-ligne").unwrap().unwrap();
    assert!(barcamp.summary.starts_with("Le barcamp est un format de rencontre"), "{}", barcamp.summary);
    assert!(barcamp.summary.ends_with("tous participants !"), "{}", barcamp.summary);
    let body = barcamp.body_html.unwrap();
    assert!(body.starts_with("<p>Le barcamp, c'est aussi une communauté"), "{body:.200}");
    for (id, name) in
        [("lilianricaud-kanban", "Lilian Ricaud"), ("onpassealacte-club-des-aines", "On passe à l'acte")]
    {
        assert_eq!(db.resource(id).unwrap().unwrap().network.name, name);
    }
    let ids: Vec<&str> = resources.iter().map(|r| r.id.as_str()).collect();
    for not_a_fiche in
        ["multibao-demo-test", "multibao-mur-nouveaux-contributeurs", "multibao-mentions-legales"]
    {
        assert!(!ids.contains(&not_a_fiche), "{not_a_fiche} is not a fiche");
    }
    // Authors where the files name them, in the text.
    let entretien = db.resource("lilianricaud-entretien-collectif").unwrap().unwrap();
    assert_eq!(entretien.authors, ["Audrey Auriault", "GARC.ESS"]);
    // The summary is prose, never an image's alt text ("Com") or a photo credit.
    let ascenseur = db.resource("multibao-ascenseur").unwrap().unwrap();
    assert_ne!(ascenseur.summary, "Com");
    // "En une phrase" gives the summary and leaves the body; the photo and its credit stay in it.
    let potluck = db.resource("multibao-potluck").unwrap().unwrap();
    assert!(potluck.summary.starts_with("Un potluck, parfois appelé"), "{}", potluck.summary);
    let body = potluck.body_html.unwrap();
    assert!(body.contains("Ryan Joy") && !body.contains("En une phrase"), "{body}");
}

/// Two different texts of the real repositories are far from being taken for copies of one.
#[test]
#[ignore = "real data"]
fn different_real_texts_are_far_from_the_copy_threshold() {
    skip_without_real_data!();
    use bao_server::store::identity::{self, COPY_MIN_WORDS, COPY_SIMILARITY, Shingles, Words};
    let mut texts: Vec<(String, String, Shingles)> = Vec::new();
    for folder in FOLDERS {
        let repository = MultibaoRepository::from_folder_name(&common::real_data().join(folder)).unwrap();
        for new in repository.read().unwrap().resources {
            let words = Words::of(&new.resource);
            if words.len() >= COPY_MIN_WORDS {
                texts.push((new.source_key, identity::fingerprint(&words), Shingles::of(&words)));
            }
        }
    }
    let mut closest = (0.0, "", "");
    for (at, (key, fingerprint, shingles)) in texts.iter().enumerate() {
        for (other_key, other_fingerprint, other) in &texts[at + 1..] {
            let similarity = shingles.similarity(other);
            if fingerprint != other_fingerprint && similarity > closest.0 {
                closest = (similarity, key, other_key);
            }
        }
    }
    assert!(texts.len() > 150, "{}", texts.len());
    assert!(closest.0 < COPY_SIMILARITY / 2.0, "{closest:?}");
}

/// The quality report of a GitHub-shaped source offers each file's edit page on its branch; a
/// folder whose web address nobody gave offers none (and its page says which key to set).
#[test]
#[ignore = "real data"]
fn quality_reports_offer_edit_pages_where_the_source_has_them() {
    skip_without_real_data!();
    let (_dir, db) = temp_db();
    import(&db, "lilianricaud-travail-en-reseau");
    import(&db, "exemples-fiches");
    let quality = |id: &str| {
        let config =
            common::demo_source(if id == "exemples-fiches" { id } else { "lilianricaud-travail-en-reseau" });
        db.source_quality(id, config.network.reference()).unwrap().expect("synced")
    };
    let github = quality("lilianricaud-travail-en-reseau");
    assert_eq!(github.resource_count, 112);
    assert!(github.items.len() > 10, "{github:?}");
    for item in &github.items {
        let edit = item.edit_url.as_deref().unwrap_or_default();
        assert_eq!(
            edit,
            format!("https://github.com/lilianricaud/travail-en-reseau/edit/master/{}", item.path)
        );
    }
    let kanban =
        github.items.iter().find(|item| item.id == "lilianricaud-kanban").expect("a fiche with gaps");
    assert!(kanban.gaps.contains(&bao_contract::Gap::NoAuthor), "{kanban:?}");
    let folder = quality("exemples-fiches");
    assert!(
        folder.resource_count > 0 && folder.items.iter().all(|item| item.edit_url.is_none()),
        "{folder:?}"
    );
}

/// An opened card never begins on a heading with nothing under it when its section became the
/// summary (the demo's « Le cercle de parole » opened on an empty « En une phrase »); headings
/// the authors left over nothing stay theirs (`booksprint.md`'s days).
#[test]
#[ignore = "real data"]
fn no_opened_card_keeps_a_heading_emptied_by_its_summary() {
    skip_without_real_data!();
    let (_dir, db) = imported();
    common::import(&db, "exemples-fiches");
    let mut emptied = Vec::new();
    for resource in all_resources(&db) {
        let body = resource.body_html.unwrap_or_default();
        for heading in ["En une phrase", "Résumé", "En bref"] {
            let left = body.split('\n').map(str::trim).collect::<Vec<_>>().windows(2).any(|pair| {
                pair[0].starts_with("<h")
                    && pair[0].contains(&format!(">{heading}</h"))
                    && pair[1].starts_with("<h")
            });
            if left {
                emptied.push(format!("{}: {heading}", resource.id));
            }
        }
    }
    assert_eq!(emptied, Vec::<String>::new());
    let booksprint = db.resource("lilianricaud-booksprint").unwrap().unwrap().body_html.unwrap_or_default();
    assert!(booksprint.contains("<h3>Jour 3 redaction</h3>"), "{booksprint}");
}

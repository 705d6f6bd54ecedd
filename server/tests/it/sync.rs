//! Following git sources for real: repositories made with the machine's git, served as `file://`
//! remotes, synced, changed by commits (an edit, a deletion, a move, a copy, a colliding name)
//! and synced again.

use std::path::{Path, PathBuf};
use std::process::Command;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use bao_contract::{Gap, Resource, SourceList, SourceQuality};
use bao_server::sources::config::SourcesFile;
use bao_server::sources::sync::{SourceReport, SyncContext, SyncOutcome, sync_source};
use bao_server::store::{Database, Lookup, StoreOutcome};
use bao_server::{AppState, app};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// A working repository pushing to a bare remote, both made with the machine's git.
struct Remote {
    work: PathBuf,
    url: String,
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Réseau",
            "-c",
            "user.email=reseau@example.org",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

impl Remote {
    fn new(root: &Path, name: &str) -> Remote {
        let bare = root.join(format!("{name}.git"));
        let work = root.join(name);
        std::fs::create_dir_all(&bare).unwrap();
        std::fs::create_dir_all(&work).unwrap();
        git(&bare, &["init", "--quiet", "--bare"]);
        git(&work, &["init", "--quiet"]);
        git(&work, &["remote", "add", "origin", bare.to_str().unwrap()]);
        Remote { work, url: format!("file://{}", bare.display()) }
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.work.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn commit(&self, message: &str) {
        git(&self.work, &["add", "--all"]);
        git(&self.work, &["commit", "--quiet", "--allow-empty", "-m", message]);
        git(&self.work, &["push", "--quiet", "origin", "HEAD:main"]);
    }
}

const KANBAN: &str = "# Le kanban\n\nUn tableau de colonnes où chaque carte est une tâche que l'équipe \
    déplace de gauche à droite quand elle avance, pour voir ensemble où en est le travail.\n";
const CERCLE: &str = "# Cercle de parole\n\nChacun parle à son tour, sans être interrompu, en \
    tenant un objet qui passe de main en main ; les autres écoutent.\n";
const FORUM: &str = "# Forum ouvert\n\nLes participants proposent eux-mêmes les sujets des ateliers \
    et circulent librement de l'un à l'autre, selon la loi des deux pieds : qui n'apprend rien s'en va.\n";

struct Setup {
    _dir: tempfile::TempDir,
    db: Database,
    context: SyncContext,
    file: SourcesFile,
    remote: Remote,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let remote = Remote::new(dir.path(), "fiches");
    let sources_path = dir.path().join("sources.toml");
    let text = format!(
        "[[source]]\nid = \"reseau-fiches\"\nkind = \"git\"\nurl = \"{}\"\nbranch = \"main\"\n\
         licence = \"CC BY-SA 4.0\"\nweb_url = \"https://framagit.org/reseau/fiches\"\n\
         network = {{ id = \"reseau\", name = \"Réseau des fiches\", url = \"https://reseau.example.org\" }}\n\n\
         [[source]]\nid = \"injoignable\"\nkind = \"git\"\nurl = \"file://{}/absent.git\"\n\
         network = {{ id = \"autre\", name = \"Autre réseau\" }}\n",
        remote.url,
        dir.path().display()
    );
    std::fs::write(&sources_path, text).unwrap();
    let file = SourcesFile::load(&sources_path).unwrap();
    let db = Database::open(&dir.path().join("db.sqlite3")).unwrap();
    let context = SyncContext::new(&sources_path, &dir.path().join("db.sqlite3"));
    Setup { _dir: dir, db, context, file, remote }
}

impl Setup {
    fn sync(&self, id: &str) -> SourceReport {
        let config = self.file.sources.iter().find(|source| source.id == id).unwrap();
        sync_source(&self.db, &self.context, config)
    }

    fn stored(&self) -> StoreOutcome {
        match self.sync("reseau-fiches").outcome {
            SyncOutcome::Stored { report, .. } => report.stored,
            other => panic!("{other:?}"),
        }
    }

    fn resource(&self, id: &str) -> Resource {
        self.db.resource(id).unwrap().unwrap_or_else(|| panic!("{id} is not a resource"))
    }
}

/// Where a fiche lives comes from the source: the forge a remote is on and the branch it follows
/// (its default one, asked by name), or nothing: never a guessed host.
#[test]
fn source_addresses_come_from_the_source_never_guessed() {
    let dir = tempfile::tempdir().unwrap();
    let remote = Remote::new(dir.path(), "fiches");
    remote.write(
        "fiches/kanban.md",
        &format!("{KANBAN}\n[Le cercle](../autres/cercle.md) et ![un schéma](schema%20kanban.png)\n"),
    );
    remote.commit("Une fiche");
    // The remote's default branch is neither `main` nor `master`.
    let bare = dir.path().join("fiches.git");
    git(&bare, &["branch", "-m", "main", "publication"]);
    git(&bare, &["symbolic-ref", "HEAD", "refs/heads/publication"]);
    let sources = |extra: &str| {
        let text = format!(
            "[[source]]\nid = \"fiches\"\nkind = \"git\"\nurl = \"{}\"\n{extra}\n\
             network = {{ id = \"reseau\", name = \"Réseau\" }}\n",
            remote.url
        );
        SourcesFile::parse(&text).unwrap().sources.remove(0)
    };
    let read = |extra: &str| {
        let db = Database::open(&dir.path().join(format!("{}.sqlite3", extra.len()))).unwrap();
        let context = SyncContext::new(
            &dir.path().join("sources.toml"),
            &dir.path().join(format!("{}.db", extra.len())),
        );
        let report = sync_source(&db, &context, &sources(extra));
        assert!(matches!(report.outcome, SyncOutcome::Stored { .. }), "{report}");
        db.resource("reseau-kanban").unwrap().unwrap()
    };

    // A Framagit repository (its web address given, the remote being a file here).
    let on_forge = read("web_url = \"https://framagit.org/reseau/fiches.git\"");
    assert_eq!(
        on_forge.source_url.as_deref(),
        Some("https://framagit.org/reseau/fiches/-/blob/publication/fiches/kanban.md")
    );
    // The day it last changed is its last commit's (the file says none).
    let today = bao_server::calendar::today().to_string();
    assert_eq!(on_forge.updated.as_deref(), Some(today.as_str()));
    let body = on_forge.body_html.unwrap();
    assert!(
        body.contains(r#"href="https://framagit.org/reseau/fiches/-/blob/publication/autres/cercle.md""#),
        "{body}"
    );
    assert!(
        body.contains("https://framagit.org/reseau/fiches/-/raw/publication/fiches/schema%20kanban.png"),
        "{body}"
    );

    // Nothing says where the files are on the web: no address, and nothing relative resolved.
    let nowhere = read("");
    assert_eq!(nowhere.source_url, None);
    let body = nowhere.body_html.unwrap();
    assert!(!body.contains("cercle.md") && !body.contains("schema"), "{body}");
    assert!(!body.contains("github.com") && !body.contains("multibao.org"), "{body}");
    assert!(body.contains(">Le cercle</a>"), "the link's words stay: {body}");
}

#[test]
fn ids_stay_through_edits_moves_copies_and_deletions() {
    let setup = setup();
    let remote = &setup.remote;
    remote.write("fiches/kanban.md", KANBAN);
    remote.write("fiches/cercle-de-parole.md", CERCLE);
    remote.write("fiches/forum_ouvert.md", FORUM);
    remote.write("README.md", "# Les fiches du réseau\n");
    remote.commit("Trois fiches");
    let first = setup.stored();
    assert_eq!((first.created, first.withdrawn), (3, 0));
    let kanban = setup.resource("reseau-kanban");
    assert_eq!(kanban.network.name, "Réseau des fiches", "the network is named by the sources file");
    assert_eq!(kanban.licence.spdx.as_deref(), Some("CC-BY-SA-4.0"), "the source's declared licence");
    assert!(kanban.tags.is_empty(), "a container folder is no tag: {:?}", kanban.tags);

    // Nothing new: the same commit is not read again.
    let again = setup.sync("reseau-fiches");
    assert!(matches!(again.outcome, SyncOutcome::Unchanged { .. }), "{again}");

    // An edited title, a deleted fiche, a fiche moved (and lightly edited), a copy in a second
    // folder, and a new file whose name makes the same slug as another.
    remote.write("fiches/kanban.md", &KANBAN.replace("# Le kanban", "# Le tableau kanban"));
    std::fs::remove_file(remote.work.join("fiches/forum_ouvert.md")).unwrap();
    std::fs::remove_file(remote.work.join("fiches/cercle-de-parole.md")).unwrap();
    remote.write("archives/2024/cercle-de-parole.md", &CERCLE.replace("écoutent", "écoutent en silence"));
    remote.write("copies/kanban.md", &KANBAN.replace("# Le kanban", "# Le tableau kanban"));
    remote.write(
        "fiches/cercle_de_parole.md",
        "# Un autre cercle\n\nRien à voir avec le premier : un cercle de lecture où chacun apporte un livre \
         qu'il a aimé et en lit une page aux autres.\n",
    );
    remote.commit("Réorganisation");
    let second = setup.stored();
    assert_eq!(
        (second.updated, second.moved, second.merged, second.created, second.withdrawn),
        (2, 1, 1, 1, 1),
        "{second:?}"
    );

    assert_eq!(setup.resource("reseau-kanban").title, "Le tableau kanban", "edited, same id");
    let moved = setup.resource("reseau-cercle-de-parole");
    assert_eq!(
        moved.source_url.as_deref(),
        Some("https://framagit.org/reseau/fiches/-/blob/main/archives/2024/cercle-de-parole.md")
    );
    let copies = setup.resource("reseau-kanban").sources;
    assert_eq!(copies.len(), 2, "the copy is merged: {copies:?}");
    assert!(matches!(setup.db.lookup("reseau-forum-ouvert").unwrap(), Lookup::Withdrawn { .. }));
    // The newcomer whose name makes a slug already given gets a suffix of its own.
    let listed = setup.db.list(&bao_server::store::ListFilter { limit: 10, ..Default::default() }).unwrap();
    let newcomer = listed.items.iter().find(|r| r.title == "Un autre cercle").expect("the newcomer");
    assert!(
        newcomer.id.starts_with("reseau-cercle-de-parole-") && newcomer.id.len() == 30,
        "{}",
        newcomer.id
    );
    assert_eq!(setup.db.resource_count().unwrap(), 3);

    // The withdrawn fiche comes back: its id again.
    remote.write("fiches/forum_ouvert.md", FORUM);
    remote.commit("Retour du forum");
    assert_eq!(setup.stored().created, 1);
    assert!(matches!(setup.db.lookup("reseau-forum-ouvert").unwrap(), Lookup::Found(_)));

    // Moved as it is: same id, and the resource now points at its new place.
    std::fs::create_dir_all(remote.work.join("archives")).unwrap();
    std::fs::rename(remote.work.join("fiches/forum_ouvert.md"), remote.work.join("archives/forum_ouvert.md"))
        .unwrap();
    remote.commit("Archivage du forum");
    let moved = setup.stored();
    assert_eq!((moved.moved, moved.updated, moved.created, moved.withdrawn), (1, 0, 0, 0), "{moved:?}");
    let forum = setup.resource("reseau-forum-ouvert");
    assert!(
        forum.source_url.as_deref().is_some_and(|url| url.ends_with("/-/blob/main/archives/forum_ouvert.md"))
    );
}

#[tokio::test]
async fn a_failing_source_keeps_its_content_and_says_why() {
    let setup = setup();
    setup.remote.write("kanban.md", KANBAN);
    setup.remote.commit("Une fiche");
    setup.stored();
    let failed = setup.sync("injoignable");
    assert!(matches!(failed.outcome, SyncOutcome::Failed { .. }), "{failed}");

    // The remote goes away: the fetch fails, and the content of the last good sync stays.
    let bare = setup.remote.url.trim_start_matches("file://");
    std::fs::rename(bare, format!("{bare}.parti")).unwrap();
    let gone = setup.sync("reseau-fiches");
    assert!(matches!(gone.outcome, SyncOutcome::Failed { .. }), "{gone}");
    assert_eq!(setup.db.resource_count().unwrap(), 1);

    let search = bao_server::search::SearchIndex::open(&setup._dir.path().join("db.search")).unwrap();
    let router = app(AppState {
        sources: std::sync::Arc::new(setup.file.sources.clone()),
        ..AppState::new(setup.db.clone(), search)
    });
    let response =
        router.oneshot(Request::get("/api/v1/sources").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let list: SourceList = serde_json::from_slice(&body).unwrap();
    let [followed, unreachable] = &list.items[..] else { panic!("{list:?}") };
    assert_eq!(followed.network.name, "Réseau des fiches");
    assert_eq!(followed.resource_count, 1);
    assert_eq!(followed.revision.as_ref().map(String::len), Some(40));
    let error = followed.last_error.as_deref().unwrap();
    assert!(followed.last_success.is_some() && error.contains("git fetch"), "{error}");
    // Git's whole message, not its last line ("and the repository exists.").
    assert!(error.contains("does not appear to be a git repository"), "{error}");
    assert!(unreachable.last_success.is_none() && unreachable.last_error.is_some());

    // The remote back, a sync that finds nothing new says the source is well again.
    std::fs::rename(format!("{bare}.parti"), bare).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let back = setup.sync("reseau-fiches");
    assert!(matches!(back.outcome, SyncOutcome::Unchanged { .. }), "{back}");
    let source = setup.db.source("reseau-fiches").unwrap().unwrap();
    assert_eq!(source.last_error, None);
    assert!(source.last_attempt > followed.last_attempt && source.last_success == source.last_attempt);
}

/// A token in a source's address (written in the file, or `${NAME}` from the environment) and
/// this machine's folders are never shown: not in `/api/v1/sources`, its errors, nor the command's
/// output; an unset variable is a clear refusal.
#[tokio::test]
async fn credentials_and_server_paths_are_used_and_never_shown() {
    let setup = setup();
    let dir = setup._dir.path();
    let secret = "glpat-TEST-s3cr3t-jeton";
    let text = format!(
        "[[source]]\nid = \"privee\"\nkind = \"git\"\nurl = \"https://oauth2:{secret}@127.0.0.1:9/reseau/fiches.git\"\n\
         network = {{ id = \"prive\", name = \"Réseau privé\" }}\n\n\
         [[source]]\nid = \"injoignable\"\nkind = \"git\"\nurl = \"file://{}/absent.git\"\n\
         network = {{ id = \"autre\", name = \"Autre réseau\" }}\n",
        dir.display()
    );
    let sources_path = dir.join("privees.toml");
    std::fs::write(&sources_path, &text).unwrap();
    let file = SourcesFile::load(&sources_path).unwrap();
    let context = SyncContext::new(&sources_path, &dir.join("db.sqlite3"));
    let mut shown = String::new();
    for config in &file.sources {
        let report = sync_source(&setup.db, &context, config);
        assert!(matches!(report.outcome, SyncOutcome::Failed { .. }), "{report}");
        shown.push_str(&report.to_string());
    }
    let search = bao_server::search::SearchIndex::open(&dir.join("db.search")).unwrap();
    let router = app(AppState {
        sources: std::sync::Arc::new(file.sources.clone()),
        ..AppState::new(setup.db.clone(), search)
    });
    let response =
        router.oneshot(Request::get("/api/v1/sources").body(Body::empty()).unwrap()).await.unwrap();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let list: SourceList = serde_json::from_slice(&body).unwrap();
    let [private, unreachable] = &list.items[..] else { panic!("{list:?}") };
    assert_eq!(private.url, "https://127.0.0.1:9/reseau/fiches.git");
    assert_eq!(unreachable.url, "absent.git");
    assert!(private.last_error.is_some() && unreachable.last_error.is_some(), "{list:?}");
    shown.push_str(&String::from_utf8_lossy(&body));
    let folder = dir.display().to_string();
    assert!(!shown.contains("s3cr3t") && !shown.contains(&folder), "{shown}");

    // The command, the token from the environment.
    let run = |sources: &str, token: Option<&str>| {
        std::fs::write(&sources_path, sources).unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_multibao-embed"));
        command.arg("--db").arg(dir.join("cli.sqlite3")).arg("sync").arg("--sources").arg(&sources_path);
        command.env("RUST_LOG", "warn").env_remove("BAO_TEST_JETON");
        if let Some(token) = token {
            command.env("BAO_TEST_JETON", token);
        }
        let output = command.output().unwrap();
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
    };
    let from_environment = text.replace(secret, "${BAO_TEST_JETON}");
    let said = run(&from_environment, Some(secret));
    assert!(said.contains("privee : ÉCHEC") && said.contains("injoignable : ÉCHEC"), "{said}");
    assert!(!said.contains("s3cr3t") && !said.contains(&folder), "{said}");
    let said = run(&from_environment, None);
    assert!(said.contains("BAO_TEST_JETON n'est pas définie"), "{said}");
}

/// The command a network's webmaster runs: what it prints, and how it refuses mistakes.
#[test]
fn the_sync_command_says_what_changed_and_refuses_mistakes() {
    let setup = setup();
    setup.remote.write("kanban.md", KANBAN);
    setup.remote.commit("Une fiche");
    let dir = setup._dir.path();
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_multibao-embed"))
            .arg("--db")
            .arg(dir.join("cli.sqlite3"))
            .args(args)
            .env("RUST_LOG", "off")
            .output()
            .unwrap();
        let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
        (output.status.success(), text(output.stdout), text(output.stderr))
    };
    let sources = dir.join("sources.toml");
    let sources = sources.to_str().unwrap();

    let (ok, out, _) = run(&["sync", "--sources", sources, "--only", "reseau-fiches"]);
    assert!(ok && out.contains("reseau-fiches (commit ") && out.contains("1 ajoutée,"), "{out}");
    let (ok, out, _) = run(&["sync", "--sources", sources, "--only", "reseau-fiches"]);
    assert!(ok && out.contains("reseau-fiches : inchangée (commit "), "{out}");

    // A failing source: said, and the exit status tells scripts.
    let (ok, out, err) = run(&["sync", "--sources", sources]);
    assert!(!ok && out.contains("injoignable : ÉCHEC, le contenu précédent est gardé"), "{out}");
    assert!(err.contains("1 source en échec"), "{err}");

    // Logs for a collector: one JSON object a line, without colour codes.
    let output = Command::new(env!("CARGO_BIN_EXE_multibao-embed"))
        .arg("--db")
        .arg(dir.join("cli.sqlite3"))
        .args(["--log-format", "json", "sync", "--sources", sources, "--only", "injoignable"])
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let logs = String::from_utf8(output.stderr).unwrap();
    let lines: Vec<&str> = logs.lines().filter(|line| line.starts_with('{')).collect();
    assert!(!lines.is_empty() && !logs.contains('\u{1b}'), "{logs}");
    for line in lines {
        let entry: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(entry["level"].is_string() && entry["fields"].is_object(), "{line}");
    }

    let (ok, _, err) = run(&["sync", "--sources", sources, "--only", "inconnue"]);
    assert!(!ok && err.contains("ne déclare pas de source « inconnue »"), "{err}");
    std::fs::write(
        dir.join("faux.toml"),
        "[[source]]\nid = \"a\"\nkind = \"git\"\nurl = \"x\"\nreseau = 1\n",
    )
    .unwrap();
    let (ok, _, err) = run(&["sync", "--sources", dir.join("faux.toml").to_str().unwrap()]);
    assert!(!ok && err.contains("ligne 5") && err.contains("reseau"), "{err}");
    let (ok, _, err) = run(&["serve", "--sources", dir.join("faux.toml").to_str().unwrap()]);
    assert!(!ok && err.contains("ligne 5"), "serve refuses it before starting: {err}");
    let (ok, _, err) = run(&["serve", "--sync-interval", "souvent"]);
    assert!(!ok && err.contains("1h"), "{err}");
}

/// A real fiche kept twice, once with its front matter and once without but with a credit more:
/// one resource, shown from the copy that says most; two fiches that share only a paragraph of
/// credits stay two; the network's quality report says what each text lacks, with the page to
/// edit it; and the text coming back under another name after its withdrawal takes its id again.
#[tokio::test]
#[ignore = "real data"]
async fn near_copies_are_one_resource_and_the_quality_report_says_what_texts_lack() {
    skip_without_real_data!();
    let real = std::fs::read_to_string(
        crate::common::real_data().join("lilianricaud-travail-en-reseau/cercle_samoan.md"),
    )
    .unwrap();
    let without_front_matter = real[real.find("# CERCLE SAMOAN").unwrap()..].to_owned();
    let setup = setup();
    let remote = &setup.remote;
    remote.write(
        "archives/cercle-samoan.md",
        &format!("{without_front_matter}\nIllustration : Réseau des fiches\n"),
    );
    remote.write("fiches/cercle_samoan.md", &real);
    let credits = "Cette fiche a été rédigée lors des rencontres du réseau, à partir des notes prises par \
        les participantes et les participants des ateliers, relue par le comité éditorial, puis mise en \
        forme par l'équipe d'animation ; les illustrations sont celles de l'atelier de dessin, que nous \
        remercions pour leur patience et leur bonne humeur tout au long de ces journées.";
    remote.write("fiches/kanban.md", &format!("{KANBAN}\n{credits}\n"));
    remote.write("fiches/forum.md", &format!("{FORUM}\n{credits}\n"));
    remote.write("README.md", "# Les fiches du réseau\n");
    remote.commit("Des fiches et une copie");
    let first = setup.stored();
    assert_eq!((first.created, first.merged), (3, 1), "{first:?}");

    let samoan = setup.resource("reseau-cercle-samoan");
    assert_eq!(samoan.sources.len(), 2, "{:?}", samoan.sources);
    assert_eq!(samoan.title, "Cercle Samoan", "the copy with a front matter is shown");
    assert!(samoan.summary.starts_with("format de discussion en grand groupe"), "{}", samoan.summary);
    let shown = &samoan.sources[0];
    assert_eq!(
        shown.edit_url.as_deref(),
        Some("https://framagit.org/reseau/fiches/-/edit/main/fiches/cercle_samoan.md")
    );
    assert_eq!(setup.db.resource_count().unwrap(), 3, "credits alone make no copy");

    let search = bao_server::search::SearchIndex::open(&setup._dir.path().join("db.search")).unwrap();
    let router = app(AppState {
        sources: std::sync::Arc::new(setup.file.sources.clone()),
        ..AppState::new(setup.db.clone(), search)
    });
    let get = |uri: &str| {
        let router = router.clone();
        let uri = uri.to_owned();
        async move {
            let response = router.oneshot(Request::get(&uri).body(Body::empty()).unwrap()).await.unwrap();
            let status = response.status();
            let body = response.into_body().collect().await.unwrap().to_bytes();
            (status, String::from_utf8(body.to_vec()).unwrap())
        }
    };
    let (status, json) = get("/api/v1/sources/reseau-fiches/quality").await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let report: SourceQuality = serde_json::from_str(&json).unwrap();
    assert_eq!((report.resource_count, report.network.name.as_str()), (3, "Réseau des fiches"));
    let count = |gap: Gap| report.gap_counts.iter().find(|counted| counted.gap == gap).unwrap().count;
    // Every text takes the source's licence; none names its authors.
    assert_eq!(
        (count(Gap::LicenceFromSource), count(Gap::NoAuthor), count(Gap::TitleFromFileName)),
        (3, 3, 0)
    );
    let item = report.items.iter().find(|item| item.id == "reseau-cercle-samoan").unwrap();
    assert_eq!((item.copies, item.path.as_str()), (1, "fiches/cercle_samoan.md"));
    assert!(
        report.remarks.iter().any(|remark| remark.path == "README.md" && remark.skipped),
        "{:?}",
        report.remarks
    );

    let (status, page) = get("/sources/reseau-fiches/qualite").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Ce que le commun ne sait pas de vos fiches"), "{page}");
    assert!(
        page.contains(r#"href="https://framagit.org/reseau/fiches/-/edit/main/fiches/kanban.md""#),
        "{page}"
    );
    let (_, home) = get("/").await;
    assert!(home.contains(r#"href="/sources/reseau-fiches/qualite""#), "{home}");
    let (_, resource_page) = get("/r/reseau-cercle-samoan").await;
    assert!(
        resource_page.contains(r#"<a href="https://framagit.org/reseau/fiches/-/edit/main/fiches/cercle_samoan.md" rel="nofollow">Proposer une amélioration</a>"#),
        "{resource_page}"
    );
    let (status, problem) = get("/api/v1/sources/nulle-part/quality").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{problem}");
    assert_eq!(get("/api/v1/sources/injoignable/quality").await.0, StatusCode::NOT_FOUND, "never synced");

    // Both copies go, then the text comes back under another name, its title reworded.
    std::fs::remove_file(remote.work.join("archives/cercle-samoan.md")).unwrap();
    std::fs::remove_file(remote.work.join("fiches/cercle_samoan.md")).unwrap();
    remote.commit("Retrait");
    assert_eq!(setup.stored().withdrawn, 1);
    remote.write("fiches/samoan.md", &without_front_matter.replace("# CERCLE SAMOAN", "# Le cercle samoan"));
    remote.commit("Retour");
    assert_eq!(setup.stored().created, 1);
    assert_eq!(setup.resource("reseau-cercle-samoan").title, "Le cercle samoan", "its id again");
}

/// A source none of whose files can be read still syncs: nothing stored, every file skipped with
/// its reason, and the quality report lists them.
#[test]
fn a_source_of_unreadable_and_empty_files_syncs_with_reasons() {
    let setup = setup();
    setup.remote.write("vide.md", "");
    setup.remote.write("blanc.md", "  \n\n\t\n");
    std::fs::write(setup.remote.work.join("binaire.md"), [0xff, 0xfe, 0x00, 0x9f, 0x92, 0x96]).unwrap();
    setup.remote.commit("Rien de lisible");
    let report = setup.sync("reseau-fiches");
    let SyncOutcome::Stored { report: import, .. } = &report.outcome else { panic!("{report}") };
    assert_eq!(import.stored.created, 0, "{report}");
    let reasons: Vec<(&str, &str)> =
        import.skipped.iter().map(|skipped| (skipped.path.as_str(), skipped.reason.as_str())).collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(
        reasons.iter().any(|(path, reason)| *path == "vide.md" && *reason == "fichier vide"),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|(path, reason)| *path == "binaire.md" && reason.contains("UTF-8")),
        "{reasons:?}"
    );
    let quality =
        setup.db.source_quality("reseau-fiches", setup.file.sources[0].network.reference()).unwrap();
    let quality = quality.expect("a successful sync has its report");
    assert_eq!((quality.resource_count, quality.remarks.len()), (0, 3));
}

/// `/readyz` says what keeps the server from serving partners (`/healthz` only that it answers),
/// and which sources fail while keeping their content.
#[tokio::test]
async fn readiness_says_what_keeps_the_server_from_serving() {
    let setup = setup();
    setup.remote.write("kanban.md", KANBAN);
    setup.remote.commit("Une fiche");
    let search = bao_server::search::SearchIndex::open(&setup._dir.path().join("db.search")).unwrap();
    let router = app(AppState {
        sources: std::sync::Arc::new(setup.file.sources.clone()),
        ..AppState::new(setup.db.clone(), search)
    });
    let ask = |uri: &'static str| {
        let router = router.clone();
        async move {
            let response = router.oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
            let status = response.status();
            let body = response.into_body().collect().await.unwrap().to_bytes();
            (status, String::from_utf8_lossy(&body).into_owned())
        }
    };
    assert_eq!(ask("/healthz").await, (StatusCode::OK, "ok".to_owned()));
    let (status, said) = ask("/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let said: serde_json::Value = serde_json::from_str(&said).unwrap();
    let reasons = said["reasons"].to_string();
    assert!(
        reasons.contains("« reseau-fiches » jamais synchronisée") && reasons.contains("widget absent"),
        "{said}"
    );

    setup.stored();
    setup.sync("injoignable");
    let (_, said) = ask("/readyz").await;
    let said: serde_json::Value = serde_json::from_str(&said).unwrap();
    assert_eq!(said["reasons"].as_array().map(Vec::len), Some(1), "only the widget now: {said}");
    assert_eq!(said["resources"], 1);
    assert_eq!(said["failing_sources"][0]["id"], "injoignable", "{said}");
}

/// `/metrics` gives operators what they watch: answers by route (its pattern, not its ids) and
/// status, syncs by source and outcome, the resources each source holds, beacons by outcome.
#[tokio::test]
async fn metrics_count_answers_syncs_and_beacons() {
    use bao_server::follow::Follower;
    let setup = setup();
    setup.remote.write("kanban.md", KANBAN);
    setup.remote.commit("Une fiche");
    let search = bao_server::search::SearchIndex::open(&setup._dir.path().join("db.search")).unwrap();
    let follower = Follower {
        db: setup.db.clone(),
        search: search.clone(),
        context: setup.context.clone(),
        sources: std::sync::Arc::new(setup.file.sources.clone()),
        media: bao_server::sources::posters::Reach::Public,
    };
    tokio::task::spawn_blocking(move || follower.pass(&[])).await.unwrap().unwrap();
    let router = app(AppState { count_requests: true, ..AppState::new(setup.db.clone(), search) });
    let ask = |request: Request<Body>| {
        let router = router.clone();
        async move { router.oneshot(request).await.unwrap().status() }
    };
    for uri in ["/api/v1/resources/reseau-kanban", "/api/v1/resources/reseau-kanban", "/nulle-part"] {
        ask(Request::get(uri).body(Body::empty()).unwrap()).await;
    }
    for resource in ["reseau-kanban", "inventee"] {
        let beacon = format!(r#"{{"resource":"{resource}","element":"card","event":"display"}}"#);
        let status = ask(Request::post("/api/v1/beacon").body(Body::from(beacon)).unwrap()).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
    let metrics = bao_server::http::health::metrics_router(setup.db.clone());
    let response = metrics.oneshot(Request::get("/metrics").body(Body::empty()).unwrap()).await.unwrap();
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/openmetrics-text"));
    let text = String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    for line in [
        r#"bao_http_requests_total{route="/api/v1/resources/{id}",status="200"} 2"#,
        r#"bao_http_requests_total{route="(aucune)",status="404"} 1"#,
        r#"bao_http_request_duration_seconds_count{route="/api/v1/resources/{id}"} 2"#,
        r#"bao_syncs_total{source="reseau-fiches",outcome="stored"} 1"#,
        r#"bao_syncs_total{source="injoignable",outcome="failed"} 1"#,
        r#"bao_sync_duration_seconds_count{source="reseau-fiches"} 1"#,
        r#"bao_resources{source="reseau-fiches"} 1"#,
    ] {
        assert!(text.lines().any(|said| said == line), "{line} in:\n{text}");
    }
    for outcome in ["counted", "refused"] {
        let prefix = format!(r#"bao_beacons_total{{outcome="{outcome}"}} "#);
        assert!(text.lines().any(|line| line.starts_with(&prefix)), "{prefix} in:\n{text}");
    }
}

//! Two real companion servers on loopback ports, one following the other (`kind = "bao"`): what
//! the first reads from its own sources reaches the second with its ids, networks, licences and
//! attribution; edits, additions and withdrawals follow; two servers following each other stay
//! stable, without loops or duplicates.

use std::path::PathBuf;

use bao_contract::Resource;
use bao_server::sources::config::{SourceConfig, SourcesFile};
use bao_server::sources::sync::{SourceReport, SyncContext, SyncOutcome, sync_source};
use bao_server::store::{Database, Lookup, StoreOutcome};
use bao_server::{AppState, app};

/// A companion server: its folder of fiches, its database, its address.
struct Server {
    dir: tempfile::TempDir,
    db: Database,
    base: String,
    sources: Vec<SourceConfig>,
}

impl Server {
    /// A server reading the folder `fiches/` as the network `network`, and following `follows`.
    async fn start(network: &str) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Database::open(&dir.path().join("bao.sqlite3")).expect("database");
        let search = bao_server::search::SearchIndex::open(&dir.path().join("search")).expect("index");
        let router = app(AppState::new(db.clone(), search));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let base = format!("http://{}/", listener.local_addr().expect("address"));
        tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });
        let toml = format!(
            "[[source]]\nid = \"fiches-{network}\"\nkind = \"git\"\nurl = \"fiches\"\nlicence = \"CC BY-SA 4.0\"\n\
             video_hosts = [\"tube.example.org\"]\n\
             network = {{ id = \"{network}\", name = \"Réseau {network}\" }}\n"
        );
        let sources = SourcesFile::parse(&toml).expect("sources").sources;
        Server { dir, db, base, sources }
    }

    fn follow(&mut self, other: &Server) {
        let toml = format!(
            "[[source]]\nid = \"suivi\"\nkind = \"bao\"\nurl = \"{}\"\nvideo_hosts = [\"tube.example.org\"]\nnetwork = {{ id = \"suivi\", name = \"Suivi\" }}\n",
            other.base
        );
        self.sources.extend(SourcesFile::parse(&toml).expect("sources").sources);
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.dir.path().join("fiches").join(path);
        std::fs::create_dir_all(path.parent().expect("folder")).expect("folder");
        std::fs::write(path, text).expect("fiche");
    }

    fn remove(&self, path: &str) {
        std::fs::remove_file(self.dir.path().join("fiches").join(path)).expect("remove");
    }

    /// Syncs every source, as `sync` does; the reports, by source id.
    async fn sync(&self) -> Vec<SourceReport> {
        let (db, sources, dir): (Database, Vec<SourceConfig>, PathBuf) =
            (self.db.clone(), self.sources.clone(), self.dir.path().to_owned());
        tokio::task::spawn_blocking(move || {
            let context = SyncContext::new(&dir.join("sources.toml"), &dir.join("bao.sqlite3"))
                .naming_networks_of(&sources);
            sources.iter().map(|config| sync_source(&db, &context, config)).collect()
        })
        .await
        .expect("sync")
    }

    fn resource(&self, id: &str) -> Resource {
        self.db.resource(id).expect("database").unwrap_or_else(|| panic!("{}: no {id}", self.base))
    }

    fn ids(&self) -> Vec<String> {
        let mut ids = Vec::new();
        self.db
            .for_each_resource(|resource, _| -> Result<(), bao_server::store::DbError> {
                ids.push(resource.id);
                Ok(())
            })
            .expect("database");
        ids
    }
}

fn stored(report: &SourceReport) -> StoreOutcome {
    match &report.outcome {
        SyncOutcome::Stored { report, .. } => report.stored.clone(),
        other => panic!("{}: expected a stored sync, got {other:?}", report.id),
    }
}

fn unchanged(report: &SourceReport) -> bool {
    matches!(report.outcome, SyncOutcome::Unchanged { .. })
}

const README: &str = "---\nnetwork: Réseau\n---\nFiches sous licence CC BY-SA 4.0.\n";

/// Words enough for a fiche (a shorter text is a draft, skipped).
const PRACTICE: &str = "Cette fiche décrit une pratique collaborative essayée par plusieurs associations du \
    réseau, avec ses étapes, ses difficultés et ce qu'elle a changé pour elles.";

fn fiche(title: &str, author: &str, text: &str) -> String {
    format!("---\ntitle: {title}\nauthors: [{author}]\n---\n\n{text}\n\n{PRACTICE}\n")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_follows_another_with_ids_attribution_and_withdrawals() {
    let first = Server::start("premier").await;
    first.write("README.md", README);
    first.write(
        "cercle.md",
        &fiche("Le cercle de parole", "Camille", "Chacun parle à son tour, sans être interrompu."),
    );
    first.write(
        "compost.md",
        &fiche("Le compost collectif", "Nadia", "Un bac au pied de l'immeuble, tenu par les voisins."),
    );
    first.write(
        "licence-nc.md",
        &format!("---\ntitle: La charte du local\nlicence: CC BY-NC-SA 4.0\n---\n\nRéservée aux usages non commerciaux.\n\n{PRACTICE}\n"),
    );
    first.write(
        "atelier.md",
        "---\ntitle: L'atelier vélo\n---\n\n<iframe src=\"https://tube.example.org/videos/embed/9b1c-77\"></iframe>\n\nOn répare ensemble.\n",
    );
    first.write("atelier.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\nBonjour.\n");
    let report = &first.sync().await[0];
    assert_eq!(stored(report).created, 4, "{report}");

    let mut second = Server::start("second").await;
    second.write("README.md", README);
    second.write(
        "jardin.md",
        &fiche("Le jardin partagé", "Inès", "Des bacs de culture dans la cour de l'école."),
    );
    second.follow(&first);
    let reports = second.sync().await;
    assert_eq!(stored(&reports[1]).created, 4, "{}", reports[1]);

    for id in ["premier-cercle", "premier-compost", "premier-licence-nc", "premier-atelier"] {
        let (original, copy) = (first.resource(id), second.resource(id));
        assert_eq!(
            (&copy.title, &copy.authors, &copy.network, &copy.licence, &copy.source_url, &copy.body_html),
            (
                &original.title,
                &original.authors,
                &original.network,
                &original.licence,
                &original.source_url,
                &original.body_html
            ),
            "{id}: kept as the first server has it"
        );
    }
    assert_eq!(second.resource("premier-licence-nc").licence.label, "CC BY-NC-SA 4.0");
    let files = second.db.resource_files("premier-cercle").expect("database");
    assert_eq!(
        files[0].url,
        Some(format!("{}r/premier-cercle", first.base)),
        "the first server's page is its source"
    );
    let all = bao_server::store::TestimonialFilter { limit: 100, ..Default::default() };
    let testimonials = second.db.testimonials(&all).expect("database");
    assert!(
        testimonials.iter().any(|t| t.resource.id == "premier-atelier" && t.video.captions.len() == 1),
        "the video and its captions"
    );

    // Nothing new: one request, nothing stored.
    assert!(unchanged(&second.sync().await[1]));

    // An edit, a new fiche, a withdrawal.
    first.write(
        "cercle.md",
        &fiche("Le cercle de parole", "Camille", "Chacun parle à son tour. Le bâton de parole circule."),
    );
    first.write(
        "troc.md",
        &fiche("La boîte à troc", "Malik", "Une boîte où l'on dépose et prend des objets."),
    );
    first.remove("compost.md");
    let changed = stored(&first.sync().await[0]);
    assert_eq!((changed.updated, changed.created, changed.withdrawn), (1, 1, 1));
    let followed = second.sync().await;
    let outcome = stored(&followed[1]);
    assert_eq!((outcome.updated, outcome.created, outcome.withdrawn), (1, 1, 1), "{}", followed[1]);
    let edited = second.resource("premier-cercle");
    assert_eq!(edited.summary, first.resource("premier-cercle").summary);
    assert!(edited.summary.contains("bâton de parole"), "{}", edited.summary);
    assert_eq!(second.resource("premier-troc").authors, ["Malik"]);
    assert!(
        matches!(second.db.lookup("premier-compost").expect("database"), Lookup::Withdrawn { .. }),
        "withdrawals propagate"
    );
    assert!(second.resource("second-jardin").title == "Le jardin partagé", "its own sources go on");

    // A fiche edited into a copy of another is merged into it there: its id leads to it here too.
    let cercle = std::fs::read_to_string(first.dir.path().join("fiches/cercle.md")).expect("fiche");
    first.write("troc.md", &cercle);
    assert_eq!(stored(&first.sync().await[0]).merged, 1);
    second.sync().await;
    assert_eq!(
        second.db.lookup("premier-troc").expect("database"),
        Lookup::Renamed("premier-cercle".into()),
        "ids are forever"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn two_servers_following_each_other_stay_stable() {
    let mut first = Server::start("premier").await;
    first.write("README.md", README);
    first.write(
        "cercle.md",
        &fiche("Le cercle de parole", "Camille", "Chacun parle à son tour, sans être interrompu."),
    );
    let mut second = Server::start("second").await;
    second.write("README.md", README);
    second.write(
        "jardin.md",
        &fiche("Le jardin partagé", "Inès", "Des bacs de culture dans la cour de l'école."),
    );
    first.follow(&second);
    second.follow(&first);
    for _ in 0..3 {
        first.sync().await;
        second.sync().await;
    }
    let expected = ["premier-cercle", "second-jardin"];
    assert_eq!(first.ids(), expected, "each resource once, no copy of a copy");
    assert_eq!(second.ids(), expected);
    let (a, b) = (first.sync().await, second.sync().await);
    assert!(a.iter().chain(&b).all(|report| !report.changed()), "stable: {a:?} {b:?}");
    assert!(unchanged(&a[1]) && unchanged(&b[1]), "nothing new from the other: {a:?} {b:?}");
}

/// Networks are named by the sources file: a followed server whose resources claim a network
/// of this one, under another name and address, neither renames nor re-points it.
#[tokio::test(flavor = "multi_thread")]
async fn a_followed_server_never_renames_a_network_of_this_one() {
    let mut hostile = Server::start("local").await;
    hostile.sources[0].network.name = "Pirates".into();
    hostile.sources[0].network.url = Some("https://pirates.example/".into());
    hostile.write("cercle.md", &fiche("Le cercle de parole", "Camille", "Chacun parle à son tour."));
    stored(&hostile.sync().await[0]);

    let mut mine = Server::start("local").await;
    mine.write("README.md", README);
    mine.write("jardin.md", &fiche("Le jardin partagé", "Inès", "Des bacs de culture dans la cour."));
    stored(&mine.sync().await[0]);
    let networks =
        |db: &Database| db.networks().expect("networks").into_iter().map(|n| n.network).collect::<Vec<_>>();
    let named = networks(&mine.db);
    mine.follow(&hostile);
    let reports = mine.sync().await;
    assert_eq!(stored(&reports[1]).created, 1, "its resource is followed: {reports:?}");
    assert_eq!(networks(&mine.db), named, "the network keeps its name and address");
    assert_eq!(mine.resource("local-cercle").network, named[0]);
}

/// A page of changes carries at most [`bao_contract::CHANGES_PAGE_BYTES`] of resources past its
/// first: eight fiches of 900 KB come in pages a follower reads within its bounds, and all eight
/// arrive in one sync.
#[tokio::test(flavor = "multi_thread")]
async fn large_fiches_come_in_pages_of_bounded_bytes() {
    let first = Server::start("premier").await;
    first.write("README.md", README);
    for n in 0..8 {
        let words: String = (0..80_000).map(|i| format!("fiche{n}mot{} ", i % 1000)).collect();
        first.write(&format!("longue-{n}.md"), &fiche(&format!("Longue fiche {n}"), "Camille", &words));
    }
    assert_eq!(stored(&first.sync().await[0]).created, 8);
    let url = format!("{}api/v1/changes?since=0&limit=100", first.base);
    let answer = tokio::task::spawn_blocking(move || {
        let mut response = ureq::get(&url).call().expect("an answer");
        response.body_mut().with_config().limit(64 << 20).read_to_string().expect("text")
    })
    .await
    .expect("request");
    let page: bao_contract::ChangePage = serde_json::from_str(&answer).expect("a page of changes");
    assert!(
        (1..8).contains(&page.items.len()),
        "{} changes in a page of {} bytes",
        page.items.len(),
        answer.len()
    );
    assert!(answer.len() < bao_contract::CHANGES_PAGE_BYTES + 1024 * 1024, "{} bytes", answer.len());

    let mut second = Server::start("second").await;
    second.follow(&first);
    let reports = second.sync().await;
    assert_eq!(stored(&reports[1]).created, 8, "{}", reports[1]);
}

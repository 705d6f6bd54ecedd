//! Reuse counting through the router: beacons counted per resource, site, element and event,
//! bounded per client and per day, nothing personal stored, and the reports read back (JSON,
//! page, CSV): the commons' totals by anyone, a network's figures with its key only.

use crate::common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bao_contract::Problem;
use bao_contract::reuse::{LOCAL_SITES, ReuseStats, UNKNOWN_SITE};
use bao_server::calendar::today;
use bao_server::http::serve::{self, Limits};
use bao_server::reuse::{PER_CLIENT, PER_CLIENT_PER_RESOURCE, Primary, ReportKeys, ReuseCounter, Secret};
use bao_server::store::counts::CountKey;
use bao_server::store::{Database, SourceUpdate};
use bao_server::{AppState, app};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// Network `n`'s key, as the sources file gives it.
const KEY: &str = "8f3a91c2d7e64b05";

/// Two fiches of network `n`, whose figures open with [`KEY`]; `ancienne-a` is an id `a` had
/// before.
fn router() -> (tempfile::TempDir, Database, Router) {
    let (dir, db, state) = commons_state();
    (dir, db, app(state))
}

fn commons_state() -> (tempfile::TempDir, Database, AppState) {
    let (dir, db) = common::temp_db();
    let networks = [common::test_network()];
    let files = [common::fiche("a", "Fiche A", "texte"), common::fiche("b", "Fiche B", "texte")];
    db.store_source(&SourceUpdate {
        source_id: "s",
        networks: &networks,
        resources: &files,
        aliases: &[("ancienne-a".into(), "a".into())],
        sync: None,
    })
    .unwrap();
    let search = common::search_index(&dir, &db);
    let mut state = AppState::new(db.clone(), search);
    state.report_keys = ReportKeys::new(&[("n".to_owned(), KEY.to_owned())].into());
    (dir, db, state)
}

/// Posts a beacon as embed.js does (text/plain JSON) with `headers`; returns the status and body.
async fn beacon(router: &Router, body: &str, headers: &[(&str, &str)]) -> (StatusCode, String) {
    let mut request =
        Request::post("/api/v1/beacon").header(header::CONTENT_TYPE, "text/plain;charset=UTF-8");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = router.clone().oneshot(request.body(Body::from(body.to_owned())).unwrap()).await.unwrap();
    let status = response.status();
    (status, String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap())
}

fn shown(resource: &str, element: &str, event: &str) -> String {
    format!(r#"{{"resource":"{resource}","element":"{element}","event":"{event}"}}"#)
}

async fn stats(router: &Router, query: &str) -> ReuseStats {
    let (status, _, body) = common::get_with(router, &format!("/api/v1/stats{query}"), &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).unwrap()
}

/// Network `n`'s figures, opened with its key.
async fn network_stats(router: &Router) -> ReuseStats {
    stats(router, &format!("?network=n&key={KEY}")).await
}

/// The sites of network `n`'s figures.
async fn sites(router: &Router) -> Vec<String> {
    network_stats(router).await.sites.unwrap().into_iter().map(|site| site.site).collect()
}

const PARTNER: (&str, &str) = ("origin", "https://www.asso-partenaire.org");

#[tokio::test]
async fn each_display_and_read_counts_once_under_the_resource_the_site_and_the_network() {
    let (_dir, _db, router) = router();
    for (body, headers) in [
        (shown("a", "card", "display"), vec![PARTNER]),
        (shown("a", "card", "read"), vec![PARTNER]),
        // An id the resource had before counts for it.
        (shown("ancienne-a", "search", "display"), vec![("referer", "https://autre.example.org/page?x=1")]),
        (shown("b", "testimonials", "display"), vec![("origin", "http://localhost:8080")]),
        (shown("b", "card", "display"), vec![("origin", "null")]),
        // An id that names nothing is not kept.
        (shown("inconnue", "card", "display"), vec![PARTNER]),
    ] {
        let (status, body) = beacon(&router, &body, &headers).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    }
    let all = network_stats(&router).await;
    assert_eq!((all.displays, all.reads), (4, 1));
    let sites: Vec<(&str, u64, u64)> =
        all.sites.iter().flatten().map(|site| (site.site.as_str(), site.displays, site.reads)).collect();
    assert_eq!(
        sites,
        [
            ("www.asso-partenaire.org", 1, 1),
            (UNKNOWN_SITE, 1, 0),
            (LOCAL_SITES, 1, 0),
            ("autre.example.org", 1, 0)
        ]
    );
    let a = all.resources.iter().flatten().find(|resource| resource.id == "a").unwrap();
    assert_eq!((a.title.as_str(), a.displays, a.reads), ("Fiche A", 2, 1));
    assert_eq!(all.months.last().map(|month| month.displays), Some(4));
    assert_eq!(all.months.len(), 12, "a year to this month by default");
    assert_eq!(stats(&router, "").await.displays, 4, "the whole commons is network n here");
}

#[tokio::test]
async fn from_our_own_iframes_sandboxed_or_not_the_page_around_them_is_the_site() {
    let (_dir, _db, router) = router();
    let framed = r#"{"resource":"a","element":"card","event":"display","page":"www.asso.fr"}"#;
    let ours = [("host", "commun.exemple.org"), ("origin", "http://commun.exemple.org")];
    beacon(&router, framed, &ours).await;
    // Another site cannot say it is someone else.
    let framed_b = framed.replace("\"a\"", "\"b\"");
    beacon(&router, &framed_b, &[("host", "commun.exemple.org"), PARTNER]).await;
    // In the frame WordPress sandboxes, the page has no origin: `Origin: null`, no `Referer`.
    let sandboxed = framed_b.replace("www.asso.fr", "blog.asso-wordpress.fr");
    beacon(&router, &sandboxed, &[("host", "commun.exemple.org"), ("origin", "null")]).await;
    assert_eq!(sites(&router).await, ["blog.asso-wordpress.fr", "www.asso-partenaire.org", "www.asso.fr"]);
}

#[tokio::test]
async fn a_loop_adds_at_most_the_bound_and_privacy_signals_add_nothing() {
    let (_dir, _db, router) = router();
    for _ in 0..1_000 {
        beacon(&router, &shown("a", "card", "display"), &[PARTNER]).await;
    }
    assert_eq!(stats(&router, "").await.displays, u64::from(PER_CLIENT_PER_RESOURCE));
    for signal in [("sec-gpc", "1"), ("dnt", "1")] {
        let (status, _) = beacon(&router, &shown("b", "card", "display"), &[PARTNER, signal]).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
    assert!(network_stats(&router).await.resources.unwrap().iter().all(|resource| resource.id != "b"));
}

#[tokio::test]
async fn nothing_that_tells_a_visitor_apart_is_stored() {
    let (dir, db, router) = router();
    let agent = "Mozilla/5.0 (X11; Linux) Navigateur-Tres-Reconnaissable/42";
    let address = "203.0.113.77";
    for resource in ["a", "b"] {
        let headers =
            [PARTNER, ("user-agent", agent), ("x-forwarded-for", address), ("cookie", "session=secret-7")];
        beacon(&router, &shown(resource, "card", "display"), &headers).await;
    }
    assert_eq!(stats(&router, "").await.displays, 2);
    drop((router, db));
    let conn = r2d2_sqlite::rusqlite::Connection::open(dir.path().join("test.sqlite3")).unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    let mut statement = conn.prepare("SELECT name FROM pragma_table_info('reuse_counts')").unwrap();
    let columns: Vec<String> =
        statement.query_map([], |row| row.get(0)).unwrap().map(Result::unwrap).collect();
    assert_eq!(columns, ["network", "day", "resource", "site", "what", "count"]);
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            for secret in [agent, address, "secret-7", "Navigateur-Tres"] {
                let found = bytes.windows(secret.len()).any(|window| window == secret.as_bytes());
                assert!(!found, "{secret} in {}", path.display());
            }
        }
    }
}

#[tokio::test]
async fn bad_beacons_and_bad_periods_are_told_as_problems() {
    let (_dir, _db, router) = router();
    for body in [
        "",
        "{",
        r#"{"resource":"a","element":"carte","event":"display"}"#,
        r#"{"resource":"a","element":"card","event":"display","ip":"1.2.3.4"}"#,
        r#"{"resource":"","element":"card","event":"display"}"#,
    ] {
        let (status, answer) = beacon(&router, body, &[]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        serde_json::from_str::<Problem>(&answer).unwrap();
    }
    let (status, _) = beacon(&router, &format!("{:2000}", shown("a", "card", "read")), &[]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    for query in
        ["?from=2026-02-30", "?to=hier", "?from=2026-05-01&to=2026-04-01", "?from=2000-01-01&to=2026-01-01"]
    {
        let (status, headers, _) = common::get_with(&router, &format!("/api/v1/stats{query}"), &[]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");
    }
    let (status, _, _) =
        common::get_with(&router, &format!("/api/v1/stats?network=personne&key={KEY}"), &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "n's key opens no other network");
    let (status, _, _) = common::get_with(&router, "/statistiques?from=demain", &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_report_page_and_its_csv() {
    let (_dir, _db, router) = router();
    beacon(&router, &shown("a", "card", "display"), &[PARTNER]).await;
    beacon(&router, &shown("a", "card", "read"), &[("origin", "https://=cmd.example.org")]).await;
    let (status, _, page) =
        common::get_with(&router, &format!("/statistiques?network=n&key={KEY}"), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<h1>Où le commun est lu : Réseau</h1>"), "{page}");
    assert!(page.contains("affichés 1 fois") && page.contains("lus 1 fois"));
    assert!(page.contains("<th scope=\"row\">www.asso-partenaire.org</th><td>1</td><td>0</td>"));
    assert!(page.contains("<svg class=\"chart\""));
    // Its links keep the key: the CSV below is the one the page offers.
    assert!(
        page.contains("href=\"/statistiques.csv?network=n&#38;from=")
            && page.contains(&format!("&#38;key={KEY}\" download")),
        "{page}"
    );
    let (status, headers, csv) =
        common::get_with(&router, &format!("/statistiques.csv?network=n&key={KEY}"), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"statistiques-n-")
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "jour,reseau,ressource,site,element,evenement,nombre");
    assert_eq!(lines.len(), 3, "{csv}");
    // A host is never read as a formula by a spreadsheet (here it is no host: unknown).
    assert!(!csv.contains(",=") && lines[1].ends_with(&format!(",n,a,{UNKNOWN_SITE},card,read,1")), "{csv}");
    assert!(lines[2].ends_with(",n,a,www.asso-partenaire.org,card,display,1"), "{csv}");
}

/// Beacons for ids that name no resource are not counted and spend nothing: a client sending a
/// day's budget of random ids first still has its displays of real fiches counted.
#[tokio::test]
async fn ids_that_name_nothing_spend_no_budget() {
    let (_dir, _db, router) = router();
    for n in 0..PER_CLIENT + 100 {
        beacon(&router, &shown(&format!("inventee-{n}"), "card", "display"), &[PARTNER]).await;
    }
    beacon(&router, &shown("a", "card", "display"), &[PARTNER]).await;
    beacon(&router, &shown("ancienne-a", "card", "read"), &[PARTNER]).await;
    let all = stats(&router, "").await;
    assert_eq!((all.displays, all.reads), (1, 1), "the real fiche, by its id and by its old one");
}

/// Who reads what: the commons' totals by anyone, without a site or a resource; a network's
/// figures (its partner sites) with its key only, kept by no shared cache.
#[tokio::test]
async fn a_networks_figures_open_with_its_key_only() {
    let (_dir, _db, router) = router();
    beacon(&router, &shown("a", "card", "display"), &[PARTNER]).await;
    let site = PARTNER.1.trim_start_matches("https://");

    let (status, headers, body) = common::get_with(&router, "/api/v1/stats", &[]).await;
    assert_eq!((status, headers[header::CACHE_CONTROL].to_str().unwrap()), (StatusCode::OK, "no-cache"));
    let public: ReuseStats = serde_json::from_str(&body).unwrap();
    assert_eq!((public.displays, public.sites, public.resources), (1, None, None));
    let (status, headers, body) =
        common::get_with(&router, &format!("/api/v1/stats?network=n&key={KEY}"), &[]).await;
    assert_eq!(
        (status, headers[header::CACHE_CONTROL].to_str().unwrap()),
        (StatusCode::OK, "private, no-store")
    );
    assert!(body.contains(site), "{body}");

    for query in ["?network=n", "?network=n&key=", "?network=n&key=8f3a91c2d7e64b06", "?network=personne"] {
        for path in ["/api/v1/stats", "/statistiques.csv"] {
            let (status, headers, body) = common::get_with(&router, &format!("{path}{query}"), &[]).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{path}{query}");
            assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");
            assert!(body.contains("se lisent avec sa clé") && !body.contains(site), "{body}");
        }
        // The page says why, and shows what is public.
        let (status, _, page) = common::get_with(&router, &format!("/statistiques{query}"), &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{query}");
        assert!(page.contains("role=\"alert\"") && page.contains("affichés 1 fois"), "{page}");
        assert!(!page.contains(site) && !page.contains("Fiche A"), "{page}");
    }
    let (status, _, page) = common::get_with(&router, "/statistiques", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("affichés 1 fois") && !page.contains(site) && !page.contains("download"), "{page}");
    let (status, _, _) = common::get_with(&router, "/statistiques.csv", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the daily rows name sites: a network's, with its key");
}

/// The key the replicas of a scale-out send their counts with.
const COUNTS_KEY: &str = "cle-des-repliques-0001";

/// Posts held counts to `router` with `authorization`; returns the status.
async fn send_held(router: &Router, authorization: Option<&str>, body: &str) -> StatusCode {
    let mut request = Request::post("/api/v1/counts").header(header::CONTENT_TYPE, "application/json");
    if let Some(authorization) = authorization {
        request = request.header(header::AUTHORIZATION, authorization);
    }
    router.clone().oneshot(request.body(Body::from(body.to_owned())).unwrap()).await.unwrap().status()
}

/// The primary of a scale-out takes a replica's counts with the replicas' key only, and only
/// counts that could be a replica's (a recent day, a bounded number).
#[tokio::test]
async fn the_primary_takes_held_counts_with_the_replicas_key_only() {
    let (_dir, _db, mut state) = commons_state();
    let held = |day: &str, count: u64| {
        format!(
            r#"[{{"day":"{day}","resource":"a","site":"www.asso.fr","element":"card","event":"display","count":{count}}}]"#
        )
    };
    let today = today().to_string();
    let without_key = app(state.clone());
    assert_eq!(
        send_held(&without_key, Some(&format!("Bearer {COUNTS_KEY}")), &held(&today, 3)).await,
        StatusCode::NOT_FOUND
    );
    state.counts_key = Some(Secret::new(COUNTS_KEY));
    let primary = app(state);
    for authorization in [None, Some("Bearer cle-des-repliques-0002"), Some(COUNTS_KEY)] {
        assert_eq!(send_held(&primary, authorization, &held(&today, 3)).await, StatusCode::FORBIDDEN);
    }
    let bearer = format!("Bearer {COUNTS_KEY}");
    for bad in [held("2020-01-01", 3), held(&today, 0), held(&today, 1_000_000), "[{}]".into(), "{".into()] {
        assert_eq!(send_held(&primary, Some(&bearer), &bad).await, StatusCode::BAD_REQUEST, "{bad}");
    }
    assert_eq!(send_held(&primary, Some(&bearer), &held(&today, 3)).await, StatusCode::NO_CONTENT);
    assert_eq!(sites(&primary).await, ["www.asso.fr"]);
    assert_eq!(network_stats(&primary).await.displays, 3);
}

/// A replica holds the counts it takes while the primary is away, sends them when it is back,
/// and, stopped while the primary is away, keeps them in its own database rather than lose them.
#[tokio::test(flavor = "multi_thread")]
async fn a_replica_sends_its_counts_to_the_primary_once_it_is_back() {
    let (_primary_dir, primary_db, mut state) = commons_state();
    state.counts_key = Some(Secret::new(COUNTS_KEY));
    let primary = app(state);
    // The primary's address, free while it is away.
    let address = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let (_replica_dir, replica_db, _) = commons_state();
    let replica = ReuseCounter::sending_to(
        replica_db.clone(),
        true,
        Some(Primary::new(&format!("http://{address}/"), COUNTS_KEY)),
    );
    let shown = |resource: &str| CountKey {
        day: today(),
        resource: resource.into(),
        site: "www.asso.fr".into(),
        element: bao_contract::reuse::CountedElement::Card,
        event: bao_contract::reuse::ReuseEvent::Display,
    };
    let client = Some("192.0.2.1".parse().unwrap());
    let write = |counter: &ReuseCounter| {
        let counter = counter.clone();
        tokio::task::spawn_blocking(move || counter.write())
    };
    let displays = |db: &Database| db.reuse_stats(None, today(), today()).unwrap().totals.displays;

    assert!(replica.record(client, shown("a")) && replica.record(client, shown("ancienne-a")));
    assert_eq!(write(&replica).await.unwrap().unwrap(), 0, "the primary is away: nothing sent");
    assert_eq!(displays(&primary_db), 0);

    let listener = tokio::net::TcpListener::bind(address).await.unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(serve::serve(listener, primary, Limits::for_this_machine(), async {
        let _ = stopped.await;
    }));
    assert_eq!(write(&replica).await.unwrap().unwrap(), 2, "both counts sent, by the ids the beacons named");
    assert_eq!(displays(&primary_db), 2);
    assert_eq!(displays(&replica_db), 0, "a replica keeps no counts of its own");

    stop.send(()).unwrap();
    serving.await.unwrap().unwrap();
    assert!(replica.record(client, shown("b")));
    let kept = replica.clone();
    tokio::task::spawn_blocking(move || kept.write_at_shutdown()).await.unwrap().unwrap();
    assert_eq!((displays(&primary_db), displays(&replica_db)), (2, 1), "not lost: in the replica's database");
}

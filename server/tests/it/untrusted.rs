//! Everything a source or a client sends is untrusted: one test per finding of the attack probe
//! (issue 18), each with the hostile input that found it. The player from any host is in
//! `testimonials.rs` (`a_script_url_is_never_a_player`).

use crate::common;

use crate::common::FICHE_TEXT;

use axum::http::StatusCode;
use bao_server::sources::{self, multibao::MultibaoRepository};
use bao_server::{AppState, app};

/// `network_url: javascript:…` came out as oEmbed `author_url` and schema.org `publisher.url`;
/// `lang` was not checked; a scheme-relative image would be fetched by visitors' browsers.
#[tokio::test]
async fn every_address_a_source_gives_is_web_and_every_language_a_tag() {
    let (dir, db) = common::temp_db();
    let repo = dir.path().join("tests-pieges");
    common::write(
        &repo,
        "README.md",
        "---\nnetwork: Réseau piégé\nnetwork_url: \"javascript:alert(document.domain)\"\n---\n# Pièges\n",
    );
    common::write(
        &repo,
        "langue.md",
        &format!(
            "---\ntitle: Une langue piégée\nlang: \"fr\\\"><script>alert(1)</script>\"\nimage_url: \"//evil.example/x.jpg\"\n---\n\n{FICHE_TEXT}\n"
        ),
    );
    let report =
        sources::import(&db, "tests-pieges", &MultibaoRepository::from_folder_name(&repo).unwrap(), &[])
            .unwrap();
    let remarks = report.to_string();
    assert!(remarks.contains("langue « fr\"><script>"), "{remarks}");

    let resource = db.resource("tests-langue").unwrap().expect("imported, mended");
    assert_eq!(resource.network.url, None);
    assert_eq!(resource.lang, "fr");
    assert_eq!(resource.image, None);

    let search = common::search_index(&dir, &db);
    let router = app(AppState::new(db, search));
    let host = [("host", "bao.test")];
    let (status, _, page) = common::get_with(&router, "/r/tests-langue", &host).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, oembed) =
        common::get_with(&router, "/oembed?url=http%3A%2F%2Fbao.test%2Fr%2Ftests-langue", &host).await;
    assert_eq!(status, StatusCode::OK, "{oembed}");
    for text in [&page, &oembed] {
        assert!(!text.contains("javascript:") && !text.contains("evil.example"), "{text}");
    }
    assert!(page.contains("<html lang=\"fr\""), "{page}");
}

/// Posters were fetched from wherever a source pointed, redirects followed: a blind SSRF. By
/// default no hop may reach this machine, its network or cloud metadata.
#[tokio::test]
async fn posters_are_never_fetched_from_internal_addresses() {
    let asked = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = asked.clone();
    let routes = axum::Router::new().fallback(move || {
        counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        async { ([(axum::http::header::CONTENT_TYPE, "image/png")], vec![0u8; 16]) }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let internal = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, routes).await.unwrap() });

    let (dir, db) = common::temp_db();
    let repo = dir.path().join("tests-ssrf");
    for (n, poster) in [
        format!("{internal}/poster.png"),
        "http://169.254.169.254/latest/meta-data/x.png".into(),
        "http://[::1]/x.png".into(),
    ]
    .iter()
    .enumerate()
    {
        common::write(
            &repo,
            &format!("f{n}.md"),
            &format!("---\ntitle: Fiche {n}\nimage_url: \"{poster}\"\n---\n\n{FICHE_TEXT}\n"),
        );
    }
    sources::import(&db, "tests-ssrf", &MultibaoRepository::from_folder_name(&repo).unwrap(), &[]).unwrap();
    let report = tokio::task::spawn_blocking(move || {
        bao_server::sources::posters::fetch_missing(&db, bao_server::sources::posters::Reach::Public)
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(report.fetched, 0);
    assert_eq!(report.failed.len(), 3, "{report}");
    assert!(report.failed.iter().all(|(_, reason)| reason.contains("adresse interne refusée")), "{report}");
    assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), 0, "the internal host was never asked");
}

/// Fuzzed requests logged 251 lines at ERROR in one run: 501s (a format we do not speak) were
/// taken for server failures. A client's mistake is logged at debug at most.
#[tokio::test]
async fn client_mistakes_are_not_logged_as_server_errors() {
    #[derive(Clone, Default)]
    struct Lines(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
    impl std::io::Write for Lines {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let lines = Lines::default();
    let writer = lines.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_writer(move || writer.clone())
        .finish();
    let _logging = tracing::subscriber::set_default(subscriber);

    let (dir, db) = common::temp_db();
    common::import(&db, "exemples-fiches");
    let search = common::search_index(&dir, &db);
    let router = app(AppState::new(db, search));
    let mistakes = [
        (
            "/oembed?url=http%3A%2F%2Fbao.test%2Fr%2Fexemples-cercle-de-parole&format=xml",
            StatusCode::NOT_IMPLEMENTED,
        ),
        ("/api/v1/resources?limit=-1", StatusCode::BAD_REQUEST),
        ("/api/v1/search?q=a&limit=beaucoup", StatusCode::BAD_REQUEST),
        ("/api/v1/resources/nulle-part", StatusCode::NOT_FOUND),
        ("/r/%ff", StatusCode::BAD_REQUEST),
        ("/widget/x.js", StatusCode::SERVICE_UNAVAILABLE),
    ];
    for _ in 0..50 {
        for (uri, expected) in &mistakes {
            let (status, _, body) = common::get_with(&router, uri, &[("host", "bao.test")]).await;
            assert_eq!(status, *expected, "{uri}: {body}");
        }
    }
    let logged = String::from_utf8(lines.0.lock().unwrap().clone()).unwrap();
    assert!(!logged.contains("ERROR") && !logged.contains("WARN"), "{logged}");
}

/// A body's images of other hosts (100 of the 228 real fiches have some, on GitHub) were asked
/// by every reader's browser. They are fetched once into the cache and served from here.
#[tokio::test]
async fn images_of_bodies_are_served_from_our_cache() {
    let png = {
        let image = image::RgbaImage::from_pixel(1600, 400, image::Rgba([20, 120, 60, 255]));
        let mut bytes = Vec::new();
        image::DynamicImage::ImageRgba8(image)
            .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png)
            .unwrap();
        bytes
    };
    let routes = axum::Router::new().route(
        "/schema.png",
        axum::routing::get(move || async move { ([(axum::http::header::CONTENT_TYPE, "image/png")], png) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let host = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, routes).await.unwrap() });

    let (dir, db) = common::temp_db();
    let repo = dir.path().join("tests-images");
    common::write(
        &repo,
        "schema.md",
        &format!(
            "# Le schéma\n\n![Le schéma du réseau]({host}/schema.png)\n\n\
             <iframe src=\"https://player.vimeo.com/video/123\"></iframe>\n\n{FICHE_TEXT}\n"
        ),
    );
    sources::import(&db, "tests-images", &MultibaoRepository::from_folder_name(&repo).unwrap(), &[]).unwrap();
    let fetch_db = db.clone();
    let report = tokio::task::spawn_blocking(move || {
        bao_server::sources::posters::fetch_missing(
            &fetch_db,
            bao_server::sources::posters::Reach::AlsoPrivate,
        )
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(report.fetched, 1, "{report}");

    let search = common::search_index(&dir, &db);
    let router = app(AppState::new(db, search));
    let bao = [("host", "bao.test")];
    let (_, _, json) = common::get_with(&router, "/api/v1/resources/tests-schema", &bao).await;
    let (_, _, page) = common::get_with(&router, "/r/tests-schema", &bao).await;
    let (_, _, fragment) = common::get_with(&router, "/fragments/card/tests-schema", &bao).await;
    let media =
        format!("/api/v1/media/{}", bao_server::store::media::media_key(&format!("{host}/schema.png")));
    for text in [&json, &page] {
        assert!(!text.contains(&host) && text.contains(&media), "{text}");
    }
    assert!(!fragment.contains(&host), "{fragment}");
    // A player in the text is a link to it: nothing is asked of the video host before a click.
    assert!(!page.contains("<iframe") && page.contains("Voir la vidéo sur vimeo.com"), "{page}");
    let (status, _, _) =
        common::get_with(&router, "/lien?vers=https%3A%2F%2Fplayer.vimeo.com%2Fvideo%2F123", &bao).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the link leaves WordPress's sandbox through /lien");
    assert!(page.contains(&format!("src=\"http://bao.test{media}\"")), "absolute in the card: {page}");
    let (status, headers, _) = common::get_with(&router, &media, &bao).await;
    assert_eq!(
        (status, &headers["content-type"]),
        (StatusCode::OK, &"image/jpeg".parse::<axum::http::HeaderValue>().unwrap())
    );
    let (status, headers, _) = common::get_with(&router, "/api/v1/media/0000", &bao).await;
    assert_eq!(
        (status, &headers["content-type"]),
        (StatusCode::OK, &"image/svg+xml".parse::<axum::http::HeaderValue>().unwrap())
    );
}

/// One contributor's file of 120 000 tags made 3.7 MB cards, 6.6 MB pages and 30 MB searches:
/// every resource keeps within its budget, whatever its source; past it, the report says what
/// was cut, and a body too long for any fiche skips the file.
#[tokio::test]
async fn a_resource_keeps_within_its_budget_whatever_its_source_sends() {
    use bao_server::sources::vetting::Budget;
    let (dir, db) = common::temp_db();
    let repo = dir.path().join("tests-enorme");
    let tags: Vec<String> = (0..5_000).map(|n| format!("mot{n}")).collect();
    let authors: Vec<String> = (0..500).map(|n| format!("Autrice {n}")).collect();
    common::write(
        &repo,
        "etiquettes.md",
        &format!(
            "---\ntitle: \"{}\"\ntags: [{}]\nauthors: [{}, \"{}\"]\n---\n\n{FICHE_TEXT}\n",
            "Titre ".repeat(200),
            tags.join(", "),
            authors.join(", "),
            "n".repeat(500)
        ),
    );
    common::write(
        &repo,
        "long.md",
        &format!("---\ntitle: Trop long\n---\n\n{}", "Un mot de plus. ".repeat(80_000)),
    );
    let report =
        sources::import(&db, "tests-enorme", &MultibaoRepository::from_folder_name(&repo).unwrap(), &[])
            .unwrap();
    let said = report.to_string();
    assert!(said.contains("40 mots-clés sur 5000 gardés") && said.contains("40 auteurs sur 501"), "{said}");
    assert!(said.contains("titre coupé à 300 caractères"), "{said}");
    assert!(said.contains("long.md") && said.contains("au-delà des 1024 Kio"), "{said}");

    let resource = db.resource("tests-etiquettes").unwrap().expect("imported, cut");
    assert_eq!((resource.tags.len(), resource.authors.len()), (Budget::TAGS, Budget::AUTHORS));
    assert!(resource.title.chars().count() <= Budget::TITLE_CHARS + 1);
    assert!(resource.authors.iter().all(|name| name.chars().count() <= Budget::NAME_CHARS));
    assert_eq!(db.resource("tests-long").unwrap(), None, "skipped");
}

//! Filmed testimonies end to end on the server: the importer reading the real interviews and a
//! repository with every form (PeerTube iframe, video file, captions and transcript files), the
//! poster cache against a real HTTP server that answers well and badly, and the API routes.

use crate::common;

use crate::common::FICHE_TEXT;

use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::routing::get;
use bao_contract::{Problem, Provider, SearchResults, TestimonialList};
use bao_server::sources::posters;
use bao_server::sources::{self, multibao::MultibaoRepository};
use bao_server::store::Database;
use bao_server::store::SourceUpdate;
use bao_server::{AppState, app};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// A host of images on a free port: a large PNG, an HTML page, and an "image" too big to be one.
async fn start_image_host() -> String {
    let big_png = {
        let image = image::RgbImage::from_pixel(1280, 720, image::Rgb([30, 90, 160]));
        let mut bytes = Vec::new();
        image::DynamicImage::ImageRgb8(image)
            .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png)
            .unwrap();
        bytes
    };
    let routes = Router::new()
        .route("/grande.png", get(move || async move { ([(header::CONTENT_TYPE, "image/png")], big_png) }))
        .route("/page.jpg", get(|| async { ([(header::CONTENT_TYPE, "text/html")], "<html>404</html>") }))
        .route(
            "/enorme.jpg",
            get(|| async { ([(header::CONTENT_TYPE, "image/jpeg")], vec![0xFFu8; 6 * 1024 * 1024]) }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, routes).await.unwrap() });
    format!("http://{address}")
}

/// A network's repository with one testimony of each form the importer knows.
fn write_repository(root: &Path, image_host: &str) {
    common::write(
        root,
        "README.md",
        "---\nnetwork: Réseau des tests\n---\nTextes sous licence CC BY-SA 4.0.\n",
    );
    common::write(
        root,
        "entretiens/jardin.md",
        &format!(
            "---\ntitle: Le jardin des voisins\nimage_url: {image_host}/grande.png\nduration: \"4:05\"\n---\n\n\
             > On a commencé à trois, on est quarante.\n\n\
             <iframe src=\"https://tube.example.org/videos/embed/9b1c-77\"></iframe>\n\n\
             Un jardin partagé au pied des immeubles.\n\n## Transcription\n\n\
             Bonjour, je m'appelle Nadia.\nLe compost collectif a tout changé.\n\n- les semis\n- la récolte\n\n## Pour aller plus loin\n\nfin\n"
        ),
    );
    common::write(
        root,
        "entretiens/jardin.vtt",
        "WEBVTT\n\n00:00.000 --> 00:02.000\nBonjour, je m'appelle Nadia.\n",
    );
    common::write(
        root,
        "entretiens/jardin.en.vtt",
        "WEBVTT\n\n00:00.000 --> 00:02.000\nHello, my name is Nadia.\n",
    );
    common::write(root, "entretiens/jardin.es.vtt", "pas du WebVTT");
    common::write(
        root,
        "entretiens/atelier.md",
        &format!(
            "---\ntitle: L'atelier vélo\nvideo_url: /demo/media/atelier.webm\nposter: {image_host}/page.jpg\ntranscript: atelier.txt\nduration: trois minutes\n---\n\nOn répare ensemble.\n"
        ),
    );
    common::write(
        root,
        "entretiens/atelier.txt",
        "Ici on apprend la mécanique.\r\n\r\nChacun   repart avec son vélo réparé.",
    );
    common::write(
        root,
        "entretiens/cantine.md",
        &format!(
            "---\ntitle: La cantine solidaire\nimage_url: {image_host}/enorme.jpg\ntranscript: ../../../etc/passwd\n---\n\n\
             [La vidéo](https://www.youtube.com/watch?v=JaQvXptD9Ww)\n\nUne cantine.\n"
        ),
    );
    common::write(
        root,
        "entretiens/sans-video.md",
        "---\ntitle: Vidéo perdue\nkind: video\n---\n\nLe lien a disparu.\n",
    );
}

fn source(root: &Path) -> MultibaoRepository {
    MultibaoRepository {
        root: root.to_owned(),
        owner: "tests".into(),
        repo: "entretiens".into(),
        network: None,
        subfolder_networks: None,
        subfolder_names: Default::default(),
        default_licence: None,
        exclude: Vec::new(),
        web: None,
    }
}

async fn get_response(router: &Router, uri: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let response = router.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.into_body().collect().await.unwrap().to_bytes().to_vec())
}

async fn fetch_posters(db: &Database) -> posters::FetchReport {
    let db = db.clone();
    tokio::task::spawn_blocking(move || posters::fetch_missing(&db, posters::Reach::AlsoPrivate))
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn every_form_of_testimony_with_its_poster_captions_and_transcript() {
    let image_host = start_image_host().await;
    let (dir, db) = common::temp_db();
    let repo = dir.path().join("tests-entretiens");
    write_repository(&repo, &image_host);
    let report =
        sources::import(&db, "tests-entretiens", &source(&repo), &["tube.example.org".into()]).unwrap();
    let remarks = format!("{report}");
    assert!(remarks.contains("sous-titres jardin.es.vtt ignorés"), "{remarks}");
    assert!(remarks.contains("durée illisible « trois minutes »"), "{remarks}");
    assert!(remarks.contains("transcription ../../../etc/passwd ignorée"), "{remarks}");
    assert!(remarks.contains("aucun lecteur reconnu"), "{remarks}");

    let fetched = fetch_posters(&db).await;
    assert_eq!(fetched.fetched, 1, "{fetched}");
    let reasons: Vec<&str> = fetched.failed.iter().map(|(_, reason)| reason.as_str()).collect();
    assert_eq!(fetched.failed.len(), 2, "{fetched}");
    assert!(reasons.iter().any(|r| r.contains("plus de 5 Mio")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("« text/html » refusé")), "{reasons:?}");
    let again = fetch_posters(&db).await;
    assert_eq!((again.fetched, again.failed.len()), (0, 0), "a poster is tried once");

    let search = common::search_index(&dir, &db);
    let router = app(AppState::new(db, search));
    let (status, _, body) = get_response(&router, "/api/v1/testimonials").await;
    assert_eq!(status, StatusCode::OK);
    let list: TestimonialList = serde_json::from_slice(&body).unwrap();
    let ids: Vec<&str> = list.items.iter().map(|t| t.resource.id.as_str()).collect();
    assert_eq!(
        ids,
        ["tests-atelier", "tests-cantine", "tests-jardin"],
        "the one without a player is not listed"
    );

    let [atelier, cantine, jardin] = &list.items[..] else { unreachable!() };
    assert_eq!(jardin.video.provider, Provider::Peertube);
    assert_eq!(jardin.video.host_name, "tube.example.org");
    assert_eq!(jardin.video.embed_url, "https://tube.example.org/videos/embed/9b1c-77");
    assert_eq!(jardin.video.duration_seconds, Some(245));
    assert_eq!(jardin.quote.as_deref(), Some("On a commencé à trois, on est quarante."));
    assert_eq!(
        jardin.video.transcript.as_deref(),
        Some("Bonjour, je m'appelle Nadia. Le compost collectif a tout changé.\n\nles semis\n\nla récolte")
    );
    let tracks: Vec<(&str, &str)> =
        jardin.video.captions.iter().map(|c| (c.lang.as_str(), c.label.as_str())).collect();
    assert_eq!(tracks.len(), 2, "{tracks:?}");
    assert!(tracks.contains(&("fr", "Français")) && tracks.contains(&("en", "English")), "{tracks:?}");
    assert_eq!(jardin.resource.licence.spdx.as_deref(), Some("CC-BY-SA-4.0"));

    assert_eq!(atelier.video.provider, Provider::File);
    assert_eq!(atelier.video.embed_url, "/demo/media/atelier.webm");
    assert_eq!(
        atelier.video.transcript.as_deref(),
        Some("Ici on apprend la mécanique.\n\nChacun repart avec son vélo réparé.")
    );
    assert_eq!(atelier.video.duration_seconds, None);
    assert_eq!(cantine.video.provider, Provider::Youtube);
    assert_eq!(cantine.video.embed_url, "https://www.youtube-nocookie.com/embed/JaQvXptD9Ww");
    assert_eq!(cantine.video.transcript, None);

    // Posters: the fetched one resized to the carousel, placeholders for the two refused.
    for testimonial in &list.items {
        assert_eq!(
            testimonial.video.poster_url,
            format!("/api/v1/testimonials/{}/poster", testimonial.resource.id)
        );
    }
    let (status, headers, jpeg) = get_response(&router, &jardin.video.poster_url).await;
    assert_eq!((status, &headers[header::CONTENT_TYPE]), (StatusCode::OK, &"image/jpeg".parse().unwrap()));
    let decoded = image::load_from_memory(&jpeg).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (640, 360));
    let (status, headers, svg) = get_response(&router, &atelier.video.poster_url).await;
    assert_eq!((status, &headers[header::CONTENT_TYPE]), (StatusCode::OK, &"image/svg+xml".parse().unwrap()));
    assert!(String::from_utf8(svg).unwrap().contains("atelier vélo"));

    // Captions are served as WebVTT; unknown ones and unknown testimonies are 404 problems.
    let en = jardin.video.captions.iter().find(|c| c.lang == "en").unwrap();
    let (status, headers, vtt) = get_response(&router, &en.url).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/vtt; charset=utf-8");
    assert!(String::from_utf8(vtt).unwrap().contains("Hello, my name is Nadia."));
    for uri in [
        "/api/v1/testimonials/tests-jardin/captions/es",
        "/api/v1/testimonials/inconnu/poster",
        "/api/v1/testimonials/tests-sans-video/poster",
    ] {
        let (status, headers, body) = get_response(&router, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");
        serde_json::from_slice::<Problem>(&body).unwrap();
    }

    // What is only said in a transcript is found by search.
    let (_, _, body) = get_response(&router, "/api/v1/search?q=mecanique").await;
    let results: SearchResults = serde_json::from_slice(&body).unwrap();
    assert_eq!(results.items.first().map(|hit| hit.resource.id.as_str()), Some("tests-atelier"));
    let (_, _, body) = get_response(&router, "/api/v1/search?q=compost%20collectif").await;
    let results: SearchResults = serde_json::from_slice(&body).unwrap();
    assert_eq!(results.items.first().map(|hit| hit.resource.id.as_str()), Some("tests-jardin"));
}

#[tokio::test]
#[ignore = "real data"]
async fn the_real_interviews_are_testimonials_with_filters() {
    skip_without_real_data!();
    let (dir, db) = common::temp_db();
    common::import(&db, "onpassealacte-videos_initiatives");
    common::import(&db, "lilianricaud-travail-en-reseau");
    let search = common::search_index(&dir, &db);
    let router = app(AppState::new(db, search));

    let (_, _, body) = get_response(&router, "/api/v1/testimonials?network=onpassealacte&limit=100").await;
    let list: TestimonialList = serde_json::from_slice(&body).unwrap();
    assert!(list.items.len() >= 30, "{}", list.items.len());
    for testimonial in &list.items {
        let id = &testimonial.resource.id;
        assert_eq!(testimonial.video.provider, Provider::Vimeo, "{id}");
        assert!(testimonial.video.embed_url.starts_with("https://player.vimeo.com/video/"), "{id}");
        assert!(testimonial.video.poster_url.starts_with("/api/v1/testimonials/"), "{id}: served by us");
        assert_eq!(testimonial.resource.network.id, "onpassealacte", "{id}");
        assert!(testimonial.resource.licence.label.contains("BY-SA"), "{id}");
    }
    let quoted = list.items.iter().filter(|t| t.quote.is_some()).count();
    assert!(quoted * 10 >= list.items.len() * 8, "most interviews open on a quotation: {quoted}");

    let (_, _, body) = get_response(&router, "/api/v1/testimonials?tag=rompre%20isolement&limit=3").await;
    let list: TestimonialList = serde_json::from_slice(&body).unwrap();
    assert_eq!(list.items.len(), 3);
    assert!(list.items.iter().all(|t| t.resource.tags.iter().any(|tag| tag == "rompre isolement")));
    // Fiches that embed a talk are listed too, under their own network.
    let (_, _, body) = get_response(&router, "/api/v1/testimonials?network=lilianricaud").await;
    let list: TestimonialList = serde_json::from_slice(&body).unwrap();
    assert!(list.items.iter().all(|t| t.resource.network.id == "lilianricaud"));

    for uri in
        ["/api/v1/testimonials?limit=0", "/api/v1/testimonials?limit=abc", "/api/v1/testimonials?limit=101"]
    {
        let (status, headers, _) = get_response(&router, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");
    }
}

/// The attack that ran script on partner pages: a player URL in `javascript:` or `data:` (any host
/// with a `/videos/embed/` path passed as PeerTube), framed on the visitor's click.
#[tokio::test]
async fn a_script_url_is_never_a_player() {
    let (dir, db) = common::temp_db();
    let repo = dir.path().join("tests-pieges");
    let hostile = [
        "javascript://%0aalert(document.domain)/videos/embed/x",
        "data:text/html,<script>alert(1)</script>/videos/embed/x",
        "data:text/html,%3Cscript%3Ealert(1)%3C/script%3E.mp4",
        "//evil.example/a.mp4",
        "http://tube.example.org/videos/embed/x",
        // Any host with PeerTube's path shape, undeclared (issue 18).
        "https://evil.example/videos/embed/x",
    ];
    for (n, url) in hostile.iter().enumerate() {
        common::write(
            &repo,
            &format!("front-{n}.md"),
            &format!("---\ntitle: Piège {n}\nvideo_url: \"{url}\"\n---\n\n{FICHE_TEXT}\n"),
        );
        common::write(
            &repo,
            &format!("iframe-{n}.md"),
            &format!("# Piège {n}\n\n<iframe src=\"{url}\"></iframe>\n\nAutour du cadre. {FICHE_TEXT}\n"),
        );
    }
    sources::import(&db, "tests-entretiens", &source(&repo), &[]).unwrap();

    // A row stored before the importer checked players is not served either.
    let mut stale = bao_server::store::NewResource {
        resource: db.resource("tests-front-0").unwrap().expect("imported as a fiche"),
        video: Some(bao_server::store::NewVideo {
            provider: Provider::Peertube,
            host_name: "%0aalert(1)".into(),
            embed_url: hostile[0].into(),
            poster_source: None,
            duration_seconds: None,
            quote: None,
            transcript: None,
            captions: vec![],
        }),
        source_key: "tests/ancien/piege.md".into(),
        content_hash: "ancien".into(),
        provenance: Default::default(),
        edit_url: None,
        path: "ancien/piege.md".into(),
    };
    stale.resource.id = "ancien-piege".into();
    stale.resource.title = "Ancien piège".into();
    stale.resource.kind = bao_contract::Kind::Video;
    let networks = [stale.resource.network.clone()];
    let update = SourceUpdate {
        source_id: "ancien",
        networks: &networks,
        resources: &[stale],
        aliases: &[],
        sync: None,
    };
    db.store_source(&update).unwrap();

    let search = common::search_index(&dir, &db);
    let router = app(AppState::new(db, search));
    let (status, _, body) = get_response(&router, "/api/v1/testimonials?limit=100").await;
    assert_eq!(status, StatusCode::OK);
    let list: TestimonialList = serde_json::from_slice(&body).unwrap();
    assert!(list.items.is_empty(), "{:?}", list.items.iter().map(|t| &t.video.embed_url).collect::<Vec<_>>());
    for n in 0..hostile.len() {
        let (status, _, body) = get_response(&router, &format!("/api/v1/resources/tests-iframe-{n}")).await;
        assert_eq!(status, StatusCode::OK);
        let text = String::from_utf8(body).unwrap();
        assert!(!text.contains("javascript:") && !text.contains("data:text"), "{text}");
    }
}

/// A fiche's image on another host is fetched once by the server and served from our origin:
/// visitors' browsers ask nothing of the third party.
#[tokio::test]
async fn images_of_other_hosts_are_served_from_the_cache() {
    let image_host = start_image_host().await;
    let (dir, db) = common::temp_db();
    let repo = dir.path().join("tests-images");
    common::write(
        &repo,
        "kanban.md",
        &format!("---\ntitle: Le kanban\nimage_url: {image_host}/grande.png\n---\n\n{FICHE_TEXT}\n"),
    );
    common::write(
        &repo,
        "perdue.md",
        &format!("---\ntitle: Image perdue\nimage_url: {image_host}/page.jpg\n---\n\n{FICHE_TEXT} Encore.\n"),
    );
    sources::import(&db, "tests-images", &source(&repo), &[]).unwrap();
    let search = common::search_index(&dir, &db);
    let router = app(AppState::new(db.clone(), search));

    let (_, _, body) = get_response(&router, "/api/v1/resources/tests-kanban").await;
    let resource: bao_contract::Resource = serde_json::from_slice(&body).unwrap();
    assert_eq!(resource.image.unwrap().url, "/api/v1/resources/tests-kanban/image");
    let (_, _, body) = get_response(&router, "/api/v1/resources?limit=10").await;
    assert!(!String::from_utf8(body).unwrap().contains(&image_host), "lists give our address too");
    let (status, headers, _) = get_response(&router, "/api/v1/resources/tests-kanban/image").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "image/svg+xml", "not fetched yet: a plain tinted band");

    fetch_posters(&db).await;
    let (status, headers, jpeg) = get_response(&router, "/api/v1/resources/tests-kanban/image").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "image/jpeg");
    let decoded = image::load_from_memory(&jpeg).unwrap();
    assert!(decoded.width() <= bao_contract::POSTER_WIDTH, "resized");
    let (_, headers, _) = get_response(&router, "/api/v1/resources/tests-perdue/image").await;
    assert_eq!(
        headers[header::CONTENT_TYPE],
        "image/svg+xml",
        "not an image: never served, the band instead"
    );
    let (status, _, _) = get_response(&router, "/api/v1/resources/inconnue/image").await;
    assert_eq!(status, StatusCode::OK, "an unknown id gets the band too: nothing to learn from it");
}

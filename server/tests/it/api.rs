//! The router, driven without a network against a temporary database holding real data.

use crate::common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bao_contract::{NetworkList, Problem, Resource, ResourcePage};
use bao_server::{AppState, app};
use http_body_util::BodyExt;
use tower::ServiceExt;

fn router() -> (tempfile::TempDir, Router) {
    let (dir, db) = common::temp_db();
    common::import(&db, "onpassealacte-videos_initiatives");
    common::import(&db, "multibao-contributions");
    let search = common::search_index(&dir, &db);
    (dir, app(AppState::new(db, search)))
}

/// A request from a partner's page: with its `Origin`.
async fn get(router: &Router, uri: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    common::get_bytes_with(router, uri, &[("origin", "https://asso.example")]).await
}

async fn problem(router: &Router, uri: &str, expected: StatusCode) -> Problem {
    let (status, headers, body) = get(router, uri).await;
    assert_eq!(status, expected, "{uri}: {}", String::from_utf8_lossy(&body));
    assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json", "{uri}");
    let problem: Problem = serde_json::from_slice(&body).unwrap();
    assert_eq!(problem.status, expected.as_u16());
    problem
}

#[tokio::test]
#[ignore = "real data"]
async fn serves_one_resource_with_cors_for_any_origin() {
    skip_without_real_data!();
    let (_dir, router) = router();
    let (status, headers, body) = get(&router, "/api/v1/resources/onpassealacte-club-des-aines").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert!(!headers.contains_key(header::ACCESS_CONTROL_ALLOW_CREDENTIALS));
    let resource: Resource = serde_json::from_slice(&body).unwrap();
    assert_eq!(resource.title, "J'ai créé un club des aînés");
    assert!(resource.body_html.unwrap().contains("player.vimeo.com"));
}

#[tokio::test]
#[ignore = "real data"]
async fn lists_with_filters_and_walks_every_page_once() {
    skip_without_real_data!();
    let (_dir, router) = router();
    let mut seen = Vec::new();
    let mut uri = "/api/v1/resources?limit=7&network=onpassealacte".to_owned();
    loop {
        let (status, _, body) = get(&router, &uri).await;
        assert_eq!(status, StatusCode::OK);
        let page: ResourcePage = serde_json::from_slice(&body).unwrap();
        assert!(page.items.len() <= 7);
        assert!(page.items.iter().all(|item| item.network.id == "onpassealacte"));
        seen.extend(page.items.into_iter().map(|item| item.id));
        match page.next_cursor {
            Some(cursor) => uri = format!("/api/v1/resources?limit=7&network=onpassealacte&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 31);
    let mut unique = seen.clone();
    unique.dedup();
    assert_eq!(unique, seen, "ids in order, none twice");

    let (_, _, body) = get(&router, "/api/v1/resources?kind=video&tag=rompre%20isolement&limit=100").await;
    let page: ResourcePage = serde_json::from_slice(&body).unwrap();
    assert_eq!(page.items.len(), 5);
    assert!(page.next_cursor.is_none());
}

#[tokio::test]
#[ignore = "real data"]
async fn lists_networks_with_counts() {
    skip_without_real_data!();
    let (_dir, router) = router();
    let (status, _, body) = get(&router, "/api/v1/networks").await;
    assert_eq!(status, StatusCode::OK);
    let list: NetworkList = serde_json::from_slice(&body).unwrap();
    let onpassealacte = list.items.iter().find(|n| n.network.id == "onpassealacte").unwrap();
    assert_eq!(onpassealacte.resource_count, 31);
}

#[tokio::test]
#[ignore = "real data"]
async fn unknown_ids_are_404_problems() {
    skip_without_real_data!();
    let (_dir, router) = router();
    let problem = problem(&router, "/api/v1/resources/nope", StatusCode::NOT_FOUND).await;
    assert!(problem.detail.unwrap().contains("nope"));
    problem_for_all(
        &router,
        &["/api/v1/nothing", "/api/v1/resources/%2e%2e%2fetc", "/api/v1/resources/a%00b"],
        StatusCode::NOT_FOUND,
    )
    .await;
}

async fn problem_for_all(router: &Router, uris: &[&str], status: StatusCode) {
    for uri in uris {
        problem(router, uri, status).await;
    }
}

#[tokio::test]
#[ignore = "real data"]
async fn malformed_parameters_are_400_problems_never_500() {
    skip_without_real_data!();
    let (_dir, router) = router();
    let long = format!("/api/v1/resources?network={}", "x".repeat(10_000));
    problem_for_all(
        &router,
        &[
            "/api/v1/resources?limit=0",
            "/api/v1/resources?limit=101",
            "/api/v1/resources?limit=-3",
            "/api/v1/resources?limit=abc",
            "/api/v1/resources?limit=99999999999999999999",
            "/api/v1/resources?kind=podcast",
            "/api/v1/resources?cursor=%%%",
            "/api/v1/resources?cursor=__8",
        ],
        StatusCode::BAD_REQUEST,
    )
    .await;
    // An unknown network (very long, or not even UTF-8) is just an empty list.
    for uri in [long.as_str(), "/api/v1/resources?network=%ff%fe"] {
        let (status, _, body) = get(&router, uri).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(serde_json::from_slice::<ResourcePage>(&body).unwrap().items, vec![]);
    }
}

#[tokio::test]
#[ignore = "real data"]
async fn canonical_page_is_readable_html() {
    skip_without_real_data!();
    let (_dir, router) = router();
    let (status, headers, body) = get(&router, "/r/onpassealacte-club-des-aines").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    let html = String::from_utf8(body).unwrap();
    // The card's own view, painted in a declarative shadow root: readable without any script.
    assert!(html.contains(
        r#"<bao-card resource="onpassealacte-club-des-aines" theme="light"><template shadowrootmode="open">"#
    ));
    assert!(html.contains(r#"class="title">J'ai créé un club des aînés</h1>"#), "{html}");
    // Its licence as its repository states it, version unstated: named, linked to no version's deed.
    assert!(html.contains("Licence : CC BY-SA (version non précisée par la source)"), "{html}");
    assert!(!html.contains("rel=\"license\""));
    let (status, _, body) = get(&router, "/r/%3Cscript%3E").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!String::from_utf8(body).unwrap().contains("<script>"));
}

#[tokio::test]
#[ignore = "real data"]
async fn without_a_bundle_embed_js_is_a_clear_503() {
    skip_without_real_data!();
    let (_dir, router) = router();
    problem(&router, "/embed.js", StatusCode::SERVICE_UNAVAILABLE).await;
    problem(&router, "/widget/bao_card.0000.js", StatusCode::SERVICE_UNAVAILABLE).await;
}

/// What axum rejects before a handler runs answers in the same shape as every other error.
#[tokio::test]
#[ignore = "real data"]
async fn every_rejection_is_a_problem() {
    skip_without_real_data!();
    let (_dir, router) = router();
    for uri in [
        "/api/v1/resources/%ff",
        "/api/v1/testimonials/%ff/poster",
        "/api/v1/testimonials/a/captions/%fe%ff",
        "/api/v1/resources?limit=%ff%ff&tag=%ff",
        "/api/v1/search?q=a&q=b",
        "/r/%ff",
        "/embed/r/%c3",
        "/oembed?url=a&url=b",
    ] {
        problem(&router, uri, StatusCode::BAD_REQUEST).await;
    }
    for uri in ["/nulle-part", "/api/v1/nulle-part"] {
        let found = problem(&router, uri, StatusCode::NOT_FOUND).await;
        assert!(found.detail.is_some(), "{uri}");
    }
    // Without a built widget the server says so, in the same shape.
    problem(&router, "/embed.js", StatusCode::SERVICE_UNAVAILABLE).await;
    problem(&router, "/widget/bao_card.0000.js", StatusCode::SERVICE_UNAVAILABLE).await;
    // An empty oEmbed format is the default (JSON), not an unknown one.
    let (status, _, _) =
        get(&router, "/oembed?url=http%3A%2F%2Flocalhost%2Fr%2Fonpassealacte-club-des-aines&format=").await;
    assert_eq!(status, StatusCode::OK);
    problem(&router, "/oembed?url=x&format=xml", StatusCode::NOT_IMPLEMENTED).await;
}

/// The built widget as the build writes it: the loader gets the manifest's module list, the
/// hashed files are served from disk (brotli when the build wrote it and the browser takes it),
/// cached for a year; anything else under `/widget/` is a 404 problem.
#[tokio::test]
async fn serves_the_bundle_the_manifest_lists() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("embed.js", b"var MODULES = __BAO_MODULES__, STYLES = __BAO_STYLES__, TABLE = __BAO_ELEMENTS__;".as_slice()),
        ("bao_card.00aa.js", b"glue"),
        ("bao_card_bg.11bb.wasm", b"\0asm"),
        ("bao_card_bg.11bb.wasm.br", b"brotli bytes"),
        ("bao-card.22cc.css", b".card{}"),
        (
            "manifest.json",
            br#"{"modules":[{"name":"card","glue":"bao_card.00aa.js","wasm":"bao_card_bg.11bb.wasm","elements":["bao-card"]}],
                "styles":{"bao-card":"bao-card.22cc.css"}}"#,
        ),
    ];
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let bundle = bao_server::http::bundle::Bundle::load(dir.path()).unwrap();
    let (db_dir, db) = common::temp_db();
    let search = common::search_index(&db_dir, &db);
    let router = app(AppState { bundle: Some(std::sync::Arc::new(bundle)), ..AppState::new(db, search) });

    let (status, _, body) = get(&router, "/embed.js").await;
    assert_eq!(status, StatusCode::OK);
    let table = serde_json::to_string(&bao_contract::elements::LOADER_TABLE).unwrap();
    assert!(
        table.contains(r#""name":"bao-search""#) && table.contains(r#""mount":"mount_search""#),
        "{table}"
    );
    assert_eq!(
        String::from_utf8(body).unwrap(),
        format!(
            r#"var MODULES = [{{"name":"card","glue":"bao_card.00aa.js","wasm":"bao_card_bg.11bb.wasm","elements":["bao-card"]}}], STYLES = {{"bao-card":"bao-card.22cc.css"}}, TABLE = {table};"#
        )
    );
    let (status, headers, body) = get(&router, "/widget/bao-card.22cc.css").await;
    assert_eq!((status, body.as_slice()), (StatusCode::OK, b".card{}".as_slice()));
    assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/css"));
    let request = Request::get("/widget/bao_card_bg.11bb.wasm")
        .header(header::ACCEPT_ENCODING, "gzip, br")
        .body(Body::empty())
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(response.headers()[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
    let vary: Vec<_> = response.headers().get_all(header::VARY).iter().collect();
    assert_eq!(vary, ["accept-encoding"], "one copy per coding, the same for every partner's origin");
    assert_eq!(response.into_body().collect().await.unwrap().to_bytes().as_ref(), b"brotli bytes");
    let (status, headers, body) = get(&router, "/widget/bao_card.00aa.js").await;
    assert_eq!((status, body.as_slice()), (StatusCode::OK, b"glue".as_slice()));
    assert!(headers[header::CONTENT_TYPE].to_str().unwrap().contains("javascript"));
    problem(&router, "/widget/bao_card.ffff.js", StatusCode::NOT_FOUND).await;
    problem(&router, "/widget/../Cargo.toml", StatusCode::NOT_FOUND).await;

    // A manifest naming a file the build did not write is refused at start.
    std::fs::remove_file(dir.path().join("bao_card.00aa.js")).unwrap();
    let error = bao_server::http::bundle::Bundle::load(dir.path()).unwrap_err();
    assert!(error.to_string().contains("bao_card.00aa.js"), "{error}");
}

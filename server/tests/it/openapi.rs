//! The API against its OpenAPI document (`/api/v1/openapi.json`): the document lists every route,
//! and schemathesis fuzzes each of them from it on a real server — valid and invalid inputs —
//! requiring no server error, only documented statuses and types, answers that match their
//! schemas, and invalid input refused (as problem+json). `BAO_API_FUZZ_EXAMPLES` sets the
//! examples per operation (50 here; `cargo xtask fuzz` runs more).

use crate::common;

use std::net::SocketAddr;
use std::process::Command;

use bao_server::http::serve::{self, Limits};
use bao_server::sources::config::SourcesFile;
use bao_server::{AppState, app};

/// A server on a free port with the demo's fiches and testimonies, following the demo's sources.
async fn start() -> (tempfile::TempDir, SocketAddr) {
    let (dir, db) = common::temp_db();
    common::import(&db, "exemples-fiches");
    let search = common::search_index(&dir, &db);
    let sources = SourcesFile::load(&common::demo_sources_file()).unwrap().sources;
    let router = app(AppState { sources: std::sync::Arc::new(sources), ..AppState::new(db, search) });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(serve::serve(listener, router, Limits::for_this_machine(), std::future::pending()));
    (dir, address)
}

async fn get(address: SocketAddr, path: &str) -> (u16, String) {
    let url = format!("http://{address}{path}");
    tokio::task::spawn_blocking(move || {
        let mut response = ureq::get(&url).config().http_status_as_error(false).build().call().unwrap();
        (response.status().as_u16(), response.body_mut().read_to_string().unwrap())
    })
    .await
    .unwrap()
}

/// The router is the document (each route declared once, by its handler): every path the
/// document lists is a route of the server, for its method — none falls to the API's catch-all —
/// and the routes a client cannot do without are listed.
#[tokio::test(flavor = "multi_thread")]
async fn the_document_is_the_router() {
    let (_dir, address) = start().await;
    let (status, text) = get(address, "/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    let paths = document["paths"].as_object().unwrap();
    for route in ["/api/v1/resources/{id}", "/api/v1/search", "/api/v1/changes", "/api/v1/beacon"] {
        assert!(paths.contains_key(route), "{route} in {:?}", paths.keys());
    }
    let operations: Vec<(String, String)> = paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object().unwrap().keys().map(|method| (method.clone(), path.clone()))
        })
        .collect();
    let unrouted = tokio::task::spawn_blocking(move || {
        let agent =
            ureq::Agent::new_with_config(ureq::Agent::config_builder().http_status_as_error(false).build());
        let fell = |(method, path): &(String, String)| {
            let url = format!("http://{address}{}", path.replace(['{', '}'], ""));
            let mut response = match method.as_str() {
                "get" => agent.get(&url).call().unwrap(),
                _ => agent.post(&url).send("").unwrap(),
            };
            response.body_mut().read_to_string().unwrap().contains("aucune route de l'API")
        };
        operations.iter().filter(|operation| fell(operation)).cloned().collect::<Vec<_>>()
    })
    .await
    .unwrap();
    assert_eq!(unrouted, [], "documented, not routed");
    assert!(unrouted_example(address).await, "the catch-all answers what is not routed");
    // Every reference leads somewhere: the shared problem answers refer to `Problem`.
    for name in text.match_indices("#/components/schemas/").map(|(at, prefix)| {
        let rest = &text[at + prefix.len()..];
        &rest[..rest.find('"').unwrap()]
    }) {
        assert!(document["components"]["schemas"][name].is_object(), "{name} referred to, not defined");
    }
    assert!(document["components"]["schemas"]["Resource"].is_object());
}

async fn unrouted_example(address: SocketAddr) -> bool {
    get(address, "/api/v1/nulle-part").await.1.contains("aucune route de l'API")
}

/// Found by schemathesis (300 examples): `limit=` and `kind=` read as absent, as forms send
/// them, while the document said integer and enum; it now says "or empty", and both hold.
#[tokio::test(flavor = "multi_thread")]
async fn an_empty_parameter_reads_as_absent_and_the_document_says_so() {
    let (_dir, address) = start().await;
    let (_, text) = get(address, "/api/v1/openapi.json").await;
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    let parameters = document["paths"]["/api/v1/search"]["get"]["parameters"].as_array().unwrap();
    for name in ["limit", "kind"] {
        let parameter = parameters.iter().find(|parameter| parameter["name"] == name).unwrap();
        let choices = parameter["schema"]["oneOf"].as_array().unwrap();
        assert!(choices.iter().any(|choice| choice["enum"] == serde_json::json!([""])), "{parameter}");
    }
    for path in
        ["/api/v1/search?q=&kind=&limit=", "/api/v1/resources?kind=&limit=", "/api/v1/changes?since=&limit="]
    {
        let (status, text) = get(address, path).await;
        assert_eq!(status, 200, "{path}: {text}");
    }
    let (status, _) = get(address, "/api/v1/resources?limit=0").await;
    assert_eq!(status, 400);
}

/// Found by schemathesis: a `since` past SQLite's signed integers answered 500.
#[tokio::test(flavor = "multi_thread")]
async fn a_cursor_past_the_documented_integers_is_refused() {
    let (_dir, address) = start().await;
    let (status, text) = get(address, "/api/v1/changes?since=9223372036854775808").await;
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("`since`"), "{text}");
    let (status, _) = get(address, "/api/v1/changes?since=9223372036854775807").await;
    assert_eq!(status, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn schemathesis_finds_nothing() {
    let Some(schemathesis) = common::python_tool("schemathesis") else { return };
    let (_dir, address) = start().await;
    let examples = std::env::var("BAO_API_FUZZ_EXAMPLES").unwrap_or_else(|_| "50".into());
    let work = tempfile::tempdir().unwrap();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(schemathesis)
            .current_dir(work.path())
            .args(["run", &format!("http://{address}/api/v1/openapi.json")])
            .args(["--checks", "not_a_server_error,status_code_conformance,content_type_conformance"])
            .args(["--checks", "response_schema_conformance,negative_data_rejection"])
            .args(["--max-examples", &examples, "--workers", "2", "--seed", "20261128"])
            .args(["--report", "json", "--report-json-path", "report.json"])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{said}\n{}", String::from_utf8_lossy(&output.stderr));
    let cases = said.lines().find(|line| line.contains(" generated")).unwrap_or_default().trim().to_owned();
    eprintln!("schemathesis: {cases}");
}

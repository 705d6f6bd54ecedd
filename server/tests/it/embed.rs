//! Embedding without our script tag, through the router: the oEmbed provider as its specification
//! says, its discovery link and the schema.org description on canonical pages, and the iframe pages.

use crate::common;

use std::path::PathBuf;

use axum::Router;
use axum::http::{StatusCode, header};
use bao_contract::Problem;
use bao_server::http::embed::OEmbed;
use bao_server::sources::{self, multibao::MultibaoRepository};
use bao_server::{AppState, app};

const HOST: &str = "bao.test";

fn router() -> (tempfile::TempDir, Router) {
    let (dir, db) = common::temp_db();
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../demo/content/exemples-fiches");
    sources::import(&db, "exemples-fiches", &MultibaoRepository::from_folder_name(&demo).unwrap(), &[])
        .unwrap();
    let hostile = dir.path().join("tests-pieges");
    std::fs::create_dir_all(&hostile).unwrap();
    std::fs::write(
        hostile.join("fin.md"),
        "---\ntitle: \"</script><script>alert(1)</script>\"\n---\n\nTexte <!-- et --> fin. Ce texte décrit la \
         pratique pas à pas pour qu'un groupe la reprenne chez lui, avec ses étapes.\n",
    )
    .unwrap();
    sources::import(&db, "tests-pieges", &MultibaoRepository::from_folder_name(&hostile).unwrap(), &[])
        .unwrap();
    // A fiche whose source gives its web address (the demo's own have none), with a link, and
    // addresses that only look like links: in its prose, a code block, a tag.
    let mut elsewhere = common::fiche(
        "ailleurs",
        "Une fiche écrite ailleurs",
        concat!(
            r#"Lire <a href="https://lien.example/?a=1&amp;b=2">la suite</a>. "#,
            r#"Écrire href="https://prose.example/" n'en fait pas un lien.</p>"#,
            r#"<pre><code>&lt;a href="https://code.example/"&gt;</code></pre>"#,
            r#"<p><a href="https://saut.example/&#10;Set-Cookie:x=1">piège</a>"#,
        ),
    );
    // « Gouvernance » is a theme: the demo's « Gouvernance partagée » carries it too.
    elsewhere.resource.tags = vec!["https://etiquette.example/".into(), "gouvernance".into()];
    common::store(&db, &[elsewhere]);
    let search = common::search_index(&dir, &db);
    (dir, app(AppState::new(db, search)))
}

async fn get(router: &Router, uri: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    common::get_with(router, uri, &[("host", HOST)]).await
}

fn oembed_uri(page: &str, extra: &str) -> String {
    let encoded: String = page
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect();
    format!("/oembed?url={encoded}{extra}")
}

#[tokio::test]
async fn oembed_answers_rich_iframes_for_our_pages_and_follows_the_spec_otherwise() {
    let (_dir, router) = router();
    let page = format!("http://{HOST}/r/exemples-cercle-de-parole");
    let (status, headers, body) = get(&router, &oembed_uri(&page, "&format=json")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    let answer: OEmbed = serde_json::from_str(&body).unwrap();
    assert_eq!((answer.version.as_str(), answer.kind.as_str()), ("1.0", "rich"));
    assert_eq!(answer.title, "Le cercle de parole");
    assert!(answer.author_name.contains("Réseau des communs exemplaires"), "{}", answer.author_name);
    assert_eq!(answer.provider_url, format!("http://{HOST}/"));
    assert_eq!(answer.license, "CC BY-SA 4.0");
    assert!(answer.cache_age > 0);
    // WordPress runs its listener (resizing, links) only for a quotation of this class; the
    // quotation, hidden elsewhere, holds the card as text (what WordPress shows until the frame
    // has painted) and links to the page; no border where WordPress strips styles.
    let (quotation, frame) = answer.html.split_once("</blockquote>").unwrap();
    assert!(
        quotation.starts_with(&format!(
            r#"<blockquote class="wp-embedded-content" style="display:none"><a href="http://{HOST}/r/exemples-cercle-de-parole">Le cercle de parole</a> — "#
        )),
        "{quotation}"
    );
    assert!(
        quotation.ends_with(
            " — Réseau des communs exemplaires (démo) · Camille Martin, Youssef Benali · CC BY-SA 4.0"
        ),
        "{quotation}"
    );
    assert!(
        frame.starts_with(&format!(
            r#"<iframe class="wp-embedded-content" src="http://{HOST}/embed/r/exemples-cercle-de-parole""#
        )),
        "{frame}"
    );
    assert!(answer.html.contains(r#" frameborder="0""#), "{}", answer.html);
    assert_eq!((answer.width, answer.height), (640, 480));
    assert!(answer.thumbnail_url.is_none(), "a fiche's image size is unknown: no thumbnail");

    // maxwidth and maxheight are honoured (within what a card can use).
    let (_, _, body) = get(&router, &oembed_uri(&page, "&maxwidth=320&maxheight=2000")).await;
    let answer: OEmbed = serde_json::from_str(&body).unwrap();
    assert_eq!((answer.width, answer.height), (320, 480));
    assert!(
        answer.html.contains(r#"width="100%""#) && answer.html.contains("max-width:320px"),
        "{}",
        answer.html
    );

    // A filmed testimony comes with its poster as thumbnail, size given.
    let video = format!("https://{HOST}/r/exemples-atelier-velo");
    let (status, _, body) = get(&router, &oembed_uri(&video, "")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let answer: OEmbed = serde_json::from_str(&body).unwrap();
    assert_eq!(
        answer.thumbnail_url.as_deref(),
        Some("http://bao.test/api/v1/testimonials/exemples-atelier-velo/poster")
    );
    assert!(answer.thumbnail_width.is_some() && answer.thumbnail_height.is_some());

    // The specification's errors: 404 for a URL we do not serve, 501 for another format.
    for (uri, expected) in [
        (oembed_uri(&page, "&format=xml"), StatusCode::NOT_IMPLEMENTED),
        (oembed_uri(&format!("http://{HOST}/r/inconnue"), ""), StatusCode::NOT_FOUND),
        (oembed_uri("https://evil.example/r/exemples-cercle-de-parole", ""), StatusCode::NOT_FOUND),
        (
            oembed_uri(&format!("http://{HOST}/api/v1/resources/exemples-cercle-de-parole"), ""),
            StatusCode::NOT_FOUND,
        ),
        (oembed_uri("pas une adresse", ""), StatusCode::NOT_FOUND),
        ("/oembed".to_owned(), StatusCode::BAD_REQUEST),
        (oembed_uri(&page, "&maxwidth=large"), StatusCode::BAD_REQUEST),
    ] {
        let (status, headers, body) = get(&router, &uri).await;
        assert_eq!(status, expected, "{uri}: {body}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json", "{uri}");
        serde_json::from_str::<Problem>(&body).unwrap();
    }
}

/// The JSON-LD of a canonical page, parsed.
fn json_ld(page: &str) -> serde_json::Value {
    let start = page.find(r#"<script type="application/ld+json">"#).expect("JSON-LD") + 35;
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).unwrap()
}

#[tokio::test]
async fn canonical_pages_carry_oembed_discovery_and_schema_org() {
    let (_dir, router) = router();
    let (status, _, page) = get(&router, "/r/exemples-cercle-de-parole").await;
    assert_eq!(status, StatusCode::OK);
    let discovery = format!(
        r#"<link rel="alternate" type="application/json+oembed" href="http://{HOST}/oembed?url=http%3A%2F%2Fbao.test%2Fr%2Fexemples-cercle-de-parole&#38;format=json""#
    );
    assert!(page.contains(&discovery), "{page}");
    // The discovery link leads to an answer.
    let (status, _, _) =
        get(&router, "/oembed?url=http%3A%2F%2Fbao.test%2Fr%2Fexemples-cercle-de-parole&format=json").await;
    assert_eq!(status, StatusCode::OK);

    let fiche = json_ld(&page);
    assert_eq!(fiche["@type"], "LearningResource");
    assert_eq!(fiche["license"], "https://creativecommons.org/licenses/by-sa/4.0/deed.fr");
    assert_eq!(fiche["inLanguage"], "fr");
    assert_eq!(fiche["url"], "http://bao.test/r/exemples-cercle-de-parole");
    // The demo's own fiches are read from a folder whose web address nobody gave: none is made up.
    assert_eq!(fiche.get("isBasedOn"), None);
    assert_eq!(fiche["author"][0]["name"], "Camille Martin");
    assert_eq!(fiche["publisher"]["name"], "Réseau des communs exemplaires (démo)");

    let (_, _, page) = get(&router, "/r/exemples-atelier-velo").await;
    let video = json_ld(&page);
    assert_eq!(video["@type"], "VideoObject");
    assert_eq!(video["embedUrl"], "http://bao.test/demo/media/atelier-velo.webm");
    assert_eq!(video["thumbnailUrl"], "http://bao.test/demo/media/atelier-velo.jpg");
    assert_eq!(video["duration"], "PT0M12S");
    assert!(video["transcript"].as_str().unwrap().starts_with("Bonjour, je m'appelle Karim."));

    // A title that tries to close the script stays inside the JSON.
    let (_, _, page) = get(&router, "/r/tests-fin").await;
    assert_eq!(page.matches("</script>").count(), 1, "{page}");
    assert_eq!(json_ld(&page)["name"], "</script><script>alert(1)</script>");
}

#[tokio::test]
async fn iframe_pages_hold_one_element_and_set_no_cookie() {
    let (_dir, router) = router();
    let (status, headers, page) = get(&router, "/embed/r/exemples-repair-cafe").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!headers.contains_key(header::SET_COOKIE));
    // Already painted (declarative shadow DOM): the card's view first, then the fallback link.
    assert!(
        page.contains(
            r#"<bao-card resource="exemples-repair-cafe" theme="light"><template shadowrootmode="open">"#
        ),
        "{page}"
    );
    assert!(
        page.contains(r#"<h2 part="title" lang="fr" class="title">Organiser un repair café</h2>"#),
        "{page}"
    );
    assert!(page.contains(r#"</template><a href="/r/exemples-repair-cafe">"#), "{page}");
    assert!(
        page.contains(r#"<script src="/embed.js" defer></script>"#)
            && page.contains(r#"<script src="/embed-frame.js" defer></script>"#)
    );
    assert!(!page.contains("<script>"), "no inline script (strict CSPs)");

    let (status, _, _) = get(&router, "/embed/r/inconnue").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (_, _, page) = get(
        &router,
        "/embed/recherche?network=onpassealacte&kind=video&evil=1&placeholder=%22%3E%3Cscript%3E",
    )
    .await;
    assert!(
        page.contains(
            r#"<bao-search network="onpassealacte" kind="video" placeholder="&#34;&#62;&#60;script&#62;" theme="light"><template shadowrootmode="open">"#
        ),
        "{page}"
    );
    assert!(
        page.contains(r#"placeholder="&quot;&gt;&lt;script&gt;""#),
        "the box's own placeholder, escaped: {page}"
    );
    assert!(!page.contains("evil") && !page.contains("<script>"));

    let (_, _, page) = get(&router, "/embed/temoignages?limit=3").await;
    assert!(
        page.contains(r#"<bao-testimonials limit="3" theme="light"><template shadowrootmode="open">"#),
        "{page}"
    );
    assert!(page.contains(r#"aria-label="1 sur 1""#) && page.contains(r#"data-replay="play""#), "{page}");
    assert!(page.contains(r#"</template><a href="/r/exemples-atelier-velo">"#), "{page}");

    for (uri, content_type) in [
        ("/embed-frame.js", "text/javascript; charset=utf-8"),
        ("/resize.js", "text/javascript; charset=utf-8"),
        ("/embed-frame.css", "text/css; charset=utf-8"),
    ] {
        let (status, headers, _) = get(&router, uri).await;
        assert_eq!(
            (status, headers[header::CONTENT_TYPE].to_str().unwrap()),
            (StatusCode::OK, content_type),
            "{uri}"
        );
    }
}

/// The library's home page: a search box, what is new, the networks with a page each, filmed
/// testimonies, how to embed — readable without JavaScript.
#[tokio::test]
async fn the_home_page_shows_the_library_and_each_network_has_its_page() {
    let (_dir, router) = router();
    let (status, _, page) = get(&router, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"<main class="library">"#) && page.contains("<bao-search"), "{page}");
    for section in ["Nouveautés", "Les réseaux qui écrivent", "Témoignages filmés", "Dans votre site"] {
        assert!(page.contains(&format!(">{section}</h2>")), "{section}: {page}");
    }
    assert!(
        page.contains(
            r#"<a href="/reseaux/exemples" class="tile-title">Réseau des communs exemplaires (démo)</a>"#
        ),
        "{page}"
    );
    let (status, _, network) = get(&router, "/reseaux/exemples").await;
    assert_eq!(status, StatusCode::OK);
    assert!(network.contains("<h1>Réseau des communs exemplaires (démo)</h1>"), "{network}");
    assert!(
        network
            .contains(r#"<a href="/r/exemples-cercle-de-parole" class="tile-title">Le cercle de parole</a>"#)
    );
    let (status, _, missing) = get(&router, "/reseaux/nulle-part").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(missing.contains("« nulle-part »") && missing.contains(r#"href="/#reseaux""#), "{missing}");
    for uri in ["/", "/r/exemples-cercle-de-parole", "/api/v1/resources/nulle-part", "/embed.js"] {
        let (_, headers, _) = get(&router, uri).await;
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{uri}");
        assert_eq!(headers[header::REFERRER_POLICY], "strict-origin-when-cross-origin", "{uri}");
        assert!(!headers.contains_key(header::SET_COOKIE), "{uri}: no cookie, ever");
    }
    assert!(page.contains(r#"class="tile-title">"#), "what is new, as tiles: {page}");
    assert!(page.contains(r#"href="/integrer""#));
    for open_data in ["/export/commons.zip", "/catalog.jsonld", "/feed.xml"] {
        assert!(page.contains(&format!(r#"href="{open_data}""#)), "the open data is linked: {open_data}");
    }
    assert!(page.contains(r#"<link rel="alternate" type="application/atom+xml""#), "the feed is found");
    assert!(!page.contains("<script>"), "a title cannot run script: {page}");
    let (_, _, body) =
        get(&router, "/oembed?url=http%3A%2F%2Fbao.test%2Fr%2Fexemples-cercle-de-parole").await;
    assert!(body.contains(r#""provider_url":"http://bao.test/""#), "{body}");
    assert!(
        body.contains(r#"allow=\"clipboard-write\""#),
        "« Réutiliser » copies from the frame too: {body}"
    );
    let (_, _, page) = get(&router, "/r/exemples-cercle-de-parole").await;
    assert!(page.contains("<main>") && page.contains(r#"<a href="/">"#), "{page}");
}

/// The home page offers the themes several resources share; each has its page, like a network's.
#[tokio::test]
async fn the_themes_shared_by_several_resources_each_have_their_page() {
    let (_dir, router) = router();
    let (_, _, page) = get(&router, "/").await;
    assert!(page.contains(">Les thèmes</h2>"), "{page}");
    assert!(page.contains(r#"<a href="/themes/gouvernance" class="tile-title">Gouvernance</a>"#), "{page}");
    assert!(!page.contains("/themes/facilitation"), "a tag one resource carries is no theme: {page}");
    let (status, _, theme) = get(&router, "/themes/gouvernance").await;
    assert_eq!(status, StatusCode::OK);
    assert!(theme.contains("<h1>Gouvernance</h1>") && theme.contains("2 ressources sur ce thème"), "{theme}");
    for tile in [r#"href="/r/exemples-gouvernance-partagee""#, r#"href="/r/ailleurs""#] {
        assert!(theme.contains(tile), "{tile}: {theme}");
    }
    // A tag with a space and an accent, as the address bar sends it; and a tag that names none.
    let (status, _, theme) = get(&router, "/themes/prise%20de%20d%C3%A9cision").await;
    assert_eq!(status, StatusCode::OK, "{theme}");
    assert!(theme.contains("<h1>Prise de décision</h1>"), "{theme}");
    let (status, _, missing) = get(&router, "/themes/%3Cscript%3E").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(missing.contains("« &#60;script&#62; »") && missing.contains(r#"href="/#themes""#), "{missing}");
}

/// `/recherche`: what a search box's form sends where no script runs — results as tiles, the
/// facets as links that narrow, pages; any address a visitor types gets a page.
#[tokio::test]
async fn the_search_page_answers_a_form_without_script() {
    let (_dir, router) = router();
    let (status, _, page) = get(&router, "/recherche?q=cercle+parole").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"<meta name="robots" content="noindex">"#), "{page}");
    assert!(page.contains(r#"<form role="search" action="/recherche" method="get""#), "{page}");
    assert!(page.contains(r#"value="cercle parole""#), "the words stay in the box: {page}");
    assert!(page.contains(r#"<a href="/r/exemples-cercle-de-parole" class="tile-title">"#), "{page}");
    assert!(page.contains("pour « cercle parole »"), "{page}");

    // Every resource, the most recent first, with facets that narrow and keep the words.
    let (_, _, all) = get(&router, "/recherche").await;
    assert!(all.contains("les plus récentes d&#39;abord"), "{all}");
    assert!(all.contains(r#"<a href="/recherche?q=&#38;type=video">Vidéo</a> (1)"#), "{all}");
    let (_, _, videos) = get(&router, "/recherche?q=&type=video").await;
    assert!(videos.contains(r#"<input type="hidden" name="type" value="video">"#), "{videos}");
    assert!(videos.contains(r#"<a href="/recherche?q=">retirer ce filtre</a>"#), "{videos}");
    assert!(!videos.contains(r#"href="/r/exemples-cercle-de-parole""#), "a fiche is no video: {videos}");

    let (_, _, none) = get(&router, "/recherche?q=zzqxw").await;
    assert!(none.contains("Aucune ressource ne correspond"), "{none}");
    let long = "mot ".repeat(300);
    for odd in [
        "/recherche?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E".to_owned(),
        "/recherche?q=cercle&type=nimportequoi&page=abc".to_owned(),
        "/recherche?q=cercle&page=999999999999999999999999".to_owned(),
        format!("/recherche?q={}", bao_contract::percent_encode(&long)),
    ] {
        let (status, _, page) = get(&router, &odd).await;
        assert_eq!(status, StatusCode::OK, "{odd}");
        assert!(!page.contains("<script>alert"), "{odd}: {page}");
    }
}

/// `/lien` follows a link clicked in a frame WordPress sandboxed, to addresses the commons holds only.
#[tokio::test]
async fn links_are_followed_to_the_commons_addresses_only() {
    let (_dir, router) = router();
    let (_, _, body) = get(&router, "/api/v1/resources/exemples-cercle-de-parole").await;
    let resource: bao_contract::Resource = serde_json::from_str(&body).unwrap();
    let licence = resource.licence.url.clone().unwrap();
    let (_, _, body) = get(&router, "/api/v1/resources/ailleurs").await;
    let elsewhere: bao_contract::Resource = serde_json::from_str(&body).unwrap();
    let source = elsewhere.source_url.unwrap();
    for held in [source.as_str(), licence.as_str(), "https://lien.example/?a=1&b=2"] {
        let (status, headers, _) =
            get(&router, &format!("/lien?vers={}", bao_contract::percent_encode(held))).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{held}");
        assert_eq!(headers[header::LOCATION], held);
    }
    for (evil, expected) in [
        ("https://evil.example/", StatusCode::NOT_FOUND),
        ("https://prose.example/", StatusCode::NOT_FOUND),
        ("https://code.example/", StatusCode::NOT_FOUND),
        ("https://etiquette.example/", StatusCode::NOT_FOUND),
        ("https://saut.example/\nSet-Cookie:x=1", StatusCode::BAD_REQUEST),
        ("javascript:alert(1)", StatusCode::BAD_REQUEST),
        ("//evil.example/", StatusCode::BAD_REQUEST),
        ("", StatusCode::BAD_REQUEST),
    ] {
        let (status, headers, _) =
            get(&router, &format!("/lien?vers={}", bao_contract::percent_encode(evil))).await;
        assert_eq!(status, expected, "{evil}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");
    }
}

/// Ids are forever: the id of a fiche merged into another leads to it, on every surface; the id
/// of a withdrawn fiche answers 410 Gone, and says so.
#[tokio::test]
async fn old_ids_keep_leading_to_their_resource_or_say_it_was_withdrawn() {
    let (dir, db) = common::temp_db();
    let fiche = |id: &str, text: &str| common::fiche(id, "Le cœur du sujet", text);
    let store = |files: &[bao_server::store::NewResource]| common::store(&db, files);
    store(&[fiche("coeur", "Texte"), fiche("copie", "Brouillon"), fiche("ancienne", "Autre")]);
    // The copy becomes the same fiche: one resource; the other file is deleted.
    store(&[fiche("coeur", "Texte"), fiche("copie", "Texte")]);
    let search = common::search_index(&dir, &db);
    let router = app(AppState::new(db, search));

    let (status, headers, _) = get(&router, "/r/copie").await;
    assert_eq!(status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(headers[header::LOCATION], "/r/coeur");
    let (status, _, body) = get(&router, "/api/v1/resources/copie").await;
    assert_eq!(status, StatusCode::OK);
    let kept = serde_json::from_str::<bao_contract::Resource>(&body).unwrap();
    assert_eq!(kept.id, "coeur");
    assert_eq!(kept.sources.len(), 2, "both places are listed: {:?}", kept.sources);
    let (_, _, page) = get(&router, "/r/coeur").await;
    assert!(page.contains("Publiée aussi") && page.contains("https://example.org/copie.md"), "{page}");
    let (status, _, page) = get(&router, "/embed/r/copie").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(r#"<bao-card resource="coeur" theme="light">"#),
        "a frame is light by default: {page}"
    );
    let (status, _, body) = get(&router, "/oembed?url=http%3A%2F%2Fbao.test%2Fr%2Fcopie&format=json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("/embed/r/coeur"), "{body}");

    let (status, _, body) = get(&router, "/api/v1/resources/ancienne").await;
    assert_eq!(status, StatusCode::GONE);
    let problem: Problem = serde_json::from_str(&body).unwrap();
    assert!(problem.detail.unwrap().contains("retirée par son réseau"));
    for uri in ["/r/ancienne", "/embed/r/ancienne"] {
        let (status, _, page) = get(&router, uri).await;
        assert_eq!(status, StatusCode::GONE, "{uri}");
        assert!(page.contains("retirée par son réseau"), "{uri}: {page}");
    }
    let (status, _, _) = get(&router, "/oembed?url=http%3A%2F%2Fbao.test%2Fr%2Fancienne&format=json").await;
    assert_eq!(status, StatusCode::GONE);
    let (status, _, _) = get(&router, "/r/jamais-vu").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// A card says what unfolding it does for its kind: a video is watched, a fiche read.
#[tokio::test]
async fn a_cards_disclosure_names_what_it_opens() {
    let (_dir, router) = router();
    for (id, lang, says, not) in [
        ("exemples-cercle-de-parole", "fr", ">Lire la fiche<", ">Voir la vidéo<"),
        ("exemples-atelier-velo", "fr", ">Voir la vidéo<", ">Lire la fiche<"),
        ("exemples-atelier-velo", "en", ">Watch the video<", ">Read the sheet<"),
    ] {
        let (status, _, card) = get(&router, &format!("/fragments/card/{id}?lang={lang}")).await;
        assert_eq!(status, StatusCode::OK, "{id}");
        assert!(card.contains(says) && !card.contains(not), "{id} {lang}: {card}");
    }
}

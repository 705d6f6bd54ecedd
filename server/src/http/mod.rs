//! The HTTP surface: [`router`] mounts each module's routes. Only this layer knows URLs, HTML and
//! status codes; it reads the store and the search index, never the other way round.

pub mod api;
pub mod builder;
pub mod bundle;
pub mod cache;
pub mod embed;
pub mod error;
pub mod fragments;
pub mod links;
pub mod openapi;
pub mod opendata;
pub mod origin;
pub mod pages;
pub mod painted;
pub mod placeholder;
pub mod rate;
pub mod referencing;
pub mod reuse;
pub mod serve;

use axum::Router;
use axum::http::{HeaderValue, Method, header};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, get_service};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use self::error::ApiError;
use crate::AppState;
use crate::store::{Database, DbError, Lookup};
use bao_contract::Resource;

impl AppState {
    /// Runs a storage call on the blocking pool: SQLite calls block, handlers must not.
    pub async fn query<T, F>(&self, query: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Database) -> Result<T, DbError> + Send + 'static,
    {
        let db = self.db.clone();
        Ok(tokio::task::spawn_blocking(move || query(&db)).await??)
    }

    /// The resource `id` names today (following an id it had before), or why there is none:
    /// 410 Gone when its network withdrew it, 404 when no resource ever had this id.
    pub async fn current_resource(&self, id: &str) -> Result<Resource, ApiError> {
        let lookup_id = id.to_owned();
        let lookup = self.query(move |db| db.lookup(&lookup_id)).await?;
        let current = match lookup {
            Lookup::Found(resource) => return Ok(links::with_served_media(*resource)),
            Lookup::Renamed(current) => current,
            Lookup::Withdrawn { title, .. } => return Err(ApiError::Gone(withdrawn_message(&title))),
            Lookup::Unknown => return Err(unknown_id(id)),
        };
        let lookup_id = current.clone();
        let resource = self.query(move |db| db.resource(&lookup_id)).await?;
        resource.map(links::with_served_media).ok_or_else(|| unknown_id(&current))
    }
}

/// What visitors read where a withdrawn resource was.
fn withdrawn_message(title: &str) -> String {
    format!("« {title} » : cette fiche a été retirée par son réseau.")
}

fn unknown_id(id: &str) -> ApiError {
    ApiError::NotFound(format!("Aucune ressource n'a l'identifiant « {id} »."))
}

/// The whole HTTP surface of the server.
pub fn router(state: AppState) -> Router {
    let answers: cache::CacheState = (state.clone(), Default::default());
    let content = || from_fn_with_state(answers.clone(), cache::content);
    let api = Router::new()
        .route("/resources", get(api::resources).layer(content()))
        .route("/resources/{id}", get(api::resource).layer(content()))
        .route("/resources/{id}/image", get(api::image))
        .route("/media/{key}", get(api::media))
        .route("/networks", get(api::networks).layer(content()))
        .route("/sources", get(api::sources).layer(from_fn_with_state(answers.clone(), cache::revalidate)))
        .route(
            "/sources/{id}/quality",
            get(api::source_quality).layer(from_fn_with_state(answers.clone(), cache::revalidate)),
        )
        .route(
            "/search",
            get(api::search)
                .layer(from_fn_with_state(answers.clone(), cache::search))
                .layer(from_fn_with_state(state.search_rate.clone(), rate::limit_searches)),
        )
        .route("/testimonials", get(api::testimonials).layer(content()))
        .route("/changes", get(api::changes))
        .route("/beacon", axum::routing::post(reuse::beacon))
        .route("/stats", get(reuse::stats))
        .route("/openapi.json", get(openapi::document))
        .route("/testimonials/{id}/poster", get(api::poster))
        .route("/testimonials/{id}/captions/{lang}", get(api::captions))
        .fallback(api::not_found);

    let mut router = Router::new()
        .nest(bao_contract::API_PREFIX, api)
        .route("/embed.js", get(bundle::embed_js))
        .route("/", get(pages::home_page).layer(content()))
        .route("/r/{id}", get(pages::resource_page).layer(content()))
        .route(
            "/sources/{id}/qualite",
            get(pages::quality_page).layer(from_fn_with_state(answers.clone(), cache::revalidate)),
        )
        .route("/oembed", get(embed::oembed).layer(content()))
        .route("/lien", get(embed::follow_link))
        .route("/fragments/card/{id}", get(fragments::card).layer(content()))
        .route(
            "/fragments/search",
            get(fragments::search)
                .layer(content())
                .layer(from_fn_with_state(state.search_rate.clone(), rate::limit_searches)),
        )
        .route("/fragments/testimonials", get(fragments::testimonials).layer(content()))
        .route("/embed/r/{id}", get(embed::card_page).layer(content()))
        .route("/embed/recherche", get(embed::search_page).layer(content()))
        .route("/embed/temoignages", get(embed::testimonials_page).layer(content()))
        .route("/page.css", get(|| asset(CSS, include_str!("../../assets/page.css"))))
        .route("/embed-frame.css", get(|| asset(CSS, include_str!("../../assets/embed-frame.css"))))
        .route("/integrer.css", get(|| asset(CSS, include_str!("../../assets/integrer.css"))))
        .route("/embed-frame.js", get(|| asset(JS, include_str!("../../../widget/js/frame.js"))))
        .route("/resize.js", get(|| asset(JS, include_str!("../../../widget/js/resize.js"))))
        .route("/integrer.js", get(|| asset(JS, include_str!("../../../widget/js/builder.js"))))
        .route("/integrer", get(builder::builder_page))
        .route("/statistiques", get(reuse::stats_page))
        .route("/statistiques.csv", get(reuse::stats_csv))
        .route("/datapackage.json", get(opendata::datapackage))
        .route("/export/{file}", get(opendata::file))
        .route("/catalog.jsonld", get(opendata::catalog))
        .route("/feed.xml", get(referencing::feed))
        .route("/sitemap.xml", get(referencing::sitemap))
        .route("/robots.txt", get(referencing::robots))
        .route("/healthz", get(|| async { "ok" }));
    if let Some(bundle) = &state.bundle {
        // Hashed names: a file never changes, so browsers and caches keep it for a year.
        let files = ServeDir::new(&bundle.dir).precompressed_br().fallback(get(bundle::unknown_file));
        router = router.nest_service(
            "/widget",
            Router::new().fallback_service(get_service(files)).layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            )),
        );
    } else {
        router = router.route("/widget/{*file}", get(|| async { ApiError::BundleMissing }));
    }
    if let Some(demo_dir) = &state.demo_dir {
        router = router.nest_service("/demo", ServeDir::new(demo_dir));
    }
    let origin = state.origin.clone();
    layered(
        router.fallback(|| async { ApiError::NotFound("Page introuvable.".into()) }),
        origin,
        LAYERS.len(),
    )
    .with_state(state)
}

/// The layers every answer passes through, innermost first (`cargo xtask bench`, section
/// `layers`, measures what each costs).
pub const LAYERS: [&str; 7] = [
    "CORS",
    "compression",
    "nosniff",
    "referrer policy",
    "page policy",
    "tracing",
    "origin and client address",
];

/// `router` within the first `count` of [`LAYERS`]: all of them for the server.
pub fn layered<S: Clone + Send + Sync + 'static>(
    mut router: Router<S>,
    origin: origin::OriginPolicy,
    count: usize,
) -> Router<S> {
    for layer in 0..count.min(LAYERS.len()) {
        router = match layer {
            // Any site may embed the commons; nothing is personal, so no credentials.
            0 => router.layer(CorsLayer::new().allow_origin(Any).allow_methods([Method::GET, Method::HEAD])),
            1 => router.layer(CompressionLayer::new()),
            // Every answer is what its type says (no sniffing a caption or a poster into a script),
            // and what leaves our pages for another site tells it our origin at most.
            2 => router.layer(SetResponseHeaderLayer::if_not_present(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            )),
            3 => router.layer(SetResponseHeaderLayer::if_not_present(
                header::REFERRER_POLICY,
                HeaderValue::from_static("strict-origin-when-cross-origin"),
            )),
            4 => router.layer(axum::middleware::from_fn(page_policy)),
            // Log levels follow who is at fault: a server failure is logged once, with its cause,
            // where it happens (`ApiError`); an answer to a client's mistake — a 501 for an oEmbed
            // format we do not speak among them — is no error of ours, and a flood of them floods
            // no log.
            5 => router.layer(TraceLayer::new_for_http().on_failure(())),
            // Outermost: every layer and handler within sees only the forwarded headers allowed.
            _ => router.layer(from_fn_with_state(origin.clone(), origin::normalise)),
        };
    }
    router
}

/// Our pages' Content-Security-Policy: scripts and styles from this origin only (WebAssembly
/// allowed), images from it (every image is served from the cache), players framed only over
/// https (or on this machine: tests), nothing else; framed by no other site…
const PAGE_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
    img-src 'self' data:; media-src 'self' https:; connect-src 'self'; \
    frame-src 'self' https: http://localhost:* http://127.0.0.1:*; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'self'";
/// … except the pages made for iframes (`/embed/…`): being framed anywhere is their point.
const FRAME_PAGE_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
    img-src 'self' data:; media-src 'self' https:; connect-src 'self'; \
    frame-src 'self' https: http://localhost:* http://127.0.0.1:*; base-uri 'none'; form-action 'self'";

/// Sets the policy of every HTML page of ours (not the demo's partner page, which stands for
/// someone else's site).
async fn page_policy(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let path = request.uri().path();
    let policy = if path.starts_with("/embed/") { FRAME_PAGE_POLICY } else { PAGE_POLICY };
    let ours = !path.starts_with("/demo/");
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"text/html"));
    if ours && is_html {
        response
            .headers_mut()
            .entry(header::CONTENT_SECURITY_POLICY)
            .or_insert(HeaderValue::from_static(policy));
    }
    response
}

const CSS: &str = "text/css; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";

/// A small file of ours, compiled in, cached five minutes (a release reaches pages quickly).
async fn asset(content_type: &'static str, text: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=300")], text)
        .into_response()
}

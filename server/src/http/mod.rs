//! The HTTP surface: [`router`] mounts each module's routes. Only this layer knows URLs, HTML and
//! status codes; it reads the store and the search index, never the other way round.

pub mod api;
pub mod builder;
pub mod bundle;
pub mod cache;
pub mod embed;
pub mod error;
pub mod fragments;
pub mod headers;
pub mod health;
pub mod links;
pub mod measured;
pub mod openapi;
pub mod opendata;
pub mod origin;
pub mod pages;
pub mod painted;
pub mod placeholder;
pub mod rate;
pub mod referencing;
pub mod results;
pub mod reuse;
pub mod serve;

use std::sync::LazyLock;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, get_service};
use tower::util::MapRequestLayer;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use self::error::ApiError;
use crate::AppState;
use crate::store::{Database, DbError, Lookup};
use bao_contract::Resource;
use bao_contract::elements::{CARD, SEARCH, TESTIMONIALS};
use bao_widget::palette;

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
    let answers: cache::CacheState = std::sync::Arc::new((state.clone(), Default::default()));
    let content = || cache::CacheLayer::new(&answers, cache::Freshness::Content);
    let revalidate = || cache::CacheLayer::new(&answers, cache::Freshness::Revalidate);
    let asset = || cache::CacheLayer::new(&answers, cache::Freshness::Asset);
    let limit =
        |rate: &rate::ClientRate| from_fn_with_state((rate.clone(), state.origin.clone()), rate::limit);
    let limit_searches = || limit(&state.search_rate);
    // Behind the cache: only the answers computed are counted.
    let limit_api = || limit(&state.api_rate);
    // Each API route once, by its handler: its method and whole path are those of its
    // `#[utoipa::path]` (a nested router would rebuild every request's URI), and the router is
    // the OpenAPI document. Answers the cache keeps (compressed there, once) first.
    let cached_api = OpenApiRouter::new()
        .routes(routes!(api::resources).layer(limit_api()).layer(content()))
        .routes(routes!(api::resource).layer(limit_api()).layer(content()))
        .routes(routes!(api::networks).layer(limit_api()).layer(content()))
        .routes(routes!(api::sources).layer(limit_api()).layer(revalidate()))
        .routes(routes!(api::source_quality).layer(limit_api()).layer(revalidate()))
        .routes(
            routes!(api::search)
                .layer(cache::CacheLayer::new(&answers, cache::Freshness::Search))
                .layer(limit_searches()),
        )
        .routes(routes!(api::testimonials).layer(limit_api()).layer(content()));
    // The others, compressed as they go. Media are not counted: a page shows dozens at once, each
    // a stored file of bounded size that browsers keep. The beacon has its own budgets (`reuse`).
    let (computed_api, document) = OpenApiRouter::with_openapi(openapi::ApiDocument::openapi())
        .routes(routes!(api::changes))
        .routes(routes!(reuse::stats))
        .layer(limit_api())
        .routes(routes!(api::image))
        .routes(routes!(api::media))
        .routes(routes!(reuse::beacon))
        .routes(routes!(reuse::held_counts))
        .routes(routes!(api::poster))
        .routes(routes!(api::captions))
        .layer(CompressionLayer::new())
        .merge(cached_api)
        .split_for_parts();
    let api_routes = computed_api
        .route(
            &format!("{}/openapi.json", bao_contract::API_PREFIX),
            openapi::route(&document)
                .layer::<_, std::convert::Infallible>(limit_api())
                .layer(CompressionLayer::new()),
        )
        .route(&format!("{}/{{*unknown}}", bao_contract::API_PREFIX), any(api::not_found))
        .route(bao_contract::API_PREFIX, any(api::not_found));

    let mut cached = Router::new()
        .route("/", get(pages::home_page).layer(content()))
        .route("/reseaux/{id}", get(pages::network_page).layer(content()))
        .route("/themes/{tag}", get(pages::theme_page).layer(content()))
        .route("/recherche", get(results::results_page).layer(content()).layer(limit_searches()))
        .route("/r/{id}", get(pages::resource_page).layer(content()))
        .route("/sources/{id}/qualite", get(pages::quality_page).layer(revalidate()))
        .route("/oembed", get(embed::oembed).layer(content()))
        .route("/fragments", get(fragments::bundle).layer(content()))
        .route(&format!("/fragments/{}/{{id}}", CARD.fragment), get(fragments::card).layer(content()))
        .route(
            &format!("/fragments/{}", SEARCH.fragment),
            get(fragments::search).layer(content()).layer(limit_searches()),
        )
        .route(
            &format!("/fragments/{}", TESTIMONIALS.fragment),
            get(fragments::testimonials).layer(content()),
        )
        .route(&format!("{}/{{id}}", CARD.frame), get(embed::card_page).layer(content()))
        .route(SEARCH.frame, get(embed::search_page).layer(content()))
        .route(TESTIMONIALS.frame, get(embed::testimonials_page).layer(content()))
        .route("/catalog.jsonld", get(opendata::catalog).layer(content()))
        .route("/feed.xml", get(referencing::feed).layer(content()))
        .route("/sitemap.xml", get(referencing::sitemap).layer(content()))
        .route("/embed.js", get(bundle::embed_js).layer(asset()));
    for (path, content_type, text) in TEXT_FILES.iter() {
        cached = cached.route(path, get(move || text_file(content_type, text)).layer(asset()));
    }
    let mut others = Router::new()
        .route("/lien", get(embed::follow_link))
        .route("/integrer", get(builder::builder_page))
        .route(links::WORDPRESS_PLUGIN, get(builder::wordpress_plugin))
        .route("/statistiques", get(reuse::stats_page))
        .route("/statistiques.csv", get(reuse::stats_csv))
        .route("/datapackage.json", get(opendata::datapackage))
        .route("/export/{file}", get(opendata::file))
        .route("/robots.txt", get(referencing::robots))
        .route("/healthz", get(health::alive))
        .route("/readyz", get(health::ready));
    if let Some(bundle) = &state.bundle {
        // Hashed names: a file never changes, so browsers and caches keep it for a year.
        let files = ServeDir::new(&bundle.dir).precompressed_br().fallback(get(bundle::unknown_file));
        others = others.nest_service(
            "/widget",
            Router::new()
                .fallback_service(get_service(files))
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                ))
                // A file kept in brotli and in plain: a cache must not give one for the other.
                .layer(SetResponseHeaderLayer::appending(
                    header::VARY,
                    HeaderValue::from_static("accept-encoding"),
                )),
        );
    } else {
        others = others.route("/widget/{*file}", get(|| async { ApiError::BundleMissing }));
    }
    if let Some(demo_dir) = &state.demo_dir {
        others = others.nest_service("/demo", ServeDir::new(demo_dir));
    }
    let router = cached
        .merge(others.layer(CompressionLayer::new()))
        .merge(api_routes)
        .fallback(|| async { ApiError::NotFound("Page introuvable.".into()) });
    // Within the routing, where the route's pattern is known.
    let router = if state.count_requests { router.layer(measured::MeasuredLayer) } else { router };
    layered(router, state.origin.clone(), LAYERS.len()).with_state(std::sync::Arc::new(state))
}

/// The router's state is shared, not copied: axum clones a route's service with its state for
/// every request it routes, and `AppState`'s dozen reference counts, counted up and down by two
/// workers at once, were the largest item of ours in a kept answer's profile (BENCHMARKS.md,
/// issue 34). A handler's `State<AppState>` is copied from it only when the handler runs.
impl axum::extract::FromRef<std::sync::Arc<AppState>> for AppState {
    fn from_ref(state: &std::sync::Arc<AppState>) -> AppState {
        AppState::clone(state)
    }
}

/// The layers every answer passes through, innermost first (`cargo xtask bench`, section
/// `layers`, measures what each costs). Compression is no layer of all answers: the answer cache
/// keeps its answers compressed; [`router`] puts the others within a compression layer.
pub const LAYERS: [&str; 3] =
    ["answer headers (CORS, nosniff, referrer, page policy)", "tracing", "origin and client address"];

/// `router` within the first `count` of [`LAYERS`]: all of them for the server.
pub fn layered<S: Clone + Send + Sync + 'static>(
    mut router: Router<S>,
    origin: origin::OriginPolicy,
    count: usize,
) -> Router<S> {
    for layer in 0..count.min(LAYERS.len()) {
        router = match layer {
            0 => router.layer(headers::AnswerHeadersLayer),
            // Log levels follow who is at fault: a server failure is logged once, with its cause,
            // where it happens (`ApiError`); an answer to a client's mistake — a 501 for an oEmbed
            // format we do not speak among them — is no error of ours, and a flood of them floods
            // no log.
            1 => router.layer(TraceLayer::new_for_http().make_span_with(request_span).on_failure(())),
            // Outermost: every layer and handler within sees only the forwarded headers allowed.
            _ => {
                let origin = origin.clone();
                router.layer(MapRequestLayer::new(move |request| origin::normalise(&origin, request)))
            }
        };
    }
    router
}

/// A request's span: its method and path, not its query, which may carry a network's key.
fn request_span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    tracing::debug_span!("request", method = %request.method(), path = request.uri().path())
}

const CSS: &str = "text/css; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";

/// Our small scripts and styles, compiled in: path, type, text. Our stylesheets start with the
/// elements' colours, which they use too.
static TEXT_FILES: LazyLock<[(&str, &str, String); 6]> = LazyLock::new(|| {
    let styles = |css: &str| palette::page_css() + css;
    [
        ("/page.css", CSS, styles(include_str!("../../assets/page.css"))),
        ("/embed-frame.css", CSS, styles(include_str!("../../assets/embed-frame.css"))),
        ("/integrer.css", CSS, styles(include_str!("../../assets/integrer.css"))),
        ("/embed-frame.js", JS, include_str!("../../../widget/js/frame.js").into()),
        ("/resize.js", JS, include_str!("../../../widget/js/resize.js").into()),
        ("/integrer.js", JS, include_str!("../../../widget/js/builder.js").into()),
    ]
});

/// A small file of ours, compiled in (the answer cache says how long others keep it).
async fn text_file(content_type: &'static str, text: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], text).into_response()
}

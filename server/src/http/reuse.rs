//! Reuse counting over HTTP: the beacon the elements send (`POST /api/v1/beacon`), and what is
//! read back — `GET /api/v1/stats` (JSON), `/statistiques` (a page for a report, with its chart
//! and tables) and `/statistiques.csv` (every daily row). The commons' totals are public; a
//! network's figures, which name its partner sites, open with the network's key only.

use askama::Template;
use axum::body::{Body, to_bytes};
use axum::extract::ConnectInfo;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Json};
use bao_contract::reuse::{
    Beacon, HELD_COUNTS_PER_SENDING, HeldCount, LOCAL_SITES, MAX_BEACON_BYTES, MAX_BEACON_ID_CHARS,
    MAX_HELD_COUNTS_BYTES, MonthCounts, ResourceCounts, ReuseStats, SiteCounts, UNKNOWN_SITE,
};
use bao_contract::{Network, percent_encode};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};

use super::api::or_empty;
use super::error::documented::{Elsewhere, Invalid, KeyNeeded, TooLarge, TooMany, Unknown};
use super::error::{ApiError, ApiQuery};
use super::links;
use crate::AppState;
use time::Duration;

use crate::calendar::{Day, month_of, month_start, next_month, parse_day, today};
use crate::french::{french_date, french_month, short_month};
use crate::metrics::{self, BeaconOutcome};
use crate::opendata::dataset::ExportError;
use crate::opendata::formula_safe;
use crate::reuse::{MAX_SITE_CHARS, ROW_CAP, site_of};
use crate::store::counts::{CountKey, CountRow, StoredStats, Totals};

/// The longest period a report covers, in days (ten years and leap days).
const MAX_PERIOD_DAYS: i64 = 3_660;

/// `POST /api/v1/beacon`: counts one display or read. Always 204 when the beacon is well formed
/// — counted or not (over its budget, an unknown id, a visitor asking not to be tracked): the
/// answer tells nothing either way.
#[utoipa::path(post, path = "/api/v1/beacon", tag = "réutilisation",
    request_body(content = Beacon, content_type = "text/plain", description = "Le JSON d'un signal (envoyé en text/plain, sans requête préalable)"),
    responses((status = 204, description = "Reçu"), Invalid, TooLarge))]
pub async fn beacon(
    State(state): State<AppState>,
    peer: Option<Extension<ConnectInfo<std::net::SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = to_bytes(body, MAX_BEACON_BYTES).await.map_err(|_| ApiError::TooLarge(MAX_BEACON_BYTES))?;
    let beacon: Beacon = serde_json::from_slice(&bytes)
        .map_err(|error| ApiError::BadRequest(format!("Signal illisible : {error}.")))?;
    let id_length = beacon.resource.chars().count();
    if id_length == 0 || id_length > MAX_BEACON_ID_CHARS {
        return Err(ApiError::BadRequest("Identifiant de ressource invalide.".into()));
    }
    let outcome = if asks_not_to_be_tracked(&headers) || !state.reuse.enabled() {
        BeaconOutcome::not_tracked
    } else if !state.reuse.names_a_resource(&beacon.resource) {
        BeaconOutcome::refused
    } else {
        let key = CountKey {
            day: today(),
            site: counted_site(&headers, beacon.page.as_deref()),
            resource: beacon.resource,
            element: beacon.element,
            event: beacon.event,
        };
        let client =
            state.origin.client_address(peer.map(|Extension(ConnectInfo(peer))| peer.ip()), &headers);
        match state.reuse.record(client, key) {
            true => BeaconOutcome::counted,
            false => BeaconOutcome::refused,
        }
    };
    metrics::global().beacon(outcome);
    Ok((StatusCode::NO_CONTENT, [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))])
        .into_response())
}

/// Days before today a replica's held counts may be of (a primary away for a week).
const HELD_DAYS: i64 = 7;

/// `POST /api/v1/counts`: on the primary of a scale-out, the counts a replica took while the
/// primary was away, sent with the replicas' key (`--counts-key`); 404 on a server given none.
#[utoipa::path(post, path = "/api/v1/counts", tag = "réutilisation",
    request_body(content = Vec<HeldCount>, description = "Les comptes d'une réplique, 10 000 au plus, avec la clé des répliques (`Authorization: Bearer …`)"),
    responses((status = 204, description = "Comptés"), Invalid, KeyNeeded, Unknown, TooLarge))]
pub async fn held_counts(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let Some(expected) = &state.counts_key else {
        return Err(ApiError::NotFound(
            "Ce serveur ne reçoit pas les comptes d'autres serveurs (--counts-key).".into(),
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !expected.is(given) {
        return Err(ApiError::Forbidden(
            "La clé des répliques est attendue : `Authorization: Bearer …`.".into(),
        ));
    }
    let bytes =
        to_bytes(body, MAX_HELD_COUNTS_BYTES).await.map_err(|_| ApiError::TooLarge(MAX_HELD_COUNTS_BYTES))?;
    let held: Vec<HeldCount> = serde_json::from_slice(&bytes)
        .map_err(|error| ApiError::BadRequest(format!("Comptes illisibles : {error}.")))?;
    if held.len() > HELD_COUNTS_PER_SENDING {
        return Err(ApiError::BadRequest(format!("{HELD_COUNTS_PER_SENDING} comptes au plus à la fois.")));
    }
    let today = today();
    let counts = held
        .into_iter()
        .map(|held| {
            let held_days = today.saturating_sub(Duration::days(HELD_DAYS))..=today.saturating_add(Duration::days(1));
            let day = parse_day(&held.day).filter(|day| held_days.contains(day));
            let resource_length = held.resource.chars().count();
            match day {
                Some(day)
                    if (1..=MAX_BEACON_ID_CHARS).contains(&resource_length)
                        && (1..=MAX_SITE_CHARS).contains(&held.site.len())
                        && (1..=ROW_CAP).contains(&held.count) =>
                {
                    let key = CountKey {
                        day,
                        site: held.site,
                        resource: held.resource,
                        element: held.element,
                        event: held.event,
                    };
                    Ok((key, held.count))
                }
                _ => Err(ApiError::BadRequest(format!(
                    "Compte invalide : jour des {HELD_DAYS} derniers, ressource et site nommés, nombre de 1 à {ROW_CAP}."
                ))),
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    state.query(move |db| db.add_reuse_counts(&counts, ROW_CAP)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `Sec-GPC: 1` (Global Privacy Control) or `DNT: 1`: the page's script checks them too, this
/// holds for a script that does not.
fn asks_not_to_be_tracked(headers: &HeaderMap) -> bool {
    ["sec-gpc", "dnt"].iter().any(|name| headers.get(*name).is_some_and(|value| value.as_bytes() == b"1"))
}

/// The partner site of a beacon: the host of its `Origin`, else of its `Referer`; from one of
/// our own `/embed/…` frames, the host of the page around it (`page`). A frame that WordPress
/// sandboxes has no origin of its own: its beacons come with `Origin: null` and no `Referer`, so
/// that only `page` says where they were shown.
fn counted_site(headers: &HeaderMap, page: Option<&str>) -> String {
    let header = |name: header::HeaderName| headers.get(name).and_then(|value| value.to_str().ok());
    let sandboxed = header(header::ORIGIN) == Some("null") && header(header::REFERER).is_none();
    let origin = header(header::ORIGIN).filter(|origin| *origin != "null");
    let site = site_of(origin.or(header(header::REFERER)));
    match page {
        Some(page) if sandboxed || site == site_of(Some(&links::public_origin(headers))) => {
            site_of(Some(&format!("https://{page}")))
        }
        _ => site,
    }
}

/// Query string of the reports, as sent.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsParams {
    /// Un réseau (son identifiant), avec sa clé ; sans lui, les totaux de tout le commun.
    network: Option<String>,
    /// La clé du réseau, que l'administrateur du serveur lui a donnée : elle ouvre ses chiffres,
    /// ses sites partenaires et ses ressources.
    key: Option<String>,
    /// Premier jour compté, `AAAA-MM-JJ` (par défaut : le premier jour du mois, il y a onze mois).
    #[param(schema_with = day_or_empty)]
    from: Option<String>,
    /// Dernier jour compté, `AAAA-MM-JJ` (par défaut : aujourd'hui).
    #[param(schema_with = day_or_empty)]
    to: Option<String>,
}

fn day_or_empty() -> Schema {
    let day = ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)));
    or_empty(day)
}

/// A report's scope, checked but for its key.
#[derive(Debug, Clone)]
struct Period {
    network: Option<String>,
    key: Option<String>,
    from: Day,
    to: Day,
}

impl StatsParams {
    fn period(self) -> Result<Period, ApiError> {
        let day = |text: Option<String>, name: &str, default: Day| match text.filter(|text| !text.is_empty())
        {
            None => Ok(default),
            Some(text) => parse_day(&text)
                .ok_or_else(|| ApiError::BadRequest(format!("« {name} » attend une date AAAA-MM-JJ."))),
        };
        let to = day(self.to, "to", today())?;
        let from = day(self.from, "from", month_start(to, 11))?;
        if from > to {
            return Err(ApiError::BadRequest("« from » vient après « to ».".into()));
        }
        if (to - from).whole_days() >= MAX_PERIOD_DAYS {
            return Err(ApiError::BadRequest("La période couvre dix ans au plus.".into()));
        }
        let given = |text: Option<String>| text.filter(|text| !text.is_empty());
        Ok(Period { network: given(self.network), key: given(self.key), from, to })
    }

    /// The same period, for the whole commons.
    fn public(self) -> StatsParams {
        StatsParams { network: None, key: None, ..self }
    }
}

/// What a report shows: its period, its network, every network (to choose another), the counts.
struct Report {
    period: Period,
    network: Option<Network>,
    networks: Vec<Network>,
    stats: ReuseStats,
}

/// The period `params` ask for, checked; 403 for a network's without its key, 503 on a
/// replica (the counts are the primary's).
fn opened(state: &AppState, params: StatsParams) -> Result<Period, ApiError> {
    if state.reuse.sends_to_primary() {
        return Err(ApiError::Elsewhere(
            "Les chiffres se lisent sur le serveur principal, absent pour l'instant (ce serveur en est une réplique)."
                .into(),
        ));
    }
    let period = params.period()?;
    match &period.network {
        Some(network) if !state.report_keys.opens(network, period.key.as_deref().unwrap_or_default()) => {
            Err(ApiError::Forbidden(format!(
                "Les chiffres du réseau « {network} » se lisent avec sa clé (`key`), que \
                 l'administrateur de ce serveur donne au réseau ; sans elle, les totaux de tout le \
                 commun sont publics."
            )))
        }
        _ => Ok(period),
    }
}

/// The report `params` ask for, with the latest beacons in it; 404 for a network that is not,
/// 403 without its key.
async fn report(state: &AppState, params: StatsParams) -> Result<Report, ApiError> {
    let period = opened(state, params)?;
    let counter = state.reuse.clone();
    let asked = period.clone();
    let (networks, stored) = state
        .query(move |db| {
            counter.write()?;
            Ok((db.networks()?, db.reuse_stats(asked.network.as_deref(), asked.from, asked.to)?))
        })
        .await?;
    let network = match &period.network {
        None => None,
        Some(id) => Some(
            networks
                .iter()
                .find(|network| network.network.id == *id)
                .cloned()
                .ok_or_else(|| ApiError::NotFound(format!("Aucun réseau n'a l'identifiant « {id} ».")))?,
        ),
    };
    let stats = stats_of(&period, stored);
    Ok(Report { period, network, networks, stats })
}

/// What `stored` shows of `period`: a network's figures whole, the commons' without a site or
/// a resource.
fn stats_of(period: &Period, stored: StoredStats) -> ReuseStats {
    let detailed = period.network.is_some();
    // Every month of the period, the empty ones too: a chart with gaps tells the truth.
    let mut months = Vec::new();
    let mut start = month_start(period.from, 0);
    while start <= period.to {
        let month = month_of(start);
        let totals = stored.months.iter().find(|(m, _)| *m == month).map_or(Totals::default(), |(_, t)| *t);
        months.push(MonthCounts { month, displays: totals.displays, reads: totals.reads });
        start = next_month(start);
    }
    ReuseStats {
        network: period.network.clone(),
        from: period.from.to_string(),
        to: period.to.to_string(),
        displays: stored.totals.displays,
        reads: stored.totals.reads,
        months,
        sites: detailed.then(|| {
            stored
                .sites
                .into_iter()
                .map(|(site, totals)| SiteCounts { site, displays: totals.displays, reads: totals.reads })
                .collect()
        }),
        resources: detailed.then(|| {
            stored
                .resources
                .into_iter()
                .map(|(id, title, totals)| ResourceCounts {
                    id,
                    title,
                    displays: totals.displays,
                    reads: totals.reads,
                })
                .collect()
        }),
    }
}

/// How long a report may be kept: the commons' totals by anyone, revalidated; a network's
/// figures by no one (a shared cache would give them without the key).
fn report_caching(period: &Period) -> (header::HeaderName, HeaderValue) {
    let policy = if period.network.is_some() { "private, no-store" } else { "no-cache" };
    (header::CACHE_CONTROL, HeaderValue::from_static(policy))
}

/// `GET /api/v1/stats`.
#[utoipa::path(get, path = "/api/v1/stats", tag = "réutilisation", params(StatsParams),
    responses((status = 200, body = ReuseStats), Invalid, KeyNeeded, Unknown, TooMany, Elsewhere))]
pub async fn stats(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<StatsParams>,
) -> Result<Response, ApiError> {
    let Report { period, stats, .. } = report(&state, params).await?;
    Ok(([report_caching(&period)], Json(stats)).into_response())
}

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    stats: ReuseStats,
    /// The network's name, or none for the whole commons.
    network_name: Option<String>,
    /// Every network with resources, to choose one.
    networks: Vec<Network>,
    /// The network asked for, chosen again in the form (also when its key was refused).
    asked: String,
    from_label: String,
    to_label: String,
    chart: String,
    months: Vec<(String, MonthCounts)>,
    /// The network's sites, labelled; none in the commons' totals.
    sites: Option<Vec<(String, SiteCounts)>>,
    /// The key the network's figures were opened with, kept by the form.
    key: String,
    /// Why a network's figures were not opened.
    refused: Option<String>,
    /// The daily rows, a network's only.
    csv_url: Option<String>,
    json_url: String,
    counting: bool,
}

/// `GET /statistiques`: the report a network's coordinator shows, in French; without the
/// network's key, the commons' totals and why (403).
pub async fn stats_page(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<StatsParams>,
) -> Result<Response, ApiError> {
    let asked = params.network.clone().unwrap_or_default();
    let (Report { period, network, networks, stats }, refused) = match report(&state, params.clone()).await {
        Err(ApiError::Forbidden(reason)) => (report(&state, params.public()).await?, Some(reason)),
        answer => (answer?, None),
    };
    let networks = networks.into_iter().filter(|network| network.resource_count > 0).collect();
    let query = report_query(&period);
    let status = if refused.is_some() { StatusCode::FORBIDDEN } else { StatusCode::OK };
    let page = StatsPage {
        network_name: network.map(|network| network.network.name),
        networks,
        asked,
        from_label: french_date(&stats.from),
        to_label: french_date(&stats.to),
        chart: chart(&stats.months),
        months: stats.months.iter().map(|month| (french_month(&month.month), month.clone())).collect(),
        sites: stats
            .sites
            .as_ref()
            .map(|sites| sites.iter().map(|site| (site_label(&site.site), site.clone())).collect()),
        key: period.key.clone().unwrap_or_default(),
        refused,
        csv_url: period.network.is_some().then(|| format!("/statistiques.csv?{query}")),
        json_url: format!("{}/stats?{query}", bao_contract::API_PREFIX),
        counting: state.reuse.enabled(),
        stats,
    };
    Ok((status, [report_caching(&period)], Html(page.render()?)).into_response())
}

/// `GET /statistiques.csv`: every daily row of a network's period, with its key.
pub async fn stats_csv(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<StatsParams>,
) -> Result<Response, ApiError> {
    let period = opened(&state, params)?;
    if period.network.is_none() {
        return Err(ApiError::Forbidden(
            "Le tableau jour par jour est celui d'un réseau (`network`), lu avec sa clé (`key`).".into(),
        ));
    }
    let counter = state.reuse.clone();
    let db = state.db.clone();
    let asked = period.clone();
    let csv = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, ExportError> {
        counter.write()?;
        let mut csv = csv::Writer::from_writer(Vec::new());
        csv.write_record(["jour", "reseau", "ressource", "site", "element", "evenement", "nombre"])?;
        db.for_each_count_row(asked.network.as_deref(), asked.from, asked.to, |row: CountRow| {
            let day = row.day.to_string();
            let count = row.count.to_string();
            let fields = [&day, &row.network, &row.resource, &row.site, &row.element, &row.event, &count];
            let safe = fields.map(|field| formula_safe(field));
            Ok::<_, ExportError>(csv.write_record(safe.iter().map(|field| field.as_bytes()))?)
        })?;
        Ok(csv.into_inner().map_err(|error| error.into_error())?)
    })
    .await??;
    let name = format!(
        "attachment; filename=\"statistiques-{}{}-{}.csv\"",
        period.network.as_deref().map(|network| format!("{}-", file_safe(network))).unwrap_or_default(),
        period.from,
        period.to
    );
    let disposition = HeaderValue::from_str(&name).unwrap_or(HeaderValue::from_static("attachment"));
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
            (header::CONTENT_DISPOSITION, disposition),
            report_caching(&period),
        ],
        csv,
    )
        .into_response())
}

/// The query string that names `period` again.
fn report_query(period: &Period) -> String {
    let mut query = format!("from={}&to={}", period.from, period.to);
    if let Some(network) = &period.network {
        query = format!("network={}&{query}", percent_encode(network));
    }
    if let Some(key) = &period.key {
        query = format!("{query}&key={}", percent_encode(key));
    }
    query
}

fn file_safe(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect()
}

fn site_label(site: &str) -> String {
    match site {
        LOCAL_SITES => "machines locales et adresses IP (comptées à part)".into(),
        UNKNOWN_SITE => "site inconnu (la page ne dit pas son adresse)".into(),
        host => host.into(),
    }
}

/// The displays and reads of each month as an SVG bar chart, drawn here: no script, no third
/// party. Decorative for assistive technologies, which read the table beside it.
fn chart(months: &[MonthCounts]) -> String {
    const WIDTH: f64 = 640.0;
    const HEIGHT: f64 = 220.0;
    const TOP: f64 = 16.0;
    const BOTTOM: f64 = 36.0;
    const LEFT: f64 = 48.0;
    let highest = months.iter().map(|month| month.displays.max(month.reads)).max().unwrap_or(0).max(1);
    let step = (WIDTH - LEFT) / months.len().max(1) as f64;
    let bar = (step * 0.38).min(24.0);
    let plot = HEIGHT - TOP - BOTTOM;
    let y = |value: u64| TOP + plot * (1.0 - value as f64 / highest as f64);
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"100%\" aria-hidden=\"true\" focusable=\"false\" xmlns=\"http://www.w3.org/2000/svg\">\
         <line x1=\"{LEFT}\" y1=\"{base}\" x2=\"{WIDTH}\" y2=\"{base}\" class=\"axis\"/>\
         <text x=\"{label_x}\" y=\"{top}\" class=\"scale\" text-anchor=\"end\">{highest}</text>\
         <text x=\"{label_x}\" y=\"{base}\" class=\"scale\" text-anchor=\"end\">0</text>",
        base = HEIGHT - BOTTOM,
        label_x = LEFT - 6.0,
        top = TOP + 4.0,
    );
    for (index, month) in months.iter().enumerate() {
        let x = LEFT + step * index as f64 + step / 2.0;
        for (offset, value, class) in [(-bar, month.displays, "displays"), (0.0, month.reads, "reads")] {
            let top = y(value);
            svg.push_str(&format!(
                "<rect x=\"{:.1}\" y=\"{top:.1}\" width=\"{bar:.1}\" height=\"{:.1}\" class=\"{class}\"/>",
                x + offset,
                HEIGHT - BOTTOM - top
            ));
        }
        let short = short_month(&month.month);
        svg.push_str(&format!(
            "<text x=\"{x:.1}\" y=\"{:.1}\" class=\"month\" text-anchor=\"middle\">{short}</text>",
            HEIGHT - BOTTOM + 16.0
        ));
        if index == 0 || month.month.ends_with("-01") {
            svg.push_str(&format!(
                "<text x=\"{x:.1}\" y=\"{:.1}\" class=\"month\" text-anchor=\"middle\">{}</text>",
                HEIGHT - 4.0,
                &month.month[..4]
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        let csv_field = |value: &str| {
            let mut csv = csv::Writer::from_writer(Vec::new());
            csv.write_record([formula_safe(value).as_bytes()]).unwrap();
            String::from_utf8(csv.into_inner().unwrap()).unwrap().trim_end().to_owned()
        };
        assert_eq!(csv_field("asso.org"), "asso.org");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        for formula in ["+1", "-1+A1", "@SUM(A1)", "\t=1", "\r=1"] {
            assert!(csv_field(formula).trim_start_matches('"').starts_with('\''), "{formula:?}");
        }
    }

    #[test]
    fn the_chart_labels_months_as_french_abbreviates_them() {
        let labels = chart(&[MonthCounts { month: "2026-03".into(), displays: 1, reads: 0 }]);
        assert!(labels.contains(">mars</text>") && !labels.contains("mars."), "{labels}");
    }

    #[test]
    fn every_month_of_a_period_is_a_bar_even_empty() {
        let period = Period {
            network: None,
            key: None,
            from: parse_day("2025-12-15").unwrap(),
            to: parse_day("2026-02-01").unwrap(),
        };
        let stats = stats_of(&period, StoredStats::default());
        let months: Vec<&str> = stats.months.iter().map(|m| m.month.as_str()).collect();
        assert_eq!(months, ["2025-12", "2026-01", "2026-02"]);
        assert_eq!(chart(&stats.months).matches("<rect").count(), 6);
    }
}

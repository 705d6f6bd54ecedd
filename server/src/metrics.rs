//! What operators watch, in the OpenMetrics text format Prometheus reads (`--metrics-listen`, off
//! by default): requests by route and status with their latency, syncs by source and outcome with
//! their duration, resources per source, requests refused by a rate, beacons counted or not.
//! One set of figures per process ([`global`]): a request costs no reference count to find them,
//! and the text is made only when it is asked for.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;
use std::time::Duration;

use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// The media type of [`Metrics::text`].
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The figures of this process.
pub fn global() -> &'static Metrics {
    static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);
    &METRICS
}

/// The figures of the process: its servers' answers, its follower's syncs.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    syncs: Family<SyncLabels, Counter>,
    sync_seconds: Family<SourceLabels, Histogram, fn() -> Histogram>,
    resources: Family<SourceLabels, Gauge>,
    refused: Family<RateLabels, Counter>,
    beacons: Family<BeaconLabels, Counter>,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SourceLabels {
    source: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SyncLabels {
    source: String,
    outcome: SyncOutcomeLabel,
}

/// How a sync ended.
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq, EncodeLabelValue)]
#[allow(non_camel_case_types)] // label values as Prometheus spells them
pub enum SyncOutcomeLabel {
    stored,
    unchanged,
    failed,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RateLabels {
    rate: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct BeaconLabels {
    outcome: BeaconOutcome,
}

/// What became of a beacon.
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq, EncodeLabelValue)]
#[allow(non_camel_case_types)]
pub enum BeaconOutcome {
    /// Added to the day's counts.
    counted,
    /// Past its client's budget, or for an id that names nothing.
    refused,
    /// The visitor asked not to be tracked (`Sec-GPC`, `DNT`), or counting is off.
    not_tracked,
}

/// Latency buckets from 0.1 ms to about 3 s.
fn request_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.000_1, 2.0, 16))
}

/// Sync buckets from 10 ms to about 20 min.
fn sync_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.01, 2.0, 18))
}

/// The route of a request no route matched.
const NO_ROUTE: &str = "(aucune)";

thread_local! {
    /// This worker's handles on each route's figures: a request finds them without the families'
    /// locks or a label to build (measured: answers at 0.93 of their rate without it).
    static ROUTES: RefCell<HashMap<Box<str>, RouteFigures>> = RefCell::default();
}

/// One route's figures, as handles.
struct RouteFigures {
    latency: Histogram,
    statuses: Vec<(u16, Counter)>,
}

impl Metrics {
    fn new() -> Metrics {
        let mut registry = Registry::with_prefix("bao");
        let metrics = Metrics {
            requests: Family::default(),
            latency: Family::new_with_constructor(request_histogram),
            syncs: Family::default(),
            sync_seconds: Family::new_with_constructor(sync_histogram),
            resources: Family::default(),
            refused: Family::default(),
            beacons: Family::default(),
            registry: Registry::default(),
        };
        registry.register("http_requests", "Requêtes HTTP, par route et statut", metrics.requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "Durée des réponses, par route",
            metrics.latency.clone(),
        );
        registry.register("syncs", "Synchronisations, par source et issue", metrics.syncs.clone());
        registry.register(
            "sync_duration_seconds",
            "Durée des synchronisations, par source",
            metrics.sync_seconds.clone(),
        );
        registry.register("resources", "Ressources tenues, par source", metrics.resources.clone());
        registry.register("rate_refusals", "Requêtes refusées (429), par limite", metrics.refused.clone());
        registry.register("beacons", "Signaux de réutilisation, par issue", metrics.beacons.clone());
        Metrics { registry, ..metrics }
    }

    /// A request answered: its route (the router's pattern, `None` when none matched), status and
    /// time taken.
    pub fn request(&self, route: Option<&str>, status: u16, took: Duration) {
        let route = route.unwrap_or(NO_ROUTE);
        ROUTES.with_borrow_mut(|routes| {
            if !routes.contains_key(route) {
                let latency = self.latency.get_or_create_owned(&RouteLabels { route: route.to_owned() });
                routes.insert(route.into(), RouteFigures { latency, statuses: Vec::new() });
            }
            let Some(figures) = routes.get_mut(route) else { return };
            figures.latency.observe(took.as_secs_f64());
            if let Some((_, requests)) = figures.statuses.iter().find(|(seen, _)| *seen == status) {
                requests.inc();
            } else {
                let requests =
                    self.requests.get_or_create_owned(&RequestLabels { route: route.to_owned(), status });
                requests.inc();
                figures.statuses.push((status, requests));
            }
        });
    }

    /// A sync of `source` ended.
    pub fn sync(&self, source: &str, outcome: SyncOutcomeLabel, took: Duration) {
        let source = source.to_owned();
        self.sync_seconds.get_or_create(&SourceLabels { source: source.clone() }).observe(took.as_secs_f64());
        self.syncs.get_or_create(&SyncLabels { source, outcome }).inc();
    }

    /// A request refused by the rate named `rate`.
    pub fn refused(&self, rate: &'static str) {
        self.refused.get_or_create(&RateLabels { rate }).inc();
    }

    pub fn beacon(&self, outcome: BeaconOutcome) {
        self.beacons.get_or_create(&BeaconLabels { outcome }).inc();
    }

    /// The figures as text, with the resources each source holds now (`(source, count)`).
    pub fn text(&self, resources: impl IntoIterator<Item = (String, u64)>) -> String {
        for (source, count) in resources {
            self.resources.get_or_create(&SourceLabels { source }).set(count as i64);
        }
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

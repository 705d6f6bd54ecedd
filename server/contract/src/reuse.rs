//! Reuse counting: what an element tells the server when it is seen or read (`POST
//! /api/v1/beacon`) and the daily totals a network reads back (`GET /api/v1/stats`). A beacon
//! names a resource, an element kind and an event: nothing about the person reading.

use serde::{Deserialize, Serialize};

/// The most a beacon's JSON may weigh, in bytes.
pub const MAX_BEACON_BYTES: usize = 1024;

/// The longest resource id a beacon may name (ids are much shorter; this bounds the counters).
pub const MAX_BEACON_ID_CHARS: usize = 200;

/// One element shown, or one fiche unfolded or video played in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Beacon {
    /// The resource's id, as the element has it (an id it had before counts for it too).
    // `MAX_BEACON_ID_CHARS`: utoipa takes only a literal here.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub resource: String,
    pub element: CountedElement,
    pub event: ReuseEvent,
    /// Inside one of our `/embed/…` iframes only: the host of the page around it (the frame's
    /// own origin is ours, and says nothing of where it is embedded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
}

/// The element a beacon comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum CountedElement {
    Card,
    /// A fiche opened inline from `<bao-search>`'s results.
    Search,
    Testimonials,
}

impl CountedElement {
    pub const ALL: [CountedElement; 3] =
        [CountedElement::Card, CountedElement::Search, CountedElement::Testimonials];

    pub fn as_str(self) -> &'static str {
        match self {
            CountedElement::Card => "card",
            CountedElement::Search => "search",
            CountedElement::Testimonials => "testimonials",
        }
    }
}

/// What happened: the resource came into view, or the visitor unfolded the fiche or played its video.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ReuseEvent {
    Display,
    Read,
}

impl ReuseEvent {
    pub const ALL: [ReuseEvent; 2] = [ReuseEvent::Display, ReuseEvent::Read];

    pub fn as_str(self) -> &'static str {
        match self {
            ReuseEvent::Display => "display",
            ReuseEvent::Read => "read",
        }
    }
}

/// `POST /api/v1/counts`: a day's count a replica of a scale-out took (beacons that reached it
/// while the primary was away), sent on to the primary, which keeps the counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HeldCount {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// The resource's id as the beacon named it.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub resource: String,
    /// The partner site (a host name, [`LOCAL_SITES`] or [`UNKNOWN_SITE`]).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 253))]
    pub site: String,
    pub element: CountedElement,
    pub event: ReuseEvent,
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub count: u64,
}

/// The most one sending of held counts may weigh, in bytes.
pub const MAX_HELD_COUNTS_BYTES: usize = 4 * 1024 * 1024;
/// Held counts sent at once, at most (well under [`MAX_HELD_COUNTS_BYTES`]).
pub const HELD_COUNTS_PER_SENDING: usize = 10_000;

/// Where partner pages that are no named site are counted: `localhost`, an IP address, a
/// single-label or reserved name (`.local`, `.test`…).
pub const LOCAL_SITES: &str = "(local)";
/// Where beacons whose page sent no origin are counted (a `no-referrer` policy).
pub const UNKNOWN_SITE: &str = "(inconnu)";

/// `GET /api/v1/stats`: the whole commons' displays and reads over days (public), or a
/// network's with its partner sites and resources (read with the network's key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReuseStats {
    /// The network's id; none for the whole commons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    /// First and last day counted, `YYYY-MM-DD`, both included.
    pub from: String,
    pub to: String,
    pub displays: u64,
    pub reads: u64,
    /// Every month of the period, oldest first, those without counts too.
    pub months: Vec<MonthCounts>,
    /// The partner sites, most displays first (at most [`MAX_STATS_ROWS`]; the CSV has them all);
    /// only in a network's figures, read with its key: the commons' totals name no site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sites: Option<Vec<SiteCounts>>,
    /// The resources, most displays first (at most [`MAX_STATS_ROWS`]); only in a network's
    /// figures, as `sites`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<ResourceCounts>>,
}

/// Rows of `sites` and `resources` at most.
pub const MAX_STATS_ROWS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthCounts {
    /// `YYYY-MM`.
    pub month: String,
    pub displays: u64,
    pub reads: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteCounts {
    /// A host name, or [`LOCAL_SITES`], or [`UNKNOWN_SITE`].
    pub site: String,
    pub displays: u64,
    pub reads: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResourceCounts {
    pub id: String,
    /// Its title today; empty when it is no longer in the commons.
    pub title: String,
    pub displays: u64,
    pub reads: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_beacon_is_three_fields_and_nothing_unknown() {
        let beacon: Beacon =
            serde_json::from_str(r#"{"resource":"exemples-repair-cafe","element":"card","event":"display"}"#)
                .unwrap();
        assert_eq!(beacon.element, CountedElement::Card);
        assert_eq!(beacon.page, None);
        let sneaky = r#"{"resource":"a","element":"card","event":"read","visitor":"1234"}"#;
        assert!(serde_json::from_str::<Beacon>(sneaky).is_err());
    }
}

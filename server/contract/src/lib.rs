//! The JSON contract of `/api/v1`, shared by the server (which writes it) and the widget (which
//! reads it), so that the two cannot drift apart. Serde types only: no I/O, no runtime.

use serde::{Deserialize, Serialize};

pub mod elements;
pub mod reuse;

/// The path prefix of every API route.
pub const API_PREFIX: &str = "/api/v1";

/// Largest page the list endpoint returns; larger `limit`s are refused with a 400.
pub const MAX_PAGE_LIMIT: u32 = 100;

/// Bytes of resources a page of changes (`/api/v1/changes`) carries past its first change: a
/// follower reads at most this and one resource at its budget in one answer.
pub const CHANGES_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// Page size when the client does not ask for one.
pub const DEFAULT_PAGE_LIMIT: u32 = 20;

/// Most results a `<bao-search>` asks for at once (its `limit` attribute, 1 to this).
pub const MAX_SEARCH_BOX_LIMIT: u32 = 20;

/// Most testimonies a `<bao-testimonials>` shows (its `limit` attribute, 1 to this).
pub const MAX_CAROUSEL_LIMIT: u32 = 30;

/// Size of a testimony's poster, in CSS pixels: the server resizes fetched posters to fit it and
/// draws placeholders at it; the carousel reserves it. 16:9, and 640 keeps a poster near 40 KB.
pub const POSTER_WIDTH: u32 = 640;
pub const POSTER_HEIGHT: u32 = 360;

/// What a resource is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A method sheet on a collaborative practice.
    Fiche,
    /// A written experience report.
    Temoignage,
    /// A filmed testimony.
    Video,
}

impl Kind {
    /// Every kind, in display order.
    pub const ALL: [Kind; 3] = [Kind::Fiche, Kind::Temoignage, Kind::Video];

    /// The stable identifier used in URLs and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Fiche => "fiche",
            Kind::Temoignage => "temoignage",
            Kind::Video => "video",
        }
    }

    /// Parses the identifier written by [`Kind::as_str`].
    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    /// The French label shown to visitors.
    pub fn label_fr(self) -> &'static str {
        match self {
            Kind::Fiche => "Fiche",
            Kind::Temoignage => "Témoignage",
            Kind::Video => "Vidéo",
        }
    }
}

/// The network (association, cooperative, university…) that publishes a resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetworkRef {
    /// Stable slug.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The network's own website or repository, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A network and how many resources it publishes, as listed by `GET /api/v1/networks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Network {
    #[serde(flatten)]
    pub network: NetworkRef,
    pub resource_count: u64,
}

/// `GET /api/v1/networks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetworkList {
    pub items: Vec<Network>,
}

/// `GET /api/v1/sources`: every source the server follows, in the sources file's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourceList {
    pub items: Vec<SourceStatus>,
}

/// `GET /api/v1/changes?since=&limit=`: what changed on this server after the change `since`,
/// oldest first, for another companion server that follows it. Only the resources this server
/// reads from its own sources are given (never those it follows from another server): two servers
/// following each other neither loop nor duplicate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePage {
    pub items: Vec<Change>,
    /// What to ask for next (`since=`): the last change given, or `since` when none.
    pub next_since: u64,
    /// The latest change this server holds: when it is below a follower's cursor, the server
    /// started afresh, and the follower reads everything again.
    pub latest: u64,
}

/// The latest change of one resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    /// Its place in the order of changes: only grows.
    pub seq: u64,
    pub id: String,
    pub change: ChangeKind,
    /// When, RFC 3339, UTC.
    pub at: String,
    /// The resource's page on this server: where it is followed from.
    pub page: String,
    /// The resource, its body included (`written`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<Resource>,
    /// A filmed testimony's video (`written`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<ReplicaVideo>,
    /// The resource it is now part of (`merged`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// New, edited or moved.
    Written,
    /// Taken away by its network: its id answers 410 Gone.
    Withdrawn,
    /// Found to be a copy of another resource, which its id now leads to.
    Merged,
}

/// A testimony's video as a following server stores it: its captions' text included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplicaVideo {
    pub provider: Provider,
    pub host_name: String,
    pub embed_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poster_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript: Option<String>,
    #[serde(default)]
    pub captions: Vec<ReplicaCaptions>,
}

/// One captions track, as WebVTT.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplicaCaptions {
    pub lang: String,
    pub label: String,
    pub vtt: String,
}

/// A source of the sources file and what its last syncs did. Times are RFC 3339, UTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourceStatus {
    pub id: String,
    /// One of the sources file's kinds: `git`, `mediawiki`, `dokuwiki`, `yeswiki`, `bao`.
    pub kind: String,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    pub network: NetworkRef,
    /// The network's logo, as the sources file gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
    /// When the last sync ended; absent before the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_attempt: Option<String>,
    /// When the last successful sync ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_success: Option<String>,
    /// The commit (git) the content comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// Resources the source holds, and files it holds that are not resources.
    pub resource_count: u64,
    pub skipped_count: u64,
    /// How long the last sync took, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    /// Why the last sync failed; absent when it succeeded. The content of the last success is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

/// `GET /api/v1/sources/{id}/quality`: what the commons does not know of a source's resources
/// ("Ce que le commun ne sait pas de vos fiches"), as its last successful sync read them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourceQuality {
    pub source: String,
    pub network: NetworkRef,
    /// When the last successful sync ended; absent before the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_success: Option<String>,
    /// Resources the source holds, and how many of them lack nothing.
    pub resource_count: u64,
    pub complete_count: u64,
    /// For each gap, how many resources have it (every gap is listed, zero or not).
    pub gap_counts: Vec<GapCount>,
    /// The resources with a gap, or kept in several places, in the source's order.
    pub items: Vec<QualityItem>,
    /// The files that are not resources, or were read with a remark, and why.
    pub remarks: Vec<FileRemark>,
}

/// How many resources of a source have one gap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GapCount {
    pub gap: Gap,
    pub count: u64,
}

/// What a source's text leaves the commons to guess, or does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Gap {
    /// No licence in the text, nor for the source.
    NoLicence,
    /// "Creative Commons" without its conditions.
    VagueLicence,
    /// The text states none: the source's or repository's licence applies.
    LicenceFromSource,
    NoAuthor,
    /// No title in the text: made from the file's name.
    TitleFromFileName,
    NoSummary,
}

impl Gap {
    pub const ALL: [Gap; 6] = [
        Gap::NoLicence,
        Gap::VagueLicence,
        Gap::LicenceFromSource,
        Gap::NoAuthor,
        Gap::TitleFromFileName,
        Gap::NoSummary,
    ];

    /// What the gap is, said to the network in French, and what to write to fill it.
    pub fn describe_fr(self) -> (&'static str, &'static str) {
        match self {
            Gap::NoLicence => {
                ("Aucune licence", "ajoutez une ligne « Licence : CC BY-SA 4.0 » (ou celle de votre choix)")
            }
            Gap::VagueLicence => (
                "Licence Creative Commons sans ses conditions",
                "précisez laquelle : « CC BY-SA 4.0 », « CC BY-NC-SA 4.0 »…",
            ),
            Gap::LicenceFromSource => (
                "Licence du dépôt ou de la source, pas du texte",
                "si ce texte a la sienne, écrivez-la dans le texte",
            ),
            Gap::NoAuthor => ("Aucun auteur nommé", "ajoutez une ligne « Auteurs : … » ou « Rédigé par … »"),
            Gap::TitleFromFileName => {
                ("Titre tiré du nom du fichier", "commencez le texte par un titre « # Titre de la fiche »")
            }
            Gap::NoSummary => (
                "Aucun résumé",
                "commencez par un paragraphe qui dit en une ou deux phrases ce que propose la fiche",
            ),
        }
    }
}

/// One resource of a source, with what it lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QualityItem {
    pub id: String,
    pub title: String,
    /// The file (or page) of the source it was read from.
    pub path: String,
    pub gaps: Vec<Gap>,
    /// Other places that hold the same text (in this source or others), merged into it.
    pub copies: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// Where to fill the gaps: the file's edit page at its source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_url: Option<String>,
}

/// A file of a source that is not a resource (`skipped`), or was read with a remark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileRemark {
    pub path: String,
    pub reason: String,
    pub skipped: bool,
}

/// One place a resource is published: a fiche kept in two repositories is one resource with two.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResourceSource {
    /// The resource's page there; absent when that source has no web address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Where its text can be edited there (a forge's edit page, a wiki's edit form), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_url: Option<String>,
    pub network: NetworkRef,
    /// Its licence there, as that place states it.
    pub licence: Licence,
}

/// Longest excerpt of a licence mention shown after the licence's name.
pub const LICENCE_EXCERPT_CHARS: usize = 120;

/// The licence a resource is published under, as far as the source says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Licence {
    /// SPDX identifier when the licence and its version are known (`CC-BY-SA-4.0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spdx: Option<String>,
    /// Short label to show (`CC BY-SA`); "Licence non précisée" when the source says nothing.
    pub label: String,
    /// The licence text or deed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The words of the source that the licence was read from, kept as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
    /// True when the source names a licence family without its version.
    #[serde(default)]
    pub version_unknown: bool,
    /// False for licences that forbid commercial reuse (NC) or when no licence is known:
    /// such resources are shared, but not "open" in the strict sense.
    #[serde(default)]
    pub open: bool,
}

impl Licence {
    /// What follows the label when a licence is shown, in French: the caveat of an unknown
    /// version and the source's own words. The canonical page shows it; the widget has its own
    /// wording of it in each language (`widget/src/i18n.rs`).
    pub fn caveats_fr(&self) -> String {
        let mut caveats = String::new();
        if self.version_unknown {
            caveats.push_str(" (version non précisée par la source)");
        }
        if let Some(raw) = self.raw_excerpt() {
            caveats.push_str(" — « ");
            caveats.push_str(&raw);
            caveats.push_str(" »");
        }
        caveats
    }

    /// The source's words, short enough to follow a licence's name: the first
    /// [`LICENCE_EXCERPT_CHARS`] characters, cut on a word. The whole text stays in `raw`.
    pub fn raw_excerpt(&self) -> Option<String> {
        let raw = self.raw.as_deref()?;
        // "CC-BY-SA 4.0" after "CC BY-SA 4.0" says nothing more.
        let letters = |text: &str| {
            text.chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect::<String>()
        };
        if letters(raw) == letters(&self.label) {
            return None;
        }
        if raw.chars().count() <= LICENCE_EXCERPT_CHARS {
            return Some(raw.to_owned());
        }
        let cut: String = raw.chars().take(LICENCE_EXCERPT_CHARS).collect();
        let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
        Some(format!("{}…", cut.trim_end_matches([',', ';', ':', ' ', '/'])))
    }
}

/// An image with its text alternative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Image {
    pub url: String,
    /// Empty when the image is decorative.
    #[serde(default)]
    pub alt: String,
}

/// A resource of the commons. One type for the list and the single-resource endpoints, without
/// `#[serde(flatten)]`, whose buffering decoder would weigh on the widget's bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Resource {
    /// Stable slug, unique across the commons.
    pub id: String,
    pub kind: Kind,
    pub title: String,
    /// One or two sentences; may be empty.
    #[serde(default)]
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    #[serde(default)]
    pub authors: Vec<String>,
    pub network: NetworkRef,
    #[serde(default)]
    pub tags: Vec<String>,
    pub licence: Licence,
    /// Where the resource lives at its source (its page on the forge or the wiki); absent when
    /// the source has no web address (a folder, a remote of unknown shape): never guessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// BCP 47 language tag.
    pub lang: String,
    /// Last change at the source, RFC 3339, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// Sanitised HTML, safe to insert as is. Sent by `GET /api/v1/resources/{id}`; absent from
    /// lists, which stay light.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_html: Option<String>,
    /// Every place the resource is published, the one it is shown from first. Sent with the
    /// body; absent from lists.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<ResourceSource>,
}

/// `GET /api/v1/resources`: one page of resources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResourcePage {
    pub items: Vec<Resource>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Longest `q` that `GET /api/v1/search` accepts, in characters.
pub const MAX_QUERY_CHARS: usize = 500;

/// `GET /api/v1/search`: one page of ranked hits, with the counts that let visitors narrow it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResults {
    /// How many resources match, over all pages.
    pub total: u64,
    pub items: Vec<SearchHit>,
    /// Counts per value among the matching resources, most frequent first.
    pub facets: Facets,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// One resource found by a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    /// The resource as lists give it (without its body).
    pub resource: Resource,
    /// The passage that matched, as plain text (never markup); the summary's beginning when no
    /// passage matched (empty queries).
    pub snippet: String,
    /// Where the query's words are in `snippet`, in order and not overlapping.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub highlights: Vec<Highlight>,
}

/// A highlighted run of a snippet: byte offsets `[start, end)` of its UTF-8 text, as Meilisearch
/// gives match positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Highlight {
    pub start: u32,
    pub end: u32,
}

impl SearchHit {
    /// The snippet cut into runs, each with whether it is highlighted. Ranges that do not fall on
    /// character boundaries, overlap or run past the end are ignored rather than trusted.
    pub fn snippet_runs(&self) -> Vec<(bool, &str)> {
        let text = self.snippet.as_str();
        let mut runs = Vec::new();
        let mut at = 0;
        for highlight in &self.highlights {
            let (start, end) = (highlight.start as usize, highlight.end as usize);
            if start < at
                || end <= start
                || !text.is_char_boundary(start)
                || !text.is_char_boundary(end)
                || end > text.len()
            {
                continue;
            }
            if start > at {
                runs.push((false, &text[at..start]));
            }
            runs.push((true, &text[start..end]));
            at = end;
        }
        if at < text.len() {
            runs.push((false, &text[at..]));
        }
        runs
    }
}

/// Facet counts of a search.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facets {
    #[serde(default)]
    pub network: Vec<FacetCount>,
    #[serde(default)]
    pub kind: Vec<FacetCount>,
    #[serde(default)]
    pub tag: Vec<FacetCount>,
    /// Set when the counts cover only this many best matches of a broad search, not all of its
    /// `total`: the values are then the most relevant ones and their counts are not totals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted_over: Option<u64>,
}

/// How many matching resources have one value of a facet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCount {
    /// What to pass back as the filter (`network=`, `kind=`, `tag=`).
    pub value: String,
    /// What to show.
    pub label: String,
    pub count: u64,
}

/// Who hosts a filmed testimony's video.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    Vimeo,
    /// Played through youtube-nocookie.com.
    Youtube,
    Peertube,
    /// A plain video file, played by the browser's own `<video>`.
    File,
}

impl Provider {
    /// Every provider, in display order.
    pub const ALL: [Provider; 4] = [Provider::Vimeo, Provider::Youtube, Provider::Peertube, Provider::File];

    /// The stable identifier used in JSON, storage and the `bao:play` event.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Vimeo => "vimeo",
            Provider::Youtube => "youtube",
            Provider::Peertube => "peertube",
            Provider::File => "file",
        }
    }

    /// Parses the identifier written by [`Provider::as_str`].
    pub fn parse(text: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|provider| provider.as_str() == text)
    }
}

/// True when `url` may be played for `provider`: the provider's real embed shape, over `https`
/// (plain `http` only for the visitor's own machine, where tests and intranets run players), or,
/// for a file, a path on this server. Anything else — `javascript:`, `data:`, a scheme-relative
/// `//host`, a quote that would break out of an attribute — is refused. The importer checks it
/// before storing, the server before answering, and the widget again before it frames the player.
pub fn is_safe_player_url(provider: Provider, url: &str) -> bool {
    let id_ok = |id: &str| {
        let id = id.split(['?', '#']).next().unwrap_or_default();
        !id.is_empty()
            && id.len() <= 128
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    let query_ok = |url: &str| {
        url.bytes().all(|b| b.is_ascii_graphic() && !matches!(b, b'"' | b'\'' | b'<' | b'>' | b'\\' | b'`'))
    };
    if !query_ok(url) {
        return false;
    }
    match provider {
        Provider::Vimeo => url.strip_prefix("https://player.vimeo.com/video/").is_some_and(|id| {
            id_ok(id) && id.bytes().take_while(|b| !matches!(b, b'?' | b'#')).all(|b| b.is_ascii_digit())
        }),
        Provider::Youtube => url.strip_prefix("https://www.youtube-nocookie.com/embed/").is_some_and(id_ok),
        Provider::Peertube => {
            web_address(url).and_then(|(_, path)| path.strip_prefix("/videos/embed/")).is_some_and(id_ok)
        }
        Provider::File => {
            let path = if is_server_path(url) { Some(url) } else { web_address(url).map(|(_, path)| path) };
            path.is_some_and(|path| !path.contains(".."))
        }
    }
}

/// True when a player is where the visitor is told it is hosted ("hébergée par …"): a PeerTube
/// player's host is its `host_name` (the big providers' hosts are fixed by their URL's shape).
pub fn player_is_where_it_says(provider: Provider, embed_url: &str, host_name: &str) -> bool {
    provider != Provider::Peertube
        || web_address(embed_url).is_some_and(|(host, _)| host.trim_start_matches("www.") == host_name)
}

/// True for a path on the server's own origin (`/demo/media/a.webm`); a scheme-relative `//host/…`
/// is not one: a browser would fetch it from that host.
pub fn is_server_path(url: &str) -> bool {
    url.starts_with('/') && !url.starts_with("//")
}

/// `(host, path)` of an `https` URL, or of an `http` one on the visitor's own machine; `None` for
/// any other scheme or a host that is not a plain DNS name or address (with an optional port).
pub fn web_address(url: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    let (host, path) = match rest.find('/') {
        Some(slash) => (&rest[..slash], &rest[slash..]),
        None => (rest, "/"),
    };
    let name = host
        .rsplit_once(':')
        .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
        .map_or(host, |(name, _)| name);
    let plain_name = !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    let loopback = matches!(name, "localhost" | "127.0.0.1" | "[::1]");
    let allowed = match scheme {
        "https" => plain_name || loopback,
        "http" => loopback,
        _ => false,
    };
    allowed.then_some((host, path))
}

/// Percent-encodes everything but unreserved characters (RFC 3986), so that a value cannot
/// change the path or the query it is put in. Shared by the server's pages and the widget.
pub fn percent_encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len() * 3 / 2);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.extend(['%', HEX[usize::from(byte >> 4)] as char, HEX[usize::from(byte & 15)] as char]);
        }
    }
    out
}

/// A filmed testimony's video: what the carousel needs to show a facade, then the player.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Video {
    pub provider: Provider,
    /// Who the visitor's browser will talk to once they press play (`Vimeo`, `tube.example.org`).
    pub host_name: String,
    /// The provider's player for an iframe, or the file itself for [`Provider::File`].
    pub embed_url: String,
    /// Always served by this server (a path on its origin): the fetched, resized poster or a
    /// placeholder bearing the title, so nothing is asked of the video host before a click.
    pub poster_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<u32>,
    /// WebVTT captions, served by this server.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub captions: Vec<Captions>,
    /// What is said, as plain text (paragraphs separated by blank lines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript: Option<String>,
}

/// One captions track.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Captions {
    /// BCP 47 language tag.
    pub lang: String,
    /// What the player's menu shows (`Français`).
    pub label: String,
    /// A path on this server's origin.
    pub url: String,
}

/// A filmed testimony as `GET /api/v1/testimonials` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Testimonial {
    /// The resource as lists give it (without its body).
    pub resource: Resource,
    /// The words the source highlights (its first quotation), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    pub video: Video,
}

/// `GET /api/v1/testimonials`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TestimonialList {
    pub items: Vec<Testimonial>,
}

/// `manifest.json` of the built widget, written by `cargo xtask build-widget` and read by the
/// server, which hands the list to `embed.js`: the one list of the wasm modules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetManifest {
    /// Smallest first: a page loads the first module that has every element it holds.
    pub modules: Vec<WidgetModule>,
    /// Each element's stylesheet: its content-hashed file name under `/widget/`.
    pub styles: std::collections::BTreeMap<String, String>,
}

/// One wasm build of the widget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetModule {
    /// `search`, `media`, `full`.
    pub name: String,
    /// The JS glue's content-hashed file name, under `/widget/`.
    pub glue: String,
    /// The wasm's content-hashed file name, under `/widget/`.
    pub wasm: String,
    /// The custom elements it defines (`bao-card`…).
    pub elements: Vec<String>,
}

/// An RFC 9457 problem details body (`application/problem+json`), the shape of every API error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_licence_mentions_are_shown_short() {
        let mut licence = Licence {
            label: "CC BY".into(),
            raw: Some("Photo sous licence CC BY".into()),
            ..Licence::default()
        };
        assert_eq!(licence.caveats_fr(), " — « Photo sous licence CC BY »");
        licence.raw = Some("cc-by".into());
        assert_eq!(licence.caveats_fr(), "", "the label said it already");
        licence.raw = Some("mot ".repeat(60));
        let excerpt = licence.raw_excerpt().unwrap();
        assert!(
            excerpt.ends_with("mot…") && excerpt.chars().count() <= LICENCE_EXCERPT_CHARS + 1,
            "{excerpt}"
        );
    }

    #[test]
    fn provider_round_trips_and_values_are_percent_encoded() {
        for provider in Provider::ALL {
            assert_eq!(Provider::parse(provider.as_str()), Some(provider));
            assert_eq!(serde_json::to_string(&provider).unwrap(), format!("\"{}\"", provider.as_str()));
        }
        assert_eq!(percent_encode("a-b_c"), "a-b_c");
        assert_eq!(percent_encode("../x y/é"), "..%2Fx%20y%2F%C3%A9");
    }

    #[test]
    fn only_real_players_over_https_are_safe() {
        let safe = [
            (Provider::Vimeo, "https://player.vimeo.com/video/123006538"),
            (Provider::Youtube, "https://www.youtube-nocookie.com/embed/JaQvXptD9Ww"),
            (Provider::Peertube, "https://tube.example.org/videos/embed/9b1c-77"),
            (Provider::Peertube, "http://127.0.0.1:4567/videos/embed/cafe-42"),
            (Provider::File, "/demo/media/atelier-velo.webm"),
            (Provider::File, "https://media.example.org/a.mp4"),
        ];
        for (provider, url) in safe {
            assert!(is_safe_player_url(provider, url), "{url}");
        }
        let hostile = [
            (Provider::Peertube, "javascript://%0aalert(1)/videos/embed/x"),
            (Provider::Peertube, "javascript://tube.example.org/videos/embed/x"),
            (Provider::Peertube, "data:text/html,<script>alert(1)</script>/videos/embed/x"),
            (Provider::Peertube, "http://tube.example.org/videos/embed/x"),
            (Provider::Peertube, "https://tube.example.org/videos/watch/x"),
            (Provider::Peertube, "https://a\"onload=x/videos/embed/x"),
            (Provider::Peertube, "https:///videos/embed/x"),
            (Provider::Vimeo, "https://player.vimeo.com.evil.example/video/1"),
            (Provider::Vimeo, "https://player.vimeo.com/video/abc"),
            (Provider::Youtube, "https://www.youtube.com/embed/x"),
            (Provider::File, "data:text/html,%3Cscript%3Ealert(1)%3C/script%3E.mp4"),
            (Provider::File, "javascript:alert(1)//.mp4"),
            (Provider::File, "//evil.example/a.mp4"),
            (Provider::File, "/demo/../../etc/a.mp4"),
            (Provider::File, "/a b.mp4"),
        ];
        for (provider, url) in hostile {
            assert!(!is_safe_player_url(provider, url), "{url}");
        }
    }

    #[test]
    fn snippets_cut_into_runs_and_bad_ranges_are_ignored() {
        let resource: Resource = serde_json::from_value(serde_json::json!({
            "id": "a", "kind": "fiche", "title": "T", "network": {"id": "n", "name": "N"},
            "licence": {"label": "L"}, "source_url": "s", "lang": "fr"
        }))
        .unwrap();
        let range = |start, end| Highlight { start, end };
        let hit = |highlights| SearchHit {
            resource: resource.clone(),
            snippet: "a <b> gouvernance é".into(),
            highlights,
        };
        assert_eq!(
            hit(vec![range(6, 10)]).snippet_runs(),
            [(false, "a <b> "), (true, "gouv"), (false, "ernance é")]
        );
        // Overlapping, empty, past the end, inside a character: ignored.
        let bad = vec![range(0, 1), range(0, 2), range(3, 3), range(18, 19), range(17, 40)];
        assert_eq!(hit(bad).snippet_runs(), [(true, "a"), (false, " <b> gouvernance é")]);
    }

    #[test]
    fn kind_round_trips_through_its_identifier() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        assert_eq!(Kind::parse("Fiche"), None);
    }

    #[test]
    fn resource_round_trips_and_omits_an_absent_body() {
        let mut resource = Resource {
            id: "a".into(),
            kind: Kind::Video,
            title: "T".into(),
            summary: String::new(),
            image: None,
            authors: vec![],
            network: NetworkRef { id: "n".into(), name: "N".into(), url: None },
            tags: vec![],
            licence: Licence::default(),
            source_url: Some("https://example.org".into()),
            lang: "fr".into(),
            updated: None,
            body_html: None,
            sources: vec![],
        };
        let listed = serde_json::to_value(&resource).unwrap();
        assert_eq!(listed["kind"], "video");
        assert!(listed.get("body_html").is_none() && listed.get("sources").is_none());
        resource.body_html = Some("<p>b</p>".into());
        let value = serde_json::to_value(&resource).unwrap();
        assert_eq!(value["body_html"], "<p>b</p>");
        let back: Resource = serde_json::from_value(value).unwrap();
        assert_eq!(back, resource);
    }
}

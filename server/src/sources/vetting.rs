//! The last gate between what a source sends and the database, whatever its kind: every address
//! is `http(s)` (or a path on this server) or dropped, every language a BCP 47 tag, a player
//! is framed only from a known provider or a PeerTube instance the source declares, and a
//! resource keeps within [`Budget`]: what every answer built from it may cost.

use bao_contract::{NetworkRef, Provider, is_safe_player_url};

use super::text::without_mail_addresses;
use super::{Batch, Skipped, sanitize};
use crate::address::{is_fetchable, is_web_url};
use crate::french::counted;
use crate::store::NewResource;

/// Changes when what the vetting drops or mends changes: every source is read again.
pub const VERSION: &str = "vet-3";

/// What one resource may hold, whatever its source. The commons' fiches keep far within it (the
/// longest real body is under 100 KB); one file of 120 000 tags made 3.7 MB cards and 30 MB
/// searches. A body past its budget skips the resource; a list or a text past its budget is cut,
/// each said in the sync's report.
pub struct Budget;

impl Budget {
    /// A body's bytes once sanitised.
    pub const BODY_BYTES: usize = 1024 * 1024;
    pub const TAGS: usize = 40;
    pub const AUTHORS: usize = 40;
    /// Characters of a tag, and of an author's name.
    pub const NAME_CHARS: usize = 120;
    pub const TITLE_CHARS: usize = 300;
    pub const SUMMARY_CHARS: usize = 2_000;
    /// A filmed testimony's transcript, and each of its captions files.
    pub const TRANSCRIPT_BYTES: usize = 512 * 1024;
    pub const CAPTIONS_TRACKS: usize = 12;
}

/// The language of content that names none, or a language that is no language tag.
const DEFAULT_LANG: &str = "fr";

/// Checks `batch` in place: what is unsafe is dropped with a remark, a resource that cannot be
/// shown without it (no address of its own) is skipped. `video_hosts` are the PeerTube instances
/// the source's `video_hosts` declares.
pub fn vet(batch: &mut Batch, video_hosts: &[String]) {
    for network in &mut batch.networks {
        vet_network(network);
    }
    let mut kept = Vec::with_capacity(batch.resources.len());
    for mut new in std::mem::take(&mut batch.resources) {
        let key = new.source_key.clone();
        if let Some(refused) = new.resource.source_url.as_deref().filter(|url| !is_web_url(url)) {
            batch
                .skipped
                .push(Skipped { path: key, reason: format!("adresse de la source refusée : {refused}") });
            continue;
        }
        if let Some(bytes) =
            new.resource.body_html.as_ref().map(String::len).filter(|&bytes| bytes > Budget::BODY_BYTES)
        {
            let reason = format!(
                "texte de {} Kio, au-delà des {} Kio qu'une ressource peut faire",
                bytes / 1024,
                Budget::BODY_BYTES / 1024
            );
            batch.skipped.push(Skipped { path: key, reason });
            continue;
        }
        for remark in vet_resource(&mut new, video_hosts) {
            batch.warnings.push(Skipped { path: key.clone(), reason: remark });
        }
        kept.push(new);
    }
    batch.resources = kept;
}

/// Mends one resource; returns what was dropped, in words.
fn vet_resource(new: &mut NewResource, video_hosts: &[String]) -> Vec<String> {
    let mut remarks = Vec::new();
    let resource = &mut new.resource;
    vet_network(&mut resource.network);
    for source in &mut resource.sources {
        vet_network(&mut source.network);
        if source.licence.url.as_deref().is_some_and(|url| !is_web_url(url)) {
            source.licence.url = None;
        }
    }
    resource.sources.retain(|source| source.url.as_deref().is_none_or(is_web_url));
    if resource.licence.url.as_deref().is_some_and(|url| !is_web_url(url)) {
        resource.licence.url = None;
    }
    if let Some(image) = resource.image.take_if(|image| !is_fetchable(&image.url)) {
        remarks.push(format!("image refusée : {}", image.url));
    }
    let mut addresses = 0;
    let mut redact = |text: &mut String| {
        if let (std::borrow::Cow::Owned(redacted), count) = without_mail_addresses(text) {
            (*text, addresses) = (redacted, addresses + count);
        }
    };
    redact(&mut resource.title);
    redact(&mut resource.summary);
    resource.authors.iter_mut().for_each(&mut redact);
    resource.body_html.iter_mut().for_each(&mut redact);
    if addresses > 0 {
        let removed = counted(&addresses, "adresse e-mail retirée", "adresses e-mail retirées");
        remarks.push(format!("{removed} du texte : une adresse n'est pas republiée"));
    }
    remarks.extend(keep_within_budget(new));
    let resource = &mut new.resource;
    if !is_language_tag(&resource.lang) {
        remarks.push(format!("langue « {} » inconnue : {DEFAULT_LANG} retenu", resource.lang));
        resource.lang = DEFAULT_LANG.to_owned();
    }
    if let Some(video) =
        new.video.take_if(|video| !is_allowed_player(video.provider, &video.embed_url, video_hosts))
    {
        remarks.push(format!(
            "lecteur vidéo refusé : {} (un lecteur PeerTube doit venir d'une instance déclarée dans `video_hosts`)",
            video.embed_url
        ));
    }
    if let Some(video) = &mut new.video {
        // What the visitor is told ("hébergée par …") is where the player is, whatever a
        // replicated server claimed.
        if let Some((host, _)) =
            bao_contract::web_address(&video.embed_url).filter(|_| video.provider == Provider::Peertube)
        {
            video.host_name = host.trim_start_matches("www.").to_owned();
        }
        video.poster_source.take_if(|poster| !is_fetchable(poster));
        video.captions.retain(|captions| is_language_tag(&captions.lang));
    }
    remarks
}

/// Cuts what is past its [`Budget`]; says what was cut.
fn keep_within_budget(new: &mut NewResource) -> Vec<String> {
    let mut cut = Vec::new();
    let resource = &mut new.resource;
    for (what, text, most) in [
        ("titre", &mut resource.title, Budget::TITLE_CHARS),
        ("résumé", &mut resource.summary, Budget::SUMMARY_CHARS),
    ] {
        if let Some((end, _)) = text.char_indices().nth(most) {
            text.truncate(end);
            text.push('…');
            cut.push(format!("{what} coupé à {most} caractères"));
        }
    }
    for (what, list, most) in
        [("mots-clés", &mut resource.tags, Budget::TAGS), ("auteurs", &mut resource.authors, Budget::AUTHORS)]
    {
        let before = list.len();
        list.retain(|name| name.chars().count() <= Budget::NAME_CHARS);
        list.truncate(most);
        if list.len() < before {
            cut.push(format!(
                "{} {what} sur {before} gardés (au plus {most}, de {} caractères chacun)",
                list.len(),
                Budget::NAME_CHARS
            ));
        }
    }
    if let Some(video) = &mut new.video {
        if video.transcript.as_ref().is_some_and(|text| text.len() > Budget::TRANSCRIPT_BYTES) {
            video.transcript = None;
            cut.push(format!(
                "transcription de plus de {} Kio laissée de côté",
                Budget::TRANSCRIPT_BYTES / 1024
            ));
        }
        let before = video.captions.len();
        video.captions.retain(|captions| captions.vtt.len() <= Budget::TRANSCRIPT_BYTES);
        video.captions.truncate(Budget::CAPTIONS_TRACKS);
        if video.captions.len() < before {
            cut.push(format!("{} pistes de sous-titres sur {before} gardées", video.captions.len()));
        }
    }
    cut
}

fn vet_network(network: &mut NetworkRef) {
    network.url.take_if(|url| !is_web_url(url));
}

/// True for a player of a known provider in its real embed shape, or of a PeerTube instance that
/// is known or declared by the source (its host, with or without the port).
pub fn is_allowed_player(provider: Provider, url: &str, video_hosts: &[String]) -> bool {
    if !is_safe_player_url(provider, url) {
        return false;
    }
    if provider != Provider::Peertube {
        return true;
    }
    let Some(host_and_port) = bao_contract::web_address(url).map(|(host, _)| host) else {
        return false;
    };
    let host = host_and_port.rsplit_once(':').map_or(host_and_port, |(host, _)| host);
    sanitize::PEERTUBE_INSTANCES.contains(&host)
        || video_hosts.iter().any(|declared| declared == host || declared == host_and_port)
}

/// True for a well-formed BCP 47 language tag as content uses them (`fr`, `fr-CA`, `oc-aranes`,
/// `zh-Hant-TW`): a 2–3 letter language, then subtags of 1–8 letters or digits.
pub fn is_language_tag(tag: &str) -> bool {
    let mut subtags = tag.split('-');
    let language = subtags.next().unwrap_or_default();
    tag.len() <= 35
        && (2..=3).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_alphabetic())
        && subtags.all(|subtag| {
            (1..=8).contains(&subtag.len()) && subtag.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        for good in ["fr", "fr-CA", "oc-aranes", "zh-Hant-TW", "gsw"] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in ["", "f", "french-x", "fr_FR", "fr-", "fr\"><script>", "x-123456789", "fr--ca"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }

    #[test]
    fn peertube_players_come_from_known_or_declared_instances() {
        let declared = ["tube.example.org".to_owned(), "127.0.0.1:9000".to_owned()];
        let player = |url| is_allowed_player(Provider::Peertube, url, &declared);
        assert!(player("https://tube.example.org/videos/embed/abc"));
        assert!(player("https://framatube.org/videos/embed/abc"), "a known instance");
        assert!(player("http://127.0.0.1:9000/videos/embed/abc"));
        assert!(!player("http://127.0.0.1:9001/videos/embed/abc"), "another port is another host");
        assert!(!player("https://evil.example/videos/embed/abc"), "any host with the path shape");
        assert!(!player("https://tube.example.org.evil.example/videos/embed/abc"));
        assert!(!player("javascript://tube.example.org/videos/embed/abc"));
        assert!(is_allowed_player(Provider::Vimeo, "https://player.vimeo.com/video/12", &[]));
        let said = |url, host| bao_contract::player_is_where_it_says(Provider::Peertube, url, host);
        assert!(said("https://www.tube.example.org/videos/embed/a", "tube.example.org"));
        assert!(!said("https://evil.example/videos/embed/a", "framatube.org"), "a label that lies");
        assert!(!is_allowed_player(Provider::Vimeo, "https://evil.example/video/12", &[]));
    }
}

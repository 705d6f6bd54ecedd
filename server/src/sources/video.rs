//! Finds the filmed testimony in a Markdown file as multiBàO repositories write it: a thumbnail
//! linked to a player (`[![](thumb.jpg)](https://player.vimeo.com/video/ID)`), or a player iframe
//! (Vimeo, YouTube, PeerTube), and turns it into a provider, a player URL and a poster.

use crate::address::has_web_scheme;
use bao_contract::{Provider, is_safe_player_url};

/// The video a file shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundVideo {
    pub provider: Provider,
    /// The provider's player, ready for an iframe; the file itself for [`Provider::File`].
    pub embed_url: String,
    /// The thumbnail the source links to the player, when there is one.
    pub poster_url: Option<String>,
}

impl FoundVideo {
    /// The thumbnail a provider publishes at a known address (YouTube's), for want of another.
    pub fn provider_poster(&self) -> Option<String> {
        let id = self.embed_url.rsplit('/').next()?;
        (self.provider == Provider::Youtube).then(|| format!("https://i.ytimg.com/vi/{id}/hqdefault.jpg"))
    }

    /// Who the visitor's browser talks to once they press play.
    pub fn host_name(&self) -> String {
        match self.provider {
            Provider::Vimeo => "Vimeo".into(),
            Provider::Youtube => "YouTube".into(),
            // A file given as a path is served by the companion server itself.
            Provider::Peertube | Provider::File => host_of(&self.embed_url)
                .map_or_else(|| "multiBàO".into(), |host| host.trim_start_matches("www.").to_owned()),
        }
    }
}

/// Extensions of video files a browser plays in `<video>`.
const VIDEO_FILE_EXTENSIONS: &[&str] = &[".mp4", ".webm", ".ogv", ".m4v"];

/// Where a player stops being a text's subject and becomes a mention: past this many
/// characters, a bare link to a player is one reference among others.
const SUBJECT_WITHIN_CHARS: usize = 1200;

/// The video a text is about, if it is about one: the first player linked near its top, or
/// shown (an iframe, a thumbnail linked to it) before most of its text — never one it merely
/// cites in its sources, nor one that illustrates a long text further down (two fiches of
/// Coop-tic, a thumbnail of a talk in their last quarter, were made testimonies by it).
pub fn find_video(markdown: &str) -> Option<FoundVideo> {
    let (start, url) = player_urls(markdown).find(|(start, _)| {
        let before = &markdown[..*start];
        let shown =
            before.trim_end_matches(['"', '\'']).ends_with("src=") || linked_thumbnail(before).is_some();
        let near_top = *start < SUBJECT_WITHIN_CHARS || (shown && *start < markdown.len() / 3);
        !in_citing_section(before) && near_top
    })?;
    let mut found = video_at(url)?;
    found.poster_url = linked_thumbnail(&markdown[..start]).or(found.poster_url);
    Some(found)
}

/// Whether the text that ends with `before` is in a section citing other works ("Sources",
/// "Pour aller plus loin"…), by the last heading above it.
fn in_citing_section(before: &str) -> bool {
    before.lines().rev().find_map(|line| line.trim_start().strip_prefix('#')).is_some_and(|heading| {
        super::text::is_citing_heading(heading.trim_start_matches(['#', ' ', '\u{a0}']))
    })
}

/// The video at a URL given by the source (front matter `video_url`): a player, a page of a
/// known provider, or a video file (absolute, or a path on this server).
pub fn video_at(url: &str) -> Option<FoundVideo> {
    if let Some((provider, embed_url)) = embed_url(url) {
        return Some(FoundVideo { provider, embed_url, poster_url: None });
    }
    let path = url.split(['?', '#']).next().unwrap_or(url).to_ascii_lowercase();
    let is_file = VIDEO_FILE_EXTENSIONS.iter().any(|ext| path.ends_with(ext));
    (is_file && is_safe_player_url(Provider::File, url)).then(|| FoundVideo {
        provider: Provider::File,
        embed_url: url.to_owned(),
        poster_url: None,
    })
}

fn host_of(url: &str) -> Option<&str> {
    let without_scheme = url.split_once("://")?.1;
    without_scheme.split(['/', '?', '#']).next().filter(|host| !host.is_empty())
}

/// Every `http(s)://` URL of the text with its offset, cut at the first character that cannot
/// belong to a URL in Markdown or HTML.
fn player_urls(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.match_indices("http").filter_map(|(start, _)| {
        let rest = &text[start..];
        if !has_web_scheme(rest) {
            return None;
        }
        let end = rest.find(|c: char| c.is_whitespace() || matches!(c, ')' | '"' | '\'' | '<' | '>' | ']'));
        let url = &rest[..end.unwrap_or(rest.len())];
        embed_url(url).map(|_| (start, url))
    })
}

/// The player URL for a link or iframe source, when it is one (and a safe one: see
/// [`is_safe_player_url`]).
fn embed_url(url: &str) -> Option<(Provider, String)> {
    provider_player(url).filter(|(provider, player)| is_safe_player_url(*provider, player))
}

fn provider_player(url: &str) -> Option<(Provider, String)> {
    let without_scheme = url.split_once("://")?.1;
    let (host, path) = without_scheme.split_once('/')?;
    let host = host.trim_start_matches("www.");
    let id_after = |prefix: &str| {
        let id = path.strip_prefix(prefix)?;
        let id = id.split(['?', '#', '/']).next()?;
        (!id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .then(|| id.to_owned())
    };
    match host {
        "player.vimeo.com" => {
            id_after("video/").map(|id| (Provider::Vimeo, format!("https://player.vimeo.com/video/{id}")))
        }
        "vimeo.com" => id_after("")
            .filter(|id| id.chars().all(|c| c.is_ascii_digit()))
            .map(|id| (Provider::Vimeo, format!("https://player.vimeo.com/video/{id}"))),
        "youtube.com" | "youtube-nocookie.com" => id_after("embed/")
            .or_else(|| {
                path.strip_prefix("watch?v=").and_then(|rest| rest.split('&').next()).map(str::to_owned)
            })
            .map(|id| (Provider::Youtube, format!("https://www.youtube-nocookie.com/embed/{id}"))),
        "youtu.be" => {
            id_after("").map(|id| (Provider::Youtube, format!("https://www.youtube-nocookie.com/embed/{id}")))
        }
        _ => id_after("videos/embed/").map(|id| {
            // A PeerTube instance on the visitor's own machine may be plain http (tests,
            // intranets): keep its scheme; the safety check refuses it anywhere else.
            let scheme = url.split_once("://").map_or("https", |(scheme, _)| scheme);
            (Provider::Peertube, format!("{scheme}://{host}/videos/embed/{id}"))
        }),
    }
}

/// `[![…](THUMB)](` ending right where the player URL starts: the linked thumbnail's URL.
fn linked_thumbnail(before_player: &str) -> Option<String> {
    let link_open = before_player.strip_suffix("](")?;
    let image = link_open.strip_suffix(')')?;
    let thumb_start = image.rfind("](")? + 2;
    let thumb = &image[thumb_start..];
    let thumb = thumb.split_whitespace().next()?;
    (image[..thumb_start].rfind("![").is_some() && thumb.starts_with("http")).then(|| thumb.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_player_cited_in_the_sources_or_far_down_is_no_subject() {
        let prose = "Une phrase de la fiche qui explique la méthode pas à pas. ".repeat(30);
        let cited =
            format!("# Fiche\n\n{prose}\n\n## Sources\n\n- https://www.youtube.com/watch?v=abcdefghijk\n");
        assert_eq!(find_video(&cited), None);
        let far = format!("# Fiche\n\n{prose}\n\nVoir aussi https://vimeo.com/123456\n");
        assert_eq!(find_video(&far), None);
        let player = "<iframe src=\"https://player.vimeo.com/video/1\"></iframe>";
        let shown_first = format!("# Fiche\n\n{}\n\n{player}\n\n{prose}{prose}{prose}\n", &prose[..600]);
        assert!(find_video(&shown_first).is_some(), "a player shown before most of the text is its subject");
        let illustration = format!("# Fiche\n\n{prose}\n\n{player}\n\n{}\n", &prose[..300]);
        assert_eq!(find_video(&illustration), None, "a player shown after most of the text illustrates it");
        assert!(find_video("# Fiche\n\nhttps://vimeo.com/123456\n\nUn témoignage.").is_some());
    }

    #[test]
    fn a_thumbnail_linked_to_the_vimeo_player() {
        let md = "# Titre\n\n[![](https://i.vimeocdn.com/video/512168503_640.jpg)](https://player.vimeo.com/video/123006538)\n";
        assert_eq!(
            find_video(md),
            Some(FoundVideo {
                provider: Provider::Vimeo,
                embed_url: "https://player.vimeo.com/video/123006538".into(),
                poster_url: Some("https://i.vimeocdn.com/video/512168503_640.jpg".into()),
            })
        );
    }

    #[test]
    fn iframes_of_each_provider() {
        let vimeo = r#"<iframe src="https://player.vimeo.com/video/122765827" width="500"></iframe>"#;
        assert_eq!(find_video(vimeo).map(|v| (v.provider, v.poster_url)), Some((Provider::Vimeo, None)));
        let youtube =
            r#"<iframe width="560" src="https://www.youtube.com/embed/JaQvXptD9Ww" allowfullscreen>"#;
        assert_eq!(
            find_video(youtube).unwrap().embed_url,
            "https://www.youtube-nocookie.com/embed/JaQvXptD9Ww"
        );
        let peertube = r#"<iframe src="https://tube.example.org/videos/embed/3f9c-aa_1?start=4"></iframe>"#;
        let found = find_video(peertube).unwrap();
        assert_eq!(
            (found.provider, found.embed_url.as_str()),
            (Provider::Peertube, "https://tube.example.org/videos/embed/3f9c-aa_1")
        );
    }

    #[test]
    fn links_that_are_not_players() {
        assert_eq!(
            find_video("[site](https://vimeo.com/channels/staffpicks) et https://example.org/videos/"),
            None
        );
        assert_eq!(
            find_video("https://player.vimeo.com/video/12\"><script>"),
            Some(FoundVideo {
                provider: Provider::Vimeo,
                embed_url: "https://player.vimeo.com/video/12".into(),
                poster_url: None,
            })
        );
        assert_eq!(find_video("https://player.vimeo.com/video/<script>"), None);
    }

    #[test]
    fn script_urls_are_never_players() {
        for hostile in [
            "javascript://%0aalert(document.domain)/videos/embed/x",
            "data:text/html,<script>alert(1)</script>/videos/embed/x",
            "data:text/html,%3Cscript%3Ealert(1)%3C/script%3E.mp4",
            "javascript:alert(1)//a.mp4",
            "//evil.example/a.mp4",
            "http://tube.example.org/videos/embed/x",
            "https://a\"onload=alert(1)//videos/embed/x",
        ] {
            assert_eq!(video_at(hostile), None, "{hostile}");
            assert_eq!(find_video(&format!("<iframe src=\"{hostile}\"></iframe>")), None, "{hostile}");
        }
    }

    #[test]
    fn every_onpassealacte_interview_is_found_with_its_poster() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/data/multibao/onpassealacte-videos_initiatives");
        if !root.is_dir() {
            let message = format!("SKIPPED: no real multiBàO data at {}\n", root.display());
            std::io::Write::write_all(&mut std::io::stderr(), message.as_bytes()).ok();
            return;
        }
        let mut found = 0;
        // Each theme folder holds interviews; `media/` holds site pages.
        let themes = std::fs::read_dir(&root)
            .unwrap()
            .flatten()
            .filter(|e| e.path().is_dir() && e.file_name() != "media");
        for theme in themes {
            for file in std::fs::read_dir(theme.path()).unwrap().flatten() {
                if file.path().extension().is_none_or(|ext| ext != "md") {
                    continue;
                }
                let video = find_video(&std::fs::read_to_string(file.path()).unwrap())
                    .unwrap_or_else(|| panic!("no video in {}", file.path().display()));
                assert_eq!(video.provider, Provider::Vimeo, "{}", file.path().display());
                assert!(
                    video.poster_url.is_some_and(|url| url.contains("vimeocdn")),
                    "{}",
                    file.path().display()
                );
                found += 1;
            }
        }
        assert!(found >= 25, "{found}");
    }
}

//! The multiBàO Markdown repository, read as such repositories really are: every Markdown file
//! becomes a resource or is skipped with a reason.

pub mod editor;
pub mod frontmatter;
pub mod markdown;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use bao_contract::{Image, Kind, Licence, NetworkRef, Resource};
use sha2::{Digest, Sha256};

use super::forge::WebAddresses;
use super::text::{SUMMARY_MAX_CHARS, collapse_whitespace, fold, truncate_words};
use super::tree::{self, FolderTree, Tree};
use super::{Batch, Skipped, SourceError, licence, screening, slugify, video};
use crate::address::is_fetchable;
use crate::store::{Found, NewCaptions, NewResource, NewVideo, Provenance};

/// Bumped when the importer reads files differently, so that a re-import rewrites every row.
pub const IMPORTER_VERSION: &str = "multibao-markdown-13";

/// Titles that tools wrote into front matter in place of a real one.
const PLACEHOLDER_TITLES: &[&str] =
    &["contribution multibao", "contribution", "titre", "title", "sans titre"];

/// Largest captions or transcript file read beside a testimony.
const SIDECAR_MAX_BYTES: u64 = 512 * 1024;

/// File names (as slugs) of a site's own pages.
const SITE_PAGES: &[&str] = &[
    "mentions-legales",
    "a-propos",
    "contact",
    "cgu",
    "licence",
    "license",
    "changelog",
    "contributing",
    "code-of-conduct",
];

/// Folders at the root of a repository that hold site pages or media rather than resources.
const NON_RESOURCE_FOLDERS: &[&str] = &["pages", "media", "assets", "_layouts", "_includes"];

/// Where a repository comes from and how to read it.
#[derive(Debug, Clone)]
pub struct MultibaoRepository {
    /// The folder holding the repository's files, when it is read from a folder.
    pub root: PathBuf,
    /// Repository owner on its forge (`multibao`), which is also the default network.
    pub owner: String,
    /// Repository name (`contributions`).
    pub repo: String,
    /// The network the repository publishes for, as the sources file names it; else the
    /// README's `network` front matter, else the owner.
    pub network: Option<NetworkRef>,
    /// A folder whose direct subfolders each hold one network's resources.
    pub subfolder_networks: Option<String>,
    /// Their networks' names, by subfolder, as the sources file gives them.
    pub subfolder_names: BTreeMap<String, String>,
    /// The licence the source declares for files that name none, when the repository does not.
    pub default_licence: Option<Licence>,
    /// Folders (or files) of the repository that hold no resource, as the sources file says.
    pub exclude: Vec<String>,
    /// Where the repository's files are on the web, when the source says (see [`super::forge`]):
    /// resources link there, relative links and images resolve there; without it they do not.
    pub web: Option<WebAddresses>,
}

impl MultibaoRepository {
    /// Reads `owner` and `repo` from a folder named `owner-repo` (as in `shared/data/multibao`).
    pub fn from_folder_name(root: &Path) -> Option<MultibaoRepository> {
        let name = root.file_name()?.to_str()?;
        let (owner, repo) = name.split_once('-')?;
        (!owner.is_empty() && !repo.is_empty()).then(|| MultibaoRepository {
            root: root.to_owned(),
            owner: owner.to_owned(),
            repo: repo.to_owned(),
            network: None,
            subfolder_networks: None,
            subfolder_names: BTreeMap::new(),
            default_licence: None,
            exclude: Vec::new(),
            web: None,
        })
    }
}

impl MultibaoRepository {
    /// Reads the repository's folder as it is (`import FOLDER`; a followed repository is read
    /// at a commit of its mirror, [`MultibaoRepository::read_tree`]).
    pub fn read(&self) -> Result<Batch, SourceError> {
        Ok(self.read_tree(&FolderTree::open(&self.root)?))
    }

    /// Reads every Markdown file of the repository's `tree` into resources.
    pub fn read_tree(&self, tree: &dyn Tree) -> Batch {
        let source = self;
        let files: Vec<&String> = tree
            .paths()
            .iter()
            .filter(|path| path.rsplit_once('.').is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("md")))
            .collect();

        let readme_text =
            tree.read("README.md").and_then(|bytes| String::from_utf8(bytes).ok()).unwrap_or_default();
        let owner_network = self.owner_network(&frontmatter::split(&readme_text));
        // A file that states no licence has the one the sources file declares, else the
        // repository's.
        let stated = repository_licence(tree, &readme_text);
        let mut read = Batch { networks: vec![owner_network.clone()], ..Batch::default() };
        if let Some((file, _)) = stated.as_ref().filter(|(_, licence)| licence::is_vague(licence))
            && source.default_licence.is_none()
        {
            read.warnings.push(Skipped {
                path: (*file).to_owned(),
                reason: "le dépôt dit « licence Creative Commons » sans dire laquelle : les fichiers qui ne \
                         précisent rien l'affichent ainsi ; si vous la connaissez, écrivez-la dans le fichier \
                         des sources (`licence = \"CC BY-SA 4.0\"`, par exemple)"
                    .into(),
            });
        }
        let repository_licence = source.default_licence.clone().or(stated.map(|(_, licence)| licence));

        for path in files {
            let path_text = path.clone();
            if let Some(reason) = non_resource_reason(source, path) {
                read.skipped.push(Skipped { path: path_text, reason: reason.into() });
                continue;
            }
            let (network, unnamed) = network_of(source, tree, path, &owner_network);
            if !read.networks.contains(&network) {
                if let Some(folder) = unnamed {
                    read.warnings.push(unnamed_network(folder, &network));
                }
                read.networks.push(network.clone());
            }
            let Some(bytes) = tree.read(&path_text) else {
                let reason = format!("illisible, ou plus de {} Mio", tree::MAX_FILE_BYTES >> 20);
                read.skipped.push(Skipped { path: path_text, reason });
                continue;
            };
            let context = FileContext {
                source,
                tree,
                relative_path: &path_text,
                network,
                repository_licence: repository_licence.as_ref(),
            };
            match read_file(&context, &bytes) {
                Ok((resource, warning)) => {
                    if let Some(reason) = warning {
                        read.warnings.push(Skipped { path: path_text.clone(), reason });
                    }
                    read.resources.push(resource);
                }
                Err(reason) => read.skipped.push(Skipped { path: path_text, reason }),
            }
        }
        read
    }

    /// The network of the repository's owner: the sources file's, else its README's front
    /// matter's (`network`, `network_url`), else the owner's name.
    fn owner_network(&self, readme: &frontmatter::Document<'_>) -> NetworkRef {
        self.network.clone().unwrap_or_else(|| NetworkRef {
            id: slugify(&self.owner),
            name: readme.text("network").map_or_else(|| self.owner.clone(), str::to_owned),
            url: readme
                .text("network_url")
                .map(str::to_owned)
                .or_else(|| self.web.as_ref().and_then(|web| web.home.clone())),
        })
    }
}

/// The remark on a subfolder's network that nothing names: what is shown, and where to name it.
fn unnamed_network(folder: String, network: &NetworkRef) -> Skipped {
    let name = &network.name;
    Skipped {
        path: folder,
        reason: format!(
            "le réseau de ce dossier n'a pas de nom : « {name} » (le nom du dossier) est affiché ; \
             donnez-le dans le fichier des sources (`subfolder_names = {{ {name} = \"…\" }}`) \
             ou en titre du README.md du dossier"
        ),
    }
}

/// Why a Markdown file is not a resource, if it is not: by its path alone.
fn non_resource_reason(source: &MultibaoRepository, path: &str) -> Option<&'static str> {
    let stem = slugify(title_stem(path));
    if ["readme", "lisez-moi", "lisezmoi", "index", "sommaire"].contains(&stem.as_str()) {
        return Some("présentation ou sommaire du dépôt ou du dossier, pas une ressource");
    }
    if SITE_PAGES.contains(&stem.as_str()) {
        return Some("page du site, pas une ressource");
    }
    let excluded = source.exclude.iter().any(|folder| {
        let folder = folder.trim_matches('/');
        path == folder || path.strip_prefix(folder).is_some_and(|rest| rest.starts_with('/'))
    });
    if excluded {
        return Some("exclu par le fichier des sources");
    }
    let (top, _) = path.split_once('/')?;
    NON_RESOURCE_FOLDERS.contains(&top).then_some("page du site ou média, pas une ressource")
}

/// The network a file at `path` publishes for: the repository's, or, in a subfolder of
/// `subfolder_networks`, that subfolder's — named by the sources file, else by the title of the
/// subfolder's README; else the folder's own name, returned with the folder to say it.
fn network_of(
    source: &MultibaoRepository,
    tree: &dyn Tree,
    path: &str,
    owner: &NetworkRef,
) -> (NetworkRef, Option<String>) {
    let mut parts = path.split('/');
    let (Some(parent), Some(folder), Some(_file)) = (parts.next(), parts.next(), parts.next()) else {
        return (owner.clone(), None);
    };
    if source.subfolder_networks.as_deref() != Some(parent) {
        return (owner.clone(), None);
    }
    let folder_path = format!("{parent}/{folder}");
    let readme_title = || {
        let readme = String::from_utf8(tree.read(&format!("{folder_path}/README.md"))?).ok()?;
        let title = readme.lines().find_map(|line| line.trim().strip_prefix('#'))?;
        let title = title.trim_start_matches('#').trim();
        (!title.is_empty() && title.chars().count() <= 120).then(|| title.to_owned())
    };
    let named = source.subfolder_names.get(folder).cloned().or_else(readme_title);
    let network = NetworkRef {
        id: slugify(folder),
        name: named.clone().unwrap_or_else(|| folder.to_owned()),
        url: source.web.as_ref().and_then(|web| web.folder(&folder_path)),
    };
    (network, named.is_none().then_some(folder_path))
}

/// The licence a repository declares for all its files, and the file that says it: its LICENSE
/// file, else its README.
fn repository_licence(tree: &dyn Tree, readme: &str) -> Option<(&'static str, Licence)> {
    let licence_files: Vec<(&str, String)> = ["LICENSE", "LICENSE.md", "LICENCE", "LICENCE.md"]
        .into_iter()
        .filter_map(|name| Some((name, String::from_utf8(tree.read(name)?).ok()?)))
        .collect();
    let files: Vec<(&str, &str)> = licence_files
        .iter()
        .map(|(name, text)| (*name, text.as_str()))
        .chain([("README.md", readme)])
        .collect();
    licence::of_repository(&files)
}

struct FileContext<'a> {
    source: &'a MultibaoRepository,
    tree: &'a dyn Tree,
    relative_path: &'a str,
    network: NetworkRef,
    repository_licence: Option<&'a Licence>,
}

/// Reads one file into a resource, or says why it cannot be one. The `Option<String>` is a remark
/// to report about a file that was imported all the same.
fn read_file(context: &FileContext<'_>, bytes: &[u8]) -> Result<(NewResource, Option<String>), String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("n'est pas du texte UTF-8 ({e})"))?;
    // A byte order mark would hide the first heading (`\u{feff}# Titre` is a paragraph).
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err("fichier vide".into());
    }
    let document = frontmatter::split(text);
    let body = markdown::without_mail_links(document.body);
    let body = markdown::normalize_headings(&body).into_owned();
    let titled = Titled::read(context, &document, &body)?;
    let found_video =
        document.text("video_url").and_then(video::video_at).or_else(|| video::find_video(&body));
    let owner = &context.source.owner;
    let path = context.relative_path;
    let folder = folder_of(path);
    let kind = kind_of(&document, folder, found_video.is_some());
    if document.text("kind").and_then(Kind::parse).is_none() && kind != Kind::Video {
        screen(path, &titled)?;
    }
    let summarised = Summarised::read(&document, &titled.body_without_title);
    let links = context.source.web.clone().map(|web| markdown::LinkBase { web, folder: folder.to_owned() });
    let (authors, authors_found) = authors_of(&document, &body);
    let (licence, licence_found) = licence::resolve(
        document.text("licence").or(document.text("license")),
        &body,
        context.repository_licence,
    );
    let vague_licence = licence::is_vague(&licence);

    let resource = Resource {
        id: slugify(&format!("{owner}-{}", title_stem(path))),
        kind,
        title: titled.title,
        summary: summarised.summary,
        image: image_of(&document, &body),
        authors,
        network: context.network.clone(),
        tags: tags_of(context, &document, folder),
        licence,
        source_url: context.source.web.as_ref().and_then(|web| web.file(path)),
        lang: document.text("lang").unwrap_or("fr").to_owned(),
        updated: context.tree.changed_on(path).map(|day| day.to_string()),
        body_html: Some(markdown::render_safe_html(&summarised.shown_body, links)),
        sources: Vec::new(),
    };

    let mut remarks = Vec::new();
    if document.lenient {
        remarks.push("front matter YAML invalide, lu ligne par ligne".to_owned());
    }
    let video = match (kind, found_video) {
        (Kind::Video, Some(found)) => Some(testimony_video(context, &document, &body, found, &mut remarks)),
        (Kind::Video, None) => {
            remarks.push("déclaré vidéo, mais aucun lecteur reconnu : pas dans le carrousel".into());
            None
        }
        _ => None,
    };
    Ok((
        NewResource {
            resource,
            content_hash: content_hash(context, bytes, video.as_ref()),
            video,
            source_key: format!("{owner}/{}/{path}", context.source.repo),
            provenance: Provenance {
                title: titled.found,
                summary: summarised.found,
                authors: authors_found,
                licence: licence_found,
                vague_licence,
            },
            edit_url: context.source.web.as_ref().and_then(|web| web.edit(path)),
            path: path.to_owned(),
        },
        (!remarks.is_empty()).then(|| remarks.join(" ; ")),
    ))
}

/// Why a file that does not say what it is is not a fiche (a test page, a list of links…), if so.
fn screen(path: &str, titled: &Titled) -> Result<(), String> {
    let body = &titled.body_without_title;
    match screening::test_page(title_stem(path), &titled.title)
        .or_else(|| editor::not_a_fiche(body, &markdown::text_shape(body)))
    {
        Some(reason) => Err(reason.into()),
        None => Ok(()),
    }
}

/// The card's image: the front matter's `image_url` when it can be fetched, else the body's first.
fn image_of(document: &frontmatter::Document<'_>, body: &str) -> Option<Image> {
    document
        .text("image_url")
        // A path starting with `/` is served by the companion server itself (the demo's images).
        .filter(|url| is_fetchable(url))
        .map(|url| (url.to_owned(), String::new()))
        .or_else(|| markdown::first_image(body))
        .map(|(url, alt)| Image { url, alt })
}

/// A file's title, where it was found, and its body without the heading that repeats it.
struct Titled {
    title: String,
    found: Found,
    body_without_title: String,
}

impl Titled {
    /// The front matter's title, else the heading that titles the file, else its name; an error
    /// for a file with neither title nor content.
    fn read(
        context: &FileContext<'_>,
        document: &frontmatter::Document<'_>,
        body: &str,
    ) -> Result<Titled, String> {
        // A `##` heading titles a file whose headings all start there when it is the only one of
        // its level or names the file; otherwise it is a section's.
        let names_this_file = |heading: &str| names_the_file(heading, title_stem(context.relative_path));
        let heading = markdown::title_heading(body, names_this_file)
            .filter(|heading| heading.is_h1 || heading.alone || names_this_file(&heading.text));
        let stated_title = document
            .text("title")
            .filter(|title| !is_placeholder_title(title) && !editor::is_generic_title(title));
        let (title, found) = stated_title
            .map(|title| (title.to_owned(), Found::Stated))
            .or_else(|| {
                heading
                    .as_ref()
                    .map(|heading| heading.text.clone())
                    .filter(|text| !editor::is_generic_title(text))
                    .map(|text| (text, Found::InText))
            })
            .unwrap_or_else(|| (title_from_path(context.relative_path), Found::Guessed));
        // The card shows the title itself: drop the heading that repeats it from the body.
        let body_without_title: String = match &heading {
            Some(heading) if fold(&heading.text) == fold(&title) => {
                format!("{}{}", &body[..heading.range.start], &body[heading.range.end..])
            }
            _ => body.to_string(),
        };
        if body_without_title.trim().is_empty() && stated_title.is_none() && heading.is_none() {
            return Err("ni titre ni contenu".into());
        }
        Ok(Titled { title, found, body_without_title })
    }
}

/// What a file is: as its front matter says, else as its folder and whether it shows a video say.
fn kind_of(document: &frontmatter::Document<'_>, folder: &str, shows_video: bool) -> Kind {
    let folder_kind = folder.split('/').rev().find_map(editor::kind_of_folder);
    // A folder of fiches keeps a fiche that shows a video a fiche; elsewhere a video makes a
    // filmed testimony.
    document.text("kind").and_then(Kind::parse).unwrap_or(match (shows_video, folder_kind) {
        (_, Some(Kind::Fiche)) => Kind::Fiche,
        (true, _) => Kind::Video,
        (false, Some(kind)) => kind,
        (false, None) => Kind::Fiche,
    })
}

/// A file's summary, where it was found, and the body the opened card shows.
struct Summarised {
    summary: String,
    found: Found,
    shown_body: String,
}

impl Summarised {
    /// The front matter's description when it is prose, else the "En une phrase" section, else
    /// the first paragraph of prose; what it took from the body leaves the body, so that the
    /// opened card does not say it twice.
    fn read(document: &frontmatter::Document<'_>, body_without_title: &str) -> Summarised {
        let stated_summary = document.text("description").filter(|text| editor::is_summary_prose(text));
        // (What it took: the paragraphs that say it, which leave the body. Too long, a paragraph
        // gives its first sentences and keeps the others; a sentence too long to give is cut
        // short, and its paragraph stays whole: nothing is lost.)
        let (summary, taken): (Option<String>, Vec<std::ops::Range<usize>>) = match stated_summary {
            // A description that the first paragraph repeats (or begins like): that paragraph goes.
            Some(text) => match markdown::first_paragraph_or_quotation(body_without_title) {
                Some((first, range)) if same_beginning(&first, text) => (Some(text.to_owned()), vec![range]),
                _ => (Some(text.to_owned()), Vec::new()),
            },
            None => {
                markdown::section_paragraph(body_without_title, "En une phrase", editor::is_summary_prose)
                    .map(|(text, ranges)| (Some(text), ranges.to_vec()))
                    .or_else(|| {
                        markdown::first_paragraph(body_without_title, editor::is_summary_prose)
                            .map(|(text, range)| (Some(text), vec![range]))
                    })
                    // A fiche made of lists says what it is in its first one.
                    .unwrap_or_else(|| {
                        let items = markdown::first_list_items(body_without_title);
                        (items.filter(|text| editor::is_summary_prose(text)), Vec::new())
                    })
            }
        };
        let whole_summary = summary.map(|text| collapse_whitespace(&text)).unwrap_or_default();
        let sentences = match &taken[..] {
            // (A stated description takes a paragraph only when the paragraph says it.)
            [paragraph] => {
                markdown::first_sentences(body_without_title, paragraph.clone(), SUMMARY_MAX_CHARS)
            }
            _ => None,
        };
        // A paragraph that leads into what follows gives the sentences before its last, and keeps it.
        let leads_in = stated_summary.is_none() && whole_summary.ends_with(':');
        let (summary, taken) = match sentences {
            _ if !leads_in && whole_summary.chars().count() <= SUMMARY_MAX_CHARS => (whole_summary, taken),
            Some((sentences, end)) => (sentences, std::iter::once(taken[0].start..end).collect()),
            None => (
                truncate_words(
                    editor::without_lead_in(&whole_summary).unwrap_or_default(),
                    SUMMARY_MAX_CHARS,
                ),
                Vec::new(),
            ),
        };
        // A section whose only paragraph became the summary leaves no empty heading behind.
        let mut out = taken.clone();
        out.extend(markdown::headings_emptied_by(body_without_title, &taken));
        out.sort_by_key(|range| range.start);
        let found = match (stated_summary, summary.is_empty()) {
            (Some(_), _) => Found::Stated,
            (None, false) => Found::InText,
            (None, true) => Found::Missing,
        };
        Summarised { summary, found, shown_body: without(body_without_title, &out) }
    }
}

/// The front matter's tags, and the file's folders that name a theme (`rompre_isolement`), never
/// containers.
fn tags_of(context: &FileContext<'_>, document: &frontmatter::Document<'_>, folder: &str) -> Vec<String> {
    let mut tags = document.list("tags");
    for part in folder.split('/').filter(|part| editor::is_theme_folder(part)) {
        let is_network_folder =
            context.source.subfolder_networks.as_deref() == Some(part) || slugify(part) == context.network.id;
        let tag = part.replace(['_', '-'], " ");
        if !is_network_folder && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

/// The authors the front matter names, else those the text names.
fn authors_of(document: &frontmatter::Document<'_>, body: &str) -> (Vec<String>, Found) {
    let stated: Vec<String> = document.list("author").into_iter().chain(document.list("authors")).collect();
    if !stated.is_empty() {
        return (stated, Found::Stated);
    }
    let in_text = editor::authors_in(body);
    let found = if in_text.is_empty() { Found::Missing } else { Found::InText };
    (in_text, found)
}

/// What tells a file's content changed: the importer's version, its network, its bytes and the
/// captions and transcript beside it.
fn content_hash(context: &FileContext<'_>, bytes: &[u8], video: Option<&NewVideo>) -> String {
    let mut hasher = Sha256::new();
    let sidecars = video.into_iter().flat_map(|video| {
        video
            .captions
            .iter()
            .map(|captions| captions.vtt.as_bytes())
            .chain(video.transcript.as_deref().map(str::as_bytes))
    });
    for part in
        [IMPORTER_VERSION.as_bytes(), context.network.id.as_bytes(), bytes].into_iter().chain(sidecars)
    {
        hasher.update(part);
        hasher.update([0]);
    }
    format!("{:x}", hasher.finalize())
}

/// What a filmed testimony adds to its resource: the player, a poster to fetch, and what helps
/// those who cannot hear it (captions and transcript files beside it, or a "Transcription"
/// section).
fn testimony_video(
    context: &FileContext<'_>,
    document: &frontmatter::Document<'_>,
    body: &str,
    found: video::FoundVideo,
    remarks: &mut Vec<String>,
) -> NewVideo {
    let poster_source = document
        .text("poster")
        .filter(|url| is_fetchable(url))
        .map(str::to_owned)
        .or(found.poster_url.clone())
        .or_else(|| document.text("image_url").filter(|url| is_fetchable(url)).map(str::to_owned))
        .or_else(|| found.provider_poster());
    let duration_seconds = document.text("duration").and_then(|text| {
        let seconds = parse_duration(text);
        if seconds.is_none() {
            remarks.push(format!(
                "durée illisible « {text} » (attendu : 3:25, 1:02:03 ou un nombre de secondes)"
            ));
        }
        seconds
    });
    NewVideo {
        host_name: found.host_name(),
        provider: found.provider,
        embed_url: found.embed_url,
        poster_source,
        duration_seconds,
        quote: markdown::first_blockquote(body),
        captions: captions_of(context, document, remarks),
        transcript: transcript_of(context, document, body, remarks),
    }
}

/// A testimony's captions: the WebVTT files its front matter names, and those beside it named
/// after it (`entretien.vtt`, `entretien.en.vtt`), one per language.
fn captions_of(
    context: &FileContext<'_>,
    document: &frontmatter::Document<'_>,
    remarks: &mut Vec<String>,
) -> Vec<NewCaptions> {
    let folder = folder_of(context.relative_path);
    let stem = title_stem(context.relative_path);
    let mut captions = Vec::new();
    let mut caption_files: Vec<String> = document.list("captions");
    let prefix = if folder.is_empty() { String::new() } else { format!("{folder}/") };
    let siblings = context
        .tree
        .paths()
        .iter()
        .filter_map(|path| path.strip_prefix(&prefix))
        .filter(|name| !name.contains('/') && name.starts_with(&format!("{stem}.")) && name.ends_with(".vtt"))
        .map(str::to_owned)
        .collect::<Vec<_>>();
    for sibling in siblings {
        if !caption_files.contains(&sibling) {
            caption_files.push(sibling);
        }
    }
    for name in caption_files {
        match read_sidecar(context.tree, folder, &name) {
            Ok(text) if text.trim_start_matches('\u{feff}').starts_with("WEBVTT") => {
                // `entretien.en.vtt` is in English; `entretien.vtt` in the resource's language.
                let lang = name
                    .trim_end_matches(".vtt")
                    .rsplit_once('.')
                    .map(|(_, lang)| lang.to_owned())
                    .filter(|lang| super::vetting::is_language_tag(lang))
                    .unwrap_or_else(|| document.text("lang").unwrap_or("fr").to_owned());
                if !captions.iter().any(|c: &NewCaptions| c.lang == lang) {
                    captions.push(NewCaptions { label: language_label(&lang), lang, vtt: text });
                }
            }
            Ok(_) => remarks.push(format!("sous-titres {name} ignorés : ce n'est pas du WebVTT")),
            Err(reason) => remarks.push(format!("sous-titres {name} ignorés : {reason}")),
        }
    }
    captions
}

/// A testimony's transcript: the file its front matter names, else its « Transcription » section.
fn transcript_of(
    context: &FileContext<'_>,
    document: &frontmatter::Document<'_>,
    body: &str,
    remarks: &mut Vec<String>,
) -> Option<String> {
    let folder = folder_of(context.relative_path);
    match document.text("transcript") {
        Some(name) => match read_sidecar(context.tree, folder, name) {
            Ok(text) => Some(plain_paragraphs(&text)),
            Err(reason) => {
                remarks.push(format!("transcription {name} ignorée : {reason}"));
                None
            }
        },
        None => {
            ["Transcription", "Transcript"].iter().find_map(|heading| markdown::section_text(body, heading))
        }
    }
    .filter(|text| !text.is_empty())
}

/// The folder of a path in the repository (`""` at its root).
fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// Reads a file named by a testimony, inside its repository only.
fn read_sidecar(tree: &dyn Tree, folder: &str, name: &str) -> Result<String, String> {
    let path = tree::join(folder, name).ok_or("hors du dépôt")?;
    let bytes = tree.read(&path).ok_or("fichier introuvable")?;
    if bytes.len() as u64 > SIDECAR_MAX_BYTES {
        return Err(format!("plus de {} Kio", SIDECAR_MAX_BYTES / 1024));
    }
    String::from_utf8(bytes).map_err(|_| "n'est pas du texte UTF-8".into())
}

/// Plain text with one blank line between paragraphs and single spaces inside them.
fn plain_paragraphs(text: &str) -> String {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(collapse_whitespace)
        .filter(|paragraph| !paragraph.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// `3:25`, `1:02:03` or `205` → seconds.
fn parse_duration(text: &str) -> Option<u32> {
    let mut seconds: u32 = 0;
    let parts: Vec<&str> = text.trim().split(':').collect();
    if parts.len() > 3 {
        return None;
    }
    for (index, part) in parts.iter().enumerate() {
        let value: u32 = part.parse().ok()?;
        if index > 0 && value >= 60 {
            return None;
        }
        seconds = seconds.checked_mul(60)?.checked_add(value)?;
    }
    (seconds > 0).then_some(seconds)
}

fn language_label(lang: &str) -> String {
    match lang.split('-').next().unwrap_or(lang) {
        "fr" => "Français".into(),
        "en" => "English".into(),
        "es" => "Español".into(),
        "de" => "Deutsch".into(),
        "it" => "Italiano".into(),
        "br" => "Brezhoneg".into(),
        "oc" => "Occitan".into(),
        other => other.to_owned(),
    }
}

/// `text` without the byte `ranges` (in order, not overlapping).
fn without(text: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut at = 0;
    for range in ranges {
        kept.push_str(&text[at..range.start]);
        at = range.end;
    }
    kept.push_str(&text[at..]);
    kept
}

/// Whether two texts begin with the same 40 characters (case, accents and spacing aside).
fn same_beginning(a: &str, b: &str) -> bool {
    let start = |text: &str| fold(&collapse_whitespace(text)).chars().take(40).collect::<String>();
    let (a, b) = (start(a), start(b));
    a.chars().count() >= 20 && a == b
}

fn is_placeholder_title(title: &str) -> bool {
    PLACEHOLDER_TITLES.contains(&fold(title.trim()).as_str())
}

/// The file name without folder or extension.
fn title_stem(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path).trim_end_matches(".md")
}

/// Whether a heading names the file it is in (`marche-savoirs.md`: "Marché de savoirs",
/// `linstitutdelaconcertation.md`: "L'Institut de la Concertation…"): every word of three
/// letters or more of the file's name is one of its words, or its letters begin with the name's.
fn names_the_file(heading: &str, stem: &str) -> bool {
    let words = |text: &str| -> Vec<String> {
        fold(text)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let (heading_words, stem_words) = (words(heading), words(stem));
    let long: Vec<&String> = stem_words.iter().filter(|word| word.chars().count() >= 3).collect();
    let letters = |words: &[String]| words.concat();
    (!long.is_empty() && long.iter().all(|word| heading_words.contains(word)))
        || (!stem_words.is_empty() && letters(&heading_words).starts_with(&letters(&stem_words)))
}

/// `rompre_isolement/club_des_aines.md` → `Club des aines`.
fn title_from_path(path: &str) -> String {
    let words = title_stem(path).replace(['_', '-'], " ");
    let mut chars = words.trim().chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_paths() {
        assert_eq!(title_from_path("a/club_des_aines.md"), "Club des aines");
        assert!(is_placeholder_title("Contribution multiBàO"));
        assert!(is_placeholder_title(" contribution multibao "));
        assert!(!is_placeholder_title("Kanban"));
    }

    #[test]
    fn a_heading_names_its_file() {
        assert!(names_the_file("Marché de savoirs", "marche-savoirs"));
        assert!(names_the_file(
            "L'Institut de la Concertation et de la Participation",
            "linstitutdelaconcertation"
        ));
        assert!(names_the_file("Parler à ses proches", "parler_a_ses_proches"));
        assert!(!names_the_file("L'interdépendance sociale des apprenants", "apprentissage-collaboratif"));
        assert!(!names_the_file("AMBIANCE CAFÉ", "world-cafe-aoh"));
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("3:25"), Some(205));
        assert_eq!(parse_duration("1:02:03"), Some(3723));
        assert_eq!(parse_duration(" 90 "), Some(90));
        for bad in ["", "3:75", "trois minutes", "1:2:3:4", "0", "-5"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn truncates_on_a_word() {
        assert_eq!(truncate_words("un deux trois", 9), "un deux…");
        assert_eq!(truncate_words("court", 9), "court");
    }
}

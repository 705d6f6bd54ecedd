//! The sources file: one TOML file declaring every source the server follows (`--sources FILE`),
//! one `[[source]]` table each. Checked whole at start: an unknown key, a bad value or a kind
//! nobody implements is refused with its line and a message that says what to write instead.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use ammonia::Url;
use bao_contract::{Kind, NetworkRef};
use serde::Deserialize;

use super::forge::{Forge, WebAddresses, WebSettings};
use super::secrets;
use crate::store::FOLLOWED_SERVER_KIND;
use crate::{address, reuse};

/// A sources file, checked: its sources, and who reads each network's reuse figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcesFile {
    pub sources: Vec<SourceConfig>,
    /// Who reads each network's reuse figures (`/statistiques`): network id → its key, given to
    /// the network's coordinators (`${NAME}` from the environment). A network without one has
    /// its sites and resources read by nobody; the commons' totals are public.
    pub reuse_keys: BTreeMap<String, String>,
}

/// One source, checked: what every kind has, and its kind's own settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceConfig {
    /// Stable slug: what `sync --only` and `/api/v1/sources` call it.
    pub id: String,
    /// The network this source publishes for.
    pub network: NetworkConfig,
    /// `url` as the file writes it, with the environment's values put in: what is fetched, and
    /// what [`SourceConfig::public_url`] shows with its credentials hidden.
    pub url: String,
    /// The licence to assume when a resource says nothing (`CC BY-SA 4.0`).
    pub licence: Option<String>,
    /// PeerTube instances whose players the source's testimonies may show, beside the big
    /// providers and the instances known to the server.
    pub video_hosts: Vec<String>,
    pub kind: SourceKind,
    /// The credentials `url` carries, hidden wherever the source is shown (see [`secrets`]).
    pub secrets: Vec<String>,
}

/// What a source is, with the settings of its kind only. Each kind is followed by one module
/// of `sources/`, chosen in one `match` (`sync.rs`, `follower`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceKind {
    /// A multiBàO Markdown repository (`kind = "git"`).
    Git(GitSource),
    MediaWiki(MediaWikiSource),
    DokuWiki(DokuWikiSource),
    YesWiki(YesWikiSource),
    /// Another multibao-embed server (`kind = "bao"`), followed through its changes.
    Bao {
        base: Url,
    },
}

/// A git repository, fetched or read from a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitSource {
    pub location: Location,
    /// The branch to follow; the remote's default branch when absent.
    pub branch: Option<String>,
    /// Where its files are shown on the web (`web_url`, `forge`).
    pub web: WebSettings,
    /// A folder whose direct subfolders each hold one network's resources.
    pub subfolder_networks: Option<String>,
    /// The names of those networks, by subfolder (`cpcoop = "Centre des pratiques de la
    /// coopération"`): a folder's name is no network's name.
    pub subfolder_names: BTreeMap<String, String>,
    /// Folders (or files) that hold no resource.
    pub exclude: Vec<String>,
}

/// A MediaWiki: its API, or an export of its pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaWikiSource {
    pub at: MediaWikiAt,
    /// The categories whose pages are the source's; none: the pages of `namespace`.
    pub categories: Vec<String>,
    pub namespace: i64,
    pub resource_kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaWikiAt {
    /// The wiki's `api.php`.
    Api(Url),
    /// An XML export on the web.
    ExportAddress(Url),
    /// An XML export on this machine (relative to the sources file).
    ExportFile(PathBuf),
}

/// A DokuWiki: its XML-RPC API, or its folder on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DokuWikiSource {
    pub at: DokuWikiAt,
    /// The namespaces whose pages are the source's; none: the whole wiki.
    pub namespaces: Vec<String>,
    pub resource_kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DokuWikiAt {
    /// The wiki's base address (where `doku.php` is).
    Web(Url),
    /// Its folder here (relative to the sources file), and the public address its pages link to.
    Folder { folder: PathBuf, site: Url },
}

/// A YesWiki site: the entries of one Bazar form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YesWikiSource {
    pub base: Url,
    /// The form's number.
    pub form: String,
    pub resource_kind: Kind,
}

impl SourceKind {
    /// The names a sources file writes in `kind`, one per variant.
    pub const NAMES: [&str; 5] = ["git", "mediawiki", "dokuwiki", "yeswiki", FOLLOWED_SERVER_KIND];

    /// Its name in the sources file.
    pub fn name(&self) -> &'static str {
        match self {
            SourceKind::Git(_) => "git",
            SourceKind::MediaWiki(_) => "mediawiki",
            SourceKind::DokuWiki(_) => "dokuwiki",
            SourceKind::YesWiki(_) => "yeswiki",
            SourceKind::Bao { .. } => FOLLOWED_SERVER_KIND,
        }
    }

    /// What its revisions are called in the command's output.
    pub fn revision_name(&self) -> &'static str {
        match self {
            SourceKind::Git(_) => "commit",
            SourceKind::Bao { .. } => "changement",
            SourceKind::MediaWiki(_) | SourceKind::DokuWiki(_) | SourceKind::YesWiki(_) => "liste",
        }
    }
}

/// The network a source publishes for: what cards, facets and pages show instead of a raw id.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkConfig {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub logo: Option<String>,
}

impl NetworkConfig {
    /// The network as resources name it.
    pub fn reference(&self) -> NetworkRef {
        NetworkRef { id: self.id.clone(), name: self.name.clone(), url: self.url.clone() }
    }
}

/// A host name with an optional port, as a declared video host is written.
fn is_host(host: &str) -> bool {
    bao_contract::web_address(&format!("https://{host}/")).is_some_and(|(parsed, _)| parsed == host)
}

/// Where a git source's content is, decided when the file is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A remote to fetch (`https://…`, `http://` on this machine, or `file://…`).
    Remote(String),
    /// A folder on this machine, read as it is (relative to the sources file, until
    /// [`Location::within`]).
    Folder(PathBuf),
}

impl Location {
    /// The same place, a relative folder read from `base` (the sources file's folder).
    pub fn within(&self, base: &Path) -> Location {
        match self {
            Location::Folder(folder) => Location::Folder(base.join(folder)),
            remote => remote.clone(),
        }
    }
}

/// Why a sources file was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("impossible de lire {path} : {source}")]
    Unreadable { path: PathBuf, source: std::io::Error },
    #[error("{path} : {message}")]
    Invalid { path: PathBuf, message: String },
}

/// A sources file, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileTables {
    #[serde(rename = "source", default)]
    sources: Vec<SourceTable>,
    #[serde(default)]
    reuse_keys: BTreeMap<String, String>,
}

/// One `[[source]]` table as written: every key any kind takes. [`SourceTable::checked`] gives
/// each kind the keys it takes and refuses the others.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceTable {
    id: String,
    /// One of [`SourceKind::NAMES`].
    kind: String,
    /// `https://…`, `file://…`, or a local folder (relative to the sources file); for wikis, the
    /// wiki's address, or a MediaWiki export file or DokuWiki folder on this machine. A
    /// `${NAME}` in it is the environment variable's value (a token kept out of the file).
    url: String,
    network: NetworkConfig,
    #[serde(default)]
    licence: Option<String>,
    #[serde(default)]
    video_hosts: Vec<String>,
    /// The public address of a wiki read from a folder here (DokuWiki): where its pages link.
    #[serde(default)]
    site: Option<String>,
    /// The branch to follow (git).
    #[serde(default)]
    branch: Option<String>,
    /// Where a file of the source is shown on the web (git): `https://…/{path}`, with
    /// `{branch}` where the branch goes. Needed for a forge of unknown shape, a folder or a
    /// `file://` remote; the remote of a known forge gives it.
    #[serde(default)]
    web_url: Option<String>,
    /// The kind of forge a remote on a host of its own is (`gitlab`, `gitea`, `forgejo`,
    /// `github`, `sourcehut`), so that its files' pages, images and edit pages are known.
    #[serde(default)]
    forge: Option<String>,
    /// A folder whose direct subfolders each hold one network's resources (git).
    #[serde(default)]
    subfolder_networks: Option<String>,
    /// The names of those networks, by subfolder (git).
    #[serde(default)]
    subfolder_names: BTreeMap<String, String>,
    /// Folders (or files) of the source that hold no resource (`["financements"]`, git).
    #[serde(default)]
    exclude: Vec<String>,
    /// The wiki categories whose pages are the source's (`["Catégorie:Fiches"]`, MediaWiki).
    #[serde(default)]
    categories: Vec<String>,
    /// The wiki namespace read when no category is given (MediaWiki: its number, 0 by default).
    #[serde(default)]
    namespace: Option<i64>,
    /// The namespaces whose pages are the source's (`["fiches"]`, DokuWiki); none: the whole wiki.
    #[serde(default)]
    namespaces: Vec<String>,
    /// The Bazar form whose entries are the source's (YesWiki: its number).
    #[serde(default)]
    form: Option<String>,
    /// What the source's pages are: `fiche` (the default), `temoignage` or `video` (wikis).
    #[serde(default)]
    resource_kind: Option<String>,
}

impl SourcesFile {
    /// Reads and checks a sources file.
    pub fn load(path: &Path) -> Result<SourcesFile, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Unreadable { path: path.to_owned(), source })?;
        SourcesFile::parse(&text).map_err(|message| ConfigError::Invalid { path: path.to_owned(), message })
    }

    /// Parses and checks the text of a sources file; the error names the line.
    pub fn parse(text: &str) -> Result<SourcesFile, String> {
        let file: FileTables = toml::from_str(text).map_err(|error| {
            let line = error.span().map(|span| text[..span.start].matches('\n').count() + 1);
            let message = match error.message().trim_end() {
                message if message.contains("missing field `network`") => {
                    "il manque le réseau de la source : \
                     ajoutez `network = { id = \"mon-reseau\", name = \"Mon réseau\" }` (ou un bloc \
                     [source.network]) à chaque [[source]]"
                        .to_owned()
                }
                message => message.replace("missing field", "clé manquante :"),
            };
            match line {
                Some(line) => format!("ligne {line} : {message}"),
                None => message,
            }
        })?;
        let mut reuse_keys = file.reuse_keys;
        for (network, key) in &mut reuse_keys {
            let at = |message: String| format!("`reuse_keys`, réseau « {network} » : {message}");
            if !is_slug(network) {
                return Err(at("l'identifiant d'un réseau (minuscules, chiffres et tirets)".into()));
            }
            *key = secrets::expand(key, |name| std::env::var(name).ok()).map_err(at)?.0;
            reuse::check_key(key).map_err(at)?;
        }
        let mut seen = HashSet::new();
        let mut sources = Vec::with_capacity(file.sources.len());
        for table in file.sources {
            let id = table.id.clone();
            let source = table.checked().map_err(|message| format!("source « {id} » : {message}"))?;
            if !seen.insert(source.id.clone()) {
                return Err(format!("source « {id} » : deux sources ont cet `id`"));
            }
            sources.push(source);
        }
        Ok(SourcesFile { sources, reuse_keys })
    }
}

impl SourceTable {
    /// The source this table describes, its kind given the keys it takes; a key of another
    /// kind, or a value that cannot be, is refused with what to write instead.
    fn checked(mut self) -> Result<SourceConfig, String> {
        let (url, from_environment) = secrets::expand(&self.url, |name| std::env::var(name).ok())
            .map_err(|message| format!("`url` : {message}"))?;
        let mut secrets = secrets::secrets_of(&url);
        secrets.extend(from_environment);
        if !is_slug(&self.id) {
            return Err("`id` ne peut contenir que des minuscules, des chiffres et des tirets".into());
        }
        if !is_slug(&self.network.id) {
            return Err("`network.id` ne peut contenir que des minuscules, des chiffres et des tirets".into());
        }
        for (key, address) in [("network.url", &self.network.url), ("network.logo", &self.network.logo)] {
            if address.as_deref().is_some_and(|address| !address::has_web_scheme(address)) {
                return Err(format!("`{key}` doit être une adresse http(s)"));
            }
        }
        if let Some(host) = self.video_hosts.iter().find(|host| !is_host(host)) {
            return Err(format!(
                "`video_hosts` : « {host} » n'est pas un nom d'hôte (`tube.example.org`, sans https://)"
            ));
        }
        if url.trim().is_empty() || (address::has_web_scheme(&url) && !address::is_safe_web_url(&url)) {
            return Err("`url` : https://…, file://… ou un dossier local".into());
        }
        let web = address::has_web_scheme(&url).then(|| Url::parse(&url).ok()).flatten();
        let kind = match self.kind.as_str() {
            "git" => SourceKind::Git(self.git(&url)?),
            "mediawiki" => SourceKind::MediaWiki(self.mediawiki(&url, web)?),
            "dokuwiki" => SourceKind::DokuWiki(self.dokuwiki(&url, web)?),
            "yeswiki" => SourceKind::YesWiki(self.yeswiki(web)?),
            FOLLOWED_SERVER_KIND => SourceKind::Bao {
                base: web
                    .map(base_of)
                    .ok_or("`url` : l'adresse https://… de l'autre serveur multibao-embed")?,
            },
            other => {
                return Err(format!(
                    "`kind = \"{other}\"` inconnu (connus : {})",
                    SourceKind::NAMES.join(", ")
                ));
            }
        };
        if let Some(key) = self.left_over() {
            return Err(format!(
                "`{key}` ne s'applique pas à `kind = \"{}\"` (README, « Sources »)",
                kind.name()
            ));
        }
        Ok(SourceConfig {
            id: self.id,
            network: self.network,
            url,
            licence: self.licence,
            video_hosts: self.video_hosts,
            kind,
            secrets,
        })
    }

    /// A MediaWiki source's settings, taken from the table: its API, or an export.
    fn mediawiki(&mut self, url: &str, web: Option<Url>) -> Result<MediaWikiSource, String> {
        let at = match web {
            Some(api) if api.path().ends_with("api.php") => MediaWikiAt::Api(api),
            Some(export) => MediaWikiAt::ExportAddress(export),
            None if url.contains("://") => {
                return Err(
                    "`url` : l'adresse https://… du wiki, ou un fichier d'export XML sur cette machine"
                        .into(),
                );
            }
            None => MediaWikiAt::ExportFile(url.into()),
        };
        Ok(MediaWikiSource {
            at,
            categories: std::mem::take(&mut self.categories),
            namespace: self.namespace.take().unwrap_or(0),
            resource_kind: self.resource_kind()?,
        })
    }

    /// A DokuWiki source's settings, taken from the table: its API, or its folder and the
    /// address its pages link to.
    fn dokuwiki(&mut self, url: &str, web: Option<Url>) -> Result<DokuWikiSource, String> {
        let at = match (web, self.site.take()) {
            (Some(base), None) => DokuWikiAt::Web(base_of(base)),
            (Some(_), Some(_)) => {
                return Err(
                    "`site` ne s'applique qu'à un dossier DokuWiki (`url` : un dossier de cette machine)"
                        .into(),
                );
            }
            (None, _) if url.contains("://") => {
                return Err(
                    "`url` : l'adresse https://… du wiki, ou un dossier DokuWiki sur cette machine".into()
                );
            }
            (None, None) => {
                return Err(
                    "`site` : l'adresse publique du wiki (https://…), où mènent ses pages lues du dossier"
                        .into(),
                );
            }
            (None, Some(site)) => match Url::parse(&site) {
                Ok(site) if address::is_safe_web_url(site.as_str()) => {
                    DokuWikiAt::Folder { folder: url.into(), site: base_of(site) }
                }
                _ => return Err("`site` : l'adresse https://… du wiki".into()),
            },
        };
        Ok(DokuWikiSource {
            at,
            namespaces: std::mem::take(&mut self.namespaces),
            resource_kind: self.resource_kind()?,
        })
    }

    /// A YesWiki source's settings, taken from the table: its site and its Bazar form.
    fn yeswiki(&mut self, web: Option<Url>) -> Result<YesWikiSource, String> {
        let base = web.map(base_of).ok_or("`url` : l'adresse https://… du site YesWiki")?;
        let form = match self.form.take() {
            None => return Err("`form` : le numéro du formulaire Bazar (`form = \"4\"`)".into()),
            Some(form) if form.is_empty() || !form.bytes().all(|b| b.is_ascii_digit()) => {
                return Err(format!("`form = \"{form}\"` : le numéro du formulaire Bazar"));
            }
            Some(form) => form,
        };
        Ok(YesWikiSource { base, form, resource_kind: self.resource_kind()? })
    }

    /// A git source's settings, taken from the table.
    fn git(&mut self, url: &str) -> Result<GitSource, String> {
        let location = match address::has_web_scheme(url) || url.starts_with("file://") {
            true => Location::Remote(url.to_owned()),
            false => Location::Folder(url.into()),
        };
        let web = WebSettings {
            web_url: self.web_url.take(),
            forge: match self.forge.take() {
                None => None,
                Some(forge) => Some(Forge::named(&forge).ok_or_else(|| {
                    format!("`forge = \"{forge}\"` inconnue (connues : {})", Forge::NAMES.join(", "))
                })?),
            },
        };
        let branch = self.branch.take();
        if let Some(web_url) = &web.web_url {
            if !address::is_safe_web_url(web_url) {
                return Err("`web_url` : une adresse https://… où `{path}` est le chemin du fichier".into());
            }
            if WebAddresses::of(None, "branche", &web).is_none() {
                return Err("`web_url` : l'adresse d'un fichier, `{path}` à la place de son chemin \
                     (`https://…/{branch}/{path}`), ou la page du dépôt sur GitHub, GitLab, Framagit, Codeberg \
                     ou SourceHut (donnez `forge` pour une autre instance)"
                    .into());
            }
            let names_branch = web_url.contains("{branch}") || !web_url.contains("{path}");
            if names_branch && branch.is_none() && matches!(location, Location::Folder(_)) {
                return Err(
                    "`web_url` : donnez aussi `branch`, la branche dont ce dossier est la copie".into()
                );
            }
        }
        if !self.subfolder_names.is_empty() && self.subfolder_networks.is_none() {
            return Err(
                "`subfolder_names` nomme les réseaux des sous-dossiers de `subfolder_networks`, absent ici"
                    .into(),
            );
        }
        if let Some((folder, _)) = self.subfolder_names.iter().find(|(_, name)| name.trim().is_empty()) {
            return Err(format!("`subfolder_names` : le nom du réseau du dossier « {folder} » est vide"));
        }
        Ok(GitSource {
            location,
            branch,
            web,
            subfolder_names: std::mem::take(&mut self.subfolder_names),
            subfolder_networks: self.subfolder_networks.take(),
            exclude: std::mem::take(&mut self.exclude),
        })
    }

    /// What a wiki's pages are: `fiche` unless `resource_kind` says.
    fn resource_kind(&mut self) -> Result<Kind, String> {
        match self.resource_kind.take() {
            None => Ok(Kind::Fiche),
            Some(kind) => Kind::parse(&kind).ok_or_else(|| {
                format!("`resource_kind = \"{kind}\"` inconnu (connus : fiche, temoignage, video)")
            }),
        }
    }

    /// A key the source's kind did not take, if one is set.
    fn left_over(&self) -> Option<&'static str> {
        [
            ("site", self.site.is_some()),
            ("branch", self.branch.is_some()),
            ("web_url", self.web_url.is_some()),
            ("forge", self.forge.is_some()),
            ("subfolder_networks", self.subfolder_networks.is_some()),
            ("subfolder_names", !self.subfolder_names.is_empty()),
            ("exclude", !self.exclude.is_empty()),
            ("categories", !self.categories.is_empty()),
            ("namespace", self.namespace.is_some()),
            ("namespaces", !self.namespaces.is_empty()),
            ("form", self.form.is_some()),
            ("resource_kind", self.resource_kind.is_some()),
        ]
        .into_iter()
        .find_map(|(key, set)| set.then_some(key))
    }
}

/// A base address, ending with `/` (joining would otherwise lose its last folder), without query.
fn base_of(mut base: Url) -> Url {
    base.set_query(None);
    if !base.path().ends_with('/') {
        base.set_path(&format!("{}/", base.path()));
    }
    base
}

impl SourceConfig {
    /// Where the source is, as it may be published (credentials and this machine's paths hidden).
    pub fn public_url(&self) -> String {
        secrets::public_address(&self.url)
    }

    /// `text` (an error, a log line) with the source's credentials, and any address's user part,
    /// hidden.
    pub fn redact(&self, text: &str) -> String {
        let text = secrets::redact(text, &self.secrets);
        let local =
            self.url.starts_with("file://") || (!self.url.contains("://") && self.url.starts_with('/'));
        match local {
            true => text.replace(&self.url, &self.public_url()),
            false => text,
        }
    }

    /// The branch a git source follows, when the file names one.
    pub fn branch(&self) -> Option<&str> {
        match &self.kind {
            SourceKind::Git(git) => git.branch.as_deref(),
            _ => None,
        }
    }
}

/// Lowercase letters, digits and inner dashes: what ids are made of.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !text.starts_with('-')
        && !text.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[source]]
id = "travail-en-reseau"
kind = "git"
url = "https://github.com/lilianricaud/travail-en-reseau.git"
branch = "master"
licence = "CC BY-SA 4.0"
video_hosts = ["tube.example.org", "127.0.0.1:9000"]
network = { id = "lilianricaud", name = "Lilian Ricaud", url = "https://www.lilianricaud.com" }

[[source]]
id = "demo"
kind = "git"
url = "content/exemples-fiches"
subfolder_networks = "contributions"
subfolder_names = { cpcoop = "Centre des pratiques de la coopération" }
[source.network]
id = "exemples"
name = "Réseau des communs exemplaires (démo)"
"#;

    /// The example an installation copies follows everything over https, nothing from a folder.
    #[test]
    fn the_production_example_is_valid_and_reads_no_folder_of_this_machine() {
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/sources.example.toml");
        let file = SourcesFile::load(&example).unwrap();
        assert_eq!(file.sources.len(), 3);
        assert!(file.sources.iter().all(|source| source.url.starts_with("https://")), "{file:?}");
    }

    #[test]
    fn a_sources_file_as_documented() {
        let file = SourcesFile::parse(GOOD).unwrap();
        assert_eq!(file.sources.len(), 2);
        let [remote, local] = &file.sources[..] else { unreachable!() };
        assert_eq!(remote.network.name, "Lilian Ricaud");
        assert_eq!(remote.branch(), Some("master"));
        assert_eq!(remote.video_hosts, ["tube.example.org", "127.0.0.1:9000"]);
        let (SourceKind::Git(remote_git), SourceKind::Git(local_git)) = (&remote.kind, &local.kind) else {
            panic!("two git sources: {file:?}")
        };
        assert_eq!(remote_git.location.within(Path::new("/etc/bao")), Location::Remote(remote.url.clone()));
        assert_eq!(
            local_git.location.within(Path::new("/srv/demo")),
            Location::Folder("/srv/demo/content/exemples-fiches".into())
        );
        assert_eq!(local_git.subfolder_networks.as_deref(), Some("contributions"));
        assert_eq!(local_git.subfolder_names["cpcoop"], "Centre des pratiques de la coopération");
        // A remote served on this machine over http is fetched, not read as a folder named `http:`.
        let served = SourcesFile::parse(
            &GOOD.replace("https://github.com/lilianricaud", "http://127.0.0.1:9418/lilianricaud"),
        );
        let served = served.unwrap().sources.remove(0).kind;
        assert!(
            matches!(served, SourceKind::Git(GitSource { location: Location::Remote(_), .. })),
            "{served:?}"
        );
        assert_eq!(SourcesFile::parse("").unwrap().sources, vec![]);
    }

    #[test]
    fn a_network_key_is_long_and_may_come_from_the_environment() {
        let keys = |table: &str| SourcesFile::parse(&format!("{GOOD}\n[reuse_keys]\n{table}"));
        let file =
            keys("lilianricaud = \"8f3a91c2d7e64b05\"\nexemples = \"${HOME}-une-cle-longue\"").unwrap();
        assert_eq!(file.reuse_keys["lilianricaud"], "8f3a91c2d7e64b05");
        assert!(
            file.reuse_keys["exemples"].ends_with("-une-cle-longue")
                && !file.reuse_keys["exemples"].contains('$')
        );
        let short = keys("lilianricaud = \"secret\"").unwrap_err();
        assert!(short.contains("« lilianricaud »") && short.contains("16 caractères"), "{short}");
        let unset = keys("lilianricaud = \"${BAO_TEST_UNSET_KEY}\"").unwrap_err();
        assert!(unset.contains("BAO_TEST_UNSET_KEY"), "{unset}");
        assert!(keys("Lilian = \"8f3a91c2d7e64b05\"").unwrap_err().contains("identifiant"));
    }

    #[test]
    fn mistakes_are_refused_with_their_line() {
        let unknown_key = GOOD.replace("branch = \"master\"", "brnach = \"master\"");
        let error = SourcesFile::parse(&unknown_key).unwrap_err();
        assert!(error.starts_with("ligne 6 :") && error.contains("brnach"), "{error}");
        let missing = GOOD.replace("name = \"Réseau des communs exemplaires (démo)\"", "");
        let error = SourcesFile::parse(&missing).unwrap_err();
        assert!(error.contains("name"), "{error}");
        let no_network = "[[source]]\nid = \"a\"\nkind = \"git\"\nurl = \"fiches\"\n";
        let error = SourcesFile::parse(no_network).unwrap_err();
        assert!(
            error.contains("il manque le réseau de la source") && error.contains("network = {"),
            "{error}"
        );
        let web = GOOD
            .replace("subfolder_networks", "web_url = \"https://fiches.example/{path}\"\nsubfolder_networks");
        assert!(SourcesFile::parse(&web).is_ok());
        for (from, to, expected) in [
            (
                "kind = \"git\"",
                "kind = \"svn\"",
                "`kind = \"svn\"` inconnu (connus : git, mediawiki, dokuwiki, yeswiki, bao)",
            ),
            ("id = \"demo\"", "id = \"travail-en-reseau\"", "deux sources ont cet `id`"),
            ("id = \"demo\"", "id = \"Démo\"", "`id` ne peut contenir"),
            ("https://github.com/lilianricaud", "http://github.com/lilianricaud", "`url` : https://"),
            ("https://www.lilianricaud.com", "javascript:alert(1)", "`network.url` doit être"),
            ("\"tube.example.org\"", "\"https://tube.example.org\"", "`video_hosts` : « https://"),
            ("\"tube.example.org\"", "\"tube.example.org/x\"", "n'est pas un nom d'hôte"),
            ("branch = \"master\"", "forge = \"gitbucket\"", "`forge = \"gitbucket\"` inconnue"),
            (
                "branch = \"master\"",
                "web_url = \"https://git.example/fiches\"",
                "`web_url` : l'adresse d'un fichier",
            ),
            (
                "branch = \"master\"",
                "web_url = \"javascript:alert(1)//{path}\"",
                "`web_url` : une adresse https://",
            ),
            (
                "subfolder_networks",
                "web_url = \"https://github.com/o/r\"\nsubfolder_networks",
                "donnez aussi `branch`",
            ),
            (
                "subfolder_networks = \"contributions\"\n",
                "",
                "`subfolder_names` nomme les réseaux des sous-dossiers",
            ),
            (
                "\"Centre des pratiques de la coopération\"",
                "\" \"",
                "le nom du réseau du dossier « cpcoop » est vide",
            ),
        ] {
            let error = SourcesFile::parse(&GOOD.replacen(from, to, 1)).unwrap_err();
            assert!(error.contains(expected), "{to}: {error}");
        }
    }

    #[test]
    fn wiki_and_server_sources_and_their_mistakes() {
        let wiki = |kind: &str, rest: &str| {
            SourcesFile::parse(&format!(
                "[[source]]\nid = \"w\"\nkind = \"{kind}\"\n{rest}\nnetwork = {{ id = \"n\", name = \"N\" }}\n"
            ))
        };
        for (kind, rest) in [
            ("mediawiki", "url = \"https://wiki.example/api.php\"\ncategories = [\"Catégorie:Fiches\"]"),
            ("mediawiki", "url = \"exports/wiki.xml\""),
            ("dokuwiki", "url = \"https://wiki.example/\"\nnamespaces = [\"fiches\"]"),
            ("dokuwiki", "url = \"/srv/dokuwiki\"\nsite = \"https://wiki.example/\""),
            ("yeswiki", "url = \"https://site.example/\"\nform = \"4\""),
            ("bao", "url = \"https://communs.example.org/\""),
        ] {
            assert!(wiki(kind, rest).is_ok(), "{kind}: {rest}: {:?}", wiki(kind, rest));
        }
        for (kind, rest, expected) in [
            ("yeswiki", "url = \"site\"\nform = \"4\"", "l'adresse https://… du site YesWiki"),
            ("bao", "url = \"serveur\"", "de l'autre serveur multibao-embed"),
            ("yeswiki", "url = \"https://site.example/\"\nform = \"quatre\"", "le numéro du formulaire"),
            ("mediawiki", "url = \"ftp://wiki.example/x.xml\"", "un fichier d'export XML"),
            ("dokuwiki", "url = \"/srv/dokuwiki\"", "`site` : l'adresse publique du wiki"),
            (
                "dokuwiki",
                "url = \"/srv/dokuwiki\"\nsite = \"http://wiki.example/\"",
                "`site` : l'adresse https://",
            ),
            (
                "dokuwiki",
                "url = \"https://wiki.example/\"\nsite = \"https://wiki.example/\"",
                "`site` ne s'applique",
            ),
            (
                "mediawiki",
                "url = \"https://wiki.example/api.php\"\nnamespaces = [\"x\"]",
                "`namespaces` ne s'applique",
            ),
            (
                "mediawiki",
                "url = \"https://wiki.example/api.php\"\nforge = \"gitea\"",
                "`forge` ne s'applique pas à `kind = \"mediawiki\"`",
            ),
        ] {
            let error = wiki(kind, rest).unwrap_err();
            assert!(error.contains(expected), "{kind}: {rest}: {error}");
        }
    }
}

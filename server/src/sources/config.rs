//! The sources file: one TOML file declaring every source the server follows (`--sources FILE`),
//! one `[[source]]` table each. Checked whole at start: an unknown key, a bad value or a kind
//! nobody implements is refused with its line and a message that says what to write instead.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use bao_contract::NetworkRef;
use serde::Deserialize;

use super::forge::{Forge, WebAddresses, WebSettings};
use super::secrets;
use crate::address;

/// The kinds of source this server can follow; each maps to a module of `sources/`.
pub const KINDS: &[&str] = &["git", "mediawiki", "dokuwiki", "yeswiki", "bao"];

/// A sources file, as written.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourcesFile {
    #[serde(rename = "source", default)]
    pub sources: Vec<SourceConfig>,
    /// Who reads each network's reuse figures (`/statistiques`): network id → its key, given to
    /// the network's coordinators (`${NAME}` from the environment). A network without one has
    /// its sites and resources read by nobody; the commons' totals are public.
    #[serde(default)]
    pub reuse_keys: BTreeMap<String, String>,
}

/// The shortest key a network's figures open with: long enough that no one guesses it.
pub const MIN_REUSE_KEY_CHARS: usize = 16;

/// One `[[source]]` table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// Stable slug: what `sync --only` and `/api/v1/sources` call it.
    pub id: String,
    /// One of [`KINDS`].
    pub kind: String,
    /// `https://…`, `file://…`, or a local folder (relative to the sources file); for wikis, the
    /// wiki's address, or a MediaWiki export file or DokuWiki folder on this machine. A
    /// `${NAME}` in it is the environment variable's value (a token kept out of the file).
    pub url: String,
    /// The public address of a wiki read from a folder here (DokuWiki): where its pages link.
    #[serde(default)]
    pub site: Option<String>,
    /// The branch to follow (git); the remote's default branch when absent.
    #[serde(default)]
    pub branch: Option<String>,
    /// Where a file of the source is shown on the web (git): `https://…/{path}`, with
    /// `{branch}` where the branch goes. Needed for a forge of unknown shape, a folder or a
    /// `file://` remote; the remote of a known forge gives it.
    #[serde(default)]
    pub web_url: Option<String>,
    /// The kind of forge a remote on a host of its own is (`gitlab`, `gitea`, `forgejo`,
    /// `github`, `sourcehut`), so that its files' pages, images and edit pages are known.
    #[serde(default)]
    pub forge: Option<String>,
    /// A folder whose direct subfolders each hold one network's resources.
    #[serde(default)]
    pub subfolder_networks: Option<String>,
    /// The network this source publishes for.
    pub network: NetworkConfig,
    /// The licence to assume when a file says nothing (`CC BY-SA 4.0`).
    #[serde(default)]
    pub licence: Option<String>,
    /// Folders (or files) of the source that hold no resource (`["financements"]`).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// The wiki categories whose pages are the source's (`["Catégorie:Fiches"]`, MediaWiki).
    #[serde(default)]
    pub categories: Vec<String>,
    /// The wiki namespace read when no category is given (MediaWiki: its number, 0 by default).
    #[serde(default)]
    pub namespace: Option<i64>,
    /// The namespaces whose pages are the source's (`["fiches"]`, DokuWiki); none: the whole wiki.
    #[serde(default)]
    pub namespaces: Vec<String>,
    /// The Bazar form whose entries are the source's (YesWiki: its number).
    #[serde(default)]
    pub form: Option<String>,
    /// PeerTube instances whose players the source's testimonies may show
    /// (`["tube.example.org"]`), beside the big providers and the instances known to the server.
    #[serde(default)]
    pub video_hosts: Vec<String>,
    /// What the source's pages are: `fiche` (the default), `temoignage` or `video` (wikis).
    #[serde(default)]
    pub resource_kind: Option<String>,
    /// The credentials `url` carries, hidden wherever the source is shown (see [`secrets`]).
    #[serde(skip)]
    pub secrets: Vec<String>,
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

/// Where a source's content is, once its `url` is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A remote to fetch (`https://…` or `file://…`).
    Remote(String),
    /// A folder on this machine, read as it is.
    Folder(PathBuf),
}

/// Why a sources file was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("impossible de lire {path} : {source}")]
    Unreadable { path: PathBuf, source: std::io::Error },
    #[error("{path} : {message}")]
    Invalid { path: PathBuf, message: String },
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
        let mut file: SourcesFile = toml::from_str(text).map_err(|error| {
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
        for source in &mut file.sources {
            let (url, from_environment) = secrets::expand(&source.url, |name| std::env::var(name).ok())
                .map_err(|message| format!("source « {} » : `url` : {message}", source.id))?;
            source.secrets = secrets::secrets_of(&url);
            source.secrets.extend(from_environment);
            source.url = url;
        }
        for (network, key) in &mut file.reuse_keys {
            let at = |message: String| format!("`reuse_keys`, réseau « {network} » : {message}");
            if !is_slug(network) {
                return Err(at("l'identifiant d'un réseau (minuscules, chiffres et tirets)".into()));
            }
            *key = secrets::expand(key, |name| std::env::var(name).ok()).map_err(at)?.0;
            if key.chars().count() < MIN_REUSE_KEY_CHARS {
                return Err(at(format!(
                    "une clé de {MIN_REUSE_KEY_CHARS} caractères au moins, que personne ne devine                      (`openssl rand -hex 16` en donne une)"
                )));
            }
        }
        let mut seen = HashSet::new();
        for source in &file.sources {
            let at = |message: String| format!("source « {} » : {message}", source.id);
            if !is_slug(&source.id) {
                return Err(
                    at("`id` ne peut contenir que des minuscules, des chiffres et des tirets".into()),
                );
            }
            if !seen.insert(source.id.as_str()) {
                return Err(at("deux sources ont cet `id`".into()));
            }
            if !KINDS.contains(&source.kind.as_str()) {
                return Err(at(format!(
                    "`kind = \"{}\"` inconnu (connus : {})",
                    source.kind,
                    KINDS.join(", ")
                )));
            }
            if source.url.trim().is_empty()
                || (source.url.starts_with("http") && !address::is_safe_web_url(&source.url))
            {
                return Err(at("`url` : https://…, file://… ou un dossier local".into()));
            }
            let local = !address::has_web_scheme(&source.url);
            match source.kind.as_str() {
                "yeswiki" if local => {
                    return Err(at("`url` : l'adresse https://… du site YesWiki".into()));
                }
                "bao" if local => {
                    return Err(at("`url` : l'adresse https://… de l'autre serveur multibao-embed".into()));
                }
                "mediawiki" | "dokuwiki" if local && source.url.contains("://") => {
                    return Err(at(format!(
                        "`url` : l'adresse https://… du wiki, ou un {} sur cette machine",
                        if source.kind == "mediawiki" { "fichier d'export XML" } else { "dossier DokuWiki" }
                    )));
                }
                _ => {}
            }
            match (&source.site, source.kind.as_str(), local) {
                (None, "dokuwiki", true) => {
                    return Err(at(
                        "`site` : l'adresse publique du wiki (https://…), où mènent ses pages lues du dossier"
                            .into(),
                    ));
                }
                (Some(site), "dokuwiki", true) if !address::is_safe_web_url(site) => {
                    return Err(at("`site` : l'adresse https://… du wiki".into()));
                }
                (Some(_), _, _) if !(source.kind == "dokuwiki" && local) => {
                    return Err(at(
                        "`site` ne s'applique qu'à un dossier DokuWiki (`kind = \"dokuwiki\"`)".into()
                    ));
                }
                _ => {}
            }
            if (source.web_url.is_some() || source.forge.is_some()) && source.kind != "git" {
                return Err(at("`web_url` et `forge` ne s'appliquent qu'à `kind = \"git\"`".into()));
            }
            if let Some(forge) = source.forge.as_deref().filter(|forge| Forge::named(forge).is_none()) {
                return Err(at(format!(
                    "`forge = \"{forge}\"` inconnue (connues : {})",
                    Forge::NAMES.join(", ")
                )));
            }
            if let Some(web_url) = &source.web_url {
                if !address::is_safe_web_url(web_url) {
                    return Err(at(
                        "`web_url` : une adresse https://… où `{path}` est le chemin du fichier".into()
                    ));
                }
                let settings = source.web_settings();
                if WebAddresses::of(None, "branche", &settings).is_none() {
                    return Err(at("`web_url` : l'adresse d'un fichier, `{path}` à la place de son chemin \
                         (`https://…/{branch}/{path}`), ou la page du dépôt sur GitHub, GitLab, Framagit, Codeberg \
                         ou SourceHut (donnez `forge` pour une autre instance)"
                        .into()));
                }
                let names_branch = web_url.contains("{branch}") || !web_url.contains("{path}");
                let copied_folder = matches!(source.location(Path::new("")), Location::Folder(_));
                if names_branch && source.branch.is_none() && copied_folder {
                    return Err(at(
                        "`web_url` : donnez aussi `branch`, la branche dont ce dossier est la copie".into(),
                    ));
                }
            }
            if !source.categories.is_empty() && source.kind != "mediawiki" {
                return Err(at("`categories` ne s'applique qu'à `kind = \"mediawiki\"`".into()));
            }
            if !source.namespaces.is_empty() && source.kind != "dokuwiki" {
                return Err(at("`namespaces` ne s'applique qu'à `kind = \"dokuwiki\"`".into()));
            }
            match (&source.form, source.kind.as_str()) {
                (None, "yeswiki") => {
                    return Err(at("`form` : le numéro du formulaire Bazar (`form = \"4\"`)".into()));
                }
                (Some(form), "yeswiki") if form.is_empty() || !form.bytes().all(|b| b.is_ascii_digit()) => {
                    return Err(at(format!("`form = \"{form}\"` : le numéro du formulaire Bazar")));
                }
                (Some(_), kind) if kind != "yeswiki" => {
                    return Err(at("`form` ne s'applique qu'à `kind = \"yeswiki\"`".into()));
                }
                _ => {}
            }
            if let Some(host) = source.video_hosts.iter().find(|host| !is_host(host)) {
                return Err(at(format!(
                    "`video_hosts` : « {host} » n'est pas un nom d'hôte (`tube.example.org`, sans https://)"
                )));
            }
            if let Some(kind) = &source.resource_kind
                && bao_contract::Kind::parse(kind).is_none()
            {
                return Err(at(format!(
                    "`resource_kind = \"{kind}\"` inconnu (connus : fiche, temoignage, video)"
                )));
            }
            if !is_slug(&source.network.id) {
                return Err(at(
                    "`network.id` ne peut contenir que des minuscules, des chiffres et des tirets".into(),
                ));
            }
            for (key, url) in [("network.url", &source.network.url), ("network.logo", &source.network.logo)] {
                if url.as_deref().is_some_and(|url| !address::has_web_scheme(url)) {
                    return Err(at(format!("`{key}` doit être une adresse http(s)")));
                }
            }
        }
        Ok(file)
    }
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
        match self.location(Path::new("")) {
            Location::Remote(url) if url.starts_with("file://") => text.replace(&url, &self.public_url()),
            Location::Folder(path) if path.is_absolute() => text.replace(&self.url, &self.public_url()),
            _ => text,
        }
    }

    /// What the sources file says of where a git source's files are shown on the web.
    pub fn web_settings(&self) -> WebSettings {
        WebSettings { web_url: self.web_url.clone(), forge: self.forge.as_deref().and_then(Forge::named) }
    }

    /// Where the content is; a relative folder is read from `base`, the sources file's folder.
    pub fn location(&self, base: &Path) -> Location {
        if self.url.starts_with("https://") || self.url.starts_with("file://") {
            Location::Remote(self.url.clone())
        } else {
            Location::Folder(base.join(&self.url))
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
        assert_eq!(remote.branch.as_deref(), Some("master"));
        assert_eq!(remote.video_hosts, ["tube.example.org", "127.0.0.1:9000"]);
        assert_eq!(remote.location(Path::new("/etc/bao")), Location::Remote(remote.url.clone()));
        assert_eq!(
            local.location(Path::new("/srv/demo")),
            Location::Folder("/srv/demo/content/exemples-fiches".into())
        );
        assert_eq!(local.subfolder_networks.as_deref(), Some("contributions"));
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
                "ne s'appliquent qu'à",
            ),
        ] {
            let error = wiki(kind, rest).unwrap_err();
            assert!(error.contains(expected), "{kind}: {rest}: {error}");
        }
    }
}

//! Where a git source's files live on the web — a file's page, its bytes, its folder, its edit
//! page — taken from the source itself: the remote of a forge associations use (GitHub, GitLab
//! and Framagit, Gitea/Forgejo and Codeberg, SourceHut) on the branch followed, or the `web_url`
//! the sources file writes. Never guessed: a folder, a `file://` remote or an unknown host has
//! no web address unless the sources file gives one.

use ammonia::Url;

/// The forges whose address shapes are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forge {
    GitHub,
    /// GitLab, gitlab.com and its instances (Framagit…).
    GitLab,
    /// Gitea and Forgejo (Codeberg…).
    Gitea,
    SourceHut,
}

impl Forge {
    /// The names a sources file may give in `forge`.
    pub const NAMES: &[&str] = &["github", "gitlab", "gitea", "forgejo", "sourcehut"];

    /// The forge a sources file names (`forge = "gitlab"`).
    pub fn named(name: &str) -> Option<Forge> {
        match name {
            "github" => Some(Forge::GitHub),
            "gitlab" => Some(Forge::GitLab),
            "gitea" | "forgejo" => Some(Forge::Gitea),
            "sourcehut" => Some(Forge::SourceHut),
            _ => None,
        }
    }

    /// The forge of a well-known host; an instance elsewhere is named in the sources file.
    fn of_host(host: &str) -> Option<Forge> {
        match host {
            "github.com" => Some(Forge::GitHub),
            "gitlab.com" | "framagit.org" => Some(Forge::GitLab),
            "codeberg.org" => Some(Forge::Gitea),
            "git.sr.ht" => Some(Forge::SourceHut),
            _ if host.starts_with("gitlab.") => Some(Forge::GitLab),
            _ if host.starts_with("gitea.") || host.starts_with("forgejo.") => Some(Forge::Gitea),
            _ => None,
        }
    }

    /// `(file page, folder page, raw bytes, edit page)` under a repository's home `base`, each
    /// with `{path}` still to fill.
    fn templates(self, base: &str, branch: &str) -> (String, Option<String>, Option<String>, Option<String>) {
        let at = |shape: &str| Some(format!("{base}/{}", shape.replace("{branch}", branch)));
        let (view, folder, raw, edit) = match self {
            Forge::GitHub => (
                at("blob/{branch}/{path}"),
                at("tree/{branch}/{path}"),
                // The page of an image is HTML; its bytes are on the raw host.
                base.strip_prefix("https://github.com/").map(|repository| {
                    format!("https://raw.githubusercontent.com/{repository}/{branch}/{{path}}")
                }),
                at("edit/{branch}/{path}"),
            ),
            Forge::GitLab => (
                at("-/blob/{branch}/{path}"),
                at("-/tree/{branch}/{path}"),
                at("-/raw/{branch}/{path}"),
                at("-/edit/{branch}/{path}"),
            ),
            Forge::Gitea => (
                at("src/branch/{branch}/{path}"),
                at("src/branch/{branch}/{path}"),
                at("raw/branch/{branch}/{path}"),
                at("_edit/{branch}/{path}"),
            ),
            Forge::SourceHut => (
                at("tree/{branch}/item/{path}"),
                at("tree/{branch}/item/{path}"),
                at("blob/{branch}/{path}"),
                None,
            ),
        };
        (view.unwrap_or_default(), folder, raw, edit)
    }
}

/// The web addresses of one source's files, on the branch it follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebAddresses {
    /// The repository's own page, when its forge is known.
    pub home: Option<String>,
    view: String,
    folder: Option<String>,
    raw: Option<String>,
    edit: Option<String>,
}

/// How the sources file says where a git source lives on the web.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebSettings {
    /// `web_url`: a file's page, `{path}` (and `{branch}`) to fill; or, without `{path}`, the
    /// repository's page on a forge whose shape is known (a folder copied from it, a mirror).
    pub web_url: Option<String>,
    /// `forge`: the kind of a forge on a host of its own.
    pub forge: Option<Forge>,
}

impl WebAddresses {
    /// The addresses of the files of `remote` (an `https://` git remote) on `branch`, as the
    /// settings say, or from the forge the remote is on; `None` when neither tells.
    pub fn of(remote: Option<&str>, branch: &str, settings: &WebSettings) -> Option<WebAddresses> {
        let template = settings.web_url.as_deref().filter(|url| url.contains("{path}"));
        let repository = settings.web_url.as_deref().filter(|_| template.is_none()).or(remote);
        let from_forge = repository.and_then(|remote| {
            let url = Url::parse(remote).ok().filter(|url| matches!(url.scheme(), "https" | "http"))?;
            let forge = settings.forge.or_else(|| Forge::of_host(url.host_str()?))?;
            let path = url.path().trim_end_matches('/').trim_end_matches(".git");
            // A repository is at least `owner/name` (GitLab's groups may nest deeper).
            if path.trim_matches('/').split('/').filter(|part| !part.is_empty()).count() < 2 {
                return None;
            }
            // Credentials in the remote (a token to follow a private repository) stay out.
            let mut home = url.clone();
            home.set_path(path);
            home.set_query(None);
            home.set_fragment(None);
            home.set_username("").ok()?;
            home.set_password(None).ok()?;
            let base = home.as_str().trim_end_matches('/').to_owned();
            let (view, folder, raw, edit) = forge.templates(&base, branch);
            Some(WebAddresses { home: Some(base), view, folder, raw, edit })
        });
        match template {
            Some(template) => {
                let template = template.replace("{branch}", branch);
                Some(match from_forge {
                    // The forge's raw and edit pages still hold when the sources file says where
                    // files are shown (a mirror's own site, say).
                    Some(forge) => WebAddresses { view: template, ..forge },
                    None => WebAddresses { home: None, view: template, folder: None, raw: None, edit: None },
                })
            }
            None => from_forge,
        }
    }

    /// The page of the file at `path`.
    pub fn file(&self, path: &str) -> Option<String> {
        fill(&self.view, path)
    }

    /// The page of the folder at `path`, when the forge has folder pages.
    pub fn folder(&self, path: &str) -> Option<String> {
        fill(self.folder.as_ref()?, path)
    }

    /// The address of the bytes of the file at `path` (an image's), when known.
    pub fn raw(&self, path: &str) -> Option<String> {
        fill(self.raw.as_ref()?, path)
    }

    /// The page where the file at `path` can be edited, when the forge has one.
    pub fn edit(&self, path: &str) -> Option<String> {
        fill(self.edit.as_ref()?, path)
    }
}

/// `template` with `{path}` replaced by `path`, each part escaped; `None` unless the result is a
/// well-formed web address.
fn fill(template: &str, path: &str) -> Option<String> {
    let escaped = path.trim_start_matches('/').replace('%', "%25").replace('#', "%23").replace('?', "%3F");
    let url = Url::parse(&template.replace("{path}", &escaped)).ok()?;
    matches!(url.scheme(), "https" | "http").then(|| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addresses(remote: &str, branch: &str) -> WebAddresses {
        WebAddresses::of(Some(remote), branch, &WebSettings::default()).unwrap()
    }

    #[test]
    fn github_on_the_branch_followed() {
        let github = addresses("https://github.com/multibao/contributions.git", "main");
        assert_eq!(
            github.file("réseau/fiche à lire.md").as_deref(),
            Some("https://github.com/multibao/contributions/blob/main/r%C3%A9seau/fiche%20%C3%A0%20lire.md")
        );
        assert_eq!(
            github.raw("img/a.png").as_deref(),
            Some("https://raw.githubusercontent.com/multibao/contributions/main/img/a.png")
        );
        assert_eq!(
            github.edit("a.md").as_deref(),
            Some("https://github.com/multibao/contributions/edit/main/a.md")
        );
        assert_eq!(
            github.folder("d").as_deref(),
            Some("https://github.com/multibao/contributions/tree/main/d")
        );
        assert_eq!(github.home.as_deref(), Some("https://github.com/multibao/contributions"));
        let private = addresses("https://oauth2:SECRET@framagit.org/o/r.git", "main");
        assert_eq!(private.home.as_deref(), Some("https://framagit.org/o/r"), "no credentials");
    }

    #[test]
    fn framagit_with_groups_gitea_and_sourcehut() {
        let framagit = addresses("https://framagit.org/reseau/sous-groupe/fiches", "master");
        assert_eq!(
            framagit.file("a.md").as_deref(),
            Some("https://framagit.org/reseau/sous-groupe/fiches/-/blob/master/a.md")
        );
        assert_eq!(
            framagit.raw("i.png").as_deref(),
            Some("https://framagit.org/reseau/sous-groupe/fiches/-/raw/master/i.png")
        );
        assert_eq!(
            framagit.edit("a.md").as_deref(),
            Some("https://framagit.org/reseau/sous-groupe/fiches/-/edit/master/a.md")
        );
        let codeberg = addresses("https://codeberg.org/asso/fiches.git", "gh-pages");
        assert_eq!(
            codeberg.file("a.md").as_deref(),
            Some("https://codeberg.org/asso/fiches/src/branch/gh-pages/a.md")
        );
        assert_eq!(
            codeberg.edit("a.md").as_deref(),
            Some("https://codeberg.org/asso/fiches/_edit/gh-pages/a.md")
        );
        let sourcehut = addresses("https://git.sr.ht/~asso/fiches", "main");
        assert_eq!(
            sourcehut.file("a.md").as_deref(),
            Some("https://git.sr.ht/~asso/fiches/tree/main/item/a.md")
        );
        assert_eq!(sourcehut.edit("a.md"), None);
    }

    #[test]
    fn never_guessed() {
        let none = |remote: &str| WebAddresses::of(Some(remote), "main", &WebSettings::default());
        assert_eq!(none("https://git.asso.example/o/r.git"), None, "an unknown host");
        assert_eq!(none("file:///srv/git/fiches"), None);
        assert_eq!(none("https://github.com/seul"), None, "no repository in the path");
        assert_eq!(WebAddresses::of(None, "main", &WebSettings::default()), None, "a folder");
        // An instance of a known forge on a host of its own, named in the sources file.
        let named = WebSettings { forge: Some(Forge::GitLab), ..WebSettings::default() };
        let gitlab = WebAddresses::of(Some("https://git.asso.example/o/r.git"), "main", &named).unwrap();
        assert_eq!(gitlab.edit("a.md").as_deref(), Some("https://git.asso.example/o/r/-/edit/main/a.md"));
    }

    #[test]
    fn a_web_url_written_in_the_sources_file() {
        let settings =
            WebSettings { web_url: Some("https://fiches.asso.example/{branch}/{path}".into()), forge: None };
        let folder = WebAddresses::of(None, "main", &settings).unwrap();
        assert_eq!(
            folder.file("d/a #1.md").as_deref(),
            Some("https://fiches.asso.example/main/d/a%20%231.md")
        );
        assert_eq!((folder.raw("i.png"), folder.edit("a.md"), folder.home), (None, None, None));
        // A folder copied from a repository of a known forge: its page is enough.
        let copied =
            WebSettings { web_url: Some("https://github.com/multibao/contributions".into()), forge: None };
        let copy = WebAddresses::of(None, "master", &copied).unwrap();
        assert_eq!(
            copy.edit("a.md").as_deref(),
            Some("https://github.com/multibao/contributions/edit/master/a.md")
        );
    }
}

//! Real wikis for the connectors' tests: Debian's MediaWiki and DokuWiki, unpacked by
//! `cargo xtask test` into `target/wikis/` (see xtask's `setup::wikis`), installed afresh per test
//! (MediaWiki with SQLite) and served by PHP's built-in server on a free loopback port.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where xtask unpacks the wikis.
pub fn wikis_dir() -> PathBuf {
    match std::env::var_os("BAO_WIKIS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/wikis"),
    }
}

/// True when `program` is there; otherwise skips the running test with a visible message, or
/// fails it when the test command promised the wikis (`BAO_REQUIRE_WIKIS=1`, set by xtask).
fn present(what: &Path) -> bool {
    if what.exists() && which("php") {
        return true;
    }
    let test = std::thread::current().name().unwrap_or("?").to_owned();
    let message = format!("no PHP or no wiki at {} (`cargo xtask test` installs them)", what.display());
    assert!(std::env::var_os("BAO_REQUIRE_WIKIS").is_none(), "{test}: {message}");
    std::io::Write::write_all(&mut std::io::stderr(), format!("SKIPPED {test}: {message}\n").as_bytes()).ok();
    false
}

fn which(program: &str) -> bool {
    Command::new(program).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok()
}

/// A folder for one wiki, beside the unpacked trees (so that hard links work), removed when
/// dropped.
fn instance_dir() -> tempfile::TempDir {
    std::fs::create_dir_all(wikis_dir().join("instances")).expect("instances folder");
    tempfile::tempdir_in(wikis_dir().join("instances")).expect("instance folder")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|listener| listener.local_addr()).expect("a free port").port()
}

fn run(command: &mut Command) -> String {
    let output = command.output().unwrap_or_else(|error| panic!("{command:?}: {error}"));
    let text =
        format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{command:?} failed:\n{text}");
    text
}

/// A copy of a wiki's unpacked tree: hard links (instant, no space) where the file system
/// allows, a real copy elsewhere.
fn copy_tree(from: &Path, to: &Path) {
    let linked =
        Command::new("cp").arg("-al").arg(from).arg(to).status().is_ok_and(|status| status.success());
    if !linked {
        run(Command::new("cp").arg("-a").arg(from).arg(to));
    }
}

/// PHP's built-in server over a folder, stopped when dropped.
struct PhpServer {
    child: Child,
}

impl PhpServer {
    /// Serves `root`; `settings` are `php -d` settings.
    fn start(root: &Path, port: u16, probe: &str, settings: &[String]) -> PhpServer {
        let child = Command::new("php")
            .args(settings.iter().flat_map(|setting| ["-d", setting.as_str()]))
            .args(["-S", &format!("127.0.0.1:{port}"), "-t"])
            .arg(root)
            .current_dir(root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("php -S");
        let server = PhpServer { child };
        let deadline = Instant::now() + Duration::from_secs(20);
        let url = format!("http://127.0.0.1:{port}/{probe}");
        while ureq::get(&url).call().is_err() {
            assert!(Instant::now() < deadline, "{url} never answered");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }
}

impl Drop for PhpServer {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// A MediaWiki 1.39 (Debian's), installed with SQLite, French, the licence CC BY-SA 4.0 in its
/// settings.
pub struct MediaWiki {
    root: PathBuf,
    pub base: String,
    _server: PhpServer,
    _dir: tempfile::TempDir,
}

impl MediaWiki {
    /// Installs and starts a wiki, or `None` (the test is skipped) when none is unpacked.
    pub fn start() -> Option<MediaWiki> {
        let tree = wikis_dir().join("mediawiki/usr/share/mediawiki");
        if !present(&tree.join("api.php")) {
            return None;
        }
        let dir = instance_dir();
        let root = dir.path().join("w");
        copy_tree(&tree, &root);
        // Debian links these into /var/lib/mediawiki: each instance has its own.
        for link in ["extensions", "config", "images", "LocalSettings.php"] {
            std::fs::remove_file(root.join(link)).ok();
        }
        for folder in ["extensions", "config", "images", "data"] {
            std::fs::create_dir_all(root.join(folder)).expect("wiki folder");
        }
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        run(Command::new("php").current_dir(&root).args([
            "maintenance/install.php",
            "--dbtype",
            "sqlite",
            "--dbpath",
            &root.join("data").to_string_lossy(),
            "--dbname",
            "wikidb",
            "--server",
            &base,
            "--scriptpath",
            "",
            "--lang",
            "fr",
            "--pass",
            "Adminpassword123!",
            "Wiki-Brest (essai)",
            "Admin",
        ]));
        let settings = root.join("LocalSettings.php");
        let mut text = std::fs::read_to_string(&settings).expect("LocalSettings.php");
        text.push_str(
            "\n$wgRightsUrl = 'https://creativecommons.org/licenses/by-sa/4.0/deed.fr';\n\
             $wgRightsText = 'Creative Commons Attribution - Partage dans les mêmes conditions';\n",
        );
        std::fs::write(&settings, text).expect("LocalSettings.php");
        let server = PhpServer::start(&root, port, "api.php", &[]);
        Some(MediaWiki { root, base, _server: server, _dir: dir })
    }

    pub fn api(&self) -> String {
        format!("{}/api.php", self.base)
    }

    /// The sources-file entry that follows this wiki's fiches (those of `Catégorie:Fiches`).
    pub fn source(&self) -> String {
        Self::source_at(&self.api())
    }

    /// The sources-file entry that reads the same fiches from `url` (an export of this wiki).
    pub fn source_at(url: &str) -> String {
        format!(
            "[[source]]\nid = \"wiki-brest\"\nkind = \"mediawiki\"\nurl = \"{url}\"\n\
             categories = [\"Catégorie:Fiches\"]\nnetwork = {{ id = \"wiki-brest\", name = \"Wiki-Brest\" }}\n"
        )
    }

    /// Exports every page with its whole history (`dumpBackup.php --full`) into a file the wiki
    /// also serves: its path here, and its address.
    pub fn export(&self) -> (PathBuf, String) {
        let output = Command::new("php")
            .current_dir(&self.root)
            .args(["maintenance/dumpBackup.php", "--full", "--quiet"])
            .output()
            .expect("dumpBackup.php");
        assert!(output.status.success(), "dumpBackup.php: {}", String::from_utf8_lossy(&output.stderr));
        let path = self.root.join("export.xml");
        std::fs::write(&path, output.stdout).expect("export file");
        (path, format!("{}/export.xml", self.base))
    }

    /// Imports a `Special:Export` file with the wiki's own `importDump.php`, then runs the jobs a
    /// live wiki runs over its next requests (links between pages imported together).
    pub fn import(&self, export: &Path) {
        run(Command::new("php").current_dir(&self.root).arg("maintenance/importDump.php").arg(export));
        run(Command::new("php").current_dir(&self.root).arg("maintenance/runJobs.php"));
    }

    /// Saves a new revision of a page as `user` (created if needed), as an edit through the wiki.
    pub fn edit(&self, title: &str, text: &str, user: &str) {
        let mut child = Command::new("php")
            .current_dir(&self.root)
            .args(["maintenance/edit.php", "-u", user, "-s", "modification de test", title])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("edit.php");
        std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), text.as_bytes()).expect("page text");
        let output = child.wait_with_output().expect("edit.php");
        assert!(output.status.success(), "edit.php: {}", String::from_utf8_lossy(&output.stderr));
    }

    /// The text of a page's last revision.
    pub fn text(&self, title: &str) -> String {
        run(Command::new("php").current_dir(&self.root).args(["maintenance/getText.php", title]))
    }
}

/// The password of every DokuWiki test user.
const DOKUWIKI_PASSWORD: &str = "Motdepasse123!";

/// A DokuWiki (Debian's, 2022-07-31) with its XML-RPC API on, French, the licence CC BY-SA 4.0 in
/// its settings, and two users who may write (`floriane`, `michel`).
pub struct DokuWiki {
    pub base: String,
    /// The wiki's folder: `data/` (pages, change logs) and `conf/` (settings).
    pub folder: PathBuf,
    _server: PhpServer,
    _dir: tempfile::TempDir,
}

impl DokuWiki {
    /// Installs and starts a wiki, or `None` (the test is skipped) when none is unpacked.
    pub fn start() -> Option<DokuWiki> {
        let unpacked = wikis_dir().join("dokuwiki");
        if !present(&unpacked.join("usr/share/dokuwiki/doku.php")) {
            return None;
        }
        let dir = instance_dir();
        let (root, conf, data) = (dir.path().join("dw"), dir.path().join("conf"), dir.path().join("data"));
        copy_tree(&unpacked.join("usr/share/dokuwiki"), &root);
        // Debian links these into /var/lib/dokuwiki and /etc/dokuwiki: each instance has its own.
        for link in ["lib/tpl", "lib/plugins", ".htaccess"] {
            std::fs::remove_file(root.join(link)).ok();
        }
        for folder in ["lib/tpl", "lib/plugins"] {
            run(Command::new("cp")
                .arg("-a")
                .arg(unpacked.join("var/lib/dokuwiki").join(folder))
                .arg(root.join(folder)));
        }
        run(Command::new("cp").arg("-a").arg(unpacked.join("etc/dokuwiki")).arg(&conf));
        run(Command::new("cp").arg("-a").arg(unpacked.join("var/lib/dokuwiki/data")).arg(&data));
        let hash = run(Command::new("php")
            .args(["-r", &format!("echo password_hash('{DOKUWIKI_PASSWORD}', PASSWORD_BCRYPT);")]));
        let users: String = ["floriane", "michel"]
            .iter()
            .map(|user| format!("{user}:{hash}:{user}:{user}@example.org:user\n"))
            .collect();
        for (file, text) in [
            (
                "local.php",
                format!(
                    "<?php\n$conf['savedir'] = '{}';\n$conf['title'] = 'Savoirs Communs (essai)';\n\
                     $conf['lang'] = 'fr';\n$conf['license'] = 'cc-by-sa';\n$conf['useacl'] = 1;\n\
                     $conf['authtype'] = 'authplain';\n$conf['superuser'] = '@admin';\n$conf['remote'] = 1;\n\
                     $conf['remoteuser'] = '';\n$conf['useheading'] = 1;\n",
                    data.display()
                ),
            ),
            ("users.auth.php", users),
            // Everyone reads; the users create and edit.
            ("acl.auth.php", "*\t@ALL\t1\n*\t@user\t4\n".to_owned()),
        ] {
            std::fs::remove_file(conf.join(file)).ok();
            std::fs::write(conf.join(file), text).expect("DokuWiki settings");
        }
        // Debian's DokuWiki reads its settings from /etc/dokuwiki unless told otherwise first.
        let prepend = dir.path().join("prepend.php");
        let conf_dir = format!("{}/", conf.display());
        std::fs::write(
            &prepend,
            format!("<?php\ndefine('DOKU_MAIN_CONF', '{conf_dir}');\ndefine('DOKU_CONF', '{conf_dir}');\n"),
        )
        .expect("prepend.php");
        let port = free_port();
        let server =
            PhpServer::start(&root, port, "doku.php", &[format!("auto_prepend_file={}", prepend.display())]);
        let folder = dir.path().to_owned();
        Some(DokuWiki { base: format!("http://127.0.0.1:{port}/"), folder, _server: server, _dir: dir })
    }

    /// The sources-file entry that follows this wiki's fiches (the namespace `fiches`).
    pub fn source(&self) -> String {
        format!(
            "[[source]]\nid = \"savoirs-communs\"\nkind = \"dokuwiki\"\nurl = \"{}\"\n\
             namespaces = [\"fiches\"]\nnetwork = {{ id = \"savoirs-communs\", name = \"Savoirs Communs\" }}\n",
            self.base
        )
    }

    /// The sources-file entry that reads the same fiches from the wiki's folder.
    pub fn folder_source(&self) -> String {
        self.source().replacen(
            &format!("url = \"{}\"", self.base),
            &format!("url = \"{}\"\nsite = \"{}\"", self.folder.display(), self.base),
            1,
        )
    }

    /// Saves every `.txt` file below `folder` as `user`, laid out as DokuWiki lays out its pages
    /// (`fiches/dispositif.txt` is the page `fiches:dispositif`).
    pub fn put_folder(&self, folder: &Path, user: &str) {
        let mut folders = vec![folder.to_owned()];
        while let Some(current) = folders.pop() {
            for entry in std::fs::read_dir(&current).expect("pages folder") {
                let path = entry.expect("pages folder").path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|extension| extension == "txt") {
                    let relative = path.strip_prefix(folder).expect("below the folder").with_extension("");
                    let id = relative.to_string_lossy().replace('/', ":");
                    self.put(&id, &std::fs::read_to_string(&path).expect("page"), user);
                }
            }
        }
    }

    /// Saves a page as `user`, through the wiki's API (`wiki.putPage`), as an editor would.
    pub fn put(&self, id: &str, text: &str, user: &str) {
        let escape = |text: &str| text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        let body = format!(
            "<?xml version=\"1.0\"?><methodCall><methodName>wiki.putPage</methodName><params>\
             <param><value><string>{}</string></value></param><param><value><string>{}</string></value></param>\
             <param><value><struct><member><name>sum</name><value><string>test</string></value></member>\
             </struct></value></param></params></methodCall>",
            escape(id),
            escape(text)
        );
        let credentials = base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            format!("{user}:{DOKUWIKI_PASSWORD}"),
        );
        let answer = ureq::post(&format!("{}lib/exe/xmlrpc.php", self.base))
            .header("Content-Type", "text/xml")
            .header("Authorization", &format!("Basic {credentials}"))
            .send(&body)
            .expect("wiki.putPage")
            .into_body()
            .read_to_string()
            .expect("wiki.putPage's answer");
        assert!(answer.contains("<boolean>1</boolean>"), "wiki.putPage {id} as {user}: {answer}");
    }
}

/// A YesWiki's Bazar API as a test's HTTP server: YesWiki needs MySQL and has no Debian package,
/// so its answers are served from fixtures shaped exactly like a real one's
/// (`tests/fixtures/wikis/yeswiki/`), with the `fields=` filter YesWiki applies.
pub struct YesWikiAnswers {
    pub base: String,
    entries: std::sync::Arc<std::sync::Mutex<serde_json::Value>>,
}

impl YesWikiAnswers {
    /// Serves form `form` and its entries on a free loopback port, until the test ends; without
    /// `html_output`, as a site older than that output: `/entries/html` is not found, and
    /// `/entries` gives the entries without their HTML.
    pub fn start(
        form: &str,
        form_json: serde_json::Value,
        entries: serde_json::Value,
        html_output: bool,
    ) -> YesWikiAnswers {
        use std::io::{BufRead, Write};
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let base = format!("http://127.0.0.1:{}/", listener.local_addr().expect("address").port());
        let entries = std::sync::Arc::new(std::sync::Mutex::new(entries));
        let served = entries.clone();
        let form = form.to_owned();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut reader = std::io::BufReader::new(&stream);
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).is_err() {
                    continue;
                }
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|read| read > 2) {
                    header.clear();
                }
                let target = request_line.split_whitespace().nth(1).unwrap_or_default().to_owned();
                let entries = served.lock().expect("entries").clone();
                let answer = match target.strip_prefix(&format!("/?api/forms/{form}")) {
                    Some("") => Some(form_json.clone()),
                    Some("/entries/html") if html_output => Some(entries),
                    Some("/entries") if !html_output => Some(without_html(entries)),
                    Some(rest) => rest.strip_prefix("/entries&fields=").map(|fields| {
                        let fields: Vec<&str> = fields.split(',').collect();
                        let light = entries.as_object().into_iter().flatten().map(|(id, entry)| {
                            let kept = fields
                                .iter()
                                .filter_map(|field| Some((field.to_string(), entry.get(*field)?.clone())));
                            (id.clone(), serde_json::Value::Object(kept.collect()))
                        });
                        serde_json::Value::Object(light.collect())
                    }),
                    None => None,
                };
                let (status, body) = match answer {
                    Some(json) => ("200 OK", json.to_string()),
                    None => ("404 Not Found", "{}".to_owned()),
                };
                let mut stream = &stream;
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        YesWikiAnswers { base, entries }
    }

    /// The sources-file entry that follows the entries of form 4 (YesWiki declares no licence:
    /// the entry does).
    pub fn source(&self) -> String {
        format!(
            "[[source]]\nid = \"ressources-yeswiki\"\nkind = \"yeswiki\"\nurl = \"{}\"\nform = \"4\"\n\
             licence = \"CC BY-SA 4.0\"\nnetwork = {{ id = \"animacoop\", name = \"Animacoop\" }}\n",
            self.base
        )
    }

    /// Changes the entries served, as an edit on the wiki would.
    pub fn edit(&self, change: impl FnOnce(&mut serde_json::Value)) {
        change(&mut self.entries.lock().expect("entries"));
    }
}

fn without_html(mut entries: serde_json::Value) -> serde_json::Value {
    for entry in entries.as_object_mut().into_iter().flat_map(|entries| entries.values_mut()) {
        entry.as_object_mut().map(|entry| entry.remove("html_output"));
    }
    entries
}

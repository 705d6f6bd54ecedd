//! Git repositories followed without a working copy: each source has a bare mirror beside the
//! database, fetched with the machine's `git` (https and `file://` alike), and is read from the
//! tree of the fetched commit. `git` runs with no prompt, no system or global configuration, and a
//! time limit, so that a hanging remote cannot stall a sync.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::tree::{self, MAX_FILE_BYTES, Tree};
use crate::calendar::{Day, parse_day};

/// Longest a fetch may take before it is given up.
const FETCH_TIMEOUT: Duration = Duration::from_secs(300);
/// Longest any other git command may take.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);
/// The ref a mirror keeps the followed branch under.
const FOLLOWED: &str = "refs/bao/followed";

/// Why a git source could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("git introuvable sur cette machine ({0})")]
    NoGit(std::io::Error),
    #[error("git {command} : {message}")]
    Failed { command: String, message: String },
    #[error("git {0} : délai dépassé")]
    TimedOut(String),
}

/// A bare mirror of one remote branch.
#[derive(Debug, Clone)]
pub struct GitMirror {
    dir: PathBuf,
}

impl GitMirror {
    /// The mirror in `dir`, created empty if it is not there yet.
    pub fn open(dir: &Path) -> Result<GitMirror, GitError> {
        let mirror = GitMirror { dir: dir.to_owned() };
        if !dir.join("HEAD").is_file() {
            std::fs::create_dir_all(dir)
                .map_err(|error| GitError::Failed { command: "init".into(), message: error.to_string() })?;
            mirror.git(&["init", "--quiet", "--bare"], COMMAND_TIMEOUT)?;
        }
        Ok(mirror)
    }

    /// Fetches `branch` of `url` (the remote's default branch when `None`) and returns its commit.
    pub fn fetch(&self, url: &str, branch: Option<&str>) -> Result<String, GitError> {
        let refspec =
            format!("+{}:{FOLLOWED}", branch.map_or("HEAD".to_owned(), |b| format!("refs/heads/{b}")));
        // `--` ends the options: a URL starting with `-` is not taken for one.
        self.git(&["fetch", "--quiet", "--no-tags", "--prune", "--", url, &refspec], FETCH_TIMEOUT)?;
        self.commit()
    }

    /// The name of the branch `url` has as its default (its `HEAD`).
    pub fn default_branch(&self, url: &str) -> Result<String, GitError> {
        let out = self.git(&["ls-remote", "--symref", "--", url, "HEAD"], FETCH_TIMEOUT)?;
        // `ref: refs/heads/main\tHEAD`
        String::from_utf8_lossy(&out)
            .lines()
            .find_map(|line| {
                line.strip_prefix("ref: refs/heads/")?.split_once('\t').map(|(name, _)| name.to_owned())
            })
            .ok_or_else(|| GitError::Failed {
                command: "ls-remote".into(),
                message: "pas de branche par défaut".into(),
            })
    }

    /// The commit last fetched.
    pub fn commit(&self) -> Result<String, GitError> {
        let out = self.git(&["rev-parse", "--verify", &format!("{FOLLOWED}^{{commit}}")], COMMAND_TIMEOUT)?;
        Ok(String::from_utf8_lossy(&out).trim().to_owned())
    }

    /// The files of `commit`.
    pub fn tree(&self, commit: &str) -> Result<GitTree, GitError> {
        let listing = self.git(&["ls-tree", "-r", "-z", "--long", commit], COMMAND_TIMEOUT)?;
        let mut blobs = HashMap::new();
        let mut paths = Vec::new();
        // `<mode> blob <oid> <size>\t<path>\0`; links (mode 120000) and submodules are left out.
        for entry in listing.split(|byte| *byte == 0).filter(|entry| !entry.is_empty()) {
            let entry = String::from_utf8_lossy(entry);
            let Some((meta, path)) = entry.split_once('\t') else { continue };
            let fields: Vec<&str> = meta.split_whitespace().collect();
            let [mode, "blob", oid, size] = fields[..] else { continue };
            let hidden = path.split('/').any(|part| part.starts_with('.'));
            if mode == "120000" || hidden {
                continue;
            }
            paths.push(path.to_owned());
            blobs.insert(path.to_owned(), (oid.to_owned(), size.parse::<u64>().unwrap_or(u64::MAX)));
        }
        tree::sort_paths(&mut paths);
        Ok(GitTree {
            mirror: self.clone(),
            paths,
            blobs,
            reader: Mutex::new(None),
            commit: commit.to_owned(),
            changed_on: std::sync::OnceLock::new(),
        })
    }

    /// The day each path last changed, up to `commit`: one walk of its history, newest first, so
    /// that a path's first appearance is its last change (the most recent commits first, up to
    /// [`MAX_DATED_COMMITS`]; a path older than those has no date rather than a wrong one).
    fn change_days(&self, commit: &str) -> HashMap<String, Day> {
        let max_count = format!("--max-count={MAX_DATED_COMMITS}");
        let args = [
            "-c",
            "core.quotePath=false",
            "log",
            "--no-renames",
            "--format=%x01%cs",
            "--name-only",
            &max_count,
            commit,
        ];
        let Ok(out) = self.git(&args, COMMAND_TIMEOUT) else { return HashMap::new() };
        let mut days = HashMap::new();
        for entry in String::from_utf8_lossy(&out).split('\u{1}').filter(|entry| !entry.is_empty()) {
            let mut lines = entry.lines();
            let Some(day) = lines.next().and_then(|day| parse_day(day.trim())) else { continue };
            for path in lines.filter(|line| !line.is_empty()) {
                days.entry(path.to_owned()).or_insert(day);
            }
        }
        days
    }

    /// `git` with no prompt and no configuration but the mirror's.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new("git");
        command
            .arg("--git-dir")
            .arg(&self.dir)
            .args(args)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_ASKPASS", "true")
            .env("LC_ALL", "C");
        command
    }

    fn git(&self, args: &[&str], timeout: Duration) -> Result<Vec<u8>, GitError> {
        let mut child = self
            .command(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(GitError::NoGit)?;
        let mut stdout = child.stdout.take().expect("piped");
        let mut stderr = child.stderr.take().expect("piped");
        let out_reader = std::thread::spawn(move || {
            let mut bytes = Vec::new();
            stdout.read_to_end(&mut bytes).map(|_| bytes)
        });
        let err_reader = std::thread::spawn(move || {
            let mut bytes = Vec::new();
            stderr.read_to_end(&mut bytes).map(|_| bytes)
        });
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().map_err(GitError::NoGit)? {
                break status;
            }
            if started.elapsed() > timeout {
                child.kill().ok();
                child.wait().ok();
                return Err(GitError::TimedOut(args[0].to_owned()));
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let out = out_reader.join().ok().and_then(Result::ok).unwrap_or_default();
        let err = err_reader.join().ok().and_then(Result::ok).unwrap_or_default();
        if !status.success() {
            // Every line: the last alone ("and the repository exists.") says nothing.
            let said = String::from_utf8_lossy(&err);
            let lines: Vec<&str> = said.lines().map(str::trim).filter(|line| !line.is_empty()).collect();
            let mut message = if lines.is_empty() { "échec".to_owned() } else { lines.join(" ") };
            if let Some((end, _)) = message.char_indices().nth(MAX_ERROR_CHARS) {
                message.truncate(end);
                message.push('…');
            }
            return Err(GitError::Failed { command: args[0].to_owned(), message });
        }
        Ok(out)
    }
}

/// Commits walked to date the files of a tree.
const MAX_DATED_COMMITS: usize = 20_000;

/// Characters of git's error kept in a sync's error.
const MAX_ERROR_CHARS: usize = 1_000;

/// The files of one commit of a mirror.
#[derive(Debug)]
pub struct GitTree {
    mirror: GitMirror,
    paths: Vec<String>,
    /// Blob id and size of each path.
    blobs: HashMap<String, (String, u64)>,
    /// One `git cat-file --batch` for all the reads of this tree (a process per file would cost
    /// seconds on a repository of thousands), started at the first read.
    reader: Mutex<Option<BlobReader>>,
    /// The commit the tree is of, and the day each path last changed up to it, read at the first
    /// question (one `git log` for the whole tree).
    commit: String,
    changed_on: std::sync::OnceLock<HashMap<String, Day>>,
}

/// A running `git cat-file --batch`: blob ids in, contents out.
#[derive(Debug)]
struct BlobReader {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl BlobReader {
    fn start(mirror: &GitMirror) -> Option<BlobReader> {
        let mut child = mirror
            .command(&["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let stdin = child.stdin.take()?;
        let stdout = BufReader::new(child.stdout.take()?);
        Some(BlobReader { child, stdin, stdout })
    }

    /// `<oid> blob <size>\n<bytes>\n` for a blob; `<oid> missing\n` otherwise.
    fn read(&mut self, oid: &str) -> std::io::Result<Option<Vec<u8>>> {
        writeln!(self.stdin, "{oid}")?;
        self.stdin.flush()?;
        let mut header = String::new();
        self.stdout.read_line(&mut header)?;
        let mut fields = header.split_whitespace();
        let (Some(_), Some("blob"), Some(size)) = (fields.next(), fields.next(), fields.next()) else {
            return Ok(None);
        };
        let size: usize = size.parse().map_err(|_| std::io::Error::other("bad cat-file header"))?;
        let mut bytes = vec![0; size + 1];
        self.stdout.read_exact(&mut bytes)?;
        bytes.pop();
        Ok(Some(bytes))
    }
}

impl Drop for BlobReader {
    fn drop(&mut self) {
        _ = self.child.kill();
        _ = self.child.wait();
    }
}

impl Tree for GitTree {
    fn paths(&self) -> &[String] {
        &self.paths
    }

    fn changed_on(&self, path: &str) -> Option<Day> {
        self.changed_on.get_or_init(|| self.mirror.change_days(&self.commit)).get(path).copied()
    }

    fn read(&self, path: &str) -> Option<Vec<u8>> {
        let (oid, size) = self.blobs.get(&tree::join("", path)?)?;
        if *size > MAX_FILE_BYTES {
            return None;
        }
        let mut reader = self.reader.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if reader.is_none() {
            *reader = BlobReader::start(&self.mirror);
        }
        match reader.as_mut()?.read(oid) {
            Ok(bytes) => bytes,
            Err(error) => {
                // A reader that failed half-way is out of step: the next read starts another.
                tracing::warn!(%error, "git cat-file --batch failed");
                *reader = None;
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real repository with two commits, made with the machine's git.
    fn repository(dir: &Path) -> PathBuf {
        let work = dir.join("travail");
        std::fs::create_dir_all(work.join("fiches")).unwrap();
        let git_on = |day: &str, args: &[&str]| {
            let status = Command::new("git")
                .arg("-C")
                .arg(&work)
                .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
                .args(args)
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_COMMITTER_DATE", format!("{day}T10:00:00+00:00"))
                .status()
                .unwrap();
            assert!(status.success(), "git {args:?}");
        };
        let git = |args: &[&str]| git_on("2024-03-01", args);
        git(&["init", "--quiet", "--initial-branch=principale"]);
        std::fs::write(work.join("fiches/a.md"), "# A\n").unwrap();
        std::fs::write(work.join(".cache"), "x").unwrap();
        git(&["add", "."]);
        git(&["commit", "--quiet", "-m", "un"]);
        std::fs::write(work.join("fiches/b.md"), "# B\n").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("/etc/passwd", work.join("fiches/lien.md")).unwrap();
        git(&["add", "."]);
        git_on("2025-06-15", &["commit", "--quiet", "-m", "deux"]);
        work
    }

    #[test]
    fn a_remote_is_mirrored_and_read_from_its_tree() {
        let dir = tempfile::tempdir().unwrap();
        let work = repository(dir.path());
        let url = format!("file://{}", work.display());
        let mirror = GitMirror::open(&dir.path().join("miroir")).unwrap();
        let commit = mirror.fetch(&url, None).unwrap();
        assert_eq!(commit.len(), 40);
        let tree = mirror.tree(&commit).unwrap();
        assert_eq!(tree.paths(), ["fiches/a.md", "fiches/b.md"], "no hidden file, no link");
        assert_eq!(tree.read("fiches/b.md").as_deref(), Some(b"# B\n".as_slice()));
        assert_eq!(tree.read("fiches/../fiches/a.md").as_deref(), Some(b"# A\n".as_slice()));
        assert_eq!(tree.read("../x"), None);
        // The day each file last changed: its last commit's.
        assert_eq!(tree.changed_on("fiches/a.md").map(|day| day.to_string()).as_deref(), Some("2024-03-01"));
        assert_eq!(tree.changed_on("fiches/b.md").map(|day| day.to_string()).as_deref(), Some("2025-06-15"));
        assert_eq!(tree.changed_on("fiches/absent.md"), None);
        assert_eq!(mirror.fetch(&url, Some("principale")).unwrap(), commit, "the same commit again");
        assert_eq!(mirror.default_branch(&url).unwrap(), "principale");

        let error = mirror.fetch(&url, Some("absente")).unwrap_err();
        assert!(error.to_string().starts_with("git fetch"), "{error}");
        let error = mirror.fetch("file:///nulle/part", None).unwrap_err();
        assert!(error.to_string().starts_with("git fetch"), "{error}");
        assert_eq!(mirror.commit().unwrap(), commit, "a failed fetch keeps what was there");
        assert!(!dir.path().join("miroir").join("index").exists(), "no working copy");
    }
}

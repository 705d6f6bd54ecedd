//! The files of a repository, wherever they are — a folder on this machine, or one commit of a git
//! mirror — read through one trait, so that a reader never touches the file system itself and can
//! never be led outside the repository.

use std::path::{Path, PathBuf};

use super::SourceError;

/// Largest file a reader is given; a larger one reads as absent (no fiche is that long).
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Most files a folder source may hold (the largest repository of the commons has under 300):
/// past it, the folder is refused rather than walked on.
pub const MAX_FOLDER_FILES: usize = 20_000;

/// The files of one repository.
pub trait Tree {
    /// Every file's path, relative, `/`-separated, in folder order (compared part by part, as
    /// paths are); hidden files and folders (`.git`…) left out.
    fn paths(&self) -> &[String];
    /// A file's bytes; `None` when it is not there or larger than [`MAX_FILE_BYTES`].
    fn read(&self, path: &str) -> Option<Vec<u8>>;
    /// The day the file last changed at its source, when the source keeps it: the last commit
    /// that touched it in a git repository; a folder's dates are those of a copy.
    fn changed_on(&self, _path: &str) -> Option<crate::calendar::Day> {
        None
    }
}

/// `folder/name` made one relative path, `..` and `.` resolved; `None` when it would leave the
/// repository (`../../etc/passwd`) or names an absolute path.
pub fn join(folder: &str, name: &str) -> Option<String> {
    if name.starts_with('/') || name.contains('\\') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in folder.split('/').chain(name.split('/')) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// Sorts paths part by part (`a/b` before `a-b/c`), the order every tree gives.
pub fn sort_paths(paths: &mut [String]) {
    paths.sort_by(|a, b| a.split('/').cmp(b.split('/')));
}

/// A repository as a folder on this machine. Links to folders are not followed (two links to
/// `.` would make the walk endless), links to files only inside it.
#[derive(Debug)]
pub struct FolderTree {
    root: PathBuf,
    paths: Vec<String>,
}

impl FolderTree {
    pub fn open(root: &Path) -> Result<FolderTree, SourceError> {
        if !root.is_dir() {
            return Err(SourceError::NotADirectory(root.to_owned()));
        }
        let root = root
            .canonicalize()
            .map_err(|source| SourceError::Unreadable { path: root.to_owned(), source })?;
        let mut paths = Vec::new();
        collect(&root, &root, &mut paths)?;
        sort_paths(&mut paths);
        Ok(FolderTree { root, paths })
    }
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<(), SourceError> {
    let unreadable = |source| SourceError::Unreadable { path: dir.to_owned(), source };
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        // The entry's own type: a link is a link, whatever it points at.
        let kind = entry.file_type().map_err(unreadable)?;
        let path = entry.path();
        if kind.is_dir() {
            collect(root, &path, out)?;
        } else if kind.is_symlink() && path.is_dir() {
            continue;
        } else if let Ok(relative) = path.strip_prefix(root) {
            if out.len() == MAX_FOLDER_FILES {
                return Err(SourceError::TooManyFiles { path: root.to_owned(), limit: MAX_FOLDER_FILES });
            }
            out.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

impl Tree for FolderTree {
    fn paths(&self) -> &[String] {
        &self.paths
    }

    fn read(&self, path: &str) -> Option<Vec<u8>> {
        let real = self.root.join(join("", path)?).canonicalize().ok()?;
        if !real.starts_with(&self.root) || std::fs::metadata(&real).ok()?.len() > MAX_FILE_BYTES {
            return None;
        }
        std::fs::read(real).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_repository() {
        assert_eq!(join("entretiens", "jardin.vtt").as_deref(), Some("entretiens/jardin.vtt"));
        assert_eq!(join("a/b", "../c.txt").as_deref(), Some("a/c.txt"));
        assert_eq!(join("", "./README.md").as_deref(), Some("README.md"));
        for outside in ["../../../etc/passwd", "/etc/passwd", "..\\x"] {
            assert_eq!(join("a", outside), None, "{outside}");
        }
    }

    #[test]
    fn a_folder_lists_its_files_and_reads_none_outside() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("depot");
        std::fs::create_dir_all(root.join("fiches/.cache")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(root.join("fiches/a.md"), "a").unwrap();
        std::fs::write(root.join("fiches/.cache/x"), "x").unwrap();
        std::fs::write(root.join(".git/config"), "x").unwrap();
        std::fs::write(root.join("README.md"), "r").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "s").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("fiches/lien.txt")).unwrap();
        let tree = FolderTree::open(&root).unwrap();
        assert!(tree.paths().starts_with(&["README.md".to_owned(), "fiches/a.md".to_owned()]));
        assert!(!tree.paths().iter().any(|path| path.contains(".git") || path.contains(".cache")));
        assert_eq!(tree.read("fiches/a.md").as_deref(), Some(b"a".as_slice()));
        assert_eq!(tree.read("../secret.txt"), None);
        assert_eq!(tree.read("fiches/lien.txt"), None, "a link out of the repository");
        assert_eq!(tree.read("absent.md"), None);
    }

    /// Two links to `.` made the walk endless (274 MB after 20 s, every later source waiting).
    #[cfg(unix)]
    #[test]
    fn links_to_folders_are_not_walked_and_a_folder_of_too_many_files_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("depot");
        std::fs::create_dir_all(root.join("fiches")).unwrap();
        std::fs::write(root.join("fiches/a.md"), "a").unwrap();
        std::os::unix::fs::symlink(".", root.join("boucle")).unwrap();
        std::os::unix::fs::symlink("..", root.join("fiches/retour")).unwrap();
        let started = std::time::Instant::now();
        let tree = FolderTree::open(&root).unwrap();
        assert_eq!(tree.paths(), ["fiches/a.md"]);
        assert!(started.elapsed() < std::time::Duration::from_secs(1));

        let crowded = dir.path().join("encombre");
        std::fs::create_dir_all(&crowded).unwrap();
        for n in 0..=MAX_FOLDER_FILES {
            std::fs::write(crowded.join(format!("{n}.md")), "").unwrap();
        }
        let refused = FolderTree::open(&crowded).unwrap_err().to_string();
        assert!(refused.contains("plus de 20000 fichiers"), "{refused}");
    }
}

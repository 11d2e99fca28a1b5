//! Which files a run processes: named files always, directories walked for
//! `*.py` respecting .gitignore and `--exclude`. Paths that cannot be walked
//! become per-path errors; the run goes on.
use crate::cli::Shard;
use globset::GlobSet;
use std::path::{Path, PathBuf};

/// Directories never walked into (as ruff): virtualenvs, installed packages, builds.
const SKIPPED_DIRS: &[&str] = &[
    "venv",
    "site-packages",
    "node_modules",
    "__pypackages__",
    "_build",
    "buck-out",
    "dist",
];

#[derive(Default)]
pub struct Discovered {
    pub files: Vec<PathBuf>,
    /// (path, reason) for paths that could not be walked.
    pub errors: Vec<(PathBuf, String)>,
    /// (path, reason) for files found while walking and left out: symlinks
    /// to files outside the checked paths.
    pub skipped: Vec<(PathBuf, String)>,
}

/// Walks `paths`. Directory symlinks are never followed (as ruff and the
/// `ignore` crate by default), so a walk stays inside the tree it was given;
/// a symlinked `.py` file is taken when its target lies inside one of the
/// named paths, and skipped with a reason otherwise (naming the link itself
/// takes it). Nothing inside a `.git` directory is ever taken: git does not
/// track it, so the dirty-tree guard could not protect it. `exclude`
/// (`--exclude`) matches a walked path relative to the path it was found
/// under, or whole; `excluded` answers for the path's configuration
/// (`exclude`, `extend-exclude`, relative to the configuration's directory).
pub fn discover(paths: &[PathBuf], exclude: &GlobSet, excluded: &dyn Fn(&Path) -> bool) -> Discovered {
    let mut found = Discovered::default();
    let roots: Vec<PathBuf> = paths.iter().filter_map(|p| p.canonicalize().ok()).collect();
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Err(e) => {
                found.errors.push((root.clone(), e.to_string()));
                continue;
            }
            Ok(meta) => meta,
        };
        if root.canonicalize().is_ok_and(|c| in_git_dir(&c)) {
            found.errors.push((root.clone(), IN_GIT_DIR.to_string()));
        } else if meta.is_file() {
            found.files.push(root.clone());
        } else if !meta.is_dir() {
            found.errors.push((root.clone(), NOT_REGULAR.to_string()));
        } else {
            walk(root, &roots, exclude, excluded, &mut found);
        }
    }
    found.files.sort();
    found.files.dedup();
    found
}

const IN_GIT_DIR: &str = "is inside a .git directory; perfmod never touches git's own files";
const NOT_REGULAR: &str = "is not a regular file (a FIFO, device or socket); skipped";

/// Whether a canonical path lies inside a `.git` directory.
fn in_git_dir(path: &Path) -> bool {
    path.components().any(|c| c.as_os_str() == ".git")
}

fn walk(root: &Path, roots: &[PathBuf], exclude: &GlobSet, excluded: &dyn Fn(&Path) -> bool, found: &mut Discovered) {
    // (link, target): taken at the end unless the walk also met the target,
    // so one file is never processed (and written) twice.
    let mut links: Vec<(PathBuf, PathBuf)> = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .follow_links(false)
        .require_git(false)
        .filter_entry(|entry| {
            entry.depth() == 0
                || !(entry.file_type().is_some_and(|t| t.is_dir())
                    && (entry.file_name() == ".git" || SKIPPED_DIRS.iter().any(|d| entry.file_name() == *d)))
        })
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = walk_error_path(&e).unwrap_or_else(|| root.to_path_buf());
                found.errors.push((path, one_line(&e)));
                continue;
            }
        };
        let path = entry.path();
        let relative = path.strip_prefix(root).unwrap_or(path);
        if path.extension().is_none_or(|e| e != "py")
            || exclude.is_match(relative)
            || exclude.is_match(path)
            || excluded(path)
        {
            continue;
        }
        match entry.file_type() {
            Some(t) if t.is_file() => found.files.push(path.to_path_buf()),
            Some(t) if t.is_symlink() => {
                let target = match path.canonicalize() {
                    Ok(target) => target,
                    Err(e) => {
                        found.errors.push((path.to_path_buf(), e.to_string()));
                        continue;
                    }
                };
                if !target.is_file() {
                    continue;
                }
                if roots.iter().any(|r| target.starts_with(r)) && !in_git_dir(&target) {
                    links.push((path.to_path_buf(), target));
                } else {
                    found.skipped.push((
                        path.to_path_buf(),
                        format!(
                            "symlink to {}, outside the checked paths; skipped (name the link to check it)",
                            target.display()
                        ),
                    ));
                }
            }
            _ => {}
        }
    }
    if links.is_empty() {
        return; // resolving every file costs a readlink per path component
    }
    let mut seen: std::collections::HashSet<PathBuf> =
        found.files.iter().filter_map(|f| f.canonicalize().ok()).collect();
    for (link, target) in links {
        if seen.insert(target) {
            found.files.push(link);
        }
    }
}

fn walk_error_path(error: &ignore::Error) -> Option<PathBuf> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } => walk_error_path(err),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

fn one_line(error: &ignore::Error) -> String {
    match error {
        ignore::Error::WithPath { err, .. } => one_line(err),
        ignore::Error::WithDepth { err, .. } => one_line(err),
        ignore::Error::Loop { ancestor, .. } => {
            format!("symlink loop back to {}", ancestor.display())
        }
        other => other.to_string(),
    }
}

/// The name a file is sharded by: its path relative to the root of its git
/// work tree (the nearest directory holding `.git`), else relative to the
/// current directory; symlinks and `..` resolved. Any spelling of the path
/// (relative, absolute, from another checkout folder) gives the same name.
#[derive(Default)]
pub struct ShardKeys {
    roots: std::collections::HashMap<PathBuf, Option<PathBuf>>,
}

impl ShardKeys {
    pub fn of(&mut self, path: &Path) -> PathBuf {
        let Ok(canonical) = std::fs::canonicalize(path) else {
            return path.to_path_buf(); // the run reports it
        };
        let dir = canonical.parent().unwrap_or(&canonical).to_path_buf();
        let root = self
            .roots
            .entry(dir.clone())
            .or_insert_with(|| {
                dir.ancestors()
                    .find(|d| d.join(".git").exists())
                    .map(Path::to_path_buf)
                    .or_else(|| std::env::current_dir().ok().and_then(|d| std::fs::canonicalize(d).ok()))
            })
            .clone();
        match root.and_then(|r| canonical.strip_prefix(r).ok().map(Path::to_path_buf)) {
            Some(relative) => relative,
            None => canonical,
        }
    }
}

/// Whether a file named `key` (see [`ShardKeys`]) belongs to `shard`: FNV-1a of
/// the name (`/` separated, no leading `./`) modulo the shard count. It depends
/// on nothing but the name, so every CI job agrees on the split whatever the
/// machine, and a file keeps its shard when others are added.
pub fn in_shard(path: &Path, shard: Shard) -> bool {
    let text = path.to_string_lossy().replace('\\', "/");
    let text = text.strip_prefix("./").unwrap_or(&text);
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash % shard.count == shard.index - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_files() {
        let files: Vec<PathBuf> = (0..100).map(|i| PathBuf::from(format!("pkg/m{i}.py"))).collect();
        let shards: Vec<Shard> = (1..=3).map(|index| Shard { index, count: 3 }).collect();
        for file in &files {
            assert_eq!(shards.iter().filter(|s| in_shard(file, **s)).count(), 1);
        }
        assert!(in_shard(Path::new("./a.py"), shards[0]) == in_shard(Path::new("a.py"), shards[0]));
        // Pinned so a change of hash (which would reshuffle users' CI matrices) is noticed.
        assert!(in_shard(Path::new("pkg/m0.py"), Shard { index: 3, count: 7 }));
        assert!(in_shard(Path::new("src/app.py"), Shard { index: 1, count: 7 }));
    }
}

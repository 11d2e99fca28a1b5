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
}

/// `exclude` (`--exclude`) matches a walked path relative to the path it was
/// found under, or whole; `excluded` answers for the path's configuration
/// (`exclude`, `extend-exclude`, relative to the configuration's directory).
pub fn discover(paths: &[PathBuf], exclude: &GlobSet, excluded: &dyn Fn(&Path) -> bool) -> Discovered {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        match std::fs::metadata(root) {
            Err(e) => errors.push((root.clone(), e.to_string())),
            Ok(meta) if meta.is_file() => files.push(root.clone()),
            Ok(_) => {
                let walker = ignore::WalkBuilder::new(root)
                    .follow_links(true)
                    .require_git(false)
                    .filter_entry(|entry| {
                        entry.depth() == 0
                            || !(entry.file_type().is_some_and(|t| t.is_dir())
                                && SKIPPED_DIRS.iter().any(|d| entry.file_name() == *d))
                    })
                    .build();
                for entry in walker {
                    match entry {
                        Ok(entry) => {
                            let path = entry.path();
                            let is_python = path.extension().is_some_and(|e| e == "py");
                            let relative = path.strip_prefix(root).unwrap_or(path);
                            if is_python
                                && entry.file_type().is_some_and(|t| t.is_file())
                                && !exclude.is_match(relative)
                                && !exclude.is_match(path)
                                && !excluded(path)
                            {
                                files.push(path.to_path_buf());
                            }
                        }
                        Err(e) => errors.push((walk_error_path(&e).unwrap_or_else(|| root.clone()), one_line(&e))),
                    }
                }
            }
        }
    }
    files.sort();
    files.dedup();
    Discovered { files, errors }
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

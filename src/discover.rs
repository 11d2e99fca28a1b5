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

pub fn discover(paths: &[PathBuf], exclude: &GlobSet) -> Discovered {
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

/// Whether `path` belongs to `shard`: FNV-1a of the path as discovered (`/`
/// separated, no leading `./`) modulo the shard count. It depends on nothing but
/// the path, so every CI job agrees on the split whatever the machine, and a
/// file keeps its shard when others are added.
pub fn in_shard(path: &Path, shard: Shard) -> bool {
    let text = path.to_string_lossy();
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

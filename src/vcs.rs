//! `fix --apply` only rewrites files the user can get back: inside a git work
//! tree, a file whose work-tree content git does not hold (modified and not
//! staged, untracked or ignored) is refused unless `--allow-dirty`, the
//! convention of `cargo fix`. A file whose work-tree content equals the index
//! (committed, or staged on purpose, as pre-commit leaves the files it hands a
//! hook) is written: `git checkout -- FILE` brings it back. Files outside any
//! git work tree are written as before.
use crate::run::FileResult;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Paths per `git status` call, well under any command-line length limit.
const CHUNK: usize = 500;

/// Turns the results of rewritten files with unstaged changes into errors
/// (so nothing downstream writes them) and returns `(path, reason)` for each.
pub fn refuse_uncommitted(results: &mut [FileResult]) -> Vec<(PathBuf, String)> {
    let changed: Vec<&Path> = results
        .iter()
        .filter(|r| r.outcome.as_ref().is_ok_and(|o| o.fixed.is_some()))
        .map(|r| r.path.as_path())
        .collect();
    let mut refused = uncommitted(&changed);
    let mut reported = Vec::new();
    for result in results.iter_mut() {
        if let Some(reason) = refused.remove(&result.path) {
            result.outcome = Err(reason.clone());
            reported.push((result.path.clone(), reason));
        }
    }
    reported
}

/// The files of `paths` that must not be written, each with the reason.
pub fn uncommitted(paths: &[&Path]) -> HashMap<PathBuf, String> {
    let mut by_repo: BTreeMap<PathBuf, Vec<(PathBuf, &Path)>> = BTreeMap::new();
    let mut roots: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
    for &path in paths {
        let Ok(canonical) = std::fs::canonicalize(path) else {
            continue; // the write reports it
        };
        let Some(dir) = canonical.parent() else { continue };
        let root = roots.entry(dir.to_path_buf()).or_insert_with(|| work_tree_root(dir));
        if let Some(root) = root {
            let relative = canonical.strip_prefix(&*root).unwrap_or(&canonical).to_path_buf();
            by_repo.entry(root.clone()).or_default().push((relative, path));
        }
    }
    let mut refused = HashMap::new();
    for (root, files) in by_repo {
        for chunk in files.chunks(CHUNK) {
            match dirty_in(&root, chunk.iter().map(|(relative, _)| relative.as_path())) {
                Ok(dirty) => {
                    for (relative, path) in chunk {
                        if dirty.contains(relative) {
                            refused.insert(
                                path.to_path_buf(),
                                "has uncommitted changes that are not staged (or is untracked); stage, commit or stash them first, or pass --allow-dirty"
                                    .to_string(),
                            );
                        }
                    }
                }
                Err(reason) => {
                    for (_, path) in chunk {
                        refused.insert(
                            path.to_path_buf(),
                            format!(
                                "cannot ask git for uncommitted changes ({reason}); pass --allow-dirty to write anyway"
                            ),
                        );
                    }
                }
            }
        }
    }
    refused
}

/// The nearest directory at or above `dir` holding `.git` (a directory, or a
/// file for worktrees and submodules).
fn work_tree_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().find(|d| d.join(".git").exists()).map(Path::to_path_buf)
}

/// The paths (relative to `root`) whose work-tree content git does not hold:
/// those `git status` lists with a work-tree column (the second) other than a
/// space: modified or deleted but not staged, untracked (`??`), ignored (`!!`),
/// unmerged. Staged changes alone (`M `, `A `, `R `) are recoverable from the index.
fn dirty_in<'a>(root: &Path, relative: impl Iterator<Item = &'a Path>) -> Result<HashSet<PathBuf>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=all",
            "--ignored=matching",
            "--",
        ])
        .args(relative)
        .output()
        .map_err(|e| format!("running git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(stderr.lines().next().unwrap_or("git status failed").to_string());
    }
    let mut dirty = HashSet::new();
    let mut records = output.stdout.split(|&b| b == 0).filter(|r| !r.is_empty());
    while let Some(record) = records.next() {
        if record.len() < 4 {
            continue;
        }
        // A rename or copy is followed by its source path, which is not written.
        if matches!(record[0], b'R' | b'C') {
            records.next();
        }
        if record[1] != b' ' {
            dirty.insert(PathBuf::from(String::from_utf8_lossy(&record[3..]).into_owned()));
        }
    }
    Ok(dirty)
}

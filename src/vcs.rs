//! `fix --apply` only rewrites files the user can get back: inside a git work
//! tree, a file whose work-tree content git does not hold (modified and not
//! staged, untracked or ignored) is refused unless `--allow-dirty`, the
//! convention of `cargo fix`. A file whose work-tree content equals the index
//! (committed, or staged on purpose, as pre-commit leaves the files it hands a
//! hook) is written: `git checkout -- FILE` brings it back. Files outside any
//! git work tree are written as before.
//!
//! Files marked assume-unchanged or skip-worktree count as not clean (git
//! would not report their changes). Paths go to git as raw bytes with
//! `--literal-pathspecs` (a file named `:!x.py` is a file, not an exclusion)
//! and come back NUL-separated as raw bytes. The repository asked is the one
//! holding the file on disk: a `GIT_DIR` in the environment that names
//! another repository is ignored, as are the variables that go with it.
use crate::run::FileResult;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Paths per `git status` call, well under any command-line length limit.
const CHUNK: usize = 500;

/// Turns the results of rewritten files with uncommitted changes into errors
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
            let relative = || chunk.iter().map(|(relative, _)| relative.as_path());
            match dirty_in(&root, relative()).and_then(|d| Ok((d, hidden_from_status(&root, relative())?))) {
                Ok((dirty, hidden)) => {
                    for (relative, path) in chunk {
                        if in_git_dir(relative) {
                            refused.insert(
                                path.to_path_buf(),
                                "is inside the .git directory; left alone".to_string(),
                            );
                        } else if dirty.contains(relative) {
                            refused.insert(
                                path.to_path_buf(),
                                "has uncommitted changes that are not staged (or is untracked); stage, commit or stash them first, or pass --allow-dirty"
                                    .to_string(),
                            );
                        } else if let Some(flag) = hidden.get(relative) {
                            refused.insert(
                                path.to_path_buf(),
                                format!(
                                    "is marked {flag} in git, which then cannot tell whether it has changes; \
                                     clear the flag first, or pass --allow-dirty"
                                ),
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

fn in_git_dir(relative: &Path) -> bool {
    relative.components().any(|c| c.as_os_str() == ".git")
}

/// `git -C root ...` asking the repository at `root` with literal pathspecs.
/// A `GIT_DIR` naming another repository (and the variables that come with
/// it) would make git answer for that one; it is dropped. A hook's own
/// environment, which names this repository (and its index), is kept.
fn git_at(root: &Path) -> Command {
    let mut command = Command::new("git");
    command.arg("--literal-pathspecs").arg("-C").arg(root);
    if std::env::var_os("GIT_DIR").is_some() && !env_names_repository_at(root) {
        for var in [
            "GIT_DIR",
            "GIT_WORK_TREE",
            "GIT_INDEX_FILE",
            "GIT_COMMON_DIR",
            "GIT_OBJECT_DIRECTORY",
            "GIT_NAMESPACE",
        ] {
            command.env_remove(var);
        }
    }
    command
}

/// Whether `$GIT_DIR` is the git directory of the repository at `root`.
fn env_names_repository_at(root: &Path) -> bool {
    let Some(env_dir) = std::env::var_os("GIT_DIR").and_then(|d| std::fs::canonicalize(d).ok()) else {
        return false;
    };
    let own = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--absolute-git-dir"])
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output();
    own.ok().filter(|o| o.status.success()).is_some_and(|o| {
        let text = o.stdout.strip_suffix(b"\n").unwrap_or(&o.stdout);
        std::fs::canonicalize(OsStr::from_bytes(text)).is_ok_and(|d| d == env_dir)
    })
}

fn run_git(mut command: Command) -> Result<Vec<u8>, String> {
    let output = command.output().map_err(|e| format!("running git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(stderr.lines().next().unwrap_or("git failed").to_string());
    }
    Ok(output.stdout)
}

/// The paths (relative to `root`) whose work-tree content git does not hold:
/// those `git status` lists with a work-tree column (the second) other than a
/// space: modified or deleted but not staged, untracked (`??`), ignored (`!!`),
/// unmerged. Staged changes alone (`M `, `A `, `R `) are recoverable from the index.
fn dirty_in<'a>(root: &Path, relative: impl Iterator<Item = &'a Path>) -> Result<HashSet<PathBuf>, String> {
    let mut command = git_at(root);
    command
        .args([
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=all",
            "--ignored=matching",
            "--",
        ])
        .args(relative);
    let stdout = run_git(command)?;
    let mut dirty = HashSet::new();
    let mut records = stdout.split(|&b| b == 0).filter(|r| !r.is_empty());
    while let Some(record) = records.next() {
        if record.len() < 4 {
            continue;
        }
        // A rename or copy is followed by its source path, which is not written.
        if matches!(record[0], b'R' | b'C') {
            records.next();
        }
        if record[1] != b' ' {
            dirty.insert(PathBuf::from(OsStr::from_bytes(&record[3..])));
        }
    }
    Ok(dirty)
}

/// The tracked paths whose changes `git status` would not show: marked
/// assume-unchanged (`ls-files -v` prints a lowercase tag) or skip-worktree (`S`).
fn hidden_from_status<'a>(
    root: &Path,
    relative: impl Iterator<Item = &'a Path>,
) -> Result<HashMap<PathBuf, &'static str>, String> {
    let mut command = git_at(root);
    command.args(["ls-files", "-v", "-z", "--"]).args(relative);
    let stdout = run_git(command)?;
    let mut hidden = HashMap::new();
    for record in stdout.split(|&b| b == 0).filter(|r| r.len() > 2) {
        let flag = match record[0] {
            b'S' | b's' => "skip-worktree",
            tag if tag.is_ascii_lowercase() => "assume-unchanged",
            _ => continue,
        };
        hidden.insert(PathBuf::from(OsStr::from_bytes(&record[2..])), flag);
    }
    Ok(hidden)
}

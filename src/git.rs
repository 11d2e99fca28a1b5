//! What git knows that a run can narrow itself to: the files changed since a
//! revision (`--changed-since`), the lines changed in them
//! (`--changed-lines-only`), and the files a push sends (the pre-push hook).
//! Everything goes through the `git` command, so worktrees, `core.hooksPath`
//! and the user's config behave exactly as in git itself.
use anyhow::{bail, Context, Result};
use std::collections::HashMap;
use std::io::Write;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Runs `git -C dir args...` and returns its stdout; a failure carries git's stderr.
pub fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .context("running git (is it installed?)")?;
    if !output.status.success() {
        bail!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(output.stdout)
}

/// The top directory of the work tree containing `dir`.
pub fn toplevel(dir: &Path) -> Result<PathBuf> {
    let out = git(dir, &["rev-parse", "--show-toplevel"]).context("not inside a git work tree")?;
    Ok(PathBuf::from(
        String::from_utf8_lossy(&out).trim_end_matches(['\n', '\r']),
    ))
}

/// Paths git printed with `-z`, empty entries (and the newlines `log` adds) dropped.
fn nul_separated(out: &[u8]) -> Vec<String> {
    out.split(|&b| b == 0)
        .map(|name| String::from_utf8_lossy(name).trim_matches('\n').to_string())
        .filter(|name| !name.is_empty())
        .collect()
}

/// Line numbers (1-based, in the new version of a file) that a diff added or changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ChangedLines(Vec<RangeInclusive<usize>>);

impl ChangedLines {
    /// Reads the `+c,d` side of each `@@ -a,b +c,d @@` hunk header of `git diff -U0`.
    /// A hunk that only deletes (`d == 0`) changes no line of the new file.
    pub fn from_diff(diff: &str) -> Self {
        let mut ranges = Vec::new();
        for line in diff.lines().filter(|l| l.starts_with("@@ ")) {
            let Some(new_side) = line.split(' ').find_map(|w| w.strip_prefix('+')) else {
                continue;
            };
            let (start, count) = match new_side.split_once(',') {
                Some((s, c)) => (s.parse().unwrap_or(0), c.parse().unwrap_or(0)),
                None => (new_side.parse().unwrap_or(0), 1),
            };
            if start > 0 && count > 0 {
                ranges.push(start..=start + count - 1);
            }
        }
        ChangedLines(ranges)
    }

    /// Whether any line of `first..=last` changed.
    pub fn touches(&self, first: usize, last: usize) -> bool {
        self.0.iter().any(|r| *r.start() <= last && first <= *r.end())
    }
}

/// The files changed since a revision, by canonical path, each with its changed
/// lines when asked for (`None`: untracked, so every line is new).
#[derive(Debug, Default)]
pub struct Changes {
    files: HashMap<PathBuf, Option<ChangedLines>>,
    /// Whether findings are kept only on changed lines.
    pub lines_only: bool,
}

impl Changes {
    /// Files that differ between `rev` and the work tree (committed, staged or
    /// not; deleted ones left out) plus untracked files that are not ignored,
    /// in the repository containing the current directory.
    pub fn since(rev: &str, lines_only: bool) -> Result<Changes> {
        let top = toplevel(Path::new("."))?;
        let spec = format!("{rev}^{{commit}}");
        git(&top, &["rev-parse", "--verify", "--quiet", &spec])
            .with_context(|| format!("--changed-since: `{rev}` is not a commit git knows"))?;
        let diff = [
            "diff",
            "--name-only",
            "-z",
            "--no-renames",
            "--diff-filter=ACMRT",
            rev,
            "--",
        ];
        let mut files = HashMap::new();
        for name in nul_separated(&git(&top, &diff)?) {
            let lines = if lines_only {
                let patch = git(
                    &top,
                    &[
                        "diff",
                        "-U0",
                        "--no-color",
                        "--no-ext-diff",
                        "--no-renames",
                        rev,
                        "--",
                        &name,
                    ],
                )?;
                Some(ChangedLines::from_diff(&String::from_utf8_lossy(&patch)))
            } else {
                None
            };
            if let Ok(path) = top.join(&name).canonicalize() {
                files.insert(path, lines);
            }
        }
        let untracked = git(&top, &["ls-files", "--others", "--exclude-standard", "-z"])?;
        for name in nul_separated(&untracked) {
            if let Ok(path) = top.join(&name).canonicalize() {
                files.insert(path, None);
            }
        }
        Ok(Changes { files, lines_only })
    }

    /// Whether `path` (as discovered) is one of the changed files.
    pub fn contains(&self, path: &Path) -> bool {
        path.canonicalize().is_ok_and(|p| self.files.contains_key(&p))
    }

    /// The changed lines of `path`; `None` when every line counts as changed.
    pub fn lines(&self, path: &Path) -> Option<&ChangedLines> {
        let path = path.canonicalize().ok()?;
        self.files.get(&path)?.as_ref()
    }
}

/// A file as a push sends it: its path from the top of the work tree and the
/// commit whose version of it is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushedFile {
    pub path: String,
    pub commit: String,
}

fn is_zero(sha: &str) -> bool {
    sha.bytes().all(|b| b == b'0')
}

/// The files the pushed commits change, from git's pre-push lines
/// (`<local ref> <local sha> <remote ref> <remote sha>`). A branch the remote
/// already has compares with its merge base with the remote's commit; a new branch (or a remote
/// commit we never fetched) takes every file changed by the pushed commits that
/// no ref of `remote` reaches. Deleted refs and deleted files are skipped.
pub fn pushed_files(top: &Path, remote: &str, lines: &str) -> Result<Vec<PushedFile>> {
    let mut files: Vec<PushedFile> = Vec::new();
    let known_refs = remote_ref_patterns(top, remote);
    for line in lines.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [_, local_sha, _, remote_sha] = fields[..] else {
            continue;
        };
        if is_zero(local_sha) {
            continue;
        }
        let known = !is_zero(remote_sha) && git(top, &["cat-file", "-e", &format!("{remote_sha}^{{commit}}")]).is_ok();
        let names = if known {
            // `a...b`: from their merge base, so a force push over commits we
            // never had does not count the remote's own changes.
            let range = format!("{remote_sha}...{local_sha}");
            git(
                top,
                &[
                    "diff",
                    "--name-only",
                    "-z",
                    "--no-renames",
                    "--diff-filter=ACMRT",
                    &range,
                    "--",
                ],
            )?
        } else {
            git(
                top,
                &[
                    "log",
                    "--format=",
                    "--name-only",
                    "-z",
                    "--no-renames",
                    "--diff-filter=ACMRT",
                    local_sha,
                    "--not",
                ]
                .into_iter()
                .chain(known_refs.iter().map(String::as_str))
                .chain(["--"])
                .collect::<Vec<_>>(),
            )?
        };
        for path in nul_separated(&names) {
            if !files.iter().any(|f| f.path == path) {
                files.push(PushedFile {
                    path,
                    commit: local_sha.to_string(),
                });
            }
        }
    }
    Ok(files)
}

/// The `--remotes` options naming the refs a push to `remote` can compare
/// with. Git hands the hook a remote's name, or the URL when the push names
/// one: then the remotes with that URL, and when none has it, every
/// remote-tracking ref (never nothing, which would take the whole history as new).
fn remote_ref_patterns(top: &Path, remote: &str) -> Vec<String> {
    if git(top, &["config", "--get", &format!("remote.{remote}.url")]).is_ok() {
        return vec![format!("--remotes={remote}")];
    }
    let urls = git(top, &["config", "-z", "--get-regexp", r"^remote\..*\.(url|pushurl)$"]).unwrap_or_default();
    let mut names: Vec<String> = urls
        .split(|&b| b == 0)
        .filter_map(|entry| {
            let text = String::from_utf8_lossy(entry);
            let (key, url) = text.split_once('\n')?;
            let name = key.strip_prefix("remote.")?.rsplit_once('.')?.0;
            (url == remote).then(|| format!("--remotes={name}"))
        })
        .collect();
    names.dedup();
    if names.is_empty() {
        names.push("--remotes".to_string());
    }
    names
}

/// Copies the configuration files (`pyproject.toml`, `perfmod.toml`,
/// `.perfmod.toml`, anywhere in the tree) of `commit` into `dest`, at their
/// paths, so settings resolve as that commit has them.
pub fn checkout_config_files(top: &Path, commit: &str, dest: &Path) -> Result<()> {
    let names = git(top, &["ls-tree", "-r", "-z", "--name-only", commit])?;
    for name in nul_separated(&names) {
        let file_name = name.rsplit('/').next().unwrap_or(&name);
        if !matches!(file_name, "pyproject.toml" | "perfmod.toml" | ".perfmod.toml") {
            continue;
        }
        let bytes = git(top, &["cat-file", "blob", &format!("{commit}:{name}")])?;
        let path = dest.join(&name);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, bytes)?;
    }
    Ok(())
}

/// The contents of `path` at `commit`, or `None` when it is not there (a file
/// added by one pushed commit and deleted by a later one).
pub fn blob(top: &Path, file: &PushedFile) -> Option<Vec<u8>> {
    git(top, &["cat-file", "blob", &format!("{}:{}", file.commit, file.path)]).ok()
}

/// The directory git runs hooks from (honours `core.hooksPath`).
pub fn hooks_dir(dir: &Path) -> Result<PathBuf> {
    let out = git(dir, &["rev-parse", "--git-path", "hooks"]).context("not inside a git repository")?;
    // Relative paths are relative to `dir`, as git printed them.
    let hooks = PathBuf::from(String::from_utf8_lossy(&out).trim_end_matches(['\n', '\r']));
    Ok(if hooks.is_absolute() || dir == Path::new(".") {
        hooks
    } else {
        dir.join(hooks)
    })
}

/// Writes `text` to `path` with mode 0755 (for hooks): a temporary file
/// renamed over `path`, so a symlink there is replaced, never written through.
pub fn write_executable(path: &Path, text: &str) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let dir = path.parent().context("a hook path has a directory")?;
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".perfmod-hook-")
        .tempfile_in(dir)
        .with_context(|| format!("writing {}", path.display()))?;
    temp.write_all(text.as_bytes())?;
    temp.as_file().set_permissions(std::fs::Permissions::from_mode(0o755))?;
    temp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_hunk_headers() {
        let diff = "diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -3 +3 @@ def f():\n-a\n+b\n\
                    @@ -10,0 +11,2 @@\n+c\n+d\n@@ -20,4 +22,0 @@\n-e\n";
        let lines = ChangedLines::from_diff(diff);
        assert_eq!(lines, ChangedLines(vec![3..=3, 11..=12]));
        assert!(lines.touches(1, 3));
        assert!(lines.touches(12, 40));
        assert!(!lines.touches(4, 10));
        assert!(!lines.touches(22, 22));
    }
}

//! Which files a run processes: named files always, directories walked for
//! `*.py` respecting .gitignore and `--exclude`. Paths that cannot be walked
//! become per-path errors; the run goes on.
use globset::GlobSet;
use std::path::PathBuf;

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

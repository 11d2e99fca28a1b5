//! Command-line arguments turned into the settings of one run, validated in one
//! place before any file is read. What depends on a file's configuration
//! (rules, target version, excludes...) is resolved per file by `project`.
use crate::cli::{CommonArgs, Shard};
use crate::codemod::Codemod;
use crate::git::Changes;
use crate::project::Projects;
use anyhow::Result;
use std::path::{Path, PathBuf};

pub struct Settings {
    pub paths: Vec<PathBuf>,
    /// Each file's configuration, and the rules that follow from it.
    pub projects: Projects,
    /// `--exclude`: globs matched against walked paths (relative to the path
    /// named on the command line, or whole).
    pub exclude: globset::GlobSet,
    pub jobs: Option<usize>,
    /// `--changed-since`: the files (and lines) a run is narrowed to.
    pub changes: Option<Changes>,
    pub shard: Option<Shard>,
    /// `--stdin-filename`: the source comes from stdin and is reported as this path.
    pub stdin_filename: Option<PathBuf>,
}

impl Settings {
    /// `fix`: whether the run computes rewrites (the mode every file is processed in).
    pub fn resolve(args: &CommonArgs, fix: bool) -> Result<Settings> {
        let paths = if let Some(path) = &args.stdin_filename {
            vec![path.clone()]
        } else if args.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths.clone()
        };
        let cache_dir = (!args.no_cache && !args.no_prefilter).then(cache_dir);
        let projects = Projects::new(args, fix, cache_dir, !args.no_prefilter)?;
        // Bad configuration fails before any file is read, as today for the
        // first path; every path's configuration is checked.
        for path in &paths {
            projects.of(path)?;
        }
        let mut exclude = globset::GlobSetBuilder::new();
        for pattern in &args.exclude {
            exclude.add(
                globset::Glob::new(pattern).map_err(|e| anyhow::anyhow!("invalid --exclude glob `{pattern}`: {e}"))?,
            );
        }
        Ok(Settings {
            paths,
            projects,
            exclude: exclude.build()?,
            jobs: args.jobs,
            changes: match &args.changed_since {
                Some(rev) => Some(Changes::since(rev, args.changed_lines_only)?),
                None => None,
            },
            shard: args.shard,
            stdin_filename: args.stdin_filename.clone(),
        })
    }
}

impl Settings {
    /// Whether unsafe rewrites count as applicable in the report's totals and
    /// `[*]` marks: `--unsafe`, or `unsafe = true` in the first path's
    /// configuration (each file's rewrites follow its own configuration).
    pub fn unsafe_fixes(&self) -> Result<bool> {
        Ok(self.projects.of(&self.paths[0])?.unsafe_fixes)
    }

    /// (id, summary) of the rules the configurations of the named paths run,
    /// sorted, for the SARIF rule table (the same for every shard of a run).
    pub fn rule_summaries(&self) -> Result<Vec<(String, String)>> {
        let mut rules = std::collections::BTreeMap::new();
        for path in &self.paths {
            for codemod in &self.projects.rules_for(path)?.rules.codemods {
                rules.insert(codemod.id.clone(), codemod.summary.clone());
            }
        }
        Ok(rules.into_iter().collect())
    }
}

/// `$PERFMOD_CACHE_DIR`, else `.perfmod_cache` in the current directory (as ruff's `.ruff_cache`).
fn cache_dir() -> PathBuf {
    std::env::var_os("PERFMOD_CACHE_DIR").map_or_else(|| PathBuf::from(".perfmod_cache"), PathBuf::from)
}

/// Built-in codemods plus those of `--codemods DIR`; a user codemod may not
/// reuse a built-in id.
pub fn load_codemods(extra: Option<&Path>) -> Result<Vec<Codemod>> {
    let extra: Vec<PathBuf> = extra.map(Path::to_path_buf).into_iter().collect();
    crate::project::load_codemods(&extra)
}

//! Command-line arguments and `[tool.perfmod]` merged into the settings of one
//! run, validated in one place: an unknown rule id or a bad version fails here,
//! before any file is read.
use crate::cli::{CommonArgs, Shard};
use crate::codemod::{self, Codemod};
use crate::effect;
use crate::git::Changes;
use crate::python_version::PythonVersion;
use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// `[tool.perfmod]` in pyproject.toml; keys mirror the command line.
#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FileConfig {
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    #[serde(default)]
    pub exclude: Vec<String>,
    pub target_version: Option<String>,
    #[serde(rename = "unsafe")]
    pub unsafe_fixes: Option<bool>,
    pub concurrency_limit: Option<u32>,
}

#[derive(Deserialize)]
struct PyProject {
    project: Option<ProjectTable>,
    tool: Option<ToolTable>,
}

#[derive(Deserialize)]
struct ProjectTable {
    #[serde(rename = "requires-python")]
    requires_python: Option<String>,
}

#[derive(Deserialize)]
struct ToolTable {
    perfmod: Option<FileConfig>,
}

pub struct Settings {
    pub paths: Vec<PathBuf>,
    pub codemods: Vec<Codemod>,
    pub unsafe_fixes: bool,
    pub target_version: PythonVersion,
    pub exclude: globset::GlobSet,
    pub jobs: Option<usize>,
    /// Where results are cached; `None` with `--no-cache`.
    pub cache_dir: Option<PathBuf>,
    /// `--no-prefilter`: every file is parsed and matched whole.
    pub prefilter: bool,
    /// Values templates read as `${option:name}`.
    pub options: HashMap<String, String>,
    /// `--changed-since`: the files (and lines) a run is narrowed to.
    pub changes: Option<Changes>,
    pub shard: Option<Shard>,
    /// `--stdin-filename`: the source comes from stdin and is reported as this path.
    pub stdin_filename: Option<PathBuf>,
}

impl Settings {
    pub fn resolve(args: &CommonArgs) -> Result<Settings> {
        let paths = if let Some(path) = &args.stdin_filename {
            vec![path.clone()]
        } else if args.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths.clone()
        };
        let (config, requires_python) = match find_pyproject(&paths[0]) {
            Some(path) => read_pyproject(&path)?,
            None => (FileConfig::default(), None),
        };
        let target_version = match args.target_version.as_ref().or(config.target_version.as_ref()) {
            Some(text) => {
                let version: PythonVersion = text.parse().map_err(anyhow::Error::msg)?;
                if !(PythonVersion::OLDEST..=PythonVersion::NEWEST).contains(&version) {
                    bail!("--target-version must be between py38 and py314, not {text}");
                }
                version
            }
            None => requires_python.unwrap_or(PythonVersion::DEFAULT),
        };
        let all = load_codemods(args.codemods.codemods.as_deref())?;
        let select = args.select.clone().or(config.select.clone());
        let ignore = args.ignore.clone().or(config.ignore.clone()).unwrap_or_default();
        let codemods = effect::select(all, select.as_deref(), &ignore)?
            .into_iter()
            .filter(|c| c.min_python <= target_version)
            .collect();
        let mut exclude = globset::GlobSetBuilder::new();
        for pattern in args.exclude.iter().chain(&config.exclude) {
            exclude.add(globset::Glob::new(pattern).with_context(|| format!("invalid --exclude glob `{pattern}`"))?);
        }
        let limit = args.concurrency_limit.or(config.concurrency_limit).unwrap_or(10);
        if limit == 0 {
            bail!("--concurrency-limit must be at least 1");
        }
        Ok(Settings {
            paths,
            codemods,
            unsafe_fixes: args.unsafe_fixes || config.unsafe_fixes.unwrap_or(false),
            target_version,
            exclude: exclude.build()?,
            jobs: args.jobs,
            cache_dir: (!args.no_cache && !args.no_prefilter).then(cache_dir),
            prefilter: !args.no_prefilter,
            options: HashMap::from([("concurrency-limit".to_string(), limit.to_string())]),
            changes: match &args.changed_since {
                Some(rev) => Some(Changes::since(rev, args.changed_lines_only)?),
                None => None,
            },
            shard: args.shard,
            stdin_filename: args.stdin_filename.clone(),
        })
    }
}

/// `$PERFMOD_CACHE_DIR`, else `.perfmod_cache` in the current directory (as ruff's `.ruff_cache`).
fn cache_dir() -> PathBuf {
    std::env::var_os("PERFMOD_CACHE_DIR").map_or_else(|| PathBuf::from(".perfmod_cache"), PathBuf::from)
}

/// Built-in codemods plus those of `--codemods DIR`; a user codemod may not
/// reuse a built-in id.
pub fn load_codemods(extra: Option<&Path>) -> Result<Vec<Codemod>> {
    let mut all = codemod::builtin()?;
    if let Some(dir) = extra {
        let users = codemod::load_dir(dir)?;
        crate::engine::check_queries(&users).with_context(|| format!("in {}", dir.display()))?;
        for user in users {
            if all.iter().any(|c| c.id == user.id) {
                bail!(
                    "codemod `{}` in {} has the id of a built-in codemod",
                    user.id,
                    dir.display()
                );
            }
            all.push(user);
        }
    }
    Ok(all)
}

/// The nearest pyproject.toml at or above `start`, which need not exist (an
/// editor's unsaved buffer named with `--stdin-filename`).
fn find_pyproject(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start)
        .or_else(|_| std::path::absolute(start))
        .ok()?;
    let mut dir = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join("pyproject.toml");
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

fn read_pyproject(path: &Path) -> Result<(FileConfig, Option<PythonVersion>)> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let parsed: PyProject = toml::from_str(&text).with_context(|| format!("in {}", path.display()))?;
    let requires = parsed
        .project
        .and_then(|p| p.requires_python)
        .and_then(|spec| PythonVersion::from_requires_python(&spec));
    Ok((parsed.tool.and_then(|t| t.perfmod).unwrap_or_default(), requires))
}

//! Each file gets the settings of its nearest configuration, as ruff does: in a
//! monorepo `fix --apply a/x.py b/y.py` applies a's `select` and
//! `requires-python` to x.py and b's to y.py.
//!
//! A *project* is one resolved configuration: the nearest `.perfmod.toml`,
//! `perfmod.toml` or pyproject.toml holding `[tool.perfmod]` (or `--config`,
//! or none), merged with the command line, and the `requires-python` of the
//! file's nearest pyproject.toml. Files are grouped by project and by the rules
//! `per-file-ignores` and `# perfmod: ignore-file[...]` leave out; each group gets
//! one [`FileRules`], built when first needed.
use crate::cache::Cache;
use crate::cli::CommonArgs;
use crate::codemod::{self, Codemod};
use crate::config::{self, Config, DEFAULT_LINE_LENGTH};
use crate::effect;
use crate::engine::{Mode, RuleSet};
use crate::python_version::PythonVersion;
use crate::run::FileRules;
use anyhow::{bail, Context, Result};
use globset::{Glob, GlobMatcher, GlobSet, GlobSetBuilder};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// One resolved configuration.
#[derive(Debug)]
pub struct Project {
    pub index: usize,
    /// The file the settings come from (`None`: defaults and the command line).
    pub config: Option<PathBuf>,
    /// The directory its relative paths and globs start from.
    pub root: PathBuf,
    /// Where the target version came from, for `--show-settings`.
    pub target_source: String,
    pub target_version: PythonVersion,
    pub unsafe_fixes: bool,
    pub line_length: u32,
    pub concurrency_limit: u32,
    /// `select` (with `extend-select`): rule ids, effect categories, `ALL`
    /// (`None`: the default categories, see `effect`).
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    /// `fixable` (`None`: every rule) and `unfixable`, as selectors.
    pub fixable: Option<Vec<String>>,
    pub unfixable: Vec<String>,
    /// The rules that run (selected, not ignored, supported by the target
    /// version), for `--show-settings`.
    pub rules: BTreeSet<String>,
    /// Every rule id known to this project (built-in and its codemod folders),
    /// for checking suppression comments.
    pub known_rules: Arc<BTreeSet<String>>,
    pub exclude: GlobSet,
    pub exclude_patterns: Vec<String>,
    pub per_file_ignores: Vec<(String, GlobMatcher, BTreeSet<String>)>,
    pub codemod_dirs: Vec<PathBuf>,
    /// The codemods selected when resolving this project, handed to its rule
    /// set without further ignores (others load their own: a compiled codemod
    /// is not cloned).
    loaded: Mutex<Option<Vec<Codemod>>>,
}

impl Project {
    /// The codemods (and forms) this project runs, less the selectors in
    /// `without`, with the rewrites of forms outside `fixable` or inside
    /// `unfixable` turned into reports.
    fn select_from(&self, all: Vec<Codemod>, without: &BTreeSet<String>) -> Result<Vec<Codemod>> {
        let ignore: Vec<String> = self.ignore.iter().chain(without).cloned().collect();
        let mut codemods = effect::select(all, self.select.as_deref(), &ignore)?;
        codemods.retain(|c| c.min_python <= self.target_version);
        let fixable = match &self.fixable {
            Some(names) => Some(effect::matcher(names, &codemods)?),
            None => None,
        };
        let unfixable = effect::matcher(&self.unfixable, &codemods)?;
        for codemod in &mut codemods {
            for pattern in &mut codemod.patterns {
                let fixes = fixable.as_ref().is_none_or(|f| f(&codemod.id, pattern.effect));
                if !fixes || unfixable(&codemod.id, pattern.effect) {
                    pattern.fix = None;
                }
            }
        }
        Ok(codemods)
    }

    /// Whether a walked path (absolute, see [`Projects::absolute`]) is excluded
    /// by this project's `exclude` and `extend-exclude`.
    pub fn excludes(&self, path: &Path) -> bool {
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        self.exclude.is_match(relative) || path.file_name().is_some_and(|n| self.exclude.is_match(n))
    }

    /// The rules `per-file-ignores` leave out for `path` (absolute).
    pub fn ignored_in(&self, path: &Path) -> BTreeSet<String> {
        let relative = path.strip_prefix(&self.root).unwrap_or(path);
        let name = path.file_name().map(Path::new);
        self.per_file_ignores
            .iter()
            .filter(|(pattern, glob, _)| {
                glob.is_match(relative) || (!pattern.contains('/') && name.is_some_and(|n| glob.is_match(n)))
            })
            .flat_map(|(_, _, rules)| rules.iter().cloned())
            .collect()
    }
}

/// Which rules a group of files runs: its project, less some rules.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RulesKey {
    pub project: usize,
    pub without: BTreeSet<String>,
}

/// The projects of a run, found per directory, and the rule sets of their groups.
pub struct Projects {
    args: CommonArgs,
    /// `--config PATH`: these settings for every file.
    explicit: Option<Arc<Config>>,
    fix: bool,
    cache_dir: Option<PathBuf>,
    /// Whether the one warning about an unusable cache was printed.
    cache_warned: std::sync::atomic::AtomicBool,
    prefilter: bool,
    cwd: PathBuf,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    projects: Vec<Arc<Project>>,
    /// (settings file, pyproject.toml) -> project index.
    by_files: HashMap<(Option<PathBuf>, Option<PathBuf>), usize>,
    /// Directory -> its (settings file, pyproject.toml).
    by_dir: HashMap<PathBuf, (Option<PathBuf>, Option<PathBuf>)>,
    /// Directory -> the project of its files: one lookup per file.
    dir_project: HashMap<PathBuf, usize>,
    configs: HashMap<PathBuf, Arc<Config>>,
    rules: HashMap<RulesKey, Arc<FileRules>>,
}

impl Projects {
    pub fn new(args: &CommonArgs, fix: bool, cache_dir: Option<PathBuf>, prefilter: bool) -> Result<Self> {
        let explicit = match &args.config {
            Some(path) => Some(Arc::new(config::read_explicit(path)?)),
            None => None,
        };
        Ok(Projects {
            args: args.clone(),
            explicit,
            fix,
            cache_dir,
            cache_warned: Default::default(),
            prefilter,
            cwd: std::env::current_dir().context("reading the current directory")?,
            state: Mutex::new(State::default()),
        })
    }

    /// `path` made absolute against the current directory as the run found it,
    /// `.` components dropped (no system call: this runs once per file).
    pub fn absolute(&self, path: &Path) -> PathBuf {
        self.cwd.join(path).components().collect()
    }

    /// The project of a file (or directory) at `path`, which need not exist.
    pub fn of(&self, path: &Path) -> Result<Arc<Project>> {
        let absolute = self.absolute(path);
        if absolute.is_dir() {
            self.of_dir(&absolute)
        } else {
            self.of_file(&absolute)
        }
    }

    /// The project of the file at `path` (absolute).
    pub fn of_file(&self, path: &Path) -> Result<Arc<Project>> {
        self.of_dir(path.parent().unwrap_or(path))
    }

    /// Whether a walked file is excluded by its configuration.
    pub fn excludes(&self, path: &Path) -> bool {
        let absolute = self.absolute(path);
        self.of_file(&absolute).is_ok_and(|p| p.excludes(&absolute))
    }

    fn of_dir(&self, dir: &Path) -> Result<Arc<Project>> {
        let mut state = self.state.lock().expect("no thread panics holding the lock");
        if let Some(&index) = state.dir_project.get(dir) {
            return Ok(state.projects[index].clone());
        }
        let files = nearest_files(&mut state, dir)?;
        if let Some(&index) = state.by_files.get(&files) {
            state.dir_project.insert(dir.to_path_buf(), index);
            return Ok(state.projects[index].clone());
        }
        let settings = match (&self.explicit, &files.0) {
            (Some(explicit), _) => explicit.clone(),
            (None, Some(path)) => read_cached(&mut state, path)?,
            (None, None) => Arc::new(Config::default()),
        };
        let pyproject = match &files.1 {
            Some(path) => Some(read_cached(&mut state, path)?),
            None => None,
        };
        let index = state.projects.len();
        let project =
            Arc::new(
                self.resolve(index, &settings, pyproject.as_deref())
                    .with_context(|| match &settings.path {
                        Some(p) => format!("in {}", p.display()),
                        None => "in the command-line settings".to_string(),
                    })?,
            );
        state.projects.push(project.clone());
        state.by_files.insert(files, index);
        state.dir_project.insert(dir.to_path_buf(), index);
        Ok(project)
    }

    /// The rules of a group of files, built (and their cache opened) on first use.
    pub fn rules(&self, key: &RulesKey) -> Result<Arc<FileRules>> {
        let project = {
            let state = self.state.lock().expect("no thread panics holding the lock");
            if let Some(rules) = state.rules.get(key) {
                return Ok(rules.clone());
            }
            state.projects[key.project].clone()
        };
        let loaded = match key.without.is_empty() {
            true => project.loaded.lock().expect("no thread panics holding the lock").take(),
            false => None,
        };
        let codemods = match loaded {
            Some(selected) => selected,
            None => project.select_from(load_codemods(&project.codemod_dirs)?, &key.without)?,
        };
        let options = HashMap::from([
            ("concurrency-limit".to_string(), project.concurrency_limit.to_string()),
            ("line-length".to_string(), project.line_length.to_string()),
        ]);
        let mut rules = RuleSet::deferred(codemods, options)?;
        if !self.prefilter {
            rules.max_fragment_share = 0.0;
        }
        let mode = Mode {
            fix: self.fix,
            unsafe_fixes: project.unsafe_fixes,
        };
        // A cache perfmod may not use (a symlink at or in it) is reported once
        // and the run goes on uncached.
        let cache = match self
            .cache_dir
            .as_deref()
            .map(|dir| Cache::open(dir, rules.fingerprint()))
        {
            Some(Err(reason)) => {
                if !self.cache_warned.swap(true, std::sync::atomic::Ordering::Relaxed) {
                    eprintln!("warning: {reason}");
                }
                None
            }
            opened => opened.and_then(Result::ok),
        };
        let built = Arc::new(FileRules {
            rules,
            mode,
            cache,
            key: key.clone(),
            known_rules: project.known_rules.clone(),
        });
        let mut state = self.state.lock().expect("no thread panics holding the lock");
        Ok(state.rules.entry(key.clone()).or_insert(built).clone())
    }

    /// The rules for a file: its project's, less its `per-file-ignores`.
    pub fn rules_for(&self, path: &Path) -> Result<Arc<FileRules>> {
        let absolute = self.absolute(path);
        let project = self.of_file(&absolute)?;
        self.rules(&RulesKey {
            project: project.index,
            without: project.ignored_in(&absolute),
        })
    }

    /// Every rule set built so far (to save their caches).
    pub fn built(&self) -> Vec<Arc<FileRules>> {
        let state = self.state.lock().expect("no thread panics holding the lock");
        state.rules.values().cloned().collect()
    }

    fn resolve(&self, index: usize, config: &Config, pyproject: Option<&Config>) -> Result<Project> {
        let args = &self.args;
        let file = &config.settings;
        let root = match config.root() {
            Some(root) => root.to_path_buf(),
            None => std::env::current_dir().context("reading the current directory")?,
        };
        // A pyproject.toml nearer than the settings file is a project of its
        // own: its `requires-python` beats the settings' `target-version`.
        let settings_dir = config.root();
        let pyproject_nearer = pyproject
            .and_then(Config::root)
            .is_some_and(|p| settings_dir.is_none_or(|s| p != s && p.starts_with(s)));
        let requires = pyproject.and_then(|p| {
            let spec = p.requires_python.as_deref()?;
            Some((PythonVersion::from_requires_python(spec)?, p.path.clone()?))
        });
        let (target_text, target_source) = match (&args.target_version, &file.target_version) {
            (Some(text), _) => (Some(text.clone()), "--target-version".to_string()),
            (None, Some(text)) if !(pyproject_nearer && requires.is_some()) => {
                (Some(text.clone()), "target-version".to_string())
            }
            _ => (None, String::new()),
        };
        let (target_version, target_source) = match target_text {
            Some(text) => {
                let version: PythonVersion = text.parse().map_err(anyhow::Error::msg)?;
                if !(PythonVersion::OLDEST..=PythonVersion::NEWEST).contains(&version) {
                    bail!("target version must be between py38 and py314, not {text}");
                }
                (version, target_source)
            }
            None => match &requires {
                Some((version, path)) => (*version, format!("requires-python of {}", path.display())),
                None => (PythonVersion::DEFAULT, "default".to_string()),
            },
        };

        let mut codemod_dirs: Vec<PathBuf> = args.codemods.codemods.iter().cloned().collect();
        for dir in file.codemods.iter().flatten() {
            codemod_dirs.push(root.join(dir));
        }
        let all = load_codemods(&codemod_dirs)?;
        let extend: Vec<String> = file
            .extend_select
            .iter()
            .flatten()
            .chain(args.extend_select.iter().flatten())
            .cloned()
            .collect();
        let select = match (args.select.as_ref().or(file.select.as_ref()), extend.is_empty()) {
            (Some(select), _) => Some(select.iter().chain(&extend).cloned().collect()),
            (None, true) => None,
            (None, false) => Some(
                effect::Effect::DEFAULT
                    .iter()
                    .map(|e| e.as_str().to_string())
                    .chain(extend)
                    .collect(),
            ),
        };
        let ignore = args
            .ignore
            .as_ref()
            .or(file.ignore.as_ref())
            .cloned()
            .unwrap_or_default();
        let fixable = args.fixable.as_ref().or(file.fixable.as_ref()).cloned();
        let unfixable = args
            .unfixable
            .as_ref()
            .or(file.unfixable.as_ref())
            .cloned()
            .unwrap_or_default();
        let check = |names: &[String], key: &str| -> Result<()> {
            effect::matcher(names, &all)
                .map(drop)
                .with_context(|| format!("in {key}"))
        };
        check(fixable.as_deref().unwrap_or_default(), "fixable")?;
        check(&unfixable, "unfixable")?;
        let mut per_file_ignores = Vec::new();
        for (pattern, selectors) in file.per_file_ignores.iter().flatten() {
            let glob = Glob::new(pattern).with_context(|| format!("invalid per-file-ignores glob `{pattern}`"))?;
            check(selectors, "per-file-ignores")?;
            per_file_ignores.push((
                pattern.clone(),
                glob.compile_matcher(),
                selectors.iter().cloned().collect(),
            ));
        }
        let exclude_patterns: Vec<String> = file
            .exclude
            .iter()
            .flatten()
            .chain(file.extend_exclude.iter().flatten())
            .chain(&args.extend_exclude)
            .cloned()
            .collect();
        let mut exclude = GlobSetBuilder::new();
        for pattern in &exclude_patterns {
            exclude.add(Glob::new(pattern).with_context(|| format!("invalid exclude glob `{pattern}`"))?);
        }
        let concurrency_limit = args.concurrency_limit.or(file.concurrency_limit).unwrap_or(10);
        if concurrency_limit == 0 {
            bail!("concurrency-limit must be at least 1");
        }
        let line_length = args
            .line_length
            .or(file.line_length)
            .or(config.tool_line_length)
            .or(pyproject.and_then(|p| p.tool_line_length))
            .unwrap_or(DEFAULT_LINE_LENGTH);
        if line_length == 0 {
            bail!("line-length must be at least 1");
        }
        let mut project = Project {
            index,
            config: config.path.clone(),
            root,
            target_source,
            target_version,
            unsafe_fixes: args.unsafe_fixes || file.unsafe_fixes.unwrap_or(false),
            line_length,
            concurrency_limit,
            select,
            ignore,
            fixable,
            unfixable,
            rules: BTreeSet::new(),
            known_rules: Arc::new(all.iter().map(|c| c.id.clone()).collect()),
            exclude: exclude.build()?,
            exclude_patterns,
            per_file_ignores,
            codemod_dirs,
            loaded: Mutex::new(None),
        };
        // Checks select and ignore now; the codemods go to the first rule set.
        let selected = project.select_from(all, &BTreeSet::new())?;
        project.rules = selected.iter().map(|c| c.id.clone()).collect();
        project.loaded = Mutex::new(Some(selected));
        Ok(project)
    }
}

fn read_cached(state: &mut State, path: &Path) -> Result<Arc<Config>> {
    if let Some(config) = state.configs.get(path) {
        return Ok(config.clone());
    }
    let config = Arc::new(config::read(path)?);
    state.configs.insert(path.to_path_buf(), config.clone());
    Ok(config)
}

/// The nearest settings file (a standalone file, or a pyproject.toml holding
/// `[tool.perfmod]`) and the nearest pyproject.toml at or above `dir`,
/// remembered for every directory on the way up, so a tree costs one look
/// per directory.
fn nearest_files(state: &mut State, dir: &Path) -> Result<(Option<PathBuf>, Option<PathBuf>)> {
    if let Some(found) = state.by_dir.get(dir) {
        return Ok(found.clone());
    }
    let files = config::files_in(dir);
    let settings = match (files.standalone, &files.pyproject) {
        (Some(standalone), _) => Some(standalone),
        (None, Some(py)) if config::has_perfmod_table(py)? => Some(py.clone()),
        _ => None,
    };
    let found = match (settings, files.pyproject, dir.parent()) {
        (Some(s), Some(p), _) => (Some(s), Some(p)),
        (settings, pyproject, Some(parent)) => {
            let above = nearest_files(state, parent)?;
            (settings.or(above.0), pyproject.or(above.1))
        }
        (settings, pyproject, None) => (settings, pyproject),
    };
    state.by_dir.insert(dir.to_path_buf(), found.clone());
    Ok(found)
}

/// Built-in codemods plus those of the given folders; a user codemod may not
/// reuse an id already loaded.
pub fn load_codemods(extra: &[PathBuf]) -> Result<Vec<Codemod>> {
    let mut all = codemod::builtin()?;
    for dir in extra {
        let users = codemod::load_dir(dir)?;
        crate::engine::check_queries(&users).with_context(|| format!("in {}", dir.display()))?;
        for user in users {
            if all.iter().any(|c| c.id == user.id) {
                bail!(
                    "codemod `{}` in {} has the id of a codemod already loaded",
                    user.id,
                    dir.display()
                );
            }
            all.push(user);
        }
    }
    Ok(all)
}

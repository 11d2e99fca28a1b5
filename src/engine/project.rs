//! What the other modules of the project hold, for names a file imports.
//!
//! A rule that meets `from .log import gen_log` can ask what `gen_log` is: the
//! index finds the module the import names (relative to the importing file, or
//! under the import root, the first directory up without an `__init__.py`),
//! parses it once and records the evident kind of each top-level name
//! (`logging.getLogger(...)`, a class and whether it is a dataclass, a function
//! and whether it is pure), following re-exports. Nothing is read until a rule
//! asks, so a run whose rules never meet an imported name pays nothing.
//!
//! The file being processed and the index are a per-thread context set by the
//! runner around each file ([`in_file`]); each module summary consulted is
//! recorded with the hash of its bytes, so the result cache can tell when a
//! change to that module makes a file's cached findings stale.
use super::analysis::{descendants, is_pure_function};
use super::semantic::{is_binding_position, text, Semantic};
use crate::cache::stable_hash;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tree_sitter::Node;

/// What a top-level name of a module evidently holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// `logging.getLogger(...)`: a stdlib logger.
    Logger,
    Class {
        dataclass: bool,
    },
    Function {
        /// Pure by [`is_pure_function`]: runs the same in another process.
        pure: bool,
    },
    /// Bound some other way, or more than once.
    Other,
}

/// One module's top-level names.
#[derive(Debug, Default)]
struct ModuleSummary {
    /// Hash of the module's bytes as summarised.
    content: u64,
    names: HashMap<String, TopLevel>,
}

#[derive(Debug)]
enum TopLevel {
    Value(ValueKind),
    /// Bound by an import of this qualified name (relative ones start with dots).
    Imported(String),
}

/// Module summaries by path, each computed on first use (`None`: not a
/// readable Python file).
#[derive(Default)]
pub struct ProjectIndex {
    modules: Mutex<HashMap<PathBuf, Option<Arc<ModuleSummary>>>>,
    /// Every Python file under an import root, with its text and the hash of
    /// the whole set (read once per root, when a rule first asks).
    trees: Mutex<HashMap<PathBuf, Arc<ProjectSources>>>,
}

/// The Python files of one project (everything under an import root).
#[derive(Debug, Default)]
pub struct ProjectSources {
    pub files: Vec<(PathBuf, String)>,
    /// [`tree_hash`] of the files as read.
    content: u64,
}

/// A module perfmod read for a file's findings, and the hash of its bytes then
/// (or a project's import root and the hash of all its files, [`project_sources`]).
pub type Dependency = (PathBuf, u64);

struct FileContext {
    index: Arc<ProjectIndex>,
    path: PathBuf,
    consulted: Vec<Dependency>,
}

thread_local! {
    static CURRENT: RefCell<Option<FileContext>> = const { RefCell::new(None) };
}

/// Runs `work` (the processing of the file at `path`) with the index answering
/// for its imports; returns its result and the modules the answers read.
pub fn in_file<T>(index: &Arc<ProjectIndex>, path: &Path, work: impl FnOnce() -> T) -> (T, Vec<Dependency>) {
    let previous = CURRENT.with(|c| {
        c.borrow_mut().replace(FileContext {
            index: Arc::clone(index),
            path: path.to_path_buf(),
            consulted: Vec::new(),
        })
    });
    let result = work();
    let context = CURRENT.with(|c| std::mem::replace(&mut *c.borrow_mut(), previous));
    let mut consulted = context.map(|c| c.consulted).unwrap_or_default();
    consulted.sort();
    consulted.dedup();
    (result, consulted)
}

/// What the project name `qualified` (as [`Semantic::resolve`] spells an
/// imported name: `.log.gen_log`, `pkg.log.gen_log`) holds, when the file
/// being processed is known and the module defining it is in the project.
pub fn imported_value(qualified: &str) -> Option<ValueKind> {
    CURRENT.with(|current| {
        let mut current = current.borrow_mut();
        let context = current.as_mut()?;
        let index = Arc::clone(&context.index);
        let from = context.path.clone();
        index.value_of(&from, qualified, &mut context.consulted, 0)
    })
}

/// The Python files of the project the file being processed belongs to (all
/// under its import root, walked as the command line walks a directory), and
/// that file's own path among them; `None` outside a run. A file's findings
/// computed from them depend on the whole set: a change to any file re-checks it.
pub fn project_sources() -> Option<(Arc<ProjectSources>, PathBuf)> {
    CURRENT.with(|current| {
        let mut current = current.borrow_mut();
        let context = current.as_mut()?;
        let root = import_root(&context.path)?;
        let known = context
            .index
            .trees
            .lock()
            .expect("no panic holding the lock")
            .get(&root)
            .cloned();
        let sources = match known {
            Some(sources) => sources,
            None => {
                let files = read_tree(&root);
                let content = stable_hash(&files);
                let sources = Arc::new(ProjectSources { files, content });
                context
                    .index
                    .trees
                    .lock()
                    .expect("no panic holding the lock")
                    .insert(root.clone(), Arc::clone(&sources));
                sources
            }
        };
        context.consulted.push((root, sources.content));
        Some((sources, context.path.clone()))
    })
}

/// Every Python file under `root` (walked as the command line walks a
/// directory) that reads as UTF-8, with its text.
/// Paths are spelled as the command line spells the file being processed
/// (relative to the working directory when that is the root).
fn read_tree(root: &Path) -> Vec<(PathBuf, String)> {
    let here = root.as_os_str().is_empty();
    let walked = if here { Path::new(".") } else { root };
    crate::discover::discover(&[walked.to_path_buf()], &globset::GlobSet::empty(), &|_| false)
        .files
        .into_iter()
        .map(|path| match here {
            true => path.strip_prefix(".").map(Path::to_path_buf).unwrap_or(path),
            false => path,
        })
        .filter_map(|path| Some((path.clone(), String::from_utf8(std::fs::read(&path).ok()?).ok()?)))
        .collect()
}

/// The hash of every Python file under `root`, paths and contents; computed
/// once per process (every cached file of a run that depends on the same
/// project asks).
fn tree_hash(root: &Path) -> u64 {
    static HASHES: Mutex<Option<HashMap<PathBuf, u64>>> = Mutex::new(None);
    let known = HASHES
        .lock()
        .expect("no panic holding the lock")
        .as_ref()
        .and_then(|h| h.get(root).copied());
    known.unwrap_or_else(|| {
        let hash = stable_hash(read_tree(root));
        HASHES
            .lock()
            .expect("no panic holding the lock")
            .get_or_insert_with(HashMap::new)
            .insert(root.to_path_buf(), hash);
        hash
    })
}

/// Re-exports followed at most this deep (a cycle ends here too).
const MAX_REEXPORTS: usize = 4;

impl ProjectIndex {
    fn value_of(
        &self,
        from: &Path,
        qualified: &str,
        consulted: &mut Vec<Dependency>,
        depth: usize,
    ) -> Option<ValueKind> {
        if depth > MAX_REEXPORTS || qualified.starts_with("builtins.") {
            return None;
        }
        let (module, name) = qualified.rsplit_once('.')?;
        let module_path = module_file(from, module)?;
        let summary = self.summary(&module_path)?;
        consulted.push((module_path.clone(), summary.content));
        match summary.names.get(name)? {
            TopLevel::Value(kind) => Some(*kind),
            TopLevel::Imported(next) => self.value_of(&module_path, next, consulted, depth + 1),
        }
    }

    fn summary(&self, path: &Path) -> Option<Arc<ModuleSummary>> {
        if let Some(known) = self.modules.lock().expect("no panic holding the lock").get(path) {
            return known.clone();
        }
        // Summarised outside the lock: two threads may both do it, and agree.
        let summary = std::fs::read(path)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .map(|source| Arc::new(summarise(&source)));
        self.modules
            .lock()
            .expect("no panic holding the lock")
            .insert(path.to_path_buf(), summary.clone());
        summary
    }
}

/// The file of module `module` (`log`, `.log`, `..pkg.log`, `pkg.log`) imported
/// from the file `from`: relative names from the importing package, absolute
/// ones from the import root above it.
fn module_file(from: &Path, module: &str) -> Option<PathBuf> {
    let dots = module.len() - module.trim_start_matches('.').len();
    let mut base = match dots {
        0 => import_root(from)?,
        _ => {
            let mut package = from.parent()?.to_path_buf();
            for _ in 1..dots {
                package = package.parent()?.to_path_buf();
            }
            package
        }
    };
    let rest = &module[dots..];
    if rest.is_empty() {
        return existing(base.join("__init__.py"));
    }
    for part in rest.split('.') {
        base.push(part);
    }
    existing(base.with_extension("py")).or_else(|| existing(base.join("__init__.py")))
}

fn existing(path: PathBuf) -> Option<PathBuf> {
    path.is_file().then_some(path)
}

/// The directory absolute imports of `file` start from: the first one up from
/// the file's package that is not itself a package (the `src/` of a src
/// layout, the repository root of a flat one).
fn import_root(file: &Path) -> Option<PathBuf> {
    let mut dir = file.parent()?;
    while dir.join("__init__.py").is_file() {
        dir = dir.parent()?;
    }
    Some(dir.to_path_buf())
}

/// The top-level names of a module and what each evidently holds. A name bound
/// more than once at module level, or inside an `if`/`try`/loop there, is
/// [`ValueKind::Other`].
fn summarise(source: &str) -> ModuleSummary {
    let mut parser = super::python_parser();
    let Some(tree) = parser.parse(source, None) else {
        return ModuleSummary::default();
    };
    let root = tree.root_node();
    let semantic = Semantic::build(&tree, source);
    let mut names: HashMap<String, TopLevel> = HashMap::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut unknown: Vec<&str> = Vec::new();
    let mut bind = |name: &str, value: TopLevel| {
        *seen.entry(name.to_string()).or_default() += 1;
        names.insert(name.to_string(), value);
    };
    for imported in semantic.imports.iter().filter(|i| i.top_level) {
        bind(&imported.local, TopLevel::Imported(imported.qualified.clone()));
    }
    let mut cursor = root.walk();
    for statement in root.named_children(&mut cursor) {
        let (definition, decorators) = match statement.kind() {
            "decorated_definition" => (statement.child_by_field_name("definition"), decorators_of(statement)),
            _ => (Some(statement), Vec::new()),
        };
        let Some(definition) = definition else { continue };
        let name = definition.child_by_field_name("name").map(|n| text(n, source));
        match (definition.kind(), name) {
            ("function_definition", Some(name)) => {
                let pure = decorators.is_empty() && is_pure_function(root, source, &semantic, name);
                bind(name, TopLevel::Value(ValueKind::Function { pure }));
            }
            ("class_definition", Some(name)) => {
                let dataclass = decorators.iter().any(|d| {
                    let callee = if d.kind() == "call" {
                        d.child_by_field_name("function")
                    } else {
                        Some(*d)
                    };
                    callee.and_then(|c| semantic.resolve(c, source)).as_deref() == Some("dataclasses.dataclass")
                });
                bind(name, TopLevel::Value(ValueKind::Class { dataclass }));
            }
            ("expression_statement", _) => {
                let Some(assignment) = definition.named_child(0).filter(|a| a.kind() == "assignment") else {
                    continue;
                };
                let (Some(left), Some(right)) = (
                    assignment.child_by_field_name("left"),
                    assignment.child_by_field_name("right"),
                ) else {
                    continue;
                };
                if left.kind() == "identifier" {
                    let is_logger = right.kind() == "call"
                        && right
                            .child_by_field_name("function")
                            .and_then(|f| semantic.resolve(f, source))
                            .as_deref()
                            == Some("logging.getLogger");
                    let kind = if is_logger { ValueKind::Logger } else { ValueKind::Other };
                    bind(text(left, source), TopLevel::Value(kind));
                }
            }
            ("import_statement" | "import_from_statement" | "future_import_statement", _) => {}
            // `if`/`try`/`for`/`with`... at module level: whatever they bind is unknown.
            _ => {
                for node in descendants(statement) {
                    if node.kind() == "identifier" && is_binding_position(node) {
                        unknown.push(text(node, source));
                    }
                }
            }
        }
    }
    // Any other module-level binding (tuple targets, `global` in a function)
    // leaves the value unknown.
    for name in semantic.bound_in.keys().filter(|name| semantic.binds(0, name)) {
        if seen.get(name.as_str()).copied().unwrap_or(0) != 1 || !names.contains_key(name) {
            names.insert(name.clone(), TopLevel::Value(ValueKind::Other));
        }
    }
    let bound_twice = seen.into_iter().filter(|(_, count)| *count > 1).map(|(name, _)| name);
    for name in bound_twice.chain(unknown.into_iter().map(String::from)) {
        names.insert(name, TopLevel::Value(ValueKind::Other));
    }
    ModuleSummary {
        content: stable_hash(source.as_bytes()),
        names,
    }
}

fn decorators_of(definition: Node) -> Vec<Node> {
    let mut cursor = definition.walk();
    let found = definition
        .named_children(&mut cursor)
        .filter(|d| d.kind() == "decorator")
        .filter_map(|d| d.named_child(0))
        .collect();
    found
}

/// Whether every module a file's cached result read still hashes the same (a
/// directory: every Python file under it, see [`project_sources`]).
pub fn dependencies_unchanged(dependencies: &[Dependency]) -> bool {
    dependencies
        .iter()
        .all(|(path, content)| match path.as_os_str().is_empty() || path.is_dir() {
            true => tree_hash(path) == *content,
            false => std::fs::read(path).is_ok_and(|bytes| stable_hash(bytes.as_slice()) == *content),
        })
}

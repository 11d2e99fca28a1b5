//! What the other modules of the project hold, for names a file imports.
//!
//! A rule that meets `from .log import gen_log` can ask what `gen_log` is: the
//! index finds the module the import names (relative to the importing file, or
//! under the import root, the first directory up without an `__init__.py`),
//! parses it once and records the evident kind of each top-level name
//! (`logging.getLogger(...)`, a class and whether it is a dataclass, a function
//! and whether it is pure), following re-exports, and what `from module import *`
//! binds. Nothing is read until a rule asks, so a run whose rules never meet an
//! imported name pays nothing.
//!
//! The file being processed and the index are a per-thread context set by the
//! runner around each file ([`in_file`]); each module summary consulted is
//! recorded with the hash of its bytes, so the result cache can tell when a
//! change to that module makes a file's cached findings stale.
use super::analysis::{descendants, is_pure_function, walk};
use super::semantic::{is_binding_position, text, Semantic};
use crate::cache::stable_hash;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
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

/// What `from <module> import *` binds, with the hash of the module's bytes:
/// kept apart from [`ModuleSummary`], whose purity analysis a star import
/// does not need (it is the costly part on a large module such as `tkinter`).
#[derive(Debug)]
struct StarSummary {
    content: u64,
    star: StarExports,
}

/// What `from module import *` binds.
#[derive(Debug, Default)]
enum StarExports {
    /// The names of a literal `__all__` (with every literal `+=`, `.extend`,
    /// `.append` of it): exactly those, whatever else the module binds.
    Listed(HashSet<String>),
    /// No `__all__`: every module-level name not starting with `_` (bound
    /// anywhere at module level, imported, or by `global`), a submodule of
    /// that name, and what the module's own star imports bind.
    Public {
        bound: HashSet<String>,
        star_imports: Vec<String>,
    },
    /// `__all__` computed, or names put in the module's namespace at run time
    /// (`globals()`, `sys.modules`, `exec`, `vars()`, an enum's `_convert_`).
    #[default]
    Unknown,
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
    stars: Mutex<HashMap<PathBuf, Option<Arc<StarSummary>>>>,
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

/// Whether `from module import *` in the file being processed binds `name`:
/// `None` when the module is not in the project or its exports cannot be read
/// (outside a run, too).
pub fn star_import_binds(module: &str, name: &str) -> Option<bool> {
    CURRENT.with(|current| {
        // Busy while the index answers another question (summarising a module).
        let mut current = current.try_borrow_mut().ok()?;
        let context = current.as_mut()?;
        let index = Arc::clone(&context.index);
        let from = context.path.clone();
        index.star_binds(&from, module, name, &mut context.consulted, 0)
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

    fn star_binds(
        &self,
        from: &Path,
        module: &str,
        name: &str,
        consulted: &mut Vec<Dependency>,
        depth: usize,
    ) -> Option<bool> {
        if depth > MAX_REEXPORTS {
            return None;
        }
        let module_path = module_file(from, module)?;
        let summary = self.star_summary(&module_path)?;
        consulted.push((module_path.clone(), summary.content));
        match &summary.star {
            StarExports::Listed(names) => Some(names.contains(name)),
            StarExports::Unknown => None,
            StarExports::Public { .. } if name.starts_with('_') => Some(false),
            StarExports::Public { bound, star_imports } => {
                // A package also exports its submodules that were imported.
                let package = module_path.parent().filter(|_| module_path.ends_with("__init__.py"));
                let submodule = package.is_some_and(|dir| {
                    dir.join(format!("{name}.py")).exists() || dir.join(name).join("__init__.py").exists()
                });
                if bound.contains(name) || submodule {
                    return Some(true);
                }
                let mut answer = Some(false);
                for next in star_imports {
                    match self.star_binds(&module_path, next, name, consulted, depth + 1) {
                        Some(true) => return Some(true),
                        Some(false) => {}
                        None => answer = None,
                    }
                }
                answer
            }
        }
    }

    fn star_summary(&self, path: &Path) -> Option<Arc<StarSummary>> {
        if let Some(known) = self.stars.lock().expect("no panic holding the lock").get(path) {
            return known.clone();
        }
        let summary = std::fs::read(path)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .map(|source| Arc::new(summarise_star(&source)));
        self.stars
            .lock()
            .expect("no panic holding the lock")
            .insert(path.to_path_buf(), summary.clone());
        summary
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
                let Some((left, right)) = super::analysis::assignment_sides(definition) else {
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

fn summarise_star(source: &str) -> StarSummary {
    let content = stable_hash(source.as_bytes());
    let mut parser = super::python_parser();
    let star = match parser.parse(source, None) {
        Some(tree) => star_exports(tree.root_node(), source, &Semantic::build(&tree, source)),
        None => StarExports::Unknown,
    };
    StarSummary { content, star }
}

/// What `from <this module> import *` binds (see [`StarExports`]).
fn star_exports(root: Node, source: &str, semantic: &Semantic) -> StarExports {
    let mut all: Vec<Node> = Vec::new();
    walk(root, |n| {
        if n.kind() == "identifier" && text(n, source) == "__all__" {
            all.push(n);
        }
        true
    });
    if all.is_empty() {
        const DYNAMIC: &[&str] = &["globals(", "vars(", "exec(", "sys.modules", "_convert_("];
        if DYNAMIC.iter().any(|call| source.contains(call)) {
            return StarExports::Unknown;
        }
        let mut bound: HashSet<String> = semantic
            .bound_in
            .keys()
            .filter(|name| semantic.binds(0, name))
            .cloned()
            .collect();
        bound.extend(
            semantic
                .imports
                .iter()
                .filter(|i| i.scope == 0)
                .map(|i| i.local.clone()),
        );
        return StarExports::Public {
            bound,
            star_imports: semantic.star_imports.iter().map(|(module, _)| module.clone()).collect(),
        };
    }
    let mut listed = HashSet::new();
    for occurrence in all {
        match listed_names(occurrence, source) {
            Some(names) => listed.extend(names),
            None => return StarExports::Unknown,
        }
    }
    StarExports::Listed(listed)
}

/// The names one occurrence of `__all__` adds to it: `__all__ = [...]`,
/// `__all__ += (...)`, `__all__.extend([...])`, `__all__.append("...")` of
/// plain string literals; `None` for any other use.
fn listed_names(all: Node, source: &str) -> Option<Vec<String>> {
    let parent = all.parent()?;
    let value = match parent.kind() {
        "assignment" | "augmented_assignment" if parent.child_by_field_name("left") == Some(all) => {
            let operator = parent.child_by_field_name("operator").map(|o| o.kind());
            if !matches!(operator, None | Some("+=")) {
                return None;
            }
            parent.child_by_field_name("right")?
        }
        "attribute" => {
            let method = text(parent.child_by_field_name("attribute")?, source);
            let call = parent.parent().filter(|c| c.kind() == "call")?;
            let arguments = call.child_by_field_name("arguments")?;
            match (method, arguments.named_child_count()) {
                ("extend", 1) => arguments.named_child(0)?,
                ("append", 1) => return Some(vec![plain_string(arguments.named_child(0)?, source)?]),
                _ => return None,
            }
        }
        _ => return None,
    };
    if !matches!(value.kind(), "list" | "tuple") {
        return None;
    }
    let mut cursor = value.walk();
    let items: Vec<Node> = value
        .named_children(&mut cursor)
        .filter(|i| i.kind() != "comment")
        .collect();
    items.into_iter().map(|item| plain_string(item, source)).collect()
}

/// The value of a string literal with no prefix but `u`, interpolation or escape.
fn plain_string(node: Node, source: &str) -> Option<String> {
    let start = text(node.child(0)?, source);
    if node.kind() != "string" || !matches!(start, "\"" | "'" | "u\"" | "u'") || node.named_child_count() > 3 {
        return None;
    }
    match node.named_child(1).filter(|c| c.kind() == "string_content") {
        Some(content) if content.named_child_count() == 0 => Some(text(content, source).to_string()),
        Some(_) => None,
        None => Some(String::new()),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(source: &str) -> Option<Vec<String>> {
        match summarise_star(source).star {
            StarExports::Listed(names) => {
                let mut names: Vec<String> = names.into_iter().collect();
                names.sort();
                Some(names)
            }
            _ => None,
        }
    }

    #[test]
    fn a_literal_all_lists_exactly_what_a_star_import_binds() {
        let source =
            "__all__ = ['a']\n__all__ += ('b',)\n__all__.extend(['c'])\n__all__.append(\"d\")\ndef sum(): pass\n";
        assert_eq!(
            listed(source),
            Some(vec!["a".into(), "b".into(), "c".into(), "d".into()])
        );
    }

    #[test]
    fn an_all_perfmod_cannot_read_leaves_the_exports_unknown() {
        for source in [
            "from .a import *\nfrom . import a\n__all__ = a.__all__ + ['x']\n",
            "__all__ = ['x']\n__all__.extend(names)\n",
            "__all__ = ['a' 'b']\n",
            "__all__ = ['\\x73um']\n",
            "__all__ = [f'{x}']\n",
            "__all__ = ['x']\ndel __all__\n",
        ] {
            assert!(matches!(summarise_star(source).star, StarExports::Unknown), "{source}");
        }
    }

    #[test]
    fn without_all_public_names_are_exported_unless_bound_at_run_time() {
        let summary = summarise_star("import os\nfrom .x import *\ntry:\n    from y import sum\nexcept ImportError:\n    pass\ndef f():\n    global max\n    max = 1\n");
        let StarExports::Public { bound, star_imports } = summary.star else {
            panic!("public exports expected");
        };
        for name in ["os", "sum", "max", "f"] {
            assert!(bound.contains(name), "{name}");
        }
        assert_eq!(star_imports, vec![".x".to_string()]);
        for dynamic in [
            "globals()['sum'] = 1\n",
            "import sys\nsetattr(sys.modules[__name__], 'sum', 1)\n",
            "exec('sum = 1')\n",
        ] {
            assert!(
                matches!(summarise_star(dynamic).star, StarExports::Unknown),
                "{dynamic}"
            );
        }
    }
}

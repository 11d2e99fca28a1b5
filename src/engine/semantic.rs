//! What a file's names mean: the shared analysis every guard and fix asks.
//!
//! One iterative walk (no recursion: deeply nested input must not overflow the
//! stack) records the file's scopes as Python has them (module, class, function,
//! lambda, comprehension), what each import binds in which scope, which names
//! each scope binds otherwise, and how often each identifier is referenced.
//! Matching is then by qualified name: `import asyncio as aio; aio.gather`
//! resolves to `asyncio.gather`, and a local `def gather()` resolves to nothing
//! where that local is visible. A class body does not enclose its methods: a
//! class attribute `max = 0` or a method `sleep` hides nothing outside the class
//! body, and a local `sorted = ...` hides the builtin in its own function only.
use std::cell::{OnceCell, RefCell};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;
use tree_sitter::{Language, Node, Tree, TreeCursor};

/// One name bound by an import statement.
#[derive(Clone, Debug)]
pub struct ImportedName {
    /// The name the file uses (`aio` for `import asyncio as aio`).
    pub local: String,
    /// What it stands for (`asyncio`, `functools.cache`).
    pub qualified: String,
    /// Byte range of the `import` / `from` statement that binds it.
    pub statement: std::ops::Range<usize>,
    /// Whether the statement sits at module level (the only ones perfmod edits).
    pub top_level: bool,
    /// The scope it binds in (an index into [`Semantic::scopes`]).
    pub scope: usize,
}

/// What kind of block a [`Scope`] is: a class body's names are not visible in
/// the functions nested in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Class,
    /// A `def` or a lambda.
    Function,
    /// A list/set/dict comprehension or generator expression.
    Comprehension,
}

/// One Python scope (the names it binds are in [`Semantic::bound_in`]).
#[derive(Debug)]
pub struct Scope {
    pub kind: ScopeKind,
    /// Byte range of the node that opens it (the whole file for the module).
    pub range: std::ops::Range<usize>,
    pub parent: Option<usize>,
}

#[derive(Debug, Default)]
pub struct Semantic {
    pub imports: Vec<ImportedName>,
    /// Every scope, in the order they open (index 0 is the module): a scope
    /// nested in another comes after it.
    pub scopes: Vec<Scope>,
    /// Names bound other than by an import (assignments, defs, parameters,
    /// loop targets...), each with the scopes that bind it, in the order they
    /// open (one key per name: most names recur).
    pub bound_in: HashMap<String, Vec<usize>>,
    /// Identifier references outside import statements, by name.
    pub references: HashMap<String, usize>,
    /// The modules of the file's `from module import *` statements, with
    /// where each statement starts.
    pub star_imports: Vec<(String, usize)>,
    /// Names assigned from `....getLogger(...)`.
    pub loggers: HashSet<String>,
    /// What receiver proofs read from a scope's whole code, by the scope's
    /// node id, gathered by the first proof that asks.
    pub scope_names: RefCell<HashMap<usize, crate::engine::analysis::receivers::ScopeNames>>,
    /// Every name [`Semantic::resolve_name`] was asked about, in order, when
    /// recording (a model of a prefilter fragment, which answers like the whole
    /// file's as long as the statements left out bind none of these).
    looked_up: Option<RefCell<Vec<Lookup>>>,
    /// When set, a builtin that a star import of a module outside the project
    /// may rebind resolves to the builtin all the same, and the assumption is
    /// noted here (see [`Semantic::assumptions_since`]); else it resolves to
    /// nothing.
    assumed: Option<RefCell<Vec<String>>>,
    /// What guards compute once per file, by name ([`Semantic::file_memo`]).
    memos: FileMemos,
}

/// Values of any type, by name: [`Semantic::file_memo`].
#[derive(Default)]
struct FileMemos(RefCell<HashMap<&'static str, Box<dyn std::any::Any>>>);

impl std::fmt::Debug for FileMemos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.0.borrow().keys().copied().collect();
        f.debug_tuple("FileMemos").field(&names).finish()
    }
}

/// A question to the model whose answer the statements a prefilter fragment
/// leaves out could change.
#[derive(Clone, Debug)]
pub enum Lookup {
    /// What a name refers to ([`Semantic::resolve_name`]): a binding of it
    /// elsewhere could change the answer.
    Resolved(String),
    /// Whether a name occurs in the file ([`Semantic::is_name_taken`]): any
    /// occurrence elsewhere could change the answer.
    Spelled(String),
}

/// A file's [`Semantic`] model, built the first time a guard, template or
/// fixer asks it something: many matches need none (`.keys()`, `in [...]`).
pub struct LazySemantic<'t> {
    tree: &'t Tree,
    source: &'t str,
    /// Whether the model records the names it resolves (see [`Semantic::lookups`]).
    record_lookups: bool,
    model: OnceCell<Semantic>,
}

impl<'t> LazySemantic<'t> {
    pub fn new(tree: &'t Tree, source: &'t str, record_lookups: bool) -> Self {
        LazySemantic {
            tree,
            source,
            record_lookups,
            model: OnceCell::new(),
        }
    }

    /// [`Semantic::lookups`], without building the model.
    pub fn lookups(&self) -> usize {
        self.model.get().map_or(0, Semantic::lookups)
    }

    /// [`Semantic::lookups_since`], without building the model.
    pub fn lookups_since(&self, mark: usize) -> Vec<Lookup> {
        self.model
            .get()
            .map(|model| model.lookups_since(mark))
            .unwrap_or_default()
    }

    /// [`Semantic::assumptions`], without building the model.
    pub fn assumptions(&self) -> usize {
        self.model.get().map_or(0, Semantic::assumptions)
    }

    /// [`Semantic::assumptions_since`], without building the model (a match
    /// that never asked it assumed nothing).
    pub fn assumptions_since(&self, mark: usize) -> Vec<String> {
        self.model
            .get()
            .map(|model| model.assumptions_since(mark))
            .unwrap_or_default()
    }

    /// The model, if anything asked for it.
    pub fn into_built(self) -> Option<Semantic> {
        self.model.into_inner()
    }
}

impl std::ops::Deref for LazySemantic<'_> {
    type Target = Semantic;

    fn deref(&self) -> &Semantic {
        self.model.get_or_init(|| {
            let mut model = Semantic::build(self.tree, self.source);
            model.looked_up = self.record_lookups.then(RefCell::default);
            // The matches of a file read what they assumed (see `matching::find`).
            model.assumed = Some(RefCell::default());
            model
        })
    }
}

impl Semantic {
    pub fn build(tree: &Tree, source: &str) -> Self {
        let mut model = Semantic {
            scopes: vec![Scope {
                kind: ScopeKind::Module,
                range: 0..source.len(),
                parent: None,
            }],
            ..Semantic::default()
        };
        let mut cursor = tree.walk();
        // (kind, field in its parent) of every ancestor of the cursor's node:
        // `Node::parent` costs a walk from the root, so the walk keeps its own path.
        let mut ancestors: Vec<(&'static str, Option<&'static str>)> = Vec::new();
        // The open scopes, innermost last: (scope, depth of the node that opened it).
        let mut open: Vec<(usize, usize)> = vec![(0, 0)];
        'walk: loop {
            let node = cursor.node();
            let mut descend = true;
            let kind = kind_of(node);
            if let Some(scope_kind) = scope_kind_of(kind) {
                let parent = open.last().map(|(scope, _)| *scope);
                model.scopes.push(Scope {
                    kind: scope_kind,
                    range: node.byte_range(),
                    parent,
                });
                open.push((model.scopes.len() - 1, ancestors.len()));
            }
            match kind {
                "import_statement" | "import_from_statement" => {
                    let top_level = ancestors.last().is_some_and(|(kind, _)| *kind == "module");
                    let scope = open.last().map_or(0, |(scope, _)| *scope);
                    model.record_import(node, source, top_level, scope);
                    descend = false;
                }
                "future_import_statement" => descend = false,
                // Only an f-string holds names.
                "string" => {
                    let prefix = text(node, source).split(['\'', '"']).next().unwrap_or("");
                    descend = prefix.contains(['f', 'F']);
                }
                "assignment" => model.record_logger(node, source),
                // `x.name` and `f(name=...)` do not refer to a variable `name`.
                "identifier"
                    if matches!(
                        (ancestors.last(), field_of(&cursor)),
                        (Some(("attribute", _)), Some("attribute")) | (Some(("keyword_argument", _)), Some("name"))
                    ) => {}
                "identifier" => {
                    // Most names recur: allocate a key only for the first occurrence.
                    let name = text(node, source);
                    match model.references.get_mut(name) {
                        Some(count) => *count += 1,
                        None => {
                            model.references.insert(name.to_string(), 1);
                        }
                    }
                    if let Some((at, decider)) = binding_decider(&ancestors, field_of(&cursor)) {
                        model.record_binding(name, binding_scopes(&open, &model.scopes, at, decider));
                    }
                }
                _ => {}
            }
            if descend {
                let field = field_of(&cursor);
                if cursor.goto_first_child() {
                    ancestors.push((kind_of(node), field));
                    continue;
                }
            }
            loop {
                // Leaving this node closes the scope it opened.
                while open.len() > 1 && open.last().is_some_and(|(_, depth)| *depth >= ancestors.len()) {
                    open.pop();
                }
                if cursor.goto_next_sibling() {
                    continue 'walk;
                }
                if !cursor.goto_parent() {
                    break 'walk;
                }
                ancestors.pop();
            }
        }
        model
    }

    /// Records `name` as bound (other than by an import) in the scopes given.
    fn record_binding(&mut self, name: &str, scopes: [Option<usize>; 2]) {
        let bound = match self.bound_in.get_mut(name) {
            Some(bound) => bound,
            None => self.bound_in.entry(name.to_string()).or_default(),
        };
        for scope in scopes.into_iter().flatten() {
            if !bound.contains(&scope) {
                bound.push(scope);
            }
        }
    }

    fn record_import(&mut self, statement: Node, source: &str, top_level: bool, scope: usize) {
        let range = statement.byte_range();
        let module = statement
            .child_by_field_name("module_name")
            .map(|m| text(m, source).to_string());
        let mut cursor = statement.walk();
        for child in statement.named_children(&mut cursor) {
            if Some(child) == statement.child_by_field_name("module_name") {
                continue;
            }
            let (name, alias) = match child.kind() {
                "dotted_name" => (text(child, source), None),
                "aliased_import" => (
                    child.child_by_field_name("name").map_or("", |n| text(n, source)),
                    child.child_by_field_name("alias").map(|a| text(a, source)),
                ),
                "wildcard_import" => {
                    self.star_imports.extend(module.clone().map(|m| (m, range.start)));
                    continue;
                }
                _ => continue,
            };
            let (local, qualified) = match (&module, alias) {
                (Some(module), alias) => (alias.unwrap_or(name).to_string(), format!("{module}.{name}")),
                (None, Some(alias)) => (alias.to_string(), name.to_string()),
                // `import a.b` binds `a`, which stands for the package `a`.
                (None, None) => {
                    let head = name.split('.').next().unwrap_or(name);
                    (head.to_string(), head.to_string())
                }
            };
            self.imports.push(ImportedName {
                local,
                qualified,
                statement: range.clone(),
                top_level,
                scope,
            });
        }
    }

    fn record_logger(&mut self, assignment: Node, source: &str) {
        let (Some(left), Some(right)) = (
            assignment.child_by_field_name("left"),
            assignment.child_by_field_name("right"),
        ) else {
            return;
        };
        let is_get_logger = right.kind() == "call"
            && right
                .child_by_field_name("function")
                .is_some_and(|f| text(f, source).ends_with("getLogger"));
        if is_get_logger && left.kind() == "identifier" {
            self.loggers.insert(text(left, source).to_string());
        }
    }

    /// The qualified name an expression refers to, if it can be proven:
    /// identifiers and attribute chains rooted in an import or a builtin.
    pub fn resolve(&self, node: Node, source: &str) -> Option<String> {
        match node.kind() {
            "identifier" => self.resolve_name_at(text(node, source), node.start_byte()),
            "attribute" => {
                let object = node.child_by_field_name("object")?;
                let attribute = node.child_by_field_name("attribute")?;
                let base = self.resolve(object, source)?;
                if base.starts_with("builtins.") {
                    return None;
                }
                Some(format!("{base}.{}", text(attribute, source)))
            }
            _ => None,
        }
    }

    /// How many lookups were recorded so far: a mark for [`Semantic::lookups_since`].
    pub fn lookups(&self) -> usize {
        self.looked_up.as_ref().map_or(0, |names| names.borrow().len())
    }

    /// The lookups recorded since `mark`, but for names the model itself saw
    /// bound at module level other than by an import (a lookup that reaches the
    /// module finds nothing however many more bindings the file holds, and one
    /// that stops in a function or class is decided inside the statement that
    /// holds it).
    pub fn lookups_since(&self, mark: usize) -> Vec<Lookup> {
        let Some(looked_up) = &self.looked_up else {
            return Vec::new();
        };
        looked_up.borrow()[mark..]
            .iter()
            .filter(|lookup| !matches!(lookup, Lookup::Resolved(name) if self.binds(0, name)))
            .cloned()
            .collect()
    }

    fn record(&self, lookup: impl FnOnce() -> Lookup) {
        if let Some(looked_up) = &self.looked_up {
            looked_up.borrow_mut().push(lookup());
        }
    }

    /// The whole-file value `name` (a fact, where some nodes are), computed by
    /// `compute` the first time it is asked and remembered, so a guard pays
    /// for a walk of the file once, not at every match. A model recording its
    /// lookups (a fragment's) computes it every time: each match must record
    /// what it resolved; so is a value whose computing assumed something.
    pub fn file_memo<T: Clone + 'static>(&self, name: &'static str, compute: impl FnOnce() -> T) -> T {
        if self.looked_up.is_some() {
            return compute();
        }
        if let Some(known) = self.memos.0.borrow().get(name).and_then(|v| v.downcast_ref::<T>()) {
            return known.clone();
        }
        let assumptions = || self.assumed.as_ref().map_or(0, |a| a.borrow().len());
        let before = assumptions();
        let value = compute();
        if assumptions() == before {
            self.memos.0.borrow_mut().insert(name, Box::new(value.clone()));
        }
        value
    }

    /// Whether a bare `name` written at byte `at` means the builtin of that name
    /// (no scope it sees binds or star-imports over it), so a rewrite may write
    /// `min` or `max` there.
    pub fn is_builtin(&self, name: &str, at: usize) -> bool {
        self.resolve_name_at(name, at)
            .is_some_and(|q| q.strip_prefix("builtins.") == Some(name))
    }

    /// What a bare name read at byte `at` refers to, looked up as Python does:
    /// the innermost scope, then the enclosing functions and comprehensions
    /// (never an enclosing class body), then the module, then the builtins
    /// (`builtins.len`). `None` when a binding perfmod cannot follow (an
    /// assignment, a parameter, conflicting imports, a star import that binds
    /// it or may) decides it.
    pub fn resolve_name_at(&self, name: &str, at: usize) -> Option<String> {
        self.record(|| Lookup::Resolved(name.to_string()));
        let mut scope = Some(self.scope_at(at));
        let mut innermost = true;
        while let Some(index) = scope {
            let current = &self.scopes[index];
            if innermost || current.kind != ScopeKind::Class {
                match self.binding_in(index, name) {
                    // A module-level import, unless a star import after it rebinds the name.
                    Some(Some(imported)) if index == 0 && !self.star_imports.is_empty() => {
                        let at = self.imports.iter().filter(|i| i.scope == 0 && i.local == name);
                        let last = at.map(|i| i.statement.start).max().unwrap_or(0);
                        return self.past_star_imports(name, last, imported);
                    }
                    Some(answer) => return answer,
                    None => {}
                }
            }
            innermost = false;
            scope = current.parent;
        }
        self.past_star_imports(name, 0, format!("builtins.{name}"))
    }

    /// `answer` (what `name` holds: a builtin, or a module-level import ending
    /// at byte `after`), unless a star import after that may rebind it: a module
    /// of the project that binds `name` (its `__all__`, else its public
    /// top-level names) hides it; a module perfmod cannot read is assumed not
    /// to, when the model notes assumptions, else it hides it too.
    fn past_star_imports(&self, name: &str, after: usize, answer: String) -> Option<String> {
        let mut unread = None;
        for (module, _) in self.star_imports.iter().filter(|(_, at)| *at >= after) {
            match super::module_index::star_import_binds(module, name) {
                Some(true) => return None,
                Some(false) => {}
                None => unread = unread.or(Some(module)),
            }
        }
        if let Some(module) = unread {
            let assumed = self.assumed.as_ref()?;
            assumed.borrow_mut().push(format!(
                "`from {module} import *` could rebind `{name}`, and perfmod cannot read what it exports"
            ));
        }
        Some(answer)
    }

    /// How many assumptions were noted so far: a mark for [`Semantic::assumptions_since`].
    pub fn assumptions(&self) -> usize {
        self.assumed.as_ref().map_or(0, |assumed| assumed.borrow().len())
    }

    /// The assumptions noted since `mark`: what a finding relies on that
    /// perfmod could not check (its rewrite is unsafe, with this reason).
    pub fn assumptions_since(&self, mark: usize) -> Vec<String> {
        self.assumed
            .as_ref()
            .map(|assumed| assumed.borrow()[mark..].to_vec())
            .unwrap_or_default()
    }

    /// What `name` holds in one scope: `None` when the scope does not bind it,
    /// `Some(None)` when it does other than by one unambiguous import.
    fn binding_in(&self, scope: usize, name: &str) -> Option<Option<String>> {
        if self.binds(scope, name) {
            return Some(None);
        }
        let mut bound = self.imports.iter().filter(|i| i.scope == scope && i.local == name);
        let first = bound.next()?;
        // Imported twice: only unambiguous when both say the same.
        Some(
            bound
                .all(|i| i.qualified == first.qualified)
                .then(|| first.qualified.clone()),
        )
    }

    /// Whether `scope` binds `name` other than by an import.
    pub fn binds(&self, scope: usize, name: &str) -> bool {
        self.bound_in.get(name).is_some_and(|scopes| scopes.contains(&scope))
    }

    /// The innermost scope containing byte `at`.
    pub fn scope_at(&self, at: usize) -> usize {
        // Scopes open in order of their start: the last one starting at or
        // before `at`, or the nearest of its ancestors that still contains it.
        let mut scope = self.scopes.partition_point(|s| s.range.start <= at).saturating_sub(1);
        while !self.scopes[scope].range.contains(&at) {
            match self.scopes[scope].parent {
                Some(parent) => scope = parent,
                None => return 0,
            }
        }
        scope
    }

    /// The local spelling that reaches `qualified` at byte `at` through an
    /// existing module-level import, e.g. `aio.sleep` for `asyncio.sleep`
    /// after `import asyncio as aio`.
    pub fn spelling_of(&self, qualified: &str, at: usize) -> Option<String> {
        let usable = |imported: &&ImportedName| {
            imported.top_level && self.resolve_name_at(&imported.local, at).as_deref() == Some(&imported.qualified)
        };
        if let Some(direct) = self.imports.iter().filter(usable).find(|i| i.qualified == qualified) {
            return Some(direct.local.clone());
        }
        self.imports
            .iter()
            .filter(usable)
            .find_map(|i| {
                qualified
                    .strip_prefix(&format!("{}.", i.qualified))
                    .map(|rest| format!("{}.{rest}", i.local))
            })
            .filter(|spelling| !spelling.starts_with('.'))
    }

    /// Whether `name` is used or bound anywhere, so binding it anew would clash.
    pub fn is_name_taken(&self, name: &str) -> bool {
        self.record(|| Lookup::Spelled(name.to_string()));
        self.references.contains_key(name)
            || self.bound_in.contains_key(name)
            || self.imports.iter().any(|i| i.local == name)
    }

    pub fn reference_count(&self, name: &str) -> usize {
        self.record(|| Lookup::Spelled(name.to_string()));
        self.references.get(name).copied().unwrap_or(0)
    }
}

/// A position past every scope: [`Semantic::resolve_name_at`] and
/// [`Semantic::spelling_of`] there read names as module-level code does.
pub const AT_MODULE_LEVEL: usize = usize::MAX;

/// The source text of a node (sources are `&str`, so every node boundary is a char boundary).
pub fn text<'s>(node: Node, source: &'s str) -> &'s str {
    &source[node.byte_range()]
}

/// Target shapes that pass "is this name bound?" up to their parent
/// (`a, b = ...`, `for (x, y) in ...`).
const PASS_THROUGH: &[&str] = &[
    "pattern_list",
    "tuple_pattern",
    "list_pattern",
    "parenthesized_expression",
    "expression_list",
    "tuple",
    "list",
];

/// `node.kind()` from a table: `Node::kind` measures and checks the grammar's
/// C string on every call, which a walk over every node of a file feels.
fn kind_of(node: Node) -> &'static str {
    static KINDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    let kinds = KINDS.get_or_init(|| {
        let language: Language = tree_sitter_python::LANGUAGE.into();
        (0..language.node_kind_count())
            .map(|id| language.node_kind_for_id(id as u16).unwrap_or(""))
            .collect()
    });
    kinds.get(node.kind_id() as usize).copied().unwrap_or("")
}

/// `cursor.field_name()` from a table, as [`kind_of`].
fn field_of(cursor: &TreeCursor) -> Option<&'static str> {
    static FIELDS: OnceLock<Vec<Option<&'static str>>> = OnceLock::new();
    let fields = FIELDS.get_or_init(|| {
        let language: Language = tree_sitter_python::LANGUAGE.into();
        (0..=language.field_count())
            .map(|id| language.field_name_for_id(id as u16))
            .collect()
    });
    fields.get(cursor.field_id()?.get() as usize).copied().flatten()
}

/// The node kinds that open a scope of their own.
fn scope_kind_of(kind: &str) -> Option<ScopeKind> {
    match kind {
        "function_definition" | "lambda" => Some(ScopeKind::Function),
        "class_definition" => Some(ScopeKind::Class),
        "list_comprehension" | "set_comprehension" | "dictionary_comprehension" | "generator_expression" => {
            Some(ScopeKind::Comprehension)
        }
        _ => None,
    }
}

/// Whether an identifier is a name being bound (assigned, defined, a
/// parameter...), from its ancestors' kinds and the fields linking them.
fn binds_name(ancestors: &[(&str, Option<&str>)], field: Option<&str>) -> bool {
    binding_decider(ancestors, field).is_some()
}

/// When an identifier is a name being bound: the index in `ancestors` of the
/// node that binds it and that node's kind.
fn binding_decider<'k>(ancestors: &[(&'k str, Option<&str>)], field: Option<&str>) -> Option<(usize, &'k str)> {
    let mut field = field;
    for (index, &(kind, kind_field)) in ancestors.iter().enumerate().rev() {
        let binds = match kind {
            "function_definition" | "class_definition" => field == Some("name"),
            "parameters" | "lambda_parameters" | "list_splat_pattern" | "dictionary_splat_pattern" => true,
            "typed_parameter" => field.is_none(),
            "default_parameter" | "typed_default_parameter" => field == Some("name"),
            "assignment" | "augmented_assignment" | "for_statement" | "for_in_clause" => field == Some("left"),
            "named_expression" => field == Some("name"),
            "as_pattern_target" | "global_statement" | "nonlocal_statement" => true,
            _ if PASS_THROUGH.contains(&kind) => {
                field = kind_field;
                continue;
            }
            _ => false,
        };
        return binds.then_some((index, kind));
    }
    None
}

/// The scopes a binding decided by the ancestor at `at` (of kind `decider`)
/// lands in, given the open scopes `(scope, depth of its node)`: a `def` or
/// `class` name in the scope around it, a walrus in the nearest scope that is
/// not a comprehension, a `global` name in its function and the module, any
/// other in the innermost scope.
fn binding_scopes(open: &[(usize, usize)], scopes: &[Scope], at: usize, decider: &str) -> [Option<usize>; 2] {
    let innermost = |pick: &dyn Fn(usize, usize) -> bool| {
        open.iter()
            .rev()
            .find(|(scope, depth)| pick(*scope, *depth))
            .map(|(scope, _)| *scope)
    };
    match decider {
        "function_definition" | "class_definition" => [innermost(&|_, depth| depth < at), None],
        "named_expression" => [
            innermost(&|scope, depth| depth <= at && scopes[scope].kind != ScopeKind::Comprehension),
            None,
        ],
        "global_statement" => [innermost(&|_, depth| depth <= at), Some(0)],
        _ => [innermost(&|_, depth| depth <= at), None],
    }
}

/// Whether this identifier is a name being bound (assigned, defined, a
/// parameter...). For one node; [`Semantic::build`] decides it for every
/// identifier during its walk instead, since `Node::parent` walks from the root.
pub fn is_binding_position(identifier: Node) -> bool {
    let Some(parent) = identifier.parent() else {
        return false;
    };
    let field = field_name_of(parent, identifier);
    // Only tuple-like targets pass the question up, so the path stops at the
    // first ancestor that decides (`Node::parent` walks from the root each time).
    const PASS_THROUGH: &[&str] = &[
        "pattern_list",
        "tuple_pattern",
        "list_pattern",
        "parenthesized_expression",
        "expression_list",
        "tuple",
        "list",
    ];
    let mut ancestors = Vec::new();
    let mut current = Some(parent);
    while let Some(node) = current {
        let up = node.parent();
        ancestors.push((node.kind(), up.and_then(|p| field_name_of(p, node))));
        if !PASS_THROUGH.contains(&node.kind()) {
            break;
        }
        current = up;
    }
    ancestors.reverse();
    binds_name(&ancestors, field)
}

fn field_name_of<'t>(parent: Node<'t>, child: Node<'t>) -> Option<&'static str> {
    let mut cursor = parent.walk();
    if !cursor.goto_first_child() {
        return None;
    }
    loop {
        if cursor.node() == child {
            return cursor.field_name();
        }
        if !cursor.goto_next_sibling() {
            return None;
        }
    }
}

/// The innermost `def` (or lambda) containing `node`.
pub fn enclosing_function(node: Node) -> Option<Node> {
    let mut current = node.parent();
    while let Some(n) = current {
        if matches!(n.kind(), "function_definition" | "lambda") {
            return Some(n);
        }
        current = n.parent();
    }
    None
}

/// Whether `node` runs directly in the body of an `async def`
/// (not in a nested plain `def`, lambda or class body).
pub fn in_async_function(node: Node) -> bool {
    enclosing_function(node).is_some_and(is_async_def)
}

pub fn is_async_def(function: Node) -> bool {
    function.kind() == "function_definition" && function.child(0).is_some_and(|c| c.kind() == "async")
}

/// The statement that contains `node` (itself, if it is one).
pub fn enclosing_statement(node: Node) -> Node {
    let mut current = node;
    loop {
        match current.parent() {
            Some(parent) if matches!(parent.kind(), "module" | "block") => return current,
            Some(parent) => current = parent,
            None => return current,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn a_file_memo_is_computed_once_unless_the_model_records_its_lookups() {
        let source = "x = 1\n";
        let tree = crate::engine::python_parser().parse(source, None).unwrap();
        let computed = Cell::new(0);
        let fact = || {
            computed.set(computed.get() + 1);
            true
        };
        let whole_file = LazySemantic::new(&tree, source, false);
        assert!(whole_file.file_memo("fact", fact) && whole_file.file_memo("fact", fact));
        assert_eq!(computed.get(), 1);
        // A fragment's model: every match records what computing it resolves.
        let fragment = LazySemantic::new(&tree, source, true);
        assert!(fragment.file_memo("fact", fact) && fragment.file_memo("fact", fact));
        assert_eq!(computed.get(), 3);
    }

    fn resolve_all(source: &str, expr: &str) -> Option<String> {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&tree_sitter_python::LANGUAGE.into()).unwrap();
        let tree = parser.parse(source, None).unwrap();
        let model = Semantic::build(&tree, source);
        let at = source.rfind(expr).unwrap();
        let node = tree.root_node().descendant_for_byte_range(at, at + expr.len()).unwrap();
        model.resolve(node, source)
    }

    #[test]
    fn resolves_through_aliases_and_from_imports() {
        assert_eq!(
            resolve_all("import asyncio as aio\naio.gather\n", "aio.gather").as_deref(),
            Some("asyncio.gather")
        );
        assert_eq!(
            resolve_all("from time import sleep as nap\nnap\n", "nap").as_deref(),
            Some("time.sleep")
        );
        assert_eq!(
            resolve_all("import os.path\nos.path.join\n", "os.path.join").as_deref(),
            Some("os.path.join")
        );
        assert_eq!(resolve_all("sorted\n", "sorted").as_deref(), Some("builtins.sorted"));
    }

    #[test]
    fn binding_positions_from_a_node() {
        let source = "(aa, [bb]) = ff(cc)\nfor dd in ee: pass\ndef gg(hh, *kk): jj\n";
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&tree_sitter_python::LANGUAGE.into()).unwrap();
        let tree = parser.parse(source, None).unwrap();
        let binds = |name: &str| {
            let at = source.find(name).unwrap();
            is_binding_position(tree.root_node().descendant_for_byte_range(at, at + 1).unwrap())
        };
        for bound in ["aa", "bb", "dd", "gg", "hh", "kk"] {
            assert!(binds(bound), "{bound} is bound");
        }
        for read in ["ff", "cc", "ee", "jj"] {
            assert!(!binds(read), "{read} is only read");
        }
    }

    #[test]
    fn shadowed_names_resolve_to_nothing() {
        assert_eq!(resolve_all("def gather(): pass\ngather\n", "gather"), None);
        assert_eq!(
            resolve_all("import time\ndef f(time): time.sleep\n", "time.sleep"),
            None
        );
        assert_eq!(resolve_all("from x import *\nsorted\n", "sorted"), None);
    }

    /// What `expr`, the first one after `prefix`, resolves to.
    fn resolve_after(source: &str, prefix: &str, expr: &str) -> Option<String> {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&tree_sitter_python::LANGUAGE.into()).unwrap();
        let tree = parser.parse(source, None).unwrap();
        let model = Semantic::build(&tree, source);
        let from = source.find(prefix).unwrap() + prefix.len();
        let at = from + source[from..].find(expr).unwrap();
        let node = tree.root_node().descendant_for_byte_range(at, at + expr.len()).unwrap();
        model.resolve(node, source)
    }

    #[test]
    fn scopes_are_pythons() {
        let builtin = |name: &str| Some(format!("builtins.{name}"));
        // A class attribute hides the builtin in the class body only.
        let source = "class A:\n    max = 0\n    top = max\n    def m(self):\n        return max\nmax\n";
        assert_eq!(resolve_after(source, "top = ", "max"), None);
        assert_eq!(resolve_after(source, "return ", "max"), builtin("max"));
        assert_eq!(resolve_after(source, "return max\n", "max"), builtin("max"));
        // A local hides the builtin in its own function and the functions nested in it.
        let source = "def f(x):\n    sorted = g\n    def h(y):\n        return sorted(y)\n    return sorted(x)\ndef k(x):\n    return sorted(x)[0]\n";
        assert_eq!(resolve_after(source, "def k", "sorted"), builtin("sorted"));
        assert_eq!(resolve_after(source, "def h", "sorted"), None);
        assert_eq!(resolve_after(source, "return sorted(y)", "sorted"), None);
        // A method named like an import does not hide it.
        let source =
            "from time import sleep\nclass A:\n    def sleep(self):\n        pass\nasync def f():\n    sleep(1)\n";
        assert_eq!(resolve_after(source, "async def", "sleep"), Some("time.sleep".into()));
        // A function's name belongs to the scope around it.
        let source = "class A:\n    def sorted(self):\n        return sorted(self.x)\n";
        assert_eq!(resolve_after(source, "return ", "sorted"), builtin("sorted"));
        // A comprehension's target is its own; a walrus in it binds in the function.
        assert_eq!(
            resolve_after("[max for max in xs]\nmax(xs)\n", "]", "max"),
            builtin("max")
        );
        assert_eq!(
            resolve_after("def f():\n    [(min := v) for v in xs]\n    min(xs)\n", "]", "min"),
            None
        );
        // An import inside a function binds there only; `global` reaches the module.
        let source = "def f():\n    import time as t\n    t.sleep\ndef g():\n    t.sleep\n";
        assert_eq!(
            resolve_after(source, "import time as t", "t.sleep"),
            Some("time.sleep".into())
        );
        assert_eq!(resolve_after(source, "def g", "t.sleep"), None);
        assert_eq!(
            resolve_after("def f():\n    global sum\n    sum = 0\nsum(xs)\n", "= 0", "sum"),
            None
        );
    }

    #[test]
    fn spelling_reuses_existing_imports() {
        let source = "import asyncio as aio\nfrom functools import cache as memo\n";
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&tree_sitter_python::LANGUAGE.into()).unwrap();
        let model = Semantic::build(&parser.parse(source, None).unwrap(), source);
        assert_eq!(
            model.spelling_of("asyncio.sleep", AT_MODULE_LEVEL).as_deref(),
            Some("aio.sleep")
        );
        assert_eq!(
            model.spelling_of("functools.cache", AT_MODULE_LEVEL).as_deref(),
            Some("memo")
        );
        assert_eq!(model.spelling_of("collections.deque", AT_MODULE_LEVEL), None);
    }
}

//! What kind of value a method's receiver is: the proofs behind rewrites that
//! are only right for one type (`d.keys()` -> `d` only for a real `dict`,
//! lazy `%`-arguments only for a standard-library logger).
//!
//! A proof reads the file alone: how the receiver's name is bound in its scope
//! (every binding must give the kind), the annotation of a parameter or of a
//! `self` attribute, or a constructor call right there. Anything else is
//! unproven, and the rewrite is unsafe, with a reason the user can read.
//! A name imported from another module of the project is followed there by
//! the project index ([`follow_import`]); one imported from elsewhere is
//! unproven.
use super::{methods, statements, walk};
use crate::engine::module_index::{self, ValueKind};
use crate::engine::semantic::{enclosing_function, is_binding_position, text, Semantic};
use std::collections::{HashMap, HashSet};
use tree_sitter::Node;

/// How a receiver's kind was (not) shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proof {
    /// It is certainly of the kind.
    Shown,
    /// It may be something else: why perfmod cannot tell.
    NotShown(String),
}

/// One way a name gets its value in a scope.
#[derive(Debug, Clone, Copy)]
enum Binding<'t> {
    /// `name = value` (also chained, and `name: T = value`).
    Value(Node<'t>),
    /// A parameter or `name: T` annotated with this type.
    Annotated(Node<'t>),
    /// `**name`: always a fresh `dict`.
    KeywordsParameter,
    /// `with value as name`: what `value.__enter__()` returns.
    WithAs(Node<'t>),
    /// `from module import name` (`module.name` qualified).
    Import(&'t str),
    /// Such an import the project index followed into a module of the
    /// checked tree: what that module binds the name to.
    Imported(ValueKind),
    /// Anything else (a loop target, `with ... as`, `def`, `global`, a
    /// parameter without annotation...): the value cannot be told.
    Other(&'static str),
}

// ---------------------------------------------------------------------------
// dict

/// Whether `receiver` (the object of `receiver.keys()`) is certainly a
/// built-in `dict` (or `defaultdict`, `OrderedDict`, `Counter`, which keep
/// `dict`'s `__iter__` and `__contains__`).
pub fn dict_proof(receiver: Node, source: &str, semantic: &Semantic) -> Proof {
    let spelled = text(receiver, source);
    let not_shown = |why: &str| {
        Proof::NotShown(format!(
            "`{spelled}` is not shown to be a dict ({why}); an object with its own `keys()` may iterate or test membership differently"
        ))
    };
    match receiver.kind() {
        "dictionary" | "dictionary_comprehension" => Proof::Shown,
        "call" if is_dict_value(receiver, source, semantic) => Proof::Shown,
        "parenthesized_expression" => receiver
            .named_child(0)
            .map_or(not_shown("an empty expression"), |inner| {
                dict_proof(inner, source, semantic)
            }),
        "identifier" => match name_proof(receiver, source, semantic, &|binding| match binding {
            Binding::Value(value) => is_dict_value(value, source, semantic),
            Binding::Annotated(annotation) => is_dict_annotation(annotation, source, semantic),
            Binding::KeywordsParameter => true,
            Binding::WithAs(_) | Binding::Import(_) | Binding::Imported(_) | Binding::Other(_) => false,
        }) {
            Ok(()) => Proof::Shown,
            Err(why) => not_shown(&why),
        },
        "attribute" => match self_attribute_annotation(receiver, source, semantic) {
            Some(annotation) if is_dict_annotation(annotation, source, semantic) => Proof::Shown,
            Some(_) => not_shown("its annotation is not `dict[...]`"),
            None if self_and_class(receiver, source).is_some() => {
                not_shown("an attribute without a `dict` annotation in its class")
            }
            None => not_shown("an attribute of an object perfmod does not follow"),
        },
        _ => not_shown("an expression of unknown type"),
    }
}

/// `self.keys()` inside a class that defines its own `keys`, `__iter__` or
/// `__contains__`: the class *is* the mapping, and `in self` / `for k in
/// self` would call its own protocol (from `__contains__`, recursion).
pub fn is_self_in_mapping_class(receiver: Node, source: &str, semantic: &Semantic) -> bool {
    if receiver.kind() != "identifier" {
        return false;
    }
    let Some((_, class)) = self_and_class(receiver, source) else {
        return false;
    };
    // A fragment that leaves out a method of these names defers to the file.
    for method in ["keys", "__iter__", "__contains__"] {
        semantic.is_name_taken(method);
    }
    methods(class).iter().any(|method| {
        method
            .child_by_field_name("name")
            .is_some_and(|n| matches!(text(n, source), "keys" | "__iter__" | "__contains__"))
    })
}

/// A value that is certainly a fresh dict: a literal, a comprehension,
/// `dict(...)`, `globals()`, `collections.defaultdict/OrderedDict/Counter(...)`.
fn is_dict_value(value: Node, source: &str, semantic: &Semantic) -> bool {
    match value.kind() {
        "dictionary" | "dictionary_comprehension" => true,
        "parenthesized_expression" => value
            .named_child(0)
            .is_some_and(|inner| is_dict_value(inner, source, semantic)),
        "call" => value
            .child_by_field_name("function")
            .and_then(|f| semantic.resolve(f, source))
            .is_some_and(|callee| {
                matches!(
                    callee.as_str(),
                    "builtins.dict"
                        | "builtins.globals"
                        | "collections.defaultdict"
                        | "collections.OrderedDict"
                        | "collections.Counter"
                )
            }),
        _ => false,
    }
}

/// `dict`, `dict[...]`, `typing.Dict[...]`, `DefaultDict`, `OrderedDict`,
/// `Counter` (the class, not `Mapping` or a protocol), also as a string.
fn is_dict_annotation(annotation: Node, source: &str, semantic: &Semantic) -> bool {
    let mut node = annotation;
    if node.kind() == "type" {
        match node.named_child(0) {
            Some(inner) => node = inner,
            None => return false,
        }
    }
    let head = match node.kind() {
        "generic_type" => node.named_child(0),
        "subscript" => node.child_by_field_name("value"),
        _ => Some(node),
    };
    head.and_then(|h| semantic.resolve(h, source)).is_some_and(|q| {
        matches!(
            q.as_str(),
            "builtins.dict"
                | "typing.Dict"
                | "typing.DefaultDict"
                | "typing.OrderedDict"
                | "typing.Counter"
                | "collections.defaultdict"
                | "collections.OrderedDict"
                | "collections.Counter"
        )
    })
}

// ---------------------------------------------------------------------------
// ordering

/// Whether the items `sorted(args)` compares (the keys, with `key=`) are
/// certainly totally ordered, so the first of the sort is `min()`'s answer:
/// with `key=len` (ints), or over a literal of numbers or of strings, or a
/// `range`. NaN floats and sets are not: `sorted([2, nan, 1])[0]` is 2 where
/// `min()` gives 1.
pub fn totally_ordered_proof(args: Node, source: &str, semantic: &Semantic) -> Proof {
    let mut cursor = args.walk();
    let arguments: Vec<Node> = args
        .named_children(&mut cursor)
        .filter(|a| a.kind() != "comment")
        .collect();
    let key = arguments.iter().find_map(|a| {
        (a.kind() == "keyword_argument" && a.child_by_field_name("name").is_some_and(|n| text(n, source) == "key"))
            .then(|| a.child_by_field_name("value"))
            .flatten()
    });
    let not_shown = Proof::NotShown(
        "its items are not shown to be totally ordered: with NaN floats or sets, `sorted()` and `min()`/`max()` pick different elements"
            .to_string(),
    );
    if let Some(key) = key {
        return match key.kind() == "identifier" && semantic.resolve(key, source).as_deref() == Some("builtins.len") {
            true => Proof::Shown,
            false => not_shown,
        };
    }
    let Some(iterable) = arguments.iter().find(|a| a.kind() != "keyword_argument") else {
        return not_shown;
    };
    let literal_kind = |item: Node| match item.kind() {
        "integer" | "float" | "true" | "false" => Some("number"),
        "unary_operator" => item
            .child_by_field_name("argument")
            .filter(|a| matches!(a.kind(), "integer" | "float"))
            .map(|_| "number"),
        "string"
            if item
                .named_children(&mut item.walk())
                .all(|c| c.kind() != "interpolation") =>
        {
            Some("string")
        }
        _ => None,
    };
    let shown = match iterable.kind() {
        "list" | "tuple" | "set" => {
            let mut cursor = iterable.walk();
            let kinds: Vec<Option<&str>> = iterable
                .named_children(&mut cursor)
                .filter(|c| c.kind() != "comment")
                .map(literal_kind)
                .collect();
            !kinds.is_empty() && kinds.iter().all(|k| k.is_some() && *k == kinds[0])
        }
        "string" => literal_kind(*iterable).is_some(),
        "call" => iterable
            .child_by_field_name("function")
            .and_then(|f| semantic.resolve(f, source))
            .is_some_and(|callee| callee == "builtins.range"),
        _ => false,
    };
    match shown {
        true => Proof::Shown,
        false => not_shown,
    }
}

// ---------------------------------------------------------------------------
// files

/// Calls that return a file object of the standard library, whose iteration
/// yields what `readlines()` returns, line by line.
const FILE_FACTORIES: &[&str] = &[
    "builtins.open",
    "io.open",
    "io.StringIO",
    "io.BytesIO",
    "codecs.open",
    "gzip.open",
    "bz2.open",
    "lzma.open",
    "tempfile.TemporaryFile",
    "tempfile.NamedTemporaryFile",
    "tempfile.SpooledTemporaryFile",
];
/// Annotations of a standard-library file object.
const FILE_TYPES: &[&str] = &[
    "typing.TextIO",
    "typing.BinaryIO",
    "typing.IO",
    "io.TextIOWrapper",
    "io.BufferedReader",
    "io.StringIO",
    "io.BytesIO",
];

/// Whether `receiver` (of `receiver.readlines()`) is certainly a file object
/// of the standard library: `open(...)` and its kin, `sys.stdin`, a name or
/// `self` attribute bound only to those (`with open(p) as f` included), or
/// annotated `TextIO`/`IO[...]`.
pub fn file_proof(receiver: Node, source: &str, semantic: &Semantic) -> Proof {
    let is_file_value = |value: Node| {
        value.kind() == "call"
            && value
                .child_by_field_name("function")
                .and_then(|f| semantic.resolve(f, source))
                .is_some_and(|callee| FILE_FACTORIES.contains(&callee.as_str()))
    };
    let is_file_annotation = |annotation: Node| {
        let node = match annotation.kind() {
            "type" => annotation.named_child(0),
            _ => Some(annotation),
        };
        let head = node.map(|n| match n.kind() {
            "generic_type" => n.named_child(0).unwrap_or(n),
            "subscript" => n.child_by_field_name("value").unwrap_or(n),
            _ => n,
        });
        head.and_then(|h| semantic.resolve(h, source))
            .is_some_and(|q| FILE_TYPES.contains(&q.as_str()))
    };
    let gives_file = |binding: Binding| match binding {
        Binding::Value(value) | Binding::WithAs(value) => is_file_value(value),
        Binding::Annotated(annotation) => is_file_annotation(annotation),
        Binding::KeywordsParameter | Binding::Import(_) | Binding::Imported(_) | Binding::Other(_) => false,
    };
    let spelled = text(receiver, source);
    let not_shown = |why: &str| {
        Proof::NotShown(format!(
            "`{spelled}` is not shown to be a file object ({why}); an object with its own `readlines()` may not iterate over the same lines"
        ))
    };
    if is_file_value(receiver) || semantic.resolve(receiver, source).as_deref() == Some("sys.stdin") {
        return Proof::Shown;
    }
    match receiver.kind() {
        "identifier" => match name_proof(receiver, source, semantic, &gives_file) {
            Ok(()) => Proof::Shown,
            Err(why) => not_shown(&why),
        },
        "attribute" => match self_attribute_values(receiver, source, semantic) {
            Some(bindings) if !bindings.is_empty() && bindings.iter().all(|b| gives_file(*b)) => Proof::Shown,
            _ => not_shown("its class does not bind it only to a file"),
        },
        _ => not_shown("an expression of unknown type"),
    }
}

// ---------------------------------------------------------------------------
// context managers

/// Calls that return a `threading` lock, whose `__exit__` releases it and
/// returns `None`.
const LOCK_FACTORIES: &[&str] = &[
    "threading.Lock",
    "threading.RLock",
    "threading.Condition",
    "threading.Semaphore",
    "threading.BoundedSemaphore",
];

/// Whether `manager` (the value of a `with` item) certainly lets every
/// exception through: its `__exit__` returns `None`. A standard-library file
/// object ([`file_proof`]) or a `threading` lock, created right there or a name
/// or `self` attribute bound only to one.
pub fn non_suppressing_manager_proof(manager: Node, source: &str, semantic: &Semantic) -> Proof {
    let is_lock_value = |value: Node| {
        value.kind() == "call"
            && value
                .child_by_field_name("function")
                .and_then(|f| semantic.resolve(f, source))
                .is_some_and(|callee| LOCK_FACTORIES.contains(&callee.as_str()))
    };
    let gives_lock = |binding: Binding| matches!(binding, Binding::Value(value) if is_lock_value(value));
    let is_lock = is_lock_value(manager)
        || match manager.kind() {
            "identifier" => name_proof(manager, source, semantic, &gives_lock).is_ok(),
            "attribute" => self_attribute_values(manager, source, semantic)
                .is_some_and(|bindings| !bindings.is_empty() && bindings.iter().all(|b| gives_lock(*b))),
            _ => false,
        };
    if is_lock || file_proof(manager, source, semantic) == Proof::Shown {
        return Proof::Shown;
    }
    Proof::NotShown(format!(
        "`{}` is not shown to be a file or a `threading` lock, so its `__exit__` may swallow an exception",
        text(manager, source)
    ))
}

// ---------------------------------------------------------------------------
// logging

/// How `receiver.info(...)` relates to the standard library's logging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoggerProof {
    /// `logging` itself, `logging.getLogger(...)`, a `logging.Logger` or
    /// `LoggerAdapter`: it formats `msg % args` lazily.
    Logger,
    /// Looks like a logger (its name, or a binding from some `getLogger`) but
    /// may be a project's own object with another calling convention.
    NotShown(String),
    /// Nothing suggests a logger.
    NotALogger,
}

/// Calls that return a standard-library logger.
const LOGGER_FACTORIES: &[&str] = &["logging.getLogger", "logging.LoggerAdapter", "logging.Logger"];
/// Annotations of a standard-library logger.
const LOGGER_TYPES: &[&str] = &["logging.Logger", "logging.LoggerAdapter", "logging.RootLogger"];

pub fn logger_proof(receiver: Node, source: &str, semantic: &Semantic) -> LoggerProof {
    if semantic.resolve(receiver, source).as_deref() == Some("logging") {
        return LoggerProof::Logger;
    }
    // A custom logger class or record factory changes how every logger of
    // the process formats (brace-style messages, say).
    if source.contains("setLoggerClass") || source.contains("setLogRecordFactory") {
        return match looks_like_logger(receiver, source, semantic) {
            true => LoggerProof::NotShown(
                "the file installs its own logger class or log record factory (`setLoggerClass`/`setLogRecordFactory`)"
                    .to_string(),
            ),
            false => LoggerProof::NotALogger,
        };
    }
    let spelled = text(receiver, source);
    match receiver.kind() {
        "call" if is_logger_value(receiver, source, semantic) => LoggerProof::Logger,
        "identifier" => {
            let proven = name_proof(receiver, source, semantic, &|binding| match binding {
                Binding::Value(value) => is_logger_value(value, source, semantic),
                Binding::Annotated(annotation) => is_logger_annotation(annotation, source, semantic),
                Binding::Imported(kind) => kind == ValueKind::Logger,
                Binding::KeywordsParameter | Binding::WithAs(_) | Binding::Import(_) | Binding::Other(_) => false,
            });
            match proven {
                Ok(()) => LoggerProof::Logger,
                Err(_) if !looks_like_logger(receiver, source, semantic) => LoggerProof::NotALogger,
                Err(why) => LoggerProof::NotShown(format!(
                    "`{spelled}` is not shown to be a standard-library logger ({why}); a logger of its own may join or format its arguments differently"
                )),
            }
        }
        "attribute" => {
            if !looks_like_logger(receiver, source, semantic) {
                return LoggerProof::NotALogger;
            }
            match self_attribute_values(receiver, source, semantic) {
                Some(values)
                    if !values.is_empty()
                        && values.iter().all(|binding| match binding {
                            Binding::Value(value) => is_logger_value(*value, source, semantic),
                            Binding::Annotated(annotation) => is_logger_annotation(*annotation, source, semantic),
                            _ => false,
                        }) =>
                {
                    LoggerProof::Logger
                }
                _ => LoggerProof::NotShown(format!(
                    "`{spelled}` is not shown to be a standard-library logger (its class does not bind it only to `logging.getLogger(...)`); a logger of its own may join or format its arguments differently"
                )),
            }
        }
        _ => LoggerProof::NotALogger,
    }
}

/// The names that suggest a logger: `logger`, `log` (with leading
/// underscores, any case), names bound from any `getLogger(...)`, and
/// `self.logger`/`cls.logger`-style attributes.
fn looks_like_logger(receiver: Node, source: &str, semantic: &Semantic) -> bool {
    let name = match receiver.kind() {
        "identifier" => text(receiver, source),
        "attribute"
            if receiver
                .child_by_field_name("object")
                .is_some_and(|o| matches!(text(o, source), "self" | "cls")) =>
        {
            receiver
                .child_by_field_name("attribute")
                .map_or("", |a| text(a, source))
        }
        "call" => return true,
        _ => return false,
    };
    let lower = name.trim_start_matches('_').to_ascii_lowercase();
    matches!(lower.as_str(), "logger" | "log") || semantic.loggers.contains(name)
}

/// `logging.getLogger(...)`, `logging.LoggerAdapter(...)`, and
/// `.getChild(...)` of one of those.
fn is_logger_value(value: Node, source: &str, semantic: &Semantic) -> bool {
    if value.kind() != "call" {
        return false;
    }
    let Some(function) = value.child_by_field_name("function") else {
        return false;
    };
    if let Some(callee) = semantic.resolve(function, source) {
        return LOGGER_FACTORIES.contains(&callee.as_str());
    }
    function.kind() == "attribute"
        && function
            .child_by_field_name("attribute")
            .is_some_and(|a| text(a, source) == "getChild")
        && function
            .child_by_field_name("object")
            .is_some_and(|o| is_logger_value(o, source, semantic))
}

fn is_logger_annotation(annotation: Node, source: &str, semantic: &Semantic) -> bool {
    let node = match annotation.kind() {
        "type" => annotation.named_child(0),
        _ => Some(annotation),
    };
    node.and_then(|n| semantic.resolve(n, source))
        .is_some_and(|q| LOGGER_TYPES.contains(&q.as_str()))
}

// ---------------------------------------------------------------------------
// names and attributes

/// Every binding of the identifier `name_node`'s name in the scope it is read
/// from must satisfy `gives_kind`. `Err` says why not.
fn name_proof(
    name_node: Node,
    source: &str,
    semantic: &Semantic,
    gives_kind: &dyn Fn(Binding) -> bool,
) -> Result<(), String> {
    let name = text(name_node, source);
    let (bindings, scope) = scope_bindings(name_node, name, source, semantic);
    if scope == Scope::Module {
        // Recorded, so a prefilter fragment that leaves out any text holding
        // `name` (a binding, a `global`) defers to the whole file; a
        // function's own bindings are all in its fragment.
        semantic.is_name_taken(name);
    }
    if bindings.is_empty() {
        return Err("it is never bound in this file".to_string());
    }
    for mut binding in bindings {
        if let Binding::Import(module) = binding {
            match follow_import(name_node, source, semantic) {
                Some(kind) => binding = Binding::Imported(kind),
                None => {
                    return Err(format!(
                        "it is imported from `{module}`, which is not a module of this project perfmod could follow"
                    ))
                }
            }
        }
        if !gives_kind(binding) {
            return Err(match binding {
                Binding::Value(_) => "it is bound to a value of unknown type".to_string(),
                Binding::Annotated(_) => "its annotation is not the type itself".to_string(),
                Binding::KeywordsParameter => "it is a `**` parameter".to_string(),
                Binding::WithAs(_) => "it is bound by `with ... as`".to_string(),
                Binding::Import(_) => "it is imported".to_string(),
                Binding::Imported(_) => "the module it is imported from binds it to something else".to_string(),
                Binding::Other(how) => how.to_string(),
            });
        }
    }
    Ok(())
}

/// What the imported name `name_node` is bound to in the project module it
/// comes from (the project index, [`module_index::imported_value`]); `None` when
/// that module is not part of the checked project.
fn follow_import(name_node: Node, source: &str, semantic: &Semantic) -> Option<ValueKind> {
    semantic
        .resolve(name_node, source)
        .filter(|qualified| !qualified.starts_with("builtins."))
        .and_then(|qualified| module_index::imported_value(&qualified))
}

/// Where [`scope_bindings`] found a name's bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// A function around the read (or a comprehension, lambda or class body).
    Local,
    Module,
}

/// The bindings of `name` in the scope a read at `at` sees: the innermost
/// function binding it (or declaring it `global`), else the module. A name a
/// comprehension or lambda around `at` binds, or one read in a class body, is
/// not followed.
fn scope_bindings<'t>(at: Node<'t>, name: &str, source: &'t str, semantic: &Semantic) -> (Vec<Binding<'t>>, Scope) {
    let binds_name = |target: Node| {
        let mut found = false;
        walk(target, |n| {
            found |= n.kind() == "identifier" && text(n, source) == name;
            !found
        });
        found
    };
    let mut current = at.parent();
    while let Some(scope) = current {
        match scope.kind() {
            "list_comprehension" | "set_comprehension" | "dictionary_comprehension" | "generator_expression" => {
                let mut cursor = scope.walk();
                let bound = scope
                    .named_children(&mut cursor)
                    .filter(|c| c.kind() == "for_in_clause")
                    .filter_map(|c| c.child_by_field_name("left"))
                    .any(binds_name);
                if bound {
                    return (vec![Binding::Other("it is a comprehension's variable")], Scope::Local);
                }
            }
            "lambda" if scope.child_by_field_name("parameters").is_some_and(binds_name) => {
                return (vec![Binding::Other("it is a lambda's parameter")], Scope::Local);
            }
            "class_definition" => return (vec![Binding::Other("it is read in a class body")], Scope::Local),
            "function_definition" => {
                let found = with_scope_names(scope, source, semantic, |names| {
                    if names.declared_nonlocal.contains(name) {
                        return Some(vec![Binding::Other("it is declared `nonlocal`")]);
                    }
                    if names.declared_global.contains(name) {
                        return None;
                    }
                    let mut bindings = names.bindings(scope, name, source);
                    // A nested function can rebind it with `nonlocal`.
                    let rebound = match bindings.is_empty() {
                        true => 0,
                        false => names.nonlocal_within.get(name).copied().unwrap_or(0),
                    };
                    bindings
                        .extend((0..rebound).map(|_| Binding::Other("a nested function rebinds it with `nonlocal`")));
                    Some(bindings)
                });
                match found {
                    Some(bindings) if !bindings.is_empty() => return (bindings, Scope::Local),
                    // `global name`: the module's.
                    None => break,
                    // A closure: the enclosing functions' names, then the module's
                    // (class bodies are not enclosing scopes for their methods).
                    Some(_) => {
                        current = enclosing_function(scope).or_else(|| Some(super::root_of(scope)));
                        continue;
                    }
                }
            }
            "module" => break,
            _ => {}
        }
        current = scope.parent();
    }
    let module = super::root_of(at);
    with_scope_names(module, source, semantic, |names| {
        let mut bindings = names.bindings(module, name, source);
        // A `global name` in any function can rebind it.
        let rebound = names.global_within.get(name).copied().unwrap_or(0);
        bindings.extend((0..rebound).map(|_| Binding::Other("a function rebinds it with `global`")));
        (bindings, Scope::Module)
    })
}

/// What a name proof reads from a function's or the module's whole code,
/// gathered once per scope: the proofs of a file's matches would walk the same
/// code once per match (a dense file holds hundreds of `logger.info("..." % x)`).
#[derive(Debug, Default)]
pub struct ScopeNames {
    /// Where the scope's own code ([`walk_scope`]) spells each identifier, in order.
    spelled: HashMap<String, Vec<usize>>,
    /// The names the scope's own code declares `global` or `nonlocal`.
    declared_global: HashSet<String>,
    declared_nonlocal: HashSet<String>,
    /// How many `global` and `nonlocal` statements anywhere in the scope
    /// (nested functions included) name each name.
    global_within: HashMap<String, usize>,
    nonlocal_within: HashMap<String, usize>,
}

impl ScopeNames {
    fn of(scope: Node, source: &str) -> Self {
        let mut names = ScopeNames::default();
        let declared = |statement: Node| -> HashSet<String> {
            let mut cursor = statement.walk();
            let named = statement
                .named_children(&mut cursor)
                .map(|n| text(n, source).to_string());
            named.collect()
        };
        walk_scope(scope, &mut |node| match node.kind() {
            "identifier" => names
                .spelled
                .entry(text(node, source).to_string())
                .or_default()
                .push(node.start_byte()),
            "global_statement" => names.declared_global.extend(declared(node)),
            "nonlocal_statement" => names.declared_nonlocal.extend(declared(node)),
            _ => {}
        });
        walk(scope, |node| {
            let within = match node.kind() {
                "global_statement" => &mut names.global_within,
                "nonlocal_statement" => &mut names.nonlocal_within,
                _ => return true,
            };
            for name in declared(node) {
                *within.entry(name).or_default() += 1;
            }
            true
        });
        names
    }

    /// The bindings of `name` in `scope` (whose names these are), as
    /// [`bindings_in`] finds them.
    fn bindings<'t>(&self, scope: Node<'t>, name: &str, source: &'t str) -> Vec<Binding<'t>> {
        let spelled = self.spelled.get(name).map_or(&[][..], Vec::as_slice);
        let nodes: Option<Vec<Node<'t>>> = spelled
            .iter()
            .map(|&start| {
                let range = start..start + name.len();
                scope
                    .descendant_for_byte_range(range.start, range.end)
                    .filter(|n| n.kind() == "identifier" && n.byte_range() == range)
            })
            .collect();
        match nodes {
            Some(nodes) => nodes.into_iter().filter_map(|n| binding_of(n, source)).collect(),
            // Not names of this scope after all.
            None => bindings_in(scope, name, source),
        }
    }
}

/// `read` on the [`ScopeNames`] of `scope`, gathered the first time a proof
/// asks in this file (the model is the file's).
fn with_scope_names<R>(scope: Node, source: &str, semantic: &Semantic, read: impl FnOnce(&ScopeNames) -> R) -> R {
    let id = scope.id();
    if !semantic.scope_names.borrow().contains_key(&id) {
        let names = ScopeNames::of(scope, source);
        semantic.scope_names.borrow_mut().insert(id, names);
    }
    read(&semantic.scope_names.borrow()[&id])
}

/// Calls `visit` on every node of `scope`'s own code: nested `def`s, classes,
/// lambdas and comprehensions are other scopes (their names, defaults and
/// decorators aside, which this leaves out too: conservative for bindings).
fn walk_scope<'t>(scope: Node<'t>, visit: &mut dyn FnMut(Node<'t>)) {
    walk(scope, |node| {
        if node != scope
            && matches!(
                node.kind(),
                "function_definition"
                    | "class_definition"
                    | "lambda"
                    | "list_comprehension"
                    | "set_comprehension"
                    | "dictionary_comprehension"
                    | "generator_expression"
            )
        {
            // The name a `def`/`class` binds is the scope's own.
            if let Some(name) = node.child_by_field_name("name") {
                visit(name);
            }
            return false;
        }
        visit(node);
        true
    });
}

fn bindings_in<'t>(scope: Node<'t>, name: &str, source: &'t str) -> Vec<Binding<'t>> {
    let mut bindings = Vec::new();
    walk_scope(scope, &mut |node| {
        if node.kind() == "identifier" && text(node, source) == name {
            if let Some(binding) = binding_of(node, source) {
                bindings.push(binding);
            }
        }
    });
    bindings
}

/// How the identifier `node` binds its name, if it is in a binding position.
fn binding_of<'t>(node: Node<'t>, source: &'t str) -> Option<Binding<'t>> {
    let parent = node.parent()?;
    match parent.kind() {
        "assignment" if parent.child_by_field_name("left") == Some(node) => {
            let mut right = parent.child_by_field_name("right");
            // `a = b = {}`
            while let Some(r) = right.filter(|r| r.kind() == "assignment") {
                right = r.child_by_field_name("right");
            }
            Some(match (right, parent.child_by_field_name("type")) {
                (Some(value), _) => Binding::Value(value),
                (None, Some(annotation)) => Binding::Annotated(annotation),
                (None, None) => Binding::Other("it is bound without a value"),
            })
        }
        // `b` in `a = b = {}` is the chain's inner assignment's left.
        "parameters" | "lambda_parameters" => Some(Binding::Other("it is a parameter without annotation")),
        "default_parameter" if parent.child_by_field_name("name") == Some(node) => {
            Some(Binding::Other("it is a parameter without annotation"))
        }
        "typed_parameter" | "typed_default_parameter" => {
            let annotation = parent.child_by_field_name("type")?;
            // `*args: T` binds a tuple; `**kwargs: T` a dict of T.
            match parent.named_child(0).map(|c| c.kind()) {
                Some("list_splat_pattern") => Some(Binding::Other("it is a `*` parameter")),
                Some("dictionary_splat_pattern") => Some(Binding::KeywordsParameter),
                _ => Some(Binding::Annotated(annotation)),
            }
        }
        "dictionary_splat_pattern" => Some(Binding::KeywordsParameter),
        // `with open(p) as f`: with_item > as_pattern > as_pattern_target > f
        "as_pattern_target" => {
            let pattern = parent.parent().filter(|p| p.kind() == "as_pattern")?;
            match pattern.parent().map(|p| p.kind()) {
                Some("with_item") => Some(Binding::WithAs(pattern.named_child(0)?)),
                _ => Some(Binding::Other("it is bound by `except ... as` or a pattern")),
            }
        }
        "list_splat_pattern" => Some(Binding::Other("it is a `*` parameter")),
        "dotted_name" | "aliased_import" => {
            let statement = {
                let mut s = parent;
                while !matches!(s.kind(), "import_statement" | "import_from_statement") {
                    s = s.parent()?;
                }
                s
            };
            match statement.kind() {
                "import_from_statement" => {
                    let module = statement
                        .child_by_field_name("module_name")
                        .map_or("", |m| text(m, source));
                    // `from m import x as name`: the alias binds; `x` is not `name`.
                    let binds = match parent.kind() {
                        "aliased_import" => parent.child_by_field_name("alias") == Some(node),
                        _ => statement.child_by_field_name("module_name") != Some(parent),
                    };
                    binds.then_some(Binding::Import(module))
                }
                _ => Some(Binding::Other("it is a module")),
            }
        }
        _ if is_binding_position(node) => Some(Binding::Other(match parent.kind() {
            "function_definition" | "class_definition" => "it is a `def` or `class`",
            "augmented_assignment" => "it is rebound by an augmented assignment",
            _ => "it is bound by a loop, `with`, `except`, unpacking or `:=`",
        })),
        _ => None,
    }
}

/// The `self` of a method and the class it belongs to, for `self.attr` or `self`.
fn self_and_class<'t>(node: Node<'t>, source: &str) -> Option<(String, Node<'t>)> {
    let base = match node.kind() {
        "attribute" => node.child_by_field_name("object")?,
        _ => node,
    };
    if base.kind() != "identifier" {
        return None;
    }
    let method = enclosing_function(base)?;
    let first = super::first_parameter(method, source)?;
    if first != text(base, source) {
        return None;
    }
    let mut class = method.parent()?;
    if class.kind() == "decorated_definition" {
        class = class.parent()?;
    }
    // method -> block -> class_definition
    let class = class.parent().filter(|c| c.kind() == "class_definition")?;
    Some((first, class))
}

/// The annotation of `self.attr` in its class: `attr: T` in the class body or
/// `self.attr: T = ...` in a method (the first found).
fn self_attribute_annotation<'t>(attribute: Node<'t>, source: &str, semantic: &Semantic) -> Option<Node<'t>> {
    self_attribute_values(attribute, source, semantic)?
        .into_iter()
        .find_map(|binding| match binding {
            Binding::Annotated(annotation) => Some(annotation),
            _ => None,
        })
}

/// What the class of `self.attr` binds `attr` to: class-level `attr = value`
/// / `attr: T`, and every `self.attr = value` (`self.attr: T = value` counts
/// as annotated) in its methods. `None` when `attribute` is not `self.attr`.
fn self_attribute_values<'t>(attribute: Node<'t>, source: &str, semantic: &Semantic) -> Option<Vec<Binding<'t>>> {
    let (_, class) = self_and_class(attribute, source)?;
    let name = text(attribute.child_by_field_name("attribute")?, source);
    // A fragment that leaves out a method or class statement naming it defers.
    semantic.is_name_taken(name);
    let mut found = Vec::new();
    if let Some(body) = class.child_by_field_name("body") {
        for statement in statements(body) {
            let Some(assignment) = statement.named_child(0).filter(|a| a.kind() == "assignment") else {
                continue;
            };
            if assignment
                .child_by_field_name("left")
                .is_some_and(|l| l.kind() == "identifier" && text(l, source) == name)
            {
                found.extend(assignment_binding(assignment));
            }
        }
    }
    for method in methods(class) {
        let Some(this) = super::first_parameter(method, source) else {
            continue;
        };
        walk(method, |node| {
            if node.kind() == "assignment"
                && node.child_by_field_name("left").is_some_and(|left| {
                    left.kind() == "attribute"
                        && left
                            .child_by_field_name("object")
                            .is_some_and(|o| text(o, source) == this)
                        && left
                            .child_by_field_name("attribute")
                            .is_some_and(|a| text(a, source) == name)
                })
            {
                found.extend(assignment_binding(node));
            }
            if node.kind() == "augmented_assignment"
                && node
                    .child_by_field_name("left")
                    .is_some_and(|left| text(left, source) == format!("{this}.{name}"))
            {
                found.push(Binding::Other("augmented assignment"));
            }
            true
        });
    }
    Some(found)
}

/// An annotation wins over the value (`x: dict[str, int] = make()`): it is what
/// a type checker holds the value to.
fn assignment_binding(assignment: Node) -> Option<Binding> {
    match (
        assignment.child_by_field_name("type"),
        assignment.child_by_field_name("right"),
    ) {
        (Some(annotation), _) => Some(Binding::Annotated(annotation)),
        (None, Some(value)) => Some(Binding::Value(value)),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_receiver<T>(source: &str, call: &str, f: impl Fn(Node, &Semantic) -> T) -> T {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&tree_sitter_python::LANGUAGE.into()).unwrap();
        let tree = parser.parse(source, None).unwrap();
        let semantic = Semantic::build(&tree, source);
        let at = source.rfind(call).unwrap();
        let mut node = tree.root_node().descendant_for_byte_range(at, at + call.len()).unwrap();
        while node.kind() != "call" {
            node = node.parent().unwrap();
        }
        let receiver = node
            .child_by_field_name("function")
            .and_then(|f| f.child_by_field_name("object"))
            .unwrap();
        f(receiver, &semantic)
    }

    fn dict(source: &str) -> bool {
        with_receiver(source, ".keys()", |r, s| dict_proof(r, source, s) == Proof::Shown)
    }

    #[test]
    fn real_dicts_are_shown() {
        assert!(dict("d = {}\nd.keys()\n"));
        assert!(dict("d = dict(a=1)\nd.keys()\n"));
        assert!(dict("{1: 2}.keys()\n"));
        assert!(dict("d = {k: 1 for k in x}\nd.keys()\n"));
        assert!(dict(
            "from collections import defaultdict\nd = defaultdict(list)\nd.keys()\n"
        ));
        assert!(dict("import collections\nd = collections.OrderedDict()\nd.keys()\n"));
        assert!(dict("def f(d: dict[str, int]):\n    return d.keys()\n"));
        assert!(dict(
            "from typing import Dict\ndef f(d: Dict[str, int]):\n    return d.keys()\n"
        ));
        assert!(dict("def f(**kw):\n    return kw.keys()\n"));
        assert!(dict("d = {}\ndef f():\n    return d.keys()\n"));
        assert!(dict(
            "class C:\n    d: dict[str, int]\n    def f(self):\n        return self.d.keys()\n"
        ));
        assert!(dict(
            "class C:\n    def __init__(self):\n        self.d: dict = {}\n    def f(self):\n        return self.d.keys()\n"
        ));
        assert!(dict("a = b = {}\nb.keys()\n"));
    }

    #[test]
    fn anything_else_is_not_shown() {
        assert!(!dict("def f(d):\n    return d.keys()\n"));
        assert!(!dict(
            "from typing import Mapping\ndef f(d: Mapping[str, int]):\n    return d.keys()\n"
        ));
        assert!(!dict("d = {}\nd = make()\nd.keys()\n"));
        assert!(!dict("d = {}\nfor d in xs:\n    pass\nd.keys()\n"));
        assert!(!dict("from m import d\nd.keys()\n"));
        assert!(!dict(
            "d = {}\ndef g():\n    global d\n    d = C()\ndef f():\n    return d.keys()\n"
        ));
        assert!(!dict("def dict(): pass\nd = dict()\nd.keys()\n"));
        assert!(!dict(
            "def f():\n    d = {}\n    def g():\n        nonlocal d\n        d = C()\n    g()\n    return d.keys()\n"
        ));
        assert!(!dict("xs = [d.keys() for d in rows]\n"));
        assert!(!dict("class C:\n    def f(self):\n        return self.d.keys()\n"));
        assert!(!dict("d.keys()\n"));
        assert!(!dict("def f(d: dict | None):\n    return d.keys()\n"));
    }

    #[test]
    fn a_class_with_its_own_protocol_is_recognised() {
        let own = |source: &str| with_receiver(source, ".keys()", |r, s| is_self_in_mapping_class(r, source, s));
        assert!(own(
            "class C:\n    def keys(self): pass\n    def __contains__(self, k):\n        return k in self.keys()\n"
        ));
        assert!(own(
            "class C:\n    def __iter__(self): pass\n    def f(self):\n        return self.keys()\n"
        ));
        assert!(!own("class C(dict):\n    def f(self):\n        return self.keys()\n"));
        assert!(!own("def keys(): pass\nx.keys()\n"));
        assert!(!own(
            "class C:\n    def keys(self):\n        return [k for k in self._index.keys()]\n"
        ));
    }

    fn file(source: &str) -> bool {
        with_receiver(source, ".readlines()", |r, s| file_proof(r, source, s) == Proof::Shown)
    }

    #[test]
    fn only_standard_file_objects_are_shown() {
        assert!(file("with open(p) as f:\n    for l in f.readlines():\n        pass\n"));
        assert!(file("f = open(p)\nfor l in f.readlines():\n    pass\n"));
        assert!(file("for l in open(p).readlines():\n    pass\n"));
        assert!(file("import sys\nfor l in sys.stdin.readlines():\n    pass\n"));
        assert!(file(
            "import gzip\nwith gzip.open(p) as f:\n    xs = [l for l in f.readlines()]\n"
        ));
        assert!(file(
            "from typing import TextIO\ndef g(f: TextIO):\n    for l in f.readlines():\n        pass\n"
        ));
        assert!(!file("def g(f):\n    for l in f.readlines():\n        pass\n"));
        assert!(!file("with lock as f:\n    for l in f.readlines():\n        pass\n"));
        assert!(!file(
            "with p.open() as f:\n    for l in f.readlines():\n        pass\n"
        ));
    }

    fn manager(source: &str) -> bool {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&tree_sitter_python::LANGUAGE.into()).unwrap();
        let tree = parser.parse(source, None).unwrap();
        let semantic = Semantic::build(&tree, source);
        let mut item = None;
        walk(tree.root_node(), |n| {
            if n.kind() == "with_item" && item.is_none() {
                item = n.child_by_field_name("value");
            }
            true
        });
        let mut value = item.unwrap();
        if value.kind() == "as_pattern" {
            value = value.named_child(0).unwrap();
        }
        non_suppressing_manager_proof(value, source, &semantic) == Proof::Shown
    }

    #[test]
    fn only_files_and_threading_locks_never_suppress() {
        assert!(manager("with open(p) as f:\n    pass\n"));
        assert!(manager("import threading\nwith threading.Lock():\n    pass\n"));
        assert!(manager(
            "import threading\nclass S:\n    def __init__(self):\n        self.mutex = threading.RLock()\n    def f(self):\n        with self.mutex:\n            pass\n"
        ));
        assert!(manager(
            "from threading import Lock\nlock = Lock()\ndef f():\n    with lock:\n        pass\n"
        ));
        assert!(!manager(
            "import contextlib\nwith contextlib.suppress(ValueError):\n    pass\n"
        ));
        assert!(!manager("def f(lock):\n    with lock:\n        pass\n"));
        assert!(!manager(
            "import threading\nclass S:\n    def __init__(self, m):\n        self.mutex = threading.Lock()\n        self.mutex = m\n    def f(self):\n        with self.mutex:\n            pass\n"
        ));
    }

    fn ordered(source: &str) -> bool {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&tree_sitter_python::LANGUAGE.into()).unwrap();
        let tree = parser.parse(source, None).unwrap();
        let semantic = Semantic::build(&tree, source);
        let at = source.find("sorted(").unwrap() + "sorted".len();
        let args = tree
            .root_node()
            .descendant_for_byte_range(at, at + 1)
            .unwrap()
            .parent()
            .unwrap();
        assert_eq!(args.kind(), "argument_list");
        totally_ordered_proof(args, source, &semantic) == Proof::Shown
    }

    #[test]
    fn only_totally_ordered_items_are_shown() {
        assert!(ordered("sorted(words, key=len)[0]\n"));
        assert!(ordered("sorted([3, 1.5, -2])[0]\n"));
        assert!(ordered("sorted(('b', 'a'))[0]\n"));
        assert!(ordered("sorted(range(9), reverse=True)[0]\n"));
        assert!(!ordered("sorted(values)[0]\n"));
        assert!(!ordered("sorted([1, 'a'])[0]\n"));
        assert!(!ordered("sorted(xs, key=price)[0]\n"));
        assert!(!ordered("def len(x): pass\nsorted(xs, key=len)[0]\n"));
    }

    fn logger(source: &str) -> LoggerProof {
        with_receiver(source, ".info(", |r, s| logger_proof(r, source, s))
    }

    #[test]
    fn standard_loggers_are_shown() {
        assert_eq!(logger("import logging\nlogging.info(x)\n"), LoggerProof::Logger);
        assert_eq!(
            logger("import logging\nlogger = logging.getLogger(__name__)\nlogger.info(x)\n"),
            LoggerProof::Logger
        );
        assert_eq!(
            logger("from logging import getLogger\nlog = getLogger()\ndef f():\n    log.info(x)\n"),
            LoggerProof::Logger
        );
        assert_eq!(
            logger("import logging\nlogging.getLogger('a').info(x)\n"),
            LoggerProof::Logger
        );
        assert_eq!(
            logger("import logging\ndef f(log: logging.Logger):\n    log.info(x)\n"),
            LoggerProof::Logger
        );
        assert_eq!(
            logger("import logging\nclass C:\n    def __init__(self):\n        self.log = logging.getLogger('c')\n    def f(self):\n        self.log.info(x)\n"),
            LoggerProof::Logger
        );
        assert_eq!(
            logger("import logging\nlg = logging.LoggerAdapter(logging.getLogger(), {})\nlg.info(x)\n"),
            LoggerProof::Logger
        );
    }

    #[test]
    fn look_alikes_are_not_shown() {
        assert!(
            matches!(logger("from .util import log\nlog.info(x)\n"), LoggerProof::NotShown(r) if r.contains("imported from `.util`"))
        );
        assert!(matches!(
            logger("log = MyLog()\nlog.info(x)\n"),
            LoggerProof::NotShown(_)
        ));
        assert!(matches!(
            logger("def f(logger):\n    logger.info(x)\n"),
            LoggerProof::NotShown(_)
        ));
        assert!(matches!(
            logger("import logging\nlogging.setLogRecordFactory(F)\nlogger = logging.getLogger()\nlogger.info(x)\n"),
            LoggerProof::NotShown(_)
        ));
        assert!(matches!(
            logger("import logging\nclass C:\n    def __init__(self, log):\n        self.log = log\n    def f(self):\n        self.log.info(x)\n"),
            LoggerProof::NotShown(_)
        ));
        assert_eq!(logger("widget.info(x)\n"), LoggerProof::NotALogger);
    }
}

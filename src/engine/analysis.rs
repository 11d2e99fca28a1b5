//! Analyses over a function or class body that more than one codemod needs:
//! where a name is used, whether a variable is freshly initialised, whether a
//! body is pure computation. Each answers conservatively: when in doubt, the
//! answer is the one that makes a guard skip.
use super::semantic::{self, enclosing_function, is_async_def, is_binding_position, text, Semantic};
use std::collections::HashSet;
use tree_sitter::Node;

pub mod concurrency;

/// Every identifier node named `name` inside `scope`, in source order.
pub fn identifiers_named<'t>(scope: Node<'t>, source: &str, name: &str) -> Vec<Node<'t>> {
    descendants(scope)
        .into_iter()
        .filter(|node| node.kind() == "identifier" && text(*node, source) == name)
        .collect()
}

/// Every `<receiver>.<attribute>` node inside `scope`, whatever the receiver.
pub fn attributes_named<'t>(scope: Node<'t>, source: &str, attribute: &str) -> Vec<Node<'t>> {
    descendants(scope)
        .into_iter()
        .filter(|node| {
            node.kind() == "attribute"
                && node
                    .child_by_field_name("attribute")
                    .is_some_and(|a| text(a, source) == attribute)
        })
        .collect()
}

/// Every `self.<attribute>` (or `<receiver>.<attribute>`) node inside `scope`.
pub fn attribute_uses<'t>(scope: Node<'t>, source: &str, receiver: &str, attribute: &str) -> Vec<Node<'t>> {
    attributes_named(scope, source, attribute)
        .into_iter()
        .filter(|node| {
            node.child_by_field_name("object")
                .is_some_and(|o| o.kind() == "identifier" && text(o, source) == receiver)
        })
        .collect()
}

/// `scope` and every node below it, in source order (iterative walk).
pub fn descendants(scope: Node) -> Vec<Node> {
    let mut found = Vec::new();
    walk(scope, |node| {
        found.push(node);
        true
    });
    found
}

/// Visits `scope` and its descendants in source order; `visit` returns whether
/// to look inside the node it was given (iterative: no stack overflow).
pub fn walk<'t>(scope: Node<'t>, mut visit: impl FnMut(Node<'t>) -> bool) {
    let mut cursor = scope.walk();
    let mut stack = vec![scope];
    while let Some(node) = stack.pop() {
        if !visit(node) {
            continue;
        }
        let start = stack.len();
        stack.extend(node.children(&mut cursor));
        stack[start..].reverse();
    }
}

/// A statement that binds a plain name to a fresh empty list: `name = []`,
/// `name: T = []` or `name = list()`. Returns the name and the empty list
/// expression, so a rule that fills the list in the next statement knows it
/// starts empty and nothing else holds it yet.
pub fn fresh_empty_list<'t>(statement: Node<'t>, semantic: &Semantic, source: &str) -> Option<(Node<'t>, Node<'t>)> {
    if statement.kind() != "expression_statement" || statement.named_child_count() != 1 {
        return None;
    }
    let assignment = statement.named_child(0).filter(|a| a.kind() == "assignment")?;
    let name = assignment
        .child_by_field_name("left")
        .filter(|l| l.kind() == "identifier")?;
    let value = assignment.child_by_field_name("right")?;
    let empty = match value.kind() {
        "list" => value.named_child_count() == 0,
        "call" => {
            value
                .child_by_field_name("arguments")
                .is_some_and(|a| a.named_child_count() == 0)
                && value
                    .child_by_field_name("function")
                    .and_then(|f| semantic.resolve(f, source))
                    .is_some_and(|q| q == "builtins.list")
        }
        _ => false,
    };
    empty.then_some((name, value))
}

/// `base`, else `base_2`, `base_3`...: the first name no identifier inside
/// `scope` spells, so binding it as a new local of `scope` shadows nothing the
/// scope reads or writes.
pub fn fresh_name(scope: Node, source: &str, base: &str) -> String {
    let mut used = std::collections::HashSet::new();
    walk(scope, |node| {
        if node.kind() == "identifier" {
            used.insert(text(node, source));
        }
        true
    });
    let mut candidate = base.to_string();
    let mut n = 2;
    while used.contains(candidate.as_str()) {
        candidate = format!("{base}_{n}");
        n += 1;
    }
    candidate
}

/// Whether `node` sits inside a `def`, `lambda` or class nested below `scope`,
/// i.e. runs at another time or in another namespace than `scope`'s own code.
pub fn in_nested_scope(node: Node, scope: Node) -> bool {
    let mut current = node.parent();
    while let Some(n) = current {
        if n == scope {
            return false;
        }
        if matches!(n.kind(), "function_definition" | "lambda" | "class_definition") {
            return true;
        }
        current = n.parent();
    }
    false
}

/// The loop that iterates over `iterable`: the `for` statement or the
/// comprehension (list, set, dict or generator) whose `in` clause it is,
/// parentheses around it allowed.
pub fn loop_over(iterable: Node) -> Option<Node> {
    let mut iterable = iterable;
    let mut parent = iterable.parent()?;
    while parent.kind() == "parenthesized_expression" {
        iterable = parent;
        parent = parent.parent()?;
    }
    if parent.child_by_field_name("right") != Some(iterable) {
        return None;
    }
    match parent.kind() {
        "for_statement" => Some(parent),
        "for_in_clause" => parent.parent(),
        _ => None,
    }
}

/// The names an expression reads: its identifiers, leaving out attribute names
/// (`f` in `self.f`) and keyword names (`mode=` in `open(p, mode="r")`).
pub fn names_read<'s>(expression: Node, source: &'s str) -> Vec<&'s str> {
    let mut names = Vec::new();
    walk(expression, |node| {
        let named_by_parent = node.parent().is_some_and(|p| {
            matches!(p.kind(), "attribute" | "keyword_argument")
                && p.child_by_field_name(if p.kind() == "attribute" { "attribute" } else { "name" }) == Some(node)
        });
        if node.kind() == "identifier" && !named_by_parent {
            names.push(text(node, source));
        }
        true
    });
    names
}

/// Whether `scope` contains a node of one of `kinds` (e.g. `yield`, `await`).
pub fn contains_kind(scope: Node, kinds: &[&str]) -> bool {
    let mut found = false;
    walk(scope, |node| {
        found |= kinds.contains(&node.kind());
        !found
    });
    found
}

/// Something around a statement that sees the exceptions it raises.
#[derive(Debug)]
pub enum ExceptionObserver<'t> {
    /// A `try` whose body holds the statement: the type expressions of each
    /// `except` clause in order (none for a bare `except:`; several for
    /// `except A, B:`; `except A as e` gives its `as_pattern`).
    Try(Vec<Vec<Node<'t>>>),
    /// A `with` whose body holds the statement: the context manager expression
    /// (its `__exit__` receives the exception).
    With(Node<'t>),
}

/// Every `try` and `with` around `node` up to its function (or the module):
/// what would see an exception raised at `node` before it leaves the function.
pub fn exception_observers(node: Node) -> Vec<ExceptionObserver> {
    let mut observers = Vec::new();
    let mut child = node;
    while let Some(parent) = child.parent() {
        if matches!(parent.kind(), "function_definition" | "lambda" | "class_definition") {
            break;
        }
        let in_body = parent.child_by_field_name("body") == Some(child);
        match parent.kind() {
            "try_statement" if in_body => {
                let mut cursor = parent.walk();
                let clauses = parent
                    .named_children(&mut cursor)
                    .filter(|c| c.kind() == "except_clause")
                    .map(|c| c.children_by_field_name("value", &mut c.walk()).collect())
                    .collect();
                observers.push(ExceptionObserver::Try(clauses));
            }
            "with_statement" if in_body => {
                let mut cursor = parent.walk();
                for clause in parent.named_children(&mut cursor).filter(|c| c.kind() == "with_clause") {
                    let mut items = clause.walk();
                    for item in clause.named_children(&mut items) {
                        let value = item.child_by_field_name("value");
                        // `open(p) as f`: the manager is the left side.
                        let manager = value.map(|v| match v.kind() {
                            "as_pattern" => v.named_child(0).unwrap_or(v),
                            _ => v,
                        });
                        observers.extend(manager.map(ExceptionObserver::With));
                    }
                }
            }
            _ => {}
        }
        child = parent;
    }
    observers
}
/// The named children of a block, module or argument list, comments left out.
pub fn statements(block: Node) -> Vec<Node> {
    let mut cursor = block.walk();
    let found = block
        .named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .collect();
    found
}

/// The statement before `statement` in its block, comments skipped.
pub fn previous_statement(statement: Node) -> Option<Node> {
    let mut previous = statement.prev_named_sibling();
    while let Some(node) = previous.filter(|n| n.kind() == "comment") {
        previous = node.prev_named_sibling();
    }
    previous
}

/// The statement after `statement` in its block, comments skipped.
pub fn next_statement(statement: Node) -> Option<Node> {
    let mut next = statement.next_named_sibling();
    while let Some(node) = next.filter(|n| n.kind() == "comment") {
        next = node.next_named_sibling();
    }
    next
}

/// The first parameter's name of a `def` (`self` of a method).
pub fn first_parameter(function: Node, source: &str) -> Option<String> {
    let parameters = function.child_by_field_name("parameters")?;
    let first = parameters.named_child(0)?;
    (first.kind() == "identifier").then(|| text(first, source).to_string())
}

/// The `def`s directly in a class body (decorated ones included).
pub fn methods(class: Node) -> Vec<Node> {
    let Some(body) = class.child_by_field_name("body") else {
        return Vec::new();
    };
    statements(body)
        .into_iter()
        .filter_map(|s| match s.kind() {
            "function_definition" => Some(s),
            "decorated_definition" => s
                .child_by_field_name("definition")
                .filter(|d| d.kind() == "function_definition"),
            _ => None,
        })
        .collect()
}

/// Whether `statement` (a block's child) can be deleted as whole lines: nothing
/// else shares its lines but indentation and an optional trailing comment.
pub fn deletion_of(statement: Node, source: &str) -> Option<crate::edit::Edit> {
    let line_start = source[..statement.start_byte()].rfind('\n').map_or(0, |i| i + 1);
    if !source[line_start..statement.start_byte()].trim().is_empty() {
        return None;
    }
    let line_end = source[statement.end_byte()..]
        .find('\n')
        .map_or(source.len(), |i| statement.end_byte() + i + 1);
    let rest = source[statement.end_byte()..line_end].trim();
    if rest.is_empty() {
        return Some(crate::edit::Edit::delete(line_start..line_end));
    }
    // A trailing comment stays, on a line of its own.
    rest.starts_with('#').then(|| {
        let comment = statement.end_byte() + source[statement.end_byte()..].find('#').unwrap_or(0);
        crate::edit::Edit::delete(statement.start_byte()..comment)
    })
}

/// Whether `condition` is `__name__ == "__main__"` (either way round).
pub fn is_main_guard(condition: Node, source: &str) -> bool {
    let compact: String = text(condition, source)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == '\'' { '"' } else { c })
        .collect();
    matches!(compact.as_str(), "__name__==\"__main__\"" | "\"__main__\"==__name__")
}

/// Builtins that compute from their arguments alone, the same in every process
/// (`hash` and `id` are not: they differ between processes).
const PURE_BUILTINS: &[&str] = &[
    "abs",
    "all",
    "any",
    "bin",
    "bool",
    "chr",
    "complex",
    "dict",
    "divmod",
    "enumerate",
    "filter",
    "float",
    "frozenset",
    "hex",
    "int",
    "isinstance",
    "iter",
    "len",
    "list",
    "map",
    "max",
    "min",
    "next",
    "oct",
    "ord",
    "pow",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "sorted",
    "str",
    "sum",
    "tuple",
    "zip",
    "ArithmeticError",
    "IndexError",
    "KeyError",
    "OverflowError",
    "TypeError",
    "ValueError",
    "ZeroDivisionError",
];

/// Modules whose every function is pure computation.
const PURE_MODULES: &[&str] = &["math", "cmath"];

/// The module-level `def name(...)` of the file, when it is the name's only
/// binding anywhere in the file (no parameter, assignment or import shadows it).
pub fn module_function<'t>(root: Node<'t>, source: &str, name: &str) -> Option<Node<'t>> {
    let bindings = identifiers_named(root, source, name)
        .into_iter()
        .filter(|n| is_binding_position(*n))
        .count();
    if bindings != 1 {
        return None;
    }
    statements(root).into_iter().find(|s| {
        s.kind() == "function_definition" && s.child_by_field_name("name").is_some_and(|n| text(n, source) == name)
    })
}

/// Whether the module-level function `name` does pure computation: loops,
/// arithmetic, locals, calls to pure builtins, `math` and other such functions
/// of the file. No I/O, no `await`/`yield`, no globals written, no attribute or
/// item stored on anything but a container it made itself, no closures.
/// Arguments are never mutated, so running it in another process (which gets
/// copies) computes and returns the same.
pub fn is_pure_function(root: Node, source: &str, semantic: &Semantic, name: &str) -> bool {
    let mut checked: HashSet<String> = HashSet::new();
    let mut pending = vec![name.to_string()];
    while let Some(name) = pending.pop() {
        if !checked.insert(name.clone()) {
            continue;
        }
        let Some(function) = module_function(root, source, &name) else {
            return false;
        };
        match pure_body_calls(root, function, source, semantic) {
            Some(callees) => pending.extend(callees),
            None => return false,
        }
    }
    true
}

/// Checks one function body; `Some(functions of the file it calls)` when it is
/// pure as far as it goes, `None` otherwise.
fn pure_body_calls(root: Node, function: Node, source: &str, semantic: &Semantic) -> Option<Vec<String>> {
    if is_async_def(function) {
        return None;
    }
    let body = function.child_by_field_name("body")?;
    let mut locals: HashSet<&str> = HashSet::new();
    for node in descendants(function) {
        if node.kind() == "identifier"
            && is_binding_position(node)
            && Some(node) != function.child_by_field_name("name")
        {
            locals.insert(text(node, source));
        }
    }
    let fresh = fresh_containers(body, source, &locals);
    let mut callees = Vec::new();
    for node in descendants(body) {
        match node.kind() {
            "await"
            | "yield"
            | "global_statement"
            | "nonlocal_statement"
            | "function_definition"
            | "class_definition"
            | "lambda"
            | "import_statement"
            | "import_from_statement"
            | "with_statement"
            | "decorator" => return None,
            "assignment" | "augmented_assignment" | "for_statement" | "delete_statement" => {
                let target = node.child_by_field_name("left").or_else(|| node.named_child(0))?;
                if !stores_only_into(target, source, &fresh) {
                    return None;
                }
            }
            "identifier" => {
                let name = text(node, source);
                if locals.contains(name) || !is_value_read(node) || in_type_within(node, body) {
                    continue;
                }
                let qualified = semantic.resolve(node, source);
                let pure_builtin = qualified
                    .as_deref()
                    .and_then(|q| q.strip_prefix("builtins."))
                    .is_some_and(|b| PURE_BUILTINS.contains(&b));
                let pure_module = qualified
                    .as_deref()
                    .is_some_and(|q| PURE_MODULES.iter().any(|m| q == *m || q.starts_with(&format!("{m}."))));
                if pure_builtin || pure_module || is_constant(root, source, name) {
                    continue;
                }
                if module_function(root, source, name).is_some() {
                    callees.push(name.to_string());
                    continue;
                }
                return None;
            }
            "call" => {
                let callee = node.child_by_field_name("function")?;
                if callee.kind() == "attribute" {
                    let object = callee.child_by_field_name("object")?;
                    let on_module = semantic
                        .resolve(object, source)
                        .is_some_and(|q| PURE_MODULES.contains(&q.as_str()));
                    let on_fresh = object.kind() == "identifier" && fresh.contains(text(object, source));
                    if !on_module && !on_fresh {
                        return None;
                    }
                } else if callee.kind() != "identifier" || locals.contains(text(callee, source)) {
                    // Calling a parameter or local could run anything.
                    return None;
                }
            }
            _ => {}
        }
    }
    Some(callees)
}

/// Local names every binding of which is a new list, dict or set (literal,
/// comprehension or empty constructor call): mutating them touches nothing the
/// caller can see.
fn fresh_containers<'s>(body: Node, source: &'s str, locals: &HashSet<&'s str>) -> HashSet<&'s str> {
    let mut fresh: HashSet<&str> = locals.clone();
    for node in descendants(body) {
        if node.kind() != "identifier" || !is_binding_position(node) {
            continue;
        }
        let name = text(node, source);
        let assigned_fresh = node.parent().is_some_and(|p| {
            p.kind() == "assignment"
                && p.child_by_field_name("left") == Some(node)
                && p.child_by_field_name("right").is_some_and(|r| {
                    matches!(
                        r.kind(),
                        "list"
                            | "dictionary"
                            | "set"
                            | "list_comprehension"
                            | "dictionary_comprehension"
                            | "set_comprehension"
                    ) || (r.kind() == "call"
                        && r.child_by_field_name("function")
                            .is_some_and(|f| matches!(text(f, source), "list" | "dict" | "set")))
                })
        });
        if !assigned_fresh {
            fresh.remove(name);
        }
    }
    // Parameters are bound outside the body, so the walk above never sees them.
    fresh.retain(|name| {
        identifiers_named(body, source, name)
            .iter()
            .any(|n| is_binding_position(*n))
    });
    fresh
}

/// Whether an assignment or `del` target writes only to locals or to items of
/// fresh containers (never to an attribute, a global or an argument).
fn stores_only_into(target: Node, source: &str, fresh: &HashSet<&str>) -> bool {
    descendants(target).into_iter().all(|node| match node.kind() {
        "attribute" => false,
        "subscript" => node
            .child_by_field_name("value")
            .is_some_and(|v| v.kind() == "identifier" && fresh.contains(text(v, source))),
        _ => true,
    })
}

/// Whether an identifier is read as a value: not an attribute's member name
/// nor a keyword argument's name.
fn is_value_read(identifier: Node) -> bool {
    let Some(parent) = identifier.parent() else {
        return true;
    };
    !((parent.kind() == "attribute" && parent.child_by_field_name("attribute") == Some(identifier))
        || (parent.kind() == "keyword_argument" && parent.child_by_field_name("name") == Some(identifier)))
}

/// Whether an identifier sits in a type annotation (never evaluated at run time
/// in a way that matters here).
fn in_type_within(identifier: Node, body: Node) -> bool {
    let mut current = identifier.parent();
    while let Some(node) = current.filter(|n| *n != body) {
        if node.kind() == "type" {
            return true;
        }
        current = node.parent();
    }
    false
}

/// A module-level name bound once, by a literal number, string or constant.
fn is_constant(root: Node, source: &str, name: &str) -> bool {
    let bindings: Vec<Node> = identifiers_named(root, source, name)
        .into_iter()
        .filter(|n| is_binding_position(*n))
        .collect();
    let [binding] = bindings.as_slice() else {
        return false;
    };
    binding.parent().is_some_and(|assignment| {
        assignment.kind() == "assignment"
            && assignment.parent().and_then(|s| s.parent()) == Some(root)
            && assignment
                .child_by_field_name("right")
                .is_some_and(|r| matches!(r.kind(), "integer" | "float" | "string" | "true" | "false" | "none"))
    })
}

/// How the code around one occurrence of a value (a local name, or a
/// `self.<attribute>` node) uses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Use<'t> {
    /// `<value>.<method>(...)`; `call` is the whole call.
    Method { method: &'t str, call: Node<'t> },
    /// `len(<value>)` with the builtin `len`.
    Len,
    /// Only tested for truth: `if v:`, `while v:`, `not v`, `v and w` in a condition.
    Truthiness,
    /// Bound (assigned, a loop or `with` target, a parameter...).
    Binding,
    /// Anything else: passed, returned, indexed, iterated, compared, deleted...
    Other,
}

/// What `occurrence` (an identifier or attribute node) is used for.
pub fn classify_use<'t>(occurrence: Node<'t>, source: &'t str, semantic: &Semantic) -> Use<'t> {
    if occurrence.kind() == "identifier" && is_binding_position(occurrence) {
        return Use::Binding;
    }
    let Some(parent) = occurrence.parent() else {
        return Use::Other;
    };
    match parent.kind() {
        "attribute" if parent.child_by_field_name("object") == Some(occurrence) => {
            let call = parent
                .parent()
                .filter(|c| c.kind() == "call" && c.child_by_field_name("function") == Some(parent));
            match (call, parent.child_by_field_name("attribute")) {
                (Some(call), Some(method)) => Use::Method {
                    method: text(method, source),
                    call,
                },
                _ => Use::Other,
            }
        }
        "argument_list" if parent.named_child_count() == 1 => {
            let is_len = parent.parent().is_some_and(|call| {
                call.kind() == "call"
                    && call
                        .child_by_field_name("function")
                        .and_then(|f| semantic.resolve(f, source))
                        .is_some_and(|q| q == "builtins.len")
            });
            if is_len {
                Use::Len
            } else {
                Use::Other
            }
        }
        "not_operator" => Use::Truthiness,
        _ if is_tested_for_truth(occurrence) => Use::Truthiness,
        _ => Use::Other,
    }
}

/// Whether `node`'s value is only tested for truth: it is a condition, possibly
/// inside `and`/`or`/parentheses that are themselves a condition (`x or y` on its
/// own would hand `x` on).
fn is_tested_for_truth(node: Node) -> bool {
    let mut current = node;
    loop {
        let Some(parent) = current.parent() else {
            return false;
        };
        match parent.kind() {
            "boolean_operator" | "parenthesized_expression" => current = parent,
            "not_operator" => return true,
            "if_statement" | "elif_clause" | "while_statement" | "conditional_expression" | "if_clause" => {
                return match parent.kind() {
                    // `a if cond else b`: only the middle operand is a condition.
                    "conditional_expression" => parent.named_child(1) == Some(current),
                    "if_clause" => true,
                    _ => parent.child_by_field_name("condition") == Some(current),
                };
            }
            _ => return false,
        }
    }
}

/// Every reference to the local `name` in `function` with what it is used for,
/// in source order.
pub fn local_uses<'t>(
    function: Node<'t>,
    source: &'t str,
    semantic: &Semantic,
    name: &str,
) -> Vec<(Node<'t>, Use<'t>)> {
    name_references(function, source, name)
        .into_iter()
        .map(|identifier| (identifier, classify_use(identifier, source, semantic)))
        .collect()
}

/// The identifiers inside `scope` that refer to the variable `name`: like
/// [`identifiers_named`] without attribute names (`obj.name`) and keyword
/// names (`f(name=1)`).
pub fn name_references<'t>(scope: Node<'t>, source: &str, name: &str) -> Vec<Node<'t>> {
    let mut found = identifiers_named(scope, source, name);
    found.retain(|identifier| is_name_reference(*identifier));
    found
}

fn is_name_reference(identifier: Node) -> bool {
    let Some(parent) = identifier.parent() else {
        return true;
    };
    match parent.kind() {
        "attribute" => parent.child_by_field_name("attribute") != Some(identifier),
        "keyword_argument" => parent.child_by_field_name("name") != Some(identifier),
        _ => true,
    }
}

/// The statement directly before `statement` (comments aside) when it binds
/// `name` to a fresh empty list ([`fresh_empty_list`]): the list is empty and
/// unshared when `statement` starts.
pub fn fresh_empty_list_before<'t>(
    statement: Node<'t>,
    semantic: &Semantic,
    source: &str,
    name: &str,
) -> Option<Node<'t>> {
    let previous = previous_statement(statement)?;
    let (bound, _) = fresh_empty_list(previous, semantic, source)?;
    (text(bound, source) == name).then_some(previous)
}

/// A `for` loop whose whole body appends one expression to a list, optionally
/// under one `if` without `elif`/`else`: `for x in xs: [if c:] out.append(v)`.
/// Only the shape is checked; what may be done with it is the caller's call.
#[derive(Clone, Copy, Debug)]
pub struct AppendLoop<'t> {
    pub target: Node<'t>,
    pub iterable: Node<'t>,
    /// The `out` of `out.append(...)`.
    pub list: Node<'t>,
    pub value: Node<'t>,
    pub condition: Option<Node<'t>>,
}

pub fn append_loop<'t>(for_statement: Node<'t>, source: &str) -> Option<AppendLoop<'t>> {
    let is_async = for_statement.child(0).is_some_and(|c| c.kind() == "async");
    if for_statement.kind() != "for_statement" || is_async || for_statement.child_by_field_name("alternative").is_some()
    {
        return None;
    }
    let mut statement = only_statement(for_statement.child_by_field_name("body")?)?;
    let mut condition = None;
    if statement.kind() == "if_statement" {
        if statement.child_by_field_name("alternative").is_some() {
            return None;
        }
        condition = Some(statement.child_by_field_name("condition")?);
        statement = only_statement(statement.child_by_field_name("consequence")?)?;
    }
    let call = statement.named_child(0).filter(|c| {
        statement.kind() == "expression_statement" && statement.named_child_count() == 1 && c.kind() == "call"
    })?;
    let method = call
        .child_by_field_name("function")
        .filter(|f| f.kind() == "attribute")?;
    let list = method
        .child_by_field_name("object")
        .filter(|o| o.kind() == "identifier")?;
    if method.child_by_field_name("attribute").map(|a| text(a, source)) != Some("append") {
        return None;
    }
    let value = match positional_arguments(call)?.as_slice() {
        [only] => *only,
        _ => return None,
    };
    Some(AppendLoop {
        target: for_statement.child_by_field_name("left")?,
        iterable: for_statement.child_by_field_name("right")?,
        list,
        value,
        condition,
    })
}

/// The one statement of a block, comments aside.
fn only_statement(block: Node) -> Option<Node> {
    let mut cursor = block.walk();
    let mut statements = block.named_children(&mut cursor).filter(|s| s.kind() != "comment");
    match (statements.next(), statements.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// A local list used only as a FIFO queue: bound once to a fresh list, then
/// only appended to, extended, cleared, popped at either end, inserted into at
/// the front, measured with `len` and tested for truth. Every other use (index,
/// slice, iteration, `remove`, passing it on, returning it...) makes it `None`.
#[derive(Debug)]
pub struct QueueList<'t> {
    /// The value of its one binding: `[]`, `[a, b]`, `[... for ...]` or `list(...)`.
    pub init: Node<'t>,
    /// `.pop(0)` calls: `popleft()` on a deque.
    pub pops_front: Vec<Node<'t>>,
    /// `.insert(0, v)` calls: `appendleft(v)` on a deque.
    pub inserts_front: Vec<Node<'t>>,
}

/// The queue use of the local list that `occurrence` (any reference) names.
pub fn queue_list<'t>(occurrence: Node<'t>, source: &'t str, semantic: &Semantic) -> Option<QueueList<'t>> {
    let function = semantic::enclosing_function(occurrence).filter(|f| f.kind() == "function_definition")?;
    let uses = local_uses(function, source, semantic, text(occurrence, source));
    let mut init = None;
    let mut queue = QueueList {
        init: occurrence,
        pops_front: Vec::new(),
        inserts_front: Vec::new(),
    };
    for (node, use_) in uses {
        match use_ {
            Use::Binding if init.is_none() => init = Some(fresh_list_bound_by(node, source, semantic)?),
            Use::Len | Use::Truthiness => {}
            Use::Method { method, call } => {
                let args = positional_arguments(call)?;
                let is_zero = |arg: &Node| arg.kind() == "integer" && text(*arg, source) == "0";
                match (method, args.as_slice()) {
                    ("append" | "extend", [_]) | ("pop" | "clear", []) => {}
                    ("pop", [index]) if is_zero(index) => queue.pops_front.push(call),
                    ("insert", [index, _]) if is_zero(index) => queue.inserts_front.push(call),
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
    queue.init = init?;
    (!queue.pops_front.is_empty() || !queue.inserts_front.is_empty()).then_some(queue)
}

/// The fresh list value assigned to `target` by a plain `name = <value>` statement.
fn fresh_list_bound_by<'t>(target: Node<'t>, source: &str, semantic: &Semantic) -> Option<Node<'t>> {
    let assignment = target.parent().filter(|a| {
        a.kind() == "assignment"
            && a.child_by_field_name("left") == Some(target)
            && a.child_by_field_name("type").is_none()
            && a.parent().is_some_and(|s| s.kind() == "expression_statement")
    })?;
    let value = assignment.child_by_field_name("right")?;
    let fresh = match value.kind() {
        "list" | "list_comprehension" => true,
        "call" => {
            value
                .child_by_field_name("function")
                .and_then(|f| semantic.resolve(f, source))
                .is_some_and(|q| q == "builtins.list")
                && positional_arguments(value).is_some_and(|a| a.len() <= 1)
        }
        _ => false,
    };
    fresh.then_some(value)
}

/// The arguments of `call` when all are plain positional ones (no keywords,
/// unpacking or bare generator argument).
pub fn positional_arguments(call: Node) -> Option<Vec<Node>> {
    let arguments = call
        .child_by_field_name("arguments")
        .filter(|a| a.kind() == "argument_list")?;
    let mut cursor = arguments.walk();
    let args: Vec<Node> = arguments
        .named_children(&mut cursor)
        .filter(|a| a.kind() != "comment")
        .collect();
    let plain = args
        .iter()
        .all(|a| !matches!(a.kind(), "keyword_argument" | "list_splat" | "dictionary_splat"));
    plain.then_some(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(source: &str) -> tree_sitter::Tree {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&tree_sitter_python::LANGUAGE.into()).unwrap();
        parser.parse(source, None).unwrap()
    }

    /// The queue analysis of the list named at the last `.pop(0)` of `source`.
    fn queue_in(source: &str) -> Option<(usize, usize)> {
        let tree = parse(source);
        let semantic = Semantic::build(&tree, source);
        let at = source.rfind(".pop(0)").unwrap();
        let start = source[..at].rfind(|c: char| !c.is_alphanumeric() && c != '_').unwrap() + 1;
        let name = tree.root_node().descendant_for_byte_range(start, at).unwrap();
        queue_list(name, source, &semantic).map(|q| (q.pops_front.len(), q.inserts_front.len()))
    }

    #[test]
    fn queue_lists_allow_only_queue_operations() {
        let ok = "def f(xs):\n    q = list(xs)\n    q.insert(0, 1)\n    while q and len(q) > 1:\n        q.append(q.pop(0))\n";
        assert_eq!(queue_in(ok), Some((1, 1)));
        for bad in [
            "def f(xs):\n    q = []\n    q.extend(xs)\n    print(q)\n    q.pop(0)\n",
            "def f(xs):\n    q = []\n    q.remove(1)\n    q.pop(0)\n",
            "def f(xs):\n    q = [1]\n    x = q or xs\n    q.pop(0)\n",
            "def f(q):\n    q.pop(0)\n",
            "def f(xs):\n    q = xs\n    q.pop(0)\n",
            "def f(xs):\n    q = []\n    q = []\n    q.pop(0)\n",
            "def f(xs):\n    q: list = []\n    q.pop(0)\n",
            "q = []\nq.pop(0)\n",
        ] {
            assert_eq!(queue_in(bad), None, "{bad}");
        }
    }

    #[test]
    fn fresh_empty_list_is_the_statement_right_before() {
        let source = "def f():\n    out = []\n    # note\n    for x in y:\n        out.append(x)\n    other = [1]\n    for x in y:\n        other.append(x)\n";
        let tree = parse(source);
        let loops: Vec<Node> = {
            let body = tree
                .root_node()
                .named_child(0)
                .unwrap()
                .child_by_field_name("body")
                .unwrap();
            let mut cursor = body.walk();
            let found: Vec<Node> = body
                .named_children(&mut cursor)
                .filter(|s| s.kind() == "for_statement")
                .collect();
            found
        };
        assert!(fresh_empty_list_before(loops[0], &Semantic::build(&tree, source), source, "out").is_some());
        assert!(fresh_empty_list_before(loops[0], &Semantic::build(&tree, source), source, "other").is_none());
        assert!(fresh_empty_list_before(loops[1], &Semantic::build(&tree, source), source, "other").is_none());
        let parts = append_loop(loops[0], source).unwrap();
        assert_eq!(text(parts.value, source), "x");
        assert!(parts.condition.is_none());
    }

    fn pure(source: &str, name: &str) -> bool {
        let tree = crate::engine::python_parser().parse(source, None).unwrap();
        let semantic = Semantic::build(&tree, source);
        is_pure_function(tree.root_node(), source, &semantic, name)
    }

    #[test]
    fn pure_computation_follows_calls_and_constants() {
        let source = "import math\nN = 3\ndef helper(x):\n    return math.sqrt(x) * N\n\
                      def work(xs):\n    out = []\n    for x in xs:\n        out.append(helper(x))\n    return sum(out)\n";
        assert!(pure(source, "work"));
    }

    #[test]
    fn io_globals_arguments_and_parameters_are_not_pure() {
        assert!(!pure("def f(x):\n    print(x)\n", "f"));
        assert!(!pure("SEEN = []\ndef f(x):\n    SEEN.append(x)\n", "f"));
        assert!(!pure("def f(xs):\n    xs.append(1)\n", "f"));
        assert!(!pure("def f(xs):\n    xs[0] = 1\n", "f"));
        assert!(!pure("def f(g, x):\n    return g(x)\n", "f"));
        assert!(!pure("def f(x):\n    yield x\n", "f"));
        assert!(!pure("def f(x):\n    return hash(x)\n", "f"));
        assert!(!pure("def f(x):\n    return x\nf = None\n", "f"));
    }
}

/// The value of a plain `name = value` that is the statement just before
/// `statement`: `name` is fresh there, whatever it held earlier.
pub fn assigned_just_before<'t>(statement: Node<'t>, source: &str, name: &str) -> Option<Node<'t>> {
    let previous = previous_statement(statement)?;
    let assignment = previous.named_child(0).filter(|a| {
        previous.kind() == "expression_statement" && previous.named_child_count() == 1 && a.kind() == "assignment"
    })?;
    let left = assignment.child_by_field_name("left")?;
    if left.kind() != "identifier" || text(left, source) != name || assignment.child_by_field_name("type").is_some() {
        return None;
    }
    assignment.child_by_field_name("right")
}

/// An accumulator: a variable made fresh just before a `for` loop and used in
/// that loop by exactly one statement (`s += x`, `out.append(x)`).
#[derive(Clone, Copy, Debug)]
pub struct Accumulator<'t> {
    /// The `name = value` statement just before the loop.
    pub init: Node<'t>,
    /// Its value (`""`, `[]`).
    pub value: Node<'t>,
    pub for_loop: Node<'t>,
}

/// The accumulator that `use_site` (an identifier inside a loop) belongs to: the
/// innermost enclosing `for` loop of the same function that is preceded by a
/// fresh `name = ...` and in which `use_site` is the only occurrence of `name`
/// (iterable and `else` clause included).
pub fn fresh_accumulator<'t>(use_site: Node<'t>, source: &str) -> Option<Accumulator<'t>> {
    let name = text(use_site, source);
    let mut current = use_site.parent();
    while let Some(node) = current {
        match node.kind() {
            "function_definition" | "class_definition" | "lambda" | "module" => return None,
            "for_statement" => {
                if let Some(value) = assigned_just_before(node, source, name) {
                    let uses = identifiers_named(node, source, name);
                    return (uses.len() == 1 && uses[0] == use_site).then(|| Accumulator {
                        init: previous_statement(node).expect("an assignment precedes the loop"),
                        value,
                        for_loop: node,
                    });
                }
            }
            _ => {}
        }
        current = node.parent();
    }
    None
}

/// The innermost `for` loop (of the same function) whose target variables
/// `expression` mentions: `expression` changes from one iteration to the next.
pub fn loop_varying<'t>(expression: Node<'t>, source: &str) -> Option<Node<'t>> {
    let mut current = expression.parent();
    while let Some(node) = current {
        match node.kind() {
            "function_definition" | "class_definition" | "lambda" | "module" => return None,
            "for_statement" => {
                let target = node.child_by_field_name("left")?;
                let in_body = node
                    .child_by_field_name("body")
                    .is_some_and(|b| b.byte_range().contains(&expression.start_byte()));
                let targets = identifier_names(target, source);
                if in_body && identifier_names(expression, source).iter().any(|n| targets.contains(n)) {
                    return Some(node);
                }
            }
            _ => {}
        }
        current = node.parent();
    }
    None
}

/// The names of every identifier inside `node` that reads or binds a variable
/// (not attribute or keyword names).
fn identifier_names<'s>(node: Node, source: &'s str) -> Vec<&'s str> {
    let mut names = Vec::new();
    walk(node, |n| {
        let is_attribute_name = n.parent().is_some_and(|p| {
            p.kind() == "attribute" && p.child_by_field_name("attribute") == Some(n)
                || p.kind() == "keyword_argument" && p.child_by_field_name("name") == Some(n)
        });
        if n.kind() == "identifier" && !is_attribute_name {
            names.push(text(n, source));
        }
        true
    });
    names
}

/// The clocks a duration may be measured with, as `clock() - start`.
const CLOCKS: &[&str] = &["time.time", "time.perf_counter"];

/// When `start` (the target of `start = clock()`) is used, within its function,
/// only as the right operand of `clock() - start`: the clock calls of those
/// durations (the `clock` expressions), else `None`. Any other use (printed,
/// stored, returned, compared, rebound, a parameter of that name) gives `None`,
/// as does a module-level `start` that other modules could import.
pub fn duration_clocks<'t>(start: Node<'t>, source: &str, semantic: &Semantic) -> Option<Vec<Node<'t>>> {
    let function = enclosing_function(start).filter(|f| f.kind() == "function_definition")?;
    let mut clocks = Vec::new();
    for used in identifiers_named(function, source, text(start, source)) {
        if used == start {
            continue;
        }
        let duration = used
            .parent()
            .filter(|p| p.kind() == "binary_operator" && p.child_by_field_name("right") == Some(used))?;
        let operator = duration.child_by_field_name("operator")?;
        let clock_call = duration.child_by_field_name("left").filter(|l| l.kind() == "call")?;
        let clock = clock_call.child_by_field_name("function")?;
        let no_arguments = clock_call
            .child_by_field_name("arguments")
            .is_some_and(|a| a.named_child_count() == 0);
        let resolved = semantic.resolve(clock, source)?;
        if operator.kind() != "-" || !no_arguments || !CLOCKS.contains(&resolved.as_str()) {
            return None;
        }
        clocks.push(clock);
    }
    (!clocks.is_empty()).then_some(clocks)
}

/// SQLAlchemy session classes, by qualified name.
const SESSION_TYPES: &[&str] = &[
    "sqlalchemy.ext.asyncio.AsyncSession",
    "sqlalchemy.ext.asyncio.session.AsyncSession",
    "sqlalchemy.orm.Session",
    "sqlalchemy.orm.session.Session",
];
const SESSION_MAKERS: &[&str] = &[
    "sqlalchemy.ext.asyncio.async_sessionmaker",
    "sqlalchemy.orm.sessionmaker",
];

/// Whether `identifier` names a SQLAlchemy session: in the innermost enclosing
/// scope that binds the name, every binding is a parameter or variable annotated
/// with a session class, or a variable bound from `AsyncSession(...)` or from a
/// sessionmaker's call (`= maker()`, `async with maker() as session`).
pub fn is_sqlalchemy_session(identifier: Node, source: &str, semantic: &Semantic) -> bool {
    let name = text(identifier, source);
    let mut scope = enclosing_function(identifier);
    loop {
        let root = scope.unwrap_or_else(|| root_of(identifier));
        let bindings: Vec<Node> = identifiers_named(root, source, name)
            .into_iter()
            .filter(|n| is_binding_position(*n))
            .collect();
        if !bindings.is_empty() {
            return bindings.iter().all(|b| is_session_binding(*b, source, semantic));
        }
        match scope {
            Some(function) => scope = enclosing_function(function),
            None => return false,
        }
    }
}

/// The module node a node belongs to.
pub fn root_of(node: Node) -> Node {
    let mut root = node;
    while let Some(parent) = root.parent() {
        root = parent;
    }
    root
}

fn is_session_binding(binding: Node, source: &str, semantic: &Semantic) -> bool {
    let Some(parent) = binding.parent() else {
        return false;
    };
    let annotated = |holder: Node| {
        holder
            .child_by_field_name("type")
            .and_then(|t| t.named_child(0))
            .and_then(|t| semantic.resolve(t, source))
            .is_some_and(|q| SESSION_TYPES.contains(&q.as_str()))
    };
    match parent.kind() {
        "typed_parameter" | "typed_default_parameter" => annotated(parent),
        "assignment" if parent.child_by_field_name("left") == Some(binding) => {
            annotated(parent)
                || parent
                    .child_by_field_name("right")
                    .is_some_and(|value| makes_session(value, source, semantic))
        }
        // `async with maker() as session:`
        "as_pattern_target" => parent
            .parent()
            .and_then(|pattern| pattern.named_child(0))
            .is_some_and(|value| makes_session(value, source, semantic)),
        _ => false,
    }
}

/// `AsyncSession(...)`, `Session(...)`, or a call of a sessionmaker (`maker()`,
/// `async_sessionmaker(engine)()`).
fn makes_session(value: Node, source: &str, semantic: &Semantic) -> bool {
    let Some(function) = value.child_by_field_name("function").filter(|_| value.kind() == "call") else {
        return false;
    };
    let resolves_to = |node: Node, names: &[&str]| {
        semantic
            .resolve(node, source)
            .is_some_and(|q| names.contains(&q.as_str()))
    };
    if resolves_to(function, SESSION_TYPES) {
        return true;
    }
    let is_maker_call = |node: Node| {
        node.kind() == "call"
            && node
                .child_by_field_name("function")
                .is_some_and(|f| resolves_to(f, SESSION_MAKERS))
    };
    if is_maker_call(function) {
        return true;
    }
    if function.kind() != "identifier" {
        return false;
    }
    let makers: Vec<Node> = identifiers_named(root_of(value), source, text(function, source))
        .into_iter()
        .filter(|n| is_binding_position(*n))
        .collect();
    !makers.is_empty()
        && makers.iter().all(|maker| {
            maker.parent().is_some_and(|a| {
                a.kind() == "assignment"
                    && a.child_by_field_name("left") == Some(*maker)
                    && a.child_by_field_name("right").is_some_and(is_maker_call)
            })
        })
}

/// `typing` aliases of builtin classes, deprecated since Python 3.9 (PEP 585).
const TYPING_BUILTINS: &[(&str, &str)] = &[
    ("typing.List", "list"),
    ("typing.Dict", "dict"),
    ("typing.Set", "set"),
    ("typing.FrozenSet", "frozenset"),
    ("typing.Tuple", "tuple"),
    ("typing.Type", "type"),
];

/// The builtin that a `typing` alias (`List`, `t.Dict`...) stands for, when that
/// builtin's name is not rebound anywhere in the file and no forward reference
/// (a string) sits inside the brackets: Python 3.10's `get_type_hints` resolves
/// `List["X"]` but leaves `list["X"]` a string.
pub fn builtin_for_typing_alias(alias: Node, source: &str, semantic: &Semantic) -> Option<&'static str> {
    let generic = alias.parent()?;
    if contains_kind(generic, &["string"]) {
        return None;
    }
    let qualified = semantic.resolve(alias, source)?;
    let (_, builtin) = TYPING_BUILTINS.iter().find(|(q, _)| *q == qualified)?;
    (semantic.resolve_name(builtin)? == format!("builtins.{builtin}")).then_some(*builtin)
}

/// Whether `node` sits inside an annotation (`x: ...`, `-> ...`), reached only
/// through generic brackets and unions, so rewriting it changes no runtime value
/// other than the annotation and needs no parentheses.
pub fn in_annotation(node: Node) -> bool {
    let mut current = node.parent();
    while let Some(parent) = current {
        match parent.kind() {
            "type" if parent.parent().is_some_and(|p| p.kind() != "type_parameter") => return true,
            "type" | "generic_type" | "type_parameter" | "subscript" | "list" | "tuple" => {}
            "binary_operator" if parent.child_by_field_name("operator").is_some_and(|o| o.kind() == "|") => {}
            _ => return false,
        }
        current = parent.parent();
    }
    false
}

/// The members of a generic's brackets: `[int, str]` of `Union[int, str]`,
/// written as a `generic_type` (`Union[...]`) or a `subscript` (`t.Union[...]`).
pub fn generic_members(generic: Node) -> Vec<Node> {
    let mut cursor = generic.walk();
    match generic.kind() {
        "generic_type" => {
            let Some(parameters) = generic
                .named_children(&mut cursor)
                .find(|c| c.kind() == "type_parameter")
            else {
                return Vec::new();
            };
            let mut cursor = parameters.walk();
            let members: Vec<Node> = parameters
                .named_children(&mut cursor)
                .filter(|c| c.kind() != "comment")
                .map(|t| {
                    if t.kind() == "type" {
                        t.named_child(0).unwrap_or(t)
                    } else {
                        t
                    }
                })
                .collect();
            members
        }
        "subscript" => generic.children_by_field_name("subscript", &mut cursor).collect(),
        _ => Vec::new(),
    }
}

/// Whether `a | b | ...` of these members evaluates like `Union[a, b, ...]` on
/// Python 3.10+: classes, generic aliases and `None` (not first); not strings
/// (forward references: `"Node" | None` raises `TypeError`) or anything else.
pub fn union_operands_ok(members: &[Node]) -> bool {
    !members.is_empty()
        && members.iter().enumerate().all(|(index, member)| match member.kind() {
            "identifier" | "attribute" | "subscript" | "generic_type" => true,
            "none" => index > 0,
            "binary_operator" => member.child_by_field_name("operator").is_some_and(|o| o.kind() == "|"),
            _ => false,
        })
}

/// Whether a module-level `def decorator(func)` of this file returns a plain
/// `def` wrapper that calls `func(...)` and then does more with the call (code
/// after it, or a `try`/`with` around it): on a coroutine function such a wrapper
/// only observes the creation of the coroutine, not its run. Decorators that
/// look at `iscoroutinefunction` are assumed to handle both.
pub fn is_sync_wrapping_decorator(decorator: Node, source: &str) -> bool {
    let name = text(decorator, source);
    let root = root_of(decorator);
    let mut cursor = root.walk();
    let definitions: Vec<Node> = root
        .named_children(&mut cursor)
        .map(|s| match s.kind() {
            "decorated_definition" => s.child_by_field_name("definition").unwrap_or(s),
            _ => s,
        })
        .filter(|s| {
            s.kind() == "function_definition" && s.child_by_field_name("name").is_some_and(|n| text(n, source) == name)
        })
        .collect();
    let [definition] = definitions.as_slice() else {
        return false;
    };
    let Some(func) = definition
        .child_by_field_name("parameters")
        .and_then(|p| p.named_child(0))
        .filter(|p| p.kind() == "identifier")
    else {
        return false;
    };
    if is_async_def(*definition) || text(*definition, source).contains("iscoroutinefunction") {
        return false;
    }
    let func = text(func, source);
    let Some(body) = definition.child_by_field_name("body") else {
        return false;
    };
    let mut cursor = body.walk();
    let wrappers: Vec<Node> = body
        .named_children(&mut cursor)
        .map(|s| match s.kind() {
            "decorated_definition" => s.child_by_field_name("definition").unwrap_or(s),
            _ => s,
        })
        .filter(|s| s.kind() == "function_definition" && !is_async_def(*s))
        .collect();
    wrappers.iter().any(|wrapper| {
        let returned = wrapper
            .child_by_field_name("name")
            .is_some_and(|n| returns_name(body, source, text(n, source)));
        returned && observes_call(*wrapper, source, func)
    })
}

/// `return name` among the statements of `body`.
fn returns_name(body: Node, source: &str, name: &str) -> bool {
    let mut cursor = body.walk();
    let found = body
        .named_children(&mut cursor)
        .any(|s| s.kind() == "return_statement" && s.named_child(0).is_some_and(|v| text(v, source) == name));
    found
}

/// Whether `wrapper` calls `func(...)` and does something once the call
/// returns: a statement after it other than `return <value>`, or a `try` / `with`
/// around it.
fn observes_call(wrapper: Node, source: &str, func: &str) -> bool {
    let Some(body) = wrapper.child_by_field_name("body") else {
        return false;
    };
    identifiers_named(body, source, func).into_iter().any(|name| {
        let Some(call) = name
            .parent()
            .filter(|c| c.kind() == "call" && c.child_by_field_name("function") == Some(name))
        else {
            return false;
        };
        // `asyncio.run(func())`, or `coro = func(); asyncio.run(coro)`, drive the
        // coroutine (or hand it on): not this bug.
        if call.parent().is_some_and(|p| p.kind() == "argument_list") {
            return false;
        }
        let bound_to = call
            .parent()
            .filter(|a| a.kind() == "assignment")
            .and_then(|a| a.child_by_field_name("left"))
            .filter(|l| l.kind() == "identifier");
        if let Some(result) = bound_to {
            let handed_on = identifiers_named(body, source, text(result, source))
                .iter()
                .any(|u| u.parent().is_some_and(|p| p.kind() == "argument_list"));
            if handed_on {
                return false;
            }
        }
        let mut statement = call;
        let mut around = false;
        while let Some(parent) = statement.parent() {
            if parent == body {
                break;
            }
            around |= matches!(parent.kind(), "try_statement" | "with_statement");
            statement = parent;
        }
        let mut after = statement.next_named_sibling();
        while let Some(next) = after {
            if !matches!(next.kind(), "comment" | "return_statement") {
                return true;
            }
            after = next.next_named_sibling();
        }
        around
    })
}

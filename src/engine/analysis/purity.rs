//! Whether a module-level function does pure computation (no I/O, no global
//! writes, no argument mutation), following calls into the file's other functions.
use super::*;

/// Builtins that compute from their arguments alone, the same in every process
/// (`hash` and `id` are not: they differ between processes).
pub(crate) const PURE_BUILTINS: &[&str] = &[
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
pub(crate) const PURE_MODULES: &[&str] = &["math", "cmath"];

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
pub(crate) fn pure_body_calls(root: Node, function: Node, source: &str, semantic: &Semantic) -> Option<Vec<String>> {
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
pub(crate) fn fresh_containers<'s>(body: Node, source: &'s str, locals: &HashSet<&'s str>) -> HashSet<&'s str> {
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
pub(crate) fn stores_only_into(target: Node, source: &str, fresh: &HashSet<&str>) -> bool {
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
pub(crate) fn is_value_read(identifier: Node) -> bool {
    let Some(parent) = identifier.parent() else {
        return true;
    };
    !((parent.kind() == "attribute" && parent.child_by_field_name("attribute") == Some(identifier))
        || (parent.kind() == "keyword_argument" && parent.child_by_field_name("name") == Some(identifier)))
}

/// Whether an identifier sits in a type annotation (never evaluated at run time
/// in a way that matters here).
pub(crate) fn in_type_within(identifier: Node, body: Node) -> bool {
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
pub(crate) fn is_constant(root: Node, source: &str, name: &str) -> bool {
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

//! Analyses over a function or class body that more than one codemod needs:
//! where a name is used, whether a variable is freshly initialised, whether a
//! body is pure computation. Each answers conservatively: when in doubt, the
//! answer is the one that makes a guard skip.
use super::semantic::{enclosing_function, is_async_def, is_binding, text, Semantic};
use tree_sitter::Node;

pub mod concurrency;

/// Every identifier node named `name` inside `scope`, in source order
/// (iterative walk: deep nesting cannot overflow the stack).
pub fn identifiers_named<'t>(scope: Node<'t>, source: &str, name: &str) -> Vec<Node<'t>> {
    let mut found = Vec::new();
    let mut cursor = scope.walk();
    let mut stack = vec![scope];
    while let Some(node) = stack.pop() {
        if node.kind() == "identifier" && text(node, source) == name {
            found.push(node);
            continue;
        }
        let start = stack.len();
        stack.extend(node.children(&mut cursor));
        stack[start..].reverse();
    }
    found
}

/// Every `self.<attribute>` (or `<receiver>.<attribute>`) node inside `scope`.
pub fn attribute_uses<'t>(scope: Node<'t>, source: &str, receiver: &str, attribute: &str) -> Vec<Node<'t>> {
    let mut found = Vec::new();
    let mut cursor = scope.walk();
    let mut stack = vec![scope];
    while let Some(node) = stack.pop() {
        if node.kind() == "attribute"
            && node
                .child_by_field_name("object")
                .is_some_and(|o| o.kind() == "identifier" && text(o, source) == receiver)
            && node
                .child_by_field_name("attribute")
                .is_some_and(|a| text(a, source) == attribute)
        {
            found.push(node);
        }
        let start = stack.len();
        stack.extend(node.children(&mut cursor));
        stack[start..].reverse();
    }
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

/// The statement just before `statement` in its block, comments skipped.
pub fn previous_statement(statement: Node) -> Option<Node> {
    let mut previous = statement.prev_named_sibling();
    while let Some(node) = previous {
        if node.kind() != "comment" {
            return Some(node);
        }
        previous = node.prev_named_sibling();
    }
    None
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
            .filter(|n| is_binding(*n))
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
        .filter(|n| is_binding(*n))
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

/// Whether a node of one of `kinds` lies inside `node` (or is `node`).
pub fn contains_kind(node: Node, kinds: &[&str]) -> bool {
    let mut found = false;
    walk(node, |n| {
        found |= kinds.contains(&n.kind());
        !found
    });
    found
}

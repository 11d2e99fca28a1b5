//! How a local variable is used: freshly initialised just before a loop, used
//! only through some methods (a queue), an accumulator, a loop-varying value, a
//! duration's start.
use super::*;

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
pub(crate) fn is_tested_for_truth(node: Node) -> bool {
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

pub(crate) fn is_name_reference(identifier: Node) -> bool {
    let Some(parent) = identifier.parent() else {
        return true;
    };
    match parent.kind() {
        "attribute" => parent.child_by_field_name("attribute") != Some(identifier),
        "keyword_argument" => parent.child_by_field_name("name") != Some(identifier),
        _ => true,
    }
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
pub(crate) fn fresh_list_bound_by<'t>(target: Node<'t>, source: &str, semantic: &Semantic) -> Option<Node<'t>> {
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
/// that loop by exactly one statement (`s += x`, `out.append(x)`), or only as
/// the target of `s += x` statements (`s += key; s += value`).
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
/// (iterable and `else` clause included), or the first of several that are all
/// `name += ...` statements of that function (see [`increments_of`]).
pub fn fresh_accumulator<'t>(use_site: Node<'t>, source: &str) -> Option<Accumulator<'t>> {
    let name = text(use_site, source);
    let mut current = use_site.parent();
    while let Some(node) = current {
        match node.kind() {
            "function_definition" | "class_definition" | "lambda" | "module" => return None,
            "for_statement" => {
                if let Some(value) = assigned_just_before(node, source, name) {
                    let uses = identifiers_named(node, source, name);
                    let only_increments = || uses.iter().all(|u| increment_of(*u, node).is_some());
                    return (uses.first() == Some(&use_site) && (uses.len() == 1 || only_increments())).then(|| {
                        Accumulator {
                            init: previous_statement(node).expect("an assignment precedes the loop"),
                            value,
                            for_loop: node,
                        }
                    });
                }
            }
            _ => {}
        }
        current = node.parent();
    }
    None
}

/// Every `name += piece` statement of an accumulator's loop, in order, when
/// `first` (the target of the first) is one and every other use of `name` in
/// the loop is another, in the loop's own scope.
pub fn increments_of<'t>(accumulator: &Accumulator<'t>, first: Node<'t>, source: &str) -> Option<Vec<Node<'t>>> {
    identifiers_named(accumulator.for_loop, source, text(first, source))
        .into_iter()
        .map(|target| increment_of(target, accumulator.for_loop))
        .collect()
}

/// The `name += piece` whose target is `target`, if it is a statement of its
/// own in the body of `for_loop` (not its `else:`) and in the loop's own scope:
/// in a class body nested in the loop, `name` is another variable.
fn increment_of<'t>(target: Node<'t>, for_loop: Node<'t>) -> Option<Node<'t>> {
    let body = for_loop.child_by_field_name("body")?;
    let increment = target.parent().filter(|a| {
        a.kind() == "augmented_assignment"
            && a.child_by_field_name("left") == Some(target)
            && a.child_by_field_name("operator").is_some_and(|o| o.kind() == "+=")
            && a.parent().is_some_and(|s| s.kind() == "expression_statement")
    })?;
    let mut scope = increment.parent();
    while let Some(node) = scope.filter(|n| *n != body) {
        if matches!(node.kind(), "function_definition" | "class_definition" | "lambda") {
            return None;
        }
        scope = node.parent();
    }
    scope.map(|_| increment)
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
pub(crate) fn identifier_names<'s>(node: Node, source: &'s str) -> Vec<&'s str> {
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
pub(crate) const CLOCKS: &[&str] = &["time.time", "time.perf_counter"];

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

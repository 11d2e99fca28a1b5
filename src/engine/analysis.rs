//! Analyses over a function or class body that more than one codemod needs:
//! where a name is used, whether a variable is freshly initialised, whether a
//! body is pure computation. Each answers conservatively: when in doubt, the
//! answer is the one that makes a guard skip.
use super::semantic::{text, Semantic};
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

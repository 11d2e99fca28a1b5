//! Analyses over a function or class body that more than one codemod needs.
//! This module holds the tree walks they are built from; each submodule one
//! topic (how a variable is used, purity, exceptions, typing aliases,
//! decorators, SQLAlchemy sessions, concurrency, what kind of value a
//! receiver is). Each answers conservatively:
//! when in doubt, the answer is the one that makes a guard skip.
use super::semantic::{self, enclosing_function, is_async_def, is_binding_position, text, Semantic};
use std::collections::HashSet;
use tree_sitter::Node;

pub mod concurrency;
mod exceptions;
mod purity;
pub mod receivers;
mod scalars;
mod sqlalchemy;
mod typing;
mod variables;
pub use exceptions::*;
pub use purity::*;
pub use scalars::*;
pub use sqlalchemy::*;
pub use typing::*;
pub use variables::*;

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

/// The named children of a block, module or argument list, comments left out.
pub fn statements(block: Node) -> Vec<Node> {
    let mut cursor = block.walk();
    let found = block
        .named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .collect();
    found
}
/// The two sides of a statement that is a plain assignment (`left = right`);
/// `None` for anything else, annotated declarations without a value included.
pub fn assignment_sides(statement: Node) -> Option<(Node, Node)> {
    let assignment = statement
        .named_child(0)
        .filter(|a| statement.kind() == "expression_statement" && a.kind() == "assignment")?;
    Some((
        assignment.child_by_field_name("left")?,
        assignment.child_by_field_name("right")?,
    ))
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

/// The one statement of a block, comments aside.
pub(crate) fn only_statement(block: Node) -> Option<Node> {
    let mut cursor = block.walk();
    let mut statements = block.named_children(&mut cursor).filter(|s| s.kind() != "comment");
    match (statements.next(), statements.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
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

/// The module node a node belongs to.
pub fn root_of(node: Node) -> Node {
    let mut root = node;
    while let Some(parent) = root.parent() {
        root = parent;
    }
    root
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
    fn append_loop_takes_the_appended_value() {
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

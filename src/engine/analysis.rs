//! Analyses over a function or class body that more than one codemod needs:
//! where a name is used, whether a variable is freshly initialised, whether a
//! body is pure computation. Each answers conservatively: when in doubt, the
//! answer is the one that makes a guard skip.
use super::semantic::{self, text, Semantic};
use tree_sitter::Node;

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
    if occurrence.kind() == "identifier" && semantic::is_binding_identifier(occurrence) {
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

/// The `name = []` statement (plain assignment, any annotation) directly before
/// `statement`, comments aside: the list is freshly empty when `statement` starts.
pub fn fresh_empty_list_before<'t>(statement: Node<'t>, source: &str, name: &str) -> Option<Node<'t>> {
    let mut previous = statement.prev_named_sibling();
    while let Some(p) = previous.filter(|p| p.kind() == "comment") {
        previous = p.prev_named_sibling();
    }
    let previous = previous.filter(|p| p.kind() == "expression_statement" && p.named_child_count() == 1)?;
    let assignment = previous.named_child(0).filter(|a| a.kind() == "assignment")?;
    let left = assignment.child_by_field_name("left")?;
    let right = assignment.child_by_field_name("right")?;
    let is_empty_list = right.kind() == "list" && right.named_child_count() == 0;
    (left.kind() == "identifier" && text(left, source) == name && is_empty_list).then_some(previous)
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

/// Whether any node of `kind` occurs inside `node` (itself included).
pub fn contains_kind(node: Node, kinds: &[&str]) -> bool {
    let mut cursor = node.walk();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if kinds.contains(&n.kind()) {
            return true;
        }
        stack.extend(n.children(&mut cursor));
    }
    false
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
        assert!(fresh_empty_list_before(loops[0], source, "out").is_some());
        assert!(fresh_empty_list_before(loops[0], source, "other").is_none());
        assert!(fresh_empty_list_before(loops[1], source, "other").is_none());
        let parts = append_loop(loops[0], source).unwrap();
        assert_eq!(text(parts.value, source), "x");
        assert!(parts.condition.is_none());
    }
}

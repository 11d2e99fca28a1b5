//! What sees an exception raised at a statement before it leaves its function.
use super::*;

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

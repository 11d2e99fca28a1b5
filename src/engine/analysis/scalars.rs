//! Which builtin scalar type (`str`, `int`, `float`) a value evidently has,
//! read from the expression alone: a literal, a call of the builtin that makes
//! one, an f-string. A conversion that differs only for other types (`format(x,
//! "")` against `str(x)`) is then the same.
use crate::engine::semantic::{text, Semantic};
use tree_sitter::Node;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scalar {
    Str,
    Int,
    Float,
}

/// The exact builtin type `value` is certain to have, if one of `str`, `int`,
/// `float`: literals (a negated number too), f-strings, implicit and `+`
/// concatenations of strings, and calls of the builtins `str`, `repr`,
/// `ascii`, `len`, `int`, `float` (not rebound in the file). `True` and
/// friends are `bool`, so `None`.
pub fn evident_scalar(value: Node, source: &str, semantic: &Semantic) -> Option<Scalar> {
    match value.kind() {
        "string" | "concatenated_string" => Some(Scalar::Str),
        "integer" => Some(Scalar::Int),
        "float" => Some(Scalar::Float),
        "parenthesized_expression" if value.named_child_count() == 1 => {
            evident_scalar(value.named_child(0)?, source, semantic)
        }
        "unary_operator" => {
            let argument = value.child_by_field_name("argument")?;
            matches!(argument.kind(), "integer" | "float")
                .then(|| evident_scalar(argument, source, semantic))
                .flatten()
        }
        // `str + str` is a `str`; with any other operand `__radd__` may answer.
        "binary_operator" => {
            let operator = value.child_by_field_name("operator")?;
            let left = evident_scalar(value.child_by_field_name("left")?, source, semantic)?;
            let right = evident_scalar(value.child_by_field_name("right")?, source, semantic)?;
            (operator.kind() == "+" && left == Scalar::Str && right == Scalar::Str).then_some(Scalar::Str)
        }
        "call" => {
            let function = value.child_by_field_name("function")?;
            if function.kind() != "identifier" || !semantic.is_builtin(text(function, source), function.start_byte()) {
                return None;
            }
            match text(function, source) {
                "str" | "repr" | "ascii" => Some(Scalar::Str),
                "len" | "int" => Some(Scalar::Int),
                "float" => Some(Scalar::Float),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(source: &str, expression: &str) -> Option<Scalar> {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&tree_sitter_python::LANGUAGE.into()).unwrap();
        let tree = parser.parse(source, None).unwrap();
        let semantic = Semantic::build(&tree, source);
        let at = source.rfind(expression).unwrap();
        let mut node = tree
            .root_node()
            .descendant_for_byte_range(at, at + expression.len())
            .unwrap();
        while let Some(parent) = node.parent().filter(|p| p.byte_range() == (at..at + expression.len())) {
            node = parent;
        }
        evident_scalar(node, source, &semantic)
    }

    #[test]
    fn literals_and_builtin_conversions_are_evident() {
        assert_eq!(scalar("x = 'a'\n", "'a'"), Some(Scalar::Str));
        assert_eq!(scalar("x = f'{y}'\n", "f'{y}'"), Some(Scalar::Str));
        assert_eq!(scalar("x = 'a' + str(y)\n", "'a' + str(y)"), Some(Scalar::Str));
        assert_eq!(scalar("x = -1.5\n", "-1.5"), Some(Scalar::Float));
        assert_eq!(scalar("x = len(y)\n", "len(y)"), Some(Scalar::Int));
        assert_eq!(scalar("x = (repr(y))\n", "(repr(y))"), Some(Scalar::Str));
    }

    #[test]
    fn anything_else_is_not() {
        assert_eq!(scalar("x = y\n", "y"), None);
        assert_eq!(scalar("x = 'a' + y\n", "'a' + y"), None);
        assert_eq!(scalar("x = True\n", "True"), None);
        assert_eq!(scalar("x = Color.RED\n", "Color.RED"), None);
        // A rebound builtin is not the builtin.
        assert_eq!(scalar("def str(v):\n    return v\nx = str(y)\n", "str(y)"), None);
    }
}

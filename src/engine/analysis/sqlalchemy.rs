//! Whether a name holds a SQLAlchemy session.
use super::*;

/// SQLAlchemy session classes, by qualified name.
pub(crate) const SESSION_TYPES: &[&str] = &[
    "sqlalchemy.ext.asyncio.AsyncSession",
    "sqlalchemy.ext.asyncio.session.AsyncSession",
    "sqlalchemy.orm.Session",
    "sqlalchemy.orm.session.Session",
];
pub(crate) const SESSION_MAKERS: &[&str] = &[
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

pub(crate) fn is_session_binding(binding: Node, source: &str, semantic: &Semantic) -> bool {
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
pub(crate) fn makes_session(value: Node, source: &str, semantic: &Semantic) -> bool {
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

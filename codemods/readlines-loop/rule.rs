//! `readlines-loop`: the `iterated-alone?` guard, whether a loop over
//! `f.readlines()` can consume `f` lazily instead.
use crate::engine::analysis;
use crate::engine::context::Verdict;
use crate::engine::registry::{Arity, Guard, OnFragment, Registry};
use tree_sitter::Node;

pub fn register(registry: &mut Registry) {
    registry.add_guards(GUARDS);
}

static GUARDS: &[Guard] = &[Guard {
    name: "iterated-alone?",
    doc: "the capture is iterated by a loop that leaves its receiver alone meanwhile; unsafe when the body names the receiver or can suspend, or for a generator expression; skips `async for`",
    arity: Arity::Exactly(0),
    on_fragment: OnFragment::Exact,
    may_mark_unsafe: true,
    check: |node, _, ctx| iterated_alone(node, ctx.source),
}];

/// For an iterable about to be replaced by its receiver (`f.readlines()` ->
/// `f`, so the loop consumes `f` lazily instead of a list read up front): the
/// loop must not touch the receiver meanwhile. Unsafe when its body names
/// anything the receiver is made of (it might read, seek, write or close it),
/// when the body can suspend (`yield`, `await`: other code then runs mid-loop),
/// and for generator expressions, which iterate after their creation, perhaps
/// after the file is closed. Skips `async for`, which a list cannot feed.
fn iterated_alone(iterable: Node, source: &str) -> Verdict {
    let Some(looping) = analysis::loop_over(iterable) else {
        return Verdict::Skip;
    };
    if looping.child(0).is_some_and(|c| c.kind() == "async") {
        return Verdict::Skip;
    }
    if looping.kind() == "generator_expression" {
        return Verdict::unsafe_because("a generator expression reads the file later, perhaps after it is closed");
    }
    let receiver = match iterable.kind() {
        "call" => iterable
            .child_by_field_name("function")
            .and_then(|f| f.child_by_field_name("object"))
            .unwrap_or(iterable),
        _ => iterable,
    };
    let names = analysis::names_read(receiver, source);
    // A `for` statement's body; a comprehension is all body but its iterable.
    let body = looping
        .child_by_field_name("body")
        .filter(|_| looping.kind() == "for_statement");
    let scope = body.unwrap_or(looping);
    let outside_iterable = |n: &Node| n.end_byte() <= iterable.start_byte() || n.start_byte() >= iterable.end_byte();
    let touched = names.iter().any(|name| {
        analysis::identifiers_named(scope, source, name)
            .iter()
            .any(outside_iterable)
    });
    if touched {
        Verdict::unsafe_because("the loop body uses the file, which would now be read while it iterates")
    } else if analysis::contains_kind(scope, &["yield", "await"]) {
        Verdict::unsafe_because("the loop can suspend (`yield`/`await`) while the file is read lazily")
    } else {
        Verdict::Pass
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::guards::verdict_at;

    fn alone(source: &str) -> Verdict {
        verdict_at(source, "f.readlines()", |n, ctx| iterated_alone(n, ctx.source))
    }

    #[test]
    fn loops_that_leave_the_file_alone_pass() {
        assert_eq!(alone("for line in f.readlines():\n    print(line)\n"), Verdict::Pass);
        assert_eq!(alone("for line in (f.readlines()):\n    print(line)\n"), Verdict::Pass);
        assert_eq!(alone("xs = [l for l in f.readlines() if l]\n"), Verdict::Pass);
    }

    #[test]
    fn loops_that_touch_the_file_or_suspend_are_unsafe() {
        assert!(matches!(
            alone("for line in f.readlines():\n    f.readline()\n"),
            Verdict::Unsafe(_)
        ));
        assert!(matches!(
            alone("xs = [f.tell() for l in f.readlines()]\n"),
            Verdict::Unsafe(_)
        ));
        assert!(matches!(
            alone("def g():\n    for line in f.readlines():\n        yield line\n"),
            Verdict::Unsafe(_)
        ));
        assert!(matches!(alone("xs = (l for l in f.readlines())\n"), Verdict::Unsafe(_)));
    }

    #[test]
    fn readlines_outside_a_loop_or_in_async_for_is_skipped() {
        assert_eq!(alone("lines = f.readlines()\n"), Verdict::Skip);
        assert_eq!(alone("print(len(f.readlines()))\n"), Verdict::Skip);
        assert_eq!(
            alone("async def g():\n    async for l in f.readlines():\n        pass\n"),
            Verdict::Skip
        );
    }
}

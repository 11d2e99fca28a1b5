//! list-as-queue: a local list used only as a FIFO queue becomes a
//! `collections.deque`; `.pop(0)` becomes `.popleft()` and `.insert(0, v)`
//! becomes `.appendleft(v)`. Which lists qualify is
//! [`analysis::queue_list`](crate::engine::analysis::queue_list)'s answer.
use crate::edit::{Edit, ImportRequest};
use crate::engine::analysis::{positional_arguments, queue_list};
use crate::engine::context::{FixContext, FixOutput, Verdict};
use crate::engine::registry::{Arity, Fixer, Guard, OnFragment, Registry};
use crate::engine::semantic::text;
use crate::engine::template::spell_import;

pub fn register(registry: &mut Registry) {
    registry.add_guards(GUARDS);
    registry.add_fixers(FIXERS);
}

static GUARDS: &[Guard] = &[Guard {
    name: "queue-list?",
    doc: "the capture (a `.pop(0)` or `.insert(0, v)` call) is on a local list used only as a FIFO queue",
    arity: Arity::Exactly(0),
    on_fragment: OnFragment::Exact,
    may_mark_unsafe: false,
    check: |node, _, ctx| Verdict::pass_if(queue_list(node, ctx.source, ctx.semantic).is_some()),
}];

static FIXERS: &[Fixer] = &[Fixer {
    name: "list-to-deque",
    doc: "the list -> `collections.deque`, `.pop(0)` -> `.popleft()`, `.insert(0, v)` -> `.appendleft(v)`",
    fix: list_to_deque,
}];

/// `target` is the `.pop(0)` / `.insert(0, v)` call; the fix rewrites every use
/// of the list at once (the other calls' findings then find nothing left).
fn list_to_deque(ctx: &FixContext) -> Option<FixOutput> {
    let source = ctx.render.source;
    let receiver = ctx
        .target
        .child_by_field_name("function")?
        .child_by_field_name("object")?;
    let queue = queue_list(receiver, source, ctx.render.semantic)?;
    let request = ImportRequest {
        module: "collections".into(),
        member: Some("deque".into()),
    };
    let init = queue.init;
    let (deque, import) = spell_import(&request, ctx.render.semantic, init.start_byte())?;
    let init_text = match init.kind() {
        "list" if init.named_child_count() == 0 => format!("{deque}()"),
        // `list(xs)` -> `deque(xs)`: both copy any iterable.
        "call" => format!("{deque}{}", text(init.child_by_field_name("arguments")?, source)),
        _ => format!("{deque}({})", text(init, source)),
    };
    let mut edits = vec![Edit::replace(init.byte_range(), init_text)];
    for call in &queue.pops_front {
        let method = call.child_by_field_name("function")?.child_by_field_name("attribute")?;
        edits.push(Edit::replace(method.start_byte()..call.end_byte(), "popleft()"));
    }
    for call in &queue.inserts_front {
        let method = call.child_by_field_name("function")?.child_by_field_name("attribute")?;
        let value = *positional_arguments(*call)?.get(1)?;
        edits.push(Edit::replace(
            method.start_byte()..call.end_byte(),
            format!("appendleft({})", text(value, source)),
        ));
    }
    Some(FixOutput {
        edits,
        imports: import.into_iter().collect(),
        safety: None,
    })
}

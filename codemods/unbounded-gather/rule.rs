//! `unbounded-gather`: wraps the coroutine each item starts, in
//! `gather(*[coro(x) for x in xs])`, in the list built just before a
//! `gather(*tasks)`, or in a `TaskGroup` loop's `create_task(coro(x))`, as
//! `bounded(coro(x))`, with the shared helper of [`crate::engine::bounded`]. Only the
//! element changes: the comprehension, its comments and the other `gather`
//! arguments (`return_exceptions=True`) stay as they are.
use crate::edit::Edit;
use crate::engine::analysis::concurrency::{concurrency_limit, unbounded_site};
use crate::engine::bounded::bounded_helper;
use crate::engine::context::{FixContext, FixOutput, Verdict};
use crate::engine::registry::{Arity, Fixer, Guard, OnFragment, Registry};

pub fn register(registry: &mut Registry) {
    registry.add_guards(GUARDS);
    registry.add_fixers(FIXERS);
}

static GUARDS: &[Guard] = &[Guard {
    name: "unbounded-coroutines?",
    doc: "the capture starts one coroutine per item of a collection (`gather(*[...])`, a `TaskGroup` loop) with no semaphore around them",
    arity: Arity::Exactly(0),
    on_fragment: OnFragment::Unknown,
    may_mark_unsafe: false,
    check: |node, _, ctx| {
        Verdict::pass_if(unbounded_site(node, ctx.semantic, ctx.source, concurrency_limit(ctx.options)).is_some())
    },
}];

static FIXERS: &[Fixer] = &[Fixer {
    name: "bound-coroutines",
    doc: "each coroutine started -> `bounded(coro)`, with a `Semaphore(--concurrency-limit)` helper at the top of the `async def`",
    fix,
}];

fn fix(ctx: &FixContext) -> Option<FixOutput> {
    let site = unbounded_site(
        ctx.target,
        ctx.render.semantic,
        ctx.render.source,
        concurrency_limit(ctx.render.options),
    )?;
    let coroutine = site.coroutine.byte_range();
    let helper = bounded_helper(ctx, site.function, coroutine.start)?;
    let mut edits = helper.edits;
    edits.push(Edit::insert(coroutine.start, format!("{}(", helper.wrapper)));
    edits.push(Edit::insert(coroutine.end, ")"));
    Some(FixOutput {
        edits,
        imports: helper.imports,
        safety: None,
    })
}

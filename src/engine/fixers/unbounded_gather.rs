//! `unbounded-gather`: wraps the coroutine each item starts, in
//! `gather(*[coro(x) for x in xs])`, in the list built just before a
//! `gather(*tasks)`, or in a `TaskGroup` loop's `create_task(coro(x))`, as
//! `bounded(coro(x))`, with the shared helper of [`super::bounded`]. Only the
//! element changes: the comprehension, its comments and the other `gather`
//! arguments (`return_exceptions=True`) stay as they are.
use super::{bounded::bounded_helper, FixContext, FixOutput};
use crate::edit::Edit;
use crate::engine::analysis::concurrency::{concurrency_limit, unbounded_site};

pub fn fix(ctx: &FixContext) -> Option<FixOutput> {
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

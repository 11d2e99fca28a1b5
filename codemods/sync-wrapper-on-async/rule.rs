//! `sync-wrapper-on-async`: the `sync-wrapping-decorator?` guard.
use crate::engine::analysis;
use crate::engine::context::Verdict;
use crate::engine::registry::{Arity, Guard, OnFragment, Registry};

pub fn register(registry: &mut Registry) {
    registry.add_guards(GUARDS);
}

static GUARDS: &[Guard] = &[Guard {
    name: "sync-wrapping-decorator?",
    doc: "the capture is a decorator whose plain `def wrapper` calls the wrapped function without `await`",
    arity: Arity::Exactly(0),
    on_fragment: OnFragment::Unknown,
    check: |node, _, ctx| Verdict::pass_if(analysis::is_sync_wrapping_decorator(node, ctx.source)),
}];

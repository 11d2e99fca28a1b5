//! `start = time.time()` ... `time.time() - start` -> `time.perf_counter()` in
//! every place, so the duration is measured on the monotonic high-resolution
//! clock. The guard (`#duration-start?`) has proven `start` serves only durations.
use crate::edit::{Edit, ImportRequest};
use crate::engine::analysis;
use crate::engine::context::{FixContext, FixOutput, Verdict};
use crate::engine::registry::{Arity, Fixer, Guard, OnFragment, Registry};
use crate::engine::template::spell_import;

pub fn register(registry: &mut Registry) {
    registry.add_guards(GUARDS);
    registry.add_fixers(FIXERS);
}

static GUARDS: &[Guard] = &[Guard {
    name: "duration-start?",
    doc: "the capture (`start` of `start = time.time()`) is read only in `time.time() - start` durations",
    arity: Arity::Exactly(0),
    on_fragment: OnFragment::Exact,
    may_mark_unsafe: false,
    check: |node, _, ctx| Verdict::pass_if(analysis::duration_clocks(node, ctx.source, ctx.semantic).is_some()),
}];

static FIXERS: &[Fixer] = &[Fixer {
    name: "perf-counter",
    doc: "`time.time()` -> `time.perf_counter()` at the start and in every duration computed from it",
    fix,
}];

fn fix(ctx: &FixContext) -> Option<FixOutput> {
    let source = ctx.render.source;
    let semantic = ctx.render.semantic;
    let start = *ctx.render.captures.get("name")?.first()?;
    let clock = *ctx.render.captures.get("clock")?.first()?;
    let request = ImportRequest {
        module: "time".into(),
        member: Some("perf_counter".into()),
    };
    let (spelling, import) = spell_import(&request, semantic, clock.start_byte())?;
    let mut edits = vec![Edit::replace(clock.byte_range(), spelling.clone())];
    for duration_clock in analysis::duration_clocks(start, source, semantic)? {
        // The same spelling must reach `perf_counter` where each clock is read.
        let spelled_there =
            spell_import(&request, semantic, duration_clock.start_byte()).is_some_and(|(there, _)| there == spelling);
        if spelled_there && semantic.resolve(duration_clock, source).as_deref() == Some("time.time") {
            edits.push(Edit::replace(duration_clock.byte_range(), spelling.clone()));
        }
    }
    Some(FixOutput {
        edits,
        imports: import.into_iter().collect(),
        safety: None,
    })
}

//! `sequential-await-loop`: `out = []` + `for x in xs: out.append(await f(x))`
//! becomes `out = await asyncio.gather(*[bounded(f(x)) for x in xs])`, with
//! the shared helper of [`crate::engine::bounded`]. Comments of the replaced lines move
//! above the new statement.
use crate::edit::Edit;
use crate::engine::analysis::{concurrency::independent_await_loop, walk};
use crate::engine::bounded::{asyncio_module, bounded_helper};
use crate::engine::context::{FixContext, FixOutput, Verdict};
use crate::engine::registry::{Arity, Fixer, Guard, OnFragment, Registry};
use crate::engine::semantic::text;
use crate::engine::template::spell_import;
use tree_sitter::Node;

pub fn register(registry: &mut Registry) {
    registry.add_guards(GUARDS);
    registry.add_fixers(FIXERS);
}

static GUARDS: &[Guard] = &[Guard {
    name: "independent-await-loop?",
    doc: "the capture (a `for` loop after `out = []`) only appends `await f(x)` whose iterations do not depend on each other",
    arity: Arity::Exactly(0),
    on_fragment: OnFragment::Unknown,
    may_mark_unsafe: false,
    check: |node, _, ctx| Verdict::pass_if(independent_await_loop(node, ctx.semantic, ctx.source).is_some()),
}];

static FIXERS: &[Fixer] = &[Fixer {
    name: "gather-await-loop",
    doc: "`out = []` + `for x in xs: out.append(await f(x))` -> `out = await asyncio.gather(*[bounded(f(x)) for x in xs])` with a semaphore helper",
    fix,
}];

/// Expressions that can follow `for x in` inside a comprehension as they are;
/// anything else (`a if c else b`, `a, b`, a lambda) gets parentheses.
const BARE_ITERABLES: &[&str] = &[
    "identifier",
    "attribute",
    "call",
    "subscript",
    "list",
    "tuple",
    "dictionary",
    "set",
    "parenthesized_expression",
    "list_comprehension",
    "set_comprehension",
    "dictionary_comprehension",
    "generator_expression",
    "string",
    "concatenated_string",
    "integer",
    "binary_operator",
    "unary_operator",
    "await",
];

/// Longer statements get the comprehension on a line of its own (Black's width).
const MAX_LINE: usize = 88;

fn fix(ctx: &FixContext) -> Option<FixOutput> {
    let (source, semantic) = (ctx.render.source, ctx.render.semantic);
    let found = independent_await_loop(ctx.target, semantic, source)?;
    let start = found.init.start_byte();
    if !source[..start].rsplit('\n').next().unwrap_or("").trim().is_empty() {
        return None;
    }
    let helper = bounded_helper(ctx, found.function, start)?;
    let (asyncio, import) = spell_import(&asyncio_module(), semantic, start)?;
    let indent = ctx.file.indentation_of_line(start);
    let replaced = start..found.for_statement.end_byte();
    let mut text_out = String::new();
    for comment in comments_in(found.init.parent()?, replaced.clone(), found.call, source) {
        text_out.push_str(&format!("{comment}\n{indent}"));
    }
    let target = found.for_statement.child_by_field_name("left")?;
    let iterable = found.for_statement.child_by_field_name("right")?;
    let iterable = match BARE_ITERABLES.contains(&iterable.kind()) {
        true => text(iterable, source).to_string(),
        false => format!("({})", text(iterable, source)),
    };
    let prefix = &source[start..found.empty.start_byte()];
    let items = format!(
        "*[{}({}) for {} in {iterable}]",
        helper.wrapper,
        text(found.call, source),
        text(target, source),
    );
    let one_line = format!("{prefix}await {asyncio}.gather({items})");
    if indent.len() + one_line.len() <= MAX_LINE || one_line.contains('\n') {
        text_out.push_str(&one_line);
    } else {
        let unit = ctx.file.indent_unit;
        text_out.push_str(&format!(
            "{prefix}await {asyncio}.gather(\n{indent}{unit}{items}\n{indent})"
        ));
    }
    let mut edits = helper.edits;
    edits.push(Edit::replace(replaced, text_out));
    let mut imports = helper.imports;
    imports.extend(import);
    Some(FixOutput {
        edits,
        imports,
        safety: None,
    })
}

/// The comments inside `range` of `scope`, except those inside `kept` (whose
/// text the rewrite copies whole), in source order.
fn comments_in<'s>(scope: Node, range: std::ops::Range<usize>, kept: Node, source: &'s str) -> Vec<&'s str> {
    let mut comments = Vec::new();
    walk(scope, |node| {
        let overlaps = node.start_byte() < range.end && node.end_byte() > range.start;
        let inside_kept = kept.start_byte() <= node.start_byte() && node.end_byte() <= kept.end_byte();
        if node.kind() == "comment" && overlaps && !inside_kept {
            comments.push(text(node, source));
        }
        overlaps && !inside_kept
    });
    comments
}

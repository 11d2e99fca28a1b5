//! The semaphore helper both concurrency rewrites share (`unbounded-gather`,
//! `sequential-await-loop`). A bounded site calls its coroutine as
//! `bounded(coro)`; the helper goes once at the top of the `async def`, after
//! its docstring:
//!
//! ```python
//! semaphore = asyncio.Semaphore(10)
//!
//! async def bounded(coro):
//!     async with semaphore:
//!         return await coro
//! ```
//!
//! Why a local helper at the top of the function: every site of one function
//! inserts at the same offset, so the engine applies one of them per round and
//! the next round finds the helper (`existing_bounded_helper`) and reuses it
//! instead of defining a second one. A semaphore made per call also works on
//! every Python from 3.7 (before 3.10 a module-level `Semaphore()` binds to
//! the event loop current at import time). `bounded` returns what the
//! coroutine returns, so results keep their order.
use super::context::FixContext;
use crate::edit::{Edit, ImportRequest};
use crate::engine::analysis::{concurrency::existing_bounded_helper, fresh_name};
use crate::engine::template::spell_import;
use tree_sitter::Node;

/// How a site calls the helper, and the edits adding it when needed.
pub struct Bounded {
    /// The helper's name: the site wraps its coroutine as `wrapper(coro)`.
    pub wrapper: String,
    /// The helper's insertion; empty when the function already has one.
    pub edits: Vec<Edit>,
    pub imports: Vec<ImportRequest>,
}

/// The helper for a site at byte `site` of `function` (`None`: the function
/// has no line to put it on, e.g. a one-line body).
pub fn bounded_helper(ctx: &FixContext, function: Node, site: usize) -> Option<Bounded> {
    let (source, semantic) = (ctx.render.source, ctx.render.semantic);
    if let Some((wrapper, end)) = existing_bounded_helper(function, semantic, source) {
        return (end <= site).then(|| Bounded {
            wrapper: wrapper.to_string(),
            edits: Vec::new(),
            imports: Vec::new(),
        });
    }
    let limit = ctx.render.options.get("concurrency-limit")?;
    let (at, indent) = helper_position(function, ctx)?;
    let (asyncio, import) = spell_import(&asyncio_module(), semantic, at)?;
    let semaphore = fresh_name(function, source, "semaphore");
    let wrapper = fresh_name(function, source, "bounded");
    let unit = ctx.file.indent_unit;
    let text = format!(
        "{indent}{semaphore} = {asyncio}.Semaphore({limit})\n\n\
         {indent}async def {wrapper}(coro):\n\
         {indent}{unit}async with {semaphore}:\n\
         {indent}{unit}{unit}return await coro\n\n"
    );
    Some(Bounded {
        wrapper,
        edits: vec![Edit::insert(at, text)],
        imports: import.into_iter().collect(),
    })
}

/// `asyncio`, spelled as the file imports it (or imported).
pub fn asyncio_module() -> ImportRequest {
    ImportRequest {
        module: "asyncio".into(),
        member: None,
    }
}

/// Where the helper goes: the first line of the body after the docstring
/// (blank lines skipped, so they stay between the docstring and the helper),
/// with the body's indentation.
fn helper_position<'s>(function: Node, ctx: &FixContext<'s, '_>) -> Option<(usize, &'s str)> {
    let source = ctx.render.source;
    let body = function.child_by_field_name("body")?;
    let first = body.named_children(&mut body.walk()).find(|n| n.kind() != "comment")?;
    let is_docstring = first.kind() == "expression_statement"
        && first.named_child_count() == 1
        && first.named_child(0).is_some_and(|s| s.kind() == "string");
    let after = if is_docstring {
        first.end_byte()
    } else {
        let colon = function
            .children(&mut function.walk())
            .filter(|c| c.kind() == ":")
            .last()?;
        colon.end_byte()
    };
    let line_end = after + source[after..].find('\n')?;
    let rest = source[after..line_end].trim();
    if !(rest.is_empty() || rest.starts_with('#')) {
        return None;
    }
    let mut at = line_end + 1;
    while let Some(line_len) = source[at..].find('\n') {
        if !source[at..at + line_len].trim().is_empty() {
            break;
        }
        at += line_len + 1;
    }
    Some((at, ctx.file.indentation_of_line(first.start_byte())))
}

//! Replacement templates: text with `${...}` holes, checked at load time and
//! re-indented to where the match sits.
//!
//! Holes:
//! - `${name}`: the source text of capture `@name`;
//! - `${name|filter}` / `${name|filter:arg}`: the capture passed through a filter
//!   (see [`super::registry`]); a filter that cannot convert skips the rewrite;
//! - `${import:module}` / `${import:module.member}`: how the file spells that name,
//!   importing it if needed (`asyncio`, `aio`, `cache`, `functools.cache`...);
//!   `${import:builtins.min}` is plain `min` where nothing shadows it (else the
//!   rewrite is skipped: `builtins.min` would be correct but nobody writes it);
//! - `${option:name}`: a run option such as `concurrency-limit`.
//!
//! `$$` is a literal `$`. Template lines after the first are indented with four
//! spaces per level; they are re-indented with the file's own unit (tabs or
//! spaces) under the line where the match starts.
use super::context::{RenderContext, Rendered};
use super::registry::Filter;
use super::semantic::Semantic;
use crate::edit::ImportRequest;
use anyhow::{bail, Result};

#[derive(Debug, Clone)]
enum Segment {
    Literal(String),
    Capture {
        name: String,
        filter: Option<(FilterRef, Option<String>)>,
    },
    Import(ImportRequest),
    Option(String),
}

#[derive(Debug, Clone)]
pub struct Template {
    segments: Vec<Segment>,
}

/// A registered filter, shown by name (the result cache keys on this text).
#[derive(Clone, Copy)]
struct FilterRef(&'static Filter);

impl std::fmt::Debug for FilterRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.name.fmt(f)
    }
}

impl Template {
    /// Parses `text`, rejecting holes that name captures absent from `captures`
    /// or filters the engine does not have.
    pub fn parse(text: &str, captures: &[&str]) -> Result<Self> {
        let mut segments = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(at) = rest.find('$') {
            literal.push_str(&rest[..at]);
            rest = &rest[at + 1..];
            if let Some(after) = rest.strip_prefix('$') {
                literal.push('$');
                rest = after;
                continue;
            }
            let Some(body_end) = rest.strip_prefix('{').and_then(|r| r.find('}')) else {
                bail!("`$` must start a `${{...}}` hole (write `$$` for a literal `$`)");
            };
            let body = &rest[1..=body_end];
            rest = &rest[body_end + 2..];
            if !literal.is_empty() {
                segments.push(Segment::Literal(std::mem::take(&mut literal)));
            }
            segments.push(parse_hole(body, captures)?);
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            segments.push(Segment::Literal(literal));
        }
        Ok(Template { segments })
    }

    /// Renders the template for one match; `None` when a filter or import
    /// cannot be satisfied, which skips the rewrite.
    pub fn render(&self, ctx: &RenderContext) -> Option<Rendered> {
        let mut out = Rendered::default();
        for segment in &self.segments {
            match segment {
                Segment::Literal(text) => push_indented(&mut out.text, text, ctx),
                Segment::Capture { name, filter } => {
                    let nodes = ctx.captures.get(name.as_str())?;
                    match filter {
                        None => {
                            let (first, last) = (nodes.first()?, nodes.last()?);
                            out.text.push_str(&ctx.source[first.start_byte()..last.end_byte()]);
                        }
                        Some((filter, arg)) => {
                            let converted = (filter.0.apply)(nodes, arg.as_deref(), ctx)?;
                            out.text.push_str(&converted.text);
                            out.imports.extend(converted.imports);
                        }
                    }
                }
                Segment::Import(request) => {
                    let (spelling, import) = spell_import(request, ctx.semantic, ctx.site)?;
                    out.text.push_str(&spelling);
                    out.imports.extend(import);
                }
                Segment::Option(name) => out.text.push_str(ctx.options.get(name)?),
            }
        }
        Some(out)
    }
}

fn parse_hole(body: &str, captures: &[&str]) -> Result<Segment> {
    if let Some(target) = body.strip_prefix("import:") {
        let request = match target.rsplit_once('.') {
            Some((module, member)) => ImportRequest {
                module: module.into(),
                member: Some(member.into()),
            },
            None => ImportRequest {
                module: target.into(),
                member: None,
            },
        };
        return Ok(Segment::Import(request));
    }
    if let Some(name) = body.strip_prefix("option:") {
        return Ok(Segment::Option(name.to_string()));
    }
    let (name, filter) = match body.split_once('|') {
        Some((name, filter)) => {
            let (filter, arg) = match filter.split_once(':') {
                Some((f, a)) => (f, Some(a.to_string())),
                None => (filter, None),
            };
            let filter = match crate::rules::registry().filter(filter) {
                Ok(filter) => FilterRef(filter),
                Err(e) => bail!("{e} in `${{{body}}}`"),
            };
            (name, Some((filter, arg)))
        }
        None => (body, None),
    };
    if !captures.contains(&name) {
        bail!("`${{{body}}}` uses @{name}, which the query does not capture");
    }
    Ok(Segment::Capture {
        name: name.to_string(),
        filter,
    })
}

/// How to spell `request` at byte `site`, and the import to add when nothing
/// existing reaches it there. `None` when the name to bind is already taken
/// anywhere in the file, or when a builtin is shadowed in a scope `site` sees.
pub fn spell_import(
    request: &ImportRequest,
    semantic: &Semantic,
    site: usize,
) -> Option<(String, Option<ImportRequest>)> {
    if request.module == "builtins" {
        let member = request.member.as_deref()?;
        return semantic.is_builtin(member, site).then(|| (member.to_string(), None));
    }
    let qualified = match &request.member {
        Some(member) => format!("{}.{member}", request.module),
        None => request.module.clone(),
    };
    if let Some(existing) = semantic.spelling_of(&qualified, site) {
        return Some((existing, None));
    }
    if let Some(member) = &request.member {
        if !semantic.is_name_taken(member) {
            return Some((member.clone(), Some(request.clone())));
        }
    }
    // Fall back to `import module` and a dotted reference.
    let head = request.module.split('.').next()?;
    if semantic.is_name_taken(head) {
        return None;
    }
    let module_only = ImportRequest {
        module: request.module.clone(),
        member: None,
    };
    Some((qualified, Some(module_only)))
}

/// Appends template text, re-indenting each line after a newline.
fn push_indented(out: &mut String, text: &str, ctx: &RenderContext) {
    let mut lines = text.split('\n');
    if let Some(first) = lines.next() {
        out.push_str(first);
    }
    for line in lines {
        out.push('\n');
        if line.is_empty() {
            continue;
        }
        let trimmed = line.trim_start_matches(' ');
        let levels = (line.len() - trimmed.len()) / 4;
        out.push_str(ctx.site_indent);
        for _ in 0..levels {
            out.push_str(ctx.indent_unit);
        }
        out.push_str(trimmed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_unknown_captures_and_filters() {
        assert!(Template::parse("${x}", &["match"]).is_err());
        assert!(Template::parse("${match|no-such-filter}", &["match"]).is_err());
        assert!(Template::parse("cost: $5", &["match"]).is_err());
        assert!(Template::parse("cost: $$5 ${match}", &["match"]).is_ok());
    }

    fn spell(source: &str, target: &str) -> Option<(String, Option<ImportRequest>)> {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&tree_sitter_python::LANGUAGE.into()).unwrap();
        let semantic = Semantic::build(&parser.parse(source, None).unwrap(), source);
        let (module, member) = target.rsplit_once('.').unwrap();
        let request = ImportRequest {
            module: module.into(),
            member: Some(member.into()),
        };
        // Written where `member` last occurs, else at the end of the file.
        let site = source.rfind(member).unwrap_or(source.len().saturating_sub(1));
        spell_import(&request, &semantic, site)
    }

    #[test]
    fn builtins_are_spelled_bare_and_never_imported() {
        assert_eq!(spell("x = min(a)\n", "builtins.min"), Some(("min".into(), None)));
        assert_eq!(spell("x = 1\n", "builtins.max"), Some(("max".into(), None)));
        // Shadowed where the rewrite writes it: no spelling, the rewrite is skipped.
        assert_eq!(spell("def f(max):\n    return max\n", "builtins.max"), None);
        // Shadowed in another function only, or by a class attribute: spelled.
        assert_eq!(
            spell("def f(max):\n    pass\nclass A:\n    max = 0\nmax\n", "builtins.max"),
            Some(("max".into(), None))
        );
        assert_eq!(spell("from numpy import *\n", "builtins.min"), None);
    }
}

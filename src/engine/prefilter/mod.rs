//! Work proportional to what can match. Before anything is parsed, one
//! multi-pattern scan finds the literals the active codemods declare. A file
//! with none is done. Otherwise a light scan of its layout drops the hits in
//! comments and plain strings and keeps, per codemod, those that occur together
//! in its [`LiteralScope`]. Only the statements holding kept hits (inside a
//! class, only its methods holding them, under the class header), the simple
//! statement before each (for patterns over consecutive statements) and every
//! module-level import (for name resolution) are parsed, as a fragment, and the
//! one query runs only over the pieces holding hits. When nothing survives
//! there, the file has no findings and is never parsed whole; `check` may even
//! take the fragment's findings as the file's (see `answer_from_fragment`).
//!
//! The fragment pass may only over-approximate: a guard that needs the whole
//! file passes there, and a fragment that does not parse sends the file to the
//! full pass.
mod layout;

pub use layout::{Layout, LogicalLine, Statement};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;

/// A fragment is only worth it when it is clearly smaller than the file.
pub const DEFAULT_MAX_SHARE: f64 = 0.6;

/// Where the literals of a codemod's groups must occur together for a match
/// to be possible there (`literal-scope` in `codemod.toml`). The narrower, the
/// fewer statements are parsed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LiteralScope {
    /// In one top-level statement.
    #[default]
    Statement,
    /// In one logical line: a call with its arguments, a decorator, a condition.
    Line,
    /// A fresh accumulator filled by a loop: the last group on a line at most
    /// a few statements above a `for` loop at the same indentation, the others
    /// in that loop.
    LoopAfterInit,
    /// In the body of one `async def` (not in a plain `def` nested in it).
    InAsyncDef,
    /// The last group on the header of a decorated `def` or `class`, the
    /// others in its decorators.
    DecoratedDefinition,
}

/// The offsets of the hits that could belong to a match of a codemod with
/// `groups` literal groups and this scope. `hits` are (offset, group), in code
/// only, sorted by offset.
pub fn hits_in_scope(
    scope: LiteralScope,
    groups: usize,
    hits: &[(usize, usize)],
    source: &str,
    layout: &Layout,
    statements: &[Statement],
) -> Vec<usize> {
    match scope {
        LiteralScope::Statement => hits_within(groups, hits, statements, |s| s.range.clone()),
        LiteralScope::Line => hits_within(groups, hits, &layout.lines, LogicalLine::range),
        LiteralScope::LoopAfterInit => {
            let accumulator = groups - 1;
            let mut kept = Vec::new();
            for &(offset, _) in hits.iter().filter(|(_, group)| *group == accumulator) {
                let Some(init) = layout.line_at(offset) else { continue };
                let Some(for_line) = loop_below(layout, source, init) else {
                    continue;
                };
                let block = layout.block(source, for_line);
                // The loop must accumulate into what the init binds (`out.append`, `s +=`).
                let bound = accumulator_name(layout.lines[init].code(source));
                let body = &source[block.clone()];
                let accumulates = |name: &str| {
                    body.match_indices(name).any(|(at, _)| {
                        let after = body[at + name.len()..].trim_start_matches(' ');
                        after.starts_with('.') || after.starts_with("+=")
                    })
                };
                if bound.is_some_and(|name| !accumulates(name)) {
                    continue;
                }
                let in_loop =
                    &hits[hits.partition_point(|h| h.0 < block.start)..hits.partition_point(|h| h.0 < block.end)];
                let uses: Vec<(usize, usize)> = in_loop.iter().copied().filter(|h| h.1 != accumulator).collect();
                if complete(groups - 1, &uses) {
                    kept.push(offset);
                    kept.extend(uses.iter().map(|h| h.0));
                }
            }
            kept
        }
        LiteralScope::InAsyncDef => {
            let functions = layout.enclosing_functions(source);
            let mut by_function: BTreeMap<usize, Vec<(usize, usize)>> = BTreeMap::new();
            for &hit in hits {
                let function = layout.line_at(hit.0).and_then(|line| functions[line]);
                if let Some(header) = function.filter(|h| layout.lines[*h].code(source).starts_with("async")) {
                    by_function.entry(header).or_default().push(hit);
                }
            }
            by_function
                .into_values()
                .filter(|hits| complete(groups, hits))
                .flatten()
                .map(|hit| hit.0)
                .collect()
        }
        LiteralScope::DecoratedDefinition => {
            let header_group = groups - 1;
            let mut kept = Vec::new();
            for &(offset, _) in hits.iter().filter(|(_, group)| *group == header_group) {
                let Some(header) = layout.line_at(offset) else { continue };
                let line = &layout.lines[header];
                let code = line.code(source);
                if !["def ", "async ", "class "].iter().any(|k| code.starts_with(k)) {
                    continue;
                }
                let decorators = layout.lines[..header]
                    .iter()
                    .rev()
                    .take_while(|l| l.indent == line.indent && l.code(source).starts_with('@'))
                    .last();
                let Some(first) = decorators else { continue };
                let decorated =
                    &hits[hits.partition_point(|h| h.0 < first.start)..hits.partition_point(|h| h.0 < line.start)];
                let in_decorators: Vec<(usize, usize)> =
                    decorated.iter().copied().filter(|h| h.1 != header_group).collect();
                if complete(header_group, &in_decorators) {
                    kept.push(offset);
                    kept.extend(in_decorators.iter().map(|h| h.0));
                }
            }
            kept
        }
    }
}

/// The plain name an init line binds (`out` of `out = []` or `out: list = []`).
fn accumulator_name(code: &str) -> Option<&str> {
    let target = code.split('=').next()?.split(':').next()?.trim();
    let plain = !target.is_empty() && target.chars().all(|c| c.is_alphanumeric() || c == '_');
    plain.then_some(target)
}

/// How many statements may sit between an accumulator's init and its loop
/// (the guards decide whether they touch it).
const MAX_STATEMENTS_BETWEEN: usize = 3;

/// The line of the `for` loop below the init on line `init`: the first line at
/// the init's indentation opening one, after at most
/// [`MAX_STATEMENTS_BETWEEN`] other statements at that indentation (lines
/// indented deeper belong to them).
fn loop_below(layout: &Layout, source: &str, init: usize) -> Option<usize> {
    let indent = layout.lines[init].indent;
    let mut between = 0;
    for (index, line) in layout.lines.iter().enumerate().skip(init + 1) {
        if line.indent > indent {
            continue;
        }
        if line.indent < indent {
            return None;
        }
        if opens_for_loop(line.code(source)) {
            return Some(index);
        }
        between += 1;
        if between > MAX_STATEMENTS_BETWEEN {
            return None;
        }
    }
    None
}

/// The hits in the windows (sorted, disjoint) that hold a literal of every group.
fn hits_within<W>(
    groups: usize,
    hits: &[(usize, usize)],
    windows: &[W],
    range: impl Fn(&W) -> Range<usize>,
) -> Vec<usize> {
    let mut kept = Vec::new();
    let mut rest = hits;
    while let Some(&(offset, _)) = rest.first() {
        let index = windows.partition_point(|w| range(w).end <= offset);
        let Some(window) = windows.get(index).map(&range).filter(|w| w.start <= offset) else {
            rest = &rest[1..];
            continue;
        };
        let (inside, after) = rest.split_at(rest.partition_point(|h| h.0 < window.end));
        if complete(groups, inside) {
            kept.extend(inside.iter().map(|h| h.0));
        }
        rest = after;
    }
    kept
}

/// Whether `hits` hold a literal of each of the groups `0..groups`.
fn complete(groups: usize, hits: &[(usize, usize)]) -> bool {
    let seen = hits.iter().fold(0u64, |seen, (_, group)| seen | 1 << group);
    seen.count_ones() as usize == groups
}

/// `for ...` or `async for ...`.
fn opens_for_loop(code: &str) -> bool {
    let code = code.strip_prefix("async").map_or(code, str::trim_start);
    code.strip_prefix("for")
        .is_some_and(|rest| !rest.starts_with(is_word_char))
}

/// A character of a Python name.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Which bindings [`Fragment::may_bind`] looks for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    Any,
    Import,
}

/// Some statements of a file, parsed on their own before (and often instead
/// of) the whole file.
pub struct Fragment {
    pub text: String,
    /// (offset in `text`, range in the file, whether it holds a hit) of each
    /// piece kept, in order.
    pieces: Vec<(usize, Range<usize>, bool)>,
}

impl Fragment {
    /// Where a range of the fragment's text (within one statement) is in the file.
    pub fn file_range(&self, range: Range<usize>) -> Range<usize> {
        let index = self.pieces.partition_point(|(start, _, _)| *start <= range.start) - 1;
        let (start, piece, _) = &self.pieces[index];
        let map = |offset: usize| (piece.start + offset - start).min(piece.end);
        map(range.start)..map(range.end)
    }

    /// Where in the fragment's text the one query runs: the pieces holding a hit.
    pub fn ranges_to_match(&self) -> Vec<Range<usize>> {
        merged(
            self.pieces
                .iter()
                .filter(|(_, _, holds_hit)| *holds_hit)
                .map(|(start, piece, _)| *start..start + piece.len()),
        )
    }

    /// Whether the file text the fragment leaves out holds `word`.
    pub fn leaves_out_word(&self, source: &str, word: &str) -> bool {
        self.omitted(source).any(|range| source[range].contains(word))
    }

    /// The ranges of the file the fragment leaves out.
    fn omitted<'a>(&'a self, source: &'a str) -> impl Iterator<Item = Range<usize>> + 'a {
        let starts = std::iter::once(0).chain(self.pieces.iter().map(|(_, piece, _)| piece.end));
        let ends = self
            .pieces
            .iter()
            .map(|(_, piece, _)| piece.start)
            .chain([source.len()]);
        starts
            .zip(ends)
            .map(|(start, end)| start..end)
            .filter(|range| !range.is_empty())
    }

    /// Whether the file text the fragment leaves out may bind `name` (with an
    /// import only, or any way). An occurrence surely binds nothing when it is
    /// an attribute (`x.name`), is called, subscripted or has an attribute
    /// taken (`name(`, `name[`, `name.`, but for `def name(`), or sits on a
    /// logical line that binds nothing before it: no `def`, `class`, `for`,
    /// `import`, `global`, `del`, `with`, `except`, `case`, `lambda` or ` as `,
    /// and no `=` after it.
    pub fn may_bind(&self, source: &str, layout: &Layout, name: &str, binding: Binding) -> bool {
        let may_bind = |offset: usize| {
            let end = offset + name.len();
            if source[..offset].ends_with(is_word_char) || source[end..].starts_with(is_word_char) {
                return false; // a longer word
            }
            let Some(line) = layout.line_at(offset).map(|l| &layout.lines[l]) else {
                return false; // a comment
            };
            let code = line.code(source);
            if code.starts_with("import") || code.starts_with("from") {
                return true;
            }
            if binding == Binding::Import {
                return false;
            }
            let before = source[..offset].trim_end_matches([' ', '\t']);
            let after = source[end..].trim_start_matches([' ', '\t']);
            let defined = before.ends_with("def") || before.ends_with("class");
            if before.ends_with('.') || !defined && after.starts_with(['(', '[', '.']) {
                return false;
            }
            let binding_statement = [
                "def", "async", "class", "for", "global", "nonlocal", "del", "with", "except", "case",
            ]
            .iter()
            .any(|keyword| code.starts_with(keyword));
            binding_statement
                || [" for ", "lambda", " as "].iter().any(|word| code.contains(word))
                || source[end..line.end].contains('=')
        };
        self.omitted(source).any(|range| {
            source[range.clone()]
                .match_indices(name)
                .any(|(offset, _)| may_bind(range.start + offset))
        })
    }
}

/// The fragment to parse first, from the [`pieces`] a file's hits keep. So a
/// pattern must match within what its literals keep: a class header and the
/// methods holding its literals (`tests/codemods.rs` and `tests/corpus.rs`
/// check the findings with and without the prefilter). `None` when the fragment
/// would be over `max_share` of the file.
pub fn fragment(source: &str, pieces: &[Piece], max_share: f64) -> Option<Fragment> {
    let ends_line = |p: &Piece| source[p.range.clone()].ends_with('\n');
    let length: usize = pieces.iter().map(|p| p.range.len() + usize::from(!ends_line(p))).sum();
    if length as f64 > max_share * source.len() as f64 {
        return None;
    }
    let mut fragment = Fragment {
        text: String::with_capacity(length),
        pieces: Vec::with_capacity(pieces.len()),
    };
    for piece in pieces {
        fragment
            .pieces
            .push((fragment.text.len(), piece.range.clone(), piece.holds_hit));
        fragment.text.push_str(&source[piece.range.clone()]);
        if !fragment.text.ends_with('\n') {
            fragment.text.push('\n');
        }
    }
    Some(fragment)
}

/// Where in a whole file the one query runs: the pieces holding a hit
/// (adjacent ones merged). Every match lies in one (see [`fragment`]).
pub fn ranges_to_match(pieces: &[Piece]) -> Vec<Range<usize>> {
    merged(pieces.iter().filter(|p| p.holds_hit).map(|p| p.range.clone()))
}

/// `pieces` and, as context (matched by no query), every statement they leave
/// out whose text holds one of `words`: a whole top-level statement, or in a
/// class whose header is kept, a statement of its body. So a fragment whose
/// answer the left-out text might change (a name it binds, an attribute a
/// method assigns) can settle it without the whole file. `None` when no
/// left-out statement holds any of them.
pub fn widen(source: &str, statements: &[Statement], pieces: &[Piece], words: &[String]) -> Option<Vec<Piece>> {
    let holds_word = |range: &Range<usize>| words.iter().any(|w| source[range.clone()].contains(w.as_str()));
    let mut wider = Vec::with_capacity(pieces.len());
    let mut kept = pieces.iter().peekable();
    let mut added = false;
    for statement in statements {
        let mut within = Vec::new();
        while let Some(piece) = kept.next_if(|p| p.range.start < statement.range.end) {
            within.push(piece);
        }
        let context = |range: &Range<usize>| Piece {
            range: range.clone(),
            holds_hit: false,
        };
        match (&statement.class, within.first()) {
            (_, None) if holds_word(&statement.range) => {
                wider.push(context(&statement.range));
                added = true;
            }
            (Some((header, body)), Some(first)) if first.range == *header => {
                wider.push((*first).clone());
                let mut kept_in_body = within[1..].iter().peekable();
                for range in body {
                    match kept_in_body.next_if(|p| p.range == *range) {
                        Some(piece) => wider.push((*piece).clone()),
                        None if holds_word(range) => {
                            wider.push(context(range));
                            added = true;
                        }
                        None => {}
                    }
                }
                if kept_in_body.next().is_some() {
                    return None; // not pieces of this class's statements after all
                }
            }
            _ => wider.extend(within.into_iter().cloned()),
        }
    }
    (added && kept.next().is_none()).then_some(wider)
}

/// A piece of a file a fragment keeps, and whether it holds a hit (the others
/// are context: imports, a class header, the statement before a hit).
#[derive(Clone)]
pub struct Piece {
    range: Range<usize>,
    holds_hit: bool,
}

/// What a fragment keeps: module-level imports (and loggers), each statement a
/// hit is in with the simple statement before it; inside a class, only the
/// methods holding a hit, with the class header. `hits` sorted.
pub fn pieces(source: &str, statements: &[Statement], hits: &[usize]) -> Vec<Piece> {
    let ranges: Vec<Range<usize>> = statements.iter().map(|s| s.range.clone()).collect();
    let relevant = relevant(source, &ranges, hits);
    let holds_hit = |range: &Range<usize>| {
        hits.get(hits.partition_point(|h| *h < range.start))
            .is_some_and(|h| *h < range.end)
    };
    let mut pieces = Vec::new();
    let mut push = |range: Range<usize>| {
        let holds_hit = holds_hit(&range);
        pieces.push(Piece { range, holds_hit });
    };
    for (index, statement) in statements.iter().enumerate() {
        let code = &source[statement.range.clone()];
        // What binds the names guards resolve: imports anywhere at module level,
        // also under `try:` or `if TYPE_CHECKING:`, and loggers.
        let holds_imports = !is_definition(code) && (code.contains("import ") || code.contains("Logger"));
        if !relevant[index] && !holds_imports {
            continue;
        }
        match &statement.class {
            Some((header, body)) if !holds_hit(header) => {
                push(header.clone());
                let in_body = self::relevant(source, body, hits);
                for (range, _) in body.iter().zip(&in_body).filter(|(_, keep)| **keep) {
                    push(range.clone());
                }
            }
            _ => push(statement.range.clone()),
        }
    }
    pieces
}

/// Sorted ranges with the touching ones merged.
fn merged(ranges: impl Iterator<Item = Range<usize>>) -> Vec<Range<usize>> {
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if last.end >= range.start => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// Where a literal that an import renames (`from m import Literal as Alias`) is
/// used under its alias: those uses hold no literal, yet may match. Returns each
/// use's offset with the index (in `hits`, sorted) of the literal its import
/// renamed, so the use counts as that literal.
pub fn alias_uses(source: &str, layout: &Layout, hits: &[usize]) -> Vec<(usize, usize)> {
    debug_assert!(hits.is_sorted());
    let mut aliases: Vec<(&str, usize)> = Vec::new();
    for line in &layout.lines {
        let code = line.code(source);
        if !(code.starts_with("import ") || code.starts_with("from ")) || !code.contains(" as ") {
            continue;
        }
        let mut at = line.start + line.indent;
        for piece in code.split([',', '(', ')', '\n', ';']) {
            if let Some((name, alias)) = piece.split_once(" as ") {
                // Every literal in the name: `Thread` in `ThreadPoolExecutor` may be another codemod's.
                let first = hits.partition_point(|h| *h < at);
                let end = hits.partition_point(|h| *h < at + name.len());
                aliases.extend((first..end).map(|hit| (alias.trim(), hit)));
            }
            at += piece.len() + 1;
        }
    }
    let mut uses = Vec::new();
    for (alias, hit) in aliases.into_iter().filter(|(a, _)| !a.is_empty()) {
        for (offset, _) in source.match_indices(alias) {
            let before = source[..offset].chars().next_back();
            let after = source[offset + alias.len()..].chars().next();
            if !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char) {
                uses.push((offset, hit));
            }
        }
    }
    uses
}

/// Which statements a literal occurs in, each with the one before it unless
/// that is a definition (patterns may span two consecutive statements, such as
/// `tasks = [...]` and `await gather(*tasks)`, never a `def` or `class` and the
/// statement after it).
fn relevant(source: &str, statements: &[Range<usize>], hits: &[usize]) -> Vec<bool> {
    let mut relevant = vec![false; statements.len()];
    for &offset in hits {
        let index = statements.partition_point(|s| s.end <= offset);
        if index < statements.len() && statements[index].contains(&offset) {
            relevant[index] = true;
            if index > 0 && !is_definition(source[statements[index - 1].clone()].trim_start()) {
                relevant[index - 1] = true;
            }
        }
    }
    relevant
}

fn is_definition(code: &str) -> bool {
    ["def ", "class ", "async def ", "@"]
        .iter()
        .any(|k| code.starts_with(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fragment(source: &str, hits: &[usize], share: f64) -> Option<String> {
        let statements = Layout::scan(source).top_level_statements(source);
        let mut hits = hits.to_vec();
        hits.sort_unstable();
        let aliases = alias_uses(source, &Layout::scan(source), &hits);
        hits.extend(aliases.into_iter().map(|(offset, _)| offset));
        super::fragment(source, &pieces(source, &statements, &hits), share).map(|f| f.text)
    }

    fn statements(source: &str) -> Vec<&str> {
        Layout::scan(source)
            .top_level_statements(source)
            .into_iter()
            .map(|s| source[s.range].trim_end())
            .collect()
    }

    /// The hits `hits_in_scope` keeps, as the literal text at each.
    fn kept<'s>(scope: LiteralScope, source: &'s str, groups: &[&[&str]]) -> Vec<&'s str> {
        let layout = Layout::scan(source);
        let statements = layout.top_level_statements(source);
        let mut hits: Vec<(usize, usize)> = Vec::new();
        for (group, literals) in groups.iter().enumerate() {
            for literal in *literals {
                hits.extend(source.match_indices(literal).map(|(offset, _)| (offset, group)));
            }
        }
        hits.sort_unstable();
        hits_in_scope(scope, groups.len(), &hits, source, &layout, &statements)
            .into_iter()
            .map(|offset| &source[offset..offset + 3])
            .collect()
    }

    #[test]
    fn line_scope_wants_every_group_on_one_logical_line() {
        let source = "a = sum(\n    [x for x in y])\nb = sum(y)\nfor x in y: pass\n";
        assert_eq!(
            kept(LiteralScope::Line, source, &[&["sum("], &["for"]]),
            vec!["sum", "for"]
        );
        let statement = "def f():\n    sum(y)\n    for x in y: pass\n";
        assert_eq!(
            kept(LiteralScope::Statement, statement, &[&["sum("], &["for"]]),
            vec!["sum", "for"]
        );
    }

    #[test]
    fn loop_after_init_scope_wants_the_init_a_few_statements_above_a_loop_holding_the_rest() {
        let groups: &[&[&str]] = &[&["append"], &["= []"]];
        let source =
            "def f():\n    out = []\n    # comment\n    for x in y:\n        if x:\n            out.append(x)\n";
        assert_eq!(kept(LiteralScope::LoopAfterInit, source, groups), vec!["= [", "app"]);
        let between =
            "def f():\n    out = []\n    n = 0\n    if n:\n        n = 1\n    for x in y:\n        out.append(x)\n";
        assert_eq!(kept(LiteralScope::LoopAfterInit, between, groups), vec!["= [", "app"]);
        let far = "def f():\n    out = []\n    a = 0\n    b = 0\n    c = 0\n    d = 0\n    for x in y:\n        out.append(x)\n";
        assert!(kept(LiteralScope::LoopAfterInit, far, groups).is_empty());
        let after = "def f():\n    out = []\n    for x in y:\n        pass\n    out.append(1)\n";
        assert!(kept(LiteralScope::LoopAfterInit, after, groups).is_empty());
        let deeper = "def f():\n    out = []\n    if y:\n        for x in y:\n            out.append(x)\n";
        assert!(kept(LiteralScope::LoopAfterInit, deeper, groups).is_empty());
        let async_for = "async def f():\n    out = []\n    async for x in y:\n        out.append(x)\n";
        assert_eq!(kept(LiteralScope::LoopAfterInit, async_for, groups), vec!["= [", "app"]);
    }

    #[test]
    fn in_async_def_scope_wants_the_innermost_function_async() {
        let groups: &[&[&str]] = &[&["sleep"]];
        let source = "async def f():\n    time.sleep(1)\n    def g():\n        time.sleep(2)\n    sleep(3)\ndef h():\n    sleep(4)\n";
        let kept = kept(LiteralScope::InAsyncDef, source, groups);
        assert_eq!(kept.len(), 2);
        let layout = Layout::scan(source);
        let functions = layout.enclosing_functions(source);
        let header = |line: usize| functions[line].map(|h| layout.lines[h].code(source));
        assert_eq!(header(1), Some("async def f():"));
        assert_eq!(header(3), Some("def g():"));
        assert_eq!(header(4), Some("async def f():"));
        assert_eq!(header(6), Some("def h():"));
    }

    #[test]
    fn decorated_definition_scope_wants_the_header_under_decorators() {
        let groups: &[&[&str]] = &[&["async"]];
        let source = "@timed\n@other(1)\nasync def f():\n    pass\nasync def g():\n    pass\n";
        assert_eq!(kept(LiteralScope::DecoratedDefinition, source, groups), vec!["asy"]);
        let groups: &[&[&str]] = &[&["cache"], &["def"]];
        let source = "class C:\n    @lru_cache\n    def f(self):\n        pass\n    @property\n    def g(self):\n        cache = 1\n";
        assert_eq!(
            kept(LiteralScope::DecoratedDefinition, source, groups),
            vec!["def", "cac"]
        );
    }

    #[test]
    fn names_left_out_of_a_fragment_bind_unless_surely_used() {
        let mut source = String::from("import os\n");
        for i in 0..20 {
            source.push_str(&format!("def f{i}():\n    return {i}\n"));
        }
        source.push_str("def hot():\n    time.sleep(1)\n");
        source.push_str("def g(a):\n    if isinstance(a, list):\n        return sorted(a)\n    x.sum = len(a)\n");
        source.push_str("def h(dict):\n    for str in a: pass\n    from m import set\n    y = tuple\n");
        let layout = Layout::scan(&source);
        let statements = layout.top_level_statements(&source);
        let kept = pieces(&source, &statements, &[source.find("sleep").unwrap()]);
        let fragment = super::fragment(&source, &kept, 1.0).unwrap();
        assert!(!fragment.text.contains("def g"), "{}", fragment.text);
        let binds = |name: &str, binding: Binding| fragment.may_bind(&source, &layout, name, binding);
        for used in ["list", "sorted", "sum", "len", "os", "time"] {
            assert!(!binds(used, Binding::Any), "{used} is only used");
        }
        for bound in ["dict", "str", "set", "y", "f3", "g"] {
            assert!(binds(bound, Binding::Any), "{bound} is bound");
        }
        assert!(binds("set", Binding::Import));
        assert!(!binds("str", Binding::Import));
    }

    #[test]
    fn aliases_of_literal_names_are_hits() {
        let source = "from time import sleep as nap\n\nasync def f():\n    nap(1)\n";
        let uses = alias_uses(source, &Layout::scan(source), &[source.find("sleep").unwrap()]);
        assert_eq!(
            uses,
            vec![(source.find("nap").unwrap(), 0), (source.rfind("nap").unwrap(), 0)]
        );
        assert!(alias_uses("sleep(1)\n", &Layout::scan("sleep(1)\n"), &[0]).is_empty());
    }

    #[test]
    fn splits_at_top_level_statements_only() {
        let source = r#"import os
@deco

def f():
    x = '''
not = a statement
'''
    return (1,
2)
if a:
    pass
else:
    pass
y = \
  3
# comment
z = 'it''s'  # "
"#;
        assert_eq!(
            statements(source),
            vec![
                "import os",
                "@deco\n\ndef f():\n    x = '''\nnot = a statement\n'''\n    return (1,\n2)",
                "if a:\n    pass\nelse:\n    pass",
                "y = \\\n  3\n# comment",
                "z = 'it''s'  # \"",
            ]
        );
    }

    #[test]
    fn fragments_keep_imports_and_neighbours() {
        let mut source = String::from("import time\n");
        for i in 0..20 {
            source.push_str(&format!("def f{i}():\n    return {i}\n"));
        }
        source.push_str("out = []\nfor x in y:\n    out.append(x)\n");
        let at = source.find("append").unwrap();
        assert_eq!(
            fragment(&source, &[at], DEFAULT_MAX_SHARE).unwrap(),
            "import time\nout = []\nfor x in y:\n    out.append(x)\n"
        );
    }

    #[test]
    fn fragments_follow_aliased_imports() {
        let mut source =
            String::from("from concurrent.futures import (\n    as_completed,\n    ThreadPoolExecutor as TPE,\n)\n");
        for i in 0..20 {
            source.push_str(&format!("def f{i}():\n    return {i}\n"));
        }
        source.push_str("def run():\n    with TPE(2) as pool:\n        pass\n");
        let at = source.find("ThreadPoolExecutor").unwrap();
        let fragment = fragment(&source, &[at], DEFAULT_MAX_SHARE).unwrap();
        assert!(
            fragment.ends_with("def run():\n    with TPE(2) as pool:\n        pass\n"),
            "{fragment}"
        );
    }

    #[test]
    fn widening_adds_the_left_out_statements_holding_a_word_as_context() {
        let source = "import os\ndef f():\n    table = 1\ndef g():\n    pass\nclass C:\n    def a(self):\n        self.table = {}\n    def b(self):\n        pass\n    def hot(self):\n        return k in self.table.keys()\n";
        let statements = Layout::scan(source).top_level_statements(source);
        let kept = pieces(source, &statements, &[source.find("keys").unwrap()]);
        let shown = |pieces: &[Piece]| -> Vec<(&str, bool)> {
            pieces
                .iter()
                .map(|p| (source[p.range.clone()].lines().next().unwrap(), p.holds_hit))
                .collect()
        };
        let wider = widen(source, &statements, &kept, &["table".to_string()]).unwrap();
        assert_eq!(
            shown(&wider),
            vec![
                ("import os", false),
                ("def f():", false),
                ("class C:", false),
                ("    def a(self):", false),
                ("    def hot(self):", true),
            ]
        );
        assert!(widen(source, &statements, &kept, &["nowhere".to_string()]).is_none());
    }

    #[test]
    fn fragments_keep_only_the_relevant_methods_of_a_class() {
        let mut source = String::from("class Big(Base):\n    \"\"\"Doc.\"\"\"\n\n");
        for i in 0..20 {
            source.push_str(&format!("    def m{i}(self):\n        return {i}\n\n"));
        }
        source.push_str("    @property\n    def hot(self):\n        time.sleep(1)\n");
        let at = source.find("sleep").unwrap();
        let expected = "class Big(Base):\n    @property\n    def hot(self):\n        time.sleep(1)\n";
        assert_eq!(fragment(&source, &[at], DEFAULT_MAX_SHARE).unwrap(), expected);
    }
}

//! Rewritten statements laid out the way black and ruff format lay them out, so
//! a reviewer can merge the diff untouched.
//!
//! A rewrite edits text inside a statement; when that removes or adds line
//! breaks (`sum([\n    x\n    for x in xs\n])` -> `sum(...)`), makes a line
//! longer than the project's limit or shortens a statement split over several
//! lines, the whole statement (a compound
//! statement's header only) is laid out again: on one line when it fits, else
//! split at its last bracket pair with the contents indented one level, on one
//! line or one element per line with a magic trailing comma, recursively, as
//! black's right-hand split and delimiter split do (an element too long for its
//! line split between the parts of an implicitly concatenated string, as black
//! splits it), brackets with a magic
//! trailing comma kept one element a line. A statement holding a comment, a
//! backslash continuation or a multi-line string keeps its line breaks; only
//! whitespace-only lines and trailing blanks inside its brackets go. Edits that leave a statement's layout alone are
//! returned as they are.
use crate::edit::Edit;
use std::ops::Range;
use tree_sitter::{Node, Tree};

/// The line length when the project sets none (black's and ruff's default).
pub const DEFAULT_LINE_LENGTH: usize = 88;

/// How rewritten statements are laid out.
#[derive(Clone, Copy, Debug)]
pub struct Style<'a> {
    pub line_length: usize,
    /// The file's indentation unit, for the contents of a split bracket.
    pub indent_unit: &'a str,
}

/// `edits` (one fix's, in `\n` form) with those that change a statement's
/// layout replaced by one edit laying out the whole statement again.
pub fn tidy(tree: &Tree, source: &str, edits: Vec<Edit>, style: Style) -> Vec<Edit> {
    let root = tree.root_node();
    let mut groups: Vec<(Range<usize>, Vec<Edit>)> = Vec::new();
    let mut kept = Vec::new();
    for edit in edits {
        match statement_region(root, source, &edit) {
            Some(region) => match groups
                .iter_mut()
                .find(|(r, _)| r.start < region.end && region.start < r.end)
            {
                Some((r, members)) => {
                    *r = r.start.min(region.start)..r.end.max(region.end);
                    members.push(edit);
                }
                None => groups.push((region, vec![edit])),
            },
            None => kept.push(edit),
        }
    }
    let mut tidied = kept.clone();
    for (region, members) in &groups {
        match relayout(source, region, members, style) {
            Some(text) => tidied.push(Edit::replace(region.clone(), text)),
            None => tidied.extend(members.iter().cloned()),
        }
    }
    // A region grown into another edit's range: leave the fix as it was.
    let mut ranges: Vec<&Range<usize>> = tidied.iter().map(|e| &e.range).collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    if ranges.windows(2).any(|pair| pair[1].start < pair[0].end) {
        return kept
            .into_iter()
            .chain(groups.into_iter().flat_map(|(_, members)| members))
            .collect();
    }
    tidied
}

/// The new text of `region` when `edits` change its layout, `None` when they
/// can stay as they are.
fn relayout(source: &str, region: &Range<usize>, edits: &[Edit], style: Style) -> Option<String> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut text = String::new();
    let mut cursor = region.start;
    for edit in &sorted {
        if edit.range.start < cursor || edit.range.end > region.end {
            return None;
        }
        text.push_str(&source[cursor..edit.range.start]);
        text.push_str(&edit.text);
        cursor = edit.range.end;
    }
    text.push_str(&source[cursor..region.end]);
    let line_start = source[..region.start].rfind('\n').map_or(0, |i| i + 1);
    // An edit may start before the indentation and bring its own.
    let lead = text.len() - text.trim_start_matches([' ', '\t']).len();
    let indent = format!("{}{}", &source[line_start..region.start], &text[..lead]);
    if !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    let breaks_changed = edits
        .iter()
        .any(|e| e.text.contains('\n') || source[e.range.clone()].contains('\n'));
    let old = format!("{indent}{}", &source[region.clone()]);
    let new = format!("{indent}{text}");
    let newly_long = longest_line(&new) > style.line_length && longest_line(&old) <= style.line_length;
    // A split statement the rewrite shortened may now fit on fewer lines.
    let shortened_split = old.contains('\n') && new.len() < old.len();
    if !breaks_changed && !newly_long && !shortened_split {
        return None;
    }
    let laid_out = format!(
        "{}{}",
        &text[..lead],
        lay_out_statements(&text[lead..], &indent, style)?
    );
    (laid_out != text).then_some(laid_out)
}

/// The widest line of `text`, in characters (a tab counts as 4).
pub fn longest_line(text: &str) -> usize {
    text.lines().map(width).max().unwrap_or(0)
}

fn width(line: &str) -> usize {
    line.trim_end_matches('\r')
        .chars()
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

/// The statement an edit lies in, from its first byte (after the indentation)
/// to its last (a compound statement's header up to its `:`), or the run of
/// whole statements it replaces. `None` for edits that insert or delete whole lines.
fn statement_region(root: Node, source: &str, edit: &Edit) -> Option<Range<usize>> {
    let range = &edit.range;
    let at_line_start = |offset: usize| offset == 0 || source[..offset].ends_with('\n');
    let whole_lines =
        at_line_start(range.start) && at_line_start(range.end) && (edit.text.is_empty() || edit.text.ends_with('\n'));
    if whole_lines {
        return None;
    }
    let first = statement_at(root, range.start)?;
    let last = statement_at(root, range.end.max(range.start + 1) - 1)?;
    let start = first.start.min(range.start);
    let end = last.end.max(range.end);
    // Only the text after the region up to the line end may be a comment.
    let rest = &source[end..];
    let rest = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let rest = rest.trim_start();
    (rest.is_empty() || rest.starts_with('#') || rest == "\r").then_some(start..end)
}

/// The innermost statement (or compound statement's header) holding `offset`.
fn statement_at(root: Node, offset: usize) -> Option<Range<usize>> {
    let mut node = root.descendant_for_byte_range(offset, offset)?;
    loop {
        let mut cursor = node.walk();
        let body = node
            .children(&mut cursor)
            .find(|c| c.kind() == "block" && c.start_byte() > offset);
        if let Some(body) = body {
            let mut cursor = node.walk();
            let colon = node
                .children(&mut cursor)
                .filter(|c| c.kind() == ":" && c.end_byte() <= body.start_byte())
                .last()?;
            return Some(node.start_byte()..colon.end_byte());
        }
        let parent = node.parent()?;
        if matches!(parent.kind(), "module" | "block") || node.kind() == "decorator" {
            return Some(node.byte_range());
        }
        node = parent;
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Name,
    Number,
    String,
    Comment,
    Open,
    Close,
    Operator,
    /// A backslash ending a line.
    Continuation,
}

#[derive(Clone, Debug)]
struct Token<'s> {
    text: &'s str,
    kind: Kind,
    /// Whitespace (and line breaks) before it, in the text as written.
    gap: &'s str,
}

impl Token<'_> {
    fn is(&self, text: &str) -> bool {
        self.text == text
    }
}

const OPERATORS: &[&str] = &[
    "**=", "//=", ">>=", "<<=", "...", "!=", "==", "<=", ">=", "**", "//", "<<", ">>", "->", ":=", "+=", "-=", "*=",
    "/=", "%=", "&=", "|=", "^=", "@=",
];

/// Python tokens of `text`; `None` where it cannot be read (an unterminated
/// string), which leaves the rewrite as it is.
fn tokenize(text: &str) -> Option<Vec<Token<'_>>> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let gap_start = at;
        while at < text.len() && matches!(bytes[at], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
            at += 1;
        }
        if at == text.len() {
            break;
        }
        let gap = &text[gap_start..at];
        let start = at;
        let rest = &text[at..];
        let c = rest.chars().next()?;
        let kind = if c == '#' {
            at += rest.find('\n').unwrap_or(rest.len());
            Kind::Comment
        } else if c == '\\' {
            at += 1;
            Kind::Continuation
        } else if let Some(len) = string_length(rest) {
            at += len;
            Kind::String
        } else if c.is_ascii_digit() || (c == '.' && rest[1..].starts_with(|d: char| d.is_ascii_digit())) {
            let mut previous = ' ';
            let len = rest
                .char_indices()
                .find(|&(i, d)| {
                    let exponent_sign =
                        (d == '+' || d == '-') && matches!(previous, 'e' | 'E') && !rest.starts_with("0x");
                    previous = d;
                    i > 0 && !(d.is_alphanumeric() || d == '_' || d == '.' || exponent_sign)
                })
                .map_or(rest.len(), |(i, _)| i);
            at += len;
            Kind::Number
        } else if c.is_alphanumeric() || c == '_' {
            let len = rest
                .char_indices()
                .find(|&(_, d)| !(d.is_alphanumeric() || d == '_'))
                .map_or(rest.len(), |(i, _)| i);
            at += len;
            Kind::Name
        } else if matches!(c, '(' | '[' | '{') {
            at += 1;
            Kind::Open
        } else if matches!(c, ')' | ']' | '}') {
            at += 1;
            Kind::Close
        } else {
            let len = OPERATORS
                .iter()
                .find(|op| rest.starts_with(*op))
                .map_or(c.len_utf8(), |op| op.len());
            at += len;
            Kind::Operator
        };
        tokens.push(Token {
            text: &text[start..at],
            kind,
            gap,
        });
    }
    Some(tokens)
}

/// The length of the string literal `text` starts with (prefix included).
fn string_length(text: &str) -> Option<usize> {
    let prefix = text
        .char_indices()
        .find(|&(_, c)| !matches!(c, 'r' | 'R' | 'b' | 'B' | 'u' | 'U' | 'f' | 'F'))
        .map_or(text.len(), |(i, _)| i);
    if prefix > 2 {
        return None;
    }
    let body = &text[prefix..];
    let quote = body.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let triple: String = std::iter::repeat_n(quote, 3).collect();
    let (delimiter, open) = match body.starts_with(&triple) {
        true => (triple.as_str(), 3),
        false => (&body[..1], 1),
    };
    let mut chars = body[open..].char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            chars.next();
        } else if body[open + i..].starts_with(delimiter) {
            return Some(prefix + open + i + delimiter.len());
        } else if c == '\n' && open == 1 {
            return None;
        }
    }
    None
}

/// Each logical line of `text` (which starts after `indent`) laid out again.
fn lay_out_statements(text: &str, indent: &str, style: Style) -> Option<String> {
    let tokens = tokenize(text)?;
    let mut out = String::new();
    let mut depth = 0usize;
    let mut line_start = 0;
    for (i, token) in tokens.iter().enumerate() {
        match token.kind {
            Kind::Open => depth += 1,
            Kind::Close => depth = depth.checked_sub(1)?,
            _ => {}
        }
        let ends_line = depth == 0
            && tokens
                .get(i + 1)
                .is_none_or(|next| next.gap.contains('\n') && token.kind != Kind::Continuation);
        if ends_line {
            let written = &tokens[line_start..=i];
            // A backslash inside brackets is redundant: black drops it with its line break.
            let line = &without_bracketed_continuations(written);
            let line_indent = match line_start {
                0 => indent.to_string(),
                _ => {
                    let gap = line[0].gap;
                    let blank_lines = gap.matches('\n').count().saturating_sub(1);
                    out.push_str(&"\n".repeat(blank_lines + 1));
                    gap.rsplit('\n').next().unwrap_or("").to_string()
                }
            };
            let line = &without_redundant_parentheses(line);
            let lines = match reflowable(line) {
                true => lay_out(line, &line_indent, style, Context::Statement),
                false => vec![format!("{line_indent}{}", tidy_breaks(written))],
            };
            let joined = lines.join("\n");
            // The region starts after the first line's indentation.
            let skip = if line_start == 0 { line_indent.len() } else { 0 };
            out.push_str(&joined[skip..]);
            line_start = i + 1;
        }
    }
    (depth == 0).then_some(out)
}

/// `for x in (xs):` -> `for x in xs:`, likewise after `=`, `return`, `if`...:
/// black makes parentheses around a whole right-hand side invisible unless
/// they hold a tuple or a `yield` (and puts them back if the line is too long).
fn without_redundant_parentheses<'s>(line: &[Token<'s>]) -> Vec<Token<'s>> {
    let end = match line.last() {
        Some(last) if last.is(":") => line.len() - 1,
        _ => line.len(),
    };
    let Some(start) = right_hand_side(line, end) else {
        return line.to_vec();
    };
    let inner = &line[start..end];
    let redundant = inner.len() > 2
        && inner[0].is("(")
        && matching_close(inner, 0) == Some(inner.len() - 1)
        && !inner[1..inner.len() - 1].iter().any(|t| t.is("yield"))
        && !delimiters(&inner[1..inner.len() - 1]).iter().any(|(_, p)| *p == COMMA)
        && !inner[inner.len() - 2].is(",");
    if !redundant {
        return line.to_vec();
    }
    let mut out = line[..start].to_vec();
    out.push(Token {
        gap: inner[0].gap,
        ..inner[1].clone()
    });
    out.extend(inner[2..inner.len() - 1].iter().cloned());
    out.extend(line[end..].iter().cloned());
    out
}

fn without_bracketed_continuations<'s>(line: &[Token<'s>]) -> Vec<Token<'s>> {
    let mut depth = 0usize;
    line.iter()
        .filter(|token| {
            match token.kind {
                Kind::Open => depth += 1,
                Kind::Close => depth = depth.saturating_sub(1),
                _ => {}
            }
            !(token.kind == Kind::Continuation && depth > 0)
        })
        .cloned()
        .collect()
}

/// Whether black would lay a logical line out from scratch: no comment, no
/// backslash continuation, no multi-line string.
fn reflowable(line: &[Token]) -> bool {
    line.iter()
        .all(|token| !matches!(token.kind, Kind::Comment | Kind::Continuation) && !token.text.contains('\n'))
}

/// A comma right before a closing bracket (not a one-element tuple's): black
/// keeps that bracket's contents one element a line.
fn has_magic_comma(tokens: &[Token]) -> bool {
    (0..tokens.len().saturating_sub(1))
        .any(|i| tokens[i].is(",") && tokens[i + 1].kind == Kind::Close && !is_one_tuple(tokens, i))
}

/// `(x,)`: a trailing comma that makes a one-element tuple.
fn is_one_tuple(line: &[Token], comma: usize) -> bool {
    comma >= 2 && line[comma + 1].is(")") && line[comma - 2].is("(") && line[comma - 1].kind != Kind::Open
}

/// A logical line as written, minus whitespace-only lines and trailing blanks
/// between its tokens (never inside a string).
fn tidy_breaks(line: &[Token]) -> String {
    let mut out = String::new();
    for (i, token) in line.iter().enumerate() {
        if i > 0 {
            match token.gap.rfind('\n') {
                Some(last) => {
                    out.truncate(out.trim_end_matches([' ', '\t', '\r']).len());
                    out.push('\n');
                    out.push_str(&token.gap[last + 1..]);
                }
                None => out.push_str(token.gap),
            }
        }
        out.push_str(token.text);
    }
    out
}

/// The tokens on one line, spaced as written (a line break becomes a space,
/// or nothing next to a bracket, a dot or a comma).
fn render(tokens: &[Token]) -> String {
    let mut out = String::new();
    for (i, token) in tokens.iter().enumerate() {
        if i > 0 && needs_space(&tokens[i - 1], token) {
            out.push(' ');
        }
        out.push_str(token.text);
    }
    out
}

fn needs_space(previous: &Token, token: &Token) -> bool {
    if !token.gap.contains('\n') {
        return !token.gap.is_empty();
    }
    !(previous.kind == Kind::Open
        || previous.is(".")
        || token.kind == Kind::Close
        || matches!(token.text, "," | "." | ":" | ";"))
}

fn fits(indent: &str, text: &str, style: Style) -> bool {
    width(indent) + width(text) <= style.line_length
}

/// Where a line being laid out sits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    /// A whole logical line.
    Statement,
    /// Everything between a pair of brackets.
    Contents,
    /// One element of a split bracket's contents.
    Element,
}

/// black's `transform_line`, simplified: the line as is when it fits and has
/// no magic trailing comma, else a
/// delimiter split (inside brackets) or a right-hand split; as is when nothing
/// makes it fit.
fn lay_out(tokens: &[Token], indent: &str, style: Style, context: Context) -> Vec<String> {
    let line = render(tokens);
    // Contents ending in a magic trailing comma are one element a line.
    let ends_in_magic_comma =
        context == Context::Contents && tokens.len() > 1 && tokens.last().is_some_and(|t| t.is(","));
    if fits(indent, &line, style) && !has_magic_comma(tokens) && !ends_in_magic_comma {
        return vec![format!("{indent}{line}")];
    }
    if context != Context::Statement {
        if let Some(lines) = delimiter_split(tokens, indent, style) {
            return lines;
        }
    }
    right_hand_split(tokens, indent, style).unwrap_or_else(|| vec![format!("{indent}{line}")])
}

/// Splits at the last bracket pair: head and opening bracket, the contents one
/// level deeper, the closing bracket and the rest. An assignment's or
/// condition's right-hand side with several operators at its top level is
/// wrapped in parentheses instead, as black's optional parentheses are.
fn right_hand_split(tokens: &[Token], indent: &str, style: Style) -> Option<Vec<String>> {
    let end = match tokens.last() {
        Some(last) if last.is(":") => tokens.len() - 1,
        _ => tokens.len(),
    };
    let inner = format!("{indent}{}", style.indent_unit);
    let rhs_start = right_hand_side(tokens, end);
    let in_optional_parentheses = |rhs_start: usize| {
        let mut lines = vec![format!("{indent}{} (", render(&tokens[..rhs_start]))];
        lines.extend(lay_out(&tokens[rhs_start..end], &inner, style, Context::Contents));
        lines.push(format!("{indent}){}", render(&tokens[end..])));
        lines
    };
    let mut wraps_whole = false;
    if let Some(rhs_start) = rhs_start {
        let rhs = &tokens[rhs_start..end];
        // black keeps the parentheses for several delimiters of the strongest kind.
        let found = delimiters(rhs);
        let strongest = found.iter().map(|(_, p)| *p).max();
        let operators = found.iter().filter(|(_, p)| Some(*p) == strongest).count();
        let last_open = last_bracket_pair(rhs).map(|(open, _)| open);
        let prefix_fits = last_open.is_some_and(|open| fits(indent, &render(&tokens[..=rhs_start + open]), style));
        wraps_whole = last_open == Some(0) && matching_close(rhs, 0) == Some(rhs.len() - 1);
        if !wraps_whole && (operators > 1 || (operators == 1 && !prefix_fits)) {
            return Some(in_optional_parentheses(rhs_start));
        }
    }
    // Past an `=`, black splits the right-hand side's own brackets or wraps it whole.
    let (open, close) = split_pair(&tokens[..end], rhs_start.unwrap_or(0), indent, style)?;
    let head = render(&tokens[..=open]);
    let tail = render(&tokens[close..]);
    if !fits(indent, &head, style) {
        // The head does not fit: the right-hand side in parentheses, else the annotation.
        return match rhs_start {
            Some(rhs_start) if !wraps_whole && fits(indent, &format!("{} (", render(&tokens[..rhs_start])), style) => {
                Some(in_optional_parentheses(rhs_start))
            }
            _ => parenthesized_annotation(tokens, indent, style),
        };
    }
    let mut lines = vec![format!("{indent}{head}")];
    lines.extend(lay_out(&tokens[open + 1..close], &inner, style, Context::Contents));
    lines.push(format!("{indent}{tail}"));
    Some(lines)
}

/// `name: (\n    long annotation\n) = value`: how black and ruff format split an
/// annotated assignment whose annotation is what makes it too long.
fn parenthesized_annotation(tokens: &[Token], indent: &str, style: Style) -> Option<Vec<String>> {
    let equals = right_hand_side(tokens, tokens.len())? - 1;
    let mut depth = 0usize;
    let colon = tokens[..equals].iter().position(|t| {
        match t.kind {
            Kind::Open => depth += 1,
            Kind::Close => depth = depth.saturating_sub(1),
            _ => {}
        }
        depth == 0 && t.is(":")
    })?;
    let last = format!("{indent}) {}", render(&tokens[equals..]));
    if colon + 1 >= equals || !fits("", &last, style) {
        return None;
    }
    let mut lines = vec![format!("{indent}{} (", render(&tokens[..=colon]))];
    lines.extend(lay_out(
        &tokens[colon + 1..equals],
        &format!("{indent}{}", style.indent_unit),
        style,
        Context::Contents,
    ));
    lines.push(last);
    Some(lines)
}

/// Where the part black wraps in optional parentheses starts: after `=` (or
/// an augmented assignment), after `return`, `if`, `elif`, `while`, or after
/// the `in` of a `for` loop. (`assert` and `del` hold two parts, left alone.)
fn right_hand_side(tokens: &[Token], end: usize) -> Option<usize> {
    let loop_keyword = usize::from(tokens.first().is_some_and(|t| t.is("async")));
    if tokens.get(loop_keyword).is_some_and(|t| t.is("for")) {
        let mut depth = 0usize;
        let iterable = tokens[..end].iter().position(|t| {
            match t.kind {
                Kind::Open => depth += 1,
                Kind::Close => depth = depth.saturating_sub(1),
                _ => {}
            }
            depth == 0 && t.is("in")
        })?;
        return (iterable + 1 < end).then_some(iterable + 1);
    }
    if tokens
        .first()
        .is_some_and(|t| matches!(t.text, "return" | "if" | "elif" | "while"))
    {
        return (end > 1).then_some(1);
    }
    let mut depth = 0usize;
    for (i, token) in tokens[..end].iter().enumerate() {
        match token.kind {
            Kind::Open => depth += 1,
            Kind::Close => depth = depth.saturating_sub(1),
            Kind::Operator
                if depth == 0
                    && (token.is("=")
                        || (token.text.ends_with('=')
                            && token.text.len() > 1
                            && !matches!(token.text, "==" | "!=" | "<=" | ">="))) =>
            {
                return (i + 1 < end).then_some(i + 1);
            }
            _ => {}
        }
    }
    None
}

/// The bracket pair a right-hand split opens, as black's trailer omission
/// picks it among those opening at `from` or later: the last pair whose
/// contents end in a magic trailing comma, else the last pair whose head fits
/// on its line, else the last pair.
fn split_pair(tokens: &[Token], from: usize, indent: &str, style: Style) -> Option<(usize, usize)> {
    let last = last_bracket_pair(tokens).filter(|(open, _)| *open >= from)?;
    let mut pairs = vec![last];
    while let Some(previous) = last_bracket_pair(&tokens[..pairs.last()?.0]).filter(|(open, _)| *open >= from) {
        pairs.push(previous);
    }
    if has_magic_comma(tokens) {
        if let Some(pair) = pairs.iter().find(|(_, close)| tokens[close - 1].is(",")) {
            return Some(*pair);
        }
    }
    let head_fits = |(open, _): &&(usize, usize)| fits(indent, &render(&tokens[..=*open]), style);
    Some(*pairs.iter().find(head_fits).unwrap_or(&last))
}

/// The last top-level bracket pair with something inside (black leaves out
/// empty trailers such as `()`).
fn last_bracket_pair(tokens: &[Token]) -> Option<(usize, usize)> {
    let mut close = tokens.len();
    loop {
        close = tokens[..close].iter().rposition(|t| t.kind == Kind::Close)?;
        let open = matching_open(tokens, close)?;
        if close > open + 1 {
            return Some((open, close));
        }
        close = open;
    }
}

fn matching_open(tokens: &[Token], close: usize) -> Option<usize> {
    let mut depth = 0usize;
    for i in (0..=close).rev() {
        match tokens[i].kind {
            Kind::Close => depth += 1,
            Kind::Open => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn matching_close(tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate().skip(open) {
        match token.kind {
            Kind::Open => depth += 1,
            Kind::Close => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// black's delimiter priorities, highest first.
const COMPREHENSION: u8 = 20;
const COMMA: u8 = 18;
const TERNARY: u8 = 16;
const LOGIC: u8 = 14;
/// Between the parts of an implicitly concatenated string.
const STRING: u8 = 12;
const COMPARATOR: u8 = 10;

/// (index, priority) of the delimiters at the top level of `tokens`: where
/// black may break a line inside brackets. Lambda parameters and `for`
/// targets hold none.
fn delimiters(tokens: &[Token]) -> Vec<(usize, u8)> {
    let mut found = Vec::new();
    let mut depth = 0usize;
    let mut in_for_target = false;
    let mut in_lambda_parameters = false;
    let mut seen_for = false;
    for (i, token) in tokens.iter().enumerate() {
        match token.kind {
            Kind::Open => {
                depth += 1;
                continue;
            }
            Kind::Close => {
                depth = depth.saturating_sub(1);
                continue;
            }
            _ if depth > 0 => continue,
            _ => {}
        }
        if in_for_target {
            in_for_target = !token.is("in");
            continue;
        }
        if in_lambda_parameters {
            in_lambda_parameters = !token.is(":");
            continue;
        }
        let previous = i.checked_sub(1).map(|p| &tokens[p]);
        let follows_operand = previous.is_some_and(|p| {
            matches!(p.kind, Kind::Name | Kind::Number | Kind::String | Kind::Close) && !is_keyword(p.text)
        });
        let priority = match token.text {
            _ if token.kind == Kind::String && previous.is_some_and(|p| p.kind == Kind::String) => Some(STRING),
            "lambda" => {
                in_lambda_parameters = true;
                None
            }
            "async" if tokens.get(i + 1).is_some_and(|t| t.is("for")) => Some(COMPREHENSION),
            "for" => {
                in_for_target = true;
                let after_async = previous.is_some_and(|p| p.is("async"));
                seen_for = true;
                (!after_async).then_some(COMPREHENSION)
            }
            "if" if seen_for => Some(COMPREHENSION),
            "if" | "else" => Some(TERNARY),
            "," => Some(COMMA),
            "and" | "or" => Some(LOGIC),
            "not" if tokens.get(i + 1).is_some_and(|t| t.is("in")) => Some(COMPARATOR),
            "in" if previous.is_some_and(|p| p.is("not")) => None,
            "not" if previous.is_some_and(|p| p.is("is")) => None,
            "in" | "is" | "<" | ">" | "==" | "!=" | "<=" | ">=" => Some(COMPARATOR),
            "|" if follows_operand => Some(9),
            "^" if follows_operand => Some(8),
            "&" if follows_operand => Some(7),
            "<<" | ">>" if follows_operand => Some(6),
            "+" | "-" if follows_operand => Some(5),
            "*" | "/" | "//" | "%" | "@" if follows_operand => Some(4),
            "**" if follows_operand => Some(1),
            _ => None,
        };
        if let Some(priority) = priority {
            found.push((i, priority));
        }
    }
    found
}

fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "and" | "or" | "not" | "in" | "is" | "if" | "else" | "for" | "return" | "lambda" | "await" | "yield" | "async"
    )
}

/// Splits the contents of a bracket at their strongest delimiter: after each
/// comma (adding a trailing one), else before each `for`/`if` of a
/// comprehension or each operator; every piece is laid out again.
fn delimiter_split(tokens: &[Token], indent: &str, style: Style) -> Option<Vec<String>> {
    // A delimiter opening the piece (`and x`, `if c`) is where it was cut from
    // its neighbours; a trailing comma splits nothing (black excludes it too).
    let found: Vec<(usize, u8)> = delimiters(tokens)
        .into_iter()
        .filter(|&(i, p)| i > 0 && !(p == COMMA && i + 1 == tokens.len()))
        .collect();
    let strongest = found.iter().map(|(_, p)| *p).max()?;
    let cuts: Vec<usize> = found
        .iter()
        .filter(|(_, p)| *p == strongest)
        .map(|(i, _)| if strongest == COMMA { i + 1 } else { *i })
        .collect();
    if cuts.is_empty() {
        return None;
    }
    let mut pieces: Vec<&[Token]> = Vec::new();
    let mut start = 0;
    for cut in cuts {
        if cut > start {
            pieces.push(&tokens[start..cut]);
        }
        start = cut;
    }
    if start < tokens.len() {
        pieces.push(&tokens[start..]);
    }
    if pieces.len() < 2 {
        return None;
    }
    let mut lines = Vec::new();
    let count = pieces.len();
    for (n, piece) in pieces.into_iter().enumerate() {
        let mut piece_lines = lay_out(piece, indent, style, Context::Element);
        if strongest == COMMA && n + 1 == count && !piece.last().is_some_and(|t| t.is(",")) {
            if let Some(last) = piece_lines.last_mut() {
                last.push(',');
            }
        }
        lines.extend(piece_lines);
    }
    Some(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style(line_length: usize) -> Style<'static> {
        Style {
            line_length,
            indent_unit: "    ",
        }
    }

    /// `source` with the first occurrence of `old` replaced by `new`, tidied.
    fn rewrite(source: &str, old: &str, new: &str, line_length: usize) -> String {
        let mut parser = crate::engine::python_parser();
        let tree = parser.parse(source, None).unwrap();
        let at = source.find(old).unwrap();
        let edits = tidy(
            &tree,
            source,
            vec![Edit::replace(at..at + old.len(), new)],
            style(line_length),
        );
        crate::edit::apply_edits(source, &edits)
    }

    #[test]
    fn brackets_on_their_own_lines_go_with_their_lines() {
        let source = "def f(values):\n    total = sum(\n        [\n            x * x\n            for x in values\n        ]\n    )\n    return total\n";
        let old = "(\n        [\n            x * x\n            for x in values\n        ]\n    )";
        let new = "(\n        \n            x * x\n            for x in values\n        \n    )";
        assert_eq!(
            rewrite(source, old, new, 88),
            "def f(values):\n    total = sum(x * x for x in values)\n    return total\n"
        );
        // Too long for one line: split at the bracket (as black does, checked with black -l 30).
        assert_eq!(
            rewrite(source, old, new, 30),
            "def f(values):\n    total = sum(\n        x * x for x in values\n    )\n    return total\n"
        );
    }

    #[test]
    fn continuation_lines_aligned_to_a_deleted_bracket_are_rejoined() {
        let source = "if not all([callable(a) and\n            callable(b) for f in fs]):\n    pass\n";
        let old = "([callable(a) and\n            callable(b) for f in fs])";
        let new = "(callable(a) and\n            callable(b) for f in fs)";
        assert_eq!(
            rewrite(source, old, new, 88),
            "if not all(callable(a) and callable(b) for f in fs):\n    pass\n"
        );
        assert_eq!(
            rewrite(source, old, new, 40),
            "if not all(\n    callable(a) and callable(b)\n    for f in fs\n):\n    pass\n"
        );
    }

    #[test]
    fn a_long_implicit_concatenation_splits_between_its_parts() {
        // As black does (26.10, checked with -l 30); ruff format would join the parts.
        let source = "def f(active, queue):\n    log.debug(\n        \"limit reached. \"\n        \"%d active\" % (active,)\n    )\n";
        let old = "\"limit reached. \"\n        \"%d active\" % (active,)";
        let new = "\"limit reached. \" \"%d active\", active, len(queue)";
        assert_eq!(
            rewrite(source, old, new, 30),
            "def f(active, queue):\n    log.debug(\n        \"limit reached. \"\n        \"%d active\",\n        active,\n        len(queue),\n    )\n"
        );
    }

    #[test]
    fn a_long_new_line_is_wrapped_with_a_magic_trailing_comma() {
        let source = "    x = 1\n";
        let new = "x = compute(alpha_argument, beta_argument, gamma_argument)";
        assert_eq!(
            rewrite(source, "x = 1", new, 40),
            "    x = compute(\n        alpha_argument,\n        beta_argument,\n        gamma_argument,\n    )\n"
        );
        assert_eq!(
            rewrite(source, "x = 1", new, 60),
            "    x = compute(\n        alpha_argument, beta_argument, gamma_argument\n    )\n"
        );
        // Several operators at the top of the right-hand side: parentheses.
        let sum = "x = first_value + second_value + third_value";
        assert_eq!(
            rewrite(source, "x = 1", sum, 30),
            "    x = (\n        first_value\n        + second_value\n        + third_value\n    )\n"
        );
    }

    #[test]
    fn a_long_annotation_is_parenthesized() {
        let source = "def f():\n    if a:\n        x = 1\n";
        let new = "x: Callable[[A, B], C] | None = getattr(r, \"__m__\", None)";
        // As ruff format 0.14 lays them out at these widths.
        assert_eq!(
            rewrite(source, "x = 1", new, 42),
            "def f():\n    if a:\n        x: Callable[[A, B], C] | None = (\n            getattr(r, \"__m__\", None)\n        )\n"
        );
        assert_eq!(
            rewrite(source, "x = 1", new, 40),
            "def f():\n    if a:\n        x: (\n            Callable[[A, B], C] | None\n        ) = getattr(r, \"__m__\", None)\n"
        );
    }

    #[test]
    fn a_long_condition_splits_at_its_operators() {
        let source = "out = []\nfor e in es:\n    if len(e) > 1 and \\\n       e[0] == '.':\n        out.append(e)\n";
        let new = "out = [e for e in entries_of_the_folder if len(e) > 1 and \\\n       e[0] == '.']";
        // As ruff format 0.14 and black 25 lay it out.
        assert_eq!(
            rewrite(source, source.trim_end(), new, 30),
            "out = [\n    e\n    for e in entries_of_the_folder\n    if len(e) > 1\n    and e[0] == '.'\n]\n"
        );
    }

    #[test]
    fn a_def_splits_at_its_parameters_or_at_its_magic_comma() {
        let source = "def ratio(t: int) -> List[int]:\n    pass\n";
        let new = "total: int, ratios: List[int], minimums: list[int] | None = None";
        // As ruff format 0.17 lays them out.
        assert_eq!(
            rewrite(source, "t: int", new, 70),
            "def ratio(\n    total: int, ratios: List[int], minimums: list[int] | None = None\n) -> List[int]:\n    pass\n"
        );
        let source = "def it(count: int,) -> Iterable[\n    Tuple[int, Optional[str]]\n]:\n    pass\n";
        assert_eq!(
            rewrite(source, "Optional[str]", "str | None", 88),
            "def it(\n    count: int,\n) -> Iterable[Tuple[int, str | None]]:\n    pass\n"
        );
    }

    #[test]
    fn statements_after_the_first_keep_their_indentation() {
        let source = "def f():\n    a = [\n        1,\n    ]\n    b = 2\n";
        let old = "a = [\n        1,\n    ]\n    b = 2";
        assert_eq!(
            rewrite(source, old, "# moved\n    b = 3\n\n    c = [\n        1\n    ]", 88),
            "def f():\n    # moved\n    b = 3\n\n    c = [1]\n"
        );
    }

    #[test]
    fn parentheses_around_a_whole_right_hand_side_go() {
        let source = "for k in (\n    d  # all\n    .keys()\n):\n    pass\n";
        let old = "d  # all\n    .keys()";
        assert_eq!(rewrite(source, old, "d", 88), "for k in d:\n    pass\n");
        let source = "x = (\n    a,\n    b.keys()\n)\n";
        // A tuple keeps them.
        assert_eq!(rewrite(source, "b.keys()", "b", 88), "x = (a, b)\n");
    }

    #[test]
    fn comprehension_clauses_go_on_their_own_lines() {
        let source = "out = []\nfor u in users:\n    if u.active:\n        out.append(u.email)\n";
        let new = "out = [u.email for u in users if u.active]";
        let whole = source.trim_end();
        assert_eq!(
            rewrite(source, whole, new, 20),
            "out = [\n    u.email\n    for u in users\n    if u.active\n]\n"
        );
        assert_eq!(rewrite(source, whole, new, 88), format!("{new}\n"));
    }

    #[test]
    fn magic_trailing_commas_keep_their_brackets_exploded() {
        let source = "def f(\n    a,\n    b: Optional[\n        int\n    ] = None,\n):\n    pass\n";
        let old = "Optional[\n        int\n    ]";
        assert_eq!(
            rewrite(source, old, "int | None", 88),
            "def f(\n    a,\n    b: int | None = None,\n):\n    pass\n"
        );
    }

    #[test]
    fn comments_keep_their_lines_but_blank_ones_go() {
        let source = "x = f(\n    [\n        a,  # first\n        b,\n    ]\n)\n";
        let old = "(\n    [\n        a,  # first\n        b,\n    ]\n)";
        let new = "(\n    \n        a,  # first\n        b,\n    \n)";
        assert_eq!(
            rewrite(source, old, new, 88),
            "x = f(\n        a,  # first\n        b,\n)\n"
        );
        // An edit that keeps the layout is left alone.
        assert_eq!(rewrite("y = d.keys()\n", "d.keys()", "d", 88), "y = d\n");
    }
}

//! `logging-eager-format`: the `logger?` guard (what counts as a logger) and
//! the `lazy-log-args` filter, which turns an eagerly formatted message into
//! lazy `%`-style arguments exactly as `logging` will format them.
use crate::engine::analysis::{self, receivers};
use crate::engine::context::{GuardContext, Rendered, Verdict};
use crate::engine::registry::{Arity, Filter, Guard, OnFragment, Registry};
use crate::engine::semantic::text;
use tree_sitter::Node;

pub fn register(registry: &mut Registry) {
    registry.add_guards(GUARDS);
    registry.add_filters(FILTERS);
}

static GUARDS: &[Guard] = &[Guard {
    name: "logger?",
    doc: "passes a standard-library logger: the `logging` module, `logging.getLogger(...)`/`LoggerAdapter(...)` calls, names and `self` attributes bound only to those or annotated `logging.Logger`, names imported from a project module that binds them so; something only named like a logger (`log`, `logger`, bound from another `getLogger`) is unsafe; anything else skips",
    arity: Arity::Exactly(0),
    // Skips by name and by `getLogger` bindings, which a fragment keeps
    // (every top-level statement naming `Logger`); its proof records the
    // names it reads, as `dict-receiver?`.
    on_fragment: OnFragment::ExactUnlessLeftOut("Logger"),
    may_mark_unsafe: true,
    check: |node, _, ctx| logger_verdict(node, ctx),
},
Guard {
    name: "fields-convert-alike?",
    doc: "every replacement field of the captured f-string or `.format()` call converts its value as its `%` directive will: it has `!s`/`!r`/`!a`, or the value is evidently a `str`, `int` or `float`; else unsafe (`format(x, \"\")` and `str(x)` differ for a type with its own `__format__`)",
    arity: Arity::Exactly(0),
    // Reads the message and the builtins it calls.
    on_fragment: OnFragment::Exact,
    may_mark_unsafe: true,
    check: |node, _, ctx| fields_convert_alike(node, ctx),
}];

static FILTERS: &[Filter] = &[Filter {
    name: "lazy-log-args",
    doc: "an eagerly formatted log message (f-string, `%`, `.format()`) as lazy `%`-style arguments: `f\"got {n}\"` -> `\"got %s\", n`; `!r` -> `%r`, `:.2f` -> `%.2f`",
    apply: |nodes, _, ctx| lazy_log_args(*nodes.first()?, ctx.source),
}];

/// Passes a receiver shown to be a standard-library logger; marks one that
/// only looks like a logger unsafe (see [`receivers::logger_proof`]).
fn logger_verdict(node: Node, ctx: &GuardContext) -> Verdict {
    match receivers::logger_proof(node, ctx.source, ctx.semantic) {
        receivers::LoggerProof::Logger => Verdict::Pass,
        receivers::LoggerProof::NotShown(reason) => Verdict::Unsafe(reason),
        receivers::LoggerProof::NotALogger => Verdict::Skip,
    }
}

/// A `{}` field formats its value with `format(value, spec)`, its `%` directive
/// with `str(value)` (or `int()`/`float()` for a numeric one): the same text for
/// `str`, `int` and `float`, not for types with their own `__format__`. A field
/// with `!s`/`!r`/`!a` converts first, exactly as `%s`/`%r`/`%a` do.
fn fields_convert_alike(message: Node, ctx: &GuardContext) -> Verdict {
    let fields: Vec<Field> = match message.kind() {
        "string" | "concatenated_string" => fstring_fields(message, ctx.source),
        "call" => match format_call_fields(message, ctx.source) {
            Some(fields) => fields,
            None => return Verdict::Pass,
        },
        // `"..." % args` formats with `%` already.
        _ => return Verdict::Pass,
    };
    let unproven = fields.iter().find(|(converted, alike, value)| {
        !converted
            && !analysis::evident_scalar(*value, ctx.source, ctx.semantic).is_some_and(|kind| alike.contains(&kind))
    });
    let Some((_, _, value)) = unproven else {
        return Verdict::Pass;
    };
    let value = Some(text(*value, ctx.source))
        .filter(|v| v.len() <= 40 && !v.contains('\n'))
        .map_or("a value".to_string(), |v| format!("`{v}`"));
    Verdict::unsafe_because(format!(
        "a field without `!s`/`!r` is formatted by `format(x, spec)`, its `%` directive by `str(x)`: they differ for a type with its own `__format__` (a `(str, Enum)` member before Python 3.11), and {value} is not shown to be a `str`, `int` or `float`"
    ))
}

/// A replacement field: whether it has a conversion (`!s`, `!r`, `!a`), the
/// types whose value `format()` and its `%` directive turn into the same text,
/// and its value.
type Field<'t> = (bool, &'static [analysis::Scalar], Node<'t>);

/// The types that a field with this format spec (`""`, `":.2f"`, `"x"`...)
/// formats as its `%` directive does: any of `str`, `int`, `float` without a
/// spec; `int` for `d`/`x`/`X`/`o` (`format(1.5, "d")` raises where `%d`
/// truncates); `int` or `float` for the float types.
fn spec_values(spec: &str) -> &'static [analysis::Scalar] {
    use analysis::Scalar::{Float, Int, Str};
    match spec.trim_start_matches(':').chars().last() {
        None => &[Str, Int, Float],
        Some('d' | 'x' | 'X' | 'o') => &[Int],
        Some(_) => &[Int, Float],
    }
}

/// The replacement fields of an f-string (or of its implicitly concatenated
/// parts): whether each has a conversion, its format spec, its value.
fn fstring_fields<'t>(message: Node<'t>, source: &str) -> Vec<Field<'t>> {
    let parts: Vec<Node> = match message.kind() {
        "concatenated_string" => message.named_children(&mut message.walk()).collect(),
        _ => vec![message],
    };
    let mut fields = Vec::new();
    for part in parts
        .into_iter()
        .filter(|p| p.kind() == "string" && is_fstring(*p, source))
    {
        for field in part
            .named_children(&mut part.walk())
            .filter(|c| c.kind() == "interpolation")
        {
            let Some(value) = field.child_by_field_name("expression") else {
                continue;
            };
            let converted = field.child_by_field_name("type_conversion").is_some();
            let spec = field
                .child_by_field_name("format_specifier")
                .map_or("", |s| text(s, source));
            fields.push((converted, spec_values(spec), value));
        }
    }
    fields
}

/// The fields of `"...".format(a, b)` paired with its positional arguments,
/// in order (the only form the rewrite accepts); `None` when the rewrite
/// refuses the call anyway.
fn format_call_fields<'t>(call: Node<'t>, source: &str) -> Option<Vec<Field<'t>>> {
    let (_, fields, args) = format_call_template(call, source)?;
    let fields = fields.seen.into_iter().zip(args);
    Some(
        fields
            .map(|((converted, spec), value)| (converted, spec_values(&spec), value))
            .collect(),
    )
}

/// An eagerly formatted log message turned into lazy `%`-style arguments:
/// `f"got {n} in {t:.2f}s"` -> `"got %s in %.2fs", n, t`; likewise `"..." % (a, b)`
/// and `"{} {!r}".format(a, b)`.
fn lazy_log_args(message: Node, source: &str) -> Option<Rendered> {
    let (format, args) = match message.kind() {
        "string" if is_fstring(message, source) => string_to_lazy(message, source, has_interpolation(message))?,
        "concatenated_string" => concatenated_to_lazy(message, source)?,
        "binary_operator" => return percent_to_lazy(message, source),
        "call" => return format_call_to_lazy(message, source),
        _ => return None,
    };
    let mut out = format;
    for arg in args {
        out.push_str(", ");
        out.push_str(&arg);
    }
    Some(Rendered {
        text: out,
        ..Rendered::default()
    })
}

fn is_fstring(string: Node, source: &str) -> bool {
    string
        .child(0)
        .is_some_and(|start| text(start, source).to_ascii_lowercase().contains('f'))
}

fn has_interpolation(string: Node) -> bool {
    let mut cursor = string.walk();
    let found = string.named_children(&mut cursor).any(|p| p.kind() == "interpolation");
    found
}

/// Implicitly concatenated parts (`f"a {x} " "b"`, one per line in a long
/// message): each part converted in place, whatever lies between them kept,
/// the arguments of all parts after the last.
fn concatenated_to_lazy(strings: Node, source: &str) -> Option<(String, Vec<String>)> {
    let mut cursor = strings.walk();
    let parts: Vec<Node> = strings
        .named_children(&mut cursor)
        .filter(|p| p.kind() == "string")
        .collect();
    let escape_percent = parts.iter().any(|p| has_interpolation(*p));
    let mut format = String::new();
    let mut args = Vec::new();
    let mut at = strings.start_byte();
    for part in parts {
        format.push_str(&source[at..part.start_byte()]);
        let (piece, piece_args) = string_to_lazy(part, source, escape_percent)?;
        format.push_str(&piece);
        args.extend(piece_args);
        at = part.end_byte();
    }
    format.push_str(&source[at..strings.end_byte()]);
    Some((format, args))
}

/// One string literal as a `%` template and its arguments: an f-string's
/// fields become directives; a plain string is copied (with `%` doubled when
/// the message will be formatted).
fn string_to_lazy(string: Node, source: &str, escape_percent: bool) -> Option<(String, Vec<String>)> {
    let prefix = text(string.child(0)?, source);
    let is_f = is_fstring(string, source);
    let new_start: String = prefix.chars().filter(|c| !matches!(c, 'f' | 'F')).collect();
    let end = text(string.child(string.child_count() - 1)?, source);
    let mut format = String::new();
    let mut args = Vec::new();
    let mut cursor = string.walk();
    let parts: Vec<Node> = string.named_children(&mut cursor).collect();
    for part in &parts {
        match part.kind() {
            "string_content" => push_literal(&mut format, *part, source, escape_percent, is_f)?,
            "interpolation" => {
                let expression = part.child_by_field_name("expression")?;
                if expression.kind() != "expression" && !is_expression(expression) {
                    return None;
                }
                // `{x=}` self-documents: no `%` equivalent.
                if (0..part.child_count()).any(|i| part.child(i).is_some_and(|c| c.kind() == "=")) {
                    return None;
                }
                let conversion = part.child_by_field_name("type_conversion").map(|c| text(c, source));
                let spec = part.child_by_field_name("format_specifier");
                if spec.is_some_and(|s| s.named_child_count() > 0) {
                    return None;
                }
                let spec = spec.map(|s| &text(s, source)[1..]);
                format.push_str(&printf_directive(conversion, spec)?);
                args.push(text(expression, source).to_string());
            }
            _ => {}
        }
    }
    Some((format!("{new_start}{format}{end}"), args))
}

fn is_expression(node: Node) -> bool {
    !matches!(node.kind(), "expression_list" | "pattern_list" | "yield")
}

/// Copies literal string text, undoubling an f-string's `{{`/`}}` and doubling
/// `%` when the message will be %-formatted (logging only formats when there
/// are arguments). `None` for an escape that spells a `%` (`\x25`): it would
/// become a directive.
fn push_literal(out: &mut String, content: Node, source: &str, escape_percent: bool, fstring: bool) -> Option<()> {
    let mut at = content.start_byte();
    let mut cursor = content.walk();
    if escape_percent && has_percent_escape(content, source) {
        return None;
    }
    let push = |out: &mut String, raw: &str| {
        out.push_str(&if escape_percent {
            raw.replace('%', "%%")
        } else {
            raw.to_string()
        })
    };
    for child in content.children(&mut cursor) {
        push(out, &source[at..child.start_byte()]);
        let piece = text(child, source);
        if fstring && child.kind() == "escape_interpolation" {
            out.push_str(&piece[..1]);
        } else {
            push(out, piece);
        }
        at = child.end_byte();
    }
    push(out, &source[at..content.end_byte()]);
    Some(())
}

/// Whether a string part holds an escape sequence that evaluates to `%`
/// (`\x25`, `\45`, `\u0025`, `\N{PERCENT SIGN}`...), which `%`-formatting
/// would then read as a directive.
fn has_percent_escape(content: Node, source: &str) -> bool {
    let mut cursor = content.walk();
    let found = content
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "escape_sequence")
        .any(|c| {
            let escape = text(c, source).to_ascii_lowercase();
            let body = escape.trim_start_matches('\\');
            body.trim_start_matches(['x', 'u', '0']) == "25"
                || body.trim_start_matches('0') == "45"
                || body == "n{percent sign}"
        });
    found
}

/// The `%` directive equivalent to a replacement field, if there is an exact one.
fn printf_directive(conversion: Option<&str>, spec: Option<&str>) -> Option<String> {
    let spec = spec.unwrap_or("");
    match (conversion, spec) {
        (None | Some("!s"), "") => return Some("%s".into()),
        (Some("!r"), "") => return Some("%r".into()),
        (Some("!a"), "") => return Some("%a".into()),
        (Some(_), _) => return None,
        (None, _) => {}
    }
    // [sign][#][0][width][.precision]type, with a numeric type: both formats
    // right-align numbers, so width means the same thing.
    let (body, kind) = spec.split_at(spec.len() - 1);
    if !"dfFeEgGxXo".contains(kind) {
        return None;
    }
    let rest = body.trim_start_matches(['+', ' ']).trim_start_matches('#');
    let (width, precision) = rest.split_once('.').map_or((rest, None), |(w, p)| (w, Some(p)));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if !digits(width) || precision.is_some_and(|p| p.is_empty() || !digits(p)) {
        return None;
    }
    Some(format!("%{body}{kind}"))
}

/// `"a %s b %r" % (x, y)` -> `"a %s b %r", x, y`. A right-hand side that is not a
/// tuple display could be a tuple at run time, which `%` would unpack and logging
/// would not, so only tuple displays and plain literals are converted.
fn percent_to_lazy(operation: Node, source: &str) -> Option<Rendered> {
    let left = MessageLiteral::of(operation.child_by_field_name("left")?, source)?;
    let right = operation.child_by_field_name("right")?;
    if text(operation.child_by_field_name("operator")?, source) != "%" {
        return None;
    }
    let args: Vec<&str> = match right.kind() {
        "tuple" => {
            let mut cursor = right.walk();
            // Comments between the items are left out; the engine moves them.
            let items: Vec<Node> = right
                .named_children(&mut cursor)
                .filter(|i| i.kind() != "comment")
                .collect();
            if items.iter().any(|i| i.kind() == "list_splat") {
                return None;
            }
            // `"100%%" % ()` is "100%", but logging leaves a message without
            // arguments unformatted: it would print "100%%".
            if items.is_empty() {
                return None;
            }
            items.iter().map(|i| text(*i, source)).collect()
        }
        "integer" | "float" | "true" | "false" | "none" => vec![text(right, source)],
        "string" if !text(right.child(0)?, source).to_ascii_lowercase().contains('f') => {
            vec![text(right, source)]
        }
        _ => return None,
    };
    // The template is copied as written: `%` reads the parts as one string.
    let mut out = left.render(source, |part| Some(text(part, source).to_string()))?;
    for arg in args {
        out.push_str(", ");
        out.push_str(arg);
    }
    Some(Rendered {
        text: out,
        ..Rendered::default()
    })
}

/// The string literal a message is formatted from: one string, implicitly
/// concatenated parts (`"a {} " "b {}"`), either in parentheses; never an
/// f-string, which is formatted before `%` or `.format()` sees it.
struct MessageLiteral<'t> {
    /// What the rewrite replaces: the parentheses too, when there are some.
    outer: Node<'t>,
    parts: Vec<Node<'t>>,
}

impl<'t> MessageLiteral<'t> {
    fn of(node: Node<'t>, source: &str) -> Option<Self> {
        let literal = match node.kind() {
            "parenthesized_expression" => node.named_child(0).filter(|_| node.named_child_count() == 1)?,
            _ => node,
        };
        let parts: Vec<Node> = match literal.kind() {
            "string" => vec![literal],
            "concatenated_string" => {
                let mut cursor = literal.walk();
                // A comment between the parts stays where it is.
                let parts = literal
                    .named_children(&mut cursor)
                    .filter(|p| p.kind() != "comment")
                    .collect::<Vec<_>>();
                if parts.iter().any(|p| p.kind() != "string") {
                    return None;
                }
                parts
            }
            _ => return None,
        };
        if parts.iter().any(|p| is_fstring(*p, source)) {
            return None;
        }
        // Parentheses around a message on one line are dropped: it becomes
        // the first argument; over several lines they keep its layout.
        let outer = match text(node, source).contains('\n') {
            true => node,
            false => literal,
        };
        Some(MessageLiteral { outer, parts })
    }

    /// The message with each part converted by `convert`, the text between
    /// the parts (and the parentheses, when kept) as written.
    fn render(&self, source: &str, mut convert: impl FnMut(Node<'t>) -> Option<String>) -> Option<String> {
        let mut out = String::new();
        let mut at = self.outer.start_byte();
        for part in &self.parts {
            out.push_str(&source[at..part.start_byte()]);
            out.push_str(&convert(*part)?);
            at = part.end_byte();
        }
        out.push_str(&source[at..self.outer.end_byte()]);
        Some(out)
    }
}

/// `"{} took {:.2f}s".format(a, b)` -> `"%s took %.2fs", a, b`: only automatic or
/// in-order numbered fields, each argument used once, no keywords or unpacking.
fn format_call_to_lazy(call: Node, source: &str) -> Option<Rendered> {
    let (mut out, _, args) = format_call_template(call, source)?;
    for arg in args {
        out.push_str(", ");
        out.push_str(text(arg, source));
    }
    Some(Rendered {
        text: out,
        ..Rendered::default()
    })
}

/// The `%` template of a `.format()` call, its fields and its arguments, one
/// argument per field; `None` when the call is not one the rewrite converts.
fn format_call_template<'t>(call: Node<'t>, source: &str) -> Option<(String, Fields, Vec<Node<'t>>)> {
    let function = call.child_by_field_name("function")?;
    if function.kind() != "attribute" || text(function.child_by_field_name("attribute")?, source) != "format" {
        return None;
    }
    let message = MessageLiteral::of(function.child_by_field_name("object")?, source)?;
    let arguments = call.child_by_field_name("arguments")?;
    let mut cursor = arguments.walk();
    let args: Vec<Node> = arguments.named_children(&mut cursor).collect();
    if args.iter().any(|a| !is_plain_argument(*a)) {
        return None;
    }
    // Each part converted on its own: a field split across two parts
    // (`"{" "}"`) has an unmatched brace in each, which is refused.
    let mut fields = Fields::default();
    let template = message.render(source, |part| {
        format_part_to_lazy(part, source, !args.is_empty(), &mut fields)
    })?;
    (fields.seen.len() == args.len()).then_some((template, fields, args))
}

/// One (non-f) string part of a `.format()` template as a `%` template, its
/// fields numbered on from the parts before it.
fn format_part_to_lazy(string: Node, source: &str, escape_percent: bool, fields: &mut Fields) -> Option<String> {
    if string.named_child_count() != 3 && string.named_child_count() != 2 {
        return None;
    }
    let content = string
        .named_children(&mut string.walk())
        .find(|c| c.kind() == "string_content");
    let body = content.map_or("", |c| text(c, source));
    if content.is_some_and(|c| c.named_child_count() > 0 && !only_escapes_without_braces(c, source)) {
        return None;
    }
    if content.is_some_and(|c| escape_percent && has_percent_escape(c, source)) {
        return None;
    }
    let format = convert_format_fields(body, escape_percent, fields)?;
    let prefix = text(string.child(0)?, source);
    let end = text(string.child(string.child_count() - 1)?, source);
    Some(format!("{prefix}{format}{end}"))
}

fn is_plain_argument(arg: Node) -> bool {
    !matches!(
        arg.kind(),
        "keyword_argument" | "list_splat" | "dictionary_splat" | "comment" | "generator_expression"
    )
}

/// In a non-f string, tree-sitter still marks `{{` as an escape; backslash
/// escapes are kept verbatim, so they are fine.
fn only_escapes_without_braces(content: Node, source: &str) -> bool {
    let mut cursor = content.walk();
    let ok = content
        .named_children(&mut cursor)
        .all(|c| c.kind() == "escape_sequence" || text(c, source).starts_with(['{', '}']));
    ok
}

/// The replacement fields of a `.format()` template seen so far (over all its
/// implicitly concatenated parts).
#[derive(Default)]
struct Fields {
    /// Each field so far: whether it has a conversion (`!r`), and its spec.
    seen: Vec<(bool, String)>,
    /// Whether they are numbered (`{0}`) rather than automatic (`{}`):
    /// `str.format` refuses a template mixing both.
    numbered: Option<bool>,
}

/// Converts `str.format` fields to `%` directives, counting them on from
/// `fields`. Fields must be all `{}`, or all `{0}`, `{1}`... in order.
fn convert_format_fields(body: &str, escape_percent: bool, fields: &mut Fields) -> Option<String> {
    let mut out = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|p| p.1) == Some('{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek().map(|p| p.1) == Some('}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let close = body[at..].find('}')? + at;
                let field = &body[at + 1..close];
                if field.contains('{') {
                    return None;
                }
                let (name_and_conversion, spec) = field.split_once(':').map_or((field, None), |(a, b)| (a, Some(b)));
                let (name, conversion) = match name_and_conversion.split_once('!') {
                    Some((n, conv)) => (n, Some(&name_and_conversion[n.len()..n.len() + 1 + conv.len()])),
                    None => (name_and_conversion, None),
                };
                let numbered = !name.is_empty();
                if *fields.numbered.get_or_insert(numbered) != numbered
                    || numbered && name.parse::<usize>().ok() != Some(fields.seen.len())
                {
                    return None;
                }
                out.push_str(&printf_directive(conversion, spec)?);
                fields.seen.push((conversion.is_some(), spec.unwrap_or("").to_string()));
                while chars.peek().is_some_and(|p| p.0 <= close) {
                    chars.next();
                }
            }
            '}' => return None,
            '%' if escape_percent => out.push_str("%%"),
            other => out.push(other),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printf_directives_match_format_specs_exactly() {
        assert_eq!(printf_directive(None, None).as_deref(), Some("%s"));
        assert_eq!(printf_directive(Some("!r"), None).as_deref(), Some("%r"));
        assert_eq!(printf_directive(None, Some(".2f")).as_deref(), Some("%.2f"));
        assert_eq!(printf_directive(None, Some("+08.3e")).as_deref(), Some("%+08.3e"));
        // Strings align left under str.format but right under %: no equivalent.
        assert_eq!(printf_directive(None, Some("10")), None);
        assert_eq!(printf_directive(None, Some(",d")), None);
        assert_eq!(printf_directive(None, Some(">10d")), None);
        assert_eq!(printf_directive(Some("!r"), Some("10")), None);
    }

    fn lazy(message: &str) -> Option<String> {
        let source = format!("log({message})\n");
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&tree_sitter_python::LANGUAGE.into()).unwrap();
        let tree = parser.parse(&source, None).unwrap();
        let node = tree
            .root_node()
            .descendant_for_byte_range(4, 4 + message.len())
            .unwrap();
        let mut node = node;
        while node.byte_range() != (4..4 + message.len()) {
            node = node.parent().unwrap();
        }
        lazy_log_args(node, &source).map(|r| r.text)
    }

    #[test]
    fn lazy_log_args_convert_every_message_form() {
        assert_eq!(lazy(r#"f"{a} {b!r:}""#).as_deref(), Some(r#""%s %r", a, b"#));
        assert_eq!(lazy(r#""%s %d" % (a, 1)"#).as_deref(), Some(r#""%s %d", a, 1"#));
        assert_eq!(
            lazy(r#""{} {{x}} 5%".format(a)"#).as_deref(),
            Some(r#""%s {x} 5%%", a"#)
        );
        assert_eq!(
            lazy(r#"f"{a} " "50% {b}" f"{{c}}""#).as_deref(),
            Some(r#""%s " "50%% {b}" "{c}", a"#)
        );
    }

    #[test]
    fn lazy_log_args_refuse_what_logging_would_format_differently() {
        // logging leaves a message without arguments alone: "100%%" would stay doubled.
        assert_eq!(lazy(r#""100%%" % ()"#), None);
        // `\x25` is a `%` at run time, which would become a directive.
        assert_eq!(lazy(r#"f"\x25d {a}""#), None);
        assert_eq!(lazy(r#""\x25d {}".format(a)"#), None);
        // A name on the right of `%` may hold a tuple.
        assert_eq!(lazy(r#""%s" % a"#), None);
        assert_eq!(lazy(r#"f"{a=}""#), None);
    }

    #[test]
    fn format_fields_convert_in_order_only() {
        let convert = |body: &str| {
            let mut fields = Fields::default();
            convert_format_fields(body, true, &mut fields).map(|out| (out, fields.seen.len()))
        };
        assert_eq!(convert("{} and {!r} 5%"), Some(("%s and %r 5%%".into(), 2)));
        assert_eq!(convert("{0} {1:.1f}"), Some(("%s %.1f".into(), 2)));
        assert_eq!(convert("{1} {0}"), None);
        assert_eq!(convert("{name}"), None);
        // str.format raises on a mix of automatic and numbered fields.
        assert_eq!(convert("{} {1}"), None);
        let mut fields = Fields::default();
        assert_eq!(
            convert_format_fields("{{literal}}", false, &mut fields),
            Some("{literal}".into())
        );
    }

    #[test]
    fn parenthesised_and_concatenated_templates_number_fields_across_parts() {
        assert_eq!(
            lazy(r#"("{} " "{!r}").format(a, b)"#).as_deref(),
            Some(r#""%s " "%r", a, b"#)
        );
        assert_eq!(
            lazy(r#"("a %s " 'b %d') % (x, 1)"#).as_deref(),
            Some(r#""a %s " 'b %d', x, 1"#)
        );
        assert_eq!(
            lazy("(\"{0} \"\n \"{1}\").format(a, b)").as_deref(),
            Some("(\"%s \"\n \"%s\"), a, b")
        );
        // `{0}` in the second part is the first argument again.
        assert_eq!(lazy(r#"("{0} {1} " "{0}").format(a, b, c)"#), None);
        // A field split across parts, and an f-string part, are refused.
        assert_eq!(lazy(r#"("{" "}").format(a)"#), None);
        assert_eq!(lazy(r#"("{} " f"{b}").format(a)"#), None);
        assert_eq!(lazy(r#"("%s " f"{b}") % (a,)"#), None);
    }
}

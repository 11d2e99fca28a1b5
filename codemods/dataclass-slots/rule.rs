//! `dataclass-slots`: `@dataclass` gets `slots=True`, and a hand-written
//! `__slots__` naming exactly the fields gives way to it.
//!
//! `slots=True` makes instances lose their `__dict__` and makes the decorator
//! return a new class, so [`plan`] skips any class where that can show: a
//! `cached_property`, zero-argument `super()` or `__class__` (bound to the old
//! class), `__dict__` or `vars()` anywhere in the file, `weakref` (the target
//! version is not known here, so `weakref_slot=True` is never emitted), base
//! classes, decorators applied before `@dataclass`, and attributes that are not
//! fields assigned in the class or on anything that could be an instance.
//! [`plan`] is shared by the guard and the fixer, so a finding always has its fix.
use crate::edit::Edit;
use crate::engine::analysis::{self, deletion_of, statements};
use crate::engine::context::{FixContext, FixOutput, Rendered, Verdict};
use crate::engine::module_index::project_sources;
use crate::engine::registry::{Arity, Filter, Fixer, Guard, OnFragment, Registry};
use crate::engine::semantic::{text, Semantic};
use std::collections::BTreeSet;
use std::ops::Range;
use tree_sitter::Node;

pub fn register(registry: &mut Registry) {
    registry.add_guards(GUARDS);
    registry.add_filters(FILTERS);
    registry.add_fixers(FIXERS);
}

static FILTERS: &[Filter] = &[Filter {
    name: "slots-uses-in-project",
    doc: "for the message: what the other files of the project that name the class do that a slotted instance breaks (`vars()`, `__dict__`, `setattr`, weak references, other attributes set), or that none does; empty outside a project run",
    apply: |nodes, _, ctx| Some(Rendered::text(uses_in_project(*nodes.first()?, ctx.source).unwrap_or_default())),
}];

static GUARDS: &[Guard] = &[Guard {
    name: "dataclass-slots?",
    doc: "the capture (a `@dataclass` decorator) is on a class where `slots=True` cannot show (see `codemods/dataclass-slots/docs.md`)",
    arity: Arity::Exactly(0),
    on_fragment: OnFragment::Unknown,
    may_mark_unsafe: false,
    check: |node, _, ctx| Verdict::pass_if(plan(node, analysis::root_of(node), ctx.source, ctx.semantic).is_some()),
}];

static FIXERS: &[Fixer] = &[Fixer {
    name: "dataclass-slots",
    doc: "`@dataclass` -> `@dataclass(slots=True)`, the hand-written `__slots__` naming the fields removed",
    fix,
}];

/// The rewrite of one decorated class.
pub struct Plan<'t> {
    /// Where `slots=True` goes, and the text to put there.
    insertion: Edit,
    /// A hand-written `__slots__ = [...]` to delete.
    hand_written: Option<Node<'t>>,
}

/// `decorator` is a `@dataclass` / `@dataclass(...)` decorator (the query checked
/// its qualified name); `None` when adding `slots=True` could change behaviour.
fn plan<'t>(decorator: Node<'t>, root: Node<'t>, source: &str, semantic: &Semantic) -> Option<Plan<'t>> {
    let decorated = decorator.parent()?;
    let class = decorated
        .child_by_field_name("definition")
        .filter(|c| c.kind() == "class_definition")?;
    let expression = decorator.named_child(0)?;
    let insertion = slots_argument(expression, source)?;
    // Decorators listed below `@dataclass` run first and would see the old class.
    if decorator.next_named_sibling().is_some_and(|n| n.kind() == "decorator") {
        return None;
    }
    let has_bases = class
        .child_by_field_name("superclasses")
        .is_some_and(|bases| text(bases, source).replace([' ', '\n'], "") != "(object)");
    if has_bases {
        return None;
    }
    let body = class.child_by_field_name("body")?;
    let fields = fields(body, source)?;
    let hand_written = hand_written_slots(body, source, &fields)?;
    if class_blocks_slots(class, source, semantic) || file_blocks_slots(root, source, semantic) {
        return None;
    }
    let class_name = text(class.child_by_field_name("name")?, source);
    if assigns_non_fields(root, class, class_name, source, semantic, &fields) {
        return None;
    }
    Some(Plan {
        insertion,
        hand_written,
    })
}

/// The edit adding `slots=True` to the decorator, or `None` when its arguments
/// are not all plain keywords or already say `slots`.
fn slots_argument(expression: Node, source: &str) -> Option<Edit> {
    if expression.kind() != "call" {
        return Some(Edit::insert(expression.end_byte(), "(slots=True)"));
    }
    let arguments = expression.child_by_field_name("arguments")?;
    let mut cursor = arguments.walk();
    let args: Vec<Node> = arguments
        .named_children(&mut cursor)
        .filter(|a| a.kind() != "comment")
        .collect();
    let plain_keywords = args.iter().all(|a| {
        a.kind() == "keyword_argument"
            && a.child_by_field_name("name")
                .is_some_and(|n| !matches!(text(n, source), "slots" | "weakref_slot"))
    });
    if !plain_keywords {
        return None;
    }
    Some(match args.last() {
        // One argument a line with a trailing comma: one more such line.
        Some(last) if last.next_sibling().is_some_and(|c| c.kind() == ",") && last.start_position().row > 0 => {
            let comma = last.next_sibling()?;
            let line_start = source[..last.start_byte()].rfind('\n').map_or(0, |i| i + 1);
            let indent = &source[line_start..last.start_byte()];
            if !indent.trim().is_empty() {
                return Some(Edit::insert(last.end_byte(), ", slots=True"));
            }
            Edit::insert(comma.end_byte(), format!("\n{indent}slots=True,"))
        }
        Some(last) => Edit::insert(last.end_byte(), ", slots=True"),
        None => Edit::replace(arguments.byte_range(), "(slots=True)"),
    })
}

/// The names of the class's fields (annotated class-body names that are not
/// `ClassVar` / `InitVar`); `None` for `KW_ONLY` markers, kept simple by skipping.
fn fields(body: Node, source: &str) -> Option<BTreeSet<String>> {
    let mut names = BTreeSet::new();
    for statement in statements(body) {
        let Some(assignment) = statement.named_child(0).filter(|a| a.kind() == "assignment") else {
            continue;
        };
        let (Some(left), Some(annotation)) = (
            assignment.child_by_field_name("left"),
            assignment.child_by_field_name("type"),
        ) else {
            continue;
        };
        let annotation = text(annotation, source);
        if annotation.contains("KW_ONLY") {
            return None;
        }
        if left.kind() == "identifier" && !annotation.contains("ClassVar") && !annotation.contains("InitVar") {
            names.insert(text(left, source).to_string());
        }
    }
    Some(names)
}

/// `Some(None)` without `__slots__`, `Some(Some(statement))` when a hand-written
/// `__slots__` lists exactly the fields, `None` otherwise.
fn hand_written_slots<'t>(body: Node<'t>, source: &str, fields: &BTreeSet<String>) -> Option<Option<Node<'t>>> {
    let mentions = analysis::identifiers_named(body, source, "__slots__");
    let Some(first) = mentions.first() else {
        return Some(None);
    };
    let assignment = first.parent().filter(|a| a.kind() == "assignment")?;
    let statement = assignment.parent().filter(|s| s.parent() == Some(body))?;
    let value = assignment.child_by_field_name("right")?;
    if mentions.len() != 1 || !matches!(value.kind(), "list" | "tuple") {
        return None;
    }
    let mut cursor = value.walk();
    let mut names = Vec::new();
    for item in value.named_children(&mut cursor) {
        let content = item
            .named_child(1)
            .filter(|_| item.kind() == "string" && item.named_child_count() == 3)?;
        names.push(text(content, source).to_string());
    }
    let listed: BTreeSet<String> = names.iter().cloned().collect();
    (listed.len() == names.len() && &listed == fields && deletion_of(statement, source).is_some())
        .then_some(Some(statement))
}

/// Uses inside the class that a new, slotted class object breaks.
fn class_blocks_slots(class: Node, source: &str, semantic: &Semantic) -> bool {
    analysis::descendants(class).into_iter().any(|node| match node.kind() {
        "identifier" => matches!(text(node, source), "__class__" | "__dict__" | "__weakref__"),
        "decorator" => node.named_child(0).is_some_and(|d| {
            let resolved = semantic.resolve(d, source);
            resolved
                .as_deref()
                .unwrap_or(text(d, source))
                .ends_with("cached_property")
        }),
        "call" => node.child_by_field_name("function").is_some_and(|f| {
            semantic.resolve(f, source).as_deref() == Some("builtins.super")
                && node
                    .child_by_field_name("arguments")
                    .is_some_and(|a| a.named_child_count() == 0)
        }),
        _ => false,
    })
}

/// Uses anywhere in the file of what slotted instances lack: `__dict__`,
/// `vars()`, `weakref`.
fn file_blocks_slots(root: Node, source: &str, semantic: &Semantic) -> bool {
    // The same for every class of the file: walked once.
    semantic.file_memo("dataclass-slots: file blocks slots", || {
        semantic
            .imports
            .iter()
            .any(|i| i.qualified.split('.').next() == Some("weakref"))
            || analysis::descendants(root).into_iter().any(|node| {
                node.kind() == "identifier"
                    && (text(node, source) == "__dict__"
                        || semantic.resolve(node, source).as_deref() == Some("builtins.vars"))
            })
    })
}

/// Whether an attribute that is not a field is set on the class, on `self` in
/// its methods, or on any receiver that could be an instance elsewhere in the
/// file (everything but `self` of other classes and imported modules), also
/// through `setattr` with a name that is not a literal field.
fn assigns_non_fields(
    root: Node,
    class: Node,
    class_name: &str,
    source: &str,
    semantic: &Semantic,
    fields: &BTreeSet<String>,
) -> bool {
    let within = |outer: Node, n: Node| outer.start_byte() <= n.start_byte() && n.end_byte() <= outer.end_byte();
    let nodes = attribute_sites(root, source, semantic);
    let other_classes: Vec<Node> = nodes
        .iter()
        .filter(|c| c.kind() == "class_definition" && **c != class)
        .copied()
        .collect();
    // Whether setting `name` on `object` (at `site`) could fail on a slotted instance.
    let breaks = |site: Node, object: Node, name: Option<&str>| {
        let receiver = text(object, source);
        if receiver == class_name {
            return true;
        }
        if name.is_some_and(|n| fields.contains(n)) {
            return false;
        }
        if within(class, site) {
            return true;
        }
        let other_self = receiver == "self" && other_classes.iter().any(|c| within(*c, site));
        let module = semantic
            .resolve(object, source)
            .is_some_and(|q| !q.starts_with("builtins."));
        !other_self && !module
    };
    nodes.iter().any(|&node| match node.kind() {
        "call" => {
            let arguments = node.child_by_field_name("arguments");
            let Some(object) = arguments.and_then(|a| a.named_child(0)) else {
                return false;
            };
            let name = arguments
                .and_then(|a| a.named_child(1))
                .and_then(|name| name.named_child(1).filter(|_| name.kind() == "string"))
                .map(|content| text(content, source));
            breaks(node, object, name)
        }
        "attribute" => match (
            node.child_by_field_name("object"),
            node.child_by_field_name("attribute"),
        ) {
            (Some(object), Some(name)) => breaks(node, object, Some(text(name, source))),
            _ => false,
        },
        _ => false,
    })
}

/// The nodes of the file [`assigns_non_fields`] looks at: its classes, its
/// `setattr(...)` and `object.__setattr__(...)` calls, and the attributes in
/// the targets of its assignments and `for` loops. The same for every class of
/// the file: gathered once (as byte ranges, found again in the tree).
fn attribute_sites<'t>(root: Node<'t>, source: &str, semantic: &Semantic) -> Vec<Node<'t>> {
    let gather = || {
        let mut sites = Vec::new();
        analysis::walk(root, |node| {
            match node.kind() {
                "class_definition" => sites.push(node),
                "call"
                    if node
                        .child_by_field_name("function")
                        .is_some_and(|f| matches!(text(f, source), "setattr" | "object.__setattr__")) =>
                {
                    sites.push(node)
                }
                "assignment" | "augmented_assignment" | "for_statement" => {
                    if let Some(target) = node.child_by_field_name("left") {
                        analysis::walk(target, |n| {
                            if n.kind() == "attribute" {
                                sites.push(n);
                            }
                            true
                        });
                    }
                }
                _ => {}
            }
            true
        });
        sites
    };
    let ranges: Vec<(u16, Range<usize>)> = semantic.file_memo("dataclass-slots: attribute sites", || {
        gather().iter().map(|n| (n.kind_id(), n.byte_range())).collect()
    });
    let found: Option<Vec<Node<'t>>> = ranges
        .iter()
        .map(|(kind, range)| {
            root.descendant_for_byte_range(range.start, range.end)
                .filter(|n| n.kind_id() == *kind && n.byte_range() == *range)
        })
        .collect();
    // Not this file's sites after all: gathered again.
    found.unwrap_or_else(gather)
}

/// The fixer: applies [`plan`].
fn fix(ctx: &FixContext) -> Option<FixOutput> {
    let source = ctx.render.source;
    let mut root = ctx.target;
    while let Some(parent) = root.parent() {
        root = parent;
    }
    let plan = plan(ctx.target, root, source, ctx.render.semantic)?;
    let mut edits = vec![plan.insertion];
    if let Some(statement) = plan.hand_written {
        edits.push(deletion_of(statement, source)?);
    }
    Some(FixOutput {
        edits,
        ..FixOutput::default()
    })
}

/// The message's note on code elsewhere in the project, for the `@dataclass`
/// decorator `decorator`: the first thing another file naming the class does
/// that a slotted instance breaks, or that no file does.
fn uses_in_project(decorator: Node, source: &str) -> Option<String> {
    let class = decorator.parent()?.child_by_field_name("definition")?;
    let name = text(class.child_by_field_name("name")?, source);
    let fields = fields(class.child_by_field_name("body")?, source)?;
    let (project, this_file) = project_sources()?;
    let mut parser = crate::engine::python_parser();
    let mut read = 0;
    for (path, other) in &project.files {
        if *path == this_file || !names_word(other, name) {
            continue;
        }
        read += 1;
        let tree = parser.parse(other, None)?;
        if let Some((line, what)) = use_breaking_slots(&tree, other, &fields) {
            return Some(format!(
                "; {what} at {}:{line} may break on slotted instances",
                path.display()
            ));
        }
    }
    let files = if read == 1 { "file names" } else { "files name" };
    Some(format!(
        "; no use found in this project ({read} other {files} `{name}`): no `vars()`, `__dict__`, `setattr`, weak reference or other attribute set"
    ))
}

fn names_word(source: &str, word: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    source.match_indices(word).any(|(at, _)| {
        !source[..at].chars().next_back().is_some_and(is_word)
            && !source[at + word.len()..].chars().next().is_some_and(is_word)
    })
}

/// In another file: the first `vars()`, `__dict__`, `weakref` import, `setattr`
/// of a name that is not a field, or attribute that is not a field set on
/// anything but `self`/`cls` (it could be an instance), with its line (1-based).
fn use_breaking_slots(tree: &tree_sitter::Tree, source: &str, fields: &BTreeSet<String>) -> Option<(usize, String)> {
    let root = tree.root_node();
    let semantic = Semantic::build(tree, source);
    let line = |node: Node| node.start_position().row + 1;
    if let Some(weakref) = semantic
        .imports
        .iter()
        .find(|i| i.qualified.split('.').next() == Some("weakref"))
    {
        let at = source[..weakref.statement.start].matches('\n').count() + 1;
        return Some((at, "a `weakref` import".into()));
    }
    analysis::descendants(root)
        .into_iter()
        .find_map(|node| match node.kind() {
            "identifier" if text(node, source) == "__dict__" => Some((line(node), "`__dict__`".into())),
            "identifier"
                if text(node, source) == "vars"
                    && semantic.resolve(node, source).as_deref() == Some("builtins.vars") =>
            {
                Some((line(node), "`vars()`".into()))
            }
            "call" => {
                let function = node.child_by_field_name("function")?;
                if !matches!(text(function, source), "setattr" | "object.__setattr__") {
                    return None;
                }
                let attribute = node
                    .child_by_field_name("arguments")
                    .and_then(|a| a.named_child(1))
                    .and_then(|name| name.named_child(1).filter(|_| name.kind() == "string"))
                    .map(|content| text(content, source));
                (!attribute.is_some_and(|a| fields.contains(a))).then(|| (line(node), "`setattr()`".into()))
            }
            "assignment" | "augmented_assignment" => {
                let target = node.child_by_field_name("left")?;
                analysis::descendants(target).into_iter().find_map(|attribute| {
                    let object = attribute
                        .child_by_field_name("object")
                        .filter(|_| attribute.kind() == "attribute")?;
                    let attribute_name = text(attribute.child_by_field_name("attribute")?, source);
                    let on_self = matches!(text(object, source), "self" | "cls");
                    (!on_self && !fields.contains(attribute_name))
                        .then(|| (line(attribute), format!("attribute `{attribute_name}` set")))
                })
            }
            _ => None,
        })
}

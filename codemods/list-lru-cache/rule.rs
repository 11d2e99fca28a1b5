//! `list-lru-cache`: a class keeping a dict plus a list of its keys in access
//! order becomes one `collections.OrderedDict`.
//!
//! The roles are recognised, not the names: a `self.<list> = []` and a
//! `self.<dict> = {}` set in `__init__`, where every use of the list anywhere in
//! the file is one of
//! - `self.<list>.remove(k)` followed by `self.<list>.append(k)` (with only
//!   `self.<dict>[k] = v` between), or inside `if k in self.<dict>:` before
//!   `self.<dict>[k] = v; self.<list>.append(k)`: `self.<dict>.move_to_end(k)`;
//! - `self.<list>.remove(k)` next to `del self.<dict>[k]`: dropped;
//! - an eviction of the first key, `x = self.<list>.pop(0); del self.<dict>[x]`,
//!   `del self.<dict>[self.<list>.pop(0)]`, `x = self.<list>[0]; del self.<list>[0];
//!   del self.<dict>[x]` and the like: `self.<dict>.popitem(last=False)`;
//! - `len(self.<list>)`: `len(self.<dict>)`, equal wherever the two are in step
//!   (not between a `remove(k)` and its `append(k)`).
//!
//! [`plan`] is shared by the guard (does the class qualify, and is the rewrite
//! safe) and the fixer (the edits), so a finding always has its fix.
use crate::edit::{Edit, ImportRequest};
use crate::engine::analysis::{self, deletion_of, next_statement, previous_statement, statements};
use crate::engine::context::{FixContext, FixOutput, Verdict};
use crate::engine::registry::{Arity, Fixer, Guard, OnFragment, Registry};
use crate::engine::semantic::{text, Semantic};
use crate::engine::template::spell_import;
use tree_sitter::Node;

pub fn register(registry: &mut Registry) {
    registry.add_guards(GUARDS);
    registry.add_fixers(FIXERS);
}

static GUARDS: &[Guard] = &[Guard {
    name: "lru-list-class?",
    doc: "the capture (a class) keeps a dict and a list of its keys in access order, every use of the list recognised; unsafe when the dict's order can show",
    arity: Arity::Exactly(0),
    // The list's init, appends, removes and evictions hold the codemod's
    // literals, so a fragment keeps their methods; the methods it leaves out can
    // only add uses that make the rewrite unsafe.
    on_fragment: OnFragment::Permissive,
    may_mark_unsafe: true,
    check: |node, _, ctx| match plan(node, analysis::root_of(node), ctx.source, ctx.semantic) {
        Some(plan) if plan.safe => Verdict::Pass,
        Some(_) => Verdict::unsafe_because(
            "the dict's order can show (it is iterated, copied or escapes, or a removed key may be absent)",
        ),
        None => Verdict::Skip,
    },
}];

static FIXERS: &[Fixer] = &[Fixer {
    name: "lru-to-ordered-dict",
    doc: "the dict + access-order list of a class -> one `collections.OrderedDict` (`move_to_end`, `popitem(last=False)`), the list dropped",
    fix,
}];

/// What the rewrite of one class does.
pub struct Plan<'t> {
    /// The receiver (`self`) and the attribute names of the dict and the list.
    receiver: String,
    dict: String,
    /// `self.<list> = []` in `__init__`: deleted.
    list_init: Node<'t>,
    /// `{}` / `dict()` of `self.<dict> = ...`: becomes `OrderedDict()`.
    dict_value: Node<'t>,
    /// `self.<list>.remove(k)` statements becoming `move_to_end(k)`, with `k`.
    moves: Vec<(Node<'t>, String)>,
    /// `append`s and key-dropping `remove`s: deleted.
    deletions: Vec<Node<'t>>,
    /// `self.<list>` of `len(self.<list>)`: becomes `self.<dict>`.
    lengths: Vec<Node<'t>>,
    evictions: Vec<Eviction<'t>>,
    /// False when the dict is also used where its order, type or repr shows
    /// (iterated, returned, used outside the class) or a `remove(k)` is not
    /// known to find `k`.
    pub safe: bool,
}

/// Consecutive statements removing the first key from both, and the name the
/// evicted key was bound to when later code still reads it.
struct Eviction<'t> {
    statements: Vec<Node<'t>>,
    keeps_key: Option<String>,
}

/// What one statement does to the list, seen from its text.
#[derive(Debug, PartialEq)]
enum Shape {
    /// `x = self.L.pop(0)` / `x = self.L[0]`.
    TakeFirst {
        var: String,
        pops: bool,
    },
    /// `del self.L[0]`.
    DropFirst,
    /// `del self.D[key]` / `self.D.pop(key[, default])`.
    DropKey {
        key: Key,
    },
    Remove(String),
    Append(String),
    /// `self.D[k] = v`.
    Store(String),
    Other,
}

#[derive(Debug, PartialEq)]
enum Key {
    Name(String),
    /// `self.L.pop(0)` or `self.L[0]` inline.
    First {
        pops: bool,
    },
}

struct Roles<'a> {
    source: &'a str,
    semantic: &'a Semantic,
    receiver: &'a str,
    list: &'a str,
    dict: &'a str,
}

impl Roles<'_> {
    /// `self.<name>`?
    fn is_member(&self, node: Node, name: &str) -> bool {
        node.kind() == "attribute"
            && node
                .child_by_field_name("object")
                .is_some_and(|o| o.kind() == "identifier" && text(o, self.source) == self.receiver)
            && node
                .child_by_field_name("attribute")
                .is_some_and(|a| text(a, self.source) == name)
    }

    /// `self.<name>.<method>(args)` -> its arguments.
    fn method_call<'t>(&self, node: Node<'t>, name: &str, method: &str) -> Option<Vec<Node<'t>>> {
        let callee = node.child_by_field_name("function").filter(|_| node.kind() == "call")?;
        let object = callee.child_by_field_name("object")?;
        let called = callee.child_by_field_name("attribute")?;
        if callee.kind() != "attribute" || !self.is_member(object, name) || text(called, self.source) != method {
            return None;
        }
        let arguments = node.child_by_field_name("arguments")?;
        let mut cursor = arguments.walk();
        let args: Vec<Node> = arguments.named_children(&mut cursor).collect();
        Some(args)
    }

    /// `self.L.pop(0)` or `self.L[0]`: `Some(pops)`.
    fn first_of_list(&self, node: Node) -> Option<bool> {
        if let Some(args) = self.method_call(node, self.list, "pop") {
            return (args.len() == 1 && text(args[0], self.source) == "0").then_some(true);
        }
        (node.kind() == "subscript"
            && node
                .child_by_field_name("value")
                .is_some_and(|v| self.is_member(v, self.list))
            && node
                .child_by_field_name("subscript")
                .is_some_and(|s| text(s, self.source) == "0"))
        .then_some(false)
    }

    /// `self.D[key]` -> `key`.
    fn dict_item<'t>(&self, node: Node<'t>) -> Option<Node<'t>> {
        if node.kind() != "subscript"
            || !node
                .child_by_field_name("value")
                .is_some_and(|v| self.is_member(v, self.dict))
        {
            return None;
        }
        node.child_by_field_name("subscript")
    }

    fn key(&self, node: Node) -> Option<Key> {
        if node.kind() == "identifier" {
            return Some(Key::Name(text(node, self.source).to_string()));
        }
        self.first_of_list(node).map(|pops| Key::First { pops })
    }

    fn shape(&self, statement: Node) -> Shape {
        self.try_shape(statement).unwrap_or(Shape::Other)
    }

    fn try_shape(&self, statement: Node) -> Option<Shape> {
        let identifier = |n: Node| (n.kind() == "identifier").then(|| text(n, self.source).to_string());
        if statement.kind() == "delete_statement" {
            let target = statement.named_child(0)?;
            if let Some(key) = self.dict_item(target) {
                return Some(Shape::DropKey { key: self.key(key)? });
            }
            return (self.first_of_list(target) == Some(false)).then_some(Shape::DropFirst);
        }
        if statement.kind() != "expression_statement" || statement.named_child_count() != 1 {
            return None;
        }
        let expression = statement.named_child(0)?;
        if expression.kind() == "assignment" {
            let left = expression.child_by_field_name("left")?;
            let right = expression.child_by_field_name("right")?;
            if let Some(key) = self.dict_item(left) {
                return Some(Shape::Store(identifier(key)?));
            }
            let pops = self.first_of_list(right)?;
            return Some(Shape::TakeFirst {
                var: identifier(left)?,
                pops,
            });
        }
        if let Some(args) = self.method_call(expression, self.dict, "pop") {
            return (matches!(args.len(), 1 | 2)).then(|| self.key(args[0]).map(|key| Shape::DropKey { key }))?;
        }
        for (method, make) in [
            ("remove", Shape::Remove as fn(String) -> Shape),
            ("append", Shape::Append),
        ] {
            if let Some(args) = self.method_call(expression, self.list, method) {
                return match args.as_slice() {
                    [key] => Some(make(identifier(*key)?)),
                    _ => None,
                };
            }
        }
        None
    }

    /// `k in self.D`.
    fn is_membership_test(&self, condition: Node, key: &str) -> bool {
        condition.kind() == "comparison_operator"
            && condition.named_child_count() == 2
            && condition.child(1).is_some_and(|op| op.kind() == "in")
            && condition.named_child(0).is_some_and(|k| text(k, self.source) == key)
            && condition.named_child(1).is_some_and(|d| self.is_member(d, self.dict))
    }

    /// A `remove(k)` whose `k` is known to be present: inside `if k in self.D:`,
    /// or after `if k not in self.D: return/raise`.
    fn key_is_present(&self, remove: Node, key: &str) -> bool {
        let block = remove.parent();
        let guarded_if = block.and_then(|b| b.parent()).is_some_and(|i| {
            i.kind() == "if_statement"
                && i.child_by_field_name("consequence") == block
                && i.child_by_field_name("condition")
                    .is_some_and(|c| self.is_membership_test(c, key))
        });
        let mut previous = previous_statement(remove);
        while let Some(statement) = previous {
            let early_exit = statement.kind() == "if_statement"
                && statement.child_by_field_name("alternative").is_none()
                && statement.child_by_field_name("condition").is_some_and(|c| {
                    c.kind() == "comparison_operator"
                        && c.child(1).is_some_and(|op| op.kind() == "not in")
                        && c.named_child(0).is_some_and(|k| text(k, self.source) == key)
                        && c.named_child(1).is_some_and(|d| self.is_member(d, self.dict))
                })
                && statement
                    .child_by_field_name("consequence")
                    .and_then(|b| statements(b).last().copied())
                    .is_some_and(|s| matches!(s.kind(), "return_statement" | "raise_statement"));
            if early_exit {
                return true;
            }
            previous = previous_statement(statement);
        }
        guarded_if
    }
}

/// Recognises the dict + key-list roles in `class`; `None` when any use of the
/// list is not one the rewrite understands.
fn plan<'t>(class: Node<'t>, root: Node<'t>, source: &str, semantic: &Semantic) -> Option<Plan<'t>> {
    let methods = analysis::methods(class);
    let init = methods.iter().find(|m| {
        m.child_by_field_name("name")
            .is_some_and(|n| text(n, source) == "__init__")
    })?;
    let receiver = analysis::first_parameter(*init, source)?;
    let mut lists = Vec::new();
    let mut dicts = Vec::new();
    for statement in statements(init.child_by_field_name("body")?) {
        let Some((left, right)) = analysis::assignment_sides(statement) else {
            continue;
        };
        let Some(name) = left.child_by_field_name("attribute").filter(|_| {
            left.kind() == "attribute"
                && left
                    .child_by_field_name("object")
                    .is_some_and(|o| text(o, source) == receiver)
        }) else {
            continue;
        };
        let empty_dict_call = right.kind() == "call"
            && right
                .child_by_field_name("function")
                .is_some_and(|f| semantic.resolve(f, source).as_deref() == Some("builtins.dict"))
            && right
                .child_by_field_name("arguments")
                .is_some_and(|a| a.named_child_count() == 0);
        match right.kind() {
            "list" if right.named_child_count() == 0 => lists.push((text(name, source), statement)),
            "dictionary" if right.named_child_count() == 0 => dicts.push((text(name, source), right)),
            _ if empty_dict_call => dicts.push((text(name, source), right)),
            _ => {}
        }
    }
    lists.iter().find_map(|(list, list_init)| {
        dicts.iter().find_map(|(dict, dict_value)| {
            let roles = Roles {
                source,
                semantic,
                receiver: &receiver,
                list,
                dict,
            };
            plan_for(&roles, class, root, &methods, *list_init, *dict_value)
        })
    })
}

fn plan_for<'t>(
    roles: &Roles,
    class: Node<'t>,
    root: Node<'t>,
    methods: &[Node<'t>],
    list_init: Node<'t>,
    dict_value: Node<'t>,
) -> Option<Plan<'t>> {
    let source = roles.source;
    let mut plan = Plan {
        receiver: roles.receiver.to_string(),
        dict: roles.dict.to_string(),
        list_init,
        dict_value,
        moves: Vec::new(),
        deletions: Vec::new(),
        lengths: Vec::new(),
        evictions: Vec::new(),
        safe: true,
    };
    // How many list uses the recognised statements account for (the init is one).
    let mut claimed = 1;
    let mut claimed_dict_stores = 0;
    let mut removes: Vec<(Node, String)> = Vec::new();
    let mut appends: Vec<(Node, String)> = Vec::new();
    let mut taken: Vec<Node> = Vec::new();
    let mut drops: Vec<(Node, String)> = Vec::new();
    for method in methods {
        if analysis::first_parameter(*method, source).as_deref() != Some(roles.receiver) {
            continue;
        }
        let blocks = analysis::descendants(*method)
            .into_iter()
            .filter(|n| n.kind() == "block");
        for block in blocks {
            let body = statements(block);
            for (index, statement) in body.iter().enumerate() {
                if taken.contains(statement) {
                    continue;
                }
                match roles.shape(*statement) {
                    Shape::Remove(key) => removes.push((*statement, key)),
                    Shape::Append(key) => appends.push((*statement, key)),
                    Shape::Store(key) => {
                        // Only a store whose key then goes to the end of the list.
                        if next_statement(*statement).is_some_and(|n| roles.shape(n) == Shape::Append(key.clone())) {
                            claimed_dict_stores += 1;
                        }
                    }
                    Shape::DropKey { key: Key::Name(key) } => drops.push((*statement, key)),
                    Shape::Other => {}
                    _ => {
                        let eviction = eviction_at(roles, &body[index..], *method)?;
                        claimed += eviction.statements.len() - usize::from(eviction_has_plain_drop(roles, &eviction));
                        taken.extend(eviction.statements.iter().copied());
                        plan.evictions.push(eviction);
                    }
                }
            }
        }
    }
    if plan.evictions.is_empty() || appends.is_empty() {
        return None;
    }
    // Where a moved key is out of the list for a moment: the list is one
    // shorter than the dict there.
    let mut out_of_step = Vec::new();
    for (append, key) in &appends {
        let remove = placement_of_append(roles, *append, key, &removes)?;
        out_of_step.extend(between_remove_and_append(remove, *append));
        if !plan.moves.iter().any(|(m, _)| *m == remove) {
            plan.moves.push((remove, key.clone()));
        }
        plan.deletions.push(*append);
    }
    for (remove, key) in &removes {
        if plan.moves.iter().any(|(m, _)| m == remove) {
            plan.safe &= roles.key_is_present(*remove, key);
            continue;
        }
        // `remove(k)` next to `del self.D[k]`: the key leaves both.
        let drops_key = [previous_statement(*remove), next_statement(*remove)]
            .into_iter()
            .flatten()
            .any(|s| {
                roles.shape(s)
                    == Shape::DropKey {
                        key: Key::Name(key.clone()),
                    }
            });
        if !drops_key {
            return None;
        }
        plan.safe &= roles.key_is_present(*remove, key);
        plan.deletions.push(*remove);
    }
    // A key dropped from the dict must leave the list at the same time.
    for (drop, key) in &drops {
        let paired = [previous_statement(*drop), next_statement(*drop)]
            .into_iter()
            .flatten()
            .any(|s| plan.deletions.contains(&s) && roles.shape(s) == Shape::Remove(key.clone()));
        if !paired {
            return None;
        }
    }
    plan.lengths = lengths_of_list(roles, root);
    if plan
        .lengths
        .iter()
        .any(|l| out_of_step.iter().any(|range| range.contains(&l.start_byte())))
    {
        return None;
    }
    claimed += removes.len() + appends.len() + plan.lengths.len();
    let list_uses = analysis::attributes_named(root, source, roles.list);
    if list_uses.len() != claimed || plan.deletions.iter().any(|s| deletion_of(*s, source).is_none()) {
        return None;
    }
    deletion_of(list_init, source)?;
    plan.safe &= dict_uses_keep_order_private(roles, class, root, dict_value, claimed_dict_stores)?;
    Some(plan)
}

/// Every `self.L` in `len(self.L)` (the builtin `len`).
fn lengths_of_list<'t>(roles: &Roles, root: Node<'t>) -> Vec<Node<'t>> {
    analysis::attributes_named(root, roles.source, roles.list)
        .into_iter()
        .filter(|use_| {
            let call = use_
                .parent()
                .filter(|a| a.kind() == "argument_list" && a.named_child_count() == 1)
                .and_then(|a| a.parent());
            roles.is_member(*use_, roles.list)
                && call
                    .and_then(|c| c.child_by_field_name("function"))
                    .is_some_and(|f| roles.semantic.resolve(f, roles.source).as_deref() == Some("builtins.len"))
        })
        .collect()
}

/// The code that runs after `remove(k)` and before its `append(k)`: what
/// follows the remove in its block and, when that block is the body of an
/// `if k in self.D:`, the statements after the whole `if` (its `elif`/`else`
/// run instead of the remove, not after it).
fn between_remove_and_append(remove: Node, append: Node) -> [std::ops::Range<usize>; 2] {
    match remove.parent().filter(|block| Some(*block) != append.parent()) {
        None => [remove.end_byte()..append.start_byte(), 0..0],
        Some(block) => {
            let after_if = block.parent().map_or(block.end_byte(), |i| i.end_byte());
            [remove.end_byte()..block.end_byte(), after_if..append.start_byte()]
        }
    }
}

/// Whether an eviction drops `self.D[x]` by a plain name (`x = self.L.pop(0)`
/// then `del self.D[x]`): that statement holds no list use.
fn eviction_has_plain_drop(roles: &Roles, eviction: &Eviction) -> bool {
    eviction
        .statements
        .iter()
        .any(|s| matches!(roles.shape(*s), Shape::DropKey { key: Key::Name(_) }))
}

/// The eviction unit starting at `body[0]`, which touches the list's first key.
fn eviction_at<'t>(roles: &Roles, body: &[Node<'t>], method: Node<'t>) -> Option<Eviction<'t>> {
    let shapes: Vec<Shape> = body.iter().take(3).map(|s| roles.shape(*s)).collect();
    let drops = |shape: &Shape, var: &str| {
        *shape
            == Shape::DropKey {
                key: Key::Name(var.to_string()),
            }
    };
    let (count, var) = match shapes.as_slice() {
        [Shape::DropKey {
            key: Key::First { pops: true },
        }, ..] => (1, None),
        [Shape::DropKey {
            key: Key::First { pops: false },
        }, Shape::DropFirst, ..] => (2, None),
        [Shape::TakeFirst { var, pops: true }, next, ..] if drops(next, var) => (2, Some(var)),
        [Shape::TakeFirst { var, pops: false }, Shape::DropFirst, next, ..] if drops(next, var) => (3, Some(var)),
        [Shape::TakeFirst { var, pops: false }, next, Shape::DropFirst, ..] if drops(next, var) => (3, Some(var)),
        _ => return None,
    };
    let statements = body[..count].to_vec();
    let keeps_key = var.filter(|var| {
        analysis::identifiers_named(method, roles.source, var).iter().any(|n| {
            !statements
                .iter()
                .any(|s| s.start_byte() <= n.start_byte() && n.end_byte() <= s.end_byte())
        })
    });
    Some(Eviction {
        statements,
        keeps_key: keeps_key.cloned(),
    })
}

/// An `append(k)` is right when `k` is at the end of the OrderedDict at that
/// point: right after `remove(k)` (which becomes `move_to_end(k)`), or after
/// `self.D[k] = v` preceded by `remove(k)` or by `if k in self.D:` whose body
/// removes `k` (a new key goes to the end by itself). The `remove` it relies on.
fn placement_of_append<'t>(
    roles: &Roles,
    append: Node<'t>,
    key: &str,
    removes: &[(Node<'t>, String)],
) -> Option<Node<'t>> {
    let is_remove = |s: Node| removes.iter().any(|(r, k)| *r == s && k == key);
    let mut previous = previous_statement(append)?;
    if is_remove(previous) {
        return Some(previous);
    }
    if roles.shape(previous) != Shape::Store(key.to_string()) {
        return None;
    }
    previous = previous_statement(previous)?;
    if is_remove(previous) {
        return Some(previous);
    }
    if previous.kind() != "if_statement"
        || !previous
            .child_by_field_name("condition")
            .is_some_and(|c| roles.is_membership_test(c, key))
    {
        return None;
    }
    statements(previous.child_by_field_name("consequence")?)
        .into_iter()
        .find(|s| is_remove(*s))
}

/// Checks every use of the dict. `None` (skip) when the dict is reassigned or
/// changed other than by the recognised statements (its keys would no longer be
/// the list's); `Some(false)` (unsafe) when its order, type or repr can show:
/// iterated, passed on, or used outside the class.
fn dict_uses_keep_order_private(
    roles: &Roles,
    class: Node,
    root: Node,
    dict_value: Node,
    claimed_stores: usize,
) -> Option<bool> {
    let source = roles.source;
    let inside = |n: Node| class.start_byte() <= n.start_byte() && n.end_byte() <= class.end_byte();
    let mut private = true;
    let mut stores = 0;
    for use_ in analysis::attributes_named(root, source, roles.dict) {
        if !inside(use_) || !roles.is_member(use_, roles.dict) {
            private = false;
            continue;
        }
        let parent = use_.parent()?;
        let is_child = |field: &str| parent.child_by_field_name(field) == Some(use_);
        match parent.kind() {
            "assignment" if is_child("left") => {
                if parent.child_by_field_name("right") != Some(dict_value) {
                    return None;
                }
            }
            "subscript" if is_child("value") => {
                let statement = parent.parent()?;
                let stored = statement.kind() == "assignment" && statement.child_by_field_name("left") == Some(parent);
                if stored {
                    stores += 1;
                }
                if statement.kind() == "augmented_assignment" && statement.child_by_field_name("left") == Some(parent) {
                    continue;
                }
            }
            "comparison_operator"
                if parent.named_child(1) == Some(use_)
                    && parent.child(1).is_some_and(|op| matches!(op.kind(), "in" | "not in")) => {}
            "attribute" if is_child("object") => {
                let method = parent.child_by_field_name("attribute").map_or("", |a| text(a, source));
                match method {
                    "get" | "pop" => {}
                    "keys" | "values" | "items" | "copy" => private = false,
                    _ => return None,
                }
            }
            "argument_list"
                if parent
                    .parent()
                    .and_then(|c| c.child_by_field_name("function"))
                    .is_some_and(|f| roles.semantic.resolve(f, source).as_deref() == Some("builtins.len")) => {}
            _ => private = false,
        }
    }
    // A key stored without being appended to the list (never evicted) would be
    // evicted after the rewrite.
    (stores == claimed_stores).then_some(private)
}

/// The fixer: applies [`plan`].
fn fix(ctx: &FixContext) -> Option<FixOutput> {
    let source = ctx.render.source;
    let mut root = ctx.target;
    while let Some(parent) = root.parent() {
        root = parent;
    }
    let plan = plan(ctx.target, root, source, ctx.render.semantic)?;
    let request = ImportRequest {
        module: "collections".into(),
        member: Some("OrderedDict".into()),
    };
    let (ordered_dict, import) = spell_import(&request, ctx.render.semantic, plan.dict_value.start_byte())?;
    let member = format!("{}.{}", plan.receiver, plan.dict);
    let mut edits = vec![
        deletion_of(plan.list_init, source)?,
        Edit::replace(plan.dict_value.byte_range(), format!("{ordered_dict}()")),
    ];
    for (remove, key) in &plan.moves {
        edits.push(Edit::replace(
            remove.byte_range(),
            format!("{member}.move_to_end({key})"),
        ));
    }
    for statement in &plan.deletions {
        edits.push(deletion_of(*statement, source)?);
    }
    for list in &plan.lengths {
        edits.push(Edit::replace(list.byte_range(), member.clone()));
    }
    for eviction in &plan.evictions {
        let (first, last) = (eviction.statements.first()?, eviction.statements.last()?);
        let indent = &source[source[..first.start_byte()].rfind('\n').map_or(0, |i| i + 1)..first.start_byte()];
        // Comments between the statements stay, above the new one.
        let mut replacement = String::new();
        for node in analysis::descendants(first.parent()?) {
            if node.kind() == "comment" && first.start_byte() < node.start_byte() && node.end_byte() < last.end_byte() {
                replacement.push_str(&format!("{}\n{indent}", text(node, source)));
            }
        }
        match &eviction.keeps_key {
            Some(var) => replacement.push_str(&format!("{var} = {member}.popitem(last=False)[0]")),
            None => replacement.push_str(&format!("{member}.popitem(last=False)")),
        }
        edits.push(Edit::replace(first.start_byte()..last.end_byte(), replacement));
    }
    Some(FixOutput {
        edits,
        // The guard marks the rewrite unsafe when `plan.safe` is false.
        imports: import.into_iter().collect(),
        ..FixOutput::default()
    })
}

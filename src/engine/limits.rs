//! Valid Python built to stall or crash a run (deep nesting, long chains of
//! conditional expressions or operators) costs one file, never the run.
//!
//! Two bounds. How deep a parsed tree nests: tree-sitter's `Node::parent`
//! walks down from the root, so the guards' look at a match's ancestors is
//! quadratic in depth (30,000 nested `sorted(...)[0]` crashed the run, 2,000
//! nested calls took minutes), and CPython itself refuses such depth ("too
//! many nested parentheses" beyond 200 brackets, "maximum recursion depth
//! exceeded during compilation" around 3,000 levels of operators). And a time
//! budget per file, which the parser, the query cursor and the match loop
//! check, for what stays slow below that depth (a chain of 1,000 conditional
//! expressions, which CPython compiles).
use std::cell::Cell;
use std::ops::Range;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use tree_sitter::{Node, Tree};

/// Deeper trees are refused. The standard library's deepest file nests 29
/// levels.
pub const MAX_TREE_DEPTH: usize = 1000;

/// A file still being processed after this long is skipped.
const DEFAULT_BUDGET: Duration = Duration::from_secs(30);

thread_local! {
    /// When the file this thread processes runs out of time, and whether it did.
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    static EXCEEDED: Cell<bool> = const { Cell::new(false) };
    /// Calls of [`out_of_time_sampled`] since it last read the clock.
    static SAMPLED: Cell<u32> = const { Cell::new(0) };
}

/// How many calls of [`out_of_time_sampled`] read the clock once.
const SAMPLE_EVERY: u32 = 1024;

/// The time budget per file: 30 s, or `PERFMOD_FILE_BUDGET_MS` (for tests
/// and machines much slower than a developer's).
fn budget() -> Duration {
    static BUDGET: OnceLock<Duration> = OnceLock::new();
    *BUDGET.get_or_init(|| {
        std::env::var("PERFMOD_FILE_BUDGET_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .map_or(DEFAULT_BUDGET, Duration::from_millis)
    })
}

/// The time budget of one file, from `start` until dropped. Nested budgets
/// (a file re-run inside another's processing) keep the outer deadline.
pub struct Budget {
    outer: bool,
}

impl Budget {
    pub fn start() -> Budget {
        let outer = DEADLINE.with(|d| d.get().is_none());
        if outer {
            DEADLINE.with(|d| d.set(Some(Instant::now() + budget())));
            EXCEEDED.with(|e| e.set(false));
        }
        Budget { outer }
    }

    /// `result`, unless the file ran out of time (its processing was cut
    /// short, so the result is incomplete).
    pub fn finish<T>(self, result: Result<T, String>) -> Result<T, String> {
        if EXCEEDED.with(Cell::get) {
            return Err(format!(
                "took over {} s, perfmod's time budget for one file; skipped",
                budget().as_secs_f64()
            ));
        }
        result
    }
}

impl Drop for Budget {
    fn drop(&mut self) {
        if self.outer {
            DEADLINE.with(|d| d.set(None));
        }
    }
}

/// Whether the file being processed ran out of time; once it has, everything
/// that checks stops early.
pub fn out_of_time() -> bool {
    if EXCEEDED.with(Cell::get) {
        return true;
    }
    let over = DEADLINE
        .with(Cell::get)
        .is_some_and(|deadline| Instant::now() >= deadline);
    if over {
        EXCEEDED.with(|e| e.set(true));
    }
    over
}

/// [`out_of_time`] for the parser's and the query cursor's progress
/// callbacks, called for every few nodes: reads the clock once per
/// [`SAMPLE_EVERY`] calls, so the check costs nothing measurable.
pub fn out_of_time_sampled() -> bool {
    let calls = SAMPLED.with(|c| {
        let n = c.get().wrapping_add(1);
        c.set(n);
        n
    });
    if calls.is_multiple_of(SAMPLE_EVERY) {
        out_of_time()
    } else {
        EXCEEDED.with(Cell::get)
    }
}

/// Runs `work` without counting its time to the current file's budget.
pub fn not_counted<T>(work: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let result = work();
    DEADLINE.with(|d| d.set(d.get().map(|deadline| deadline + started.elapsed())));
    result
}

/// Refuses a tree nested deeper than [`MAX_TREE_DEPTH`] within the top-level
/// statements that meet `ranges` (those that will be matched), with the reason.
pub fn check_depth(tree: &Tree, ranges: &[Range<usize>]) -> Result<(), String> {
    let root = tree.root_node();
    let mut cursor = root.walk();
    let too_deep = root
        .children(&mut cursor)
        .filter(|s| ranges.iter().any(|r| s.start_byte() < r.end && r.start < s.end_byte()))
        .any(|statement| nests_at_least(statement, MAX_TREE_DEPTH));
    if too_deep {
        return Err(format!(
            "nests deeper than {MAX_TREE_DEPTH} levels, more than perfmod analyses (CPython refuses code a few times deeper); skipped"
        ));
    }
    Ok(())
}

/// Whether at least `levels` levels nest below `node`, found without
/// recursion. A node with fewer descendants than `levels` holds no such
/// chain, and tree-sitter counts every node's descendants as it builds the
/// tree: only the nodes that big are visited, not the whole tree.
fn nests_at_least(node: Node, levels: usize) -> bool {
    let big_enough = |node: Node, levels: usize| node.descendant_count() > levels;
    let mut pending = vec![(node, levels)];
    while let Some((node, levels)) = pending.pop() {
        if levels == 0 {
            return true;
        }
        let mut cursor = node.walk();
        pending.extend(
            node.children(&mut cursor)
                .filter(|child| big_enough(*child, levels - 1))
                .map(|child| (child, levels - 1)),
        );
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_depth_without_recursion() {
        let mut parser = crate::engine::python_parser();
        let shallow = parser.parse("x = f(1)\n", None).unwrap();
        let whole = shallow.root_node().byte_range();
        assert!(check_depth(&shallow, std::slice::from_ref(&whole)).is_ok());
        let deep_text = format!("y = 1\nx = {}1{}\n", "(".repeat(5000), ")".repeat(5000));
        let deep = parser.parse(&deep_text, None).unwrap();
        // module > expression_statement > assignment > 5,000 parenthesized_expression > `(`.
        let statement = deep.root_node().child(1).unwrap();
        assert!(nests_at_least(statement, 5002));
        assert!(!nests_at_least(statement, 5003));
        let ranges = [0..deep_text.len(), 0..5];
        assert!(check_depth(&deep, &ranges[..1])
            .unwrap_err()
            .contains("deeper than 1000"));
        // Only the statements that will be matched are measured.
        assert!(check_depth(&deep, &ranges[1..]).is_ok());
    }

    /// Levels below `node`, by recursion over every child.
    fn depth(node: Node) -> usize {
        let mut cursor = node.walk();
        let children: Vec<Node> = node.children(&mut cursor).collect();
        children.into_iter().map(|c| 1 + depth(c)).max().unwrap_or(0)
    }

    #[test]
    fn the_depth_bound_agrees_with_walking_every_node() {
        let source = "class C(Base):\n    @deco(1)\n    def m(self, x: dict[str, list[int]] = {}):\n        \"\"\"doc\"\"\"\n        return [y for y in f(g(h(x)))] if x else (lambda: {**x})()\n\n\nx = a.b.c[d](e)  # note\n";
        let tree = crate::engine::python_parser().parse(source, None).unwrap();
        let mut cursor = tree.walk();
        let mut visited = 0;
        loop {
            let node = cursor.node();
            let levels = depth(node);
            assert!(nests_at_least(node, levels), "{node:?} nests {levels} levels");
            assert!(!nests_at_least(node, levels + 1), "{node:?} nests only {levels} levels");
            visited += 1;
            if cursor.goto_first_child() || cursor.goto_next_sibling() {
                continue;
            }
            while cursor.goto_parent() && !cursor.goto_next_sibling() {}
            if cursor.node() == tree.root_node() {
                break;
            }
        }
        assert!(visited > 50);
    }

    #[test]
    fn a_budget_cuts_the_file_short_and_says_so() {
        let budget = Budget::start();
        assert!(!out_of_time());
        DEADLINE.with(|d| d.set(Some(Instant::now())));
        assert!(out_of_time());
        assert!(budget.finish(Ok(())).unwrap_err().contains("time budget"));
        assert!(DEADLINE.with(Cell::get).is_none());
        assert!(Budget::start().finish(Ok(())).is_ok());
    }
}

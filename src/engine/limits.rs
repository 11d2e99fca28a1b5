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
    let deepest = root
        .children(&mut cursor)
        .filter(|s| ranges.iter().any(|r| s.start_byte() < r.end && r.start < s.end_byte()))
        .map(|statement| 1 + depth_below(statement, MAX_TREE_DEPTH))
        .max()
        .unwrap_or(0);
    if deepest > MAX_TREE_DEPTH {
        return Err(format!(
            "nests deeper than {MAX_TREE_DEPTH} levels, more than perfmod analyses (CPython refuses code a few times deeper); skipped"
        ));
    }
    Ok(())
}

/// How many levels nest below `node` (0 for a leaf), up to just past
/// `stop`, found without recursion.
fn depth_below(node: Node, stop: usize) -> usize {
    let mut cursor = node.walk();
    let (mut depth, mut deepest) = (0usize, 0usize);
    loop {
        if cursor.goto_first_child() {
            depth += 1;
            deepest = deepest.max(depth);
            if deepest > stop {
                return deepest;
            }
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return deepest;
            }
            depth -= 1;
        }
    }
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
        assert_eq!(1 + depth_below(statement, usize::MAX), 5003);
        let ranges = [0..deep_text.len(), 0..5];
        assert!(check_depth(&deep, &ranges[..1])
            .unwrap_err()
            .contains("deeper than 1000"));
        // Only the statements that will be matched are measured.
        assert!(check_depth(&deep, &ranges[1..]).is_ok());
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

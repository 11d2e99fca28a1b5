//! The concurrency rewrites measured, not only diffed: `examples/runnable/async_demo.py`
//! counts how many `work()` coroutines run at once and prints the peak on stderr. Before
//! the rewrite its gather starts all 50 at once; after `unbounded-gather` and
//! `sequential-await-loop` no more than `--concurrency-limit` may run, while stdout (the
//! results, in order) stays byte for byte the same.
use perfmod::codemod;
use perfmod::engine::{self, Mode, RuleSet};
use std::collections::HashMap;
use std::process::Command;

const DEMO: &str = include_str!("../examples/runnable/async_demo.py");
const ITEMS: u32 = 50;

/// The demo rewritten by the two concurrency rules with the given limit.
fn rewrite(limit: u32) -> String {
    let codemods = codemod::builtin()
        .unwrap()
        .into_iter()
        .filter(|c| matches!(c.id.as_str(), "unbounded-gather" | "sequential-await-loop"))
        .collect();
    let options = HashMap::from([("concurrency-limit".to_string(), limit.to_string())]);
    let rules = RuleSet::new(codemods, options).unwrap();
    let mode = Mode {
        fix: true,
        unsafe_fixes: true,
    };
    let outcome = engine::process(DEMO, &rules, mode, &mut engine::python_parser()).unwrap();
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
    let applied: Vec<&str> = outcome.applied.iter().map(|a| a.rule.as_str()).collect();
    assert!(applied.contains(&"unbounded-gather"), "{applied:?}");
    assert!(applied.contains(&"sequential-await-loop"), "{applied:?}");
    outcome.fixed.expect("the demo is rewritten")
}

/// Runs a version of the demo: (stdout, peak concurrency read from stderr).
fn run(source: &str) -> (String, u32) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("async_demo.py");
    std::fs::write(&path, source).unwrap();
    let out = Command::new("python3").arg(&path).output().expect("python3 runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the demo failed:\n{stderr}");
    let peak = stderr
        .lines()
        .find_map(|line| line.strip_prefix("peak concurrency: "))
        .unwrap_or_else(|| panic!("no peak on stderr:\n{stderr}"))
        .trim()
        .parse()
        .unwrap();
    (String::from_utf8(out.stdout).unwrap(), peak)
}

#[test]
fn rewrite_bounds_peak_concurrency_to_the_limit() {
    let (stdout_before, peak_before) = run(DEMO);
    assert_eq!(peak_before, ITEMS, "the unbounded demo runs every item at once");
    for limit in [10, 3] {
        let (stdout_after, peak_after) = run(&rewrite(limit));
        assert_eq!(stdout_after, stdout_before, "limit {limit}: output changed");
        assert_eq!(peak_after, limit, "limit {limit}: peak concurrency after the rewrite");
    }
}

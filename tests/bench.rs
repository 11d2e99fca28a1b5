//! What each rewrite buys: `perfmod bench` covers every rewriting codemod with
//! the fields its JSON promises (no timing is asserted: tests are not
//! benchmarks), the default selection leaves memory and modernize rules out,
//! and `fix --bench-cmd` reports a speedup and reverts a batch that is not faster.
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn perfmod(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_perfmod"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the perfmod binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn has_python() -> bool {
    Command::new("python3")
        .args(["-c", "pass"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn bench_json_covers_every_rewriting_rule() {
    if !has_python() {
        eprintln!("no python3: skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let output = perfmod(dir.path(), &["bench", "--format", "json", "--budget", "0.5"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    let rules: serde_json::Value =
        serde_json::from_slice(&perfmod(dir.path(), &["rules", "--format", "json"]).stdout).unwrap();
    let rewriting: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["safety"] != "flag")
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(rewriting.len() >= 20, "{rewriting:?}");
    for id in &rewriting {
        assert!(rows.iter().any(|r| r["rule"] == *id), "no benchmark of {id}");
    }
    for row in &rows {
        for field in ["rule", "form", "effect", "python"] {
            assert!(row[field].is_string(), "{field} in {row}");
        }
        for field in [
            "size",
            "before_s",
            "after_s",
            "speedup",
            "speedup_low",
            "speedup_high",
            "before_peak_bytes",
            "after_peak_bytes",
        ] {
            assert!(row[field].is_number(), "{field} in {row}");
        }
        let (low, mid, high) = (
            row["speedup_low"].as_f64().unwrap(),
            row["speedup"].as_f64().unwrap(),
            row["speedup_high"].as_f64().unwrap(),
        );
        assert!(low <= high && mid > 0.0, "{row}");
    }
    let lru = rows.iter().filter(|r| r["rule"] == "list-lru-cache").count();
    assert!(lru >= 3, "list-lru-cache is measured at several sizes");
}

#[test]
fn bench_text_and_selection_by_category() {
    if !has_python() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let output = perfmod(dir.path(), &["bench", "modernize", "--budget", "0.2"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let out = text(&output.stdout);
    assert!(
        out.contains("typing-builtin-generics") && out.contains("speedup"),
        "{out}"
    );
    assert!(!out.contains("list-lru-cache"), "{out}");
    let output = perfmod(dir.path(), &["bench", "no-such-rule"]);
    assert_eq!(output.status.code(), Some(2));
}

/// The after code of every benchmark is perfmod's own rewrite: a benchmark whose
/// code the codemod does not rewrite is refused (it would measure nothing).
#[test]
fn bench_refuses_code_the_codemod_does_not_rewrite() {
    let dir = tempfile::tempdir().unwrap();
    let codemods = dir.path().join("codemods/no-rewrite");
    fs::create_dir_all(&codemods).unwrap();
    fs::write(
        codemods.join("codemod.toml"),
        r#"
id = "no-rewrite"
summary = "s"
message = "m"
category = "memory"
safety = "safe"
min-python = "3.7"
literals = ["list("]

[[pattern]]
query = '(call function: (identifier) @f (#eq? @f "list")) @match'
template = "tuple()"
"#,
    )
    .unwrap();
    fs::write(
        codemods.join("bench.toml"),
        "[[case]]\nform = \"f\"\nsizes = [1]\ncode = \"x = 1\\n\"\ncall = \"x\"\n",
    )
    .unwrap();
    let output = perfmod(dir.path(), &["bench", "no-rewrite", "--codemods", "codemods"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("does not rewrite its code"),
        "{}",
        text(&output.stderr)
    );
}

const REDUCERS: &str = "def total(values):\n    return sum([v * v for v in values])\n";
const TYPED: &str = "from typing import List\n\n\ndef f(x: List[int]) -> None:\n    pass\n";

#[test]
fn memory_and_modernize_rules_only_when_selected() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("reduce.py"), REDUCERS).unwrap();
    fs::write(dir.path().join("typed.py"), TYPED).unwrap();

    let output = perfmod(dir.path(), &["fix", "reduce.py"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert!(text(&output.stdout).is_empty());
    let output = perfmod(dir.path(), &["check", "."]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "nothing by default: {}",
        text(&output.stdout)
    );

    // (The `sum` rewrite is unsafe: a `StopIteration` from an element would
    // become `RuntimeError` in the generator.)
    let output = perfmod(dir.path(), &["fix", "--select", "memory", "--unsafe", "reduce.py"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stdout).contains("+    return sum(v * v for v in values)"));
    let output = perfmod(dir.path(), &["check", "--select", "memory", "."]);
    let out = text(&output.stdout);
    assert!(
        out.contains("materialized-reducer-arg") && out.contains("memory"),
        "{out}"
    );
    assert!(!out.contains("typing-builtin-generics"), "{out}");

    let output = perfmod(dir.path(), &["check", "--select", "modernize", "."]);
    let out = text(&output.stdout);
    assert!(out.contains("typed.py:4:10: typing-builtin-generics"), "{out}");
    assert!(!out.contains("materialized-reducer-arg"), "{out}");
    // By id: the rule whole, every form.
    let output = perfmod(dir.path(), &["check", "--select", "typing-builtin-generics", "."]);
    assert!(text(&output.stdout).contains("typing-builtin-generics"));
    // And from pyproject.toml.
    fs::write(
        dir.path().join("pyproject.toml"),
        "[tool.perfmod]\nselect = [\"speed\", \"memory\"]\n",
    )
    .unwrap();
    let out = text(&perfmod(dir.path(), &["check", "."]).stdout);
    assert!(
        out.contains("materialized-reducer-arg") && !out.contains("typing-builtin-generics"),
        "{out}"
    );
}

/// `any`/`all` of a list comprehension is a speed form (the generator stops at
/// the deciding element), selected by default; `sum` of one is a memory form.
#[test]
fn a_rule_can_have_forms_of_different_effects() {
    let dir = tempfile::tempdir().unwrap();
    let source =
        "def f(values):\n    a = any([v > 3 for v in values])\n    b = sum([v for v in values])\n    return a, b\n";
    fs::write(dir.path().join("forms.py"), source).unwrap();
    let out = text(&perfmod(dir.path(), &["check", "forms.py"]).stdout);
    assert!(out.contains("forms.py:2:9: materialized-reducer-arg"), "{out}");
    assert!(!out.contains("forms.py:3:"), "{out}");
    let out = text(&perfmod(dir.path(), &["check", "--select", "speed,memory", "forms.py"]).stdout);
    assert!(out.contains("forms.py:3:9: materialized-reducer-arg"), "{out}");
    let out = text(
        &perfmod(
            dir.path(),
            &["check", "--select", "ALL", "--ignore", "memory", "forms.py"],
        )
        .stdout,
    );
    assert!(!out.contains("forms.py:3:"), "{out}");
}

/// A rewrite perfmod proves safe (`flags` is bound only to a dict literal).
const SLOW: &str = "def enabled(name):\n    flags = {'debug': True}\n    return name in flags.keys()\n";

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@t")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@t")
        .status()
        .unwrap();
    assert!(status.success());
}

fn slow_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("poll.py"), SLOW).unwrap();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "init"]);
    dir
}

/// A fake benchmark: slow while the file still holds `marker`.
fn slow_while(marker: &str) -> String {
    format!("if grep -q '{marker}' poll.py; then sleep 0.3; fi")
}

#[test]
fn bench_cmd_reports_the_speedup_and_keeps_a_faster_batch() {
    let dir = slow_repo();
    let cmd = slow_while("flags.keys()");
    let output = perfmod(
        dir.path(),
        &[
            "fix",
            "--apply",
            "--bench-cmd",
            &cmd,
            "--bench-runs",
            "3",
            "--bench-min",
            "1.5",
            "poll.py",
        ],
    );
    let err = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(err.contains("3 runs with and without the rewrites"), "{err}");
    assert!(err.contains("x faster with the rewrites (95% interval"), "{err}");
    assert!(err.contains("rewrites kept"), "{err}");
    assert!(text(&fs::read(dir.path().join("poll.py")).unwrap()).contains("return name in flags\n"));
}

#[test]
fn bench_min_reverts_a_batch_that_is_not_faster() {
    let dir = slow_repo();
    let cmd = slow_while("in flags$");
    let output = perfmod(
        dir.path(),
        &[
            "fix",
            "--apply",
            "--bench-cmd",
            &cmd,
            "--bench-runs",
            "2",
            "--bench-min",
            "1.0",
            "poll.py",
        ],
    );
    let err = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("not shown faster than --bench-min 1"), "{err}");
    assert_eq!(fs::read(dir.path().join("poll.py")).unwrap(), SLOW.as_bytes());
    // Without --bench-min the slower batch is reported and kept.
    let output = perfmod(
        dir.path(),
        &["fix", "--apply", "--bench-cmd", &cmd, "--bench-runs", "2", "poll.py"],
    );
    assert_eq!(output.status.code(), Some(0));
    assert!(text(&output.stderr).contains("(slower)"), "{}", text(&output.stderr));
}

#[test]
fn a_failing_bench_cmd_is_an_error_and_keeps_the_rewrites() {
    let dir = slow_repo();
    let output = perfmod(dir.path(), &["fix", "--apply", "--bench-cmd", "exit 3", "poll.py"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("`exit 3` failed without the rewrites"),
        "{}",
        text(&output.stderr)
    );
    assert!(text(&fs::read(dir.path().join("poll.py")).unwrap()).contains("return name in flags\n"));
}

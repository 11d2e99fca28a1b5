//! Verified apply end to end: the `perfmod` binary on a temporary project with
//! user codemods (`--codemods DIR`) built to break things, and a unittest suite.
use perfmod::engine::{self, Mode, RuleSet};
use perfmod::settings::load_codemods;
use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

/// Like the built-in `blocking-sleep-in-async`, minus its `#in-async-function?`
/// guard: in a plain `def` it writes `await` where CPython refuses it, yet
/// tree-sitter parses the result without error.
const SLEEP_ANYWHERE: &str = r#"
id = "sleep-anywhere"
summary = "time.sleep() -> await asyncio.sleep(), without checking the function is async"
message = "use asyncio.sleep"
category = "concurrency"
safety = "safe"
min-python = "3.7"
literals = ["sleep"]

[[pattern]]
query = '''
(expression_statement
  (call function: (_) @callee arguments: (argument_list) @args) @match
  (#qualname? @callee "time.sleep"))
'''
template = "await ${import:asyncio}.sleep${args}"
"#;

/// Compiles, and breaks any caller that needs a list.
const LIST_TO_TUPLE: &str = r#"
id = "list-to-tuple"
summary = "list(x) -> tuple(x)"
message = "a tuple is cheaper"
category = "memory"
safety = "safe"
min-python = "3.7"
literals = ["list("]

[[pattern]]
query = '''
(call function: (identifier) @f arguments: (argument_list . (_) @arg .) (#eq? @f "list")) @match
'''
template = "tuple(${arg})"
"#;

const JOBS: &str = "import time


async def first():
    time.sleep(0)
    return 1


async def second():
    time.sleep(0)
    return 2
";

const NAMES: &str = "def names():
    return list((\"a\", \"b\"))


def letters():
    return list(\"ab\")
";

const TESTS: &str = "import asyncio
import unittest

from app import jobs, names


class AppTest(unittest.TestCase):
    def test_jobs(self):
        self.assertEqual(asyncio.run(jobs.first()) + asyncio.run(jobs.second()), 3)

    def test_names_is_a_list(self):
        self.assertEqual(names.names(), [\"a\", \"b\"])

    def test_letters(self):
        self.assertEqual(len(names.letters()), 2)
";

fn has_python() -> bool {
    Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A temporary directory with `codemods/` (the user codemods) and `proj/`.
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (id, toml) in [("sleep-anywhere", SLEEP_ANYWHERE), ("list-to-tuple", LIST_TO_TUPLE)] {
        let at = dir.path().join("codemods").join(id);
        fs::create_dir_all(&at).unwrap();
        fs::write(at.join("codemod.toml"), toml).unwrap();
    }
    for (path, text) in files {
        let at = dir.path().join("proj").join(path);
        fs::create_dir_all(at.parent().unwrap()).unwrap();
        fs::write(at, text).unwrap();
    }
    dir
}

fn perfmod(dir: &Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_perfmod"))
        .args(args)
        .arg("--codemods")
        .arg(dir.join("codemods"))
        .current_dir(dir.join("proj"))
        .output()
        .unwrap();
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    output
}

fn read(dir: &Path, path: &str) -> String {
    fs::read_to_string(dir.join("proj").join(path)).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const MIXED: &str = "import time


async def a():
    time.sleep(0)


def b():
    time.sleep(0)


async def c():
    time.sleep(0)
";

#[test]
fn await_outside_async_parses_but_does_not_compile() {
    if !has_python() {
        eprintln!("no python3: skipped");
        return;
    }
    let dir = project(&[("mixed.py", MIXED)]);
    // Unverified, the engine rewrites all three sleeps and tree-sitter accepts the result...
    let codemods = load_codemods(Some(&dir.path().join("codemods"))).unwrap();
    let rules = RuleSet::new(
        codemods.into_iter().filter(|c| c.id == "sleep-anywhere").collect(),
        HashMap::new(),
    )
    .unwrap();
    let mode = Mode {
        fix: true,
        unsafe_fixes: false,
    };
    let mut parser = engine::python_parser();
    let unverified = engine::process(MIXED, &rules, mode, &mut parser).unwrap();
    assert_eq!(unverified.applied.len(), 3);
    let fixed = unverified.fixed.unwrap();
    assert!(!parser.parse(&fixed, None).unwrap().root_node().has_error());
    // ...and CPython refuses it.
    let compiled = Command::new("python3")
        .args(["-c", "import sys; compile(sys.stdin.read(), 'mixed.py', 'exec')"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(fixed.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(!compiled.status.success());
    assert!(String::from_utf8_lossy(&compiled.stderr).contains("'await' outside async function"));

    // `fix --apply` drops just that rewrite and keeps the other two.
    let output = perfmod(dir.path(), &["fix", "--apply", "--select", "sleep-anywhere", "."]);
    assert_eq!(output.status.code(), Some(0));
    let err = stderr(&output);
    assert!(
        err.contains("warning: mixed.py:9: sleep-anywhere rewrite left out")
            && err.contains("'await' outside async function"),
        "{err}"
    );
    assert_eq!(
        read(dir.path(), "mixed.py"),
        MIXED
            .replacen("import time\n", "import asyncio\nimport time\n", 1)
            .replace(
                "async def a():\n    time.sleep(0)",
                "async def a():\n    await asyncio.sleep(0)"
            )
            .replace(
                "async def c():\n    time.sleep(0)",
                "async def c():\n    await asyncio.sleep(0)"
            )
    );
}

#[test]
fn a_file_whose_only_rewrite_does_not_compile_is_not_written() {
    if !has_python() {
        eprintln!("no python3: skipped");
        return;
    }
    let only_sync = "import time\n\n\ndef b():\n    time.sleep(0)\n";
    let dir = project(&[("only_sync.py", only_sync)]);
    let path = dir.path().join("proj/only_sync.py");
    let before = fs::metadata(&path).unwrap().modified().unwrap();
    // The dry run with --verify shows nothing to change.
    let dry = perfmod(dir.path(), &["fix", "--verify", "--select", "sleep-anywhere", "."]);
    assert!(dry.stdout.is_empty(), "{}", String::from_utf8_lossy(&dry.stdout));
    let output = perfmod(dir.path(), &["fix", "--apply", "--select", "sleep-anywhere", "."]);
    assert!(stderr(&output).contains("only_sync.py:5: sleep-anywhere rewrite left out"));
    assert_eq!(read(dir.path(), "only_sync.py"), only_sync);
    assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), before);
    // Without --verify, the dry run shows the rewrite tree-sitter accepted.
    let unverified = perfmod(dir.path(), &["fix", "--select", "sleep-anywhere", "."]);
    assert!(String::from_utf8_lossy(&unverified.stdout).contains("+    await asyncio.sleep(0)"));
}

#[test]
fn without_python_only_the_tree_sitter_check_runs() {
    let dir = project(&[("only_sync.py", "import time\n\n\ndef b():\n    time.sleep(0)\n")]);
    let output = Command::new(env!("CARGO_BIN_EXE_perfmod"))
        .args(["fix", "--verify", "--select", "sleep-anywhere", "--codemods"])
        .arg(dir.path().join("codemods"))
        .arg(".")
        .current_dir(dir.path().join("proj"))
        .env("PATH", dir.path().join("no-such-dir"))
        .output()
        .unwrap();
    let err = stderr(&output);
    assert!(
        err.contains("note: `python3` not found; rewrites were checked with tree-sitter only"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("+    await asyncio.sleep(0)"));
    // A --python that cannot be run is an error, before anything is written.
    let output = perfmod(dir.path(), &["fix", "--apply", "--python", "/no/such/python", "."]);
    assert_eq!(output.status.code(), Some(2));
    assert!(read(dir.path(), "only_sync.py").contains("time.sleep(0)"));
}

fn app() -> tempfile::TempDir {
    project(&[
        ("app/__init__.py", ""),
        ("app/jobs.py", JOBS),
        ("app/names.py", NAMES),
        ("test_app.py", TESTS),
    ])
}

const UNITTEST: &str = "python3 -m unittest -q";

// The `--verify-cmd` runs below take the sleeps' rewrites as the ones the tests
// keep: `blocking-sleep-in-async` is unsafe (it adds a suspension point), which
// is what a test suite is there to judge, hence `--unsafe`.

#[test]
fn verify_cmd_reverts_just_the_rewrite_that_breaks_a_test() {
    if !has_python() {
        eprintln!("no python3: skipped");
        return;
    }
    let dir = app();
    let select = "blocking-sleep-in-async,list-to-tuple";
    let output = perfmod(
        dir.path(),
        &[
            "fix",
            "--apply",
            "--unsafe",
            "--select",
            select,
            "--verify-cmd",
            UNITTEST,
        ],
    );
    let err = stderr(&output);
    // Four rewrites: two sleeps, two list() calls; the one in names() breaks a test.
    assert!(err.contains("bisecting 4 rewrites"), "{err}");
    assert!(
        err.contains("verify: reverted list-to-tuple at app/names.py:2"),
        "{err}"
    );
    assert!(err.contains("AssertionError: ('a', 'b') != ['a', 'b']"), "{err}");
    assert!(err.contains("verify: kept 3 of 4"), "{err}");
    assert_eq!(
        output.status.code(),
        Some(1),
        "a reverted rewrite leaves a pending finding"
    );
    let jobs = read(dir.path(), "app/jobs.py");
    assert_eq!(jobs.matches("await asyncio.sleep(0)").count(), 2, "{jobs}");
    assert_eq!(
        read(dir.path(), "app/names.py"),
        NAMES.replace("list(\"ab\")", "tuple(\"ab\")")
    );
    // The tree ends with the command passing.
    let tests = Command::new("sh")
        .args(["-c", UNITTEST])
        .current_dir(dir.path().join("proj"))
        .output()
        .unwrap();
    assert!(tests.status.success());
}

#[test]
fn verify_cmd_that_passes_keeps_everything_in_one_run() {
    if !has_python() {
        eprintln!("no python3: skipped");
        return;
    }
    let dir = app();
    let output = perfmod(
        dir.path(),
        &[
            "fix",
            "--apply",
            "--unsafe",
            "--select",
            "blocking-sleep-in-async",
            "--verify-cmd",
            UNITTEST,
        ],
    );
    assert_eq!(output.status.code(), Some(0));
    assert!(stderr(&output).contains("passes with all 2 rewrites applied"));
    assert_eq!(read(dir.path(), "app/jobs.py").matches("await").count(), 2);
}

#[test]
fn a_command_that_fails_on_its_own_leaves_the_tree_as_it_started() {
    if !has_python() {
        eprintln!("no python3: skipped");
        return;
    }
    let dir = app();
    let select = "blocking-sleep-in-async,list-to-tuple";
    let output = perfmod(
        dir.path(),
        &[
            "fix",
            "--apply",
            "--unsafe",
            "--select",
            select,
            "--verify-cmd",
            "exit 3",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("fails even with every rewrite reverted"));
    assert_eq!(read(dir.path(), "app/jobs.py"), JOBS);
    assert_eq!(read(dir.path(), "app/names.py"), NAMES);
}

#[test]
fn the_run_budget_is_kept() {
    if !has_python() {
        eprintln!("no python3: skipped");
        return;
    }
    let dir = app();
    let select = "blocking-sleep-in-async,list-to-tuple";
    // One run: no room to bisect, so everything is reverted.
    let output = perfmod(
        dir.path(),
        &[
            "fix",
            "--apply",
            "--unsafe",
            "--select",
            select,
            "--verify-cmd",
            UNITTEST,
            "--verify-max-runs",
            "1",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("--verify-max-runs 1 leaves no run"));
    assert_eq!(read(dir.path(), "app/jobs.py"), JOBS);
    assert_eq!(read(dir.path(), "app/names.py"), NAMES);
    // Three runs: all, none, one half; whatever is not proven is reverted untested,
    // and the tree ends on a state the tests passed with.
    let output = perfmod(
        dir.path(),
        &[
            "fix",
            "--apply",
            "--unsafe",
            "--select",
            select,
            "--verify-cmd",
            UNITTEST,
            "--verify-max-runs",
            "3",
        ],
    );
    let err = stderr(&output);
    assert!(
        err.contains("left untested when --verify-max-runs 3 was reached"),
        "{err}"
    );
    assert!(err.contains("(3 runs of at most 3)"), "{err}");
    let tests = Command::new("sh")
        .args(["-c", UNITTEST])
        .current_dir(dir.path().join("proj"))
        .output()
        .unwrap();
    assert!(tests.status.success());
}

/// Runs perfmod like [`perfmod`], with `input` on stdin (the answers of `--interactive`).
fn perfmod_with_input(dir: &Path, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_perfmod"))
        .args(args)
        .arg("--codemods")
        .arg(dir.join("codemods"))
        .current_dir(dir.join("proj"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    output
}

#[test]
fn every_write_path_leaves_out_a_rewrite_that_does_not_compile() {
    if !has_python() {
        eprintln!("no python3: skipped");
        return;
    }
    let dir = project(&[("mixed.py", "import time\n")]);
    let proj = dir.path().join("proj");
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(&proj)
            .output()
            .unwrap()
            .status;
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "stub"]);
    // Every sleep is on a line changed since HEAD, in a function the profile
    // makes hot.
    fs::write(
        proj.join("out.collapsed"),
        "a (mixed.py:4) 10\nb (mixed.py:8) 10\nc (mixed.py:12) 10\n",
    )
    .unwrap();
    let expected = MIXED
        .replacen("import time\n", "import asyncio\nimport time\n", 1)
        .replace(
            "async def a():\n    time.sleep(0)",
            "async def a():\n    await asyncio.sleep(0)",
        )
        .replace(
            "async def c():\n    time.sleep(0)",
            "async def c():\n    await asyncio.sleep(0)",
        );
    let common = ["--select", "sleep-anywhere", "--allow-dirty"];
    let paths: [(&str, &[&str], &str); 4] = [
        ("apply", &["--apply", "mixed.py"], ""),
        (
            "changed lines",
            &["--apply", "--changed-since", "HEAD", "--changed-lines-only"],
            "",
        ),
        (
            "interactive",
            &["--interactive", "--verify-cmd", "python3 -c pass", "mixed.py"],
            "y\ny\ny\n",
        ),
        (
            "hot",
            &["--apply", "--profile", "out.collapsed", "--hot", "100", "mixed.py"],
            "",
        ),
    ];
    for (name, args, answers) in paths {
        fs::write(proj.join("mixed.py"), MIXED).unwrap();
        let args: Vec<&str> = ["fix"].iter().chain(&common).chain(args).copied().collect();
        let output = perfmod_with_input(dir.path(), &args, answers);
        let err = stderr(&output);
        assert!(
            err.contains("warning: mixed.py:9: sleep-anywhere rewrite left out")
                && err.contains("'await' outside async function"),
            "{name}: {err}"
        );
        assert_eq!(read(dir.path(), "mixed.py"), expected, "{name}: {err}");
        assert_eq!(output.status.code(), Some(0), "{name}: {err}");
    }
}

//! perfmod where Python developers work: git hooks, changed-files runs, output
//! formats, editors (stdin), interactive review, shards, completions. Each test
//! drives the built binary in a temporary directory, with real git
//! repositories where git is involved.
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_perfmod");

/// One finding (dict-keys-membership) at 3:20, which `fix` rewrites: `flags`
/// is bound only to a dict literal, so perfmod proves the rewrite safe.
const BAD: &str = "def handler(name):\n    flags = {'debug': True}\n    return name in flags.keys()\n";
const CLEAN: &str = "def add(a, b):\n    return a + b\n";

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// PATH with the built binary first, as a user who installed perfmod has it.
fn path_with_perfmod() -> String {
    let bin_dir = Path::new(BIN).parent().unwrap();
    format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default())
}

/// A command isolated from the user's git config, with CI unset so runs behave
/// as on a developer's machine unless a test says otherwise.
fn command(program: &str, dir: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(dir)
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("PATH", path_with_perfmod())
        .env_remove("CI")
        .env_remove("NO_COLOR");
    cmd
}

fn run(program: &str, dir: &Path, args: &[&str]) -> Output {
    command(program, dir).args(args).stdin(Stdio::null()).output().unwrap()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = run("git", dir, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn perfmod(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = run(BIN, dir, args);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn perfmod_stdin(dir: &Path, args: &[&str], input: &str) -> (i32, String, String) {
    use std::io::Write;
    let mut child = command(BIN, dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A repository with one commit holding `files`.
fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    for (name, text) in files {
        write(dir.path(), name, text);
    }
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "start"]);
    dir
}

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pkg/bad.py", BAD);
    write(dir.path(), "my dir/also bad.py", BAD);
    write(dir.path(), "clean.py", CLEAN);
    let (code, sarif, _) = perfmod(dir.path(), &["check", "--format", "sarif"]);
    assert_eq!(code, 1);
    let log: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let location = &results[1]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "pkg/bad.py");
    assert_eq!(location["region"]["startLine"], 3);
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "my%20dir/also%20bad.py"
    );
    let sarif_path = dir.path().join("out.sarif");
    std::fs::write(&sarif_path, &sarif).unwrap();
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-2.1.0-rtm.5.json");
    let validate = Command::new("python3")
        .args([
            "-c",
            "import json, sys, jsonschema\n\
             schema = json.load(open(sys.argv[1]))\n\
             jsonschema.validators.validator_for(schema).check_schema(schema)\n\
             jsonschema.validate(json.load(open(sys.argv[2])), schema)\n\
             print('valid')",
        ])
        .arg(&schema)
        .arg(&sarif_path)
        .output()
        .expect("python3 runs");
    assert!(
        validate.status.success(),
        "SARIF output does not validate (python3 with jsonschema is needed):\n{}",
        String::from_utf8_lossy(&validate.stderr)
    );
}

#[test]
fn github_annotations_and_statistics() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.py", BAD);
    write(dir.path(), "b.py", BAD);
    let (code, out, _) = perfmod(dir.path(), &["check", "--format", "github", "a.py"]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "::warning file=a.py,line=3,col=20,endLine=3,endColumn=32,title=dict-keys-membership::\
         `.keys()` is redundant here: a dict tests membership itself, without building a view \
         (1.8x at 1,000 lookups, `perfmod bench dict-keys-membership`)\n"
    );
    let (code, out, _) = perfmod(dir.path(), &["check", "--statistics"]);
    assert_eq!(code, 1);
    assert_eq!(out, "2  dict-keys-membership  [*]  2 safe, 0 unsafe\n");
    let (_, out, _) = perfmod(dir.path(), &["check", "--statistics", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(rows[0]["count"], 2);
    let (code, _, err) = perfmod(dir.path(), &["check", "--statistics", "--format", "sarif"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn stdin_filename_reads_the_source_and_applies_that_paths_config() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "strict/pyproject.toml",
        "[tool.perfmod]\nselect = [\"dict-keys-membership\"]\n",
    );
    write(
        dir.path(),
        "lax/pyproject.toml",
        "[tool.perfmod]\nignore = [\"dict-keys-membership\"]\n",
    );
    let (code, out, _) = perfmod_stdin(dir.path(), &["check", "--stdin-filename", "strict/new.py"], BAD);
    assert_eq!(code, 1);
    assert!(out.starts_with("strict/new.py:3:20: dict-keys-membership"), "{out}");
    let (code, out, _) = perfmod_stdin(dir.path(), &["check", "--stdin-filename", "lax/new.py"], BAD);
    assert_eq!((code, out.as_str()), (0, "All checks passed!\n"));

    let (code, out, _) = perfmod_stdin(dir.path(), &["fix", "--stdin-filename", "strict/new.py"], BAD);
    assert_eq!(code, 0);
    assert_eq!(out, BAD.replace("flags.keys()", "flags"));
    let (code, out, _) = perfmod_stdin(dir.path(), &["fix", "--stdin-filename", "lax/new.py"], BAD);
    assert_eq!((code, out.as_str()), (0, BAD));
    // A file that does not parse comes back unchanged, so an editor keeps its buffer.
    let broken = "def f(:\n    return name in {}.keys()\n";
    let (code, out, err) = perfmod_stdin(dir.path(), &["fix", "--stdin-filename", "x.py"], broken);
    assert_eq!((code, out.as_str()), (2, broken), "{err}");
    assert!(!dir.path().join("strict/new.py").exists());
}

#[test]
fn changed_since_narrows_to_changed_files_and_lines() {
    let dir = repo(&[("old.py", BAD), ("other.py", BAD)]);
    let grown = format!("{BAD}\n\ndef later(key):\n    limits = {{'cpu': 2}}\n    return key in limits.keys()\n");
    write(dir.path(), "old.py", &grown);
    write(dir.path(), "new.py", BAD);
    let lines = |out: &str| -> Vec<String> {
        out.lines()
            .filter(|l| l.contains("dict-keys-membership"))
            .map(|l| l.split(": ").next().unwrap().to_string())
            .collect()
    };
    let (code, out, err) = perfmod(dir.path(), &["check", "--changed-since", "HEAD"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(lines(&out), ["new.py:3:20", "old.py:3:20", "old.py:8:19"]);
    let (_, out, _) = perfmod(
        dir.path(),
        &["check", "--changed-since", "HEAD", "--changed-lines-only"],
    );
    assert_eq!(lines(&out), ["new.py:3:20", "old.py:8:19"]);

    let (code, diff, _) = perfmod(dir.path(), &["fix", "--changed-since", "HEAD", "--changed-lines-only"]);
    assert_eq!(code, 1);
    let file_diff = |name: &str| {
        diff.split("--- a/")
            .find(|d| d.starts_with(name))
            .unwrap_or("")
            .to_string()
    };
    let (old, new) = (file_diff("old.py"), file_diff("new.py"));
    assert!(
        old.contains("+    return key in limits\n") && !old.contains("-    return name in flags.keys()"),
        "{diff}"
    );
    assert!(new.contains("+    return name in flags\n"), "{diff}");
    assert!(!diff.contains("other.py"), "{diff}");

    let (code, _, err) = perfmod(dir.path(), &["check", "--changed-since", "no-such-ref"]);
    assert_eq!(code, 2);
    assert!(err.contains("no-such-ref"), "{err}");
    let (code, _, err) = perfmod(dir.path(), &["check", "--changed-lines-only"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn shards_split_the_files_without_overlap() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..30 {
        write(dir.path(), &format!("m{i}.py"), BAD);
    }
    let mut seen = Vec::new();
    for k in 1..=3 {
        let (_, out, _) = perfmod(dir.path(), &["check", "--format", "json", "--shard", &format!("{k}/3")]);
        let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
        assert!(!rows.is_empty() && rows.len() < 30);
        seen.extend(rows.iter().map(|r| r["path"].as_str().unwrap().to_string()));
    }
    seen.sort();
    let mut all: Vec<String> = (0..30).map(|i| format!("m{i}.py")).collect();
    all.sort();
    assert_eq!(seen, all);
    let (code, _, err) = perfmod(dir.path(), &["check", "--shard", "4/3"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..250 {
        write(dir.path(), &format!("m{i}.py"), CLEAN);
    }
    let (code, _, err) = perfmod(dir.path(), &["check"]);
    assert_eq!((code, err.as_str()), (0, ""));
}

#[test]
fn completions_and_man_page_come_from_the_cli_definition() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let (code, out, _) = perfmod(dir.path(), &["completions", shell]);
        assert_eq!(code, 0);
        assert!(out.contains("changed-since"), "{shell}");
    }
    let (code, man, _) = perfmod(dir.path(), &["man"]);
    assert_eq!(code, 0);
    assert!(man.starts_with(".ie") || man.contains(".TH perfmod"), "{man}");
}

/// A bare remote and a clone of it with perfmod's pre-push hook installed.
fn pushed_repo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "--bare", "-b", "main", "remote.git"]);
    let work = dir.path().join("work");
    git(dir.path(), &["clone", "-q", "remote.git", "work"]);
    git(&work, &["checkout", "-q", "-b", "main"]);
    (dir, work)
}

fn push(work: &Path, args: &[&str]) -> (bool, String) {
    let out = run("git", work, &[&["push", "-q", "origin"], args].concat());
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn pre_push_hook_blocks_findings_in_pushed_files_only() {
    let (_dir, work) = pushed_repo();
    let (code, _, err) = perfmod(&work, &["hook", "install"]);
    assert_eq!(code, 0, "{err}");
    let hook = work.join(".git/hooks/pre-push");
    let script = std::fs::read_to_string(&hook).unwrap();
    assert!(script.contains("perfmod hook pre-push"));

    // A clean first push (a new branch on the remote) passes.
    write(&work, "app/clean.py", CLEAN);
    git(&work, &["add", "-A"]);
    git(&work, &["commit", "-q", "-m", "clean"]);
    let (ok, err) = push(&work, &["main"]);
    assert!(ok, "{err}");

    // A push adding a finding is blocked, with the report.
    write(&work, "app/handler.py", BAD);
    git(&work, &["add", "-A"]);
    git(&work, &["commit", "-q", "-m", "bad"]);
    let (ok, err) = push(&work, &["main"]);
    assert!(!ok);
    assert!(err.contains("app/handler.py:3:20: dict-keys-membership"), "{err}");
    assert!(err.contains("Push blocked"), "{err}");
    // What is checked is the pushed commit, not the work tree.
    write(&work, "app/handler.py", CLEAN);
    assert!(!push(&work, &["main"]).0);

    // Skipped once, the finding reaches the remote; later pushes that do not
    // touch that file pass.
    assert!(push(&work, &["--no-verify", "main"]).0);
    git(&work, &["checkout", "-q", "app/handler.py"]);
    write(
        &work,
        "app/clean.py",
        &format!("{CLEAN}\n\ndef sub(a, b):\n    return a - b\n"),
    );
    git(&work, &["commit", "-q", "-am", "more clean"]);
    let (ok, err) = push(&work, &["main"]);
    assert!(ok, "{err}");

    // A new branch is compared with what the remote already has.
    git(&work, &["checkout", "-q", "-b", "feature"]);
    write(&work, "app/feature.py", BAD);
    git(&work, &["add", "-A"]);
    git(&work, &["commit", "-q", "-m", "feature"]);
    let (ok, err) = push(&work, &["feature"]);
    assert!(!ok);
    assert!(
        err.contains("app/feature.py:3:20") && !err.contains("handler.py:3"),
        "{err}"
    );
}

#[test]
fn hook_install_is_idempotent_and_leaves_foreign_hooks_alone() {
    let dir = repo(&[("a.py", CLEAN)]);
    let hook = dir.path().join(".git/hooks/pre-push");
    std::fs::write(&hook, "#!/bin/sh\necho mine\n").unwrap();
    let (code, _, err) = perfmod(dir.path(), &["hook", "install"]);
    assert_eq!(code, 2);
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), "#!/bin/sh\necho mine\n");
    let (code, _, _) = perfmod(dir.path(), &["hook", "install", "--force"]);
    assert_eq!(code, 0);
    let installed = std::fs::read_to_string(&hook).unwrap();
    let (code, _, err) = perfmod(dir.path(), &["hook", "install"]);
    assert_eq!(code, 0);
    assert!(err.contains("already installed"), "{err}");
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), installed);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&hook).unwrap().permissions().mode() & 0o777, 0o755);
}

/// Runs perfmod with `args` on a pseudo-terminal (stdin, stdout and stderr),
/// answering each interactive prompt with the next of `answers` (then `q`), and
/// returns what the terminal showed.
fn on_terminal(dir: &Path, args: &[&str], answers: &[&str], ci: bool) -> (i32, String) {
    const DRIVER: &str = r#"
import os, pty, sys
binary, args, answers = sys.argv[1], sys.argv[2].split(), sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(binary, [binary] + args)
shown, asked = b"", 0
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    shown += chunk
    while shown.count(b"[y,n,a,q,?]? ") > asked:
        os.write(fd, (answers[asked] if asked < len(answers) else "q").encode() + b"\n")
        asked += 1
_, status = os.waitpid(pid, 0)
sys.stdout.write(shown.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
"#;
    let mut driver = command("python3", dir);
    if ci {
        driver.env("CI", "true");
    }
    let out = driver
        .arg("-c")
        .arg(DRIVER)
        .arg(BIN)
        .arg(args.join(" "))
        .args(answers)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// `fix --interactive --unsafe`: the rewrites asked about are the unsafe
/// `blocking-sleep-in-async` ones, which add an import.
fn interactive(dir: &Path, answers: &[&str]) -> (i32, String) {
    on_terminal(dir, &["fix", "--interactive", "--unsafe", "."], answers, false)
}

#[test]
fn progress_bar_only_on_a_terminal_outside_ci_for_large_runs() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..300 {
        write(dir.path(), &format!("m{i}.py"), CLEAN);
    }
    let (code, shown) = on_terminal(dir.path(), &["check", "-j", "1"], &[], false);
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains("/300 files"), "{shown}");
    let (_, shown) = on_terminal(dir.path(), &["check", "-j", "1"], &[], true);
    assert_eq!(shown.trim(), "All checks passed!");
    let (_, shown) = on_terminal(dir.path(), &["check", "m1.py", "m2.py"], &[], false);
    assert_eq!(shown.trim(), "All checks passed!");
}

#[test]
fn interactive_fix_asks_per_rewrite_through_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let three = "import time\n\n\nasync def a():\n    time.sleep(1)\n\n\nasync def b():\n    time.sleep(2)\n\n\n\
                 async def c():\n    time.sleep(3)\n";
    let one = "import time\n\n\nasync def handler():\n    time.sleep(1)\n";
    write(dir.path(), "a.py", three);
    write(dir.path(), "b.py", one);
    // Without `--unsafe` nothing is offered: every rewrite there is unsafe.
    let (code, shown) = on_terminal(dir.path(), &["fix", "--interactive", "."], &["y"], false);
    assert_eq!((code, shown.matches("[y,n,a,q,?]? ").count()), (0, 0), "{shown}");
    assert_eq!(std::fs::read_to_string(dir.path().join("a.py")).unwrap(), three);
    // Skip the first, apply the second, quit at the third: b.py is never asked about.
    let (code, shown) = interactive(dir.path(), &["n", "y", "q"]);
    assert_eq!(code, 0, "{shown}");
    assert_eq!(shown.matches("[y,n,a,q,?]? ").count(), 3, "{shown}");
    assert!(shown.contains("blocking-sleep-in-async"), "{shown}");
    assert!(
        shown.contains("\x1b[32m+    await asyncio.sleep(1)"),
        "coloured hunk:\n{shown}"
    );
    let a = std::fs::read_to_string(dir.path().join("a.py")).unwrap();
    assert_eq!(
        a,
        // The new import in isort's order.
        "import asyncio\nimport time\n\n\nasync def a():\n    time.sleep(1)\n\n\nasync def b():\n    await asyncio.sleep(2)\n\n\n\
         async def c():\n    time.sleep(3)\n"
    );
    assert_eq!(std::fs::read_to_string(dir.path().join("b.py")).unwrap(), one);

    // `a` applies the rest of that rule everywhere without asking again.
    let (code, shown) = interactive(dir.path(), &["a"]);
    assert_eq!(code, 0, "{shown}");
    assert_eq!(shown.matches("[y,n,a,q,?]? ").count(), 1, "{shown}");
    assert!(!std::fs::read_to_string(dir.path().join("a.py"))
        .unwrap()
        .contains("time.sleep"));
    assert!(!std::fs::read_to_string(dir.path().join("b.py"))
        .unwrap()
        .contains("time.sleep"));
}

#[test]
fn pre_commit_hook_entries_run_on_the_files_pre_commit_passes() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml")).unwrap();
    let entries: Vec<&str> = manifest
        .lines()
        .filter_map(|l| l.trim().strip_prefix("entry: perfmod "))
        .collect();
    assert_eq!(entries, ["check", "fix --apply", "check"]);
    assert_eq!(manifest.matches("types: [python]").count(), 3);
    assert_eq!(manifest.lines().filter(|l| l.trim() == "language: python").count(), 3);
    assert_eq!(manifest.matches("stages: [pre-push]").count(), 1);
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.py", BAD);
    write(dir.path(), "b.py", CLEAN);
    let check: Vec<&str> = entries[0].split(' ').chain(["a.py", "b.py"]).collect();
    assert_eq!(perfmod(dir.path(), &check).0, 1);
    let fix: Vec<&str> = entries[1].split(' ').chain(["a.py", "b.py"]).collect();
    assert_eq!(perfmod(dir.path(), &fix).0, 0);
    assert_eq!(perfmod(dir.path(), &check).0, 0);
}

//! The command-line contract, run against the built binary in temporary
//! directories: exit codes, dry run versus `--apply`, file selection,
//! configuration, suppression, output formats, byte-exact preservation, bad
//! input (one `error: path: reason` line each, the rest of the run unaffected,
//! exit 2), the git dirty-tree guard, and SIGKILL during a large `--apply`.
//! Fixture rewrites use the built-in `dict-keys-membership` on a dict
//! literal, a rewrite perfmod proves safe (so `fix --apply` makes it).
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

mod binary;
use binary::{code, perfmod, stderr, stdout, tree};

/// A safe rewrite: `flags` is bound only to a dict literal.
const SLOW: &str = "def enabled(name):\n    flags = {'debug': True}\n    return name in flags.keys()\n";
const FIXED: &str = "def enabled(name):\n    flags = {'debug': True}\n    return name in flags\n";
const CLEAN: &str = "def add(a, b):\n    return a + b\n";
const RULE: &str = "dict-keys-membership";

fn read(dir: &Path, name: &str) -> Vec<u8> {
    fs::read(dir.join(name)).unwrap()
}

/// The `error:` lines of a run's stderr.
fn error_lines(output: &Output) -> Vec<String> {
    stderr(output)
        .lines()
        .filter(|l| l.starts_with("error:"))
        .map(str::to_string)
        .collect()
}

fn is_root() -> bool {
    let probe = tempfile::NamedTempFile::new().unwrap();
    probe.as_file().metadata().unwrap().uid() == 0
}

#[test]
fn exit_codes() {
    let clean = tree(&[("a.py", CLEAN)]);
    assert_eq!(code(&perfmod(clean.path(), &["check"])), 0);
    assert_eq!(code(&perfmod(clean.path(), &["fix"])), 0);

    let slow = tree(&[("a.py", SLOW)]);
    assert_eq!(code(&perfmod(slow.path(), &["check"])), 1);
    assert_eq!(code(&perfmod(slow.path(), &["fix"])), 1, "a pending diff exits 1");
    assert_eq!(code(&perfmod(slow.path(), &["fix", "--apply"])), 0);

    // (The broken file calls `.keys()`: files where no codemod's literals occur
    // as they must are never parsed, so their syntax is never checked.)
    let bad = tree(&[("a.py", SLOW), ("b.py", "def f(d):\n    x = (d.keys()\n")]);
    let output = perfmod(bad.path(), &["check"]);
    assert_eq!(code(&output), 2, "a bad file wins over findings");
    assert!(stdout(&output).contains("a.py:3:20: dict-keys-membership"));

    let output = perfmod(clean.path(), &["check", "--select", "no-such-rule"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("unknown rule `no-such-rule`"),
        "{}",
        stderr(&output)
    );
    assert_eq!(code(&perfmod(clean.path(), &["check", "--ignore", "no-such-rule"])), 2);
    assert_eq!(code(&perfmod(clean.path(), &["check", "--no-such-flag"])), 2);
    assert_eq!(code(&perfmod(clean.path(), &["check", "--target-version", "py27"])), 2);
    assert_eq!(code(&perfmod(clean.path(), &["explain", "no-such-rule"])), 2);
    assert_eq!(code(&perfmod(clean.path(), &["--help"])), 0);
}

#[test]
fn dry_run_prints_a_unified_diff_and_touches_nothing() {
    let dir = tree(&[("a.py", SLOW), ("clean.py", CLEAN)]);
    let before = fs::metadata(dir.path().join("a.py")).unwrap().modified().unwrap();
    let output = perfmod(dir.path(), &["fix"]);
    assert_eq!(code(&output), 1);
    assert_eq!(read(dir.path(), "a.py"), SLOW.as_bytes());
    assert_eq!(
        fs::metadata(dir.path().join("a.py")).unwrap().modified().unwrap(),
        before
    );
    let diff = stdout(&output);
    for line in [
        "--- a/a.py",
        "+++ b/a.py",
        "-    return name in flags.keys()",
        "+    return name in flags",
    ] {
        assert!(diff.lines().any(|l| l == line), "missing {line:?} in\n{diff}");
    }
    assert!(!diff.contains("clean.py"));
    assert!(!diff.contains('\x1b'), "no colour when piped");
    assert!(stderr(&output).contains("Would fix 1 finding in 1 file."));
}

#[test]
fn apply_writes_and_a_second_run_finds_nothing() {
    let dir = tree(&[("pkg/a.py", SLOW), ("clean.py", CLEAN)]);
    let output = perfmod(dir.path(), &["fix", "--apply"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(stdout(&output).contains("fixed pkg/a.py: dict-keys-membership ×1"));
    assert_eq!(read(dir.path(), "pkg/a.py"), FIXED.as_bytes());
    assert_eq!(read(dir.path(), "clean.py"), CLEAN.as_bytes());
    assert_eq!(code(&perfmod(dir.path(), &["check"])), 0);
    let again = perfmod(dir.path(), &["fix"]);
    assert_eq!(code(&again), 0);
    assert_eq!(stdout(&again), "");
    assert!(no_temp_files_left(dir.path()));
}

#[test]
fn select_and_ignore() {
    let dir = tree(&[("a.py", SLOW)]);
    assert_eq!(code(&perfmod(dir.path(), &["check", "--select", RULE])), 1);
    assert_eq!(code(&perfmod(dir.path(), &["check", "--ignore", RULE])), 0);
    assert_eq!(code(&perfmod(dir.path(), &["fix", "--apply", "--ignore", RULE])), 0);
    assert_eq!(read(dir.path(), "a.py"), SLOW.as_bytes());
}

#[test]
fn exclude_skips_walked_paths_but_not_named_files() {
    let dir = tree(&[("gen/a.py", SLOW), ("src/b.py", SLOW)]);
    let output = perfmod(dir.path(), &["check", "--exclude", "gen/**"]);
    assert!(!stdout(&output).contains("gen/a.py"));
    assert!(stdout(&output).contains("src/b.py"));
    let output = perfmod(dir.path(), &["check", "--exclude", "gen/**", "gen/a.py"]);
    assert_eq!(code(&output), 1, "a file named on the command line is always processed");
}

#[test]
fn gitignore_is_respected_when_walking_only() {
    let dir = tree(&[
        (".gitignore", "ignored.py\nbuild/\n"),
        ("ignored.py", SLOW),
        ("build/x.py", SLOW),
        ("kept.py", SLOW),
    ]);
    let output = perfmod(dir.path(), &["check"]);
    let text = stdout(&output);
    assert!(text.contains("kept.py"));
    assert!(!text.contains("ignored.py") && !text.contains("build/x.py"), "{text}");
    let output = perfmod(dir.path(), &["check", "ignored.py"]);
    assert_eq!(code(&output), 1, "named files are processed even when ignored");
}

/// The line length rewrites are wrapped at: `[tool.perfmod]`, else
/// `[tool.ruff]`, else `[tool.black]`, else 88.
#[test]
fn line_length_comes_from_perfmod_ruff_or_black() {
    let source = "def f(users):\n    emails = []\n    for u in users:\n        if u.active:\n            emails.append(u.email)\n    return emails\n";
    let one_line = "    emails = [u.email for u in users if u.active]\n";
    let wrapped = "    emails = [\n        u.email\n        for u in users\n        if u.active\n    ]\n";
    let cases = [
        ("", one_line),
        ("[tool.black]\nline-length = 40\n", wrapped),
        (
            "[tool.ruff]\nline-length = 40\n\n[tool.black]\nline-length = 100\n",
            wrapped,
        ),
        (
            "[tool.perfmod]\nline-length = 100\n\n[tool.ruff]\nline-length = 40\n",
            one_line,
        ),
    ];
    for (config, expected) in cases {
        let dir = tree(&[("pyproject.toml", config), ("a.py", source)]);
        let output = perfmod(
            dir.path(),
            &["fix", "--apply", "--select", "append-loop-to-comprehension", "a.py"],
        );
        assert_ne!(code(&output), 2, "{config}: {}", stderr(&output));
        let fixed = String::from_utf8(read(dir.path(), "a.py")).unwrap();
        assert!(fixed.contains(expected), "{config}:\n{fixed}");
    }
}

#[test]
fn pyproject_config_and_requires_python() {
    let dir = tree(&[
        (
            "pyproject.toml",
            "[tool.perfmod]\nignore = [\"dict-keys-membership\"]\n",
        ),
        ("a.py", SLOW),
    ]);
    assert_eq!(code(&perfmod(dir.path(), &["check"])), 0, "config ignore is read");

    // A user codemod that needs Python 3.12 runs only when the project allows it.
    let codemods = tree(&[(
        "needs-py312/codemod.toml",
        "id = \"needs-py312\"\nsummary = \"s\"\nmessage = \"m\"\ncategory = \"test\"\n\
         min-python = \"3.12\"\nliterals = [\"slow\"]\n\n[[pattern]]\n\
         query = '(call function: (identifier) @f (#eq? @f \"slow\")) @match'\n",
    )]);
    let extra = codemods.path().to_str().unwrap();
    for (requires, expected) in [(">=3.11", 0), (">=3.12", 1)] {
        let project = tree(&[
            (
                "pyproject.toml",
                &format!("[project]\nrequires-python = \"{requires}\"\n"),
            ),
            ("a.py", "slow()\n"),
        ]);
        let output = perfmod(project.path(), &["check", "--codemods", extra]);
        assert_eq!(
            code(&output),
            expected,
            "requires-python {requires}: {}",
            stdout(&output)
        );
        // The command line wins over pyproject.toml.
        let output = perfmod(
            project.path(),
            &["check", "--codemods", extra, "--target-version", "py313"],
        );
        assert_eq!(code(&output), 1);
    }
    let bad = tree(&[("pyproject.toml", "[tool.perfmod]\nno-such-key = 1\n"), ("a.py", CLEAN)]);
    assert_eq!(
        code(&perfmod(bad.path(), &["check"])),
        2,
        "unknown config keys are errors"
    );
}

#[test]
fn suppression_comments() {
    let with = |comment: &str| SLOW.replace("flags.keys()", &format!("flags.keys()  {comment}"));
    for (comment, expected) in [
        ("# perfmod: ignore", 0),
        ("# perfmod: ignore[dict-keys-membership]", 0),
        ("# perfmod: ignore[other-rule, dict-keys-membership]", 0),
        ("# perfmod: ignore[other-rule]", 1),
        ("# unrelated", 1),
    ] {
        let dir = tree(&[("a.py", &with(comment))]);
        assert_eq!(code(&perfmod(dir.path(), &["check"])), expected, "{comment}");
        perfmod(dir.path(), &["fix", "--apply"]);
        assert_eq!(
            read(dir.path(), "a.py") == with(comment).as_bytes(),
            expected == 0,
            "{comment}"
        );
    }
}

#[test]
fn json_output_has_every_field() {
    let dir = tree(&[("a.py", SLOW)]);
    let output = perfmod(dir.path(), &["check", "--format", "json"]);
    assert_eq!(code(&output), 1);
    let parsed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let findings = parsed.as_array().unwrap();
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!(f["rule"], RULE);
    assert_eq!(f["path"], "a.py");
    assert_eq!((f["line"].as_u64(), f["column"].as_u64()), (Some(3), Some(20)));
    assert_eq!((f["end_line"].as_u64(), f["end_column"].as_u64()), (Some(3), Some(32)));
    assert!(f["message"].as_str().unwrap().starts_with("`.keys()` is redundant"));
    assert_eq!(f["fixable"], true);
    assert_eq!(f["safety"], "safe");
    assert_eq!(f["unsafe_reason"], serde_json::Value::Null);
    let clean = tree(&[("a.py", CLEAN)]);
    assert_eq!(
        stdout(&perfmod(clean.path(), &["check", "--format", "json"])).trim(),
        "[]"
    );
}

/// Two `.keys()` findings: on a dict literal (safe) and on a parameter
/// (unsafe: perfmod cannot show it is a dict).
const KEYS: &str =
    "LIMITS = {\"cpu\": 2}\n\n\ndef known(name, flags):\n    return name in LIMITS.keys() or name in flags.keys()\n";

#[test]
fn unsafe_findings_say_why_and_only_safe_rewrites_get_the_fix_marker() {
    let dir = tree(&[("a.py", KEYS)]);
    let parsed: serde_json::Value =
        serde_json::from_slice(&perfmod(dir.path(), &["check", "--format", "json"]).stdout).unwrap();
    let findings = parsed.as_array().unwrap();
    assert_eq!(findings.len(), 2);
    assert_eq!(
        (&findings[0]["safety"], &findings[0]["unsafe_reason"]),
        (&"safe".into(), &serde_json::Value::Null)
    );
    assert_eq!(findings[1]["safety"], "unsafe");
    let reason = findings[1]["unsafe_reason"].as_str().unwrap();
    assert!(reason.starts_with("`flags` is not shown to be a dict"), "{reason}");
    assert!(findings[1]["message"]
        .as_str()
        .unwrap()
        .ends_with(&format!("(unsafe: {reason})")));
    let text = stdout(&perfmod(dir.path(), &["check"]));
    assert!(text.contains("a.py:5:20: dict-keys-membership [*] `.keys()`"), "{text}");
    assert!(text.contains("a.py:5:45: dict-keys-membership `.keys()`"), "{text}");
    assert!(
        text.contains("1 fixable with `perfmod fix`; 1 more with `perfmod fix --unsafe`"),
        "{text}"
    );
    // `[*]` only when `fix` (without `--unsafe`) rewrites every finding.
    let statistics = stdout(&perfmod(dir.path(), &["check", "--statistics"]));
    assert_eq!(statistics, "2  dict-keys-membership       1 safe, 1 unsafe\n");
    let statistics = stdout(&perfmod(dir.path(), &["check", "--statistics", "--unsafe"]));
    assert_eq!(statistics, "2  dict-keys-membership  [*]  1 safe, 1 unsafe\n");
    let rows: serde_json::Value = serde_json::from_str(&stdout(&perfmod(
        dir.path(),
        &["check", "--statistics", "--format", "json"],
    )))
    .unwrap();
    assert_eq!(
        (rows[0]["safe"].as_u64(), rows[0]["unsafe"].as_u64()),
        (Some(1), Some(1))
    );
    // `fix` applies the safe one only.
    let output = perfmod(dir.path(), &["fix", "--apply", "a.py"]);
    assert_eq!(code(&output), 0, "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.py")).unwrap(),
        KEYS.replace("LIMITS.keys()", "LIMITS")
    );
}

/// A blocking sleep in `async def`: reported by default, rewritten only with
/// `--unsafe`, and the finding says why (the `await` is a new suspension point).
#[test]
fn blocking_sleep_is_reported_and_rewritten_only_with_unsafe() {
    let sleepy = "import time\n\n\nasync def poll():\n    time.sleep(1)\n";
    let dir = tree(&[("a.py", sleepy)]);
    let parsed: serde_json::Value =
        serde_json::from_slice(&perfmod(dir.path(), &["check", "--format", "json"]).stdout).unwrap();
    let f = &parsed[0];
    assert_eq!(
        (&f["rule"], &f["safety"]),
        (&"blocking-sleep-in-async".into(), &"unsafe".into())
    );
    let reason = f["unsafe_reason"].as_str().unwrap();
    assert!(reason.starts_with("`await` adds a suspension point"), "{reason}");
    assert!(f["message"].as_str().unwrap().ends_with(&format!("(unsafe: {reason})")));
    let statistics = stdout(&perfmod(dir.path(), &["check", "--statistics"]));
    assert_eq!(statistics, "1  blocking-sleep-in-async       0 safe, 1 unsafe\n");
    let output = perfmod(dir.path(), &["fix", "--apply"]);
    assert_eq!(code(&output), 0, "no safe rewrite pending");
    assert!(stderr(&output).contains("1 unsafe rewrite more can be applied with --unsafe"));
    assert_eq!(read(dir.path(), "a.py"), sleepy.as_bytes());
    assert_eq!(code(&perfmod(dir.path(), &["fix", "--apply", "--unsafe"])), 0);
    assert_eq!(
        String::from_utf8(read(dir.path(), "a.py")).unwrap(),
        "import asyncio\n\n\nasync def poll():\n    await asyncio.sleep(1)\n"
    );
}

#[test]
fn output_does_not_depend_on_thread_count() {
    let names: Vec<String> = (0..40).map(|i| format!("d{}/m{i}.py", i % 7)).collect();
    let files: Vec<(&str, &str)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), if i % 3 == 0 { CLEAN } else { SLOW }))
        .chain([("broken.py", "def (:\n")])
        .collect();
    let dir = tree(&files);
    for command in [&["check"][..], &["check", "--format", "json"], &["fix"]] {
        let one = perfmod(dir.path(), &[command, &["--jobs", "1"]].concat());
        let two = perfmod(dir.path(), &[command, &["--jobs", "2"]].concat());
        assert_eq!(stdout(&one), stdout(&two), "{command:?}");
        assert_eq!(stderr(&one), stderr(&two), "{command:?}");
    }
}

/// The fixture is a rewrite that replaces an import (`import time` ->
/// `import asyncio`): the unsafe `blocking-sleep-in-async`, hence `--unsafe`.
#[test]
fn crlf_bom_and_tabs_survive_apply() {
    let before =
        "\u{feff}import time\r\n\r\n\r\nasync def poll():\r\n\tx = 1  # keep\r\n\ttime.sleep(1)\r\n\treturn x\r\n";
    let after = "\u{feff}import asyncio\r\n\r\n\r\nasync def poll():\r\n\tx = 1  # keep\r\n\tawait asyncio.sleep(1)\r\n\treturn x\r\n";
    let dir = tree(&[("a.py", before)]);
    assert_eq!(code(&perfmod(dir.path(), &["fix", "--apply", "--unsafe"])), 0);
    assert_eq!(String::from_utf8(read(dir.path(), "a.py")).unwrap(), after);
    // Mixed CRLF and LF endings: each line keeps its own.
    let mixed = "import time\r\n\n\nasync def poll():\n    time.sleep(1)\r\n    return 1\n";
    let dir = tree(&[("a.py", mixed)]);
    assert_eq!(code(&perfmod(dir.path(), &["fix", "--apply", "--unsafe"])), 0);
    assert_eq!(
        String::from_utf8(read(dir.path(), "a.py")).unwrap(),
        "import asyncio\r\n\n\nasync def poll():\n    await asyncio.sleep(1)\r\n    return 1\n"
    );
}

#[test]
fn apply_keeps_permissions_and_ownership() {
    let dir = tree(&[("a.py", SLOW)]);
    let path = dir.path().join("a.py");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o754)).unwrap();
    let owner = if is_root() {
        // Only root may give a file away; then ownership must survive too.
        std::os::unix::fs::chown(&path, Some(4321), Some(4322)).unwrap();
        Some((4321, 4322))
    } else {
        None
    };
    assert_eq!(code(&perfmod(dir.path(), &["fix", "--apply"])), 0);
    let meta = fs::metadata(&path).unwrap();
    assert_eq!(read(dir.path(), "a.py"), FIXED.as_bytes());
    assert_eq!(meta.permissions().mode() & 0o7777, 0o754);
    if let Some(owner) = owner {
        assert_eq!((meta.uid(), meta.gid()), owner);
    }
}

#[test]
fn rules_and_explain() {
    let dir = tree(&[]);
    let output = perfmod(dir.path(), &["rules"]);
    assert_eq!(code(&output), 0);
    let line = stdout(&output)
        .lines()
        .find(|l| l.starts_with("blocking-sleep-in-async "))
        .map(str::to_string);
    let line = line.expect("the built-in codemod is listed");
    assert!(line.contains(" unsafe ") && line.contains("py>=3.7"), "{line}");
    // Safe where a guard proves it, unsafe elsewhere.
    let keys = stdout(&output)
        .lines()
        .find(|l| l.starts_with("dict-keys-membership "))
        .map(str::to_string)
        .unwrap();
    assert!(keys.contains(" safe/unsafe "), "{keys}");
    let json: serde_json::Value =
        serde_json::from_slice(&perfmod(dir.path(), &["rules", "--format", "json"]).stdout).unwrap();
    assert!(json.as_array().unwrap().iter().any(|r| r["id"] == RULE));
    let output = perfmod(dir.path(), &["explain", "blocking-sleep-in-async"]);
    assert_eq!(code(&output), 0);
    let text = stdout(&output);
    for part in [
        "# blocking-sleep-in-async",
        "## What it does",
        "## Example",
        "time.sleep(0.5)",
        "await asyncio.sleep(0.5)",
    ] {
        assert!(text.contains(part), "missing {part:?} in\n{text}");
    }
}

/// Every kind of hostile input in one tree: each bad file gets exactly one
/// `error: path: reason` line, good files are still found and fixed, bad files
/// are never written, and the run exits 2.
#[test]
fn bad_input_gets_one_line_each_and_the_run_goes_on() {
    let deep = format!("{SLOW}x = {}1{}\n", "(".repeat(5000), ")".repeat(5000));
    let big = {
        // Generated code of the kind that reaches such sizes: 20 MiB of it.
        let chunk = "def f(a, b):\n    return {'k': [a + b * 2 for _ in range(3)]}\n\n";
        format!("{SLOW}{}", chunk.repeat(20 * 1024 * 1024 / chunk.len() + 1))
    };
    let dir = tree(&[
        ("good.py", SLOW),
        ("latin1_ascii.py", &format!("# -*- coding: latin-1 -*-\n{SLOW}")),
        ("bom.py", &format!("\u{feff}{SLOW}")),
        ("crlf.py", &SLOW.replace('\n', "\r\n")),
        ("tabs.py", &SLOW.replace("    ", "\t")),
        ("formfeed.py", &format!("{SLOW}\x0c\ndef after_formfeed():\n    pass\n")),
        ("empty.py", ""),
        ("deep.py", &deep),
        ("x.py/inner.py", SLOW),
        ("syntax.py", &format!("{SLOW}def broken(:\n    pass\n")),
        ("cr_only.py", &SLOW.replace('\n', "\r")),
        ("nul.py", "import time\x00\n"),
        ("big.py", &big),
    ]);
    let d = dir.path();
    fs::write(d.join("bad_utf8.py"), [SLOW.as_bytes(), b"x = '\xff\xfe'\n"].concat()).unwrap();
    fs::write(
        d.join("latin1.py"),
        [
            b"# -*- coding: latin-1 -*-\n".as_slice(),
            SLOW.as_bytes(),
            b"s = '\xe9t\xe9'\n",
        ]
        .concat(),
    )
    .unwrap();
    fs::write(
        d.join("binary.py"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
    )
    .unwrap();
    // Directory symlinks are not followed, so a loop is no error.
    fs::create_dir(d.join("loop")).unwrap();
    std::os::unix::fs::symlink("..", d.join("loop/up")).unwrap();
    std::os::unix::fs::symlink("does-not-exist.py", d.join("dangling.py")).unwrap();

    let expected_errors: &[(&str, &str)] = &[
        ("bad_utf8.py", "not valid UTF-8"),
        ("latin1.py", "not valid UTF-8"),
        ("binary.py", "NUL bytes"),
        ("nul.py", "NUL bytes"),
        ("syntax.py", "syntax error at 4:12"),
        ("cr_only.py", "CR-only"),
        ("big.py", "over the 10 MiB limit"),
        ("dangling.py", "No such file"),
    ];
    let fine = [
        "good.py",
        "latin1_ascii.py",
        "bom.py",
        "crlf.py",
        "tabs.py",
        "formfeed.py",
        "deep.py",
        "x.py/inner.py",
    ];
    let snapshot = |name: &str| fs::read(d.join(name)).unwrap_or_default();
    let originals: Vec<(String, Vec<u8>)> = fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".py"))
        .map(|n| (n.clone(), snapshot(&n)))
        .collect();

    let started = Instant::now();
    let output = perfmod(d, &["check"]);
    let check_time = started.elapsed();
    assert_eq!(code(&output), 2);
    let errors = error_lines(&output);
    assert_eq!(errors.len(), expected_errors.len(), "{errors:#?}");
    for (name, reason) in expected_errors {
        let matching: Vec<&String> = errors
            .iter()
            .filter(|l| l.starts_with(&format!("error: {name}: ")))
            .collect();
        assert_eq!(matching.len(), 1, "one line for {name}: {errors:#?}");
        assert!(matching[0].contains(reason), "{name}: {}", matching[0]);
    }
    let found = stdout(&output);
    for name in fine {
        assert!(found.contains(&format!("{name}:")), "{name} still checked:\n{found}");
    }
    assert!(!found.contains("empty.py") && !found.contains("syntax.py"));
    assert!(check_time < Duration::from_secs(60), "took {check_time:?}");

    let output = perfmod(d, &["fix", "--apply"]);
    assert_eq!(code(&output), 2);
    // `check` answers deep.py from its first statement alone; `fix` parses it
    // whole, and 5,000 nested brackets are over the depth bound.
    assert_eq!(
        error_lines(&output).len(),
        expected_errors.len() + 1,
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("error: deep.py: nests deeper than 1000 levels"),
        "{}",
        stderr(&output)
    );
    for (name, original) in &originals {
        let now = snapshot(name);
        if fine.contains(&name.as_str()) && name != "deep.py" {
            assert_ne!(&now, original, "{name} was fixed");
            assert!(!String::from_utf8(now).unwrap().contains("flags.keys()"), "{name}");
        } else {
            assert_eq!(&now, original, "{name} must not be touched");
        }
    }
    assert_eq!(
        String::from_utf8(snapshot("crlf.py")).unwrap(),
        FIXED.replace('\n', "\r\n")
    );
    assert_eq!(
        String::from_utf8(snapshot("tabs.py")).unwrap(),
        FIXED.replace("    ", "\t")
    );
    assert!(String::from_utf8(snapshot("formfeed.py"))
        .unwrap()
        .contains("\x0c\ndef after_formfeed"));
}

#[test]
fn unreadable_and_read_only_files() {
    let dir = tree(&[("locked.py", SLOW), ("readonly.py", SLOW), ("good.py", SLOW)]);
    let d = dir.path();
    fs::set_permissions(d.join("locked.py"), fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(d.join("readonly.py"), fs::Permissions::from_mode(0o444)).unwrap();
    let output = perfmod(d, &["fix", "--apply"]);
    assert_eq!(code(&output), 2);
    let errors = error_lines(&output);
    assert!(
        errors
            .iter()
            .any(|l| l == "error: readonly.py: file is read-only; left alone"),
        "{errors:#?}"
    );
    assert_eq!(read(d, "readonly.py"), SLOW.as_bytes());
    assert_eq!(read(d, "good.py"), FIXED.as_bytes());
    if is_root() {
        // Root reads and writes through permission bits, so a mode-000 file is
        // readable here; the non-root branch is what a user sees. The mode-000
        // file has no write bit, so --apply still refuses it as read-only.
        assert!(
            errors
                .iter()
                .any(|l| l.starts_with("error: locked.py: file is read-only")),
            "{errors:#?}"
        );
        assert_eq!(errors.len(), 2);
    } else {
        assert!(
            errors
                .iter()
                .any(|l| l.starts_with("error: locked.py: Permission denied")),
            "{errors:#?}"
        );
    }
    fs::set_permissions(d.join("locked.py"), fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(read(d, "locked.py"), SLOW.as_bytes());
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.email=t@example.com",
            "-c",
            "user.name=t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// The guard protects work git does not hold (unstaged edits, untracked and
/// ignored files) and writes files whose work-tree content equals the index:
/// committed, or staged on purpose (pre-commit's `perfmod-fix` hook).
#[test]
fn apply_refuses_unstaged_files_unless_allow_dirty() {
    let dir = tree(&[
        ("committed.py", SLOW),
        ("modified.py", SLOW),
        ("staged.py", SLOW),
        ("staged_then_edited.py", SLOW),
        ("sub dir/committed.py", SLOW),
        ("ignored_by_git.py", SLOW),
    ]);
    let d = dir.path();
    git(d, &["init", "-q"]);
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "start"]);
    fs::write(d.join(".git/info/exclude"), "ignored_by_git.py\n").unwrap();
    git(d, &["rm", "-q", "--cached", "ignored_by_git.py"]);
    git(d, &["commit", "-qm", "untrack"]);
    fs::write(d.join("modified.py"), format!("{SLOW}# edited\n")).unwrap();
    fs::write(d.join("staged.py"), format!("{SLOW}# staged\n")).unwrap();
    fs::write(d.join("new_staged.py"), SLOW).unwrap();
    fs::write(d.join("staged_then_edited.py"), format!("{SLOW}# staged\n")).unwrap();
    git(d, &["add", "staged.py", "new_staged.py", "staged_then_edited.py"]);
    fs::write(
        d.join("staged_then_edited.py"),
        format!("{SLOW}# staged\n# then edited\n"),
    )
    .unwrap();
    fs::write(d.join("untracked.py"), SLOW).unwrap();

    let output = perfmod(d, &["fix", "--apply", ".", "ignored_by_git.py"]);
    assert_eq!(code(&output), 2);
    let errors = error_lines(&output);
    for name in [
        "modified.py",
        "staged_then_edited.py",
        "untracked.py",
        "ignored_by_git.py",
    ] {
        assert!(
            errors
                .iter()
                .any(|l| l.starts_with(&format!("error: {name}: has uncommitted changes that are not staged"))),
            "{name}: {errors:#?}"
        );
    }
    assert_eq!(errors.len(), 4, "{errors:#?}");
    assert_eq!(read(d, "committed.py"), FIXED.as_bytes());
    assert_eq!(read(d, "sub dir/committed.py"), FIXED.as_bytes());
    assert_eq!(read(d, "new_staged.py"), FIXED.as_bytes());
    assert_eq!(read(d, "staged.py"), format!("{FIXED}# staged\n").as_bytes());
    assert_eq!(read(d, "untracked.py"), SLOW.as_bytes());
    for name in ["modified.py", "staged_then_edited.py"] {
        assert!(
            String::from_utf8(read(d, name)).unwrap().contains("flags.keys()"),
            "{name}"
        );
    }

    let output = perfmod(d, &["fix", "--apply", "--allow-dirty", ".", "ignored_by_git.py"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(read(d, "untracked.py"), FIXED.as_bytes());
    assert_eq!(read(d, "ignored_by_git.py"), FIXED.as_bytes());

    // Outside any git work tree there is nothing to check.
    let plain = tree(&[("a.py", SLOW)]);
    assert_eq!(code(&perfmod(plain.path(), &["fix", "--apply"])), 0);
}

/// The README's `fix --apply --changed-since HEAD --changed-lines-only`, after
/// `git add -u`: the staged edits are rewritten on their changed lines only.
#[test]
fn changed_lines_fix_applies_to_staged_edits() {
    let dir = tree(&[("app.py", SLOW)]);
    let d = dir.path();
    git(d, &["init", "-q"]);
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "start"]);
    let edited = format!("{SLOW}\n\ndef later(key):\n    limits = {{'cpu': 2}}\n    return key in limits.keys()\n");
    fs::write(d.join("app.py"), &edited).unwrap();
    let args = ["fix", "--apply", "--changed-since", "HEAD", "--changed-lines-only"];
    let refused = perfmod(d, &args);
    assert_eq!(code(&refused), 2, "{}", stderr(&refused));
    assert_eq!(read(d, "app.py"), edited.as_bytes());
    git(d, &["add", "-u"]);
    let output = perfmod(d, &args);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let text = String::from_utf8(read(d, "app.py")).unwrap();
    assert!(text.contains("    return name in flags.keys()"), "{text}");
    assert!(text.contains("    return key in limits\n"), "{text}");
}

fn no_temp_files_left(dir: &Path) -> bool {
    temp_files(dir).is_empty()
}

fn temp_files(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                // The result cache is perfmod's own, not a leftover.
                if !path.ends_with(".perfmod_cache") {
                    stack.push(path);
                }
            } else if path.extension().is_none_or(|e| e != "py") {
                found.push(path.file_name().unwrap().to_string_lossy().into_owned());
            }
        }
    }
    found
}

/// SIGKILL at pseudo-random points of a 2,000-file `--apply`: afterwards each
/// file is exactly its old or its new version, never partial; leftover temp
/// files are only `.perfmod-*.tmp` and are never taken for Python files.
#[test]
fn sigkill_during_apply_never_leaves_a_partial_file() {
    const FILES: usize = 2000;
    let old = |i: usize| format!("def f{i}(name):\n    flags = {{'k': {i}}}\n    return name in flags.keys()\n");
    let new = |i: usize| format!("def f{i}(name):\n    flags = {{'k': {i}}}\n    return name in flags\n");
    let name = |i: usize| format!("p{}/m{i}.py", i % 20);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let reset = || {
        for i in 0..FILES {
            let path = d.join(name(i));
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, old(i)).unwrap();
        }
    };
    reset();
    // Calibrate: when the first file (in path order) is written, and when the run ends.
    let first = d.join(name(0));
    let started = Instant::now();
    let mut child = spawn_apply(d);
    let mut first_write = None;
    while child.try_wait().unwrap().is_none() {
        if first_write.is_none() && fs::read_to_string(&first).unwrap() == new(0) {
            first_write = Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let full = started.elapsed();
    let first_write = first_write.unwrap_or_default();
    for i in 0..FILES {
        assert_eq!(fs::read_to_string(d.join(name(i))).unwrap(), new(i));
    }
    assert!(no_temp_files_left(d));

    // A fixed linear congruential sequence of kill delays across the run.
    let mut seed: u64 = 0x5eed;
    let mut killed_midway = 0;
    for _ in 0..6 {
        reset();
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        // Within the writing phase (files are written after all are processed).
        let delay = (full - first_write).mul_f64((seed >> 33) as f64 / (1u64 << 31) as f64);
        let mut child = spawn_apply(d);
        while fs::read_to_string(&first).unwrap() != new(0) && child.try_wait().unwrap().is_none() {
            std::thread::sleep(Duration::from_millis(1));
        }
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        let (mut olds, mut news) = (0, 0);
        for i in 0..FILES {
            let text = fs::read_to_string(d.join(name(i))).unwrap();
            if text == old(i) {
                olds += 1;
            } else if text == new(i) {
                news += 1;
            } else {
                panic!("{} is partial after SIGKILL at {delay:?}:\n{text}", name(i));
            }
        }
        if olds > 0 && news > 0 {
            killed_midway += 1;
        }
        for leftover in temp_files(d) {
            assert!(
                leftover.starts_with(".perfmod-") && leftover.ends_with(".tmp"),
                "unexpected file {leftover}"
            );
        }
    }
    // Leftover temp files are not Python files: a rerun finishes the job.
    let output = perfmod(d, &["fix", "--apply"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(!stdout(&output).contains(".tmp"));
    for i in 0..FILES {
        assert_eq!(fs::read_to_string(d.join(name(i))).unwrap(), new(i));
    }
    eprintln!("sigkill: full run {full:?}, writing from {first_write:?}; {killed_midway} of 6 kills landed mid-write");
    assert!(killed_midway > 0, "no kill landed while files were being written");
}

fn spawn_apply(dir: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_perfmod"))
        .args(["fix", "--apply", "--jobs", "2"])
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn a_broken_user_codemod_is_rejected_before_any_file_is_read() {
    let codemod = |query: &str| {
        format!(
            "id = \"broken\"\nsummary = \"s\"\nmessage = \"m\"\ncategory = \"test\"\n\
             min-python = \"3.8\"\nliterals = [\"slow\"]\n\n[[pattern]]\nquery = '{query}'\n"
        )
    };
    for (query, says) in [
        (
            "(call function: (identifier) @f (#no-such-guard? @f)) @match",
            "unknown guard",
        ),
        ("(call function: (no_such_node) @f) @match", "query"),
        ("(call) @match (string) @match", "exactly one pattern"),
    ] {
        let codemods = tree(&[("broken/codemod.toml", &codemod(query))]);
        let project = tree(&[("a.py", "slow()\n")]);
        let output = perfmod(
            project.path(),
            &["check", "--codemods", codemods.path().to_str().unwrap()],
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(code(&output), 2, "{query}: {stderr}");
        assert!(stderr.contains("broken") && stderr.contains(says), "{query}: {stderr}");
    }
}

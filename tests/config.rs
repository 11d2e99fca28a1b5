//! Configuration at ruff's level, run against the built binary: each file gets
//! its nearest configuration (pyproject.toml `[tool.perfmod]`, `perfmod.toml`,
//! `.perfmod.toml`, or `--config`), and every key does what it says.
//! Fixtures use `dict-keys-membership` on a dict literal (effect speed,
//! selected by default, proven safe, py>=3.0) and `lru-cache-unbounded` (effect modernize, selected only
//! when asked for, safe, py>=3.9).
use std::fs;
use std::path::Path;
use std::process::Output;

mod binary;
use binary::{code, perfmod, tree};

const SLOW: &str = "def enabled(name):\n    flags = {'debug': True}\n    return name in flags.keys()\n";
const CACHED: &str = "from functools import lru_cache\n\n\n@lru_cache(maxsize=None)\ndef f(x):\n    return x\n";
const KEYS: &str = "dict-keys-membership";
const CACHE: &str = "lru-cache-unbounded";

fn out(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn err(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `path: rule` of each finding, sorted.
fn findings(output: &Output) -> Vec<String> {
    let mut found: Vec<String> = out(output)
        .lines()
        .filter_map(|l| {
            let (place, rest) = l.split_once(": ")?;
            let path = place.split(':').next()?;
            Some(format!("{path}: {}", rest.split(' ').next()?))
        })
        .collect();
    found.sort();
    found
}

#[test]
fn each_file_gets_its_nearest_configuration() {
    // Issue 20: `fix --apply A B` applied A's settings to B and wrote
    // functools.cache into a project requiring Python 3.8.
    let dir = tree(&[
        (
            "new/pyproject.toml",
            "[project]\nrequires-python = \">=3.10\"\n[tool.perfmod]\nselect = [\"ALL\"]\n",
        ),
        ("new/a.py", CACHED),
        (
            "old/pyproject.toml",
            "[project]\nrequires-python = \">=3.8\"\n[tool.perfmod]\nselect = [\"lru-cache-unbounded\"]\n",
        ),
        ("old/b.py", CACHED),
        ("old/slow.py", SLOW),
        ("old/sub/pyproject.toml", "[project]\nrequires-python = \">=3.9\"\n"),
        ("old/sub/c.py", CACHED),
        ("old/sub/slow.py", SLOW),
    ]);
    let d = dir.path();
    let output = perfmod(d, &["fix", "--apply", "--no-cache", "new/a.py", "old"]);
    assert_eq!(code(&output), 0, "{}", err(&output));
    assert!(fs::read_to_string(d.join("new/a.py")).unwrap().contains("@cache\n"));
    assert_eq!(
        fs::read_to_string(d.join("old/b.py")).unwrap(),
        CACHED,
        "py38: no functools.cache"
    );
    assert_eq!(
        fs::read_to_string(d.join("old/slow.py")).unwrap(),
        SLOW,
        "old selects one rule"
    );
    // A nested pyproject.toml without [tool.perfmod] keeps the settings above
    // it (select) with its own requires-python.
    assert!(fs::read_to_string(d.join("old/sub/c.py")).unwrap().contains("@cache\n"));
    assert_eq!(fs::read_to_string(d.join("old/sub/slow.py")).unwrap(), SLOW);
}

#[test]
fn per_file_ignores_extend_select_and_extend_exclude() {
    let dir = tree(&[
        (
            "perfmod.toml",
            "select = [\"lru-cache-unbounded\"]\nextend-select = [\"dict-keys-membership\"]\n\
             extend-exclude = [\"generated/**\"]\n\
             [per-file-ignores]\n\"tests/*.py\" = [\"dict-keys-membership\"]\n\"conftest.py\" = [\"modernize\"]\n",
        ),
        ("app.py", SLOW),
        ("cached.py", CACHED),
        ("tests/test_app.py", SLOW),
        ("tests/deep/conftest.py", CACHED),
        ("generated/gen.py", SLOW),
    ]);
    let output = perfmod(dir.path(), &["check", "--no-cache"]);
    assert_eq!(
        findings(&output),
        [format!("app.py: {KEYS}"), format!("cached.py: {CACHE}")],
        "{}{}",
        out(&output),
        err(&output)
    );
    // Named on the command line, an excluded file is still processed (as today
    // with --exclude); per-file-ignores still apply.
    let output = perfmod(dir.path(), &["check", "--no-cache", "tests/test_app.py"]);
    assert_eq!(code(&output), 0, "{}", out(&output));
}

#[test]
fn fixable_and_unfixable_report_but_do_not_rewrite() {
    let both = format!("{CACHED}\n\n{SLOW}");
    for config in [
        "select = [\"ALL\"]\nunfixable = [\"modernize\"]\n",
        "select = [\"ALL\"]\nfixable = [\"dict-keys-membership\"]\n",
    ] {
        let dir = tree(&[(".perfmod.toml", config), ("a.py", &both)]);
        let output = perfmod(dir.path(), &["check", "--no-cache"]);
        assert_eq!(
            findings(&output),
            [format!("a.py: {KEYS}"), format!("a.py: {CACHE}")],
            "{config}"
        );
        assert!(
            out(&output).contains("Found 2 findings (1 fixable"),
            "{config}: {}",
            out(&output)
        );
        let output = perfmod(dir.path(), &["fix", "--apply", "--no-cache"]);
        assert_eq!(code(&output), 0, "{}", err(&output));
        let text = fs::read_to_string(dir.path().join("a.py")).unwrap();
        assert!(text.contains("return name in flags\n"), "{config}: {text}");
        assert!(text.contains("@lru_cache(maxsize=None)"), "{config}: {text}");
    }
}

#[test]
fn standalone_files_and_explicit_config() {
    // `.perfmod.toml` wins over `perfmod.toml`, which wins over pyproject.toml.
    let dir = tree(&[
        ("pyproject.toml", "[tool.perfmod]\nselect = [\"lru-cache-unbounded\"]\n"),
        ("perfmod.toml", "ignore = [\"dict-keys-membership\"]\n"),
        ("a.py", SLOW),
        ("other.toml", "select = [\"dict-keys-membership\"]\n"),
    ]);
    let d = dir.path();
    assert_eq!(code(&perfmod(d, &["check", "--no-cache"])), 0);
    fs::write(d.join(".perfmod.toml"), "select = [\"speed\"]\n").unwrap();
    assert_eq!(code(&perfmod(d, &["check", "--no-cache"])), 1);
    fs::remove_file(d.join(".perfmod.toml")).unwrap();
    let output = perfmod(d, &["check", "--no-cache", "--config", "other.toml"]);
    assert_eq!(findings(&output), [format!("a.py: {KEYS}")]);
    let output = perfmod(d, &["check", "--config", "missing.toml"]);
    assert_eq!(code(&output), 2);
    assert!(
        err(&output).contains("--config missing.toml: no such file"),
        "{}",
        err(&output)
    );
}

#[test]
fn unknown_keys_and_selectors_are_one_line_errors_naming_the_file() {
    let dir = tree(&[("pyproject.toml", "[tool.perfmod]\nselct = [\"x\"]\n"), ("a.py", SLOW)]);
    let output = perfmod(dir.path(), &["check"]);
    assert_eq!(code(&output), 2);
    let stderr = err(&output);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("pyproject.toml: [tool.perfmod]: unknown field `selct`"),
        "{stderr}"
    );

    let dir = tree(&[
        ("perfmod.toml", "per-file-ignores = { \"*.py\" = [\"no-such\"] }\n"),
        ("a.py", SLOW),
    ]);
    let output = perfmod(dir.path(), &["check"]);
    assert_eq!(code(&output), 2);
    assert_eq!(err(&output).lines().count(), 1, "{}", err(&output));
    assert!(
        err(&output).contains("in per-file-ignores: unknown rule `no-such`"),
        "{}",
        err(&output)
    );
}

#[test]
fn file_level_suppression_and_unknown_ids_in_comments() {
    let dir = tree(&[
        ("perfmod.toml", "select = [\"ALL\"]\n"),
        ("all.py", &format!("# perfmod: ignore-file\n{SLOW}")),
        (
            "some.py",
            &format!("# perfmod: ignore-file[{KEYS}]\n{SLOW}\n\n{CACHED}"),
        ),
        (
            "typo.py",
            &SLOW.replace("flags.keys()", "flags.keys()  # perfmod: ignore[dict-keys-membrship]"),
        ),
    ]);
    let d = dir.path();
    let output = perfmod(d, &["check", "--no-cache"]);
    assert_eq!(
        findings(&output),
        [format!("some.py: {CACHE}"), format!("typo.py: {KEYS}")],
        "{}",
        out(&output)
    );
    assert!(
        err(&output)
            .contains("warning: typo.py: line 3: unknown rule `dict-keys-membrship` in a `# perfmod: ignore` comment"),
        "{}",
        err(&output)
    );
    // The same with the result cache warm.
    perfmod(d, &["check"]);
    let output = perfmod(d, &["check"]);
    assert!(
        err(&output).contains("unknown rule `dict-keys-membrship`"),
        "{}",
        err(&output)
    );
    let output = perfmod(d, &["fix", "--apply", "--no-cache"]);
    assert_eq!(code(&output), 0, "{}", err(&output));
    assert!(fs::read_to_string(d.join("all.py")).unwrap().contains("flags.keys()"));
    let some = fs::read_to_string(d.join("some.py")).unwrap();
    assert!(some.contains("flags.keys()") && some.contains("@cache\n"), "{some}");
}

#[test]
fn show_settings_prints_what_applies_to_a_file() {
    let dir = tree(&[
        (
            "pyproject.toml",
            "[project]\nrequires-python = \">=3.9\"\n[tool.ruff]\nline-length = 100\n\
             [tool.perfmod]\nselect = [\"lru-cache-unbounded\", \"unstable-cache-key\"]\nunfixable = [\"modernize\"]\n\
             codemods = [\"my-codemods\"]\n[tool.perfmod.per-file-ignores]\n\"tests/**\" = [\"unstable-cache-key\"]\n",
        ),
        ("my-codemods/.keep", ""),
        ("tests/t.py", ""),
    ]);
    let output = perfmod(dir.path(), &["check", "--show-settings", "tests/t.py"]);
    assert_eq!(code(&output), 0, "{}", err(&output));
    let text = out(&output);
    for line in [
        "file = \"tests/t.py\"",
        "target-version = \"py39\"  # from requires-python of ",
        "select = [\"lru-cache-unbounded\"]",
        "per-file-ignores = [\"unstable-cache-key\"]",
        "unfixable = [\"modernize\"]",
        "line-length = 100",
        "my-codemods\"]",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    let black = tree(&[("pyproject.toml", "[tool.black]\nline-length = 79\n"), ("a.py", "")]);
    assert!(out(&perfmod(black.path(), &["check", "--show-settings", "a.py"])).contains("line-length = 79"));
    let none = tree(&[("a.py", "")]);
    assert!(out(&perfmod(none.path(), &["check", "--show-settings", "a.py"])).contains("line-length = 88"));
}

#[test]
fn codemod_folders_are_relative_to_the_configuration() {
    let codemod = "id = \"no-slow\"\nsummary = \"s\"\nmessage = \"m\"\ncategory = \"test\"\n\
                   min-python = \"3.8\"\nliterals = [\"slow\"]\n\n[[pattern]]\n\
                   query = '(call function: (identifier) @f (#eq? @f \"slow\")) @match'\n";
    let dir = tree(&[
        ("proj/perfmod.toml", "codemods = [\"rules\"]\n"),
        ("proj/rules/no-slow/codemod.toml", codemod),
        ("proj/a.py", "slow()\n"),
    ]);
    // Run from elsewhere: the folder is found relative to proj/perfmod.toml.
    let output = perfmod(dir.path(), &["check", "--no-cache", "proj"]);
    assert_eq!(findings(&output), ["proj/a.py: no-slow"], "{}", err(&output));
}

#[test]
fn missing_paths_do_not_also_pass() {
    let dir = tree(&[("a.py", "x = 1\n")]);
    let output = perfmod(dir.path(), &["check", "a.py", "missing.py"]);
    assert_eq!(code(&output), 2);
    assert!(err(&output).contains("error: missing.py: "), "{}", err(&output));
    assert!(!out(&output).contains("All checks passed!"), "{}", out(&output));
}

/// `--shard K/N` names a file by its path in its repository: absolute or
/// relative spellings, from two checkouts in different folders, split the
/// files the same way, each exactly once.
#[test]
fn shards_agree_across_spellings_and_checkouts() {
    let files: Vec<(String, String)> = (0..40)
        .map(|i| (format!("pkg/sub{}/m{i}.py", i % 3), SLOW.to_string()))
        .collect();
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let first = tree(&borrowed);
    let second = tree(&borrowed);
    for d in [first.path(), second.path()] {
        fs::create_dir(d.join(".git")).unwrap();
    }
    let shard_of = |cwd: &Path, path: &str, k: usize| -> Vec<String> {
        let output = perfmod(cwd, &["check", "--no-cache", "--shard", &format!("{k}/3"), path]);
        let mut found: Vec<String> = findings(&output)
            .into_iter()
            .map(|f| {
                let path = f.split(": ").next().unwrap().to_string();
                let at = path.find("pkg/").unwrap();
                path[at..].to_string()
            })
            .collect();
        found.sort();
        found
    };
    let mut union = Vec::new();
    for k in 1..=3 {
        let relative = shard_of(first.path(), ".", k);
        let absolute = shard_of(Path::new("/"), second.path().to_str().unwrap(), k);
        let from_pkg = shard_of(&second.path().join("pkg"), "../pkg", k);
        assert_eq!(relative, absolute, "shard {k}");
        assert_eq!(relative, from_pkg, "shard {k}");
        union.extend(relative);
    }
    union.sort();
    let mut expected: Vec<String> = files.iter().map(|(p, _)| p.clone()).collect();
    expected.sort();
    assert_eq!(union, expected);
}

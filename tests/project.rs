//! Names imported from other modules of the project: a logger defined in one
//! module is recognised where another imports it, and the result cache
//! re-checks the importing file when the defining module changes.
use std::path::Path;
use std::process::{Command, Output};

fn perfmod(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_perfmod"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("perfmod runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

const LOG_MODULE: &str = "import logging\n\ngen_log = logging.getLogger(\"app.general\")\n";
const NOT_A_LOGGER: &str =
    "class Recorder:\n    def warning(self, message):\n        print(message)\n\n\ngen_log = Recorder()\n";
const WEB: &str =
    "from .log import gen_log\n\n\ndef handle(x):\n    gen_log.warning(\"bad request %s\" % x)\n    gen_log.info(f\"handled {x!r}\")\n";

/// `pkg/log.py` holding `log_module`, `pkg/web.py` using its `gen_log`, and
/// `pkg/absolute.py` importing it by its absolute name.
fn project(log_module: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("src/pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("__init__.py"), "").unwrap();
    std::fs::write(pkg.join("log.py"), log_module).unwrap();
    std::fs::write(pkg.join("web.py"), WEB).unwrap();
    std::fs::write(
        pkg.join("absolute.py"),
        WEB.replace("from .log import", "from pkg.log import"),
    )
    .unwrap();
    dir
}

#[test]
fn a_logger_imported_from_another_module_is_recognised() {
    let dir = project(LOG_MODULE);
    let out = perfmod(
        dir.path(),
        &["check", "--no-cache", "--select", "logging-eager-format", "src"],
    );
    let found = stdout(&out);
    assert!(found.contains("web.py:5:21: logging-eager-format"), "{found}");
    assert!(found.contains("absolute.py:5:21: logging-eager-format"), "{found}");
    // `[*]`: proven a standard-library logger, so the rewrite is safe.
    assert!(found.contains("web.py:6:18: logging-eager-format [*]"), "{found}");
    assert!(found.contains("absolute.py:6:18: logging-eager-format [*]"), "{found}");
    let fixed = perfmod(
        dir.path(),
        &[
            "fix",
            "--no-cache",
            "--select",
            "logging-eager-format",
            "src/pkg/web.py",
        ],
    );
    assert!(
        stdout(&fixed).contains("+    gen_log.info(\"handled %r\", x)"),
        "{}",
        stdout(&fixed)
    );
}

#[test]
fn an_imported_name_that_is_not_a_logger_is_left_alone() {
    let dir = project(NOT_A_LOGGER);
    let out = perfmod(
        dir.path(),
        &["check", "--no-cache", "--select", "logging-eager-format", "src"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn a_change_to_the_defining_module_rechecks_the_importer() {
    let dir = project(LOG_MODULE);
    let args = ["check", "--select", "logging-eager-format", "src/pkg/web.py"];
    assert_eq!(perfmod(dir.path(), &args).status.code(), Some(1));
    std::fs::write(dir.path().join("src/pkg/log.py"), NOT_A_LOGGER).unwrap();
    let after = perfmod(dir.path(), &args);
    assert_eq!(after.status.code(), Some(0), "stale result served: {}", stdout(&after));
    std::fs::write(dir.path().join("src/pkg/log.py"), LOG_MODULE).unwrap();
    assert_eq!(perfmod(dir.path(), &args).status.code(), Some(1));
}

#[test]
fn a_pure_worker_imported_from_the_project_makes_the_pool_cpu_bound() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("__init__.py"), "").unwrap();
    std::fs::write(
        pkg.join("work.py"),
        "def square_sum(n):\n    total = 0\n    for i in range(n):\n        total += i * i\n    return total\n\n\ndef fetch(n):\n    print(n)\n    return n\n",
    )
    .unwrap();
    let pool = |worker: &str| {
        format!(
            "from concurrent.futures import ThreadPoolExecutor\n\nfrom .work import {worker}\n\n\ndef run(ns):\n    with ThreadPoolExecutor(max_workers=4) as pool:\n        return list(pool.map({worker}, ns))\n"
        )
    };
    std::fs::write(pkg.join("pure.py"), pool("square_sum")).unwrap();
    std::fs::write(pkg.join("impure.py"), pool("fetch")).unwrap();
    let out = perfmod(
        dir.path(),
        &["check", "--no-cache", "--select", "cpu-bound-thread-pool", "pkg"],
    );
    let found = stdout(&out);
    assert!(found.contains("pure.py:7:"), "{found}");
    assert!(!found.contains("impure.py"), "{found}");
}

#[test]
fn dataclass_slots_says_whether_the_project_uses_what_slots_remove() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("__init__.py"), "").unwrap();
    std::fs::write(
        pkg.join("model.py"),
        "from dataclasses import dataclass\n\n\n@dataclass\nclass Point:\n    x: int\n    y: int\n",
    )
    .unwrap();
    std::fs::write(
        pkg.join("use.py"),
        "from .model import Point\n\n\ndef origin():\n    return Point(0, 0)\n",
    )
    .unwrap();
    let args = ["check", "--select", "dataclass-slots", "--format", "json", "pkg"];
    let clean = stdout(&perfmod(dir.path(), &args));
    assert!(
        clean.contains("no use found in this project (1 other file names `Point`)"),
        "{clean}"
    );
    // A new file setting an attribute on an instance: the cached result is stale.
    std::fs::write(
        pkg.join("tag.py"),
        "from .model import Point\n\n\ndef tag(p: Point):\n    p.label = 1\n",
    )
    .unwrap();
    let used = stdout(&perfmod(dir.path(), &args));
    assert!(!used.contains("no use found"), "{used}");
    assert!(used.contains("attribute `label` set at pkg/tag.py:5"), "{used}");
}

/// `from module import *` no longer turns a builtin-dependent rule off for
/// the file: a project module is read (its `__all__`, else its public names,
/// its submodules and its own star imports); a module perfmod cannot read
/// leaves the finding, unsafe, naming the star import.
#[test]
fn a_star_import_hides_a_builtin_only_where_the_module_binds_it() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    std::fs::create_dir_all(pkg.join("sub")).unwrap();
    let files = [
        ("__init__.py", ""),
        ("sub/__init__.py", ""),
        ("sub/sorted.py", ""),
        // `sorted` is defined but not listed: not star-imported.
        (
            "listed.py",
            "__all__ = [\"scale\"]\n\n\ndef sorted(values, key):\n    return values\n",
        ),
        ("public.py", "def sorted(values, key):\n    return values\n"),
        ("outer.py", "from .public import *\n"),
        ("dynamic.py", "globals()[\"sor\" + \"ted\"] = len\n"),
    ];
    for (path, text) in files {
        std::fs::write(pkg.join(path), text).unwrap();
    }
    let user = |star: &str| format!("from {star} import *\n\n\ndef shortest(xs):\n    return sorted(xs, key=len)[0]\n");
    for (name, star) in [
        ("uses_listed", ".listed"),
        ("uses_public", ".public"),
        ("uses_outer", ".outer"),
        ("uses_submodule", ".sub"),
        ("uses_dynamic", ".dynamic"),
        ("uses_unknown", "numpy"),
    ] {
        std::fs::write(pkg.join(format!("{name}.py")), user(star)).unwrap();
    }
    let out = stdout(&perfmod(
        dir.path(),
        &["check", "--no-cache", "--select", "sorted-for-extreme", "pkg"],
    ));
    // Not in `__all__`: the builtin, proven (and `key=len` totally ordered).
    assert!(out.contains("uses_listed.py:5:12: sorted-for-extreme [*]"), "{out}");
    // Bound by the module, by a module it star-imports, or a submodule: not the builtin.
    for hidden in ["uses_public.py", "uses_outer.py", "uses_submodule.py"] {
        assert!(!out.contains(hidden), "{hidden}: {out}");
    }
    // Exports perfmod cannot read: reported, unsafe, naming the import.
    for (file, module) in [("uses_dynamic.py", ".dynamic"), ("uses_unknown.py", "numpy")] {
        let line = out
            .lines()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("{file}: {out}"));
        assert!(!line.contains("[*]"), "{line}");
        assert!(
            line.contains(&format!("(unsafe: `from {module} import *` could rebind `sorted`")),
            "{line}"
        );
    }
}

/// A module imported by name is what a star import after it leaves: hidden
/// where the star-imported module binds the name, unsafe where perfmod cannot
/// read it, untouched by a star import before it.
#[test]
fn a_star_import_after_an_import_may_rebind_the_module_name() {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("__init__.py"), "").unwrap();
    std::fs::write(pkg.join("cache.py"), "import functools\n").unwrap();
    // A rule that is safe where proven (perf-counter-for-durations, used
    // before, is unsafe in every form since issue 14).
    let cached =
        |imports: &str| format!("{imports}\n\n\n@functools.lru_cache(maxsize=None)\ndef run(n):\n    return n\n");
    for (name, imports) in [
        ("rebound", "import functools\nfrom .cache import *"),
        ("unread", "import functools\nfrom numpy import *"),
        ("before", "from numpy import *\nimport functools"),
    ] {
        std::fs::write(pkg.join(format!("{name}.py")), cached(imports)).unwrap();
    }
    let out = stdout(&perfmod(
        dir.path(),
        &["check", "--no-cache", "--select", "lru-cache-unbounded", "pkg"],
    ));
    // `pkg.cache` binds `functools` (to the same module, but perfmod does not follow it).
    assert!(!out.contains("rebound.py"), "{out}");
    let unread = out
        .lines()
        .find(|l| l.contains("unread.py"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        !unread.contains("[*]") && unread.contains("(unsafe: `from numpy import *` could rebind `functools`"),
        "{unread}"
    );
    assert!(out.contains("before.py:5:2: lru-cache-unbounded [*]"), "{out}");
}

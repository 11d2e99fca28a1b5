"""Full-scan benchmark: perfmod against ruff and ast-grep over the Python standard library.

Run by hand (not in CI); standard-library Python only:

    python3 bench/scan.py --runs 7

What it does:
1. Creates a throw-away virtualenv in a temporary directory (or reuses `--venv DIR`)
   and pip-installs `ruff` and `ast-grep-cli` from PyPI into it.
2. Builds perfmod with `cargo build --release` (or takes `--perfmod PATH`).
3. Takes the installed standard library (`sysconfig.get_paths()["stdlib"]`) as corpus,
   without site-packages (and without the stdlib's own `venv` package, which perfmod's
   and ruff's walkers skip by name), so every tool sees the same files.
4. Runs every command once untimed (page cache, warm cache), counts files and
   findings per tool from one structured-output run, then times each command `--runs`
   times interleaved round-robin, so machine noise hits all tools alike. Each run is a
   child process whose own rusage `os.wait4` returns: wall time (perf_counter around
   spawn and reap), user+system CPU, and peak RSS (ru_maxrss).
5. Prints a markdown table of medians (and minima), each median wall time as a ratio
   of ruff's, and the issue's targets next to the measured ratios.
6. With `--baseline PATH` (another perfmod binary, e.g. one built from main), also
   times its cold check, check with every rule (`--select ALL`; a baseline that
   predates rule selection, whose default ran every rule, gets plain `check`) and
   fix dry run in the same interleaved rounds and prints each as a ratio of the
   baseline's: a refactor must stay within a few percent.

Every tool writes one short line per finding to /dev/null (ruff `--output-format
concise`, ast-grep `--report-style short`), so no tool pays for rendering source
snippets the others do not print.
"""

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import venv
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
RUFF_SELECT = "PERF,FURB,UP,ASYNC,C4,B019,G004"
# Directory names perfmod's walker (src/discover.rs) and ruff's default `exclude` both skip;
# ast-grep has no such list, so its globs exclude them explicitly.
SKIPPED_DIRS = ["site-packages", "venv"]
RUFF_EXCLUDE = ["--extend-exclude", ",".join(SKIPPED_DIRS)]  # already ruff's defaults; explicit
SG_GLOBS = [g for d in SKIPPED_DIRS for g in ("--globs", f"!{d}/")]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def setup_venv(venv_dir):
    """Returns (ruff, ast-grep) executables of a virtualenv holding both, creating it if needed."""
    bindir = venv_dir / "bin"
    ruff, sg = bindir / "ruff", bindir / "ast-grep"
    if not (ruff.exists() and sg.exists()):
        if not (bindir / "python").exists():
            log(f"creating virtualenv {venv_dir}")
            venv.create(venv_dir, with_pip=True)
        log("pip install ruff ast-grep-cli")
        subprocess.run(
            [str(bindir / "python"), "-m", "pip", "install", "-q", "ruff", "ast-grep-cli"],
            check=True,
        )
    return ruff, sg


def build_perfmod():
    log("cargo build --release")
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=REPO, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    if not target.is_absolute():
        target = REPO / target
    return target / "release" / "perfmod"


def version(exe):
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True)
    return out.stdout.strip()


class Command:
    def __init__(self, name, argv, ok_codes, env=None):
        self.name = name
        self.argv = [str(a) for a in argv]
        self.ok_codes = ok_codes
        self.env = env
        self.wall, self.cpu, self.rss_kb = [], [], []

    def run(self):
        """One timed run: (wall s, user+sys CPU s, peak RSS KiB), from the child's own rusage."""
        start = time.perf_counter()
        proc = subprocess.Popen(
            self.argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        if proc.returncode not in self.ok_codes:
            detail = subprocess.run(self.argv, capture_output=True, text=True, env=self.env)
            sys.exit(
                f"{self.name}: exit {proc.returncode}, expected one of {self.ok_codes}\n"
                f"{' '.join(self.argv)}\n{detail.stderr[-2000:]}"
            )
        return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss

    def record(self):
        wall, cpu, rss = self.run()
        self.wall.append(wall)
        self.cpu.append(cpu)
        self.rss_kb.append(rss)


def count_findings(perfmod, ruff, sg, sgconfig, stdlib, workdir):
    """Files each tool processed and findings it reported, from one extra untimed run each.

    Outputs go to a file and are counted line by line: this process must stay small,
    because a child's ru_maxrss starts at the peak RSS of the process that spawned it
    (Linux carries the RSS high-water mark over fork and exec).
    """
    out_path = workdir / "out.txt"

    def lines(argv, keep=lambda line: True):
        with open(out_path, "w") as out:
            proc = subprocess.run([str(a) for a in argv], stdout=out, stderr=subprocess.PIPE, text=True)
        with open(out_path) as f:
            return sum(1 for line in f if keep(line)), proc.stderr

    def is_finding(line):  # `path:line:col: ...` in perfmod's text and ruff's concise output
        return line.startswith(str(stdlib))

    counts = {}
    out = subprocess.run([str(perfmod), "parse-only", str(stdlib)], capture_output=True, text=True)
    files = out.stdout.split()[2]  # "N of M files parsed without error"
    counts["perfmod"] = (files, lines([perfmod, "check", "--no-cache", stdlib], is_finding)[0])

    files = lines([ruff, "check", "--isolated", *RUFF_EXCLUDE, "--show-files", stdlib], is_finding)[0]
    findings = lines(
        [ruff, "check", "--isolated", *RUFF_EXCLUDE, "--no-cache", "--select", RUFF_SELECT,
         "--preview", "-q", "--output-format", "concise", stdlib],
        is_finding,
    )[0]
    counts["ruff"] = (files, findings)

    findings, stderr = lines(
        [sg, "scan", "-c", sgconfig, "--json=stream", "--inspect", "summary", *SG_GLOBS, stdlib]
    )
    files = "?"
    for line in stderr.splitlines():  # "sg: summary|file: scannedFileCount=N,skippedFileCount=M"
        if "scannedFileCount=" in line:
            files = line.split("scannedFileCount=")[1].split(",")[0]
    counts["ast-grep"] = (files, findings)
    return counts


def knows_select_all(perfmod):
    """Whether this perfmod build selects rules with `ALL` (older ones ran every rule by default)."""
    out = subprocess.run([str(perfmod), "check", "--select", "ALL", "--no-cache", os.devnull], capture_output=True, text=True)
    return "unknown rule" not in out.stderr


def fmt_s(x):
    return f"{x:.3f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7, help="timed runs per command (default 7)")
    ap.add_argument("--venv", type=Path, help="virtualenv to reuse (created if missing)")
    ap.add_argument("--perfmod", type=Path, help="perfmod binary (default: cargo build --release)")
    ap.add_argument("--corpus", type=Path, help="directory to scan (default: the stdlib)")
    ap.add_argument("--baseline", type=Path, help="a perfmod binary to compare against, in the same rounds")
    args = ap.parse_args()

    load_start = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="perfmod-bench-"))
    try:
        ruff, sg = setup_venv(args.venv.resolve() if args.venv else tmp / "venv")
        perfmod = args.perfmod.resolve() if args.perfmod else build_perfmod()
        stdlib = (args.corpus or Path(sysconfig.get_paths()["stdlib"])).resolve()
        sgconfig = BENCH_DIR / "ast-grep" / "sgconfig.yml"
        cache_dir = tmp / "cache"
        warm_env = dict(os.environ, PERFMOD_CACHE_DIR=str(cache_dir))
        workdir = tmp / "cwd"  # no pyproject.toml / .perfmod_cache / ruff.toml around
        workdir.mkdir()
        os.chdir(workdir)

        # perfmod exits 1 on findings and 2 if some file could not be processed (the
        # stdlib's deliberately broken test files); both are normal here.
        pm_ok = (0, 1, 2)
        cmds = [
            Command("perfmod check", [perfmod, "check", "--no-cache", stdlib], pm_ok),
            Command("perfmod check --select ALL", [perfmod, "check", "--no-cache", "--select", "ALL", stdlib], pm_ok),
            Command("perfmod fix (dry run)", [perfmod, "fix", "--no-cache", stdlib], pm_ok),
            Command("perfmod check, warm cache", [perfmod, "check", stdlib], pm_ok, warm_env),
            Command("perfmod check -j1", [perfmod, "check", "--no-cache", "-j1", stdlib], pm_ok),
            Command("perfmod check -j2", [perfmod, "check", "--no-cache", "-j2", stdlib], pm_ok),
            Command(
                "ruff check",
                [ruff, "check", "--isolated", *RUFF_EXCLUDE, "--no-cache", "--select", RUFF_SELECT, "--preview",
                 "-q", "--output-format", "concise", stdlib],
                (0, 1),
            ),
            Command(
                "ast-grep scan",
                [sg, "scan", "-c", sgconfig, "--report-style", "short", *SG_GLOBS, stdlib],
                (0, 1),
            ),
            Command("perfmod parse-only (floor)", [perfmod, "parse-only", stdlib], (0,)),
        ]
        if args.baseline:
            baseline = args.baseline.resolve()
            select_all = ["--select", "ALL"] if knows_select_all(baseline) else []
            cmds += [
                Command("baseline check", [baseline, "check", "--no-cache", stdlib], pm_ok),
                Command("baseline check --select ALL", [baseline, "check", "--no-cache", *select_all, stdlib], pm_ok),
                Command("baseline fix (dry run)", [baseline, "fix", "--no-cache", stdlib], pm_ok),
            ]
        by_name = {c.name: c for c in cmds}

        log("untimed warm-up run of each command (fills the page cache and the warm cache)")
        for c in cmds:
            c.run()
        log("counting files and findings")
        counts = count_findings(perfmod, ruff, sg, sgconfig, stdlib, workdir)

        for i in range(args.runs):
            log(f"round {i + 1}/{args.runs}")
            # Round-robin, starting one command later each round so no tool always
            # runs right after the same neighbour.
            for k in range(len(cmds)):
                cmds[(i + k) % len(cmds)].record()
        load_end = os.getloadavg()
        rss_floor_kb = Command("true", ["true"], (0,)).run()[2]
        # Before the temporary virtualenv goes.
        tools = f"Tools: {version(perfmod)}, {version(ruff)}, {version(sg)}"
    finally:
        os.chdir(REPO)
        shutil.rmtree(tmp, ignore_errors=True)

    ruff_wall = statistics.median(by_name["ruff check"].wall)
    print(f"Corpus: {stdlib} (site-packages excluded)")
    print(
        f"Machine: {platform.machine()}, nproc {os.cpu_count()}, "
        f"load average {load_start[0]:.2f} at start, {load_end[0]:.2f} at end; "
        f"Python {platform.python_version()}"
    )
    print(tools)
    print(
        f"Runs: {args.runs} per command, interleaved round-robin; medians (min). Peak RSS "
        f"includes the harness's own {rss_floor_kb / 1024:.1f} MB (ru_maxrss of `true`)\n"
    )
    print("| command | wall s | CPU s | peak RSS MB | wall / ruff |")
    print("|---|---:|---:|---:|---:|")
    for c in cmds:
        w, cpu = statistics.median(c.wall), statistics.median(c.cpu)
        rss = statistics.median(c.rss_kb) / 1024
        print(
            f"| {c.name} | {fmt_s(w)} ({fmt_s(min(c.wall))}) | {fmt_s(cpu)} ({fmt_s(min(c.cpu))}) "
            f"| {rss:.1f} ({min(c.rss_kb) / 1024:.1f}) | {w / ruff_wall:.2f}x |"
        )

    print("\n| tool | files | findings |")
    print("|---|---:|---:|")
    for tool, (files, findings) in counts.items():
        print(f"| {tool} | {files} | {findings} |")

    med = {c.name: statistics.median(c.wall) for c in cmds}
    if args.baseline:
        if not select_all:
            print("\nThe baseline knows no `--select ALL`: its row is its plain `check`, which ran every rule.")
        print(f"\n| against the baseline ({version(baseline)}) | wall | CPU |")
        print("|---|---:|---:|")
        pairs = [
            ("perfmod check", "baseline check"),
            ("perfmod check --select ALL", "baseline check --select ALL"),
            ("perfmod fix (dry run)", "baseline fix (dry run)"),
        ]
        for new, old in pairs:
            cpu = {n: statistics.median(by_name[n].cpu) for n in (new, old)}
            print(f"| {new} / {old} | {med[new] / med[old]:.3f}x | {cpu[new] / cpu[old]:.3f}x |")
    cold = med["perfmod check"]
    targets = [
        ("cold check <= 1.5x ruff", f"{cold / ruff_wall:.2f}x", cold / ruff_wall <= 1.5),
        ("warm check < 0.15 s", f"{med['perfmod check, warm cache']:.3f} s",
         med["perfmod check, warm cache"] < 0.15),
        (">= 3x faster than ast-grep", f"{med['ast-grep scan'] / cold:.2f}x",
         med["ast-grep scan"] / cold >= 3),
        ("-j2 >= 1.7x faster than -j1",
         f"{med['perfmod check -j1'] / med['perfmod check -j2']:.2f}x",
         med["perfmod check -j1"] / med["perfmod check -j2"] >= 1.7),
    ]
    print("\n| target | measured | met |")
    print("|---|---:|---|")
    for name, measured, met in targets:
        print(f"| {name} | {measured} | {'yes' if met else 'NO'} |")


if __name__ == "__main__":
    main()

"""Diagnostics latency of `perfmod server` after an edit, with a warm server.

Run by hand (not in CI); standard-library Python only:

    python3 bench/server_latency.py --runs 30

What it does:
1. Builds perfmod with `cargo build --release` (or takes `--perfmod PATH`).
2. Makes the documents, each cut at the last top-level statement before line
   5,000: `stdlib-5000`, the standard library's argparse.py and inspect.py one
   after the other (real code, a few findings); `seed-5000`, the example
   project's modules (`examples/seed_app/*.py`) repeated (a worst case: a
   finding every 17 lines).
3. Starts `perfmod server` (stdio, LSP framing), sends `initialize` and `didOpen`
   and waits for the first diagnostics (the cold check: rules compiled, caches
   filled).
4. Times `--runs` edits: each is an incremental `didChange` adding one comment
   line at the end of the document, timed from just before the message is
   written to the arrival of the `publishDiagnostics` for that version. The
   server's debounce (15 ms of quiet before a check) is part of every figure.
5. Also times what the light bulb on a finding costs, as a client that
   resolves code actions lazily (Neovim, VS Code, Helix) asks: the
   `textDocument/codeAction` list for the middle finding's range, then
   `codeAction/resolve` of its quick fix and of "fix all" (edits rendered).
Prints the median, minimum and 90th percentile of each, in milliseconds, and
the server's CPU time per edit (user + system, from /proc: what the latency
would be on an idle core, whatever else the machine runs).
"""

import argparse
import os
import json
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINES = 5000
# Real code, a few findings: 2,600 + 3,400 lines in Python 3.11.
STDLIB_MODULES = ["argparse.py", "inspect.py"]


class Server:
    def __init__(self, binary, cwd):
        self.process = subprocess.Popen(
            [binary, "server"], cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.next_id = 0
        self.last_diagnostics = []

    def send(self, message):
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def read(self):
        length = None
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("the server closed its output")
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
            if line == b"\r\n":
                break
        return json.loads(self.process.stdout.read(length))

    def wait(self, wanted):
        while True:
            message = self.read()
            if wanted(message):
                return message

    def request(self, method, params):
        self.next_id += 1
        request_id = self.next_id
        self.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == request_id and "method" not in m)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics(self, uri, version):
        self.last_diagnostics = self.wait(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"].get("version") == version
        )["params"]["diagnostics"]
        return self.last_diagnostics

    def close(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        return self.process.wait(timeout=10)


def seed_document():
    modules = sorted((ROOT / "examples" / "seed_app").glob("*.py"))
    text = ""
    while text.count("\n") < LINES:
        for module in modules:
            text += module.read_text() + "\n"
    return cut(text)


def cut(text):
    """The text up to the last top-level statement starting before line LINES."""
    lines = text.splitlines(keepends=True)
    end = LINES
    while end > 0 and (lines[end][:1].isspace() or lines[end].startswith((")", "]", "}", "@"))):
        end -= 1
    while end > 0 and lines[end - 1].startswith("@"):
        end -= 1
    return "".join(lines[:end])


def stdlib_document():
    """Standard-library modules one after the other, cut to LINES lines."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    modules = [stdlib / name for name in STDLIB_MODULES]
    if not all(m.exists() for m in modules):
        return None
    return cut("".join(m.read_text() + "\n" for m in modules))


def cpu_ms(pid):
    """User + system CPU time of a process so far (Linux), in ms; None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(binary, name, text, runs, workdir):
    path = workdir / f"{name}.py"
    path.write_text(text)
    uri = path.as_uri()
    server = Server(binary, workdir)
    lazy = {"textDocument": {"codeAction": {"dataSupport": True, "resolveSupport": {"properties": ["edit"]}}}}
    server.request("initialize", {"processId": None, "rootUri": None, "capabilities": lazy})
    server.notify("initialized", {})
    started = time.perf_counter()
    server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
    )
    found = len(server.diagnostics(uri, 1))
    cold = (time.perf_counter() - started) * 1000
    edits = []
    cpu_before = cpu_ms(server.process.pid)
    lines = text.count("\n")
    for run in range(runs):
        version = run + 2
        change = {
            "range": {"start": {"line": lines, "character": 0}, "end": {"line": lines, "character": 0}},
            "text": f"# edit {run}\n",
        }
        lines += 1
        started = time.perf_counter()
        server.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
        )
        server.diagnostics(uri, version)
        edits.append((time.perf_counter() - started) * 1000)
    cpu_after = cpu_ms(server.process.pid)
    cpu_per_edit = None if cpu_before is None else (cpu_after - cpu_before) / runs
    # The light bulb on a finding, as an editor that resolves actions lazily
    # asks for it: the list (no edits), then the edit of the quick fix and of
    # "fix all". The finding is the middle one, the edits made for the text as
    # it is now.
    lists, fixes, fix_alls = [], [], []
    target = server.last_diagnostics[len(server.last_diagnostics) // 2] if server.last_diagnostics else None
    for _ in range(max(3, runs // 5)) if target else []:
        started = time.perf_counter()
        response = server.request(
            "textDocument/codeAction",
            {"textDocument": {"uri": uri}, "range": target["range"], "context": {"diagnostics": [target]}},
        )
        lists.append((time.perf_counter() - started) * 1000)
        for title_start, times in (("perfmod: fix ", fixes), ("perfmod: fix all", fix_alls)):
            action = next((a for a in response["result"] if a["title"].startswith(title_start)), None)
            if action is None:
                continue
            started = time.perf_counter()
            resolved = server.request("codeAction/resolve", action)
            assert "edit" in resolved["result"], resolved
            times.append((time.perf_counter() - started) * 1000)
    code = server.close()
    return {
        "name": name,
        "lines": text.count("\n"),
        "diagnostics": found,
        "cold": cold,
        "edits": edits,
        "cpu_per_edit": cpu_per_edit,
        "lists": lists,
        "fixes": fixes,
        "fix_alls": fix_alls,
        "exit": code,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--perfmod", help="a built perfmod binary (default: cargo build --release)")
    args = parser.parse_args()
    binary = args.perfmod and str(Path(args.perfmod).resolve())
    if binary is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        binary = str(ROOT / "target" / "release" / "perfmod")
    documents = []
    stdlib = stdlib_document()
    if stdlib is not None:
        documents.append(("stdlib-5000", stdlib))
    documents.append(("seed-5000", seed_document()))
    with tempfile.TemporaryDirectory() as workdir:
        results = [measure(binary, name, text, args.runs, Path(workdir)) for name, text in documents]
    print(f"perfmod server, {args.runs} edits per document (ms; debounce of 15 ms included)\n")
    print("| document | lines | diagnostics | first check | edit -> diagnostics: median | min | p90 "
          "| server CPU per edit | code actions on a finding | resolve its fix | resolve fix all |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    median = lambda values: f"{statistics.median(values):.1f}" if values else "-"
    for r in results:
        print(
            f"| {r['name']} | {r['lines']} | {r['diagnostics']} | {r['cold']:.1f} "
            f"| {statistics.median(r['edits']):.1f} | {min(r['edits']):.1f} | {percentile(r['edits'], 0.9):.1f} "
            f"| {'-' if r['cpu_per_edit'] is None else format(r['cpu_per_edit'], '.1f')} "
            f"| {median(r['lists'])} | {median(r['fixes'])} | {median(r['fix_alls'])} |"
        )
        assert r["exit"] == 0, f"server exit code {r['exit']}"


if __name__ == "__main__":
    main()

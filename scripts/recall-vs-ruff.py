#!/usr/bin/env python3
"""Recall of perfmod against ruff's overlapping rules (not CI: installs ruff).

Runs ruff (in a throw-away virtualenv, or RUFF=path) with the rules that cover
the same anti-patterns as perfmod's codemods, and perfmod itself, over the
standard library and the PyPI packages given, matches findings by file and
line (ruff's line inside the lines of perfmod's finding), and prints per rule
pair: found by both / only ruff / only ruff but outside perfmod's definition of
the rule (IN_DEFINITION) / only perfmod, and recall within the definition
(both / (both + only ruff)). Every disagreement is written to
OUT/disagreements.txt (path:line, which tool, the line's text) for reading,
and every ruff finding counted outside a definition to
OUT/outside-definition.txt, with why.

    scripts/recall-vs-ruff.py [--perfmod BIN] [--out DIR] [TREE ...]

TREE defaults to the standard library (/usr/lib/python3.11). To add PyPI
packages: `pip download --no-deps tornado requests rich -d dl` and unzip each
wheel into a directory, then pass those directories.
"""
import argparse
import ast
import collections
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

# ruff rule -> the perfmod codemod covering the same pattern.
PAIRS = {
    "PERF401": "append-loop-to-comprehension",
    "SIM118": "dict-keys-membership",
    "PLR6201": "membership-in-list-literal",
    "UP006": "typing-builtin-generics",
    "UP007": "typing-builtin-generics",
    "UP045": "typing-builtin-generics",
    "G001": "logging-eager-format",
    "G002": "logging-eager-format",
    "G004": "logging-eager-format",
    "C419": "materialized-reducer-arg",
    "B019": "cache-on-method",
    "UP033": "lru-cache-unbounded",
    "FURB192": "sorted-for-extreme",
    "FURB129": "readlines-loop",
    "ASYNC251": "blocking-sleep-in-async",
    "ASYNC210": "blocking-io-in-async",
    "ASYNC230": "blocking-io-in-async",
}


def ruff_binary():
    if os.environ.get("RUFF"):
        return os.environ["RUFF"]
    venv = Path(tempfile.gettempdir()) / "perfmod-recall-ruff"
    ruff = venv / "bin" / "ruff"
    if not ruff.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "ruff"], check=True)
    return str(ruff)


def ruff_findings(ruff, tree):
    out = subprocess.run(
        [ruff, "check", "--isolated", "--no-cache", "--preview", "--target-version", "py310",
         "--select", ",".join(PAIRS), "--output-format", "json", "--exit-zero", str(tree)],
        capture_output=True, text=True, check=True,
    ).stdout
    found = set()
    for item in json.loads(out):
        code = item["code"]
        if code in PAIRS:
            found.add((code, os.path.realpath(item["filename"]), item["location"]["row"]))
    return found


def perfmod_findings(perfmod, tree):
    out = subprocess.run(
        [perfmod, "check", "--no-cache", "--select", "ALL", "--format", "json", "--target-version", "py310",
         str(tree)],
        capture_output=True, text=True,
    ).stdout
    wanted = set(PAIRS.values())
    return {
        (item["rule"], os.path.realpath(item["path"]), item["line"], item["end_line"])
        for item in json.loads(out or "[]")
        if item["rule"] in wanted
    }


def literal_list_membership(path, line):
    """Whether a `x in [...]` of constants (perfmod's definition) is on `line`."""
    try:
        tree = ast.parse(Path(path).read_bytes())
    except (SyntaxError, ValueError):
        return True
    constant = lambda e: isinstance(e, ast.Constant) or (
        isinstance(e, ast.Tuple) and all(constant(x) for x in e.elts))
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and node.lineno <= line <= node.end_lineno:
            for op, right in zip(node.ops, node.comparators):
                if isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, ast.List) and right.elts \
                        and all(constant(e) for e in right.elts):
                    return True
    return False


def annotation_alias(path, line):
    """Whether `line` holds a typing alias inside an evaluated annotation of a
    .py file (perfmod's definition: not a runtime type alias, `cast()`, base
    class or string annotation, nor a stub)."""
    if not path.endswith(".py"):
        return False
    try:
        tree = ast.parse(Path(path).read_bytes())
    except (SyntaxError, ValueError):
        return True
    annotations = []
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign):
            annotations.append(node.annotation)
        elif isinstance(node, ast.arg) and node.annotation:
            annotations.append(node.annotation)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns:
            annotations.append(node.returns)
    aliases = {"List", "Dict", "Set", "FrozenSet", "Tuple", "Type", "Optional", "Union"}
    for annotation in annotations:
        if isinstance(annotation, ast.Constant):
            continue
        for inner in ast.walk(annotation):
            if not (isinstance(inner, ast.Subscript) and inner.lineno <= line <= inner.end_lineno):
                continue
            name = inner.value.attr if isinstance(inner.value, ast.Attribute) else getattr(inner.value, "id", "")
            # A forward reference in the brackets stays a string that
            # `get_type_hints` resolves only inside `typing` generics (3.10).
            forward = any(isinstance(n, ast.Constant) and isinstance(n.value, str) for n in ast.walk(inner.slice))
            if name in aliases and not forward:
                return True
    return False


# Builtins that see the frame they are called in: before Python 3.12 a
# comprehension has its own frame, and after the loop `locals()` would miss the
# loop variable. perfmod leaves loops in a function calling one of them alone.
FRAME_BUILTINS = {"eval", "exec", "locals", "vars", "dir", "super"}


def sees_frame(function):
    """Whether `function` calls a builtin that sees its frame (`eval`, `exec`,
    or, without arguments, `locals()`, `vars()`, `dir()`, `super()`)."""
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in FRAME_BUILTINS
               and (n.func.id in ("eval", "exec") or not (n.args or n.keywords))
               for n in ast.walk(function))


def fresh_list_filled_by_loop(path, line):
    """Whether the `.append` on `line` fills a fresh list the way perfmod's rule
    defines it: the append is the whole body of a loop (under one optional
    `if` without `else`), or of loops nested that way, and the outermost of
    them finds the list fresh: `name = []` (or `list()`) before it in the same
    block, nothing in between mentioning the name; in a function that does not
    look at its own frame (`locals()`, `vars()`, `eval`...). Outside it: ruff
    also flags lists that already hold items (it suggests `extend`), a list
    filled by an inner loop of a loop that does other things too, and loops in
    a function reading its frame. Returns True inside the definition, else
    why not."""
    try:
        tree = ast.parse(Path(path).read_bytes())
    except (SyntaxError, ValueError):
        return True
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    appends = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and n.lineno == line
               and isinstance(n.func, ast.Attribute) and n.func.attr == "append"
               and isinstance(n.func.value, ast.Name)]
    for call in appends:
        name = call.func.value.id
        statement = parents.get(call)
        if not isinstance(statement, ast.Expr):
            continue
        node, nest = statement, True
        # Up through the loops (and single `if`s) whose whole body is the node
        # below (the nest perfmod rewrites), then through anything else.
        while node in parents and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda,
                                                          ast.ClassDef)):
            parent = parents[node]
            nest = nest and isinstance(parent, (ast.For, ast.If)) and parent.body == [node] and not parent.orelse
            node = parent
            if isinstance(node, ast.stmt) and fresh_before(node, name, parents):
                if not (nest and isinstance(node, ast.For)):
                    return "the list is filled by a loop nested in a loop or block that does more"
                function = node
                while function in parents and not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    function = parents[function]
                if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) and sees_frame(function):
                    return "the function reads its own frame (`locals()`, `vars()`, `eval`...)"
                return True
    return "the list is not fresh before the loop (ruff suggests `extend`)"


def fresh_before(statement, name, parents):
    """Whether `name = []` (or `list()`, annotated or not) comes before
    `statement` in its block, with nothing in between mentioning `name`."""
    parent = parents.get(statement)
    block = next((b for b in (getattr(parent, f, None) for f in ("body", "orelse", "finalbody"))
                  if isinstance(b, list) and statement in b), None)
    if block is None:
        return False
    for before in reversed(block[:block.index(statement)]):
        if not any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(before)):
            continue
        if isinstance(before, ast.Assign) and len(before.targets) == 1:
            target, value = before.targets[0], before.value
        elif isinstance(before, ast.AnnAssign):
            target, value = before.target, before.value
        else:
            return False
        return (isinstance(target, ast.Name) and target.id == name
                and (isinstance(value, ast.List) and not value.elts
                     or isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
                     and value.func.id == "list" and not value.args))
    return False


# Rules whose ruff counterpart is wider than perfmod's definition: a ruff
# finding outside it counts apart (tuples, names in the list: no set constant).
# Each answers True inside the definition, else False or why not.
IN_DEFINITION = {
    "PLR6201": literal_list_membership,
    "PERF401": fresh_list_filled_by_loop,
    "UP006": annotation_alias,
    "UP007": annotation_alias,
    "UP045": annotation_alias,
}


def line_of(path, line):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for number, text in enumerate(f, 1):
                if number == line:
                    return text.strip()
    except OSError:
        pass
    return ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--perfmod", default=str(Path(__file__).resolve().parent.parent / "target/release/perfmod"))
    parser.add_argument("--out", default="target/recall")
    parser.add_argument("trees", nargs="*", default=["/usr/lib/python3.11"])
    args = parser.parse_args()
    ruff = ruff_binary()
    version = subprocess.run([ruff, "--version"], capture_output=True, text=True).stdout.strip()
    Path(args.out).mkdir(parents=True, exist_ok=True)
    counts = collections.defaultdict(lambda: [0, 0, 0, 0])
    disagreements = []
    outside_lines = []
    for tree in args.trees:
        by_ruff = ruff_findings(ruff, tree)
        by_perfmod = perfmod_findings(args.perfmod, tree)
        # A perfmod finding spans lines (a whole loop); ruff's line inside it matches.
        spans = collections.defaultdict(list)
        for finding in by_perfmod:
            spans[finding[:2]].append(finding)
        matched = set()
        for code, path, line in sorted(by_ruff):
            rule = PAIRS[code]
            hits = [f for f in spans[(rule, path)] if f[2] <= line <= f[3]]
            if hits:
                counts[code][0] += 1
                matched.update(hits)
            elif code in IN_DEFINITION and (why := IN_DEFINITION[code](path, line)) is not True:
                counts[code][3] += 1
                outside_lines.append(f"{code:8} {rule:30} {path}:{line}: {why or 'outside the definition'}: "
                               f"{line_of(path, line)}")
            else:
                counts[code][1] += 1
                disagreements.append(f"only ruff    {code:8} {rule:30} {path}:{line}: {line_of(path, line)}")
        for rule, path, line, _ in sorted(by_perfmod - matched):
            codes = [c for c, r in PAIRS.items() if r == rule]
            counts["/".join(codes)][2] += 1
            disagreements.append(f"only perfmod {'':8} {rule:30} {path}:{line}: {line_of(path, line)}")
    print(f"{version}; trees: {' '.join(args.trees)}")
    print(f"{'ruff rule':22} {'perfmod codemod':30} {'both':>5} {'only ruff':>9} {'outside def.':>12} "
          f"{'only perfmod':>12} {'recall':>7}")
    for code in sorted(counts):
        both, only_ruff, only_perfmod, outside = counts[code]
        rule = PAIRS.get(code) or PAIRS[code.split("/")[0]]
        recall = f"{100 * both / (both + only_ruff):.1f}%" if both + only_ruff else "-"
        print(f"{code:22} {rule:30} {both:5} {only_ruff:9} {outside:12} {only_perfmod:12} {recall:>7}")
    report = Path(args.out) / "disagreements.txt"
    report.write_text("\n".join(disagreements) + "\n")
    (Path(args.out) / "outside-definition.txt").write_text("\n".join(outside_lines) + "\n")
    print(f"disagreements: {report}; ruff findings outside perfmod's definitions, with why: "
          f"{Path(args.out) / 'outside-definition.txt'}")


if __name__ == "__main__":
    main()

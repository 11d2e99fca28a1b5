"""Where perfmod's time goes: attributes each sample of a `perf` profile to one stage.

Run by hand (not in CI); standard-library Python only:

    perf record -F 499 --call-graph dwarf,16384 -o perf.data \\
        target/release/perfmod check --no-cache -j1 STDLIB > /dev/null
    perf script -i perf.data -F comm,tid,ip,sym --inline | python3 bench/perf_breakdown.py

A sample counts for the first stage (in the order below) any frame of its stack
belongs to, so e.g. parsing called from a fixer counts as the fixer's re-parse. The
full-file parse and the fragment parse differ only by the inlined frame of
`perfmod::engine::parse` (the full-file helper), which `--inline` shows.
"""
import collections
import sys

STAGES = [  # (stage, frame substrings)
    ("re-parse after a fix round", ["apply_round"]),
    ("parse, whole file", ["parse (inlined)"]),
    ("parse, prefilter fragment", ["ts_parser_parse"]),
    ("query on the fragment", ["answer_from_fragment"]),
    ("semantic model (Semantic::build)", ["Semantic::build"]),
    ("guards", ["guards::check"]),
    ("query matching", ["ts_query_cursor", "QueryMatches"]),
    ("tree drop", ["ts_tree_delete"]),
    ("prefilter: literals, top-level statements", ["candidates", "aho_corasick", "prefilter"]),
    ("query compile", ["compile_query"]),
    ("rest of find()", ["perfmod::engine::find"]),
    ("reading and decoding files", ["read_to_string", "std::fs", "perfmod::run::decode"]),
]


def main():
    counts, total = collections.Counter(), 0
    for sample in sys.stdin.read().split("\n\n"):
        frames = [line.strip() for line in sample.strip().splitlines()[1:] if line.strip()]
        if not frames:
            continue
        total += 1
        stage = next(
            (name for name, keys in STAGES if any(k in f for f in frames for k in keys)),
            "other",
        )
        counts[stage] += 1
    for stage, n in counts.most_common():
        print(f"{n / total:6.1%}  {stage}")
    print(f"{total} samples")


if __name__ == "__main__":
    main()

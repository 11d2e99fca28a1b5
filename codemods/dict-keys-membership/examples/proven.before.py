# test: runnable
# Receivers perfmod can show are real dicts: the rewrites are safe.
from collections import Counter, OrderedDict, defaultdict
from typing import Dict

LIMITS = {"cpu": 2, "memory": 512}


def known(name):
    return name in LIMITS.keys()


def merge(base: dict[str, int], extra: Dict[str, int]):
    out = {}
    for key in base.keys():
        out[key] = base[key]
    for key in extra.keys():
        out[key] = out.get(key, 0) + extra[key]
    return out


def options(**kwargs):
    return sorted(k for k in kwargs.keys() if not k.startswith("_"))


class Registry:
    entries: dict[str, str]

    def __init__(self):
        self.entries = {}

    def has(self, name):
        return name in self.entries.keys()


def tallies(words):
    counts = Counter(words)
    groups = defaultdict(list)
    ordered = OrderedDict(z=1, a=2)
    return [w for w in counts.keys()], "q" in groups.keys(), list(k for k in ordered.keys())


registry = Registry()
registry.entries["a"] = "b"
print(known("cpu"), known("disk"), merge({"a": 1}, {"a": 2, "b": 3}))
print(options(x=1, _y=2, a=3), registry.has("a"), registry.has("z"))
print(tallies(["b", "a", "b"]))

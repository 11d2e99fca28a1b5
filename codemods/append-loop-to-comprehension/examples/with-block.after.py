# test: runnable
import os
import tempfile
import threading


class Registry:
    def __init__(self, items):
        self.mutex = threading.Lock()
        self.items = items

    def debug_info(self):
        with self.mutex:
            keys = sorted(self.items)
            result = [f"{key}={self.items[key]}" for key in keys if key != "0"]
            return "\n".join(result)


def read_lengths(path):
    with open(path) as f:
        lengths = [len(line) for line in f]
    return lengths


class Quiet:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return True


def print_doubled(items):
    with Quiet():
        doubled = [x * 2 for x in items]
        print(doubled)


path = os.path.join(tempfile.mkdtemp(), "lines.txt")
with open(path, "w") as f:
    f.write("ab\ncde\n")
print(Registry({"0": 1, "b": 2, "a": 3}).debug_info(), read_lengths(path))
print_doubled([1, 2])
print_doubled([1, None])

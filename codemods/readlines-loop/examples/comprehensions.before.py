import sys


def stripped(path):
    with open(path) as handle:
        return [line.strip() for line in handle.readlines() if line.strip()]


def unique_words(path):
    with open(path, encoding="utf-8") as handle:
        return {word for line in handle.readlines() for word in line.split()}


def numbered(path):
    with open(path) as handle:
        return {line: len(line) for line in handle.readlines()}


def stdin_lines():
    return [line.rstrip("\n") for line in sys.stdin.readlines()]

# Unsafe cases, rewritten only with --unsafe. The loop reads the file itself:
# iterating lazily changes what `readline()` returns.
def pairs(path):
    with open(path) as f:
        result = []
        for line in f.readlines():
            if line.startswith("key:"):
                result.append((line, f.readline()))
        return result


# A generator expression iterates later, maybe after the file is closed.
def lazy_lengths(f):
    return (len(line) for line in f.readlines())


# A generator's loop can be suspended while the caller uses the file.
def records(f):
    for line in f.readlines():
        yield line.split(",")

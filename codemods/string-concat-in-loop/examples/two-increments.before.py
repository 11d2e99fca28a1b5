# test: runnable
"""Two `+=` per iteration (and one under an `if`): every one appends, in order."""


def query_string(pairs):
    out = ""
    for key, value in pairs:
        out += key
        if value is not None:
            out += "=" + value
        out += "&"  # separator
    return out


print(query_string([("a", "1"), ("flag", None), ("b", "2")]))

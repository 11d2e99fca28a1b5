# test: runnable
"""Two `+=` per iteration (and one under an `if`): every one appends, in order."""


def query_string(pairs):
    out_parts = []
    for key, value in pairs:
        out_parts.append(key)
        if value is not None:
            out_parts.append("=" + value)
        out_parts.append("&")  # separator
    out = "".join(out_parts)
    return out


print(query_string([("a", "1"), ("flag", None), ("b", "2")]))

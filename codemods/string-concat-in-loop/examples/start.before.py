# test: runnable
"""Accumulators that start from a non-empty string: the start is the first part."""


def render(title, rows):
    text = "== report ==\n"
    for row in rows:
        text += f"{row}\n"
    heading = f"{title}: "
    for row in rows:
        heading += row.upper()
    data = b'\x00'
    for row in rows:
        data += row.encode()
    return text + heading, data


print(render("rows", ["a", "b"]))

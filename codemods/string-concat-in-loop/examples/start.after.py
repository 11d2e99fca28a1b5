# test: runnable
"""Accumulators that start from a non-empty string: the start is the first part."""


def render(title, rows):
    text_parts = ["== report ==\n"]
    for row in rows:
        text_parts.append(f"{row}\n")
    text = "".join(text_parts)
    heading_parts = [f"{title}: "]
    for row in rows:
        heading_parts.append(row.upper())
    heading = "".join(heading_parts)
    data_parts = [b'\x00']
    for row in rows:
        data_parts.append(row.encode())
    data = b''.join(data_parts)
    return text + heading, data


print(render("rows", ["a", "b"]))

# test: runnable
def check_cmd(ranges):
    safe_chars = []
    for first, last in ranges:
        for ch in range(ord(first), ord(last) + 1):
            safe_chars.append(chr(ch))
    safe_chars.append("./-")
    return "".join(safe_chars)


def even_cells(rows):
    out = []
    for row in rows:
        if row:
            # cells of non-empty rows only
            for cell in row:
                if cell % 2 == 0:
                    out.append(cell * 10)
    return out


def pairs(xs, ys):
    found = []
    for x in xs:
        for y in ys:
            if x < y:
                found.append((x, y))
    return found


print(check_cmd([("a", "c"), ("0", "2")]), even_cells([[1, 2], [], [4]]), pairs([1, 2], [2, 3]))

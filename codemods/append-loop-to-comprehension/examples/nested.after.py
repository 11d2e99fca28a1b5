# test: runnable
def check_cmd(ranges):
    safe_chars = [
        chr(ch) for first, last in ranges for ch in range(ord(first), ord(last) + 1)
    ]
    safe_chars.append("./-")
    return "".join(safe_chars)


def even_cells(rows):
    # cells of non-empty rows only
    out = [cell * 10 for row in rows if row for cell in row if cell % 2 == 0]
    return out


def pairs(xs, ys):
    found = [(x, y) for x in xs for y in ys if x < y]
    return found


print(check_cmd([("a", "c"), ("0", "2")]), even_cells([[1, 2], [], [4]]), pairs([1, 2], [2, 3]))

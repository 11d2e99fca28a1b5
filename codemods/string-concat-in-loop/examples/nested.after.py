# test: runnable
"""In a method, under an `if` and a nested loop, with comments; `body_parts` is taken."""


class Report:
    def render(self, rows, body_parts=None):
        body_parts_2 = []
        # one line per row
        for row in rows:
            if row:  # skip empty rows
                for cell in row:
                    body_parts_2.append(f"{cell};")  # cell separator
            body_end = "\n"
        body = ''.join(body_parts_2)
        return body


print(Report().render([[1, 2], [], [3]]))

# test: runnable
"""In a method, under an `if` and a nested loop, with comments; `body_parts` is taken."""


class Report:
    def render(self, rows, body_parts=None):
        body = ''
        # one line per row
        for row in rows:
            if row:  # skip empty rows
                for cell in row:
                    body += f"{cell};"  # cell separator
            body_end = "\n"
        return body


print(Report().render([[1, 2], [], [3]]))

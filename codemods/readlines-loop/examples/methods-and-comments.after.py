class Report:
    def __init__(self, path):
        self.path = path

    def lines(self):
        with open(self.path) as source:
            out = []
            # the whole report
            for line in source:
                out.append(line)
            return out

    def titles(self):
        with open(self.path) as source:
            titles = []
            # every line
            for line in source:
                if line.startswith("#"):
                    titles.append(line)
            return titles


def first_column(path):
    with open(path) as f:
        for row in f:  # comment after the colon stays
            print(row.split(",")[0])

class Report:
    def __init__(self, path):
        self.path = path

    def lines(self):
        with open(self.path) as source:
            out = []
            for line in (
                source  # the whole report
                .readlines()
            ):
                out.append(line)
            return out

    def titles(self):
        with open(self.path) as source:
            titles = []
            for line in source.readlines(  # every line
            ):
                if line.startswith("#"):
                    titles.append(line)
            return titles


def first_column(path):
    with open(path) as f:
        for row in f.readlines():  # comment after the colon stays
            print(row.split(",")[0])

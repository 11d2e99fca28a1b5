class Inventory:
    def __init__(self):
        self.stock = {}

    def missing(self, items):
        return [item for item in items if item not in self.stock.keys()]

    def total(self):
        total = 0
        for item in self.stock.keys():
            total += self.stock[item]
        return total

    def upper(self):
        return {key.upper() for key in self.stock.keys()}


def merged(a, b):
    return {k: a[k] for k in a.keys() if k in (b or {}).keys()}


def lazy(d):
    return (k for k in d.keys())

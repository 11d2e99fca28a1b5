WEEKEND = ("sat", "sun")


class Calendar:
    def is_weekend(self, day):
        return day.lower() in ["sat", "sun"]

    def is_workday(self, day):
        if day not in ["sat", "sun"]:
            return True
        return False


def describe(value):
    kinds = [v for v in value if v in [None, True, -1, 2.5, (1, "a")]]
    return kinds


def check(code):
    return code in [
        200,  # ok
        204,  # no content
    ]


def constant(name):
    return "sat" in ["sat", "sun"] and 0 < len(name) in [3, 4]

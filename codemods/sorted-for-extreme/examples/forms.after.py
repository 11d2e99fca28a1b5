import math


class Leaderboard:
    def __init__(self, scores):
        self.scores = scores

    def best(self):
        return max(self.scores)

    def best_by_name(self):
        # compare as text
        return max(self.scores, key=str)

    def worst(self):
        return min(self.scores)


def lowest(values):
    return min(values) + min(values, key=abs) + math.pi

import builtins
import math


class Leaderboard:
    def __init__(self, scores):
        self.scores = scores

    def best(self):
        return sorted(self.scores, reverse=True)[0]

    def best_by_name(self):
        return sorted(
            self.scores,
            key=str,  # compare as text
            reverse=True,
        )[0]

    def worst(self):
        return builtins.sorted(self.scores)[0]


def lowest(values):
    return sorted(values)[0] + sorted(values, key=abs)[0] + math.pi

from functools import lru_cache


class Solver:
    def solve(self, n):
        @lru_cache(maxsize=None)
        def step(k):
            return k if k < 2 else step(k - 1) + step(k - 2)

        return step(n)

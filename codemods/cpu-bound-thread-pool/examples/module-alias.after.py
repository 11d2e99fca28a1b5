import concurrent.futures as cf


def collatz_steps(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


class Stats:
    def longest(self, numbers):
        with cf.ProcessPoolExecutor() as ex:
            return max(ex.map(collatz_steps, numbers))

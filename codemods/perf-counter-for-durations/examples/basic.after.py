# test: runnable
import time


def timed(work):
    start = time.perf_counter()
    work()
    elapsed = time.perf_counter() - start
    return elapsed


print(timed(lambda: sum(range(1000))) < 5)

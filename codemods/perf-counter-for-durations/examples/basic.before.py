# test: runnable
import time


def timed(work):
    start = time.time()
    work()
    elapsed = time.time() - start
    return elapsed


print(timed(lambda: sum(range(1000))) < 5)

# test: runnable
"""`from time import time as now`, several durations, a method, comments."""

from time import perf_counter


class Job:
    def run(self, steps):
        began = perf_counter()  # start the measurement
        for _ in range(steps):
            if (perf_counter() - began) > 60:
                break
        # report in milliseconds
        return round((perf_counter() - began) * 1000) < 5000


print(Job().run(3))

# test: runnable
"""`from time import time as now`, several durations, a method, comments."""
from time import time as now


class Job:
    def run(self, steps):
        began = now()  # start the measurement
        for _ in range(steps):
            if (now() - began) > 60:
                break
        # report in milliseconds
        return round((now() - began) * 1000) < 5000


print(Job().run(3))

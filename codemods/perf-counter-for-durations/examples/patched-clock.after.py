# test: runnable
# test: unsafe-changes-behaviour
# A test that controls the clock by patching `time.time` (`mock.patch`, and
# freezegun versions that do not patch `perf_counter`) no longer controls the
# measured duration once it is taken with `time.perf_counter()`. Time the
# machine spends suspended is no longer counted either: that is the point of
# the rewrite, but it changes what the program measures.
import time
from unittest import mock


def timed(work):
    start = time.perf_counter()
    work()
    elapsed = time.perf_counter() - start
    return elapsed


with mock.patch("time.time", side_effect=[100.0, 102.5]):
    print("slow call measured:", timed(lambda: None) == 2.5)

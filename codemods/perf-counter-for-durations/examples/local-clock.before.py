def time():
    """A local `time`, not `time.time`."""
    return 0


def time_it():
    start = time()
    return time() - start

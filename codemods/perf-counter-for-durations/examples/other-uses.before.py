import time


def wait_until(deadline):
    start = time.time()
    while time.time() - start < deadline:
        start = time.time()  # rebound
    return start < deadline


def elapsed_since(start):
    start = time.time()
    return start - time.time()


import time

START = time.time()


def uptime():
    return time.time() - START

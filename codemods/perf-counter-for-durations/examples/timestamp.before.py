import time


def record(event, log):
    start = time.time()
    log.append({"event": event, "at": start})  # a wall-clock timestamp
    return time.time() - start

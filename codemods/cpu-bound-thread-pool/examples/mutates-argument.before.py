from concurrent.futures import ThreadPoolExecutor

TOTALS = []


def fill(buffer):
    # Writes into its argument: a process would fill a copy.
    buffer.append(len(buffer))
    return len(buffer)


def record(n):
    TOTALS.append(n)
    return n


def main(buffers):
    with ThreadPoolExecutor() as pool:
        list(pool.map(fill, buffers))
    with ThreadPoolExecutor() as pool:
        list(pool.map(record, range(3)))

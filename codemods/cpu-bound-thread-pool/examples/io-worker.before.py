from concurrent.futures import ThreadPoolExecutor


def checksum(path):
    # I/O: threads are the right tool here.
    with open(path, "rb") as f:
        return sum(f.read())


def log_square(n):
    print(n)
    return n * n


def main(paths):
    with ThreadPoolExecutor(4) as pool:
        sums = list(pool.map(checksum, paths))
    with ThreadPoolExecutor(4) as pool:
        squares = list(pool.map(log_square, sums))
    return squares

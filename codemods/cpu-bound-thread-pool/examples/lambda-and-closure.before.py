from concurrent.futures import ThreadPoolExecutor


def main(numbers, factor):
    def scale(n):
        return n * factor

    with ThreadPoolExecutor() as pool:
        a = list(pool.map(lambda n: n * n, numbers))
    with ThreadPoolExecutor() as pool:
        b = list(pool.map(scale, numbers))
    return a, b

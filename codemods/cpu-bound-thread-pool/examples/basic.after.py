# test: runnable
import concurrent.futures


def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count


if __name__ == "__main__":
    limits = [1000, 5000, 10000, 20000]
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as executor:
        counts = list(executor.map(count_primes, limits))
    print(counts)

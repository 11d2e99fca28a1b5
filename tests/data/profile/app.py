"""Profiled by py-spy for tests/profile.rs: `hot` takes most of the time, `cold` little."""


def cold(values):
    return sorted(values)[0]


def hot(rounds):
    total = 0
    for i in range(rounds):
        if i % 7 in [1, 3, 5]:
            total += sorted([i, 3, 2, 1])[0]
    return total


def main():
    shuffled = [(i * 7919) % 5003 for i in range(5000)]
    for _ in range(60):
        cold(shuffled)
    print(hot(2_000_000))


main()

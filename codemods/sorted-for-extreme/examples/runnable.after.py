# test: runnable
words = ["pear", "fig", "apple", "kiwi", "plum"]
print(min(words), min(words, key=len), max(words, key=len))
print(max(words), min([3, 1, 2], key=lambda n: -n))
# Ties keep the first equal element in both versions.
pairs = [(1, "a"), (0, "b"), (1, "c"), (0, "d")]
print(min(pairs, key=lambda p: p[0]), max(pairs, key=lambda p: p[0]))

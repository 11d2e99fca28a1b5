# test: runnable
words = ["pear", "fig", "apple", "kiwi", "plum"]
print(sorted(words)[0], sorted(words, key=len)[0], sorted(words, key=len, reverse=True)[0])
print(sorted(words, reverse=True)[0], sorted([3, 1, 2], key=lambda n: -n)[0])
# Ties keep the first equal element in both versions.
pairs = [(1, "a"), (0, "b"), (1, "c"), (0, "d")]
print(sorted(pairs, key=lambda p: p[0])[0], sorted(pairs, key=lambda p: p[0], reverse=True)[0])

# test: runnable
# Needles of every hashable kind give the same answers against the set.
for needle in [1, 1.0, True, "sat", None, (1, "a"), -2, 3]:
    print(needle, needle in [1, "sat", None, (1, "a"), -2], needle not in ["sun", 3])

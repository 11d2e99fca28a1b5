# test: runnable
# test: unsafe-changes-behaviour
# Iterating the file reads it lazily, buffer by buffer. A decode error past the
# first buffer now comes after thousands of loop bodies ran (`readlines()`
# raised before the first), and lines written to the file while the loop runs
# are read too (`readlines()` took a snapshot).
import os
import tempfile

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "log.txt")
    with open(path, "wb") as out:
        out.write(b"ok\n" * 5000 + b"\xff\n")
    processed = 0
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                processed += 1
    except UnicodeDecodeError:
        print("decode error after", processed, "lines")

    with open(path, "w") as out:
        out.write("first\n")
    with open(path) as f, open(path, "a") as log:
        for line in f:
            print("read", line.strip())
            if line.startswith("first"):
                log.write("second\n")
                log.flush()

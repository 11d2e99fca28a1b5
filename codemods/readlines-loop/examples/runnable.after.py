# test: runnable
import io
import os
import tempfile

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "data.txt")
    with open(path, "w") as out:
        out.write("alpha\nbeta\n\ngamma")
    with open(path) as f:
        for line in f:
            print(repr(line))
    with open(path) as f:
        print([len(line) for line in f])

buffer = io.StringIO("one\ntwo\n")
print(sorted({line.strip() for line in buffer}))

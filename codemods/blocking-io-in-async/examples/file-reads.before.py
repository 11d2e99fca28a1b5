# test: runnable
import asyncio
import os
import tempfile
from pathlib import Path


async def load(path):
    text = open(path).read()
    lines = open(path, encoding="utf-8").readlines()
    return text, lines


async def load_bytes(path):
    return Path(path).read_bytes()


async def main():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "data.txt")
        with open(path, "w") as f:
            f.write("one\ntwo\n")
        print(await load(path))
        print(await load_bytes(path))


asyncio.run(main())

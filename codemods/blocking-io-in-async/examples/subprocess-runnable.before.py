# test: runnable
import asyncio
import subprocess
import sys


async def python_version():
    done = subprocess.run([sys.executable, "-c", "print(6 * 7)"], capture_output=True, text=True)
    return done.stdout.strip()


print(asyncio.run(python_version()))

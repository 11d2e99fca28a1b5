# test: runnable
# Receivers perfmod can show are standard-library loggers, fields with `!s`/`!r`
# or values shown to be `str`/`int`/`float`: safe rewrites.
import logging
import sys
from logging import getLogger

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(name)s %(message)s")
_log = getLogger("app")


class Worker:
    def __init__(self, name):
        self.logger = logging.getLogger(name)

    def run(self, item):
        self.logger.info(f"running {item!r}")


def step(log: logging.Logger, n):
    log.info("step %d of %d" % (n, 3))


def adapted(extra):
    adapter = logging.LoggerAdapter(logging.getLogger("adapter"), extra)
    adapter.info("with {!s}".format(extra))


_log.info(f"starting {len(sys.argv)}")
Worker("worker").run("job")
step(logging.getLogger("steps"), 2)
adapted({"k": 1})
logging.getLogger("direct").info(f"{1 + 1!s} direct")

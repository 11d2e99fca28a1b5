# test: runnable
import logging
import sys

logging.basicConfig(stream=sys.stdout, level=logging.DEBUG, format="%(levelname)s %(message)s")
logger = logging.getLogger("demo")

user, ratio, items = "alice", 2 / 3, ["a", "b"]
logger.info(f"Processed {len(items)} items for {user!r}, ratio {ratio:.2f}")
logger.warning("Price of %s is %s" % ("plum", 1.25))
logger.debug("Stock checked for {} items ({:+.1e})".format(len(items), 12345.678))
logger.error(f"100% done {{braces}} {user!s:} {3:5d}|{-2:05d}|{7:x}|{255:#X}")
logger.info("{0} and {1!r}".format(items, user))
try:
    1 / 0
except ZeroDivisionError as error:
    logger.exception(f"failed with {error}", exc_info=False)
logging.info(f"root logger: {user}")

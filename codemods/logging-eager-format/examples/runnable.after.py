# test: runnable
import logging
import sys

logging.basicConfig(stream=sys.stdout, level=logging.DEBUG, format="%(levelname)s %(message)s")
logger = logging.getLogger("demo")

user, ratio, items = "alice", 2 / 3, ["a", "b"]
logger.info("Processed %s items for %r, ratio %.2f", len(items), user, ratio)
logger.warning("Price of %s is %s", "plum", 1.25)
logger.debug("Stock checked for %s items (%+.1e)", len(items), 12345.678)
logger.error("100%% done {braces} %s %5d|%05d|%x|%#X", user, 3, -2, 7, 255)
logger.info("%s and %r", items, user)
try:
    1 / 0
except ZeroDivisionError as error:
    logger.exception("failed with %s", error, exc_info=False)
logging.info("root logger: %s", user)

# test: runnable
"""Templates in parentheses or split into parts, as long messages are written."""
import logging
import sys

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
logger = logging.getLogger(__name__)


def report(name, rows, seconds):
    logger.info(("loaded {} rows").format(rows))
    logger.info("table {!r}: " "{} rows".format(name, rows))
    logger.info(("table {0} holds {1} rows, "
                 # the rate, in rows per second
                 "{2:.1f} per second (100%)").format(name, rows, rows / seconds))
    logger.warning(("slow load of %s: "
                    "%.2f s") % (name, seconds))


report("users", 1200, 3.0)

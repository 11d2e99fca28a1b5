# Templates split into parts that have no exact `%` equivalent: reported, no rewrite.
import logging

logger = logging.getLogger(__name__)


def report(name, rows, total):
    # `{0}` in the second part is the first argument again.
    logger.info(("{0} holds {1} rows, " "{0} in all").format(name, rows, total))
    # One field split across two parts.
    logger.info(("{" "}").format(name))
    # A part that is an f-string is formatted before `.format()`.
    logger.info(("{} rows " f"in {name}").format(rows))

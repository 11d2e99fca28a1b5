# test: runnable
import logging
import sys

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
logger = logging.getLogger(__name__)


def report(name, initial, final):
    logger.info(
        f"Function {name} memory usage: "
        # before and after
        f"Process: {initial:.1f}MB -> {final:.1f}MB "
        "(100% {traced}), "
        f"{{delta}} +{final - initial:.1f}MB"
    )


report("load", 10.0, 12.25)

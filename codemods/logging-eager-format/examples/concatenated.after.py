# test: runnable
import logging
import sys

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
logger = logging.getLogger(__name__)


def report(name, initial, final):
    logger.info(
        "Function %s memory usage: "
        # before and after
        "Process: %.1fMB -> %.1fMB "
        "(100%% {traced}), "
        "{delta} +%.1fMB", name, initial, final, final - initial
    )


report("load", 10.0, 12.25)

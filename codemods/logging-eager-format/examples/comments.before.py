import logging

logger = logging.getLogger(__name__)


def slow(name, seconds):
    if seconds > 1.0:
        logger.warning(
            f"Slow operation {name}: {seconds:.2f}s"  # threshold is 1s
        )
    logger.info(
        "took %.3fs for %s" % (
            seconds,  # wall clock
            name,
        )
    )

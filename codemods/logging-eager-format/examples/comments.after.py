import logging

logger = logging.getLogger(__name__)


def slow(name, seconds):
    if seconds > 1.0:
        logger.warning(
            "Slow operation %s: %.2fs", name, seconds  # threshold is 1s
        )
    # wall clock
    logger.info("took %.3fs for %s", seconds, name)

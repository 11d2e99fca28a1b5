import logging

logger = logging.getLogger(__name__)


def done(elapsed, name):
    logger.info("Index rebuilt in %.3fs", elapsed)
    logger.info("plain message")
    logger.info("%s" "%s", name, elapsed)

import logging

logger = logging.getLogger(__name__)


def odd(name, args):
    logger.info(f"{name} %s", name)
    logger.info(*args)
    logger.log(logging.INFO, f"{name}")
    logger.info(msg=f"{name}")

import logging

logger = logging.getLogger(__name__)


def report_import(path, count, elapsed):
    logger.info("Imported %s rows from %r in %.2fs", count, path, elapsed)

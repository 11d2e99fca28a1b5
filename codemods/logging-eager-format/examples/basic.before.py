import logging

logger = logging.getLogger(__name__)


def report_import(path, count, elapsed):
    logger.info(f"Imported {count} rows from {path!r} in {elapsed:.2f}s")

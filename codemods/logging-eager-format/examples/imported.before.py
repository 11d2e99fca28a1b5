# A logger imported from another module of the project: perfmod does not
# follow imports yet, so it cannot show it is a standard-library logger.
from .util import log


def done(task):
    log.info(f"finished {task}")

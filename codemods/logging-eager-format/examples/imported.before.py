# A logger imported from a module perfmod cannot read (`.util` is not in the
# checked tree here), so it cannot show it is a standard-library logger.
from .util import log


def done(task):
    log.info(f"finished {task}")

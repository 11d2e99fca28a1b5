import logging
import logging as lg

log = logging.getLogger("app")


class Worker:
    def __init__(self):
        self.logger = logging.getLogger(type(self).__name__)

    def run(self, job, error):
        self.logger.warning("Job %s failed: %r", job, error)
        self.logger.exception("Job %s crashed", job, exc_info=True)
        self.logger.error("%s of %s done, %.1f%% left", 1, 2, 50.0)


def module_level(user, ratio):
    logging.debug(f"user {user} at {ratio:.0%}")
    lg.critical("100%% of {quota} used by %s", user)
    log.warn("{literal} 5%% and %a", user)
    logging.getLogger("audit").info("audit %s", user)

import logging
import logging as lg

log = logging.getLogger("app")


class Worker:
    def __init__(self):
        self.logger = logging.getLogger(type(self).__name__)

    def run(self, job, error):
        self.logger.warning("Job %s failed: %r" % (job, error))
        self.logger.exception(f"Job {job} crashed", exc_info=True)
        self.logger.error("{} of {} done, {:.1f}% left".format(1, 2, 50.0))


def module_level(user, ratio):
    logging.debug(f"user {user} at {ratio:.0%}")
    lg.critical("100% of {{quota}} used by {!s}".format(user))
    log.warn(f"{{literal}} 5% and {user!a}")
    logging.getLogger("audit").info(f"audit {user}")

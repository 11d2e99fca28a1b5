import logging


class Service:
    logger = logging.getLogger(__name__)

    @classmethod
    def start(cls, port):
        cls.logger.info("listening on %s", port)

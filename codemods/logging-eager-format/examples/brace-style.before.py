# test: runnable
# test: unsafe-changes-behaviour
# A logger that formats with `str.format` (brace style): `%s` placeholders
# would be printed literally.


class BraceLogger:
    def __init__(self, name):
        self.name = name

    def info(self, message, *args):
        print(f"[{self.name}] " + message.format(*args))


def make_logger(name):
    return BraceLogger(name)


logger = make_logger("jobs")


def report(job, seconds):
    logger.info(f"{job} took {seconds:.1f}s")


report("backup", 12.345)

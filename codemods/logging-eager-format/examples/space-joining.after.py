# test: runnable
# test: unsafe-changes-behaviour
# A project's own `log` that prints its arguments joined by spaces, like
# print(): lazy %-arguments would print the template and the values side by side.


class Log:
    def info(self, *parts):
        print(" ".join(str(p) for p in parts))

    def warning(self, *parts):
        print("WARNING", *parts)


log = Log()
user, count = "ada", 3
log.info("%s has %s new messages", user, count)
log.warning("disk at %d%%", 93)

# test: runnable
# test: unsafe-changes-behaviour
# `{x}` formats with `format(x, "")`, `%s` with `str(x)`. They agree for `str`,
# `int` and `float`, not for a type with its own `__format__`: a `(str, Enum)`
# member formats to its value but prints as `Color.RED` before Python 3.11 (on
# 3.11+ both give `Color.RED`), and `Money` formats with its currency. Fields with `!s`/`!r`, and values shown
# to be `str`/`int`/`float`, stay safe.
import enum
import logging
import sys

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
logger = logging.getLogger("shop")


class Color(str, enum.Enum):
    RED = "red"


class Money:
    def __init__(self, cents):
        self.cents = cents

    def __format__(self, spec):
        return f"EUR {self.cents / 100:.2f}"

    def __repr__(self):
        return f"Money({self.cents})"


color, price, items = Color.RED, Money(250), ["a", "b"]
logger.info(f"paint {color}")
logger.info("price {}".format(price))
logger.info(f"paint {color!s} for {price!r}")
logger.info(f"{len(items)} items, {str(price)}, {'x' + 'y'} {2.5:.1f}")

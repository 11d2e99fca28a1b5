# test: runnable
# test: unsafe-changes-behaviour
# The needle is not a literal: a set lookup hashes it, so a list, dict or set
# needle raises `TypeError: unhashable type` where the list scan answered False.


def is_status(value):
    return value in [200, 204, 304]


for value in (200, 500, [200], {"code": 200}):
    try:
        print(repr(value), is_status(value))
    except TypeError as error:
        print(repr(value), "TypeError:", error)

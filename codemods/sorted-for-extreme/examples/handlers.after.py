from contextlib import suppress


def first_or_default(items, default):
    try:
        return min(items)
    except (TypeError, KeyError):
        return default
    except Exception:
        return default


def quiet(items):
    with suppress(Exception):
        return min(items)
    with open("log.txt") as log:
        log.write(str(min(items)))

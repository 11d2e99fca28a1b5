from contextlib import suppress


def first_or_default(items, default):
    try:
        return sorted(items)[0]
    except (TypeError, KeyError):
        return default
    except Exception:
        return default


def quiet(items):
    with suppress(Exception):
        return sorted(items)[0]
    with open("log.txt") as log:
        log.write(str(sorted(items)[0]))

def describe(obj, extra):
    seen = {}
    total = len(extra)
    names = [repr(name) for name in obj]
    for name, value in extra.items():
        seen[name] = value
    return names, seen, total


def options(library_dirs, compiler):
    lib_opts = [compiler.option(dir) for dir in library_dirs]
    return lib_opts


def public(spec):
    found = [attr for attr in dir(spec) if not attr.startswith("_")]
    return found


def cleanup(fds, close):
    try:
        close(fds[0])
    finally:
        rest = [fd for fd in fds[1:] if fd is not None]
        close(rest)

def describe(obj, extra):
    names = []
    seen = {}
    total = len(extra)
    for name in obj:
        names.append(repr(name))
    for name, value in extra.items():
        seen[name] = value
    return names, seen, total


def options(library_dirs, compiler):
    lib_opts = []
    for dir in library_dirs:
        lib_opts.append(compiler.option(dir))
    return lib_opts


def public(spec):
    found = []
    for attr in dir(spec):
        if not attr.startswith("_"):
            found.append(attr)
    return found


def cleanup(fds, close):
    try:
        close(fds[0])
    finally:
        rest = []
        for fd in fds[1:]:
            if fd is not None:
                rest.append(fd)
        close(rest)

def has_feature(flags, name):
    return name in flags.keys() and flags[name]

def has_feature(flags, name):
    return name in flags and flags[name]

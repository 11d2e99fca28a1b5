def known(config, name):
    if name in config.keys(  # every section
    ):
        return True
    for section in (
        config  # parsed from disk
        .keys()
    ):
        print(section)
    return False

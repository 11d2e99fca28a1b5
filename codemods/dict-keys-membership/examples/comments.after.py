def known(config, name):
    # every section
    if name in config:
        return True
    # parsed from disk
    for section in config:
        print(section)
    return False

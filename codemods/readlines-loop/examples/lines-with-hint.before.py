def head(path):
    with open(path) as f:
        for line in f.readlines(4096):
            print(line)

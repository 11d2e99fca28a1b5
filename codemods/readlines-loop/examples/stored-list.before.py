def lines(path):
    with open(path) as f:
        content = f.readlines()
    for line in content:
        print(line)
    total = len(open(path).readlines())
    return total


def numbered(path):
    with open(path) as f:
        return dict(enumerate(f.readlines()))

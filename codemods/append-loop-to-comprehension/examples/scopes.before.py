# test: runnable
def abstract_bases(explicit, abcs):
    found = []
    for base in abcs:
        if base not in explicit:
            found.append(base)
    for base in found:
        abcs.remove(base)
    return found, [base * 2 for base in found]


def document(bases, attrs):
    def spill(attrs):
        for name in attrs:
            base = name.upper()
            print(base)

    parents = []
    for base in bases:
        parents.append(f"<{base}>")
    spill(attrs)
    return ", ".join(parents)


def conflicts(short, known, handler):
    found = []
    for opt in short:
        if opt in known:
            found.append(opt)
    if found:
        if handler == "resolve":
            for opt in found:
                print("conflict", opt)
    return found


print(abstract_bases([1], [1, 2, 3]), document(["A", "B"], ["x"]), conflicts(["-a", "-b"], {"-a"}, "resolve"))

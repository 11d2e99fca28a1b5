def odd(values, options, flip):
    a = sorted(values, **options)[0]
    b = sorted(*values)[0]
    c = sorted(values, reverse=flip)[0]
    d = sorted(values, reverse=False)[-1]
    return a, b, c, d

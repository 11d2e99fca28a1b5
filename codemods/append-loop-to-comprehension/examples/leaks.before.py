def last_seen(items):
    names = []
    for item in items:
        names.append(item.name)
    return names, item  # the loop variable is read after the loop


def in_outer_loop(groups):
    for group in groups:
        if group:
            print(total)
        total = []
        for total in group:
            total.append(1)


def closure(items):
    def show():
        return x
    out = []
    for x in items:
        out.append(x)
    return out, show


def declared(items):
    global g
    out = []
    for g in items:
        out.append(g)
    return out


def watched(items):
    def progress():
        return len(done)
    done = []
    for x in items:
        done.append((x, progress()))
    return done


def global_list(items):
    global RESULTS
    RESULTS = []
    for x in items:
        RESULTS.append(x)


def class_inside(items):
    class Holder:
        scale = 2
        values = []
        for i in items:
            values.append(i * scale)
    return Holder


def nonlocal_reader(items):
    out = []
    for x in items:
        out.append(x)

    def show():
        nonlocal x
        return x
    return out, show


def default_value(items):
    out = []
    for x in items:
        out.append(x)

    def show(x=x):
        return x
    return out, show

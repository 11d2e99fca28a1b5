def process(items, sink):
    queue = list(items)
    first = queue.pop(0)
    sink(queue)  # passed on: the callee may index it
    return first


def peek(items):
    queue = []
    queue.extend(items)
    head = queue[0]
    queue.pop(0)
    return head, queue[1:]


def rebound(items):
    queue = [1, 2]
    queue.pop(0)
    queue = sorted(items)
    return len(queue)

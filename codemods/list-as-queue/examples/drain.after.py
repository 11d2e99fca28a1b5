# test: runnable
import collections


def drain_in_order(jobs):
    queue = collections.deque(jobs)
    done = []
    while queue and len(done) < 10:
        job = queue.popleft()  # oldest first
        done.append(job)
        if job.endswith("!"):
            queue.append(job.rstrip("!") + "-followup")
    return done


class Scheduler:
    def run(self, urgent, normal):
        pending = collections.deque()
        pending.extend(normal)
        for job in urgent:
            pending.appendleft(job)
        order = []
        while len(pending) > 0:
            order.append(pending.popleft())
        if not pending:
            order.append("idle")
        return order


print(drain_in_order(["a", "b!", "c"]))
print(Scheduler().run(["u1", "u2"], ["n1", "n2"]))
print(collections.Counter("abca").most_common(1))

# perfmod bench driver: times each case's before and after code in this one
# process, interleaved (ABBA), with time.perf_counter, until the 95% bootstrap
# interval of the speedup is within +-2% or the case's share of the budget is
# spent. Reads {"budget": s, "cases": [...]} on stdin; writes one JSON line
# with the interpreter's version, then one per case.
import gc, json, os, random, sys, time, tracemalloc, types
from statistics import median

MIN_ROUNDS, MAX_ROUNDS, TIGHT = 7, 1000, 0.04


def build(name, code, setup, call, n):

    module = types.ModuleType(name)
    sys.modules[name] = module
    ns = module.__dict__
    ns["n"] = n
    exec(compile(code, "<bench>", "exec"), ns)
    exec(compile(setup, "<setup>", "exec"), ns)
    runner = "def __perfmod_run(__loops):\n    for __perfmod_i in range(__loops):\n        %s\n" % call
    exec(compile(runner, "<call>", "exec"), ns)
    return ns["__perfmod_run"]


def sample(run, loops):
    gc.disable()
    try:
        start = time.perf_counter()
        run(loops)
        return (time.perf_counter() - start) / loops
    finally:
        gc.enable()


def peak(run):
    gc.collect()
    tracemalloc.start()
    try:
        run(1)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def interval(before, after, rng, resamples):
    """95% bootstrap interval of median(before) / median(after), resampling rounds."""
    m = len(before)
    ratios = []
    for _ in range(resamples):
        picks = [rng.randrange(m) for _ in range(m)]
        ratios.append(median([before[i] for i in picks]) / median([after[i] for i in picks]))
    ratios.sort()
    return ratios[int(0.025 * resamples)], ratios[int(0.975 * resamples) - 1]


def measure(case, budget, rng):
    before = build("__perfmod_before__", case["before"], case["setup"], case["call"], case["size"])
    after = build("__perfmod_after__", case["after"], case["setup"], case["call"], case["size"])
    start = time.perf_counter()
    # Short samples (about 1 ms, under a scheduler's time slice): on a busy
    # machine preemptions then spoil some whole samples, which the median
    # ignores, rather than a little of every one.
    target = min(0.001, max(0.0002, budget / (8 * MIN_ROUNDS)))
    sample(before, 1), sample(after, 1)
    loops = 1
    while True:
        took = sample(before, loops) * loops
        if took >= target or loops >= 10**7:
            break
        loops = min(10**7, max(2 * loops, int(loops * 1.2 * target / max(took, 1e-7))))
    # A case whose minimum rounds would overrun its budget (slow calls, a
    # tiny test budget) still gets an interval, from 3 rounds.
    min_rounds = MIN_ROUNDS if budget >= MIN_ROUNDS * 2 * took else 3
    times_before, times_after = [], []
    next_check = min_rounds
    while True:
        if len(times_before) % 2:
            a = sample(after, loops)
            b = sample(before, loops)
        else:
            b = sample(before, loops)
            a = sample(after, loops)
        times_before.append(b)
        times_after.append(a)
        rounds = len(times_before)
        if rounds < min_rounds:
            continue
        if rounds >= MAX_ROUNDS or time.perf_counter() - start >= budget:
            break
        if rounds >= next_check:
            # Checks at geometrically spaced rounds: their cost stays small.
            next_check = rounds + max(5, rounds // 4)
            low, high = interval(times_before, times_after, rng, 200)
            if high - low <= TIGHT * median(times_before) / median(times_after):
                break
    low, high = interval(times_before, times_after, rng, 1000)
    b, a = median(times_before), median(times_after)
    return {
        "before_s": b,
        "after_s": a,
        "speedup": b / a,
        "speedup_low": low,
        "speedup_high": high,
        "rounds": len(times_before),
        "before_peak_bytes": peak(before),
        "after_peak_bytes": peak(after),
    }


def main():
    out = sys.stdout
    spec = json.loads(sys.stdin.read())
    # The measured code must not write into the answer.
    sys.stdout = sys.stderr = open(os.devnull, "w")
    out.write(json.dumps({"python": sys.version.split()[0]}) + "\n")
    out.flush()
    cases = spec["cases"]
    deadline = time.perf_counter() + spec["budget"]
    rng = random.Random(15)
    for index, case in enumerate(cases):
        # The remaining time shared by the cases left, but never below half a
        # fair share: slow early cases must not starve the last ones.
        remaining = max(0.0, deadline - time.perf_counter()) / (len(cases) - index)
        budget = max(remaining, 0.5 * spec["budget"] / len(cases))
        try:
            answer = measure(case, budget, rng)
        except BaseException as e:
            answer = {"error": "%s: %s" % (type(e).__name__, e)}
        answer["index"] = index
        out.write(json.dumps(answer) + "\n")
        out.flush()


main()

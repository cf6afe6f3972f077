"""M/M/c in SimPy: the peer side of Hopscope's engine comparison (issue 8).

Poisson arrivals (rate `lam` per second), exponential service (mean `service_ms`), c servers,
either one shared FIFO queue (a simpy.Resource of capacity c) or random assignment (each
arrival picks one of c single-server queues uniformly). Runs `reps` independent replications
and prints one JSON line: events processed, wall seconds, events per second, customers, the
mean response time over replications and its 95 % confidence half-width (Student t).
"""
import argparse
import json
import math
import random
import time

import simpy


class CountingEnvironment(simpy.Environment):
    """An Environment that counts the events it processes (SimPy's unit of work)."""

    def __init__(self):
        super().__init__()
        self.events_processed = 0

    def step(self):
        self.events_processed += 1
        return super().step()


# Student t quantiles t(0.975, df) for df = 1..30.
T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
        2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
        2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def mean_ci(xs):
    m = sum(xs) / len(xs)
    var = sum((x - m) ** 2 for x in xs) / (len(xs) - 1)
    return m, T975[len(xs) - 2] * math.sqrt(var / len(xs))


def replication(a, seed):
    rng = random.Random(seed)
    env = CountingEnvironment()
    if a.mode == "shared":
        queues = [simpy.Resource(env, capacity=a.servers)]
    else:
        queues = [simpy.Resource(env, capacity=1) for _ in range(a.servers)]
    mean_service = a.service_ms / 1000.0
    latencies = []

    def customer(env, q, service):
        arrive = env.now
        with q.request() as req:
            yield req
            yield env.timeout(service)
        latencies.append(env.now - arrive)

    def source(env):
        for _ in range(a.customers):
            yield env.timeout(rng.expovariate(a.rate))
            q = queues[0] if a.mode == "shared" else queues[rng.randrange(a.servers)]
            env.process(customer(env, q, rng.expovariate(1.0 / mean_service)))

    env.process(source(env))
    env.run()
    return env.events_processed, len(latencies), sum(latencies) / len(latencies)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--servers", type=int, default=4)
    ap.add_argument("--rate", type=float, default=80.0)
    ap.add_argument("--service-ms", type=float, default=40.0)
    ap.add_argument("--customers", type=int, default=50_000)
    ap.add_argument("--mode", choices=["shared", "random"], default="shared")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reps", type=int, default=10)
    # The whole measurement `repeat` times (the same seeds, so the same results); the fastest
    # wall time counts, as for the Hopscope side (a shared machine only ever slows a run down).
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()

    wall = float("inf")
    for _ in range(a.repeat):
        events = customers = 0
        means = []
        start = time.perf_counter()
        for r in range(a.reps):
            e, c, m = replication(a, a.seed + r)
            events += e
            customers += c
            means.append(m * 1000.0)
        wall = min(wall, time.perf_counter() - start)
    mean, ci = mean_ci(means)
    print(json.dumps({
        "engine": "simpy",
        "mode": a.mode,
        "events": events,
        "seconds": wall,
        "repeat": a.repeat,
        "events_per_s": events / wall,
        "customers": customers,
        "customers_per_s": customers / wall,
        "mean_ms": mean,
        "ci95_ms": ci,
    }))


if __name__ == "__main__":
    main()

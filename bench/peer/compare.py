"""Reads the four result lines of bench/peer/run.sh, prints the comparison table, and exits
non-zero if a mean disagrees with the other engine or with theory beyond the 95 % intervals."""
import json
import math
import os
import sys


def load(d, name):
    with open(f"{d}/{name}.json") as f:
        return json.loads(f.read())


def main():
    d = sys.argv[1]
    ok = True
    print("| mode | engine | events | events/s | customers/s | mean ms (95% CI) | theory ms |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for mode in ["shared", "random"]:
        s = load(d, f"simpy-{mode}")
        h = load(d, f"hopscope-{mode}")
        full = [load(d, f"hopscope-full-{mode}")] if os.path.exists(f"{d}/hopscope-full-{mode}.json") else []
        theory = h["theory_ms"]
        for r in (s, h):
            print(f"| {mode} | {r['engine']} | {r['events']:,} | {r['events_per_s']:,.0f} | {r['customers_per_s']:,.0f} | "
                  f"{r['mean_ms']:.2f} ± {r['ci95_ms']:.2f} | {theory:.2f} |")
        print(f"| {mode} | ratio hopscope/simpy | | {h['events_per_s'] / s['events_per_s']:.1f}× | "
              f"{h['customers_per_s'] / s['customers_per_s']:.1f}× | | |")
        for f in full:
            # The same seeds: the full record must give the very same figures.
            if (f["events"], f["mean_ms"], f["ci95_ms"]) != (h["events"], h["mean_ms"], h["ci95_ms"]):
                print(f"MISMATCH {mode}: the full-record run differs from the summary-only run")
                ok = False
            print(f"| {mode} | {f['engine']} | {f['events']:,} | {f['events_per_s']:,.0f} | {f['customers_per_s']:,.0f} | "
                  f"{f['mean_ms']:.2f} ± {f['ci95_ms']:.2f} | {theory:.2f} |")
            print(f"| {mode} | ratio full record/simpy | | {f['events_per_s'] / s['events_per_s']:.1f}× | "
                  f"{f['customers_per_s'] / s['customers_per_s']:.1f}× | | |")
        # Agreement: the difference of the two means within the combined interval, and each mean
        # within its own interval of theory (a small slack for the t approximation).
        joint = math.hypot(s["ci95_ms"], h["ci95_ms"])
        if abs(s["mean_ms"] - h["mean_ms"]) > 1.5 * joint:
            print(f"MISMATCH {mode}: simpy {s['mean_ms']:.2f} vs hopscope {h['mean_ms']:.2f} (joint CI {joint:.2f})")
            ok = False
        for r in (s, h):
            if abs(r["mean_ms"] - theory) > 1.5 * r["ci95_ms"] + 0.005 * theory:
                print(f"OFF THEORY {mode} {r['engine']}: {r['mean_ms']:.2f} vs {theory:.2f} ± {r['ci95_ms']:.2f}")
                ok = False
    print("peer comparison:", "agree" if ok else "DISAGREE")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

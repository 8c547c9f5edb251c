#!/usr/bin/env python3
"""Regenerates the data files of docs/methods/explore.md: runs the SIR model (docs/examples/SIR.xmile)
through `holon batch` over four designs and writes each analysis's params (experiments, outcomes
and settings) as JSON beside this script.

    python3 docs/examples/explore/make-data.py    # from the repository root, after a build

Designs (made here because the batch runner's Sobol/Morris designs are newer than these files):
  sobol      Saltelli sample, N = 256 base rows, second order (2048 runs), unscrambled Sobol
             sequence (Joe & Kuo direction numbers), SALib's row order
  morris     20 trajectories on a 4-level grid (80 runs), seed 7
  prim       1000 Monte Carlo points, seed 11 (also the data of sir-features)
  robustness 3 distancing levels x 40 scenarios (a 8 x 5 grid of duration and population)
"""
import csv, json, os, random, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
HOLON = os.path.join(ROOT, "build", "release", "bin", "holon")
FACTORS = [("contact_infectivity", 0.2, 0.4), ("duration", 3.0, 7.0), ("total_population", 500.0, 1500.0)]
OUTCOMES = [("peak_infectious", "infectious.max"), ("peak_time", "infectious.peak_time"), ("final_recovered", "recovered.final")]


def sobol_points(n, dims):
    table = [(1, 0, [1]), (2, 1, [1, 3]), (3, 1, [1, 3, 1]), (3, 2, [1, 1, 1]), (4, 1, [1, 1, 3, 3]), (4, 4, [1, 3, 5, 13])]
    v = [[0] * 33 for _ in range(dims)]
    for k in range(1, 33):
        v[0][k] = 1 << (32 - k)
    for d in range(1, dims):
        s, a, m = table[d - 1]
        for k in range(1, 33):
            if k <= s:
                v[d][k] = m[k - 1] << (32 - k)
            else:
                x = v[d][k - s] ^ (v[d][k - s] >> s)
                for i in range(1, s):
                    if (a >> (s - 1 - i)) & 1:
                        x ^= v[d][k - i]
                v[d][k] = x
    pts, state = [[0.0] * dims], [0] * dims
    for i in range(1, n):
        c, value = 1, i - 1
        while value & 1:
            c, value = c + 1, value >> 1
        for d in range(dims):
            state[d] ^= v[d][c]
        pts.append([s / 2 ** 32 for s in state])
    return pts


def scale(u, lo, hi):
    return float("%.6g" % (lo + (hi - lo) * u))


def run(name, points):
    """Runs sd.simulate at each point (a dict name -> value) and returns the summary rows."""
    job = {"version": "holon-batch/1", "name": name, "inputs": {"sir": {"file": os.path.join(ROOT, "docs/examples/SIR.xmile")}},
           "steps": [{"name": "runs", "method": "sd.simulate", "input": "sir", "params": {},
                      "sweep": {"scenarios": [{"name": "p%d" % i, "params": {"overrides": p}} for i, p in enumerate(points)]},
                      "outputs": {"variables": ["infectious", "recovered"], "tables": False, "plots": ["infectious"]}}]}
    out = os.path.join(ROOT, "scratch", "explore-data", name)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    path = out + ".batch.json"
    with open(path, "w") as f:
        json.dump(job, f)
    subprocess.run([HOLON, "batch", path, "--out", out, "--quiet"], check=True)
    with open(os.path.join(out, "steps", "runs", "summary.csv")) as f:
        rows = list(csv.DictReader(f))
    assert all(r["status"] == "ok" for r in rows), name
    return rows


def tables(points, rows):
    names = list(points[0].keys())
    experiments = {n: [p[n] for p in points] for n in names}
    outcomes = {o: [float("%.6g" % float(r[col])) for r in rows] for o, col in OUTCOMES}
    return experiments, outcomes


def write(name, params):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(params, f, separators=(",", ":"))
        f.write("\n")


def main():
    d = len(FACTORS)
    # Sobol: blocks A, AB_1..AB_D, BA_1..BA_D, B per base row.
    base = sobol_points(256, 2 * d)
    pts = []
    for b in base:
        a, bb = b[:d], b[d:]
        rows = [a] + [[bb[c] if c == j else a[c] for c in range(d)] for j in range(d)] \
            + [[a[c] if c == j else bb[c] for c in range(d)] for j in range(d)] + [bb]
        pts += [{n: scale(u[i], lo, hi) for i, (n, lo, hi) in enumerate(FACTORS)} for u in rows]
    e, o = tables(pts, run("sobol", pts))
    write("sir-sobol.params.json", {"experiments": e, "outcomes": o, "second_order": True, "seed": 1})
    # Morris: 20 trajectories, 4 levels (Delta = 2/3), each factor moved once by +-Delta.
    rnd = random.Random(7)
    pts = []
    for _ in range(20):
        level = [rnd.randrange(4) for _ in range(d)]
        order = list(range(d))
        rnd.shuffle(order)
        traj = [list(level)]
        for c in order:
            level[c] += 2 if level[c] + 2 <= 3 else -2
            traj.append(list(level))
        pts += [{n: scale(u[i] / 3, lo, hi) for i, (n, lo, hi) in enumerate(FACTORS)} for u in traj]
    e, o = tables(pts, run("morris", pts))
    write("sir-morris.params.json", {"experiments": e, "outcomes": o, "levels": 4, "seed": 1})
    # PRIM: Monte Carlo; cases of interest: more than 200 people infectious at the peak.
    rnd = random.Random(11)
    pts = [{n: scale(rnd.random(), lo, hi) for n, lo, hi in FACTORS} for _ in range(1000)]
    e, o = tables(pts, run("prim", pts))
    write("sir-prim.params.json", {"experiments": e, "outcomes": o, "interest": {"outcome": "peak_infectious", "above": 200},
                                   "select": 38})
    write("sir-features.params.json", {"experiments": e, "outcomes": o, "seed": 1})
    # Robustness: distancing levels (contact infectivity) over the same 40 scenarios each.
    pts = []
    for ci in (0.3, 0.25, 0.2):
        for i in range(8):
            for j in range(5):
                pts.append({"contact_infectivity": ci, "duration": 3 + 4 * i / 7, "total_population": 500 + 250 * j})
    e, o = tables(pts, run("robustness", pts))
    write("sir-robustness.params.json", {"experiments": e, "outcomes": {"peak_infectious": o["peak_infectious"]},
                                         "outcome": "peak_infectious", "levers": ["contact_infectivity"], "better": "smaller",
                                         "threshold": 250})


if __name__ == "__main__":
    sys.exit(main())

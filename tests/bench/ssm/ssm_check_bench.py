#!/usr/bin/env python3
"""ssm.check on 1,000 activity models of 9 activities each (7 operational + monitor + control).

Generates the inquiry from the well-formed fence fixture (every model a copy with its own ids), then
  1. times `holon run ssm.check` end to end (host start, schema and reference validation of the
     model, runner process, the checks, result validation), best of N runs;
  2. with --core BENCH, times the checks alone in-process (build/release/tests/.../ssm_bench).
Run from the repository root:
  python3 tests/bench/ssm/ssm_check_bench.py [--models 1000] [--repeats 3] [--core PATH]
"""
import argparse, copy, json, os, resource, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", "..", ".."))

def generate(n):
    base = json.load(open(os.path.join(root, "tests/plugins/ssm/fixtures/fence.model.json")))
    template = base["activity_models"][0]
    # 7 operational activities: the fixture's 6 plus one more, so each model has 9 activities.
    template["activities"].insert(6, {"id": "a7", "name": "Clear up and store the tools", "kind": "operational", "reflects": ["A"]})
    template["dependencies"].append({"from": "a6", "to": "a7"})
    template["comparison"].append({"activity": "a7", "exists": "yes"})
    template["activities"] = [a for a in template["activities"] if a["id"] != "m1"]
    template["dependencies"] = [d for d in template["dependencies"] if "m1" not in (d["from"], d["to"])]
    template["comparison"] = [r for r in template["comparison"] if r["activity"] != "m1"]
    assert len(template["activities"]) == 9
    models = []
    for i in range(n):
        m = copy.deepcopy(template)
        m["id"] = "am-%04d" % i
        m["name"] = "Fence painting system %d" % i
        models.append(m)
    base["activity_models"] = models
    return base

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--holon", default=os.path.join(root, "build/release/bin/holon"))
    ap.add_argument("--core", default=os.path.join(root, "build/release/bin/ssm_bench"))
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="ssm-bench-")
    model = os.path.join(work, "inquiry.model.json")
    json.dump(generate(args.models), open(model, "w"))
    print("generated %d activity models x 9 activities (%.1f MB)" % (args.models, os.path.getsize(model) / 1e6))
    best = best_cpu = None
    for r in range(args.repeats):
        out = os.path.join(work, "out%d" % r)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([args.holon, "run", "ssm.check", "--quiet", "--model", model, "--out", out], check=True, stdout=subprocess.DEVNULL)
        elapsed = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best = elapsed if best is None else min(best, elapsed)
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
        result = json.load(open(os.path.join(out, "result.json")))
    # CPU time (holon and the processes it waited for) is the figure that does not depend on what
    # else the machine is doing; wall time is close to it on an idle machine.
    print("holon run ssm.check: best of %d = %.2f s wall, %.2f s CPU, end to end; %d models assessed, counts %s" %
          (args.repeats, best, best_cpu, len(result["assessed"]), json.dumps(result["counts"])))
    print("load average while measuring: %.1f" % os.getloadavg()[0])
    if os.path.exists(args.core):
        core = json.loads(subprocess.run([args.core, model, "5"], check=True, capture_output=True, text=True).stdout)
        print("checks alone (in-process, best of 5): parse %.1f ms, read + check %.1f ms, %d findings" %
              (core["parse_ms"], core["read_and_check_ms"], core["findings"]))
    else:
        print("(build ssm_bench for the in-process figure: %s)" % args.core)

if __name__ == "__main__":
    sys.exit(main())

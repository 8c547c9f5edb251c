#!/usr/bin/env python3
"""Writes a generated organisation for the vsm.diagnose benchmark: 10,000 units over 6 recursion
levels (1, 7, 49, 343, 2,400, 7,200 units), every unfolded unit with S2-S5 and S3* held by actors,
and 50,000 channels (command, resource bargain, coordination, audit and algedonic for each of the
9,999 operations, plus the root's S3-S4, S4-S5, S4-environment, and two S1-S1 links).
Usage: make_organisation.py OUT.json [units]"""
import json
import sys

out = sys.argv[1]
sizes = [1, 7, 49, 343, 2400, 7200]
units, levels = [], []
for level, size in enumerate(sizes):
    ids = ["u%d-%d" % (level, i) for i in range(size)]
    for i, uid in enumerate(ids):
        u = {"id": uid, "name": "Unit %d.%d" % (level, i)}
        if level > 0:
            u["parent"] = levels[-1][i % len(levels[-1])]
        units.append(u)
    levels.append(ids)
children = {}
for u in units:
    if "parent" in u:
        children.setdefault(u["parent"], []).append(u["id"])
actors = []
for u in units:
    if u["id"] in children:
        u["identity"] = "Purpose of " + u["name"]
        u["roles"] = []
        for system in ("S2", "S3", "S3*", "S4", "S5"):
            aid = "a-%s-%s" % (u["id"], system.replace("*", "star"))
            actors.append({"id": aid, "name": "%s of %s" % (system, u["name"])})
            u["roles"].append({"system": system, "actor": aid})
    else:
        u["leaf"] = True
channels = []
def ch(type_, frm, to=None, fs=None, ts=None):
    c = {"id": "c%d" % len(channels), "type": type_, "from": frm}
    if to:
        c["to"] = to
    if fs:
        c["from_system"] = fs
    if ts:
        c["to_system"] = ts
    channels.append(c)
for u in units:
    if "parent" not in u:
        continue
    p = u["parent"]
    ch("command", p, u["id"], "S3", "S1")
    ch("resource-bargain", u["id"], p, "S1", "S3")
    ch("coordination", p, u["id"], "S2", "S1")
    ch("audit", p, u["id"], "S3*", "S1")
    ch("algedonic", u["id"], p, "S1", "S5")
root = units[0]["id"]
ch("s3-s4", root, root, "S3", "S4")
ch("s4-s5", root, root, "S4", "S5")
ch("s4-environment", root, None, "S4", "environment")
ch("s1-s1", levels[1][0], levels[1][1], "S1", "S1")
ch("s1-s1", levels[1][1], levels[1][2], "S1", "S1")
assert len(units) == 10000 and len(channels) == 50000, (len(units), len(channels))
indicators = [{"id": "i-" + uid, "name": "Output of " + uid, "unit": uid, "source": "ERP"} for uid in children]
model = {"format": "holon-model/1", "id": "vsm-bench", "name": "Generated organisation (10,000 units)",
         "actors": actors, "organisation": {"units": units, "channels": channels}, "indicators": indicators}
with open(out, "w") as f:
    json.dump(model, f)

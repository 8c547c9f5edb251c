#!/usr/bin/env python3
"""The Python client (clients/python/holon_client) against a real `holon serve` on loopback with a
fresh data folder: a token, model upload (XMILE, Vensim .mdl, holon-model JSON), a run followed
to its end, its table as a DataFrame with names and units, a batch, cancelling, and the errors a
caller sees. Needs Debian's python3-requests and python3-pandas.

Usage: test_python_client.py HOLON_BINARY SOURCE_DIR WORK_DIR"""

import json
import math
import os
import shutil
import signal
import subprocess
import sys
import time
import unittest

HOLON, SOURCE, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
del sys.argv[1:4]
sys.path.insert(0, os.path.join(SOURCE, "clients", "python"))

from holon_client import Client, HolonError, RunFailed  # noqa: E402

EXAMPLES = os.path.join(SOURCE, "docs", "examples")
# Euler with DT 0.125 on dT/dt = -(T - 70)/10 from 180: T(10) = 70 + 110 (1 - 0.0125)^80.
TEACUP_AT_10 = 70 + 110 * (1 - 0.125 / 10) ** 80


class Server:
    def __init__(self, folder):
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        self.data = os.path.join(folder, "data")
        self.log_path = os.path.join(folder, "server.log")
        env = {k: v for k, v in os.environ.items() if not k.startswith("HOLON_")}
        env["HOLON_DRAIN_SECONDS"] = "2"
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([HOLON, "serve", "--listen", "127.0.0.1:0", "--data", self.data],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env)
        self.port = None
        deadline = time.monotonic() + 30
        while self.port is None:
            if self.proc.poll() is not None:
                self.log.close()
                raise RuntimeError("holon serve exited during startup:\n" + self.output())
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("holon serve did not listen within 30 s:\n" + self.output())
            for line in self.output().splitlines():
                try:
                    doc = json.loads(line)
                except ValueError:
                    continue
                if doc.get("msg") == "listening":
                    self.port = doc["port"]
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.port}"
        with open(os.path.join(self.data, "admin-token")) as f:
            self.admin_token = f.read().strip()

    def output(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


class PythonClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(os.path.join(WORK, "server"))
        with Client(cls.server.url, cls.server.admin_token) as admin:
            admin.wait_ready()
            ws = admin.create_workspace("python client test")
            cls.workspace = ws["id"]
            cls.token = admin.create_token("editor", expires_in=3600, workspace=cls.workspace)["token"]
        cls.client = Client(cls.server.url, cls.token, workspace=cls.workspace)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.server.stop()

    def test_teacup_from_xmile_to_a_dataframe_with_names_and_units(self):
        model = self.client.upload_model(os.path.join(EXAMPLES, "teacup.xmile"))
        self.assertEqual(model["revision"], 1)
        self.assertEqual(model.get("imported_from"), "xmile")
        run = self.client.run("sd.simulate", model)
        progress = []
        state = run.wait(on_progress=lambda fraction, stage: progress.append(fraction))
        self.assertEqual(state["state"], "succeeded")
        self.assertEqual(run.tables(), ["series"])
        df = run.table("series", index="time")
        self.assertIn("Teacup Temperature", df.columns)
        self.assertAlmostEqual(df.loc[10.0, "Teacup Temperature"], TEACUP_AT_10, places=9)
        self.assertAlmostEqual(df.loc[0.0, "Teacup Temperature"], 180.0, places=12)
        self.assertAlmostEqual(df.loc[30.0, "Heat Loss to Room"],
                               (df.loc[30.0, "Teacup Temperature"] - 70) / 10, places=9)
        self.assertEqual(len(df), 241)  # 0 to 30 minutes every 0.125
        # Units when the server's tables carry them (docs/examples/teacup.xmile declares them).
        units = df.attrs["units"].get("Teacup Temperature", "")
        if units:
            self.assertEqual(units, "Degrees Fahrenheit")
        # The same numbers through the CSV route.
        csv = run.table_csv("series")
        row = next(line for line in csv.splitlines() if line.startswith("10,"))
        self.assertIn(repr(TEACUP_AT_10)[:12], row)

    def test_vensim_upload_and_overrides(self):
        model = self.client.upload_model(os.path.join(EXAMPLES, "SIR.mdl"))
        self.assertEqual(model.get("imported_from"), "mdl")
        base = self.client.run("sd.simulate", model, wait=30)
        base.wait()
        slow = self.client.run("sd.simulate", model["id"], params={"overrides": {"Contact Infectivity": 0.15}},
                               wait=30, limits={"wall_seconds": 60, "memory_mb": 512})
        slow.wait()
        a = base.table(index="time")
        b = slow.table(index="time")
        # People are conserved (1,000 susceptible and 5 infectious at the start); at 0.15
        # (R0 = 0.75) the outbreak never takes off.
        total = a["Susceptible"] + a["Infectious"] + a["Recovered"]
        self.assertLess((total - 1005).abs().max(), 1e-6)
        self.assertGreater(a["Infectious"].max(), 60)
        self.assertAlmostEqual(b["Infectious"].max(), 5.0, places=9)
        self.assertLess(b.loc[100.0, "Infectious"], 0.5)

    def test_json_model_and_result_document(self):
        with open(os.path.join(SOURCE, "docs", "examples", "delayed-discharge.model.json")) as f:
            doc = json.load(f)
        model = self.client.upload_model(doc)
        run = self.client.run("cld.loops", model, wait=30)
        run.wait()
        result = run.result()
        self.assertEqual(result["count"], 8)
        self.assertEqual(len(result["loops"]), 8)
        # A file the run produced, downloaded.
        export = self.client.run("cld.export", model, params={"format": "svg", "name": "loops"})
        export.wait(follow="poll", timeout=60)
        files = {f["name"]: f for f in export.outputs()["files"]}
        self.assertEqual(files["loops.svg"]["media_type"], "image/svg+xml")
        dest = export.download("loops.svg", os.path.join(WORK, "loops.svg"))
        with open(dest, encoding="utf-8") as f:
            svg = f.read()
        self.assertEqual(len(svg.encode("utf-8")), files["loops.svg"]["bytes"])
        self.assertIn("<svg", svg)

    def test_batch_followed_by_events_with_a_summary(self):
        model = self.client.upload_model(os.path.join(EXAMPLES, "SIR.mdl"))
        batch = self.client.batch({
            "version": "holon-batch/1",
            "name": "contact sweep",
            "inputs": {"sir": {"model_id": model["id"]}},
            "steps": [{
                "name": "sweep",
                "method": "sd.simulate",
                "input": "sir",
                "sweep": {"grid": [{"name": "overrides.Contact Infectivity", "values": [0.15, 0.3]}]},
                "outputs": {"variables": ["Infectious"], "plots": []},
            }],
        })
        events = [e["event"] for e in batch.events()]
        self.assertIn("state", events)
        state = batch.wait()
        self.assertEqual(state["points"], {"total": 2, "done": 2, "succeeded": 2, "failed": 0})
        paths = [f["path"] for f in batch.files()]
        self.assertIn("steps/sweep/summary.csv", paths)
        summary = batch.summary("sweep")
        self.assertEqual(len(summary), 2)
        peak = summary.set_index("overrides.Contact Infectivity")
        self.assertAlmostEqual(peak.loc[0.15, "Infectious.max"], 5.0, places=6)
        self.assertGreater(peak.loc[0.3, "Infectious.max"], 60)
        dest = batch.download("steps/sweep/summary.csv", os.path.join(WORK, "summary.csv"))
        with open(dest) as f:
            self.assertTrue(f.readline().startswith("point,"))
        # The whole output folder as one zip, where the server offers it (issue 18, TABLES).
        operations = {op.get("operationId") for item in
                      self.client.request("GET", "/v1/openapi.json")["paths"].values()
                      for op in item.values() if isinstance(op, dict)}
        if "getBatchArchive" in operations:
            import zipfile
            with zipfile.ZipFile(batch.archive(os.path.join(WORK, "batch.zip"))) as z:
                names = z.namelist()
                self.assertIn("manifest.json", names)
                self.assertTrue(any(n.endswith("steps/sweep/summary.csv") for n in names), names)

    def test_cancel_a_queued_batch(self):
        model = self.client.upload_model(os.path.join(EXAMPLES, "SIR.mdl"))
        batch = self.client.batch(
            "version: holon-batch/1\nname: long\ninputs:\n  sir: {model_id: %s}\nsteps:\n"
            "  - name: sweep\n    method: sd.simulate\n    input: sir\n    params: {dt: 0.001}\n"
            "    sweep:\n      grid:\n        - {name: overrides.Duration, from: 2, to: 9, count: 400}\n"
            "    outputs: {plots: []}\n" % model["id"])
        batch.cancel()
        with self.assertRaises(RunFailed) as caught:
            batch.wait(timeout=60)
        self.assertEqual(caught.exception.run["state"], "cancelled")

    def test_errors_carry_the_problem(self):
        with self.assertRaises(HolonError) as caught:
            self.client.upload_model(os.path.join(SOURCE, "schemas", "examples", "invalid",
                                                  "dangling-link.model.json"))
        e = caught.exception
        self.assertEqual(e.status, 422)
        self.assertEqual(e.type, "/problems/invalid-model")
        self.assertTrue(e.title)
        self.assertIn("/links/1/to", e.detail)
        self.assertIn("'v-c'", e.detail)
        self.assertIn("'v-c'", str(e))
        with self.assertRaises(HolonError) as caught:
            self.client.run("sd.simulate", "no-such-model")
        self.assertIn(caught.exception.status, (404, 422))
        with self.assertRaises(HolonError) as caught, \
                Client(self.server.url, "not-a-token", workspace=self.workspace) as stranger:
            stranger.models()
        self.assertEqual(caught.exception.status, 401)
        self.assertEqual(caught.exception.type, "/problems/unauthorized")


class TableConversionTest(unittest.TestCase):
    """to_dataframe on the table forms a server may send, without a server."""

    def test_labels_and_units_arrays_name_the_columns(self):
        from holon_client import to_dataframe
        df = to_dataframe({"name": "series", "columns": ["time", "teacup_temperature", "x"],
                           "labels": [None, "Teacup Temperature", None],
                           "units": ["Minutes", "Degrees Fahrenheit", None],
                           "rows": [[0, 180, None], [0.125, 178.625, 1]]}, index="time")
        self.assertEqual(list(df.columns), ["Teacup Temperature", "x"])
        self.assertEqual(df.attrs["units"]["Teacup Temperature"], "Degrees Fahrenheit")
        self.assertEqual(df.attrs["ids"]["Teacup Temperature"], "teacup_temperature")
        self.assertEqual(df.loc[0.125, "Teacup Temperature"], 178.625)
        self.assertTrue(math.isnan(df.loc[0.0, "x"]))
        ids = to_dataframe({"columns": ["a", "b"], "labels": ["A", "B"], "rows": [[1, 2]]}, names="id")
        self.assertEqual(list(ids.columns), ["a", "b"])

    def test_column_objects_and_clashing_labels(self):
        from holon_client import to_dataframe
        df = to_dataframe({"columns": [{"id": "p1", "label": "Infectious", "units": "people"},
                                       {"id": "p2", "label": "Infectious", "units": "people"}],
                           "rows": [[1, 2]]})
        self.assertEqual(list(df.columns), ["p1", "p2"])  # one display name twice: ids keep them apart
        self.assertEqual(df.attrs["labels"], {"p1": "Infectious", "p2": "Infectious"})
        self.assertEqual(df.attrs["units"], {"p1": "people", "p2": "people"})


if __name__ == "__main__":
    unittest.main(verbosity=2)

#!/usr/bin/python3
"""The web console in a real browser (Debian's chromium + chromium-driver, python3-selenium).

Starts the real `holon serve` on a loopback port with a fresh data folder, creates a workspace
with the admin token over REST, then drives headless Chromium through what an analyst does:
sign in with the token, upload docs/examples/SIR.xmile, start sd.simulate from the method form,
watch it finish and see the chart (with the variables' names and units); upload the delayed
discharge causal map, run cld.loops and open a loop from the loop list; run a CIB analysis and
see the scenario tableau with names, and the morphological field; queue a batch from its document
and see its report and plots. Every request the page made must go to the server's own
origin (or be a blob:/data: URL). Screenshots of each page go to --screenshots (CTest keeps them
under the build tree as test artefacts; docs/console.md shows copies).

Usage: console_browser_test.py --holon BUILD/bin/holon --source REPO --screenshots DIR
Exit 0 when every check passes; otherwise prints what failed and exits 1.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

ADMIN = "console-test-admin-token-0123456789"


def start_server(holon, data):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOLON_")}
    env["HOLON_ADMIN_TOKEN"] = ADMIN
    proc = subprocess.Popen([holon, "serve", "--listen", "127.0.0.1:0", "--data", data],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("msg") == "listening":
            return proc, entry["port"]
    proc.kill()
    raise SystemExit("holon serve did not start")


def rest(base, method, path, body=None, content_type="application/json"):
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Authorization": "Bearer " + ADMIN, "Content-Type": content_type})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read().decode())


def browser(screenshots):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1360,1000",
                "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--metrics-recording-only",
                "--disable-default-apps", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


class Checks:
    def __init__(self, driver, screenshots):
        self.driver = driver
        self.screenshots = screenshots
        self.failures = []

    def wait(self, condition, what, timeout=30):
        try:
            return WebDriverWait(self.driver, timeout).until(condition)
        except Exception:
            self.shot("failed-" + what.replace(" ", "-"))
            body = self.driver.find_element(By.TAG_NAME, "body").text
            raise SystemExit(f"FAIL: {what} (page text: {body[:1500]!r})")

    def check(self, ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            self.failures.append(what)

    def shot(self, name):
        path = os.path.join(self.screenshots, name + ".png")
        self.driver.save_screenshot(path)
        print("     screenshot", path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--holon", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--screenshots", required=True)
    args = ap.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    data = tempfile.mkdtemp(prefix="holon-console-test-")
    server, port = start_server(args.holon, data)
    origin = f"http://127.0.0.1:{port}"
    driver = None
    try:
        ws = rest(origin, "POST", "/v1/workspaces", json.dumps({"name": "Riverside engagement"}))["id"]
        driver = browser(args.screenshots)
        c = Checks(driver, args.screenshots)
        examples = os.path.join(os.path.abspath(args.source), "docs", "examples")

        # Sign in.
        driver.get(origin + "/console")
        c.wait(EC.presence_of_element_located((By.ID, "token")), "the sign-in form")
        c.shot("console-signin")
        driver.find_element(By.ID, "token").send_keys(ADMIN)
        driver.find_element(By.ID, "signin").click()
        c.wait(EC.presence_of_element_located((By.ID, "model-file")), "the workspace page after sign-in")
        c.check("Riverside engagement" in driver.find_element(By.TAG_NAME, "h1").text, "signed in, the workspace is shown by name")

        # Upload an SD model and look at it.
        driver.find_element(By.ID, "model-file").send_keys(os.path.join(examples, "SIR.xmile"))
        driver.find_element(By.ID, "upload").click()
        c.wait(EC.presence_of_element_located((By.ID, "variables")), "the model page after upload")
        c.check("Revision history" in driver.find_element(By.TAG_NAME, "body").text, "the model page lists its revisions")
        c.check("people" in driver.find_element(By.ID, "variables").text, "the model page shows units")
        c.shot("console-model")

        # Start sd.simulate from the method form, watch it finish, see the chart.
        driver.find_element(By.LINK_TEXT, "Run a method…").click()
        c.wait(EC.presence_of_element_located((By.ID, "method")), "the new-run form")
        Select(driver.find_element(By.ID, "method")).select_by_value("sd.simulate")
        c.wait(EC.presence_of_element_located((By.ID, "param-stop")), "the params form generated from sd.simulate's schema")
        driver.find_element(By.ID, "param-stop").send_keys("60")
        driver.find_element(By.ID, "start-run").click()
        c.wait(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "succeeded"), "the SD run to succeed", 60)
        c.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "#chart canvas")), "the time-series chart")
        legend = driver.find_element(By.CSS_SELECTOR, "#chart .u-legend").text.lower()
        c.check("infectious" in legend, "the chart's legend names the variables")
        c.check("people" in legend, "the chart's legend gives the units")
        c.check("stop" in driver.find_element(By.TAG_NAME, "details").get_attribute("textContent"),
                "the run page shows the params the form sent")
        sd_run = driver.current_url.rsplit("/", 1)[-1]
        result = rest(origin, "GET", f"/v1/workspaces/{ws}/runs/{sd_run}/result")
        c.check(result.get("stop") == 60, "the form's stop = 60 reached the run (result.stop = %s)" % result.get("stop"))
        c.shot("console-sd-run")

        # A causal map: the loop list, one loop opened.
        rest(origin, "POST", f"/v1/workspaces/{ws}/models",
             open(os.path.join(examples, "delayed-discharge.model.json"), "rb").read())
        driver.get(origin + f"/console#/ws/{ws}/new-run")
        c.wait(EC.presence_of_element_located((By.ID, "method")), "the new-run form (cld)")
        Select(driver.find_element(By.ID, "method")).select_by_value("cld.loops")
        model_select = Select(driver.find_element(By.ID, "model"))
        model_select.select_by_visible_text([o.text for o in model_select.options if "ischarge" in o.text][0])
        driver.find_element(By.ID, "start-run").click()
        rows = c.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#loops tbody tr"), "the loop list", 60)
        c.check(len(rows) >= 2, f"the loop list has the map's loops ({len(rows)})")
        rows[0].click()
        chain = driver.find_element(By.CSS_SELECTOR, ".loop-chain").text
        c.check("→" in chain and ("reinforcing" in chain or "balancing" in chain), "a chosen loop is shown step by step with its polarity")
        c.wait(lambda d: d.find_elements(By.CSS_SELECTOR, ".loop-chain img[src^='blob:']"), "the map with the chosen loop highlighted", 60)
        c.wait(lambda d: d.execute_script("const i = document.querySelector('.loop-chain img'); return i && i.complete && i.naturalWidth > 0"),
               "the loop map picture to load")
        driver.execute_script("document.querySelector('.loop-chain').scrollIntoView()")
        c.shot("console-loops")

        # CIB: the scenario tableau with descriptor and variant names.
        rest(origin, "POST", f"/v1/workspaces/{ws}/models",
             open(os.path.join(examples, "somewhereland.model.json"), "rb").read())
        driver.get(origin + f"/console#/ws/{ws}/new-run")
        c.wait(EC.presence_of_element_located((By.ID, "method")), "the new-run form (cib)")
        Select(driver.find_element(By.ID, "method")).select_by_value("scenarios.cib")
        model_select = Select(driver.find_element(By.ID, "model"))
        model_select.select_by_visible_text([o.text for o in model_select.options if "omewhereland" in o.text][0])
        driver.find_element(By.ID, "start-run").click()
        tableau = c.wait(EC.presence_of_element_located((By.ID, "tableau")), "the CIB scenario tableau", 60)
        c.check(len(tableau.find_elements(By.CSS_SELECTOR, "tbody tr")) >= 3, "the tableau lists the descriptors")
        c.shot("console-cib")

        # The runs list.
        driver.get(origin + f"/console#/ws/{ws}/runs")
        c.wait(EC.presence_of_element_located((By.ID, "runs")), "the runs list")
        # sd.simulate, cld.loops, the cld.export that drew the loop, scenarios.cib.
        c.check(len(driver.find_elements(By.CSS_SELECTOR, "#runs tbody tr")) == 4, "the runs list shows the four runs")
        c.shot("console-runs")

        # The morphological field of the same scenario set: parameters by name, values with counts.
        driver.get(origin + f"/console#/ws/{ws}/new-run")
        c.wait(EC.presence_of_element_located((By.ID, "method")), "the new-run form (morphological)")
        Select(driver.find_element(By.ID, "method")).select_by_value("scenarios.morphological")
        model_select = Select(driver.find_element(By.ID, "model"))
        model_select.select_by_visible_text([o.text for o in model_select.options if "omewhereland" in o.text][0])
        driver.find_element(By.ID, "start-run").click()
        field = c.wait(EC.presence_of_element_located((By.ID, "field")), "the morphological field", 60)
        headers = [h.text for h in field.find_elements(By.CSS_SELECTOR, "thead th")]
        c.check("Government" in headers and len(headers) >= 3, f"the field's columns are the descriptors by name ({headers[:4]})")
        c.check("configuration" in field.find_element(By.CSS_SELECTOR, "tbody td").text,
                "each value of the field says how many configurations keep it")
        c.shot("console-morphological")

        # An older revision can be downloaded from the model page.
        models = rest(origin, "GET", f"/v1/workspaces/{ws}/models")["items"]
        sir = [m for m in models if m["name"] == "SIR"][0]["id"]
        driver.get(origin + f"/console#/ws/{ws}/models/{sir}")
        c.wait(EC.presence_of_element_located((By.CSS_SELECTOR, "#revisions tbody tr button")), "a download per revision")

        # A batch from the console: queued from its document, followed live, its report and plots shown.
        driver.get(origin + f"/console#/ws/{ws}/new-batch")
        document = c.wait(EC.presence_of_element_located((By.ID, "batch-document")), "the new-batch form")
        driver.execute_script("arguments[0].value = arguments[1]", document, "\n".join([
            "version: holon-batch/1",
            "name: contact sweep",
            "inputs:",
            f"  sir: {{model_id: {sir}}}",
            "steps:",
            "  - name: contact",
            "    method: sd.simulate",
            "    input: sir",
            "    params: {save_step: 1}",
            "    sweep:",
            "      grid:",
            "        - {name: overrides.contact_infectivity, values: [0.2, 0.25, 0.3]}",
            "    outputs:",
            "      variables: [infectious]",
            "      plots: [infectious]",
            ""]))
        driver.find_element(By.ID, "start-batch").click()
        c.wait(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "succeeded"), "the batch to succeed", 120)
        c.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "iframe.report[src^='blob:']"), "the batch report", 30)
        c.wait(lambda d: d.execute_script(
            "return [...document.querySelectorAll('#results .figure img')].some(i => i.complete && i.naturalWidth > 0)"),
            "a batch plot to load", 30)
        driver.execute_script("document.querySelector('iframe.report').scrollIntoView()")
        c.shot("console-batch")

        # Nothing left the server's origin.
        foreign = []
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                url = message["params"]["request"]["url"]
                if not (url.startswith(origin + "/") or url.startswith("blob:") or url.startswith("data:")):
                    foreign.append(url)
        c.check(not foreign, "every request went to the server's own origin" + (f" (not: {foreign[:5]})" if foreign else ""))
        errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        c.check(not errors, "no error in the browser console" + (f" ({errors[:3]})" if errors else ""))
        if c.failures:
            print(f"{len(c.failures)} check(s) failed", file=sys.stderr)
            return 1
        print("all console checks passed")
        return 0
    finally:
        if driver:
            driver.quit()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

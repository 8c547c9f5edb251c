"""The Holon REST client: one Client per server and token."""

import os
import time
from urllib.parse import quote

import requests

from .errors import HolonError, RunFailed
from .sse import iter_events
from .tables import to_dataframe

TERMINAL = ("succeeded", "failed", "cancelled")

# File extensions the client sends through the import route, and how.
_XML_FORMATS = {".xmile": "xmile", ".stmx": "xmile", ".xml": "xmile"}


class Client:
    """A connection to `holon serve`.

        client = Client("http://127.0.0.1:8080", token, workspace="ws_...")

    `workspace` is the workspace every model, run and batch call uses (a workspace token's own
    workspace; `Client.workspaces()` lists what the token sees). Every call raises HolonError with
    the server's problem details when the server refuses it."""

    def __init__(self, url, token, workspace=None, timeout=60.0, session=None):
        self.url = url.rstrip("/")
        self.workspace = workspace
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def close(self):
        """Close the connections (also done by `with Client(...) as client:`)."""
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- plumbing ------------------------------------------------------------------------------

    def request(self, method, path, *, expect_json=True, stream=False, timeout=None, **kwargs):
        """One request to PATH (relative to the server); the response, or HolonError."""
        url = self.url + path
        try:
            r = self.session.request(method, url, timeout=timeout or self.timeout, stream=stream,
                                     **kwargs)
        except requests.RequestException as e:
            raise HolonError(0, {"title": "cannot reach the server", "detail": str(e)},
                             method, url) from e
        if r.status_code >= 400:
            try:
                problem = r.json()
            except ValueError:
                problem = {"title": r.reason, "detail": r.text[:500]}
            raise HolonError(r.status_code, problem, method, url)
        if not expect_json:
            return r
        if r.status_code == 204 or not r.content:
            return None
        return r.json()

    def _ws(self, workspace=None):
        ws = workspace or self.workspace
        if not ws:
            raise ValueError("no workspace: pass workspace= to Client() or to this call")
        return f"/v1/workspaces/{quote(ws, safe='')}"

    def _pages(self, path, params=None):
        params = dict(params or {})
        while True:
            page = self.request("GET", path, params=params)
            yield from page.get("items", [])
            if not page.get("next"):
                return
            params["after"] = page["next"]

    # -- server, workspaces, tokens --------------------------------------------------------------

    def ready(self):
        """True when the server answers /readyz with ok."""
        try:
            return self.request("GET", "/readyz").get("status") == "ok"
        except HolonError:
            return False

    def wait_ready(self, timeout=30.0):
        """Wait until the server is ready (e.g. just after starting it)."""
        deadline = time.monotonic() + timeout
        while not self.ready():
            if time.monotonic() > deadline:
                raise HolonError(0, {"title": "the server did not become ready",
                                     "detail": f"{self.url}/readyz within {timeout} s"})
            time.sleep(0.2)

    def plugins(self):
        """Every plugin with its methods and their schemas."""
        return self.request("GET", "/v1/plugins")["items"]

    def workspaces(self):
        return list(self._pages("/v1/workspaces"))

    def create_workspace(self, name):
        """A new workspace (server admin token); returns it, and makes it this client's workspace
        when it has none yet."""
        ws = self.request("POST", "/v1/workspaces", json={"name": name})
        self.workspace = self.workspace or ws["id"]
        return ws

    def create_token(self, role="editor", expires_in=None, workspace=None):
        """A token of the workspace (admin); the secret is in ["token"], shown only now."""
        body = {"role": role}
        if expires_in is not None:
            body["expires_in"] = int(expires_in)
        return self.request("POST", self._ws(workspace) + "/tokens", json=body)

    # -- models ----------------------------------------------------------------------------------

    def upload_model(self, model, format=None, workspace=None):
        """Store a model; returns {id, revision, etag, ...}.

        model: a holon-model/1 document (dict), or a path to one (.json), or a path to any format
        a plugin imports (.xmile/.stmx as XMILE, .mdl as Vensim, others with format=...)."""
        path = self._ws(workspace) + "/models"
        if isinstance(model, dict):
            return self.request("POST", path, json=model)
        filename = os.fspath(model)
        ext = os.path.splitext(filename)[1].lower()
        with open(filename, "rb") as f:
            data = f.read()
        if format is None and ext == ".json":
            return self.request("POST", path, data=data,
                                headers={"Content-Type": "application/json"})
        fmt = format or _XML_FORMATS.get(ext) or ext.lstrip(".")
        if not fmt:
            raise ValueError(f"{filename}: no extension; say which format it is with format=")
        media = "application/xml" if fmt == "xmile" else "application/octet-stream"
        return self.request("POST", path, params={"format": fmt}, data=data,
                            headers={"Content-Type": media})

    def model(self, model_id, format=None, revision=None, workspace=None):
        """The stored model document (dict), or its export as text with format= (e.g. "xmile")."""
        params = {}
        if format:
            params["format"] = format
        if revision:
            params["revision"] = revision
        path = self._ws(workspace) + f"/models/{quote(model_id, safe='')}"
        if format:
            return self.request("GET", path, params=params, expect_json=False).text
        return self.request("GET", path, params=params)

    def models(self, workspace=None):
        return list(self._pages(self._ws(workspace) + "/models"))

    def delete_model(self, model_id, workspace=None):
        self.request("DELETE", self._ws(workspace) + f"/models/{quote(model_id, safe='')}")

    # -- runs and batches ------------------------------------------------------------------------

    def run(self, method, model=None, params=None, wait=None, revision=None, limits=None,
            workspace=None):
        """Start a run of METHOD on a stored model (its id, or the dict upload_model returned).
        With wait=SECONDS the server holds the answer until the run ends (at most that long).
        limits={"wall_seconds": S, "memory_mb": M} lowers the server's limits for this run.
        Returns a Run; call .wait() to follow it to its end."""
        body = {"method": method}
        if model is not None:
            body["model"] = model["id"] if isinstance(model, dict) else model
        if revision is not None:
            body["model_revision"] = int(revision)
        if params is not None:
            body["params"] = params
        if limits is not None:
            body["limits"] = limits
        query = {"wait": wait} if wait is not None else None
        ws = workspace or self.workspace
        state = self.request("POST", self._ws(ws) + "/runs", params=query, json=body)
        return Run(self, ws, state)

    def get_run(self, run_id, workspace=None):
        ws = workspace or self.workspace
        return Run(self, ws, self.request("GET", self._ws(ws) + f"/runs/{quote(run_id, safe='')}"))

    def batch(self, document, workspace=None):
        """Start a batch: a holon-batch/1 job document as a dict (sent as JSON), as YAML text, or
        a path to a .yaml/.json file. Its inputs must be stored models ({model_id: ...})."""
        path = self._ws(workspace) + "/batches"
        if isinstance(document, dict):
            state = self.request("POST", path, json=document)
        else:
            text = document
            if isinstance(document, os.PathLike) or (isinstance(document, str) and "\n" not in document
                                                      and os.path.exists(document)):
                with open(document, encoding="utf-8") as f:
                    text = f.read()
            media = "application/json" if text.lstrip().startswith("{") else "application/yaml"
            state = self.request("POST", path, data=text.encode("utf-8"),
                                 headers={"Content-Type": media})
        return Batch(self, workspace or self.workspace, state)

    def get_batch(self, batch_id, workspace=None):
        ws = workspace or self.workspace
        return Batch(self, ws, self.request("GET", self._ws(ws) + f"/batches/{quote(batch_id, safe='')}"))


class Run:
    """A run on the server. `state` is its last known JSON (id, method, state, progress, error...)."""

    kind = "runs"

    def __init__(self, client, workspace, state):
        self.client = client
        self.workspace = workspace
        self.state = state
        self.id = state["id"]

    def __repr__(self):
        return f"<{type(self).__name__} {self.id} {self.state.get('method')} {self.state.get('state')}>"

    def _path(self, suffix="", kind=None):
        return (self.client._ws(self.workspace) +
                f"/{kind or self.kind}/{quote(self.id, safe='')}{suffix}")

    @property
    def done(self):
        return self.state.get("state") in TERMINAL

    def refresh(self):
        self.state = self.client.request("GET", self._path())
        return self.state

    def events(self, after=None):
        """The run's server-sent events as dicts {id, event, data} until the run has ended
        (state changes, progress, cancel requests). after=ID resumes after that event."""
        headers = {"Accept": "text/event-stream"}
        if after is not None:
            headers["Last-Event-ID"] = str(after)
        r = self.client.request("GET", self._path("/events", kind="runs"), expect_json=False,
                                stream=True, headers=headers, timeout=(self.client.timeout, None))
        with r:
            yield from iter_events(r.iter_lines(decode_unicode=True))

    def wait(self, timeout=None, follow="events", on_progress=None, raise_on_failure=True):
        """Wait until the run has ended and return its final state. follow="events" follows the
        event stream, "poll" polls every half second. on_progress(fraction, stage) is called as
        progress arrives. A failed or cancelled run raises RunFailed (raise_on_failure=False
        returns its state instead). timeout (seconds) raises TimeoutError."""
        deadline = None if timeout is None else time.monotonic() + timeout
        if not self.done and follow == "events" and timeout is None:
            for e in self.events():
                if on_progress and e["event"] == "progress" and isinstance(e["data"], dict):
                    on_progress(e["data"].get("progress"), e["data"].get("stage", ""))
        while not self.done:
            self.refresh()
            if on_progress:
                on_progress(self.state.get("progress"), self.state.get("stage", ""))
            if self.done:
                break
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"{self!r} has not ended within {timeout} s")
            time.sleep(0.5)
        self.refresh()
        if raise_on_failure and self.state["state"] != "succeeded":
            raise RunFailed(self.state)
        return self.state

    def cancel(self):
        """Ask the server to stop it (a queued run ends at once)."""
        self.state = self.client.request("POST", self._path("/cancel"))
        return self.state

    def delete(self):
        """Delete the finished run with its outputs (409 while it runs: cancel first)."""
        self.client.request("DELETE", self._path())

    def result(self):
        """The result document of a succeeded run."""
        return self.client.request("GET", self._path("/result", kind="runs"))

    def outputs(self):
        """{tables: [{name, columns, row_count}], files: [{name, media_type, bytes}]}."""
        return self.client.request("GET", self._path("/tables", kind="runs"))

    def tables(self):
        return [t["name"] for t in self.outputs()["tables"]]

    def table(self, name=None, names="label", index=None):
        """One result table as a pandas DataFrame (the first table without a name). Columns are
        the display names the run gave (names="id" for the ids); df.attrs["units"] maps each
        column to its units. index="time" makes that column the index."""
        if name is None:
            tables = self.tables()
            if not tables:
                raise HolonError(404, {"title": "the run has no result tables"})
            name = tables[0]
        doc = self.client.request("GET", self._path(f"/tables/{quote(name, safe='')}", kind="runs"),
                                  headers={"Accept": "application/json"})
        return to_dataframe(doc, names=names, index=index)

    def table_csv(self, name):
        """One result table as the server's CSV text."""
        return self.client.request("GET", self._path(f"/tables/{quote(name, safe='')}", kind="runs"),
                                   expect_json=False, headers={"Accept": "text/csv"}).text

    def archive(self, dest):
        """Save everything the finished run produced as one zip file (result, tables, files and
        a manifest.json) to DEST; returns DEST. Needs a server with the archive routes."""
        r = self.client.request("GET", self._path("/archive"), expect_json=False,
                                headers={"Accept": "application/zip"})
        return _save(r, dest)

    def download(self, name, dest):
        """Save one file the run produced (see outputs()["files"]) to DEST; returns DEST."""
        r = self.client.request("GET", self._path(f"/files/{quote(name, safe='')}", kind="runs"),
                                expect_json=False)
        return _save(r, dest)


class Batch(Run):
    """A batch: a run of method holon.batch with points and an output folder."""

    kind = "batches"

    @property
    def points(self):
        return self.state.get("points", {})

    def files(self):
        """Every file of the output folder: [{path, bytes, media_type}]."""
        return self.client.request("GET", self._path("/files"))["items"]

    def file(self, path):
        """One file of the output folder as bytes."""
        return self.client.request("GET", self._path("/file"), params={"path": path},
                                   expect_json=False).content

    def download(self, path, dest):
        r = self.client.request("GET", self._path("/file"), params={"path": path},
                                expect_json=False)
        return _save(r, dest)

    def summary(self, step):
        """A step's summary.csv (one row per point) as a DataFrame."""
        import io

        import pandas as pd
        return pd.read_csv(io.BytesIO(self.file(f"steps/{step}/summary.csv")))


def _save(response, dest):
    os.makedirs(os.path.dirname(os.path.abspath(dest)), exist_ok=True)
    with open(dest, "wb") as f:
        f.write(response.content)
    return dest

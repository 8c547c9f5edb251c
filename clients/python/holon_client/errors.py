"""Errors of the Holon client: every failed request becomes a HolonError carrying the server's
problem details (RFC 9457 application/problem+json)."""


class HolonError(Exception):
    """A request the server refused or could not serve.

    `status` is the HTTP status, `type` the stable problem type (e.g. "/problems/invalid-model"),
    `title` and `detail` the server's explanation, `errors` the list of {path, message} of a
    validation problem, `problem` the whole problem document."""

    def __init__(self, status, problem, method="", url=""):
        problem = problem if isinstance(problem, dict) else {}
        self.status = status
        self.problem = problem
        self.type = problem.get("type", "")
        self.title = problem.get("title", "")
        self.detail = problem.get("detail", "")
        self.errors = problem.get("errors", [])
        self.method = method
        self.url = url
        text = f"{status} {self.title or 'HTTP error'}"
        if self.detail:
            text += f": {self.detail}"
        if self.type:
            text += f" ({self.type})"
        for e in self.errors[:5]:
            if isinstance(e, dict):
                text += f"\n  {e.get('path', '')}: {e.get('message', '')}"
        if method or url:
            text += f"\n  request: {method} {url}"
        super().__init__(text)


class RunFailed(Exception):
    """A run (or batch) ended failed or cancelled. `run` is its final state; `type`, `title` and
    `detail` come from its error problem."""

    def __init__(self, run):
        self.run = run
        error = run.get("error") or {}
        self.type = error.get("type", "")
        self.title = error.get("title", "")
        self.detail = error.get("detail", "")
        text = f"run {run.get('id')} ({run.get('method')}) ended {run.get('state')}"
        if self.title:
            text += f": {self.title}"
        if self.detail:
            text += f": {self.detail}"
        if self.type:
            text += f" ({self.type})"
        super().__init__(text)

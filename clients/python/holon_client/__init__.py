"""A Python client of the Holon REST API (`holon serve`).

    from holon_client import Client
    client = Client("http://127.0.0.1:8080", token, workspace=ws)
    model = client.upload_model("docs/examples/teacup.xmile")
    run = client.run("sd.simulate", model)
    run.wait()
    df = run.table("series", index="time")    # a pandas DataFrame, names and units in df.attrs

Needs `requests` (Debian python3-requests); tables as DataFrames need `pandas` (python3-pandas).
See docs/python.md."""

from .client import Batch, Client, Run
from .errors import HolonError, RunFailed
from .tables import to_dataframe

__all__ = ["Client", "Run", "Batch", "HolonError", "RunFailed", "to_dataframe"]
__version__ = "0.1.0"

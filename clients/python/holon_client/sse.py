"""Server-sent events (text/event-stream) as dicts."""

import json


def iter_events(lines):
    """Events of a stream of text lines: {"id": int or None, "event": str, "data": dict or str}.
    Comments (keep-alives) and the retry field are skipped."""
    event = {"id": None, "event": "message", "data": []}
    for line in lines:
        if line is None:
            continue
        if line == "":
            if event["data"]:
                text = "\n".join(event["data"])
                try:
                    data = json.loads(text)
                except ValueError:
                    data = text
                yield {"id": event["id"], "event": event["event"], "data": data}
            event = {"id": None, "event": "message", "data": []}
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field == "id":
            event["id"] = int(value) if value.isdigit() else value
        elif field == "event":
            event["event"] = value
        elif field == "data":
            event["data"].append(value)

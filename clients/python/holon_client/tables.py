"""Result tables as pandas DataFrames, with display names and units when the server gives them."""

import math


def column_metadata(table):
    """(ids, labels, units) of a table document; labels and units are "" where there is none.

    Reads the forms a server may send: `columns` as ids with parallel `labels`/`units` arrays, or
    `columns` as objects {name|id, label, units}."""
    columns = table.get("columns", [])
    ids, labels, units = [], [], []
    for i, c in enumerate(columns):
        if isinstance(c, dict):
            ids.append(str(c.get("id", c.get("name", ""))))
            labels.append(c.get("label") or "")
            units.append(c.get("units") or "")
        else:
            ids.append(str(c))
            labels.append(_nth(table.get("labels"), i))
            units.append(_nth(table.get("units"), i))
    return ids, labels, units


def _nth(values, i):
    if isinstance(values, list) and i < len(values) and isinstance(values[i], str):
        return values[i]
    return ""


def to_dataframe(table, names="label", index=None):
    """A pandas DataFrame of a table document (GET .../tables/NAME as JSON).

    names: "label" uses each column's display name when the server gave one (falling back to its
    id), "id" always the id. index: a column (id or name) to make the index, e.g. "time"; None
    keeps a plain range index.

    df.attrs carries "table" (its name), "ids", "labels" and "units" (dicts keyed by the
    DataFrame's column names); null cells (NaN in the run) are NaN."""
    import pandas as pd  # imported here so that the rest of the client works without pandas

    ids, labels, units = column_metadata(table)
    if names not in ("label", "id"):
        raise ValueError("names must be 'label' or 'id'")
    shown = [lab if names == "label" and lab else cid for cid, lab in zip(ids, labels)]
    if len(set(shown)) != len(shown):  # two columns with one display name: ids keep them apart
        shown = list(ids)
    rows = [[math.nan if v is None else v for v in row] for row in table.get("rows", [])]
    df = pd.DataFrame(rows, columns=shown, dtype="float64")
    df.attrs["table"] = table.get("name", "")
    df.attrs["ids"] = dict(zip(shown, ids))
    df.attrs["labels"] = dict(zip(shown, [lab or cid for cid, lab in zip(ids, labels)]))
    df.attrs["units"] = dict(zip(shown, units))
    if index is not None:
        key = index if index in df.columns else _shown_of(index, shown, ids)
        df = df.set_index(key)
    return df


def _shown_of(name, shown, ids):
    for s, i in zip(shown, ids):
        if i == name:
            return s
    raise KeyError(f"no column '{name}' in the table (columns: {', '.join(shown)})")

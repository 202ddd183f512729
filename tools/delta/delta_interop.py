#!/usr/bin/env python3
"""Delta Lake interop with delta-rs (`pip install deltalake`), outside `npm test`.

  python3 tools/delta/delta_interop.py read <table> [--version N]
      Prints {"version", "schema", "partitionColumns", "rows", "numFiles"} as JSON (rows sorted canonically,
      dates as yyyy-MM-dd, timestamps as ISO-8601 UTC with milliseconds) for a table weir wrote.
  python3 tools/delta/delta_interop.py golden <out-dir>
      Writes the golden tables weir's specs read without Python (spec/connectors/delta/golden/), each with an
      expected.json of its rows per version.
"""
import datetime as dt
import json
import os
import shutil
import sys

import pyarrow as pa
from deltalake import DeltaTable, WriterProperties, write_deltalake


def jsonable(v):
    if isinstance(v, dt.datetime):
        if v.tzinfo is None:
            v = v.replace(tzinfo=dt.timezone.utc)
        return v.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, bytes):
        return v.hex()
    return v


def rows_of(dt_table):
    tbl = dt_table.to_pyarrow_table()
    rows = [{k: jsonable(v) for k, v in r.items()} for r in tbl.to_pylist()]
    rows.sort(key=lambda r: json.dumps(r, sort_keys=True))
    return rows


def read(path, version=None):
    t = DeltaTable(path, version=version) if version is not None else DeltaTable(path)
    meta = t.metadata()
    out = {
        "version": t.version(),
        "schema": json.loads(t.schema().to_json()),
        "partitionColumns": list(meta.partition_columns),
        "numFiles": len(t.file_uris()),
        "rows": rows_of(t),
        "history": [h.get("operation") for h in t.history()],
    }
    print(json.dumps(out, sort_keys=True))


def utc(y, m, d, h=0, mi=0, s=0):
    return dt.datetime(y, m, d, h, mi, s, tzinfo=dt.timezone.utc)


SCHEMA = pa.schema([("id", pa.int64()), ("name", pa.string()), ("day", pa.date32()), ("ts", pa.timestamp("us", tz="UTC")), ("score", pa.float64())])


def batch(ids):
    return pa.table(
        {
            "id": [i for i in ids],
            "name": [None if i % 5 == 4 else f"n{i}" for i in ids],
            "day": [dt.date(2024, 1, 1 + i % 3) for i in ids],
            "ts": [utc(2024, 1, 1, i % 24, i % 60, 0) for i in ids],
            "score": [i * 1.5 for i in ids],
        },
        schema=SCHEMA,
    )


def expected_versions(path):
    latest = DeltaTable(path).version()
    return {str(v): rows_of(DeltaTable(path, version=v)) for v in range(0, latest + 1)}


def golden(out):
    os.makedirs(out, exist_ok=True)
    # 1. partitioned, five appends of one row, a checkpoint at version 2 (then commits 3 and 4 after it).
    p = os.path.join(out, "partitioned_checkpoint")
    shutil.rmtree(p, ignore_errors=True)
    for v in range(0, 5):
        write_deltalake(p, batch([v]), mode="append", partition_by=["day"])
        if v == 2:
            DeltaTable(p).create_checkpoint()
    # 2. overwrite and delete.
    q = os.path.join(out, "overwrite_delete")
    shutil.rmtree(q, ignore_errors=True)
    write_deltalake(q, batch([0, 1]), mode="append")
    write_deltalake(q, batch([4]), mode="append")
    write_deltalake(q, batch([10, 11, 12]), mode="overwrite")
    # weir reads snappy (and uncompressed) Parquet only: delta-rs DELETE would write zstd by default.
    DeltaTable(q).delete("id = 11", writer_properties=WriterProperties(compression="SNAPPY"))
    write_deltalake(q, batch([20]), mode="append")
    for path in (p, q):
        exp = {"latestVersion": DeltaTable(path).version(), "versions": expected_versions(path), "schema": json.loads(DeltaTable(path).schema().to_json())}
        with open(os.path.join(path, "expected.json"), "w") as f:
            json.dump(exp, f, sort_keys=True, indent=1)
    print(json.dumps({"written": [p, q]}))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "read":
        version = int(sys.argv[sys.argv.index("--version") + 1]) if "--version" in sys.argv else None
        read(sys.argv[2], version)
    elif len(sys.argv) == 3 and sys.argv[1] == "golden":
        golden(sys.argv[2])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)

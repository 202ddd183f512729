#!/usr/bin/env python3
"""Run every scenario of scenarios.py on real PySpark and write golden JSON files.

Usage (see README.md):  python tools/spark-golden/generate.py [--only NAME ...] [--out DIR]

Input goes through the FILE source (one JSON-lines file per step per input, one
directory per input); the query is started once with the default trigger and,
for each step, the files are written while holding the query's progress lock
(so that one trigger sees all of the step's files, even across inputs) and then
query.processAllAvailable() is called. foreachBatch records every executed batch
(no-data batches too); query.recentProgress gives the per-batch metrics.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

os.environ["TZ"] = "UTC"
time.tzset()
# Python workers (applyInPandasWithState) run this interpreter, the one that has pandas and pyarrow.
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the repo

from scenarios import SCENARIOS, agg_set_columns  # noqa: E402

import datetime as _dt  # noqa: E402
from decimal import Decimal  # noqa: E402

from pyspark.sql import SparkSession, Row  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402

BASE_CONF = {
    "spark.sql.shuffle.partitions": "1",
    "spark.sql.session.timeZone": "UTC",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.streaming.noDataMicroBatches.enabled": "true",
    # no idle progress entries in recentProgress (they would repeat the next batch id)
    "spark.sql.streaming.noDataProgressEventInterval": "3600000",
    "spark.driver.extraJavaOptions": "-Duser.timezone=UTC",
    "spark.sql.adaptive.enabled": "false",
}


# ---------------------------------------------------------------------------
# value conversion and canonical ordering

def iso(d):
    """datetime (naive = UTC, the process runs with TZ=UTC) -> ISO-8601 UTC, ms (µs when needed)."""
    if d.tzinfo is not None:
        d = d.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    s = d.strftime("%Y-%m-%dT%H:%M:%S")
    if d.microsecond % 1000 == 0:
        return s + ".%03dZ" % (d.microsecond // 1000)
    return s + ".%06dZ" % d.microsecond


def to_json_value(v):
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        return v
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, _dt.datetime):
        return iso(v)
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, Row):
        return {k: to_json_value(x) for k, x in v.asDict(recursive=False).items()}
    if isinstance(v, dict):
        return {str(k): to_json_value(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [to_json_value(x) for x in v]
    raise TypeError("unsupported value %r" % (v,))


def js_number(x):
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        return str(x)
    if x != x or x in (float("inf"), float("-inf")):
        return "null"  # JSON.stringify behaviour
    if x.is_integer() and abs(x) < 1e21:
        return str(int(x))
    return repr(x)


def canonical(v):
    """JSON text with object keys sorted recursively and numbers printed like JS
    (1.0 -> 1): equal to JSON.stringify(sortKeysDeep(v)) in TypeScript."""
    if v is None:
        return "null"
    if isinstance(v, (bool, int, float)):
        return js_number(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ",".join(canonical(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical(v[k]) for k in sorted(v)) + "}"
    raise TypeError(v)


def sort_set(values):
    """collect_set arrays: numeric order when all elements are numbers, else canonical text order."""
    if all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in values):
        return sorted(values)
    return sorted(values, key=canonical)


def convert_rows(rows, set_cols):
    out = []
    for row in rows:
        d = {k: to_json_value(x) for k, x in row.asDict(recursive=False).items()}
        for c in set_cols:
            if isinstance(d.get(c), list):
                d[c] = sort_set(d[c])
        out.append(d)
    out.sort(key=canonical)
    return out


def pretty(v, indent=0, width=120, key=None, parent=None):
    """JSON, 2-space indentation; a value whose compact form fits in `width` stays on one line, and so does
    every row (items of "rows" and of the per-input lists under "inputs")."""
    compact = json.dumps(v, ensure_ascii=False, separators=(", ", ": "))
    if not isinstance(v, (dict, list)) or len(compact) + indent <= width or not v:
        return compact
    pad = " " * (indent + 2)
    if isinstance(v, list):
        if key == "rows" or parent == "inputs":
            items = [pad + json.dumps(x, ensure_ascii=False, separators=(", ", ": ")) for x in v]
        else:
            items = [pad + pretty(x, indent + 2, width) for x in v]
        return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"
    items = [pad + json.dumps(k, ensure_ascii=False) + ": " + pretty(x, indent + 2, width, k, key)
             for k, x in v.items()]
    return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"


# ---------------------------------------------------------------------------
# query construction from the stage vocabulary

def build_query(spark, scenario, dirs):
    schemas = scenario.get("schemas") or [scenario["schema"]] * len(dirs)  # one DDL per input (joins)
    inputs = [spark.readStream.schema(schemas[i]).option("maxFilesPerTrigger", 100000).json(d)
              for i, d in enumerate(dirs)]
    df = None
    pending = {}  # grouping column name -> Column (window / session_window)

    def current():
        nonlocal df
        if df is None:
            if len(inputs) != 1:
                raise ValueError("several inputs need a union stage")
            df = inputs[0]
        return df

    for st in scenario["stages"]:
        op = st["op"]
        if op == "withWatermark":
            i = st.get("input", 0)
            if df is None:
                inputs[i] = inputs[i].withWatermark(st["column"], st["delay"])
            else:
                df = df.withWatermark(st["column"], st["delay"])
        elif op == "union":
            df = inputs[0]
            for other in inputs[1:]:
                df = df.union(other)
        elif op == "window" and "as" in st:
            # one input's "keep" columns and a window column, before a join (window-equality joins)
            i = st["input"]
            inputs[i] = inputs[i].select(*st["keep"], F.window(F.col(st["column"]), st["duration"]).alias(st["as"]))
        elif op == "window":
            current()
            args = [F.col(st["column"]), st["duration"]]
            slide = st.get("slide")
            start = st.get("startTime")
            if slide is not None or start is not None:
                args.append(slide if slide is not None else st["duration"])
            if start is not None:
                args.append(start)
            pending["window"] = F.window(*args)
        elif op == "sessionWindow":
            current()
            pending["session_window"] = F.session_window(F.col(st["column"]), st["gap"])
        elif op == "groupBy":
            keys = [pending.get(k, F.col(k)) for k in st["keys"]]
            aggs = []
            for a in st["aggs"]:
                fn, col, name = a["fn"], a.get("column"), a["as"]
                if fn == "count":
                    e = F.count(F.lit(1)) if col is None else F.count(F.col(col))
                elif fn in ("sum", "avg", "min", "max", "collect_list", "collect_set", "approx_count_distinct"):
                    e = getattr(F, fn)(F.col(col))
                elif fn in ("first", "last"):
                    e = getattr(F, fn)(F.col(col))
                else:
                    raise ValueError("unknown aggregate " + fn)
                aggs.append(e.alias(name))
            df = current().groupBy(*keys).agg(*aggs)
            pending = {}
        elif op == "select":
            df = current().select(*[F.expr(e) for e in st["exprs"]])
        elif op == "joinStatic":
            static = spark.createDataFrame(st["rows"], st["staticSchema"])
            df = current().join(static, F.expr(st["condition"]), st["how"])
        elif op == "join":
            # input 0 (left) joined with input 1 (right), each after its own stages
            df = inputs[0].join(inputs[1], F.expr(st["condition"]), st["how"])
        elif op == "dropDuplicates":
            cols = st.get("columns")
            df = current().dropDuplicates(cols) if cols else current().dropDuplicates()
        elif op == "dropDuplicatesWithinWatermark":
            cols = st.get("columns")
            df = current().dropDuplicatesWithinWatermark(cols) if cols else current().dropDuplicatesWithinWatermark()
        elif op == "sessionize":
            from scenarios_dedup import SESSIONIZE_OUTPUT, SESSIONIZE_STATE, sessionize
            df = current().groupBy(*st["keys"]).applyInPandasWithState(
                sessionize(st["gap"], st["outputMode"]), SESSIONIZE_OUTPUT, SESSIONIZE_STATE,
                st["outputMode"], "EventTimeTimeout")
        elif op == "timeoutProbe":
            from scenarios_dedup import TIMEOUT_PROBE_OUTPUT, TIMEOUT_PROBE_STATE, timeout_probe
            df = current().groupBy(*st["keys"]).applyInPandasWithState(
                timeout_probe(), TIMEOUT_PROBE_OUTPUT, TIMEOUT_PROBE_STATE, "append", "EventTimeTimeout")
        else:
            raise ValueError("unknown stage " + op)
    return current()


# ---------------------------------------------------------------------------
# running one scenario

class Recorder:
    def __init__(self, set_cols):
        self.set_cols = set_cols
        self.batches = {}
        self.schema = None
        self.inject = None  # called after each batch's rows are collected (steps added during a batch)

    def __call__(self, df, batch_id):
        rows = df.collect()
        if self.schema is None:
            self.schema = {
                "simpleString": df.schema.simpleString(),
                "fields": [{"name": f.name, "type": f.dataType.simpleString(), "nullable": f.nullable}
                           for f in df.schema.fields],
            }
        self.batches[batch_id] = convert_rows(rows, self.set_cols)
        if self.inject is not None:
            self.inject(batch_id)


def progress_by_batch(query):
    out = {}
    for p in query._jsq.recentProgress():
        j = json.loads(p.json())
        out[j["batchId"]] = j  # the last entry for a batch id wins
    return out


def batch_record(b, prog, rec, dirs):
    p = prog.get(b)
    if p is None:
        raise RuntimeError("no progress for batch %d (recentProgress too short?)" % b)
    per_input = {}
    for s in p.get("sources", []):
        per_input[str(input_index(s["description"], dirs))] = s["numInputRows"]
    ops = p.get("stateOperators", [])
    return {
        "batchId": b,
        "rows": rec.batches[b],
        "numInputRows": p["numInputRows"],
        "numInputRowsPerInput": per_input,
        "watermark": p.get("eventTime", {}).get("watermark"),
        "numRowsDroppedByWatermark": [o.get("numRowsDroppedByWatermark") for o in ops],
        "numRowsTotal": [o.get("numRowsTotal") for o in ops],
        "numRowsUpdated": [o.get("numRowsUpdated") for o in ops],
        "numRowsRemoved": [o.get("numRowsRemoved") for o in ops],
        "numDroppedDuplicateRows": [o.get("customMetrics", {}).get("numDroppedDuplicateRows") for o in ops],
        "_stateOperatorNames": [o.get("operatorName") for o in ops],
    }


def input_index(desc, dirs):
    for i, d in enumerate(dirs):
        if desc.rstrip("]").endswith(os.path.basename(d)) or ("/" + os.path.basename(d) + "]") in desc:
            return i
    return None


def write_step_files(dirs, step_no, step):
    for key, rows in step["inputs"].items():
        d = dirs[int(key)]
        name = "step-%04d.json" % step_no
        tmp = os.path.join(d, "." + name + ".tmp")  # dot files are ignored by the file source
        with open(tmp, "w") as f:
            for row in rows:
                f.write(json.dumps(row) + "\n")
        os.rename(tmp, os.path.join(d, name))


class StepMismatch(Exception):
    pass


def run_scenario(spark, sc, workdir):
    n_inputs = sc.get("inputs", 1)
    dirs = []
    for i in range(n_inputs):
        d = os.path.join(workdir, "in%d" % i)
        os.makedirs(d)
        dirs.append(d)
    conf = sc.get("conf", {})
    saved = {}
    for k, v in conf.items():
        saved[k] = spark.conf.get(k, None)
        spark.conf.set(k, v)
    rec = Recorder(agg_set_columns(sc))
    query = None
    try:
        df = build_query(spark, sc, dirs)
        query = (df.writeStream.outputMode(sc["outputMode"]).foreachBatch(rec)
                 .option("checkpointLocation", os.path.join(workdir, "checkpoint"))
                 .queryName(sc["name"]).start())
        lock = query._jsq.streamingQuery().awaitProgressLock()
        query.processAllAvailable()
        if rec.batches:
            raise StepMismatch("batches ran before any input: %r" % sorted(rec.batches))
        steps = sc["steps"]
        if steps and steps[0].get("addedDuringPreviousBatch"):
            raise ValueError("the first step cannot be addedDuringPreviousBatch")
        out_steps = []
        seen = set()
        written = [0]
        n = 0
        while n < len(steps):
            # a group: one ordinary step followed by the steps whose rows appear while the previous step's
            # first batch runs (written from inside foreachBatch, before the query decides on its next batch)
            group = [n]
            while group[-1] + 1 < len(steps) and steps[group[-1] + 1].get("addedDuringPreviousBatch"):
                group.append(group[-1] + 1)
            injected = {}

            def inject(batch_id, _pending=[(i, steps[i]) for i in group[1:]]):
                if _pending:
                    i, stp_i = _pending.pop(0)
                    write_step_files(dirs, i, stp_i)
                    written[0] += sum(len(v) for v in stp_i["inputs"].values())
                    injected[i] = batch_id

            rec.inject = inject if len(group) > 1 else None
            # Hold the lock the query thread takes around "get latest offsets + decide": one trigger sees
            # all files of the step (both inputs), and processAllAvailable cannot return on a stale decision.
            lock.lock()
            try:
                write_step_files(dirs, n, steps[n])
            finally:
                lock.unlock()
            written[0] += sum(len(v) for v in steps[n]["inputs"].values())
            for _ in range(100):
                query.processAllAvailable()
                prog = progress_by_batch(query)
                if (len(injected) == len(group) - 1 and
                        sum(p["numInputRows"] for b, p in prog.items() if b in rec.batches) >= written[0]):
                    break
                time.sleep(0.05)
            query.processAllAvailable()
            rec.inject = None
            if query.exception() is not None:
                raise RuntimeError(str(query.exception()))
            if len(injected) != len(group) - 1:
                raise StepMismatch("steps %r: only %r were injected" % (group, injected))
            prog = progress_by_batch(query)
            new_ids = sorted(b for b in rec.batches if b not in seen)
            seen.update(new_ids)
            # split the batches between the steps of the group
            bounds = [injected[i] for i in group[1:]] + [None]
            for gi, step_no in enumerate(group):
                stp = steps[step_no]
                hi = bounds[gi]
                lo = bounds[gi - 1] if gi > 0 else None
                ids = [b for b in new_ids if (lo is None or b > lo) and (hi is None or b <= hi)]
                batches = [batch_record(b, prog, rec, dirs) for b in ids]
                # hard check: the step's rows were read by its first batch, per input
                step_rows = {k: len(v) for k, v in stp["inputs"].items()}
                if not batches:
                    raise StepMismatch("step %d ran no batch" % step_no)
                first = batches[0]["numInputRowsPerInput"]
                for k, cnt in step_rows.items():
                    if first.get(k, 0) != cnt:
                        raise StepMismatch("step %d: first batch read %r, step has %r" % (step_no, first, step_rows))
                if any(b["numInputRows"] for b in batches[1:]):
                    raise StepMismatch("step %d: data spread over several batches" % step_no)
                out_step = {"inputs": stp["inputs"]}
                if stp.get("addedDuringPreviousBatch"):
                    out_step["addedDuringPreviousBatch"] = True
                if stp.get("note"):
                    out_step["note"] = stp["note"]
                out_step["batches"] = batches
                out_steps.append(out_step)
            n = group[-1] + 1
        return out_steps, rec.schema
    finally:
        if query is not None:
            query.stop()
        for k, v in saved.items():
            if v is None:
                spark.conf.unset(k)
            else:
                spark.conf.set(k, v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", nargs="*", help="scenario names to (re)generate")
    ap.add_argument("--out", default=os.path.join(REPO, "spec", "golden", "scenarios"))
    ap.add_argument("--tries", type=int, default=3)
    args = ap.parse_args()

    t0 = time.time()
    builder = SparkSession.builder.master("local[1]").appName("weir-spark-golden")
    for k, v in BASE_CONF.items():
        builder = builder.config(k, v)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    version = spark.version
    print("Spark %s, started in %.1fs" % (version, time.time() - t0))

    os.makedirs(args.out, exist_ok=True)
    selected = [s for s in SCENARIOS if not args.only or s["name"] in args.only]
    names = [s["name"] for s in SCENARIOS]
    assert len(set(names)) == len(names), "duplicate scenario names"
    warnings = []
    for sc in selected:
        ts = time.time()
        for attempt in range(args.tries):
            workdir = tempfile.mkdtemp(prefix="weir-golden-")
            try:
                steps, out_schema = run_scenario(spark, sc, workdir)
                break
            except StepMismatch as e:
                print("  %s: attempt %d: %s; retrying" % (sc["name"], attempt + 1, e))
            finally:
                shutil.rmtree(workdir, ignore_errors=True)
        else:
            raise SystemExit("scenario %s: batch boundaries never matched the steps" % sc["name"])

        names_seen = {tuple(b.pop("_stateOperatorNames")) for s in steps for b in s["batches"]}
        if len(names_seen) > 1:
            warnings.append("%s: state operators differ between batches: %r" % (sc["name"], names_seen))
        op_names = list(next(iter(names_seen))) if names_seen else []

        doc = {
            "name": sc["name"],
            "description": sc["description"],
            "spark": {"version": version},
            "conf": dict(sc.get("conf", {})),
            "schema": sc["schema"],
            **({"schemas": sc["schemas"]} if "schemas" in sc else {}),
            "inputs": sc.get("inputs", 1),
            "stages": sc["stages"],
            "outputMode": sc["outputMode"],
            "outputSchema": out_schema["simpleString"],
            "outputFields": out_schema["fields"],
            "stateOperators": op_names,
            "steps": steps,
        }
        with open(os.path.join(args.out, sc["name"] + ".json"), "w") as f:
            f.write(pretty(doc) + "\n")

        per_step = [[b["batchId"] for b in s["batches"]] for s in steps]
        print("%-40s %5.1fs  batches per step: %s" % (sc["name"], time.time() - ts, per_step))
        for i, (s, stp) in enumerate(zip(steps, sc["steps"])):
            exp = stp.get("expectBatches")
            if exp is not None and exp != len(s["batches"]):
                w = "%s: step %d ran %d batches, expected %d" % (sc["name"], i, len(s["batches"]), exp)
                warnings.append(w)
                print("  WARN " + w)
    spark.stop()
    for w in warnings:
        print("WARN " + w)
    print("%d scenarios in %.1fs" % (len(selected), time.time() - t0))


if __name__ == "__main__":
    main()

"""Scenario definitions for the Spark golden data (data only, no Spark code).

Each scenario is a plain dict:

  name         file name under spec/golden/scenarios/ (<name>.json)
  description  what the scenario probes
  schema       input schema DDL, shared by every input
  inputs       number of inputs (file sources / MemoryStreams), default 1
  stages       the query, in the neutral stage vocabulary (see README.md)
  outputMode   "append" | "update" | "complete"
  conf         extra SQL confs set for this query only (optional)
  steps        list of {"inputs": {"<i>": [rows]}, "note": str, "expectBatches": n,
                        "addedDuringPreviousBatch": true (optional)}
               Rows of one step are made visible to the query together, then the
               generator waits until the query has processed everything
               (processAllAvailable). expectBatches is the number of micro-batches
               we intend the step to trigger (1 data batch, +1 no-data batch when
               the watermark advanced and the stateful operator needs one); the
               generator prints a warning when Spark disagrees.
  aggSetColumns  output columns whose arrays are sorted (collect_set results);
               derived automatically from the groupBy stages.

Timestamps in rows are ISO-8601 UTC strings with milliseconds; t(s) is
2024-01-01T00:00:00Z plus s seconds (s may be fractional, ms precision).
"""

from datetime import datetime, timedelta, timezone

BASE = datetime(2024, 1, 1, tzinfo=timezone.utc)
SCHEMA = "word STRING, ts TIMESTAMP, v BIGINT"


def t(sec):
    d = BASE + timedelta(milliseconds=round(sec * 1000))
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d" % (d.microsecond // 1000) + "Z"


def r(word, sec, v=1):
    return {"word": word, "ts": t(sec), "v": v}


def step(rows, note=None, expect=None, inp="0", during_previous=False):
    s = {"inputs": {inp: rows}}
    if during_previous:
        s["addedDuringPreviousBatch"] = True
    if note:
        s["note"] = note
    if expect is not None:
        s["expectBatches"] = expect
    return s


def step2(rows0, rows1, note=None, expect=None):
    ins = {}
    if rows0:
        ins["0"] = rows0
    if rows1:
        ins["1"] = rows1
    s = {"inputs": ins}
    if note:
        s["note"] = note
    if expect is not None:
        s["expectBatches"] = expect
    return s


def wm(delay="10 seconds", inp=0, column="ts"):
    return {"op": "withWatermark", "input": inp, "column": column, "delay": delay}


def win(duration="10 seconds", slide=None, start=None, column="ts"):
    return {"op": "window", "column": column, "duration": duration, "slide": slide, "startTime": start}


def agg(fn, column=None, as_=None):
    return {"fn": fn, "column": column, "as": as_ or fn}


def group(keys, aggs):
    return {"op": "groupBy", "keys": keys, "aggs": aggs}


COUNT = agg("count", None, "count")

# ---------------------------------------------------------------------------
# shared inputs

TUMBLING_STEPS = [
    step([r("a", 1), r("b", 3), r("a", 7)],
         "first data; watermark moves from 0 (epoch) to 23:59:57 (max 7 - 10s) -> no-data batch, nothing to emit", 2),
    step([r("a", 12), r("c", 15)], "wm -> 00:00:05; nothing evicted", 2),
    step([r("b", 26)], "wm -> 16; no-data batch emits [0,10)", 2),
    step([r("a", 41)], "wm -> 31; no-data batch emits [10,20) and [20,30)", 2),
]

LATE_STEPS = [
    step([r("a", 1), r("b", 3), r("a", 7)], "wm -> 23:59:57", 2),
    step([r("a", 12), r("c", 15)], "wm -> 00:00:05", 2),
    step([r("b", 26)], "wm -> 16; [0,10) finalized", 2),
    step([r("a", 8), r("a", 9), r("b", 2), r("c", 14), r("c", 11)],
         "wm 16 (unchanged): a@8,a@9,b@2 fall in [0,10) (end 10 <= 16) -> late, dropped (2 keys after partial "
         "aggregation, 3 raw rows); c@14,c@11 have ts <= wm but window [10,20) is still open -> counted", 1),
    step([r("a", 45)], "wm -> 35; emits [10,20) (c=3) and [20,30)", 2),
]

SESSION_STEPS = [
    step([r("a", 1), r("a", 4), r("b", 2)], "sessions a[1,9) b[2,7); wm -> 23:59:54", 2),
    step([r("a", 8), r("b", 20)], "a@8 [8,13) merges with a[1,9) across batches -> a[1,13); wm -> 10 emits b[2,7)", 2),
    step([r("a", 12), r("c", 30)], "a@12 extends a to [1,17); wm -> 20 emits a[1,17)", 2),
    step([r("a", 14), r("d", 50)], "a@14 own session [14,19) end <= 20 -> late, dropped; wm -> 40 emits b[20,25) c[30,35)", 2),
    step([r("e", 60), r("e", 66), r("e", 63), r("d", 52)],
         "three e rows chain into one session [60,71) within one batch; d@52 extends d to [50,57); wm -> 56", 2),
    step([r("z", 100)], "wm -> 90 emits d[50,57) and e[60,71)", 2),
]

UNION_STEPS = [
    step2([r("a", 5)], None, "only input 0 has data; input 1 contributes 0 to the min", None),
    step2(None, [r("b", 6)], "input 1 gets data (delay 20s)", None),
    step2([r("a", 30)], None, "input 0 advances", None),
    step2(None, [r("b", 40)], "input 1 advances", None),
    step2([r("a", 12)], [r("b", 21)],
          "both inputs in one batch; a@12 in window [10,20) is late if the global wm is >= 20", None),
    step2([r("a", 60)], [r("b", 70)], "both advance to wm 50", None),
]


def with_expect(steps, expects):
    out = []
    for s, e in zip(steps, expects):
        s = dict(s)
        s["expectBatches"] = e
        out.append(s)
    return out


SCENARIOS = [
    {
        "name": "append_tumbling_count",
        "description": "Append, 10s tumbling window count per word, watermark 10s, rows in order. Each window is "
                       "emitted once, in the no-data batch after the batch that moved the watermark past its end.",
        "schema": SCHEMA,
        "stages": [wm(), win(), group(["window", "word"], [COUNT])],
        "outputMode": "append",
        "steps": TUMBLING_STEPS,
    },
    {
        "name": "append_tumbling_late_rows",
        "description": "Append, 10s tumbling window count, watermark 10s, with late rows: rows whose window end <= "
                       "watermark are dropped (numRowsDroppedByWatermark counts keys after partial aggregation), rows "
                       "older than the watermark whose window is still open are counted.",
        "schema": SCHEMA,
        "stages": [wm(), win(), group(["window", "word"], [COUNT])],
        "outputMode": "append",
        "steps": LATE_STEPS,
    },
    {
        "name": "update_tumbling_late_rows",
        "description": "Update mode, same query and input as append_tumbling_late_rows: changed windows are emitted "
                       "in the data batch, no-data batches only evict, late rows dropped.",
        "schema": SCHEMA,
        "stages": [wm(), win(), group(["window", "word"], [COUNT])],
        "outputMode": "update",
        "steps": LATE_STEPS,
    },
    {
        "name": "complete_tumbling_late_rows",
        "description": "Complete mode, same query and input as append_tumbling_late_rows: whole table every batch, "
                       "late rows counted, nothing evicted, no no-data batches.",
        "schema": SCHEMA,
        "stages": [wm(), win(), group(["window", "word"], [COUNT])],
        "outputMode": "complete",
        "steps": with_expect(LATE_STEPS, [1, 1, 1, 1, 1]),
    },
    {
        "name": "append_sliding_10s_5s",
        "description": "Append, sliding window 10s/5s: each row in two windows; a row older than the watermark is "
                       "dropped for its closed window but counted in its still-open window.",
        "schema": SCHEMA,
        "stages": [wm(), win("10 seconds", "5 seconds"), group(["window", "word"], [COUNT])],
        "outputMode": "append",
        "steps": [
            step([r("a", 1), r("a", 6), r("a", 12)], "windows [-5,5) [0,10) [5,15) [10,20); wm -> 2", 2),
            step([r("a", 26)], "wm -> 16: emits [-5,5) [0,10) [5,15)", 2),
            step([r("a", 14), r("a", 3)],
                 "a@14: [5,15) closed (dropped) but [10,20) open (counted); a@3: both windows closed (dropped)", 1),
            step([r("a", 50)], "wm -> 40: emits [10,20) [15,25) [20,30) [25,35)", 2),
        ],
    },
    {
        "name": "append_sliding_10s_3s",
        "description": "Append, sliding window 10s/3s (window not a multiple of slide): SEMANTICS example, 00:00:27 "
                       "-> [18,28) [21,31) [24,34) [27,37); 00:00:34 -> [27,37) [30,40) [33,43).",
        "schema": SCHEMA,
        "stages": [wm("5 seconds"), win("10 seconds", "3 seconds"), group(["window", "word"], [COUNT])],
        "outputMode": "append",
        "steps": [
            step([r("a", 27), r("b", 34)], "wm -> 29: emits [18,28)", 2),
            step([r("z", 60)], "wm -> 55: emits everything else but z's windows", 2),
        ],
    },
    {
        "name": "append_window_start_time",
        "description": "Append, 10s tumbling window with startTime 2s: windows [..,2) [2,12) [12,22); a window whose "
                       "end equals the watermark is emitted (eviction uses end <= watermark).",
        "schema": SCHEMA,
        "stages": [wm(), win("10 seconds", None, "2 seconds"), group(["window", "word"], [COUNT])],
        "outputMode": "append",
        "steps": [
            step([r("a", 1), r("a", 2), r("a", 11), r("a", 12)],
                 "windows [-8,2) [2,12) [12,22); wm -> 2 == end of [-8,2) -> emitted by the no-data batch", 2),
            step([r("a", 33)], "wm -> 23: emits [2,12) and [12,22)", 2),
        ],
    },
    {
        "name": "append_session_window",
        "description": "Append, session window gap 5s per word, watermark 10s: sessions merge across batches and "
                       "within a batch, are emitted when session end <= watermark, late rows dropped.",
        "schema": SCHEMA,
        "stages": [wm(), {"op": "sessionWindow", "column": "ts", "gap": "5 seconds"},
                   group(["session_window", "word"], [COUNT, agg("sum", "v", "total")])],
        "outputMode": "append",
        "steps": SESSION_STEPS,
    },
    {
        "name": "complete_session_window",
        "description": "Complete mode, same query and input as append_session_window: all sessions every batch, "
                       "nothing evicted, the late row merges into its session.",
        "schema": SCHEMA,
        "stages": [wm(), {"op": "sessionWindow", "column": "ts", "gap": "5 seconds"},
                   group(["session_window", "word"], [COUNT, agg("sum", "v", "total")])],
        "outputMode": "complete",
        "steps": with_expect(SESSION_STEPS, [1] * len(SESSION_STEPS)),
    },
    {
        "name": "union_two_watermarks_min",
        "description": "Two inputs, watermark 10s on input 0 and 20s on input 1, unioned, 10s window count, append, "
                       "default min policy: the global watermark stays at 0 until both inputs have data, then follows "
                       "the slower input.",
        "schema": SCHEMA,
        "inputs": 2,
        "stages": [wm("10 seconds", 0), wm("20 seconds", 1), {"op": "union"}, win(),
                   group(["window", "word"], [COUNT])],
        "outputMode": "append",
        "steps": with_expect(UNION_STEPS, [1, 2, 1, 2, 1, 2]),
    },
    {
        "name": "union_two_watermarks_max",
        "description": "Same as union_two_watermarks_min with spark.sql.streaming.multipleWatermarkPolicy=max: the "
                       "global watermark follows the faster input (an input without data yet does not hold it back).",
        "schema": SCHEMA,
        "inputs": 2,
        "conf": {"spark.sql.streaming.multipleWatermarkPolicy": "max"},
        "stages": [wm("10 seconds", 0), wm("20 seconds", 1), {"op": "union"}, win(),
                   group(["window", "word"], [COUNT])],
        "outputMode": "append",
        "steps": with_expect(UNION_STEPS, [2, 1, 2, 1, 1, 2]),
    },
    {
        "name": "append_chained_window_aggregations",
        "description": "Append, chained stateful operators (3.4+): 10s window count per word, then a 20s window "
                       "over the first window column (window_time = end - 1us) summing the counts.",
        "schema": SCHEMA,
        "stages": [wm(), win(), group(["window", "word"], [COUNT]),
                   win("20 seconds", column="window"),
                   group(["window", "word"], [agg("sum", "count", "total"), agg("count", None, "windows")])],
        "outputMode": "append",
        "steps": [
            step([r("a", 1), r("a", 5), r("a", 12), r("b", 15)], "wm -> 5, nothing evicted", 2),
            step([r("a", 22), r("a", 31)],
                 "wm -> 21: the no-data batch evicts [0,10) and [10,20) from the first aggregation, the second one "
                 "gets them in window [0,20) and can evict it in the same batch", 2),
            step([r("a", 70)], "wm -> 60: [20,30) [30,40) -> [20,40)", 2),
        ],
    },
    {
        "name": "update_global_count_no_watermark",
        "description": "Update mode, groupBy word count/sum without watermark or window: every changed key per batch, "
                       "no watermark, no no-data batches.",
        "schema": SCHEMA,
        "stages": [group(["word"], [COUNT, agg("sum", "v", "total")])],
        "outputMode": "update",
        "steps": [
            step([r("a", 1), r("a", 2, 5), r("b", 3)], None, 1),
            step([r("a", 100, 2)], None, 1),
            step([r("c", 5), r("b", 1, 10)], None, 1),
        ],
    },
    {
        "name": "update_many_aggregates",
        "description": "Update mode, window+word key with count(*), count(v), sum, avg, min, max, first, last, "
                       "collect_list, collect_set, approx_count_distinct, including null values; merges across "
                       "batches. collect_set arrays are sorted in the golden file, collect_list is as Spark gave it.",
        "schema": SCHEMA,
        "stages": [wm(), win(), group(["window", "word"], [
            COUNT, agg("count", "v", "count_v"), agg("sum", "v", "sum"), agg("avg", "v", "avg"),
            agg("min", "v", "min"), agg("max", "v", "max"), agg("first", "v", "first"), agg("last", "v", "last"),
            agg("collect_list", "v", "list"), agg("collect_set", "v", "set"),
            agg("approx_count_distinct", "v", "approx_distinct")])],
        "outputMode": "update",
        "steps": [
            step([r("a", 1, 3), r("a", 2, 1), r("a", 3, None), r("b", 4, 5)], None, 2),
            step([r("a", 5, 3), r("a", 6, 10), r("b", 7, 5)], None, 2),
            step([r("a", 25, 2)], "wm -> 15 evicts [0,10)", 2),
            step([r("a", 8, 100)], "late, dropped", 1),
        ],
    },
    {
        "name": "late_boundary_event_time_key",
        "description": "Append, groupBy the watermarked column itself (ts, word): a row with ts == watermark is "
                       "dropped (late means <=), a row 1 ms later is kept.",
        "schema": SCHEMA,
        "stages": [wm(), group(["ts", "word"], [COUNT])],
        "outputMode": "append",
        "steps": [
            step([r("a", 20)], "wm -> 10", 2),
            step([r("a", 10), r("b", 10.001), r("c", 15)], "a@10 == wm dropped; b@10.001 kept", 1),
            step([r("z", 40)], "wm -> 30 emits b, c and a@20", 2),
        ],
    },
    {
        "name": "late_boundary_window_end",
        "description": "Append, 10s window: rows whose window end == watermark are dropped (end <= wm), a row in "
                       "the next window is kept.",
        "schema": SCHEMA,
        "stages": [wm(), win(), group(["window", "word"], [COUNT])],
        "outputMode": "append",
        "steps": [
            step([r("a", 30)], "wm -> 20", 2),
            step([r("b", 15), r("d", 19.999), r("c", 20)], "[10,20) end == wm: b, d dropped; c in [20,30) kept", 1),
            step([r("z", 60)], "wm -> 50 emits [20,30) c and [30,40) a", 2),
        ],
    },
    {
        "name": "append_watermark_jump_many_windows",
        "description": "Append, 10s window count+sum, watermark 30s: one batch spans 4 windows, then one row moves "
                       "the watermark far ahead and a single no-data batch emits all 4 windows.",
        "schema": SCHEMA,
        "stages": [wm("30 seconds"), win(), group(["window"], [COUNT, agg("sum", "v", "total")])],
        "outputMode": "append",
        "steps": [
            step([r("a", 1), r("b", 11, 2), r("c", 21, 3), r("d", 31, 4), r("e", 35, 5)], "wm -> 5", 2),
            step([r("f", 100)], "wm -> 70: one no-data batch emits [0,10) [10,20) [20,30) [30,40)", 2),
            step([r("g", 200)], "wm -> 170 emits [100,110)", 2),
        ],
    },
    {
        "name": "late_events_previous_watermark_probe",
        "description": "Probe of the 3.4+ rule: late rows are filtered with the PREVIOUS batch's watermark, state is "
                       "evicted with the CURRENT batch's watermark. noDataMicroBatches is disabled so that two data "
                       "batches follow each other with different watermarks. Step 3's a@3 falls in [0,10): end 10 <= "
                       "current wm 15 but > previous wm 23:59:55, so it is counted and [0,10) is emitted with count 2 "
                       "in the same batch (a current-watermark filter would have dropped it and emitted count 1).",
        "schema": SCHEMA,
        "conf": {"spark.sql.streaming.noDataMicroBatches.enabled": "false"},
        "stages": [wm(), win(), group(["window", "word"], [COUNT])],
        "outputMode": "append",
        "steps": [
            step([r("a", 5)], "batch uses wm 0; wm -> 23:59:55 but no no-data batch", 1),
            step([r("a", 25)], "batch uses wm 23:59:55 (late filter uses 0); wm -> 15", 1),
            step([r("a", 3)], "late filter wm 23:59:55, eviction wm 15: a@3 counted, [0,10) emitted with 2", 1),
            step([r("a", 4)], "late filter wm 15: a@4 dropped", 1),
            step([r("a", 50)], "wm -> 40 after this batch; nothing emitted yet", 1),
            step([r("b", 41)], "eviction wm 40 emits [20,30)", 1),
        ],
    },
]


SCENARIOS.append({
    "name": "late_events_previous_watermark_continuous",
    "description": "Same probe as late_events_previous_watermark_probe with the default conf (no-data batches on): "
                   "steps 1 and 2 arrive while the previous data batch runs, as in a continuously fed stream, so "
                   "the next batch is a data batch whose late filter uses the previous batch's watermark while "
                   "eviction uses the new one. a@3 is counted and [0,10) is emitted with count 2 in that batch.",
    "schema": SCHEMA,
    "stages": [wm(), win(), group(["window", "word"], [COUNT])],
    "outputMode": "append",
    "steps": [
        step([r("a", 5)], "batch 0 uses wm 0; step 1 arrives while it runs", 1),
        step([r("a", 25)], "batch uses wm 23:59:55 (late filter 0); step 2 arrives while it runs", 1,
             during_previous=True),
        step([r("a", 3)], "late filter 23:59:55, eviction 15: a@3 counted, [0,10) emitted with 2; wm stays 15", 1,
             during_previous=True),
        step([r("a", 4)], "late filter 15: dropped", 1),
        step([r("a", 50)], "wm -> 40: no-data batch emits [20,30)", 2),
    ],
})


SCENARIOS.append({
    "name": "append_session_late_row_overlapping_open_session",
    "description": "Append, session window gap 5s, watermark 10s: a row whose own session [t, t+gap) ends <= the "
                   "watermark but overlaps a session still open in state. Shows whether the late check is made "
                   "on the row's own session (dropped) or after merging (kept, extends the session).",
    "schema": SCHEMA,
    "stages": [wm(), {"op": "sessionWindow", "column": "ts", "gap": "5 seconds"},
               group(["session_window", "word"], [COUNT])],
    "outputMode": "append",
    "steps": [
        step([r("a", 17), r("z", 30)], "a[17,22) z[30,35); wm -> 20, a[17,22) still open", 2),
        step([r("a", 14)], "own session [14,19): end 19 <= wm 20, overlaps open a[17,22)", 1),
        step([r("y", 60)], "wm -> 50 emits a's session and z[30,35)", 2),
    ],
})


# Deduplication and arbitrary stateful processing (issue 7), kept in their own module.
from scenarios_dedup import DEDUP_SCENARIOS  # noqa: E402

SCENARIOS.extend(DEDUP_SCENARIOS)


from scenarios_joins import JOIN_SCENARIOS  # noqa: E402

SCENARIOS.extend(JOIN_SCENARIOS)


def agg_set_columns(scenario):
    """Output columns holding collect_set results (sorted in the golden file)."""
    cols = []
    for st in scenario["stages"]:
        if st["op"] == "groupBy":
            cols = [a["as"] for a in st["aggs"] if a["fn"] == "collect_set"]
    return cols

"""Golden scenarios for deduplication and arbitrary stateful processing (issue 7).

Data only, like scenarios.py (which imports DEDUP_SCENARIOS and appends them), plus the user function of the
sessionization scenarios: plain pandas, no Spark calls. generate.py hands it to `applyInPandasWithState`; the
TypeScript replay (spec/groupState/sessionize.ts) is a line-by-line port of it.

Stages added to the vocabulary (see README.md):
  {"op": "dropDuplicates", "columns": [..] | null}                 df.dropDuplicates(columns) / dropDuplicates()
  {"op": "dropDuplicatesWithinWatermark", "columns": [..] | null}  df.dropDuplicatesWithinWatermark(...)
  {"op": "sessionize", "keys": ["word"], "gap": "10 seconds", "outputMode": "append" | "update"}
  {"op": "timeoutProbe", "keys": ["k"]}   applyInPandasWithState(timeout_probe, ..., "append", "EventTimeTimeout")
      df.groupBy(*keys).applyInPandasWithState(sessionize(gap, outputMode), SESSIONIZE_OUTPUT,
                                               SESSIONIZE_STATE, outputMode, "EventTimeTimeout")
"""

from scenarios import r, step, t, wm

SESSIONIZE_OUTPUT = "word STRING, start TIMESTAMP, end TIMESTAMP, count BIGINT, expired BOOLEAN"
SESSIONIZE_STATE = "count LONG, startMs LONG, endMs LONG"
GAPS_MS = {"10 seconds": 10000, "5 seconds": 5000}


def sessionize(gap, output_mode):
    """One session per key: [first event, last event + gap). The session times out (event-time timeout at its
    end) once the watermark passes it; then it is emitted with expired=True and removed. In update mode the
    session is also emitted, expired=False, in every batch that changed it."""
    gap_ms = GAPS_MS[gap]

    def fn(key, pdfs, state):
        import pandas as pd

        def out(count, start, end, expired):
            return pd.DataFrame({"word": [key[0]], "start": [pd.Timestamp(start, unit="ms")],
                                 "end": [pd.Timestamp(end, unit="ms")], "count": [count], "expired": [expired]})

        if state.hasTimedOut:
            count, start, end = state.get
            state.remove()
            yield out(count, start, end, True)
            return
        times = []
        for pdf in pdfs:
            times.extend(int(x.value // 1000000) for x in pdf["ts"])
        count, start, end = len(times), min(times), max(times) + gap_ms
        if state.exists:
            c0, s0, e0 = state.get
            count, start, end = count + c0, min(start, s0), max(end, e0)
        state.update((count, start, end))
        state.setTimeoutTimestamp(end)
        if output_mode == "update":
            yield out(count, start, end, False)

    return fn


TIMEOUT_PROBE_OUTPUT = "k INT, exists BOOLEAN, timedOut BOOLEAN"
TIMEOUT_PROBE_STATE = "n INT"


def timeout_probe():
    """Per row `mode`: 'set' updates the state and sets a timeout at ts + 10s; 'removeWithTimeout' removes it and
    sets a timeout at ts + 18s; 'nothing' (and every timed-out call) changes nothing. Emits one row per call.
    (A factory: a nested function is pickled by value, so Spark's Python workers need not import this module.)"""

    def fn(key, pdfs, state):
        import pandas as pd

        rows = [r for pdf in pdfs for r in pdf.to_dict("records")]
        if rows:
            mode = rows[0]["mode"]
            ts_ms = int(rows[0]["ts"].value // 1000000)
            if mode == "set":
                state.update((1,))
                state.setTimeoutTimestamp(ts_ms + 10000)
            elif mode == "removeWithTimeout":
                state.remove()
                state.setTimeoutTimestamp(ts_ms + 18000)
        yield pd.DataFrame({"k": [key[0]], "exists": [state.exists], "timedOut": [state.hasTimedOut]})

    return fn


def dedup(columns=None):
    return {"op": "dropDuplicates", "columns": columns}


def dedup_ww(columns=None):
    return {"op": "dropDuplicatesWithinWatermark", "columns": columns}


def sessionize_stage(output_mode, gap="10 seconds"):
    return {"op": "sessionize", "keys": ["word"], "gap": gap, "outputMode": output_mode}


DEDUP_SCENARIOS = [
    {
        "name": "dedup_no_watermark",
        "description": "dropDuplicates(word) without a watermark: the first row of each word is emitted, later ones "
                       "(in the same batch or any later batch) are dropped and counted in numDroppedDuplicateRows; "
                       "state is never evicted and no no-data batch runs.",
        "schema": "word STRING, ts TIMESTAMP, v BIGINT",
        "stages": [dedup(["word"])],
        "outputMode": "append",
        "steps": [
            step([r("a", 1, 1), r("b", 2, 2), r("a", 3, 3)], "a@1 and b emitted, a@3 dropped", 1),
            step([r("a", 4, 4), r("c", 5, 5)], "a dropped (in state), c emitted", 1),
            step([r("b", 100, 6), r("c", 200, 7), r("d", 300, 8), r("d", 301, 9)], "only d@300 emitted", 1),
        ],
    },
    {
        "name": "dedup_watermark_event_time_key",
        "description": "withWatermark(ts, 10s) then dropDuplicates(word, ts): late rows (ts <= the previous batch's "
                       "watermark) are dropped and counted in numRowsDroppedByWatermark; state rows with ts <= the "
                       "watermark are evicted in the batch that sees the new watermark (numRowsTotal shrinks).",
        "schema": "word STRING, ts TIMESTAMP, v BIGINT",
        "stages": [wm(), dedup(["word", "ts"])],
        "outputMode": "append",
        "steps": [
            step([r("a", 5, 1), r("a", 5, 2), r("b", 5, 3), r("a", 6, 4)], "three keys; wm -> 23:59:56", 2),
            step([r("a", 5, 5), r("a", 20, 6)], "a@5 duplicate; wm -> 10: the no-data batch evicts ts <= 10", 2),
            step([r("a", 5, 7), r("a", 6, 8), r("a", 11, 9), r("a", 20, 10)],
                 "a@5, a@6 late (<= 10); a@11 new; a@20 duplicate", 1),
            step([r("z", 40, 11)], "wm -> 30: evicts a@11, a@20", 2),
        ],
    },
    {
        "name": "dedup_watermark_non_key",
        "description": "withWatermark(ts, 10s) then dropDuplicates(word): the event-time column is not a key, so late "
                       "rows are still dropped but state is never evicted; shows whether no-data batches run.",
        "schema": "word STRING, ts TIMESTAMP, v BIGINT",
        "stages": [wm(), dedup(["word"])],
        "outputMode": "append",
        "steps": [
            step([r("a", 5, 1), r("b", 6, 2), r("a", 7, 3)], "a, b emitted; wm -> 23:59:57", None),
            step([r("c", 30, 4)], "wm -> 20", None),
            step([r("a", 15, 5), r("d", 12, 6), r("e", 25, 7)], "a@15, d@12 late (<= 20); e emitted", None),
            step([r("a", 50, 8), r("b", 51, 9)], "a and b still in state: dropped", None),
        ],
    },
    {
        "name": "dedup_distinct_all_columns",
        "description": "withWatermark(ts, 10s) then dropDuplicates() (= distinct()): every column is a key, including "
                       "ts, so state is evicted by the watermark.",
        "schema": "word STRING, ts TIMESTAMP, v BIGINT",
        "stages": [wm(), dedup(None)],
        "outputMode": "append",
        "steps": [
            step([r("a", 5, 1), r("a", 5, 1), r("a", 5, 2), r("b", 5, 1)], "three distinct rows", 2),
            step([r("a", 5, 1), r("a", 30, 1)], "a@5 v1 duplicate; wm -> 20 evicts ts 5", 2),
            step([r("a", 21, 1), r("a", 21, 1), r("a", 8, 1)], "a@21 once; a@8 late", 1),
        ],
    },
    {
        "name": "dedup_within_watermark",
        "description": "withWatermark(ts, 10s) then dropDuplicatesWithinWatermark(word): the first row of a word is kept "
                       "in state until its ts + 10s <= the watermark; duplicates are dropped while it is; after "
                       "eviction the same word is emitted again; late rows are dropped.",
        "schema": "word STRING, ts TIMESTAMP, v BIGINT",
        "stages": [wm(), dedup_ww(["word"])],
        "outputMode": "append",
        "steps": [
            step([r("a", 5, 1), r("a", 8, 2), r("b", 9, 3)], "a (expires 15) and b (expires 19) emitted", 2),
            step([r("a", 12, 4), r("c", 27, 5)], "a dropped; wm -> 17 evicts a (15 <= 17), b stays (19)", 2),
            step([r("a", 18, 6), r("b", 18, 7), r("a", 16, 8)],
                 "a@18 emitted again; b@18 dropped (b in state); a@16 late (<= 17)", 1),
            step([r("z", 60, 9)], "wm -> 50 evicts everything", 2),
            step([r("b", 51, 10), r("a", 52, 11), r("c", 55, 12)], "all three emitted again", 1),
        ],
    },
    {
        "name": "dedup_within_watermark_all_columns",
        "description": "withWatermark(ts, 5s) then dropDuplicatesWithinWatermark() over every column.",
        "schema": "word STRING, ts TIMESTAMP, v BIGINT",
        "stages": [wm("5 seconds"), dedup_ww(None)],
        "outputMode": "append",
        "steps": [
            step([r("a", 1, 1), r("a", 1, 1), r("a", 1, 2)], "two distinct rows", 2),
            step([r("a", 1, 1), r("b", 20, 1)], "duplicate dropped; wm -> 15 evicts the ts-1 rows (expiry 6)", 2),
            step([r("b", 20, 1), r("b", 21, 1)], "b@20 duplicate; b@21 new; wm -> 16", 2),
        ],
    },
    {
        "name": "dedup_within_watermark_boundary",
        "description": "dropDuplicatesWithinWatermark(word), watermark 10s: a key whose expiry equals the watermark "
                       "exactly is evicted (expiry <= watermark), so the next row of that key is emitted again.",
        "schema": "word STRING, ts TIMESTAMP, v BIGINT",
        "stages": [wm(), dedup_ww(["word"])],
        "outputMode": "append",
        "steps": [
            step([r("a", 5, 1), r("b", 6, 2)], "a expires 15, b 16", 2),
            step([r("z", 25, 3)], "wm -> 15: a evicted (15 <= 15), b kept", 2),
            step([r("a", 16, 4), r("b", 17, 5)], "a emitted again, b dropped", 1),
        ],
    },
    {
        "name": "sessionization_timeout_boundary",
        "description": "Event-time timeout at the boundary: a timeout equal to the watermark does not fire "
                       "(Spark fires timeouts < watermark); it fires once the watermark passes it.",
        "schema": "word STRING, ts TIMESTAMP, v BIGINT",
        "stages": [wm(), sessionize_stage("append")],
        "outputMode": "append",
        "steps": [
            step([r("a", 1)], "a[1,11), timeout 11", 2),
            step([r("z", 21)], "wm -> 11: timeout 11 is not < 11", 2),
            step([r("z", 22)], "wm -> 12: a times out", 2),
        ],
    },
    {
        "name": "sessionization_timeout_kept_without_update",
        "description": "A GroupState probe for sessionizations through applyInPandasWithState: a call that neither "
                       "updates, removes nor sets a timeout leaves the stored timeout in place (PySpark compares the "
                       "new timeout with the one the Python state started from, not the stored one), so a timed-out "
                       "group that does nothing times out again in every later batch, and a group given rows "
                       "without an update keeps its earlier timeout.",
        "schema": "k INT, mode STRING, ts TIMESTAMP",
        "stages": [wm("0 seconds"), {"op": "timeoutProbe", "keys": ["k"]}],
        "outputMode": "append",
        "steps": [
            step([{"k": 1, "mode": "set", "ts": t(1)}], "k1 timeout 11", 2),
            step([{"k": 1, "mode": "removeWithTimeout", "ts": t(2)}, {"k": 2, "mode": "set", "ts": t(2)}],
                 "k1 removed, timeout 20; k2 timeout 12", 2),
            step([{"k": 2, "mode": "nothing", "ts": t(3)}], "k2 gets a row, no update: its timeout 12 stays", 2),
            step([{"k": 3, "mode": "nothing", "ts": t(30)}], "wm -> 30: k1 and k2 time out", 2),
            step([{"k": 4, "mode": "nothing", "ts": t(40)}], "k1 and k2 time out again (twice: data and no-data batch)", 2),
        ],
    },
    {
        "name": "sessionization_append",
        "description": "A sessionization written with flatMapGroupsWithState (PySpark: applyInPandasWithState), "
                       "event-time timeout, append: one session per word, [first, last + 10s); a session is "
                       "emitted once, when the watermark (10s delay) passes its end and its timeout fires in the "
                       "no-data batch.",
        "schema": "word STRING, ts TIMESTAMP, v BIGINT",
        "stages": [wm(), sessionize_stage("append")],
        "outputMode": "append",
        "steps": [
            step([r("a", 1), r("a", 4), r("b", 2)], "sessions a[1,14) b[2,12); wm -> 23:59:54", 2),
            step([r("a", 9), r("c", 20)], "a extends to [1,19); wm -> 10", 2),
            step([r("z", 25)], "wm -> 15: b (ends 12) times out", 2),
            step([r("a", 30), r("a", 16)], "a@16 (> wm 15) and a@30 extend a to [1,40); wm -> 20", 2),
            step([r("y", 60)], "wm -> 50: a, c, z time out", 2),
            step([r("a", 55)], "a starts a new session; wm stays 50", 1),
        ],
    },
    {
        "name": "sessionization_update",
        "description": "The same sessionization in update mode: each batch emits the sessions it changed "
                       "(expired=false) and the timed-out ones (expired=true).",
        "schema": "word STRING, ts TIMESTAMP, v BIGINT",
        "stages": [wm(), sessionize_stage("update")],
        "outputMode": "update",
        "steps": [
            step([r("a", 1), r("a", 4), r("b", 2)], "a[1,14) b[2,12) emitted", 2),
            step([r("a", 9), r("c", 20)], "a[1,19) c[20,30) emitted; wm -> 10", 2),
            step([r("z", 25)], "wm -> 15: b times out", 2),
            step([r("a", 3)], "late (<= 15): dropped before the function", 1),
            step([r("y", 60)], "wm -> 50: a, c, z time out", 2),
        ],
    },
]

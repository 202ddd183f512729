"""Join scenarios for the Spark golden data (data only, no Spark code); scenarios.py appends JOIN_SCENARIOS.

Two inputs with their own schemas ("schemas": one DDL per input): the left input has lk/lt/lv, the right
input rk/rt/rv, so the joined rows have no duplicate column names. A "join" stage joins input 0 (left) with
input 1 (right) after each input's own stages (withWatermark with "input"). The stage carries the condition
twice: structured (leftKeys/rightKeys, bounds: "left op right + offset") for the operator face, and as the
Spark SQL text built from the structure ("condition"), which generate.py hands to Spark and the DataFrame face
parses.
"""

from datetime import datetime, timedelta, timezone

BASE = datetime(2024, 1, 1, tzinfo=timezone.utc)
LEFT_SCHEMA = "lk STRING, lt TIMESTAMP, lv BIGINT"
RIGHT_SCHEMA = "rk STRING, rt TIMESTAMP, rv BIGINT"


def t(sec):
    d = BASE + timedelta(milliseconds=round(sec * 1000))
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d" % (d.microsecond // 1000) + "Z"


def lrow(k, sec, v=1):
    return {"lk": k, "lt": t(sec), "lv": v}


def rrow(k, sec, v=1):
    return {"rk": k, "rt": t(sec), "rv": v}


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


def wm(input_index, column, delay="10 seconds"):
    return {"op": "withWatermark", "input": input_index, "column": column, "delay": delay}


def interval_sql(seconds):
    if seconds >= 0:
        return "+ interval %d seconds" % seconds
    return "- interval %d seconds" % -seconds


def join(how, bounds=(), keys=(("lk", "rk"),), between=None, extra=None):
    """bounds: (left, op, right, offset seconds) meaning left op right + offset; between: (left, right, lo, hi);
    extra: further SQL conjuncts (kept as text in "extra", for one-side and pair filters)."""
    parts = ["%s = %s" % k for k in keys]
    if extra is not None:
        parts.append(extra)
    structured = []
    for left, op, right, off in bounds:
        parts.append("%s %s %s %s" % (left, op, right, interval_sql(off)))
        structured.append({"left": left, "op": op, "right": right, "offset": "%d seconds" % off})
    if between is not None:
        left, right, lo, hi = between
        parts.append("%s BETWEEN %s %s AND %s %s" % (left, right, interval_sql(lo), right, interval_sql(hi)))
        structured.append({"left": left, "op": ">=", "right": right, "offset": "%d seconds" % lo})
        structured.append({"left": left, "op": "<=", "right": right, "offset": "%d seconds" % hi})
    stage = {
        "op": "join",
        "how": how,
        "leftKeys": [k[0] for k in keys],
        "rightKeys": [k[1] for k in keys],
        "bounds": structured,
        "condition": " AND ".join(parts),
    }
    if extra is not None:
        stage["extra"] = extra
    return stage


def range_steps():
    """Shared input for the range-condition scenarios (watermark 10 s on both sides, |lt - rt| <= 5 s)."""
    return [
        step2([lrow("a", 10), lrow("b", 12), lrow("x", 15)], [rrow("a", 14), rrow("c", 20)],
              "a matches in the batch; wm -> min(15, 20) - 10 = 5", 2),
        step2([lrow("c", 26)], [rrow("b", 16)],
              "b@16 matches buffered b@12; c@26 is 6 s from c@20; wm -> min(26, 20) - 10 = 10", 2),
        step2([lrow("d", 40)], [rrow("d", 41)],
              "d matches; wm -> 30: state older than wm - 5 s goes, unmatched x@15 and c@20 come out in outer joins", 2),
        step2([lrow("e", 60)], [rrow("e", 60)], "wm -> 50: c@26 (left) evicted", 2),
        step2([lrow("f", 45), lrow("g", 58)], [rrow("f", 55), rrow("g", 57)],
              "left f@45 is late (<= 50) and dropped; g matches", 1),
        step2([lrow("h", 90)], [rrow("h", 90)], "wm -> 80: everything before is evicted", 2),
    ]


def range_scenario(how, name_how):
    return {
        "name": "join_%s_range" % name_how,
        "description": "Stream-stream %s join on lk = rk AND lt BETWEEN rt - 5 s AND rt + 5 s, 10 s watermarks on "
                       "both sides: matches within and across batches, state eviction by the watermark and the "
                       "range (left and right state watermark = wm - 5 s - 1 ms), outer rows at eviction, a late "
                       "row dropped." % how,
        "schemas": [LEFT_SCHEMA, RIGHT_SCHEMA],
        "schema": LEFT_SCHEMA,
        "inputs": 2,
        "stages": [wm(0, "lt"), wm(1, "rt"), join(how, between=("lt", "rt", -5, 5))],
        "outputMode": "append",
        "steps": range_steps(),
    }


JOIN_SCENARIOS = [
    range_scenario("inner", "inner"),
    range_scenario("left_outer", "left_outer"),
    range_scenario("right_outer", "right_outer"),
    range_scenario("full_outer", "full_outer"),
    range_scenario("left_semi", "left_semi"),
]

JOIN_SCENARIOS.append({
    "name": "join_left_outer_strict_bounds",
    "description": "Left outer join with strict bounds lt > rt - 5 s AND lt < rt + 5 s: rows exactly 5 s apart do "
                   "not match, and the left state watermark is wm - 5 s (no 1 ms adjustment), so x@15 comes out "
                   "as soon as wm reaches 20.",
    "schemas": [LEFT_SCHEMA, RIGHT_SCHEMA],
    "schema": LEFT_SCHEMA,
    "inputs": 2,
    "stages": [wm(0, "lt"), wm(1, "rt"),
               join("left_outer", bounds=[("lt", ">", "rt", -5), ("lt", "<", "rt", 5)])],
    "outputMode": "append",
    "steps": [
        step2([lrow("a", 10), lrow("b", 10), lrow("x", 15)], [rrow("a", 15), rrow("b", 14)],
              "a@10 vs a@15: exactly 5 s, no match; b matches; wm -> 5", 2),
        step2([lrow("y", 30)], [rrow("y", 30)], "wm -> 20: left state wm 15 evicts a@10 and x@15 (unmatched)", 2),
        step2([lrow("z", 60)], [rrow("z", 60)], "wm -> 50", 2),
    ],
})

JOIN_SCENARIOS.append({
    "name": "join_left_outer_time_key",
    "description": "Left outer join with the event time in the join keys (lk = rk AND lt = rt): each side's state "
                   "is evicted by the key's time <= watermark, and unmatched left rows come out then.",
    "schemas": [LEFT_SCHEMA, RIGHT_SCHEMA],
    "schema": LEFT_SCHEMA,
    "inputs": 2,
    "stages": [wm(0, "lt"), wm(1, "rt"), join("left_outer", keys=[("lk", "rk"), ("lt", "rt")])],
    "outputMode": "append",
    "steps": [
        step2([lrow("a", 10), lrow("b", 10), lrow("c", 12)], [rrow("a", 10), rrow("b", 11)],
              "a matches; b differs in time", 2),
        step2([], [rrow("c", 12)], "c matches the buffered left row", 1),
        step2([lrow("q", 30)], [rrow("q", 31)], "wm -> 20: b@10 comes out with nulls", 2),
    ],
})

JOIN_SCENARIOS.append({
    "name": "join_inner_no_watermark",
    "description": "Inner join on keys only, no watermark: every pair across all batches, state never evicted, "
                   "no no-data batches.",
    "schemas": [LEFT_SCHEMA, RIGHT_SCHEMA],
    "schema": LEFT_SCHEMA,
    "inputs": 2,
    "stages": [join("inner")],
    "outputMode": "append",
    "steps": [
        step2([lrow("a", 10), lrow("b", 10)], [rrow("a", 100)], "a matches regardless of time", 1),
        step2([lrow("a", 500, 2)], [rrow("b", 1)], "a@500 matches a@100; b@1 matches b@10", 1),
        step2([], [rrow("a", 2, 3)], "matches both buffered a rows", 1),
    ],
})

JOIN_SCENARIOS.append({
    "name": "join_left_outer_between_boundary",
    "description": "Left outer join with BETWEEN (>= and <=): the left state watermark is wm - 5 s - 1 ms, so an "
                   "unmatched left row at exactly wm - 5 s stays in state and comes out one batch later than with "
                   "strict bounds.",
    "schemas": [LEFT_SCHEMA, RIGHT_SCHEMA],
    "schema": LEFT_SCHEMA,
    "inputs": 2,
    "stages": [wm(0, "lt"), wm(1, "rt"), join("left_outer", between=("lt", "rt", -5, 5))],
    "outputMode": "append",
    "steps": [
        step2([lrow("x", 15), lrow("q", 30)], [rrow("q", 30)], "wm -> 20: left state wm 14.999, x@15 stays", 2),
        step2([lrow("s", 31)], [rrow("s", 31)], "wm -> 21: x@15 comes out", 2),
    ],
})

JOIN_SCENARIOS.append({
    "name": "join_left_outer_one_side_filter",
    "description": "Left outer join whose condition also has a left-only conjunct (lv <> 9) and a right-only one "
                   "(rv <> 500): a left row failing its side's conjunct is output with nulls at once and never "
                   "stored; a right row failing its conjunct never matches. Conjuncts chosen on purpose: with "
                   "`lv > 1` a Spark 4.0.1 run never evicted the left side (b never came out; consistent with "
                   "Spark reading a `<`/`>` conjunct on a left column as a range bound), and with `lk <> 'a'` it "
                   "stored one right row fewer (a filter inferred through the key); weir copies neither.",
    "schemas": [LEFT_SCHEMA, RIGHT_SCHEMA],
    "schema": LEFT_SCHEMA,
    "inputs": 2,
    # Spark would push rv <> 500 into the JSON scan, and numInputRows would then count rows after the filter.
    "conf": {"spark.sql.json.filterPushdown.enabled": "false"},
    "stages": [wm(0, "lt"), wm(1, "rt"),
               join("left_outer", between=("lt", "rt", -5, 5), extra="lv <> 9 AND rv <> 500")],
    "outputMode": "append",
    "steps": [
        step2([lrow("a", 10, 9), lrow("b", 10, 2), lrow("c", 10, 2)], [rrow("a", 11), rrow("b", 11, 500), rrow("c", 11)],
              "a fails lv <> 9: out at once; b's right row fails rv <> 500; c matches", 2),
        step2([lrow("q", 40, 5)], [rrow("q", 40)], "wm -> 30: b comes out with nulls", 2),
    ],
})

JOIN_SCENARIOS.append({
    "name": "join_left_outer_window",
    "description": "Left outer join on the key and a 10 s tumbling window of each side's event time (window "
                   "equality, the watermark in the join keys): state is evicted when window.end <= watermark, and "
                   "unmatched left rows come out with nulls then.",
    "schemas": [LEFT_SCHEMA, RIGHT_SCHEMA],
    "schema": LEFT_SCHEMA,
    "inputs": 2,
    "stages": [wm(0, "lt"), wm(1, "rt"),
               # the time column is left out: Spark allows one event-time column per stream
               {"op": "window", "input": 0, "column": "lt", "duration": "10 seconds", "as": "lw",
                "keep": ["lk", "lv"]},
               {"op": "window", "input": 1, "column": "rt", "duration": "10 seconds", "as": "rw",
                "keep": ["rk", "rv"]},
               join("left_outer", keys=[("lk", "rk"), ("lw", "rw")])],
    "outputMode": "append",
    "steps": [
        step2([lrow("a", 11), lrow("b", 12), lrow("c", 19)], [rrow("a", 18), rrow("b", 21)],
              "a matches in [10,20); b's right row is in [20,30)", 2),
        step2([lrow("b", 25)], [], "b@25 matches the buffered right b in [20,30)", 1),
        step2([lrow("q", 45)], [rrow("q", 45)], "wm -> 35: windows [10,20) and [20,30) end <= wm: b@12 and c@19 out", 2),
    ],
})


# Stream-static joins: the stream (input 0) joined with a static DataFrame (createDataFrame of "rows").
STATIC_SCHEMA = "sk STRING, sv BIGINT"
STATIC_ROWS = [{"sk": "a", "sv": 1}, {"sk": "a", "sv": 2}, {"sk": "b", "sv": 3}, {"sk": None, "sv": 4}]


def static_scenario(how):
    return {
        "name": "join_static_%s" % how,
        "description": "Stream-static %s join on lk = sk (static side: two rows for a, one for b, one null key), a "
                       "10 s watermark on the stream that the join ignores: stateless, every batch joined with "
                       "the same static rows; null keys never match." % how,
        "schema": LEFT_SCHEMA,
        # Spark pushes the inferred isnotnull(lk) into the JSON scan, which would change numInputRows.
        "conf": {"spark.sql.json.filterPushdown.enabled": "false"},
        "stages": [{"op": "withWatermark", "column": "lt", "delay": "10 seconds"},
                   {"op": "joinStatic", "how": how, "rows": STATIC_ROWS, "staticSchema": STATIC_SCHEMA,
                    "leftKeys": ["lk"], "rightKeys": ["sk"], "condition": "lk = sk"}],
        "outputMode": "append",
        "steps": [
            # The null-key row is not the latest: for inner and semi joins Spark pushes the inferred
            # isnotnull(lk) below the watermark, so that row would not count for the watermark (weir does not).
            step2([lrow("a", 10), lrow("c", 11), lrow(None, 5)], [], "a matches twice; c and the null key do not", 1),
            step2([lrow("b", 40), lrow("a", 1)], [], "a@1 is below the watermark but a stream-static join keeps it", 1),
        ],
    }


JOIN_SCENARIOS.extend(static_scenario(how) for how in ["inner", "left_outer", "left_semi", "left_anti"])

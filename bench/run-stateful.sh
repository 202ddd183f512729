#!/usr/bin/env bash
# Stateful windowed count benchmark (issue #3): runs the weir side (bench/stateful-window.ts, which also runs the
# hand-written loop) and the Spark side (bench/spark/stateful_window.py) in one session, alternating ROUNDS
# times, each process pinned to the same single core, and prints every JSON result and a summary with the ratios
# (medians over the rounds).
#
# env: ROUNDS=2 CPU=1 (the core to pin to; CPU= disables pinning) SPARK_PYTHON=/tmp/sparkvenv/bin/python
#      SKIP_SPARK=1, plus what both sides read: RUNS BATCHES ROWS KEYS WARMUP MODE (and STATE_STORE for Spark).
# Needs pyspark 4.0.1 and Java 17 for the Spark side:
#   python3 -m venv /tmp/sparkvenv && /tmp/sparkvenv/bin/pip install pyspark==4.0.1
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-2}
CPU=${CPU-1}
PY=${SPARK_PYTHON:-/tmp/sparkvenv/bin/python}
OUT=$(mktemp -d "${TMPDIR:-/tmp}/weir-bench-stateful-XXXXXX")

pin() {
  if [ -n "$CPU" ] && command -v taskset >/dev/null 2>&1; then taskset -c "$CPU" "$@"; else "$@"; fi
}

echo "# results in $OUT (pinned to CPU ${CPU:-none})" >&2
for r in $(seq 1 "$ROUNDS"); do
  echo "# round $r: weir" >&2
  pin node -r @swc-node/register bench/stateful-window.ts >"$OUT/weir.$r.json"
  cat "$OUT/weir.$r.json"
  if [ -z "${SKIP_SPARK:-}" ]; then
    echo "# round $r: spark (log: $OUT/spark.$r.log)" >&2
    pin "$PY" bench/spark/stateful_window.py >"$OUT/spark.$r.json" 2>"$OUT/spark.$r.log"
    cat "$OUT/spark.$r.json"
  fi
done

node -e '
const fs = require("fs");
const dir = process.argv[1];
const rounds = Number(process.argv[2]);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const read = (f) => (fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, "utf8")) : undefined);
const w = [], s = [];
for (let r = 1; r <= rounds; r += 1) { w.push(read(`${dir}/weir.${r}.json`)); s.push(read(`${dir}/spark.${r}.json`)); }
const summary = {
  mode: w[0].mode,
  rowsPerBatch: w[0].rowsPerBatch,
  batches: w[0].batches,
  rounds,
  weirSteadyEventsPerSec: Math.round(median(w.map((x) => x.engineSteadyEventsPerSec))),
  weirWallEventsPerSec: Math.round(median(w.map((x) => x.engineEventsPerSec))),
  loopEventsPerSec: Math.round(median(w.map((x) => x.handWrittenEventsPerSec))),
  loopOverWeir: Number(median(w.map((x) => x.loopOverEngine)).toFixed(2)),
  weirBatchMsP50: median(w.map((x) => x.batchMs.p50)),
};
if (s.every((x) => x)) {
  summary.sparkSteadyEventsPerSec = Math.round(median(s.map((x) => x.sparkSteadyEventsPerSec)));
  summary.sparkBatchMsP50 = median(s.map((x) => x.batchMs.p50));
  // Per round, both measured the same way (sum numInputRows / sum batchDuration after WARMUP), then the median.
  summary.weirOverSpark = Number(median(w.map((x, i) => x.engineSteadyEventsPerSec / s[i].sparkSteadyEventsPerSec)).toFixed(2));
}
console.log(JSON.stringify({ summary }, null, 2));
' "$OUT" "$ROUNDS"

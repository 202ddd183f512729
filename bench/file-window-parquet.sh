#!/usr/bin/env bash
# File benchmark (issue #5): the weir side (bench/file-window-parquet.ts, which writes the input files once) and the
# Spark side (bench/spark/file_window_parquet.py) over the same files, in one session, each pinned to one core.
#
# env: CPU=1 (the core to pin to; CPU= disables pinning) SPARK_PYTHON=/tmp/sparkvenv/bin/python SKIP_SPARK=1,
#      plus FILES LINES MAX_FILES RUNS WARMUP (both sides).
set -euo pipefail
cd "$(dirname "$0")/.."
CPU=${CPU-1}
PY=${SPARK_PYTHON:-/tmp/sparkvenv/bin/python}
export FILES=${FILES:-100} LINES=${LINES:-20000} MAX_FILES=${MAX_FILES:-10} RUNS=${RUNS:-3} WARMUP=${WARMUP:-2}
export INPUT=${INPUT:-${TMPDIR:-/tmp}/weir-bench-files-input-${FILES}x${LINES}}
pin() {
  if [ -n "$CPU" ] && command -v taskset >/dev/null 2>&1; then taskset -c "$CPU" "$@"; else "$@"; fi
}
echo "# weir (input $INPUT, pinned to CPU ${CPU:-none})" >&2
pin node -r @swc-node/register bench/file-window-parquet.ts
if [ -z "${SKIP_SPARK:-}" ]; then
  echo "# spark" >&2
  pin "$PY" bench/spark/file_window_parquet.py 2>"${TMPDIR:-/tmp}/weir-bench-files-spark.log"
fi

#!/usr/bin/env bash
# Paired, alternating A/B runner for weir's own benchmarks.
#
#   bash bench/ab.sh <base-commit> [<head-commit>=HEAD]
#
# Makes two clean git worktrees, .cache/ab/base and .cache/ab/head (gitignored), at the two commits, symlinks this
# checkout's node_modules into each (both commits must have the same dependencies), and then, for each workload,
# runs base, head, base, head, ... (ROUNDS pairs), every process pinned with `taskset -c $CPU`. Each side runs its
# own commit's copy of the bench script (a note is printed when base and head differ in it). Every run's headline
# figure is read from the bench's JSON output; the report is a markdown table (medians, head vs base, the per-round
# values) and a `worst:` line, and every run's figures and full JSON output go to bench/results/ab-<date>.json.
#
# weir only: no Spark and no Kafka broker is ever started. The Spark sides are never invoked (the .ts benches run
# weir alone; the .sh wrappers that start Spark are not used), and bench/kafka-throughput.ts is skipped because it
# starts a Kafka broker (a note is printed).
#
# env:
#   ROUNDS=5          pairs per workload (base then head in every round)
#   CPU=1             the core every run is pinned to (taskset -c ${CPU:-1})
#   SIZE=full|smoke   full: the sizes below; smoke: tiny sizes that only show the script works end to end
#   WORKLOADS=engine-overhead,dataframe,stateful-window,file-window,join,startup   (a subset, comma separated)
#   KEEP_WORKTREES=1  leave .cache/ab/{base,head} in place at the end (they are removed by default)
#   OUT=<file>        where the JSON goes (default bench/results/ab-<UTC date>.json)
#
# Workloads and sizes (SIZE=full). The budget: 5 rounds x 2 sides of all workloads in under ~20 minutes on an idle
# 2-core machine, i.e. about 2 minutes per (side, round) for all six. The sizes keep each bench's per-batch shape
# (rows per batch, keys, state size) as BENCHMARKS.md reports it and cut the number of batches or of in-process
# repetitions, because the rounds already give the repetitions (the median over ROUNDS processes per side):
#   engine-overhead  bench/engine-overhead.ts RUNS=1 BATCHES=50 ROWS=100000 EMPTY_BATCHES=300 (as `npm run bench`
#                    but one measured run after the in-process warm-up). Figures: engineEventsPerSec (events/s,
#                    wall time of 5 M rows through rate-micro-batch -> rows(map) -> noop, real checkpoint) and
#                    emptyBatchMeanMs (ms per empty batch: the engine's fixed per-batch cost). ~12 s a run.
#   dataframe        bench/dataframe-vs-rxjs.ts RUNS=1 BATCHES=30 WARMUP=5 ROWS=100000 QUERIES=project,window (its
#                    defaults, one child per face). Figures: dataFrameSteadyEventsPerSec of `project` and of
#                    `window` (steady events/s from progress). The RxJS face's window query is what the stateful
#                    workload measures. ~25 s a run.
#   stateful-window  bench/stateful-window.ts RUNS=1 BATCHES=60 ROWS=100000 KEYS=1000 WARMUP=5 MODE=update VERIFY=1
#                    (issue #3's shape, one measured run; the correctness check against the loop still runs).
#                    Figure: engineSteadyEventsPerSec. ~15 s a run.
#   file-window      bench/file-window-parquet.ts FILES=100 LINES=20000 MAX_FILES=10 RUNS=2 WARMUP=2 (issue #5's
#                    input, 2 M lines in 10 batches; two runs in the process, as the first is colder). Figure:
#                    weirSteadyRowsPerSec. Input files are written once per side under .cache/ab/ (each side with
#                    its own commit's generator). ~15 s a run.
#   join             bench/join-impressions-clicks.ts IMPRESSIONS=4000000 CLICKS=400000 BATCHES=40 WARMUP=5: the
#                    full size's 110,000 events per batch and its peak state (553,701 rows, reached by batch 5),
#                    in 40 batches instead of 100. Figure: steadyEventsPerSec (and steadyEventsPerCpuSec, which
#                    machine noise moves less). ~12 s a run.
#   startup          not bench/startup.sh (which `npm pack`s and installs from the registry): each worktree is built
#                    once (tsc -p tsconfig.build.json) and a run is PROBES=10 fresh `node` processes per entry
#                    timing `require('weir-streams')` and `require('weir-streams/operators')` (self-reference to
#                    the worktree's dist, its dependencies from the shared node_modules). Figure: median ms of the
#                    main entry (and of operators). ~10 s a run, plus the two builds once (~1 min, in parallel).
# Ratios: "head vs base" is head/base for throughputs and base/head for times, so > 1 always means head is faster.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -lt 1 ]; then
  sed -n '2,10p' "$0" >&2
  exit 2
fi
BASE_REV=$1
HEAD_REV=${2:-HEAD}
ROUNDS=${ROUNDS:-5}
CPU=${CPU:-1}
SIZE=${SIZE:-full}
WORKLOADS=${WORKLOADS:-engine-overhead,dataframe,stateful-window,file-window,join,startup}
AB="$ROOT/.cache/ab"
STAMP=$(date -u +%Y-%m-%dT%H-%M-%SZ)
OUT=${OUT:-$ROOT/bench/results/ab-$STAMP.json}
RUNDIR="$AB/runs-$STAMP"

BASE_SHA=$(git -C "$ROOT" rev-parse --verify "$BASE_REV^{commit}")
HEAD_SHA=$(git -C "$ROOT" rev-parse --verify "$HEAD_REV^{commit}")

case "$SIZE" in
  full)
    ENV_ENGINE="RUNS=1 BATCHES=50 ROWS=100000 EMPTY_BATCHES=300"
    ENV_DATAFRAME="RUNS=1 BATCHES=30 WARMUP=5 ROWS=100000 QUERIES=project,window"
    ENV_STATEFUL="RUNS=1 BATCHES=60 ROWS=100000 KEYS=1000 WARMUP=5 MODE=update VERIFY=1"
    ENV_FILES="FILES=100 LINES=20000 MAX_FILES=10 RUNS=2 WARMUP=2"
    ENV_JOIN="IMPRESSIONS=4000000 CLICKS=400000 BATCHES=40 WARMUP=5 SPACING_MS=10 STORE=level"
    PROBES=${PROBES:-10}
    ;;
  smoke)
    ENV_ENGINE="RUNS=1 BATCHES=8 ROWS=10000 EMPTY_BATCHES=20"
    ENV_DATAFRAME="RUNS=1 BATCHES=8 WARMUP=2 ROWS=10000 QUERIES=project,window"
    ENV_STATEFUL="RUNS=1 BATCHES=12 ROWS=10000 KEYS=100 WARMUP=2 MODE=update VERIFY=1"
    ENV_FILES="FILES=6 LINES=2000 MAX_FILES=2 RUNS=1 WARMUP=1"
    ENV_JOIN="IMPRESSIONS=100000 CLICKS=10000 BATCHES=10 WARMUP=2 SPACING_MS=10 STORE=level"
    PROBES=${PROBES:-2}
    ;;
  *) echo "SIZE must be full or smoke" >&2; exit 2 ;;
esac

if command -v taskset >/dev/null 2>&1; then
  PIN=(taskset -c "$CPU")
else
  echo "# note: taskset not found, runs are not pinned" >&2
  PIN=()
fi

# --- worktrees -------------------------------------------------------------------------------------------------
remove_worktree() {
  local dir=$1
  if [ -e "$dir" ]; then git -C "$ROOT" worktree remove --force "$dir" 2>/dev/null || rm -rf "$dir"; fi
}
cleanup() {
  if [ -z "${KEEP_WORKTREES:-}" ]; then
    remove_worktree "$AB/base"
    remove_worktree "$AB/head"
    git -C "$ROOT" worktree prune
    rm -rf "$AB"/input-*
  fi
}
trap cleanup EXIT

mkdir -p "$AB" "$RUNDIR" "$(dirname "$OUT")"
for side in base head; do
  sha=$BASE_SHA; [ "$side" = head ] && sha=$HEAD_SHA
  remove_worktree "$AB/$side"
  git -C "$ROOT" worktree prune
  git -C "$ROOT" worktree add --quiet --detach "$AB/$side" "$sha"
  ln -s "$ROOT/node_modules" "$AB/$side/node_modules"
done
echo "# base $BASE_SHA ($BASE_REV), head $HEAD_SHA ($HEAD_REV); SIZE=$SIZE ROUNDS=$ROUNDS pinned to CPU $CPU; runs in $RUNDIR" >&2

# --- the startup probe (plain JS, run in fresh node processes) ------------------------------------------------
cat >"$AB/startup-probe.js" <<'JS'
// argv: <worktree> <probes>. Times require() of weir's entries in fresh node processes (<worktree>/.ab-probe.js,
// written below: a file inside the worktree, so `weir-streams` resolves to the package itself by self-reference).
const { execFileSync } = require('node:child_process');
const [dir, probes] = process.argv.slice(2);
const entries = { main: 'weir-streams', operators: 'weir-streams/operators' };
const samples = { main: [], operators: [] };
for (let i = 0; i < Number(probes); i += 1) {
  for (const [k, e] of Object.entries(entries)) {
    samples[k].push(JSON.parse(execFileSync(process.execPath, [`${dir}/.ab-probe.js`, e], { cwd: dir, encoding: 'utf8' })));
  }
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
console.log(JSON.stringify({
  probes: Number(probes),
  requireMainMs: Number(median(samples.main.map((s) => s.ms)).toFixed(1)),
  requireOperatorsMs: Number(median(samples.operators.map((s) => s.ms)).toFixed(1)),
  mainModules: samples.main[0].modules,
  operatorsModules: samples.operators[0].modules,
  mainMsRuns: samples.main.map((s) => Number(s.ms.toFixed(1))),
}));
JS
for side in base head; do
  cat >"$AB/$side/.ab-probe.js" <<'JS'
const t0 = process.hrtime.bigint();
require(process.argv[2]); // argv: node, this file, the entry
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
console.log(JSON.stringify({ ms, modules: Object.keys(require.cache).length }));
JS
done

# --- workloads ---------------------------------------------------------------------------------------------------
# workload -> the bench file(s) it runs, the env, the command (run with cwd = the side's worktree)
bench_files() {
  case $1 in
    engine-overhead) echo bench/engine-overhead.ts ;;
    dataframe) echo bench/dataframe-vs-rxjs.ts ;;
    stateful-window) echo bench/stateful-window.ts ;;
    file-window) echo bench/file-window-parquet.ts ;;
    join) echo bench/join-impressions-clicks.ts ;;
    startup) echo "" ;;
  esac
}
run_one() { # workload side round -> writes $RUNDIR/<workload>.<side>.<round>.{out,err}, appends to runs.tsv
  local w=$1 side=$2 round=$3 dir="$AB/$2" envs cmd status start end
  local base="$RUNDIR/$w.$side.$round"
  case $w in
    engine-overhead) envs=$ENV_ENGINE; cmd=(node -r @swc-node/register bench/engine-overhead.ts) ;;
    dataframe) envs=$ENV_DATAFRAME; cmd=(node -r @swc-node/register bench/dataframe-vs-rxjs.ts) ;;
    stateful-window) envs=$ENV_STATEFUL; cmd=(node -r @swc-node/register bench/stateful-window.ts) ;;
    file-window)
      envs="$ENV_FILES INPUT=$AB/input-$side-$SIZE"
      cmd=(node -r @swc-node/register bench/file-window-parquet.ts)
      ;;
    join) envs=$ENV_JOIN; cmd=(node -r @swc-node/register bench/join-impressions-clicks.ts) ;;
    startup) envs=""; cmd=(node "$AB/startup-probe.js" "$dir" "$PROBES") ;;
  esac
  start=$(date +%s%N)
  set +e
  # shellcheck disable=SC2086 # envs is a list of NAME=value words
  (cd "$dir" && env $envs "${PIN[@]}" "${cmd[@]}") >"$base.out" 2>"$base.err"
  status=$?
  set -e
  end=$(date +%s%N)
  local ms=$(((end - start) / 1000000))
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$w" "$side" "$round" "$status" "$ms" "$base" >>"$RUNDIR/runs.tsv"
  if [ "$status" -ne 0 ]; then
    echo "#   $w $side round $round FAILED (exit $status): $(tail -c 400 "$base.err" | tr '\n' ' ')" >&2
  else
    echo "#   $w $side round $round: $((ms / 1000)).$(((ms % 1000) / 100)) s" >&2
  fi
}

: >"$RUNDIR/runs.tsv"
: >"$RUNDIR/notes.txt"
echo "kafka: skipped (bench/kafka-throughput.ts starts a Kafka broker; this runner is weir-only)" >>"$RUNDIR/notes.txt"
echo "# kafka: skipped (bench/kafka-throughput.ts starts a Kafka broker; this runner is weir-only)" >&2
IFS=',' read -r -a WL <<<"$WORKLOADS"
for w in "${WL[@]}"; do
  files=$(bench_files "$w")
  case $w in engine-overhead | dataframe | stateful-window | file-window | join | startup) ;; *)
    echo "# unknown workload $w (skipped)" >&2; echo "$w: unknown workload, skipped" >>"$RUNDIR/notes.txt"; continue ;;
  esac
  skip=""
  for f in $files; do
    for side in base head; do
      if [ ! -f "$AB/$side/$f" ]; then skip="$f does not exist at $side"; fi
    done
    if [ -z "$skip" ] && ! git -C "$ROOT" diff --quiet "$BASE_SHA" "$HEAD_SHA" -- "$f"; then
      echo "$w: $f differs between base and head; each side ran its own copy" >>"$RUNDIR/notes.txt"
    fi
  done
  if [ "$w" = startup ]; then
    echo "# startup: building base and head (tsc -p tsconfig.build.json, both at once, unpinned)" >&2
    t=$SECONDS
    pids=()
    for side in base head; do
      (cd "$AB/$side" && node node_modules/typescript/bin/tsc -p tsconfig.build.json) >"$RUNDIR/build.$side.log" 2>&1 &
      pids+=($!)
    done
    for i in 0 1; do
      side=base; [ "$i" = 1 ] && side=head
      if ! wait "${pids[$i]}"; then skip="the build failed at $side (see $RUNDIR/build.$side.log)"; fi
    done
    echo "#   built in $((SECONDS - t)) s" >&2
  fi
  if [ -n "$skip" ]; then
    echo "# $w: skipped ($skip)" >&2
    echo "$w: skipped ($skip)" >>"$RUNDIR/notes.txt"
    continue
  fi
  echo "# $w: $ROUNDS rounds" >&2
  for r in $(seq 1 "$ROUNDS"); do
    run_one "$w" base "$r"
    run_one "$w" head "$r"
  done
done

cat >"$RUNDIR/meta.json" <<EOF
{"base": "$BASE_SHA", "baseRev": "$BASE_REV", "head": "$HEAD_SHA", "headRev": "$HEAD_REV", "rounds": $ROUNDS,
 "cpu": "$CPU", "size": "$SIZE", "node": "$(node --version)", "host": "$(hostname)", "nproc": $(nproc),
 "startedUtc": "$STAMP", "finishedUtc": "$(date -u +%Y-%m-%dT%H:%M:%SZ)", "loadavg": "$(cut -d' ' -f1-3 /proc/loadavg)",
 "env": {"engine-overhead": "$ENV_ENGINE", "dataframe": "$ENV_DATAFRAME", "stateful-window": "$ENV_STATEFUL",
         "file-window": "$ENV_FILES", "join": "$ENV_JOIN", "startup": "PROBES=$PROBES"}}
EOF
(cd "$ROOT" && node -r @swc-node/register bench/support/abReport.ts "$RUNDIR" "$OUT")
echo "# raw figures: $OUT" >&2

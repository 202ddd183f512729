"""Stateful windowed count benchmark (issue #3), the Spark side.

The same query as bench/stateful-window.ts, in Spark local mode (local[1], spark.sql.shuffle.partitions=1):

    rate-micro-batch(rowsPerBatch=ROWS, advanceMillisPerBatch=1000)
      .withWatermark("timestamp", "10 seconds")
      .withColumn("key", col("value") % KEYS)
      .groupBy(window("timestamp", "10 seconds"), "key").count()
      .writeStream.format("noop").outputMode(MODE)      # update by default

Events/s come from Spark's own progress, over the steady-state batches: sum(numInputRows) / sum(batchDuration)
for the batches with batchId >= WARMUP (the first batches compile code and warm the JIT). One short warm-up query
runs first in the same JVM; then RUNS queries, each with a fresh checkpoint folder; the median run is reported.
The state store is Spark's default (HDFSBackedStateStoreProvider: a map in memory, delta files in the
checkpoint) unless STATE_STORE=rocksdb.

Run: /tmp/sparkvenv/bin/python bench/spark/stateful_window.py
     (env: RUNS=3 BATCHES=60 ROWS=100000 KEYS=1000 WARMUP=5 MODE=update STATE_STORE=hdfs|rocksdb)
Prints one JSON object.
"""

import json
import os
import shutil
import statistics
import sys
import tempfile
import time

from pyspark.sql import SparkSession
from pyspark.sql.functions import col, window

RUNS = int(os.environ.get("RUNS", "3"))
BATCHES = int(os.environ.get("BATCHES", "60"))
ROWS = int(os.environ.get("ROWS", "100000"))
KEYS = int(os.environ.get("KEYS", "1000"))
WARMUP = int(os.environ.get("WARMUP", "5"))
MODE = os.environ.get("MODE", "update")
STATE_STORE = os.environ.get("STATE_STORE", "hdfs")

ROCKSDB = "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider"


def folder_bytes(path):
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
    return total


def build_session():
    builder = (
        SparkSession.builder.master("local[1]")
        .appName("weir-bench-stateful-window")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.streaming.numRecentProgressUpdates", str(BATCHES + 50))
        .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "2g"))
    )
    if STATE_STORE == "rocksdb":
        builder = builder.config("spark.sql.streaming.stateStore.providerClass", ROCKSDB)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run_query(spark, batches):
    checkpoint = tempfile.mkdtemp(prefix="weir-bench-spark-")
    try:
        counts = (
            spark.readStream.format("rate-micro-batch")
            .option("rowsPerBatch", ROWS)
            .option("numPartitions", 1)
            .option("startTimestamp", 0)
            .option("advanceMillisPerBatch", 1000)
            .load()
            .withWatermark("timestamp", "10 seconds")
            .withColumn("key", col("value") % KEYS)
            .groupBy(window("timestamp", "10 seconds"), col("key"))
            .count()
        )
        started = time.time()
        query = (
            counts.writeStream.format("noop")
            .outputMode(MODE)
            .option("checkpointLocation", checkpoint)
            .start()
        )
        while True:
            if query.exception() is not None:
                raise RuntimeError(str(query.exception()))
            last = query.lastProgress
            if last is not None and last["batchId"] >= batches - 1:
                break
            time.sleep(0.01)
        wall = time.time() - started
        query.stop()
        progress = [p for p in query.recentProgress if p["batchId"] < batches]
        state_dir = os.path.join(checkpoint, "state")
        state_bytes = folder_bytes(state_dir) if os.path.isdir(state_dir) else 0
        return progress, wall, state_bytes
    finally:
        shutil.rmtree(checkpoint, ignore_errors=True)


def steady(progress):
    rows = [p for p in progress if p["batchId"] >= WARMUP and p["numInputRows"] > 0]
    n_in = sum(p["numInputRows"] for p in rows)
    ms = sum(p["batchDuration"] for p in rows)
    return {
        "eventsPerSec": n_in / (ms / 1000.0) if ms else 0.0,
        "batchMs": [p["batchDuration"] for p in rows],
        "batches": len(rows),
    }


def main():
    spark = build_session()
    run_query(spark, max(WARMUP + 5, 10))  # warm-up query: class loading, codegen, JIT
    runs = []
    for _ in range(RUNS):
        progress, wall, state_bytes = run_query(spark, BATCHES)
        runs.append((steady(progress), progress, wall, state_bytes))
    eps = [r[0]["eventsPerSec"] for r in runs]
    med = statistics.median(eps)
    batch_ms = sorted(ms for r in runs for ms in r[0]["batchMs"])
    last_progress = runs[-1][1]
    ops = [p["stateOperators"][0] for p in last_progress if p["batchId"] >= WARMUP and p["stateOperators"]]
    last_op = ops[-1]
    result = {
        "spark": spark.version,
        "master": "local[1]",
        "mode": MODE,
        "stateStore": STATE_STORE,
        "runs": RUNS,
        "batches": BATCHES,
        "rowsPerBatch": ROWS,
        "keys": KEYS,
        "warmupBatches": WARMUP,
        "sparkSteadyEventsPerSec": round(med),
        "sparkSteadyEventsPerSecRuns": [round(x) for x in eps],
        "sparkWallSecondsRuns": [round(r[2], 2) for r in runs],
        "batchMs": {
            "p50": batch_ms[len(batch_ms) // 2],
            "p90": batch_ms[min(len(batch_ms) - 1, int(0.9 * len(batch_ms)))],
            "max": batch_ms[-1],
            "n": len(batch_ms),
        },
        "stateOperator": {
            "numRowsTotalMedian": statistics.median(o["numRowsTotal"] for o in ops),
            "numRowsUpdatedMedian": statistics.median(o["numRowsUpdated"] for o in ops),
            "numRowsRemovedMedian": statistics.median(o["numRowsRemoved"] for o in ops),
            "commitTimeMsMedian": statistics.median(o["commitTimeMs"] for o in ops),
            "memoryUsedBytesLast": last_op["memoryUsedBytes"],
            "numRowsTotalLast": last_op["numRowsTotal"],
            "customMetricsLast": last_op.get("customMetrics", {}),
        },
        "stateFolderBytes": runs[-1][3],
        "stateFolderBytesPerKey": round(runs[-1][3] / last_op["numRowsTotal"]) if last_op["numRowsTotal"] else None,
        "durationMsMedian": {
            k: statistics.median(p["durationMs"].get(k, 0) for p in last_progress if p["batchId"] >= WARMUP)
            for k in ("addBatch", "getBatch", "latestOffset", "queryPlanning", "walCommit", "commitOffsets", "triggerExecution")
        },
    }
    spark.stop()
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

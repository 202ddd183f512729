"""Stream-stream join benchmark (issue #7), the Spark side of bench/join-impressions-clicks.ts.

The same query in Spark local mode (local[1], spark.sql.shuffle.partitions=1, default HDFS-backed state store):

    impressions = rate-micro-batch(rowsPerBatch=IMPRESSIONS/BATCHES)
        .select(value AS impressionAdId, timestamp_millis(START + value * SPACING_MS) AS impressionTime)
        .withWatermark("impressionTime", "10 minutes")
    clicks = rate-micro-batch(rowsPerBatch=CLICKS/BATCHES)
        .select(value * R AS clickAdId, timestamp_millis(START + value * R * SPACING_MS + (value % 60) * 60000)
                AS clickTime)
        .withWatermark("clickTime", "10 minutes")
    impressions.join(clicks, "impressionAdId = clickAdId AND impressionTime BETWEEN clickTime - interval 1 hour
                              AND clickTime")  -> noop sink, append mode

Runs BATCHES batches (processAllAvailable cannot be used on rate-micro-batch, so the script waits for the batch
id), then reports events/s wall-clock and from Spark's own progress over the batches after WARMUP (sum
numInputRows / sum batchDuration), and the peak numRowsTotal of the join.

Run: /tmp/sparkvenv/bin/python bench/spark/join_impressions_clicks.py
     (env: IMPRESSIONS=10000000 CLICKS=1000000 BATCHES=100 WARMUP=5 SPACING_MS=10)
Prints one JSON object.
"""

import json
import os
import shutil
import tempfile
import time

from pyspark.sql import SparkSession
from pyspark.sql.functions import expr

IMPRESSIONS = int(os.environ.get("IMPRESSIONS", "10000000"))
CLICKS = int(os.environ.get("CLICKS", "1000000"))
BATCHES = int(os.environ.get("BATCHES", "100"))
WARMUP = int(os.environ.get("WARMUP", "5"))
RATIO = IMPRESSIONS // CLICKS
SPACING = int(os.environ.get("SPACING_MS", "10"))  # event-time ms between impressions
START = 1_700_000_000_000


def main():
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("weir-bench-join")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.streaming.numRecentProgressUpdates", str(BATCHES + 50))
        .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "4g"))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    checkpoint = tempfile.mkdtemp(prefix="weir-bench-spark-join-")

    def rate(rows):
        return (spark.readStream.format("rate-micro-batch").option("rowsPerBatch", rows)
                .option("numPartitions", 1).option("startTimestamp", START).option("advanceMillisPerBatch", 1000)
                .load())

    impressions = rate(IMPRESSIONS // BATCHES).select(
        expr("value AS impressionAdId"),
        expr("timestamp_millis(%d + value * %d) AS impressionTime" % (START, SPACING)),
    ).withWatermark("impressionTime", "10 minutes")
    clicks = rate(CLICKS // BATCHES).select(
        expr("value * %d AS clickAdId" % RATIO),
        expr("timestamp_millis(%d + value * %d * %d + (value %% 60) * 60000) AS clickTime" % (START, RATIO, SPACING)),
    ).withWatermark("clickTime", "10 minutes")
    joined = impressions.join(clicks, expr(
        "impressionAdId = clickAdId AND impressionTime BETWEEN clickTime - interval 1 hour AND clickTime"))
    t0 = time.time()
    query = joined.writeStream.format("noop").outputMode("append").option("checkpointLocation", checkpoint).start()
    try:
        while True:
            p = query.lastProgress
            if query.exception() is not None:
                raise RuntimeError(str(query.exception()))
            if p is not None and p["batchId"] >= BATCHES - 1:
                break
            time.sleep(0.05)
        wall = time.time() - t0
        progress = [p for p in query.recentProgress if p["batchId"] < BATCHES]
    finally:
        query.stop()
        shutil.rmtree(checkpoint, ignore_errors=True)
    # one entry per batch id (the last wins)
    by_id = {p["batchId"]: p for p in progress}
    steady = [p for b, p in by_id.items() if b >= WARMUP and p["numInputRows"] > 0]
    steady_rows = sum(p["numInputRows"] for p in steady)
    steady_ms = sum(p["batchDuration"] for p in steady)
    input_rows = sum(p["numInputRows"] for p in by_id.values())
    peak = max((p["stateOperators"][0]["numRowsTotal"] for p in by_id.values() if p["stateOperators"]), default=0)
    print(json.dumps({
        "side": "spark",
        "version": spark.version,
        "impressions": IMPRESSIONS,
        "clicks": CLICKS,
        "batches": BATCHES,
        "inputRows": input_rows,
        "wallMs": round(wall * 1000),
        "wallEventsPerSec": round(input_rows / wall) if wall > 0 else None,
        "steadyEventsPerSec": round(steady_rows / (steady_ms / 1000)) if steady_ms > 0 else None,
        "peakStateRows": peak,
    }))
    spark.stop()


if __name__ == "__main__":
    main()

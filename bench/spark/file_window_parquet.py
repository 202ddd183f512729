"""File benchmark (issue #5), the Spark side: the same query as bench/file-window-parquet.ts over the same input
files, in Spark local mode (local[1], spark.sql.shuffle.partitions=1):

    spark.readStream.schema("ts TIMESTAMP, level STRING, user STRING, bytes BIGINT")
      .option("maxFilesPerTrigger", MAX_FILES).json(INPUT)
      .filter("level != 'info'").withWatermark("ts", "1 minute")
      .groupBy(window("ts", "1 minute")).count()
      .writeStream.format("parquet").outputMode("append").trigger(availableNow=True)

Rows/s: the wall time of each query (start to termination; input rows / seconds), and the steady state from
Spark's progress (sum numInputRows / sum triggerExecution over the data batches after the first WARMUP), the same
measures as the weir side. One warm-up query runs first in the same JVM; the median of RUNS runs is reported.

Run: /tmp/sparkvenv/bin/python bench/spark/file_window_parquet.py   (env: INPUT (required), RUNS=3 WARMUP=2 MAX_FILES=10)
Prints one JSON object.
"""

import json
import os
import shutil
import statistics
import tempfile
import time

from pyspark.sql import SparkSession
from pyspark.sql.functions import col, window

INPUT = os.environ["INPUT"]
RUNS = int(os.environ.get("RUNS", "3"))
WARMUP = int(os.environ.get("WARMUP", "2"))
MAX_FILES = int(os.environ.get("MAX_FILES", "10"))


def count_lines():
    n = 0
    for name in os.listdir(INPUT):
        if name.endswith(".json"):
            with open(os.path.join(INPUT, name), "rb") as f:
                n += sum(1 for _ in f)
    return n


def run_query(spark):
    work = tempfile.mkdtemp(prefix="weir-bench-spark-files-")
    try:
        t0 = time.time()
        q = (
            spark.readStream.schema("ts TIMESTAMP, level STRING, user STRING, bytes BIGINT")
            .option("maxFilesPerTrigger", MAX_FILES)
            .json(INPUT)
            .filter("level != 'info'")
            .withWatermark("ts", "1 minute")
            .groupBy(window(col("ts"), "1 minute"))
            .count()
            .writeStream.format("parquet")
            .outputMode("append")
            .trigger(availableNow=True)
            .option("checkpointLocation", os.path.join(work, "cp"))
            .start(os.path.join(work, "out"))
        )
        q.awaitTermination()
        wall = time.time() - t0
        progress = [p for p in q.recentProgress if p["numInputRows"] > 0]
        steady = progress[WARMUP:]
        rows = sum(p["numInputRows"] for p in steady)
        ms = sum(p["durationMs"]["triggerExecution"] for p in steady)
        sink_count = spark.read.parquet(os.path.join(work, "out")).agg({"count": "sum"}).collect()[0][0]
        return wall, (rows / ms * 1000 if ms else None), len(progress), sink_count
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("weir-bench-file-window-parquet")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "2g"))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    lines = count_lines()
    run_query(spark)  # warm-up
    walls, steadies = [], []
    batches = sink_count = None
    for _ in range(RUNS):
        wall, steady, batches, sink_count = run_query(spark)
        walls.append(lines / wall)
        if steady is not None:
            steadies.append(steady)
    spark.stop()
    print(
        json.dumps(
            {
                "engine": "spark " + spark.version,
                "runs": RUNS,
                "batches": batches,
                "sparkWallRowsPerSec": round(statistics.median(walls)),
                "sparkSteadyRowsPerSec": round(statistics.median(steadies)) if steadies else None,
                "sinkCount": sink_count,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

"""Runs the query shapes weir's streaming analysis rejects on a real pyspark and prints, per case, what Spark raises:
condition, SQLSTATE, message parameters and str(e). Used to check lib/plan/analysisMessages.ts against Spark (the
output of the last run is committed beside it as probe-output.json). Needs pyspark and Java 17:

    python3 tools/spark-errors/probe.py > tools/spark-errors/probe-output.json
"""
import json
import re
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.errors import PySparkException

spark = (
    SparkSession.builder.master("local[1]")
    .config("spark.ui.enabled", "false")
    .config("spark.sql.shuffle.partitions", "1")
    .getOrCreate()
)
spark.sparkContext.setLogLevel("ERROR")


def rate():
    return spark.readStream.format("rate").load()


def start(df, mode, wait=False):
    q = df.writeStream.format("memory").queryName("probe").outputMode(mode).start()
    try:
        if wait:  # a rule Spark checks when it plans the first batch: the query fails with it
            q.awaitTermination(20)
            if q.exception() is not None:
                raise q.exception()
    finally:
        q.stop()


def fmgws(timeout, watermark):
    df = rate().withColumn("k", F.col("value") % 2)
    if watermark:
        df = df.withWatermark("timestamp", "10 seconds")

    def f(key, pdfs, state):
        yield from pdfs

    return df.groupBy("k").applyInPandasWithState(f, "k long, value long, timestamp timestamp", "c long", "append", timeout)


CASES = {
    "appendWithoutWatermark": lambda: start(rate().groupBy("value").count(), "append"),
    "completeWithoutAggregation": lambda: start(rate(), "complete"),
    "updateWithSessionWindow": lambda: start(
        rate().withWatermark("timestamp", "10 seconds").groupBy(F.session_window("timestamp", "5 seconds"), "value").count(),
        "update",
    ),
    "globalSessionWindow": lambda: start(
        rate().withWatermark("timestamp", "10 seconds").groupBy(F.session_window("timestamp", "5 seconds")).count(),
        "append",
        wait=True,
    ),
    "correctnessIssue": lambda: start(
        rate().withWatermark("timestamp", "10 seconds")
        .groupBy(F.window("timestamp", "5 seconds").alias("w")).count()
        .dropDuplicates(["w"]),
        "update",
    ),
    "eventTimeTimeoutWithoutWatermark": lambda: start(fmgws("EventTimeTimeout", False), "append"),
    "withinWatermarkWithoutWatermark": lambda: start(rate().dropDuplicatesWithinWatermark(["value"]), "append"),
    "withinWatermarkOnBatch": lambda: spark.range(3).dropDuplicatesWithinWatermark(["id"]).collect(),
    "streamingActionOnBatch": lambda: spark.range(3).writeStream.format("memory").queryName("p2").start(),
    "batchActionOnStreaming": lambda: rate().collect(),
    "unionStreamingBatch": lambda: start(rate().select("value").union(spark.range(3).select(F.col("id").alias("value"))), "append"),
    "sortStreaming": lambda: start(rate().orderBy("value"), "append"),
    "limitUpdate": lambda: start(rate().groupBy("value").count().limit(3), "update"),
    "joinNotAppend": lambda: start(rate().join(rate(), "value"), "update", wait=True),
    "joinFullOuterStreamStatic": lambda: start(rate().join(spark.range(3).withColumnRenamed("id", "value"), "value", "full_outer"), "append"),
    "joinStreamStreamOuterWithoutWatermark": lambda: start(rate().join(rate(), "value", "left_outer"), "append"),
    "pathNotFound": lambda: spark.read.json("/tmp/weir-spark-errors-probe-missing").collect(),
    "pathAlreadyExists": lambda: spark.range(1).write.json("/tmp"),
    "unresolvedColumn": lambda: rate().select("valu"),
    "unresolvedColumnWithoutSuggestion": lambda: spark.sql("SELECT nope").collect(),
    "numColumnsMismatchThird": lambda: spark.range(1).union(spark.range(1)).union(spark.range(1).selectExpr("id", "id")),
    "dataSourceNotFound": lambda: spark.readStream.format("nope").load(),
    "sinkNotFound": lambda: rate().writeStream.format("nope").start(),
    "numColumnsMismatch": lambda: rate().union(rate().select("value")),
}

out = {"spark": spark.version, "cases": {}}
for name, run in CASES.items():
    try:
        run()
        out["cases"][name] = {"raised": False}
    except PySparkException as e:
        out["cases"][name] = {
            "type": type(e).__name__,
            "condition": e.getCondition(),
            "sqlState": e.getSqlState(),
            "messageParameters": e.getMessageParameters(),
            # the analyzed plan Spark appends (after ";\n"), a SQL position ("; line 1 pos 7") and a failed query's
            # description are left out
            "message": re.sub(
                r"; line \d+ pos \d+$", "", str(e).split("\n\nJVM stacktrace:")[0].split(";\n")[0].split("\n=== Streaming Query ===")[0]
            ),
        }
    except Exception as e:  # noqa: BLE001 - record whatever Spark raises
        out["cases"][name] = {"type": type(e).__name__, "message": str(e).split("\n\tat ")[0]}
json.dump(out, sys.stdout, indent=2, sort_keys=True)
print()

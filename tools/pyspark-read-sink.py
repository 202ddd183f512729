"""Has Apache Spark read a weir file sink folder and count its rows (not part of npm test).

Spark reads a folder with a `_spark_metadata` log through that log (FileStreamSink.hasMetadata), so it must count
exactly the rows of the committed batches, also after a crash left data files of an unfinished batch behind.
Prints one JSON object: Spark's count, and the count of rows in every data file on disk (committed or not) as
Spark's own batch reader sees them when told to ignore the log, so the two can be compared.

Usage: /tmp/sparkvenv/bin/python tools/pyspark-read-sink.py <folder> [parquet|json|csv|text] [schema DDL | -] [key=value ...]
  e.g. /tmp/sparkvenv/bin/python tools/pyspark-read-sink.py /tmp/out parquet
       /tmp/sparkvenv/bin/python tools/pyspark-read-sink.py /tmp/out json "id BIGINT, name STRING"
       /tmp/sparkvenv/bin/python tools/pyspark-read-sink.py /tmp/out csv - header=true
"""

import glob
import json
import os
import sys

from pyspark.sql import SparkSession


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    folder = os.path.abspath(sys.argv[1])
    fmt = sys.argv[2] if len(sys.argv) > 2 else "parquet"
    schema = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] != "-" else None
    options = dict(a.split("=", 1) for a in sys.argv[4:])
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("weir-read-sink")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    reader = spark.read.format(fmt).options(**options)
    if schema:
        reader = reader.schema(schema)
    committed = reader.load(folder).count()
    # Every visible data file on disk, bypassing the log (a glob path makes Spark list the files itself).
    ext = {"parquet": "*.parquet", "json": "*.json", "csv": "*.csv", "text": "*.txt"}[fmt]
    files = [f for f in glob.glob(os.path.join(folder, "**", ext), recursive=True) if "/_spark_metadata/" not in f]
    on_disk = 0
    if files:
        r = spark.read.format(fmt).options(**options)
        if schema:
            r = r.schema(schema)
        on_disk = r.load(files).count()
    log_files = sorted(os.listdir(os.path.join(folder, "_spark_metadata"))) if os.path.isdir(os.path.join(folder, "_spark_metadata")) else []
    print(json.dumps({"folder": folder, "format": fmt, "sparkCommittedRows": committed, "rowsInAllDataFiles": on_disk,
                      "dataFiles": len(files), "logEntries": log_files, "spark": spark.version}, indent=2))
    spark.stop()


if __name__ == "__main__":
    main()

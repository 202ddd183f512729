"""
How Spark writes CSV values that need quoting or escaping, for weir's csv writer to match byte for byte.

Writes spec/formats/golden/csvWriteQuoting.json: the values (one string column; a second table with several
columns for the rules that depend on the column position) and, per option set, the lines Spark 4.0.1 wrote.
Run from the repository root: /tmp/sparkvenv/bin/python tools/spark-golden/csv_write_quoting.py
"""
import glob
import json
import shutil
import tempfile

from pyspark.sql import SparkSession

VALUES = ['a"b\\c', '\\"', 'x\\', '"', 'a\\', 'a"b,c', '\\', 'a\\"b', 'q\\z', '#lead', 'a\tb', ' "x" ', '!bang', 'a;b']
ROWS = [['x', '#y', '"', 'a"'], ['#x', 'y#', '""', '"a']]
OPTION_SETS = {
    'default': {},
    'escapeQuotes=false': {'escapeQuotes': 'false'},
    'charToEscapeQuoteEscaping=#': {'charToEscapeQuoteEscaping': '#'},
    'escape=#': {'escape': '#'},
    'escape=quote': {'escape': '"'},
    'quoteAll': {'quoteAll': 'true'},
    'comment=!': {'comment': '!'},
    'sep=;': {'sep': ';'},
    'whitespace kept': {'ignoreLeadingWhiteSpace': 'false', 'ignoreTrailingWhiteSpace': 'false'},
}


def written(spark, df, options):
    out = tempfile.mkdtemp(prefix='csvq-')
    shutil.rmtree(out)
    df.coalesce(1).write.options(**options).csv(out)
    with open(glob.glob(out + '/part-*')[0]) as f:
        text = f.read()
    shutil.rmtree(out)
    return text.split('\n')[:-1]


def main():
    spark = SparkSession.builder.master('local[1]').config('spark.ui.enabled', 'false').getOrCreate()
    spark.sparkContext.setLogLevel('OFF')
    single = spark.createDataFrame([(v,) for v in VALUES], 'a string')
    multi = spark.createDataFrame([tuple(r) for r in ROWS], 'a string, b string, c string, d string')
    cases = []
    for name, options in OPTION_SETS.items():
        cases.append({'name': name, 'options': options, 'single': written(spark, single, options), 'multi': written(spark, multi, options)})
    doc = {'spark': spark.version, 'values': VALUES, 'rows': ROWS, 'cases': cases}
    with open('spec/formats/golden/csvWriteQuoting.json', 'w') as f:
        json.dump(doc, f, indent=1)
        f.write('\n')
    spark.stop()


if __name__ == '__main__':
    main()

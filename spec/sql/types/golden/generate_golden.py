"""
Regenerates the Spark golden files of spec/sql/types from a real Spark (pyspark 4.0.1, Java 17):

    python spec/sql/types/golden/generate_golden.py

spark-casts.json: CAST(v AS to) printed with CAST(.. AS STRING) (hex for BINARY), non-ANSI, session time zone UTC.
spark-schemas.json: toDDL / simpleString / catalogString / sql / json / treeString of StructType.fromDDL(..), and
DataType.fromDDL(..) of type strings (or the error class).
"""
import json, os, re
import pyspark
HERE = os.path.dirname(os.path.abspath(__file__))
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
spark = (SparkSession.builder.master("local[1]").config("spark.sql.session.timeZone","UTC")
         .config("spark.sql.ansi.enabled","false").config("spark.ui.enabled","false").getOrCreate())
spark.sparkContext.setLogLevel("OFF")

strings = ["1", " 12 ", "1.5", "-1.9", ".5", ".", "1.", "+7", "-", "+", "-.", "1e3", "2147483647", "2147483648", "-2147483648",
  "9223372036854775807", "9223372036854775808", "127", "128", "-129", "32767", "abc", "", "   ", "1.5x", "1_000", "0x10",
  "0x1p3", "1.5d", "1.5f", "inf", "-inf", "+inf", "Infinity", "-Infinity", "NaN", "nan", "INF", "1e400", "-0", "007",
  "1.2345678901234567890", "123.456", "12.345", "12.355", "-12.355", "999.995", "1e-10", "1E2",
  "true", "TRUE", "t", "yes", "Y", "no", "n", "F", "0", "2", " false ", "tru",
  "2020-01-02 03:04:05", "2020-01-02T03:04:05.123456Z", "2020-01-02T03:04:05+02:00", "2020-01-02 03:04:05 America/New_York",
  "2020-01-02 03:04", "2020-01-02", "2020-1-2", "2020-01", "2020", "2020-02-30", "2020-02-29", "2019-02-29", "2020-01-02T03:04Z",
  "2020-01-02 03:04:05 UTC+3", "2020-01-02 03:04:05GMT-08:00", "2020-01-02 25:04:05", "2020-01-02 03:60:00",
  "2020-01-02 03:04:05.", "2020-01-02 3:4:5", "2020-01-02T", "2020-01-02 ", "2020-01-02 03:04:05 +0800",
  "2020-01-02 03:04:05 CST", "2020-01-02 03:04:05 +8", "2020-01-02 03:04:05.123 Z", "2020-01-02 03:04:05Zfoo",
  "2020-01-02 03:04:05 Europe/Paris", "2020-07-02 03:04:05 Europe/Paris", "2020-03-08 02:30:00 America/New_York",
  "2020-11-01 01:30:00 America/New_York", "2020-01-02 03:04:05 +8:00", "2020-01-02 03:04:05 +08:0", "2020-01-02 03:04:05+18:01",
  "2020-01-02 03:04:05 Foo/Bar", "2020-01-02 03:04:05.1234567", "+2020-01-02", "0001-01-01", "0099-12-31 23:59:59.999",
  "1969-12-31 23:59:59.9995", "2020-01-02Tfoo", "2020-01x", "202-01-02", "2020-13-02", " 2020-01-02 ", "2020-01-02 03:04:05 GMT",
  "2020-01-02 03:04:05 UT", "2020-01-02T03:04:05.5-07:30", "12020-01-02", "-0044-03-15"]
to_from_string = ["int", "bigint", "tinyint", "smallint", "double", "float", "boolean", "timestamp", "date", "decimal(5,2)",
                  "decimal(10,0)", "timestamp_ntz", "binary"]
cases = []
def run(df, from_t, inputs, tos, conv):
    for to in tos:
        expr = F.col("v").cast(to)
        res = df.select(F.col("i"), (F.hex(expr) if to == "binary" else expr.cast("string")).alias("r")).collect()
        for row in res:
            cases.append({"from": from_t, "to": to, "input": conv(inputs[row["i"]]), "result": row["r"]})

df = spark.createDataFrame([(i, s) for i, s in enumerate(strings)], "i int, v string")
run(df, "string", strings, to_from_string, lambda x: x)

num_tos = ["string", "int", "bigint", "tinyint", "smallint", "double", "float", "boolean", "timestamp", "decimal(5,2)", "decimal(38,10)", "binary"]
ints = [0, 1, -1, 127, 128, -129, 255, 300, 32768, 70000, 2147483647, -2147483648, 1577934245]
longs = ints + [3000000000, -3000000000, 9007199254740991, 1234567890123]
doubles = [0.0, -0.0, 1.0, 0.1, 1.5, 2.5, -1.5, -1.9, 1e7, 9999999.0, 1234567.0, 1e21, 1e-3, 1e-4, 1e-5, 123456789.123,
           1e20, -1e20, 3e9, 70000.7, 1e10, 12.355, 999.995, 1.5779342455e9, 4.9e-324, 1.7976931348623157e308, 0.30000000000000004,
           float('nan'), float('inf'), float('-inf'), 100.0, 2e-3, 1e16, 1.1e16, 123.456]
for t, vals in [("int", ints), ("bigint", longs), ("double", doubles), ("float", doubles), ("smallint", [0, 1, -1, 300, 32767, -32768]),
                ("tinyint", [0, 1, -1, 127, -128]), ("decimal(10,3)", [0.0, 1.0, 1.5, -12.5, 12.345, 1234567.891, 0.001])]:
    if t in ("float",):
        df = spark.createDataFrame([(i, v) for i, v in enumerate(vals)], "i int, v float")
    elif t.startswith("decimal"):
        from decimal import Decimal
        df = spark.createDataFrame([(i, Decimal(str(v))) for i, v in enumerate(vals)], "i int, v " + t)
    else:
        df = spark.createDataFrame([(i, v) for i, v in enumerate(vals)], "i int, v " + t)
    tos = [x for x in num_tos if not (x == "binary" and t in ("double", "float") or x == "binary" and t.startswith("decimal"))]
    def conv(x):
        if isinstance(x, float) and (x != x): return "NaN"
        if x == float('inf'): return "Infinity"
        if x == float('-inf'): return "-Infinity"
        if isinstance(x, float) and x == 0 and str(x).startswith('-'): return "-0"
        return x
    run(df, t, vals, tos, conv)

bools = [True, False]
df = spark.createDataFrame([(i, v) for i, v in enumerate(bools)], "i int, v boolean")
run(df, "boolean", bools, ["string", "int", "bigint", "double", "float", "decimal(3,1)", "timestamp"], lambda x: x)

ms = [0, 1500, -500, 1577934245900, -1, 1577934245123, 86399999, 253402300799999, -62135596800000, 1583634600000]
df = spark.createDataFrame([(i, v) for i, v in enumerate(ms)], "i int, ms long").select("i", F.timestamp_millis("ms").alias("v"))
run(df, "timestamp", ms, ["string", "bigint", "int", "smallint", "tinyint", "double", "float", "boolean", "date", "decimal(14,3)", "decimal(20,1)", "timestamp_ntz"], lambda x: x)

days = [0, 1, -1, 18263, -719162, 2932896]
df = spark.createDataFrame([(i, v) for i, v in enumerate(days)], "i int, d int").select("i", F.date_from_unix_date("d").alias("v"))
run(df, "date", [d * 86400000 for d in days], ["string", "timestamp", "timestamp_ntz", "int", "double", "boolean"], lambda x: x)

grouped = {}
for c in cases:
    grouped.setdefault(c["from"] + " -> " + c["to"], []).append([c["input"], c["result"]])
with open(os.path.join(HERE, "spark-casts.json"), "w") as f:
    f.write('{\n "generatedBy": "spec/sql/types/golden/generate_golden.py on pyspark ' + pyspark.__version__ + ', spark.sql.ansi.enabled=false, spark.sql.session.timeZone=UTC",\n "cases": {\n')
    f.write(",\n".join("  " + json.dumps(k) + ": " + json.dumps(v, separators=(",", ":")) for k, v in grouped.items()))
    f.write("\n }\n}\n")
print(len(cases), "casts")

# ---- schemas and type strings ----
T = spark._jvm.org.apache.spark.sql.types
def err(ex):
    m = re.search(r'(\[[A-Z_.]+\])', str(ex)); return m.group(1) if m else 'ERR'
ddls = [
 "name STRING, age INT, ts TIMESTAMP, tags ARRAY<STRING>, m MAP<STRING,INT>, s STRUCT<a: INT, b: STRING>",
 "a BIGINT NOT NULL, b DOUBLE COMMENT 'the b', c BOOLEAN NOT NULL COMMENT 'it\\'s', d DATE, e BINARY, f FLOAT, g SMALLINT, h TINYINT",
 "`select` INT, `from` STRING, timestamp TIMESTAMP, `order` INT, `a b` INT, `a.b` INT, `x``y` INT, `1a` INT, _u INT, `` INT, `é` INT",
 "a ARRAY<ARRAY<MAP<STRING, STRUCT<x: INT NOT NULL, y: ARRAY<DECIMAL(10,2)>>>>>",
 "m MAP<STRUCT<k: STRING, j: INT>, ARRAY<STRUCT<v: BIGINT>>> NOT NULL",
 "d DECIMAL(38,18), d2 DECIMAL, d3 NUMERIC(5), d4 DEC(7,3)",
 "s STRUCT<>, e ARRAY<STRUCT<>>",
 "n VOID, t TIMESTAMP_NTZ, l TIMESTAMP_LTZ",
 "s STRUCT<a: STRUCT<b: STRUCT<c: STRUCT<d: INT>>>>",
 "c STRING COMMENT 'back\\\\slash and \\'quote\\' and \"dq\"'",
 "c STRING COMMENT \"double 'quoted'\"",
 "A INT, a STRING",
 "x int comment 'a' 'b'",
 "`we\tird` INT",
 "a INT NOT NULL COMMENT 'c', s STRUCT<`x y`: INT NOT NULL COMMENT 'inner', z: MAP<INT, ARRAY<BOOLEAN>>>",
]
out = []
for d in ddls:
    try:
        st = T.StructType.fromDDL(d)
    except Exception as ex:
        out.append({"ddl": d, "error": err(ex)}); continue
    out.append({"ddl": d, "toDDL": st.toDDL(), "simple": st.simpleString(), "catalog": st.catalogString(), "sql": st.sql(),
                "json": st.json(), "tree": st.treeString(), "tree2": st.treeString(2), "tree1": st.treeString(1)})
types = ["string","varchar(10)","char(3)","bigint","long","int","integer","smallint","short","tinyint","byte","double","float","real",
 "boolean","timestamp","timestamp_ltz","timestamp_ntz","date","binary","decimal","decimal(10,2)","dec(4,1)","numeric","numeric(20)",
 "void","array<string>","map<string,int>","struct<a:int,b:string>","STRUCT<a INT>","Array< Map < String , Array<Int> > >",
 "struct<a:int not null comment 'x'>", "a int, b string", "foo", "array<int", "map<int>", "decimal(40,2)", "decimal(5,6)", "decimal(0)",
 "int(3)", "string(3)", "array<>", "struct<a int,>", "", "char", "varchar", "array<int> x", "interval", "variant",
 "STRUCT<`a``b`: INT>", "map<struct<a:int>,string>", "ARRAY<STRUCT<a:INT, b:ARRAY<DATE>>>"]
tout = []
for t in types:
    try:
        d = T.DataType.fromDDL(t)
        tout.append({"text": t, "simple": d.simpleString(), "json": d.json(), "sql": d.sql()})
    except Exception as ex:
        tout.append({"text": t, "error": err(ex)})
with open(os.path.join(HERE, "spark-schemas.json"), "w") as f:
    json.dump({"generatedBy": "spec/sql/types/golden/generate_golden.py on pyspark " + pyspark.__version__, "schemas": out, "types": tout}, f, indent=1)
    f.write("\n")
print(len(out), "schemas", len(tout), "types")

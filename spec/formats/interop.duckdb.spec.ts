/**
 * Interoperability: files weir writes are read by an independent reader (DuckDB) with equal rows, and Parquet
 * written by DuckDB is read by weir.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Row } from '../../lib/contracts';
import { FileStreamSinkLog, localPathOf } from '../../lib/formats/FileStreamSinkLog';
import { Session } from '../../lib/sql/dataframe/Session';
import { fileSink } from '../../connectors/files/fileSink';
import { testBatchInfo, testSinkContext } from '../support/sinkContract';
import { tempDirs } from './support';

const SCHEMA = 'id BIGINT, n INT, x DOUBLE, name STRING, ok BOOLEAN, ts TIMESTAMP, day DATE';

function sampleRows(count: number, offset = 0): Row[] {
  return Array.from({ length: count }, (_, k) => {
    const i = k + offset;
    return {
      id: 10_000_000_000 + i,
      n: i % 7 === 0 ? null : i - 50,
      x: i / 4,
      name: i % 5 === 0 ? null : `name ${i}, "quoted" é`,
      ok: i % 2 === 0,
      ts: new Date(Date.UTC(2024, 0, 1) + i * 1234),
      day: new Date(Date.UTC(2024, 0, 1 + (i % 30))),
    };
  });
}

/** A DuckDB value as weir holds it. */
function fromDuck(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  return v;
}

function canonical(rows: readonly Row[]): string[] {
  return rows
    .map((r) =>
      JSON.stringify(
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : fromDuck(v)])),
      ),
    )
    .sort();
}

describe('interop with DuckDB', () => {
  const temp = tempDirs('duckdb');
  let instance: DuckDBInstance;
  let conn: DuckDBConnection;
  let session: Session;

  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    conn = await instance.connect();
    await conn.run("SET TimeZone = 'UTC'");
    session = Session.builder().appName('interop').getOrCreate();
  });
  afterAll(async () => {
    conn.closeSync();
    instance.closeSync();
    await session.stop();
  });

  async function duck(sql: string): Promise<Row[]> {
    const reader = await conn.runAndReadAll(sql);
    return reader.getRowObjectsJS().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, fromDuck(v)])));
  }

  const sqlList = (files: string[]) => `[${files.map((f) => `'${f.replace(/'/g, "''")}'`).join(', ')}]`;

  it('DuckDB reads the Parquet files of a weir sink (the committed ones) with equal rows', async () => {
    const out = path.join(temp(), 'out');
    const sink = fileSink({ path: out, format: 'parquet', schema: SCHEMA });
    await sink.open(testSinkContext());
    const written: Row[] = [];
    for (let b = 0; b < 3; b++) {
      const rows = sampleRows(100, b * 100);
      written.push(...rows);
      await sink.addBatch(b, rows, testBatchInfo(b));
    }
    // An orphan of a crashed attempt: a data file no log entry names.
    writeFileSync(path.join(out, 'part-00000-orphan.c000.snappy.parquet'), 'not even parquet');
    const committed = new FileStreamSinkLog(out).allFiles().map((s) => localPathOf(s.path));
    expect(committed).toHaveLength(3);
    const rows = await duck(
      `SELECT id, n, x, name, ok, ts::TIMESTAMPTZ AS ts, day FROM read_parquet(${sqlList(committed)})`,
    );
    expect(canonical(rows)).toEqual(canonical(written));
    const types = await duck(`DESCRIBE SELECT * FROM read_parquet(${sqlList(committed)})`);
    expect(types.map((t) => `${t.column_name as string} ${t.column_type as string}`)).toEqual([
      'id BIGINT',
      'n INTEGER',
      'x DOUBLE',
      'name VARCHAR',
      'ok BOOLEAN',
      'ts TIMESTAMP WITH TIME ZONE',
      'day DATE',
    ]);
    // weir's own batch reader follows the log too: the orphan is not read.
    const back = await session.read.parquet(out).collect();
    expect(canonical(back)).toEqual(canonical(written));
  });

  it('DuckDB reads weir JSON lines with equal rows', async () => {
    const out = path.join(temp(), 'json');
    const rows = sampleRows(200);
    await session.createDataFrame(rows, SCHEMA).write.json(out);
    const got = await duck(
      `SELECT id, n, x, name, ok, ts, day FROM read_json('${out}/*.json', format='newline_delimited', columns={id: 'BIGINT', n: 'INTEGER', x: 'DOUBLE', name: 'VARCHAR', ok: 'BOOLEAN', ts: 'TIMESTAMPTZ', day: 'DATE'})`,
    );
    expect(canonical(got)).toEqual(canonical(rows));
  });

  it('DuckDB reads weir CSV (Spark quoting, backslash escape, header) with equal rows', async () => {
    const out = path.join(temp(), 'csv');
    const rows = sampleRows(200);
    await session.createDataFrame(rows, SCHEMA).write.option('header', true).csv(out);
    const got = await duck(
      `SELECT id, n, x, name, ok, ts, day FROM read_csv('${out}/*.csv', header=true, escape='\\', quote='"', columns={id: 'BIGINT', n: 'INTEGER', x: 'DOUBLE', name: 'VARCHAR', ok: 'BOOLEAN', ts: 'TIMESTAMPTZ', day: 'DATE'})`,
    );
    expect(canonical(got)).toEqual(canonical(rows));
  });

  it('weir reads Parquet written by DuckDB (partitioned, with every flat type) with equal rows', async () => {
    const dir = path.join(temp(), 'duck-out');
    await conn.run(`
      COPY (
        SELECT i::BIGINT AS id, (i * 3)::INTEGER AS n, i / 8 AS x, 'v' || i AS name, i % 2 = 0 AS ok,
               TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i) AS ts, DATE '2024-01-01' + (i % 3)::INTEGER AS day,
               i % 3 AS part
        FROM range(500) t(i)
      ) TO '${dir}' (FORMAT parquet, PARTITION_BY (part))`);
    const df = session.read.parquet(dir);
    expect(df.columns).toEqual(['id', 'n', 'x', 'name', 'ok', 'ts', 'day', 'part']);
    const weirRows = await df.collect();
    const duckRows = await duck(`SELECT id, n, x, name, ok, ts, day, part::INTEGER AS part FROM read_parquet('${dir}/**/*.parquet', hive_partitioning=true)`);
    expect(weirRows).toHaveLength(500);
    expect(canonical(weirRows)).toEqual(canonical(duckRows));
  });
  /** A weir value as JSON (maps as objects), to compare with DuckDB's to_json. */
  function asJson(v: unknown): unknown {
    if (v instanceof Map) return Object.fromEntries([...v].map(([k, e]) => [String(k), asJson(e)]));
    if (Array.isArray(v)) return v.map(asJson);
    if (v instanceof Date) return v.toISOString();
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, asJson(e)]));
    return v;
  }

  const NESTED = 'id BIGINT, a ARRAY<INT>, aa ARRAY<ARRAY<STRING>>, arr_s ARRAY<STRUCT<x: INT, y: STRING>>, m MAP<STRING, BIGINT>, mi MAP<INT, ARRAY<DOUBLE>>, s STRUCT<tags: ARRAY<STRING>, kv: MAP<STRING, STRING>>';

  function nestedRows(count: number): Row[] {
    return Array.from({ length: count }, (_, i) => ({
      id: i,
      a: i % 4 === 0 ? null : Array.from({ length: i % 5 }, (_, k) => (k === 1 ? null : k * i)),
      aa: i % 6 === 0 ? [] : [[`s${i}`], [], i % 2 === 0 ? null : ['x', null]],
      arr_s: i % 3 === 0 ? null : [{ x: i, y: i % 2 === 0 ? null : `y${i}` }, null],
      m: i % 5 === 0 ? null : new Map<string, number | null>([[`k${i}`, i * 1_000_000_000], ['n', null]]),
      mi: new Map<number, number[] | null>([[i, [i / 2, 0.25]], [-i - 1, null]]),
      s: i % 7 === 0 ? null : { tags: i % 2 === 0 ? [] : [`t${i}`], kv: i % 3 === 0 ? null : new Map([['a', `v${i}`]]) },
    }));
  }

  it('DuckDB reads weir Parquet with arrays, maps and structs (types and values)', async () => {
    const out = path.join(temp(), 'nested');
    const rows = nestedRows(120);
    await session.createDataFrame(rows, NESTED).write.parquet(out);
    const types = await duck(`DESCRIBE SELECT * FROM read_parquet('${out}/*.parquet')`);
    expect(types.map((t) => `${t.column_name as string} ${t.column_type as string}`)).toEqual([
      'id BIGINT',
      'a INTEGER[]',
      'aa VARCHAR[][]',
      'arr_s STRUCT(x INTEGER, y VARCHAR)[]',
      'm MAP(VARCHAR, BIGINT)',
      'mi MAP(INTEGER, DOUBLE[])',
      's STRUCT(tags VARCHAR[], kv MAP(VARCHAR, VARCHAR))',
    ]);
    const got = await duck(`SELECT to_json(t)::VARCHAR AS j FROM read_parquet('${out}/*.parquet') t ORDER BY id`);
    expect(got.map((r) => JSON.parse(r.j as string))).toEqual(rows.map(asJson));
  });

  it('weir reads Parquet with arrays, maps and structs written by DuckDB', async () => {
    const file = path.join(temp(), 'nested.parquet');
    await conn.run(`
      COPY (
        SELECT i::BIGINT AS id,
               CASE WHEN i % 4 = 0 THEN NULL ELSE [i::INTEGER, NULL, (i * 2)::INTEGER] END AS a,
               [['x' || i], []]::VARCHAR[][] AS aa,
               [{'x': i::INTEGER, 'y': 'y' || i}, NULL] AS arr_s,
               CASE WHEN i % 3 = 0 THEN NULL ELSE MAP {'k' || i: i::BIGINT, 'n': NULL} END AS m,
               MAP {i::INTEGER: [i / 2, 0.25]::DOUBLE[]} AS mi,
               {'tags': ['t' || i], 'kv': MAP {'a': 'v' || i}} AS s
        FROM range(50) t(i)
      ) TO '${file}' (FORMAT parquet)`);
    const df = session.read.parquet(file);
    expect(df.schema.simpleString()).toBe(
      'struct<id:bigint,a:array<int>,aa:array<array<string>>,arr_s:array<struct<x:int,y:string>>,m:map<string,bigint>,mi:map<int,array<double>>,s:struct<tags:array<string>,kv:map<string,string>>>',
    );
    const weirRows = (await df.collect()).sort((x, y) => (x.id as number) - (y.id as number));
    const duckRows = await duck(`SELECT to_json(t)::VARCHAR AS j FROM read_parquet('${file}') t ORDER BY id`);
    expect(weirRows.map(asJson)).toEqual(duckRows.map((r) => JSON.parse(r.j as string)));
    expect(weirRows[1]?.m).toEqual(new Map([['k1', 1], ['n', null]]));
    expect(weirRows[1]?.mi).toEqual(new Map([[1, [0.5, 0.25]]]));
  });
});

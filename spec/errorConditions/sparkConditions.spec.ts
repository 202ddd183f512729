/**
 * Spark's error-conditions data (lib/errorConditions/sparkErrorConditions.json, extracted from Spark's own files by
 * tools/spark-errors/extract.py): every condition weir's code names exists there, hand-written texts carry the
 * SQLSTATE Spark has for them, every template fills with all its parameters, and the filled messages equal what a
 * real pyspark 4.3.0 printed (tools/spark-errors/probe-output.json).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SPARK_CONDITIONS_VERSION, sparkCondition, sparkConditionNames } from '../../lib/errorConditions/sparkConditions';
import { conditionMessage, conditionParameters, conditionSqlState, conditionTemplate, fillCondition } from '../../lib/errorConditions/conditionMessage';

const ROOT = join(__dirname, '..', '..');
const PRODUCT = ['index.ts', 'lib', 'operators', 'sources', 'sinks', 'connectors'];
const NAME = String.raw`_?[A-Z][A-Z0-9_]{3,}(?:\.[A-Z][A-Z0-9_]+)?`;

function productFiles(): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) for (const f of readdirSync(p)) walk(join(p, f));
    else if (p.endsWith('.ts')) out.push(p);
  };
  for (const top of PRODUCT) walk(join(ROOT, top));
  return out;
}

const SOURCES = productFiles().map((f) => ({ file: f.slice(ROOT.length + 1), text: readFileSync(f, 'utf8') }));

/** Bracketed names in the code that are not Spark conditions, each with why. */
const NOT_CONDITIONS: Record<string, string> = {
  ANALYZE: 'SQL grammar in a comment ([ANALYZE] clause)',
  COMMENT_KEY: 'a placeholder in a comment',
  CONDITION: 'the format in a comment ([CONDITION] text)',
  'MAIN.SUB': 'the format in a comment',
  DECLARATION: 'a placeholder in a comment',
  DFLSY: 'a regular expression character class (number suffixes)',
  NAME: 'a placeholder in a comment',
  METADATA_FILE: 'a placeholder in a comment',
  SESSION_WINDOW_COLUMN: 'an index access, not a text',
  IGNORE_MISSING_FILES: 'a computed key (`[IGNORE_MISSING_FILES]: value`), not a text',
  // weir's own texts in Spark's format where Spark 4.3.0's files have no such condition (a gap, not Spark's text):
  INVALID_DISTINCT: 'weir-only: Spark 4.3.0 has no INVALID_DISTINCT condition',
  CANNOT_ACCEPT_OBJECT_IN_TYPE: "weir-only: PySpark 4.3.0's file has no CANNOT_ACCEPT_OBJECT_IN_TYPE (older PySpark had it)",
};

function namesInCode(): Map<string, string> {
  const patterns = [
    new RegExp(String.raw`\[(${NAME})\]`, 'g'),
    new RegExp(String.raw`(?:sparkError\(\s*[^,()]+,|analysisMessage\(|condition:)\s*'(${NAME})'`, 'g'),
  ];
  const found = new Map<string, string>();
  for (const { file, text } of SOURCES) for (const p of patterns) for (const m of text.matchAll(p)) if (!found.has(m[1]!)) found.set(m[1]!, file);
  return found;
}

/**
 * Texts in the code that name a condition Spark raises only with a sub-condition (Spark's ErrorClassesJsonReader
 * refuses the bare name): weir's text is not Spark's yet. Each is a known gap, listed so that a new one fails.
 */
const BARE_MAIN_CONDITIONS: Record<string, string> = {
  INVALID_DELIMITER_VALUE: 'CSV sep: Spark names the case (EMPTY_STRING, DELIMITER_LONGER_THAN_EXPECTED, ...)',
  INVALID_INTERVAL_FORMAT: 'interval literals: Spark names the case (INPUT_IS_EMPTY, INVALID_PREFIX, ...)',
};

function exists(name: string): boolean {
  const [main, sub] = name.split('.');
  const info = sparkCondition(main!);
  return info !== undefined && (sub === undefined || (info.subClass !== undefined && Object.prototype.hasOwnProperty.call(info.subClass, sub)));
}

describe("Spark's error-conditions data", () => {
  it('records the Spark release it was extracted from', () => {
    expect(SPARK_CONDITIONS_VERSION).toBe('4.3.0');
  });

  it('has every condition weir names in its code (a [CONDITION] text or a sparkError/analysisMessage argument)', () => {
    const missing = [...namesInCode()].filter(([name]) => !(name in NOT_CONDITIONS) && !exists(name)).map(([n, f]) => `${n} (${f})`);
    expect(missing).toEqual([]);
    // and the list of exceptions holds no name that has since become a Spark condition or left the code
    const used = namesInCode();
    expect(Object.keys(NOT_CONDITIONS).filter((n) => exists(n) || !used.has(n))).toEqual([]);
  });

  it('names a condition that has sub-conditions only with one (the known gaps are listed)', () => {
    const bare = [...namesInCode().keys()].filter((n) => !n.includes('.') && sparkCondition(n)?.subClass !== undefined);
    expect(bare.sort()).toEqual(Object.keys(BARE_MAIN_CONDITIONS).sort());
  });

  it("gives each hand-written '[CONDITION] ... SQLSTATE: xxxxx' text the SQLSTATE Spark has for it", () => {
    const texts = new RegExp(String.raw`\[(${NAME})\][^'\`\n]*?SQLSTATE: ([0-9A-Z]{5})`, 'g');
    const wrong: string[] = [];
    let checked = 0;
    for (const { file, text } of SOURCES) {
      for (const m of text.matchAll(texts)) {
        if (!exists(m[1]!)) continue;
        checked++;
        // Spark's SQLSTATE is the main condition's
        const sqlState = sparkCondition(m[1]!.split('.')[0]!)!.sqlState ?? null;
        if (sqlState !== m[2]) wrong.push(`${file}: ${m[1]} says ${m[2]}, Spark has ${sqlState}`);
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(wrong).toEqual([]);
  });

  it('fills every template of every condition (and sub-condition) with all its parameters', () => {
    const names = sparkConditionNames().flatMap((main) => {
      const subs = sparkCondition(main)!.subClass;
      return subs === undefined ? [main] : Object.keys(subs).map((s) => `${main}.${s}`);
    });
    expect(names.length).toBeGreaterThan(50);
    for (const name of names) {
      const params = Object.fromEntries(conditionParameters(name).map((p) => [p, `v(${p})`]));
      const text = fillCondition(name, params);
      expect(text).not.toMatch(/<[a-zA-Z0-9_-]+>/);
      for (const p of Object.keys(params)) expect(text).toContain(`v(${p})`);
      if (conditionParameters(name).length > 0) expect(() => fillCondition(name, {})).toThrow(/undefined error message parameter/);
    }
  });

  it('builds the messages a real pyspark 4.3.0 printed from their condition and parameters', () => {
    const probe = JSON.parse(readFileSync(join(ROOT, 'tools/spark-errors/probe-output.json'), 'utf8')) as {
      spark: string;
      cases: Record<string, { condition?: string; messageParameters?: Record<string, string>; message?: string; sqlState?: string | null }>;
    };
    expect(probe.spark).toBe(SPARK_CONDITIONS_VERSION);
    const compared: string[] = [];
    for (const [name, c] of Object.entries(probe.cases)) {
      if (c.condition === undefined || c.messageParameters === undefined || !exists(c.condition)) continue;
      expect({ name, message: conditionMessage(c.condition, c.messageParameters) }).toEqual({ name, message: c.message });
      expect({ name, sqlState: conditionSqlState(c.condition) }).toEqual({ name, sqlState: c.sqlState });
      compared.push(name);
    }
    expect(compared).toEqual(
      expect.arrayContaining(['appendWithoutWatermark', 'completeWithoutAggregation', 'updateWithSessionWindow', 'unresolvedColumn', 'numColumnsMismatch', 'sortStreaming']),
    );
  });

  it("follows Spark's format: sub-condition joined with a space, no prefix for _LEGACY_ERROR_, no SQLSTATE when none", () => {
    expect(conditionTemplate('STREAMING_OUTPUT_MODE.UNSUPPORTED_OPERATION')).toBe(
      'Invalid streaming output mode: <outputMode>. This output mode is not supported for <operation> on streaming DataFrames/DataSets.',
    );
    expect(conditionMessage('_LEGACY_ERROR_TEMP_3102', { msg: 'Some text' })).toBe('Some text');
    expect(conditionMessage('WRITE_STREAM_NOT_ALLOWED', {})).toBe(
      '[WRITE_STREAM_NOT_ALLOWED] `writeStream` can be called only on streaming Dataset/DataFrame. SQLSTATE: 42601',
    );
    // a value is inserted verbatim, not searched for further placeholders
    expect(fillCondition('_LEGACY_ERROR_TEMP_3102', { msg: '<msg> $1 ${x}' })).toBe('<msg> $1 ${x}');
    expect(() => conditionMessage('STREAMING_OUTPUT_MODE', { outputMode: 'x' })).toThrow(/needs a sub-condition/);
    expect(() => conditionMessage('DIVIDE_BY_ZERO.X', {})).toThrow();
    expect(() => conditionMessage('NO_SUCH_CONDITION_ANYWHERE', {})).toThrow(/not an error condition/);
  });
});

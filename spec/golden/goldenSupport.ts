/**
 * Shared by the golden suites: the scenario format written by tools/spark-golden and the canonical row form.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Row } from '../../lib/contracts';

export interface Stage {
  op: string;
  input?: number;
  column?: string;
  delay?: string;
  duration?: string;
  slide?: string | null;
  startTime?: string | null;
  gap?: string;
  keys?: string[];
  aggs?: Array<{ fn: string; column: string | null; as: string }>;
  /** dropDuplicates / dropDuplicatesWithinWatermark: the key columns (null = every column). */
  columns?: string[] | null;
  /** sessionize: the operator's output mode. */
  outputMode?: 'append' | 'update';
  /** join: input 0 (left) joined with input 1 (right); the condition structured and as Spark SQL text. */
  how?: string;
  leftKeys?: string[];
  rightKeys?: string[];
  bounds?: Array<{ left: string; op: '<' | '<=' | '>' | '>='; right: string; offset: string }>;
  condition?: string;
  /** joinStatic: the static DataFrame's rows and DDL. */
  rows?: Row[];
  staticSchema?: string;
  /** window on one input (before a join): the output column name, and the input columns kept beside it. */
  as?: string;
  keep?: string[];
  /** join: conjuncts besides keys and bounds, as SQL text (also part of `condition`). */
  extra?: string;
}

export interface GoldenBatch {
  batchId: number;
  rows: Row[];
  numInputRows: number;
  watermark: string | null;
  numRowsDroppedByWatermark: number[];
  /** Per state operator (generated since issue 7). */
  numRowsTotal?: number[];
  numDroppedDuplicateRows?: Array<number | null>;
}

export interface Scenario {
  name: string;
  description: string;
  conf: Record<string, string>;
  schema: string;
  /** One DDL per input when the inputs differ (joins); else every input has `schema`. */
  schemas?: string[];
  inputs: number;
  stages: Stage[];
  outputMode: 'append' | 'update' | 'complete';
  steps: Array<{ inputs: Record<string, Row[]>; batches: GoldenBatch[]; addedDuringPreviousBatch?: boolean }>;
}

export function loadScenarios(): Scenario[] {
  const dir = path.join(__dirname, 'scenarios');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Scenario);
}

/** Canonical JSON of an output value: Dates as ISO strings, keys sorted. */
function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, canonical(o[k])]),
    );
  }
  return value;
}

/** Rows as sorted canonical JSON strings; arrays of `setColumns` compared as sets. */
export function canonicalRows(rows: readonly unknown[], setColumns: ReadonlySet<string>): string[] {
  return rows
    .map((r) => {
      const c = canonical(r) as Record<string, unknown>;
      for (const col of setColumns) if (Array.isArray(c[col])) c[col] = [...(c[col] as unknown[])].map((x) => JSON.stringify(x)).sort();
      return JSON.stringify(c);
    })
    .sort();
}

export function setColumnsOf(s: Scenario): Set<string> {
  return new Set(s.stages.flatMap((st) => (st.aggs ?? []).filter((a) => a.fn === 'collect_set').map((a) => a.as)));
}

/** The DDL of input `i`. */
export function inputSchema(s: Scenario, i: number): string {
  return s.schemas?.[i] ?? s.schema;
}

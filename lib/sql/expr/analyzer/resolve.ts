/**
 * Column resolution (Spark's ResolveReferences): a column reference, qualified or not, dotted or not, resolved
 * against the input schema, then through struct fields, arrays of structs and map keys, into a typed reader of
 * rows.
 *
 * Invariants: names match case-insensitively, and two fields matching one name fail with AMBIGUOUS_REFERENCE; a
 * qualified match (`t.col` when the input is aliased `t`) is preferred over a struct field path, as in Spark; rows
 * and structs are read with own-property lookups only, so `__proto__`, `constructor` or `toString` are ordinary
 * (unknown) column names; an unknown column fails with Spark's UNRESOLVED_COLUMN and up to five suggestions in
 * Spark's order (Levenshtein distance over the sorted field names), at compile time, never per row.
 */
import type { Row } from '../../../contracts';
import { exprError, ExprErrorCodes } from '../errorCodes';
import { sparkError } from '../../../errors';
import { splitColumnName, type Expr } from '../Expr';
import { quoteParts, quoted, type Node } from '../compiled';
import { prettySql } from '../outputName';
import { readTopField } from '../rowAccess';
import { isArray, isMap, isStruct, sqlTypes, type DataType, type StructType } from '../typeSupport';
import { mapGet } from '../values';
import type { StructField } from '../../../values/types';
import type { Cx } from '../compile/context';

/** Functions Spark resolves from a bare name when no column has that name (`current_date`). */
const LITERAL_FUNCTIONS = new Set(['current_date', 'current_timestamp']);

interface Resolved {
  readonly dataType: DataType;
  readonly nullable: boolean;
  readonly read: (row: Row) => unknown;
}

function levenshtein(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[n]!;
}

function unresolvedColumn(parts: readonly string[], schema: StructType): Error {
  const display = quoteParts(parts);
  // Spark's UnresolvedAttribute.name: parts joined with dots, a part that contains a dot in backquotes.
  const base = parts.map((p) => (p.includes('.') ? `\`${p}\`` : p)).join('.');
  const candidates = [...schema.fields.map((f) => f.name)].sort().map((n) => quoteParts([n]));
  const suggestions = candidates
    .map((c, i) => ({ c, i, d: levenshtein(c, base) }))
    .sort((x, y) => x.d - y.d || x.i - y.i)
    .slice(0, 5)
    .map((x) => x.c);
  const context = { context: { column: base, suggestions } };
  return suggestions.length === 0
    ? sparkError(ExprErrorCodes.UNRESOLVED_COLUMN, 'UNRESOLVED_COLUMN.WITHOUT_SUGGESTION', { objectName: display }, context)
    : sparkError(ExprErrorCodes.UNRESOLVED_COLUMN, 'UNRESOLVED_COLUMN.WITH_SUGGESTION', { objectName: display, proposal: suggestions.join(', ') }, context);
}

/** Fields of `schema` named `name` ignoring case. */
function matchFields(schema: StructType, name: string): StructField[] {
  const lower = name.toLowerCase();
  return schema.fields.filter((f) => f.name.toLowerCase() === lower);
}

/** Extracts `name` from a value of type `t` (struct field, array of structs, map key); undefined if impossible. */
export function extractStep(t: DataType, name: string, display: Expr): { dataType: DataType; nullable: boolean; get: (v: unknown) => unknown } | undefined {
  if (isStruct(t)) {
    const matches = matchFields(t, name);
    if (matches.length > 1) throw ambiguous([name], matches.map((f) => f.name));
    const f = matches[0];
    if (f === undefined) return undefined;
    const key = f.name;
    return { dataType: f.dataType, nullable: f.nullable, get: (v) => structGet(v, key) };
  }
  if (isArray(t) && isStruct(t.elementType)) {
    const inner = extractStep(t.elementType, name, display);
    if (inner === undefined) return undefined;
    return {
      dataType: sqlTypes.array(inner.dataType, true),
      nullable: true,
      get: (v) => (Array.isArray(v) ? v.map((x) => (x === null || x === undefined ? null : (inner.get(x) ?? null))) : undefined),
    };
  }
  if (isMap(t)) {
    return { dataType: t.valueType, nullable: true, get: (v) => mapGet(v, name) };
  }
  throw exprError(
    ExprErrorCodes.DATATYPE_MISMATCH,
    `[INVALID_EXTRACT_BASE_FIELD_TYPE] Can't extract a value from ${quoted(display)}. Need a complex type [STRUCT, ARRAY, MAP] but got "${t.sql()}". SQLSTATE: 42000`,
    { expression: prettySql(display) },
  );
}

/** A struct field of a value (own properties only; a field stored under another case is found too). */
function structGet(v: unknown, key: string): unknown {
  if (v === null || typeof v !== 'object') return undefined;
  if (Object.hasOwn(v, key)) return (v as Record<string, unknown>)[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(v)) if (k.toLowerCase() === lower) return (v as Record<string, unknown>)[k];
  return undefined;
}

function ambiguous(parts: readonly string[], names: readonly string[]): Error {
  return exprError(
    ExprErrorCodes.AMBIGUOUS_REFERENCE,
    `[AMBIGUOUS_REFERENCE] Reference ${quoteParts(parts)} is ambiguous, could be: [${names.map((n) => quoteParts([n])).join(', ')}]. SQLSTATE: 42704`,
    { column: parts.join('.') },
  );
}

function resolvePath(parts: readonly string[], schema: StructType, display: Expr): Resolved | undefined {
  const top = matchFields(schema, parts[0]!);
  if (top.length > 1) throw ambiguous(parts.slice(0, 1), top.map((f) => f.name));
  const field = top[0];
  if (field === undefined) return undefined;
  let dataType = field.dataType;
  let nullable = field.nullable;
  let read: (row: Row) => unknown = readTopField(field.name);
  for (let i = 1; i < parts.length; i++) {
    const step = extractStep(dataType, parts[i]!, { kind: 'column', name: parts.slice(0, i).join('.'), parts: parts.slice(0, i) });
    if (step === undefined) {
      const struct = dataType as StructType;
      throw exprError(
        ExprErrorCodes.UNRESOLVED_COLUMN,
        `[FIELD_NOT_FOUND] No such struct field ${quoteParts([parts[i]!])} in ${struct.fields.map((f) => quoteParts([f.name])).join(', ')}. SQLSTATE: 42704`,
        { column: parts.join('.'), field: parts[i]! },
      );
    }
    const prev = read;
    const get = step.get;
    read = (row) => {
      const v = prev(row);
      return v === null || v === undefined ? undefined : get(v);
    };
    dataType = step.dataType;
    nullable = nullable || step.nullable;
  }
  void display;
  return { dataType, nullable, read };
}

export function resolveColumn(expr: Expr & { kind: 'column' }, cx: Cx): Node | undefined {
  let parts = expr.parts;
  if (parts === undefined) {
    // A node built without parts (by the planner): an exact field name first, then a dotted path.
    if (matchFields(cx.schema, expr.name).length > 0) parts = [expr.name];
    else parts = splitColumnName(expr.name) ?? [expr.name];
  }
  if (parts.includes('*')) {
    throw exprError(
      'INVALID_ARGUMENT',
      `[INVALID_USAGE_OF_STAR_OR_REGEX] Invalid usage of '*' in expression \`${prettySql(expr)}\`. SQLSTATE: 42000`,
      { column: expr.name },
    );
  }
  let resolved: Resolved | undefined;
  if (parts.length > 1 && cx.qualifiers.some((q) => q.toLowerCase() === parts![0]!.toLowerCase())) {
    resolved = resolvePath(parts.slice(1), cx.schema, expr);
  }
  resolved ??= resolvePath(parts, cx.schema, expr);
  if (resolved === undefined) {
    if (parts.length === 1 && LITERAL_FUNCTIONS.has(parts[0]!.toLowerCase())) return undefined;
    throw unresolvedColumn(parts, cx.schema);
  }
  return { expr, dataType: resolved.dataType, nullable: resolved.nullable, run: resolved.read, constant: false };
}

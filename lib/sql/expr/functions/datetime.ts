/**
 * Spark's date and time functions (`datetimeExpressions.scala`): the batch's current time, parsing and formatting
 * with Spark's datetime patterns, epoch conversions, the fields of a timestamp (`year`, ..., `extract`), day
 * arithmetic and truncation. The time-window functions are `timeWindows.ts`.
 *
 * Invariants: times are UTC (`spark.sql.session.timeZone=UTC`) and TIMESTAMP values are `Date`s in milliseconds;
 * `current_timestamp()`, `current_date()` and `unix_timestamp()` read the batch's frozen time from the evaluation
 * context (never the clock), so a re-run batch computes the same values, and they are not constant-folded; an
 * unparseable string gives null, as Spark's non-ANSI parsing does.
 */
import { exprError, ExprErrorCodes } from '../errorCodes';
import { castNode, makeNode, stringArg, unexpectedInput } from '../compiled';
import { prettySql } from '../outputName';
import { isDate, isIntegral, isNull, isNumeric, isString, isTimestamp, sqlTypes } from '../typeSupport';
import { formatDatetime, parseDatetime, startOfDay } from '../../../values/datetimePattern';
import { constantArg, dateArg, intArg, timestampArg } from './arguments';
import { functionTable, scalar, strict, type FunctionEntry, type FunctionTable, type ScalarFunction } from './scalarFunction';

const utc = (ms: number): Date => new Date(ms);

/** A component of a timestamp (`year(ts)`): strings and dates are cast to timestamps first. */
function datePart(f: (d: Date) => number): ScalarFunction {
  return scalar(1, 1, (call, args) => {
    const a = args[0]!;
    const node = isDate(a.dataType) ? a : timestampArg(call, 0, a);
    return strict(call, [node], sqlTypes.int(), ([d]) => f(d as Date));
  });
}

function isoWeek(d: Date): number {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
}

/** The fields of a timestamp, by function name (`extract(field FROM ts)` compiles to one of them). */
const DATE_PARTS: readonly FunctionEntry[] = [
  ['year', datePart((d) => d.getUTCFullYear())],
  ['quarter', datePart((d) => Math.floor(d.getUTCMonth() / 3) + 1)],
  ['month', datePart((d) => d.getUTCMonth() + 1)],
  [['dayofmonth', 'day'], datePart((d) => d.getUTCDate())],
  ['dayofweek', datePart((d) => d.getUTCDay() + 1)],
  ['weekday', datePart((d) => (d.getUTCDay() + 6) % 7)],
  ['dayofyear', datePart((d) => Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1)],
  ['weekofyear', datePart(isoWeek)],
  ['hour', datePart((d) => d.getUTCHours())],
  ['minute', datePart((d) => d.getUTCMinutes())],
  ['second', datePart((d) => d.getUTCSeconds())],
];

const DATE_PART_TABLE: FunctionTable = functionTable(DATE_PARTS);

/** The date and time functions by name. */
export const DATETIME_FUNCTIONS: FunctionTable = functionTable([
  [['current_timestamp', 'now'], scalar(0, 0, (call) =>
    makeNode(call, sqlTypes.timestamp(), false, (_row, ctx) => new Date(ctx.batchTimestampMs), [], false),
  )],
  ['current_date', scalar(0, 0, (call) =>
    makeNode(call, sqlTypes.date(), false, (_row, ctx) => new Date(startOfDay(ctx.batchTimestampMs)), [], false),
  )],
  ['to_timestamp', scalar(1, 2, (call, args) => {
    const a = args[0]!;
    if (args.length === 1) {
      if (isNumeric(a.dataType)) return castNode(a, sqlTypes.timestamp());
      return { ...timestampArg(call, 0, a), expr: call };
    }
    const fmt = stringArg(call, 1, args[1]!);
    const src = isString(a.dataType) ? a : stringArg(call, 0, a);
    return strict(call, [src, fmt], sqlTypes.timestamp(), ([s, f]) => {
      const ms = parseDatetime(s as string, f as string);
      return ms === null ? null : utc(ms);
    });
  })],
  ['to_date', scalar(1, 2, (call, args) => {
    const a = args[0]!;
    if (args.length === 1) return { ...dateArg(call, 0, a), expr: call };
    const fmt = stringArg(call, 1, args[1]!);
    return strict(call, [stringArg(call, 0, a), fmt], sqlTypes.date(), ([s, f]) => {
      const ms = parseDatetime(s as string, f as string);
      return ms === null ? null : utc(startOfDay(ms));
    });
  })],
  ['timestamp_seconds', scalar(1, 1, (call, args) => {
    const a = args[0]!;
    if (!isNumeric(a.dataType) && !isNull(a.dataType)) throw unexpectedInput(call, 0, a, '"NUMERIC"');
    return strict(call, [a], sqlTypes.timestamp(), ([s]) => {
      const micros = Math.round((s as number) * 1e6);
      return Number.isFinite(micros) ? utc(Math.floor(micros / 1000)) : null;
    });
  })],
  ['timestamp_millis', scalar(1, 1, (call, args) => {
    const a = args[0]!;
    if (!isIntegral(a.dataType) && !isNull(a.dataType)) throw unexpectedInput(call, 0, a, '"INTEGRAL"');
    return strict(call, [a], sqlTypes.timestamp(), ([s]) => utc(s as number));
  })],
  ['unix_timestamp', scalar(0, 2, (call, args) => {
    if (args.length === 0) {
      return makeNode(call, sqlTypes.long(), false, (_row, ctx) => Math.floor(ctx.batchTimestampMs / 1000), [], false);
    }
    const a = args[0]!;
    if (isTimestamp(a.dataType) || isDate(a.dataType)) {
      return strict(call, [a], sqlTypes.long(), ([d]) => Math.floor((d as Date).getTime() / 1000));
    }
    const fmt = args[1] === undefined ? undefined : stringArg(call, 1, args[1]);
    const nodes = fmt === undefined ? [stringArg(call, 0, a)] : [stringArg(call, 0, a), fmt];
    return strict(call, nodes, sqlTypes.long(), ([s, f]) => {
      const ms = parseDatetime(s as string, (f as string | undefined) ?? 'yyyy-MM-dd HH:mm:ss');
      return ms === null ? null : Math.floor(ms / 1000);
    });
  })],
  ['from_unixtime', scalar(1, 2, (call, args) => {
    const sec = castNode(args[0]!, sqlTypes.long());
    const nodes = args[1] === undefined ? [sec] : [sec, stringArg(call, 1, args[1])];
    return strict(call, nodes, sqlTypes.string(), ([s, f]) => formatDatetime((s as number) * 1000, (f as string | undefined) ?? 'yyyy-MM-dd HH:mm:ss'));
  })],
  ['date_format', scalar(2, 2, (call, args) => {
    const ts = timestampArg(call, 0, args[0]!);
    const fmt = stringArg(call, 1, args[1]!);
    return strict(call, [ts, fmt], sqlTypes.string(), ([d, f]) => formatDatetime((d as Date).getTime(), f as string));
  })],
  ...DATE_PARTS,
  ['extract', scalar(2, 2, (call, args) => {
    const field = String(constantArg(call, 0, args[0]!, 'field')).toUpperCase();
    const map: Record<string, string> = {
      YEAR: 'year', Y: 'year', YEARS: 'year', YR: 'year', YRS: 'year', QUARTER: 'quarter', QTR: 'quarter', MONTH: 'month', MON: 'month', MONS: 'month', MONTHS: 'month',
      WEEK: 'weekofyear', W: 'weekofyear', WEEKS: 'weekofyear', DAY: 'dayofmonth', D: 'dayofmonth', DAYS: 'dayofmonth', DAYOFWEEK: 'dayofweek', DOW: 'dayofweek', DOY: 'dayofyear',
      HOUR: 'hour', H: 'hour', HOURS: 'hour', HR: 'hour', HRS: 'hour', MINUTE: 'minute', M: 'minute', MIN: 'minute', MINS: 'minute', MINUTES: 'minute', SECOND: 'second', S: 'second', SEC: 'second', SECONDS: 'second', SECS: 'second',
    };
    const fn = Object.hasOwn(map, field) ? map[field]! : undefined;
    if (fn === undefined) {
      throw exprError(ExprErrorCodes.DATATYPE_MISMATCH, `[INVALID_EXTRACT_FIELD] Cannot extract ${field} from ${prettySql(args[1]!.expr)}. SQLSTATE: 42601`, { field });
    }
    return { ...DATE_PART_TABLE.get(fn)!.compile(call, [args[1]!]), expr: call };
  })],
  [['date_add', 'dateadd'], scalar(2, 2, (call, args) =>
    strict(call, [dateArg(call, 0, args[0]!), intArg(call, 1, args[1]!)], sqlTypes.date(), ([d, n]) => utc((d as Date).getTime() + (n as number) * 86_400_000)),
  )],
  ['date_sub', scalar(2, 2, (call, args) =>
    strict(call, [dateArg(call, 0, args[0]!), intArg(call, 1, args[1]!)], sqlTypes.date(), ([d, n]) => utc((d as Date).getTime() - (n as number) * 86_400_000)),
  )],
  [['datediff', 'date_diff'], scalar(2, 2, (call, args) =>
    strict(call, [dateArg(call, 0, args[0]!), dateArg(call, 1, args[1]!)], sqlTypes.int(), ([a, b]) => Math.round(((a as Date).getTime() - (b as Date).getTime()) / 86_400_000)),
  )],
  ['date_trunc', scalar(2, 2, (call, args) => {
    const unit = stringArg(call, 0, args[0]!);
    const ts = timestampArg(call, 1, args[1]!);
    return strict(call, [unit, ts], sqlTypes.timestamp(), ([u, d]) => {
      const t = (d as Date).getTime();
      const date = d as Date;
      switch ((u as string).toUpperCase()) {
        case 'YEAR':
        case 'YYYY':
        case 'YY':
          return utc(Date.UTC(date.getUTCFullYear(), 0, 1));
        case 'QUARTER':
          return utc(Date.UTC(date.getUTCFullYear(), Math.floor(date.getUTCMonth() / 3) * 3, 1));
        case 'MONTH':
        case 'MM':
        case 'MON':
          return utc(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
        case 'WEEK': {
          const day = (date.getUTCDay() + 6) % 7;
          return utc(startOfDay(t) - day * 86_400_000);
        }
        case 'DAY':
        case 'DD':
          return utc(startOfDay(t));
        case 'HOUR':
          return utc(Math.floor(t / 3_600_000) * 3_600_000);
        case 'MINUTE':
          return utc(Math.floor(t / 60_000) * 60_000);
        case 'SECOND':
          return utc(Math.floor(t / 1000) * 1000);
        case 'MILLISECOND':
        case 'MICROSECOND':
          return utc(t);
        default:
          return null;
      }
    });
  })],
]);

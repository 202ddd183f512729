/**
 * Spark's interval literals (`INTERVAL 10 SECONDS`, `INTERVAL '10' SECOND`, `INTERVAL '01:30' HOUR TO MINUTE`):
 * their parts and their display.
 *
 * Invariants: parts are exact integers (months, days, micros); a literal mixes no year-month unit with a
 * day-time unit (Spark 3.2+ rejects that too); the display is Spark's ANSI form, which is what its output names
 * show (`INTERVAL '10' SECOND`, `INTERVAL '01:30' HOUR TO MINUTE`, `INTERVAL '1-2' YEAR TO MONTH`).
 */

/** Interval fields, largest first. */
export const DAY_TIME_FIELDS = ['DAY', 'HOUR', 'MINUTE', 'SECOND'] as const;
export type DayTimeField = (typeof DAY_TIME_FIELDS)[number];
export type YearMonthField = 'YEAR' | 'MONTH';
export type IntervalField = DayTimeField | YearMonthField;

const MICROS_PER_SECOND = 1_000_000;
const MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
const MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;
const MICROS_PER_DAY = 24 * MICROS_PER_HOUR;

/** A unit word of a multi-unit literal (`SECONDS`, `hour`, ...) → its field and micros (or months) per unit. */
export function intervalUnit(word: string): { field: IntervalField; micros?: number; months?: number } | undefined {
  const u = word.toUpperCase().replace(/S$/, '');
  switch (u) {
    case 'NANOSECOND':
      return { field: 'SECOND', micros: 0.001 };
    case 'MICROSECOND':
      return { field: 'SECOND', micros: 1 };
    case 'MILLISECOND':
      return { field: 'SECOND', micros: 1000 };
    case 'SECOND':
      return { field: 'SECOND', micros: MICROS_PER_SECOND };
    case 'MINUTE':
      return { field: 'MINUTE', micros: MICROS_PER_MINUTE };
    case 'HOUR':
      return { field: 'HOUR', micros: MICROS_PER_HOUR };
    case 'DAY':
      return { field: 'DAY', micros: MICROS_PER_DAY };
    case 'WEEK':
      return { field: 'DAY', micros: 7 * MICROS_PER_DAY };
    case 'MONTH':
      return { field: 'MONTH', months: 1 };
    case 'YEAR':
      return { field: 'YEAR', months: 12 };
    default:
      return undefined;
  }
}

/** The parts of an interval literal. Day-time intervals keep everything in `micros` (days = 0), as Spark's. */
export interface IntervalParts {
  readonly months: number;
  readonly days: number;
  readonly micros: number;
  readonly display: string;
}

const RANK: Record<IntervalField, number> = { YEAR: 0, MONTH: 1, DAY: 2, HOUR: 3, MINUTE: 4, SECOND: 5 };

/** Builds a day-time interval of `micros` shown with fields `from` to `to`. */
export function dayTimeInterval(micros: number, from: DayTimeField, to: DayTimeField): IntervalParts {
  return { months: 0, days: 0, micros, display: `INTERVAL '${dayTimeString(micros, from, to)}' ${fieldsName(from, to)}` };
}

/** Builds a year-month interval of `months` shown with fields `from` to `to`. */
export function yearMonthInterval(months: number, from: YearMonthField, to: YearMonthField): IntervalParts {
  const sign = months < 0 ? '-' : '';
  const m = Math.abs(months);
  const text = from === 'YEAR' && to === 'MONTH' ? `${sign}${Math.trunc(m / 12)}-${m % 12}` : from === 'YEAR' ? `${sign}${Math.trunc(m / 12)}` : `${sign}${m}`;
  return { months, days: 0, micros: 0, display: `INTERVAL '${text}' ${fieldsName(from, to)}` };
}

function fieldsName(from: IntervalField, to: IntervalField): string {
  return from === to ? from : `${from} TO ${to}`;
}

/** The smallest and largest fields among `fields`. */
export function fieldRange<F extends IntervalField>(fields: readonly F[]): [F, F] {
  const sorted = [...fields].sort((a, b) => RANK[a] - RANK[b]);
  return [sorted[0]!, sorted[sorted.length - 1]!];
}

/** Spark's ANSI day-time interval string: `1 02:03:04.5` for DAY TO SECOND, `01:30` for HOUR TO MINUTE, ... */
function dayTimeString(micros: number, from: DayTimeField, to: DayTimeField): string {
  const sign = micros < 0 ? '-' : '';
  let rest = Math.abs(micros);
  const parts: string[] = [];
  const fromRank = RANK[from];
  const toRank = RANK[to];
  for (const field of DAY_TIME_FIELDS) {
    const rank = RANK[field];
    if (rank < fromRank || rank > toRank) continue;
    const leading = rank === fromRank;
    if (field === 'DAY') {
      const d = Math.trunc(rest / MICROS_PER_DAY);
      rest -= d * MICROS_PER_DAY;
      parts.push(String(d));
    } else if (field === 'HOUR') {
      const h = leading ? Math.trunc(rest / MICROS_PER_HOUR) : Math.trunc(rest / MICROS_PER_HOUR) % 24;
      rest -= Math.trunc(rest / MICROS_PER_HOUR) * MICROS_PER_HOUR;
      parts.push(pad2(h));
    } else if (field === 'MINUTE') {
      const m = leading ? Math.trunc(rest / MICROS_PER_MINUTE) : Math.trunc(rest / MICROS_PER_MINUTE) % 60;
      rest -= Math.trunc(rest / MICROS_PER_MINUTE) * MICROS_PER_MINUTE;
      parts.push(pad2(m));
    } else {
      const whole = Math.trunc(rest / MICROS_PER_SECOND);
      const fraction = Math.round(rest - whole * MICROS_PER_SECOND);
      const frac = fraction === 0 ? '' : `.${String(fraction).padStart(6, '0').replace(/0+$/, '')}`;
      parts.push(`${pad2(whole)}${frac}`);
    }
  }
  let text = '';
  for (let i = 0; i < parts.length; i++) {
    const field = DAY_TIME_FIELDS[fromRank - RANK.DAY + i]!;
    text += i === 0 ? parts[i] : field === 'HOUR' ? ` ${parts[i]}` : `:${parts[i]}`;
  }
  return sign + text;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * The value of `INTERVAL 'text' from TO to`, or undefined when `text` does not have the field layout
 * (`'1-2'` for YEAR TO MONTH, `'1 02:03:04.5'` for DAY TO SECOND, `'01:30'` for HOUR TO MINUTE, ...).
 */
export function parseUnitToUnit(text: string, from: IntervalField, to: IntervalField): IntervalParts | undefined {
  const t = text.trim();
  const sign = t.startsWith('-') ? -1 : 1;
  const body = t.replace(/^[+-]/, '');
  if (from === 'YEAR' || from === 'MONTH') {
    if (from !== 'YEAR' || to !== 'MONTH') return undefined;
    const m = /^(\d+)-(\d+)$/.exec(body);
    if (m === null || Number(m[2]) > 11) return undefined;
    return yearMonthInterval(sign * (Number(m[1]) * 12 + Number(m[2])), 'YEAR', 'MONTH');
  }
  if (to === 'YEAR' || to === 'MONTH' || RANK[to] <= RANK[from]) return undefined;
  const fields = DAY_TIME_FIELDS.filter((f) => RANK[f] >= RANK[from] && RANK[f] <= RANK[to]);
  const pattern = fields
    .map((f, i) => {
      const num = f === 'SECOND' ? '(\\d+(?:\\.\\d{1,9})?)' : '(\\d+)';
      if (i === 0) return num;
      return f === 'HOUR' ? ` ${num}` : `:${num}`;
    })
    .join('');
  const m = new RegExp(`^${pattern}$`).exec(body);
  if (m === null) return undefined;
  const per: Record<DayTimeField, number> = { DAY: MICROS_PER_DAY, HOUR: MICROS_PER_HOUR, MINUTE: MICROS_PER_MINUTE, SECOND: MICROS_PER_SECOND };
  const limits: Record<DayTimeField, number> = { DAY: Infinity, HOUR: 23, MINUTE: 59, SECOND: 59.999999999 };
  let micros = 0;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const v = Number(m[i + 1]);
    if (i > 0 && v > limits[f]) return undefined;
    micros += Math.round(v * per[f]);
  }
  return dayTimeInterval(sign * micros, from as DayTimeField, to as DayTimeField);
}

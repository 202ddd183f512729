/**
 * Spark's interval strings ("10 seconds", "interval 1 hour 30 minutes", "1 day") parsed into calendar parts.
 *
 * Invariant: parsing is total and pure: a string either yields exact (months, days, micros) parts or a
 * WeirError INVALID_ARGUMENT naming the bad token; nothing is guessed. Conversions to milliseconds follow Spark:
 * a month is 31 days for watermark delays, a year is 12 months.
 */
import { ErrorCodes, WeirError } from '../errors';

/** Spark's CalendarInterval. */
export interface CalendarInterval {
  readonly months: number;
  readonly days: number;
  readonly micros: number;
}

const MICROS: Record<string, number> = {
  microsecond: 1,
  us: 1,
  millisecond: 1_000,
  ms: 1_000,
  second: 1_000_000,
  s: 1_000_000,
  sec: 1_000_000,
  minute: 60_000_000,
  min: 60_000_000,
  m: 60_000_000,
  hour: 3_600_000_000,
  h: 3_600_000_000,
};

function unitOf(token: string): string {
  const t = token.toLowerCase();
  if (t.length > 1 && t.endsWith('s') && !['ms', 'us', 's'].includes(t)) return t.slice(0, -1);
  return t;
}

/** Parses an interval string such as `'10 seconds'`, `'1 minute 30 seconds'`, `'interval 2 hours'`. */
export function parseInterval(text: string): CalendarInterval {
  const source = String(text).trim();
  const tokens = source.split(/\s+/).filter((t) => t.length > 0);
  if (tokens[0]?.toLowerCase() === 'interval') tokens.shift();
  if (tokens.length === 0) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Error parsing '${source}' to interval: the interval is empty`, {
      context: { value: source },
    });
  }
  let months = 0;
  let days = 0;
  let micros = 0;
  for (let i = 0; i < tokens.length; i += 1) {
    let numberToken = tokens[i]!;
    let unitToken: string | undefined;
    const glued = /^([+-]?\d+(?:\.\d+)?)([a-zA-Z]+)$/.exec(numberToken);
    if (glued) {
      numberToken = glued[1]!;
      unitToken = glued[2];
    } else {
      unitToken = tokens[i + 1];
      i += 1;
    }
    if (!/^[+-]?\d+(?:\.\d+)?$/.test(numberToken) || unitToken === undefined) {
      throw new WeirError(
        ErrorCodes.INVALID_ARGUMENT,
        `Error parsing '${source}' to interval: expected "<number> <unit>" at "${numberToken}"`,
        { context: { value: source } },
      );
    }
    const n = Number(numberToken);
    const unit = unitOf(unitToken);
    if (unit === 'year') months += n * 12;
    else if (unit === 'month') months += n;
    else if (unit === 'week') days += n * 7;
    else if (unit === 'day' || unit === 'd') days += n;
    else if (unit in MICROS) micros += n * MICROS[unit]!;
    else {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Error parsing '${source}' to interval: invalid unit '${unitToken}'`, {
        context: { value: source },
      });
    }
    if (!Number.isInteger(months) || !Number.isInteger(days)) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Error parsing '${source}' to interval: fractional ${unit}`, {
        context: { value: source },
      });
    }
  }
  return { months, days, micros: Math.trunc(micros) };
}

const MS_PER_DAY = 86_400_000;

/** Milliseconds of a watermark delay, Spark's way: months count 31 days. */
export function intervalToDelayMs(interval: CalendarInterval): number {
  return Math.trunc(interval.micros / 1000) + interval.days * MS_PER_DAY + interval.months * MS_PER_DAY * 31;
}

/**
 * Milliseconds of a trigger interval or duration: a number is taken as milliseconds; months and years are
 * rejected as Spark's `Trigger.ProcessingTime` does.
 */
export function durationToMs(value: string | number, what = 'interval'): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) {
      throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `${what} cannot be negative or non-finite: ${value}`, {
        context: { value },
      });
    }
    return value;
  }
  const interval = parseInterval(value);
  if (interval.months !== 0) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `Doesn't support month or year interval: ${value}`, {
      context: { value },
    });
  }
  const ms = intervalToDelayMs(interval);
  if (ms < 0) {
    throw new WeirError(ErrorCodes.INVALID_ARGUMENT, `${what} cannot be negative: ${value}`, { context: { value } });
  }
  return ms;
}

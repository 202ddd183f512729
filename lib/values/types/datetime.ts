/**
 * Spark's date-time strings: parsing (`stringToTimestamp`, `stringToDate` of Spark's `SparkDateTimeUtils`) and
 * printing (`yyyy-MM-dd HH:mm:ss[.fraction]`, `yyyy-MM-dd`), with weir's session time zone, UTC.
 *
 * Invariant: pure and total: a string yields epoch milliseconds or null, never an exception and never a guess
 * beyond Spark's grammar. Sub-millisecond digits are truncated (JS `Date` holds milliseconds; Spark holds
 * microseconds). The one impure input, "today" for a time-only string, comes from the `nowMs` argument.
 */

/** Milliseconds in a day. */
export const MS_PER_DAY = 86_400_000;

/** The largest |epoch ms| a JS `Date` holds. */
const MAX_DATE_MS = 8.64e15;

/** Fields of a timestamp string, as Spark's `parseTimestampString` splits them. */
interface TimestampParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly micros: number;
  readonly zone: string | undefined;
  readonly justTime: boolean;
}

function isSpace(code: number): boolean {
  return code <= 0x20 || code === 0x7f;
}

/** A port of Spark's `parseTimestampString` (the segment scanner), on UTF-16 units instead of UTF-8 bytes. */
function parseTimestampParts(s: string): TimestampParts | null {
  const validDigits = (segment: number, digits: number): boolean =>
    segment === 6 ||
    (segment === 0 && digits >= 4 && digits <= 6) ||
    (segment === 7 && digits <= 2) ||
    (segment !== 0 && segment !== 6 && segment !== 7 && digits > 0 && digits <= 2);

  const segments = [1, 1, 1, 0, 0, 0, 0, 0, 0];
  let tz: string | undefined;
  let i = 0;
  let value = 0;
  let digits = 0;
  let j = 0;
  while (j < s.length && isSpace(s.charCodeAt(j))) j++;
  let end = s.length - 1;
  while (end > j && isSpace(s.charCodeAt(end))) end--;
  end += 1;
  if (j === end) return null;

  let digitsMilli = 0;
  let justTime = false;
  let yearSign = 0;
  if (s[j] === '-' || s[j] === '+') {
    yearSign = s[j] === '-' ? -1 : 1;
    j++;
  }
  const close = (segment: number): boolean => {
    if (!validDigits(segment, digits)) return false;
    segments[segment] = value;
    value = 0;
    digits = 0;
    return true;
  };
  while (j < end) {
    const b = s[j];
    const d = s.charCodeAt(j) - 48;
    if (d < 0 || d > 9) {
      if (j === 0 && b === 'T') {
        justTime = true;
        i += 3;
      } else if (i < 2) {
        if (b === '-') {
          if (!close(i)) return null;
          i++;
        } else if (i === 0 && b === ':' && yearSign === 0) {
          justTime = true;
          if (!close(3)) return null;
          i = 4;
        } else {
          return null;
        }
      } else if (i === 2) {
        if (b !== ' ' && b !== 'T') return null;
        if (!close(i)) return null;
        i++;
      } else if (i === 3 || i === 4) {
        if (b !== ':') return null;
        if (!close(i)) return null;
        i++;
      } else if (i === 5 || i === 6) {
        if (b === '.' && i === 5) {
          if (!close(i)) return null;
          i++;
        } else {
          if (!close(i)) return null;
          i++;
          tz = s.slice(j, end);
          j = end - 1;
        }
        if (i === 6 && b !== '.') i++;
      } else {
        if (i < segments.length && (b === ':' || b === ' ')) {
          if (!close(i)) return null;
          i++;
        } else {
          return null;
        }
      }
    } else {
      if (i === 6) digitsMilli++;
      // More than 6 fractional digits are truncated.
      if (i !== 6 || digits < 6) value = value * 10 + d;
      digits++;
    }
    j++;
  }
  if (!close(i)) return null;
  while (digitsMilli < 6) {
    segments[6] *= 10;
    digitsMilli++;
  }
  return {
    year: segments[0] * (yearSign === 0 ? 1 : yearSign),
    month: segments[1],
    day: segments[2],
    hour: segments[3],
    minute: segments[4],
    second: segments[5],
    micros: segments[6],
    zone: tz === undefined ? undefined : tz.trim(),
    justTime,
  };
}

/** Epoch ms of a UTC wall clock, any year (Date.UTC maps years 0-99 to 1900-1999). */
export function utcMillis(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  const d = new Date(Date.UTC(2000, 0, 1, hour, minute, second, ms));
  d.setUTCFullYear(year, month - 1, day);
  return d.getTime();
}

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(utcMillis(year, month + 1, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** A resolved time zone: a fixed offset, or an IANA region looked up through `Intl`. */
type Zone = { readonly offsetMs: number } | { readonly region: string };

/** Java's `ZoneId.SHORT_IDS`, which Spark passes to `ZoneId.of`. */
const SHORT_IDS: Record<string, string> = {
  ACT: 'Australia/Darwin',
  AET: 'Australia/Sydney',
  AGT: 'America/Argentina/Buenos_Aires',
  ART: 'Africa/Cairo',
  AST: 'America/Anchorage',
  BET: 'America/Sao_Paulo',
  BST: 'Asia/Dhaka',
  CAT: 'Africa/Harare',
  CNT: 'America/St_Johns',
  CST: 'America/Chicago',
  CTT: 'Asia/Shanghai',
  EAT: 'Africa/Addis_Ababa',
  ECT: 'Europe/Paris',
  IET: 'America/Indiana/Indianapolis',
  IST: 'Asia/Kolkata',
  JST: 'Asia/Tokyo',
  MIT: 'Pacific/Apia',
  NET: 'Asia/Yerevan',
  NST: 'Pacific/Auckland',
  PLT: 'Asia/Karachi',
  PNT: 'America/Phoenix',
  PRT: 'America/Puerto_Rico',
  PST: 'America/Los_Angeles',
  SST: 'Pacific/Guadalcanal',
  VST: 'Asia/Ho_Chi_Minh',
  EST: '-05:00',
  MST: '-07:00',
  HST: '-10:00',
};

/** Java's `ZoneOffset.of`: `+h`, `+hh`, `+hh:mm`, `+hhmm`, `+hh:mm:ss`, `+hhmmss`, at most ±18:00. */
function parseOffset(id: string): number | null {
  const m =
    /^([+-])(\d{1,2})$/.exec(id) ??
    /^([+-])(\d{2}):?(\d{2})$/.exec(id) ??
    /^([+-])(\d{2}):(\d{2}):(\d{2})$/.exec(id) ??
    /^([+-])(\d{2})(\d{2})(\d{2})$/.exec(id);
  if (!m) return null;
  const h = Number(m[2]);
  const min = Number(m[3] ?? 0);
  const sec = Number(m[4] ?? 0);
  if (h > 18 || min > 59 || sec > 59) return null;
  const total = (h * 3600 + min * 60 + sec) * 1000;
  if (total > 18 * 3_600_000) return null;
  return m[1] === '-' ? -total : total;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(region: string): Intl.DateTimeFormat | null {
  let f = formatters.get(region);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: region,
        hourCycle: 'h23',
        era: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      return null;
    }
    formatters.set(region, f);
  }
  return f;
}

/**
 * Spark's `getZoneId` (`ZoneId.of(id, SHORT_IDS)` after widening `+h:mm` and `+hh:m`): `Z`, `+08:00`, `-8`,
 * `UTC`, `GMT+8`, `UT-03:30`, `CST`, `Europe/Paris`. Null when Java would reject the id.
 */
export function resolveZone(name: string): Zone | null {
  let id = name.replace(/([+-])(\d):/, (_m, sign: string, h: string) => `${sign}0${h}:`);
  id = id.replace(/([+-])(\d\d):(\d)$/, (_m, sign: string, h: string, m: string) => `${sign}${h}:0${m}`);
  id = SHORT_IDS[id] ?? id;
  if (id === 'Z' || id === 'UTC' || id === 'GMT' || id === 'UT') return { offsetMs: 0 };
  if (id.startsWith('+') || id.startsWith('-')) {
    const o = parseOffset(id);
    return o === null ? null : { offsetMs: o };
  }
  const prefixed = /^(UTC|GMT|UT)([+-].*)$/.exec(id);
  if (prefixed) {
    const o = parseOffset(prefixed[2]);
    return o === null ? null : { offsetMs: o };
  }
  if (!/^[A-Za-z][A-Za-z0-9~/._+-]+$/.test(id) || formatterFor(id) === null) return null;
  return { region: id };
}

/** The UTC offset of `zone` at the instant `ms`. */
function offsetAt(zone: Zone, ms: number): number {
  if ('offsetMs' in zone) return zone.offsetMs;
  const f = formatterFor(zone.region);
  if (f === null) return 0;
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(ms))) parts[p.type] = p.value;
  let year = Number(parts.year);
  if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
  const wall = utcMillis(year, Number(parts.month), Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The instant of a wall clock `localMs` (a UTC reading of the wall clock) in `zone`, as Java's
 * `ZonedDateTime.of` resolves it: in an overlap the earlier instant, in a gap the wall clock moved forward by
 * the gap.
 */
function localToInstant(zone: Zone, localMs: number): number {
  if ('offsetMs' in zone) return localMs - zone.offsetMs;
  const candidates = [...new Set([offsetAt(zone, localMs - MS_PER_DAY), offsetAt(zone, localMs), offsetAt(zone, localMs + MS_PER_DAY)])];
  const valid = candidates.filter((o) => offsetAt(zone, localMs - o) === o);
  if (valid.length > 0) return localMs - Math.max(...valid);
  return localMs - Math.min(...candidates);
}

/** Options of `stringToTimestamp`. */
export interface StringToTimestampOptions {
  /** The zone of a string without one; weir's session time zone is UTC. */
  readonly zone?: string;
  /** TIMESTAMP_NTZ: read the wall clock and drop any zone in the string (a time-only string → null). */
  readonly withoutTimeZone?: boolean;
  /** "Now" for a time-only string (`'12:30:00'` is today at 12:30); defaults to `Date.now()`. */
  readonly nowMs?: number;
}

/**
 * Spark's `stringToTimestamp`: `[+-]yyyy[-[m]m[-[d]d]]`, then optionally ` ` or `T` and
 * `[h]h:[m]m[:[s]s[.fraction]]` and a zone (`Z`, `+08:00`, ` UTC`, ` America/New_York`), or a time alone
 * (`[T]hh:mm:ss`, on today's date). Returns epoch milliseconds, or null when Spark gives NULL or a JS `Date`
 * cannot hold the instant.
 *
 * @example
 * ```ts
 * stringToTimestamp('2020-01-02T03:04:05.123+02:00')   // Date.UTC(2020, 0, 2, 1, 4, 5, 123)
 * ```
 */
export function stringToTimestamp(s: string, options: StringToTimestampOptions = {}): number | null {
  const p = parseTimestampParts(s);
  if (p === null) return null;
  if (p.hour > 23 || p.minute > 59 || p.second > 59) return null;
  const parsedZone = p.zone === undefined ? undefined : resolveZone(p.zone);
  if (parsedZone === null) return null;
  if (options.withoutTimeZone && p.justTime) return null;
  const zone: Zone | null = options.withoutTimeZone ? { offsetMs: 0 } : parsedZone ?? resolveZone(options.zone ?? 'UTC');
  if (zone === null) return null;
  let { year, month, day } = p;
  if (p.justTime) {
    const now = options.nowMs ?? Date.now();
    const today = new Date(now + offsetAt(zone, now));
    year = today.getUTCFullYear();
    month = today.getUTCMonth() + 1;
    day = today.getUTCDate();
  } else if (!validDate(year, month, day)) {
    return null;
  }
  const local = utcMillis(year, month, day, p.hour, p.minute, p.second, Math.floor(p.micros / 1000));
  const instant = localToInstant(zone, local);
  return Math.abs(instant) <= MAX_DATE_MS ? instant : null;
}

/**
 * Spark's `stringToDate`: `[+-]yyyy[-[m]m[-[d]d]]`, optionally followed by ` ` or `T` and anything. Returns the
 * epoch milliseconds of UTC midnight, or null.
 */
export function stringToDate(s: string): number | null {
  let j = 0;
  while (j < s.length && isSpace(s.charCodeAt(j))) j++;
  let end = s.length - 1;
  while (end > j && isSpace(s.charCodeAt(end))) end--;
  end += 1;
  if (j === end) return null;
  const segments = [1, 1, 1];
  let sign = 1;
  let i = 0;
  let value = 0;
  let digits = 0;
  const validDigits = (segment: number, n: number): boolean =>
    (segment === 0 && n >= 4 && n <= 7) || (segment !== 0 && n > 0 && n <= 2);
  if (s[j] === '-' || s[j] === '+') {
    sign = s[j] === '-' ? -1 : 1;
    j++;
  }
  while (j < end && i < 3 && s[j] !== ' ' && s[j] !== 'T') {
    const b = s[j];
    if (i < 2 && b === '-') {
      if (!validDigits(i, digits)) return null;
      segments[i] = value;
      value = 0;
      digits = 0;
      i++;
    } else {
      const d = s.charCodeAt(j) - 48;
      if (d < 0 || d > 9) return null;
      value = value * 10 + d;
      digits++;
    }
    j++;
  }
  if (!validDigits(i, digits)) return null;
  if (i < 2 && j < end) return null;
  segments[i] = value;
  const year = sign * segments[0];
  if (!validDate(year, segments[1], segments[2])) return null;
  const ms = utcMillis(year, segments[1], segments[2]);
  return Math.abs(ms) <= MAX_DATE_MS ? ms : null;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function formatYear(y: number): string {
  if (y > 9999) return `+${y}`;
  if (y < 0) return `-${pad(-y, 4)}`;
  return pad(y, 4);
}

/** A DATE as Spark prints it: `yyyy-MM-dd` (UTC). */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${formatYear(d.getUTCFullYear())}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/**
 * A TIMESTAMP as Spark's CAST to STRING prints it in weir's session time zone (UTC):
 * `yyyy-MM-dd HH:mm:ss`, plus `.fraction` without trailing zeros when there is one.
 */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  const base = `${formatDate(ms)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  const millis = d.getUTCMilliseconds();
  return millis === 0 ? base : `${base}.${pad(millis, 3).replace(/0+$/, '')}`;
}

/** UTC midnight of the day holding `ms` (TIMESTAMP → DATE in a UTC session). */
export function truncateToDay(ms: number): number {
  return Math.floor(ms / MS_PER_DAY) * MS_PER_DAY;
}

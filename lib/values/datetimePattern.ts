/**
 * Spark's datetime patterns (`yyyy-MM-dd HH:mm:ss.SSS`, `MM/dd/yyyy`, `EEE`, `a`, `XXX`) for `to_timestamp`,
 * `to_date`, `unix_timestamp`, `date_format`, `from_unixtime`, in weir's session time zone, UTC.
 *
 * Invariants: a pattern is compiled once into a list of fields and literals (no code is generated); parsing is
 * strict as Spark 3+'s (fixed widths for repeated letters, the whole input must match, invalid dates such as
 * Feb 30 fail) and a failure is null (non-ANSI), never a guess; an unknown pattern letter is an INVALID_ARGUMENT
 * with Spark's message.
 */
import { ErrorCodes, WeirError } from '../errors';

type Field =
  | { kind: 'literal'; text: string }
  | { kind: 'field'; letter: string; count: number };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const KNOWN = new Set(['y', 'u', 'M', 'L', 'd', 'D', 'H', 'h', 'k', 'K', 'm', 's', 'S', 'a', 'E', 'X', 'x', 'Z', 'z', 'V', 'O', 'G', 'Q', 'q']);

const cache = new Map<string, Field[]>();

/** Compiles a datetime pattern into fields and literals (cached). */
export function compilePattern(pattern: string): Field[] {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  const out: Field[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        out.push({ kind: 'literal', text: "'" });
        i += 2;
        continue;
      }
      const end = pattern.indexOf("'", i + 1);
      if (end < 0) throw patternError(pattern);
      out.push({ kind: 'literal', text: pattern.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      if (!KNOWN.has(c)) throw patternError(pattern, c);
      let j = i;
      while (pattern[j] === c) j++;
      out.push({ kind: 'field', letter: c, count: j - i });
      i = j;
      continue;
    }
    out.push({ kind: 'literal', text: c });
    i += 1;
  }
  if (cache.size > 256) cache.clear();
  cache.set(pattern, out);
  return out;
}

function patternError(pattern: string, letter?: string): Error {
  const detail = letter === undefined ? 'unclosed quote' : `Illegal pattern character '${letter}'`;
  return new WeirError(
    ErrorCodes.INVALID_ARGUMENT,
    `[INVALID_DATETIME_PATTERN.ILLEGAL_CHARACTER] Unrecognized datetime pattern: ${pattern}. ${detail}. SQLSTATE: 22007`,
    { context: { pattern } },
  );
}

const pad = (n: number, width: number): string => String(Math.abs(n)).padStart(width, '0');

/** Formats an instant (epoch ms) with a Spark pattern, in UTC. */
export function formatDatetime(ms: number, pattern: string): string {
  const d = new Date(ms);
  let out = '';
  for (const f of compilePattern(pattern)) {
    if (f.kind === 'literal') {
      out += f.text;
      continue;
    }
    const n = f.count;
    switch (f.letter) {
      case 'y':
      case 'u': {
        const y = d.getUTCFullYear();
        out += n === 2 ? pad(y % 100, 2) : pad(y, n);
        break;
      }
      case 'M':
      case 'L': {
        const m = d.getUTCMonth();
        out += n >= 4 ? MONTHS[m]! : n === 3 ? MONTHS[m]!.slice(0, 3) : pad(m + 1, n);
        break;
      }
      case 'd':
        out += pad(d.getUTCDate(), n);
        break;
      case 'D': {
        const start = Date.UTC(d.getUTCFullYear(), 0, 1);
        out += pad(Math.floor((ms - start) / 86_400_000) + 1, n);
        break;
      }
      case 'H':
        out += pad(d.getUTCHours(), n);
        break;
      case 'k':
        out += pad(d.getUTCHours() === 0 ? 24 : d.getUTCHours(), n);
        break;
      case 'h':
        out += pad(d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12, n);
        break;
      case 'K':
        out += pad(d.getUTCHours() % 12, n);
        break;
      case 'm':
        out += pad(d.getUTCMinutes(), n);
        break;
      case 's':
        out += pad(d.getUTCSeconds(), n);
        break;
      case 'S':
        out += pad(d.getUTCMilliseconds(), 3).padEnd(n, '0').slice(0, n);
        break;
      case 'a':
        out += d.getUTCHours() < 12 ? 'AM' : 'PM';
        break;
      case 'E':
        out += n >= 4 ? DAYS[d.getUTCDay()]! : DAYS[d.getUTCDay()]!.slice(0, 3);
        break;
      case 'X':
        out += 'Z';
        break;
      case 'x':
        out += n === 1 ? '+00' : n === 2 || n === 4 ? '+0000' : '+00:00';
        break;
      case 'Z':
        out += n >= 4 ? 'GMT' : '+0000';
        break;
      case 'z':
      case 'O':
      case 'V':
        out += 'UTC';
        break;
      case 'G':
        out += 'AD';
        break;
      case 'Q':
      case 'q':
        out += pad(Math.floor(d.getUTCMonth() / 3) + 1, n);
        break;
    }
  }
  return out;
}

/** Parses `text` with a Spark pattern into epoch ms (UTC unless the text has an offset), or null. */
export function parseDatetime(text: string, pattern: string): number | null {
  const fields = compilePattern(pattern);
  let i = 0;
  let year = 1970;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millis = 0;
  let pm: boolean | undefined;
  let hour12: number | undefined;
  let offsetMinutes = 0;
  let dayOfYear: number | undefined;
  const digits = (min: number, max: number): number | null => {
    let j = i;
    while (j < text.length && j - i < max && text[j]! >= '0' && text[j]! <= '9') j++;
    if (j - i < min) return null;
    const v = Number(text.slice(i, j));
    i = j;
    return v;
  };
  for (let k = 0; k < fields.length; k++) {
    const f = fields[k]!;
    if (f.kind === 'literal') {
      if (!text.startsWith(f.text, i)) return null;
      i += f.text.length;
      continue;
    }
    // Repeated letters are fixed-width (MM is exactly two digits); a single letter takes one or two digits.
    const nextIsNumeric = fields[k + 1]?.kind === 'field';
    const width = (): [number, number] => (f.count >= 2 ? [f.count, f.count] : [1, 2]);
    let v: number | null;
    switch (f.letter) {
      case 'y':
      case 'u':
        if (f.count === 2) {
          v = digits(2, 2);
          if (v === null) return null;
          year = 2000 + v;
        } else {
          v = digits(f.count, nextIsNumeric ? f.count : 9);
          if (v === null) return null;
          year = v;
        }
        break;
      case 'M':
      case 'L':
        if (f.count >= 3) {
          const names = f.count === 3 ? MONTHS.map((m) => m.slice(0, 3)) : MONTHS;
          const idx = names.findIndex((m) => text.slice(i, i + m.length).toLowerCase() === m.toLowerCase());
          if (idx < 0) return null;
          i += names[idx]!.length;
          month = idx + 1;
        } else {
          const [min, max] = width();
          v = digits(min, max);
          if (v === null) return null;
          month = v;
        }
        break;
      case 'd': {
        const [min, max] = width();
        v = digits(min, max);
        if (v === null) return null;
        day = v;
        break;
      }
      case 'D':
        v = digits(f.count, 3);
        if (v === null) return null;
        dayOfYear = v;
        break;
      case 'H':
      case 'k': {
        const [min, max] = width();
        v = digits(min, max);
        if (v === null) return null;
        hour = f.letter === 'k' && v === 24 ? 0 : v;
        break;
      }
      case 'h':
      case 'K': {
        const [min, max] = width();
        v = digits(min, max);
        if (v === null) return null;
        hour12 = f.letter === 'h' && v === 12 ? 0 : v;
        break;
      }
      case 'm': {
        const [min, max] = width();
        v = digits(min, max);
        if (v === null) return null;
        minute = v;
        break;
      }
      case 's': {
        const [min, max] = width();
        v = digits(min, max);
        if (v === null) return null;
        second = v;
        break;
      }
      case 'S': {
        const start = i;
        v = digits(1, f.count);
        if (v === null) return null;
        const len = i - start;
        millis = Math.floor(v * 10 ** (3 - len));
        break;
      }
      case 'a': {
        const t = text.slice(i, i + 2).toUpperCase();
        if (t !== 'AM' && t !== 'PM') return null;
        pm = t === 'PM';
        i += 2;
        break;
      }
      case 'E': {
        const names = f.count >= 4 ? DAYS : DAYS.map((x) => x.slice(0, 3));
        const idx = names.findIndex((x) => text.slice(i, i + x.length).toLowerCase() === x.toLowerCase());
        if (idx < 0) return null;
        i += names[idx]!.length;
        break;
      }
      case 'X':
      case 'x':
      case 'Z': {
        if (f.letter === 'X' && text[i] === 'Z') {
          i += 1;
          offsetMinutes = 0;
          break;
        }
        const m = /^([+-])(\d{2}):?(\d{2})?/.exec(text.slice(i));
        if (m === null) return null;
        offsetMinutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
        i += m[0].length;
        break;
      }
      case 'z':
      case 'V':
      case 'O': {
        const m = /^(UTC|GMT|Z)/i.exec(text.slice(i));
        if (m === null) return null;
        i += m[0].length;
        break;
      }
      default:
        return null;
    }
  }
  if (i !== text.length) return null;
  if (hour12 !== undefined) hour = hour12 + (pm === true ? 12 : 0);
  else if (pm === true && hour < 12) hour += 12;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  let ms: number;
  if (dayOfYear !== undefined) {
    ms = Date.UTC(year, 0, 1) + (dayOfYear - 1) * 86_400_000;
  } else {
    ms = Date.UTC(year, month - 1, day);
    const check = new Date(ms);
    if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null;
  }
  if (year < 100 && year >= 0) {
    // Date.UTC maps years 0..99 to 1900..1999.
    const d = new Date(ms);
    d.setUTCFullYear(year);
    ms = d.getTime();
  }
  return ms + ((hour * 60 + minute) * 60 + second) * 1000 + millis - offsetMinutes * 60_000;
}

/** Epoch ms of UTC midnight of the day of `ms`. */
export function startOfDay(ms: number): number {
  return Math.floor(ms / 86_400_000) * 86_400_000;
}

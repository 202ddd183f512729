/**
 * Spark's `timestampFormat` / `dateFormat` options: a subset of Java's DateTimeFormatter patterns, compiled once
 * into a parser and a printer (UTC, weir's session time zone).
 *
 * Invariant: a compiled format parses only strings that match the whole pattern (null otherwise, never a guess),
 * and `parse(format(ms)) === ms` for every instant the pattern's precision can hold.
 */
import { ErrorCodes, WeirError } from '../errors';

/** Spark's default for writing timestamps in JSON and CSV. */
export const DEFAULT_TIMESTAMP_WRITE_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
/** Spark's default date format. */
export const DEFAULT_DATE_FORMAT = 'yyyy-MM-dd';

type Token =
  | { kind: 'literal'; text: string }
  | { kind: 'field'; letter: string; width: number };

/** A compiled pattern. */
export interface TimestampFormat {
  readonly pattern: string;
  /** Epoch ms of `s`, or null when `s` does not match. */
  parse(s: string): number | null;
  /** `ms` printed in UTC. */
  format(ms: number): string;
}

const SUPPORTED = new Set(['y', 'M', 'd', 'H', 'm', 's', 'S', 'X', 'x', 'Z']);

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i] as string;
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end < 0) throw bad(pattern, 'unterminated quote');
      tokens.push({ kind: 'literal', text: end === i + 1 ? "'" : pattern.slice(i + 1, end) });
      i = end + 1;
    } else if (/[A-Za-z]/.test(c)) {
      if (!SUPPORTED.has(c)) throw bad(pattern, `pattern letter '${c}' is not supported by weir`);
      let j = i;
      while (pattern[j] === c) j++;
      tokens.push({ kind: 'field', letter: c, width: j - i });
      i = j;
    } else {
      tokens.push({ kind: 'literal', text: c });
      i += 1;
    }
  }
  return tokens;
}

function bad(pattern: string, why: string): WeirError {
  return new WeirError(ErrorCodes.INVALID_ARGUMENT, `Invalid datetime pattern '${pattern}': ${why}`, {
    context: { option: 'timestampFormat', value: pattern },
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Compiles a Java-style pattern (`yyyy-MM-dd HH:mm:ss.SSS`, `'T'` literals, `XXX`/`Z` zones).
 *
 * @throws WeirError INVALID_ARGUMENT for a letter weir does not support.
 * @example
 * ```ts
 * compileTimestampFormat('dd/MM/yyyy HH:mm').parse('02/01/2024 03:04')  // Date.UTC(2024, 0, 2, 3, 4)
 * ```
 */
export function compileTimestampFormat(pattern: string): TimestampFormat {
  const tokens = tokenize(pattern);
  let source = '^';
  const fields: Array<{ letter: string; width: number }> = [];
  for (const t of tokens) {
    if (t.kind === 'literal') {
      source += escapeRegExp(t.text);
      continue;
    }
    fields.push(t);
    switch (t.letter) {
      case 'y':
        source += t.width === 2 ? '(\\d{2})' : '(\\d{4,})';
        break;
      case 'S':
        source += `(\\d{${t.width}})`;
        break;
      case 'X':
      case 'x':
      case 'Z':
        source += '(Z|[+-]\\d{2}(?::?\\d{2})?)';
        break;
      default:
        source += t.width === 1 ? '(\\d{1,2})' : `(\\d{${t.width}})`;
    }
  }
  const regex = new RegExp(`${source}$`);
  return {
    pattern,
    parse(s: string): number | null {
      const m = regex.exec(s);
      if (!m) return null;
      let year = 1970;
      let month = 1;
      let day = 1;
      let hour = 0;
      let minute = 0;
      let second = 0;
      let ms = 0;
      let offsetMin = 0;
      fields.forEach((f, k) => {
        const v = m[k + 1] as string;
        switch (f.letter) {
          case 'y':
            year = f.width === 2 ? 2000 + Number(v) : Number(v);
            break;
          case 'M':
            month = Number(v);
            break;
          case 'd':
            day = Number(v);
            break;
          case 'H':
            hour = Number(v);
            break;
          case 'm':
            minute = Number(v);
            break;
          case 's':
            second = Number(v);
            break;
          case 'S':
            ms = Math.floor(Number(`0.${v}`) * 1000 + 1e-9);
            break;
          default:
            if (v !== 'Z') {
              const sign = v[0] === '-' ? -1 : 1;
              const digits = v.slice(1).replace(':', '');
              offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
            }
        }
      });
      if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
      const local = Date.UTC(year, month - 1, day, hour, minute, second, ms);
      const check = new Date(local);
      if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null;
      return local - offsetMin * 60_000;
    },
    format(msValue: number): string {
      const d = new Date(msValue);
      const pad = (n: number, w: number) => String(n).padStart(w, '0');
      let out = '';
      for (const t of tokens) {
        if (t.kind === 'literal') {
          out += t.text;
          continue;
        }
        switch (t.letter) {
          case 'y':
            out += t.width === 2 ? pad(d.getUTCFullYear() % 100, 2) : pad(d.getUTCFullYear(), t.width);
            break;
          case 'M':
            out += pad(d.getUTCMonth() + 1, t.width);
            break;
          case 'd':
            out += pad(d.getUTCDate(), t.width);
            break;
          case 'H':
            out += pad(d.getUTCHours(), t.width);
            break;
          case 'm':
            out += pad(d.getUTCMinutes(), t.width);
            break;
          case 's':
            out += pad(d.getUTCSeconds(), t.width);
            break;
          case 'S':
            out += pad(d.getUTCMilliseconds(), 3).padEnd(t.width, '0').slice(0, t.width);
            break;
          case 'X':
            out += 'Z';
            break;
          default:
            out += t.letter === 'Z' ? '+0000' : t.width >= 3 ? '+00:00' : '+00';
        }
      }
      return out;
    },
  };
}

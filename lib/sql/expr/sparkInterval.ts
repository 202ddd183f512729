/**
 * Spark's interval strings as its DataFrame API reads them (`window(ts, '10 minutes')`, `withWatermark(ts, '10
 * minutes')`, `session_window(ts, '5 minutes')`): IntervalUtils.stringToInterval's grammar, which is stricter than
 * weir's RxJS-face parser (lib/util/interval.ts accepts `10s`, `5 min`, `1h`; Spark does not).
 *
 * Invariant: a string is accepted iff it is an optional `interval` followed by one or more `[+|-]<number> <unit>`
 * with the full unit word (singular or plural: year, month, week, day, hour, minute, second, millisecond,
 * microsecond), case-insensitive, separated by whitespace; only seconds may have a fraction (up to 9 digits).
 * Checked against Spark 4.0.1: `'30 min'`, `'1 min'` and `'1s'` fail to parse.
 */
import { ErrorCodes, WeirError } from '../../errors';

const UNIT = '(?:year|month|week|day|hour|minute|second|millisecond|microsecond)s?';
const PART = new RegExp(`^([+-]?)\\s*(\\d+)(\\.\\d{1,9})?\\s+(${UNIT})$`, 'i');

/** True when Spark parses `text` as an interval string. */
export function isSparkIntervalString(text: string): boolean {
  const words = text.trim().split(/\s+/).filter((w) => w.length > 0);
  if (words[0]?.toLowerCase() === 'interval') words.shift();
  if (words.length === 0) return false;
  // Re-pair the words as "<sign?><number> <unit>" (a sign may stand alone before its number).
  const parts: string[] = [];
  for (let i = 0; i < words.length; ) {
    const signAlone = words[i] === '+' || words[i] === '-';
    const take = signAlone ? 3 : 2;
    if (i + take > words.length) return false;
    parts.push(words.slice(i, i + take).join(' '));
    i += take;
  }
  return parts.every((p) => {
    const m = PART.exec(p);
    return m !== null && (m[3] === undefined || /^seconds?$/i.test(m[4]!));
  });
}

/** Spark's `CANNOT_PARSE_INTERVAL` error for `text`. */
export function cannotParseInterval(text: string): WeirError {
  return new WeirError(
    ErrorCodes.INVALID_ARGUMENT,
    `[CANNOT_PARSE_INTERVAL] Unable to parse '${text}'. Please ensure that the value provided is in a valid format for defining an interval. You can reference the documentation for the correct format. If the issue persists, please double check that the input value is not null or empty and try again. SQLSTATE: 22006`,
    { context: { value: text } },
  );
}

/** `text` when Spark parses it as an interval string; otherwise throws Spark's CANNOT_PARSE_INTERVAL. */
export function sparkIntervalString(text: string): string {
  if (!isSparkIntervalString(text)) throw cannotParseInterval(text);
  return text;
}

/**
 * Jackson's `StreamReadConstraints` for JSON records (issue #16 item 5: a value nested 100,000 levels deep made
 * every parse mode fail with `Maximum call stack size exceeded`). Spark's JSON reader parses with Jackson, whose
 * default limits (2.16 and later; Spark 4.0 ships 2.18) make a record past them malformed: nesting deeper than
 * 1,000, a number longer than 1,000 characters, a string longer than 20,000,000 characters, a field name longer
 * than 50,000. The record then goes to the parse mode like any malformed one (PERMISSIVE keeps the raw text in the
 * corrupt-record column, DROPMALFORMED drops it, FAILFAST names file and line), and the message is Jackson's.
 * It lives in the values layer because both the file reader (`lib/formats/jsonFormat.ts`) and `from_json`
 * (`lib/sql/expr/json.ts`) apply it, and neither layer may import the other.
 *
 * Invariants: one linear pass over the text with no recursion; a text shorter than every limit is never scanned
 * (`jsonConstraintViolation` answers undefined at once); the scan reads JSON's structure only as far as the limits
 * need (strings and their escapes, brackets, number runs), so on text that is not JSON at all it may report
 * nothing, and the parser then decides.
 */

/** Jackson's `StreamReadConstraints` defaults, as of 2.16. */
export const JSON_READ_LIMITS = {
  maxNestingDepth: 1000,
  maxNumberLength: 1000,
  maxStringLength: 20_000_000,
  maxNameLength: 50_000,
} as const;

const SHORTEST_VIOLATION = Math.min(JSON_READ_LIMITS.maxNestingDepth, JSON_READ_LIMITS.maxNumberLength) + 1;

/** Bytes or characters: the only thing the scan needs of a record's text. */
function isNumberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69;
}

/**
 * Jackson's message for the first limit `text` passes, or undefined when it passes none. A text shorter than
 * 1,001 characters cannot pass one and is not scanned.
 */
export function jsonConstraintViolation(text: string): string | undefined {
  const n = text.length;
  if (n < SHORTEST_VIOLATION) return undefined;
  let depth = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */ || c === 39 /* ' (allowSingleQuotes) */) {
      let j = i + 1;
      let chars = 0;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === c) break;
        j += d === 92 /* \ */ ? 2 : 1;
        chars += 1;
      }
      let k = j + 1;
      while (k < n && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9 || text.charCodeAt(k) === 10 || text.charCodeAt(k) === 13)) k++;
      const isName = text.charCodeAt(k) === 58; /* : */
      if (isName && chars > JSON_READ_LIMITS.maxNameLength) {
        return `Name length (${chars}) exceeds the maximum allowed (${JSON_READ_LIMITS.maxNameLength}, from \`StreamReadConstraints.getMaxNameLength()\`)`;
      }
      if (!isName && chars > JSON_READ_LIMITS.maxStringLength) {
        return `String value length (${chars}) exceeds the maximum allowed (${JSON_READ_LIMITS.maxStringLength}, from \`StreamReadConstraints.getMaxStringLength()\`)`;
      }
      i = j;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth += 1;
      if (depth > JSON_READ_LIMITS.maxNestingDepth) {
        return `Document nesting depth (${depth}) exceeds the maximum allowed (${JSON_READ_LIMITS.maxNestingDepth}, from \`StreamReadConstraints.getMaxNestingDepth()\`)`;
      }
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      if (depth > 0) depth -= 1;
    } else if ((c >= 48 && c <= 57) || c === 45) {
      let j = i + 1;
      while (j < n && isNumberChar(text.charCodeAt(j))) j++;
      const length = j - i;
      if (length > JSON_READ_LIMITS.maxNumberLength) {
        return `Number value length (${length}) exceeds the maximum allowed (${JSON_READ_LIMITS.maxNumberLength}, from \`StreamReadConstraints.getMaxNumberLength()\`)`;
      }
      i = j - 1;
    }
  }
  return undefined;
}

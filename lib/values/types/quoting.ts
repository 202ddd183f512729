/**
 * How Spark spells identifiers and comments inside type strings.
 *
 * Invariant: `quoteIfNeeded` leaves a name bare only when the DDL parser reads it back as the same name.
 */

/** Spark's `QuotingUtils.quoteIfNeeded`: backquotes a name unless it is a plain identifier. */
export function quoteIfNeeded(name: string): string {
  return /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) ? name : quoteIdentifier(name);
}

/** Spark's `quoteIdentifier`: wraps in backquotes, doubling the backquotes inside. */
export function quoteIdentifier(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

/**
 * Spark's `escapeSingleQuotedString` for COMMENT '...': escapes single quotes only (so, as in Spark, a backslash
 * in a comment does not survive a DDL round trip).
 */
export function escapeSingleQuotedString(text: string): string {
  return text.replace(/'/g, "\\'");
}

const META: Record<string, string> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\f': '\\f',
  '\b': '\\b',
  '\u000B': '\\v',
  '\u0007': '\\a',
};

/** Spark's `escapeMetaCharacters`, applied to field names in `printSchema()`. */
export function escapeMetaCharacters(text: string): string {
  let out = '';
  for (const c of text) out += META[c] ?? c;
  return out;
}

/**
 * Which option values are secrets, and the text that replaces them (Spark's `spark.redaction.regex`).
 *
 * Invariant: every connector decides "is this option a secret" here, so the options class, the Kafka connector's
 * descriptions and any error context agree on what never leaves a process unredacted.
 */

/** Spark's `spark.redaction.regex` default, plus JAAS configs (they embed passwords) and key stores' keys. */
export const SECRET_KEY = /secret|password|token|access[.]?key|jaas|credential|keystore[.]key/i;

/** The text that replaces a secret (Spark's). */
export const REDACTED = '*********(redacted)';

/** True when the value of option `key` must not be shown. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

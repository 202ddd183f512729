/**
 * Spark's message of an error condition: the template filled with the parameters, in Spark's format.
 *
 * Invariants (Spark 4's `ErrorClassesJsonReader.getErrorMessage` and `SparkThrowableHelper.getMessage`): a
 * template is the condition's message lines joined with "\n", and for `MAIN.SUB` the main template, one space and
 * the sub-condition's; each `<name>` is replaced by its parameter's value, verbatim (a value is not searched for
 * further `<...>`); a `<name>` without a parameter is an error (Spark's internal error), extra parameters are
 * ignored; the message is `[MAIN.SUB] text SQLSTATE: xxxxx`, without ` SQLSTATE: ...` when the condition has
 * none, and without the `[...] ` prefix for Spark's `_LEGACY_ERROR_...` conditions.
 */
import { sparkCondition, type SparkConditionInfo } from './sparkConditions';

const TEMPLATE_PARAMETER = /<([a-zA-Z0-9_-]+)>/g;

/** The parts of `MAIN.SUB` and the main condition's data; throws on a name Spark's data does not have. */
function lookUp(condition: string): { info: SparkConditionInfo; sub: string | undefined } {
  const parts = condition.split('.');
  const info = parts.length <= 2 ? sparkCondition(parts[0]!) : undefined;
  if (info === undefined) throw new Error(`weir: '${condition}' is not an error condition in weir's Spark data`);
  const sub = parts[1];
  if ((info.subClass === undefined) !== (sub === undefined)) {
    throw new Error(`weir: the condition '${condition}' ${sub === undefined ? 'needs' : 'has no'} a sub-condition`);
  }
  if (sub !== undefined && !Object.prototype.hasOwnProperty.call(info.subClass, sub)) {
    throw new Error(`weir: '${condition}' is not an error condition in weir's Spark data`);
  }
  return { info, sub };
}

/** The template of `MAIN` or `MAIN.SUB`, unfilled. */
export function conditionTemplate(condition: string): string {
  const { info, sub } = lookUp(condition);
  const main = info.message.join('\n');
  return sub === undefined ? main : `${main} ${info.subClass![sub]!.message.join('\n')}`;
}

/** The condition's SQLSTATE (that of the main condition, as Spark's), or null when it has none. */
export function conditionSqlState(condition: string): string | null {
  return lookUp(condition).info.sqlState ?? null;
}

/** The parameter names a condition's template uses, in order of first use. */
export function conditionParameters(condition: string): string[] {
  return [...new Set([...conditionTemplate(condition).matchAll(TEMPLATE_PARAMETER)].map((m) => m[1]!))];
}

/** The template filled with `parameters` (no prefix, no SQLSTATE). */
export function fillCondition(condition: string, parameters: Readonly<Record<string, string>>): string {
  return conditionTemplate(condition).replace(TEMPLATE_PARAMETER, (_, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(parameters, name)) {
      throw new Error(`weir: undefined error message parameter '${name}' for the condition '${condition}'`);
    }
    return parameters[name]!;
  });
}

/** Spark's whole message: `[CONDITION] text SQLSTATE: xxxxx`. */
export function conditionMessage(condition: string, parameters: Readonly<Record<string, string>>): string {
  const text = fillCondition(condition, parameters);
  const sqlState = conditionSqlState(condition);
  const prefix = condition.startsWith('_LEGACY_ERROR_') ? '' : `[${condition}] `;
  return `${prefix}${text}${sqlState === null ? '' : ` SQLSTATE: ${sqlState}`}`;
}

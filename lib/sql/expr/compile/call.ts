/**
 * Compilation of a function call (Spark's ResolveFunctions): the built-in is looked up in the registry, the call
 * checked (no `*` argument, no `DISTINCT`, a generator only at the top of a projection item, the number of
 * arguments), the arguments compiled, and the function's own compiler builds the node.
 *
 * Invariants: every check fails at compile time with Spark's error class, in this order: star, unknown function
 * (UNRESOLVED_ROUTINE, or MISSING_GROUP_BY for an aggregate), DISTINCT, nested generator, WRONG_NUM_ARGS; the
 * arguments are compiled in a scope in which no generator is allowed.
 */
import { exprError, ExprErrorCodes } from '../errorCodes';
import { sparkError } from '../../../errors';
import type { CallExpr } from '../Expr';
import type { Node } from '../compiled';
import { prettySql } from '../outputName';
import { resolveFunction, wrongArgs } from '../functions/registry';
import type { CompileNode, Cx } from './context';

/** Compiles the call `call` of a built-in scalar, generator or time-window function. */
export function compileCall(call: CallExpr, cx: Cx, compile: CompileNode): Node {
  if (call.star === true) {
    if (call.name === 'count') {
      throw exprError(ExprErrorCodes.UNSUPPORTED_OPERATION, '[MISSING_GROUP_BY] count(*) is an aggregate; use it in agg() or select() over a whole DataFrame.', {
        expression: 'count(1)',
      });
    }
    throw exprError('INVALID_ARGUMENT', `[INVALID_USAGE_OF_STAR_OR_REGEX] Invalid usage of '*' in expression \`${call.name}\`. SQLSTATE: 42000`, {
      function: call.name,
    });
  }
  const fn = resolveFunction(call);
  if (call.distinct) {
    throw exprError('INVALID_ARGUMENT', `[INVALID_DISTINCT] DISTINCT is only supported on aggregate functions; \`${call.name}\` is not one.`, { function: call.name });
  }
  if (fn.kind === 'generator' && call !== cx.generatorAllowedAt) {
    throw sparkError('INVALID_ARGUMENT', 'UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS', { expression: `"${prettySql(call)}"` }, {
      context: { expression: prettySql(call) },
    });
  }
  if (call.args.length < fn.minArgs || call.args.length > fn.maxArgs) throw wrongArgs(call.name, call.args.length, fn.minArgs, fn.maxArgs);
  const inner: Cx = cx.generatorAllowedAt === undefined ? cx : { schema: cx.schema, qualifiers: cx.qualifiers, ...(cx.compiled === undefined ? {} : { compiled: cx.compiled }) };
  const args = call.args.map((a) => compile(a, inner));
  return fn.compile(call, args);
}

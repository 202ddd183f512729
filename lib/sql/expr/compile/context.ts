/**
 * What compiling an expression node needs besides the node: the scope it resolves in (`Cx`) and the compiler of
 * sub-expressions (`CompileNode`), which the per-family compilers receive as a parameter instead of importing it,
 * so that no family imports the dispatcher that imports the families (no import cycle).
 *
 * Invariant: types only; the one `CompileNode` is `compileNode` of `compileNode.ts`.
 */
import type { Expr } from '../Expr';
import type { Node } from '../compiled';
import type { StructType } from '../typeSupport';

/** The scope of a compilation: the input schema, the names that may qualify a column, where a generator may be. */
export interface Cx {
  readonly schema: StructType;
  readonly qualifiers: readonly string[];
  /** The one node that may be a generator: the top of a projection item (Spark allows no nested generator). */
  readonly generatorAllowedAt?: Expr;
  /** Nodes already compiled in this scope: the links of a long chain below the one being compiled (`flatChains`). */
  readonly compiled?: ReadonlyMap<Expr, Node>;
}

/** Compiles a sub-expression in a scope (the dispatcher on the node's kind). */
export type CompileNode = (expr: Expr, cx: Cx) => Node;

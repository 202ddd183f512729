/**
 * Join types, their names as Spark accepts and prints them, and Spark's analysis messages for joins.
 *
 * Invariant: `parseJoinType` accepts exactly Spark's spellings (case-insensitive, underscores ignored) and
 * rejects anything else with Spark 4.0.1's UNSUPPORTED_JOIN_TYPE text; `sparkJoinTypeName` prints the name
 * Spark's messages use (`LeftOuter`, ...). The message texts were checked against a Spark 4.0.1 run.
 */
import { ErrorCodes, WeirError } from '../errors';

/** A join type (Spark's JoinType). */
export type JoinType = 'inner' | 'leftOuter' | 'rightOuter' | 'fullOuter' | 'leftSemi' | 'leftAnti' | 'cross';

const SUPPORTED_NAMES = [
  'inner',
  'outer',
  'full',
  'fullouter',
  'full_outer',
  'leftouter',
  'left',
  'left_outer',
  'rightouter',
  'right',
  'right_outer',
  'leftsemi',
  'left_semi',
  'semi',
  'leftanti',
  'left_anti',
  'anti',
  'cross',
];

/** Parses a join type name as Spark's `JoinType(typ)` does. */
export function parseJoinType(how: string): JoinType {
  switch (how.toLowerCase().replace(/_/g, '')) {
    case 'inner':
      return 'inner';
    case 'outer':
    case 'full':
    case 'fullouter':
      return 'fullOuter';
    case 'leftouter':
    case 'left':
      return 'leftOuter';
    case 'rightouter':
    case 'right':
      return 'rightOuter';
    case 'leftsemi':
    case 'semi':
      return 'leftSemi';
    case 'leftanti':
    case 'anti':
      return 'leftAnti';
    case 'cross':
      return 'cross';
    default:
      throw new WeirError(
        ErrorCodes.UNSUPPORTED_JOIN_TYPE,
        `[UNSUPPORTED_JOIN_TYPE] Unsupported join type '${how}'. Supported join types include: ${SUPPORTED_NAMES.map((n) => `'${n}'`).join(', ')}.`,
        { context: { joinType: how } },
      );
  }
}

/** The name Spark prints for a join type in its messages. */
export function sparkJoinTypeName(type: JoinType): string {
  switch (type) {
    case 'inner':
      return 'Inner';
    case 'leftOuter':
      return 'LeftOuter';
    case 'rightOuter':
      return 'RightOuter';
    case 'fullOuter':
      return 'FullOuter';
    case 'leftSemi':
      return 'LeftSemi';
    case 'leftAnti':
      return 'LeftAnti';
    case 'cross':
      return 'Cross';
  }
}

/** Spark's analysis messages for joins (UnsupportedOperationChecker / StreamingJoinStrategy, Spark 4.0.1). */
export const JoinMessages = {
  notAppend: (mode: string): string =>
    `Join between two streaming DataFrames/Datasets is not supported in ${mode} output mode, only in Append output mode`,
  streamStreamWithoutWatermark: (type: JoinType): string =>
    `Stream-stream ${sparkJoinTypeName(type)} join between two streaming DataFrame/Datasets is not supported without a ` +
    'watermark in the join keys, or a watermark on the nullable side and an appropriate range condition',
  leftAntiStreamingRight: 'LeftAnti joins with a streaming DataFrame/Dataset on the right are not supported',
  fullOuterStreamLeftStaticRight:
    'FullOuter joins with streaming DataFrames/Datasets on the left and a static DataFrame/Dataset on the right is not supported',
  fullOuterStaticLeftStreamRight:
    'FullOuter joins with streaming DataFrames/Datasets on the right and a static DataFrame/Dataset on the left is not supported',
  rightOuterStreamLeftStaticRight:
    'RightOuter join with a streaming DataFrame/Dataset on the left and a static DataFrame/DataSet on the right not supported',
  staticLeftStreamRight: (type: JoinType): string =>
    `${sparkJoinTypeName(type)} join with a streaming DataFrame/Dataset on the right and a static DataFrame/Dataset on the left is not supported`,
  withoutEquality: 'Stream-stream join without equality predicate is not supported',
} as const;

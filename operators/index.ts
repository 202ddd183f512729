/**
 * `weir/operators`: pipeable operators over `Observable<MicroBatch<Row>>`.
 */
export { rows } from './rows';
export { describeOperator, operatorName } from './describeOperator';
export type { MicroBatch, BatchContext, Row } from '../lib/contracts';

/**
 * What DataFrames need from their Session (kept narrow so DataFrame does not import Session).
 *
 * Invariant: a DataFrame reaches its session only through this interface.
 */
import type { Row } from '../../contracts';
import type { StreamingQueryManager } from '../../query/StreamingQueryManager';
import type { StructType } from '../../values/types';
import type { LogicalPlan } from './LogicalPlan';
import type { DataFrame } from './DataFrame';

export interface SessionLike {
  /** The manager queries started from this session register with. */
  readonly streams: StreamingQueryManager;
  /** A conf value (`weir.` or `spark.` spelling). */
  confValue(key: string): string | undefined;
  /** All confs, for the engine. */
  confMap(): Record<string, string>;
  /** Wall-clock time for batch DataFrames' current_timestamp(). */
  now(): number;
  registerView(name: string, plan: LogicalPlan): void;
  /** A batch DataFrame over rows (foreachBatch hands one to the user). */
  createDataFrame(rows: readonly Row[], schema?: StructType | string): DataFrame;
  /** A memory-sink table became available under `name`. */
  registerTable(name: string, rows: () => readonly Row[], schema: StructType): void;
}

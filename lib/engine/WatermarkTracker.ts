/**
 * The global event-time watermark (Spark's WatermarkTracker).
 *
 * Invariants: an operator's watermark is max(event time seen) - delay and only moves forward; an operator that
 * has seen no rows contributes 0; the global watermark is the min (default) or max of the operators' and never
 * decreases. The value a batch uses is the one computed at the end of the previous batch.
 */
import type { EventTimeStats } from '../contracts';
import { ErrorCodes, WeirError } from '../errors';

/** `weir.sql.streaming.multipleWatermarkPolicy`. */
export type MultipleWatermarkPolicy = 'min' | 'max';

/** Parses the policy conf value (case-insensitive), rejecting anything else as Spark does. */
export function parseWatermarkPolicy(value: string | undefined): MultipleWatermarkPolicy {
  if (value === undefined) return 'min';
  const v = value.toLowerCase();
  if (v === 'min' || v === 'max') return v;
  throw new WeirError(
    ErrorCodes.INVALID_ARGUMENT,
    `Could not recognize value ${value} for weir.sql.streaming.multipleWatermarkPolicy (expected min or max)`,
    { context: { value } },
  );
}

/** Tracks per-operator watermarks and derives the global one. */
export class WatermarkTracker {
  private readonly operatorWatermarks = new Map<string, number>();
  private globalWatermarkMs: number;

  constructor(
    readonly policy: MultipleWatermarkPolicy,
    initialWatermarkMs = 0,
  ) {
    this.globalWatermarkMs = initialWatermarkMs;
  }

  /** The current global watermark (ms). */
  get currentWatermarkMs(): number {
    return this.globalWatermarkMs;
  }

  /** True once any watermark operator has reported (the query defines a watermark). */
  get hasWatermarkOperators(): boolean {
    return this.operatorWatermarks.size > 0;
  }

  /** Folds one batch's reports in; returns the new global watermark. */
  update(reports: ReadonlyMap<string, { stats: EventTimeStats; delayMs: number }>): number {
    for (const [operatorId, { stats, delayMs }] of reports) {
      const previous = this.operatorWatermarks.get(operatorId);
      if (stats.count > 0) {
        const candidate = stats.max - delayMs;
        if (previous === undefined || candidate > previous) this.operatorWatermarks.set(operatorId, candidate);
      } else if (previous === undefined) {
        this.operatorWatermarks.set(operatorId, 0);
      }
    }
    if (this.operatorWatermarks.size > 0) {
      const values = [...this.operatorWatermarks.values()];
      const chosen = this.policy === 'min' ? Math.min(...values) : Math.max(...values);
      if (chosen > this.globalWatermarkMs) this.globalWatermarkMs = chosen;
    }
    return this.globalWatermarkMs;
  }
}

// Pure promise plumbing, no Temporal import: the day's metric fan-out, unit-tested on its own
// and run inside the workflow sandbox, where promise order is deterministic.
import type { ModelRunResult, PlannedMetric } from '../activities/types.js';

export type MetricStatus = 'completed' | 'failed' | 'skipped';

/** What became of one metric in a day's run. */
export interface MetricOutcome {
  name: string;
  status: MetricStatus;
  rows?: number;
  ms?: number;
  /** Why it failed, or which dependency kept it from starting. */
  error?: string;
}

export interface RunMetricPlanOptions {
  /** Errors that must end the whole run instead of one metric (the day's cancellation). */
  rethrow?: (error: unknown) => boolean;
  /** Failures that only wrap the real one (a failed child, a failed activity); all of the chain when absent. */
  isWrapper?: (error: unknown) => boolean;
}

/**
 * Starts every metric as soon as the metrics it depends on have completed, all others at once.
 * A failure is that metric's outcome, never the plan's: unrelated metrics run on, and those
 * that depend on it are skipped without starting. Outcomes come back in plan order.
 */
export async function runMetricPlan(
  plan: readonly PlannedMetric[],
  run: (metric: string) => Promise<ModelRunResult>,
  options: RunMetricPlanOptions = {},
): Promise<MetricOutcome[]> {
  const byName = new Map(plan.map((m) => [m.name, m]));
  const started = new Map<string, Promise<MetricOutcome>>();

  const start = (metric: PlannedMetric, trail: readonly string[]): Promise<MetricOutcome> => {
    const existing = started.get(metric.name);
    if (existing) return existing;
    const outcome = (async (): Promise<MetricOutcome> => {
      const inPlan = metric.depends.filter((d) => byName.has(d));
      // The registry leaves cycles out; a plan that still has one must not wait forever.
      const cycle = inPlan.find((d) => trail.includes(d));
      if (cycle) return { name: metric.name, status: 'skipped', error: `depends on itself through ${[...trail, metric.name, cycle].join(' -> ')}` };
      const dependencies = await Promise.all(inPlan.map((d) => start(byName.get(d)!, [...trail, metric.name])));
      const blocking = dependencies.find((d) => d.status !== 'completed');
      if (blocking) return { name: metric.name, status: 'skipped', error: `dependency ${blocking.name} ${blocking.status}` };
      try {
        const result = await run(metric.name);
        return { name: metric.name, status: 'completed', rows: result.rows, ms: result.ms };
      } catch (error) {
        if (options.rethrow?.(error)) throw error;
        return { name: metric.name, status: 'failed', error: rootMessage(error, options.isWrapper) };
      }
    })();
    started.set(metric.name, outcome);
    return outcome;
  };

  return Promise.all(plan.map((m) => start(m, [])));
}

/**
 * The message of the first failure in the chain that is not a wrapper: a failed child reads
 * "child workflow failed" and an activity "activity task failed", while the failure they wrap
 * names the metric's problem (its file and line); what that one wraps in turn (the driver's
 * error) says less.
 */
export function rootMessage(error: unknown, isWrapper: (error: unknown) => boolean = () => true): string {
  let current: unknown = error;
  while (current instanceof Error && isWrapper(current) && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

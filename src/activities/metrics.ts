import { cancellationSignal, log } from '@temporalio/activity';
import type { MetricRegistry } from '../warehouse/metricRegistry.js';
import type { ModelRunResult } from '../warehouse/applyModels.js';
import { classified } from './classifyError.js';
import { withKeepAlive } from './keepAlive.js';
import type { DayRef, PlanMetricsResult, RunMetricInput } from './types.js';

/** The registry as the plan reads it: names, dependencies, schedules and the files left out. */
export interface PlannableRegistry {
  metrics: ReadonlyArray<Pick<MetricRegistry['metrics'][number], 'name' | 'depends' | 'schedule'>>;
  problems: ReadonlyArray<Pick<MetricRegistry['problems'][number], 'file' | 'message'>>;
}

export interface MetricDeps {
  /** Built-in and user metric files, read now: a new user file needs no worker restart. */
  metricRegistry(): Promise<PlannableRegistry>;
  /** One metric for one day, then for every later loaded day (balances carry over). */
  runMetric(input: RunMetricInput, signal: AbortSignal): Promise<ModelRunResult>;
  keepAliveMs?: number;
}

/**
 * The metrics a day's run starts after its load: the after-load ones, in dependency order, each
 * with the after-load metrics it waits for. A dependency on a calendar metric is not waited for:
 * that one runs on its own schedule and its table already holds what it last computed.
 */
export function planFromRegistry(registry: PlannableRegistry): PlanMetricsResult {
  const afterLoad = registry.metrics.filter((m) => m.schedule.kind === 'after-load');
  const names = new Set(afterLoad.map((m) => m.name));
  return {
    metrics: afterLoad.map((m) => ({ name: m.name, depends: m.depends.filter((d) => names.has(d)) })),
    problems: registry.problems.map((p) => p.message),
  };
}

export function createMetricActivities(deps: MetricDeps) {
  return {
    async planMetrics(input: DayRef): Promise<PlanMetricsResult> {
      return classified(async () => {
        const plan = planFromRegistry(await deps.metricRegistry());
        for (const problem of plan.problems) log.warn(`metric left out: ${problem}`, { chainId: input.chainId, date: input.date });
        return plan;
      });
    },

    async runMetric(input: RunMetricInput): Promise<ModelRunResult> {
      return classified(() => withKeepAlive(() => deps.runMetric(input, cancellationSignal()), deps.keepAliveMs));
    },
  };
}

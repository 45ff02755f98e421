import { ApplicationFailure, executeChild, ParentClosePolicy, proxyActivities, upsertSearchAttributes, workflowInfo, WorkflowIdReusePolicy } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { BlockRange, ModelRunResult } from '../activities/types.js';
import { HEARTBEAT_TIMEOUT } from '../heartbeatTiming.js';
import { dayBeforeNominal, isIsoDate } from './dates.js';
import { metricWorkflowId, TASK_QUEUES } from './names.js';
import { metricRetry } from './retryPolicies.js';
import { chainIdKey, dateKey, scheduledStartKey } from './searchAttributes.js';

export interface MetricDayInput {
  chainId: number;
  /** UTC day YYYY-MM-DD whose buckets the metric computes again. */
  date: string;
  metric: string;
  /** The block range the day's load committed; the one loaded_days records when absent. */
  range?: BlockRange;
}

export interface ScheduledMetricInput {
  chainId: number;
  metric: string;
  /** A day to run instead of the one before the schedule's nominal start (a manual run). */
  date?: string;
}

const { runMetric } = proxyActivities<Activities>({
  taskQueue: TASK_QUEUES.metrics,
  startToCloseTimeout: '1h',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: metricRetry,
});

/**
 * One metric for one day, on the metrics task queue. Its own workflow (`ledgerflow/<chain>/metric/
 * <name>/<date>`) so a failing metric shows up, retries and fails on its own, apart from the day.
 */
export async function metricDay(input: MetricDayInput): Promise<ModelRunResult> {
  if (!isIsoDate(input.date)) {
    throw ApplicationFailure.nonRetryable(`Not a calendar day: date=${input.date}. Fix: pass the day as YYYY-MM-DD (UTC)`, 'InvalidInputError');
  }
  upsertSearchAttributes([
    { key: dateKey, value: input.date },
    { key: chainIdKey, value: input.chainId },
  ]);
  return runMetric({ chainId: input.chainId, date: input.date, metric: input.metric, ...(input.range ? { range: input.range } : {}) });
}

/**
 * What a calendar metric's Schedule starts: the day before the nominal start (the rule of the
 * daily schedule), run as that day's metricDay under its deterministic id, so a scheduled run and
 * a day's own run of the metric never both run at once.
 */
export async function scheduledMetric(input: ScheduledMetricInput): Promise<ModelRunResult> {
  const date = input.date ?? scheduledDay();
  upsertSearchAttributes([
    { key: dateKey, value: date },
    { key: chainIdKey, value: input.chainId },
  ]);
  return runMetricDayChild({ chainId: input.chainId, date, metric: input.metric });
}

/**
 * Runs the metric's day as a child under its deterministic id. Closing the parent (a cancelled
 * day) cancels it; a day's metric whose previous run closed runs again (a re-run of the day).
 */
export function runMetricDayChild(input: MetricDayInput): Promise<ModelRunResult> {
  return executeChild(metricDay, {
    workflowId: metricWorkflowId(input.chainId, input.metric, input.date),
    taskQueue: TASK_QUEUES.workflows,
    args: [input],
    parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
  });
}

function scheduledDay(): string {
  const nominal = workflowInfo().typedSearchAttributes.get(scheduledStartKey);
  if (nominal) return dayBeforeNominal(nominal);
  throw ApplicationFailure.nonRetryable(
    'scheduledMetric needs a day: no date in the input and no TemporalScheduledStartTime. Fix: start it from its schedule or with {"date":"YYYY-MM-DD"}',
    'InvalidInputError',
  );
}

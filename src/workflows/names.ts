// Task-queue names and workflow-id builders, defined once: workers, the CLI, schedules and
// workflows all import them from here. Pure module, safe inside the workflow sandbox.

export const TASK_QUEUES = {
  workflows: 'ledgerflow-workflows',
  export: 'ledgerflow-export',
  load: 'ledgerflow-load',
  metrics: 'ledgerflow-metrics',
} as const;

export type WorkerRole = keyof typeof TASK_QUEUES;

export const DEFAULT_SCHEDULE_ID = 'ledgerflow-daily';

/** One day of one chain has one id, so a day never runs twice at once. */
export function dailyWorkflowId(chainId: number, date: string): string {
  return `ledgerflow/${chainId}/${date}`;
}

export function verifyWorkflowId(chainId: number, date: string): string {
  return `ledgerflow/${chainId}/${date}/verify`;
}

/** One metric of one day: a re-run of the day runs it again under the same id. */
export function metricWorkflowId(chainId: number, metric: string, date: string): string {
  return `ledgerflow/${chainId}/metric/${metric}/${date}`;
}

/** Every calendar metric's schedule starts with this, so a sync can find the ones it owns. */
export const METRIC_SCHEDULE_PREFIX = 'ledgerflow-metric-';

/** The Temporal Schedule of a metric on its own calendar (`-- schedule: cron ...`). */
export function metricScheduleId(metric: string): string {
  return `${METRIC_SCHEDULE_PREFIX}${metric}`;
}

export function backfillWorkflowId(chainId: number, from: string, to: string): string {
  return `ledgerflow/${chainId}/backfill/${from}..${to}`;
}

/**
 * Custom search attributes, registered by `ledgerflow stack up` (dev server `--search-attribute`)
 * and by `temporal operator search-attribute create` in production.
 */
export const SEARCH_ATTRIBUTES = {
  chainId: { name: 'LedgerflowChainId', type: 'Int' },
  date: { name: 'LedgerflowDate', type: 'Keyword' },
} as const;

import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleDescription } from '@temporalio/client';
import type { ScheduledMetricInput } from '../../workflows/metricDay.js';
import { METRIC_SCHEDULE_PREFIX, metricScheduleId, TASK_QUEUES } from '../../workflows/names.js';
import { chainIdKey } from '../../workflows/searchAttributes.js';

/** A metric on its own calendar, as the registry declares it (`-- schedule: cron ...`). */
export interface CalendarMetric {
  name: string;
  cron: string;
}

/** What a metric's schedule was built from, kept in its memo so a sync can compare without parsing specs back. */
export interface MetricScheduleMemo {
  metric: string;
  cron: string;
  chainId: number;
}

export type ScheduleSyncAction = 'created' | 'updated' | 'unchanged' | 'deleted';

export interface ScheduleSyncChange {
  scheduleId: string;
  metric: string;
  action: ScheduleSyncAction;
  /** The cron the schedule fires on after the sync (absent for a deletion). */
  cron?: string;
  /** Why a schedule stays as it is although its metric is not in the registry. */
  note?: string;
}

/** An existing `ledgerflow-metric-*` schedule: its memo, or null when it was made by other means. */
export interface ExistingMetricSchedule {
  scheduleId: string;
  memo: MetricScheduleMemo | null;
}

/**
 * What a sync does, decided from the registry and the existing schedules alone: one schedule per
 * calendar metric, made anew when its cron or chain changed, and every other `ledgerflow-metric-*`
 * schedule deleted, except one whose metric file is only left out for a problem (a typo must not
 * drop a schedule and its history; fixing the file brings it back in).
 */
export function planScheduleSync(input: {
  wanted: readonly CalendarMetric[];
  existing: readonly ExistingMetricSchedule[];
  chainId: number;
  /** Metrics whose file is in the registry's problems. */
  leftOut?: ReadonlyMap<string, string>;
}): ScheduleSyncChange[] {
  const existing = new Map(input.existing.map((s) => [s.scheduleId, s]));
  const changes: ScheduleSyncChange[] = [];
  for (const metric of [...input.wanted].sort((a, b) => a.name.localeCompare(b.name))) {
    const scheduleId = metricScheduleId(metric.name);
    const found = existing.get(scheduleId);
    const same = found?.memo && found.memo.cron === metric.cron && found.memo.chainId === input.chainId && found.memo.metric === metric.name;
    changes.push({ scheduleId, metric: metric.name, cron: metric.cron, action: !found ? 'created' : same ? 'unchanged' : 'updated' });
  }
  const wantedIds = new Set(input.wanted.map((m) => metricScheduleId(m.name)));
  for (const schedule of [...input.existing].sort((a, b) => a.scheduleId.localeCompare(b.scheduleId))) {
    if (wantedIds.has(schedule.scheduleId) || !schedule.scheduleId.startsWith(METRIC_SCHEDULE_PREFIX)) continue;
    const metric = schedule.memo?.metric ?? schedule.scheduleId.slice(METRIC_SCHEDULE_PREFIX.length);
    const problem = input.leftOut?.get(metric);
    changes.push(
      problem
        ? { scheduleId: schedule.scheduleId, metric, action: 'unchanged', ...(schedule.memo ? { cron: schedule.memo.cron } : {}), note: `kept: its file is left out of the registry (${problem})` }
        : { scheduleId: schedule.scheduleId, metric, action: 'deleted' },
    );
  }
  return changes;
}

/** Every `ledgerflow-metric-*` schedule with its memo; the wanted ones are described directly, as listing lags behind. */
export async function existingMetricSchedules(client: Client, wanted: readonly CalendarMetric[]): Promise<ExistingMetricSchedule[]> {
  const ids = new Set(wanted.map((m) => metricScheduleId(m.name)));
  for await (const summary of client.schedule.list()) if (summary.scheduleId.startsWith(METRIC_SCHEDULE_PREFIX)) ids.add(summary.scheduleId);
  const found = await Promise.all(
    [...ids].map(async (scheduleId): Promise<ExistingMetricSchedule | undefined> => {
      try {
        return { scheduleId, memo: memoOf(await client.schedule.getHandle(scheduleId).describe()) };
      } catch (error) {
        if (error instanceof ScheduleNotFoundError) return undefined;
        throw error;
      }
    }),
  );
  return found.filter((s): s is ExistingMetricSchedule => s !== undefined);
}

/**
 * Carries out the planned changes. A changed schedule is made anew (its memo, which records what
 * it was built from, cannot be updated in place), keeping whether it was paused and its note.
 */
export async function applyScheduleSync(client: Client, changes: readonly ScheduleSyncChange[], chainId: number): Promise<void> {
  for (const change of changes) {
    const handle = client.schedule.getHandle(change.scheduleId);
    if (change.action === 'deleted') {
      await handle.delete().catch((error: unknown) => {
        if (!(error instanceof ScheduleNotFoundError)) throw error;
      });
    } else if (change.action === 'created' || change.action === 'updated') {
      let state: { paused: boolean; note?: string } = { paused: false };
      if (change.action === 'updated') {
        const before = await handle.describe();
        state = { paused: before.state.paused, ...(before.state.note ? { note: before.state.note } : {}) };
        await handle.delete();
      }
      await createMetricSchedule(client, { metric: change.metric, cron: change.cron ?? '', chainId }, state);
    }
  }
}

/**
 * The metric's schedule: `scheduledMetric` on the workflows queue, which runs the metric for the
 * day before each firing. BUFFER_ONE lets a slow run finish without piling up firings; no pause
 * on failure: a broken metric fails its own runs visibly, and the next firing after a fix runs
 * without anyone unpausing it.
 */
async function createMetricSchedule(client: Client, memo: MetricScheduleMemo, state: { paused: boolean; note?: string }): Promise<void> {
  const scheduleId = metricScheduleId(memo.metric);
  try {
    await client.schedule.create({
      scheduleId,
      spec: { cronExpressions: [memo.cron], timezone: 'UTC' },
      action: {
        type: 'startWorkflow',
        workflowType: 'scheduledMetric',
        taskQueue: TASK_QUEUES.workflows,
        workflowId: scheduleId,
        args: [{ chainId: memo.chainId, metric: memo.metric } satisfies ScheduledMetricInput],
        typedSearchAttributes: [{ key: chainIdKey, value: memo.chainId }],
      },
      memo: { ...memo },
      policies: { overlap: ScheduleOverlapPolicy.BUFFER_ONE, catchupWindow: '1 day', pauseOnFailure: false },
      state: { paused: state.paused, note: state.note ?? `metric ${memo.metric}: cron ${memo.cron} UTC (ledgerflow metrics sync-schedules)` },
    });
  } catch (error) {
    // Made by a sync running at the same time: that one's schedule stands.
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
}

function memoOf(description: ScheduleDescription): MetricScheduleMemo | null {
  const memo = description.memo as Partial<MetricScheduleMemo> | undefined;
  return typeof memo?.metric === 'string' && typeof memo.cron === 'string' && typeof memo.chainId === 'number' ? { metric: memo.metric, cron: memo.cron, chainId: memo.chainId } : null;
}

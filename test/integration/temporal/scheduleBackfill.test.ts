import { randomBytes } from 'node:crypto';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { awaitScheduledDay } from '../../../src/cli/temporal/awaitScheduledDay.js';
import { backfillSchedule, createDailySchedule } from '../../../src/cli/temporal/schedules.js';
import type { RunningWorkers } from '../../../src/workers/main.js';
import { startDay } from '../../../src/cli/temporal/startDay.js';
import { dailyWorkflowId } from '../../../src/workflows/names.js';
import { dateKey } from '../../../src/workflows/searchAttributes.js';
import { openTemporalTestStack, startInProcessWorkers, type TemporalTestStack } from './temporalStack.js';

const stack = inject('stack');
let t: TemporalTestStack;
let workers: RunningWorkers;
const scheduleId = `it-daily-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  t = await openTemporalTestStack(stack, 'sched');
  workers = await startInProcessWorkers(t);
});
afterAll(async () => {
  await t?.client.schedule.getHandle(scheduleId).delete().catch(() => undefined);
  await workers?.shutdown();
  await t?.close();
});

describe('the daily schedule', () => {
  it('backfills three seeded days as three completed runs, each exporting the day before its nominal time', async () => {
    const days = t.days.slice(0, 3);
    expect(days).toHaveLength(3);
    await createDailySchedule(t.client, { scheduleId, chainId: t.chainId, paused: true });
    const since = new Date();
    await backfillSchedule(t.client.schedule.getHandle(scheduleId), { from: days[0]!, to: days[2]!, overlap: ScheduleOverlapPolicy.ALLOW_ALL });

    const runs = await Promise.all(days.map((date) => awaitScheduledDay(t.client, { scheduleId, date, since })));
    expect(runs.map((r) => r.summary.date)).toEqual(days);
    for (const run of runs) {
      const description = await t.client.workflow.getHandle(run.workflowId).describe();
      expect(description.status.name).toBe('COMPLETED');
      expect(description.typedSearchAttributes.get(dateKey)).toBe(run.summary.date);
      expect(run.summary.blocks).toBeGreaterThan(0);
    }
    const described = await t.client.schedule.getHandle(scheduleId).describe();
    expect(described.info.recentActions.map((a) => a.action.workflow.workflowId).sort()).toEqual(runs.map((r) => r.workflowId).sort());
  });

  it('a manual and a scheduled run of one day started together do the work once and report the same summary', async () => {
    const date = t.days[1]!;
    const dayId = dailyWorkflowId(t.chainId, date);
    const since = new Date();
    const [manual] = await Promise.all([
      startDay(t.client, { date, chainId: t.chainId }),
      backfillSchedule(t.client.schedule.getHandle(scheduleId), { from: date, to: date, overlap: ScheduleOverlapPolicy.ALLOW_ALL }),
    ]);
    const [mine, scheduled] = await Promise.all([manual.result(), awaitScheduledDay(t.client, { scheduleId, date, since })]);

    expect(scheduled.summary).toEqual(mine);
    // Exactly one execution of the day's id since both asked: whichever came second joined it.
    const runs: string[] = [];
    for await (const run of t.client.workflow.list({ query: `WorkflowId = '${dayId}' AND StartTime >= '${new Date(since.getTime() - 1000).toISOString()}'` })) runs.push(run.runId);
    expect(runs).toHaveLength(1);
    // ...and that one execution resolved and loaded the day once (sealed by the backfill above, it is not exported again).
    const history = await t.client.workflow.getHandle(dayId, runs[0]).fetchHistory();
    const scheduledActivities = (history.events ?? []).flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(scheduledActivities.filter((name) => name === 'resolveDay')).toHaveLength(1);
    expect(scheduledActivities.filter((name) => name === 'loadDay')).toHaveLength(1);
  });
});
